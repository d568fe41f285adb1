"""Plans (planer): which plans are evaluated, and when the next evaluation is due.

Plan types are the register's (Kodelister.md, Plan/@Plantype). No Django import.
"""

from __future__ import annotations

from datetime import date

from vern.rules.deadlines import add_months

HELP_MEASURE_PLAN = "1"  # Tiltaksplan etter BVL2021 § 8-1
CARE_PLAN = "4"  # Omsorgsplan etter BVL2021 § 8-3
AFTERCARE_PLAN = "5"  # Tiltaksplan – ettervern etter BVL2021 § 8-5
INVESTIGATION_PLAN = "7"  # Undersøkelsesplan etter BVL2021 § 2-2

# BVL2021 § 8-1: a plan for help measures "skal evalueres jevnlig"; Bufdir's guidance says quarterly.
# The interval is the unit's setting (Unit.plan_evaluation_months); this is its default.
DEFAULT_EVALUATION_MONTHS = 3
EVALUATED_PLAN_TYPES: frozenset[str] = frozenset({HELP_MEASURE_PLAN})


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
