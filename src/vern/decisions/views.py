"""Decision pages: a new decision, a decision with its approval, status and county board, delegation rules."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from vern.cases.selectors import can_write, get_case_for
from vern.core.access import has_role
from vern.core.audit_events import AuditEvent
from vern.core.dates import local_date, today
from vern.core.models import Role, User
from vern.core.views import Action, any_errors, chosen_unit, handle_actions, request_user, run_service
from vern.decisions import forms, services
from vern.decisions.models import ApprovalRule, Decision
from vern.decisions.selectors import get_decision_for
from vern.rules import decisions as rules


@require_http_methods(["GET", "POST"])
def decision_new(request: HttpRequest, case_id: int) -> HttpResponse:
    user = request_user(request)
    case = get_case_for(user, case_id, event=AuditEvent.CASE_DECISION_FORM_VIEWED)
    if not can_write(user, case) or case.closed_on is not None:
        raise Http404
    investigations = case.investigations.order_by("-started_on")
    initial = {"investigation": request.GET.get("undersokelse"), "decided_on": today()}
    form = forms.DecisionForm(request.POST or None, investigations=investigations, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        decision = run_service(
            form,
            lambda: services.decision_make(
                case=case,
                by=user,
                decided_on=data["decided_on"],
                bases=form.bases(),
                summary=data["summary"],
                child_views=data["child_views"],
                investigation=data["investigation"],
            ),
        )
        if decision is not None:
            messages.success(request, str(_("The decision is recorded.")))
            return redirect("decisions:detail", decision_id=decision.pk)
    return render(
        request, "decisions/new.html", {"case": case, "form": form}, status=400 if form.errors else 200
    )


def _actions(decision: Decision, user: User, *, writable: bool, approves: bool) -> dict[str, Action]:
    case = decision.case
    emergency = rules.emergency_rule(decision.legal_bases) is not None
    running = writable and decision.ended_on is None
    return {
        "approve": Action(
            forms.ApproveForm,
            lambda f: services.decision_approve(decision=decision, by=user, reason=f.cleaned_data["reason"]),
            _("The decision is approved."),
            allowed=approves,
        ),
        "reject": Action(
            forms.RejectForm,
            lambda f: services.decision_reject(decision=decision, by=user, reason=f.cleaned_data["reason"]),
            _("The decision is rejected."),
            allowed=approves,
        ),
        "status": Action(
            forms.StatusForm,
            lambda f: services.decision_set_status(
                decision=decision,
                by=user,
                code=f.cleaned_data["code"],
                changed_on=f.cleaned_data["changed_on"],
            ),
            _("The status is recorded."),
            allowed=running and not decision.approval_pending,
        ),
        "referral": Action(
            forms.ApplicationForm if emergency else forms.ReferralForm,
            lambda f: services.board_referral_send(
                case=case,
                by=user,
                sent_on=f.cleaned_data["sent_on"],
                bases=f.bases(),
                decision=None if emergency else decision,
                follows=decision if emergency else None,
                breach=f.breach() if emergency else None,
            ),
            _("The referral to the county board is recorded."),
            allowed=running and not decision.approval_pending,
        ),
        "claim": Action(
            forms.ClaimForm,
            lambda f: services.claim_register(
                decision=decision, by=user, received_on=f.cleaned_data["received_on"]
            ),
            _("The claim is recorded."),
            allowed=writable,
        ),
        "claim_conclusion": Action(
            lambda data, **kw: forms.ClaimConclusionForm(
                data, claims=decision.claims.filter(concluded_on__isnull=True), **kw
            ),
            lambda f: services.claim_conclude(
                claim=f.cleaned_data["claim"],
                by=user,
                concluded_on=f.cleaned_data["concluded_on"],
                conclusion=f.cleaned_data["conclusion"],
                specification=f.cleaned_data["specification"],
            ),
            _("The claim is concluded."),
            allowed=writable and decision.claims.filter(concluded_on__isnull=True).exists(),
        ),
        "send": Action(
            forms.SendToBoardForm,
            lambda f: services.emergency_send_to_board(
                decision=decision, by=user, sent_at=f.cleaned_data["sent_at"], breach=f.breach()
            ),
            _("The time sent to the county board is recorded."),
            allowed=running and emergency and decision.sent_to_board_at is None,
        ),
        "verdict": Action(
            forms.VerdictForm,
            lambda f: services.emergency_board_verdict(
                decision=decision,
                by=user,
                approved=f.cleaned_data["approved"],
                given_on=f.cleaned_data["given_on"],
                breach=f.breach(),
            ),
            _("The county board's verdict is recorded."),
            allowed=running
            and emergency
            and decision.sent_to_board_at is not None
            and not decision.board_verdict,
        ),
    }


@require_http_methods(["GET", "POST"])
def decision_detail(request: HttpRequest, decision_id: int) -> HttpResponse:
    user = request_user(request)
    decision = get_decision_for(user, decision_id)
    case = decision.case
    # Approval is a leader's of the case's unit, and never of the one who made the decision.
    approves = (
        decision.approval_pending
        and has_role(user, case.unit_id, [Role.LEADER])
        and user.pk != decision.made_by_id
    )
    writable = can_write(user, case)
    bound, done = handle_actions(request, _actions(decision, user, writable=writable, approves=approves))
    if done is not None:
        return done
    rule = rules.emergency_rule(decision.legal_bases)
    context: dict[str, Any] = {
        "decision": decision,
        "case": case,
        "forms": bound,
        "writable": writable,
        "statuses": decision.statuses.all(),
        "claims": decision.claims.order_by("received_on"),
        "referrals": list(decision.board_referrals.all()) + list(decision.applications.all()),
        "measures": decision.measures.order_by("start_on"),
        "emergency": rule,
    }
    if rule is not None:
        context["submission_due"] = rules.board_submission_due(decision.decided_on)
        context["application_due"] = rules.application_due(rule, decision.decided_on)
        if decision.sent_to_board_at is not None:
            context["approval_due"] = local_date(rules.board_approval_due(decision.sent_to_board_at))
    return render(request, "decisions/detail.html", context, status=400 if any_errors(bound) else 200)


@require_http_methods(["GET", "POST"])
def delegation_rules(request: HttpRequest) -> HttpResponse:
    """A unit's delegation rules: which decisions a leader must approve. For the unit's leaders."""
    user = request_user(request)
    unit, units = chosen_unit(request, [Role.LEADER])
    rules_ = ApprovalRule.objects.filter(unit=unit).order_by("ended_on", "law", "chapter", "section")
    running = rules_.filter(ended_on__isnull=True)
    actions = {
        "add": Action(
            forms.ApprovalRuleForm,
            lambda f: services.approval_rule_add(unit=unit, by=user, **f.cleaned_data),
            _("The rule is added."),
        ),
        "end": Action(
            lambda data, **kw: forms.EndRuleForm(data, rules=running, **kw),
            lambda f: services.approval_rule_end(
                rule=f.cleaned_data["rule"], by=user, ended_on=f.cleaned_data["ended_on"]
            ),
            _("The rule is ended."),
            allowed=running.exists(),
        ),
    }
    bound, done = handle_actions(request, actions)
    if done is not None:
        return done
    context = {"unit": unit, "units": units, "rules": rules_, "forms": bound}
    return render(request, "decisions/delegation.html", context, status=400 if any_errors(bound) else 200)
