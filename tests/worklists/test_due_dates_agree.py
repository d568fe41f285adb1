"""The database computes the same due dates as ``vern.rules`` (on SQLite and on PostgreSQL)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest
from django.db.models import Value
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from vern.core.dates import OSLO
from vern.core.db import AddDays, AddMonths
from vern.core.models import Code
from vern.rules import deadlines
from vern.worklists.selectors import investigation_due_expression, review_due_expression

pytestmark = pytest.mark.django_db

days = st.dates(min_value=date(2013, 1, 1), max_value=date(2035, 12, 31))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(day=days, months=st.sampled_from([0, 1, 2, 3, 6, 11, 12, 25]))
def test_add_months_agrees(day: date, months: int) -> None:
    # Any table with a row will do: the expression is evaluated over literal values.
    got = Code.objects.annotate(due=AddMonths(Value(day), months)).values_list("due", flat=True)[:1].get()
    assert got == deadlines.add_months(day, months)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(day=days, n=st.integers(min_value=-400, max_value=400))
def test_add_days_agrees(day: date, n: int) -> None:
    got = Code.objects.annotate(due=AddDays(Value(day), n)).values_list("due", flat=True)[:1].get()
    assert got == day + timedelta(days=n)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    received=st.datetimes(min_value=datetime(2020, 1, 1), max_value=datetime(2026, 11, 1)),  # noqa: DTZ001
    extend=st.booleans(),
    review_after=st.integers(min_value=0, max_value=12),
)
def test_worklist_due_dates_agree_with_rules(
    received: datetime, extend: bool, review_after: int, make_report: object, caseworker: object
) -> None:
    """Reports and investigations stored with arbitrary facts get the rules' due dates from the database."""
    from tests.conftest import child_facts
    from vern.core.breaches import BreachFacts
    from vern.intake.models import ConcernReport
    from vern.intake.services import review_conclude
    from vern.investigations.models import Investigation
    from vern.investigations.services import investigation_extend, investigation_open

    received_at = received.replace(tzinfo=OSLO)
    received_on = received_at.date()
    assert callable(make_report)
    report = make_report(received_on=received_on, child=child_facts(birth=date(2012, 5, 5)))
    ConcernReport.objects.filter(pk=report.pk).update(received_at=received_at)
    report.refresh_from_db()
    concluded = received_on + timedelta(days=review_after)
    review_conclude(
        report=report,
        by=caseworker,  # type: ignore[arg-type]
        concluded_on=concluded,
        conclusion="2",
        breach=BreachFacts("capacity"),
    )
    inv = investigation_open(report=report, by=caseworker)  # type: ignore[arg-type]
    if extend:
        investigation_extend(investigation=inv, by=caseworker, decided_on=inv.started_on, reason="Særlig")  # type: ignore[arg-type]

    db_review_due = ConcernReport.objects.annotate(due=review_due_expression()).get(pk=report.pk).due
    assert db_review_due == deadlines.review_due(received_on)
    db_inv_due = Investigation.objects.annotate(due=investigation_due_expression()).get(pk=inv.pk).due
    assert db_inv_due == deadlines.investigation_due(inv.started_on, extended=extend)


def test_review_due_uses_oslo_date_not_utc(make_report: object) -> None:
    """A report received 00:30 Oslo time on the 1st is due on the 8th, although it is the 31st in UTC."""
    from vern.intake.models import ConcernReport

    assert callable(make_report)
    report = make_report(received_on=date(2026, 2, 1))
    late_evening = datetime.combine(date(2026, 2, 1), time(0, 30), tzinfo=OSLO)
    ConcernReport.objects.filter(pk=report.pk).update(received_at=late_evening)
    due = ConcernReport.objects.annotate(due=review_due_expression()).get(pk=report.pk).due
    assert due == date(2026, 2, 8)


# -- the clocks of decisions, plans, visits and ages


def _case(unit: object, caseworker: object, *, birth: date = date(2012, 5, 5)) -> object:
    from vern.cases.models import Case, Child

    child = Child.objects.create(identity_kind="unknown_00100", birth_date=birth, gender="1")
    return Case.objects.create(
        unit=unit,
        child=child,
        journal_number=f"T/{Child.objects.count()}",
        opened_on=date(2013, 1, 1),
        caseworker=caseworker,
    )


def _late(case: object, kind: str) -> list[tuple[date, date, date]]:
    """The late rows of ``kind`` of one case from the database: (interval start, due, done)."""
    from vern.worklists.selectors import CaseScope, late_rows

    rows = late_rows(CaseScope(case_id=case.pk), today=date(2040, 1, 1))  # type: ignore[attr-defined]
    return sorted((r.start, r.due, r.concluded_on) for r in rows if r.kind == kind)  # type: ignore[misc]


def _placement(
    unit: object, caseworker: object, placed: date, *, care_order: bool = True, end: date | None = None
) -> object:
    from vern.decisions.models import Decision
    from vern.measures.models import Measure

    case = _case(unit, caseworker)
    decision = Decision.objects.create(
        case=case, decided_on=placed, made_by=caseworker, summary="x", law="BVL2021", chapter="5", section="1"
    )
    return Measure.objects.create(
        case=case,
        decision=decision,
        category="2.2",
        care_order=care_order,
        start_on=placed,
        end_on=end,
        started_by=caseworker,
        law="BVL2021",
        chapter="5",
        section="1",
    )


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    start=days,
    evaluations=st.lists(st.integers(min_value=0, max_value=900), max_size=6),
    months=st.integers(min_value=1, max_value=12),
)
def test_plan_evaluation_due_agrees(
    start: date, evaluations: list[int], months: int, unit: object, caseworker: object
) -> None:
    from vern.core.models import Unit
    from vern.measures.models import Plan, PlanEvaluation
    from vern.rules import plans
    from vern.worklists.selectors import plan_evaluation_due_expression

    assert isinstance(unit, Unit)
    Unit.objects.filter(pk=unit.pk).update(plan_evaluation_months=months)
    plan = Plan.objects.create(
        case=_case(unit, caseworker), plan_type="1", start_on=start, summary="x", made_by=caseworker
    )
    done = [start + timedelta(days=d) for d in evaluations]
    PlanEvaluation.objects.bulk_create(PlanEvaluation(plan=plan, done_on=d, by=caseworker) for d in done)
    got = Plan.objects.annotate(due=plan_evaluation_due_expression()).get(pk=plan.pk).due
    assert got == plans.evaluation_due(
        started_on=start, last_evaluated_on=max(done, default=None), months=months
    )
    # And each evaluation done after its due date, one per day (the breaches, ADR 0014).
    expected = plans.late_evaluations(started_on=start, evaluations=done, months=months)
    assert _late(plan.case, plans.EVALUATION_CLOCK) == sorted((m.start, m.due, m.done) for m in expected)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    placed=days,
    kind=st.sampled_from(["follow_up", "supervision"]),
    frequency_changes=st.lists(st.tuples(st.integers(-30, 900), st.sampled_from(["4", "2"])), max_size=3),
    visit_days=st.lists(st.integers(min_value=-20, max_value=1200), max_size=7),
    today_after=st.integers(min_value=0, max_value=1200),
)
def test_next_visit_due_agrees(
    *,
    placed: date,
    kind: str,
    frequency_changes: list[tuple[int, str]],
    visit_days: list[int],
    today_after: int,
    unit: object,
    caseworker: object,
) -> None:
    from vern.measures.models import Measure, Visit, VisitFrequency
    from vern.rules import visits
    from vern.worklists.selectors import with_visit_due

    measure = _placement(unit, caseworker, placed)
    starts = {placed + timedelta(days=d): code for d, code in frequency_changes}
    VisitFrequency.objects.bulk_create(
        VisitFrequency(measure=measure, kind=kind, code=code, start_on=day, recorded_by=caseworker)
        for day, code in starts.items()
    )
    done = [placed + timedelta(days=d) for d in visit_days]
    other = "supervision" if kind == "follow_up" else "follow_up"
    Visit.objects.bulk_create(
        [Visit(measure=measure, kind=kind, visited_on=d, recorded_by=caseworker) for d in done]
        # A visit of the other kind counts for the other clock only.
        + [Visit(measure=measure, kind=other, visited_on=d, recorded_by=caseworker) for d in done[:1]]
    )
    frequencies = [visits.Frequency(day, code) for day, code in starts.items()]
    today = placed + timedelta(days=today_after)
    got = with_visit_due(Measure.objects.filter(pk=measure.pk), kind, today).get().due  # type: ignore[attr-defined]
    last = max(done, default=None)
    assert got == visits.next_visit_due(
        placed_on=placed, frequencies=frequencies, last_visit=last, today=today
    )
    # And each visit done after its due date, one per day (the breaches, ADR 0014).
    expected = visits.late_visits(placed_on=placed, frequencies=frequencies, visits=done)
    assert _late(measure.case, visits.CLOCKS[kind]) == sorted((m.start, m.due, m.done) for m in expected)  # type: ignore[attr-defined]


def test_only_emergency_provisions_are_emergencies(unit: object, caseworker: object) -> None:
    from vern.decisions.models import Decision
    from vern.worklists.selectors import emergency_q

    case = _case(unit, caseworker)
    kinds = {
        ("BVL2021", "4", "2", ""): True,
        ("BVL2021", "5", "1", ""): False,
        ("BVL", "4", "6", "2"): True,
        ("BVL", "4", "6", "1"): False,
        ("BVL", "4", "6", "1,2"): True,
        ("BVL", "4", "6", "12"): False,
    }
    made = {
        key: Decision.objects.create(
            case=case,
            decided_on=date(2022, 1, 1),
            made_by=caseworker,
            summary="x",
            law=key[0],
            chapter=key[1],
            section=key[2],
            paragraphs=key[3],
        ).pk
        for key in kinds
    }
    found = set(Decision.objects.filter(emergency_q()).values_list("pk", flat=True))
    assert {key for key, pk in made.items() if pk in found} == {
        key for key, is_emergency in kinds.items() if is_emergency
    }


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    birth=st.dates(min_value=date(1996, 1, 1), max_value=date(2026, 12, 31))
    | st.sampled_from(
        [date(2008, 2, 29), date(2004, 2, 29), date(2000, 2, 29), date(2007, 3, 1), date(2006, 2, 28)]
    )
)
def test_birthdays_agree(birth: date, unit: object, caseworker: object) -> None:
    from vern.cases.models import Case
    from vern.rules import ages
    from vern.worklists.selectors import birthday_expression

    case = _case(unit, caseworker, birth=birth)
    row = Case.objects.annotate(
        at18=birthday_expression("child__birth_date", 18), at25=birthday_expression("child__birth_date", 25)
    ).get(pk=case.pk)  # type: ignore[attr-defined]
    assert row.at18 == ages.birthday(birth, 18)
    assert row.at25 == ages.birthday(birth, 25)


# -- the steps done late that no other clock test covers (the breaches that stay, ADR 0014)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    placed=days,
    length=st.none() | st.integers(min_value=0, max_value=400),
    care_plans=st.lists(st.tuples(st.integers(-300, 500), st.none() | st.integers(0, 400)), max_size=3),
)
def test_late_care_plans_agree(
    placed: date,
    length: int | None,
    care_plans: list[tuple[int, int | None]],
    unit: object,
    caseworker: object,
) -> None:
    """The first care plan in force during a care-order placement, when it came after its start."""
    from vern.measures.models import Plan
    from vern.rules import plans

    end = None if length is None else placed + timedelta(days=length)
    measure = _placement(unit, caseworker, placed, end=end)
    made = [
        (placed + timedelta(days=s), None if e is None else placed + timedelta(days=s + e))
        for s, e in care_plans
    ]
    case = measure.case  # type: ignore[attr-defined]
    Plan.objects.bulk_create(
        Plan(case=case, plan_type="4", start_on=s, end_on=e, summary="x", made_by=caseworker) for s, e in made
    )
    came = plans.care_plan_late(placed=(placed, end), care_plans=made)
    assert _late(case, plans.CARE_PLAN_CLOCK) == ([] if came is None else [(placed, placed, came)])


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    decided=days,
    section=st.sampled_from(["2", "3", "4", "5"]),
    sent_after=st.none() | st.integers(min_value=0, max_value=96),
    verdict_after=st.none() | st.integers(min_value=0, max_value=5),
    applications=st.lists(st.integers(min_value=0, max_value=60), max_size=2),
    ended=st.booleans(),
)
def test_emergency_clocks_agree(
    *,
    decided: date,
    section: str,
    sent_after: int | None,
    verdict_after: int | None,
    applications: list[int],
    ended: bool,
    unit: object,
    caseworker: object,
) -> None:
    """The due dates, and the steps done late: sent after the day of the decision, the verdict after
    the 48 hours, the first application after its weeks, whether the decision has ended since or not."""
    from vern.core.dates import local_date
    from vern.decisions.models import BoardReferral, BoardVerdict, Decision
    from vern.rules import decisions as rules
    from vern.rules.legal_basis import Law, LegalBases, LegalBasis
    from vern.worklists.selectors import (
        emergency_application_due_expression,
        emergency_approval_due_expression,
        emergency_q,
    )

    case = _case(unit, caseworker)
    sent_at = (
        None
        if sent_after is None
        else datetime.combine(decided, time(9), tzinfo=OSLO) + timedelta(hours=sent_after)
    )
    verdict_on = (
        None
        if sent_at is None or verdict_after is None
        else local_date(sent_at) + timedelta(days=verdict_after)
    )
    decision = Decision.objects.create(
        case=case,
        decided_on=decided,
        made_by=caseworker,
        summary="x",
        law="BVL2021",
        chapter="4",
        section=section,
        sent_to_board_at=sent_at,
        board_verdict=BoardVerdict.APPROVED if verdict_on else BoardVerdict.NONE,
        board_verdict_on=verdict_on,
        ended_on=decided + timedelta(days=70) if ended else None,
    )
    applied = [decided + timedelta(days=d) for d in applications]
    BoardReferral.objects.bulk_create(
        BoardReferral(
            case=case,
            sent_on=d,
            follows=decision,
            sent_by=caseworker,
            law="BVL2021",
            chapter="5",
            section="1",
        )
        for d in applied
    )
    rule = rules.emergency_rule(LegalBases(LegalBasis(Law.BVL2021, "4", section)))
    assert rule is not None
    row = (
        Decision.objects.filter(emergency_q())
        .annotate(
            application_due=emergency_application_due_expression(),
            approval_due=emergency_approval_due_expression(),
        )
        .get(pk=decision.pk)
    )
    assert row.application_due == rules.application_due(rule, decided)
    assert row.approval_due == (None if sent_at is None else local_date(rules.board_approval_due(sent_at)))
    due = rules.board_submission_due(decided)
    expected_submission = (
        [(decided, due, local_date(sent_at))] if sent_at and local_date(sent_at) > due else []
    )
    assert _late(case, rules.SUBMISSION_CLOCK) == expected_submission
    expected_approval = []
    if sent_at is not None and verdict_on is not None:
        due = local_date(rules.board_approval_due(sent_at))
        expected_approval = [(decided, due, verdict_on)] if verdict_on > due else []
    assert _late(case, rules.APPROVAL_CLOCK) == expected_approval
    due = rules.application_due(rule, decided)
    first = min(applied, default=None)
    assert _late(case, rules.APPLICATION_CLOCK) == ([(decided, due, first)] if first and first > due else [])


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    received=st.datetimes(min_value=datetime(2020, 1, 1), max_value=datetime(2026, 11, 1)),  # noqa: DTZ001
    sent_after=st.none() | st.integers(min_value=0, max_value=40),
    reporter=st.sampled_from(["11", "1"]),
)
def test_late_feedback_agrees(
    received: datetime, sent_after: int | None, reporter: str, unit: object, caseworker: object
) -> None:
    """Feedback to a professional reporter (not to a private one) after the three weeks, in Oslo days."""
    from vern.intake.models import ConcernReport, ReportReporter

    case = _case(unit, caseworker)
    received_at = received.replace(tzinfo=OSLO)
    sent_on = None if sent_after is None else received_at.date() + timedelta(days=sent_after)
    report = ConcernReport.objects.create(
        case=case,
        received_at=received_at,
        channel="phone",
        text="x",
        registered_by=caseworker,
        feedback_sent_on=sent_on,
    )
    ReportReporter.objects.create(report=report, code=reporter)
    due = deadlines.reporter_feedback_due(received_at.date())
    owed = reporter in deadlines.PROFESSIONAL_REPORTER_CODES
    late = owed and sent_on is not None and sent_on > due
    assert _late(case, deadlines.REPORTER_FEEDBACK.name) == (
        [(received_at.date(), due, sent_on)] if late else []
    )
