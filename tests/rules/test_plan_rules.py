"""Plan evaluations: every N months from the start or the latest evaluation."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from vern.rules import plans
from vern.rules.deadlines import add_months


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
