"""Plans (planer): which plans are evaluated, and when the next evaluation is due.

Plan types are the register's (Kodelister.md, Plan/@Plantype). No Django import.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from vern.rules.deadlines import Missed, add_months

HELP_MEASURE_PLAN = "1"  # Tiltaksplan etter BVL2021 § 8-1
CARE_PLAN = "4"  # Omsorgsplan etter BVL2021 § 8-3
AFTERCARE_PLAN = "5"  # Tiltaksplan – ettervern etter BVL2021 § 8-5
INVESTIGATION_PLAN = "7"  # Undersøkelsesplan etter BVL2021 § 2-2

# BVL2021 § 8-1: a plan for help measures "skal evalueres jevnlig"; Bufdir's guidance says quarterly.
# The interval is the unit's setting (Unit.plan_evaluation_months); this is its default.
DEFAULT_EVALUATION_MONTHS = 3
EVALUATED_PLAN_TYPES: frozenset[str] = frozenset({HELP_MEASURE_PLAN})
# The clocks, as worklists and breach records name them.
EVALUATION_CLOCK = "plan_evaluation"
CARE_PLAN_CLOCK = "care_plan"


def is_evaluated(plan_type: str) -> bool:
    return plan_type in EVALUATED_PLAN_TYPES


def evaluation_due(*, started_on: date, last_evaluated_on: date | None, months: int) -> date:
    """The next evaluation of a plan: ``months`` after its start or its latest evaluation.

    Source: BVL2021 § 8-1 ("evalueres jevnlig") with the unit's interval (3 months by default).
    """
    if months <= 0:
        raise ValueError("the evaluation interval must be a positive number of months")
    anchor = started_on if last_evaluated_on is None else max(started_on, last_evaluated_on)
    return add_months(anchor, months)


def care_plan_due(care_order_started_on: date) -> date:
    """A care order requires a care plan (BVL2021 § 8-3): due from the day the care order starts.

    The old act allowed a provisional plan first and a full care plan within two years (BVL1992
    § 4-15); DOMAIN.md marks whether such a period remains as *verify*, so none is assumed.
    """
    return care_order_started_on


def late_evaluations(*, started_on: date, evaluations: Sequence[date], months: int) -> list[Missed]:
    """The evaluations done after their due date, one per missed due date (ADR 0014).

    An evaluation on day ``d`` was due ``months`` after the latest earlier evaluation, or after the
    plan's start (:func:`evaluation_due`); several on one day close one interval.
    """
    missed = []
    last: date | None = None
    for day in sorted(set(evaluations)):
        due = evaluation_due(started_on=started_on, last_evaluated_on=last, months=months)
        if day > due:
            missed.append(
                Missed(start=started_on if last is None else max(started_on, last), due=due, done=day)
            )
        last = day
    return missed


def care_plan_late(
    *, placed: tuple[date, date | None], care_plans: Sequence[tuple[date, date | None]]
) -> date | None:
    """The day a care order's care plan came, when that was after it was due; None when in time or
    not (yet) made.

    ``placed`` is the care-order placement (start, end); ``care_plans`` the case's care plans (start,
    end). The care plan is the first one in force during the placement: one made for an earlier
    placement and still in force covers it (BVL2021 § 8-3, :func:`care_plan_due`).
    """
    start, end = placed
    during = [s for s, e in care_plans if (e is None or e >= start) and (end is None or s <= end)]
    first = min(during, default=None)
    return first if first is not None and first > care_plan_due(start) else None
