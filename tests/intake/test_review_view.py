"""Concluding a review on the report's page: each role lands on a page it may see."""

from __future__ import annotations

import pytest

from tests.conftest import ReportFactory, logged_in
from vern.core.dates import today
from vern.core.models import User

pytestmark = pytest.mark.django_db


def _conclude(user: User, report_id: int) -> str:
    client = logged_in(user)
    data = {"form": "review", "review-concluded_on": today().isoformat(), "review-conclusion": "10"}
    response = client.post(f"/meldinger/{report_id}/", data)
    assert response.status_code == 302
    landed = client.get(response["Location"])
    assert landed.status_code == 200
    return str(response["Location"])


def test_intake_returns_to_the_intake_list_with_the_message(make_report: ReportFactory, intake: User) -> None:
    report = make_report(by=intake)
    client = logged_in(intake)
    data = {"form": "review", "review-concluded_on": today().isoformat(), "review-conclusion": "10"}
    response = client.post(f"/meldinger/{report.pk}/", data, follow=True)
    assert response.redirect_chain == [("/meldinger/", 302)]
    assert response.status_code == 200
    assert "Gjennomgangen er konkludert." in response.content.decode()
    report.refresh_from_db()
    assert report.review_concluded_on == today()


@pytest.mark.parametrize("persona", ["leader", "caseworker"])
def test_those_who_still_see_the_report_stay_on_it(
    request: pytest.FixtureRequest, make_report: ReportFactory, persona: str
) -> None:
    report = make_report()
    location = _conclude(request.getfixturevalue(persona), report.pk)
    assert location == f"/meldinger/{report.pk}/"
