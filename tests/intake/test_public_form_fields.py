"""Everything typed into the public form reaches the case and the report, for a professional, a private
person and an anonymous one; a birth date Vern does not know is never shown as if it were; bad input
is refused in Norwegian and stores nothing."""

from __future__ import annotations

import json
from datetime import date, timedelta
from typing import Any

import pytest
from django.test import Client

from tests.conftest import logged_in, staff_of
from tests.intake.conftest import PRIVATE, form_data
from vern.cases.models import BirthDateBasis, Case, Child, Gender, IdentityKind, Party
from vern.cases.services import case_assign
from vern.core.dates import today
from vern.core.identity import make_fodselsnummer
from vern.core.models import Unit, User
from vern.intake.models import ConcernReport, InboundMessage
from vern.rules import ages

pytestmark = pytest.mark.django_db


def _years_ago(years: int, days: int = 0) -> date:
    return ages.birthday(today(), -years) - timedelta(days=days)


def _dmy(day: date) -> str:
    return f"{day:%d.%m.%Y}"


def _report_of(name: str) -> ConcernReport:
    first = name.split(maxsplit=1)[0]
    return ConcernReport.objects.select_related("case__child").get(case__child__first_name=first)


def _pages(report: ConcernReport, who: dict[str, User]) -> tuple[str, str]:
    """The report as intake sees it, and the case as its caseworker sees it."""
    report_page = logged_in(who["intake"]).get(f"/meldinger/{report.pk}/").content.decode()
    case_assign(case=report.case, caseworker=who["caseworker"], by=who["leader"])
    case_page = logged_in(who["caseworker"]).get(f"/saker/{report.case_id}/").content.decode()
    return report_page, case_page


@pytest.fixture
def staff(bergenhus: Unit) -> dict[str, User]:
    return staff_of(bergenhus)


FNR_BORN = date(2013, 7, 28)  # 28071364498


def professional() -> dict[str, str]:
    return form_data(
        **{
            "melder-name": "Lise Lærer",
            "melder-phone": "55 55 55 55",
            "melder-service": "skole",
            "melder-role": "Kontaktlærer",
            "melder-workplace": "Bergenhus skole",
            "melder-workplace_address": "Skolegaten 1, 5003 Bergen",
            "melder-email": "lise@skole.no",
            "melder-concern": "Eleven sier at det er mye krangling og slag hjemme.",
            "melder-history": "Siden jul.",
            "melder-other_views": "Mor har bedt skolen om hjelp før.",
            "melder-interpreter": "Arabisk",
            "melder-other_services": "PPT og helsestasjonen",
            "barn-0-name": "Nora Nordmann",
            "barn-0-identity_number": "28071364498",
            "barn-0-birth_date": FNR_BORN.isoformat(),
            "barn-0-address": "Rådhusgaten 10, 5020 Bergen",
            "barn-0-relation": "Elev i klassen min",
            "barn-0-informed": "no",
            "barn-0-not_informed_because": "Barnet er redd.",
            "barn-1-name": "Jonas Nordmann",
            "barn-1-birth_date": "2019-05-17",
            "barn-1-address": "Rådhusgaten 10, 5020 Bergen",
            "barn-1-relation": "Bror til eleven",
            "barn-1-informed": "yes",
            "barn-2-name": "Ida Nordmann",
            "barn-2-age": "4",
            "barn-2-address": "Rådhusgaten 10, 5020 Bergen",
            "barn-2-informed": "no",
            "barn-2-not_informed_because": "For liten.",
            "foresatt-0-name": "Per Nordmann",
            "foresatt-0-relation": "far",
            "foresatt-0-phone": "900 00 000",
            "foresatt-0-informed": "no",
            "foresatt-0-not_informed_because": "Han er den som slår.",
            "foresatt-1-name": "Kari Nordmann",
            "foresatt-1-relation": "forelder",
            "foresatt-1-informed": "yes",
        }
    )


def test_a_professionals_report_keeps_every_field(bergenhus: Unit, staff: dict[str, User]) -> None:
    assert Client().post("/bekymringsmelding/", professional()).status_code == 302
    assert ConcernReport.objects.count() == 3

    nora = _report_of("Nora Nordmann").case.child
    assert (nora.identity_kind, nora.identity_number) == (IdentityKind.FODSELSNUMMER, "28071364498")
    assert (nora.birth_date, nora.birth_date_basis) == (FNR_BORN, BirthDateBasis.KNOWN)
    assert nora.address == "Rådhusgaten 10, 5020 Bergen"
    jonas = _report_of("Jonas Nordmann").case.child
    assert (jonas.identity_kind, jonas.birth_date) == (IdentityKind.UNIDENTIFIED, date(2019, 5, 17))
    assert jonas.birth_date_basis == BirthDateBasis.KNOWN
    ida = _report_of("Ida Nordmann").case.child
    assert ida.birth_date_basis == BirthDateBasis.ESTIMATED
    assert ages.age_on(ida.birth_date, today()) == 4 == ida.approximate_age

    for report in ConcernReport.objects.all():
        assert "Eleven sier at det er mye krangling og slag hjemme." in report.text
        assert "Historie: Siden jul." in report.text
        assert "Andre synspunkter: Mor har bedt skolen om hjelp før." in report.text
        assert list(report.reporters.values_list("code", flat=True)) == ["11"]
        assert report.owes_feedback
        parties = {p.name: (p.relation, p.phone) for p in report.case.parties.all()}
        assert parties == {
            "Per Nordmann": (Party.Relation.FATHER, "900 00 000"),
            "Kari Nordmann": (Party.Relation.PARENT, ""),
        }

    report_page, case_page = _pages(_report_of("Nora Nordmann"), staff)
    for typed in (
        "Lise Lærer", "55 55 55 55", "Skole eller SFO", "Kontaktlærer", "Bergenhus skole",
        "Skolegaten 1, 5003 Bergen", "lise@skole.no", "Elev i klassen min", "Barnet er redd.",
        "Bror til eleven", "17.05.2019", "For liten.", "Han er den som slår.", "Arabisk",
        "PPT og helsestasjonen", "Ida Nordmann", "Far",
    ):  # fmt: skip
        assert typed in report_page, typed
    assert "Skole" in report_page
    assert "Mangler" not in report_page.split("Saksinnhold")[0]
    assert _dmy(FNR_BORN) in case_page
    assert "<td>forelder eller foresatt</td>" in case_page
    assert "<td>verge</td>" not in case_page

    _report_page, case_page = _pages(_report_of("Ida Nordmann"), staff)
    assert "ukjent, omtrent 4 år ifølge meldingen" in case_page
    assert _dmy(ida.birth_date) not in case_page


def private(**changes: str) -> dict[str, str]:
    term = today() + timedelta(days=60)
    data = form_data(
        **PRIVATE
        | {
            "melder-relation": "familie",
            "melder-name": "Tove Tante",
            "melder-phone": "99 88 77 66",
            "melder-address": "Fjellveien 3, 5019 Bergen",
            "melder-concern": "Barna er ofte alene hjemme om kvelden.",
            "melder-history": "Siden sommeren.",
            "melder-other_views": "Jeg vil gjerne hjelpe.",
            "barn-0-name": "Emil Hansen",
            "barn-0-identity_number": "",
            "barn-0-age": "7",
            "barn-0-address": "Rådhusgaten 10, 5020 Bergen",
            "barn-0-relation": "Jeg er tanten hans",
            "barn-0-informed": "yes",
            "barn-0-not_informed_because": "",
            "barn-1-name": "Baby Hansen",
            "barn-1-unborn": "on",
            "barn-1-birth_date": term.isoformat(),
            "barn-1-address": "ukjent",
            "barn-2-name": "Sara Hansen",
            "barn-2-identity_number": make_fodselsnummer(date(2012, 1, 15), 3),
            "barn-2-address": "Rådhusgaten 10, 5020 Bergen",
            "foresatt-0-name": "Hanne Hansen",
            "foresatt-0-relation": "mor",
            "foresatt-0-phone": "41 00 00 00",
            "foresatt-0-informed": "",
        }
    )
    data.update(changes)
    return data


def test_a_private_persons_report_keeps_every_field(bergenhus: Unit, staff: dict[str, User]) -> None:
    assert Client().post("/bekymringsmelding/", private()).status_code == 302
    assert ConcernReport.objects.count() == 3
    emil = _report_of("Emil Hansen").case.child
    assert (emil.birth_date_basis, emil.approximate_age) == (BirthDateBasis.ESTIMATED, 7)
    baby = _report_of("Baby Hansen").case.child
    term = today() + timedelta(days=60)
    # The register's number for a child not yet born: the term date + 99999.
    assert (baby.identity_kind, baby.identity_number) == (IdentityKind.UNBORN, f"{term:%d%m%y}99999")
    assert (baby.birth_date, baby.gender, baby.birth_date_basis) == (
        term,
        Gender.UNBORN,
        BirthDateBasis.KNOWN,
    )
    sara = _report_of("Sara Hansen").case.child
    assert (sara.birth_date, sara.identity_kind) == (date(2012, 1, 15), IdentityKind.FODSELSNUMMER)

    for report in ConcernReport.objects.all():
        assert list(report.reporters.values_list("code", flat=True)) == ["3"]
        assert not report.owes_feedback
        assert "Historie: Siden sommeren." in report.text
        assert "Andre synspunkter: Jeg vil gjerne hjelpe." in report.text
        assert report.case.parties.get().relation == Party.Relation.MOTHER
    body = json.loads(bytes(InboundMessage.objects.get().body))
    assert body["privatMelder"]["personnavn"] == "Tove Tante"
    assert body["privatBarn"][0]["relasjon"] == "Annen familie, Jeg er tanten hans"

    report_page, case_page = _pages(_report_of("Emil Hansen"), staff)
    for typed in (
        "Tove Tante",
        "99 88 77 66",
        "Fjellveien 3, 5019 Bergen",
        "Annen familie, Jeg er tanten hans",
    ):
        assert typed in report_page, typed
    assert "ukjent, omtrent 7 år ifølge meldingen" in case_page
    _report_page, case_page = _pages(_report_of("Baby Hansen"), staff)
    assert "Termindato" in case_page
    assert _dmy(term) in case_page


def test_an_anonymous_private_report_is_kept_without_a_name(bergenhus: Unit, staff: dict[str, User]) -> None:
    data = private(
        **{
            "melder-anonymous": "on",
            "melder-name": "",
            "melder-phone": "",
            "melder-address": "",
            "melder-relation": "",
            "barn-0-age": "",
            "barn-1-name": "",
            "barn-1-unborn": "",
            "barn-1-birth_date": "",
            "barn-1-address": "",
            "barn-2-name": "",
            "barn-2-identity_number": "",
            "barn-2-address": "",
        }
    )
    client = Client()
    response = client.post("/bekymringsmelding/", data)
    assert response.status_code == 302
    receipt = client.get(response["Location"]).content.decode()
    assert "Du meldte anonymt" in receipt
    body = json.loads(bytes(InboundMessage.objects.get().body))
    assert body["privatMelder"] == {"personnavn": ""}
    report = ConcernReport.objects.get()
    assert list(report.reporters.values_list("code", flat=True)) == ["23"]
    assert not report.owes_feedback
    emil = report.case.child
    assert emil.birth_date_basis == BirthDateBasis.UNKNOWN

    report_page, case_page = _pages(report, staff)
    assert "Anonym" in report_page
    assert "Jeg er tanten hans" in report_page
    assert "<dd>ukjent</dd>" in case_page
    assert _dmy(emil.birth_date) not in case_page


def test_the_form_says_plainly_what_anonymity_means(bergenhus: Unit) -> None:
    page = Client().get("/bekymringsmelding/").content.decode()
    assert "Jeg vil være anonym" in page
    assert "barneverntjenesten kan ikke kontakte deg eller gi deg noen tilbakemelding" in page
    assert "Bare privatpersoner kan være anonyme." in page


TOO_OLD = _years_ago(18)
BAD_INPUT = [
    ({"melder-anonymous": "on"}, "kan ikke være anonym", form_data),
    ({"melder-anonymous": "on", "melder-name": "Tove Tante"}, "Du har valgt å være anonym", private),
    ({"melder-name": ""}, "Oppgi navnet ditt, eller velg å være anonym", private),
    ({"melder-relation": ""}, "Velg hvem du er for barnet", private),
    ({"melder-workplace": "Bergenhus skole"}, "bare for meldinger du sender i jobben din", private),
    ({"melder-service": ""}, "Velg tjenesten du jobber i", form_data),
    ({"melder-address": "Fjellveien 3"}, "bare for privatpersoner", form_data),
    ({"barn-0-birth_date": "2015-02-30"}, "Oppgi en gyldig dato", private),
    (
        {"barn-0-age": "", "barn-0-birth_date": (today() + timedelta(days=1)).isoformat()},
        "fram i tid",
        private,
    ),
    ({"barn-0-age": "18"}, "Oppgi en alder fra 0 til 17", private),
    ({"barn-0-age": "-1"}, "Oppgi en alder fra 0 til 17", private),
    ({"barn-0-age": "ti"}, "Skriv alderen som et helt antall år", private),
    ({"barn-0-age": "", "barn-0-birth_date": TOO_OLD.isoformat()}, "18 år eller eldre", private),
    ({"barn-0-birth_date": "2013-07-29"}, "stemmer ikke med fødselsnummeret", form_data),
    ({"barn-0-birth_date": _years_ago(5).isoformat()}, "Alderen stemmer ikke med fødselsdatoen", private),
    ({"barn-1-age": "1"}, "har ingen alder", private),
    ({"barn-1-birth_date": (today() + timedelta(days=400)).isoformat()}, "mer enn ti måneder", private),
    ({"barn-0-informed": ""}, "Svar på om barnet vet at du melder", form_data),
    ({"foresatt-1-phone": "41 00 00 00"}, "Oppgi navnet til forelderen", form_data),
    ({"barn-1-name": "", "barn-1-address": ""}, "Oppgi barnets navn", private),
]


@pytest.mark.parametrize(("changes", "error", "base"), BAD_INPUT)
def test_bad_input_is_refused_in_norwegian_and_nothing_is_stored(
    bergenhus: Unit, changes: dict[str, str], error: str, base: Any
) -> None:
    response = Client().post("/bekymringsmelding/", base(**changes))
    assert response.status_code == 400
    page = response.content.decode()
    assert error in page
    assert "Meldingen er ikke sendt ennå" in page
    assert not InboundMessage.objects.exists()
    assert not Child.objects.exists()
    assert not Case.objects.exists()
