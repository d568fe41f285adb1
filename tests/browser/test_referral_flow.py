"""A referral across the two tiers in a real browser: the district's caseworker orders MST from the
child's case, the agency's intake accepts, holds the start meeting, sends an evaluation and the final
report; the caseworker sees each step on the same referral. axe-core checks every page."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from tests.browser.conftest import check_accessible, enrol, login
from tests.referrals.conftest import agency, agency_intake, mst, teen_case  # noqa: F401 - fixtures here
from vern.cases.models import Case
from vern.core.dates import today
from vern.core.models import User

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.usefixtures("mst")
def test_order_accept_start_evaluate_and_report_back(
    *,
    live_server: Any,
    browser: Any,
    page: Any,
    caseworker: User,
    agency_intake: User,  # noqa: F811 - imported fixture
    teen_case: Case,  # noqa: F811 - imported fixture
) -> None:
    base = live_server.url
    login(page, base, caseworker, enrol(caseworker))
    page.goto(f"{base}/saker/{teen_case.pk}/")
    page.get_by_role("link", name="Bestill et tiltak fra tiltaksvifta").click()
    check_accessible(page)
    page.get_by_role("link", name="Bestill MST-team Øst").click()
    check_accessible(page)
    page.get_by_label("Hva barnet og familien trenger").fill("Sinneutbrudd hjemme og mye fravær fra skolen.")
    page.get_by_role("button", name="Send bestillingen").click()
    page.wait_for_url("**/henvisninger/*/")
    referral_url = page.url
    assert page.get_by_text("Bestilt", exact=True).first.is_visible()
    check_accessible(page)

    agency_context = browser.new_context(locale="en-US", timezone_id="Europe/Oslo")
    agency_page = agency_context.new_page()
    login(agency_page, base, agency_intake, enrol(agency_intake))
    agency_page.get_by_role("link", name="Henvisninger mottatt").click()
    check_accessible(agency_page)
    agency_page.get_by_role("link", name="MST-team Øst").click()
    assert agency_page.get_by_text("Sinneutbrudd hjemme").is_visible()
    day = today()
    agency_page.locator("#id_offer-start_on").fill(day.isoformat())
    agency_page.get_by_role("button", name="Gi tilsagn").click()
    assert agency_page.get_by_text("Tilsagnet er gitt.").is_visible()
    agency_page.locator("#id_start-start_meeting_on").fill(day.isoformat())
    agency_page.locator("#id_start-starts_on").fill(day.isoformat())
    agency_page.locator("#id_start-ends_on").fill((day + timedelta(days=120)).isoformat())
    agency_page.locator("#id_start-evaluation_on").fill((day + timedelta(days=60)).isoformat())
    agency_page.get_by_role("button", name="Start", exact=True).click()
    assert agency_page.get_by_text("Oppdraget har startet.").is_visible()
    check_accessible(agency_page)

    page.goto(referral_url)
    assert page.get_by_text("Oppdrag startet").first.is_visible()

    agency_page.locator("#id_report-kind").select_option("evaluation")
    agency_page.locator("#id_report-written_on").fill(day.isoformat())
    agency_page.locator("#id_report-text").fill("Færre konflikter hjemme etter fire uker.")
    agency_page.get_by_role("button", name="Send", exact=True).click()
    assert agency_page.get_by_text("Rapporten er sendt").is_visible()
    page.goto(referral_url)
    assert page.get_by_text("Færre konflikter hjemme etter fire uker.").is_visible()

    agency_page.locator("#id_report-kind").select_option("final")
    agency_page.locator("#id_report-written_on").fill(day.isoformat())
    agency_page.locator("#id_report-text").fill("Målene er nådd; tiltaket avsluttes.")
    agency_page.get_by_role("button", name="Send", exact=True).click()
    page.goto(referral_url)
    assert page.get_by_text("Målene er nådd; tiltaket avsluttes.").is_visible()
    assert page.get_by_text("Fullført").first.is_visible()
    check_accessible(page)
    agency_context.close()
