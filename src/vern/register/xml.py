"""The register's XML format (Barnevern_v4.xsd, bundled unchanged with SSB's MIT licence).

Parsing is safe for hostile input: no DTDs, no entities, no network, libxml2's size limits kept.
``canonical`` is the one notion of "the same document" used both for change detection
(``--changes`` sends a case only if its canonical content differs from its previous document's)
and for the round-trip tests: element order and whitespace do not count, values do.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date
from functools import cache
from importlib import resources
from typing import Any

from lxml import etree

SCHEMA_VERSION = "4.0.1"
# The concepts (BegrepsType) in the order the XSD's SakType sequence has them.
CONCEPTS: tuple[str, ...] = (
    "Personalia",
    "Melding",
    "Undersokelse",
    "Plan",
    "Tiltak",
    "Vedtak",
    "Ettervern",
    "OversendelseFylkesnemnd",
    "Flytting",
    "Relasjon",
)
# Attributes of type xs:date; compared as dates by ``canonical`` (xs:date may carry a time zone).
_DATE_ATTRIBUTES = frozenset(
    {"StartDato", "SluttDato", "Fodseldato", "UtfortDato", "EndretDato", "TilbudSendtDato"}
)
# Elements of type xs:date (BarnetsMedvirkning/StartDato).
_DATE_ELEMENTS = frozenset({"StartDato"})

Element = etree._Element


class InvalidDocument(ValueError):
    """A document that cannot be read or does not conform to the XSD; ``errors`` say where and why."""

    def __init__(self, errors: list[SchemaError]) -> None:
        super().__init__("; ".join(str(e) for e in errors))
        self.errors = errors


@dataclass(frozen=True)
class SchemaError:
    line: int
    path: str
    message: str

    def __str__(self) -> str:
        where = f"linje {self.line}" if self.line else "dokumentet"
        return f"{where}, {self.path or '/'}: {self.message}"


def safe_parser() -> etree.XMLParser:
    """A parser for hostile input: no DTDs, no entities, no network, libxml2's size limits kept."""
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_blank_text=True,
    )


@cache
def schema() -> etree.XMLSchema:
    source = resources.files("vern.register").joinpath("schema/Barnevern_v4.xsd").read_bytes()
    return etree.XMLSchema(etree.fromstring(source, safe_parser()))


def parse(data: bytes) -> Element:
    """The document's root element, or InvalidDocument if it is not well-formed XML."""
    try:
        root = etree.fromstring(data, safe_parser())
    except etree.XMLSyntaxError as exc:
        line = exc.lineno if isinstance(exc.lineno, int) else 0
        raise InvalidDocument([SchemaError(line, "", f"ikke gyldig XML: {exc.msg}")]) from exc
    if root.tag != "Barnevern":
        line = root.sourceline if isinstance(root.sourceline, int) else 0
        raise InvalidDocument([SchemaError(line, f"/{root.tag}", "rotelementet må være Barnevern")])
    return root


def schema_errors(root: Element) -> list[SchemaError]:
    """Where the document breaks the XSD (Kravspesifikasjon "Filbeskrivelse", FATAL)."""
    validator = schema()
    if validator.validate(root):
        return []
    return [SchemaError(e.line, e.path or "", e.message) for e in validator.error_log]  # type: ignore[attr-defined]


def parse_valid(data: bytes) -> Element:
    """Parse and validate against the XSD; raise InvalidDocument with every error."""
    root = parse(data)
    errors = schema_errors(root)
    if errors:
        raise InvalidDocument(errors)
    return root


def to_bytes(root: Element) -> bytes:
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def xml_date(value: date) -> str:
    return value.isoformat()


def read_date(value: str) -> date:
    """An xs:date attribute value, without any time zone it may carry."""
    return date.fromisoformat(value.strip()[:10])


def canonical(element: Element) -> tuple[Any, ...]:
    """The element's content as a nested tuple: attributes sorted, children sorted, whitespace aside."""
    attributes = tuple(
        sorted(
            (str(key), read_date(str(value)).isoformat() if key in _DATE_ATTRIBUTES else str(value))
            for key, value in element.attrib.items()
        )
    )
    text = (element.text or "").strip()
    if text and element.tag in _DATE_ELEMENTS:
        text = read_date(text).isoformat()
    children = tuple(sorted(canonical(child) for child in element if isinstance(child.tag, str)))
    return (element.tag, attributes, text, children)


def content_sha256(sak: Element) -> str:
    """SHA-256 of a Sak's attributes and its items, each item as exclusive C14N, in sorted order.

    Whitespace does not count (documents are parsed without blank text) and neither does the order
    of the items; the order inside an item does (Vern writes it the same way each time). This is
    what ``--changes`` compares with the previous document's.
    """
    digest = hashlib.sha256("".join(f' {k!s}="{v!s}"' for k, v in sorted(sak.attrib.items())).encode())
    for item in sorted(etree.tostring(child, method="c14n", with_tail=False) for child in sak):
        digest.update(item)
    return digest.hexdigest()
