"""Decisions (vedtak): emergency decisions' clocks and the unit's delegation rules.

No Django import. The emergency clocks are data, one row per provision, each citing its source;
the lengths marked *verify* in DOMAIN.md are the defaults given there and are easy to change here.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from vern.rules.deadlines import Clock, due_at, due_date
from vern.rules.legal_basis import Law, LegalBases

BOARD_APPROVAL = Clock(
    "emergency_approval",
    hours=48,
    source=(
        "BVL2021 kap. 4 (akuttiltak), jf. tidligere BVL1992 § 7-22: et midlertidig vedtak skal straks "
        "sendes barneverns- og helsenemnda, som skal godkjenne det snarest og om mulig innen 48 timer"
    ),
    note=(
        "The 48 hours run from when the decision reached the county board and bind the board, not the "
        "service; the worklist shows the countdown so the service can follow up. Paragraph to verify."
    ),
)

APPLICATION_SIX_WEEKS = Clock(
    "emergency_application",
    days=42,
    source=(
        "BVL2021 § 4-2 (tidligere BVL1992 § 4-6 fjerde og femte ledd): begjæring om tiltak skal sendes "
        "nemnda snarest og senest innen seks uker; ellers faller vedtaket bort"
    ),
    note="Six weeks from the day the emergency decision was made.",
)

APPLICATION_TWO_WEEKS = Clock(
    "emergency_application_behaviour",
    days=14,
    source=(
        "BVL2021 § 4-4 (tidligere BVL1992 § 4-25 annet ledd, jf. § 4-6 fjerde ledd): ved "
        "akuttplassering av barn med alvorlige atferdsvansker skal begjæring sendes innen to uker; "
        "ellers faller vedtaket bort"
    ),
    note="Two weeks from the day the emergency decision was made.",
)


# An emergency decision's three clocks, as worklists and breach records name them: sent to the
# county board, the board's approval, and the application (the six or two weeks above).
SUBMISSION_CLOCK = "emergency_submission"
APPROVAL_CLOCK = BOARD_APPROVAL.name
APPLICATION_CLOCK = "emergency_application"


@dataclass(frozen=True)
class EmergencyRule:
    """The clocks of one emergency provision."""

    law: Law
    chapter: str
    section: str
    # The paragraph (ledd) that makes the decision an emergency decision, if only one does.
    paragraph: str | None
    application: Clock
    placement: bool  # counted as an emergency placement in reports (DOMAIN.md indicators)


EMERGENCY_RULES: tuple[EmergencyRule, ...] = (
    # BVL2021 § 4-2: midlertidig vedtak om plassering av barn i akuttsituasjoner.
    EmergencyRule(Law.BVL2021, "4", "2", None, APPLICATION_SIX_WEEKS, placement=True),
    # BVL2021 § 4-3: midlertidig vedtak om flytteforbud (six weeks by default: verify).
    EmergencyRule(Law.BVL2021, "4", "3", None, APPLICATION_SIX_WEEKS, placement=False),
    # BVL2021 § 4-4: akuttplassering av barn med alvorlige atferdsvansker.
    EmergencyRule(Law.BVL2021, "4", "4", None, APPLICATION_TWO_WEEKS, placement=True),
    # BVL2021 § 4-5: plassering av barn som kan være utsatt for menneskehandel (six weeks: verify).
    EmergencyRule(Law.BVL2021, "4", "5", None, APPLICATION_SIX_WEEKS, placement=False),
    # Before 2023: BVL1992 § 4-6 annet ledd and § 4-25 annet ledd.
    EmergencyRule(Law.BVL1992, "4", "6", "2", APPLICATION_SIX_WEEKS, placement=True),
    EmergencyRule(Law.BVL1992, "4", "25", "2", APPLICATION_TWO_WEEKS, placement=True),
)


def emergency_rule(bases: LegalBases) -> EmergencyRule | None:
    """The emergency provision a decision's legal basis cites, or None for an ordinary decision."""
    main = bases.main
    for rule in EMERGENCY_RULES:
        if (rule.law, rule.chapter, rule.section) != (main.law, main.chapter, main.section):
            continue
        if rule.paragraph is None or rule.paragraph in main.paragraphs:
            return rule
    return None


def board_submission_due(decided_on: date) -> date:
    """An emergency decision goes to the county board "straks": the day it is made."""
    return decided_on


def board_approval_due(sent_at: datetime) -> datetime:
    """When the county board's 48 hours run out for a decision it received at ``sent_at``."""
    return due_at(BOARD_APPROVAL, sent_at)


def application_due(rule: EmergencyRule, decided_on: date) -> date:
    """The last day to send the county board the full case (begjæring) before the decision lapses."""
    return due_date(rule.application, decided_on)


def has_lapsed(
    rule: EmergencyRule, *, decided_on: date, application_sent_on: date | None, today: date
) -> bool:
    """The decision falls away (faller bort) when no application was sent within its clock."""
    due = application_due(rule, decided_on)
    if application_sent_on is not None:
        return application_sent_on > due
    return today > due


@dataclass(frozen=True)
class ApprovalRule:
    """A line of a unit's delegation rules: decisions under this provision need a leader's approval.

    ``section`` None covers the whole chapter; ``chapter`` None the whole law.
    """

    law: Law
    chapter: str | None = None
    section: str | None = None

    def covers(self, bases: LegalBases) -> bool:
        main = bases.main
        return (
            main.law is self.law
            and (self.chapter is None or main.chapter == self.chapter)
            and (self.section is None or main.section == self.section)
        )


def requires_approval(bases: LegalBases, rules: Iterable[ApprovalRule]) -> bool:
    """Whether the unit's delegation rules put a decision under a leader's approval."""
    return any(rule.covers(bases) for rule in rules)


# Register Vedtak/Status codes (Kodelister.md), named for the service code that sets them.
STATUS_APPROVED = "1"  # Godkjent
STATUS_SENT_TO_BOARD = "2"  # Begjæring oversendt nemnd
STATUS_LAPSED = "3"  # Utgår / Bortfalt etter BVL
STATUS_ENDED = "4"  # Avslått / Avsluttet
# Kravspesifikasjon Vedtak kontroll 3: a decision with status 3 or 4 must have an end date.
STATUSES_ENDING: frozenset[str] = frozenset({STATUS_LAPSED, STATUS_ENDED})
