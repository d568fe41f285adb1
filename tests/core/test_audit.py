from __future__ import annotations

import pytest
from django.apps import apps
from django.db import IntegrityError, connection, transaction
from django.db.utils import DatabaseError

from tests.conftest import ReportFactory, logged_in
from vern.core.audit import audit
from vern.core.audit_events import MODELS, AuditAction, AuditEvent, ObjectKind
from vern.core.models import AuditEntry, User

pytestmark = pytest.mark.django_db


def test_reading_a_case_writes_an_audit_row(make_report: ReportFactory, caseworker: User) -> None:
    report = make_report()
    before = AuditEntry.objects.filter(case_id=report.case_id, action="view").count()
    response = logged_in(caseworker).get(f"/saker/{report.case_id}/")
    assert response.status_code == 200
    rows = AuditEntry.objects.filter(case_id=report.case_id, action="view", user=caseworker)
    assert rows.count() == before + 1


def test_denied_read_leaves_no_access(make_report: ReportFactory, outsider: User) -> None:
    report = make_report()
    response = logged_in(outsider).get(f"/saker/{report.case_id}/")
    assert response.status_code == 404
    assert not AuditEntry.objects.filter(user=outsider, case_id=report.case_id).exists()


def test_audit_rows_cannot_be_changed_by_the_application(caseworker: User) -> None:
    with transaction.atomic():
        entry = audit(event=AuditEvent.CASE_VIEWED, by=caseworker, case_id=1)
    entry.event = AuditEvent.CASE_CREATED
    with pytest.raises(PermissionError):
        entry.save()
    with pytest.raises(PermissionError):
        entry.delete()


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE core_auditentry SET legacy_what = 'x'",
        "DELETE FROM core_auditentry",
        # The columns added with event types (migration core.0007, which rebuilt the table on SQLite).
        "UPDATE core_auditentry SET event = 'case.created'",
        "UPDATE core_auditentry SET object_id = 2",
        "UPDATE core_auditentry SET extra = '{}'",
    ],
)
def test_database_refuses_update_and_delete_of_audit_rows(caseworker: User, statement: str) -> None:
    with transaction.atomic():
        audit(event=AuditEvent.CASE_VIEWED, by=caseworker, case_id=1)
    with pytest.raises((IntegrityError, DatabaseError)), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(statement)
    assert AuditEntry.objects.filter(event=AuditEvent.CASE_VIEWED, object_id=1).count() == 1


def test_queryset_update_is_refused_too(caseworker: User) -> None:
    with transaction.atomic():
        audit(event=AuditEvent.CASE_VIEWED, by=caseworker, case_id=1)
    with pytest.raises((IntegrityError, DatabaseError)), transaction.atomic():
        AuditEntry.objects.all().update(event=AuditEvent.CASE_CREATED)


@pytest.mark.django_db(transaction=True)
def test_audit_outside_transaction_is_refused(caseworker: User) -> None:
    with pytest.raises(RuntimeError):
        audit(event=AuditEvent.CASE_VIEWED, by=caseworker, case_id=1)


def test_leader_sees_access_log_caseworker_does_not(
    make_report: ReportFactory, leader: User, caseworker: User
) -> None:
    report = make_report()
    logged_in(caseworker).get(f"/saker/{report.case_id}/")
    response = logged_in(leader).get(f"/saker/{report.case_id}/tilgangslogg/")
    assert response.status_code == 200
    assert "Kari Test" in response.content.decode()
    assert logged_in(caseworker).get(f"/saker/{report.case_id}/tilgangslogg/").status_code == 404


def test_the_object_must_be_of_the_events_kind(make_report: ReportFactory, caseworker: User) -> None:
    report = make_report()
    with pytest.raises(TypeError), transaction.atomic():
        audit(event=AuditEvent.MEASURE_STARTED, by=caseworker, obj=report, case_id=report.case_id)
    assert not AuditEntry.objects.filter(event=AuditEvent.MEASURE_STARTED).exists()


def test_nothing_is_cut(caseworker: User) -> None:
    # ``what`` was cut at 200 characters without a word; extra values are kept whole.
    long = "x" * 1000
    with transaction.atomic():
        entry = audit(event=AuditEvent.CASE_VIEWED, by=caseworker, case_id=1, extra={"note": long})
    entry.refresh_from_db()
    assert entry.extra == {"note": long}
    # and a reason longer than its column is refused, not shortened.
    with pytest.raises(ValueError, match="500"), transaction.atomic():
        audit(event=AuditEvent.CASE_VIEWED, by=caseworker, case_id=2, reason="x" * 501)
    assert not AuditEntry.objects.filter(case_id=2).exists()


def test_legacy_rows_are_written_only_by_the_migration(caseworker: User) -> None:
    with pytest.raises(ValueError, match="Legacy"), transaction.atomic():
        audit(event=AuditEvent.LEGACY, by=caseworker, case_id=1)


def test_every_event_names_a_kind_of_object_with_its_model_and_a_sentence() -> None:
    for event in AuditEvent:
        label = str(event.label)
        assert "%(who)s" in label or "%(object)s" in label, event
        if event is AuditEvent.LEGACY:
            continue
        assert event.kind is not None, event
        apps.get_model(MODELS[event.kind])  # raises LookupError for a model that does not exist
    assert set(MODELS) == set(ObjectKind)


def test_each_event_has_the_action_it_is(caseworker: User) -> None:
    assert AuditEvent.CASE_VIEWED.action == AuditAction.VIEW
    assert AuditEvent.CASE_CHRONOLOGY_VIEWED.action == AuditAction.VIEW
    assert AuditEvent.MEASURE_STARTED.action == AuditAction.CREATE
    assert AuditEvent.MEASURE_ENDED.action == AuditAction.UPDATE
    assert AuditEvent.USER_LOGIN_FAILED.action == AuditAction.LOGIN_FAILED
    with transaction.atomic():
        entry = audit(event=AuditEvent.CASE_VIEWED, by=caseworker, case_id=7)
    entry.refresh_from_db()
    assert (entry.action, entry.event, entry.object_id, entry.case_id) == ("view", "case.viewed", 7, 7)
