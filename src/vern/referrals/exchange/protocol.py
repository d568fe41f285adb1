"""The messages of Bufdir's first-line/second-line protocol (``bufdir.no.barnevern.ks.fiks.protokoll.v1``)
as XML: a header after Bufdir's Meldingshode and one body per message type, validated against the
bundled ``schema/henvisning-v1.xsd`` (lxml) both when built and when received.

Which type may answer which is the protocol's own table (its ``meldingstyper.json``: ``erSvarPaa``
and ``kanSvareMed``); receipts and error messages are never answered, so two systems cannot loop.
Parsing is safe for hostile input, with the register documents' parser (``register.xml.safe_parser``).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime
from enum import StrEnum
from functools import cache
from importlib import metadata, resources
from typing import Any

from lxml import etree

from vern.register.xml import SchemaError, safe_parser

PROTOCOL = "bufdir.no.barnevern.ks.fiks.protokoll.v1"
NS = "urn:no:vern:henvisning:v1"
# Messages larger than this are refused unread.
MAX_BYTES = 5 * 1024 * 1024


class Kind(StrEnum):
    REFERRAL = "henvisning"
    ATTACHMENT = "vedleggsmelding"
    WITHDRAWAL = "trukketmelding"
    OFFER = "tilsagn"
    APPLICATION_RECEIPT = "applikasjonskvittering"
    CASEWORKER_RECEIPT = "saksbehandlerkvittering"
    ERROR = "feilmelding"
    TEST = "testmelding"

    @property
    def type_id(self) -> str:
        return f"{PROTOCOL}.{self.value}"


# The body element of each type, and the caption the header's Meldingstype carries.
BODY: dict[Kind, str] = {
    Kind.REFERRAL: "Henvisning",
    Kind.ATTACHMENT: "Vedlegg",
    Kind.WITHDRAWAL: "Trukket",
    Kind.OFFER: "Tilsagn",
    Kind.APPLICATION_RECEIPT: "Applikasjonskvittering",
    Kind.CASEWORKER_RECEIPT: "Saksbehandlerkvittering",
    Kind.ERROR: "Feilmelding",
    Kind.TEST: "Testmelding",
}
CAPTION: dict[Kind, str] = {
    Kind.REFERRAL: "Henvisning",
    Kind.ATTACHMENT: "Vedleggsmelding",
    Kind.WITHDRAWAL: "Trukket melding",
    Kind.OFFER: "Tilsagn",
    Kind.APPLICATION_RECEIPT: "Applikasjonskvittering",
    Kind.CASEWORKER_RECEIPT: "Saksbehandlerkvittering",
    Kind.ERROR: "Feilmelding",
    Kind.TEST: "Testmelding",
}
_ANSWERABLE = frozenset({Kind.REFERRAL, Kind.ATTACHMENT, Kind.WITHDRAWAL})
# erSvarPaa: the types each type may answer (None: it starts or follows up a conversation itself).
ANSWERS: dict[Kind, frozenset[Kind] | None] = {
    Kind.REFERRAL: None,
    Kind.ATTACHMENT: None,
    Kind.WITHDRAWAL: None,
    Kind.TEST: None,
    Kind.OFFER: frozenset({Kind.REFERRAL}),
    Kind.APPLICATION_RECEIPT: _ANSWERABLE | {Kind.OFFER, Kind.TEST},
    Kind.ERROR: _ANSWERABLE | {Kind.OFFER, Kind.TEST},
    Kind.CASEWORKER_RECEIPT: _ANSWERABLE,
}
# Types the recipient's system acknowledges (applikasjonskvittering) or refuses (feilmelding).
ACKNOWLEDGED = frozenset({Kind.REFERRAL, Kind.ATTACHMENT, Kind.WITHDRAWAL, Kind.OFFER, Kind.TEST})
# OppfolgingAvMelding/MeldingsForbindelse of each follow-up.
LINK: dict[Kind, str] = {
    Kind.ATTACHMENT: "Tillegg",
    Kind.WITHDRAWAL: "Trukket",
    Kind.OFFER: "Svar",
    Kind.APPLICATION_RECEIPT: "ApplikasjonsKvittering",
    Kind.CASEWORKER_RECEIPT: "SaksbehandlerKvittering",
    Kind.ERROR: "Feil",
}
OK = 200
OK_DUPLICATE = 201


@dataclass(frozen=True)
class Party:
    """Avsender or Mottaker: an organisation, with its municipality and district where it has them."""

    organisation_number: str
    name: str
    actor: str  # Barnevern1Linje, Barnevern2Linje, ...
    municipality_number: str = ""
    municipality_name: str = ""
    district_number: str = ""
    district_name: str = ""


@dataclass(frozen=True)
class Header:
    id: uuid.UUID
    kind: Kind
    sent_at: datetime
    sender: Party
    recipient: Party
    # OppfolgingAvMelding: the conversation's first message and the message this one follows.
    start_id: uuid.UUID | None = None
    reply_to: uuid.UUID | None = None
    sender_ref: str = ""
    contact: str = ""


class Malformed(ValueError):
    """A message that cannot be read or breaks the schema or the protocol. ``header`` is what could
    be read of it (None when not even the sender is known), so an error message can answer it."""

    def __init__(self, errors: list[SchemaError], header: Header | None = None) -> None:
        super().__init__("; ".join(str(e) for e in errors))
        self.errors = errors
        self.header = header


def _q(name: str) -> str:
    return f"{{{NS}}}{name}"


@cache
def schema() -> etree.XMLSchema:
    source = resources.files("vern.referrals.exchange").joinpath("schema/henvisning-v1.xsd").read_bytes()
    return etree.XMLSchema(etree.fromstring(source, safe_parser()))


# --- building ---------------------------------------------------------------------------------

Value = str | int | date | dict[str, Any] | list[Any] | None


def _add(parent: etree._Element, name: str, value: Value) -> None:
    """``name`` under ``parent``: a dict becomes child elements in its order, a list repeats the
    element, None is left out."""
    if value is None or value == "":
        return
    if isinstance(value, list):
        for item in value:
            _add(parent, name, item)
        return
    element = etree.SubElement(parent, _q(name))
    if isinstance(value, dict):
        for key, item in value.items():
            _add(element, key, item)
    elif isinstance(value, datetime):
        element.text = value.isoformat(timespec="seconds")
    elif isinstance(value, date):
        element.text = value.isoformat()
    else:
        element.text = str(value)


def _party(party: Party) -> dict[str, Any]:
    municipality = None
    if party.municipality_number:
        district = (
            {"Bydelsnummer": party.district_number, "Bydelsnavn": party.district_name}
            if party.district_number
            else None
        )
        municipality = {
            "Kommunenummer": party.municipality_number,
            "Kommunenavn": party.municipality_name,
            "Bydelsinfo": district,
        }
    return {
        "Organisasjonsnummer": party.organisation_number,
        "Navn": party.name,
        "Aktortype": party.actor,
        "Kommuneinfo": municipality,
    }


def build(header: Header, body: dict[str, Any]) -> bytes:
    """The message as UTF-8 XML; raises Malformed if it would break the schema (a bug here, or a
    value no schema allows, such as an empty need)."""
    root = etree.Element(_q("Melding"), nsmap={None: NS})  # type: ignore[dict-item]
    follow_up = None
    if header.reply_to is not None:
        follow_up = {
            "MeldingsForbindelse": LINK[header.kind],
            "StartMeldingId": str(header.start_id or header.reply_to),
            "MeldingId": str(header.reply_to),
        }
    _add(
        root,
        "Meldingshode",
        {
            "Id": str(header.id),
            "OppfolgingAvMelding": follow_up,
            "MeldingstypeNmsp": header.kind.type_id,
            "Meldingstype": CAPTION[header.kind],
            "FagsystemAvsender": {"Leverandor": "Vern", "Navn": "Vern", "Versjon": metadata.version("vern")},
            "SendtTidspunkt": header.sent_at,
            "Avsender": _party(header.sender),
            "Mottaker": _party(header.recipient),
            "AvsendersRef": header.sender_ref,
            "KontaktInfoAvsender": {"Kontaktperson": {"Navn": header.contact}} if header.contact else None,
        },
    )
    _add(root, BODY[header.kind], body)
    validator = schema()
    if not validator.validate(root):
        raise Malformed([SchemaError(e.line, e.path or "", e.message) for e in validator.error_log])  # type: ignore[attr-defined]
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


# --- reading ----------------------------------------------------------------------------------


def _text(element: etree._Element | None, path: str) -> str:
    found = element.find(path, {"m": NS}) if element is not None else None
    return (found.text or "").strip() if found is not None else ""


def _read_party(element: etree._Element | None) -> Party:
    return Party(
        organisation_number=_text(element, "m:Organisasjonsnummer"),
        name=_text(element, "m:Navn"),
        actor=_text(element, "m:Aktortype"),
        municipality_number=_text(element, "m:Kommuneinfo/m:Kommunenummer"),
        municipality_name=_text(element, "m:Kommuneinfo/m:Kommunenavn"),
        district_number=_text(element, "m:Kommuneinfo/m:Bydelsinfo/m:Bydelsnummer"),
        district_name=_text(element, "m:Kommuneinfo/m:Bydelsinfo/m:Bydelsnavn"),
    )


def _uuid(value: str) -> uuid.UUID | None:
    try:
        return uuid.UUID(value)
    except ValueError:
        return None


def _lenient_header(root: etree._Element) -> Header | None:
    """What can be read of the header of a message that may break the schema: enough to answer it
    with an error message (its id, type and sender), or None."""
    head = root.find(_q("Meldingshode"))
    message_id = _uuid(_text(head, "m:Id"))
    type_id = _text(head, "m:MeldingstypeNmsp")
    sender = _read_party(head.find(_q("Avsender")) if head is not None else None)
    kinds = {k.type_id: k for k in Kind}
    if head is None or message_id is None or type_id not in kinds or not sender.organisation_number:
        return None
    try:
        sent_at = datetime.fromisoformat(_text(head, "m:SendtTidspunkt"))
    except ValueError:
        sent_at = datetime.min.replace(tzinfo=UTC)
    return Header(
        id=message_id,
        kind=kinds[type_id],
        sent_at=sent_at,
        sender=sender,
        recipient=_read_party(head.find(_q("Mottaker"))),
        start_id=_uuid(_text(head, "m:OppfolgingAvMelding/m:StartMeldingId")),
        reply_to=_uuid(_text(head, "m:OppfolgingAvMelding/m:MeldingId")),
        sender_ref=_text(head, "m:AvsendersRef"),
        contact=_text(head, "m:KontaktInfoAvsender/m:Kontaktperson/m:Navn"),
    )


@dataclass(frozen=True)
class Received:
    header: Header
    body: etree._Element

    def text(self, path: str) -> str:
        """The text at ``path`` under the body (element names without namespace, ``/`` between)."""
        return _text(self.body, "/".join(f"m:{step}" for step in path.split("/")))

    def date(self, path: str) -> date | None:
        value = self.text(path)
        return date.fromisoformat(value[:10]) if value else None


def _named(root: etree._Element, path: str | None) -> str:
    """libxml2's positional path (``/*/*[2]/*[1]``) as element names (``/Melding/Henvisning/Barn``)."""
    try:
        found = root.xpath(path) if path else None
    except etree.XPathError:
        found = None
    element = found[0] if isinstance(found, list) and found else None
    if not isinstance(element, etree._Element):
        return path or ""
    names = [etree.QName(e).localname for e in [element, *element.iterancestors()]]
    return "/" + "/".join(reversed(names))


def _line(element: etree._Element) -> int:
    return element.sourceline if isinstance(element.sourceline, int) else 0


def read(data: bytes) -> Received:
    """The message's header and body, or Malformed with every error (and the header if readable)."""
    if len(data) > MAX_BYTES:
        raise Malformed([SchemaError(0, "", f"meldingen er større enn {MAX_BYTES // 1024 // 1024} MB")])
    try:
        root = etree.fromstring(data, safe_parser())
    except etree.XMLSyntaxError as exc:
        line = exc.lineno if isinstance(exc.lineno, int) else 0
        raise Malformed([SchemaError(line, "", f"ikke gyldig XML: {exc.msg}")]) from exc
    if root.tag != _q("Melding"):
        raise Malformed([SchemaError(_line(root), f"/{root.tag}", "rotelementet må være Melding")])
    header = _lenient_header(root)
    validator = schema()
    if not validator.validate(root):
        errors = [SchemaError(e.line, _named(root, e.path), e.message) for e in validator.error_log]  # type: ignore[attr-defined]
        raise Malformed(errors, header)
    assert header is not None  # a valid message has a readable header
    body = root[1]
    if body.tag != _q(BODY[header.kind]):
        raise Malformed(
            [SchemaError(_line(body), "/Melding", f"en {header.kind} må ha {BODY[header.kind]}")],
            header,
        )
    allowed = ANSWERS[header.kind]
    if allowed is not None and header.reply_to is None:
        raise Malformed(
            [SchemaError(0, "/Melding/Meldingshode", f"en {header.kind} må svare på en melding")], header
        )
    if header.kind in (Kind.ATTACHMENT, Kind.WITHDRAWAL) and header.reply_to is None:
        raise Malformed(
            [SchemaError(0, "/Melding/Meldingshode", f"en {header.kind} må følge opp en henvisning")], header
        )
    return Received(header, body)
