"""Closing and reopening a case: services (good and bad input, audit row) and the case page's actions."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError

from tests.conftest import ReportFactory, child_facts, logged_in, make_user
from vern.cases.models import Case, CaseClosing
from vern.cases.services import ChildFacts, case_assign, case_close, case_reopen
from vern.core.audit_events import AuditEvent
from vern.core.breaches import BreachFacts
from vern.core.dates import today
from vern.core.models import AuditEntry, Role, Unit, User
from vern.decisions.services import decision_make
from vern.intake.models import ConcernReport
from vern.intake.services import report_record_feedback, review_conclude
from vern.investigations.services import investigation_open
from vern.measures.services import measure_end, measure_start, plan_end, plan_make
from vern.rules.legal_basis import Law, LegalBases, LegalBasis

pytestmark = pytest.mark.django_db

DAYS_AGO = 60


def _reviewed(
    make_report: ReportFactory,
    by: User,
    *,
    conclusion: str = "10",
    reporters: tuple[str, ...] = ("2",),
    child: ChildFacts | None = None,
) -> ConcernReport:
    """A case whose one report, from a private person (no feedback owed), is reviewed."""
    report = make_report(received_on=today() - timedelta(days=DAYS_AGO), reporters=reporters, child=child)
    review_conclude(
        report=report, by=by, concluded_on=today() - timedelta(days=DAYS_AGO - 2), conclusion=conclusion
    )
    return report


@pytest.fixture
def done(make_report: ReportFactory, caseworker: User) -> Case:
    """A case with nothing left running."""
    return _reviewed(make_report, caseworker).case


def _audited(case: Case, event: AuditEvent) -> int:
    return AuditEntry.objects.filter(case_id=case.pk, event=event, object_id=case.pk).count()


def _refused(case: Case, by: User, *, closed_on: object = None, reason: str = "Ferdig.") -> str:
    with pytest.raises(ValidationError) as exc:
        case_close(case=case, by=by, closed_on=closed_on or today(), reason=reason)  # type: ignore[arg-type]
    case.refresh_from_db()
    assert case.closed_on is None
    assert not CaseClosing.objects.filter(case=case).exists()
    assert _audited(case, AuditEvent.CASE_CLOSED) == 0
    return " ".join(exc.value.messages)


# -- the services


def test_close_records_date_reason_and_audit_row(done: Case, leader: User) -> None:
    day = today() - timedelta(days=3)
    case_close(case=done, by=leader, closed_on=day, reason="  Henlagt etter gjennomgang.  ")
    done.refresh_from_db()
    assert done.closed_on == day
    closing = CaseClosing.objects.get(case=done)
    assert (closing.closed_on, closing.reason, closing.closed_by) == (
        day,
        "Henlagt etter gjennomgang.",
        leader,
    )
    assert _audited(done, AuditEvent.CASE_CLOSED) == 1


def test_close_refuses_bad_input(done: Case, leader: User) -> None:
    assert "hvorfor saken avsluttes" in _refused(done, leader, reason="  ")
    assert "fram i tid" in _refused(done, leader, closed_on=today() + timedelta(days=1))
    assert "før den ble opprettet" in _refused(done, leader, closed_on=done.opened_on - timedelta(days=1))


def test_close_refuses_a_closed_case(done: Case, leader: User) -> None:
    case_close(case=done, by=leader, closed_on=today(), reason="Ferdig.")
    with pytest.raises(ValidationError, match="allerede avsluttet"):
        case_close(case=done, by=leader, closed_on=today(), reason="Igjen.")
    assert CaseClosing.objects.filter(case=done).count() == 1


def test_close_refuses_an_unreviewed_report(make_report: ReportFactory, leader: User) -> None:
    case = make_report(reporters=("2",)).case
    assert "1 melding er ikke gjennomgått" in _refused(case, leader)


def test_close_refuses_a_date_before_the_review_was_concluded(done: Case, leader: User) -> None:
    before = today() - timedelta(days=DAYS_AGO - 1)
    assert "1 melding er ikke gjennomgått" in _refused(done, leader, closed_on=before)


def test_close_refuses_feedback_owed_to_a_professional_reporter(
    make_report: ReportFactory, caseworker: User, leader: User
) -> None:
    report = _reviewed(make_report, caseworker, reporters=("11",))
    assert "1 melder har ikke fått tilbakemelding" in _refused(report.case, leader)
    # Received 60 days ago: the feedback comes late and needs the reason (ADR 0014).
    report_record_feedback(
        report=report,
        by=caseworker,
        sent_on=today(),
        text="Takk for meldingen.",
        breach=BreachFacts("capacity"),
    )
    case_close(case=report.case, by=leader, closed_on=today(), reason="Henlagt.")


def test_close_refuses_an_investigation_not_concluded_or_not_opened(
    make_report: ReportFactory, caseworker: User, leader: User
) -> None:
    report = _reviewed(make_report, caseworker, conclusion="2")
    # The review sent the report to investigation: the investigation runs even before it is opened.
    assert "1 undersøkelse er ikke konkludert" in _refused(report.case, leader)
    investigation_open(report=report, by=caseworker)
    assert "1 undersøkelse er ikke konkludert" in _refused(report.case, leader)


def test_close_refuses_running_measures_and_plans(done: Case, caseworker: User, leader: User) -> None:
    start = today() - timedelta(days=DAYS_AGO - 5)
    decision = decision_make(
        case=done,
        by=caseworker,
        bases=LegalBases(LegalBasis(Law.BVL2021, "3", "1")),
        decided_on=start,
        summary="Hjelp.",
    )
    measure = measure_start(decision=decision, by=caseworker, category="3.9", start_on=start)
    plan = plan_make(case=done, by=caseworker, plan_type="1", start_on=start, summary="Mål.")
    message = _refused(done, leader)
    assert "1 tiltak er ikke avsluttet" in message
    assert "1 plan er ikke avsluttet" in message
    measure_end(measure=measure, by=caseworker, end_on=today() - timedelta(days=1))
    plan_end(plan=plan, by=caseworker, end_on=today() - timedelta(days=1))
    # Ended after the closing date: still running on that day.
    assert "1 tiltak er ikke avsluttet" in _refused(done, leader, closed_on=today() - timedelta(days=2))
    case_close(case=done, by=leader, closed_on=today() - timedelta(days=1), reason="Tiltakene er avsluttet.")


def test_reopen_keeps_the_closing_and_writes_an_audit_row(done: Case, leader: User, caseworker: User) -> None:
    case_close(case=done, by=leader, closed_on=today(), reason="Henlagt.")
    case_reopen(case=done, by=caseworker, reason="Avsluttet ved en feil.")
    done.refresh_from_db()
    assert done.closed_on is None
    closing = CaseClosing.objects.get(case=done)
    assert closing.reason == "Henlagt."
    assert closing.reopen_reason == "Avsluttet ved en feil."
    assert closing.reopened_by == caseworker
    assert closing.reopened_at is not None
    assert _audited(done, AuditEvent.CASE_REOPENED) == 1
    # And it can be closed again: a second closing row.
    case_close(case=done, by=leader, closed_on=today(), reason="Henlagt igjen.")
    assert CaseClosing.objects.filter(case=done).count() == 2


def test_reopen_refuses_bad_input(done: Case, leader: User) -> None:
    with pytest.raises(ValidationError, match="ikke avsluttet"):
        case_reopen(case=done, by=leader, reason="Feil.")
    case_close(case=done, by=leader, closed_on=today(), reason="Henlagt.")
    with pytest.raises(ValidationError, match="hvorfor saken gjenåpnes"):
        case_reopen(case=done, by=leader, reason=" ")
    done.refresh_from_db()
    assert done.closed_on == today()
    assert _audited(done, AuditEvent.CASE_REOPENED) == 0


def test_reopen_refuses_when_the_child_has_another_open_case(
    make_report: ReportFactory, caseworker: User, leader: User
) -> None:
    child = child_facts()
    done = _reviewed(make_report, caseworker, child=child).case
    case_close(case=done, by=leader, closed_on=today(), reason="Henlagt.")
    # A new report about the same child opens a new case.
    newer = make_report(child=child).case
    assert newer.pk != done.pk
    assert newer.child_id == done.child_id
    with pytest.raises(ValidationError, match=newer.journal_number):
        case_reopen(case=done, by=leader, reason="Feil.")
    done.refresh_from_db()
    assert done.closed_on == today()


# -- the case page


def _post(user: User, case: Case, action: str, **fields: str) -> int:
    data = {"form": action, **{f"{action}-{k}": v for k, v in fields.items()}}
    return logged_in(user).post(f"/saker/{case.pk}/", data).status_code


@pytest.mark.parametrize("persona", ["leader", "caseworker"])
def test_leader_and_assigned_caseworker_close_and_reopen_from_the_case_page(
    request: pytest.FixtureRequest, done: Case, persona: str
) -> None:
    user = request.getfixturevalue(persona)
    page = logged_in(user).get(f"/saker/{done.pk}/").content.decode()
    assert 'value="close"' in page
    assert 'value="reopen"' not in page
    assert (
        _post(user, done, "close", closed_on=today().isoformat(), reason="Henlagt etter gjennomgang.") == 302
    )
    response = logged_in(user).get(f"/saker/{done.pk}/")
    page = response.content.decode()
    assert f"Saken er avsluttet {today():%d.%m.%Y}." in page
    assert "Henlagt etter gjennomgang." in page
    assert 'value="close"' not in page
    assert 'value="reopen"' in page
    assert _post(user, done, "reopen", reason="Avsluttet ved en feil.") == 302
    done.refresh_from_db()
    assert done.closed_on is None
    assert "Saken er avsluttet" not in logged_in(user).get(f"/saker/{done.pk}/").content.decode()


def test_bad_input_on_the_page_answers_400_with_the_reason_and_changes_nothing(
    make_report: ReportFactory, leader: User
) -> None:
    case = make_report(reporters=("2",)).case
    response = logged_in(leader).post(
        f"/saker/{case.pk}/",
        {"form": "close", "close-closed_on": today().isoformat(), "close-reason": "Ferdig."},
    )
    assert response.status_code == 400
    assert "1 melding er ikke gjennomgått" in response.content.decode()
    response = logged_in(leader).post(f"/saker/{case.pk}/", {"form": "close", "close-closed_on": "i morgen"})
    assert response.status_code == 400
    case.refresh_from_db()
    assert case.closed_on is None


@pytest.mark.parametrize("persona", ["auditor", "intake", "caseworker2", "shared", "other_unit_leader"])
def test_others_may_neither_close_nor_reopen(
    request: pytest.FixtureRequest, done: Case, leader: User, other_unit: Unit, persona: str
) -> None:
    if persona == "shared":
        user = make_user("delt", done.unit, Role.CASEWORKER)
        done.shared_with.add(user)
    elif persona == "other_unit_leader":
        user = make_user("annenleder", other_unit, Role.LEADER)
    else:
        user = request.getfixturevalue(persona)
    page = logged_in(user).get(f"/saker/{done.pk}/")
    assert 'value="close"' not in page.content.decode()
    assert _post(user, done, "close", closed_on=today().isoformat(), reason="Ferdig.") == 404
    done.refresh_from_db()
    assert done.closed_on is None
    case_close(case=done, by=leader, closed_on=today(), reason="Ferdig.")
    assert _post(user, done, "reopen", reason="Feil.") == 404
    done.refresh_from_db()
    assert done.closed_on == today()


def test_a_caseworker_no_longer_assigned_may_not_close(done: Case, leader: User, caseworker: User) -> None:
    case_assign(case=done, caseworker=None, by=leader)
    done.shared_with.add(caseworker)
    assert _post(caseworker, done, "close", closed_on=today().isoformat(), reason="Ferdig.") == 404


def test_a_closed_case_offers_no_new_steps(done: Case, leader: User) -> None:
    case_close(case=done, by=leader, closed_on=today(), reason="Ferdig.")
    page = logged_in(leader).get(f"/saker/{done.pk}/").content.decode()
    assert f"/saker/{done.pk}/vedtak/ny/" not in page
    assert f"/saker/{done.pk}/planer/ny/" not in page
    assert "Status" in page
    assert f"Avsluttet {today():%d.%m.%Y}" in page


def test_the_chronology_tells_the_case_was_opened_closed_and_reopened(done: Case, caseworker: User) -> None:
    case_close(case=done, by=caseworker, closed_on=today() - timedelta(days=1), reason="Ingen bekymring.")
    case_reopen(case=done, by=caseworker, reason="Ny opplysning fra skolen.")
    html = logged_in(caseworker).get(f"/saker/{done.pk}/kronologi/").content.decode()
    assert "Saken opprettet" in html
    assert "Saken avsluttet" in html
    assert "Ingen bekymring." in html
    assert "Saken gjenåpnet" in html
    assert "Ny opplysning fra skolen." in html
    assert html.index("Saken avsluttet") < html.index("Saken gjenåpnet")
