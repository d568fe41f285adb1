"""The case list, the case page and its access log."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from vern.cases import services
from vern.cases.forms import AssignForm, PartyForm
from vern.cases.models import AddressProtection
from vern.cases.selectors import can_write, get_case_for, visible_cases
from vern.chronology.access_log import lines as access_log_lines
from vern.core import codes
from vern.core.access import has_role, sees_protected_addresses
from vern.core.audit_events import AuditEvent
from vern.core.codelists import paths
from vern.core.dates import local_date, today
from vern.core.models import AuditEntry, Role, User
from vern.core.views import post_or_none, run_service
from vern.referrals.models import Referral
from vern.rules import deadlines
from vern.worklists.selectors import CaseScope, open_deadlines


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


def case_list(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    query = request.GET.get("q", "").strip()
    cases = visible_cases(user).select_related("child", "unit", "caseworker").order_by("-opened_on", "-pk")
    if query:
        cases = cases.filter(
            Q(journal_number__icontains=query)
            | Q(child__last_name__icontains=query)
            | Q(child__first_name__icontains=query)
        )
    page = Paginator(cases, 50).get_page(request.GET.get("side"))
    params = urlencode({"q": query}) if query else ""
    return render(request, "cases/case_list.html", {"page": page, "query": query, "page_params": params})


def shown_address(user: User, unit_id: int, address: str, protection: str) -> str:
    """Strictly confidential addresses are shown only to designated roles, never to anyone else."""
    if protection == AddressProtection.STRICTLY_CONFIDENTIAL and not sees_protected_addresses(user, unit_id):
        return _("Strictly confidential address (hidden)")
    return address


@require_http_methods(["GET", "POST"])
def case_detail(request: HttpRequest, case_id: int) -> HttpResponse:
    user = _user(request)
    case = get_case_for(user, case_id)
    writable = can_write(user, case)
    is_leader = has_role(user, case.unit_id, [Role.LEADER])
    party_form = PartyForm(post_or_none(request, "party"))
    assign_form = AssignForm(post_or_none(request, "assign"), unit_id=case.unit_id)
    if request.method == "POST":
        if party_form.is_bound and writable and party_form.is_valid():
            if run_service(
                party_form, lambda: services.party_add(case=case, by=user, **party_form.cleaned_data)
            ):
                messages.success(request, _("The party is added."))
                return redirect("cases:detail", case_id=case.pk)
        elif assign_form.is_bound and is_leader and assign_form.is_valid():
            chosen = assign_form.cleaned_data["caseworker"]
            if run_service(assign_form, lambda: services.case_assign(case=case, caseworker=chosen, by=user)):
                messages.success(request, _("The caseworker is assigned."))
                return redirect("cases:detail", case_id=case.pk)
        elif not (party_form.is_bound and writable) and not (assign_form.is_bound and is_leader):
            raise Http404
    reports = case.reports.order_by("-received_at")
    report_rows = [
        {
            "report": r,
            "due": deadlines.review_due(local_date(r.received_at)),
            "conclusion": codes.label(paths.REVIEW_CONCLUSION, r.review_conclusion)
            if r.review_conclusion
            else "",
        }
        for r in reports
    ]
    parties = [
        {"party": p, "address": shown_address(user, case.unit_id, p.address, p.address_protection)}
        for p in case.parties.order_by("pk")
    ]
    context = {
        "case": case,
        "child": case.child,
        "child_address": shown_address(user, case.unit_id, case.child.address, case.child.address_protection),
        "parties": parties,
        "reports": report_rows,
        "investigations": case.investigations.order_by("-started_on"),
        # Later stages through the case's own relations: the case page shows the child's whole case.
        "decisions": case.decisions.select_related("approval").order_by("-decided_on", "-pk"),
        "measures": case.measures.order_by("-start_on", "-pk"),
        "plans": case.plans.order_by("-start_on", "-pk"),
        "referrals": Referral.objects.filter(case=case)
        .select_related("entry", "provider")
        .order_by("-ordered_at"),
        # get_case_for checked that the user may read the case.
        "deadlines": open_deadlines(CaseScope(case_id=case.pk), today=today()),
        "writable": writable,
        "is_leader": is_leader,
        "party_form": party_form,
        "assign_form": assign_form,
    }
    failed = party_form.errors or assign_form.errors
    return render(request, "cases/case_detail.html", context, status=400 if failed else 200)


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
