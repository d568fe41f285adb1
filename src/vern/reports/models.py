"""What the reports need besides the case data: the population each unit serves, the groups of
units compared with each other, and the text a leader writes into the annual status report."""

from __future__ import annotations

from typing import ClassVar

from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from vern.core.models import Unit, User


class UnitGroup(models.Model):
    """Units whose figures are compared side by side: a city's districts, a region's services.

    A leader or auditor of any unit in the group sees the group's figures (aggregates only, no case).
    """

    name = models.CharField(_("name"), max_length=150, unique=True)
    units = models.ManyToManyField(Unit, related_name="report_groups")

    class Meta:
        ordering: ClassVar = ["name"]
        verbose_name = _("comparison group")

    def __str__(self) -> str:
        return self.name


class Population(models.Model):
    """Children 0–17 living in a unit's area in a year (e.g. Statistics Norway's table 07459 as of
    1 January), the denominator of the rates per 1,000 children. Imported from CSV."""

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="populations")
    year = models.PositiveSmallIntegerField(_("year"))
    children = models.PositiveIntegerField(_("children 0–17"), validators=[MinValueValidator(1)])
    source = models.CharField(_("source"), max_length=200, blank=True)
    imported_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("population")
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["unit", "year"], name="population_one_per_year"),
        ]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.year}: {self.children}"


class ReportText(models.Model):
    """A section of the annual status report written by the unit's leader before it is presented."""

    class Section(models.TextChoices):
        SUMMARY = "summary", _("Summary")
        ASSESSMENT = "assessment", _("The leader's assessment of the service")
        GOALS = "goals", _("Goals and measures for the coming year")

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("year"))
    section = models.CharField(_("section"), max_length=20, choices=Section.choices)
    text = models.TextField(_("text"), blank=True)
    written_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    written_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("status report text")
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["unit", "year", "section"], name="report_text_one_per_section"),
        ]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.year} {self.section}"
