"""The main menu per role and unit kind: exactly the links of the user's work, each of which opens."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from tests.conftest import logged_in, make_user
from tests.referrals.conftest import MST
from vern.core.models import Municipality, Role, Unit, User
from vern.referrals.models import CatalogueEntry

pytestmark = pytest.mark.django_db

NAV = re.compile(r'<nav aria-label="Hovedmeny">(.*?)</nav>', re.S)
LINK = re.compile(r'<a class="ds-link" href="([^"]+)"[^>]*>([^<]+)</a>')
SETTINGS = re.compile(r'<dl class="vern-facts">(.*?)</dl>', re.S)

MINE = ("Mine frister", "/frister/")
OVERVIEW = ("Fristoversikt", "/frister/enhet/")
INTAKE = ("Mottak", "/meldinger/")
QUARANTINE = ("Karantene", "/meldinger/karantene/")
REGISTER = ("Registrer melding", "/meldinger/ny/")
CASES = ("Saker", "/saker/")
CATALOGUE = ("Tiltaksvifte", "/tiltaksvifte/")
RECEIVED = ("Henvisninger mottatt", "/tilbyder/henvisninger/")
STATEMENTS = ("Fakturagrunnlag", "/tilbyder/fakturagrunnlag/")
REPORTS = ("Rapporter", "/enhet/rapporter/maned/")
CONTROL = ("Registerkontroll", "/enhet/register/")
SETTINGS_LINK = ("Innstillinger", "/enhet/innstillinger/")

SERVICE_MENUS = {
    "caseworker": [MINE, REGISTER, CASES, CATALOGUE],
    "intake": [INTAKE, QUARANTINE, REGISTER],
    "leader": [OVERVIEW, INTAKE, CASES, CATALOGUE, REPORTS, CONTROL, SETTINGS_LINK],
    "auditor": [OVERVIEW, CASES, REPORTS, CONTROL],
    "admin_user": [],
}


def menu(client: Client) -> list[tuple[str, str]]:
    """The main menu's (label, address) pairs on the user's first page."""
    page = client.get("/", follow=True)
    assert page.status_code == 200
    found = NAV.search(page.content.decode())
    return [(label, url) for url, label in LINK.findall(found.group(1))] if found else []


def assert_each_opens(client: Client, links: list[tuple[str, str]]) -> None:
    for label, url in links:
        assert client.get(url).status_code == 200, (label, url)


@pytest.fixture
def provider(municipality: Municipality) -> Unit:
    agency = Unit.objects.create(
        name="Barne- og familieetaten", kind=Unit.Kind.PROVIDER, host_municipality=municipality
    )
    publish(agency)
    return agency


def publish(unit: Unit) -> CatalogueEntry:
    return CatalogueEntry.objects.create(provider=unit, **MST)


@pytest.mark.parametrize("persona", sorted(SERVICE_MENUS))
def test_each_role_of_a_service_sees_the_menu_of_its_work(
    persona: str, request: pytest.FixtureRequest
) -> None:
    user: User = request.getfixturevalue(persona)
    client = logged_in(user)
    links = menu(client)
    assert links == SERVICE_MENUS[persona]
    assert_each_opens(client, links)


def test_the_providers_intake_and_leader_see_the_referrals_not_the_services_work(provider: Unit) -> None:
    intake = make_user("etatsmottak", provider, Role.INTAKE)
    leader = make_user("etatsleder", provider, Role.LEADER)
    worker = make_user("etatsarbeider", provider, Role.CASEWORKER)
    expected = {
        intake: [RECEIVED],
        worker: [RECEIVED],
        leader: [RECEIVED, STATEMENTS, SETTINGS_LINK],
    }
    for user, links in expected.items():
        client = logged_in(user)
        assert menu(client) == links, user.username
        assert_each_opens(client, links)


def test_in_a_service_that_publishes_measures_only_leaders_and_auditors_see_referrals_received(
    unit: Unit, caseworker: User, intake: User, leader: User, auditor: User
) -> None:
    publish(unit)
    assert RECEIVED not in menu(logged_in(caseworker))
    assert RECEIVED not in menu(logged_in(intake))
    for user in (leader, auditor):
        client = logged_in(user)
        links = menu(client)
        assert RECEIVED in links
        assert_each_opens(client, links)


def test_several_roles_and_units_give_the_union_once(unit: Unit, other_unit: Unit, provider: Unit) -> None:
    user = make_user("mange", unit, Role.CASEWORKER, Role.LEADER)
    make_user_membership(user, other_unit, Role.LEADER)
    make_user_membership(user, provider, Role.INTAKE)
    client = logged_in(user)
    links = menu(client)
    assert links == [
        MINE,
        OVERVIEW,
        INTAKE,
        REGISTER,
        CASES,
        CATALOGUE,
        RECEIVED,
        REPORTS,
        CONTROL,
        SETTINGS_LINK,
    ]
    assert_each_opens(client, links)


def make_user_membership(user: User, unit: Unit, role: str) -> None:
    user.memberships.create(unit=unit, role=role)


def settings_links(client: Client) -> list[tuple[str, str]]:
    page = client.get("/enhet/innstillinger/")
    assert page.status_code == 200
    found = SETTINGS.search(page.content.decode())
    assert found
    return [(label, url) for url, label in LINK.findall(found.group(1))]


def test_the_units_settings_are_on_one_page_per_unit_kind(leader: User, unit: Unit, provider: Unit) -> None:
    client = logged_in(leader)
    links = settings_links(client)
    assert [label for label, _url in links] == [
        "Delegering",
        "Tilsynsførere",
        "Evaluering av planer",
        "Befolkning",
        "Sammenligningsgrupper",
        "Våre tiltak",
    ]
    assert all(url.endswith(f"?enhet={unit.pk}") for _label, url in links)
    assert_each_opens(client, links)
    agency_leader = make_user("etatsleder", provider, Role.LEADER)
    agency = logged_in(agency_leader)
    assert [label for label, _url in settings_links(agency)] == ["Våre tiltak"]
    assert_each_opens(agency, settings_links(agency))


@pytest.mark.parametrize("persona", ["caseworker", "intake", "auditor", "admin_user"])
def test_only_leaders_open_the_settings(persona: str, request: pytest.FixtureRequest) -> None:
    assert logged_in(request.getfixturevalue(persona)).get("/enhet/innstillinger/").status_code == 404


def test_the_reports_group_links_visits_and_costs(leader: User, auditor: User, unit: Unit) -> None:
    tabs = re.compile(r'<nav aria-label="Rapporter">(.*?)</nav>', re.S)
    for user in (leader, auditor):
        client = logged_in(user)
        page = client.get("/enhet/rapporter/maned/").content.decode()
        found = tabs.search(page)
        assert found
        links = [(label, url) for url, label in LINK.findall(found.group(1))]
        assert [label for label, _url in links] == [
            "Månedsrapport",
            "Tilstandsrapport",
            "Variasjon mellom enheter",
            "Besøk i fosterhjem",
            "Tiltakskostnader",
        ]
        assert_each_opens(client, links)


def test_whoever_cannot_register_a_report_is_not_offered_the_form(
    auditor: User, admin_user: User, provider: Unit
) -> None:
    agency_intake = make_user("etatsmottak", provider, Role.INTAKE)
    for user in (auditor, admin_user, agency_intake):
        client = logged_in(user)
        assert REGISTER not in menu(client)
        assert client.get("/meldinger/ny/").status_code == 404, user.username
        assert client.post("/meldinger/ny/", {"text": "Bekymring"}).status_code == 404


def test_the_first_page_is_the_first_link_of_the_menu(leader: User, intake: User, provider: Unit) -> None:
    assert logged_in(leader).get("/").url == "/frister/enhet/"
    assert logged_in(intake).get("/").url == "/meldinger/"
    agency_intake = make_user("etatsmottak", provider, Role.INTAKE)
    assert logged_in(agency_intake).get("/").url == "/tilbyder/henvisninger/"
