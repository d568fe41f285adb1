"""Measure pages: a new measure under a decision, a measure with its consents and visits, a plan,
the unit's register of supervisors, and visit compliance per child and per unit."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from vern.cases.selectors import can_write, get_case_for
from vern.core.audit_events import AuditEvent
from vern.core.dates import today
from vern.core.models import Municipality, Role, User
from vern.core.views import Action, any_errors, chosen_unit, handle_actions, request_user, run_service
from vern.decisions.selectors import get_decision_for
from vern.measures import forms, services
from vern.measures.models import Aftercare, Measure, VisitKind
from vern.measures.selectors import get_measure_for, get_plan_for, visit_history
from vern.rules import ages, visits
from vern.rules import measures as measure_rules
from vern.rules import plans as plan_rules
from vern.worklists import store
from vern.worklists.selectors import CARE_PLAN, PLAN_EVALUATION, CaseScope, group_by_status


@require_http_methods(["GET", "POST"])
def measure_new(request: HttpRequest, decision_id: int) -> HttpResponse:
    user = request_user(request)
    decision = get_decision_for(user, decision_id)
    if not can_write(user, decision.case):
        raise Http404
    form = forms.MeasureForm(request.POST or None, initial={"start_on": today()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        measure = run_service(
            form,
            lambda: services.measure_start(
                decision=decision,
                by=user,
                category=data["category"],
                category_specification=data["category_specification"],
                start_on=data["start_on"],
                reasons=form.reason_entries(),
                young_persons_consent=data["young_persons_consent"],
            ),
        )
        if measure is not None:
            messages.success(request, str(_("The measure is started.")))
            return redirect("measures:detail", measure_id=measure.pk)
    context = {"decision": decision, "case": decision.case, "form": form}
    return render(request, "measures/new.html", context, status=400 if form.errors else 200)


def _measure_actions(measure: Measure, user: User, *, writable: bool) -> dict[str, Action]:
    case = measure.case
    running = writable and measure.end_on is None
    home = measure_rules.is_foster_home(measure.category)
    open_consents = measure.consents.filter(withdrawn_on__isnull=True).select_related("party")
    unreported = measure.visits.filter(kind=VisitKind.SUPERVISION, report_received_on__isnull=True)
    supervisors = case.unit.supervisors.filter(active=True)
    return {
        "end": Action(
            forms.MeasureEndForm,
            lambda f: services.measure_end(measure=measure, by=user, **f.cleaned_data),
            _("The measure is ended."),
            allowed=running,
        ),
        "consent": Action(
            lambda data, **kw: forms.ConsentForm(data, parties=case.parties.order_by("pk"), **kw),
            lambda f: services.consent_record(
                measure=measure, by=user, party=f.party(), given_on=f.cleaned_data["given_on"]
            ),
            _("The consent is recorded."),
            allowed=running,
        ),
        "withdraw": Action(
            lambda data, **kw: forms.ConsentWithdrawForm(data, consents=open_consents, **kw),
            lambda f: services.consent_withdraw(
                consent=f.cleaned_data["consent"],
                by=user,
                withdrawn_on=f.cleaned_data["withdrawn_on"],
                note=f.cleaned_data["note"],
            ),
            _("The withdrawal is recorded."),
            allowed=writable and open_consents.exists(),
        ),
        "visit": Action(
            forms.VisitForm,
            lambda f: services.visit_record(measure=measure, by=user, **f.service_arguments()),
            _("The visit is recorded."),
            allowed=writable and home,
        ),
        "report": Action(
            lambda data, **kw: forms.ReportReceivedForm(data, visits=unreported, **kw),
            lambda f: services.visit_report_received(
                visit=f.cleaned_data["visit"], by=user, received_on=f.cleaned_data["received_on"]
            ),
            _("The report is recorded."),
            allowed=writable and home and unreported.exists(),
        ),
        "frequency": Action(
            forms.FrequencyForm,
            lambda f: services.frequency_set(measure=measure, by=user, **f.cleaned_data),
            _("The frequency is recorded."),
            allowed=running and home,
        ),
        "supervision": Action(
            lambda data, **kw: forms.SupervisionForm(data, supervisors=supervisors, **kw),
            lambda f: services.supervision_arrange(measure=measure, by=user, **f.cleaned_data),
            _("The supervision arrangement is recorded."),
            allowed=running and home,
        ),
        "relocation": Action(
            forms.RelocationForm,
            lambda f: services.relocation_record(case=case, by=user, measure=measure, **f.cleaned_data),
            _("The move is recorded."),
            allowed=writable and measure_rules.is_placement(measure.category),
        ),
    }


def _visit_summary(measure: Measure, kind: str, day: date) -> dict[str, Any]:
    frequencies = [
        visits.Frequency(f.start_on, f.code)
        for f in measure.frequencies.filter(kind=kind).order_by("start_on")
    ]
    done = sorted(measure.visits.filter(kind=kind).values_list("visited_on", flat=True))
    placed = (measure.start_on, measure.end_on)
    return {
        "kind": kind,
        "label": VisitKind(kind).label,
        "frequencies": measure.frequencies.filter(kind=kind).order_by("start_on"),
        "visits": measure.visits.filter(kind=kind).order_by("-visited_on"),
        "next_due": None
        if measure.end_on is not None
        else visits.next_visit_due(
            placed_on=measure.start_on,
            frequencies=frequencies,
            last_visit=done[-1] if done else None,
            today=day,
        ),
        "year": visits.compliance(
            placed=placed, frequencies=frequencies, visits=done, period=visits.rolling_year(day)
        ),
        "half_year": visits.compliance(
            placed=placed, frequencies=frequencies, visits=done, period=visits.half_year_so_far(day)
        ),
    }


@require_http_methods(["GET", "POST"])
def measure_detail(request: HttpRequest, measure_id: int) -> HttpResponse:
    user = request_user(request)
    measure = get_measure_for(user, measure_id)
    writable = can_write(user, measure.case)
    bound, done = handle_actions(request, _measure_actions(measure, user, writable=writable))
    if done is not None:
        return done
    measure.refresh_from_db()
    day = today()
    home = measure_rules.is_foster_home(measure.category)
    context: dict[str, Any] = {
        "measure": measure,
        "case": measure.case,
        "forms": bound,
        "reasons": measure.reasons.all(),
        "consents": measure.consents.select_related("party").order_by("given_on"),
        "placement": measure_rules.is_placement(measure.category),
        "home": home,
        "visit_kinds": [_visit_summary(measure, kind, day) for kind in VisitKind.values] if home else [],
        "supervision": measure.supervision.select_related("supervisor").order_by("start_on"),
        # The responsible municipality by name where Vern knows it, else by its number.
        "municipalities": dict(Municipality.objects.values_list("number", "name")),
        "relocations": measure.relocations.order_by("moved_on"),
    }
    return render(request, "measures/detail.html", context, status=400 if any_errors(bound) else 200)


@require_http_methods(["GET", "POST"])
def plan_detail(request: HttpRequest, plan_id: int) -> HttpResponse:
    user = request_user(request)
    plan = get_plan_for(user, plan_id)
    running = can_write(user, plan.case) and plan.end_on is None
    actions = {
        "evaluation": Action(
            forms.EvaluationForm,
            lambda f: services.plan_evaluate(plan=plan, by=user, **f.service_arguments()),
            _("The evaluation is recorded."),
            allowed=running,
        ),
        "end": Action(
            forms.EndForm,
            lambda f: services.plan_end(plan=plan, by=user, end_on=f.cleaned_data["end_on"]),
            _("The plan is ended."),
            allowed=running,
        ),
    }
    bound, done = handle_actions(request, actions)
    if done is not None:
        return done
    evaluations = plan.evaluations.order_by("-done_on")
    due = None
    if plan.end_on is None and plan_rules.is_evaluated(plan.plan_type):
        last = evaluations.first()
        due = plan_rules.evaluation_due(
            started_on=plan.start_on,
            last_evaluated_on=last.done_on if last else None,
            months=plan.case.unit.plan_evaluation_months,
        )
    context = {
        "plan": plan,
        "case": plan.case,
        "forms": bound,
        "evaluations": evaluations,
        "due": due,
        "overdue": due is not None and due < today(),
    }
    return render(request, "measures/plan.html", context, status=400 if any_errors(bound) else 200)


def _required(item: Aftercare | None) -> Aftercare:
    if item is None:  # the action is only allowed when there is one
        raise Http404
    return item


@require_http_methods(["GET", "POST"])
def supervisors(request: HttpRequest) -> HttpResponse:
    """The unit's register of independent supervisors (tilsynsførere). For the unit's leaders."""
    user = request_user(request)
    unit, units = chosen_unit(request, [Role.LEADER])
    active = unit.supervisors.filter(active=True)
    actions = {
        "add": Action(
            forms.SupervisorForm,
            lambda f: services.supervisor_add(unit=unit, by=user, **f.cleaned_data),
            _("The supervisor is added."),
        ),
        "deactivate": Action(
            lambda data, **kw: forms.SupervisorChoiceForm(data, supervisors=active, **kw),
            lambda f: services.supervisor_deactivate(supervisor=f.cleaned_data["supervisor"], by=user),
            _("The supervisor is no longer active."),
            allowed=active.exists(),
        ),
    }
    bound, done = handle_actions(request, actions)
    if done is not None:
        return done
    context = {
        "unit": unit,
        "units": units,
        "supervisors": unit.supervisors.order_by("-active", "name"),
        "forms": bound,
    }
    return render(request, "measures/supervisors.html", context, status=400 if any_errors(bound) else 200)


def compliance(request: HttpRequest) -> HttpResponse:
    """Follow-up and supervision visits done against owed, per child and for the unit.

    For the rolling 12 months and the current half-year; computed from the visits and frequencies of
    every running foster-home placement with rules.visits (three queries for the whole unit).
    """
    unit, units = chosen_unit(request, [Role.LEADER, Role.AUDITOR])
    day = today()
    homes = list(
        Measure.objects.filter(
            case__unit=unit, end_on__isnull=True, category__in=sorted(measure_rules.FOSTER_HOME_CATEGORIES)
        )
        .select_related("case", "case__child")
        .order_by("case__journal_number")
    )
    history = visit_history([m.pk for m in homes])
    frequencies, done = history.frequencies, history.done
    periods = {"year": visits.rolling_year(day), "half_year": visits.half_year_so_far(day)}
    rows = []
    totals: dict[tuple[str, str], visits.Tally] = defaultdict(visits.Tally)
    for measure in homes:
        cells = {}
        for kind in VisitKind.values:
            for name, period in periods.items():
                result = visits.compliance(
                    placed=(measure.start_on, measure.end_on),
                    frequencies=frequencies[(measure.pk, kind)],
                    visits=done[(measure.pk, kind)],
                    period=period,
                )
                cells[(kind, name)] = result
                totals[(kind, name)].add(result)
        rows.append({"measure": measure, "cells": [cells[(k, n)] for k in VisitKind.values for n in periods]})
    context = {
        "unit": unit,
        "units": units,
        "rows": rows,
        "periods": periods,
        "kinds": [VisitKind(k).label for k in VisitKind.values],
        "totals": [totals[(k, n)] for k in VisitKind.values for n in periods],
        "children": len(homes),
    }
    return render(request, "measures/compliance.html", context)


@require_http_methods(["GET", "POST"])
def plan_new(request: HttpRequest, case_id: int) -> HttpResponse:
    user = request_user(request)
    case = get_case_for(user, case_id, event=AuditEvent.CASE_PLAN_FORM_VIEWED)
    if not can_write(user, case) or case.closed_on is not None:
        raise Http404
    form = forms.PlanForm(request.POST or None, initial={"start_on": today()})
    if request.method == "POST" and form.is_valid():
        plan = run_service(form, lambda: services.plan_make(case=case, by=user, **form.service_arguments()))
        if plan is not None:
            messages.success(request, str(_("The plan is saved.")))
            return redirect("measures:plan", plan_id=plan.pk)
    return render(
        request, "measures/plan_new.html", {"case": case, "form": form}, status=400 if form.errors else 200
    )


@require_http_methods(["GET", "POST"])
def aftercare(request: HttpRequest, case_id: int) -> HttpResponse:
    """The offer of aftercare to a young person (before 18) and its outcome."""
    user = request_user(request)
    case = get_case_for(user, case_id, event=AuditEvent.CASE_AFTERCARE_VIEWED)
    writable = can_write(user, case)
    offers = case.aftercare.order_by("offered_on")
    pending = offers.filter(concluded_on__isnull=True).last()
    actions = {
        "offer": Action(
            forms.AftercareOfferForm,
            lambda f: services.aftercare_offer(case=case, by=user, offered_on=f.cleaned_data["offered_on"]),
            _("The offer of aftercare is recorded."),
            allowed=writable and case.closed_on is None and pending is None,
        ),
        "conclusion": Action(
            forms.AftercareConclusionForm,
            lambda f: services.aftercare_conclude(aftercare=_required(pending), by=user, **f.cleaned_data),
            _("The outcome is recorded."),
            allowed=writable and pending is not None,
        ),
    }
    bound, done = handle_actions(request, actions)
    if done is not None:
        return done
    birth = case.child.birth_date
    context = {
        "case": case,
        "forms": bound,
        "offers": offers,
        "turns_18": ages.birthday(birth, ages.ADULT_AGE),
        "turns_25": ages.birthday(birth, ages.AFTERCARE_MAX_AGE),
        "age": ages.age_on(birth, today()),
    }
    return render(request, "measures/aftercare.html", context, status=400 if any_errors(bound) else 200)


@require_http_methods(["GET", "POST"])
def plan_settings(request: HttpRequest) -> HttpResponse:
    """How often the unit evaluates plans for help measures, and how the unit stands. For leaders."""
    user = request_user(request)
    unit, units = chosen_unit(request, [Role.LEADER])
    actions = {
        "interval": Action(
            lambda data, **kw: forms.EvaluationIntervalForm(
                data, initial={"months": unit.plan_evaluation_months}, **kw
            ),
            lambda f: services.unit_set_plan_evaluation_months(
                unit=unit, by=user, months=f.cleaned_data["months"]
            ),
            _("The interval is saved."),
        )
    }
    bound, done = handle_actions(request, actions)
    if done is not None:
        return done
    scope = CaseScope(unit_ids=(unit.pk,), open_only=True)
    rows = store.open_deadlines(scope, today=today(), kinds=(PLAN_EVALUATION, CARE_PLAN))
    context = {
        "unit": unit,
        "units": units,
        "forms": bound,
        "groups": group_by_status(rows),
        "months": unit.plan_evaluation_months,
        "default": plan_rules.DEFAULT_EVALUATION_MONTHS,
    }
    return render(request, "measures/plan_settings.html", context, status=400 if any_errors(bound) else 200)
