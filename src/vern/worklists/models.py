"""The worklists' store: the deadlines of ``selectors.deadline_rows``, and the decisions waiting for
approval, kept in tables (ADR 0010).

Derived data, not case data: a case's rows are replaced whenever the case is stale, and can be
rebuilt from the facts at any time (``vern refresh_deadlines``). Nothing here is a source of truth.
"""

from __future__ import annotations

from typing import ClassVar

from django.db import models
from django.db.models import Q


class StoredDeadline(models.Model):
    """One row of ``selectors.DeadlineRow``: an open deadline (``concluded_on`` empty) or a step done
    after its due date (ADR 0014). The names of the child and the caseworker are read with the row."""

    kind = models.CharField(max_length=40)  # a key of selectors.KINDS
    object_id = models.BigIntegerField()
    # No database constraints: derived rows never hold back a change to what they are derived from.
    case = models.ForeignKey("cases.Case", on_delete=models.DO_NOTHING, db_constraint=False, related_name="+")
    # Read through the indexes below only.
    unit = models.ForeignKey(
        "core.Unit", on_delete=models.DO_NOTHING, db_constraint=False, db_index=False, related_name="+"
    )
    # Kept with the row (a change to either marks the case stale): the worklists sort and count by them.
    journal_number = models.CharField(max_length=36)
    breach_reason = models.CharField(max_length=40, blank=True, default="")
    start = models.DateField()
    due = models.DateField()
    concluded_on = models.DateField(null=True)
    extended = models.BooleanField(default=False)
    shown_from = models.DateField(null=True)
    shown_until = models.DateField(null=True)

    class Meta:
        indexes: ClassVar = [
            # Fristoversikt: a unit's open deadlines by due date (Mine frister reads by case).
            # With the window, so that counting reads the index alone.
            models.Index(
                fields=["unit", "due", "shown_from", "shown_until"],
                name="stored_open_unit_due",
                condition=Q(concluded_on=None),
            ),
            # Fristoversikt: breaches concluded late since a day.
            models.Index(
                fields=["unit", "concluded_on"],
                name="stored_late_unit",
                condition=Q(concluded_on__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.object_id}: {self.due}"


class StaleCase(models.Model):
    """A case whose stored deadlines may be out of date: written by database triggers on every table
    a deadline is computed from (worklists.stale), in the transaction of the change itself.

    ``effective_on`` is the day a change starts to count (a visit frequency from a later day); empty
    for at once. The store refreshes the case, and removes the mark, when it is read on or after it.
    """

    case_id = models.BigIntegerField()
    effective_on = models.DateField(null=True)

    class Meta:
        indexes: ClassVar = [models.Index(fields=["case_id"], name="stale_case")]

    def __str__(self) -> str:
        return f"{self.case_id} ({self.effective_on or 'now'})"


class StoredApproval(models.Model):
    """A decision waiting for a leader's approval (``selectors.approvals_waiting``), kept like the
    deadlines: the few waiting are found without reading the many decisions approved long ago."""

    decision = models.ForeignKey(
        "decisions.Decision", on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )
    case = models.ForeignKey("cases.Case", on_delete=models.DO_NOTHING, db_constraint=False, related_name="+")
    unit = models.ForeignKey("core.Unit", on_delete=models.DO_NOTHING, db_constraint=False, related_name="+")

    def __str__(self) -> str:
        return f"{self.decision_id}"
