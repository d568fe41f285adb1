"""Both tiers' pages: what each side sees of a referral, and who sees nothing."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.conftest import ReportFactory, child_facts, logged_in, make_user
from vern.cases.models import Case
from vern.core.dates import today
from vern.core.models import Role, Unit, User
from vern.referrals import services
from vern.referrals.models import CatalogueEntry, Referral

pytestmark = pytest.mark.django_db


def order(case: Case, entry: CatalogueEntry, by: User) -> Referral:
    return services.referral_order(
        case=case, entry=entry, by=by, need="Trenger MST for sinneutbrudd.", contact="Kari"
    )


def test_the_catalogue_shows_free_capacity_and_searches(
    caseworker: User, mst: CatalogueEntry, teen_case: Case
) -> None:
    client = logged_in(caseworker)
    page = client.get(f"/tiltaksvifte/?sak={teen_case.pk}&q=atferd&age=14").content.decode()
    assert "MST-team Øst" in page
    assert "2 plasser" in page
    assert f"/saker/{teen_case.pk}/henvisninger/ny/{mst.pk}/" in page
    assert "MST-team Øst" not in client.get("/tiltaksvifte/?age=8").content.decode()


def test_ordering_from_the_case_reaches_the_providers_intake(
    caseworker: User, agency_intake: User, mst: CatalogueEntry, teen_case: Case
) -> None:
    url = f"/saker/{teen_case.pk}/henvisninger/ny/{mst.pk}/"
    response = logged_in(caseworker).post(
        url, {"need": "Sinne og skolefravær.", "contact": "Kari, 900 00 000"}
    )
    referral = Referral.objects.get()
    assert response.status_code == 302
    intake_page = logged_in(agency_intake).get("/tilbyder/henvisninger/").content.decode()
    assert f"/henvisninger/{referral.pk}/" in intake_page
    assert teen_case.unit.name in intake_page
    assert "<title>Henvisninger mottatt – Vern</title>" in intake_page  # the title is only the title


def test_a_bad_order_gets_an_error_and_saves_nothing(
    caseworker: User, mst: CatalogueEntry, teen_case: Case
) -> None:
    response = logged_in(caseworker).post(
        f"/saker/{teen_case.pk}/henvisninger/ny/{mst.pk}/", {"need": " ", "contact": ""}
    )
    assert response.status_code == 400
    assert not Referral.objects.exists()


def test_the_provider_sees_the_referral_but_not_the_case(
    caseworker: User, agency_intake: User, mst: CatalogueEntry, teen_case: Case
) -> None:
    referral = order(teen_case, mst, caseworker)
    provider = logged_in(agency_intake)
    page = provider.get(f"/henvisninger/{referral.pk}/").content.decode()
    assert "Trenger MST for sinneutbrudd." in page
    assert teen_case.journal_number not in page
    assert f"/saker/{teen_case.pk}/" not in page
    assert provider.get(f"/saker/{teen_case.pk}/").status_code == 404
    # The ordering side sees the same status, with the case.
    mine = logged_in(caseworker).get(f"/henvisninger/{referral.pk}/").content.decode()
    assert teen_case.journal_number in mine


def test_each_side_uses_only_its_own_steps(
    caseworker: User, agency_intake: User, mst: CatalogueEntry, teen_case: Case
) -> None:
    referral = order(teen_case, mst, caseworker)
    url = f"/henvisninger/{referral.pk}/"
    # The ordering caseworker cannot answer for the provider; the provider cannot withdraw.
    assert (
        logged_in(caseworker).post(url, {"form": "offer", "offer-start_on": today().isoformat()}).status_code
        == 404
    )
    assert logged_in(agency_intake).post(url, {"form": "withdraw", "withdraw-note": "Nei"}).status_code == 404
    response = logged_in(agency_intake).post(url, {"form": "offer", "offer-start_on": today().isoformat()})
    assert response.status_code == 302
    referral.refresh_from_db()
    assert referral.status == Referral.Status.OFFERED


def test_the_ordering_unit_does_not_see_the_providers_other_clients(
    caseworker: User, mst: CatalogueEntry, teen_case: Case, other_unit: Unit, make_report: ReportFactory
) -> None:
    elsewhere = make_user("annen", other_unit, Role.CASEWORKER)
    other = make_report(child=child_facts(birth=today() - timedelta(days=14 * 365)), by=caseworker).case
    other.unit = other_unit
    other.save()
    theirs = order(other, mst, elsewhere)
    assert logged_in(caseworker).get(f"/henvisninger/{theirs.pk}/").status_code == 404
    assert logged_in(caseworker).get("/tilbyder/henvisninger/").status_code == 404


def test_outsiders_see_nothing(
    outsider: User, caseworker: User, mst: CatalogueEntry, teen_case: Case
) -> None:
    referral = order(teen_case, mst, caseworker)
    client = logged_in(outsider)
    assert client.get(f"/henvisninger/{referral.pk}/").status_code == 404
    assert client.get(f"/saker/{teen_case.pk}/henvisninger/ny/{mst.pk}/").status_code == 404


def test_a_providers_leader_publishes_and_changes_a_measure(
    agency: Unit, agency_intake: User, caseworker: User
) -> None:
    boss = make_user("etatsleder", agency, Role.LEADER)
    client = logged_in(boss)
    fields = {
        "form": "add",
        "add-name": "PMTO-terapeuter",
        "add-method": "pmto",
        "add-kind": "structuring",
        "add-target_group": "Foreldre til barn 3–12 år med atferdsvansker",
        "add-age_from": "3",
        "add-age_to": "12",
        "add-category": "3.2",
        "add-capacity": "30",
        "add-capacity_unit": "places",
        "add-price": "1200",
        "add-price_unit": "hour",
        "add-evidence_level": "documented",
    }
    bad = client.post("/tilbyder/tiltak/", {**fields, "add-age_from": "13"})
    assert bad.status_code == 400
    assert not CatalogueEntry.objects.exists()
    assert client.post("/tilbyder/tiltak/", fields).status_code == 302
    entry = CatalogueEntry.objects.get()
    assert (entry.provider, entry.category, entry.capacity) == (agency, "3.2", 30)
    change = {"form": "change", "change-entry": entry.pk, "change-capacity": "25", "change-price": "1250"}
    assert client.post("/tilbyder/tiltak/", change).status_code == 302
    entry.refresh_from_db()
    assert (entry.capacity, entry.active) == (25, False)
    # Withdrawn from the catalogue: no service finds it.
    assert "PMTO-terapeuter" not in logged_in(caseworker).get("/tiltaksvifte/").content.decode()
    # Intake reads referrals but does not publish measures.
    assert logged_in(agency_intake).post("/tilbyder/tiltak/", fields).status_code == 404
