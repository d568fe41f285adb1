"""Measures: placement categories, overlaps, revocation on ending a care order, and the age limits."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from vern.rules import RuleViolation, ages, measures
from vern.rules.legal_basis import Law, LegalBases, LegalBasis
from vern.rules.measures import Period

TODAY = date(2026, 12, 1)


def test_placements_are_the_registers_categories() -> None:
    assert measures.is_placement("1.1")
    assert measures.is_placement("2.99")
    assert measures.is_placement("8.2")
    assert not measures.is_placement("3.1")
    assert not measures.is_placement("8.4")
    assert measures.is_foster_home("2.1")
    assert not measures.is_foster_home("1.1")


def test_handover_on_the_same_day_does_not_overlap() -> None:
    old = Period(date(2025, 1, 1), date(2026, 1, 1))
    new = Period(date(2026, 1, 1), None)
    assert measures.overlap_days(old, new, today=TODAY) == 0


def test_open_placements_overlap_until_today() -> None:
    a = Period(date(2026, 1, 1), None)
    b = Period(date(2026, 6, 1), None)
    assert measures.overlap_days(a, b, today=TODAY) == (TODAY - date(2026, 6, 1)).days


@given(
    st.dates(date(2020, 1, 1), date(2026, 11, 30)),
    st.integers(0, 400),
    st.dates(date(2020, 1, 1), date(2026, 11, 30)),
    st.integers(0, 400),
)
def test_overlap_is_symmetric_and_bounded(s1: date, d1: int, s2: date, d2: int) -> None:
    a, b = Period(s1, s1 + timedelta(days=d1)), Period(s2, s2 + timedelta(days=d2))
    days = measures.overlap_days(a, b, today=TODAY)
    assert days == measures.overlap_days(b, a, today=TODAY)
    assert 0 <= days <= min(d1, d2)


def test_more_than_90_days_overlap_is_refused() -> None:
    existing = [("tiltak 2.1 fra 01.01.2026", Period(date(2026, 1, 1), None))]
    measures.require_placements_do_not_overlap(
        Period(date(2025, 10, 3), date(2026, 4, 1)), existing, today=TODAY
    )
    with pytest.raises(RuleViolation, match="91 dager"):
        measures.require_placements_do_not_overlap(
            Period(date(2025, 10, 3), date(2026, 4, 2)), existing, today=TODAY
        )


def test_end_before_start_is_refused() -> None:
    with pytest.raises(RuleViolation, match="Sluttdatoen"):
        measures.require_period(date(2026, 2, 1), date(2026, 1, 31))
    measures.require_period(date(2026, 2, 1), date(2026, 2, 1))


def test_measure_must_cite_its_decisions_provision() -> None:
    decision = LegalBases(LegalBasis(Law.BVL2021, "5", "1"))
    measures.require_matching_basis(
        LegalBases(LegalBasis(Law.BVL2021, "5", "1", paragraphs=("1",))), decision
    )
    with pytest.raises(RuleViolation, match="lovhjemmel"):
        measures.require_matching_basis(LegalBases(LegalBasis(Law.BVL2021, "3", "1")), decision)


def test_ending_a_care_order_placement_needs_a_revocation_code() -> None:
    with pytest.raises(RuleViolation, match="opphevelse"):
        measures.require_revocation(
            care_order=True, category="2.1", end=TODAY, revocation="", specification=""
        )
    measures.require_revocation(care_order=True, category="2.1", end=None, revocation="", specification="")
    measures.require_revocation(care_order=False, category="2.1", end=TODAY, revocation="", specification="")
    measures.require_revocation(care_order=True, category="2.1", end=TODAY, revocation="1", specification="")
    with pytest.raises(RuleViolation, match="presisering"):
        measures.require_revocation(
            care_order=True, category="2.1", end=TODAY, revocation="4", specification=" "
        )


def test_no_measure_for_a_26_year_old() -> None:
    birth = date(2000, 5, 1)
    with pytest.raises(RuleViolation, match="25"):
        measures.require_age_limits(birth=birth, care_order=False, start=date(2026, 6, 1), end=None)
    with pytest.raises(RuleViolation, match="25"):
        measures.require_age_limits(
            birth=birth, care_order=False, start=date(2024, 6, 1), end=date(2025, 5, 2)
        )
    measures.require_age_limits(birth=birth, care_order=False, start=date(2024, 6, 1), end=date(2025, 5, 1))


def test_no_care_order_after_18() -> None:
    birth = date(2008, 5, 1)
    with pytest.raises(RuleViolation, match="18"):
        measures.require_age_limits(birth=birth, care_order=True, start=date(2026, 5, 1), end=None)
    measures.require_age_limits(birth=birth, care_order=True, start=date(2026, 4, 30), end=None)
    assert measures.needs_young_persons_consent(birth=birth, start=date(2026, 5, 1))
    assert not measures.needs_young_persons_consent(birth=birth, start=date(2026, 4, 30))


@given(st.dates(date(1990, 1, 1), date(2026, 12, 31)), st.integers(0, 30))
def test_age_turns_on_the_birthday(birth: date, years: int) -> None:
    day = ages.birthday(birth, years)
    assert ages.age_on(birth, day) == years
    assert ages.age_on(birth, day - timedelta(days=1)) == years - 1


def test_leap_day_birthday_is_1_march() -> None:
    assert ages.birthday(date(2008, 2, 29), 18) == date(2026, 3, 1)
