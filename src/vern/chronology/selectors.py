"""The chronology (kronologi): every event of a child's case in time order, one query per kind.

Read-only over every stage; the case page's reader must already have been checked and logged
(``get_case_for``).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from vern.cases.models import Case
from vern.core import codes
from vern.core.codelists import paths
from vern.core.dates import local_date
from vern.decisions.models import BoardReferral, Decision, DecisionApproval, DecisionStatus, PrivateClaim
from vern.intake.models import ConcernReport
from vern.investigations.models import DeadlineExtension, Investigation
from vern.measures.models import Aftercare, Consent, Measure, Plan, PlanEvaluation, Relocation, Visit

# The filter groups shown on the page, in the order of the case flow.
GROUPS = {
    "case": gettext_lazy("The case opened, closed and reopened"),
    "reports": gettext_lazy("Reports and reviews"),
    "investigations": gettext_lazy("Investigations"),
    "decisions": gettext_lazy("Decisions and the county board"),
    "measures": gettext_lazy("Measures and consents"),
    "plans": gettext_lazy("Plans and evaluations"),
    "visits": gettext_lazy("Visits and supervision"),
    "aftercare": gettext_lazy("Aftercare"),
}


@dataclass(frozen=True)
class Event:
    day: date
    group: str  # a key of GROUPS
    title: str
    detail: str = ""
    url: str = ""


def _case(case: Case) -> Iterator[Event]:
    url = reverse("cases:detail", args=[case.pk])
    yield Event(case.opened_on, "case", _("Case opened"), "", url)
    for c in case.closings.order_by("closed_at"):
        yield Event(c.closed_on, "case", _("Case closed"), c.reason[:200], url)
        if c.reopened_at is not None:
            yield Event(local_date(c.reopened_at), "case", _("Case reopened"), c.reopen_reason[:200], url)


def _reports(case: Case) -> Iterator[Event]:
    for r in ConcernReport.objects.filter(case=case).order_by("received_at"):
        url = reverse("intake:report", args=[r.pk])
        yield Event(local_date(r.received_at), "reports", _("Report of concern received"), r.text[:200], url)
        if r.review_concluded_on:
            conclusion = codes.text(paths.REVIEW_CONCLUSION, r.review_conclusion)
            yield Event(r.review_concluded_on, "reports", _("Review concluded"), conclusion, url)


def _investigations(case: Case) -> Iterator[Event]:
    for inv in Investigation.objects.filter(case=case):
        url = reverse("investigations:detail", args=[inv.pk])
        yield Event(inv.started_on, "investigations", _("Investigation started"), "", url)
        if inv.plan_made_on:
            yield Event(
                inv.plan_made_on, "investigations", _("Investigation plan made"), inv.plan_text[:200], url
            )
        if inv.participation_on:
            detail = codes.text(paths.CHILD_PARTICIPATION, inv.participation_code)
            yield Event(inv.participation_on, "investigations", _("The child's participation"), detail, url)
        if inv.concluded_on:
            detail = codes.text(paths.INVESTIGATION_CONCLUSION, inv.conclusion)
            yield Event(inv.concluded_on, "investigations", _("Investigation concluded"), detail, url)
    for ext in DeadlineExtension.objects.filter(investigation__case=case):
        url = reverse("investigations:detail", args=[ext.investigation_id])
        yield Event(
            ext.decided_on, "investigations", _("Deadline extended to six months"), ext.reason[:200], url
        )


def _decisions(case: Case) -> Iterator[Event]:
    for d in Decision.objects.filter(case=case):
        url = reverse("decisions:detail", args=[d.pk])
        title = _("Decision made: %(basis)s") % {"basis": d.legal_basis_text}
        yield Event(d.decided_on, "decisions", title, d.summary[:200], url)
        if d.sent_to_board_at:
            title = _("Emergency decision sent to the county board")
            yield Event(local_date(d.sent_to_board_at), "decisions", title, "", url)
        if d.board_verdict_on:
            yield Event(
                d.board_verdict_on, "decisions", str(d.get_board_verdict_display()).capitalize(), "", url
            )
    for a in DecisionApproval.objects.filter(decision__case=case).select_related("by"):
        title = _("Decision approved by %(who)s") if a.approved else _("Decision rejected by %(who)s")
        url = reverse("decisions:detail", args=[a.decision_id])
        yield Event(local_date(a.at), "decisions", title % {"who": a.by}, a.reason[:200], url)
    for s in DecisionStatus.objects.filter(decision__case=case):
        url = reverse("decisions:detail", args=[s.decision_id])
        title = _("Decision status: %(status)s") % {"status": codes.text(paths.DECISION_STATUS, s.code)}
        yield Event(s.changed_on, "decisions", title, "", url)
    for ref in BoardReferral.objects.filter(case=case):
        yield Event(
            ref.sent_on,
            "decisions",
            _("Sent to the county board: %(basis)s") % {"basis": ref.legal_basis_text},
        )
    for c in PrivateClaim.objects.filter(decision__case=case):
        url = reverse("decisions:detail", args=[c.decision_id])
        yield Event(c.received_on, "decisions", _("Claim from a private party received"), "", url)
        if c.concluded_on:
            yield Event(
                c.concluded_on,
                "decisions",
                _("Claim concluded"),
                codes.text(paths.CLAIM_CONCLUSION, c.conclusion),
                url,
            )


def _measures(case: Case) -> Iterator[Event]:
    for m in Measure.objects.filter(case=case):
        url = reverse("measures:detail", args=[m.pk])
        category = codes.text(paths.MEASURE_CATEGORY, m.category)
        yield Event(m.start_on, "measures", _("Measure started"), category, url)
        if m.end_on:
            revocation = codes.text(paths.MEASURE_REVOCATION, m.revocation)
            detail = f"{category}: {revocation}" if revocation else category
            yield Event(m.end_on, "measures", _("Measure ended"), detail, url)
    for c in Consent.objects.filter(measure__case=case).select_related("party"):
        who = c.party.name if c.party else _("the child")
        url = reverse("measures:detail", args=[c.measure_id])
        yield Event(c.given_on, "measures", _("Consent given by %(who)s") % {"who": who}, "", url)
        if c.withdrawn_on:
            title = _("Consent withdrawn by %(who)s") % {"who": who}
            yield Event(c.withdrawn_on, "measures", title, c.withdrawal_note[:200], url)
    for r in Relocation.objects.filter(case=case):
        moved_to = codes.text(paths.RELOCATION_DESTINATION, r.destination)
        detail = f"{codes.text(paths.RELOCATION_REASON, r.reason)} → {moved_to}"
        yield Event(r.moved_on, "measures", _("Moved"), detail)


def _plans(case: Case) -> Iterator[Event]:
    for p in Plan.objects.filter(case=case):
        url = reverse("measures:plan", args=[p.pk])
        title = _("Plan made: %(type)s") % {"type": codes.text(paths.PLAN_TYPE, p.plan_type)}
        yield Event(p.start_on, "plans", title, p.summary[:200], url)
        if p.end_on:
            yield Event(p.end_on, "plans", _("Plan ended"), codes.text(paths.PLAN_TYPE, p.plan_type), url)
    for e in PlanEvaluation.objects.filter(plan__case=case):
        yield Event(
            e.done_on, "plans", _("Plan evaluated"), e.note[:200], reverse("measures:plan", args=[e.plan_id])
        )


def _visits(case: Case) -> Iterator[Event]:
    for v in Visit.objects.filter(measure__case=case):
        url = reverse("measures:detail", args=[v.measure_id])
        yield Event(v.visited_on, "visits", str(v.get_kind_display()).capitalize(), v.note[:200], url)
        if v.report_received_on:
            yield Event(v.report_received_on, "visits", _("Supervisor's report received"), "", url)


def _aftercare(case: Case) -> Iterator[Event]:
    url = reverse("measures:aftercare", args=[case.pk])
    for a in Aftercare.objects.filter(case=case):
        yield Event(a.offered_on, "aftercare", _("Aftercare offered"), "", url)
        if a.concluded_on:
            outcome = codes.text(paths.AFTERCARE_CONCLUSION, a.conclusion)
            yield Event(a.concluded_on, "aftercare", _("Aftercare concluded"), outcome, url)


SOURCES = {
    "case": _case,
    "reports": _reports,
    "investigations": _investigations,
    "decisions": _decisions,
    "measures": _measures,
    "plans": _plans,
    "visits": _visits,
    "aftercare": _aftercare,
}


def chronology(case: Case, groups: Iterable[str] = ()) -> list[Event]:
    """The case's events of the chosen groups (all when none), oldest first."""
    chosen = [g for g in groups if g in SOURCES] or list(SOURCES)
    events = [event for group in chosen for event in SOURCES[group](case)]
    order = list(SOURCES)
    return sorted(events, key=lambda e: (e.day, order.index(e.group)))
