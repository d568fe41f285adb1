"""Referral messages between two systems, one side at a time: this database plays one system and
the messages of the other are built as that system builds them (``protocol.build``).

The two systems together, each with its own database and server, are in
``tests/browser/test_two_systems.py``.
"""

from __future__ import annotations

import re
import uuid
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from tests.conftest import logged_in
from tests.referrals.conftest import agency, agency_intake, mst, teen_case  # noqa: F401 - fixtures here
from vern.cases.models import Case
from vern.core.dates import today
from vern.core.models import Unit, User
from vern.measures.models import Plan
from vern.referrals import services
from vern.referrals.exchange import incoming, outgoing, protocol
from vern.referrals.exchange.protocol import Header, Kind
from vern.referrals.exchange.transport import SharedFolder
from vern.referrals.models import CatalogueEntry, Message, Referral
from vern.rules import plans

pytestmark = pytest.mark.django_db
Status = Referral.Status
DISTRICT_ORGNR = "974778807"
AGENCY_ORGNR = "974587327"


@pytest.fixture
def folder(tmp_path: Path, settings: Any) -> Path:
    settings.VERN_EXCHANGE_FOLDER = str(tmp_path)
    return tmp_path


def message(
    kind: Kind,
    *,
    sender: Unit,
    recipient: Unit,
    body: dict[str, Any],
    follows: uuid.UUID | None = None,
    reply_to: uuid.UUID | None = None,
) -> tuple[uuid.UUID, bytes]:
    """A message as the other system builds it."""
    header = Header(
        id=uuid.uuid4(),
        kind=kind,
        sent_at=timezone.localtime(),
        sender=outgoing.party(sender),
        recipient=outgoing.party(recipient),
        start_id=follows,
        reply_to=reply_to or follows,
        contact="Per Partner",
    )
    return header.id, protocol.build(header, body)


def sent(kind: Kind) -> list[Message]:
    return list(Message.objects.filter(direction=Message.Direction.OUT, kind=kind).order_by("pk"))


def read_sent(msg: Message) -> protocol.Received:
    return protocol.read(bytes(msg.body))


# --- the district's system: the agency is elsewhere ----------------------------------------------


@pytest.fixture
def remote_agency(agency: Unit, unit: Unit) -> Unit:  # noqa: F811 - imported fixture
    unit.organisation_number = DISTRICT_ORGNR
    unit.save()
    agency.organisation_number, agency.remote = AGENCY_ORGNR, True
    agency.save()
    return agency


def test_an_order_to_a_provider_elsewhere_is_a_referral_message(
    remote_agency: Unit,
    mst: CatalogueEntry,  # noqa: F811
    teen_case: Case,  # noqa: F811
    caseworker: User,
    folder: Path,
) -> None:
    referral = services.referral_order(
        case=teen_case, entry=mst, by=caseworker, need="Sinne og fravær.", contact="Kari, 22 33 44 55"
    )
    (henvisning,) = sent(Kind.REFERRAL)
    assert referral.exchange_id == henvisning.message_id
    received = read_sent(henvisning)
    assert received.header.recipient.organisation_number == AGENCY_ORGNR
    assert received.header.sender.actor == "Barnevern1Linje"
    assert received.text("Tiltak/Id") == str(mst.uid)
    assert received.text("Barn/Navn") == referral.child_name == str(teen_case.child)
    assert received.text("Behov") == "Sinne og fravær."
    assert received.header.contact == caseworker.get_full_name()
    # Nothing else of the case travels: no identity number, no address, no journal number.
    body = bytes(henvisning.body).decode()
    assert teen_case.child.identity_number not in body
    assert teen_case.journal_number not in body

    assert outgoing.dispatch(SharedFolder(folder)) == 1
    assert (folder / AGENCY_ORGNR / f"{henvisning.message_id}.xml").read_bytes() == bytes(henvisning.body)
    assert Message.objects.get(pk=henvisning.pk).state == Message.State.SENT
    assert outgoing.dispatch(SharedFolder(folder)) == 0


def test_the_agencys_answers_move_the_referral_and_reach_the_case_and_its_plan(
    *,
    remote_agency: Unit,
    mst: CatalogueEntry,  # noqa: F811
    teen_case: Case,  # noqa: F811
    caseworker: User,
    unit: Unit,
    folder: Path,
) -> None:
    plan = Plan.objects.create(
        case=teen_case,
        plan_type=plans.HELP_MEASURE_PLAN,
        start_on=today() - timedelta(days=5),
        made_by=caseworker,
    )
    referral = services.referral_order(
        case=teen_case, entry=mst, by=caseworker, need="Behov.", contact="Kari"
    )
    start = referral.exchange_id
    assert start is not None
    henvisning = Message.objects.get(message_id=start)

    def answer(kind: Kind, body: dict[str, Any], reply_to: uuid.UUID | None = None) -> str:
        _id, data = message(
            kind, sender=remote_agency, recipient=unit, body=body, follows=start, reply_to=reply_to
        )
        return incoming.handle(data)[1]

    assert answer(Kind.APPLICATION_RECEIPT, {"Kode": 200}) == "applied"
    assert Message.objects.get(pk=henvisning.pk).state == Message.State.RECEIVED
    assert answer(Kind.CASEWORKER_RECEIPT, {"Saksgang": "tilbakeringt", "Dato": today()}) == "applied"
    referral.refresh_from_db()
    assert (referral.status, referral.called_back_on) == (Status.CALLED_BACK, today())
    assert (
        answer(Kind.OFFER, {"Oppstart": today() + timedelta(days=7), "Merknad": "Vi har plass."}) == "applied"
    )
    referral.refresh_from_db()
    assert (referral.status, referral.offered_start_on) == (Status.OFFERED, today() + timedelta(days=7))
    oppstart = {
        "Oppstartsmote": today(),
        "Start": today(),
        "Slutt": today() + timedelta(days=120),
        "Evaluering": today() + timedelta(days=60),
        "Pris": "1399.50",
        "Prisenhet": "day",
    }
    assert answer(Kind.ATTACHMENT, {"Oppstart": oppstart}) == "applied"
    referral.refresh_from_db()
    assert referral.status == Status.STARTED
    assert str(referral.assignment.price) == "1399.50"  # the price the agency agreed, not our copy's
    report = {"Rapport": {"Type": "evaluation", "Dato": today(), "Tekst": "Færre konflikter."}}
    assert answer(Kind.ATTACHMENT, report) == "applied"
    final = {"Rapport": {"Type": "final", "Dato": today(), "Tekst": "Målene er nådd."}}
    assert answer(Kind.ATTACHMENT, final) == "applied"
    referral.refresh_from_db()
    assert referral.status == Status.COMPLETED
    reports = list(referral.assignment.reports.all())
    assert [r.text for r in reports] == ["Færre konflikter.", "Målene er nådd."]
    assert all(r.plan == plan and r.by is None for r in reports)
    # Every step is in the history both sides see, taken by the agency.
    steps = list(referral.events.values_list("status", "by_unit_id"))
    assert steps[0] == (Status.ORDERED, unit.pk)
    assert {u for s, u in steps[1:]} == {remote_agency.pk}
    # What the agency's system sends is acknowledged; receipts themselves never are.
    acknowledged = {read_sent(m).header.reply_to for m in sent(Kind.APPLICATION_RECEIPT)}
    assert len(acknowledged) == 4  # the offer, the start, two reports; not the caseworker receipt
    assert not sent(Kind.ERROR)
    # Nothing went back as a step: the agency's steps are the agency's to send.
    assert not sent(Kind.OFFER)
    assert not sent(Kind.ATTACHMENT)


def test_a_withdrawal_is_a_message_and_an_error_from_the_agency_is_shown_on_the_referral(
    *,
    remote_agency: Unit,
    mst: CatalogueEntry,  # noqa: F811
    teen_case: Case,  # noqa: F811
    caseworker: User,
    unit: Unit,
    folder: Path,
) -> None:
    referral = services.referral_order(
        case=teen_case, entry=mst, by=caseworker, need="Behov.", contact="Kari"
    )
    services.referral_withdraw(referral=referral, by=caseworker, note="Familien har flyttet.")
    (trukket,) = sent(Kind.WITHDRAWAL)
    received = read_sent(trukket)
    assert received.header.start_id == received.header.reply_to == referral.exchange_id
    assert received.text("Begrunnelse") == "Familien har flyttet."

    feil = {"Feil": [{"Linje": 12, "Element": "/Melding/Trukket", "Beskrivelse": "Oppdraget har startet."}]}
    _id, data = message(
        Kind.ERROR, sender=remote_agency, recipient=unit, body=feil, reply_to=trukket.message_id
    )
    assert incoming.handle(data)[1] == "applied"
    trukket.refresh_from_db()
    assert trukket.state == Message.State.FAILED
    assert trukket.error == "linje 12, /Melding/Trukket: Oppdraget har startet."
    assert "Oppdraget har startet." in referral.events.last().note  # type: ignore[union-attr]
    response = logged_in(caseworker).get(f"/henvisninger/{referral.pk}/")
    assert "Oppdraget har startet." in response.content.decode()
    assert not sent(Kind.APPLICATION_RECEIPT)  # an error message is not answered


# --- the agency's system: the district is elsewhere ----------------------------------------------


@pytest.fixture
def remote_district(agency: Unit, unit: Unit) -> Unit:  # noqa: F811 - imported fixture
    agency.organisation_number = AGENCY_ORGNR
    agency.save()
    unit.organisation_number, unit.remote = DISTRICT_ORGNR, True
    unit.save()
    return unit


def henvisning(entry: CatalogueEntry, district: Unit, **changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "Tiltak": {"Id": str(entry.uid), "Navn": entry.name},
        "Barn": {"Navn": "Jonas Berg", "Fodselsdato": today().replace(year=today().year - 14)},
        "Behov": "Sinne og fravær.",
        "Kontakt": "Kari, 22 33 44 55",
    }
    body.update(changes)
    return body


def test_a_referral_message_reaches_the_providers_intake_without_the_case(
    remote_district: Unit,
    agency: Unit,  # noqa: F811
    agency_intake: User,  # noqa: F811
    mst: CatalogueEntry,  # noqa: F811
    folder: Path,
) -> None:
    message_id, data = message(
        Kind.REFERRAL, sender=remote_district, recipient=agency, body=henvisning(mst, remote_district)
    )
    stored, outcome = incoming.handle(data)
    assert outcome == "applied"
    referral = Referral.objects.get()
    assert (referral.case, referral.ordered_by, referral.exchange_id) == (None, None, message_id)
    assert (referral.ordering_unit, referral.provider, referral.child_name) == (
        remote_district,
        agency,
        "Jonas Berg",
    )
    assert stored.referral == referral
    (receipt,) = sent(Kind.APPLICATION_RECEIPT)
    assert read_sent(receipt).text("Kode") == "200"
    assert read_sent(receipt).header.reply_to == message_id

    # The same message again (the sender's transport retried): one referral, acknowledged again.
    assert incoming.handle(data)[1] == "duplicate"
    assert Referral.objects.count() == 1
    assert [read_sent(m).text("Kode") for m in sent(Kind.APPLICATION_RECEIPT)] == ["200", "201"]

    client = logged_in(agency_intake)
    assert "Jonas Berg" in client.get("/tilbyder/henvisninger/").content.decode()
    page = client.get(f"/henvisninger/{referral.pk}/").content.decode()
    assert "Sinne og fravær." in page
    assert "Jonas Berg" in page

    # The agency's steps go back as messages, each following the referral message.
    services.referral_call_back(referral=referral, by=agency_intake, called_on=today())
    services.referral_offer(referral=referral, by=agency_intake, start_on=today())
    assignment = services.assignment_start(
        referral=referral,
        by=agency_intake,
        start_meeting_on=today(),
        starts_on=today(),
        ends_on=today() + timedelta(days=90),
        evaluation_on=today() + timedelta(days=45),
    )
    services.assignment_report(
        assignment=assignment, by=agency_intake, kind="final", written_on=today(), text="Målene er nådd."
    )
    kinds = [
        m.kind
        for m in Message.objects.filter(direction=Message.Direction.OUT).exclude(
            kind=Kind.APPLICATION_RECEIPT
        )
    ]
    assert kinds == [Kind.CASEWORKER_RECEIPT, Kind.OFFER, Kind.ATTACHMENT, Kind.ATTACHMENT]
    for m in Message.objects.filter(direction=Message.Direction.OUT, referral=referral):
        header = read_sent(m).header
        assert header.start_id == message_id
        assert header.recipient.organisation_number == DISTRICT_ORGNR


def test_a_withdrawal_the_provider_cannot_take_is_answered_with_an_error(
    remote_district: Unit,
    agency: Unit,  # noqa: F811
    agency_intake: User,  # noqa: F811
    mst: CatalogueEntry,  # noqa: F811
    folder: Path,
) -> None:
    first, data = message(
        Kind.REFERRAL, sender=remote_district, recipient=agency, body=henvisning(mst, remote_district)
    )
    incoming.handle(data)
    referral = Referral.objects.get()
    services.referral_offer(referral=referral, by=agency_intake, start_on=today())
    services.assignment_start(
        referral=referral,
        by=agency_intake,
        start_meeting_on=today(),
        starts_on=today(),
        ends_on=today() + timedelta(days=90),
        evaluation_on=today() + timedelta(days=45),
    )
    withdrawal, data = message(
        Kind.WITHDRAWAL,
        sender=remote_district,
        recipient=agency,
        body={"Begrunnelse": "Flyttet."},
        follows=first,
    )
    stored, outcome = incoming.handle(data)
    assert outcome == "refused"
    assert "not possible now" in stored.error or "ikke mulig" in stored.error
    referral.refresh_from_db()
    assert referral.status == Status.STARTED
    (error,) = sent(Kind.ERROR)
    assert read_sent(error).header.reply_to == withdrawal
    assert read_sent(error).text("Feil/Beskrivelse") == stored.error


def test_a_withdrawal_before_the_start_withdraws(
    remote_district: Unit,
    agency: Unit,  # noqa: F811
    mst: CatalogueEntry,  # noqa: F811
    folder: Path,
) -> None:
    first, data = message(
        Kind.REFERRAL, sender=remote_district, recipient=agency, body=henvisning(mst, remote_district)
    )
    incoming.handle(data)
    _id, data = message(
        Kind.WITHDRAWAL,
        sender=remote_district,
        recipient=agency,
        body={"Begrunnelse": "Flyttet."},
        follows=first,
    )
    assert incoming.handle(data)[1] == "applied"
    referral = Referral.objects.get()
    assert referral.status == Status.WITHDRAWN
    assert referral.events.last().note == "Flyttet."  # type: ignore[union-attr]
    assert not sent(Kind.WITHDRAWAL)  # not sent back to where it came from


def test_a_message_that_breaks_the_schema_is_answered_with_every_error_and_changes_nothing(
    remote_district: Unit,
    agency: Unit,  # noqa: F811
    mst: CatalogueEntry,  # noqa: F811
    folder: Path,
) -> None:
    _id, data = message(
        Kind.REFERRAL, sender=remote_district, recipient=agency, body=henvisning(mst, remote_district)
    )
    broken = re.sub(rb"<Fodselsdato>[^<]*</Fodselsdato>", b"<Fodselsdato>2012-13-45</Fodselsdato>", data)
    stored, outcome = incoming.handle(broken)
    assert outcome == "refused"
    assert stored.state == Message.State.REJECTED
    assert not Referral.objects.exists()
    (error,) = sent(Kind.ERROR)
    feil = read_sent(error)
    assert feil.header.reply_to == _id
    assert feil.text("Feil/Element").endswith("Fodselsdato")
    assert int(feil.text("Feil/Linje")) > 0
    assert bytes(stored.body) == broken  # kept as it came


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"\x00\xffnot xml at all", "ikke gyldig XML"),
        (b'<?xml version="1.0"?><!DOCTYPE m [<!ENTITY x "boom">]><Melding>&x;</Melding>', ""),
        (b"<Barnevern/>", "rotelementet"),
    ],
)
def test_a_message_without_a_readable_sender_is_kept_refused_and_not_answered(
    remote_district: Unit, folder: Path, data: bytes, reason: str
) -> None:
    stored, outcome = incoming.handle(data)
    assert outcome == "refused"
    assert reason in stored.error
    assert stored.counterpart is None
    assert bytes(stored.body) == data
    assert not sent(Kind.ERROR)
    assert incoming.handle(data)[1] == "duplicate"  # the same bytes again: recognised


def test_unknown_measure_unknown_referral_and_unknown_sender_are_refused(
    remote_district: Unit,
    agency: Unit,  # noqa: F811
    mst: CatalogueEntry,  # noqa: F811
    folder: Path,
) -> None:
    _id, data = message(
        Kind.REFERRAL,
        sender=remote_district,
        recipient=agency,
        body=henvisning(mst, remote_district, Tiltak={"Id": str(uuid.uuid4()), "Navn": "MST"}),
    )
    stored, _outcome = incoming.handle(data)
    assert stored.error == "tiltaket finnes ikke hos mottakeren"
    _id, data = message(
        Kind.OFFER, sender=remote_district, recipient=agency, body={"Oppstart": today()}, follows=uuid.uuid4()
    )
    assert incoming.handle(data)[0].error == "henvisningen meldingen gjelder finnes ikke hos mottakeren"
    assert len(sent(Kind.ERROR)) == 2

    stranger = Unit.objects.create(
        name="Ukjent", host_municipality=agency.host_municipality, organisation_number="991777776"
    )
    _id, data = message(Kind.REFERRAL, sender=stranger, recipient=agency, body=henvisning(mst, stranger))
    stored, outcome = incoming.handle(data)
    assert outcome == "refused"
    assert "ikke en kjent samarbeidspart" in stored.error
    assert len(sent(Kind.ERROR)) == 2  # nobody to answer
    assert not Referral.objects.exists()


def test_a_test_message_is_acknowledged_and_applies_nothing(
    remote_district: Unit,
    agency: Unit,  # noqa: F811
    folder: Path,
) -> None:
    test_id, data = message(Kind.TEST, sender=remote_district, recipient=agency, body={"Tekst": "Hei"})
    assert incoming.handle(data)[1] == "applied"
    (receipt,) = sent(Kind.APPLICATION_RECEIPT)
    assert read_sent(receipt).header.reply_to == test_id
    assert not Referral.objects.exists()


def test_receive_takes_the_inbox_moves_each_file_and_sends_the_answers(
    remote_district: Unit,
    agency: Unit,  # noqa: F811
    mst: CatalogueEntry,  # noqa: F811
    folder: Path,
) -> None:
    transport = SharedFolder(folder)
    message_id, data = message(
        Kind.REFERRAL, sender=remote_district, recipient=agency, body=henvisning(mst, remote_district)
    )
    transport.send(AGENCY_ORGNR, f"{message_id}.xml", data)
    transport.send(AGENCY_ORGNR, "rubbish.xml", b"<not-closed")
    tally = incoming.receive(transport)
    assert (tally.applied, tally.refused) == (1, 1)
    assert not list((folder / AGENCY_ORGNR).glob("*.xml"))
    assert {p.name for p in (folder / AGENCY_ORGNR / "behandlet").iterdir()} == {
        f"{message_id}.xml",
        "rubbish.xml",
    }
    (receipt,) = (folder / DISTRICT_ORGNR).glob("*.xml")
    assert protocol.read(receipt.read_bytes()).header.kind is Kind.APPLICATION_RECEIPT


def test_the_schema_and_the_protocol_are_checked_when_building_and_reading() -> None:
    party = protocol.Party("974778807", "Bydel Alna", "Barnevern1Linje", "0301", "Oslo", "12", "Alna")
    header = Header(
        id=uuid.uuid4(), kind=Kind.OFFER, sent_at=timezone.localtime(), sender=party, recipient=party
    )
    with pytest.raises(protocol.Malformed):
        protocol.build(header, {"Merknad": "Uten dato."})  # Oppstart is required
    with pytest.raises(protocol.Malformed, match="må svare på en melding"):
        protocol.read(protocol.build(header, {"Oppstart": today()}))  # a tilsagn answers a referral
    answer = Header(
        id=uuid.uuid4(),
        kind=Kind.OFFER,
        sent_at=timezone.localtime(),
        sender=party,
        recipient=party,
        reply_to=uuid.uuid4(),
    )
    assert protocol.read(protocol.build(answer, {"Oppstart": today()})).date("Oppstart") == today()
