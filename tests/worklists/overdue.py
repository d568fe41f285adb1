"""An item overdue on each clock that keeps its breaches, made through the services, and the step
that ends it today (too late): shared by the tests of the services, the store and "Registrer årsak"."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from tests.conftest import ReportFactory, child_facts
from vern.cases.models import Case
from vern.core.breaches import BreachFacts
from vern.core.dates import OSLO, today
from vern.core.models import User
from vern.decisions.models import BoardReferral, Decision
from vern.decisions.services import (
    board_referral_send,
    decision_make,
    emergency_board_verdict,
    emergency_send_to_board,
)
from vern.intake.models import ConcernReport
from vern.intake.services import report_record_feedback, review_conclude
from vern.investigations.services import investigation_open
from vern.measures.models import Measure, Plan, Visit
from vern.measures.services import measure_start, plan_evaluate, plan_make, visit_record
from vern.rules import visits
from vern.rules.legal_basis import Law, LegalBases, LegalBasis
from vern.worklists import selectors

CARE_ORDER = LegalBases(LegalBasis(Law.BVL2021, "5", "1"))
EMERGENCY = LegalBases(LegalBasis(Law.BVL2021, "4", "2"))
# The clocks a step stops, whose step the services below record.
STEPPED = sorted(selectors.CLOCKS_WITH_REASONS - {selectors.REVIEW, selectors.INVESTIGATION})


@dataclass
class Overdue:
    """An item whose ``kind`` of deadline has passed; ``step`` does what it waits for, today."""

    kind: str
    case: Case
    object_id: int
    period_start: date | None
    step: Callable[[BreachFacts | None], object] | None
    done: Callable[[], bool]


def _ago(days: int) -> date:
    return today() - timedelta(days=days)


def _at(day: date, hour: int = 10) -> datetime:
    return min(datetime.combine(day, time(hour), tzinfo=OSLO), timezone.now() - timedelta(minutes=1))


def _case(make_report: ReportFactory) -> Case:
    return make_report(received_on=_ago(400), child=child_facts(birth=date(2014, 6, 1))).case


def _placement(case: Case, by: User, *, days_ago: int) -> Measure:
    decision = decision_make(case=case, by=by, bases=CARE_ORDER, decided_on=_ago(days_ago), summary="Omsorg.")
    return measure_start(decision=decision, by=by, category="2.2", start_on=_ago(days_ago))


def _review(make_report: ReportFactory, by: User) -> Overdue:
    report = make_report(received_on=_ago(10))
    return Overdue(selectors.REVIEW, report.case, report.pk, None, None, lambda: False)


def _investigation(make_report: ReportFactory, by: User) -> Overdue:
    report = make_report(received_on=_ago(120))
    review_conclude(report=report, by=by, concluded_on=_ago(118), conclusion="2")
    inv = investigation_open(report=report, by=by)
    return Overdue(selectors.INVESTIGATION, report.case, inv.pk, None, None, lambda: False)


def _feedback(make_report: ReportFactory, by: User) -> Overdue:
    report = make_report(received_on=_ago(30), reporters=("11",))
    return Overdue(
        selectors.REPORTER_FEEDBACK,
        report.case,
        report.pk,
        None,
        lambda breach: report_record_feedback(report=report, by=by, sent_on=today(), breach=breach),
        lambda: ConcernReport.objects.get(pk=report.pk).feedback_sent_on is not None,
    )


def _emergency_clock(kind: str, days_ago: int) -> Callable[[ReportFactory, User], Overdue]:
    """An emergency decision made ``days_ago``, its steps before ``kind``'s done in time."""

    def make(make_report: ReportFactory, by: User) -> Overdue:
        case = _case(make_report)
        d = decision_make(case=case, by=by, bases=EMERGENCY, decided_on=_ago(days_ago), summary="Akutt.")
        if kind != selectors.EMERGENCY_SUBMISSION:
            emergency_send_to_board(decision=d, by=by, sent_at=_at(d.decided_on))
        if kind == selectors.EMERGENCY_APPLICATION:
            emergency_board_verdict(decision=d, by=by, approved=True, given_on=d.decided_on)
        steps: dict[str, Callable[[BreachFacts | None], object]] = {
            selectors.EMERGENCY_SUBMISSION: lambda breach: emergency_send_to_board(
                decision=d, by=by, sent_at=_at(today(), 8), breach=breach
            ),
            selectors.EMERGENCY_APPROVAL: lambda breach: emergency_board_verdict(
                decision=d, by=by, approved=True, given_on=today(), breach=breach
            ),
            selectors.EMERGENCY_APPLICATION: lambda breach: board_referral_send(
                case=case, by=by, sent_on=today(), bases=CARE_ORDER, follows=d, breach=breach
            ),
        }
        done: dict[str, Callable[[], bool]] = {
            selectors.EMERGENCY_SUBMISSION: lambda: (
                Decision.objects.get(pk=d.pk).sent_to_board_at is not None
            ),
            selectors.EMERGENCY_APPROVAL: lambda: bool(Decision.objects.get(pk=d.pk).board_verdict),
            selectors.EMERGENCY_APPLICATION: BoardReferral.objects.filter(follows=d).exists,
        }
        return Overdue(kind, case, d.pk, None, steps[kind], done[kind])

    return make


def _evaluation(make_report: ReportFactory, by: User) -> Overdue:
    case = _case(make_report)
    plan = plan_make(case=case, by=by, plan_type="1", start_on=_ago(120), summary="Mål og tiltak.")
    return Overdue(
        selectors.PLAN_EVALUATION,
        case,
        plan.pk,
        plan.start_on,
        lambda breach: plan_evaluate(plan=plan, by=by, done_on=today(), breach=breach),
        plan.evaluations.exists,
    )


def _care_plan(make_report: ReportFactory, by: User) -> Overdue:
    case = _case(make_report)
    home = _placement(case, by, days_ago=30)
    return Overdue(
        selectors.CARE_PLAN,
        case,
        home.pk,
        None,
        lambda breach: plan_make(
            case=case, by=by, plan_type="4", start_on=today(), summary="Omsorgsplan.", breach=breach
        ),
        Plan.objects.filter(case=case, plan_type="4").exists,
    )


def _visit(kind: str) -> Callable[[ReportFactory, User], Overdue]:
    def make(make_report: ReportFactory, by: User) -> Overdue:
        case = _case(make_report)
        home = _placement(case, by, days_ago=120)
        return Overdue(
            visits.CLOCKS[kind],
            case,
            home.pk,
            home.start_on,
            lambda breach: visit_record(measure=home, by=by, kind=kind, visited_on=today(), breach=breach),
            Visit.objects.filter(measure=home, kind=kind).exists,
        )

    return make


MAKERS: dict[str, Callable[[ReportFactory, User], Overdue]] = {
    selectors.REVIEW: _review,
    selectors.INVESTIGATION: _investigation,
    selectors.REPORTER_FEEDBACK: _feedback,
    selectors.EMERGENCY_SUBMISSION: _emergency_clock(selectors.EMERGENCY_SUBMISSION, days_ago=3),
    selectors.EMERGENCY_APPROVAL: _emergency_clock(selectors.EMERGENCY_APPROVAL, days_ago=10),
    selectors.EMERGENCY_APPLICATION: _emergency_clock(selectors.EMERGENCY_APPLICATION, days_ago=50),
    selectors.PLAN_EVALUATION: _evaluation,
    selectors.CARE_PLAN: _care_plan,
    selectors.FOLLOW_UP_VISIT: _visit(visits.FOLLOW_UP),
    selectors.SUPERVISION_VISIT: _visit(visits.SUPERVISION),
}


def overdue(kind: str, make_report: ReportFactory, by: User) -> Overdue:
    """An item overdue on ``kind`` (a clock with a reason), made by ``by`` through the services."""
    return MAKERS[kind](make_report, by)
