"""Registering reports of concern, the intake list and the review."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from vern.cases.selectors import visible_cases
from vern.core.access import units_with_role
from vern.core.dates import local_date, today
from vern.core.models import Role, User
from vern.core.views import Action, any_errors, handle_actions, run_service
from vern.intake import selectors, services
from vern.intake.digital import messages as digital
from vern.intake.forms import FeedbackForm, ReportCodesForm, ReportForm, ReviewForm
from vern.intake.models import ConcernReport
from vern.rules import deadlines


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


@require_http_methods(["GET", "POST"])
def report_new(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    units = selectors.units_for_registering(user)
    if not units.exists():
        raise Http404  # no service to register in: the form is not offered (auditors, providers, admins)
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
        "reporters": report.reporters.all(),
        "contents": report.contents.all(),
        "investigation": getattr(report, "investigation", None),
        "feedback_due": deadlines.reporter_feedback_due(received_on),
    }


def _report_actions(
    report: ConcernReport, user: User, *, can_review: bool, can_feedback: bool
) -> dict[str, Action]:
    return {
        "review": Action(
            ReviewForm,
            lambda f: services.review_conclude(
                report=report,
                by=user,
                concluded_on=f.cleaned_data["concluded_on"],
                conclusion=f.cleaned_data["conclusion"],
                breach=f.breach(),
            ),
            gettext_lazy("The review is concluded."),
            allowed=can_review,
        ),
        "codes": Action(
            ReportCodesForm,
            lambda f: services.report_add_codes(
                report=report, by=user, reporters=f.reporter_entries(), contents=f.content_entries()
            ),
            gettext_lazy("The report is updated."),
            allowed=can_review,
        ),
        "feedback": Action(
            FeedbackForm,
            lambda f: services.report_record_feedback(report=report, by=user, **f.service_arguments()),
            gettext_lazy("The feedback to the reporter is recorded."),
            allowed=can_feedback,
        ),
    }


@require_http_methods(["GET", "POST"])
def report_detail(request: HttpRequest, report_id: int) -> HttpResponse:
    user = _user(request)
    report = selectors.get_report_for(user, report_id)
    may_change = selectors.reviewable_reports(user).filter(pk=report.pk).exists()
    can_review = not report.is_reviewed and may_change
    owes_feedback = report.owes_feedback
    can_feedback = owes_feedback and report.feedback_sent_on is None and may_change
    actions = _report_actions(report, user, can_review=can_review, can_feedback=can_feedback)
    bound, done = handle_actions(request, actions)
    if done is not None:
        if not selectors.visible_reports(user).filter(pk=report.pk).exists():
            # Intake sees only unreviewed reports: once the review is concluded, back to the list.
            return redirect("intake:list")
        return done
    report.refresh_from_db()
    context = _report_context(report) | {
        "can_review": can_review,
        "forms": bound,
        "can_open_case": visible_cases(user).filter(pk=report.case_id).exists(),
        "message": _message_facts(report),
        "owes_feedback": owes_feedback,
    }
    return render(request, "intake/report_detail.html", context, status=400 if any_errors(bound) else 200)


def _message_facts(report: ConcernReport) -> dict[str, object] | None:
    """The digital message the report came from, read again from the stored bytes, for the page."""
    stored = report.message
    if stored is None:
        return None
    parsed = digital.parse(bytes(stored.body), message_type=stored.message_type or None, today=today())
    facts = list(digital.summary(parsed)) if isinstance(parsed, digital.ConcernMessage) else []
    return {"stored": stored, "facts": facts, "raw": bytes(stored.body).decode("utf-8", errors="replace")}


def report_pdf(request: HttpRequest, report_id: int) -> HttpResponse:
    """The PDF rendering that came with a digital report of concern, for those who may read the report."""
    report = selectors.get_report_for(_user(request), report_id)
    stored = report.message
    if stored is None or stored.pdf is None:
        raise Http404
    response = HttpResponse(bytes(stored.pdf), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{stored.reference}.pdf"'
    return response
