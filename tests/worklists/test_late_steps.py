"""Every clock a step stops keeps its breach: a step done late needs the reason (unless one was recorded
while it was overdue), and the breach stays in Fristoversikt with its reason (ADR 0014)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.html import escape

from tests.conftest import ReportFactory, logged_in
from tests.worklists.overdue import STEPPED, overdue
from vern.core.breaches import BreachFacts, breach_record
from vern.core.dates import today
from vern.core.models import AuditEntry, DeadlineBreach, Unit, User
from vern.worklists import selectors, store

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("kind", STEPPED)
def test_a_late_step_without_a_reason_is_refused_and_changes_nothing(
    kind: str, make_report: ReportFactory, caseworker: User
) -> None:
    item = overdue(kind, make_report, caseworker)
    assert item.step is not None
    audited = AuditEntry.objects.count()
    with pytest.raises(ValidationError, match="Oppgi årsaken til at fristen ble brutt"):
        item.step(None)
    assert not item.done()
    assert not DeadlineBreach.objects.exists()
    assert AuditEntry.objects.count() == audited


@pytest.mark.parametrize("kind", STEPPED)
def test_a_late_step_with_its_reason_stays_a_breach_in_the_overview(
    kind: str, make_report: ReportFactory, caseworker: User, leader: User, unit: Unit
) -> None:
    item = overdue(kind, make_report, caseworker)
    assert item.step is not None
    item.step(BreachFacts("capacity"))
    assert item.done()
    recorded = DeadlineBreach.objects.get(clock=kind, object_id=item.object_id)
    assert (recorded.reason, recorded.period_start) == ("capacity", item.period_start)

    found = store.overview(
        selectors.CaseScope(unit_ids=(unit.pk,)), today=today(), since=today(), per_page=50
    )
    late = [
        (r.object_id, r.concluded_on, r.breach_reason) for r in found.breaches.object_list if r.kind == kind
    ]
    assert late == [(item.object_id, today(), "capacity")]
    assert found.by_reason["capacity"] == 1
    page = logged_in(leader).get(f"/frister/enhet/?enhet={unit.pk}&fra={today().isoformat()}")
    with translation.override("nb"):
        done = selectors.KINDS[kind]
        label = escape(str(done.done_label or done.label))
    html = page.content.decode()
    assert label in html
    assert "<td>Manglende kapasitet</td><td>1</td>" in html


@pytest.mark.parametrize("kind", STEPPED)
def test_a_reason_recorded_while_overdue_is_enough(
    kind: str, make_report: ReportFactory, caseworker: User, leader: User
) -> None:
    item = overdue(kind, make_report, caseworker)
    assert item.step is not None
    breach_record(
        clock=kind,
        object_id=item.object_id,
        case=item.case,
        breach=BreachFacts("holidays"),
        by=leader,
        period_start=item.period_start,
    )
    item.step(None)
    assert item.done()
    assert DeadlineBreach.objects.get().reason == "holidays"


@pytest.mark.parametrize("kind", [selectors.FOLLOW_UP_VISIT, selectors.PLAN_EVALUATION])
def test_a_periodic_clock_has_one_breach_per_missed_interval(
    kind: str, make_report: ReportFactory, caseworker: User
) -> None:
    """The next interval starts at the late step: missed again, it is a second breach of the item."""
    item = overdue(kind, make_report, caseworker)
    assert item.step is not None
    item.step(BreachFacts("capacity"))
    # A reason for the first interval does not excuse the next one (due three months after today).
    rows = selectors.open_deadlines(selectors.CaseScope(case_id=item.case.pk), today=today())
    following = [r for r in rows if r.kind == kind and r.object_id == item.object_id]
    assert [(r.start, r.breach_reason) for r in following] == [(today(), None)]
    assert DeadlineBreach.objects.filter(clock=kind, object_id=item.object_id).count() == 1


def test_every_deadline_table_names_a_recorded_reason(
    make_report: ReportFactory, caseworker: User, leader: User, unit: Unit
) -> None:
    """The unit's plan page lists overdue evaluations with the table of the worklists: with the reason."""
    item = overdue(selectors.PLAN_EVALUATION, make_report, caseworker)
    breach_record(
        clock=item.kind,
        object_id=item.object_id,
        case=item.case,
        breach=BreachFacts("holidays"),
        by=leader,
        period_start=item.period_start,
    )
    html = logged_in(leader).get(f"/enhet/planer/?enhet={unit.pk}").content.decode()
    assert "<td>Ferieavvikling</td>" in html


def test_a_care_plan_made_late_is_not_called_missing(
    make_report: ReportFactory, caseworker: User, leader: User, unit: Unit
) -> None:
    item = overdue(selectors.CARE_PLAN, make_report, caseworker)
    assert logged_in(caseworker).get("/frister/").content.decode().count("Omsorgsplan mangler") == 1
    assert item.step is not None
    item.step(BreachFacts("capacity"))
    html = (
        logged_in(leader).get(f"/frister/enhet/?enhet={unit.pk}&fra={today().isoformat()}").content.decode()
    )
    assert ">Omsorgsplan</a>" in html
    assert "Omsorgsplan mangler" not in html
