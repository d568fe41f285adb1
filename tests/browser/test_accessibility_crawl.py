"""axe-core on every page the crawl of the small demo visits, as each role, in headless Chromium, and
every such page on a phone.

Universal design is law (WCAG 2.1 AA): no page may have a serious or critical violation, and every
page must be usable 390 px wide, which means the page itself never scrolls sideways (a wide table
scrolls in its own box). The crawl (`tests/crawl.py`) finds the pages by following links as each
role; the browser opens each with that role's session, as it is drawn, styles and all.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings
from django.db import connection

from tests.browser.conftest import AXE, axe_violations
from tests.crawl import crawl, logged_in
from tests.test_crawl import first_user_of_each_role, seeded_demo

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


LAPTOP = {"width": 1366, "height": 800}
PHONE = {"width": 390, "height": 800}


def test_no_page_has_a_serious_accessibility_violation_or_is_too_wide_for_a_phone(
    *, live_server: Any, browser: Any
) -> None:
    if connection.vendor != "postgresql":
        # The pages are drawn alike on either database; the crawl runs once, in the PostgreSQL pass.
        pytest.skip("axe-core crawl runs on PostgreSQL only")
    seeded_demo("small")
    found: list[str] = []
    pages = 0
    for membership in first_user_of_each_role():
        role = f"{membership.get_role_display()} ({membership.user.username})"
        visits = crawl(membership.user, role=role).html_pages()
        name = settings.SESSION_COOKIE_NAME
        session = logged_in(membership.user).cookies[name].value
        context = browser.new_context(locale="nb-NO", timezone_id="Europe/Oslo")
        context.add_cookies([{"name": name, "value": session, "url": live_server.url}])
        context.add_init_script(path=str(AXE))
        page = context.new_page()
        for visit in visits:
            page.set_viewport_size(LAPTOP)
            page.goto(live_server.url + visit.url)
            pages += 1
            found.extend(f"{visit.url} as {role}: {v}" for v in axe_violations(page, inject=False))
            page.set_viewport_size(PHONE)
            wide = page.evaluate("document.scrollingElement.scrollWidth")
            if wide > PHONE["width"]:
                found.append(f"{visit.url} as {role}: {wide} px wide on a {PHONE['width']} px phone")
        context.close()
    print(f"axe-core on {pages} pages")  # noqa: T201 - the figure for the log
    assert not found, "\n".join(found)
