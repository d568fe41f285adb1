"""Receiving digital reports of concern: every valid message exactly once, every receipt true.

One transaction per message stores the message as it arrived, registers a report of concern for
every child in it (or quarantines it with the reason) and queues the receipt; the receipt is sent
only after that commit (``receipts_dispatch``). So a ``mottatt`` is never sent for a report that is
not stored, and a message redelivered (the same message id, or the same bytes) gives no second
report but a second ``mottatt``. A process killed at any point leaves either nothing of a message
(it is still waiting, and is ingested again) or all of it.
"""

from __future__ import annotations

import contextlib
import hashlib
import secrets
from dataclasses import dataclass
from datetime import date, timedelta

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from vern.cases.models import BirthDateBasis, Case, Gender, Party
from vern.cases.services import ChildFacts, case_open_or_get, child_find_or_create
from vern.core.audit import audit
from vern.core.audit_events import AuditEvent
from vern.core.codelists import paths
from vern.core.codes import CodedEntry
from vern.core.dates import today
from vern.core.identity import IdentityNumberKind, InvalidIdentityNumber, classify
from vern.core.models import SPECIFICATION_LENGTH, Code, District, Municipality, Unit
from vern.intake.digital import messages, reporters
from vern.intake.digital.messages import ConcernMessage, Invalid, MessageChild
from vern.intake.digital.transport import ReceiptTransport, default_transport
from vern.intake.models import Channel, ConcernReport, InboundMessage, IngestClient, Receipt, ReportReporter
from vern.rules import ages

# An unborn child without a term date: the birth is assumed about four months ahead until intake knows.
_UNBORN_ESTIMATE_DAYS = 120
# A child whose age the reporter did not give: the date column needs a value, so nine years back
# (the middle of 0–17) stands in; the child's birth date is "unknown" and never shown or exported.
_UNKNOWN_AGE = 9
_HALF_YEAR_DAYS = 182
_REFERENCE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


@dataclass(frozen=True)
class Delivery:
    """One message as a transport handed it over."""

    raw: bytes
    source: str
    message_type: str | None = None  # the transport's meldingstype, when it gave one
    message_id: str | None = None  # the transport's meldingId, when it gave one
    pdf: bytes | None = None
    client: IngestClient | None = None
    address_hash: str = ""


@dataclass(frozen=True)
class Outcome:
    message: InboundMessage
    accepted: bool
    duplicate: bool
    receipt: Receipt

    @property
    def reason(self) -> str:
        return self.message.reason


def _reference() -> str:
    return "BM-" + "".join(secrets.choice(_REFERENCE_ALPHABET) for _ in range(8))


def route(municipality: str, district: str) -> Unit | Invalid:
    """The service that receives reports for a municipality (and district, where it has districts)."""
    place = Municipality.objects.filter(number=municipality).first()
    if place is None:
        return Invalid(f"Kommunenummer {municipality} har ingen barneverntjeneste i dette systemet")
    services = Unit.objects.filter(kind=Unit.Kind.SERVICE)
    if District.objects.filter(municipality=place).exists():
        unit = services.filter(district__municipality=place, district__number=district).first()
        if unit is None:
            return Invalid(
                f"Bydel {district} i kommune {municipality} har ingen barneverntjeneste i dette systemet"
            )
        return unit
    unit = services.filter(Q(municipalities=place) | Q(host_municipality=place)).order_by("pk").first()
    if unit is None:
        return Invalid(f"Kommunenummer {municipality} har ingen barneverntjeneste i dette systemet")
    return unit


def _estimated_birth(age: int, on: date) -> date:
    """The middle of the year in which a child who is ``age`` on ``on`` was born, so the estimate
    gives that age on the day of the report and grows older with the child."""
    return ages.birthday(on, -age) - timedelta(days=_HALF_YEAR_DAYS)


def _child_facts(child: MessageChild, day: date) -> ChildFacts:
    names = child.name.split()
    first, last = (" ".join(names[:-1]), names[-1]) if len(names) > 1 else (child.name, "")
    identity = child.identity
    if identity is None and child.unborn and child.birth_date is not None:
        # The register's number for a child not yet born: its term date + 99999.
        with contextlib.suppress(InvalidIdentityNumber):  # parse checked the term date already
            identity = classify(f"{child.birth_date:%d%m%y}99999", today=day)
    if identity is not None:
        birth = identity.birth_date or day
        unborn = identity.kind == IdentityNumberKind.UNBORN_PLACEHOLDER
        gender = Gender.UNBORN if unborn else (identity.gender or Gender.UNKNOWN)
        return ChildFacts(identity, "", birth, gender, first, last, address=child.address)
    if child.birth_date is not None:
        basis, birth = BirthDateBasis.KNOWN, child.birth_date
    elif child.unborn:
        basis, birth = BirthDateBasis.UNKNOWN, day + timedelta(days=_UNBORN_ESTIMATE_DAYS)
    elif child.estimated_age is not None:
        basis, birth = BirthDateBasis.ESTIMATED, _estimated_birth(child.estimated_age, day)
    else:
        basis, birth = BirthDateBasis.UNKNOWN, ages.birthday(day, -_UNKNOWN_AGE)
    gender = Gender.UNBORN if child.unborn else Gender.UNKNOWN
    return ChildFacts(None, "", birth, gender, first, last, address=child.address, birth_date_basis=basis)


def _add_guardians(case: Case, message: ConcernMessage) -> None:
    known = set(case.parties.values_list("name", flat=True))
    Party.objects.bulk_create(
        Party(
            case=case,
            name=g.name,
            relation=reporters.guardian_relation(g.relation),
            phone=g.phone,
            parental_responsibility=True,
        )
        for g in message.guardians
        if g.name and g.name not in known
    )


def reporter_entry(message: ConcernMessage, child: MessageChild, on: date) -> CodedEntry | None:
    """The register's reporter code for the report about ``child``, from what the reporter chose
    (intake.digital.reporters): the first candidate code valid on ``on``. None when the message does
    not say (a national public message names no service): intake then adds who reported."""
    found = reporters.reporter_code(
        public=message.public,
        anonymous=message.anonymous,
        service=message.service,
        relation=child.relation,
        workplace=message.workplace,
    )
    if found is None:
        return None
    valid = set(
        Code.objects.filter(list_path=paths.REPORTER, code__in=found.codes)
        .valid_on(on)
        .values_list("code", flat=True)
    )
    code = next((c for c in found.codes if c in valid), None)
    return None if code is None else CodedEntry(code, found.specification[:SPECIFICATION_LENGTH])


def _register(stored: InboundMessage, message: ConcernMessage, unit: Unit) -> list[ConcernReport]:
    received_on = stored.received_at.astimezone(timezone.get_current_timezone()).date()
    reports = []
    for child in message.children:
        found, _created = child_find_or_create(facts=_child_facts(child, received_on))
        case, _opened = case_open_or_get(unit=unit, child=found, by=None, opened_on=received_on)
        report = ConcernReport.objects.create(
            case=case,
            received_at=stored.received_at,
            channel=Channel.DIGITAL,
            text=message.text,
            registered_by=None,
            message=stored,
        )
        entry = reporter_entry(message, child, received_on)
        if entry is not None:
            ReportReporter.objects.create(report=report, code=entry.code, specification=entry.specification)
        _add_guardians(case, message)
        audit(
            event=AuditEvent.REPORT_RECEIVED_DIGITALLY,
            by=None,
            obj=report,
            case_id=case.pk,
            unit=unit,
            extra={"reference": stored.reference},
        )
        reports.append(report)
    return reports


def _queue(stored: InboundMessage, kind: str) -> Receipt:
    body = messages.receipt_body(
        kind, message_id=stored.message_id, reference=stored.reference, reason=stored.reason
    )
    return Receipt.objects.create(message=stored, kind=kind, body=body)


def _redelivered(existing: InboundMessage) -> Outcome:
    accepted = existing.status == InboundMessage.Status.ACCEPTED
    receipt = _queue(existing, messages.RECEIVED if accepted else messages.FAILED)
    return Outcome(existing, accepted=accepted, duplicate=True, receipt=receipt)


def _understand(delivery: Delivery) -> tuple[ConcernMessage, Unit] | Invalid:
    parsed = messages.parse(delivery.raw, message_type=delivery.message_type, today=today())
    if isinstance(parsed, Invalid):
        return parsed
    unit = route(parsed.municipality, parsed.district)
    return unit if isinstance(unit, Invalid) else (parsed, unit)


def _store(delivery: Delivery, message_id: str, digest: str) -> Outcome:
    understood = _understand(delivery)
    problem = understood if isinstance(understood, Invalid) else None
    message, unit = (None, None) if isinstance(understood, Invalid) else understood
    stored = InboundMessage.objects.create(
        message_id=message_id,
        sha256=digest,
        message_type=message.message_type if message else (delivery.message_type or "")[:100],
        body=delivery.raw,
        pdf=delivery.pdf,
        source=delivery.source,
        client=delivery.client,
        address_hash=delivery.address_hash,
        received_at=timezone.now(),
        status=InboundMessage.Status.QUARANTINED if problem else InboundMessage.Status.ACCEPTED,
        reason=problem.reason if problem else "",
        unit=unit,
        reference=_reference(),
    )
    if message is None or unit is None:
        audit(
            event=AuditEvent.DIGITAL_MESSAGE_QUARANTINED,
            by=None,
            obj=stored,
            extra={"reference": stored.reference},
        )
        return Outcome(stored, accepted=False, duplicate=False, receipt=_queue(stored, messages.FAILED))
    _register(stored, message, unit)
    return Outcome(stored, accepted=True, duplicate=False, receipt=_queue(stored, messages.RECEIVED))


def ingest(delivery: Delivery) -> Outcome:
    """Store, register or quarantine one message and queue its receipt, in one transaction."""
    digest = hashlib.sha256(delivery.raw).hexdigest()
    message_id = (delivery.message_id or "").strip()[:100] or f"sha256:{digest}"
    same = Q(message_id=message_id) | Q(sha256=digest)
    try:
        with transaction.atomic():
            existing = InboundMessage.objects.filter(same).first()
            return _redelivered(existing) if existing is not None else _store(delivery, message_id, digest)
    except IntegrityError:
        # The same message arrived concurrently and the other delivery stored it first.
        with transaction.atomic():
            existing = InboundMessage.objects.filter(same).first()
            if existing is None:
                raise
            return _redelivered(existing)


def receipts_dispatch(transport: ReceiptTransport | None = None) -> int:
    """Send every queued receipt, oldest first; a receipt is marked sent only after it went out."""
    transport = transport or default_transport()
    sent = 0
    for receipt in (
        Receipt.objects.filter(sent_at__isnull=True).select_related("message").order_by("created_at", "pk")
    ):
        transport.send(receipt)
        Receipt.objects.filter(pk=receipt.pk).update(sent_at=timezone.now())
        sent += 1
    return sent
