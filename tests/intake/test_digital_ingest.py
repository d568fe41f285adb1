"""Digital reports of concern: every national example, duplicates, quarantine, receipts, hostile input."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.db import DatabaseError, IntegrityError, transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.intake.conftest import EXAMPLES
from vern.cases.models import BirthDateBasis, Child, IdentityKind
from vern.core.dates import today
from vern.core.models import Unit
from vern.intake.digital import messages
from vern.intake.digital.ingest import Delivery, ingest, receipts_dispatch
from vern.intake.digital.transport import OutboxFolder
from vern.intake.models import ConcernReport, InboundMessage, Receipt

pytestmark = pytest.mark.django_db

REPORTS = {
    "offentligBekymringsmeldingV1.json": messages.PUBLIC_V1,
    "offentligBekymringsmeldingV2.json": messages.PUBLIC_V2,
    "privatBekymringsmeldingV1.json": messages.PRIVATE_V1,
    "privatBekymringsmeldingV2.json": messages.PRIVATE_V2,
}


def deliver(raw: bytes, **extra: Any) -> Any:
    return ingest(Delivery(raw=raw, source=InboundMessage.Source.FILE, **extra))


def example(name: str) -> bytes:
    return (EXAMPLES / name).read_bytes()


@pytest.mark.parametrize("name", sorted(REPORTS))
@pytest.mark.parametrize("declared", [True, False], ids=["declared-type", "inferred-type"])
def test_every_national_example_becomes_a_report_per_child(
    bergenhus: Unit, name: str, declared: bool
) -> None:
    raw = example(name)
    outcome = deliver(raw, message_type=REPORTS[name] if declared else None)
    assert outcome.accepted, outcome.reason
    stored = InboundMessage.objects.get()
    assert bytes(stored.body) == raw  # kept exactly as it arrived
    assert stored.unit == bergenhus
    reports = list(ConcernReport.objects.filter(message=stored).select_related("case__child"))
    assert len(reports) == 2
    assert {r.case.child.first_name + " " + r.case.child.last_name for r in reports} == {
        "Barn Barnesen",
        "Bare Barnet",
    }
    assert all(r.case.unit == bergenhus and r.channel == "digital" for r in reports)
    assert all(r.text.startswith("Her kommer selve innholdet") for r in reports)
    public = "offentlig" in name
    assert all(r.owes_feedback is public for r in reports)
    children = {r.case.child for r in reports}
    if public:
        assert {c.identity_number for c in children} == {"28071364498", "16081688781"}
        assert all(c.identity_kind == IdentityKind.FODSELSNUMMER for c in children)
        assert reports[0].case.parties.filter(name="Foresatt Foresatt").exists()
    else:
        # "antattAlder": "10": an estimate, never a birth date shown as known.
        assert all(c.identity_kind == IdentityKind.UNIDENTIFIED for c in children)
        assert all(
            c.birth_date_basis == BirthDateBasis.ESTIMATED and c.approximate_age == 10 for c in children
        )
    assert outcome.receipt.kind == messages.RECEIVED
    assert outcome.receipt.body["svarPaMelding"] == stored.message_id


@pytest.mark.parametrize("name", ["feilmelding.json", "feilmelding_tom.json"])
def test_a_feilmelding_is_not_a_report_and_is_quarantined(bergenhus: Unit, name: str) -> None:
    outcome = deliver(example(name))
    assert not outcome.accepted
    assert outcome.message.status == InboundMessage.Status.QUARANTINED
    assert "Kan ikke se hva slags melding" in outcome.reason
    assert not ConcernReport.objects.exists()
    assert outcome.receipt.kind == messages.FAILED


def test_failed_receipts_follow_the_feilmelding_schema(bergenhus: Unit) -> None:
    from jsonschema import Draft201909Validator

    schema = json.loads((Path(messages.__file__).parent / "schemas" / "feilmelding.json").read_text())
    outcome = deliver(b"not json")
    Draft201909Validator(schema).validate(outcome.receipt.body)
    assert outcome.receipt.body["melding"] == "Meldingen er ikke gyldig JSON"
    for name in ("feilmelding.json", "feilmelding_tom.json"):
        Draft201909Validator(schema).validate(json.loads(example(name)))


def test_the_same_bytes_twice_give_one_report_and_two_receipts(bergenhus: Unit) -> None:
    raw = example("offentligBekymringsmeldingV2.json")
    first, second = deliver(raw), deliver(raw)
    assert second.duplicate
    assert second.accepted
    assert ConcernReport.objects.count() == 2
    assert list(Receipt.objects.values_list("kind", flat=True)) == [messages.RECEIVED, messages.RECEIVED]
    assert first.message == second.message


def test_the_same_message_id_twice_gives_one_report(bergenhus: Unit) -> None:
    deliver(example("privatBekymringsmeldingV1.json"), message_id="42")
    again = deliver(example("privatBekymringsmeldingV2.json"), message_id="42")
    assert again.duplicate
    assert InboundMessage.objects.count() == 1


def test_a_known_child_is_linked_not_created_again(bergenhus: Unit) -> None:
    deliver(example("offentligBekymringsmeldingV1.json"))
    deliver(example("offentligBekymringsmeldingV2.json"))
    assert Child.objects.count() == 2
    assert ConcernReport.objects.count() == 4
    # A report about a child with an open case attaches to it.
    assert ConcernReport.objects.values("case").distinct().count() == 2


def test_unknown_municipality_is_quarantined_with_a_reason(bergenhus: Unit) -> None:
    data = json.loads(example("offentligBekymringsmeldingV2.json"))
    data["kommunenummer"] = "9999"
    outcome = deliver(json.dumps(data).encode())
    assert not outcome.accepted
    assert outcome.reason == "Kommunenummer 9999 har ingen barneverntjeneste i dette systemet"
    assert not ConcernReport.objects.exists()


def test_invalid_identity_number_is_quarantined(bergenhus: Unit) -> None:
    data = json.loads(example("offentligBekymringsmeldingV2.json"))
    data["offentligBarn"][1]["fnr"] = "28071364499"
    outcome = deliver(json.dumps(data).encode())
    assert outcome.reason == "barn 2: Ugyldig fødselsnummer: kontrollsifrene stemmer ikke"
    assert not ConcernReport.objects.exists()


@pytest.mark.parametrize(
    ("born", "unborn", "reason"),
    [
        ("2015-02-30", False, "barn 1: fødselsdatoen «2015-02-30» er ikke en dato (ÅÅÅÅ-MM-DD)"),
        ("tomorrow", False, "barn 1: fødselsdatoen er fram i tid"),
        ("in 400 days", True, "barn 1: termindatoen er mer enn ti måneder fram i tid"),
        ("40 days ago", True, "barn 1: termindatoen er for lenge siden"),
    ],
)
def test_an_impossible_birth_date_is_quarantined(
    bergenhus: Unit, born: str, unborn: bool, reason: str
) -> None:
    days = {"tomorrow": 1, "in 400 days": 400, "40 days ago": -40}
    data = json.loads(example("offentligBekymringsmeldingV2.json"))
    data["offentligBarn"][0] |= {
        "fnr": "",
        "ufoedt": unborn,
        "foedselsdato": (today() + timedelta(days=days[born])).isoformat() if born in days else born,
    }
    outcome = deliver(json.dumps(data).encode())
    assert not outcome.accepted
    assert outcome.reason.startswith(reason)
    assert not ConcernReport.objects.exists()


def test_an_age_in_words_is_kept_and_the_birth_date_stays_unknown(bergenhus: Unit) -> None:
    data = json.loads(example("privatBekymringsmeldingV2.json"))
    data["privatBarn"][0]["antattAlder"] = "ti år"
    del data["privatBarn"][1]["antattAlder"]
    outcome = deliver(json.dumps(data).encode())
    assert outcome.accepted
    children = Child.objects.all()
    assert {c.birth_date_basis for c in children} == {BirthDateBasis.UNKNOWN}
    parsed = messages.parse(bytes(outcome.message.body), message_type=None, today=today())
    assert isinstance(parsed, messages.ConcernMessage)
    assert ("Barn 1, antatt alder", "ti år") in list(messages.summary(parsed))


def test_a_private_message_without_name_or_contact_is_anonymous(bergenhus: Unit) -> None:
    data = json.loads(example("privatBekymringsmeldingV2.json"))
    data["privatMelder"] = {"personnavn": ""}
    assert deliver(json.dumps(data).encode()).accepted
    assert {r.reporters.get().code for r in ConcernReport.objects.all()} == {"23"}


def test_schema_errors_are_named_in_norwegian(bergenhus: Unit) -> None:
    data = json.loads(example("offentligBekymringsmeldingV2.json"))
    del data["offentligMelder"]["epost"]
    data["offentligBarn"][0]["ufoedt"] = "nei"
    outcome = deliver(json.dumps(data).encode())
    assert "melder: mangler feltet «epost»" in outcome.reason
    assert "barn 1. ufoedt: skal være ja/nei" in outcome.reason


def test_stored_messages_cannot_be_changed_or_deleted(bergenhus: Unit) -> None:
    message = deliver(example("privatBekymringsmeldingV2.json")).message
    for change in (
        lambda: InboundMessage.objects.filter(pk=message.pk).update(reason="x"),
        lambda: InboundMessage.objects.filter(pk=message.pk).delete(),
    ):
        with pytest.raises((IntegrityError, DatabaseError)), transaction.atomic():
            change()


def test_receipts_are_written_once_each_and_marked_sent(bergenhus: Unit, tmp_path: Path) -> None:
    deliver(example("privatBekymringsmeldingV2.json"))
    deliver(b"\xff\xfe")
    outbox = OutboxFolder(tmp_path)
    assert receipts_dispatch(outbox) == 2
    assert receipts_dispatch(outbox) == 0
    files = sorted(p.name for p in tmp_path.iterdir())
    assert [f.split(".")[1] for f in files] == ["mottatt", "feilet"]
    failed = json.loads((tmp_path / files[1]).read_text())
    assert failed["meldingstype"] == messages.FAILED
    assert failed["melding"] == "Meldingen er ikke gyldig UTF-8-tekst"


def test_ingest_command_reads_a_folder_with_pdf_and_metadata(bergenhus: Unit, tmp_path: Path) -> None:
    inbox, outbox = tmp_path / "inn", tmp_path / "ut"
    inbox.mkdir()
    (inbox / "a.json").write_bytes(example("offentligBekymringsmeldingV2.json"))
    (inbox / "a.pdf").write_bytes(b"%PDF-1.4 test")
    meta = {"meldingId": "f4a1c1d2-0000-4000-8000-000000000001", "meldingstype": messages.PUBLIC_V2}
    (inbox / "a.meta.json").write_text(json.dumps(meta))
    (inbox / "b.json").write_bytes(b"{")
    call_command("ingest_concerns", str(inbox), outbox=str(outbox))
    stored = InboundMessage.objects.get(message_id=meta["meldingId"])
    assert bytes(stored.pdf) == b"%PDF-1.4 test"
    assert stored.message_type == messages.PUBLIC_V2
    assert sorted(p.name for p in (inbox / "behandlet").iterdir()) == [
        "a.json",
        "a.meta.json",
        "a.pdf",
        "b.json",
    ]
    assert not list(inbox.glob("*.json"))
    assert len(list(outbox.iterdir())) == 2
    assert InboundMessage.objects.filter(status=InboundMessage.Status.QUARANTINED).count() == 1


def _valid_public() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(example("offentligBekymringsmeldingV2.json"))
    return data


hostile_values = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=False),
    st.text(max_size=30),
    st.just("<script>alert(1)</script>"),
    st.just("x" * 200_000),
    st.just("00000000000"),
    st.lists(st.integers(), max_size=3),
    st.dictionaries(st.text(max_size=5), st.integers(), max_size=3),
)


def _mutate(data: dict[str, Any], path: list[str | int], value: Any, drop: bool) -> bytes:
    node: Any = data
    for key in path[:-1]:
        node = node[key]
    if drop and isinstance(node, dict):
        node.pop(path[-1], None)
    else:
        node[path[-1]] = value
    return json.dumps(data).encode()


PATHS: list[list[str | int]] = [
    ["kommunenummer"], ["bydelsnummer"], ["offentligMelder"], ["offentligMelder", "epost"],
    ["offentligMelder", "telefonnummer"], ["offentligBarn"], ["offentligBarn", 0, "fnr"],
    ["offentligBarn", 0, "personnavn"], ["offentligBarn", 1, "adresse"], ["foresatte"], ["melding"],
    ["melding", "melding"], ["sendingstidspunkt"], ["behovForTolk"],
    # What Vern's own form adds to the national format.
    ["offentligMelder", "tjeneste"], ["offentligBarn", 0, "foedselsdato"],
    ["offentligBarn", 1, "antattAlder"], ["offentligBarn", 0, "relasjon"], ["foresatte", 0, "relasjon"],
]  # fmt: skip


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(path=st.sampled_from(PATHS), value=hostile_values, drop=st.booleans())
def test_hostile_messages_never_crash_and_never_make_a_report_when_invalid(
    bergenhus: Unit, path: list[str | int], value: Any, drop: bool
) -> None:
    raw = _mutate(_valid_public(), path, value, drop)
    before = ConcernReport.objects.count()
    outcome = deliver(raw)
    made = ConcernReport.objects.count() - before
    if outcome.duplicate:
        return
    if outcome.accepted:
        # Only what the rules accept: the message itself must then parse as a valid report.
        assert isinstance(
            messages.parse(raw, message_type=None, today=outcome.message.received_at.date()),
            messages.ConcernMessage,
        )
        assert made == len(json.loads(raw)["offentligBarn"])
    else:
        assert made == 0
        assert outcome.reason
        assert outcome.message.status == InboundMessage.Status.QUARANTINED
        assert outcome.receipt.kind == messages.FAILED


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(raw=st.binary(max_size=300) | st.text(max_size=300).map(lambda t: t.encode("utf-8", "surrogatepass")))
def test_arbitrary_bytes_are_quarantined_with_a_reason(bergenhus: Unit, raw: bytes) -> None:
    outcome = deliver(raw)
    assert outcome.duplicate or not outcome.accepted
    assert outcome.reason
    assert not ConcernReport.objects.exists()
