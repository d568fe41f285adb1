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


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    start=days,
    evaluations=st.lists(st.integers(min_value=0, max_value=900), max_size=4),
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


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    placed=days,
    frequency_changes=st.lists(st.tuples(st.integers(0, 900), st.sampled_from(["4", "2"])), max_size=3),
    visit_days=st.lists(st.integers(min_value=0, max_value=900), max_size=5),
    today_after=st.integers(min_value=0, max_value=1200),
)
def test_next_visit_due_agrees(
    *,
    placed: date,
    frequency_changes: list[tuple[int, str]],
    visit_days: list[int],
    today_after: int,
    unit: object,
    caseworker: object,
) -> None:
    from vern.decisions.models import Decision
    from vern.measures.models import Measure, Visit, VisitFrequency
    from vern.rules import visits
    from vern.worklists.selectors import with_visit_due

    case = _case(unit, caseworker)
    decision = Decision.objects.create(
        case=case, decided_on=placed, made_by=caseworker, summary="x", law="BVL2021", chapter="5", section="1"
    )
    measure = Measure.objects.create(
        case=case,
        decision=decision,
        category="2.2",
        start_on=placed,
        started_by=caseworker,
        law="BVL2021",
        chapter="5",
        section="1",
    )
    starts = {placed + timedelta(days=d): code for d, code in frequency_changes}
    VisitFrequency.objects.bulk_create(
        VisitFrequency(measure=measure, kind="follow_up", code=code, start_on=day, recorded_by=caseworker)
        for day, code in starts.items()
    )
    done = [placed + timedelta(days=d) for d in visit_days]
    Visit.objects.bulk_create(
        Visit(measure=measure, kind="follow_up", visited_on=d, recorded_by=caseworker) for d in done
    )
    today = placed + timedelta(days=today_after)
    got = with_visit_due(Measure.objects.filter(pk=measure.pk), "follow_up", today).get().due
    expected = visits.next_visit_due(
        placed_on=placed,
        frequencies=[visits.Frequency(day, code) for day, code in starts.items()],
        last_visit=max(done, default=None),
        today=today,
    )
    assert got == expected


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    decided=days,
    section=st.sampled_from(["2", "3", "4", "5"]),
    sent=st.datetimes(min_value=datetime(2023, 1, 1), max_value=datetime(2030, 12, 31)),  # noqa: DTZ001
)
def test_emergency_clocks_agree(
    decided: date, section: str, sent: datetime, unit: object, caseworker: object
) -> None:
    from vern.core.dates import local_date
    from vern.decisions.models import Decision
    from vern.rules import decisions as rules
    from vern.rules.legal_basis import Law, LegalBases, LegalBasis
    from vern.worklists.selectors import (
        emergency_application_due_expression,
        emergency_approval_due_expression,
        emergency_q,
    )

    sent_at = sent.replace(tzinfo=OSLO)
    decision = Decision.objects.create(
        case=_case(unit, caseworker),
        decided_on=decided,
        made_by=caseworker,
        summary="x",
        law="BVL2021",
        chapter="4",
        section=section,
        sent_to_board_at=sent_at,
    )
    row = (
        Decision.objects.filter(emergency_q())
        .annotate(
            application_due=emergency_application_due_expression(),
            approval_due=emergency_approval_due_expression(),
        )
        .get(pk=decision.pk)
    )
    rule = rules.emergency_rule(LegalBases(LegalBasis(Law.BVL2021, "4", section)))
    assert rule is not None
    assert row.application_due == rules.application_due(rule, decided)
    assert row.approval_due == local_date(rules.board_approval_due(sent_at))


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
