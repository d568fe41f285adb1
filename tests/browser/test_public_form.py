"""The public report-of-concern form in a real browser, without login: a professional reports three
children, a private person reports anonymously; each gets the receipt with the reference, and intake
and the caseworker then see on the report and the case what was typed (never an invented birth date).
axe-core checks the form, its error state, the receipt and the pages that show the report."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest

from tests.browser.conftest import check_accessible, enrol, login
from tests.conftest import staff_of
from vern.cases.services import case_assign
from vern.core.models import District, Municipality, Unit, User
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


@pytest.fixture
def staff(bergenhus: Unit) -> dict[str, User]:
    return staff_of(bergenhus)


@pytest.fixture
def as_user(browser: Any, live_server: Any) -> Iterator[Any]:
    """A page in its own browser, logged in as a user through both factors."""
    contexts = []

    def open_as(user: User) -> Any:
        context = browser.new_context(locale="en-US", timezone_id="Europe/Oslo")
        contexts.append(context)
        page = context.new_page()
        login(page, live_server.url, user, enrol(user))
        return page

    yield open_as
    for context in contexts:
        context.close()


def _fill(where: Any, fields: dict[str, str]) -> None:
    for label, value in fields.items():
        where.get_by_label(label).fill(value)


def _child(page: Any, n: int) -> Any:
    return page.locator("fieldset", has=page.get_by_text(re.compile(rf"^Barn {n}( |$)")))


def _report_and_case(
    report: ConcernReport, staff: dict[str, User], as_user: Any, base: str
) -> tuple[Any, Any]:
    """The report as intake sees it, and the case as its caseworker sees it, both checked by axe."""
    intake = as_user(staff["intake"])
    intake.goto(f"{base}/meldinger/{report.pk}/")
    check_accessible(intake)
    case_assign(case=report.case, caseworker=staff["caseworker"], by=staff["leader"])
    caseworker = as_user(staff["caseworker"])
    caseworker.goto(f"{base}/saker/{report.case_id}/")
    check_accessible(caseworker)
    return intake, caseworker


def test_professional_reports_a_concern_without_logging_in(
    live_server: Any, page: Any, bergenhus: Unit, staff: dict[str, User], as_user: Any
) -> None:
    page.goto(f"{live_server.url}/bekymringsmelding/")
    assert page.get_by_role("heading", name="Meld bekymring for et barn").is_visible()
    check_accessible(page)

    # Sent without what a professional must give, and anonymous: errors in Norwegian, nothing stored.
    page.get_by_label("i jobben min (med opplysningsplikt)").check()
    page.get_by_label("Kommunen der barnet bor").select_option("4601-02")
    page.get_by_label("Navnet ditt").fill("Lise Lærer")
    page.get_by_label("Jeg vil være anonym").check()
    page.get_by_label("Hva er du bekymret for?").fill("Eleven sier at det er mye krangling og slag hjemme.")
    page.get_by_role("button", name="Send meldingen").click()
    page.get_by_text("Oppgi e-postadressen din på jobb.").wait_for()
    assert page.get_by_text("En melding du sender i jobben din, kan ikke være anonym.").is_visible()
    assert page.get_by_text("Meldingen er ikke sendt ennå.").is_visible()
    assert not InboundMessage.objects.exists()
    check_accessible(page)

    page.get_by_label("Jeg vil være anonym").uncheck()
    page.get_by_label("Tjenesten du jobber i").select_option(label="Skole eller SFO")
    _fill(
        page,
        {
            "Telefonnummeret ditt": "55 55 55 55",
            "Din e-postadresse (jobb)": "lise@skole.no",
            "Din rolle (for eksempel lærer, helsesykepleier)": "Kontaktlærer",
            "Arbeidsstedets adresse": "Skolegaten 1, 5003 Bergen",
            "Hva har skjedd, og siden når?": "Siden jul.",
        },
    )
    page.get_by_label("Arbeidssted", exact=True).fill("Bergenhus skole")
    children = {
        1: {
            "Barnets navn": "Nora Nordmann",
            "Fødselsnummer (hvis du vet det)": "28071364498",
            "Fødselsdato (hvis du vet den)": "2013-07-28",
            "Hvordan du kjenner barnet": "Elev i klassen min",
            "Hvis ikke: hvorfor ikke": "Barnet er redd.",
        },
        2: {
            "Barnets navn": "Jonas Nordmann",
            "Omtrentlig alder, hvis du ikke vet fødselsdatoen": "6",
            "Hvordan du kjenner barnet": "Lillebror til eleven",
        },
        3: {"Barnets navn": "Ida Nordmann", "Fødselsdato (hvis du vet den)": "2019-05-17"},
    }
    for n, fields in children.items():
        _fill(_child(page, n), fields | {"Barnets adresse": "Rådhusgaten 10"})
        _child(page, n).get_by_label("Vet barnet at du melder?").select_option("yes" if n == 2 else "no")
    guardian = page.locator("fieldset", has=page.get_by_text("Forelder eller foresatt 1", exact=True))
    guardian.get_by_label("Navnet til forelder eller foresatt").fill("Per Nordmann")
    guardian.get_by_label("Relasjon til barnet").select_option(label="Far")
    guardian.get_by_label("Vet forelderen at du melder?").select_option("no")
    page.get_by_role("button", name="Send meldingen").click()
    page.get_by_role("heading", name="Meldingen din er mottatt").wait_for()
    check_accessible(page)

    stored = InboundMessage.objects.get()
    assert stored.reference in page.content()
    assert ConcernReport.objects.filter(message=stored).count() == 3

    jonas = ConcernReport.objects.get(case__child__first_name="Jonas")
    intake, caseworker = _report_and_case(jonas, staff, as_user, live_server.url)
    facts = intake.locator("dl").first.inner_text()
    assert "Melder\nSkole" in facts  # the reporter code in words, not "Mangler"
    assert "fødselsdato ukjent, omtrent 6 år ifølge meldingen" in facts
    message = intake.get_by_role("region", name=re.compile("Den digitale meldingen")).inner_text()
    for typed in (
        "Kontaktlærer",
        "Skole eller SFO",
        "lise@skole.no",
        "Lillebror til eleven",
        "17.05.2019",
        "Far",
    ):
        assert typed in message, typed
    child = caseworker.get_by_role("region", name="Barnet", exact=True).inner_text()
    assert "ukjent, omtrent 6 år ifølge meldingen" in child
    assert "01.07." not in child  # never the stand-in date
    parties = caseworker.get_by_role("region", name="Parter").first.inner_text()
    assert "Per Nordmann" in parties
    assert "far" in parties

    nora = ConcernReport.objects.get(case__child__first_name="Nora")
    _intake, caseworker = _report_and_case(nora, staff, as_user, live_server.url)
    assert "28.07.2013" in caseworker.get_by_role("region", name="Barnet", exact=True).inner_text()


def test_private_person_reports_anonymously(
    live_server: Any, page: Any, bergenhus: Unit, staff: dict[str, User], as_user: Any
) -> None:
    page.goto(f"{live_server.url}/bekymringsmelding/")
    assert page.get_by_text("Bare privatpersoner kan være anonyme.").is_visible()
    page.get_by_label("som privatperson").check()
    page.get_by_label("Kommunen der barnet bor").select_option("4601-02")
    page.get_by_label("Jeg vil være anonym").check()
    page.get_by_label("Navnet ditt").fill("Tove Tante")  # anonymous and named: she must choose
    child = {
        "Barnets navn": "Emil Hansen",
        "Barnets adresse": "Blokk 3, Rådhusgaten",
        "Hvordan du kjenner barnet": "Bor i samme oppgang",
    }
    _fill(_child(page, 1), child)
    page.get_by_label("Hva er du bekymret for?").fill("Gutten er ofte alene ute sent om kvelden.")
    page.get_by_role("button", name="Send meldingen").click()
    page.get_by_text("Du har valgt å være anonym.").wait_for()
    assert not InboundMessage.objects.exists()
    check_accessible(page)

    page.get_by_label("Navnet ditt").fill("")
    page.get_by_role("button", name="Send meldingen").click()
    page.get_by_role("heading", name="Meldingen din er mottatt").wait_for()
    assert page.get_by_text("Du meldte anonymt").is_visible()
    check_accessible(page)

    report = ConcernReport.objects.get()
    intake, caseworker = _report_and_case(report, staff, as_user, live_server.url)
    facts = intake.locator("dl").first.inner_text()
    assert "Melder\nAnonym" in facts
    assert "fødselsdato ukjent" in facts
    message = intake.get_by_role("region", name=re.compile("Den digitale meldingen")).inner_text()
    assert "Anonym" in message
    assert "Bor i samme oppgang" in message
    child = caseworker.get_by_role("region", name="Barnet", exact=True).inner_text()
    assert "Emil Hansen" in child
    assert re.search(r"Fødselsdato\s+ukjent", child)
