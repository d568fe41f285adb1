"""Who reported, as the register's code: every choice of the public form gives its code, and a message
over HTTP or from a file gives the same code for the same words (one mapping, intake.digital.reporters)."""

from __future__ import annotations

import hashlib
import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client

from tests.intake.conftest import EXAMPLES, PRIVATE, form_data
from vern.cases.models import Party
from vern.core.codelists import paths
from vern.core.models import Code, Unit
from vern.intake.digital import messages, reporters
from vern.intake.digital.ingest import reporter_entry
from vern.intake.models import ConcernReport, IngestClient
from vern.rules.deadlines import PROFESSIONAL_REPORTER_CODES

pytestmark = pytest.mark.django_db

# Written out here, not read from the mapping: the test is what the register's code list says.
SERVICE_CODES = {
    "barnehage": "9",
    "skole": "11",
    "helsestasjon": "10",
    "lege": "24",
    "tannlege": "25",
    "ppt": "12",
    "bup": "13",
    "vop": "14",
    "rus": "17",
    "nav": "6",
    "politi": "8",
    "barneverntjeneste": "5",
    "barnevernvakt": "7",
    "familievern": "16",
    "krisesenter": "18",
    "utlendingsmyndighet": "19",
    "utekontakt": "20",
    "annen-offentlig": "22",
}
RELATION_CODES = {"barnet": "1", "forelder": "2", "familie": "3", "frivillig": "21", "annen": "4"}
GUARDIAN_RELATIONS = {
    "forelder": Party.Relation.PARENT,
    "mor": Party.Relation.MOTHER,
    "far": Party.Relation.FATHER,
    "verge": Party.Relation.GUARDIAN,
    "": Party.Relation.PARENT,
}


def _codes(report: ConcernReport) -> list[tuple[str, str]]:
    return list(report.reporters.values_list("code", "specification"))


def test_every_choice_of_the_form_is_tested_here() -> None:
    assert {c.key for c in reporters.SERVICES} == set(SERVICE_CODES)
    assert {c.key for c in reporters.RELATIONS} == set(RELATION_CODES)
    assert {c.key for c in reporters.GUARDIANS} | {""} == set(GUARDIAN_RELATIONS)


def test_codes_are_the_registers_and_professionals_are_owed_feedback(db: None) -> None:
    known = set(Code.objects.filter(list_path=paths.REPORTER).values_list("code", flat=True))
    for choice in (*reporters.SERVICES, *reporters.RELATIONS):
        assert set(choice.codes) <= known, choice
    # A professional is owed feedback (rules.deadlines); a private person is not.
    assert all(set(c.codes) <= PROFESSIONAL_REPORTER_CODES for c in reporters.SERVICES)
    assert not any(set(c.codes) & PROFESSIONAL_REPORTER_CODES for c in reporters.RELATIONS)
    assert {value for c in reporters.GUARDIANS for value in c.codes} <= set(Party.Relation.values)


@pytest.mark.parametrize(("service", "code"), sorted(SERVICE_CODES.items()))
def test_a_professionals_service_gives_its_reporter_code(bergenhus: Unit, service: str, code: str) -> None:
    response = Client().post("/bekymringsmelding/", form_data(**{"melder-service": service}))
    assert response.status_code == 302
    report = ConcernReport.objects.get()
    # Code 22 ("Andre offentlige instanser") needs a specification: the workplace.
    assert _codes(report) == [(code, "Bergenhus skole" if code == "22" else "")]
    assert report.owes_feedback


@pytest.mark.parametrize(("relation", "code"), sorted(RELATION_CODES.items()))
def test_a_private_persons_relation_gives_its_reporter_code(
    bergenhus: Unit, relation: str, code: str
) -> None:
    response = Client().post("/bekymringsmelding/", form_data(**PRIVATE | {"melder-relation": relation}))
    assert response.status_code == 302
    report = ConcernReport.objects.get()
    assert _codes(report) == [(code, "")]
    assert not report.owes_feedback


def test_an_anonymous_private_person_is_reporter_anonym(bergenhus: Unit) -> None:
    anonymous = PRIVATE | {
        "melder-anonymous": "on",
        "melder-name": "",
        "melder-phone": "",
        "melder-relation": "",
    }
    assert Client().post("/bekymringsmelding/", form_data(**anonymous)).status_code == 302
    report = ConcernReport.objects.get()
    assert _codes(report) == [("23", "")]
    assert not report.owes_feedback


@pytest.mark.parametrize(("choice", "relation"), sorted(GUARDIAN_RELATIONS.items()))
def test_a_parent_or_guardian_is_recorded_with_the_relation_chosen(
    bergenhus: Unit, choice: str, relation: str
) -> None:
    Client().post("/bekymringsmelding/", form_data(**{"foresatt-0-relation": choice}))
    party = ConcernReport.objects.get().case.parties.get()
    assert party.relation == relation


def test_forelder_eller_foresatt_is_not_stored_as_verge(bergenhus: Unit) -> None:
    Client().post("/bekymringsmelding/", form_data())  # the block "Forelder eller foresatt 1", no choice
    party = ConcernReport.objects.get().case.parties.get()
    assert party.relation == Party.Relation.PARENT
    assert str(party.get_relation_display()) == "forelder eller foresatt"


def test_doctors_and_dentists_were_one_code_before_2025() -> None:
    for service, before, after in (("lege", "15", "24"), ("tannlege", "15", "25")):
        message = _message(public=True, service=reporters.by_key(reporters.SERVICES, service).words)
        child = message.children[0]
        for day, code in ((date(2024, 12, 31), before), (date(2025, 1, 1), after)):
            entry = reporter_entry(message, child, day)
            assert entry is not None
            assert entry.code == code


def _message(*, public: bool, service: str = "", relation: str = "") -> messages.ConcernMessage:
    child = messages.MessageChild(name="Barn Barnesen", address="Gata 1", relation=relation)
    return messages.ConcernMessage(
        message_type=messages.PUBLIC_V2 if public else messages.PRIVATE_V2,
        municipality="1201",
        municipality_name="Bergen",
        district="02",
        district_name="Bergenhus",
        sent_at=None,
        reporter_name="Navn Navnesen",
        public=public,
        children=(child,),
        text="Bekymring",
        service=service,
    )


@pytest.mark.parametrize(
    ("words", "code"),
    [
        ("Forelder eller foresatt", "2"),
        ("  forelder ELLER foresatt, mor til barnet ", "2"),
        ("Mor/ far/ foresatte", "2"),  # the register's own wording
        ("Nabo, fritekstfelt", "4"),  # the national form's example
        ("Familie for øvrig", "3"),
        ("Bestemor", None),  # not a choice: intake decides
        ("", None),
    ],
)
def test_words_from_any_sender_give_the_same_code(words: str, code: str | None) -> None:
    found = reporters.reporter_code(public=False, anonymous=False, service="", relation=words, workplace="")
    assert (found.codes[0] if found else None) == code


def _public_example(**reporter: Any) -> dict[str, Any]:
    data = json.loads((EXAMPLES / "offentligBekymringsmeldingV2.json").read_text())
    data["offentligMelder"] |= reporter
    return data


def test_a_message_over_http_gets_the_same_code_as_the_form(bergenhus: Unit) -> None:
    IngestClient.objects.create(name="KS Fiks", token_sha256=hashlib.sha256(b"token").hexdigest())
    private = json.loads((EXAMPLES / "privatBekymringsmeldingV2.json").read_text())
    for child in private["privatBarn"]:
        child["relasjon"] = "Forelder eller foresatt, far"
    response = Client(HTTP_AUTHORIZATION="Bearer token").post(
        "/api/bekymringsmeldinger/",
        json.dumps(private).encode(),
        content_type="application/json",
        headers={"X-Meldingstype": messages.PRIVATE_V2},
    )
    assert response.status_code == 200
    assert {c for r in ConcernReport.objects.all() for c in _codes(r)} == {("2", "")}


def test_a_message_from_a_file_gets_the_same_code_as_the_form(bergenhus: Unit, tmp_path: Path) -> None:
    (tmp_path / "melding.json").write_text(json.dumps(_public_example(tjeneste="Barnehage")))
    call_command("ingest_concerns", str(tmp_path), outbox=tmp_path / "kvitteringer")
    assert {c for r in ConcernReport.objects.all() for c in _codes(r)} == {("9", "")}


def test_a_national_message_without_a_choice_leaves_the_code_to_intake(
    bergenhus: Unit, tmp_path: Path
) -> None:
    # The national public form says the reporter's role in words ("rolle"), not the service.
    (tmp_path / "melding.json").write_bytes((EXAMPLES / "offentligBekymringsmeldingV2.json").read_bytes())
    call_command("ingest_concerns", str(tmp_path), outbox=tmp_path / "kvitteringer")
    assert ConcernReport.objects.count() == 2
    assert not any(_codes(r) for r in ConcernReport.objects.all())
