"""The case list, the case page and its access log."""

from __future__ import annotations

from functools import partial

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from vern.cases import selectors, services
from vern.cases.forms import AssignForm, CaseFilterForm, CloseForm, PartyForm, ReopenForm
from vern.cases.models import AddressProtection, Case
from vern.cases.selectors import can_write, get_case_for
from vern.chronology.access_log import lines as access_log_lines
from vern.core import codes
from vern.core.access import has_role, sees_protected_addresses
from vern.core.audit_events import AuditEvent
from vern.core.codelists import paths
from vern.core.dates import local_date, today
from vern.core.models import AuditEntry, Role, User
from vern.core.views import Action, any_errors, handle_actions
from vern.decisions.models import Decision
from vern.referrals.models import Referral
from vern.rules import deadlines
from vern.rules.conclusions import INVESTIGATION_LEADING_TO_MEASURES
from vern.worklists.selectors import CaseScope, open_deadlines


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


def case_list(request: HttpRequest) -> HttpResponse:
    """The cases the user may read: search, filters (a GET form) and pages of 50."""
    user = _user(request)
    caseworkers = selectors.caseworkers_to_filter_by(user)
    form = CaseFilterForm(request.GET or None, caseworkers=caseworkers if caseworkers.exists() else None)
    cases = selectors.list_cases(user, form.filters(), today=today())
    page = Paginator(cases, 50).get_page(request.GET.get("side"))
    kept = [(key, value) for key, values in request.GET.lists() if key != "side" for value in values if value]
    context = {"page": page, "form": form, "page_params": urlencode(kept), "filtered": bool(kept)}
    return render(request, "cases/case_list.html", context)


def shown_address(user: User, unit_id: int, address: str, protection: str) -> str:
    """Strictly confidential addresses are shown only to designated roles, never to anyone else."""
    if protection == AddressProtection.STRICTLY_CONFIDENTIAL and not sees_protected_addresses(user, unit_id):
        return _("Strictly confidential address (hidden)")
    return address


def _actions(case: Case, user: User, *, writable: bool, is_leader: bool) -> dict[str, Action]:
    closer = selectors.may_close(user, case)
    return {
        "party": Action(
            PartyForm,
            lambda f: services.party_add(case=case, by=user, **f.cleaned_data),
            gettext_lazy("The party is added."),
            allowed=writable,
        ),
        "assign": Action(
            partial(AssignForm, unit_id=case.unit_id),
            lambda f: services.case_assign(case=case, caseworker=f.cleaned_data["caseworker"], by=user),
            gettext_lazy("The caseworker is assigned."),
            allowed=is_leader,
        ),
        "close": Action(
            CloseForm,
            lambda f: services.case_close(case=case, by=user, **f.cleaned_data),
            gettext_lazy("The case is closed."),
            allowed=closer and case.closed_on is None,
        ),
        "reopen": Action(
            ReopenForm,
            lambda f: services.case_reopen(case=case, by=user, **f.cleaned_data),
            gettext_lazy("The case is reopened."),
            allowed=closer and case.closed_on is not None,
        ),
    }


def _investigation_rows(case: Case, *, may_decide: bool) -> list[dict[str, object]]:
    """Each investigation with its conclusion in words and the decisions that followed it. A decision
    is offered where the conclusion leads to measures and none has been made yet."""
    decided: dict[int, list[Decision]] = {}
    for decision in case.decisions.filter(investigation__isnull=False).order_by("decided_on", "pk"):
        decided.setdefault(decision.investigation_id or 0, []).append(decision)
    rows = []
    for inv in case.investigations.order_by("-started_on", "-pk"):
        decisions = decided.get(inv.pk, [])
        rows.append(
            {
                "inv": inv,
                "conclusion": codes.text(paths.INVESTIGATION_CONCLUSION, inv.conclusion),
                "decisions": decisions,
                "offer_decision": may_decide
                and inv.concluded_on is not None
                and inv.conclusion in INVESTIGATION_LEADING_TO_MEASURES
                and not decisions,
            }
        )
    return rows


@require_http_methods(["GET", "POST"])
def case_detail(request: HttpRequest, case_id: int) -> HttpResponse:
    user = _user(request)
    case = get_case_for(user, case_id)
    writable = can_write(user, case)
    is_leader = has_role(user, case.unit_id, [Role.LEADER])
    bound, done = handle_actions(request, _actions(case, user, writable=writable, is_leader=is_leader))
    if done is not None:
        return done
    reports = case.reports.order_by("-received_at")
    report_rows = [
        {
            "report": r,
            "due": deadlines.review_due(local_date(r.received_at)),
        }
        for r in reports
    ]
    parties = [
        {"party": p, "address": shown_address(user, case.unit_id, p.address, p.address_protection)}
        for p in case.parties.order_by("pk")
    ]
    may_decide = writable and case.closed_on is None
    context = {
        "case": case,
        "child": case.child,
        "child_address": shown_address(user, case.unit_id, case.child.address, case.child.address_protection),
        "parties": parties,
        "reports": report_rows,
        "investigations": _investigation_rows(case, may_decide=may_decide),
        # Later stages through the case's own relations: the case page shows the child's whole case.
        "decisions": case.decisions.select_related("approval").order_by("-decided_on", "-pk"),
        "measures": case.measures.order_by("-start_on", "-pk"),
        "plans": case.plans.order_by("-start_on", "-pk"),
        "referrals": Referral.objects.filter(case=case)
        .select_related("entry", "provider")
        .order_by("-ordered_at"),
        # get_case_for checked that the user may read the case.
        "deadlines": open_deadlines(CaseScope(case_id=case.pk), today=today()),
        "family": selectors.family_for(user, case),
        "closing": case.closings.filter(reopened_at__isnull=True).order_by("-pk").first(),
        "writable": writable,
        "may_decide": may_decide,
        "is_leader": is_leader,
        "forms": bound,
    }
    return render(request, "cases/case_detail.html", context, status=400 if any_errors(bound) else 200)


def access_log(request: HttpRequest, case_id: int) -> HttpResponse:
    """Who opened or changed the case, and when, in sentences. For the unit's leaders."""
    user = _user(request)
    case = get_case_for(user, case_id, event=AuditEvent.CASE_ACCESS_LOG_VIEWED)
    if not has_role(user, case.unit_id, [Role.LEADER]):
        raise Http404
    entries = AuditEntry.objects.filter(case_id=case.pk).select_related("user").order_by("-at", "-pk")
    page = Paginator(entries, 100).get_page(request.GET.get("side"))
    context = {"case": case, "page": page, "lines": access_log_lines(list(page))}
    return render(request, "cases/access_log.html", context)
