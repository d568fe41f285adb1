"""A placement in a real browser: after an investigation the caseworker decides on a foster-home
placement, a leader approves it, the caseworker starts the placement, makes a care plan, records a
follow-up visit; the worklist shows the next visit due and a late plan evaluation, and the chronology
lists it all. axe-core checks every page on the way."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest

from tests.browser.conftest import check_accessible, enrol, login
from tests.conftest import ReportFactory, child_facts, make_user
from vern.core.codes import CodedEntry
from vern.core.dates import today
from vern.core.models import Role, Unit, User
from vern.decisions.models import Decision
from vern.decisions.services import approval_rule_add
from vern.intake.services import review_conclude
from vern.investigations.services import (
    investigation_conclude,
    investigation_open,
    investigation_record_participation,
)
from vern.measures.models import Measure, Plan, Visit
from vern.rules.deadlines import add_months

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_placement_approval_care_plan_visits_and_chronology(
    *, live_server: Any, browser: Any, page: Any, unit: Unit, caseworker: User, make_report: ReportFactory
) -> None:
    base = live_server.url
    leader = make_user("leder", unit, Role.LEADER)
    approval_rule_add(unit=unit, by=leader, law="BVL2021", chapter="5", added_on=date(2024, 1, 1))
    received = today() - timedelta(days=200)
    report = make_report(received_on=received, child=child_facts(birth=date(2016, 4, 2), first="Ida"))
    review_conclude(report=report, by=caseworker, concluded_on=received + timedelta(days=3), conclusion="2")
    inv = investigation_open(report=report, by=caseworker)
    investigation_record_participation(
        investigation=inv, by=caseworker, code="1.1", recorded_on=inv.started_on
    )
    investigation_conclude(
        investigation=inv,
        by=caseworker,
        concluded_on=inv.started_on + timedelta(days=60),
        conclusion="1",
        basis=[CodedEntry("1.1.01")],
    )
    case = report.case

    # The caseworker decides on a care order with a foster-home placement.
    login(page, base, caseworker, enrol(caseworker))
    page.goto(f"{base}/saker/{case.pk}/")
    check_accessible(page)
    page.get_by_role("link", name="Fatt vedtak etter undersøkelsen").click()
    check_accessible(page)
    page.get_by_label("Vedtaksdato").fill((today() - timedelta(days=100)).isoformat())
    page.get_by_label("Kapittel").fill("5")
    page.get_by_label("Paragraf").fill("1")
    page.get_by_label("Hva som er vedtatt").fill("Omsorgsovertakelse med plassering i fosterhjem.")
    page.get_by_label("Barnets synspunkter og hvilken vekt de er gitt").fill(
        "Ida vil bo hos besteforeldrene."
    )
    page.get_by_role("button", name="Registrer vedtak").click()
    page.get_by_text("Vedtaket er registrert.").wait_for()
    assert page.get_by_text("Venter på godkjenning av leder").is_visible()
    check_accessible(page)
    decision = Decision.objects.get(case=case)
    assert not decision.in_force

    # The leader approves it, from the deadline overview.
    leader_context = browser.new_context(locale="en-US", timezone_id="Europe/Oslo")
    boss = leader_context.new_page()
    login(boss, base, leader, enrol(leader))
    boss.goto(f"{base}/frister/enhet/")
    check_accessible(boss)
    boss.get_by_role("link", name=decision.legal_basis_text).click()
    boss.get_by_label("Kommentar").fill("Godkjent etter drøfting.")
    boss.get_by_role("button", name="Godkjenn").click()
    boss.get_by_text("Vedtaket er godkjent.").wait_for()
    check_accessible(boss)
    # The leader runs the register's control for the unit and sees counts per rule.
    boss.get_by_role("link", name="Registerkontroll").click()
    check_accessible(boss)
    boss.get_by_role("button", name="Kjør kontrollen nå").click()
    boss.get_by_text("Kontrollen er kjørt for 1 saker.").wait_for()
    assert boss.get_by_role("table").first.is_visible()
    check_accessible(boss)
    leader_context.close()
    decision.refresh_from_db()
    assert decision.in_force

    # The caseworker starts the placement under the approved decision.
    page.reload()
    page.get_by_role("link", name="Start et tiltak etter dette vedtaket").click()
    check_accessible(page)
    page.get_by_label("Kategori").select_option("2.2")
    page.get_by_label("Startdato").fill((today() - timedelta(days=100)).isoformat())
    page.get_by_role("button", name="Start tiltaket").click()
    page.get_by_text("Tiltaket er startet.").wait_for()
    check_accessible(page)
    measure = Measure.objects.get(case=case)
    assert measure.care_order

    # A follow-up visit, a month ago.
    visit_day = today() - timedelta(days=30)
    page.get_by_label("Type besøk").first.select_option("follow_up")
    page.locator("#id_visit-visited_on").fill(visit_day.isoformat())
    page.get_by_role("button", name="Lagre").first.click()
    page.get_by_text("Besøket er registrert.").wait_for()
    assert Visit.objects.filter(measure=measure, visited_on=visit_day).exists()
    check_accessible(page)

    # Before the care plan, the worklist says it is missing; then the plans are made.
    page.goto(f"{base}/frister/")
    assert page.get_by_role("link", name="Omsorgsplan mangler").is_visible()
    for plan_type, started, text in (
        ("4", today(), "Omsorgsplan"),
        ("1", today() - timedelta(days=120), "Tiltaksplan"),
    ):
        page.goto(f"{base}/saker/{case.pk}/planer/ny/")
        check_accessible(page)
        page.get_by_label("Plantype").select_option(plan_type)
        page.get_by_label("Gjelder fra").fill(started.isoformat())
        page.get_by_label("Planen").fill(text)
        if plan_type == "4":
            # Due when the care order started, 100 days ago: the reason for the breach is asked for.
            page.get_by_role("button", name="Lagre plan").click()
            page.get_by_text("Oppgi årsaken til at fristen ble brutt.").wait_for()
            assert not Plan.objects.filter(case=case).exists()
            page.get_by_label("Årsak til fristbrudd").select_option("capacity")
        page.get_by_role("button", name="Lagre plan").click()
        page.get_by_text("Planen er lagret.").wait_for()
        check_accessible(page)
    assert Plan.objects.filter(case=case).count() == 2

    # The worklist: the next follow-up visit three months after the last, and a late plan evaluation.
    page.goto(f"{base}/frister/")
    check_accessible(page)
    assert not page.get_by_role("link", name="Omsorgsplan mangler").is_visible()
    next_visit = page.get_by_role("row").filter(has=page.get_by_role("link", name="Oppfølgingsbesøk"))
    assert add_months(visit_day, 3).strftime("%d.%m.%Y") in next_visit.inner_text()
    overdue = page.locator("section", has=page.get_by_role("heading", name="Fristen er passert"))
    assert overdue.get_by_role("link", name="Evaluering av plan").is_visible()

    # The chronology tells the whole story, in time order.
    page.goto(f"{base}/saker/{case.pk}/kronologi/")
    check_accessible(page)
    story = page.get_by_role("table").inner_text()
    events = (
        "Bekymringsmelding mottatt",
        "Undersøkelse startet",
        "Undersøkelse konkludert",
        "Vedtak fattet: BVL2021 § 5-1",
        "Vedtaket er godkjent av",
        "Tiltak startet",
        "Oppfølgingsbesøk",
        "Plan laget: Omsorgsplan (§ 8-3)",
    )
    for event in events:
        assert event in story, event
    assert (
        story.index("Bekymringsmelding mottatt")
        < story.index("Vedtak fattet")
        < story.index("Tiltak startet")
    )
    page.get_by_label("Besøk og tilsyn").check()
    page.get_by_role("button", name="Filtrer").click()
    filtered = page.get_by_role("table").inner_text()
    assert "Oppfølgingsbesøk" in filtered
    assert "Vedtak fattet" not in filtered

    # What the register's rules say of the case, from the case page.
    page.goto(f"{base}/saker/{case.pk}/")
    page.get_by_role("link", name="Registerkontroll").click()
    page.get_by_role("heading", name="Registerkontroll").wait_for()
    check_accessible(page)
