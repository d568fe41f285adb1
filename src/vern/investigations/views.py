"""The investigation page: plan, child's participation, extension and conclusion."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from vern.cases.selectors import can_write
from vern.core import codes
from vern.core.codelists import paths
from vern.core.dates import today
from vern.core.models import User
from vern.core.views import post_or_none, run_service
from vern.intake.selectors import get_report_for
from vern.investigations import services
from vern.investigations.forms import ConclusionForm, ExtensionForm, ParticipationForm, PlanForm
from vern.investigations.models import Investigation
from vern.investigations.selectors import get_investigation_for
from vern.rules import deadlines

if TYPE_CHECKING:
    from django_stubs_ext import StrPromise


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


_ACTIONS: dict[str, tuple[type[forms.Form], StrPromise]] = {  # form, message on success
    "plan": (PlanForm, gettext_lazy("The investigation plan is saved.")),
    "participation": (ParticipationForm, gettext_lazy("The child's participation is recorded.")),
    "extension": (ExtensionForm, gettext_lazy("The deadline is extended to six months.")),
    "conclusion": (ConclusionForm, gettext_lazy("The investigation is concluded.")),
}


def _perform(name: str, form: forms.Form, inv: Investigation, user: User) -> Callable[[], Investigation]:
    data = form.cleaned_data
    if name == "plan":
        return lambda: services.investigation_record_plan(
            investigation=inv, by=user, made_on=data["made_on"], text=data["text"]
        )
    if name == "participation":
        return lambda: services.investigation_record_participation(
            investigation=inv, by=user, code=data["code"], recorded_on=data["recorded_on"], note=data["note"]
        )
    if name == "extension":
        return lambda: services.investigation_extend(
            investigation=inv, by=user, decided_on=data["decided_on"], reason=data["reason"]
        )
    assert isinstance(form, ConclusionForm)
    return lambda: services.investigation_conclude(
        investigation=inv,
        by=user,
        concluded_on=data["concluded_on"],
        conclusion=data["conclusion"],
        basis=form.basis_entries(),
        breach=form.breach(),
    )


@require_http_methods(["GET", "POST"])
def investigation_detail(request: HttpRequest, investigation_id: int) -> HttpResponse:
    user = _user(request)
    inv = get_investigation_for(user, investigation_id)
    writable = inv.concluded_on is None and can_write(user, inv.case)
    bound = {name: cls(post_or_none(request, name)) for name, (cls, _msg) in _ACTIONS.items()}
    if request.method == "POST":
        if not writable:
            raise Http404
        for name, form in bound.items():
            if not (form.is_bound and form.is_valid()):
                continue
            done = run_service(form, _perform(name, form, inv, user))
            if done is not None:
                messages.success(request, _ACTIONS[name][1])
                return redirect("investigations:detail", investigation_id=inv.pk)
        inv.refresh_from_db()
    due = services.investigation_due(inv)
    context = {
        "inv": inv,
        "case": inv.case,
        "due": due,
        "status": deadlines.status(due=due, concluded_on=inv.concluded_on, today=today()),
        "writable": writable,
        "forms": bound,
        "participation_label": codes.label(paths.CHILD_PARTICIPATION, inv.participation_code)
        if inv.participation_code
        else "",
        "conclusion_label": codes.label(paths.INVESTIGATION_CONCLUSION, inv.conclusion)
        if inv.conclusion
        else "",
        "basis": [(b, codes.label(paths.INVESTIGATION_BASIS, b.code)) for b in inv.basis.all()],
    }
    failed = any(f.errors for f in bound.values())
    return render(request, "investigations/detail.html", context, status=400 if failed else 200)
