"""A caseworker's day in a real browser: log in with TOTP, register a report, conclude the review,
open an investigation, extend it with a reason and conclude it; a leader sees the breach list.
axe-core checks every page on the way."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from tests.browser.conftest import check_accessible, enrol, login
from tests.conftest import ReportFactory, make_user
from vern.core.dates import today
from vern.core.identity import make_fodselsnummer
from vern.core.models import Role, Unit, User
from vern.investigations.models import Investigation

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_caseworker_flow_and_leader_breach_list(
    live_server: Any, page: Any, unit: Unit, caseworker: User, make_report: ReportFactory
) -> None:
    base = live_server.url
    secret = enrol(caseworker)
    login(page, base, caseworker, secret)
    page.wait_for_url("**/frister/")
    assert page.get_by_role("heading", name="Mine frister").is_visible()
    check_accessible(page)

    # Register a report of concern.
    page.get_by_role("link", name="Registrer melding").click()
    check_accessible(page)
    number = make_fodselsnummer(today() - timedelta(days=9 * 365), 123)
    page.get_by_label("Fødselsnummer eller D-nummer").fill(number)
    page.get_by_label("Barnets fornavn").fill("Nora")
    page.get_by_label("Barnets etternavn").fill("Berg")
    # Received today at midnight: never in the future, whatever the hour the test runs (08:15 was,
    # before a quarter past eight in Oslo).
    page.get_by_label("Mottakstidspunkt").fill("00:00")
    page.get_by_label("Kanal").select_option("phone")
    page.get_by_label("Skole", exact=True).check()
    page.get_by_label("Foreldre med rusrelaterte utfordringer").check()
    page.get_by_label("Bekymringen").fill("Læreren er bekymret for at barnet ofte er alene hjemme.")
    page.get_by_role("button", name="Registrer").click()
    page.get_by_text("Bekymringsmeldingen er registrert.").wait_for()
    check_accessible(page)

    # Conclude the review: investigation.
    page.get_by_label("Konklusjon").select_option("2")
    page.get_by_role("button", name="Konkluder gjennomgang").click()
    page.get_by_text("Gjennomgangen er konkludert.").wait_for()
    page.get_by_role("button", name="Opprett undersøkelse").click()
    page.get_by_text("Undersøkelsen er opprettet.").wait_for()
    check_accessible(page)

    # Extend: without a reason the rule refuses, with one it is recorded.
    page.get_by_role("button", name="Utvid fristen").click()
    page.get_by_text("Utvidelse av fristen krever en begrunnelse").wait_for()
    inv = Investigation.objects.get(case__child__identity_number=number)
    assert not inv.is_extended
    page.get_by_label("Hvorfor undersøkelsen trenger seks måneder").fill("Venter på sakkyndig vurdering.")
    page.get_by_role("button", name="Utvid fristen").click()
    page.get_by_text("Fristen er utvidet til seks måneder.").wait_for()
    check_accessible(page)

    page.get_by_label("Hvordan barnet medvirket").select_option("1.1")
    page.get_by_role("button", name="Registrer medvirkning").click()
    page.get_by_text("Barnets medvirkning er registrert.").wait_for()
    page.get_by_label("Konklusjon").select_option("3")
    page.get_by_role("button", name="Konkluder undersøkelsen").click()
    page.get_by_text("Undersøkelsen er konkludert.").wait_for()
    inv.refresh_from_db()
    assert inv.concluded_on == today()
    assert inv.is_extended

    # A leader sees the unit's breaches: one overdue review in the unit.
    overdue = make_report(received_on=today() - timedelta(days=12))
    leader = make_user("leder", unit, Role.LEADER)
    leader_secret = enrol(leader)
    page.get_by_role("button", name="Logg ut").click()
    login(page, base, leader, leader_secret)
    page.wait_for_url("**/frister/enhet/")
    check_accessible(page)
    breaches = page.locator("#h-breaches + table")
    assert breaches.get_by_role("link", name=overdue.case.journal_number).is_visible()
    assert page.get_by_role("cell", name="Ingen årsak registrert").is_visible()
