"""Plan evaluations: every N months from the start or the latest evaluation."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from vern.rules import plans
from vern.rules.deadlines import Missed, add_months


def test_first_evaluation_is_three_months_after_the_start() -> None:
    assert plans.evaluation_due(started_on=date(2026, 1, 31), last_evaluated_on=None, months=3) == date(
        2026, 4, 30
    )


def test_the_latest_evaluation_restarts_the_clock() -> None:
    due = plans.evaluation_due(started_on=date(2026, 1, 1), last_evaluated_on=date(2026, 3, 15), months=3)
    assert due == date(2026, 6, 15)


@given(
    st.dates(date(2020, 1, 1), date(2030, 1, 1)),
    st.none() | st.dates(date(2020, 1, 1), date(2030, 1, 1)),
    st.integers(1, 12),
)
def test_due_is_the_interval_after_the_later_of_start_and_evaluation(
    start: date, last: date | None, months: int
) -> None:
    due = plans.evaluation_due(started_on=start, last_evaluated_on=last, months=months)
    assert due == add_months(max(start, last or start), months)
    assert due > start


def test_interval_must_be_positive() -> None:
    with pytest.raises(ValueError, match="positive"):
        plans.evaluation_due(started_on=date(2026, 1, 1), last_evaluated_on=None, months=0)


def test_only_help_measure_plans_are_evaluated_by_default() -> None:
    assert plans.is_evaluated("1")
    assert not plans.is_evaluated("4")


def test_each_evaluation_after_its_due_date_is_one_breach() -> None:
    start = date(2026, 1, 31)
    done = [date(2026, 4, 30), date(2026, 9, 1), date(2026, 9, 1), date(2026, 11, 1)]
    assert plans.late_evaluations(started_on=start, evaluations=done, months=3) == [
        Missed(start=date(2026, 4, 30), due=date(2026, 7, 30), done=date(2026, 9, 1))
    ]


def test_a_care_plan_after_the_care_order_started_is_late() -> None:
    placed = (date(2026, 3, 1), None)
    assert plans.care_plan_late(placed=placed, care_plans=[]) is None
    assert plans.care_plan_late(placed=placed, care_plans=[(date(2026, 3, 1), None)]) is None
    assert plans.care_plan_late(placed=placed, care_plans=[(date(2026, 3, 20), None)]) == date(2026, 3, 20)
    # A care plan still in force from an earlier placement covers it; one ended before does not.
    assert plans.care_plan_late(placed=placed, care_plans=[(date(2025, 1, 1), None)]) is None
    ended = [(date(2025, 1, 1), date(2025, 6, 1)), (date(2026, 4, 1), None)]
    assert plans.care_plan_late(placed=placed, care_plans=ended) == date(2026, 4, 1)
    # A plan made after the placement ended is not its care plan.
    assert plans.care_plan_late(placed=(date(2026, 3, 1), date(2026, 3, 10)), care_plans=ended) is None
