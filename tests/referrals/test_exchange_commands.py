"""The commands that set up and run the exchange with partners: a clear Norwegian error and nothing
changed on bad input."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from tests.referrals.conftest import agency, mst  # noqa: F401 - fixtures here
from vern.core.models import District, Municipality, Unit
from vern.referrals.exchange import protocol
from vern.referrals.exchange.protocol import Kind
from vern.referrals.models import CatalogueEntry, Message

pytestmark = pytest.mark.django_db
AGENCY_ORGNR = "974587327"


def partner(*args: str) -> str:
    out = StringIO()
    call_command("exchange_partner", *args, stdout=out)
    return out.getvalue()


def test_a_partner_is_registered_once_and_changed_by_running_again(municipality: Municipality) -> None:
    District.objects.create(municipality=municipality, number="03", name="Årstad")
    args = ["--orgnr", "974778807", "--name", "Bydel Årstad", "--municipality", "4601", "--district", "03"]
    assert "registrert" in partner(*args)
    assert "endret" in partner(*args[:3], "Årstad barnevern", *args[4:])
    unit = Unit.objects.get(remote=True)
    assert (unit.name, unit.district.number, unit.kind) == ("Årstad barnevern", "03", "service")  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("args", "error"),
    [
        (["--orgnr", "974778808", "--name", "X", "--municipality", "4601"], "rganisasjonsnummer"),
        (["--orgnr", "974778807", "--name", "X", "--municipality", "9999"], "Kommunen 9999 finnes ikke"),
        (["--orgnr", "974778807", "--name", "X", "--municipality", "4601", "--district", "77"], "Bydelen 77"),
    ],
)
def test_a_partner_with_bad_facts_is_refused(municipality: Municipality, args: list[str], error: str) -> None:
    with pytest.raises(CommandError, match=error):
        partner(*args)
    assert not Unit.objects.filter(remote=True).exists()


def test_a_unit_of_this_system_cannot_be_a_partner(unit: Unit) -> None:
    unit.organisation_number = "974778807"
    unit.save()
    with pytest.raises(CommandError, match="en enhet i dette systemet"):
        partner("--orgnr", "974778807", "--name", "X", "--municipality", "4601")


@pytest.fixture
def exported(agency: Unit, mst: CatalogueEntry, tmp_path: Path) -> dict[str, Any]:  # noqa: F811
    agency.organisation_number = AGENCY_ORGNR
    agency.save()
    out = tmp_path / "tiltak.json"
    call_command(
        "exchange_catalogue", "export", "--provider", AGENCY_ORGNR, "--out", str(out), stdout=StringIO()
    )
    document: dict[str, Any] = json.loads(out.read_text(encoding="utf-8"))
    # The other system: the same measures, now as a partner's.
    CatalogueEntry.objects.all().delete()
    agency.remote = True
    agency.save()
    return document


def load(document: dict[str, Any], tmp_path: Path) -> None:
    path = tmp_path / "inn.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    call_command("exchange_catalogue", "import", str(path), stdout=StringIO())


def test_the_catalogue_travels_with_its_ids_and_a_measure_left_out_is_no_longer_offered(
    exported: dict[str, Any], tmp_path: Path
) -> None:
    (measure,) = exported["measures"]
    load(exported, tmp_path)
    entry = CatalogueEntry.objects.get()
    assert (str(entry.uid), entry.name, str(entry.price), entry.active) == (
        measure["id"],
        "MST-team Øst",
        "1450.00",
        True,
    )
    measure["price"] = "1500.00"
    load(exported, tmp_path)
    assert str(CatalogueEntry.objects.get().price) == "1500.00"
    load({**exported, "measures": []}, tmp_path)
    assert not CatalogueEntry.objects.get().active


def test_a_catalogue_with_one_bad_measure_imports_nothing(exported: dict[str, Any], tmp_path: Path) -> None:
    good = exported["measures"][0]
    bad = {**good, "id": "00000000-0000-4000-8000-000000000001", "category": "99.9", "age_from": "x"}
    with pytest.raises(CommandError, match="Ingenting importert") as failure:
        load({**exported, "measures": [good, bad]}, tmp_path)
    assert "tiltak 2" in str(failure.value)
    assert not CatalogueEntry.objects.exists()
    with pytest.raises(CommandError, match="ikke registrert som samarbeidspart"):
        load({**exported, "provider": "991777776"}, tmp_path)
    (tmp_path / "rot.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(CommandError, match="ikke en tiltaksliste"):
        call_command("exchange_catalogue", "import", str(tmp_path / "rot.json"))


def test_exchange_sends_a_test_message_to_a_partner(
    unit: Unit,
    agency: Unit,  # noqa: F811
    tmp_path: Path,
    settings: Any,
) -> None:
    settings.VERN_EXCHANGE_FOLDER = str(tmp_path)
    unit.organisation_number = "974778807"
    unit.save()
    agency.organisation_number, agency.remote = AGENCY_ORGNR, True
    agency.save()
    out = StringIO()
    call_command("exchange", "--test", AGENCY_ORGNR, stdout=out)
    assert out.getvalue().startswith("sendt 1, mottatt 0")
    (sent,) = (tmp_path / AGENCY_ORGNR).glob("*.xml")
    assert protocol.read(sent.read_bytes()).header.kind is Kind.TEST
    assert Message.objects.get().state == Message.State.SENT
    with pytest.raises(CommandError, match="Ingen samarbeidspart"):
        call_command("exchange", "--test", "991777776")
