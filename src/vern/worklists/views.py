"""Mine frister (a caseworker's deadlines) and Fristoversikt (a leader's view of the unit)."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from vern.cases.selectors import get_case_for, writable_cases
from vern.core.access import units_with_role
from vern.core.breaches import breach_record
from vern.core.dates import today
from vern.core.forms import REASON_LABELS, BreachForm
from vern.core.models import Role, User
from vern.core.views import chosen_unit, run_service
from vern.worklists import selectors, store


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


# Fristoversikt lists a page at a time: a large unit has hundreds of breaches a year.
ROWS_PER_PAGE = 50


def mine(request: HttpRequest) -> HttpResponse:
    """The open deadlines of the cases assigned to or shared with the caseworker."""
    user = _user(request)
    unit_ids = tuple(units_with_role(user, [Role.CASEWORKER, Role.LEADER]))
    scope = selectors.CaseScope(unit_ids=unit_ids, caseworker_id=user.pk, open_only=True)
    rows = store.open_deadlines(scope, today=today()) if unit_ids else []
    return render(
        request,
        "worklists/mine.html",
        {"groups": selectors.group_by_status(rows), "today": today(), "reason_labels": REASON_LABELS},
    )


def _parse_since(value: str | None, default: date) -> date:
    try:
        return date.fromisoformat(value) if value else default
    except ValueError:
        return default


def unit_overview(request: HttpRequest) -> HttpResponse:
    """Every open deadline and every breach of a unit, with breaches counted by reason."""
    chosen, units = chosen_unit(request, [Role.LEADER, Role.AUDITOR])
    now = today()
    since = _parse_since(request.GET.get("fra"), date(now.year, 1, 1))
    scope = selectors.CaseScope(unit_ids=(chosen.pk,))
    found = store.overview(
        scope,
        today=now,
        since=since,
        per_page=ROWS_PER_PAGE,
        due_soon_page=request.GET.get("side_frist"),
        breach_page=request.GET.get("side"),
    )
    counts = sorted(
        (
            (str(REASON_LABELS.get(reason, _("No reason recorded"))), n)
            for reason, n in found.by_reason.items()
        ),
        key=lambda item: -item[1],
    )
    return render(
        request,
        "worklists/unit.html",
        {
            "units": units,
            "unit": chosen,
            "since": since,
            "today": now,
            "overview": found,
            "approvals": found.approvals,
            "breach_counts": counts,
            "page_params": urlencode({"enhet": str(chosen.pk), "fra": since.isoformat()}),
            "reason_labels": REASON_LABELS,
        },
    )


def _period_start(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


@require_http_methods(["GET", "POST"])
def breach_reason(request: HttpRequest, clock: str, object_id: int) -> HttpResponse:
    """Record why a deadline was missed: for any clock, an item the user may change, and a deadline
    that was missed (overdue now, or done late; a periodic clock's interval by ``?fra=``)."""
    user = _user(request)
    if clock not in selectors.CLOCKS_WITH_REASONS:
        raise Http404
    items = selectors.KINDS[clock].model._default_manager.filter(case__in=writable_cases(user), pk=object_id)
    case_id = items.values_list("case_id", flat=True).first()
    if case_id is None:
        raise Http404
    case = get_case_for(user, case_id, write=True)
    period_start = _period_start(request.GET.get("fra")) if clock in selectors.PERIODIC_CLOCKS else None
    row = selectors.missed(
        case.pk, clock=clock, object_id=object_id, period_start=period_start, today=today()
    )
    if row is None:
        raise Http404
    # Where to go afterwards: the list the link came from, if it is on this site.
    back = request.POST.get("next") or request.GET.get("next") or ""
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        back = ""
    form = BreachForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        facts = form.breach()
        assert facts is not None
        if run_service(
            form,
            lambda: breach_record(
                clock=clock, object_id=object_id, case=case, breach=facts, by=user, period_start=period_start
            ),
        ):
            messages.success(request, _("The reason is recorded."))
            return redirect(back or "worklists:mine")
    return render(
        request,
        "worklists/breach_reason.html",
        {"form": form, "case": case, "row": row, "next": back},
        status=400 if form.errors else 200,
    )
