"""Migration core.0007: audit rows written as prose become typed events without losing what they say,
and the table is append-only again afterwards (ADR 0013)."""

from __future__ import annotations

import importlib
from typing import Any

import pytest
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.db.migrations.executor import MigrationExecutor

from vern.core.audit_events import AuditEvent
from vern.core.models import AuditEntry, Municipality, Unit, User

migration = importlib.import_module("vern.core.migrations.0007_audit_events_from_prose")

ROW = {"case_id": 5, "user_id": 3, "unit_id": 2}

# Every form of prose the code wrote before event types (git history of audit() calls), and what it
# becomes: (action, what) -> (event, object key, extra).
FORMS: list[tuple[str, str, str, int | None, dict[str, Any]]] = [
    ("create", "case", "case.created", 5, {}),
    ("view", "case", "case.viewed", 5, {}),
    ("view", "chronology", "case.chronology_viewed", 5, {}),
    ("view", "access log", "case.access_log_viewed", 5, {}),
    ("view", "register control", "case.register_control_viewed", 5, {}),
    ("view", "aftercare", "case.aftercare_viewed", 5, {}),
    ("view", "new plan", "case.plan_form_viewed", 5, {}),
    ("view", "new decision", "case.decision_form_viewed", 5, {}),
    ("update", "case caseworker", "case.assigned", 5, {}),
    ("update", "case shared", "case.shared", 5, {}),
    ("update", "case closed", "case.closed", 5, {}),
    ("update", "case reopened", "case.reopened", 5, {}),
    ("create", "party", "party.added", None, {}),
    ("login", "login", "user.logged_in", 3, {}),
    ("login_failed", "password", "user.login_failed", 3, {"step": "password"}),
    ("login_failed", "totp", "user.login_failed", 3, {"step": "totp"}),
    ("update", "user 9 disabled", "user.disabled", 9, {}),
    ("create", "report 11", "report.registered", 11, {}),
    ("view", "report 11", "report.viewed", 11, {}),
    ("update", "report 11 codes", "report.coded", 11, {}),
    ("update", "report 11 review concluded", "report.review_concluded", 11, {}),
    ("update", "report 11 reporter feedback", "report.feedback_recorded", 11, {}),
    (
        "create",
        "report 11 from digital message K7P2XQ",
        "report.received_digitally",
        11,
        {"reference": "K7P2XQ"},
    ),
    (
        "create",
        "digital message K7P2XQ quarantined",
        "digital_message.quarantined",
        None,
        {"reference": "K7P2XQ"},
    ),
    ("view", "quarantined message K7P2XQ", "digital_message.viewed", None, {"reference": "K7P2XQ"}),
    ("create", "ingest client Fiks prod", "ingest_client.created", None, {"name": "Fiks prod"}),
    ("update", "ingest client Fiks prod disabled", "ingest_client.disabled", None, {"name": "Fiks prod"}),
    ("view", "investigation 12", "investigation.viewed", 12, {}),
    ("create", "investigation 12 opened", "investigation.opened", 12, {}),
    ("update", "investigation 12 plan", "investigation.plan_recorded", 12, {}),
    ("update", "investigation 12 deadline extended", "investigation.extended", 12, {}),
    ("update", "investigation 12 child participation", "investigation.participation_recorded", 12, {}),
    ("update", "investigation 12 concluded", "investigation.concluded", 12, {}),
    ("view", "decision 13", "decision.viewed", 13, {}),
    ("create", "decision 13 made", "decision.made", 13, {}),
    ("update", "decision 13 approved", "decision.approved", 13, {}),
    ("update", "decision 13 rejected", "decision.rejected", 13, {}),
    ("update", "decision 13 status 3", "decision.status_changed", 13, {"status": "3"}),
    ("update", "decision 13 sent to county board", "decision.sent_to_board", 13, {}),
    ("update", "decision 13 county board verdict", "decision.board_verdict", 13, {}),
    ("create", "board referral 14", "board_referral.sent", 14, {}),
    ("create", "claim 15 on decision 13", "claim.registered", 15, {"decision": 13}),
    ("update", "claim 15 concluded", "claim.concluded", 15, {}),
    ("create", "delegation rule 16", "approval_rule.added", 16, {}),
    ("update", "delegation rule 16 ended", "approval_rule.ended", 16, {}),
    ("view", "measure 2533", "measure.viewed", 2533, {}),
    ("create", "measure 2533 started", "measure.started", 2533, {}),
    ("update", "measure 2533 ended", "measure.ended", 2533, {}),
    ("create", "measure 2533 consent", "measure.consent_recorded", 2533, {}),
    ("update", "measure 2533 consent withdrawn", "measure.consent_withdrawn", 2533, {}),
    ("create", "measure 2533 follow_up frequency", "measure.frequency_set", 2533, {"kind": "follow_up"}),
    ("create", "measure 2533 supervision arrangement", "measure.supervision_arranged", 2533, {}),
    ("create", "measure 2533 supervision visit", "measure.visit_recorded", 2533, {"kind": "supervision"}),
    ("update", "visit 17 report received", "visit.report_received", 17, {}),
    ("create", "relocation 18", "relocation.recorded", 18, {}),
    ("view", "plan 19", "plan.viewed", 19, {}),
    ("create", "plan 19 made", "plan.made", 19, {}),
    ("create", "plan 19 evaluated", "plan.evaluated", 19, {}),
    ("update", "plan 19 ended", "plan.ended", 19, {}),
    ("create", "aftercare 20 offered", "aftercare.offered", 20, {}),
    ("update", "aftercare 20 concluded", "aftercare.concluded", 20, {}),
    ("create", "supervisor 21", "supervisor.added", 21, {}),
    ("update", "supervisor 21 inactive", "supervisor.deactivated", 21, {}),
    ("update", "plan evaluation interval 4", "unit.plan_evaluation_set", 2, {"months": 4}),
    ("view", "henvisning 28", "referral.viewed", 28, {}),
    ("update", "henvisning 28: called_back", "referral.step", 28, {"status": "called_back"}),
    ("update", "henvisning 28: evaluering", "referral.evaluation_sent", 28, {}),
    ("update", "henvisning 28: feilmelding", "referral.error_received", 28, {}),
    ("update", "henvisning 28: timer 03.2026", "referral.hours_recorded", 28, {"month": "2026-03"}),
    ("create", "tiltaksvifte 22", "catalogue_entry.added", 22, {}),
    ("update", "tiltaksvifte 22", "catalogue_entry.changed", 22, {}),
    ("update", "budsjett for tiltak 2026", "budget.set", None, {"year": 2026}),
    ("update", "investigation breach reason", "deadline_breach.recorded", None, {"clock": "investigation"}),
    (
        "export",
        "register document 6f1c2a4e-0b8a-4c39-9d55-1b7d3e6f9a10",
        "case.exported",
        5,
        {"document_id": "6f1c2a4e-0b8a-4c39-9d55-1b7d3e6f9a10"},
    ),
    (
        "export",
        "register delivery 0a6e4c55-2d3b-4b1f-8e9c-5f7a1d2c3b4e: 12 cases",
        "register_delivery.exported",
        None,
        {"delivery_id": "0a6e4c55-2d3b-4b1f-8e9c-5f7a1d2c3b4e", "cases": 12},
    ),
    (
        "export",
        "register delivery 0a6e4c55-2d3b-4b1f-8e9c-5f7a1d2c3b4e sent",
        "register_delivery.sent",
        None,
        {"delivery_id": "0a6e4c55-2d3b-4b1f-8e9c-5f7a1d2c3b4e"},
    ),
    (
        "export",
        "register delivery 0a6e4c55-2d3b-4b1f-8e9c-5f7a1d2c3b4e downloaded",
        "register_delivery.downloaded",
        None,
        {"delivery_id": "0a6e4c55-2d3b-4b1f-8e9c-5f7a1d2c3b4e"},
    ),
    ("create", "comparison group 23: 2 units", "unit_group.created", 23, {"units": 2}),
    ("update", "comparison group 23: 3 units", "unit_group.changed", 23, {"units": 3}),
    ("create", "population 2025: 41234", "population.recorded", None, {"year": 2025, "children": 41234}),
    ("update", "population 2025: 41300", "population.changed", None, {"year": 2025, "children": 41300}),
    (
        "create",
        "imported from register document 6f1c2a4e-0b8a-4c39-9d55-1b7d3e6f9a10",
        "case.imported",
        5,
        {"document_id": "6f1c2a4e-0b8a-4c39-9d55-1b7d3e6f9a10"},
    ),
]


@pytest.mark.parametrize(("action", "what", "event", "object_id", "extra"), FORMS)
def test_each_form_of_prose_becomes_its_event(
    action: str, what: str, event: str, object_id: int | None, extra: dict[str, Any]
) -> None:
    assert migration.derive(action, what, ROW) == (event, object_id, extra)
    assert AuditEvent(event).action == action


def test_prose_of_no_known_form_is_kept_as_a_legacy_row() -> None:
    assert migration.derive("view", "journal 12 opened", ROW) == ("legacy", None, {})


def test_every_form_is_covered_by_a_test() -> None:
    assert {event for _a, _w, event, _o, _e in FORMS} == {event for _p, _a, event in migration._FORMS}
    # Every event but one existed as prose: the agency's answer was written as the referral's status.
    derived = {event for _p, _a, event in migration._FORMS}
    assert set(AuditEvent.values) - derived == {"legacy", "referral.agency_answered"}


def _refused(statement: str) -> bool:
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(statement)
    except (IntegrityError, DatabaseError):
        return True
    return False


@pytest.mark.django_db(transaction=True)
def test_old_rows_are_migrated_and_the_table_stays_append_only() -> None:
    municipality = Municipality.objects.create(number="4601", name="Bergen", organisation_number="964338531")
    unit = Unit.objects.create(name="Barneverntjenesten Vest", host_municipality=municipality)
    user = User.objects.create_user(username="kari", first_name="Kari", last_name="Hansen")
    executor = MigrationExecutor(connection)
    executor.migrate([("core", "0006_unit_remote")])
    with connection.cursor() as cursor:
        for action, what, *_ in FORMS:
            cursor.execute(
                "INSERT INTO core_auditentry (at, user_id, unit_id, case_id, action, what, reason) "
                "VALUES (CURRENT_TIMESTAMP, %s, %s, %s, %s, %s, '')",
                [user.pk, unit.pk, 5, action, what],
            )
    assert _refused("UPDATE core_auditentry SET what = 'x'")  # append-only before, too
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())

    rows = list(AuditEntry.objects.order_by("pk"))
    own = {"case_id": 5, "user_id": user.pk, "unit_id": unit.pk}
    expected = [migration.derive(action, what, own) for action, what, *_ in FORMS]
    assert [(r.event, r.object_id, r.extra) for r in rows] == expected
    assert [r.legacy_what for r in rows] == [what for _a, what, *_ in FORMS]
    assert not any(r.event == "legacy" for r in rows)
    for statement in (
        "UPDATE core_auditentry SET event = 'case.viewed'",
        "UPDATE core_auditentry SET object_id = 1",
        "UPDATE core_auditentry SET extra = '{}'",
        "DELETE FROM core_auditentry",
    ):
        assert _refused(statement), statement
    assert AuditEntry.objects.count() == len(FORMS)
