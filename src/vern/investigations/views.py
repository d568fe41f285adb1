"""The investigation page: plan, child's participation, extension and conclusion."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from vern.cases.selectors import can_write
from vern.core.dates import today
from vern.core.models import User
from vern.core.views import Action, any_errors, handle_actions, run_service
from vern.intake.selectors import get_report_for
from vern.investigations import services
from vern.investigations.forms import ConclusionForm, ExtensionForm, ParticipationForm, PlanForm
from vern.investigations.models import Investigation
from vern.investigations.selectors import get_investigation_for
from vern.rules import deadlines


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


@require_POST
def investigation_open(request: HttpRequest, report_id: int) -> HttpResponse:
    user = _user(request)
    report = get_report_for(user, report_id)
    if not can_write(user, report.case):
        raise Http404
    holder = forms.Form({})
    inv = run_service(holder, lambda: services.investigation_open(report=report, by=user))
    if inv is None:
        for error in holder.non_field_errors():
            messages.error(request, str(error))
        return redirect("intake:report", report_id=report.pk)
    messages.success(request, _("The investigation is opened."))
    return redirect("investigations:detail", investigation_id=inv.pk)


def _actions(inv: Investigation, user: User) -> dict[str, Action]:
    return {
        "plan": Action(
            PlanForm,
            lambda f: services.investigation_record_plan(
                investigation=inv, by=user, made_on=f.cleaned_data["made_on"], text=f.cleaned_data["text"]
            ),
            gettext_lazy("The investigation plan is saved."),
        ),
        "participation": Action(
            ParticipationForm,
            lambda f: services.investigation_record_participation(
                investigation=inv,
                by=user,
                code=f.cleaned_data["code"],
                recorded_on=f.cleaned_data["recorded_on"],
                note=f.cleaned_data["note"],
            ),
            gettext_lazy("The child's participation is recorded."),
        ),
        "extension": Action(
            ExtensionForm,
            lambda f: services.investigation_extend(
                investigation=inv,
                by=user,
                decided_on=f.cleaned_data["decided_on"],
                reason=f.cleaned_data["reason"],
            ),
            gettext_lazy("The deadline is extended to six months."),
        ),
        "conclusion": Action(
            ConclusionForm,
            lambda f: services.investigation_conclude(
                investigation=inv,
                by=user,
                concluded_on=f.cleaned_data["concluded_on"],
                conclusion=f.cleaned_data["conclusion"],
                basis=f.basis_entries(),
                breach=f.breach(),
            ),
            gettext_lazy("The investigation is concluded."),
        ),
    }


@require_http_methods(["GET", "POST"])
def investigation_detail(request: HttpRequest, investigation_id: int) -> HttpResponse:
    user = _user(request)
    inv = get_investigation_for(user, investigation_id)
    writable = inv.concluded_on is None and can_write(user, inv.case)
    bound, done = handle_actions(request, _actions(inv, user), allowed=writable)
    if done is not None:
        return done
    inv.refresh_from_db()
    due = services.investigation_due(inv)
    context = {
        "inv": inv,
        "case": inv.case,
        "due": due,
        "status": deadlines.status(due=due, concluded_on=inv.concluded_on, today=today()),
        "writable": writable,
        "forms": bound,
        "basis": inv.basis.all(),
    }
    return render(request, "investigations/detail.html", context, status=400 if any_errors(bound) else 200)
