"""The report pages: who may see them, the downloads, and the leader's text sections."""

from __future__ import annotations

from io import BytesIO
from typing import Any

import pytest
from openpyxl import load_workbook

from tests.conftest import logged_in
from vern.core.models import Unit, User
from vern.reports.models import Population, ReportText, UnitGroup

pytestmark = pytest.mark.django_db

PAGES = (
    "/enhet/rapporter/maned/",
    "/enhet/rapporter/tilstand/?ar=2024",
    "/enhet/rapporter/variasjon/?ar=2024",
)


@pytest.fixture
def group(unit: Unit, other_unit: Unit) -> UnitGroup:
    group = UnitGroup.objects.create(name="Bydelene")
    group.units.set([unit, other_unit])
    Population.objects.create(unit=unit, year=2024, children=4000)
    return group


@pytest.mark.parametrize("url", PAGES)
def test_leaders_and_auditors_see_the_reports(
    url: str, leader: User, auditor: User, group: UnitGroup, small_unit: dict[str, Any]
) -> None:
    for user in (leader, auditor):
        response = logged_in(user).get(url)
        assert response.status_code == 200, url
        assert b"<svg" in response.content
        assert b"<table" in response.content


@pytest.mark.parametrize("url", PAGES)
def test_caseworkers_and_intake_do_not(url: str, caseworker: User, intake: User, group: UnitGroup) -> None:
    for user in (caseworker, intake):
        assert logged_in(user).get(url).status_code == 404


def test_a_leader_of_a_unit_outside_the_group_sees_no_comparison(other_unit: Unit, unit: Unit) -> None:
    from tests.conftest import make_user

    UnitGroup.objects.create(name="Andre").units.set([unit])
    stranger = make_user("fremmed", other_unit, "leader")
    response = logged_in(stranger).get("/enhet/rapporter/variasjon/")
    # The page leads to making a group, and shows nothing of the group the leader is not in.
    assert response.status_code == 200
    assert "/enhet/rapporter/grupper/ny/" in response.content.decode()
    assert "Andre" not in response.content.decode()
    assert unit.name not in response.content.decode()


def test_the_status_report_downloads_as_pdf_excel_and_json(leader: User, small_unit: dict[str, Any]) -> None:
    client = logged_in(leader)
    pdf = client.get("/enhet/rapporter/tilstand/?ar=2024&format=pdf")
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    data = client.get("/enhet/rapporter/tilstand/?ar=2024&format=json").json()
    assert data["year"] == 2024
    assert data["indicators"]["reports_received"] == small_unit["reports_received"]
    assert data["indicators"]["investigations_extended_share_denominator"] == 4
    book = load_workbook(BytesIO(client.get("/enhet/rapporter/tilstand/?ar=2024&format=xlsx").content))
    assert len(book.sheetnames) > 10
    first = book[book.sheetnames[0]]
    assert any(cell.value == 3 for row in first.iter_rows() for cell in row)


def test_the_monthly_report_downloads_as_excel(leader: User, small_unit: dict[str, Any]) -> None:
    response = logged_in(leader).get("/enhet/rapporter/maned/?maned=2024-03&format=xlsx")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    book = load_workbook(BytesIO(response.content))
    summary = book[book.sheetnames[0]]
    values = [cell.value for row in summary.iter_rows() for cell in row]
    assert "03.2024" in values


@pytest.mark.parametrize(
    "url",
    [
        "/enhet/rapporter/maned/?maned=2024-13",
        "/enhet/rapporter/maned/?maned=mars&format=xlsx",
        "/enhet/rapporter/maned/?maned=2999-01",
        "/enhet/rapporter/tilstand/?ar=1850&format=pdf",
        "/enhet/rapporter/tilstand/?ar=tjue",
    ],
)
def test_a_bad_month_or_year_gets_a_clear_error(leader: User, url: str) -> None:
    response = logged_in(leader).get(url)
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")
    assert "Velg " in response.content.decode()


def test_the_leader_writes_the_text_sections(leader: User, auditor: User, unit: Unit) -> None:
    url = f"/enhet/rapporter/tilstand/?enhet={unit.pk}&ar=2024"
    response = logged_in(leader).post(
        url, {"summary": "Et godt år.", "assessment": "", "goals": "Færre brudd."}
    )
    assert response.status_code == 302
    texts = dict(ReportText.objects.filter(unit=unit, year=2024).values_list("section", "text"))
    assert texts["summary"] == "Et godt år."
    page = logged_in(auditor).get(url)
    assert "Færre brudd." in page.content.decode()
    # The auditor reads, but may not write.
    assert logged_in(auditor).post(url, {"summary": "Nei."}).status_code == 404
    assert ReportText.objects.get(unit=unit, year=2024, section="summary").text == "Et godt år."


def test_the_variation_flags_what_lies_outside_the_limits(
    leader: User, group: UnitGroup, other_unit: Unit
) -> None:
    Population.objects.create(unit=other_unit, year=2024, children=4000)
    response = logged_in(leader).get(f"/enhet/rapporter/variasjon/?gruppe={group.pk}&ar=2024&format=xlsx")
    book = load_workbook(BytesIO(response.content))
    assert len(book.sheetnames) >= 2


def test_the_status_report_gives_shares_in_norwegian_and_reporters_in_words(
    leader: User, small_unit: dict[str, Any]
) -> None:
    """Reporters 2024: two of four from a school, one each from the police and a kindergarten."""
    page = logged_in(leader).get("/enhet/rapporter/tilstand/?ar=2024").content.decode()
    table = page[page.index('id="reporter_shares"') :]
    table = table[: table.index("</table>")]
    assert '<th scope="row">Skole</th>' in table
    assert '<th scope="row">Politi</th>' in table
    assert "50,0\u00a0%" in table
    assert "25,0\u00a0%" in table
    assert "11 Skole" not in page
    assert "0.5" not in table
