"""Permission-aware reads of cases. Views never query Case directly."""

from __future__ import annotations

from typing import TypeVar

from django.db.models import Exists, Model, OuterRef, Q, QuerySet
from django.http import Http404

from vern.cases.models import Case
from vern.core.audit import audit
from vern.core.audit_events import AuditEvent
from vern.core.models import Membership, Role, User

M = TypeVar("M", bound=Model)


def _case_scope(user: User) -> Q:
    """The cases a user may read, as one filter. Deny by default: no membership, no cases.

    leader, auditor: every case of their unit; caseworker: cases of their unit assigned to them or
    shared with them. Intake sees no cases, only the unreviewed reports of its unit
    (``vern.intake.selectors``).
    """
    scope = Q(pk__in=[])
    if not user.is_authenticated or not user.is_active:
        return scope
    shared = Case.shared_with.through.objects.filter(case_id=OuterRef("pk"), user_id=user.pk)
    for unit_id, role in Membership.objects.filter(user=user).values_list("unit_id", "role"):
        if role in (Role.LEADER, Role.AUDITOR):
            scope |= Q(unit_id=unit_id)
        elif role == Role.CASEWORKER:
            scope |= Q(unit_id=unit_id) & (Q(caseworker_id=user.pk) | Q(Exists(shared)))
    return scope


def visible_cases(user: User) -> QuerySet[Case]:
    return Case.objects.filter(_case_scope(user))


def _write_scope(user: User) -> Q:
    scope = Q(pk__in=[])
    if not user.is_authenticated or not user.is_active:
        return scope
    shared = Case.shared_with.through.objects.filter(case_id=OuterRef("pk"), user_id=user.pk)
    for unit_id, role in Membership.objects.filter(user=user).values_list("unit_id", "role"):
        if role == Role.LEADER:
            scope |= Q(unit_id=unit_id)
        elif role == Role.CASEWORKER:
            scope |= Q(unit_id=unit_id) & (Q(caseworker_id=user.pk) | Q(Exists(shared)))
    return scope


def writable_cases(user: User) -> QuerySet[Case]:
    return Case.objects.filter(_write_scope(user))


def can_write(user: User, case: Case) -> bool:
    return writable_cases(user).filter(pk=case.pk).exists()


def get_case_for(
    user: User, case_id: int, *, write: bool = False, event: AuditEvent = AuditEvent.CASE_VIEWED
) -> Case:
    """Return the case if the user may read it (or write it), logging the read as ``event`` (which
    page of the case was read); else 404."""
    scope = _write_scope(user) if write else _case_scope(user)
    case = Case.objects.filter(scope, pk=case_id).select_related("child", "unit", "caseworker").first()
    if case is None:
        raise Http404
    if not write:
        audit(event=event, by=user, case_id=case.pk, unit=case.unit)
    return case


def get_in_case_for(user: User, items: QuerySet[M], pk: int, *, event: AuditEvent, write: bool = False) -> M:
    """An item of a case (an investigation, a decision, a measure, a plan) that the user may read.

    ``items`` is the model's queryset with a ``case`` foreign key; the read is logged as ``event``
    on the item, in its case. Raises 404 outside the user's cases, as ``get_case_for``.
    """
    cases = writable_cases(user) if write else visible_cases(user)
    item = items.filter(case__in=cases, pk=pk).select_related("case", "case__unit", "case__child").first()
    if item is None:
        raise Http404
    case: Case = item.case  # type: ignore[attr-defined]
    if not write:
        audit(event=event, by=user, obj=item, case_id=case.pk, unit=case.unit)
    return item
