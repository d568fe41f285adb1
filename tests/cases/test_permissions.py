"""Every URL that shows case data, for every role: allowed, or 404 as the access rules say."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.conftest import logged_in
from vern.core.dates import today
from vern.core.models import User

pytestmark = pytest.mark.django_db

ALLOW, DENY = 200, 404

# role -> expected status for: case, access log, reviewed report, unreviewed report, investigation
EXPECTED: dict[str, dict[str, int]] = {
    "assigned_caseworker": {"case": ALLOW, "log": DENY, "report": ALLOW, "open_report": ALLOW, "inv": ALLOW},
    "other_caseworker": {"case": DENY, "log": DENY, "report": DENY, "open_report": DENY, "inv": DENY},
    "shared_caseworker": {"case": ALLOW, "log": DENY, "report": ALLOW, "open_report": ALLOW, "inv": ALLOW},
    "leader": {"case": ALLOW, "log": ALLOW, "report": ALLOW, "open_report": ALLOW, "inv": ALLOW},
    "intake": {"case": DENY, "log": DENY, "report": DENY, "open_report": ALLOW, "inv": DENY},
    "auditor": {"case": ALLOW, "log": DENY, "report": ALLOW, "open_report": ALLOW, "inv": ALLOW},
    "admin": {"case": DENY, "log": DENY, "report": DENY, "open_report": DENY, "inv": DENY},
    "other_unit_leader": {"case": DENY, "log": DENY, "report": DENY, "open_report": DENY, "inv": DENY},
    "no_role": {"case": DENY, "log": DENY, "report": DENY, "open_report": DENY, "inv": DENY},
}


@pytest.mark.parametrize("persona", list(EXPECTED))
@pytest.mark.parametrize("page", ["case", "log", "report", "open_report", "inv"])
def test_case_data_urls_by_role(world: dict[str, dict[str, object]], persona: str, page: str) -> None:
    user = world["users"][persona]
    assert isinstance(user, User)
    url = world["urls"][page]
    response = logged_in(user).get(str(url))
    assert response.status_code == EXPECTED[persona][page], f"{persona} {page} {url}"


@pytest.mark.parametrize("url", ["/saker/1/", "/meldinger/1/", "/undersokelser/1/", "/frister/", "/saker/"])
def test_anonymous_is_sent_to_login(url: str) -> None:
    response = Client().get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/logg-inn/")


def test_case_list_shows_only_visible_cases(world: dict[str, dict[str, object]]) -> None:
    users = world["users"]
    assert "2026/" in logged_in(users["leader"]).get("/saker/").content.decode()  # type: ignore[arg-type]
    other = logged_in(users["other_caseworker"]).get("/saker/").content.decode()  # type: ignore[arg-type]
    assert "/saker/" in other
    assert f'href="{world["urls"]["case"]}"' not in other


def test_writes_by_auditor_are_refused(world: dict[str, dict[str, object]]) -> None:
    auditor = world["users"]["auditor"]
    response = logged_in(auditor).post(  # type: ignore[arg-type]
        str(world["urls"]["inv"]), {"form": "plan", "plan-made_on": today().isoformat(), "plan-text": "Plan"}
    )
    assert response.status_code == 404


def test_outsider_cannot_record_breach_reason(world: dict[str, dict[str, object]], outsider: User) -> None:
    report_url = str(world["urls"]["report"])
    report_id = report_url.strip("/").split("/")[-1]
    response = logged_in(outsider).post(f"/frister/arsak/review/{report_id}/", {"breach_reason": "capacity"})
    assert response.status_code == 404
