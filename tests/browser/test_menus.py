"""A leader's menu in a real browser: it fits one line at 1,366 px, and the unit's settings page leads
to each setting; axe-core checks the pages."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.conftest import check_accessible, enrol, login
from tests.conftest import make_user
from tests.core.test_menus import publish
from vern.core.models import Role, Unit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_leaders_menu_fits_one_line_and_leads_to_the_settings(
    *, live_server: Any, browser: Any, unit: Unit
) -> None:
    # The longest menu of one role: a leader of a service that also publishes measures.
    publish(unit)
    leader = make_user("sjef", unit, Role.LEADER)
    leader.first_name, leader.last_name = "Kristine Margrethe", "Johannessen-Bakkevik"
    leader.save()
    context = browser.new_context(
        locale="en-US", timezone_id="Europe/Oslo", viewport={"width": 1366, "height": 800}
    )
    page = context.new_page()
    login(page, live_server.url, leader, enrol(leader))
    page.wait_for_url("**/frister/enhet/")
    links = page.locator("header nav li")
    assert links.count() == 8
    tops = {round(box["y"]) for box in (links.nth(i).bounding_box() for i in range(links.count())) if box}
    assert len(tops) == 1, tops

    page.get_by_role("navigation", name="Hovedmeny").get_by_role("link", name="Innstillinger").click()
    page.get_by_role("heading", name="Innstillinger for enheten").wait_for()
    check_accessible(page)
    page.get_by_role("link", name="Evaluering av planer").click()
    page.wait_for_url(f"**/enhet/planer/?enhet={unit.pk}")
    check_accessible(page)
    context.close()
