"""Mine frister and Fristoversikt read their deadlines from a table, not from the facts (ADR 0010).

A large unit has thousands of open deadlines; computing them all from the facts on each request
(``selectors.deadline_rows``) costs the database alone more than a page may take. The store keeps
what that computation gives, per case, and is brought up to date before every read: a database
trigger marks a case stale in the same transaction as any change to a fact its deadlines come from
(``worklists.stale``), and the reader recomputes the stale cases first. So a page never shows a
deadline older than the last committed change.

Rows depend on the day only through their windows (``shown_from``, ``shown_until``, filtered when
read) and the visit frequency in force, whose start marks its case stale from that day.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, cast

from django.core.paginator import Page, Paginator
from django.db import transaction
from django.db.models import Count, Q, QuerySet

from vern.cases.models import Case
from vern.core.bulk import Table
from vern.core.parallel import collector_paused
from vern.decisions.models import Decision
from vern.rules import deadlines
from vern.worklists import selectors
from vern.worklists.models import StaleCase, StoredApproval, StoredDeadline
from vern.worklists.selectors import (
    CLOCKS_WITH_REASONS,
    CaseScope,
    DeadlineRow,
    deadline_rows,
    name_of,
)

# Cases recomputed per transaction when stale (locked while they are).
CHUNK = 500


# -- keeping the store


def _due_marks(today: date) -> QuerySet[StaleCase]:
    return StaleCase.objects.filter(Q(effective_on__isnull=True) | Q(effective_on__lte=today))


def _store_approvals(scope: CaseScope, unit_of: dict[int, int]) -> None:
    table = Table(StoredApproval)
    for decision, case in selectors.approvals_waiting(scope).values_list("pk", "case_id"):
        table.add(decision=decision, case=case, unit=unit_of[case])
    table.insert()


def _store(rows: Iterable[DeadlineRow], unit_of: dict[int, int]) -> None:
    table = Table(StoredDeadline)
    for r in rows:
        table.add(
            kind=r.kind,
            object_id=r.object_id,
            case=r.case_id,
            unit=unit_of[r.case_id],
            journal_number=r.journal_number,
            breach_reason=r.breach_reason or "",
            start=r.start,
            due=r.due,
            concluded_on=r.concluded_on,
            extended=r.extended,
            shown_from=r.shown_from,
            shown_until=r.shown_until,
        )
    table.insert()


def _recompute(cases: CaseScope, unit_of: dict[int, int], *, today: date) -> int:
    """Store the rows of ``cases`` (whose units ``unit_of`` gives), their old rows already removed;
    the number of deadlines stored."""
    rows = deadline_rows(cases, today=today)
    _store(rows, unit_of)
    _store_approvals(cases, unit_of)
    return len(rows)


def _in_scope(cases: set[int], scope: CaseScope) -> set[int]:
    """Which of ``cases`` a reader of ``scope`` shows: for a unit, the cases in it now and those whose
    stored rows still count to it (a case moved to another unit)."""
    if scope.case_ids is not None:
        return cases & set(scope.case_ids)
    if scope.case_id is not None:
        return cases & {scope.case_id}
    found: set[int] = set()
    ordered = sorted(cases)
    for start in range(0, len(ordered), CHUNK):
        chunk = ordered[start : start + CHUNK]
        found |= set(
            Case.objects.filter(pk__in=chunk, unit_id__in=scope.unit_ids).values_list("pk", flat=True)
        )
        found |= set(
            StoredDeadline.objects.filter(case_id__in=chunk, unit_id__in=scope.unit_ids).values_list(
                "case_id", flat=True
            )
        )
    return found


def bring_up_to_date(*, today: date, scope: CaseScope | None = None) -> int:
    """Recompute the cases marked stale by ``today`` (those of ``scope``, or all); how many.

    The cases are locked while they are recomputed, so two readers never store a case twice; a
    reader that waited finds the marks gone and does nothing. A change committed meanwhile leaves a
    mark of its own for the next reader. A reader recomputes only what it shows: after a large
    import each unit's first page pays for its own cases, not for the whole import. The cycle
    collector is paused meanwhile (core.parallel): a chunk of cases is many small objects.
    """
    with collector_paused():
        return _bring_up_to_date(today=today, scope=scope)


def _bring_up_to_date(*, today: date, scope: CaseScope | None) -> int:
    stale = set(_due_marks(today).values_list("case_id", flat=True))
    if scope is not None and stale:
        stale = _in_scope(stale, scope)
    ordered = sorted(stale)
    done = 0
    for start in range(0, len(ordered), CHUNK):
        chunk = ordered[start : start + CHUNK]
        with transaction.atomic():
            unit_of = dict(
                Case.objects.select_for_update()
                .filter(pk__in=chunk)
                .order_by("pk")
                .values_list("pk", "unit_id")
            )
            marks = list(_due_marks(today).filter(case_id__in=chunk).values_list("pk", flat=True))
            if not marks:
                continue
            StoredDeadline.objects.filter(case_id__in=chunk).delete()
            StoredApproval.objects.filter(case_id__in=chunk).delete()
            _recompute(CaseScope(case_ids=tuple(unit_of)), unit_of, today=today)
            StaleCase.objects.filter(pk__in=marks).delete()
            done += len(unit_of)
    return done


def rebuild(*, today: date) -> int:
    """Recompute every case, a unit at a time; the number of rows stored. Marks for later days stay."""
    with transaction.atomic():
        marks = list(_due_marks(today).values_list("pk", flat=True))
        StoredDeadline.objects.all().delete()
        StoredApproval.objects.all().delete()
        stored = 0
        for unit_id in Case.objects.order_by().values_list("unit_id", flat=True).distinct():
            unit_of = dict(Case.objects.filter(unit_id=unit_id).values_list("pk", "unit_id"))
            stored += _recompute(CaseScope(unit_ids=(unit_id,)), unit_of, today=today)
        for start in range(0, len(marks), 10_000):
            StaleCase.objects.filter(pk__in=marks[start : start + 10_000]).delete()
    return stored


# -- reading it


def _scope_q(scope: CaseScope) -> Q:
    """``scope`` on the stored rows' own columns (the unit is stored with each row)."""
    q = Q()
    if scope.unit_ids:
        q &= Q(unit_id__in=scope.unit_ids)
    if scope.case_id is not None:
        q &= Q(case_id=scope.case_id)
    if scope.case_ids is not None:
        q &= Q(case_id__in=scope.case_ids)
    if scope.open_only:
        q &= Q(case__closed_on__isnull=True)
    return q


def _shown(today: date) -> Q:
    return (Q(shown_from__isnull=True) | Q(shown_from__lte=today)) & (
        Q(shown_until__isnull=True) | Q(shown_until__gt=today)
    )


def _fresh(scope: CaseScope, today: date) -> QuerySet[StoredDeadline]:
    scope = scope.resolved()
    bring_up_to_date(today=today, scope=scope)
    return StoredDeadline.objects.filter(_scope_q(scope))


def _open(rows: QuerySet[StoredDeadline], today: date) -> QuerySet[StoredDeadline]:
    return rows.filter(_shown(today), concluded_on__isnull=True)


_ORDER = ("due", "journal_number", "kind", "object_id")
_VALUES = (
    "kind",
    "object_id",
    "case_id",
    "journal_number",
    "start",
    "due",
    "concluded_on",
    "extended",
    "shown_from",
    "shown_until",
    "breach_reason",
    "case__child__first_name",
    "case__child__last_name",
    "case__caseworker__first_name",
    "case__caseworker__last_name",
)


def _rows(rows: QuerySet[StoredDeadline], today: date) -> list[DeadlineRow]:
    return [
        DeadlineRow(
            kind=v["kind"],
            object_id=v["object_id"],
            case_id=v["case_id"],
            journal_number=v["journal_number"],
            child_name=name_of(v["case__child__first_name"], v["case__child__last_name"]),
            caseworker=name_of(v["case__caseworker__first_name"], v["case__caseworker__last_name"]),
            start=v["start"],
            due=v["due"],
            concluded_on=v["concluded_on"],
            status=deadlines.status(due=v["due"], concluded_on=v["concluded_on"], today=today),
            breach_reason=v["breach_reason"] or None,
            extended=v["extended"],
            shown_from=v["shown_from"],
            shown_until=v["shown_until"],
        )
        for v in rows.order_by(*_ORDER).values(*_VALUES)
    ]


def open_deadlines(scope: CaseScope, *, today: date, kinds: Iterable[str] | None = None) -> list[DeadlineRow]:
    """``selectors.open_deadlines``, from the store: every open deadline shown today, soonest first."""
    rows = _open(_fresh(scope, today), today)
    return _rows(rows.filter(kind__in=list(kinds)) if kinds is not None else rows, today)


class _Counted:
    """Rows whose number is known, as a Paginator takes them: it asks no COUNT of its own, and reads
    a page by its keys first (sorted in the store's own table), then with the names."""

    def __init__(self, rows: QuerySet[StoredDeadline], count: int, today: date) -> None:
        self.rows, self.n, self.today = rows, count, today

    def count(self) -> int:
        return self.n

    def __getitem__(self, window: slice) -> list[DeadlineRow]:
        keys = list(self.rows.order_by(*_ORDER).values_list("pk", flat=True)[window])
        return _rows(StoredDeadline.objects.filter(pk__in=keys), self.today)


def _page(
    rows: QuerySet[StoredDeadline], count: int, *, page: str | None, per_page: int, today: date
) -> Page[Any]:
    return Paginator(cast("Sequence[Any]", _Counted(rows, count, today)), per_page).get_page(page)


@dataclass(frozen=True)
class Overview:
    """Fristoversikt: the open deadlines counted by status, a page each of those due soon and of the
    breaches (counted by reason), and the decisions waiting for approval."""

    overdue: int
    due_soon_count: int
    later: int
    due_soon: Page[Any]
    breaches: Page[Any]
    by_reason: Counter[str]
    approvals: list[Decision]

    @property
    def breach_total(self) -> int:
        return self.by_reason.total()


def overview(
    scope: CaseScope,
    *,
    today: date,
    since: date,
    per_page: int,
    due_soon_page: str | None = None,
    breach_page: str | None = None,
) -> Overview:
    """Everything counted is counted by the database; only the rows listed are read."""
    soon = today + timedelta(days=deadlines.DUE_SOON_DAYS)
    stored = _fresh(scope, today)
    open_rows = _open(stored, today)
    # Counted by "due", in the index with the window: the index alone is read.
    counts = open_rows.aggregate(
        overdue=Count("due", filter=Q(due__lt=today)),
        due_soon=Count("due", filter=Q(due__gte=today, due__lte=soon)),
        later=Count("due", filter=Q(due__gt=soon)),
    )
    due_soon = _page(
        open_rows.filter(due__gte=today, due__lte=soon),
        counts["due_soon"],
        page=due_soon_page,
        per_page=per_page,
        today=today,
    )
    # Still open past the due date, or concluded late (the store keeps only late ones) since ``since``.
    missed = stored.filter(kind__in=sorted(CLOCKS_WITH_REASONS)).filter(
        Q(concluded_on__isnull=True, due__lt=today) | Q(concluded_on__gte=since)
    )
    by_reason: Counter[str] = Counter()
    for reason, n in missed.order_by().values_list("breach_reason").annotate(n=Count("due")):
        by_reason[reason or ""] += n
    breaches = _page(missed, by_reason.total(), page=breach_page, per_page=per_page, today=today)
    return Overview(
        overdue=counts["overdue"],
        due_soon_count=counts["due_soon"],
        later=counts["later"],
        due_soon=due_soon,
        breaches=breaches,
        by_reason=by_reason,
        approvals=list(
            Decision.objects.filter(
                pk__in=StoredApproval.objects.filter(_scope_q(scope.resolved())).values("decision_id")
            )
            .select_related("case", "case__child", "made_by")
            .order_by("decided_on", "pk")
        ),
    )


def overdue_cases(scope: CaseScope, *, today: date) -> QuerySet[StoredDeadline, Any]:
    """The cases of ``scope`` with an open deadline past its due date today, as a subquery of case
    ids (the case list's filter), the store brought up to date first like every reader."""
    return _open(_fresh(scope, today), today).filter(due__lt=today).values("case_id")
