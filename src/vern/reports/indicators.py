"""The indicators of the monthly report, the annual status report and the variation between units.

Each indicator has a key, a label and its definition in words (shown in the reports' appendix),
and is computed in the database for a set of units over several periods at once: one query per
family of indicators, with one conditional aggregate per period (``COUNT(...) FILTER``), so a
five-year report or a twelve-month trend costs the same number of queries as one period.

Definitions are those of ``../shared/DOMAIN.md`` ("Indicators"); codes are the register's
(``Kodelister.md``). A share keeps its numerator and denominator. Visits are the exception to
"computed in the database": what is owed depends on each placement's frequencies over the period
(``rules.visits.required_visits``), so the database returns the placements, frequencies and visits
(three queries) and the rule counts.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models import Value as SqlValue
from django.db.models.functions import Coalesce
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from vern.cases.models import Case
from vern.core.dates import OSLO
from vern.core.db import AddMonths
from vern.core.models import DeadlineBreach, Membership, Role
from vern.decisions.models import Decision
from vern.intake.models import ConcernReport, ReportReporter
from vern.investigations.models import DeadlineExtension, Investigation
from vern.measures.models import Measure, Plan, PlanEvaluation, VisitKind
from vern.measures.selectors import visit_history
from vern.referrals.models import CLOSING_STATUSES, Referral, ReferralEvent
from vern.rules import ages, conclusions, deadlines, plans, visits
from vern.rules import measures as measure_rules
from vern.rules.deadlines import add_months
from vern.worklists.selectors import INVESTIGATION as INVESTIGATION_CLOCK
from vern.worklists.selectors import (
    REVIEW,
    birthday_expression,
    emergency_q,
    investigation_due_expression,
    plan_evaluation_due_expression,
    review_due_expression,
)

# DOMAIN.md "plans evaluated": an evaluation in the last three months.
PLAN_EVALUATED_MONTHS = 3
# The breach reason of a late item for which none was recorded.
NO_REASON = "none"


# -- periods


@dataclass(frozen=True)
class Period:
    """A stretch of days, both ends included: a calendar year or month."""

    start: date
    end: date
    label: str

    @property
    def start_at(self) -> datetime:
        return datetime.combine(self.start, time.min, OSLO)

    @property
    def end_before(self) -> datetime:
        """The first moment after the period, in Oslo."""
        return datetime.combine(self.end + timedelta(days=1), time.min, OSLO)


def year(y: int) -> Period:
    return Period(date(y, 1, 1), date(y, 12, 31), str(y))


def month(y: int, m: int) -> Period:
    first = date(y, m, 1)
    return Period(first, add_months(first, 1) - timedelta(days=1), f"{first:%m.%Y}")


# The earliest year a report may be asked for.
FIRST_YEAR = 2000


def previous_month(day: date) -> Period:
    """The last whole month before ``day``."""
    last = date(day.year, day.month, 1) - timedelta(days=1)
    return month(last.year, last.month)


def parse_year(text: str, *, latest: int) -> int | None:
    """A year from FIRST_YEAR up to ``latest``, or None."""
    return int(text) if text.isdigit() and FIRST_YEAR <= int(text) <= latest else None


def parse_month(text: str, *, latest: date) -> Period | None:
    """``YYYY-MM`` from January of FIRST_YEAR up to the month of ``latest``, or None."""
    year_text, _sep, month_text = text.partition("-")
    if not (
        year_text.isdigit() and month_text.isdigit() and len(year_text) == 4 and 1 <= int(month_text) <= 12
    ):
        return None
    chosen = month(int(year_text), int(month_text))
    return chosen if chosen.start.year >= FIRST_YEAR and chosen.start <= latest else None


def years_ending(y: int, count: int) -> list[Period]:
    return [year(y - count + 1 + i) for i in range(count)]


def months_ending(y: int, m: int, count: int) -> list[Period]:
    """The ``count`` calendar months up to and including month ``m`` of year ``y``."""
    last = y * 12 + m - 1
    return [month(n // 12, n % 12 + 1) for n in range(last - count + 1, last + 1)]


# -- values


@dataclass(frozen=True)
class Share:
    numerator: int
    denominator: int

    @property
    def value(self) -> float | None:
        return self.numerator / self.denominator if self.denominator else None


@dataclass(frozen=True)
class Ratio:
    """A quotient that is not a share (e.g. children per full-time caseworker)."""

    numerator: int
    denominator: Decimal

    @property
    def value(self) -> float | None:
        return float(self.numerator / self.denominator) if self.denominator else None


@dataclass(frozen=True)
class Distribution:
    """Counts per code, and their total: each code's share is its count ÷ the total."""

    counts: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def share(self, code: str) -> Share:
        return Share(self.counts.get(code, 0), self.total)


Figure = int | Share | Ratio | Distribution


# -- definitions


@dataclass(frozen=True)
class Indicator:
    key: str
    label: str | Promise
    definition: str | Promise
    family: str


def _d(key: str, family: str, label: str | Promise, definition: str | Promise) -> Indicator:
    return Indicator(key, label, definition, family)


INDICATORS: tuple[Indicator, ...] = (
    _d("reports_received", "reports", _("Reports received"), _("Reports of concern received in the period.")),
    _d(
        "reports_concluded",
        "reports",
        _("Reports reviewed"),
        _("Reports of concern whose review was concluded in the period."),
    ),
    _d(
        "reports_closed_share",
        "reports",
        _("Share of reports closed"),
        _(
            "Of the reports reviewed in the period, those whose conclusion neither sends the report to "
            "investigation (code 2) nor records it as received during an ongoing investigation (code 4): "
            "conclusion codes 1, 3 and 5–10."
        ),
    ),
    _d(
        "reports_reviewed_in_time_share",
        "reports",
        _("Share of reports reviewed in time"),
        _(
            "Of the reports reviewed in the period, those whose review was concluded at most 7 days after "
            "the day the report was received."
        ),
    ),
    _d(
        "reporter_shares",
        "reporters",
        _("Who reported"),
        _(
            "Over all reporter entries of the reports received in the period (a report may have several "
            "reporters), the share of each reporter code."
        ),
    ),
    _d(
        "investigations_started",
        "investigations",
        _("Investigations started"),
        _("Investigations with a start date in the period."),
    ),
    _d(
        "investigations_concluded",
        "investigations",
        _("Investigations concluded"),
        _("Investigations concluded in the period."),
    ),
    _d(
        "investigations_closed_share",
        "investigations",
        _("Share of investigations closed"),
        _(
            "Of the investigations concluded in the period, those with conclusion codes 3–9 (everything "
            "but measures decided by the service and an application to the county board)."
        ),
    ),
    _d(
        "investigations_in_time_share",
        "investigations",
        _("Share of investigations concluded in time"),
        _(
            "Of the investigations concluded in the period, those concluded at most 3 calendar months "
            "after the investigation started, or at most 6 months where an extension was granted."
        ),
    ),
    _d(
        "investigations_within_3_months_share",
        "investigations",
        _("Share of investigations concluded within 3 months (KOSTRA)"),
        _(
            "Of the investigations concluded in the period, those concluded at most 3 calendar months after "
            "the investigation started, whether or not an extension was granted: Statistics Norway's "
            "KOSTRA indicator (“undersøkelser med behandlingstid innen 3 måneder”), which differs from "
            "the statutory one above for extended investigations."
        ),
    ),
    _d(
        "investigations_extended_share",
        "investigations",
        _("Share of investigations extended"),
        _("Of the investigations concluded in the period, those with a granted extension to 6 months."),
    ),
    _d(
        "review_breaches_by_reason",
        "breaches",
        _("Reviews concluded late, by reason"),
        _(
            "Reports reviewed in the period more than 7 days after receipt, by the reason recorded for "
            "the breach (“none” where no reason was recorded)."
        ),
    ),
    _d(
        "investigation_breaches_by_reason",
        "breaches",
        _("Investigations concluded late, by reason"),
        _(
            "Investigations concluded in the period after their deadline, by the reason recorded for the "
            "breach (“none” where no reason was recorded)."
        ),
    ),
    _d(
        "emergency_placements",
        "decisions",
        _("Emergency placements"),
        _(
            "Decisions made in the period under BVL2021 § 4-2 or § 4-4 (before 2023: BVL 1992 § 4-6 second "
            "paragraph or § 4-25 second paragraph)."
        ),
    ),
    _d(
        "measures_active",
        "measures",
        _("Measures active"),
        _("Measures active on at least one day of the period."),
    ),
    _d(
        "placements_active",
        "measures",
        _("Placements active"),
        _(
            "Placement measures (categories 1.1, 1.2, 1.99, 2.1–2.6, 2.99, and 8.2 while valid) active on "
            "at least one day of the period."
        ),
    ),
    _d(
        "children_with_measures",
        "measures",
        _("Children with measures"),
        _("Distinct cases with a measure active on at least one day of the period."),
    ),
    _d(
        "children_placed_share",
        "measures",
        _("Share of children with measures who were placed"),
        _(
            "Of the children with measures, those with a placement measure (categories 1.1, 1.2, 1.99, "
            "2.1–2.6, 2.99, and 8.2 while valid) active on at least one day of the period."
        ),
    ),
    _d(
        "children_with_measures_in_home",
        "measures",
        _("Children with measures in the home only"),
        _("Children with measures in the period who had no placement measure active in it."),
    ),
    _d(
        "children_in_aftercare",
        "measures",
        _("Young adults in aftercare"),
        _(
            "Distinct cases with a measure active on a day of the period on or after the child's 18th "
            "birthday."
        ),
    ),
    _d(
        "children_with_plan_share",
        "plans",
        _("Share of children with measures who have a plan"),
        _(
            "Children with a measure active on the last day of the period who then have an active plan, "
            "of the children with a measure active on that day."
        ),
    ),
    _d(
        "plans_evaluated_share",
        "plans",
        _("Share of plans for help measures evaluated"),
        _(
            "Plans for help measures (plan type 1) active on the last day of the period with an evaluation "
            "at most 3 calendar months before that day, of the plans for help measures active on that day."
        ),
    ),
    _d(
        "plan_evaluations_done",
        "plans",
        _("Plan evaluations done"),
        _("Evaluations of plans for help measures (plan type 1) done in the period."),
    ),
    _d(
        "plans_evaluation_overdue",
        "plans",
        _("Plans with an evaluation overdue"),
        _(
            "Plans for help measures active on the last day of the period whose next evaluation (the unit's "
            "interval after the start or the latest evaluation by then) was due before that day."
        ),
    ),
    _d(
        "follow_up_visits_done_share",
        "visits",
        _("Follow-up visits done of those owed"),
        _(
            "Follow-up visits in foster homes in the 12 months up to the last day of the period, of the "
            "visits owed by each placement's frequency (each child counted up to what it was owed)."
        ),
    ),
    _d(
        "follow_up_children_met_share",
        "visits",
        _("Children in foster homes with all follow-up visits done"),
        _(
            "Children owed follow-up visits in the 12 months up to the last day of the period who had at "
            "least the visits their frequency required, of the children owed visits."
        ),
    ),
    _d(
        "supervision_visits_done_share",
        "visits",
        _("Supervision visits done of those owed"),
        _(
            "Supervision visits in foster homes in the 12 months up to the last day of the period, of the "
            "visits owed by each placement's frequency (each child counted up to what it was owed)."
        ),
    ),
    _d(
        "supervision_children_met_share",
        "visits",
        _("Children in foster homes with all supervision visits done"),
        _(
            "Children owed supervision visits in the 12 months up to the last day of the period who had at "
            "least the visits their frequency required, of the children owed visits."
        ),
    ),
    _d(
        "referrals_ordered",
        "referrals",
        _("Referrals to providers ordered"),
        _("Measures the unit ordered from a provider (the catalogue) in the period."),
    ),
    _d(
        "referrals_open",
        "referrals",
        _("Open referrals to providers"),
        _(
            "Referrals the unit had ordered by the last day of the period that the provider had not yet "
            "declined or completed, nor the unit withdrawn, by then (waiting for an answer, on the waiting "
            "list, offered or running)."
        ),
    ),
    _d(
        "caseload",
        "caseload",
        _("Children per caseworker"),
        _(
            "Children with an open investigation or an active measure on the last day of the period, per "
            "full-time equivalent of the unit's caseworkers (their current memberships)."
        ),
    ),
)
BY_KEY: dict[str, Indicator] = {i.key: i for i in INDICATORS}


# -- computing


@dataclass(frozen=True)
class Scope:
    unit_ids: tuple[int, ...]
    periods: tuple[Period, ...]

    @property
    def first(self) -> date:
        return min(p.start for p in self.periods)

    @property
    def last(self) -> date:
        return max(p.end for p in self.periods)


Results = dict[str, list[Figure]]


Counts = dict[str, list[int]]


def _aggregate(qs: QuerySet[Any], scope: Scope, columns: dict[str, Callable[[Period], Any]]) -> Counts:
    """One query: for each column and period, ``columns[name](period)`` as an aggregate."""
    aggregates = {
        f"{name}__{i}": make(period)
        for name, make in columns.items()
        for i, period in enumerate(scope.periods)
    }
    row = qs.aggregate(**aggregates)
    return {name: [row[f"{name}__{i}"] or 0 for i in range(len(scope.periods))] for name in columns}


def _counts(counts: Counts, *keys: str) -> Results:
    return {key: list[Figure](counts[key]) for key in keys}


def _shares(counts: Counts, numerator: str, denominator: str) -> list[Figure]:
    return [Share(n, d) for n, d in zip(counts[numerator], counts[denominator], strict=True)]


def _closes(field: str, not_closing: frozenset[str]) -> Q:
    """A conclusion that closes the item (rules.conclusions): any code but those that go on."""
    return ~Q(**{field: ""}) & ~Q(**{f"{field}__in": sorted(not_closing)})


def _reports(scope: Scope) -> Results:
    qs = ConcernReport.objects.filter(case__unit_id__in=scope.unit_ids).filter(
        Q(received_at__gte=datetime.combine(scope.first, time.min, OSLO), received_at__lt=_after(scope.last))
        | Q(review_concluded_on__range=(scope.first, scope.last))
    )
    qs = qs.annotate(review_due=review_due_expression())

    def received(p: Period) -> Q:
        return Q(received_at__gte=p.start_at, received_at__lt=p.end_before)

    def concluded(p: Period) -> Q:
        return Q(review_concluded_on__range=(p.start, p.end))

    raw = _aggregate(
        qs,
        scope,
        {
            "reports_received": lambda p: Count("pk", filter=received(p)),
            "reports_concluded": lambda p: Count("pk", filter=concluded(p)),
            "closed": lambda p: Count(
                "pk", filter=concluded(p) & _closes("review_conclusion", conclusions.REVIEW_NOT_CLOSING)
            ),
            "in_time": lambda p: Count(
                "pk", filter=concluded(p) & Q(review_concluded_on__lte=F("review_due"))
            ),
        },
    )
    return _counts(raw, "reports_received", "reports_concluded") | {
        "reports_closed_share": _shares(raw, "closed", "reports_concluded"),
        "reports_reviewed_in_time_share": _shares(raw, "in_time", "reports_concluded"),
    }


def _after(day: date) -> datetime:
    return datetime.combine(day + timedelta(days=1), time.min, OSLO)


def _distributions(rows: Iterable[dict[str, Any]], key: str, scope: Scope) -> list[Figure]:
    counts: list[dict[str, int]] = [{} for _ in scope.periods]
    for row in rows:
        for i in range(len(scope.periods)):
            if row[f"p{i}"]:
                counts[i][str(row[key])] = row[f"p{i}"]
    return [Distribution(dict(sorted(c.items(), key=lambda kv: _code_order(kv[0])))) for c in counts]


def _code_order(code: str) -> tuple[int, str]:
    head = code.split(".", maxsplit=1)[0]
    return (int(head) if head.isdigit() else 10_000, code)


def _reporters(scope: Scope) -> Results:
    qs = ReportReporter.objects.filter(
        report__case__unit_id__in=scope.unit_ids,
        report__received_at__gte=datetime.combine(scope.first, time.min, OSLO),
        report__received_at__lt=_after(scope.last),
    )
    per_period = {
        f"p{i}": Count(
            "pk", filter=Q(report__received_at__gte=p.start_at, report__received_at__lt=p.end_before)
        )
        for i, p in enumerate(scope.periods)
    }
    rows = qs.values("code").annotate(**per_period).order_by()
    return {"reporter_shares": _distributions(rows, "code", scope)}


def _investigations(scope: Scope) -> Results:
    qs = Investigation.objects.filter(case__unit_id__in=scope.unit_ids).filter(
        Q(started_on__range=(scope.first, scope.last)) | Q(concluded_on__range=(scope.first, scope.last))
    )
    extended = Exists(DeadlineExtension.objects.filter(investigation_id=OuterRef("pk")))
    three = AddMonths("started_on", deadlines.INVESTIGATION.months or 0)
    qs = qs.annotate(due=investigation_due_expression(), due_3=three, extended=extended)

    def concluded(p: Period) -> Q:
        return Q(concluded_on__range=(p.start, p.end))

    raw = _aggregate(
        qs,
        scope,
        {
            "investigations_started": lambda p: Count("pk", filter=Q(started_on__range=(p.start, p.end))),
            "investigations_concluded": lambda p: Count("pk", filter=concluded(p)),
            "closed": lambda p: Count(
                "pk",
                filter=concluded(p) & _closes("conclusion", conclusions.INVESTIGATION_LEADING_TO_MEASURES),
            ),
            "in_time": lambda p: Count("pk", filter=concluded(p) & Q(concluded_on__lte=F("due"))),
            "within_3": lambda p: Count("pk", filter=concluded(p) & Q(concluded_on__lte=F("due_3"))),
            "extended": lambda p: Count("pk", filter=concluded(p) & Q(extended=True)),
        },
    )
    return _counts(raw, "investigations_started", "investigations_concluded") | {
        "investigations_closed_share": _shares(raw, "closed", "investigations_concluded"),
        "investigations_in_time_share": _shares(raw, "in_time", "investigations_concluded"),
        "investigations_within_3_months_share": _shares(raw, "within_3", "investigations_concluded"),
        "investigations_extended_share": _shares(raw, "extended", "investigations_concluded"),
    }


def _breach_reason(clock: str) -> Coalesce:
    reason = DeadlineBreach.objects.filter(clock=clock, object_id=OuterRef("pk")).values("reason")[:1]
    return Coalesce(Subquery(reason), SqlValue(NO_REASON))


def _late_by_reason(scope: Scope, qs: QuerySet[Any], field: str, due: Any, clock: str) -> list[Figure]:
    """Items concluded (``field``) in each period after their ``due`` date, by the breach's reason."""
    per_period = {
        f"p{i}": Count("pk", filter=Q(**{f"{field}__range": (p.start, p.end)}))
        for i, p in enumerate(scope.periods)
    }
    rows = (
        qs.filter(case__unit_id__in=scope.unit_ids, **{f"{field}__range": (scope.first, scope.last)})
        .annotate(due=due)
        .filter(**{f"{field}__gt": F("due")})
        .annotate(reason=_breach_reason(clock))
        .values("reason")
        .annotate(**per_period)
        .order_by()
    )
    return _distributions(rows, "reason", scope)


def _breaches(scope: Scope) -> Results:
    return {
        "review_breaches_by_reason": _late_by_reason(
            scope, ConcernReport.objects.all(), "review_concluded_on", review_due_expression(), REVIEW
        ),
        "investigation_breaches_by_reason": _late_by_reason(
            scope,
            Investigation.objects.all(),
            "concluded_on",
            investigation_due_expression(),
            INVESTIGATION_CLOCK,
        ),
    }


def _decisions(scope: Scope) -> Results:
    qs = Decision.objects.filter(
        emergency_q(placements_only=True),
        case__unit_id__in=scope.unit_ids,
        decided_on__range=(scope.first, scope.last),
    )
    counts = _aggregate(
        qs,
        scope,
        {"emergency_placements": lambda p: Count("pk", filter=Q(decided_on__range=(p.start, p.end)))},
    )
    return _counts(counts, "emergency_placements")


def _active(p: Period) -> Q:
    """Active on at least one day of ``p``."""
    return Q(start_on__lte=p.end) & (Q(end_on__isnull=True) | Q(end_on__gte=p.start))


def _active_on(day: date) -> Q:
    return Q(start_on__lte=day) & (Q(end_on__isnull=True) | Q(end_on__gte=day))


def _open_on(day: date) -> Q:
    """An investigation open on ``day``."""
    return Q(started_on__lte=day) & (Q(concluded_on__isnull=True) | Q(concluded_on__gt=day))


def _measures(scope: Scope) -> Results:
    qs = Measure.objects.filter(case__unit_id__in=scope.unit_ids).filter(
        Q(start_on__lte=scope.last) & (Q(end_on__isnull=True) | Q(end_on__gte=scope.first))
    )
    qs = qs.annotate(adult_on=birthday_expression("case__child__birth_date", ages.ADULT_AGE))
    placement = Q(category__in=sorted(measure_rules.PLACEMENT_CATEGORIES))
    # Active on a day on or after the 18th birthday: the birthday falls before the period's end, and
    # the measure had not ended before the birthday.
    adult = Q(adult_on__lte=F("end_on")) | Q(end_on__isnull=True)

    def children(q: Q) -> Count:
        return Count("case_id", filter=q, distinct=True)

    raw = _aggregate(
        qs,
        scope,
        {
            "measures_active": lambda p: Count("pk", filter=_active(p)),
            "placements_active": lambda p: Count("pk", filter=_active(p) & placement),
            "children_with_measures": lambda p: children(_active(p)),
            "placed": lambda p: children(_active(p) & placement),
            "children_in_aftercare": lambda p: children(_active(p) & Q(adult_on__lte=p.end) & adult),
        },
    )
    raw["children_with_measures_in_home"] = [
        total - placed for total, placed in zip(raw["children_with_measures"], raw["placed"], strict=True)
    ]
    keys = (
        "measures_active",
        "placements_active",
        "children_with_measures",
        "children_with_measures_in_home",
    )
    return _counts(raw, *keys, "children_in_aftercare") | {
        "children_placed_share": _shares(raw, "placed", "children_with_measures")
    }


def _plans(scope: Scope) -> Results:
    measures = Measure.objects.filter(case__unit_id__in=scope.unit_ids).filter(
        Q(start_on__lte=scope.last) & (Q(end_on__isnull=True) | Q(end_on__gte=scope.first))
    )

    def with_plan(day: date) -> Q:
        plan = Plan.objects.filter(_active_on(day), case_id=OuterRef("case_id"))
        return _active_on(day) & Q(Exists(plan))

    raw = _aggregate(
        measures,
        scope,
        {
            "with_measure": lambda p: Count("case_id", filter=_active_on(p.end), distinct=True),
            "with_plan": lambda p: Count("case_id", filter=with_plan(p.end), distinct=True),
        },
    )
    out: Results = {"children_with_plan_share": _shares(raw, "with_plan", "with_measure")}

    help_plans = Plan.objects.filter(
        case__unit_id__in=scope.unit_ids, plan_type=plans.HELP_MEASURE_PLAN, start_on__lte=scope.last
    ).filter(Q(end_on__isnull=True) | Q(end_on__gte=scope.first))

    # Per period, from the evaluations made by its last day: whether one is at most 3 months old, and
    # when the next one falls due. As annotations: the aggregate then only compares columns.
    for i, p in enumerate(scope.periods):
        recent = PlanEvaluation.objects.filter(
            plan_id=OuterRef("pk"),
            done_on__lte=p.end,
            done_on__gte=deadlines.subtract_months(p.end, PLAN_EVALUATED_MONTHS),
        )
        help_plans = help_plans.annotate(
            **{f"evaluated_{i}": Exists(recent), f"due_{i}": plan_evaluation_due_expression(as_of=p.end)}
        )
    index = {p: i for i, p in enumerate(scope.periods)}

    def evaluated(p: Period) -> Q:
        return _active_on(p.end) & Q(**{f"evaluated_{index[p]}": True})

    def overdue(p: Period) -> Q:
        return _active_on(p.end) & Q(**{f"due_{index[p]}__lt": p.end})

    raw = _aggregate(
        help_plans,
        scope,
        {
            "help_plans": lambda p: Count("pk", filter=_active_on(p.end)),
            "evaluated": lambda p: Count("pk", filter=evaluated(p)),
            "plans_evaluation_overdue": lambda p: Count("pk", filter=overdue(p)),
        },
    )
    out["plans_evaluated_share"] = _shares(raw, "evaluated", "help_plans")
    out |= _counts(raw, "plans_evaluation_overdue")
    done = _aggregate(
        PlanEvaluation.objects.filter(
            plan__case__unit_id__in=scope.unit_ids,
            plan__plan_type=plans.HELP_MEASURE_PLAN,
            done_on__range=(scope.first, scope.last),
        ),
        scope,
        {"plan_evaluations_done": lambda p: Count("pk", filter=Q(done_on__range=(p.start, p.end)))},
    )
    return out | _counts(done, "plan_evaluations_done")


def _visits(scope: Scope) -> Results:
    """rules.visits over the 12 months up to each period's last day, for every foster-home placement."""
    windows = [visits.rolling_year(p.end) for p in scope.periods]
    first = min(w[0] for w in windows)
    homes = list(
        Measure.objects.filter(
            case__unit_id__in=scope.unit_ids,
            category__in=sorted(measure_rules.FOSTER_HOME_CATEGORIES),
            start_on__lte=scope.last,
        )
        .filter(Q(end_on__isnull=True) | Q(end_on__gte=first))
        .values_list("pk", "start_on", "end_on")
    )
    history = visit_history([pk for pk, _, _ in homes], since=first)
    frequencies, done = history.frequencies, history.done
    raw: Results = {}
    for kind, name in ((VisitKind.FOLLOW_UP, "follow_up"), (VisitKind.SUPERVISION, "supervision")):
        visit_shares: list[Figure] = []
        children_shares: list[Figure] = []
        for window in windows:
            tally = visits.Tally()
            for pk, start_on, end_on in homes:
                tally.add(
                    visits.compliance(
                        placed=(start_on, end_on),
                        frequencies=frequencies[(pk, kind)],
                        visits=done[(pk, kind)],
                        period=window,
                    )
                )
            visit_shares.append(Share(tally.counted, tally.required))
            children_shares.append(Share(tally.children_met, tally.children))
        raw[f"{name}_visits_done_share"] = visit_shares
        raw[f"{name}_children_met_share"] = children_shares
    return raw


def _followed_up_q(day: date) -> Q:
    """Cases with an open investigation or an active measure on ``day``."""
    investigation = Investigation.objects.filter(_open_on(day), case_id=OuterRef("pk"))
    measure = Measure.objects.filter(_active_on(day), case_id=OuterRef("pk"))
    return Q(Exists(investigation)) | Q(Exists(measure))


def caseworker_fte(unit_ids: Sequence[int]) -> Decimal:
    total = Membership.objects.filter(
        unit_id__in=unit_ids, role=Role.CASEWORKER, user__is_active=True
    ).aggregate(fte=Sum("fte"))["fte"]
    return total or Decimal(0)


def _caseload(scope: Scope) -> Results:
    """Children followed up on each period's last day: with an active measure, plus with an open
    investigation, less those with both (counted from the measures and investigations of the window,
    not from every case of the unit)."""
    window = Period(scope.first, scope.last, "")
    measures = Measure.objects.filter(_active(window), case__unit_id__in=scope.unit_ids)
    investigations = Investigation.objects.filter(
        case__unit_id__in=scope.unit_ids, started_on__lte=scope.last
    ).filter(Q(concluded_on__isnull=True) | Q(concluded_on__gte=scope.first))
    index = {p: i for i, p in enumerate(scope.periods)}
    both = measures
    for i, p in enumerate(scope.periods):
        open_then = Investigation.objects.filter(_open_on(p.end), case_id=OuterRef("case_id"))
        both = both.annotate(**{f"investigated_{i}": Exists(open_then)})
    counts = _aggregate(
        measures, scope, {"measured": lambda p: Count("case_id", filter=_active_on(p.end), distinct=True)}
    )
    counts |= _aggregate(
        investigations,
        scope,
        {"investigated": lambda p: Count("case_id", filter=_open_on(p.end), distinct=True)},
    )
    counts |= _aggregate(
        both,
        scope,
        {
            "both": lambda p: Count(
                "case_id", filter=_active_on(p.end) & Q(**{f"investigated_{index[p]}": True}), distinct=True
            )
        },
    )
    fte = caseworker_fte(scope.unit_ids)
    followed = [
        m + i - b for m, i, b in zip(counts["measured"], counts["investigated"], counts["both"], strict=True)
    ]
    return {"caseload": [Ratio(n, fte) for n in followed]}


def _referrals(scope: Scope) -> Results:
    qs = Referral.objects.filter(ordering_unit_id__in=scope.unit_ids, ordered_at__lt=_after(scope.last))
    for i, p in enumerate(scope.periods):
        ended = ReferralEvent.objects.filter(
            referral_id=OuterRef("pk"), status__in=CLOSING_STATUSES, at__lt=p.end_before
        )
        qs = qs.annotate(**{f"ended_{i}": Exists(ended)})
    index = {p: i for i, p in enumerate(scope.periods)}
    counts = _aggregate(
        qs,
        scope,
        {
            "referrals_ordered": lambda p: Count(
                "pk", filter=Q(ordered_at__gte=p.start_at, ordered_at__lt=p.end_before)
            ),
            "referrals_open": lambda p: Count(
                "pk", filter=Q(ordered_at__lt=p.end_before) & Q(**{f"ended_{index[p]}": False})
            ),
        },
    )
    return _counts(counts, "referrals_ordered", "referrals_open")


FAMILIES: dict[str, Callable[[Scope], Results]] = {
    "reports": _reports,
    "reporters": _reporters,
    "investigations": _investigations,
    "breaches": _breaches,
    "decisions": _decisions,
    "measures": _measures,
    "plans": _plans,
    "visits": _visits,
    "caseload": _caseload,
    "referrals": _referrals,
}


def compute(unit_ids: Iterable[int], periods: Sequence[Period], keys: Iterable[str] | None = None) -> Results:
    """Every indicator of ``keys`` (all by default) for the units together, one value per period."""
    scope = Scope(tuple(sorted(set(unit_ids))), tuple(periods))
    wanted = list(keys) if keys is not None else [i.key for i in INDICATORS]
    results: Results = {}
    for family in dict.fromkeys(BY_KEY[k].family for k in wanted):
        results |= FAMILIES[family](scope)
    return {key: results[key] for key in wanted}


def caseload_per_caseworker(unit_ids: Sequence[int], day: date) -> list[dict[str, Any]]:
    """Children followed up on ``day`` per assigned caseworker, with their full-time equivalents."""
    counts = dict(
        Case.objects.filter(_followed_up_q(day), unit_id__in=unit_ids, caseworker__isnull=False)
        .values("caseworker_id")
        .annotate(n=Count("pk"))
        .values_list("caseworker_id", "n")
    )
    memberships = (
        Membership.objects.filter(unit_id__in=unit_ids, role=Role.CASEWORKER)
        .select_related("user")
        .order_by("user__last_name", "user__first_name")
    )
    rows = []
    seen = set()
    for membership in memberships:
        user = membership.user
        if user.pk in seen:
            continue
        seen.add(user.pk)
        rows.append(
            {
                "name": user.get_full_name() or user.username,
                "fte": membership.fte,
                "children": counts.get(user.pk, 0),
                "ratio": Ratio(counts.get(user.pk, 0), membership.fte),
            }
        )
    return rows


def as_json(value: Figure) -> Any:
    """A value for JSON: counts as numbers, shares as fractions (null without a denominator)."""
    if isinstance(value, Distribution):
        return {code: value.share(code).value for code in value.counts}
    if isinstance(value, Share | Ratio):
        return value.value
    return value


def json_indicators(results: Results, index: int) -> dict[str, Any]:
    """The ``indicators`` object of the status report's JSON for one period: each share also as its
    ``<key>_numerator`` and ``<key>_denominator``."""
    out: dict[str, Any] = {}
    for key, values in results.items():
        value = values[index]
        out[key] = as_json(value)
        if isinstance(value, Share):
            out[f"{key}_numerator"] = value.numerator
            out[f"{key}_denominator"] = value.denominator
        elif isinstance(value, Ratio):
            out[f"{key}_numerator"] = value.numerator
            out[f"{key}_denominator"] = float(value.denominator)
        elif isinstance(value, Distribution):
            out[f"{key}_numerator"] = dict(value.counts)
            out[f"{key}_denominator"] = value.total
    return out
