"""The child, the parties and the case (sak) that holds everything the service does for a child."""

from __future__ import annotations

import uuid
from typing import ClassVar

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from vern.core.dates import today
from vern.core.models import Unit, User
from vern.rules import ages


class AddressProtection(models.TextChoices):
    NONE = "", _("none")
    CONFIDENTIAL = "confidential", _("confidential address")
    STRICTLY_CONFIDENTIAL = "strictly_confidential", _("strictly confidential address")


class IdentityKind(models.TextChoices):
    FODSELSNUMMER = "fnr", _("national identity number")
    D_NUMMER = "dnr", _("D number")
    DUF = "duf", _("DUF number")
    UNKNOWN_00100 = "unknown_00100", _("unknown number (birth date + 00100)")
    UNKNOWN_00200 = "unknown_00200", _("unknown number (birth date + 00200)")
    UNBORN = "unborn", _("unborn child (term date + 99999)")
    # A child named in a report of concern (e.g. from a private person) whom intake has yet to identify.
    UNIDENTIFIED = "unidentified", _("not yet identified")


class Gender(models.TextChoices):
    """Register codes for Personalia/@Kjonn."""

    UNBORN = "0", _("unborn")
    MALE = "1", _("boy")
    FEMALE = "2", _("girl")
    # Not a register code: the gender of a child not yet identified.
    UNKNOWN = "", _("not known")


class BirthDateBasis(models.TextChoices):
    """What Vern knows of a child's birth date (or term date)."""

    KNOWN = "known", _("known")
    # From an approximate age given in a report of concern: the date is the middle of the possible year.
    ESTIMATED = "estimated", _("estimated from an approximate age")
    # Nothing given: the date is only a stand-in for the column and the age limits, never shown.
    UNKNOWN = "unknown", _("unknown")


class Child(models.Model):
    """A child known to one or more services. Never deleted: child welfare records are archive material."""

    identity_kind = models.CharField(max_length=20, choices=IdentityKind.choices)
    # Fødselsnummer, D-nummer or the register's placeholder; empty when only a DUF number is known.
    identity_number = models.CharField(max_length=11, blank=True)
    duf_number = models.CharField(max_length=12, blank=True)
    birth_date = models.DateField(_("birth date or term date"))
    # Not KNOWN only for a child not yet identified (a report of concern that gave no number). The
    # register is not told such a child's birth date (register.build gives it no Personalia), and
    # pages say "unknown" or "about N years" (cases/_birth_date.html), never the stand-in date.
    birth_date_basis = models.CharField(
        _("birth date"), max_length=10, choices=BirthDateBasis.choices, default=BirthDateBasis.KNOWN
    )
    gender = models.CharField(_("gender"), max_length=1, choices=Gender.choices, blank=True)
    first_name = models.CharField(_("first name"), max_length=100, blank=True)
    last_name = models.CharField(_("last name"), max_length=100, blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    address_protection = models.CharField(
        max_length=30, choices=AddressProtection.choices, default=AddressProtection.NONE, blank=True
    )

    class Meta:
        verbose_name = _("child")
        constraints: ClassVar = [
            # One person, one record: a report about a known number finds the existing child.
            # Placeholder numbers (birth date + 00100 …) are shared by different children.
            models.UniqueConstraint(
                fields=["identity_number"],
                condition=Q(identity_kind__in=["fnr", "dnr"]),
                name="child_identity_unique",
            ),
        ]

    def __str__(self) -> str:
        # Deliberately without identity number or address: __str__ ends up in logs.
        return f"{self.first_name} {self.last_name}".strip() or str(_("unnamed child"))

    @property
    def is_unborn(self) -> bool:
        return self.identity_kind == IdentityKind.UNBORN or self.gender == Gender.UNBORN

    @property
    def approximate_age(self) -> int:
        """Completed years today by the (estimated) birth date: for pages that must not show the date."""
        return ages.age_on(self.birth_date, today())


class Case(models.Model):
    """One child's case in one service. The journal number does not identify the person."""

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="cases")
    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="cases")
    # Up to 36 characters: the register's Journalnummer, so numbers migrated from other systems fit.
    journal_number = models.CharField(_("journal number"), max_length=36)
    opened_on = models.DateField(_("opened"))
    closed_on = models.DateField(_("closed"), null=True, blank=True)
    caseworker = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="assigned_cases"
    )
    shared_with = models.ManyToManyField(User, blank=True, related_name="shared_cases")
    register_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)

    class Meta:
        verbose_name = _("case")
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["unit", "journal_number"], name="case_journal_unique"),
            # A report about a child with an open case attaches to it: one open case per child per unit.
            models.UniqueConstraint(
                fields=["unit", "child"], condition=Q(closed_on__isnull=True), name="case_one_open_per_child"
            ),
        ]
        indexes: ClassVar = [
            # "Mine frister": the open cases of one caseworker.
            models.Index(fields=["caseworker", "closed_on"], name="case_caseworker_open"),
        ]

    def __str__(self) -> str:
        return self.journal_number


class CaseClosing(models.Model):
    """One closing of a case, and its reopening if it was reopened: who, when and why.

    ``Case.closed_on`` is what the register reports (Sak/SluttDato); these rows keep the history, so
    a reopening never erases why the case was closed. The register has no code for the reason.
    """

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="closings")
    closed_on = models.DateField(_("closed"))
    reason = models.TextField(_("why the case is closed"))
    closed_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    closed_at = models.DateTimeField(auto_now_add=True)
    reopened_at = models.DateTimeField(_("reopened"), null=True, blank=True)
    reopen_reason = models.TextField(_("why the case is reopened"), blank=True)
    reopened_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")

    class Meta:
        verbose_name = _("closing of a case")

    def __str__(self) -> str:
        return f"{self.case_id}: {self.closed_on}"


class JournalSequence(models.Model):
    """Next journal number per unit and year, taken under a row lock."""

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints: ClassVar = [models.UniqueConstraint(fields=["unit", "year"], name="journal_seq_unique")]

    def __str__(self) -> str:
        return f"{self.unit_id}/{self.year}: {self.last}"


class Party(models.Model):
    """A parent or guardian (or the child from 15) with rights as a party to the case."""

    class Relation(models.TextChoices):
        MOTHER = "mother", _("mother")
        FATHER = "father", _("father")
        # A parent or guardian a report of concern names without saying which.
        PARENT = "parent", _("parent or guardian")
        GUARDIAN = "guardian", _("guardian")
        CHILD = "child", _("the child")
        OTHER = "other", _("other")

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="parties")
    name = models.CharField(_("name"), max_length=200)
    relation = models.CharField(_("relation"), max_length=20, choices=Relation.choices)
    parental_responsibility = models.BooleanField(_("parental responsibility"), default=True)
    identity_number = models.CharField(_("identity number"), max_length=11, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    address_protection = models.CharField(
        max_length=30, choices=AddressProtection.choices, default=AddressProtection.NONE, blank=True
    )

    class Meta:
        verbose_name = _("party")
        indexes: ClassVar = [
            # A case's siblings: the parties with the same mother's or father's number
            # (cases.selectors.family_for).
            models.Index(fields=["identity_number"], name="party_identity", condition=~Q(identity_number="")),
        ]

    def __str__(self) -> str:
        return self.name
