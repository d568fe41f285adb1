"""Registering reports of concern and concluding their review."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from vern.cases.models import Case
from vern.cases.services import ChildFacts, case_open_or_get, child_find_or_create
from vern.core import codes
from vern.core.audit import audit
from vern.core.audit_events import AuditEvent
from vern.core.breaches import BreachFacts, breach_record_if_late
from vern.core.codelists import paths
from vern.core.codes import CodedEntry, require_specifications
from vern.core.dates import local_date, today
from vern.core.identity import IdentityNumberKind
from vern.core.models import Unit, User
from vern.intake.models import ConcernReport, ReportContent, ReportReporter
from vern.rules import deadlines


def _find_duplicate(case: Case, received_at: datetime, text: str) -> ConcernReport | None:
    """A report on the same case received the same day with the same text is probably registered twice."""
    day = local_date(received_at)
    normalised = " ".join(text.split()).casefold()
    for other in case.reports.filter(
        received_at__gte=received_at - timedelta(days=1), received_at__lte=received_at + timedelta(days=1)
    ):
        if local_date(other.received_at) == day and " ".join(other.text.split()).casefold() == normalised:
            return other
    return None


def report_register(
    *,
    unit: Unit,
    by: User,
    child: ChildFacts,
    received_at: datetime,
    channel: str,
    text: str,
    reporters: Sequence[CodedEntry] = (),
    contents: Sequence[CodedEntry] = (),
) -> ConcernReport:
    """Register a report of concern; attach it to the child's open case or open a new one."""
    if received_at > timezone.now():
        raise ValidationError(_("The received time cannot be in the future."))
    received_on = local_date(received_at)
    unborn = child.identity is not None and child.identity.kind == IdentityNumberKind.UNBORN_PLACEHOLDER
    if child.birth_date > received_on and not unborn:
        raise ValidationError(_("The birth date cannot be after the report was received."))
    codes.require_valid(paths.REPORTER, [r.code for r in reporters], received_on)
    codes.require_valid(paths.CASE_CONTENT, [c.code for c in contents], received_on)
    require_specifications(paths.REPORTER, reporters)
    require_specifications(paths.CASE_CONTENT, contents)
    with transaction.atomic():
        found_child, _created = child_find_or_create(facts=child)
        case, _opened = case_open_or_get(unit=unit, child=found_child, by=by, opened_on=received_on)
        report = ConcernReport.objects.create(
            case=case,
            received_at=received_at,
            channel=channel,
            text=text,
            registered_by=by,
            possible_duplicate_of=_find_duplicate(case, received_at, text),
        )
        ReportReporter.objects.bulk_create(
            ReportReporter(report=report, code=r.code, specification=r.specification) for r in reporters
        )
        ReportContent.objects.bulk_create(
            ReportContent(report=report, code=c.code, specification=c.specification) for c in contents
        )
        audit(event=AuditEvent.REPORT_REGISTERED, by=by, obj=report, case_id=case.pk, unit=unit)
    return report


def report_add_codes(
    *,
    report: ConcernReport,
    by: User,
    reporters: Sequence[CodedEntry] = (),
    contents: Sequence[CodedEntry] = (),
) -> ConcernReport:
    """Add reporters or case content to a report not yet reviewed (often learnt after the phone call)."""
    if report.is_reviewed:
        raise ValidationError(_("The review is concluded; the report can no longer be changed."))
    received_on = local_date(report.received_at)
    codes.require_valid(paths.REPORTER, [r.code for r in reporters], received_on)
    codes.require_valid(paths.CASE_CONTENT, [c.code for c in contents], received_on)
    require_specifications(paths.REPORTER, reporters)
    require_specifications(paths.CASE_CONTENT, contents)
    with transaction.atomic():
        ReportReporter.objects.bulk_create(
            ReportReporter(report=report, code=r.code, specification=r.specification) for r in reporters
        )
        ReportContent.objects.bulk_create(
            ReportContent(report=report, code=c.code, specification=c.specification) for c in contents
        )
        audit(
            event=AuditEvent.REPORT_CODED,
            by=by,
            obj=report,
            case_id=report.case_id,
            unit=report.case.unit,
        )
    return report


def review_conclude(
    *,
    report: ConcernReport,
    by: User,
    concluded_on: date,
    conclusion: str,
    breach: BreachFacts | None = None,
) -> ConcernReport:
    """Conclude the review of a report (BVL2021 § 2-1): within a week, with reporter and case content.

    Concluding after the deadline requires the reason for the breach.
    """
    received_on = local_date(report.received_at)
    if report.is_reviewed:
        raise ValidationError(_("The review of this report is already concluded."))
    if concluded_on > today():
        raise ValidationError(_("The conclusion date cannot be in the future."))
    if concluded_on < received_on:
        raise ValidationError(_("The review cannot be concluded before the report was received."))
    if not report.reporters.exists():
        raise ValidationError(_("Register who reported before concluding the review."))
    if not report.contents.exists():
        raise ValidationError(_("Register the case content before concluding the review."))
    codes.require_valid(paths.REVIEW_CONCLUSION, [conclusion], concluded_on)
    with transaction.atomic():
        # Before any change: a refused late conclusion must leave the report as it was.
        breach_record_if_late(
            clock=deadlines.REVIEW.name,
            object_id=report.pk,
            case=report.case,
            due=deadlines.review_due(received_on),
            concluded_on=concluded_on,
            breach=breach,
            by=by,
        )
        report.review_concluded_on = concluded_on
        report.review_conclusion = conclusion
        report.reviewed_by = by
        report.save(update_fields=["review_concluded_on", "review_conclusion", "reviewed_by"])
        audit(
            event=AuditEvent.REPORT_REVIEW_CONCLUDED,
            by=by,
            obj=report,
            case_id=report.case_id,
            unit=report.case.unit,
        )
    return report


def report_record_feedback(
    *,
    report: ConcernReport,
    by: User,
    sent_on: date,
    text: str = "",
    breach: BreachFacts | None = None,
) -> ConcernReport:
    """Record the feedback owed to a reporter in a public or professional capacity (rules.deadlines).

    Feedback sent after the deadline requires the reason for the breach.
    """
    received_on = local_date(report.received_at)
    if not report.owes_feedback:
        raise ValidationError(_("This reporter is not owed feedback."))
    if report.feedback_sent_on is not None:
        raise ValidationError(_("The feedback is already recorded."))
    if sent_on > today():
        raise ValidationError(_("The date cannot be in the future."))
    if sent_on < received_on:
        raise ValidationError(_("Feedback cannot be sent before the report was received."))
    with transaction.atomic():
        breach_record_if_late(
            clock=deadlines.REPORTER_FEEDBACK.name,
            object_id=report.pk,
            case=report.case,
            due=deadlines.reporter_feedback_due(received_on),
            concluded_on=sent_on,
            breach=breach,
            by=by,
        )
        report.feedback_sent_on = sent_on
        report.feedback_text = text.strip()
        report.save(update_fields=["feedback_sent_on", "feedback_text"])
        audit(
            event=AuditEvent.REPORT_FEEDBACK_RECORDED,
            by=by,
            obj=report,
            case_id=report.case_id,
            unit=report.case.unit,
        )
    return report
