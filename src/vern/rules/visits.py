"""Follow-up visits (oppfølgingsbesøk) and supervision visits (tilsyn) in foster homes.

The frequency is the register's code (Tiltak/Oppfolging/Hyppighet and Tiltak/Tilsyn/Hyppighet:
4 per year standard, 2 per year reduced), each with the date it applies from. A visit is due one
interval (12 / frequency months) after the latest visit, or after the placement started; compliance
over a period counts one required visit for every whole interval the child was placed under a
frequency. No Django import.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from vern.rules.deadlines import Missed, add_months

# XSD OppfolgingHyppighetType / TilsynHyppighetType (valid from 2022-01-01).
STANDARD = "4"
REDUCED = "2"
VISITS_PER_YEAR: dict[str, int] = {STANDARD: 4, REDUCED: 2}
FOLLOW_UP = "follow_up"
SUPERVISION = "supervision"
# The clock of each kind of visit, as worklists and breach records name it.
CLOCKS: dict[str, str] = {FOLLOW_UP: "follow_up_visit", SUPERVISION: "supervision_visit"}


@dataclass(frozen=True)
class Frequency:
    """A frequency code in force from ``start``."""

    start: date
    code: str

    @property
    def interval_months(self) -> int:
        return 12 // VISITS_PER_YEAR[self.code]


def in_force(frequencies: Sequence[Frequency], day: date) -> Frequency | None:
    """The frequency that applies on ``day``: the latest one starting on or before it."""
    started = [f for f in frequencies if f.start <= day]
    return max(started, key=lambda f: f.start) if started else None


def next_visit_due(
    *, placed_on: date, frequencies: Sequence[Frequency], last_visit: date | None, today: date
) -> date:
    """The day the next visit is due: one interval after the latest visit, or after the placement.

    The interval is that of the frequency in force today (standard, 3 months, until one is recorded).
    Source: Kravspesifikasjon/XSD Tiltak Oppfolging and Tilsyn with Hyppighet per year.
    """
    current = in_force(frequencies, today)
    months = current.interval_months if current is not None else 12 // VISITS_PER_YEAR[STANDARD]
    anchor = placed_on if last_visit is None else max(placed_on, last_visit)
    return add_months(anchor, months)


def late_visits(*, placed_on: date, frequencies: Sequence[Frequency], visits: Sequence[date]) -> list[Missed]:
    """The visits of one kind done after their due date, one per missed due date (ADR 0014).

    A visit on day ``d`` was due as :func:`next_visit_due` computed it that day: one interval of the
    frequency in force on ``d`` after the latest earlier visit, or after the placement. Several visits
    on one day close one interval. Source: as :func:`next_visit_due`.
    """
    missed = []
    last: date | None = None
    for day in sorted(set(visits)):
        due = next_visit_due(placed_on=placed_on, frequencies=frequencies, last_visit=last, today=day)
        if day > due:
            missed.append(
                Missed(start=placed_on if last is None else max(placed_on, last), due=due, done=day)
            )
        last = day
    return missed


def _whole_intervals(start: date, end: date, months: int) -> int:
    """How many whole intervals of ``months`` fit between ``start`` and ``end`` (both included)."""
    count = 0
    while add_months(start, (count + 1) * months) <= end + timedelta(days=1):
        count += 1
    return count


def required_visits(
    *, placed: tuple[date, date | None], frequencies: Sequence[Frequency], period: tuple[date, date]
) -> int:
    """Visits owed in ``period`` (both days included) for a placement over ``placed``.

    Each stretch of the period under one frequency (standard until one is recorded) owes one visit
    per whole interval of 3 or 6 months; the part of an interval left over at a frequency change or
    at the period's edges owes nothing. Over a full year under one frequency this is the frequency
    itself (DOMAIN.md: visits done in the last 12 months ≥ the frequency in force).
    """
    first = max(period[0], placed[0])
    last = min(period[1], placed[1] or period[1])
    if last < first:
        return 0
    changes = sorted({f.start for f in frequencies if first < f.start <= last})
    bounds = [first, *changes, last + timedelta(days=1)]
    total = 0
    for start, stop in itertools.pairwise(bounds):
        current = in_force(frequencies, start)
        months = current.interval_months if current is not None else 12 // VISITS_PER_YEAR[STANDARD]
        total += _whole_intervals(start, stop - timedelta(days=1), months)
    return total


def rolling_year(today: date) -> tuple[date, date]:
    """The last 12 months up to and including ``today`` (from the day after the same date a year ago)."""
    try:
        year_ago = today.replace(year=today.year - 1)
    except ValueError:  # 29 February
        year_ago = date(today.year - 1, 2, 28)
    return (year_ago + timedelta(days=1), today)


def half_year(day: date) -> tuple[date, date]:
    """The half-year (1 January–30 June or 1 July–31 December) that ``day`` falls in."""
    if day.month <= 6:
        return (date(day.year, 1, 1), date(day.year, 6, 30))
    return (date(day.year, 7, 1), date(day.year, 12, 31))


def half_year_so_far(today: date) -> tuple[date, date]:
    """The current half-year up to and including ``today``: what is owed by now, not by its end."""
    return (half_year(today)[0], today)


@dataclass(frozen=True)
class Compliance:
    done: int
    required: int

    @property
    def met(self) -> bool:
        return self.done >= self.required

    @property
    def counted(self) -> int:
        """The visits done that count against those owed: a visit beyond what is owed makes up for
        no other child's missing one, so "done of owed" never exceeds what is owed."""
        return min(self.done, self.required)


@dataclass
class Tally:
    """Compliance summed over children: visits owed and done of them, and how many children who owe
    visits have had them all (a child who owes none yet is not counted either way)."""

    counted: int = 0
    required: int = 0
    children: int = 0
    children_met: int = 0

    def add(self, result: Compliance) -> None:
        if result.required:
            self.counted += result.counted
            self.required += result.required
            self.children += 1
            self.children_met += int(result.met)


def compliance(
    *,
    placed: tuple[date, date | None],
    frequencies: Sequence[Frequency],
    visits: Sequence[date],
    period: tuple[date, date],
) -> Compliance:
    """Visits done in ``period`` against the visits owed (see :func:`required_visits`)."""
    done = sum(1 for day in visits if period[0] <= day <= period[1])
    return Compliance(
        done=done, required=required_visits(placed=placed, frequencies=frequencies, period=period)
    )
