"""The control in the interface: a case's findings with links, a unit's counts per rule, who may see."""

from __future__ import annotations

from datetime import date

import pytest

from tests.conftest import ReportFactory, child_facts, logged_in
from vern.cases.models import Case
from vern.core.codes import CodedEntry
from vern.core.models import User
from vern.intake.services import review_conclude
from vern.investigations.services import (
    investigation_conclude,
    investigation_open,
    investigation_record_participation,
)
from vern.measures.models import Measure
from vern.register.models import ControlRun

pytestmark = pytest.mark.django_db


def test_a_caseworker_sees_the_findings_of_a_case_with_where_to_fix_them(
    full_case: Case, caseworker: User
) -> None:
    response = logged_in(caseworker).get(f"/saker/{full_case.pk}/register/")
    assert response.status_code == 200
    text = response.content.decode()
    assert "Avgiver 1" in text  # Bergen reports per district
    assert "Ikke rapportert til registeret ennå." in text


def test_a_finding_links_to_the_item(make_report: ReportFactory, caseworker: User) -> None:
    """A concluded investigation with no decision yet (Undersøkelse 21) links to the investigation."""
    report = make_report(received_on=date(2026, 3, 2), contents=("1.1.01",))
    review_conclude(report=report, by=caseworker, concluded_on=date(2026, 3, 4), conclusion="2")
    investigation = investigation_open(report=report, by=caseworker)
    investigation_record_participation(
        investigation=investigation, by=caseworker, code="1.1", recorded_on=date(2026, 3, 10)
    )
    investigation_conclude(
        investigation=investigation,
        by=caseworker,
        concluded_on=date(2026, 4, 1),
        conclusion="1",
        basis=[CodedEntry("1.1.01")],
    )
    text = logged_in(caseworker).get(f"/saker/{report.case_id}/register/").content.decode()
    assert "Undersøkelse 21" in text
    assert f'href="/undersokelser/{investigation.pk}/"' in text


def test_a_schema_error_is_a_norwegian_sentence_linking_to_the_item(
    full_case: Case, caseworker: User
) -> None:
    """A measure kept with a heading of the category list (as imported data or an older Vern could
    have it) breaks the XSD: the finding names the field in words and links to the measure."""
    measure = Measure.objects.get(case=full_case)
    Measure.objects.filter(pk=measure.pk).update(category="3")
    text = logged_in(caseworker).get(f"/saker/{full_case.pk}/register/").content.decode()
    assert "Koden for kategorien kan ikke ha verdien «3»: registeret godtar den ikke." in text
    assert f'<a class="ds-link" href="/tiltak/{measure.pk}/">Gå til tiltaket</a>' in text
    for english in ("Element", "attribute", "facet", "XSD ("):
        assert english not in text
    assert "Innholdet følger ikke registerets filbeskrivelse" in text


def test_outsiders_see_nothing(full_case: Case, outsider: User) -> None:
    assert logged_in(outsider).get(f"/saker/{full_case.pk}/register/").status_code == 404


def test_a_leader_runs_the_control_and_sees_counts_per_rule(
    full_case: Case, make_report: ReportFactory, leader: User
) -> None:
    make_report(received_on=date(2026, 11, 1), child=child_facts(birth=date(2001, 5, 5)))
    client = logged_in(leader)
    page = client.get("/enhet/register/")
    assert page.status_code == 200
    assert "Kontrollen er ikke kjørt for denne enheten ennå." in page.content.decode()
    response = client.post("/enhet/register/")
    assert response.status_code == 302
    run = ControlRun.objects.get()
    assert run.case_count == 2
    assert run.results["Avgiver 1"]["count"] == 2
    assert run.results["Sak 8"]["severity"] == "ERROR"
    page = client.get(response["Location"]).content.decode()
    assert "Sak 8: Klient over 18 år skal ha tiltak" in page


def test_only_leaders_run_it_and_caseworkers_do_not_see_the_unit_page(
    full_case: Case, caseworker: User, auditor: User
) -> None:
    assert logged_in(caseworker).get("/enhet/register/").status_code == 404
    auditors = logged_in(auditor)
    assert auditors.get("/enhet/register/").status_code == 200
    assert auditors.post("/enhet/register/").status_code == 404
    assert not ControlRun.objects.exists()
