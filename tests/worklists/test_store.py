"""The worklists' store (ADR 0010) shows what the facts give, and keeps showing it as they change.

The reference is the live computation (``selectors.open_deadlines``) and, for breaches, the rules
module applied to the items themselves.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import pytest
from django.db import connection, models

from vern.cases.models import Case, Child
from vern.core.dates import local_date, today
from vern.core.models import DeadlineBreach, Membership, Role, Unit, User
from vern.decisions.models import BoardReferral, Decision, DecisionApproval
from vern.intake.models import ConcernReport, ReportReporter, feedback_owed_q
from vern.investigations.models import DeadlineExtension, Investigation
from vern.measures.models import Aftercare, Measure, Plan, PlanEvaluation, Visit, VisitFrequency, VisitKind
from vern.rules import deadlines, plans, visits
from vern.rules import decisions as decision_rules
from vern.rules.measures import FOSTER_HOME_CATEGORIES, PLACEMENT_CATEGORIES
from vern.synthetic.generate import seed
from vern.worklists import selectors, stale, store
from vern.worklists.models import StaleCase, StoredDeadline

pytestmark = pytest.mark.django_db

TODAY = today()


@pytest.fixture
def seeded() -> None:
    seed(scale="small", seed=7, today=TODAY, children=1500)
    store.rebuild(today=TODAY)


def _key(row: selectors.DeadlineRow) -> tuple[Any, ...]:
    return (
        row.kind,
        row.object_id,
        row.case_id,
        row.journal_number,
        row.child_name,
        row.caseworker,
        row.start,
        row.due,
        row.concluded_on,
        row.status,
        row.breach_reason,
        row.extended,
    )


def _agree(scope: selectors.CaseScope, day: date) -> int:
    stored = [_key(r) for r in store.open_deadlines(scope, today=day)]
    live = [_key(r) for r in selectors.open_deadlines(scope, today=day)]
    assert sorted(stored) == sorted(live)
    return len(live)


def _scopes() -> list[selectors.CaseScope]:
    units = [
        selectors.CaseScope(unit_ids=(u,)) for u in Case.objects.values_list("unit_id", flat=True).distinct()
    ]
    caseworkers = Membership.objects.filter(role=Role.CASEWORKER).values_list("user_id", "unit_id")[:15]
    mine = [selectors.CaseScope(unit_ids=(u,), caseworker_id=w, open_only=True) for w, u in caseworkers]
    return units + mine


Breach = tuple[str, int, date | None]


def _late(clock: str, item: int, due: date, done: date | None, start: date | None = None) -> Counter[Breach]:
    return Counter({(clock, item, start): 1} if done is not None and done > due else {})


def _late_reports(unit_id: int) -> Counter[Breach]:
    late: Counter[Breach] = Counter()
    owed = set(ConcernReport.objects.filter(feedback_owed_q()).values_list("pk", flat=True))
    for report in ConcernReport.objects.filter(case__unit_id=unit_id):
        received_on = local_date(report.received_at)
        late += _late(
            deadlines.REVIEW.name, report.pk, deadlines.review_due(received_on), report.review_concluded_on
        )
        if report.pk in owed:
            due = deadlines.reporter_feedback_due(received_on)
            late += _late(deadlines.REPORTER_FEEDBACK.name, report.pk, due, report.feedback_sent_on)
    extended = set(DeadlineExtension.objects.values_list("investigation_id", flat=True))
    for inv in Investigation.objects.filter(case__unit_id=unit_id):
        due = deadlines.investigation_due(inv.started_on, extended=inv.pk in extended)
        late += _late(deadlines.INVESTIGATION.name, inv.pk, due, inv.concluded_on)
    return late


def _late_emergencies(unit_id: int) -> Counter[Breach]:
    late: Counter[Breach] = Counter()
    for d in Decision.objects.filter(case__unit_id=unit_id):
        rule = decision_rules.emergency_rule(d.legal_bases)
        if rule is None:
            continue
        sent = d.sent_to_board_at
        late += _late(decision_rules.SUBMISSION_CLOCK, d.pk, d.decided_on, local_date(sent) if sent else None)
        if sent is not None:
            due = local_date(decision_rules.board_approval_due(sent))
            late += _late(decision_rules.APPROVAL_CLOCK, d.pk, due, d.board_verdict_on)
        applied = min(d.applications.values_list("sent_on", flat=True), default=None)
        due = decision_rules.application_due(rule, d.decided_on)
        late += _late(decision_rules.APPLICATION_CLOCK, d.pk, due, applied)
    return late


def _late_follow_up(unit_id: int) -> Counter[Breach]:
    """Plan evaluations, visits and care plans (rules.plans, rules.visits)."""
    late: Counter[Breach] = Counter()
    for plan in Plan.objects.filter(case__unit_id=unit_id, plan_type__in=sorted(plans.EVALUATED_PLAN_TYPES)):
        done = list(plan.evaluations.values_list("done_on", flat=True))
        months = plan.case.unit.plan_evaluation_months
        for m in plans.late_evaluations(started_on=plan.start_on, evaluations=done, months=months):
            late += _late(plans.EVALUATION_CLOCK, plan.pk, m.due, m.done, m.start)
    for measure in Measure.objects.filter(case__unit_id=unit_id, category__in=sorted(FOSTER_HOME_CATEGORIES)):
        for kind, clock in visits.CLOCKS.items():
            frequencies = [
                visits.Frequency(f.start_on, f.code) for f in measure.frequencies.filter(kind=kind)
            ]
            done = list(measure.visits.filter(kind=kind).values_list("visited_on", flat=True))
            for m in visits.late_visits(placed_on=measure.start_on, frequencies=frequencies, visits=done):
                late += _late(clock, measure.pk, m.due, m.done, m.start)
    care_orders = Measure.objects.filter(
        case__unit_id=unit_id, care_order=True, category__in=sorted(PLACEMENT_CATEGORIES)
    )
    for measure in care_orders:
        made = Plan.objects.filter(case=measure.case, plan_type=plans.CARE_PLAN).values_list(
            "start_on", "end_on"
        )
        came = plans.care_plan_late(placed=(measure.start_on, measure.end_on), care_plans=list(made))
        late += _late(plans.CARE_PLAN_CLOCK, measure.pk, measure.start_on, came)
    return late


def _late_by_rules(unit_id: int) -> Counter[Breach]:
    """Every step of the unit's cases done after its due date, by the rules applied to the items."""
    return _late_reports(unit_id) + _late_emergencies(unit_id) + _late_follow_up(unit_id)


def _key_of_breach(row: selectors.DeadlineRow) -> Breach:
    return (row.kind, row.object_id, row.period_start)


def _breaches_by_rules(unit_id: int, *, since: date, day: date) -> Counter[Breach]:
    """Every clock with a reason: still open past its due date (the live worklist, whose due dates
    test_due_dates_agree proves), or done late since ``since`` (the rules)."""
    scope = selectors.CaseScope(unit_ids=(unit_id,))
    missed: Counter[Breach] = Counter(
        _key_of_breach(row)
        for row in selectors.open_deadlines(scope, today=day)
        if row.kind in selectors.CLOCKS_WITH_REASONS and row.status == deadlines.DeadlineStatus.OVERDUE
    )
    live_late = Counter(_key_of_breach(row) for row in selectors.late_rows(scope, today=day))
    assert live_late == _late_by_rules(unit_id)
    for row in selectors.late_rows(scope, today=day):
        if row.concluded_on is not None and row.concluded_on >= since:
            missed[_key_of_breach(row)] += 1
    return missed


def test_the_store_shows_what_the_facts_give(seeded: None) -> None:
    shown = sum(_agree(scope, TODAY) for scope in _scopes())
    assert shown > 100
    # Later days, in order: the windows of the age deadlines open and close without a recomputation.
    for later in (TODAY + timedelta(days=45), TODAY + timedelta(days=200)):
        for scope in _scopes():
            _agree(scope, later)


def test_the_overview_counts_and_lists_what_the_rules_give(seeded: None) -> None:
    unit_id = Case.objects.values_list("unit_id", flat=True).first()
    assert unit_id is not None
    scope = selectors.CaseScope(unit_ids=(unit_id,))
    since = TODAY.replace(month=1, day=1)
    found = store.overview(scope, today=TODAY, since=since, per_page=10_000)
    live = selectors.open_deadlines(scope, today=TODAY)
    groups = selectors.group_by_status(live)
    assert (found.overdue, found.due_soon_count, found.later) == tuple(
        len(groups[g]) for g in ("overdue", "due_soon", "later")
    )
    assert [_key(r) for r in found.due_soon.object_list] == [_key(r) for r in groups["due_soon"]]
    listed = Counter(_key_of_breach(r) for r in found.breaches.object_list)
    assert listed == _breaches_by_rules(unit_id, since=since, day=TODAY)
    assert found.breach_total == listed.total() > 0
    # Late steps of the clocks after the investigation among them, each with its reason.
    assert {kind for kind, _item, _start in listed} >= {
        selectors.REPORTER_FEEDBACK,
        selectors.PLAN_EVALUATION,
        selectors.SUPERVISION_VISIT,
        selectors.CARE_PLAN,
    }
    reasons = {
        (clock, object_id, start): reason
        for clock, object_id, start, reason in DeadlineBreach.objects.values_list(
            "clock", "object_id", "period_start", "reason"
        )
    }
    assert found.by_reason == Counter(reasons.get(item, "") for item in listed.elements())
    assert all(r.breach_reason for r in found.breaches.object_list if r.concluded_on is not None)
    # A page at a time, in worklist order.
    first = store.overview(scope, today=TODAY, since=since, per_page=5).breaches
    assert [_key(r) for r in first.object_list] == [_key(r) for r in found.breaches.object_list[:5]]


def _first(model: type[models.Model], **filters: Any) -> Any:
    row = model._default_manager.filter(**filters).order_by("pk").first()
    assert row is not None, model
    return row


def test_changes_by_any_path_mark_their_case_and_the_store_follows(seeded: None) -> None:
    assert not StaleCase.objects.exists()
    report = _first(ConcernReport, review_concluded_on__isnull=True)
    investigation = _first(Investigation, concluded_on__isnull=True, extension__isnull=True)
    measure = _first(Measure, end_on__isnull=True)
    child = _first(Child, cases__closed_on__isnull=True)
    unit = Unit.objects.get(pk=report.case.unit_id)

    # A service-like save, a bulk update, an insert, a change to a child and to a unit's interval.
    report.review_concluded_on = TODAY
    report.save(update_fields=["review_concluded_on"])
    Measure.objects.filter(pk=measure.pk).update(end_on=TODAY)
    DeadlineExtension.objects.create(
        investigation=investigation,
        reason="Familien er på reise",
        decided_by=User.objects.filter(memberships__role=Role.LEADER).first(),
        decided_on=TODAY,
    )
    Child.objects.filter(pk=child.pk).update(birth_date=TODAY - timedelta(days=365 * 18 - 30))
    Unit.objects.filter(pk=unit.pk).update(plan_evaluation_months=3)

    marked = set(StaleCase.objects.values_list("case_id", flat=True))
    assert {report.case_id, investigation.case_id, measure.case_id} <= marked
    assert set(child.cases.values_list("pk", flat=True)) <= marked
    assert set(Case.objects.filter(unit=unit).values_list("pk", flat=True)) <= marked
    for scope in _scopes():
        _agree(scope, TODAY)
    assert not StaleCase.objects.exists()
    assert (
        StoredDeadline.objects.filter(
            case_id=report.case_id, kind=selectors.REVIEW, object_id=report.pk
        ).count()
        <= 1
    )


# How to find the cases of a row of each table the triggers watch.
CASES_OF: dict[type[models.Model], Callable[[Any], set[int]]] = {
    Case: lambda row: {row.pk},
    Child: lambda row: set(row.cases.values_list("pk", flat=True)),
    Unit: lambda row: set(Case.objects.filter(unit=row).values_list("pk", flat=True)),
    ReportReporter: lambda row: {row.report.case_id},
    DeadlineExtension: lambda row: {row.investigation.case_id},
    PlanEvaluation: lambda row: {row.plan.case_id},
    Visit: lambda row: {row.measure.case_id},
    VisitFrequency: lambda row: {row.measure.case_id},
    DeadlineBreach: lambda row: {row.case_id},
    DecisionApproval: lambda row: {row.decision.case_id},
    **{
        m: (lambda row: {row.case_id})
        for m in (ConcernReport, Investigation, Decision, BoardReferral, Plan, Measure, Aftercare)
    },
}


def test_every_watched_table_marks_the_case_of_a_changed_row(seeded: None) -> None:
    tables = {m._meta.db_table: m for m in CASES_OF}
    assert set(tables) == {s.table for s in stale.SOURCES}
    for table, model in tables.items():
        row = (
            model._default_manager.filter(pk__in=model._default_manager.values("pk")[:50])
            .order_by("?")
            .first()
        )
        if model is Unit:
            row = Unit.objects.filter(pk=Case.objects.values("unit_id")[:1]).get()
        assert row is not None, table
        StaleCase.objects.all().delete()
        with connection.cursor() as cursor:
            # A hand-made UPDATE that changes nothing still marks: the store cannot know it did not.
            cursor.execute(f"UPDATE {table} SET id = id WHERE id = %s", [row.pk])  # noqa: S608
        assert set(StaleCase.objects.values_list("case_id", flat=True)) == CASES_OF[model](row), table


def test_a_later_visit_frequency_counts_from_its_start(seeded: None) -> None:
    home = _first(
        Measure, end_on__isnull=True, category__in=sorted(FOSTER_HOME_CATEGORIES), case__closed_on=None
    )
    scope = selectors.CaseScope(case_id=home.case_id)
    start = TODAY + timedelta(days=20)
    VisitFrequency.objects.create(
        measure=home,
        kind=VisitKind.FOLLOW_UP,
        code=visits.REDUCED,
        start_on=start,
        recorded_by=User.objects.filter(memberships__role=Role.CASEWORKER).first(),
    )
    assert StaleCase.objects.get().effective_on == start
    _agree(scope, TODAY)
    assert StaleCase.objects.exists(), "not yet: the frequency counts from its start"
    _agree(scope, start)
    assert not StaleCase.objects.exists()


def test_a_reader_recomputes_its_own_cases_and_follows_a_case_that_moved(seeded: None) -> None:
    here = Unit.objects.get(pk=Case.objects.values("unit_id")[:1])
    there = Unit.objects.create(name="Barneverntjenesten Nord", host_municipality=here.host_municipality)
    moved = _first(StoredDeadline, concluded_on__isnull=True, shown_from__isnull=True).case_id
    Case.objects.filter(pk=moved).update(unit=there)
    ours, theirs = selectors.CaseScope(unit_ids=(here.pk,)), selectors.CaseScope(unit_ids=(there.pk,))
    # Its old unit's page recomputes it (its rows counted there) and no longer shows it.
    assert moved not in {r.case_id for r in store.open_deadlines(ours, today=TODAY)}
    assert not StaleCase.objects.exists()
    assert moved in {r.case_id for r in store.open_deadlines(theirs, today=TODAY)}
    # A mark on the other unit's case is left for that unit's reader.
    Case.objects.filter(pk=moved).update(closed_on=None)
    _agree(ours, TODAY)
    assert set(StaleCase.objects.values_list("case_id", flat=True)) == {moved}
    _agree(theirs, TODAY)
    assert not StaleCase.objects.exists()


def test_decisions_waiting_for_approval_leave_the_store_when_decided(seeded: None) -> None:
    unit_id = Case.objects.values_list("unit_id", flat=True).first()
    assert unit_id is not None
    scope = selectors.CaseScope(unit_ids=(unit_id,))
    live = sorted(selectors.approvals_waiting(scope).values_list("pk", flat=True))
    since = TODAY.replace(month=1, day=1)
    stored = [d.pk for d in store.overview(scope, today=TODAY, since=since, per_page=50).approvals]
    assert sorted(stored) == live
    assert live, "the seed has decisions waiting for approval"
    decision = Decision.objects.get(pk=live[0])
    leader = User.objects.filter(memberships__role=Role.LEADER, memberships__unit_id=unit_id).first()
    DecisionApproval.objects.create(decision=decision, approved=True, by=leader)
    after = store.overview(scope, today=TODAY, since=since, per_page=50).approvals
    assert decision.pk not in {d.pk for d in after}


def test_the_leaders_page_lists_a_page_at_a_time_and_counts_them_all(
    seeded: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.conftest import logged_in

    monkeypatch.setattr("vern.worklists.views.ROWS_PER_PAGE", 10)
    unit = Unit.objects.get(pk=Case.objects.values("unit_id")[:1])
    leader = User.objects.filter(memberships__role=Role.LEADER, memberships__unit=unit).first()
    assert leader is not None
    found = store.overview(
        selectors.CaseScope(unit_ids=(unit.pk,)),
        today=TODAY,
        since=TODAY.replace(month=1, day=1),
        per_page=10,
    )
    assert found.breach_total > 10, "the seed has more breaches than a page"
    client = logged_in(leader)
    first = client.get(f"/frister/enhet/?enhet={unit.pk}").content.decode()
    second = client.get(f"/frister/enhet/?enhet={unit.pk}&side=2").content.decode()
    assert f"({found.breach_total})" in first
    assert "?side=2" in first
    listed = [r.journal_number for r in found.breaches.object_list]
    assert f">{listed[0]}</a>" in first
    later = store.overview(
        selectors.CaseScope(unit_ids=(unit.pk,)),
        today=TODAY,
        since=TODAY.replace(month=1, day=1),
        per_page=10,
        breach_page="2",
    )
    assert f">{later.breaches.object_list[0].journal_number}</a>" in second
