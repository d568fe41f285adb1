"""Statutory deadlines (frister) for reports of concern and investigations.

The clocks are data (:class:`Clock`), each citing the provision it implements; the functions over
them are pure and work on ``date`` values in Europe/Oslo. Deadlines are always derived from facts
(received date, start date, a recorded extension), never typed in.

No weekend or public-holiday roll-over is applied: the time limits in the Child Welfare Act are the
service's own processing limits, not time limits for a party (forvaltningsloven § 29 does not apply),
and the national register checks them as plain calendar arithmetic (Kravspesifikasjon, "Melding
Kontroll 3").
"""

from __future__ import annotations

import calendar
from collections.abc import Mapping
from dataclasses import KW_ONLY, dataclass
from datetime import UTC, date, datetime, timedelta
from enum import StrEnum
from types import MappingProxyType


# Named for the domain (a rule is violated), not N818's "...Error": services and views catch it by this name.
class RuleViolation(ValueError):
    """A fact breaks a statutory or product rule; the message is Norwegian and reaches the UI."""


@dataclass(frozen=True)
class Clock:
    """A statutory time limit: a number of days, of calendar months, or (for the county board) of hours.

    ``source`` cites the provision (and quotes its words) so a reader can check the rule.
    """

    name: str
    _: KW_ONLY
    days: int | None = None
    months: int | None = None
    hours: int | None = None
    source: str
    note: str = ""

    def __post_init__(self) -> None:
        lengths = [n for n in (self.days, self.months, self.hours) if n is not None]
        if len(lengths) != 1:
            raise ValueError(f"Clock {self.name!r}: set exactly one of days, months and hours")
        if lengths[0] <= 0:
            raise ValueError(f"Clock {self.name!r}: the length must be positive")
        if not self.source.strip():
            raise ValueError(f"Clock {self.name!r}: every clock must cite its legal source")

    @property
    def pg_interval(self) -> str:
        """The clock as a PostgreSQL interval literal, e.g. ``'3 months'``.

        ``(start + interval '3 months')::date`` in PostgreSQL gives the same date as
        :func:`due_date`, so worklists computed in the database agree with this module.
        """
        if self.days is not None:
            return f"{self.days} days"
        if self.hours is not None:
            return f"{self.hours} hours"
        return f"{self.months} months"


REVIEW = Clock(
    "review",
    days=7,
    source=(
        "BVL2021 § 2-1 første ledd: barnevernstjenesten skal snarest, og senest innen en uke, "
        "gjennomgå innkomne meldinger"
    ),
    note=(
        "Runs from the day the report of concern was received. The national register warns when "
        "the conclusion date is more than 7 days after the start date (Kravspesifikasjon, "
        "Melding Kontroll 3), so due = received + 7 days."
    ),
)

INVESTIGATION = Clock(
    "investigation",
    months=3,
    source="BVL2021 § 2-2: undersøkelsen skal gjennomføres snarest og senest innen tre måneder",
    note=(
        "Runs from the investigation's start date, which is the date the review concluded "
        "(register code list Melding/Konklusjon code 2: 'konklusjonsdato melding (eventuelt 7 dager "
        "etter mottatt melding) er startdato undersøkelse'). Calendar months, not 90 days: the "
        "register's own 90-day check is marked for revision to 3 months (Undersøkelse Kontroll 11)."
    ),
)

INVESTIGATION_EXTENDED = Clock(
    "investigation_extended",
    months=6,
    source="BVL2021 § 2-2: i særlige tilfeller kan fristen være inntil seks måneder",
    note=(
        "Applies only with a recorded extension (who, when, why), register element "
        "Undersokelse/UtvidetFrist with Innvilget = 1. Counted from the same start as INVESTIGATION."
    ),
)

REPORTER_FEEDBACK = Clock(
    "reporter_feedback",
    days=21,
    source=(
        "BVL2021 § 2-1 (tilbakemelding til melder i offentlig stilling; paragraph to verify), tidligere "
        "BVL1992 § 6-7a: innen tre uker etter at meldingen er mottatt skal melderen få bekreftelse"
    ),
    note="Runs from the day the report of concern was received; owed to reporters in a public or "
    "professional capacity. DOMAIN.md marks the length under BVL2021 as *verify*.",
)

CLOCKS: Mapping[str, Clock] = MappingProxyType(
    {clock.name: clock for clock in (REVIEW, INVESTIGATION, INVESTIGATION_EXTENDED, REPORTER_FEEDBACK)}
)


def add_months(day: date, months: int) -> date:
    """Add calendar months, clamping to the last day of the target month.

    31 January + 1 month = 28 (or 29) February; 31 August + 3 months = 30 November. This is exactly
    PostgreSQL's ``date + interval 'N months'`` (it moves the month, then clamps the day to the
    month's length), so due dates computed in SQL agree with this function. Note that clamping makes
    the operation non-associative: ``add_months(add_months(d, 1), 1)`` may differ from
    ``add_months(d, 2)``; always add the whole clock to the start date.

    "Innen tre måneder" is read as the same day number three calendar months later, the usual
    Norwegian reading of a time limit in months (cf. domstolloven § 148 for procedural limits).
    """
    if months < 0:
        raise ValueError("months must be zero or positive")
    return _shift_months(day, months)


def subtract_months(day: date, months: int) -> date:
    """The same day ``months`` calendar months earlier, clamped as ``add_months`` clamps (31 December
    − 3 months = 30 September)."""
    if months < 0:
        raise ValueError("months must be zero or positive")
    return _shift_months(day, -months)


def _shift_months(day: date, months: int) -> date:
    index = day.year * 12 + (day.month - 1) + months
    year, month = index // 12, index % 12 + 1
    last_day = calendar.monthrange(year, month)[1]
    return date(year, month, min(day.day, last_day))


def due_date(clock: Clock, start: date) -> date:
    """The day a clock started on ``start`` runs out; concluding on that day is in time."""
    if clock.days is not None:
        return start + timedelta(days=clock.days)
    if clock.months is None:
        raise ValueError(f"Clock {clock.name!r} counts hours: use due_at with a point in time")
    return add_months(start, clock.months)


def due_at(clock: Clock, start: datetime) -> datetime:
    """The moment an hour clock started at ``start`` runs out (e.g. the county board's 48 hours).

    Hours that pass, not hours on the clock face: across the change to or from summer time, 48 hours
    end an hour earlier or later on the wall clock. (Adding a timedelta to a datetime in a zone adds
    wall-clock time, so the sum is taken in UTC.)
    """
    if clock.hours is None:
        raise ValueError(f"Clock {clock.name!r} does not count hours: use due_date")
    if start.tzinfo is None:
        raise ValueError("An hour clock needs a moment with its time zone")
    return (start.astimezone(UTC) + timedelta(hours=clock.hours)).astimezone(start.tzinfo)


def review_due(received_on: date) -> date:
    """Due date for reviewing a report of concern (BVL2021 § 2-1: within a week of receipt)."""
    return due_date(REVIEW, received_on)


# Register Melder codes for reporters in a public or professional capacity (Kodelister.md): the
# child welfare service itself and the out-of-hours service, NAV, the police, kindergartens, health
# and school services, PPT, mental health care, doctors and hospitals, dentists, family counselling,
# substance-abuse services, crisis centres, immigration authorities, youth outreach and other public
# bodies. They have a duty to report (BVL2021 § 13-2) and are owed feedback; private persons,
# volunteers and anonymous reporters are not.
PROFESSIONAL_REPORTER_CODES: frozenset[str] = frozenset(
    {
        "5",
        "6",
        "7",
        "8",
        "9",
        "10",
        "11",
        "12",
        "13",
        "14",
        "15",
        "16",
        "17",
        "18",
        "19",
        "20",
        "22",
        "24",
        "25",
    }
)


def reporter_feedback_due(received_on: date) -> date:
    """Due date for telling a professional reporter that the report was received (three weeks)."""
    return due_date(REPORTER_FEEDBACK, received_on)


def investigation_due(started_on: date, *, extended: bool) -> date:
    """Due date for an investigation (BVL2021 § 2-2: three months, six with a recorded extension)."""
    return due_date(INVESTIGATION_EXTENDED if extended else INVESTIGATION, started_on)


# Worklist grouping "due within 7 days" from the product requirements, not from law.
DUE_SOON_DAYS = 7


class DeadlineStatus(StrEnum):
    OVERDUE = "overdue"  # open, and the due date has passed
    DUE_SOON = "due_soon"  # open, due within the "soon" window (today included)
    LATER = "later"  # open, due after the window
    MET = "met"  # concluded on or before the due date
    BREACHED = "breached"  # concluded after the due date


def status(
    *, due: date, concluded_on: date | None, today: date, soon_days: int = DUE_SOON_DAYS
) -> DeadlineStatus:
    """Classify a deadline for worklists and reports.

    A step concluded on its due date is in time (the limit is "senest innen"), so an open step due
    today is DUE_SOON, not OVERDUE. ``today`` is ignored once the step is concluded.
    """
    if soon_days < 0:
        raise ValueError("soon_days must be zero or positive")
    if concluded_on is not None:
        return DeadlineStatus.MET if concluded_on <= due else DeadlineStatus.BREACHED
    if today > due:
        return DeadlineStatus.OVERDUE
    if (due - today).days <= soon_days:
        return DeadlineStatus.DUE_SOON
    return DeadlineStatus.LATER


@dataclass(frozen=True)
class Missed:
    """A step of a periodic clock (a visit, a plan evaluation) done after its due date: one breach.

    ``start`` is the day its interval began: the step before it, or the day the clock started. It
    keys the breach (ADR 0014): a later change of the interval's length moves ``due``, never ``start``,
    so a reason recorded while the step was overdue still belongs to it when the step is done.
    """

    start: date
    due: date
    done: date


def is_breach(*, due: date, concluded_on: date | None, today: date) -> bool:
    """A deadline breach (fristbrudd): concluded after the due date, or still open past it."""
    return status(due=due, concluded_on=concluded_on, today=today) in {
        DeadlineStatus.OVERDUE,
        DeadlineStatus.BREACHED,
    }


class BreachReason(StrEnum):
    """Why a deadline was breached; leaders need the causes recorded and counted (DOMAIN.md)."""

    HOLIDAYS = "holidays"
    CAPACITY = "capacity"
    FAMILY_UNREACHABLE = "family_unreachable"
    FAMILY_AVOIDS_CONTACT = "family_avoids_contact"
    COMPLEX_CASE = "complex_case"
    OTHER = "other"


# English source strings; the UI translates them.
def gettext_noop(message: str) -> str:
    """Mark a label for translation: Django's makemessages extracts calls by this name.

    The identity here keeps the rules free of Django; the UI translates the label with gettext.
    """
    return message


BREACH_REASON_LABELS: Mapping[BreachReason, str] = MappingProxyType(
    {
        BreachReason.HOLIDAYS: gettext_noop("Holidays"),
        BreachReason.CAPACITY: gettext_noop("Lack of capacity"),
        BreachReason.FAMILY_UNREACHABLE: gettext_noop("Family could not be reached"),
        BreachReason.FAMILY_AVOIDS_CONTACT: gettext_noop("Family avoids contact"),
        BreachReason.COMPLEX_CASE: gettext_noop("Complex case"),
        BreachReason.OTHER: gettext_noop("Other"),
    }
)


def breach_reason_requires_text(reason: BreachReason) -> bool:
    """Only OTHER needs a free-text explanation; the named reasons speak for themselves."""
    return reason is BreachReason.OTHER


def require_extension_reason(reason: str) -> str:
    """Return the stripped reason for extending an investigation, or raise RuleViolation.

    BVL2021 § 2-2 allows six months only "i særlige tilfeller", so the special circumstances must be
    written down.
    """
    cleaned = reason.strip()
    if not cleaned:
        raise RuleViolation("Utvidelse av fristen krever en begrunnelse")
    return cleaned


def extension_allowed(
    *,
    started_on: date,
    requested_on: date,
    already_extended: bool,
    concluded_on: date | None = None,
) -> None:
    """Check that an investigation's deadline may be extended to six months (BVL2021 § 2-2).

    Product rule, kept simple: the extension may be recorded at most once, on or after the
    investigation's start and before it is concluded. An extension recorded after the ordinary
    three-month due date has passed is allowed (it is still a fact worth recording) but is flagged by
    :func:`extension_is_late` so the UI can warn and reports can show it; this module does not decide
    whether a late extension cures the breach. Raises RuleViolation with a Norwegian message.
    """
    if already_extended:
        raise RuleViolation("Fristen kan bare utvides én gang")
    if concluded_on is not None:
        raise RuleViolation("Fristen kan ikke utvides etter at undersøkelsen er avsluttet")
    if requested_on < started_on:
        raise RuleViolation("Fristen kan ikke utvides før undersøkelsen har startet")


def extension_is_late(*, started_on: date, requested_on: date) -> bool:
    """True when the extension is recorded after the ordinary three-month due date (BVL2021 § 2-2)."""
    return requested_on > investigation_due(started_on, extended=False)
