"""The public report-of-concern form in a real browser, without login: a professional reports two
children, the receipt page gives the reference, and intake finds the report; axe-core checks the
form, its error state and the receipt."""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.browser.conftest import check_accessible
from vern.core.models import District, Municipality, Unit
from vern.intake.models import ConcernReport, InboundMessage

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def bergenhus(db: None) -> Unit:
    bergen = Municipality.objects.create(number="4601", name="Bergen", organisation_number="964338531")
    district = District.objects.create(municipality=bergen, number="02", name="Bergenhus")
    unit = Unit.objects.create(
        name="Barneverntjenesten Bergenhus", host_municipality=bergen, district=district
    )
    unit.municipalities.add(bergen)
    return unit


def test_professional_reports_a_concern_without_logging_in(
    live_server: Any, page: Any, bergenhus: Unit
) -> None:
    page.goto(f"{live_server.url}/bekymringsmelding/")
    assert page.get_by_role("heading", name="Meld bekymring for et barn").is_visible()
    check_accessible(page)

    # Sent without what a professional must give: errors in Norwegian, nothing stored.
    page.get_by_label("i jobben min (med opplysningsplikt)").check()
    page.get_by_label("Kommunen der barnet bor").select_option("4601-02")
    page.get_by_label("Navnet ditt").fill("Lise Lærer")
    page.get_by_label("Hva er du bekymret for?").fill("Eleven sier at det er mye krangling og slag hjemme.")
    page.get_by_role("button", name="Send meldingen").click()
    page.get_by_text("Oppgi e-postadressen din på jobb.").wait_for()
    assert not InboundMessage.objects.exists()
    check_accessible(page)

    page.get_by_label("Telefonnummeret ditt").fill("55 55 55 55")
    page.get_by_label("Din e-postadresse (jobb)").fill("lise@skole.no")
    page.get_by_label("Din rolle (for eksempel lærer, helsesykepleier)").fill("Kontaktlærer")
    page.get_by_label("Arbeidssted", exact=True).fill("Bergenhus skole")
    page.get_by_label("Arbeidsstedets adresse").fill("Skolegaten 1, 5003 Bergen")
    page.get_by_label("Hva har skjedd, og siden når?").fill("Siden jul.")
    children = page.locator("fieldset", has=page.get_by_text("Barn 1", exact=True))
    children.get_by_label("Barnets navn").fill("Nora Nordmann")
    children.get_by_label("Fødselsnummer (hvis du vet det)").fill("28071364498")
    children.get_by_label("Barnets adresse").fill("Rådhusgaten 10")
    children.get_by_label("Vet barnet at du melder?").select_option("no")
    children.get_by_label("Hvis ikke: hvorfor ikke").fill("Barnet er redd.")
    second = page.locator("fieldset", has=page.get_by_text(re.compile(r"^Barn 2")))
    second.get_by_label("Barnets navn").fill("Jonas Nordmann")
    second.get_by_label("Omtrentlig alder").fill("6")
    second.get_by_label("Barnets adresse").fill("Rådhusgaten 10")
    guardian = page.locator("fieldset", has=page.get_by_text("Forelder eller foresatt 1", exact=True))
    guardian.get_by_label("Navnet til forelder eller foresatt").fill("Per Nordmann")
    page.get_by_role("button", name="Send meldingen").click()
    page.get_by_role("heading", name="Meldingen din er mottatt").wait_for()
    check_accessible(page)

    stored = InboundMessage.objects.get()
    assert stored.reference in page.content()
    assert ConcernReport.objects.filter(message=stored).count() == 2
