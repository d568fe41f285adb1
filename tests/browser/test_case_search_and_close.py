"""A leader finds a child's case by fødselsnummer, filters the list, sees the sibling, closes the case
and reopens it, in a real browser. axe-core checks every page on the way."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest

from tests.browser.conftest import check_accessible, enrol, login
from tests.conftest import ReportFactory, child_facts
from vern.cases.models import Party
from vern.cases.services import party_add
from vern.core.dates import today
from vern.core.identity import make_fodselsnummer
from vern.core.models import User
from vern.intake.services import review_conclude

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_leader_finds_closes_and_reopens_a_case(
    live_server: Any, page: Any, leader: User, caseworker: User, make_report: ReportFactory
) -> None:
    report = make_report(
        received_on=today() - timedelta(days=20),
        reporters=("2",),
        child=child_facts(first="Nora", last="Berg", birth=date(2014, 2, 3)),
    )
    review_conclude(report=report, by=caseworker, concluded_on=today() - timedelta(days=18), conclusion="10")
    case = report.case
    sibling = make_report(child=child_facts(first="Ella", last="Berg", birth=date(2016, 5, 6))).case
    mother = make_fodselsnummer(date(1985, 4, 2), 401)
    for c in (case, sibling):
        party_add(case=c, by=caseworker, name="Mor Berg", relation=Party.Relation.MOTHER,
                  parental_responsibility=True, identity_number=mother)  # fmt: skip

    base = live_server.url
    login(page, base, leader, enrol(leader))
    page.goto(f"{base}/saker/")
    check_accessible(page)
    number = case.child.identity_number
    page.get_by_label("Søk", exact=True).fill(f"{number[:6]} {number[6:]}")
    page.get_by_label("Status").select_option(label="Åpne saker")
    page.get_by_role("button", name="Søk").click()
    page.get_by_text("1 sak", exact=True).wait_for()
    check_accessible(page)
    page.get_by_role("link", name=case.journal_number).click()

    assert page.get_by_role("link", name=sibling.journal_number).is_visible()
    check_accessible(page)
    page.get_by_label("Hvorfor saken avsluttes").fill("Henlagt etter gjennomgang.")
    page.get_by_role("button", name="Avslutt saken").click()
    page.get_by_text(f"Saken er avsluttet {today():%d.%m.%Y}.").wait_for()
    check_accessible(page)

    page.get_by_label("Hvorfor saken gjenåpnes").fill("Avsluttet ved en feil.")
    page.get_by_role("button", name="Gjenåpne saken").click()
    page.get_by_text("Saken er gjenåpnet.").wait_for()
    case.refresh_from_db()
    assert case.closed_on is None
