"""Opening, planning, extending and concluding investigations."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from vern.core import codes
from vern.core.audit import audit
from vern.core.audit_events import AuditEvent
from vern.core.breaches import BreachFacts, breach_record_if_late
from vern.core.codelists import paths
from vern.core.codes import CodedEntry, require_specifications
from vern.core.dates import local_date, today
from vern.core.models import User
from vern.intake.models import ConcernReport
from vern.investigations.models import DeadlineExtension, DecisionBasis, Investigation
from vern.rules import RuleViolation, conclusions, deadlines

# Review conclusion "Ikke henlagt": the report goes to investigation (register Melding/Konklusjon code 2).
SENDS_TO_INVESTIGATION = conclusions.REVIEW_SENDS_TO_INVESTIGATION
# Investigation conclusions that need a decision basis (register Undersøkelse kontroll 7).
CONCLUSIONS_NEEDING_BASIS = conclusions.INVESTIGATION_LEADING_TO_MEASURES


def _audit(event: AuditEvent, inv: Investigation, by: User) -> None:
    audit(event=event, by=by, obj=inv, case_id=inv.case_id, unit=inv.case.unit)


def investigation_start_date(report: ConcernReport) -> date:
    """The register: the review's conclusion date is the start, at the latest 7 days after receipt."""
    assert report.review_concluded_on is not None
    return min(report.review_concluded_on, deadlines.review_due(local_date(report.received_at)))


def investigation_open(*, report: ConcernReport, by: User) -> Investigation:
    if report.review_conclusion != SENDS_TO_INVESTIGATION:
        raise ValidationError(_("Only a report whose review sent it to investigation can start one."))
    if Investigation.objects.filter(report=report).exists():
        raise ValidationError(_("An investigation is already open for this report."))
    with transaction.atomic():
        inv = Investigation.objects.create(
            case=report.case, report=report, started_on=investigation_start_date(report), opened_by=by
        )
        _audit(AuditEvent.INVESTIGATION_OPENED, inv, by)
    return inv


def _require_open(inv: Investigation) -> None:
    if inv.concluded_on is not None:
        raise ValidationError(_("The investigation is concluded and can no longer be changed."))


def _require_date(day: date, inv: Investigation, field: str) -> None:
    if day > today():
        raise ValidationError(_("%(field)s cannot be in the future.") % {"field": field})
    if day < inv.started_on:
        raise ValidationError(_("%(field)s cannot be before the investigation started.") % {"field": field})


def investigation_record_plan(
    *, investigation: Investigation, by: User, made_on: date, text: str
) -> Investigation:
    _require_open(investigation)
    _require_date(made_on, investigation, _("The plan date"))
    if not text.strip():
        raise ValidationError(_("Describe the investigation plan."))
    with transaction.atomic():
        investigation.plan_made_on = made_on
        investigation.plan_text = text.strip()
        investigation.save(update_fields=["plan_made_on", "plan_text"])
        _audit(AuditEvent.INVESTIGATION_PLAN_RECORDED, investigation, by)
    return investigation


def investigation_extend(
    *, investigation: Investigation, by: User, decided_on: date, reason: str
) -> Investigation:
    """Extend to six months (BVL2021 § 2-2, "i særlige tilfeller"): once, with a reason, before concluding."""
    _require_open(investigation)
    _require_date(decided_on, investigation, _("The extension date"))
    try:
        clean_reason = deadlines.require_extension_reason(reason)
        deadlines.extension_allowed(
            started_on=investigation.started_on,
            requested_on=decided_on,
            already_extended=investigation.is_extended,
        )
    except RuleViolation as exc:
        raise ValidationError(str(exc)) from exc
    with transaction.atomic():
        DeadlineExtension.objects.create(
            investigation=investigation, decided_on=decided_on, reason=clean_reason, decided_by=by
        )
        _audit(AuditEvent.INVESTIGATION_EXTENDED, investigation, by)
    investigation.refresh_from_db()
    return investigation


def investigation_record_participation(
    *, investigation: Investigation, by: User, code: str, recorded_on: date, note: str = ""
) -> Investigation:
    _require_open(investigation)
    _require_date(recorded_on, investigation, _("The participation date"))
    codes.require_valid(paths.CHILD_PARTICIPATION, [code], recorded_on)
    with transaction.atomic():
        investigation.participation_code = code
        investigation.participation_on = recorded_on
        investigation.participation_note = note.strip()
        investigation.save(update_fields=["participation_code", "participation_on", "participation_note"])
        _audit(AuditEvent.INVESTIGATION_PARTICIPATION_RECORDED, investigation, by)
    return investigation


def investigation_due(investigation: Investigation) -> date:
    return deadlines.investigation_due(investigation.started_on, extended=investigation.is_extended)


def investigation_conclude(
    *,
    investigation: Investigation,
    by: User,
    concluded_on: date,
    conclusion: str,
    basis: Sequence[CodedEntry] = (),
    breach: BreachFacts | None = None,
) -> Investigation:
    """Conclude: the child's participation recorded, a valid conclusion code, a basis where required."""
    _require_open(investigation)
    if concluded_on > today():
        raise ValidationError(_("The conclusion date cannot be in the future."))
    if concluded_on < investigation.started_on:
        raise ValidationError(_("The investigation cannot be concluded before it started."))
    if not investigation.participation_code:
        raise ValidationError(_("Record the child's participation before concluding."))
    codes.require_valid(paths.INVESTIGATION_CONCLUSION, [conclusion], concluded_on)
    if conclusion in CONCLUSIONS_NEEDING_BASIS and not basis:
        raise ValidationError(_("This conclusion requires a decision basis."))
    codes.require_valid(paths.INVESTIGATION_BASIS, [b.code for b in basis], concluded_on)
    require_specifications(paths.INVESTIGATION_BASIS, basis)
    with transaction.atomic():
        # Before any change: a refused late conclusion must leave the investigation as it was.
        breach_record_if_late(
            clock=deadlines.INVESTIGATION.name,
            object_id=investigation.pk,
            case=investigation.case,
            due=investigation_due(investigation),
            concluded_on=concluded_on,
            breach=breach,
            by=by,
        )
        investigation.concluded_on = concluded_on
        investigation.conclusion = conclusion
        investigation.concluded_by = by
        investigation.save(update_fields=["concluded_on", "conclusion", "concluded_by"])
        DecisionBasis.objects.bulk_create(
            DecisionBasis(investigation=investigation, code=b.code, specification=b.specification)
            for b in basis
        )
        _audit(AuditEvent.INVESTIGATION_CONCLUDED, investigation, by)
    return investigation
