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
@given(day=days, n=st.integers(min_value=0, max_value=400))
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
