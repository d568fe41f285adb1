"""Follow-up and supervision visits: next due, visits owed in a period, compliance."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from vern.rules import visits
from vern.rules.visits import Frequency

STANDARD = [Frequency(date(2024, 1, 1), "4")]


def test_next_visit_is_three_months_after_the_last_under_the_standard_frequency() -> None:
    due = visits.next_visit_due(
        placed_on=date(2025, 1, 10),
        frequencies=STANDARD,
        last_visit=date(2026, 8, 31),
        today=date(2026, 12, 1),
    )
    assert due == date(2026, 11, 30)


def test_reduced_frequency_gives_six_months() -> None:
    freqs = [*STANDARD, Frequency(date(2026, 1, 1), "2")]
    due = visits.next_visit_due(
        placed_on=date(2025, 1, 10), frequencies=freqs, last_visit=date(2026, 5, 1), today=date(2026, 6, 1)
    )
    assert due == date(2026, 11, 1)


def test_first_visit_counts_from_the_placement() -> None:
    due = visits.next_visit_due(
        placed_on=date(2026, 10, 1), frequencies=[], last_visit=None, today=date(2026, 12, 1)
    )
    assert due == date(2027, 1, 1)


def test_a_full_year_owes_the_frequency() -> None:
    period = visits.rolling_year(date(2026, 12, 1))
    assert visits.required_visits(placed=(date(2020, 1, 1), None), frequencies=STANDARD, period=period) == 4
    reduced = [Frequency(date(2020, 1, 1), "2")]
    assert visits.required_visits(placed=(date(2020, 1, 1), None), frequencies=reduced, period=period) == 2


def test_half_years_owe_half() -> None:
    first, second = visits.half_year(date(2026, 3, 1)), visits.half_year(date(2026, 9, 1))
    assert first == (date(2026, 1, 1), date(2026, 6, 30))
    assert second == (date(2026, 7, 1), date(2026, 12, 31))
    assert visits.required_visits(placed=(date(2020, 1, 1), None), frequencies=STANDARD, period=first) == 2


def test_a_recent_placement_owes_only_whole_intervals() -> None:
    period = visits.rolling_year(date(2026, 12, 1))
    assert visits.required_visits(placed=(date(2026, 7, 15), None), frequencies=STANDARD, period=period) == 1
    assert visits.required_visits(placed=(date(2026, 11, 1), None), frequencies=STANDARD, period=period) == 0


def test_compliance_counts_visits_in_the_period() -> None:
    period = visits.rolling_year(date(2026, 12, 1))
    done = [date(2025, 11, 30), date(2026, 2, 1), date(2026, 5, 1), date(2026, 8, 1), date(2026, 11, 1)]
    result = visits.compliance(
        placed=(date(2020, 1, 1), None), frequencies=STANDARD, visits=done, period=period
    )
    assert (result.done, result.required, result.met) == (4, 4, True)


def test_rolling_year_on_a_leap_day() -> None:
    assert visits.rolling_year(date(2028, 2, 29)) == (date(2027, 3, 1), date(2028, 2, 29))


@given(st.dates(date(2022, 1, 1), date(2027, 1, 1)), st.integers(0, 800), st.sampled_from(["4", "2"]))
def test_owed_visits_are_whole_intervals_of_the_period(start: date, length: int, code: str) -> None:
    placed = (date(2021, 1, 1), None)
    period = (start, start + timedelta(days=length))
    frequencies = [Frequency(date(2021, 1, 1), code)]
    owed = visits.required_visits(placed=placed, frequencies=frequencies, period=period)
    # Three calendar months last 89-92 days, six 181-184.
    shortest, longest = (89, 92) if code == "4" else (181, 184)
    assert (length + 1) / longest - 1 < owed <= (length + 1) / shortest


def test_the_current_half_year_owes_what_is_due_by_today() -> None:
    period = visits.half_year_so_far(date(2026, 8, 15))
    assert period == (date(2026, 7, 1), date(2026, 8, 15))
    assert visits.required_visits(placed=(date(2020, 1, 1), None), frequencies=STANDARD, period=period) == 0
    later = visits.half_year_so_far(date(2026, 10, 1))
    assert visits.required_visits(placed=(date(2020, 1, 1), None), frequencies=STANDARD, period=later) == 1
