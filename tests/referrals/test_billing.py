"""Statements from what was delivered: days × day price, hours × hour price, assignments × price."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from tests.conftest import logged_in, make_user
from vern.cases.models import Case
from vern.core.dates import today
from vern.core.models import Role, Unit, User
from vern.referrals import billing, services
from vern.referrals.models import Assignment, CatalogueEntry, Referral
from vern.reports.indicators import month

pytestmark = pytest.mark.django_db


def started(
    case: Case, entry: CatalogueEntry, by: User, provider_user: User, *, start: date, end: date
) -> Assignment:
    referral = services.referral_order(case=case, entry=entry, by=by, need="Behov.", contact="Kari")
    services.referral_offer(referral=referral, by=provider_user, start_on=today())
    assignment = services.assignment_start(
        referral=referral,
        by=provider_user,
        start_meeting_on=today(),
        starts_on=today(),
        ends_on=today(),
        evaluation_on=today(),
        hours_per_month=10 if entry.capacity_unit == "hours_per_month" else None,
    )
    Assignment.objects.filter(pk=assignment.pk).update(starts_on=start, ends_on=end, evaluation_on=start)
    assignment.refresh_from_db()
    return assignment


def test_days_are_billed_at_the_price_the_assignment_started_with(
    teen_case: Case, mst: CatalogueEntry, caseworker: User, agency_intake: User
) -> None:
    started(teen_case, mst, caseworker, agency_intake, start=date(2025, 1, 10), end=date(2025, 3, 15))
    # A later price change does not reach the running assignment.
    mst.price = Decimal("2000.00")
    mst.save()
    [january] = billing.lines(month(2025, 1), provider_ids=[mst.provider_id])
    assert (january.quantity, january.price, january.amount) == (
        Decimal(22),
        Decimal("1450.00"),
        Decimal("31900.00"),
    )
    [march] = billing.lines(month(2025, 3), provider_ids=[mst.provider_id])
    assert march.quantity == 15
    assert billing.lines(month(2025, 4), provider_ids=[mst.provider_id]) == []


def test_hours_and_assignment_prices(
    teen_case: Case, mst: CatalogueEntry, caseworker: User, agency_intake: User
) -> None:
    hourly = CatalogueEntry.objects.create(
        provider=mst.provider, name="Hjemmekonsulent", method="home_consultant", kind="compensating",
        target_group="Familier", age_from=0, age_to=17, category="3.10", capacity=100,
        capacity_unit="hours_per_month", price=Decimal("800.00"), price_unit="hour",
        evidence_level="grounded",
    )  # fmt: skip
    conference = CatalogueEntry.objects.create(
        provider=mst.provider, name="Familieråd", method="family_group_conference", kind="structuring",
        target_group="Familier", age_from=0, age_to=23, category="6.1", capacity=4, capacity_unit="places",
        price=Decimal("18000.00"), price_unit="assignment", evidence_level="probable",
    )  # fmt: skip
    home = started(
        teen_case, hourly, caseworker, agency_intake, start=date(2025, 2, 3), end=date(2025, 6, 30)
    )
    started(teen_case, conference, caseworker, agency_intake, start=date(2025, 2, 20), end=date(2025, 4, 1))
    services.hours_record(assignment=home, by=agency_intake, month=date(2025, 2, 1), hours=Decimal("12.5"))
    with pytest.raises(ValidationError):
        services.hours_record(assignment=home, by=agency_intake, month=date(2025, 1, 1), hours=Decimal(3))
    february = {
        ln.measure: ln.amount for ln in billing.lines(month(2025, 2), ordering_ids=[teen_case.unit_id])
    }
    assert february == {"Hjemmekonsulent": Decimal("10000.00"), "Familieråd": Decimal("18000.00")}
    # March: no hours recorded yet, and the conference was billed when it started.
    assert billing.lines(month(2025, 3), ordering_ids=[teen_case.unit_id]) == []


def test_the_statement_page_and_the_budget(
    *, teen_case: Case, mst: CatalogueEntry, caseworker: User, agency_intake: User, agency: Unit, leader: User
) -> None:
    started(teen_case, mst, caseworker, agency_intake, start=date(2025, 1, 10), end=date(2025, 3, 15))
    boss = make_user("etatsleder", agency, Role.LEADER)
    page = logged_in(boss).get(f"/tilbyder/fakturagrunnlag/?enhet={agency.pk}&maned=2025-01")
    assert "31\u00a0900,0" in page.content.decode()
    csv_text = (
        logged_in(boss).get("/tilbyder/fakturagrunnlag/?maned=2025-01&format=csv").content.decode("utf-8-sig")
    )
    assert "31900,00" in csv_text
    assert logged_in(caseworker).get("/tilbyder/fakturagrunnlag/").status_code == 404
    client = logged_in(leader)
    assert (
        client.post(
            "/enhet/tiltakskostnader/?ar=2025", {"form": "budget", "budget-amount": "100000"}
        ).status_code
        == 302
    )
    costs = billing.year_costs(teen_case.unit_id, 2025)
    assert costs.total == Decimal("31900.00") + 28 * Decimal("1450.00") + 15 * Decimal("1450.00")
    assert costs.left == Decimal(100000) - costs.total
    assert Referral.objects.get().ordering_unit == teen_case.unit


def test_money_is_written_the_norwegian_way_on_every_page(
    *, teen_case: Case, mst: CatalogueEntry, caseworker: User, agency_intake: User, agency: Unit, leader: User
) -> None:
    """ "31 900,00 kr" on the statement, the costs page and the catalogues; never "31900.00" or "31900,00"."""
    started(teen_case, mst, caseworker, agency_intake, start=date(2025, 1, 10), end=date(2025, 3, 15))
    logged_in(leader).post("/enhet/tiltakskostnader/?ar=2025", {"form": "budget", "budget-amount": "250000"})
    boss = make_user("etatsleder", agency, Role.LEADER)
    nbsp = "\u00a0"
    pages = {
        "statement": logged_in(boss).get(f"/tilbyder/fakturagrunnlag/?enhet={agency.pk}&maned=2025-01"),
        "costs": logged_in(leader).get("/enhet/tiltakskostnader/?ar=2025"),
        "provider catalogue": logged_in(boss).get(f"/tilbyder/tiltak/?enhet={agency.pk}"),
        "catalogue": logged_in(caseworker).get("/tiltaksvifte/"),
    }
    expected = {
        "statement": [f"1{nbsp}450,00{nbsp}kr", f"31{nbsp}900,00{nbsp}kr"],
        "costs": [f"31{nbsp}900,00{nbsp}kr", f"250{nbsp}000,00{nbsp}kr"],
        "provider catalogue": [f"1{nbsp}450,00{nbsp}kr"],
        "catalogue": [f"1{nbsp}450,00{nbsp}kr"],
    }
    for name, response in pages.items():
        html = response.content.decode()
        assert response.status_code == 200, name
        for text in expected[name]:
            assert text in html, (name, text)
        for wrong in ("31900.00", "31900,00", "1450.00", "1450,00", "31 900,0<"):
            assert wrong not in html, (name, wrong)
