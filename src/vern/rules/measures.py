"""Measures (tiltak): placements, care orders, overlaps, revocation and the age limits.

Sources: Kravspesifikasjon (barnevernregister) "Plasseringstiltak", Tiltak kontroll 7, 8, 9, 12, 13
and 21, and BVL2021 § 3-6 for measures after 18. No Django import.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from vern.rules import ages
from vern.rules.deadlines import RuleViolation
from vern.rules.legal_basis import LegalBases

# Kravspesifikasjon "Plasseringstiltak": Kategori/@Kode 1.1, 1.2, 1.99, 2.1–2.6, 2.99 or 8.2. Code 8.2
# itself ends 2025-12-31 (Kodelister.md), so only measures recorded while it was valid carry it.
PLACEMENT_CATEGORIES: frozenset[str] = frozenset(
    {"1.1", "1.2", "1.99", "2.1", "2.2", "2.3", "2.4", "2.5", "2.6", "2.99", "8.2"}
)
# Foster homes (Kategori 2.x): the placements with follow-up visits (Tiltak/Oppfolging) and
# supervision by an independent supervisor (Tiltak/Tilsyn, "Tilsyn i fosterhjem").
FOSTER_HOME_CATEGORIES: frozenset[str] = frozenset({"2.1", "2.2", "2.3", "2.4", "2.5", "2.6", "2.99"})
# Tiltak kontroll 9: placements may overlap by at most 90 days (moving from one to the next).
MAX_PLACEMENT_OVERLAP_DAYS = 90
# Opphevelse code 4 "Annet" needs a specification (Tiltak kontroll 8).
REVOCATION_OTHER = "4"


def is_placement(category: str) -> bool:
    return category in PLACEMENT_CATEGORIES


def is_foster_home(category: str) -> bool:
    return category in FOSTER_HOME_CATEGORIES


@dataclass(frozen=True)
class Period:
    start: date
    end: date | None  # None: still running


def overlap_days(a: Period, b: Period, *, today: date) -> int:
    """Days two periods share; an open end counts as ``today`` (the register's DatoUttrekk).

    Counted as the difference between the later start and the earlier end, so a placement that
    ends on the day the next one starts overlaps it by 0 days.
    """
    end = min(a.end or today, b.end or today)
    start = max(a.start, b.start)
    return max(0, (end - start).days)


def require_placements_do_not_overlap(new: Period, others: list[tuple[str, Period]], *, today: date) -> None:
    """Refuse a placement that overlaps another placement by more than 90 days (Tiltak kontroll 9).

    ``others`` are the case's other placements with a label for the message. Raises RuleViolation.
    """
    for label, other in others:
        days = overlap_days(new, other, today=today)
        if days > MAX_PLACEMENT_OVERLAP_DAYS:
            raise RuleViolation(
                f"Plasseringstiltak kan ikke overlappe med mer enn {MAX_PLACEMENT_OVERLAP_DAYS} dager: "
                f"overlapper {days} dager med {label}"
            )


def require_period(start: date, end: date | None) -> None:
    """Tiltak kontroll 2a: the end date is not before the start date."""
    if end is not None and end < start:
        raise RuleViolation("Sluttdatoen kan ikke være før startdatoen")


def require_matching_basis(measure: LegalBases, decision: LegalBases) -> None:
    """Tiltak kontroll 21: a measure cites the same law, chapter and section as its decision."""
    if not measure.main.same_provision(decision.main):
        raise RuleViolation(
            f"Tiltakets lovhjemmel ({measure.main}) må være den samme som vedtakets ({decision.main})"
        )


def require_revocation(
    *, care_order: bool, category: str, end: date | None, revocation: str, specification: str
) -> None:
    """Tiltak kontroll 12 and 8: a care-order placement that ends needs a revocation code.

    Code 4 (Annet) needs a specification. Raises RuleViolation.
    """
    if care_order and is_placement(category) and end is not None and not revocation:
        raise RuleViolation("Et omsorgstiltak som avsluttes, krever årsak til opphevelse")
    if revocation == REVOCATION_OTHER and not specification.strip():
        raise RuleViolation("Opphevelse «Annet» krever en presisering")


def require_age_limits(*, birth: date, care_order: bool, start: date, end: date | None) -> None:
    """The age limits of a measure for a child born on ``birth``.

    - No measure starts on or after the 25th birthday, or runs past it (BVL2021 § 3-6: measures after
      18 may continue "inntil fylte 25 år").
    - A care order cannot start once the child is 18 (Tiltak kontroll 13: an adult has no care order).
    Raises RuleViolation.
    """
    limit = ages.birthday(birth, ages.AFTERCARE_MAX_AGE)
    if start >= limit:
        raise RuleViolation(
            f"Tiltak kan ikke starte etter fylte 25 år (alder {ages.age_on(birth, start)} år)"
        )
    if end is not None and end > limit:
        raise RuleViolation("Tiltak etter barnevernsloven kan ikke vare etter fylte 25 år")
    if care_order and start >= ages.birthday(birth, ages.ADULT_AGE):
        raise RuleViolation("Omsorgsovertakelse kan ikke gjelde en som har fylt 18 år")


def needs_young_persons_consent(*, birth: date, start: date) -> bool:
    """A measure for someone over 18 requires the young person's consent (BVL2021 § 3-6)."""
    return start >= ages.birthday(birth, ages.ADULT_AGE)
