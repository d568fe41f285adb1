"""Reports of concern (meldinger) and their review (gjennomgang)."""

from __future__ import annotations

import uuid
from typing import ClassVar

from django.db import models
from django.utils.translation import gettext_lazy as _

from vern.cases.models import Case
from vern.core.models import User


class Channel(models.TextChoices):
    DIGITAL = "digital", _("national digital form")
    PHONE = "phone", _("phone")
    LETTER = "letter", _("letter")
    EMAIL = "email", _("e-mail")
    IN_PERSON = "in_person", _("in person")
    POLICE = "police", _("police")
    OUT_OF_HOURS = "out_of_hours", _("out-of-hours service")
    OTHER = "other", _("other")


class ConcernReport(models.Model):
    """A report of concern about a child (Melding). Once accepted it is never deleted."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="reports")
    received_at = models.DateTimeField(_("received"))
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices)
    text = models.TextField(_("the concern"))
    registered_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
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
        return f"{_('Report')} {self.pk}"

    @property
    def is_reviewed(self) -> bool:
        return self.review_concluded_on is not None


class ReportReporter(models.Model):
    """Who reported (Melding/Melder): a register code, with a specification where the code needs one."""

    report = models.ForeignKey(ConcernReport, on_delete=models.PROTECT, related_name="reporters")
    code = models.CharField(max_length=10)
    specification = models.CharField(max_length=300, blank=True)

    def __str__(self) -> str:
        return self.code


class ReportContent(models.Model):
    """What the concern is about (Melding/Saksinnhold), as register codes."""

    report = models.ForeignKey(ConcernReport, on_delete=models.PROTECT, related_name="contents")
    code = models.CharField(max_length=10)
    specification = models.CharField(max_length=300, blank=True)

    def __str__(self) -> str:
        return self.code
