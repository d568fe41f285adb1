"""The measure catalogue, referrals to providers and the assignments that follow.

A referral belongs to the ordering service's case, but the provider sees only what the referral
shares (the need, and the child's name and birth date); the ordering service sees the referral's
history and the provider's reports, never the provider's other clients. Both sides read the same
rows, so they always see the same status.
"""

from __future__ import annotations

import uuid
from typing import ClassVar

from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from vern.cases.models import Case
from vern.core.models import Unit, User
from vern.measures.models import Plan


class Method(models.TextChoices):
    MST = "mst", _("MST (multisystemic therapy)")
    FFT = "fft", _("FFT (functional family therapy)")
    PMTO = "pmto", _("PMTO (parent management training)")
    COS = "cos", _("COS (Circle of Security)")
    MARTE_MEO = "marte_meo", _("Marte Meo")
    TRYGG_BASE = "trygg_base", _("Trygg base")
    FAMILY_GROUP_CONFERENCE = "family_group_conference", _("family group conference")
    HOME_CONSULTANT = "home_consultant", _("home consultant")
    INSTITUTION = "institution", _("institution place")
    FOSTER_HOME = "foster_home", _("foster home")
    OTHER = "other", _("other")


class MeasureKind(models.TextChoices):
    COMPENSATING = "compensating", _("compensating")
    STRUCTURING = "structuring", _("structuring")


class CapacityUnit(models.TextChoices):
    PLACES = "places", _("places")
    HOURS_PER_MONTH = "hours_per_month", _("hours per month")


class PriceUnit(models.TextChoices):
    DAY = "day", _("per day")
    HOUR = "hour", _("per hour")
    ASSIGNMENT = "assignment", _("per assignment")


class EvidenceLevel(models.TextChoices):
    """How well the measure's effect is documented (after Ungsinn's levels, simplified)."""

    DOCUMENTED = "documented", _("documented effect")
    PROBABLE = "probable", _("probable effect")
    GROUNDED = "grounded", _("theoretically grounded")
    NOT_ASSESSED = "not_assessed", _("not assessed")


class CatalogueEntry(models.Model):
    """A measure a provider offers (one line of the tiltaksvifte), with its capacity and price."""

    provider = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="catalogue")
    # The same in every system that lists the measure: a referral message names the measure by it.
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(_("name"), max_length=150)
    description = models.TextField(_("description"), blank=True)
    method = models.CharField(_("method"), max_length=30, choices=Method.choices)
    kind = models.CharField(_("kind"), max_length=20, choices=MeasureKind.choices)
    target_group = models.CharField(_("target group"), max_length=300)
    age_from = models.PositiveSmallIntegerField(_("from age"), default=0)
    age_to = models.PositiveSmallIntegerField(_("to age"), default=23)
    # The register's Tiltak/Kategori of the measure the ordering service records when it starts.
    category = models.CharField(_("register category"), max_length=10)
    capacity = models.PositiveIntegerField(_("capacity"), validators=[MinValueValidator(1)])
    capacity_unit = models.CharField(_("capacity in"), max_length=20, choices=CapacityUnit.choices)
    price = models.DecimalField(_("price"), max_digits=10, decimal_places=2)
    price_unit = models.CharField(_("price"), max_length=20, choices=PriceUnit.choices)
    evidence_level = models.CharField(_("evidence"), max_length=20, choices=EvidenceLevel.choices)
    # Who may order it; none means every child welfare service.
    orderable_by = models.ManyToManyField(Unit, blank=True, related_name="+")
    active = models.BooleanField(_("offered"), default=True)
    # Oslo's rule: before buying this (private) measure, ask this central agency for an offer.
    ask_first = models.ForeignKey(
        Unit, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("ask first")
    )

    class Meta:
        ordering: ClassVar = ["name"]
        verbose_name = _("measure in the catalogue")

    def __str__(self) -> str:
        return self.name


class DeclineReason(models.TextChoices):
    CAPACITY = "capacity", _("no free capacity")
    TARGET_GROUP = "target_group", _("outside the target group")
    NOT_SUITABLE = "not_suitable", _("the measure does not suit the need")
    OTHER = "other", _("other")


class AgencyAnswer(models.TextChoices):
    NO_OFFER = "no_offer", _("the agency could not offer it")
    OFFERED = "offered", _("the agency offered it")
    PENDING = "pending", _("no answer yet")


class Referral(models.Model):
    """A service's order of a catalogue measure for a child, from the child's case."""

    class Status(models.TextChoices):
        ORDERED = "ordered", _("ordered")
        CALLED_BACK = "called_back", _("called back")
        WAITING = "waiting", _("on the waiting list")
        OFFERED = "offered", _("offer given")
        DECLINED = "declined", _("declined")
        WITHDRAWN = "withdrawn", _("withdrawn")
        STARTED = "started", _("assignment started")
        COMPLETED = "completed", _("completed")

    entry = models.ForeignKey(CatalogueEntry, on_delete=models.PROTECT, related_name="referrals")
    # None in the provider's system when the order came as a message: the case stays with the service.
    case = models.ForeignKey(Case, on_delete=models.PROTECT, null=True, blank=True, related_name="referrals")
    # The case's unit and the entry's provider when ordered (neither changes): the provider's intake
    # and both sides' statistics filter on them without joining the case or the catalogue.
    ordering_unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="referrals_made")
    provider = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="referrals_received")
    # None when the order came as a message from the ordering service's system.
    ordered_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    ordered_at = models.DateTimeField(_("ordered"))
    # What the referral shares with the provider: the child as ordered, the need, and whom to contact.
    child_name = models.CharField(_("child"), max_length=201)
    child_birth_date = models.DateField(_("birth date"))
    need = models.TextField(_("what the child and family need"))
    contact = models.CharField(_("contact in the ordering service"), max_length=200)
    wanted_start_on = models.DateField(_("wanted start"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.ORDERED)
    called_back_on = models.DateField(_("called back"), null=True, blank=True)
    offered_start_on = models.DateField(_("offered start"), null=True, blank=True)
    decline_reason = models.CharField(_("reason"), max_length=20, choices=DeclineReason.choices, blank=True)
    # For a measure whose catalogue entry says "ask the agency first": when it was asked, its answer.
    agency_asked_on = models.DateField(_("agency asked"), null=True, blank=True)
    agency_answer = models.CharField(
        _("agency's answer"), max_length=20, choices=AgencyAnswer.choices, blank=True
    )
    # For a referral between two systems: the id of its referral message (StartMeldingId of every
    # message about it), the same on both sides.
    exchange_id = models.UUIDField(null=True, blank=True, unique=True, editable=False)

    class Meta:
        verbose_name = _("referral")
        indexes: ClassVar = [
            # The provider's intake: its open referrals, oldest first.
            models.Index(fields=["provider", "status", "ordered_at"], name="referral_provider_status"),
        ]

    def __str__(self) -> str:
        return f"{_('Referral')} {self.pk}"


# The steps after which a referral is no longer open.
CLOSING_STATUSES = frozenset({Referral.Status.DECLINED, Referral.Status.WITHDRAWN, Referral.Status.COMPLETED})
OPEN_STATUSES = frozenset(
    {Referral.Status.ORDERED, Referral.Status.CALLED_BACK, Referral.Status.WAITING, Referral.Status.OFFERED}
)


class ReferralEvent(models.Model):
    """One step of a referral, as both sides see it: who did what, when, and what they wrote."""

    referral = models.ForeignKey(Referral, on_delete=models.PROTECT, related_name="events")
    status = models.CharField(_("status"), max_length=20, choices=Referral.Status.choices)
    at = models.DateTimeField(_("at"))
    # None for a step that came as a message from the other side's system.
    by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    by_unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering: ClassVar = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.referral_id}: {self.status}"


class Assignment(models.Model):
    """The time-limited work a provider does for an accepted referral (oppdrag)."""

    referral = models.OneToOneField(Referral, on_delete=models.PROTECT, related_name="assignment")
    start_meeting_on = models.DateField(_("start meeting"))
    starts_on = models.DateField(_("starts"))
    ends_on = models.DateField(_("agreed end"))
    evaluation_on = models.DateField(_("evaluation agreed for"))
    # For a measure whose capacity is hours a month: what this assignment takes of it.
    hours_per_month = models.PositiveSmallIntegerField(_("hours a month"), null=True, blank=True)
    ended_on = models.DateField(_("ended"), null=True, blank=True)
    # The catalogue's price when the assignment started: later price changes do not reach it.
    price = models.DecimalField(_("price"), max_digits=10, decimal_places=2)
    price_unit = models.CharField(_("price"), max_length=20, choices=PriceUnit.choices)

    class Meta:
        verbose_name = _("assignment")
        constraints: ClassVar = [
            models.CheckConstraint(condition=Q(ends_on__gte=models.F("starts_on")), name="assignment_period"),
        ]

    def __str__(self) -> str:
        return f"{_('Assignment')} {self.pk}"


class AssignmentReport(models.Model):
    """What the provider reports back to the ordering case: an evaluation, or the final report."""

    class Kind(models.TextChoices):
        EVALUATION = "evaluation", _("evaluation")
        FINAL = "final", _("final report")

    assignment = models.ForeignKey(Assignment, on_delete=models.PROTECT, related_name="reports")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    written_on = models.DateField(_("date"))
    text = models.TextField(_("report"))
    by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    # The ordering case's plan the report belongs to, chosen by the ordering caseworker.
    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, null=True, blank=True, related_name="+")

    class Meta:
        ordering: ClassVar = ["written_on", "pk"]

    def __str__(self) -> str:
        return f"{self.assignment_id}: {self.kind} {self.written_on}"


class DeliveredHours(models.Model):
    """Hours a provider delivered in a month on an assignment priced per hour (for the statement)."""

    assignment = models.ForeignKey(Assignment, on_delete=models.PROTECT, related_name="hours")
    month = models.DateField(_("month"))  # its first day
    hours = models.DecimalField(_("hours"), max_digits=6, decimal_places=1)
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["assignment", "month"], name="hours_one_per_month"),
        ]

    def __str__(self) -> str:
        return f"{self.assignment_id} {self.month:%m.%Y}: {self.hours}"


class MeasureBudget(models.Model):
    """What a service has budgeted for a year for measures bought from providers."""

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("year"))
    amount = models.DecimalField(_("budget (NOK)"), max_digits=14, decimal_places=2)
    set_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    set_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["unit", "year"], name="budget_one_per_year"),
        ]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.year}: {self.amount}"


class Message(models.Model):
    """A protocol message about a referral, sent to or received from a unit in another system
    (``referrals.exchange``). The bytes are kept as sent or as received; only the state moves."""

    class Direction(models.TextChoices):
        OUT = "out", _("sent")
        IN = "in", _("received")

    class State(models.TextChoices):
        QUEUED = "queued", _("waiting to be sent")
        SENT = "sent", _("sent")
        RECEIVED = "received", _("registered by the recipient")
        FAILED = "failed", _("refused by the recipient")
        APPLIED = "applied", _("registered")
        REJECTED = "rejected", _("refused")

    message_id = models.UUIDField(unique=True, editable=False)
    direction = models.CharField(max_length=3, choices=Direction.choices)
    kind = models.CharField(_("message"), max_length=30)
    # The unit on the other side; None for a received message whose sender could not be read.
    counterpart = models.ForeignKey(Unit, on_delete=models.PROTECT, null=True, related_name="+")
    referral = models.ForeignKey(
        Referral, on_delete=models.PROTECT, null=True, blank=True, related_name="messages"
    )
    # OppfolgingAvMelding/MeldingId: the message this one answers or follows up.
    reply_to = models.UUIDField(null=True, blank=True)
    body = models.BinaryField()
    state = models.CharField(_("state"), max_length=10, choices=State.choices)
    # Why the message was refused: by us (a received one) or by the recipient (a sent one).
    error = models.TextField(_("error"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering: ClassVar = ["created_at", "pk"]
        indexes: ClassVar = [
            # The dispatcher's queue: what is still to be sent, oldest first.
            models.Index(fields=["state", "created_at"], name="message_state_created"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.message_id}"
