"""The chronology page of a case: the child's story, filterable and printable."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from vern.cases.selectors import get_case_for
from vern.chronology.selectors import GROUPS, chronology
from vern.core.audit_events import AuditEvent
from vern.core.views import request_user


def case_chronology(request: HttpRequest, case_id: int) -> HttpResponse:
    user = request_user(request)
    case = get_case_for(user, case_id, event=AuditEvent.CASE_CHRONOLOGY_VIEWED)
    chosen = [g for g in request.GET.getlist("type") if g in GROUPS]
    context = {"case": case, "events": chronology(case, chosen), "groups": GROUPS, "chosen": chosen}
    return render(request, "chronology/case.html", context)
