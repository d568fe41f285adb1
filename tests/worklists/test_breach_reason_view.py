"""The "Registrer årsak" page: opened from a worklist, with or without where to go back to."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.conftest import ReportFactory, logged_in
from vern.core.dates import today
from vern.core.models import DeadlineBreach, User

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
