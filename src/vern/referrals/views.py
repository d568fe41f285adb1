"""Pages of both tiers: the catalogue, ordering from a case, a referral as each side sees it, and
the provider's intake with its statistics per ordering service."""

from __future__ import annotations

import csv
import io
from datetime import date

from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from vern.cases.selectors import can_write, get_case_for
from vern.core.access import has_role, units_with_role
from vern.core.dates import today
from vern.core.models import Role, Unit
from vern.core.numbers import unformatted
from vern.core.views import (
    Action,
    any_errors,
    attachment,
    chosen_unit,
    handle_actions,
    request_user,
    run_service,
)
from vern.referrals import billing, forms, occupancy, services
from vern.referrals.models import (
    OPEN_STATUSES,
    AgencyAnswer,
    CatalogueEntry,
    DeliveredHours,
    PriceUnit,
    Referral,
)
from vern.referrals.selectors import (
    Side,
    availability,
    catalogue_for,
    compliance,
    compliance_by_unit,
    get_referral_for,
    incoming,
    provider_unit_ids,
    statistics_by_ordering_unit,
)
from vern.reports import excel
from vern.reports.indicators import parse_year
from vern.reports.views import chosen_month
from vern.rules import ages

ORDERING_ROLES = (Role.CASEWORKER, Role.LEADER, Role.AUDITOR, Role.INTAKE)
SEARCH_RESULTS = 100


def _ordering_unit(request: HttpRequest) -> Unit:
    """The service whose catalogue the user searches (``?enhet=``, else the first of theirs)."""
    ids = units_with_role(request_user(request), ORDERING_ROLES)
    units = Unit.objects.filter(pk__in=ids, kind=Unit.Kind.SERVICE).order_by("name")
    unit = units.filter(pk=request.GET.get("enhet") or 0).first() or units.first()
    if unit is None:
        raise Http404
    return unit


def catalogue(request: HttpRequest) -> HttpResponse:
    """The measures the user's service may order, searchable by need, age, method and free capacity."""
    unit = _ordering_unit(request)
    form = forms.SearchForm(request.GET or None)
    entries = catalogue_for(unit)
    if form.is_valid():
        data = form.cleaned_data
        if data["q"]:
            words = Q()
            for word in data["q"].split():
                words &= (
                    Q(name__icontains=word) | Q(target_group__icontains=word) | Q(description__icontains=word)
                )
            entries = entries.filter(words)
        if data["age"] is not None:
            entries = entries.filter(age_from__lte=data["age"], age_to__gte=data["age"])
        if data["method"]:
            entries = entries.filter(method=data["method"])
    found = list(entries[:SEARCH_RESULTS])
    free = availability(found)
    if form.is_valid() and form.cleaned_data["free"]:
        found = [e for e in found if free[e.pk].free > 0]
    rows = [{"entry": e, "availability": free[e.pk]} for e in found]
    context = {"unit": unit, "form": form, "rows": rows, "case_id": request.GET.get("sak", "")}
    return render(request, "referrals/catalogue.html", context, status=400 if form.errors else 200)


@require_http_methods(["GET", "POST"])
def order(request: HttpRequest, case_id: int, entry_id: int) -> HttpResponse:
    user = request_user(request)
    case = get_case_for(user, case_id, write=True)
    entry = CatalogueEntry.objects.select_related("provider").filter(pk=entry_id, active=True).first()
    if entry is None or not services.may_order(entry, case.unit):
        raise Http404
    ask_first = entry.ask_first_id is not None
    form = forms.OrderForm(
        request.POST or None, initial={"contact": user.get_full_name()}, ask_first=ask_first
    )
    if request.method == "POST" and form.is_valid():
        referral = run_service(
            form, lambda: services.referral_order(case=case, entry=entry, by=user, **form.cleaned_data)
        )
        if referral is not None:
            return redirect("referrals:detail", referral_id=referral.pk)
    context = {
        "case": case,
        "entry": entry,
        "form": form,
        "availability": availability([entry])[entry.pk],
        "ask_first": entry.ask_first if ask_first else None,
    }
    return render(request, "referrals/order.html", context, status=400 if form.errors else 200)


def _actions(referral: Referral, side: Side, request: HttpRequest) -> dict[str, Action]:
    user = request_user(request)
    provider = side is Side.PROVIDER and referral.provider_id in provider_unit_ids(user, write=True)
    ordering = side is Side.ORDERING
    # The ordering side's steps need the right to write in the case (the ordering side has one).
    orderer = ordering and referral.case is not None and can_write(user, referral.case)
    st = Referral.Status
    assignment = getattr(referral, "assignment", None)
    return {
        "call_back": Action(
            forms.CallBackForm,
            lambda f: services.referral_call_back(referral=referral, by=user, **f.cleaned_data),
            _("The call back is recorded."),
            allowed=provider and services.can_move(referral, st.CALLED_BACK),
        ),
        "offer": Action(
            forms.OfferForm,
            lambda f: services.referral_offer(referral=referral, by=user, **f.cleaned_data),
            _("The offer is given."),
            allowed=provider and services.can_move(referral, st.OFFERED),
        ),
        "wait": Action(
            forms.NoteForm,
            lambda f: services.referral_wait(referral=referral, by=user, **f.cleaned_data),
            _("The referral is on the waiting list."),
            allowed=provider and services.can_move(referral, st.WAITING),
        ),
        "decline": Action(
            forms.DeclineForm,
            lambda f: services.referral_decline(referral=referral, by=user, **f.cleaned_data),
            _("The referral is declined."),
            allowed=provider and services.can_move(referral, st.DECLINED),
        ),
        "start": Action(
            forms.StartForm,
            lambda f: services.assignment_start(referral=referral, by=user, **f.cleaned_data),
            _("The assignment has started."),
            allowed=provider and services.can_move(referral, st.STARTED),
        ),
        "report": Action(
            forms.ReportForm,
            lambda f: services.assignment_report(assignment=referral.assignment, by=user, **f.cleaned_data),
            _("The report is sent to the ordering service."),
            allowed=provider and services.can_move(referral, st.COMPLETED) and assignment is not None,
        ),
        "hours": Action(
            forms.HoursForm,
            lambda f: services.hours_record(assignment=referral.assignment, by=user, **f.cleaned_data),
            _("The hours are recorded."),
            allowed=provider and assignment is not None and assignment.price_unit == PriceUnit.HOUR,
        ),
        "agency_answer": Action(
            forms.AgencyAnswerForm,
            lambda f: services.referral_agency_answer(referral=referral, by=user, **f.cleaned_data),
            _("The agency's answer is recorded."),
            allowed=orderer and referral.agency_answer == AgencyAnswer.PENDING,
        ),
        "withdraw": Action(
            forms.WithdrawForm,
            lambda f: services.referral_withdraw(referral=referral, by=user, **f.cleaned_data),
            _("The referral is withdrawn."),
            allowed=orderer and services.can_move(referral, st.WITHDRAWN),
        ),
    }


@require_http_methods(["GET", "POST"])
def detail(request: HttpRequest, referral_id: int) -> HttpResponse:
    """The referral as both sides see it: the same status and history; the case only for the
    ordering side."""
    referral, side = get_referral_for(request_user(request), referral_id)
    bound, done = handle_actions(request, _actions(referral, side, request))
    if done is not None:
        return done
    if request.method == "POST":  # a step refused: show the referral as it is stored
        referral.refresh_from_db()
    assignment = getattr(referral, "assignment", None)
    context = {
        "referral": referral,
        "side": str(side),
        "ordering": side is Side.ORDERING,
        "age": ages.age_on(referral.child_birth_date, today()),
        "events": referral.events.select_related("by", "by_unit"),
        "exchanged": referral.messages.defer("body"),
        "assignment": assignment,
        "reports": assignment.reports.select_related("by", "plan") if assignment else [],
        "compliance": compliance(referral),
        "hours": DeliveredHours.objects.filter(assignment=assignment).order_by("month") if assignment else [],
        "forms": bound,
    }
    return render(request, "referrals/detail.html", context, status=400 if any_errors(bound) else 200)


def _provider_unit(request: HttpRequest) -> tuple[Unit, QuerySet[Unit]]:
    """The provider a page is about (``?enhet=``, else the first): a unit that publishes measures, where
    the user works; 404 when there is none."""
    ids = provider_unit_ids(request_user(request))
    units = Unit.objects.filter(pk__in=ids, catalogue__isnull=False).distinct().order_by("name")
    unit = units.filter(pk=request.GET.get("enhet") or 0).first() or units.first()
    if unit is None:
        raise Http404
    return unit, units


def provider_intake(request: HttpRequest) -> HttpResponse:
    """A provider's referrals: open ones oldest first, running assignments, and the statistics per
    ordering service for the year so far (or ``?ar=``)."""
    unit, units = _provider_unit(request)
    referrals = incoming([unit.pk])
    day = today()
    raw = request.GET.get("ar") or str(day.year)
    year = parse_year(raw, latest=day.year) or day.year
    entries = list(CatalogueEntry.objects.filter(provider=unit, active=True).order_by("name"))
    free = availability(entries)
    context = {
        "unit": unit,
        "units": units,
        "open": referrals.filter(status__in=OPEN_STATUSES),
        "running": referrals.filter(status=Referral.Status.STARTED).select_related("assignment"),
        "year": year,
        "statistics": statistics_by_ordering_unit([unit.pk], date(year, 1, 1), date(year, 12, 31)),
        "capacity": [{"entry": e, "availability": free[e.pk]} for e in entries],
        "compliance": compliance_by_unit(year, agency_id=unit.pk),
        "sees_statements": has_role(request_user(request), unit, [Role.LEADER, Role.AUDITOR]),
    }
    return render(request, "referrals/intake.html", context)


@require_http_methods(["GET", "POST"])
def provider_catalogue(request: HttpRequest) -> HttpResponse:
    """A unit's leader publishes its measures, and changes their capacity, price and whether they
    are offered."""
    unit, units = chosen_unit(request, [Role.LEADER])
    user = request_user(request)
    entries = CatalogueEntry.objects.filter(provider=unit).order_by("name")
    actions = {
        "add": Action(
            forms.EntryForm,
            lambda f: services.catalogue_publish(provider=unit, by=user, **f.cleaned_data),
            _("The measure is published in the catalogue."),
        ),
        "change": Action(
            lambda data, **kw: forms.EntryChangeForm(data, entries=entries, **kw),
            lambda f: services.catalogue_change(by=user, **f.cleaned_data),
            _("The measure is changed."),
            allowed=entries.exists(),
        ),
    }
    bound, done = handle_actions(request, actions)
    if done is not None:
        return done
    rows = list(entries)
    free = availability(rows)
    context = {
        "unit": unit,
        "units": units,
        "rows": [{"entry": e, "availability": free[e.pk]} for e in rows],
        "forms": bound,
    }
    return render(
        request, "referrals/provider_catalogue.html", context, status=400 if any_errors(bound) else 200
    )


def provider_statements(request: HttpRequest) -> HttpResponse:
    """A provider's monthly statement to each ordering service, as a page, CSV or Excel."""
    unit, units = chosen_unit(request, [Role.LEADER, Role.AUDITOR])
    period, error = chosen_month(request.GET.get("maned") or "")
    found = billing.lines(period, provider_ids=[unit.pk])
    tables = billing.statement_tables(unit.name, period, found)
    name = f"fakturagrunnlag-{period.start:%Y-%m}"
    kind = None if error else request.GET.get("format")
    if kind == "xlsx":
        data = excel.workbook(tables, title=_("Statements %(month)s") % {"month": period.label})
        return attachment(data, excel.XLSX_CONTENT_TYPE, f"{name}.xlsx")
    if kind == "csv":
        out = io.StringIO()
        writer = csv.writer(out, delimiter=";")
        writer.writerow(
            ["bestiller", "henvisning", "barn", "tiltak", "pris", "antall", "enhetspris", "belop"]
        )
        for ln in found:
            writer.writerow(
                [
                    ln.ordering_unit,
                    ln.referral_id,
                    ln.child,
                    ln.measure,
                    ln.price_unit,
                    unformatted(ln.quantity),
                    unformatted(ln.price),
                    unformatted(ln.amount),
                ]
            )
        return attachment(out.getvalue().encode("utf-8-sig"), "text/csv; charset=utf-8", f"{name}.csv")
    context = {
        "unit": unit,
        "units": units,
        "period": period,
        "month": f"{period.start:%Y-%m}",
        "tables": tables,
        "error": error,
    }
    return render(request, "referrals/statements.html", context, status=400 if error else 200)


@require_http_methods(["GET", "POST"])
def ordering_costs(request: HttpRequest) -> HttpResponse:
    """What a service has been billed for measures this year, month by month, against its budget."""
    unit, units = chosen_unit(request, [Role.LEADER, Role.AUDITOR])
    user = request_user(request)
    raw = request.GET.get("ar") or str(today().year)
    # Next year too: the budget is set before the year starts.
    year = parse_year(raw, latest=today().year + 1) or today().year
    actions = {
        "budget": Action(
            forms.BudgetForm,
            lambda f: services.budget_set(unit=unit, by=user, year=year, **f.cleaned_data),
            _("The budget is saved."),
            allowed=has_role(user, unit, [Role.LEADER]),
        )
    }
    bound, done = handle_actions(request, actions)
    if done is not None:
        return done
    costs = billing.year_costs(unit.pk, year)
    context = {
        "unit": unit,
        "units": units,
        "year": year,
        "costs": costs,
        "forms": bound,
        "compliance": compliance_by_unit(year, ordering_ids=[unit.pk]),
    }
    return render(request, "referrals/costs.html", context, status=400 if any_errors(bound) else 200)


def provider_occupancy(request: HttpRequest) -> HttpResponse:
    """Occupancy per measure over the last 12 months and the next 3 (forecast), with declines for
    lack of capacity; every table also as Excel."""
    unit, units = _provider_unit(request)
    rows = occupancy.dashboard(unit.pk)
    if request.GET.get("format") == "xlsx":
        data = excel.workbook([r.table for r in rows], title=_("Occupancy: %(unit)s") % {"unit": unit.name})
        return attachment(data, excel.XLSX_CONTENT_TYPE, "belegg.xlsx")
    waiting = incoming([unit.pk]).filter(status=Referral.Status.WAITING)
    context = {"unit": unit, "units": units, "rows": rows, "waiting": waiting}
    return render(request, "referrals/occupancy.html", context)
