"""Recording why a statutory deadline was missed (fristbrudd)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Protocol

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from vern.core.audit import audit
from vern.core.audit_events import AuditEvent
from vern.core.models import DeadlineBreach, Unit, User
from vern.rules import deadlines


class _CaseLike(Protocol):
    pk: int
    unit: Unit


@dataclass(frozen=True)
class BreachFacts:
    reason: str
    explanation: str = ""


def _clean(breach: BreachFacts) -> BreachFacts:
    try:
        reason = deadlines.BreachReason(breach.reason)
    except ValueError as exc:
        raise ValidationError(_("Choose a reason for the missed deadline.")) from exc
    explanation = breach.explanation.strip()
    if deadlines.breach_reason_requires_text(reason) and not explanation:
        raise ValidationError(_("Describe the reason when the reason is 'other'."))
    return BreachFacts(reason=reason.value, explanation=explanation)


def breach_record(
    *,
    clock: str,
    object_id: int,
    case: _CaseLike,
    breach: BreachFacts,
    by: User,
    period_start: date | None = None,
) -> DeadlineBreach:
    """Record (or correct) the reason a deadline was missed.

    ``period_start`` keys a periodic clock's missed interval (ADR 0014); None for a clock that runs once.
    """
    clean = _clean(breach)
    with transaction.atomic():
        record, _created = DeadlineBreach.objects.update_or_create(
            clock=clock,
            object_id=object_id,
            period_start=period_start,
            defaults={
                "case_id": case.pk,
                "unit": case.unit,
                "reason": clean.reason,
                "explanation": clean.explanation,
                "recorded_by": by,
            },
        )
        audit(
            event=AuditEvent.DEADLINE_BREACH_RECORDED,
            by=by,
            obj=record,
            case_id=case.pk,
            unit=case.unit,
            extra={"clock": clock, "item": object_id},
        )
    return record


def breach_record_if_late(
    *,
    clock: str,
    object_id: int,
    case: _CaseLike,
    due: date,
    concluded_on: date,
    breach: BreachFacts | None,
    by: User,
    period_start: date | None = None,
) -> None:
    """When a step is done: a late one needs a reason, unless one was recorded while it was overdue.

    Raises ValidationError (Norwegian) and records nothing when the reason is missing; call it before
    any other change, in the same transaction, so that a refused step changes nothing.
    """
    if concluded_on <= due:
        return
    if breach is not None:
        breach_record(
            clock=clock, object_id=object_id, case=case, breach=breach, by=by, period_start=period_start
        )
        return
    if not DeadlineBreach.objects.filter(
        clock=clock, object_id=object_id, period_start=period_start
    ).exists():
        raise ValidationError(
            _("The deadline was %(due)s. Give the reason the deadline was missed.")
            % {"due": f"{due:%d.%m.%Y}"}
        )


def breaches_record_if_late(
    *,
    clock: str,
    object_id: int,
    case: _CaseLike,
    before: Sequence[deadlines.Missed],
    after: Sequence[deadlines.Missed],
    breach: BreachFacts | None,
    by: User,
) -> None:
    """For a periodic clock: the missed intervals a step adds need a reason, as ``breach_record_if_late``.

    ``before`` and ``after`` are the clock's missed intervals without and with the step; a step
    recorded after a later one can split an interval in two, so it may add more than one.
    """
    known = set(before)
    for missed in after:
        if missed not in known:
            breach_record_if_late(
                clock=clock,
                object_id=object_id,
                case=case,
                due=missed.due,
                concluded_on=missed.done,
                breach=breach,
                by=by,
                period_start=missed.start,
            )
