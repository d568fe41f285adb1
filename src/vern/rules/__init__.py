"""Statutory clocks and rules as data plus small pure functions.

Nothing in this package imports Django: the rules are plain Python over dates and facts, so they
can be tested exhaustively (hypothesis) and reused by the database layer, which computes the same
due dates for worklists (a property test proves both agree).
"""

from __future__ import annotations

from vern.rules.deadlines import (
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

__all__ = [
    "BREACH_REASON_LABELS",
    "CLOCKS",
    "DUE_SOON_DAYS",
    "INVESTIGATION",
    "INVESTIGATION_EXTENDED",
    "REVIEW",
    "BreachReason",
    "Clock",
    "DeadlineStatus",
    "RuleViolation",
    "add_months",
    "breach_reason_requires_text",
    "due_date",
    "extension_allowed",
    "extension_is_late",
    "investigation_due",
    "is_breach",
    "require_extension_reason",
    "review_due",
    "status",
]
