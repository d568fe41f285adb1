"""What this system does with a message from a unit in another system.

Each message is handled in one transaction: it is stored as received, applied through the same
services a person's step goes through (so the same rules hold and both sides see the same status),
and answered with an applikasjonskvittering where the protocol asks for one. A message that cannot
be read, breaks the schema or the protocol, or that the services refuse changes nothing, is stored
as refused with the reason, and is answered with a feilmelding listing every error, if its sender
can be read. The same message again (same id) is applied once and acknowledged again.
"""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from vern.core.audit import audit
from vern.core.audit_events import AuditEvent
from vern.core.models import Unit
from vern.referrals import services
from vern.referrals.exchange import outgoing
from vern.referrals.exchange.protocol import (
    ACKNOWLEDGED,
    NS,
    OK,
    OK_DUPLICATE,
    Header,
    Kind,
    Malformed,
    Party,
    Received,
    read,
)
from vern.referrals.exchange.transport import ExchangeTransport, default_transport
from vern.referrals.models import Assignment, CatalogueEntry, Message, Referral, ReferralEvent
from vern.register.xml import SchemaError

# The id of a message whose own id cannot be read: derived from its bytes, so the same bytes again
# are recognised.
_UNREADABLE = uuid.UUID("6c1f4b0e-5d7a-4f53-9a55-3c5b8f0e2d41")


class Refused(Exception):
    """The message is well-formed but this system cannot take it (Norwegian reason for the sender)."""


@dataclass
class Tally:
    applied: int = 0
    duplicates: int = 0
    refused: int = 0
    reasons: list[str] = field(default_factory=list)


def _unit(party: Party, *, remote: bool) -> Unit | None:
    units = Unit.objects.filter(remote=remote, organisation_number=party.organisation_number)
    if party.district_number and units.count() > 1:
        units = units.filter(district__number=party.district_number)
    return units.select_related("host_municipality", "district").first()


def _sides(header: Header) -> tuple[Unit, Unit]:
    local = _unit(header.recipient, remote=False)
    if local is None:
        raise Refused(f"mottakeren {header.recipient.organisation_number} finnes ikke i dette systemet")
    remote = _unit(header.sender, remote=True)
    if remote is None:
        raise Refused(f"avsenderen {header.sender.organisation_number} er ikke en kjent samarbeidspart")
    return local, remote


def _referral(header: Header, local: Unit, remote: Unit) -> Referral:
    """The referral a follow-up is about: its conversation's first message, between these two."""
    referral = (
        Referral.objects.filter(exchange_id=header.start_id)
        .filter(Q(ordering_unit=local, provider=remote) | Q(ordering_unit=remote, provider=local))
        .select_related("entry", "case", "ordering_unit", "provider")
        .first()
    )
    if referral is None:
        raise Refused("henvisningen meldingen gjelder finnes ikke hos mottakeren")
    return referral


def _sent(header: Header, remote: Unit) -> Message:
    """Our message a receipt or an error message answers."""
    if header.reply_to is None:
        raise Refused("meldingen svarer ikke på noen melding")
    message = Message.objects.filter(
        message_id=header.reply_to, direction=Message.Direction.OUT, counterpart=remote
    ).first()
    if message is None:
        raise Refused("meldingen det svares på finnes ikke hos mottakeren")
    return message


def _referral_message(received: Received, message: Message, local: Unit, remote: Unit) -> None:
    header = received.header
    entry = CatalogueEntry.objects.filter(uid=received.text("Tiltak/Id"), provider=local).first()
    if entry is None:
        raise Refused("tiltaket finnes ikke hos mottakeren")
    asked_on = received.date("SpurtEtaten/Dato")
    birth_date = received.date("Barn/Fodselsdato")
    assert birth_date is not None  # required by the schema
    message.referral = services.referral_receive(
        entry=entry,
        ordering_unit=remote,
        exchange_id=header.id,
        ordered_at=header.sent_at,
        child_name=received.text("Barn/Navn"),
        child_birth_date=birth_date,
        need=received.text("Behov"),
        contact=received.text("Kontakt"),
        wanted_start_on=received.date("OnsketOppstart"),
        agency_asked_on=asked_on,
        agency_answer=received.text("SpurtEtaten/Svar"),
    )


def _withdrawal(received: Received, message: Message, local: Unit, remote: Unit) -> None:
    referral = _referral(received.header, local, remote)
    if referral.provider_id != local.pk:
        raise Refused("bare den som bestilte kan trekke henvisningen")
    message.referral = services.referral_withdraw(
        referral=referral, by=None, note=received.text("Begrunnelse")
    )


def _offer(received: Received, message: Message, local: Unit, remote: Unit) -> None:
    referral = _referral(received.header, local, remote)
    if referral.ordering_unit_id != local.pk:
        raise Refused("bare tilbyderen kan gi tilsagn")
    start_on = received.date("Oppstart")
    assert start_on is not None  # required by the schema
    message.referral = services.referral_offer(
        referral=referral,
        by=None,
        start_on=start_on,
        note=received.text("Merknad"),
        given_on=timezone.localdate(received.header.sent_at),
    )


def _caseworker_receipt(received: Received, message: Message, local: Unit, remote: Unit) -> None:
    referral = _referral(received.header, local, remote)
    if referral.ordering_unit_id != local.pk:
        raise Refused("bare tilbyderen sender saksgang")
    course, note = received.text("Saksgang"), received.text("Merknad")
    day = received.date("Dato")
    assert day is not None  # required by the schema
    if course == "tilbakeringt":
        services.referral_call_back(referral=referral, by=None, called_on=day, note=note)
    elif course == "venteliste":
        services.referral_wait(referral=referral, by=None, note=note)
    else:
        services.referral_decline(referral=referral, by=None, reason=received.text("Avslagsgrunn"), note=note)
    message.referral = referral


def _attachment(received: Received, message: Message, local: Unit, remote: Unit) -> None:
    referral = _referral(received.header, local, remote)
    if referral.ordering_unit_id != local.pk:
        raise Refused("Vern tar imot vedlegg bare fra tilbyderen")
    message.referral = referral
    if received.body.find(f"{{{NS}}}Oppstart") is not None:
        dates = [
            received.date(f"Oppstart/{name}") for name in ("Oppstartsmote", "Start", "Slutt", "Evaluering")
        ]
        meeting, starts, ends, evaluation = (d for d in dates if d is not None)
        hours = received.text("Oppstart/TimerPerMaaned")
        services.assignment_start(
            referral=referral,
            by=None,
            start_meeting_on=meeting,
            starts_on=starts,
            ends_on=ends,
            evaluation_on=evaluation,
            hours_per_month=int(hours) if hours else None,
            price=(Decimal(received.text("Oppstart/Pris")), received.text("Oppstart/Prisenhet")),
        )
        return
    assignment = Assignment.objects.filter(referral=referral).first()
    if assignment is None:
        raise Refused("oppdraget har ikke startet hos mottakeren")
    written_on = received.date("Rapport/Dato")
    assert written_on is not None  # required by the schema
    services.assignment_report(
        assignment=assignment,
        by=None,
        kind=received.text("Rapport/Type"),
        written_on=written_on,
        text=received.text("Rapport/Tekst"),
    )


def _application_receipt(received: Received, message: Message, local: Unit, remote: Unit) -> None:
    sent = _sent(received.header, remote)
    message.referral = sent.referral
    if sent.state in (Message.State.QUEUED, Message.State.SENT):
        sent.state = Message.State.RECEIVED
        sent.save(update_fields=["state"])


def _error_reasons(body: object) -> list[str]:
    reasons = []
    for feil in body:  # type: ignore[attr-defined]
        line, element = feil.findtext(f"{{{NS}}}Linje"), feil.findtext(f"{{{NS}}}Element")
        where = ", ".join(part for part in (f"linje {line}" if line else "", element or "") if part)
        text = feil.findtext(f"{{{NS}}}Beskrivelse") or ""
        reasons.append(f"{where}: {text}" if where else text)
    return reasons


def _error(received: Received, message: Message, local: Unit, remote: Unit) -> None:
    sent = _sent(received.header, remote)
    sent.state = Message.State.FAILED
    sent.error = "; ".join(_error_reasons(received.body))
    sent.save(update_fields=["state", "error"])
    message.referral = referral = sent.referral
    if referral is not None:
        ReferralEvent.objects.create(
            referral=referral,
            status=referral.status,
            at=timezone.now(),
            by=None,
            by_unit=remote,
            note=f"Feilmelding på {sent.kind}: {sent.error}",
        )
        audit(
            event=AuditEvent.REFERRAL_ERROR_RECEIVED,
            by=None,
            obj=referral,
            case_id=referral.case_id,
            unit=local,
        )


def _test(received: Received, message: Message, local: Unit, remote: Unit) -> None:
    """A test message is only answered (applikasjonskvittering), never applied."""


HANDLERS = {
    Kind.REFERRAL: _referral_message,
    Kind.WITHDRAWAL: _withdrawal,
    Kind.OFFER: _offer,
    Kind.CASEWORKER_RECEIPT: _caseworker_receipt,
    Kind.ATTACHMENT: _attachment,
    Kind.APPLICATION_RECEIPT: _application_receipt,
    Kind.ERROR: _error,
    Kind.TEST: _test,
}


def _answer(
    message: Message, header: Header, *, local: Unit, remote: Unit, kind: Kind, body: dict[str, Any]
) -> None:
    outgoing.queue(
        kind=kind,
        sender=local,
        recipient=remote,
        body=body,
        referral=message.referral,
        reply_to=header.id,
        start_id=header.start_id or header.id,
    )


def _message_id(data: bytes, header: Header | None) -> uuid.UUID:
    return header.id if header is not None else uuid.uuid5(_UNREADABLE, hashlib.sha256(data).hexdigest())


def _describe(error: SchemaError) -> str:
    where = ", ".join(part for part in (f"linje {error.line}" if error.line else "", error.path) if part)
    return f"{where}: {error.message}" if where else error.message


@transaction.atomic
def _refuse(data: bytes, header: Header | None, errors: list[SchemaError]) -> Message:
    """Store the message as refused and, if its sender is known and the protocol lets its type be
    answered, queue a feilmelding listing every error."""
    local = _unit(header.recipient, remote=False) if header is not None else None
    remote = _unit(header.sender, remote=True) if header is not None else None
    text = "; ".join(_describe(e) for e in errors)
    message = Message.objects.create(
        message_id=_message_id(data, header),
        direction=Message.Direction.IN,
        kind=header.kind if header is not None else "ukjent",
        counterpart=remote,
        reply_to=header.reply_to if header is not None else None,
        body=data,
        state=Message.State.REJECTED,
        error=text,
    )
    if header is not None and local is not None and remote is not None and header.kind in ACKNOWLEDGED:
        feil = [
            {"Linje": e.line or None, "Element": e.path[:200] or None, "Beskrivelse": e.message[:20000]}
            for e in errors[:100]
        ]
        _answer(message, header, local=local, remote=remote, kind=Kind.ERROR, body={"Feil": feil})
    return message


def handle(data: bytes) -> tuple[Message, str]:
    """Take one message; returns it as stored and what became of it: applied, duplicate or refused."""
    try:
        received = read(data)
    except Malformed as exc:
        header = exc.header
        existing = Message.objects.filter(message_id=_message_id(data, header)).first()
        if existing is not None:
            return existing, "duplicate"
        return _refuse(data, header, exc.errors), "refused"
    header = received.header
    existing = Message.objects.filter(message_id=header.id).first()
    if existing is not None:
        if existing.direction == Message.Direction.IN and existing.state == Message.State.APPLIED:
            with transaction.atomic():
                if header.kind in ACKNOWLEDGED and existing.counterpart is not None:
                    local = _unit(header.recipient, remote=False)
                    if local is not None:
                        _answer(
                            existing,
                            header,
                            local=local,
                            remote=existing.counterpart,
                            kind=Kind.APPLICATION_RECEIPT,
                            body={"Kode": OK_DUPLICATE},
                        )
        return existing, "duplicate"
    try:
        with transaction.atomic():
            local, remote = _sides(header)
            message = Message(
                message_id=header.id,
                direction=Message.Direction.IN,
                kind=header.kind,
                counterpart=remote,
                reply_to=header.reply_to,
                body=data,
                state=Message.State.APPLIED,
            )
            HANDLERS[header.kind](received, message, local, remote)
            message.save()
            if header.kind in ACKNOWLEDGED:
                _answer(
                    message,
                    header,
                    local=local,
                    remote=remote,
                    kind=Kind.APPLICATION_RECEIPT,
                    body={"Kode": OK},
                )
            return message, "applied"
    except Refused as exc:
        return _refuse(data, header, [SchemaError(0, "", str(exc))]), "refused"
    except ValidationError as exc:
        return _refuse(data, header, [SchemaError(0, "", m) for m in exc.messages]), "refused"


def receive(transport: ExchangeTransport | None = None) -> Tally:
    """Take every message waiting for this system's units, then send what is queued (the answers)."""
    transport = transport or default_transport()
    numbers = Unit.objects.filter(remote=False).exclude(organisation_number="")
    tally = Tally()
    for envelope in transport.inbox(numbers.values_list("organisation_number", flat=True)):
        message, outcome = handle(envelope.data)
        envelope.done()
        if outcome == "applied":
            tally.applied += 1
        elif outcome == "duplicate":
            tally.duplicates += 1
        else:
            tally.refused += 1
            tally.reasons.append(f"{envelope.name}: {message.error}")
    outgoing.dispatch(transport)
    return tally
