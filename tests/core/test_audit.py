from __future__ import annotations

import pytest
from django.db import IntegrityError, connection, transaction
from django.db.utils import DatabaseError

from tests.conftest import ReportFactory, logged_in
from vern.core.audit import audit
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
        entry = audit(user=caseworker, action="view", what="case", case_id=1)
    entry.what = "something else"
    with pytest.raises(PermissionError):
        entry.save()
    with pytest.raises(PermissionError):
        entry.delete()


@pytest.mark.parametrize(
    "statement", ["UPDATE core_auditentry SET what = 'x'", "DELETE FROM core_auditentry"]
)
def test_database_refuses_update_and_delete_of_audit_rows(caseworker: User, statement: str) -> None:
    with transaction.atomic():
        audit(user=caseworker, action="view", what="case", case_id=1)
    with pytest.raises((IntegrityError, DatabaseError)), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(statement)
    assert AuditEntry.objects.filter(what="case").count() == 1


def test_queryset_update_is_refused_too(caseworker: User) -> None:
    with transaction.atomic():
        audit(user=caseworker, action="view", what="case", case_id=1)
    with pytest.raises((IntegrityError, DatabaseError)), transaction.atomic():
        AuditEntry.objects.all().update(what="x")


@pytest.mark.django_db(transaction=True)
def test_audit_outside_transaction_is_refused(caseworker: User) -> None:
    with pytest.raises(RuntimeError):
        audit(user=caseworker, action="view", what="case", case_id=1)


def test_leader_sees_access_log_caseworker_does_not(
    make_report: ReportFactory, leader: User, caseworker: User
) -> None:
    report = make_report()
    logged_in(caseworker).get(f"/saker/{report.case_id}/")
    response = logged_in(leader).get(f"/saker/{report.case_id}/tilgangslogg/")
    assert response.status_code == 200
    assert "Kari Test" in response.content.decode()
    assert logged_in(caseworker).get(f"/saker/{report.case_id}/tilgangslogg/").status_code == 404
