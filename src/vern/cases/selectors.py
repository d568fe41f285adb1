"""Permission-aware reads of cases. Views never query Case directly."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TypeVar

from django.db.models import Exists, Model, OuterRef, Q, QuerySet
from django.http import Http404

from vern.cases.models import Case, Child, IdentityKind, Party
from vern.core.access import units_with_role
from vern.core.audit import audit
from vern.core.audit_events import AuditEvent
from vern.core.models import Membership, Role, User
from vern.worklists import store
from vern.worklists.selectors import CaseScope

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


def may_close(user: User, case: Case) -> bool:
    """Closing and reopening a case: the unit's leaders and the caseworker the case is assigned to."""
    if not can_write(user, case):
        return False
    return case.caseworker_id == user.pk or case.unit_id in units_with_role(user, [Role.LEADER])


# -- the case list


def search_q(query: str) -> Q:
    """Cases by journal number, by the child's name (every word in the first or last name), or by
    the child's fødselsnummer or D-nummer: exactly 11 digits, typed with or without spaces."""
    digits = "".join(query.split())
    if len(digits) == 11 and digits.isdigit():
        # Only real numbers identify a child (placeholders are shared); the kinds also let the
        # database use the unique index on them.
        real = [IdentityKind.FODSELSNUMMER, IdentityKind.D_NUMMER]
        return Q(child__identity_number=digits, child__identity_kind__in=real) | Q(
            journal_number=query.strip()
        )
    name = Q()
    for word in query.split():
        name &= Q(child__first_name__icontains=word) | Q(child__last_name__icontains=word)
    return Q(journal_number__icontains=query.strip()) | name


OPEN, CLOSED = "apen", "avsluttet"
UNASSIGNED = "ingen"


@dataclass(frozen=True)
class CaseFilters:
    """What the case list is narrowed to; empty values narrow nothing."""

    query: str = ""
    status: str = ""  # OPEN, CLOSED or empty for both
    caseworker: str = ""  # a user's id, UNASSIGNED, or empty for anyone
    overdue: bool = False


def _overdue_q(user: User, today: date) -> Q:
    """Cases with an open deadline past its due date, from the worklists' store (ADR 0010): whole
    units for their leaders and auditors, a caseworker's own cases elsewhere."""
    whole = tuple(sorted(units_with_role(user, [Role.LEADER, Role.AUDITOR])))
    own = tuple(sorted(set(units_with_role(user, [Role.CASEWORKER])) - set(whole)))
    found = Q(pk__in=[])
    if whole:
        found |= Q(pk__in=store.overdue_cases(CaseScope(unit_ids=whole), today=today))
    if own:
        found |= Q(pk__in=store.overdue_cases(CaseScope(unit_ids=own, caseworker_id=user.pk), today=today))
    return found


def list_cases(user: User, filters: CaseFilters, *, today: date) -> QuerySet[Case]:
    """The cases the user may read, narrowed by ``filters``, newest first."""
    cases = visible_cases(user)
    if filters.query:
        cases = cases.filter(search_q(filters.query))
    if filters.status == OPEN:
        cases = cases.filter(closed_on__isnull=True)
    elif filters.status == CLOSED:
        cases = cases.filter(closed_on__isnull=False)
    if filters.caseworker == UNASSIGNED:
        cases = cases.filter(caseworker__isnull=True)
    elif filters.caseworker:
        cases = cases.filter(caseworker_id=int(filters.caseworker))
    if filters.overdue:
        cases = cases.filter(_overdue_q(user, today))
    return cases.select_related("child", "unit", "caseworker").order_by("-opened_on", "-pk")


def caseworkers_to_filter_by(user: User) -> QuerySet[User]:
    """The caseworkers of the units whose every case the user reads (leaders, auditors)."""
    units = units_with_role(user, [Role.LEADER, Role.AUDITOR])
    members = Membership.objects.filter(unit_id__in=units, role=Role.CASEWORKER).values("user_id")
    return User.objects.filter(pk__in=members).order_by("last_name", "first_name", "pk")


# -- the child's other cases and its siblings


@dataclass(frozen=True)
class Sibling:
    child: Child
    cases: list[Case]


@dataclass(frozen=True)
class Family:
    """From a case: the child's other cases in the same service, and its siblings there (children
    with a case in which the same mother or father, by identity number, is a party). Only cases the
    user may read are listed; siblings whose cases the user may not read are only counted."""

    other_cases: list[Case]
    siblings: list[Sibling]
    hidden_siblings: int


PARENTS = (Party.Relation.MOTHER, Party.Relation.FATHER)


def family_for(user: User, case: Case) -> Family:
    """Never anything of another service: a service sees only what it registered."""
    readable = visible_cases(user).filter(unit_id=case.unit_id).select_related("child").order_by("-opened_on")
    # Small lists of keys, each found by an index, rather than one nested query: a planner without
    # fresh statistics (a unit just imported) turned the nesting into minutes.
    parents = list(
        Party.objects.filter(case=case, relation__in=PARENTS)
        .exclude(identity_number="")
        .values_list("identity_number", flat=True)
    )
    parent_cases = set(
        Party.objects.filter(identity_number__in=parents, relation__in=PARENTS).values_list(
            "case_id", flat=True
        )
    )
    sibling_cases = dict(
        Case.objects.filter(pk__in=parent_cases, unit_id=case.unit_id)
        .exclude(child_id=case.child_id)
        .values_list("pk", "child_id")
    )
    shown: dict[int, Sibling] = {}
    for sibling_case in readable.filter(pk__in=list(sibling_cases)):
        shown.setdefault(sibling_case.child_id, Sibling(sibling_case.child, [])).cases.append(sibling_case)
    all_siblings = set(sibling_cases.values())
    return Family(
        other_cases=list(readable.filter(child_id=case.child_id).exclude(pk=case.pk)),
        siblings=sorted(shown.values(), key=lambda s: (s.child.birth_date, s.child.pk)),
        hidden_siblings=len(all_siblings - set(shown)),
    )
