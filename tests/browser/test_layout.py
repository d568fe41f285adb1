"""The look of the pages people use most, on a laptop (1,366 px) and a phone (390 px): the page never
scrolls sideways (a wide table or chart scrolls in its own box), axe-core finds nothing serious,
the theme's font is Vern's own and no request leaves Vern. Screenshots of each page at each width
go to pytest's temporary folder (printed with -s), to look at, not to keep."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.browser.conftest import check_accessible, enrol, login
from tests.conftest import ReportFactory, child_facts, make_user
from tests.reports.conftest import small_unit  # noqa: F401 - the hand-worked unit, as a fixture here
from vern.core.models import Role, Unit, User
from vern.reports.charts import LABEL_CHAR_WIDTH
from vern.reports.models import Population, UnitGroup

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTHS = (1366, 390)


@pytest.fixture(scope="module")
def screenshots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("screenshots")
    print(f"\nScreenshots: {folder}")  # noqa: T201 - where to look, with -s
    return folder


@pytest.fixture
def watched(page: Any, live_server: Any) -> Iterator[Any]:
    """The page, failing the test if it asks any other site than Vern for anything, or asks Vern for
    something that is not there (a missing icon, font or style)."""
    elsewhere: list[str] = []
    missing: list[str] = []
    page.on(
        "request", lambda r: None if r.url.startswith((live_server.url, "data:")) else elsewhere.append(r.url)
    )
    page.on("response", lambda r: missing.append(r.url) if r.status == 404 else None)
    yield page
    assert not elsewhere
    assert not missing


def looks_right(page: Any, name: str, folder: Path) -> None:
    """At each width: no sideways scrolling of the page, nothing serious for axe-core, a screenshot."""
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        page.wait_for_load_state("networkidle")
        wide = page.evaluate("[document.scrollingElement.scrollWidth, window.innerWidth]")
        assert wide[0] <= wide[1], f"{name} at {width} px is {wide[0]} px wide"
        check_accessible(page)
        page.screenshot(path=folder / f"{name}-{width}.png", full_page=True)


def test_case_page_and_my_deadlines_on_a_laptop_and_a_phone(
    *, live_server: Any, watched: Any, caseworker: User, make_report: ReportFactory, screenshots: Path
) -> None:
    page = watched
    # Long words and numbers that must break rather than widen a phone's page.
    report = make_report(
        child=child_facts(first="Marie-Christine", last="Kristoffersen-Abrahamsen-Haugeland")
    )
    make_report()
    login(page, live_server.url, caseworker, enrol(caseworker))
    page.wait_for_url("**/frister/")
    assert page.evaluate("document.fonts.check('16px \"Inter Variable\"')")
    assert page.evaluate("getComputedStyle(document.body).fontFamily").startswith('"Inter Variable"')
    looks_right(page, "mine-frister", screenshots)

    page.goto(f"{live_server.url}/saker/{report.case_id}/")
    assert page.get_by_role("heading", name="Barnet", exact=True).is_visible()
    looks_right(page, "sak", screenshots)
    # A table too wide for the phone scrolls in a region named by its caption, reachable by keyboard.
    box = page.get_by_role("table", name="Bekymringsmeldinger").locator("xpath=..")
    assert box.get_attribute("role") == "region"
    assert box.get_attribute("tabindex") == "0"
    assert (
        box.evaluate("b => document.getElementById(b.getAttribute('aria-labelledby')).tagName") == "CAPTION"
    )


def test_the_menu_folds_behind_a_button_on_a_phone(*, live_server: Any, watched: Any, unit: Unit) -> None:
    page = watched
    leader = make_user("sjef", unit, Role.LEADER)
    login(page, live_server.url, leader, enrol(leader))
    menu = page.get_by_role("navigation", name="Hovedmeny")
    page.set_viewport_size({"width": 1366, "height": 900})
    assert menu.get_by_role("link", name="Rapporter").is_visible()
    assert not page.get_by_text("Meny", exact=True).is_visible()
    page.set_viewport_size({"width": 390, "height": 900})
    assert not menu.get_by_role("link", name="Rapporter").is_visible()
    page.get_by_text("Meny", exact=True).click()
    assert menu.get_by_role("link", name="Rapporter").is_visible()
    assert page.evaluate("document.scrollingElement.scrollWidth <= window.innerWidth")
    check_accessible(page)


@pytest.mark.usefixtures("small_unit")
def test_reports_on_a_laptop_and_a_phone(
    *, live_server: Any, watched: Any, unit: Unit, other_unit: Unit, screenshots: Path
) -> None:
    page = watched
    leader = make_user("sjef", unit, Role.LEADER)
    group = UnitGroup.objects.create(name="Vestlandet")
    group.units.set([unit, other_unit])
    Population.objects.create(unit=unit, year=2024, children=5000)
    Population.objects.create(unit=other_unit, year=2024, children=3000)
    login(page, live_server.url, leader, enrol(leader))

    # The monthly report's tables have a column a month: 1,954 px wide on a 1,366 px screen before.
    page.goto(f"{live_server.url}/enhet/rapporter/maned/?maned=2024-03")
    assert page.get_by_role("heading", name="Månedsrapport mars 2024").is_visible()
    looks_right(page, "manedsrapport", screenshots)

    page.goto(f"{live_server.url}/enhet/rapporter/variasjon/?gruppe={group.pk}&ar=2024")
    looks_right(page, "variasjon", screenshots)
    # Each name beside a funnel plot's marker takes no more room than the plot reserved for it
    # (charts.LABEL_CHAR_WIDTH a letter), so labels kept apart there are apart on the screen.
    labels = page.evaluate(
        """[...document.querySelectorAll('.vern-chart-label')].map(t => {
            const b = t.getBBox(); return [t.textContent, b.width, t.getAttribute('font-size')];
        })"""
    )
    assert labels
    for text, width, size in labels:
        assert float(size) == 11
        assert width <= len(text) * LABEL_CHAR_WIDTH, (text, width)
