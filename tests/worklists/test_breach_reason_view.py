"""The "Registrer årsak" page: opened from a worklist, with or without where to go back to, for every
clock with a reason, and only by those who may change the item."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.conftest import ReportFactory, logged_in
from tests.worklists.overdue import Overdue, overdue
from vern.core.dates import today
from vern.core.models import DeadlineBreach, User
from vern.worklists import selectors

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("query", ["", "?next=/frister/", "?next=/frister/enhet/"])
def test_page_opens_with_or_without_next(make_report: ReportFactory, caseworker: User, query: str) -> None:
    report = make_report(received_on=today() - timedelta(days=10))
    response = logged_in(caseworker).get(f"/frister/arsak/review/{report.pk}/{query}")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="breach_reason"' in html
    if query:
        assert f'name="next" value="{query.removeprefix("?next=")}"' in html


def test_saving_goes_back_to_the_list(make_report: ReportFactory, caseworker: User) -> None:
    report = make_report(received_on=today() - timedelta(days=10))
    response = logged_in(caseworker).post(
        f"/frister/arsak/review/{report.pk}/", {"breach_reason": "capacity", "next": "/frister/enhet/"}
    )
    assert response.status_code == 302
    assert response["Location"] == "/frister/enhet/"
    assert DeadlineBreach.objects.get(clock="review", object_id=report.pk).reason == "capacity"


def test_a_next_on_another_site_is_ignored(make_report: ReportFactory, caseworker: User) -> None:
    report = make_report(received_on=today() - timedelta(days=10))
    url = f"/frister/arsak/review/{report.pk}/?next=https://evil.example/"
    assert 'name="next"' not in logged_in(caseworker).get(url).content.decode()
    response = logged_in(caseworker).post(url, {"breach_reason": "capacity", "next": "https://evil.example/"})
    assert response["Location"] == "/frister/"


def test_bad_input_is_refused_in_norwegian(make_report: ReportFactory, caseworker: User) -> None:
    report = make_report(received_on=today() - timedelta(days=10))
    response = logged_in(caseworker).post(f"/frister/arsak/review/{report.pk}/", {"breach_reason": ""})
    assert response.status_code == 400
    assert "Velg" in response.content.decode()
    assert not DeadlineBreach.objects.exists()


# -- every clock with a reason


def _reason_url(kind: str, make_report: ReportFactory, caseworker: User) -> tuple[str, Overdue]:
    item = overdue(kind, make_report, caseworker)
    row = selectors.missed(
        item.case.pk, clock=kind, object_id=item.object_id, period_start=item.period_start, today=today()
    )
    assert row is not None
    return row.reason_url, item


@pytest.mark.parametrize("kind", sorted(selectors.CLOCKS_WITH_REASONS))
def test_every_clock_records_its_reason(kind: str, make_report: ReportFactory, caseworker: User) -> None:
    url, item = _reason_url(kind, make_report, caseworker)
    client = logged_in(caseworker)
    page = client.get(url)
    assert page.status_code == 200
    assert 'name="breach_reason"' in page.content.decode()
    response = client.post(url, {"breach_reason": "other", "breach_explanation": "Sykdom i teamet"})
    assert response.status_code == 302
    recorded = DeadlineBreach.objects.get(clock=kind, object_id=item.object_id)
    assert (recorded.reason, recorded.explanation, recorded.period_start) == (
        "other",
        "Sykdom i teamet",
        item.period_start,
    )


@pytest.mark.parametrize("kind", sorted(selectors.CLOCKS_WITH_REASONS))
def test_a_user_who_may_not_write_gets_404(
    kind: str, make_report: ReportFactory, caseworker: User, auditor: User, outsider: User
) -> None:
    url, _item = _reason_url(kind, make_report, caseworker)
    for user in (auditor, outsider):
        client = logged_in(user)
        assert client.get(url).status_code == 404
        assert client.post(url, {"breach_reason": "capacity"}).status_code == 404
    assert not DeadlineBreach.objects.exists()


def test_a_deadline_not_missed_has_no_reason_page(make_report: ReportFactory, caseworker: User) -> None:
    report = make_report(received_on=today())
    client = logged_in(caseworker)
    assert client.get(f"/frister/arsak/review/{report.pk}/").status_code == 404
    assert client.get(f"/frister/arsak/aftercare_offer/{report.case_id}/").status_code == 404
    assert (
        client.post(f"/frister/arsak/review/{report.pk}/", {"breach_reason": "capacity"}).status_code == 404
    )
    assert not DeadlineBreach.objects.exists()


def test_a_periodic_clock_needs_the_interval_it_missed(make_report: ReportFactory, caseworker: User) -> None:
    url, item = _reason_url(selectors.FOLLOW_UP_VISIT, make_report, caseworker)
    client = logged_in(caseworker)
    base = url.partition("?")[0]
    assert client.get(base).status_code == 404
    assert client.get(f"{base}?fra={today().isoformat()}").status_code == 404
    assert client.get(f"{base}?fra=ikke-en-dato").status_code == 404
    assert client.get(url).status_code == 200
    assert item.period_start is not None
    assert f"?fra={item.period_start.isoformat()}" in url
