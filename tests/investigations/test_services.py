from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError

from tests.conftest import ReportFactory
from vern.core.breaches import BreachFacts
from vern.core.codes import CodedEntry
from vern.core.dates import today
from vern.core.models import DeadlineBreach, User
from vern.intake.models import ConcernReport
from vern.intake.services import review_conclude
from vern.investigations.models import Investigation
from vern.investigations.services import (
    investigation_conclude,
    investigation_due,
    investigation_extend,
    investigation_open,
    investigation_record_participation,
    investigation_record_plan,
)
from vern.rules import deadlines

pytestmark = pytest.mark.django_db


def _reviewed(make_report: ReportFactory, caseworker: User, days_ago: int) -> ConcernReport:
    report = make_report(received_on=today() - timedelta(days=days_ago))
    review_conclude(
        report=report,
        by=caseworker,
        concluded_on=today() - timedelta(days=days_ago - 2),
        conclusion="2",
    )
    return report


def _open(make_report: ReportFactory, caseworker: User, days_ago: int = 10) -> Investigation:
    return investigation_open(report=_reviewed(make_report, caseworker, days_ago), by=caseworker)


def test_investigation_starts_on_review_conclusion(make_report: ReportFactory, caseworker: User) -> None:
    inv = _open(make_report, caseworker, days_ago=10)
    assert inv.started_on == today() - timedelta(days=8)
    assert investigation_due(inv) == deadlines.add_months(inv.started_on, 3)


def test_only_review_conclusion_2_opens_investigation(make_report: ReportFactory, caseworker: User) -> None:
    report = make_report(received_on=today() - timedelta(days=1))
    review_conclude(report=report, by=caseworker, concluded_on=today(), conclusion="10")
    with pytest.raises(ValidationError):
        investigation_open(report=report, by=caseworker)
    assert not Investigation.objects.exists()


def test_extension_requires_reason(make_report: ReportFactory, caseworker: User) -> None:
    inv = _open(make_report, caseworker)
    with pytest.raises(ValidationError, match="begrunnelse"):
        investigation_extend(investigation=inv, by=caseworker, decided_on=today(), reason="   ")
    inv.refresh_from_db()
    assert not inv.is_extended


def test_extension_gives_six_months_once(make_report: ReportFactory, caseworker: User) -> None:
    inv = _open(make_report, caseworker)
    inv = investigation_extend(
        investigation=inv, by=caseworker, decided_on=today(), reason="Sakkyndig utredning"
    )
    assert inv.extension.decided_by == caseworker
    assert investigation_due(inv) == deadlines.add_months(inv.started_on, 6)
    with pytest.raises(ValidationError, match="én gang"):
        investigation_extend(investigation=inv, by=caseworker, decided_on=today(), reason="igjen")


def test_extension_date_cannot_be_in_future(make_report: ReportFactory, caseworker: User) -> None:
    inv = _open(make_report, caseworker)
    with pytest.raises(ValidationError):
        investigation_extend(
            investigation=inv, by=caseworker, decided_on=today() + timedelta(days=1), reason="Grunn"
        )


def test_conclusion_requires_child_participation(make_report: ReportFactory, caseworker: User) -> None:
    inv = _open(make_report, caseworker)
    with pytest.raises(ValidationError):
        investigation_conclude(investigation=inv, by=caseworker, concluded_on=today(), conclusion="3")
    inv.refresh_from_db()
    assert inv.concluded_on is None


def test_conclusion_before_start_is_refused(make_report: ReportFactory, caseworker: User) -> None:
    inv = _open(make_report, caseworker)
    investigation_record_participation(investigation=inv, by=caseworker, code="1.1", recorded_on=today())
    with pytest.raises(ValidationError):
        investigation_conclude(
            investigation=inv, by=caseworker, concluded_on=inv.started_on - timedelta(days=1), conclusion="3"
        )


def test_measures_conclusion_requires_decision_basis(make_report: ReportFactory, caseworker: User) -> None:
    inv = _open(make_report, caseworker)
    investigation_record_participation(investigation=inv, by=caseworker, code="1.1", recorded_on=today())
    with pytest.raises(ValidationError):
        investigation_conclude(investigation=inv, by=caseworker, concluded_on=today(), conclusion="1")
    inv = investigation_conclude(
        investigation=inv,
        by=caseworker,
        concluded_on=today(),
        conclusion="1",
        basis=[CodedEntry("2.1.02")],
    )
    assert [b.code for b in inv.basis.all()] == ["2.1.02"]


def test_late_conclusion_records_breach(make_report: ReportFactory, caseworker: User) -> None:
    inv = _open(make_report, caseworker, days_ago=120)
    investigation_record_plan(investigation=inv, by=caseworker, made_on=inv.started_on, text="Samtaler")
    investigation_record_participation(investigation=inv, by=caseworker, code="1.1", recorded_on=today())
    with pytest.raises(ValidationError):
        investigation_conclude(investigation=inv, by=caseworker, concluded_on=today(), conclusion="3")
    investigation_conclude(
        investigation=inv,
        by=caseworker,
        concluded_on=today(),
        conclusion="3",
        breach=BreachFacts("family_avoids_contact"),
    )
    assert (
        DeadlineBreach.objects.get(clock="investigation", object_id=inv.pk).reason == "family_avoids_contact"
    )


def test_concluded_investigation_cannot_change(make_report: ReportFactory, caseworker: User) -> None:
    inv = _open(make_report, caseworker)
    investigation_record_participation(investigation=inv, by=caseworker, code="2.2", recorded_on=today())
    investigation_conclude(investigation=inv, by=caseworker, concluded_on=today(), conclusion="3")
    with pytest.raises(ValidationError):
        investigation_extend(investigation=inv, by=caseworker, decided_on=today(), reason="for sent")
