"""Permission-aware reads of reports of concern."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import Http404

from vern.cases.selectors import visible_cases
from vern.core.access import units_with_role
from vern.core.audit import audit
from vern.core.audit_events import AuditEvent
from vern.core.models import Role, Unit, User
from vern.intake.models import ConcernReport


def visible_reports(user: User) -> QuerySet[ConcernReport]:
    """Reports of cases the user may read, and for intake the unreviewed reports of its units."""
    intake_units = units_with_role(user, [Role.INTAKE, Role.LEADER])
    return ConcernReport.objects.filter(
        Q(case__in=visible_cases(user)) | Q(case__unit_id__in=intake_units, review_concluded_on__isnull=True)
    )


def reviewable_reports(user: User) -> QuerySet[ConcernReport]:
    """Reports the user may review: intake and leaders in the unit, and the case's caseworkers."""
    from vern.cases.selectors import writable_cases

    intake_units = units_with_role(user, [Role.INTAKE, Role.LEADER])
    return ConcernReport.objects.filter(
        Q(case__in=writable_cases(user)) | Q(case__unit_id__in=intake_units, review_concluded_on__isnull=True)
    )


def get_report_for(user: User, report_id: int, *, write: bool = False) -> ConcernReport:
    scope = reviewable_reports(user) if write else visible_reports(user)
    report = scope.filter(pk=report_id).select_related("case", "case__unit", "case__child").first()
    if report is None:
        raise Http404
    if not write:
        audit(
            event=AuditEvent.REPORT_VIEWED, by=user, obj=report, case_id=report.case_id, unit=report.case.unit
        )
    return report


def units_for_registering(user: User) -> QuerySet[Unit]:
    return Unit.objects.filter(
        pk__in=units_with_role(user, [Role.INTAKE, Role.CASEWORKER, Role.LEADER]), kind=Unit.Kind.SERVICE
    )
