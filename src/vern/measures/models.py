"""Measures (tiltak), plans, visits and supervision in foster homes, relocations and aftercare.

Every deadline here (next visit, next plan evaluation, aftercare offer) is derived from these facts
by ``vern.rules`` and by the worklists in SQL, never stored.
"""

from __future__ import annotations

import uuid
from typing import ClassVar

from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from vern.cases.models import Case, Party
from vern.core import codes
from vern.core.codelists import paths
from vern.core.models import SPECIFICATION_LENGTH, Unit, User
from vern.decisions.models import Decision, LegalBasisFields
from vern.rules import visits


class Measure(LegalBasisFields):
    """A help measure or care measure (Tiltak), always carried out under a decision in force."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="measures")
    decision = models.ForeignKey(Decision, on_delete=models.PROTECT, related_name="measures")
    category = models.CharField(_("category"), max_length=10)
    # Whether the legal basis makes this a care order (rules.legal_basis.is_care_order), fixed when the
    # measure starts because its legal basis never changes: worklists and reports select on it.
    care_order = models.BooleanField(_("care order"), default=False, editable=False)
    category_specification = models.CharField(_("specification"), max_length=SPECIFICATION_LENGTH, blank=True)
    start_on = models.DateField(_("started"))
    end_on = models.DateField(_("ended"), null=True, blank=True)
    # Opphevelse: why a care order ended (register code list), required for a care-order placement.
    revocation = models.CharField(_("revocation"), max_length=2, blank=True)
    revocation_specification = models.CharField(
        _("specification of revocation"), max_length=SPECIFICATION_LENGTH, blank=True
    )
    started_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    register_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)

    class Meta:
        verbose_name = _("measure")
        indexes: ClassVar = [
            # Worklists and the case page: a case's running measures (visits, care plans, aftercare).
            models.Index(
                fields=["case", "start_on"], name="measure_running", condition=Q(end_on__isnull=True)
            ),
        ]

    def __str__(self) -> str:
        return _("%(what)s from %(day)s") % {
            "what": codes.text(paths.MEASURE_CATEGORY, self.category),
            "day": f"{self.start_on:%d.%m.%Y}",
        }


class MeasureReason(models.Model):
    """Tiltaksgrunnlag: the case-content codes the measure answers."""

    measure = models.ForeignKey(Measure, on_delete=models.PROTECT, related_name="reasons")
    code = models.CharField(max_length=10)
    specification = models.CharField(max_length=SPECIFICATION_LENGTH, blank=True)

    def __str__(self) -> str:
        return self.code


class Consent(models.Model):
    """Consent to a voluntary measure, per person, with its withdrawal. ``party`` None is the child."""

    measure = models.ForeignKey(Measure, on_delete=models.PROTECT, related_name="consents")
    party = models.ForeignKey(Party, on_delete=models.PROTECT, null=True, blank=True, related_name="consents")
    given_on = models.DateField(_("consent given"))
    withdrawn_on = models.DateField(_("consent withdrawn"), null=True, blank=True)
    withdrawal_note = models.TextField(_("about the withdrawal"), blank=True)
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("consent")

    def __str__(self) -> str:
        who = self.party.name if self.party else _("the child / young person")
        return _("%(who)s, given %(day)s") % {"who": who, "day": f"{self.given_on:%d.%m.%Y}"}


class VisitKind(models.TextChoices):
    FOLLOW_UP = visits.FOLLOW_UP, _("follow-up visit")
    SUPERVISION = visits.SUPERVISION, _("supervision visit")


class FrequencyCode(models.TextChoices):
    STANDARD = visits.STANDARD, _("4 a year (standard)")
    REDUCED = visits.REDUCED, _("2 a year (reduced)")


class VisitFrequency(models.Model):
    """How often a foster-home placement is visited (Oppfolging/Tilsyn Hyppighet), from a date."""

    measure = models.ForeignKey(Measure, on_delete=models.PROTECT, related_name="frequencies")
    kind = models.CharField(_("kind"), max_length=20, choices=VisitKind.choices)
    code = models.CharField(_("frequency"), max_length=1, choices=FrequencyCode.choices)
    start_on = models.DateField(_("applies from"))
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    register_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)

    class Meta:
        verbose_name = _("visit frequency")
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["measure", "kind", "start_on"], name="frequency_one_per_day"),
        ]

    def __str__(self) -> str:
        return f"{self.measure_id} {self.kind}: {self.code} from {self.start_on}"


class Supervisor(models.Model):
    """An independent supervisor (tilsynsfører) in the unit's register of supervisors."""

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="supervisors")
    name = models.CharField(_("name"), max_length=200)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("supervisor")
        ordering: ClassVar = ["name"]

    def __str__(self) -> str:
        return self.name


class SupervisionArrangement(models.Model):
    """Who supervises a placement from a date: the responsible municipality and the named supervisor."""

    measure = models.ForeignKey(Measure, on_delete=models.PROTECT, related_name="supervision")
    municipality_number = models.CharField(
        _("responsible municipality"), max_length=4, validators=[RegexValidator(r"^[0-9]{4}$")]
    )
    supervisor = models.ForeignKey(
        Supervisor, on_delete=models.PROTECT, null=True, blank=True, related_name="arrangements"
    )
    start_on = models.DateField(_("applies from"))
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    register_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)

    class Meta:
        verbose_name = _("supervision arrangement")

    def __str__(self) -> str:
        return f"{self.measure_id}: {self.municipality_number} from {self.start_on}"


class Visit(models.Model):
    """A completed follow-up or supervision visit; a supervision visit is followed by a report."""

    measure = models.ForeignKey(Measure, on_delete=models.PROTECT, related_name="visits")
    kind = models.CharField(_("kind"), max_length=20, choices=VisitKind.choices)
    visited_on = models.DateField(_("visited"))
    report_received_on = models.DateField(_("report received"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    register_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)

    class Meta:
        verbose_name = _("visit")
        indexes: ClassVar = [
            # Worklists and compliance: the latest visit of each kind of a placement.
            models.Index(fields=["measure", "kind", "visited_on"], name="visit_latest"),
        ]

    def __str__(self) -> str:
        return f"{str(self.get_kind_display()).capitalize()} {self.visited_on:%d.%m.%Y}"


class Relocation(models.Model):
    """A move out of a placement (Flytting), with the reason and where the child moved to."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="relocations")
    measure = models.ForeignKey(
        Measure, on_delete=models.PROTECT, null=True, blank=True, related_name="relocations"
    )
    moved_on = models.DateField(_("moved"))
    reason = models.CharField(_("reason for moving"), max_length=10)
    reason_specification = models.CharField(
        _("specification of reason"), max_length=SPECIFICATION_LENGTH, blank=True
    )
    destination = models.CharField(_("moved to"), max_length=10)
    destination_specification = models.CharField(
        _("specification of destination"), max_length=SPECIFICATION_LENGTH, blank=True
    )
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    register_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)

    class Meta:
        verbose_name = _("relocation")

    def __str__(self) -> str:
        return f"{_('Relocation')} {self.moved_on:%d.%m.%Y}"


class Plan(models.Model):
    """A plan (tiltaksplan, omsorgsplan, ...) by the register's plan type, with its evaluations."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="plans")
    plan_type = models.CharField(_("plan type"), max_length=2)
    start_on = models.DateField(_("in force from"))
    end_on = models.DateField(_("ended"), null=True, blank=True)
    summary = models.TextField(_("the plan"))
    child_views = models.TextField(_("the child's views"), blank=True)
    made_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    register_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)

    class Meta:
        verbose_name = _("plan")
        indexes: ClassVar = [
            # Worklists: a case's active plans (evaluations due, care plan present).
            models.Index(fields=["case", "plan_type"], name="plan_active", condition=Q(end_on__isnull=True)),
        ]

    def __str__(self) -> str:
        return _("%(what)s from %(day)s") % {
            "what": codes.text(paths.PLAN_TYPE, self.plan_type),
            "day": f"{self.start_on:%d.%m.%Y}",
        }


class PlanEvaluation(models.Model):
    """An evaluation of a plan (Plan/Evaluering)."""

    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="evaluations")
    done_on = models.DateField(_("evaluated"))
    note = models.TextField(_("what the evaluation found"), blank=True)
    by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    register_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)

    class Meta:
        verbose_name = _("plan evaluation")
        indexes: ClassVar = [
            # Worklists: the latest evaluation of each plan (plan_evaluation_due_expression).
            models.Index(fields=["plan", "-done_on"], name="evaluation_latest"),
        ]

    def __str__(self) -> str:
        return f"{self.plan_id}: {self.done_on}"


class Aftercare(models.Model):
    """An offer of aftercare (Ettervern) to a young person, and how it ended."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="aftercare")
    offered_on = models.DateField(_("offer sent"))
    concluded_on = models.DateField(_("concluded"), null=True, blank=True)
    conclusion = models.CharField(_("outcome"), max_length=2, blank=True)
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    register_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)

    class Meta:
        verbose_name = _("aftercare")

    def __str__(self) -> str:
        return f"{_('Aftercare')} {self.offered_on:%d.%m.%Y}"
