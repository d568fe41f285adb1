"""A leader's reports in a real browser: the monthly report, the status report with its text and
PDF, and the variation between units; axe-core checks every page, charts and their tables included."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.browser.conftest import check_accessible, enrol, login
from tests.conftest import make_user
from tests.reports.conftest import small_unit  # noqa: F401 - the hand-worked unit, as a fixture here
from vern.core.models import Role, Unit
from vern.reports.models import Population, UnitGroup

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.usefixtures("small_unit")
def test_a_leader_reads_the_reports_writes_the_text_and_downloads_the_pdf(
    *, live_server: Any, page: Any, unit: Unit, other_unit: Unit
) -> None:
    base = live_server.url
    leader = make_user("sjef", unit, Role.LEADER)
    group = UnitGroup.objects.create(name="Vestlandet")
    group.units.set([unit, other_unit])
    Population.objects.create(unit=unit, year=2024, children=5000)
    Population.objects.create(unit=other_unit, year=2024, children=3000)
    login(page, base, leader, enrol(leader))

    page.get_by_role("link", name="Rapporter").click()
    page.get_by_label("Måned", exact=True).fill("2024-03")
    page.get_by_role("button", name="Vis").click()
    page.wait_for_url("**maned=2024-03**")
    assert page.get_by_role("heading", name="Månedsrapport mars 2024").is_visible()
    # The March figures: two reports received, one of them reviewed in time.
    summary = page.get_by_role("table", name="Denne måneden og måneden før")
    assert "Meldinger mottatt 2 0" in " ".join(summary.inner_text().split())
    check_accessible(page)

    page.get_by_role("link", name="Tilstandsrapport").click()
    page.get_by_label("År", exact=True).select_option("2024")
    page.get_by_role("button", name="Vis").click()
    page.wait_for_url("**ar=2024**")
    table = page.get_by_role("table", name="Andel undersøkelser konkludert innen fristen")
    assert "75,0" in table.inner_text()
    check_accessible(page)
    page.get_by_text("Skriv tekstdelene").click()
    page.get_by_label("Sammendrag").fill("Tjenesten har fått bedre kontroll med fristene.")
    page.get_by_role("button", name="Lagre teksten").click()
    assert page.get_by_text("Teksten i tilstandsrapporten er lagret.").is_visible()
    shown = page.locator(".vern-report-text").get_by_text("Tjenesten har fått bedre kontroll med fristene.")
    assert shown.is_visible()
    with page.expect_download() as download:
        page.get_by_role("link", name="PDF til kommunestyret").click()
    assert download.value.suggested_filename.endswith("-2024.pdf")
    assert Path(download.value.path()).read_bytes().startswith(b"%PDF")

    page.get_by_role("link", name="Variasjon mellom enheter").click()
    page.get_by_label("År", exact=True).select_option("2024")
    page.get_by_role("button", name="Vis").click()
    page.wait_for_url("**ar=2024**")
    assert page.get_by_role("heading", name="Meldinger mottatt per 1 000 barn 0–17 år").is_visible()
    check_accessible(page)
