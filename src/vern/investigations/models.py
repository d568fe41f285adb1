"""Investigations (undersøkelser): three months, six with a recorded extension (BVL2021 § 2-2)."""

from __future__ import annotations

import uuid
from typing import ClassVar

from django.db import models
from django.utils.translation import gettext_lazy as _

from vern.cases.models import Case
from vern.core.models import SPECIFICATION_LENGTH, User
from vern.intake.models import ConcernReport


class Investigation(models.Model):
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="investigations")
    # The report whose review sent the case to investigation (register Relasjon Melding -> Undersokelse).
    report = models.OneToOneField(ConcernReport, on_delete=models.PROTECT, related_name="investigation")
    # Derived from the review: the register defines the start as the review's conclusion date.
    started_on = models.DateField(_("started"))
    opened_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    # Investigation plan (plan type 7, BVL2021 § 2-2 third paragraph).
    plan_made_on = models.DateField(_("investigation plan made"), null=True, blank=True)
    plan_text = models.TextField(_("investigation plan"), blank=True)
    # The child's participation (BarnetsMedvirkning), required before concluding.
    participation_code = models.CharField(_("child's participation"), max_length=10, blank=True)
    participation_on = models.DateField(_("participation recorded for"), null=True, blank=True)
    participation_note = models.TextField(_("the child's views"), blank=True)
    concluded_on = models.DateField(_("concluded"), null=True, blank=True)
    conclusion = models.CharField(_("conclusion"), max_length=10, blank=True)
    conclusion_specification = models.CharField(
        _("specification of conclusion"), max_length=SPECIFICATION_LENGTH, blank=True
    )
    concluded_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    register_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)

    class Meta:
        verbose_name = _("investigation")
        indexes: ClassVar = [
            # Worklists: open investigations of cases (Mine frister, Fristoversikt).
            models.Index(
                fields=["case", "started_on"],
                name="investigation_open",
                condition=models.Q(concluded_on__isnull=True),
            ),
        ]

    def __str__(self) -> str:
        return _("Investigation started %(day)s") % {"day": f"{self.started_on:%d.%m.%Y}"}

    @property
    def is_extended(self) -> bool:
        return hasattr(self, "extension")


class DeadlineExtension(models.Model):
    """The decision to extend an investigation to six months "i særlige tilfeller": who, when, why."""

    investigation = models.OneToOneField(Investigation, on_delete=models.PROTECT, related_name="extension")
    decided_on = models.DateField(_("decided"))
    reason = models.TextField(_("reason"))
    decided_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("deadline extension")

    def __str__(self) -> str:
        return f"{self.investigation}: {self.decided_on}"


class DecisionBasis(models.Model):
    """Vedtaksgrunnlag: the case-content codes the conclusion rests on."""

    investigation = models.ForeignKey(Investigation, on_delete=models.PROTECT, related_name="basis")
    code = models.CharField(max_length=10)
    specification = models.CharField(max_length=SPECIFICATION_LENGTH, blank=True)

    def __str__(self) -> str:
        return self.code
