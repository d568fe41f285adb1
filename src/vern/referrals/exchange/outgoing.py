"""What this system tells a unit in another system: each step on a referral shared with such a unit
becomes one protocol message, queued in the step's own transaction and sent after it commits (and by
``vern exchange`` if the transport was down). A step that came as a message is never sent back."""

from __future__ import annotations

import logging
import uuid
from typing import Any

from django.db import transaction
from django.utils import timezone

from vern.core.models import Unit, User
from vern.referrals.exchange.protocol import Header, Kind, Party, build
from vern.referrals.exchange.transport import ExchangeTransport, default_transport
from vern.referrals.models import AssignmentReport, Message, Referral

log = logging.getLogger(__name__)
Status = Referral.Status


def party(unit: Unit) -> Party:
    municipality, district = unit.host_municipality, unit.district
    return Party(
        organisation_number=unit.organisation_number,
        name=unit.name,
        actor="Barnevern1Linje" if unit.kind == Unit.Kind.SERVICE else "Barnevern2Linje",
        municipality_number=municipality.number,
        municipality_name=municipality.name,
        district_number=district.number if district else "",
        district_name=district.name if district else "",
    )


def _counterpart(referral: Referral, acting: Unit) -> Unit | None:
    """The unit in another system that must hear of a step ``acting`` took here, or None."""
    if acting.remote:
        return None  # the step came from there
    other = referral.provider if acting.pk == referral.ordering_unit_id else referral.ordering_unit
    return other if other.remote else None


def queue(
    *,
    kind: Kind,
    sender: Unit,
    recipient: Unit,
    body: dict[str, Any],
    referral: Referral | None = None,
    reply_to: uuid.UUID | None = None,
    start_id: uuid.UUID | None = None,
    by: User | None = None,
) -> Message:
    """Build the message (schema-checked) and queue it; it goes out when the transaction commits."""
    header = Header(
        id=uuid.uuid4(),
        kind=kind,
        sent_at=timezone.localtime(),
        sender=party(sender),
        recipient=party(recipient),
        start_id=start_id,
        reply_to=reply_to,
        sender_ref=str(referral.pk) if referral is not None else "",
        contact=(by.get_full_name() or by.username) if by is not None else "",
    )
    message = Message.objects.create(
        message_id=header.id,
        direction=Message.Direction.OUT,
        kind=kind,
        counterpart=recipient,
        referral=referral,
        reply_to=reply_to,
        body=build(header, body),
        state=Message.State.QUEUED,
    )
    transaction.on_commit(_dispatch_quietly)
    return message


def _step_body(referral: Referral, to: str, note: str) -> tuple[Kind, dict[str, Any]] | None:
    if to == Status.ORDERED:
        asked = None
        if referral.agency_asked_on is not None:
            asked = {"Dato": referral.agency_asked_on, "Svar": referral.agency_answer}
        return Kind.REFERRAL, {
            "Tiltak": {"Id": str(referral.entry.uid), "Navn": referral.entry.name},
            "Barn": {"Navn": referral.child_name, "Fodselsdato": referral.child_birth_date},
            "Behov": referral.need,
            "Kontakt": referral.contact or referral.ordering_unit.name,
            "OnsketOppstart": referral.wanted_start_on,
            "SpurtEtaten": asked,
        }
    if to == Status.WITHDRAWN:
        return Kind.WITHDRAWAL, {"Begrunnelse": note}
    if to == Status.OFFERED:
        return Kind.OFFER, {"Oppstart": referral.offered_start_on, "Merknad": note}
    if to in (Status.CALLED_BACK, Status.WAITING, Status.DECLINED):
        course: dict[str, str] = {
            Status.CALLED_BACK: "tilbakeringt",
            Status.WAITING: "venteliste",
            Status.DECLINED: "avslag",
        }
        day = referral.called_back_on if to == Status.CALLED_BACK else timezone.localdate()
        return Kind.CASEWORKER_RECEIPT, {
            "Saksgang": course[to],
            "Dato": day,
            "Avslagsgrunn": referral.decline_reason if to == Status.DECLINED else None,
            "Merknad": note,
        }
    if to == Status.STARTED:
        a = referral.assignment
        return Kind.ATTACHMENT, {
            "Oppstart": {
                "Oppstartsmote": a.start_meeting_on,
                "Start": a.starts_on,
                "Slutt": a.ends_on,
                "Evaluering": a.evaluation_on,
                "TimerPerMaaned": a.hours_per_month,
                "Pris": f"{a.price:.2f}",
                "Prisenhet": a.price_unit,
            }
        }
    return None  # completed: the final report's own message says it


def for_step(referral: Referral, to: str, *, acting: Unit, by: User | None, note: str = "") -> None:
    """Tell the unit in another system (if the referral has one) of the step ``acting`` took."""
    recipient = _counterpart(referral, acting)
    if recipient is None:
        return
    message = _step_body(referral, to, note)
    if message is None:
        return
    kind, body = message
    follow_up = referral.exchange_id if kind is not Kind.REFERRAL else None
    sent = queue(
        kind=kind,
        sender=acting,
        recipient=recipient,
        body=body,
        referral=referral,
        reply_to=follow_up,
        start_id=follow_up,
        by=by,
    )
    if kind is Kind.REFERRAL:
        referral.exchange_id = sent.message_id
        referral.save(update_fields=["exchange_id"])


def for_report(report: AssignmentReport, *, by: User | None) -> None:
    """An evaluation or the final report, sent to the ordering service's system as an attachment."""
    referral = report.assignment.referral
    recipient = _counterpart(referral, referral.provider)
    if recipient is None:
        return
    queue(
        kind=Kind.ATTACHMENT,
        sender=referral.provider,
        recipient=recipient,
        body={"Rapport": {"Type": report.kind, "Dato": report.written_on, "Tekst": report.text}},
        referral=referral,
        reply_to=referral.exchange_id,
        start_id=referral.exchange_id,
        by=by,
    )


def dispatch(transport: ExchangeTransport | None = None) -> int:
    """Hand every queued message to the transport, oldest first; the number sent. A message the
    transport refused stays queued (the exception propagates) and is sent next time."""
    transport = transport or default_transport()
    sent = 0
    queued = Message.objects.filter(direction=Message.Direction.OUT, state=Message.State.QUEUED)
    for message in queued.select_related("counterpart").order_by("pk"):
        assert message.counterpart is not None  # every sent message has its recipient
        transport.send(
            message.counterpart.organisation_number, f"{message.message_id}.xml", bytes(message.body)
        )
        queued.filter(pk=message.pk).update(state=Message.State.SENT, sent_at=timezone.now())
        sent += 1
    return sent


def _dispatch_quietly() -> None:
    """After a step commits: send at once if the transport is there; ``vern exchange`` retries."""
    try:
        dispatch()
    except Exception:  # the step has committed: sending must never undo it or fail the request
        log.warning("referral messages not sent now; vern exchange will send them", exc_info=True)
