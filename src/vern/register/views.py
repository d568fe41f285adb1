"""The pre-submission control in the interface: findings for one case, counts per rule for a unit,
and the unit's deliveries to the register."""

from __future__ import annotations

import getpass
import tempfile
import uuid
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from vern.cases.models import Case
from vern.cases.selectors import get_case_for
from vern.core.access import has_role
from vern.core.audit import audit
from vern.core.audit_events import AuditEvent
from vern.core.models import Role, Unit, User
from vern.core.views import Action, any_errors, chosen_unit, handle_actions, request_user
from vern.register import forms, services
from vern.register.checking import check_case, check_unit, item_links, record_run
from vern.register.control import FILE_RULE, RULES_BY_ID, SEVERITY_LABELS, SEVERITY_ORDER, Severity
from vern.register.export import DeliveryRejected, ExportResult, archive, unit_code
from vern.register.models import ControlRun, Delivery

# Cases listed under each rule on the unit's page; the count says how many there are in all.
CASES_SHOWN = 25
# A downloaded delivery is built in memory up to this size, then in a temporary file.
SPOOL_BYTES = 32 * 1024 * 1024


# Where a finding about each register concept is fixed, as the link says it.
WHERE_FIXED = {
    "Melding": gettext_lazy("Go to the report"),
    "Undersokelse": gettext_lazy("Go to the investigation"),
    "Plan": gettext_lazy("Go to the plan"),
    "Tiltak": gettext_lazy("Go to the measure"),
    "Flytting": gettext_lazy("Go to the measure"),
    "Vedtak": gettext_lazy("Go to the decision"),
    "OversendelseFylkesnemnd": gettext_lazy("Go to the decision"),
    "Ettervern": gettext_lazy("Go to aftercare"),
}


def _rule_title(rule_id: str) -> str:
    if rule_id == FILE_RULE:
        return _("The content breaks the register's file description")
    return RULES_BY_ID[rule_id].title if rule_id in RULES_BY_ID else rule_id


def case_control(request: HttpRequest, case_id: int) -> HttpResponse:
    """What the register's rules say of the case now, each finding with a link to where it is fixed:
    the page of the report, investigation, plan, measure, decision or aftercare it is about, else the
    case page (the child's details, the case itself)."""
    case = get_case_for(request_user(request), case_id, event=AuditEvent.CASE_REGISTER_CONTROL_VIEWED)
    links = item_links(case)
    rows = []
    for finding in sorted(check_case(case), key=lambda f: SEVERITY_ORDER.index(f.severity)):
        url = links.get(finding.item_id or "")
        where = WHERE_FIXED.get(finding.concept) if url else None
        rows.append(
            {
                "finding": finding,
                "severity": SEVERITY_LABELS[finding.severity],
                "title": _rule_title(finding.rule),
                "url": url or reverse("cases:detail", args=[case.pk]),
                "where": where or _("Go to the case"),
            }
        )
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
                "title": _rule_title(rule_id),
                "severity": severity,
                "severity_label": SEVERITY_LABELS[severity],
                "count": entry["count"],
                "case_count": len(entry["cases"]),
                "cases": [(pk, journals.get(pk, "")) for pk in entry["cases"][:CASES_SHOWN]],
            }
        )
    rows.sort(key=lambda r: (SEVERITY_ORDER.index(r["severity"]), -r["case_count"], r["rule"]))
    return rows


def _make(unit: Unit, by: User, changes: bool) -> ExportResult:
    # In this process: forking worker processes from a threaded web server risks a lock held by
    # another thread at the fork. The documents are the same; a large district takes seconds.
    try:
        return services.delivery_make(unit=unit, by=by, changes=changes, workers=1)
    except DeliveryRejected as exc:
        raise ValidationError([_("The delivery is refused; nothing is saved."), *exc.errors]) from exc


def unit_control(request: HttpRequest) -> HttpResponse:
    """Counts per rule from the unit's latest control run, and its deliveries. A leader may run the
    control now (``vern check_register --unit``, e.g. each night, records a run too), make a
    delivery of every case or of those changed, download it and send it to the register."""
    unit, units = chosen_unit(request, [Role.LEADER, Role.AUDITOR])
    user = request_user(request)
    may_run = has_role(user, unit, [Role.LEADER])
    deliveries = Delivery.objects.filter(unit=unit)
    actions = {
        "make": Action(
            forms.DeliveryForm,
            lambda f: _make(unit, user, f.cleaned_data["kind"] == "changes"),
            _("The delivery is made."),
        ),
        "send": Action(
            lambda data, **kw: forms.SendForm(
                data, unsent=deliveries.exclude(kind=Delivery.Kind.IMPORT).filter(sent_at=None), **kw
            ),
            lambda f: services.delivery_send(delivery=f.cleaned_data["delivery"], by=user),
            _("The delivery is handed to the register's outbox."),
        ),
    }
    if request.method == "POST" and request.POST.get("form") not in actions:
        if not may_run:
            raise Http404
        results = list(check_unit(unit))
        record_run(unit, results, run_by=user.username or getpass.getuser())
        messages.success(request, _("The control has been run for %(n)s cases.") % {"n": len(results)})
        return redirect(f"{reverse('register:unit')}?enhet={unit.pk}")
    bound, done = handle_actions(request, actions, allowed=may_run)
    if done is not None:
        return done
    run = ControlRun.objects.filter(unit=unit).order_by("-at").first()
    context = {
        "unit": unit,
        "units": units,
        "run": run,
        "rows": _rule_rows(run) if run else [],
        "may_run": may_run,
        "deliveries": deliveries.order_by("-created_at")[:20],
        "forms": bound,
    }
    return render(request, "register/unit.html", context, status=400 if any_errors(bound) else 200)


def delivery_file(request: HttpRequest, delivery_id: uuid.UUID) -> FileResponse:
    """A delivery as a zip of its files, as the export wrote them. For the unit's leaders; logged."""
    user = request_user(request)
    delivery = (
        Delivery.objects.exclude(kind=Delivery.Kind.IMPORT)
        .select_related("unit", "unit__host_municipality", "unit__district")
        .filter(delivery_id=delivery_id)
        .first()
    )
    if delivery is None or not has_role(user, delivery.unit, [Role.LEADER]):
        raise Http404
    audit(
        event=AuditEvent.REGISTER_DELIVERY_DOWNLOADED,
        by=user,
        obj=delivery,
        unit=delivery.unit,
        extra={"delivery_id": str(delivery.delivery_id)},
    )
    out = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)  # noqa: SIM115 - the response closes it
    archive(delivery, out)
    out.seek(0)
    name = f"barnevernregister-{unit_code(delivery.unit)}-{delivery.delivery_id}.zip"
    return FileResponse(out, as_attachment=True, filename=name, content_type="application/zip")
