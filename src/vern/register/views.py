"""The pre-submission control in the interface: findings for one case, counts per rule for a unit,
and the unit's deliveries to the register."""

from __future__ import annotations

import getpass
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from vern.cases.models import Case
from vern.cases.selectors import get_case_for
from vern.core.access import has_role
from vern.core.audit_events import AuditEvent
from vern.core.models import Role
from vern.core.views import chosen_unit, request_user
from vern.register.checking import check_case, check_unit, item_links, record_run
from vern.register.control import RULES_BY_ID, SEVERITY_LABELS, SEVERITY_ORDER, Severity
from vern.register.models import ControlRun, Delivery

# Cases listed under each rule on the unit's page; the count says how many there are in all.
CASES_SHOWN = 25


def case_control(request: HttpRequest, case_id: int) -> HttpResponse:
    """What the register's rules say of the case now, each finding with a link to where it is fixed."""
    case = get_case_for(request_user(request), case_id, event=AuditEvent.CASE_REGISTER_CONTROL_VIEWED)
    links = item_links(case)
    case_url = reverse("cases:detail", args=[case.pk])
    rows = [
        {
            "finding": finding,
            "severity": SEVERITY_LABELS[finding.severity],
            "title": RULES_BY_ID[finding.rule].title if finding.rule in RULES_BY_ID else finding.rule,
            "url": links.get(finding.item_id or "", case_url),
        }
        for finding in sorted(check_case(case), key=lambda f: SEVERITY_ORDER.index(f.severity))
    ]
    latest = Delivery.objects.filter(documents__case=case).order_by("-created_at").first()
    context = {"case": case, "rows": rows, "latest": latest}
    return render(request, "register/case.html", context)


def _rule_rows(run: ControlRun) -> list[dict[str, Any]]:
    results: dict[str, dict[str, Any]] = run.results
    shown = {case_id for entry in results.values() for case_id in entry["cases"][:CASES_SHOWN]}
    journals = dict(Case.objects.filter(pk__in=shown).values_list("pk", "journal_number"))
    rows = []
    for rule_id, entry in results.items():
        severity = Severity(entry["severity"])
        rows.append(
            {
                "rule": rule_id,
                "title": RULES_BY_ID[rule_id].title if rule_id in RULES_BY_ID else rule_id,
                "severity": severity,
                "severity_label": SEVERITY_LABELS[severity],
                "count": entry["count"],
                "case_count": len(entry["cases"]),
                "cases": [(pk, journals.get(pk, "")) for pk in entry["cases"][:CASES_SHOWN]],
            }
        )
    rows.sort(key=lambda r: (SEVERITY_ORDER.index(r["severity"]), -r["case_count"], r["rule"]))
    return rows


def unit_control(request: HttpRequest) -> HttpResponse:
    """Counts per rule from the unit's latest control run, and its deliveries. A leader may run the
    control now; ``vern check_register --unit`` (e.g. each night) records a run too."""
    unit, units = chosen_unit(request, [Role.LEADER, Role.AUDITOR])
    may_run = has_role(request_user(request), unit, [Role.LEADER])
    if request.method == "POST":
        if not may_run:
            raise Http404
        results = list(check_unit(unit))
        record_run(unit, results, run_by=request_user(request).username or getpass.getuser())
        messages.success(request, _("The control has been run for %(n)s cases.") % {"n": len(results)})
        return redirect(f"{reverse('register:unit')}?enhet={unit.pk}")
    run = ControlRun.objects.filter(unit=unit).order_by("-at").first()
    context = {
        "unit": unit,
        "units": units,
        "run": run,
        "rows": _rule_rows(run) if run else [],
        "may_run": may_run,
        "deliveries": Delivery.objects.filter(unit=unit).order_by("-created_at")[:20],
    }
    return render(request, "register/unit.html", context)
