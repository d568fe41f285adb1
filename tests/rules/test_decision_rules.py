"""Emergency decisions' clocks and delegation rules."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from hypothesis import given
from hypothesis import strategies as st

from vern.rules import decisions
from vern.rules.legal_basis import Law, LegalBases, LegalBasis


def bases(law: Law, chapter: str, section: str, *paragraphs: str) -> LegalBases:
    return LegalBases(LegalBasis(law, chapter, section, paragraphs=paragraphs))


def test_placement_in_an_emergency_has_six_weeks_to_the_application() -> None:
    rule = decisions.emergency_rule(bases(Law.BVL2021, "4", "2"))
    assert rule is not None
    assert rule.placement
    assert decisions.application_due(rule, date(2026, 3, 2)) == date(2026, 4, 13)


def test_behaviour_placement_has_two_weeks() -> None:
    rule = decisions.emergency_rule(bases(Law.BVL2021, "4", "4"))
    assert rule is not None
    assert decisions.application_due(rule, date(2026, 3, 2)) == date(2026, 3, 16)


def test_old_act_needs_the_second_paragraph() -> None:
    assert decisions.emergency_rule(bases(Law.BVL1992, "4", "6", "2")) is not None
    assert decisions.emergency_rule(bases(Law.BVL1992, "4", "6", "1")) is None
    assert decisions.emergency_rule(bases(Law.BVL2021, "5", "1")) is None


def test_board_has_48_hours() -> None:
    sent = datetime(2026, 3, 2, 15, 30, tzinfo=UTC)
    assert decisions.board_approval_due(sent) == sent + timedelta(hours=48)


def test_48_hours_are_hours_that_pass_across_the_end_of_summer_time() -> None:
    # Summer time ended on 29 October 2028 at 03:00: 48 hours after 00:30 on the 28th are 23:30 on
    # the 29th by the clock, not 00:30 on the 30th (which would give the board 49 hours).
    oslo = ZoneInfo("Europe/Oslo")
    due = decisions.board_approval_due(datetime(2028, 10, 28, 0, 30, tzinfo=oslo))
    assert due == datetime(2028, 10, 29, 23, 30, tzinfo=oslo)
    assert due.astimezone(UTC) - datetime(2028, 10, 27, 22, 30, tzinfo=UTC) == timedelta(hours=48)


@given(
    st.dates(min_value=date(2023, 1, 1), max_value=date(2030, 1, 1)), st.integers(0, 60), st.integers(0, 60)
)
def test_decision_lapses_exactly_when_no_application_came_in_time(
    decided: date, sent_after: int, today_after: int
) -> None:
    rule = decisions.EMERGENCY_RULES[0]
    due = decisions.application_due(rule, decided)
    sent = decided + timedelta(days=sent_after)
    assert decisions.has_lapsed(rule, decided_on=decided, application_sent_on=sent, today=sent) is (
        sent > due
    )
    today = decided + timedelta(days=today_after)
    assert decisions.has_lapsed(rule, decided_on=decided, application_sent_on=None, today=today) is (
        today > due
    )


def test_delegation_rules_cover_law_chapter_or_section() -> None:
    chapter_4 = decisions.ApprovalRule(Law.BVL2021, "4")
    care_order = decisions.ApprovalRule(Law.BVL2021, "5", "1")
    assert decisions.requires_approval(bases(Law.BVL2021, "4", "2"), [chapter_4])
    assert not decisions.requires_approval(bases(Law.BVL2021, "3", "1"), [chapter_4, care_order])
    assert decisions.requires_approval(bases(Law.BVL2021, "5", "1"), [care_order])
    assert decisions.requires_approval(bases(Law.BVL2021, "3", "1"), [decisions.ApprovalRule(Law.BVL2021)])
    assert not decisions.requires_approval(bases(Law.BVL2021, "3", "1"), [])
