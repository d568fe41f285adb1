"""Registering reports of concern, the intake list and the review."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from vern.cases.selectors import visible_cases
from vern.core import codes
from vern.core.access import units_with_role
from vern.core.codelists import paths
from vern.core.dates import local_date, today
from vern.core.models import Role, User
from vern.core.views import post_or_none, run_service
from vern.intake import selectors, services
from vern.intake.forms import ReportCodesForm, ReportForm, ReviewForm
from vern.intake.models import ConcernReport
from vern.rules import deadlines


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


@require_http_methods(["GET", "POST"])
def report_new(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    units = selectors.units_for_registering(user)
    form = ReportForm(request.POST or None, units=units)
    if request.method == "POST" and form.is_valid():
        report = run_service(
            form,
            lambda: services.report_register(
                unit=form.cleaned_data["unit"],
                by=user,
                child=form.cleaned_data["child"],
                received_at=form.cleaned_data["received_at"],
                channel=form.cleaned_data["channel"],
                text=form.cleaned_data["text"],
                reporters=form.reporter_entries(),
                contents=form.content_entries(),
            ),
        )
        if report is not None:
            messages.success(request, _("The report of concern is registered."))
            return redirect("intake:report", report_id=report.pk)
    return render(request, "intake/report_new.html", {"form": form}, status=400 if form.errors else 200)


def intake_list(request: HttpRequest) -> HttpResponse:
    """Unreviewed reports of the user's units (intake, leaders), oldest received first."""
    user = _user(request)
    unit_ids = units_with_role(user, [Role.INTAKE, Role.LEADER])
    reports = (
        selectors.visible_reports(user)
        .filter(case__unit_id__in=unit_ids, review_concluded_on__isnull=True)
        .select_related("case", "case__child", "case__unit")
        .order_by("received_at")
    )
    rows = [
        {
            "report": r,
            "due": deadlines.review_due(local_date(r.received_at)),
            "status": deadlines.status(
                due=deadlines.review_due(local_date(r.received_at)), concluded_on=None, today=today()
            ),
        }
        for r in reports
    ]
    return render(request, "intake/intake_list.html", {"rows": rows})


def _report_context(report: ConcernReport) -> dict[str, object]:
    received_on = local_date(report.received_at)
    due = deadlines.review_due(received_on)
    return {
        "report": report,
        "due": due,
        "status": deadlines.status(due=due, concluded_on=report.review_concluded_on, today=today()),
        "reporters": [(r, codes.label(paths.REPORTER, r.code)) for r in report.reporters.all()],
        "contents": [(c, codes.label(paths.CASE_CONTENT, c.code)) for c in report.contents.all()],
        "conclusion_label": codes.label(paths.REVIEW_CONCLUSION, report.review_conclusion)
        if report.review_conclusion
        else "",
        "investigation": getattr(report, "investigation", None),
    }


@require_http_methods(["GET", "POST"])
def report_detail(request: HttpRequest, report_id: int) -> HttpResponse:
    user = _user(request)
    report = selectors.get_report_for(user, report_id)
    can_review = not report.is_reviewed and selectors.reviewable_reports(user).filter(pk=report.pk).exists()
    review_form = ReviewForm(post_or_none(request, "review"))
    codes_form = ReportCodesForm(post_or_none(request, "codes"))
    if request.method == "POST":
        if not can_review:
            return HttpResponse(status=404)
        if review_form.is_bound and review_form.is_valid():
            done = run_service(
                review_form,
                lambda: services.review_conclude(
                    report=report,
                    by=user,
                    concluded_on=review_form.cleaned_data["concluded_on"],
                    conclusion=review_form.cleaned_data["conclusion"],
                    breach=review_form.breach(),
                ),
            )
            if done is not None:
                messages.success(request, _("The review is concluded."))
                return redirect("intake:report", report_id=report.pk)
        elif codes_form.is_bound and codes_form.is_valid():
            done = run_service(
                codes_form,
                lambda: services.report_add_codes(
                    report=report,
                    by=user,
                    reporters=codes_form.reporter_entries(),
                    contents=codes_form.content_entries(),
                ),
            )
            if done is not None:
                messages.success(request, _("The report is updated."))
                return redirect("intake:report", report_id=report.pk)
        report.refresh_from_db()
    context = _report_context(report) | {
        "can_review": can_review,
        "review_form": review_form,
        "codes_form": codes_form,
        "can_open_case": visible_cases(user).filter(pk=report.case_id).exists(),
    }
    failed = review_form.errors or codes_form.errors
    return render(request, "intake/report_detail.html", context, status=400 if failed else 200)
