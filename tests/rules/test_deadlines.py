from __future__ import annotations

import calendar
import dataclasses
import os
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from vern.rules import (
    BREACH_REASON_LABELS,
    CLOCKS,
    DUE_SOON_DAYS,
    INVESTIGATION,
    INVESTIGATION_EXTENDED,
    REVIEW,
    BreachReason,
    Clock,
    DeadlineStatus,
    RuleViolation,
    add_months,
    breach_reason_requires_text,
    due_date,
    extension_allowed,
    extension_is_late,
    investigation_due,
    is_breach,
    require_extension_reason,
    review_due,
    status,
)
from vern.rules.deadlines import REPORTER_FEEDBACK, subtract_months

SRC = Path(__file__).resolve().parents[2] / "src"

dates = st.dates(min_value=date(1900, 1, 1), max_value=date(2200, 12, 31))
month_counts = st.integers(min_value=0, max_value=1200)


def reference_add_months(day: date, months: int) -> date:
    """Independent reference: step month by month, then clamp using 'first of next month - 1 day'."""
    year, month = day.year, day.month
    for _ in range(months):
        month += 1
        if month == 13:
            year, month = year + 1, 1
    first_of_next = date(year + 1, 1, 1) if month == 12 else date(year, month + 1, 1)
    last_day = (first_of_next - timedelta(days=1)).day
    return date(year, month, min(day.day, last_day))


class TestAddMonths:
    @pytest.mark.parametrize(
        ("start", "months", "expected"),
        [
            (date(2023, 1, 31), 3, date(2023, 4, 30)),
            (date(2023, 11, 30), 3, date(2024, 2, 29)),
            (date(2022, 11, 30), 3, date(2023, 2, 28)),
            (date(2023, 8, 31), 3, date(2023, 11, 30)),
            (date(2023, 1, 31), 1, date(2023, 2, 28)),
            (date(2024, 1, 31), 1, date(2024, 2, 29)),
            (date(2024, 2, 29), 12, date(2025, 2, 28)),
            (date(2023, 10, 15), 3, date(2024, 1, 15)),
            (date(2023, 12, 31), 6, date(2024, 6, 30)),
            (date(2023, 5, 17), 0, date(2023, 5, 17)),
        ],
    )
    def test_examples(self, start: date, months: int, expected: date) -> None:
        assert add_months(start, months) == expected

    def test_negative_months_are_rejected(self) -> None:
        with pytest.raises(ValueError, match="months"):
            add_months(date(2023, 1, 1), -1)

    def test_clamping_makes_chained_addition_differ_from_one_addition(self) -> None:
        # Why callers must add the whole clock to the start date (and why SQL does the same).
        assert add_months(add_months(date(2023, 1, 31), 1), 1) == date(2023, 3, 28)
        assert add_months(date(2023, 1, 31), 2) == date(2023, 3, 31)

    @given(dates, month_counts)
    def test_matches_independent_reference(self, day: date, months: int) -> None:
        assert add_months(day, months) == reference_add_months(day, months)

    @given(dates, dates, month_counts)
    def test_monotone_non_decreasing_in_start(self, first: date, second: date, months: int) -> None:
        earlier, later = sorted((first, second))
        assert add_months(earlier, months) <= add_months(later, months)

    @given(dates, month_counts, month_counts)
    def test_monotone_non_decreasing_in_months(self, day: date, first: int, second: int) -> None:
        fewer, more = sorted((first, second))
        assert add_months(day, fewer) <= add_months(day, more)

    @given(dates, month_counts)
    def test_result_is_in_the_target_calendar_month(self, day: date, months: int) -> None:
        result = add_months(day, months)
        assert (result.year * 12 + result.month) - (day.year * 12 + day.month) == months

    @given(dates, month_counts)
    def test_day_preserved_when_it_exists_else_last_day(self, day: date, months: int) -> None:
        result = add_months(day, months)
        last_day = calendar.monthrange(result.year, result.month)[1]
        if day.day <= last_day:
            assert result.day == day.day
        else:
            assert result.day == last_day


class TestClocks:
    def test_registry_holds_every_clock_by_name(self) -> None:
        assert dict(CLOCKS) == {
            "review": REVIEW,
            "investigation": INVESTIGATION,
            "investigation_extended": INVESTIGATION_EXTENDED,
            "reporter_feedback": REPORTER_FEEDBACK,
        }

    def test_registry_is_read_only(self) -> None:
        with pytest.raises(TypeError):
            CLOCKS["other"] = REVIEW  # type: ignore[index]

    @pytest.mark.parametrize("clock", list(CLOCKS.values()))
    def test_every_clock_cites_the_child_welfare_act(self, clock: Clock) -> None:
        assert clock.source.startswith("BVL2021 § ")
        assert clock.note

    def test_lengths(self) -> None:
        assert (REVIEW.days, REVIEW.months) == (7, None)
        assert (INVESTIGATION.days, INVESTIGATION.months) == (None, 3)
        assert (INVESTIGATION_EXTENDED.days, INVESTIGATION_EXTENDED.months) == (None, 6)

    def test_clocks_are_frozen(self) -> None:
        with pytest.raises(dataclasses.FrozenInstanceError):
            REVIEW.days = 8  # type: ignore[misc]

    @pytest.mark.parametrize(("days", "months"), [(None, None), (7, 3), (0, None), (None, -1)], ids=str)
    def test_clock_needs_exactly_one_positive_length(self, days: int | None, months: int | None) -> None:
        with pytest.raises(ValueError, match="Clock 'x'"):
            Clock("x", days=days, months=months, source="BVL2021 § 1-1")

    def test_clock_needs_a_source(self) -> None:
        with pytest.raises(ValueError, match="legal source"):
            Clock("x", days=1, source="  ")

    def test_pg_interval(self) -> None:
        assert REVIEW.pg_interval == "7 days"
        assert INVESTIGATION.pg_interval == "3 months"
        assert INVESTIGATION_EXTENDED.pg_interval == "6 months"


class TestDueDates:
    def test_review_is_due_seven_days_after_receipt(self) -> None:
        assert review_due(date(2024, 12, 27)) == date(2025, 1, 3)
        assert review_due(date(2024, 2, 26)) == date(2024, 3, 4)

    def test_investigation_due(self) -> None:
        assert investigation_due(date(2023, 11, 30), extended=False) == date(2024, 2, 29)
        assert investigation_due(date(2023, 11, 30), extended=True) == date(2024, 5, 30)
        assert investigation_due(date(2023, 8, 31), extended=True) == date(2024, 2, 29)

    @given(dates)
    def test_review_due_is_start_plus_seven_days(self, day: date) -> None:
        assert review_due(day) - day == timedelta(days=7)

    @given(dates)
    def test_due_date_follows_the_clock(self, day: date) -> None:
        assert due_date(REVIEW, day) == day + timedelta(days=7)
        assert due_date(INVESTIGATION, day) == add_months(day, 3)
        assert due_date(INVESTIGATION_EXTENDED, day) == add_months(day, 6)

    @given(dates)
    def test_extended_is_never_earlier_than_ordinary(self, day: date) -> None:
        ordinary = investigation_due(day, extended=False)
        extended = investigation_due(day, extended=True)
        assert day < ordinary < extended


class TestStatus:
    TODAY = date(2024, 3, 10)

    @pytest.mark.parametrize(
        ("due", "expected"),
        [
            (date(2024, 3, 9), DeadlineStatus.OVERDUE),
            (date(2024, 3, 10), DeadlineStatus.DUE_SOON),
            (date(2024, 3, 17), DeadlineStatus.DUE_SOON),
            (date(2024, 3, 18), DeadlineStatus.LATER),
        ],
    )
    def test_open_deadlines(self, due: date, expected: DeadlineStatus) -> None:
        assert status(due=due, concluded_on=None, today=self.TODAY) is expected

    def test_concluded_on_the_due_date_is_met(self) -> None:
        due = date(2024, 3, 1)
        assert status(due=due, concluded_on=due, today=self.TODAY) is DeadlineStatus.MET

    def test_concluded_the_day_after_is_breached(self) -> None:
        due = date(2024, 3, 1)
        assert status(due=due, concluded_on=date(2024, 3, 2), today=self.TODAY) is DeadlineStatus.BREACHED

    def test_due_soon_window_is_a_product_default(self) -> None:
        assert DUE_SOON_DAYS == 7
        due = date(2024, 3, 12)
        assert status(due=due, concluded_on=None, today=self.TODAY, soon_days=1) is DeadlineStatus.LATER
        assert status(due=due, concluded_on=None, today=self.TODAY, soon_days=2) is DeadlineStatus.DUE_SOON

    def test_negative_window_is_rejected(self) -> None:
        with pytest.raises(ValueError, match="soon_days"):
            status(due=self.TODAY, concluded_on=None, today=self.TODAY, soon_days=-1)

    @given(dates, st.none() | dates, dates, st.integers(min_value=0, max_value=60))
    def test_status_partitions_the_cases(
        self, due: date, concluded_on: date | None, today: date, soon_days: int
    ) -> None:
        result = status(due=due, concluded_on=concluded_on, today=today, soon_days=soon_days)
        expected = {
            DeadlineStatus.MET: concluded_on is not None and concluded_on <= due,
            DeadlineStatus.BREACHED: concluded_on is not None and concluded_on > due,
            DeadlineStatus.OVERDUE: concluded_on is None and today > due,
            DeadlineStatus.DUE_SOON: concluded_on is None and today <= due <= today + timedelta(soon_days),
            DeadlineStatus.LATER: concluded_on is None and due > today + timedelta(soon_days),
        }
        assert [s for s, holds in expected.items() if holds] == [result]

    @given(dates, st.none() | dates, dates)
    def test_is_breach_iff_concluded_late_or_open_past_due(
        self, due: date, concluded_on: date | None, today: date
    ) -> None:
        late = concluded_on > due if concluded_on is not None else today > due
        assert is_breach(due=due, concluded_on=concluded_on, today=today) is late


class TestBreachReasons:
    def test_values_are_stable(self) -> None:
        assert [r.value for r in BreachReason] == [
            "holidays",
            "capacity",
            "family_unreachable",
            "family_avoids_contact",
            "complex_case",
            "other",
        ]

    def test_every_reason_has_a_label(self) -> None:
        assert set(BREACH_REASON_LABELS) == set(BreachReason)
        assert all(label.strip() for label in BREACH_REASON_LABELS.values())

    def test_only_other_requires_text(self) -> None:
        assert [r for r in BreachReason if breach_reason_requires_text(r)] == [BreachReason.OTHER]


class TestExtension:
    STARTED = date(2024, 1, 15)

    def test_allowed_once_while_open(self) -> None:
        extension_allowed(started_on=self.STARTED, requested_on=date(2024, 3, 1), already_extended=False)

    def test_allowed_on_the_start_day(self) -> None:
        extension_allowed(started_on=self.STARTED, requested_on=self.STARTED, already_extended=False)

    def test_only_once(self) -> None:
        with pytest.raises(RuleViolation) as excinfo:
            extension_allowed(started_on=self.STARTED, requested_on=date(2024, 3, 1), already_extended=True)
        assert str(excinfo.value) == "Fristen kan bare utvides én gang"

    def test_not_after_conclusion(self) -> None:
        with pytest.raises(RuleViolation, match="avsluttet"):
            extension_allowed(
                started_on=self.STARTED,
                requested_on=date(2024, 3, 1),
                already_extended=False,
                concluded_on=date(2024, 2, 1),
            )

    def test_not_before_the_investigation_started(self) -> None:
        with pytest.raises(RuleViolation, match="startet"):
            extension_allowed(started_on=self.STARTED, requested_on=date(2024, 1, 14), already_extended=False)

    def test_late_extension_is_allowed_but_flagged(self) -> None:
        late = date(2024, 4, 16)
        extension_allowed(started_on=self.STARTED, requested_on=late, already_extended=False)
        assert extension_is_late(started_on=self.STARTED, requested_on=late)
        assert not extension_is_late(started_on=self.STARTED, requested_on=date(2024, 4, 15))

    def test_rule_violation_is_a_value_error(self) -> None:
        assert issubclass(RuleViolation, ValueError)

    def test_extension_requires_reason(self) -> None:
        with pytest.raises(RuleViolation) as excinfo:
            require_extension_reason(" \n\t ")
        assert str(excinfo.value) == "Utvidelse av fristen krever en begrunnelse"

    def test_extension_reason_is_stripped(self) -> None:
        assert require_extension_reason("  Sakkyndig utredning pågår \n") == "Sakkyndig utredning pågår"


def test_importing_any_rules_module_does_not_import_django() -> None:
    code = (
        "import importlib, pkgutil, sys, vern.rules\n"
        "for info in pkgutil.iter_modules(vern.rules.__path__):\n"
        "    importlib.import_module(f'vern.rules.{info.name}')\n"
        "loaded = sorted(m for m in sys.modules if m == 'django' or m.startswith('django.'))\n"
        "print(','.join(loaded))\n"
    )
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(SRC), os.environ.get("PYTHONPATH", "")])}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    # Fixed argv built from sys.executable and a constant script: no untrusted input.
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True
    )
    assert result.stdout.strip() == ""


def test_professional_reporter_is_owed_feedback_within_three_weeks() -> None:
    from vern.rules import deadlines

    assert deadlines.reporter_feedback_due(date(2026, 3, 2)) == date(2026, 3, 23)
    assert "11" in deadlines.PROFESSIONAL_REPORTER_CODES
    assert "2" not in deadlines.PROFESSIONAL_REPORTER_CODES
    assert "23" not in deadlines.PROFESSIONAL_REPORTER_CODES


def test_subtracting_months_clamps_as_adding_does() -> None:
    assert subtract_months(date(2025, 12, 31), 3) == date(2025, 9, 30)
    assert subtract_months(date(2024, 5, 31), 3) == date(2024, 2, 29)
    assert subtract_months(date(2025, 1, 15), 0) == date(2025, 1, 15)
    with pytest.raises(ValueError, match="zero or positive"):
        subtract_months(date(2025, 1, 1), -1)
