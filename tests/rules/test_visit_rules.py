"""Follow-up and supervision visits: next due, visits owed in a period, compliance."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from vern.rules import visits
from vern.rules.deadlines import Missed
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


def test_each_visit_after_its_due_date_is_one_breach_keyed_by_its_interval() -> None:
    placed = date(2025, 1, 10)
    done = [date(2025, 4, 1), date(2025, 8, 1), date(2025, 8, 1), date(2025, 10, 1), date(2026, 3, 1)]
    missed = visits.late_visits(placed_on=placed, frequencies=STANDARD, visits=done)
    # Due 10.04 (in time), 01.07 (visited 01.08, twice: one breach), 01.11 (in time), 01.01 (late).
    assert missed == [
        Missed(start=date(2025, 4, 1), due=date(2025, 7, 1), done=date(2025, 8, 1)),
        Missed(start=date(2025, 10, 1), due=date(2026, 1, 1), done=date(2026, 3, 1)),
    ]


def test_a_late_visit_counts_the_frequency_in_force_on_its_day() -> None:
    """Reduced to twice a year before the visit: six months, so the visit is in time."""
    reduced = [*STANDARD, Frequency(date(2025, 5, 1), "2")]
    done = [date(2025, 1, 10), date(2025, 6, 1)]
    assert visits.late_visits(placed_on=date(2025, 1, 10), frequencies=STANDARD, visits=done) == [
        Missed(start=date(2025, 1, 10), due=date(2025, 4, 10), done=date(2025, 6, 1))
    ]
    assert visits.late_visits(placed_on=date(2025, 1, 10), frequencies=reduced, visits=done) == []


@given(
    placed=st.dates(min_value=date(2015, 1, 1), max_value=date(2030, 1, 1)),
    offsets=st.lists(st.integers(min_value=-30, max_value=1500), max_size=8),
)
def test_late_visits_are_those_the_worklist_showed_overdue_the_day_they_came(
    placed: date, offsets: list[int]
) -> None:
    done = sorted({placed + timedelta(days=d) for d in offsets})
    missed = visits.late_visits(placed_on=placed, frequencies=STANDARD, visits=done)
    late_days = []
    for index, day in enumerate(done):
        due = visits.next_visit_due(
            placed_on=placed, frequencies=STANDARD, last_visit=done[index - 1] if index else None, today=day
        )
        if day > due:
            late_days.append(day)
    assert [m.done for m in missed] == late_days
    # One breach per interval: no two share a start, and each start is a visit or the placement.
    assert len({m.start for m in missed}) == len(missed)
    assert all(m.start == placed or m.start in done for m in missed)
