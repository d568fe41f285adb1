"""Every page each demo user can reach by following links answers, on the small and the Oslo demo.

A page nobody opened is a page that is broken: this crawl opens every kind of page (every route, a
few instances each) as each role of each kind of unit, and sends every form on them blank and with bad
input. It reports every server error with its URL, the role and the page that linked to it, and every
link that leads the user to a refusal.
"""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection

from tests.crawl import Crawl, crawl
from vern.core.dates import today
from vern.core.models import Membership
from vern.synthetic.generate import seed
from vern.worklists import store

pytestmark = pytest.mark.django_db


def seeded_demo(scale: str, children: int | None = None) -> date:
    """The demo of ``scale`` seeded as `./run demo` does, for today; a failure is reproduced with
    `vern seed --scale SCALE --today DAY`. PostgreSQL gets the statistics autovacuum would have
    gathered by the time anyone reads the data; inside the test's transaction it cannot."""
    day = today()
    seed(scale=scale, seed=1, today=day, children=children)
    store.rebuild(today=day)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return day


def first_user_of_each_role() -> list[Membership]:
    """The first user of each role in each kind of unit (service, provider), as a new user would log in."""
    first: dict[tuple[str, str], Membership] = {}
    for membership in Membership.objects.select_related("user", "unit").order_by("unit_id", "user_id"):
        first.setdefault((membership.unit.kind, membership.role), membership)
    return list(first.values())


def crawls_of_every_role() -> list[Crawl]:
    return [
        crawl(m.user, role=f"{m.get_role_display()} ({m.unit.name}, {m.user.username})", forms=True)
        for m in first_user_of_each_role()
    ]


def report(crawls: list[Crawl]) -> str:
    return "\n".join(
        f"{v.status} {v.method} {v.url} as {c.role}, from {v.came_from}\n{v.error}".strip()
        for c in crawls
        for v in c.server_errors + c.dead_ends
    )


@pytest.mark.parametrize(("scale", "children"), [("small", None), ("oslo", 1500)])
def test_every_page_answers_for_every_role(scale: str, children: int | None) -> None:
    day = seeded_demo(scale, children)
    crawls = crawls_of_every_role()
    pages = sum(len(c.html_pages()) for c in crawls)
    forms = sum(len(c.forms_sent()) for c in crawls)
    errors = sum(len(c.server_errors) for c in crawls)
    # The figures for the log (pytest -s): what was opened, as how many roles, and what failed.
    print(f"crawl {scale} ({day}): {pages} pages, {forms} forms sent, {len(crawls)} roles, {errors} 5xx")  # noqa: T201
    assert pages > 100
    assert not any(c.server_errors or c.dead_ends for c in crawls), report(crawls)
