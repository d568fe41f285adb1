from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from tests.conftest import ReportFactory, child_facts
from vern.cases.models import Case
from vern.core.breaches import BreachFacts
from vern.core.codes import CodedEntry
from vern.core.dates import OSLO, today
from vern.core.models import AuditEntry, DeadlineBreach, Unit, User
from vern.intake.models import ConcernReport
from vern.intake.services import report_register, review_conclude

pytestmark = pytest.mark.django_db


def test_report_opens_case_assigned_to_registering_caseworker(
    make_report: ReportFactory, caseworker: User
) -> None:
    report = make_report()
    assert report.case.caseworker == caseworker
    assert report.case.journal_number.startswith(f"{today().year}/")
    assert AuditEntry.objects.filter(case_id=report.case_id, action="create").exists()


def test_report_about_child_with_open_case_attaches_to_it(make_report: ReportFactory) -> None:
    child = child_facts()
    first = make_report(child=child, text="Første melding")
    second = make_report(child=child, text="Andre melding, annen bekymring")
    assert first.case_id == second.case_id
    assert Case.objects.count() == 1
    assert second.possible_duplicate_of is None


def test_report_registered_twice_is_flagged_as_possible_duplicate(make_report: ReportFactory) -> None:
    child = child_facts()
    first = make_report(child=child)
    second = make_report(child=child)
    assert second.possible_duplicate_of == first


def test_journal_numbers_do_not_identify_the_person(make_report: ReportFactory) -> None:
    a = make_report(child=child_facts(first="A"))
    b = make_report(child=child_facts(first="B"))
    assert a.case.journal_number != b.case.journal_number
    number = a.case.child.identity_number
    assert number[:6] not in a.case.journal_number


def test_future_received_time_is_refused_and_nothing_saved(unit: Unit, caseworker: User) -> None:
    with pytest.raises(ValidationError):
        report_register(
            unit=unit,
            by=caseworker,
            child=child_facts(),
            received_at=timezone.now() + timedelta(hours=2),
            channel="phone",
            text="x",
        )
    assert ConcernReport.objects.count() == 0
    assert Case.objects.count() == 0


def test_code_not_valid_on_received_date_is_refused(unit: Unit, caseworker: User) -> None:
    # Reporter code 15 was split into 24 and 25 from 2025-01-01.
    received = timezone.make_aware(datetime.combine(date(2025, 3, 1), time(10)), OSLO)
    with pytest.raises(ValidationError, match=r"«Lege / Sykehus / Tannlege» kan ikke brukes"):
        report_register(
            unit=unit,
            by=caseworker,
            child=child_facts(),
            received_at=received,
            channel="phone",
            text="x",
            reporters=[CodedEntry("15")],
        )
    assert ConcernReport.objects.count() == 0


def test_historic_report_keeps_code_valid_then(unit: Unit, caseworker: User) -> None:
    received = timezone.make_aware(datetime.combine(date(2024, 3, 1), time(10)), OSLO)
    report = report_register(
        unit=unit,
        by=caseworker,
        child=child_facts(),
        received_at=received,
        channel="letter",
        text="x",
        reporters=[CodedEntry("15")],
        contents=[CodedEntry("3")],
    )
    assert [r.code for r in report.reporters.all()] == ["15"]


def test_code_needing_specification_requires_it(unit: Unit, caseworker: User) -> None:
    with pytest.raises(ValidationError, match="«Andre offentlige instanser» må presiseres"):
        report_register(
            unit=unit,
            by=caseworker,
            child=child_facts(),
            received_at=timezone.now() - timedelta(hours=1),
            channel="phone",
            text="x",
            reporters=[CodedEntry("22")],
        )


def test_review_requires_reporter_and_content(make_report: ReportFactory, caseworker: User) -> None:
    report = make_report(reporters=(), contents=())
    with pytest.raises(ValidationError):
        review_conclude(report=report, by=caseworker, concluded_on=today(), conclusion="2")
    report.refresh_from_db()
    assert report.review_concluded_on is None


def test_review_cannot_conclude_before_received_or_in_future(
    make_report: ReportFactory, caseworker: User
) -> None:
    report = make_report(received_on=today() - timedelta(days=2))
    with pytest.raises(ValidationError):
        review_conclude(
            report=report, by=caseworker, concluded_on=today() - timedelta(days=3), conclusion="2"
        )
    with pytest.raises(ValidationError):
        review_conclude(
            report=report, by=caseworker, concluded_on=today() + timedelta(days=1), conclusion="2"
        )
    report.refresh_from_db()
    assert report.review_concluded_on is None


def test_review_conclusion_code_must_be_valid_on_the_date(
    make_report: ReportFactory, caseworker: User
) -> None:
    # Conclusion code 1 (henlagt) ended 2025-12-31; codes 5-10 replace it.
    report = make_report(received_on=today() - timedelta(days=1))
    with pytest.raises(ValidationError):
        review_conclude(report=report, by=caseworker, concluded_on=today(), conclusion="1")


def test_late_review_requires_breach_reason(make_report: ReportFactory, caseworker: User) -> None:
    report = make_report(received_on=today() - timedelta(days=10))
    with pytest.raises(ValidationError, match=r"reason|årsak"):
        review_conclude(report=report, by=caseworker, concluded_on=today(), conclusion="2")
    report.refresh_from_db()
    assert report.review_concluded_on is None
    review_conclude(
        report=report, by=caseworker, concluded_on=today(), conclusion="2", breach=BreachFacts("capacity")
    )
    breach = DeadlineBreach.objects.get(clock="review", object_id=report.pk)
    assert breach.reason == "capacity"


def test_breach_reason_other_needs_explanation(make_report: ReportFactory, caseworker: User) -> None:
    report = make_report(received_on=today() - timedelta(days=10))
    with pytest.raises(ValidationError):
        review_conclude(
            report=report, by=caseworker, concluded_on=today(), conclusion="2", breach=BreachFacts("other")
        )
    assert not DeadlineBreach.objects.exists()


def test_review_in_time_needs_no_reason(make_report: ReportFactory, caseworker: User) -> None:
    report = make_report(received_on=today() - timedelta(days=7))
    review_conclude(report=report, by=caseworker, concluded_on=today(), conclusion="2")
    assert report.review_concluded_on == today()
