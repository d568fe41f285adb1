"""What every stage shares: organisation units, users and roles, the audit log, code lists."""

from __future__ import annotations

from datetime import date
from typing import Any, ClassVar

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from vern.core.audit_events import AuditAction
from vern.core.identity import InvalidIdentityNumber, validate_organisation_number
from vern.rules.plans import DEFAULT_EVALUATION_MONTHS


def _validate_orgnr(value: str) -> None:
    try:
        validate_organisation_number(value)
    except InvalidIdentityNumber as exc:
        raise ValidationError(str(exc)) from exc


class Municipality(models.Model):
    number = models.CharField(
        _("municipality number"), max_length=4, unique=True, validators=[RegexValidator(r"^[0-9]{4}$")]
    )
    name = models.CharField(_("name"), max_length=100)
    organisation_number = models.CharField(
        _("organisation number"), max_length=9, validators=[_validate_orgnr]
    )

    class Meta:
        ordering: ClassVar = ["number"]
        verbose_name = _("municipality")

    def __str__(self) -> str:
        return f"{self.number} {self.name}"


class District(models.Model):
    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="districts")
    number = models.CharField(_("district number"), max_length=2, validators=[RegexValidator(r"^[0-9]{2}$")])
    name = models.CharField(_("name"), max_length=100)

    class Meta:
        ordering: ClassVar = ["municipality__number", "number"]
        verbose_name = _("district")
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["municipality", "number"], name="district_number_unique")
        ]

    def __str__(self) -> str:
        return f"{self.municipality.name} bydel {self.number} {self.name}"


class Unit(models.Model):
    """A child welfare service (owns cases) or a provider unit (delivers measures to others).

    A service may serve several municipalities; the host municipality runs it (vertskommune).
    """

    class Kind(models.TextChoices):
        SERVICE = "service", _("child welfare service")
        PROVIDER = "provider", _("provider")

    name = models.CharField(_("name"), max_length=150)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.SERVICE)
    host_municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="hosted_units")
    municipalities = models.ManyToManyField(Municipality, related_name="served_by", blank=True)
    district = models.ForeignKey(
        District, on_delete=models.PROTECT, null=True, blank=True, related_name="units"
    )
    organisation_number = models.CharField(
        _("organisation number"), max_length=9, blank=True, validators=[_validate_orgnr]
    )
    # A unit kept in another system (a partner's Vern, or another case system): referrals to and from
    # it travel as protocol messages to its organisation number instead of being seen here.
    remote = models.BooleanField(_("in another system"), default=False)
    # How often plans for help measures are evaluated (rules.plans, BVL2021 § 8-1): the unit's choice.
    plan_evaluation_months = models.PositiveSmallIntegerField(
        _("months between plan evaluations"), default=DEFAULT_EVALUATION_MONTHS
    )

    class Meta:
        ordering: ClassVar = ["name"]
        verbose_name = _("unit")

    def __str__(self) -> str:
        return self.name


class User(AbstractUser):
    """A person who logs in. Every user has a TOTP second factor; the secret is set at enrolment."""

    totp_secret = models.CharField(max_length=64, blank=True)
    totp_confirmed = models.BooleanField(default=False)
    # Last accepted TOTP time step: a code is accepted once (replay protection).
    totp_last_step = models.BigIntegerField(default=0)
    failed_logins = models.PositiveIntegerField(default=0)
    locked_until = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("user")

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    def is_locked(self) -> bool:
        return self.locked_until is not None and self.locked_until > timezone.now()


class Role(models.TextChoices):
    CASEWORKER = "caseworker", _("caseworker")
    INTAKE = "intake", _("intake")
    LEADER = "leader", _("leader")
    AUDITOR = "auditor", _("read-only auditor")
    ADMIN = "admin", _("administrator")


class Membership(models.Model):
    """A user's role in a unit. A user may hold several roles, in several units."""

    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="memberships")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="memberships")
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    # Designated by the service: may see strictly confidential addresses (strengt fortrolig adresse).
    sees_protected_addresses = models.BooleanField(default=False)
    fte = models.DecimalField(_("full-time equivalent"), max_digits=3, decimal_places=2, default=1)

    class Meta:
        verbose_name = _("membership")
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["user", "unit", "role"], name="membership_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.get_role_display()} – {self.unit}"


class AuditEntry(models.Model):
    """One read or write, as an event type with its object (ADR 0013). Append-only: the database
    refuses UPDATE and DELETE. Written by ``core.audit.audit`` only."""

    Action = AuditAction

    at = models.DateTimeField(default=timezone.now)
    # Who did it; None when Vern itself did (a digital report, a message from another system, a
    # command run on the server), or for a failed login with an unknown user name.
    user = models.ForeignKey(User, on_delete=models.PROTECT, null=True, related_name="+")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, null=True, related_name="+")
    # Plain integers, not foreign keys: core must not depend on the other apps, and an audit row
    # must outlive any change to what it points at.
    case_id = models.BigIntegerField(null=True)
    action = models.CharField(max_length=20, choices=AuditAction.choices)
    # An AuditEvent value. No choices: they would add a migration for every new event or sentence,
    # and only audit() writes the column, from the enum.
    event = models.CharField(max_length=60)
    # The primary key of the event's object, a row of the model its kind names (audit_events.MODELS).
    object_id = models.BigIntegerField(null=True)
    # What else the event says, as values (a status code, a month, a user's id); never names,
    # addresses or other content of the case.
    extra = models.JSONField(default=dict, blank=True)
    reason = models.CharField(max_length=500, blank=True)
    # The prose rows had before event types, kept as written (cut at 200 characters then); the
    # migration that introduced events derived event, object and extra from it. Empty since.
    legacy_what = models.CharField(max_length=200, blank=True)

    class Meta:
        verbose_name = _("audit entry")
        indexes: ClassVar = [
            # The access log of one case, newest first (cases.views.access_log).
            models.Index(fields=["case_id", "-at"], name="audit_case_at"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.user_id} {self.event} {self.object_id}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise PermissionError("Audit entries cannot be changed")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise PermissionError("Audit entries cannot be deleted")


# A code's specification (Presisering): the register allows up to 10,000 characters (Barnevern_v4.xsd).
SPECIFICATION_LENGTH = 10_000


class CodeQuerySet(models.QuerySet["Code"]):
    def valid_on(self, day: date) -> CodeQuerySet:
        return self.filter(Q(valid_from__isnull=True) | Q(valid_from__lte=day)).filter(
            Q(valid_to__isnull=True) | Q(valid_to__gte=day)
        )


class Code(models.Model):
    """One code of a national register code list, with its validity period.

    Forms offer only codes valid on the relevant date; stored records keep whatever code they had.
    """

    list_path = models.CharField(max_length=120)
    code = models.CharField(max_length=20)
    label = models.CharField(max_length=500)
    group = models.CharField(max_length=120, blank=True)
    valid_from = models.DateField(null=True, blank=True)
    valid_to = models.DateField(null=True, blank=True)
    change_note = models.CharField(max_length=200, blank=True)
    sort_key = models.PositiveIntegerField(default=0)

    objects = CodeQuerySet.as_manager()

    class Meta:
        ordering: ClassVar = ["list_path", "sort_key"]
        verbose_name = _("code")
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["list_path", "code"], name="code_unique_in_list"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.label}"

    def is_valid_on(self, day: date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_to is None or self.valid_to >= day
        )


class DeadlineBreach(models.Model):
    """Why a statutory deadline was missed. One per missed clock of one item, and for a periodic
    clock (visits, plan evaluations) one per missed interval (ADR 0014).

    ``clock`` names a clock of ``vern.worklists.selectors.CLOCKS_WITH_REASONS`` ("review",
    "follow_up_visit", ...); ``object_id`` is the item it belongs to (the report, investigation,
    decision, plan or measure); ``period_start`` is the day a periodic clock's missed interval
    began (its latest visit or evaluation before, or its start), empty for a clock that runs once.
    """

    clock = models.CharField(max_length=40)
    object_id = models.BigIntegerField()
    period_start = models.DateField(null=True, blank=True)
    case_id = models.BigIntegerField()
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    reason = models.CharField(max_length=40)
    explanation = models.TextField(blank=True)
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("deadline breach")
        constraints: ClassVar = [
            # Two partial constraints: a unique constraint over a nullable column lets NULLs repeat.
            models.UniqueConstraint(
                fields=["clock", "object_id"],
                condition=Q(period_start__isnull=True),
                name="breach_one_per_item",
            ),
            models.UniqueConstraint(
                fields=["clock", "object_id", "period_start"],
                condition=Q(period_start__isnull=False),
                name="breach_one_per_interval",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.clock} {self.object_id}: {self.reason}"
