"""Deadline worklists, computed in the database from facts (never from stored due dates).

The due-date expressions mirror ``vern.rules.deadlines``; tests/worklists/test_due_dates_agree.py
proves they agree on both database backends.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Case as When_
from django.db.models import Exists, F, OuterRef, Q, QuerySet, Subquery, Value, When
from django.db.models.functions import TruncDate

from vern.cases.models import Case
from vern.core.dates import OSLO
from vern.core.db import AddDays, AddMonths
from vern.core.models import DeadlineBreach
from vern.intake.models import ConcernReport
from vern.investigations.models import DeadlineExtension, Investigation
from vern.rules import deadlines

REVIEW = deadlines.REVIEW.name
INVESTIGATION = deadlines.INVESTIGATION.name


def review_due_expression() -> AddDays:
    return AddDays(TruncDate("received_at", tzinfo=OSLO), deadlines.REVIEW.days or 0)


def investigation_due_expression() -> AddMonths:
    extended = Exists(DeadlineExtension.objects.filter(investigation_id=OuterRef("pk")))
    months = When_(
        When(extended, then=Value(deadlines.INVESTIGATION_EXTENDED.months)),
        default=Value(deadlines.INVESTIGATION.months),
    )
    return AddMonths("started_on", months)


@dataclass(frozen=True)
class CaseScope:
    """The cases a worklist covers, as a filter usable from any model with a path to its case.

    Filtering items through a join on their own case (``case__unit_id=...``) rather than
    ``case__in=<subquery>`` lets PostgreSQL start from the unit's or caseworker's index.
    """

    unit_ids: tuple[int, ...] = ()
    case_id: int | None = None
    # Cases assigned to or shared with this user.
    caseworker_id: int | None = None
    open_only: bool = False

    def q(self, path: str = "case") -> Q:
        prefix = f"{path}__" if path else ""
        scope = Q()
        if self.unit_ids:
            scope &= Q(**{f"{prefix}unit_id__in": self.unit_ids})
        if self.case_id is not None:
            scope &= Q(**{f"{prefix}pk": self.case_id})
        if self.caseworker_id is not None:
            shared = Case.shared_with.through.objects.filter(
                case_id=OuterRef(f"{path}_id" if path else "pk"), user_id=self.caseworker_id
            )
            scope &= Q(**{f"{prefix}caseworker_id": self.caseworker_id}) | Q(Exists(shared))
        if self.open_only:
            scope &= Q(**{f"{prefix}closed_on__isnull": True})
        return scope


def _breach_reason(clock: str) -> Subquery:
    return Subquery(DeadlineBreach.objects.filter(clock=clock, object_id=OuterRef("pk")).values("reason")[:1])


def reviews_with_due(scope: CaseScope) -> QuerySet[ConcernReport]:
    return ConcernReport.objects.filter(scope.q()).annotate(
        due=review_due_expression(), breach_reason=_breach_reason(deadlines.REVIEW.name)
    )


def investigations_with_due(scope: CaseScope) -> QuerySet[Investigation]:
    return Investigation.objects.filter(scope.q()).annotate(
        due=investigation_due_expression(), breach_reason=_breach_reason(deadlines.INVESTIGATION.name)
    )


@dataclass(frozen=True)
class DeadlineRow:
    kind: str  # the clock: "review" or "investigation"
    object_id: int
    case_id: int
    journal_number: str
    child_name: str
    caseworker: str
    start: date
    due: date
    concluded_on: date | None
    status: deadlines.DeadlineStatus
    breach_reason: str | None
    extended: bool = False

    @property
    def needs_reason(self) -> bool:
        return self.status in (deadlines.DeadlineStatus.OVERDUE, deadlines.DeadlineStatus.BREACHED) and not (
            self.breach_reason
        )


_CASE_FIELDS = (
    "pk",
    "case_id",
    "due",
    "breach_reason",
    "case__journal_number",
    "case__child__first_name",
    "case__child__last_name",
    "case__caseworker__first_name",
    "case__caseworker__last_name",
)


def _name(first: str | None, last: str | None) -> str:
    return " ".join(part for part in (first, last) if part)


def _row(
    kind: str,
    v: dict[str, Any],
    *,
    start: date,
    concluded_on: date | None,
    today: date,
    extended: bool = False,
) -> DeadlineRow:
    return DeadlineRow(
        kind=kind,
        object_id=v["pk"],
        case_id=v["case_id"],
        journal_number=v["case__journal_number"],
        child_name=f"{v['case__child__first_name']} {v['case__child__last_name']}".strip(),
        caseworker=_name(v["case__caseworker__first_name"], v["case__caseworker__last_name"]),
        start=start,
        due=v["due"],
        concluded_on=concluded_on,
        status=deadlines.status(due=v["due"], concluded_on=concluded_on, today=today),
        breach_reason=v["breach_reason"],
        extended=extended,
    )


def _sorted(rows: list[DeadlineRow]) -> list[DeadlineRow]:
    return sorted(rows, key=lambda row: (row.due, row.journal_number))


def open_deadlines(scope: CaseScope, *, today: date) -> list[DeadlineRow]:
    """Every open statutory clock of the given cases, soonest due first."""
    reviews = (
        reviews_with_due(scope).filter(review_concluded_on__isnull=True).values("received_at", *_CASE_FIELDS)
    )
    investigations = (
        investigations_with_due(scope)
        .filter(concluded_on__isnull=True)
        .annotate(extended=Exists(DeadlineExtension.objects.filter(investigation_id=OuterRef("pk"))))
        .values("started_on", "extended", *_CASE_FIELDS)
    )
    return _sorted(
        [
            _row(REVIEW, r, start=r["received_at"].astimezone(OSLO).date(), concluded_on=None, today=today)
            for r in reviews
        ]
        + [
            _row(
                INVESTIGATION,
                i,
                start=i["started_on"],
                concluded_on=None,
                today=today,
                extended=i["extended"],
            )
            for i in investigations
        ]
    )


def group_by_status(rows: list[DeadlineRow]) -> dict[str, list[DeadlineRow]]:
    groups: dict[str, list[DeadlineRow]] = {"overdue": [], "due_soon": [], "later": []}
    for row in rows:
        key = {
            deadlines.DeadlineStatus.OVERDUE: "overdue",
            deadlines.DeadlineStatus.DUE_SOON: "due_soon",
        }.get(row.status, "later")
        groups[key].append(row)
    return groups


@dataclass(frozen=True)
class BreachSummary:
    rows: list[DeadlineRow]
    by_reason: Counter[str]


def breaches(scope: CaseScope, *, open_rows: list[DeadlineRow], since: date, today: date) -> BreachSummary:
    """Missed deadlines: open and overdue now (of ``open_rows``), or concluded late on or after ``since``."""
    late_reviews = (
        reviews_with_due(scope)
        .filter(review_concluded_on__gte=since, review_concluded_on__gt=F("due"))
        .values("received_at", "review_concluded_on", *_CASE_FIELDS)
    )
    late_investigations = (
        investigations_with_due(scope)
        .filter(concluded_on__gte=since, concluded_on__gt=F("due"))
        .values("started_on", "concluded_on", *_CASE_FIELDS)
    )
    rows = _sorted(
        [r for r in open_rows if r.status == deadlines.DeadlineStatus.OVERDUE]
        + [
            _row(
                REVIEW,
                r,
                start=r["received_at"].astimezone(OSLO).date(),
                concluded_on=r["review_concluded_on"],
                today=today,
            )
            for r in late_reviews
        ]
        + [
            _row(INVESTIGATION, i, start=i["started_on"], concluded_on=i["concluded_on"], today=today)
            for i in late_investigations
        ]
    )
    return BreachSummary(rows=rows, by_reason=Counter(r.breach_reason or "" for r in rows))
