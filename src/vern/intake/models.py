"""Reports of concern (meldinger) and their review (gjennomgang)."""

from __future__ import annotations

import uuid
from typing import ClassVar

from django.db import models
from django.utils.translation import gettext_lazy as _

from vern.cases.models import Case
from vern.core.dates import local_date
from vern.core.models import SPECIFICATION_LENGTH, Unit, User
from vern.rules.deadlines import PROFESSIONAL_REPORTER_CODES

# The KS Fiks types of digital reports from public reporters (intake.digital.messages).
PUBLIC_MESSAGE_TYPES = (
    "no.ks.fiks.bekymringsmelding.offentlig.v1",
    "no.ks.fiks.bekymringsmelding.offentlig.v2",
)


class Channel(models.TextChoices):
    DIGITAL = "digital", _("national digital form")
    PHONE = "phone", _("phone")
    LETTER = "letter", _("letter")
    EMAIL = "email", _("e-mail")
    IN_PERSON = "in_person", _("in person")
    POLICE = "police", _("police")
    OUT_OF_HOURS = "out_of_hours", _("out-of-hours service")
    OTHER = "other", _("other")


class IngestClient(models.Model):
    """A system allowed to deliver digital reports of concern over HTTP (machine to machine).

    Only the SHA-256 of its token is stored; the token is shown once, when the client is created
    (``vern ingest_client``).
    """

    name = models.CharField(_("name"), max_length=200, unique=True)
    token_sha256 = models.CharField(max_length=64, unique=True)
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("ingest client")

    def __str__(self) -> str:
        return self.name


class InboundMessage(models.Model):
    """A digital report of concern exactly as it arrived (KS Fiks no.ks.fiks.bekymringsmelding).

    Written once, in the transaction that also registers its reports (or quarantines it) and
    queues its receipt; the database refuses any later UPDATE or DELETE (core.append_only). A
    message is never dropped: an invalid one is kept here with the reason, for intake to see.
    """

    class Status(models.TextChoices):
        ACCEPTED = "accepted", _("accepted")
        QUARANTINED = "quarantined", _("quarantined")

    class Source(models.TextChoices):
        FILE = "file", _("file")
        HTTP = "http", _("HTTP")
        FORM = "form", _("public form")

    message_id = models.CharField(_("message id"), max_length=100, unique=True)
    sha256 = models.CharField(max_length=64, unique=True)
    message_type = models.CharField(_("message type"), max_length=100, blank=True)
    body = models.BinaryField(_("the message"))
    pdf = models.BinaryField(_("PDF rendering"), null=True, blank=True)
    source = models.CharField(_("source"), max_length=10, choices=Source.choices)
    client = models.ForeignKey(
        IngestClient, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # For the public form's rate limit: a keyed hash of the sender's address, never the address itself.
    address_hash = models.CharField(max_length=64, blank=True, db_index=True)
    received_at = models.DateTimeField(_("received"))
    status = models.CharField(_("status"), max_length=20, choices=Status.choices)
    reason = models.TextField(_("reason"), blank=True)
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    # The reference the sender gets on the receipt (short, not identifying anyone).
    reference = models.CharField(_("reference"), max_length=20, unique=True)

    class Meta:
        verbose_name = _("digital report of concern")
        indexes: ClassVar = [
            # Intake's quarantine list, newest first.
            models.Index(fields=["status", "-received_at"], name="message_status_received"),
        ]

    def __str__(self) -> str:
        return self.reference


class Receipt(models.Model):
    """A receipt owed to the sender (mottatt or feilet), queued in the message's transaction.

    Sent after the commit by ``receipts_dispatch``; a receipt is never sent for something that was
    not stored, and one that was queued is sent again until it is marked sent.
    """

    class Kind(models.TextChoices):
        RECEIVED = "no.ks.fiks.bekymringsmelding.mottatt.v1", _("received")
        FAILED = "no.ks.fiks.bekymringsmelding.feilet.v1", _("failed")

    message = models.ForeignKey(InboundMessage, on_delete=models.PROTECT, related_name="receipts")
    kind = models.CharField(max_length=60, choices=Kind.choices)
    body = models.JSONField()
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("receipt")
        indexes: ClassVar = [
            # receipts_dispatch: the receipts not yet sent.
            models.Index(
                fields=["created_at"], name="receipt_unsent", condition=models.Q(sent_at__isnull=True)
            ),
        ]

    def __str__(self) -> str:
        return f"{self.message_id}: {self.kind}"


def feedback_owed_q() -> models.Q:
    """Reports whose reporter is owed feedback: a professional reporter code (rules.deadlines), or a
    digital report from a public reporter."""
    professional = ReportReporter.objects.filter(
        report_id=models.OuterRef("pk"), code__in=sorted(PROFESSIONAL_REPORTER_CODES)
    )
    return models.Q(models.Exists(professional)) | models.Q(message__message_type__in=PUBLIC_MESSAGE_TYPES)


class ConcernReport(models.Model):
    """A report of concern about a child (Melding). Once accepted it is never deleted."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="reports")
    received_at = models.DateTimeField(_("received"))
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices)
    text = models.TextField(_("the concern"))
    # None for a digital report of concern, which no person registered: see ``message``.
    registered_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    message = models.ForeignKey(
        InboundMessage, on_delete=models.PROTECT, null=True, blank=True, related_name="reports"
    )
    # Feedback is owed to a reporter in a public or professional capacity: derived from the reporter
    # codes and the digital message's type (feedback_owed_q), never stored.
    feedback_sent_on = models.DateField(_("feedback sent"), null=True, blank=True)
    feedback_text = models.TextField(_("feedback given"), blank=True)
    registered_at = models.DateTimeField(auto_now_add=True)
    possible_duplicate_of = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # Review (gjennomgang): Melding/Konklusjon in the register.
    review_concluded_on = models.DateField(_("review concluded"), null=True, blank=True)
    review_conclusion = models.CharField(_("review conclusion"), max_length=10, blank=True)
    reviewed_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    register_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)

    class Meta:
        verbose_name = _("report of concern")
        indexes: ClassVar = [
            # Worklists: open reviews of cases (Mine frister, Fristoversikt, intake list).
            models.Index(
                fields=["case", "received_at"],
                name="report_open_review",
                condition=models.Q(review_concluded_on__isnull=True),
            ),
        ]

    def __str__(self) -> str:
        return _("Report of concern received %(day)s") % {"day": f"{local_date(self.received_at):%d.%m.%Y}"}

    @property
    def is_reviewed(self) -> bool:
        return self.review_concluded_on is not None

    @property
    def owes_feedback(self) -> bool:
        """See ``feedback_owed_q`` (one query for this report)."""
        return ConcernReport.objects.filter(feedback_owed_q(), pk=self.pk).exists()


class ReportReporter(models.Model):
    """Who reported (Melding/Melder): a register code, with a specification where the code needs one."""

    report = models.ForeignKey(ConcernReport, on_delete=models.PROTECT, related_name="reporters")
    code = models.CharField(max_length=10)
    specification = models.CharField(max_length=SPECIFICATION_LENGTH, blank=True)

    def __str__(self) -> str:
        return self.code


class ReportContent(models.Model):
    """What the concern is about (Melding/Saksinnhold), as register codes."""

    report = models.ForeignKey(ConcernReport, on_delete=models.PROTECT, related_name="contents")
    code = models.CharField(max_length=10)
    specification = models.CharField(max_length=SPECIFICATION_LENGTH, blank=True)

    def __str__(self) -> str:
        return self.code
