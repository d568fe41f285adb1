"""Pre-submission control: the register's validation rules (Kravspesifikasjon.md, bundled) as Vern's own.

The control runs on a register document, whichever way it came: built from the database before an
export (``register.build``) or read from a file (``vern check_register --file``). So the same data
gives the same findings by construction. Each rule carries its id as the specification names it
("Tiltak 9"), its severity, the severity it has for an item with a MigrertId (data migrated from an
earlier system), and the date it is valid from (compared with the document's DatoUttrekk).

Items marked ``ErSlettet="true"`` are gone from the register's point of view and are not checked.
Where the specification's wording is ambiguous the reading chosen is said at the rule. No Django
import: the control needs nothing but the document.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from itertools import combinations
from typing import Any

from vern.core.identity import InvalidIdentityNumber, classify, validate_duf
from vern.register import schema_text
from vern.register.xml import Element, SchemaError, canonical, read_date
from vern.rules import ages
from vern.rules.deadlines import add_months
from vern.rules.legal_basis import BVL2021_IN_FORCE, Law, LegalBases, LegalBasis, is_care_order
from vern.rules.measures import MAX_PLACEMENT_OVERLAP_DAYS, Period, is_placement, overlap_days


class Severity(enum.StrEnum):
    FATAL = "FATAL"
    ERROR = "ERROR"
    WARNING = "WARNING"
    INFO = "INFO"


SEVERITY_ORDER = (Severity.FATAL, Severity.ERROR, Severity.WARNING, Severity.INFO)
SEVERITY_LABELS = {
    Severity.FATAL: "Avvist",
    Severity.ERROR: "Feil",
    Severity.WARNING: "Advarsel",
    Severity.INFO: "Merknad",
}


@dataclass(frozen=True)
class Finding:
    rule: str
    severity: Severity
    message: str
    # The register concept the finding is about ("Tiltak", "Sak", "Avgiver", ...) and its Id.
    concept: str
    item_id: str | None

    def as_json(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "severity": self.severity.value,
            "message": self.message,
            "concept": self.concept,
            "item_id": self.item_id,
        }


# ---------------------------------------------------------------------------------------------
# A read-only view of one document


def _true(value: str | None) -> bool:
    return value is not None and value.strip() in {"true", "1"}


def _date(element: Element | None, attribute: str) -> date | None:
    if element is None:
        return None
    value = element.get(attribute)
    return read_date(value) if value else None


def _fmt(day: date | None) -> str:
    return f"{day:%d.%m.%Y}" if day else ""


@dataclass
class Item:
    """One element with an Id directly under Sak, with its start and end as the rules read them."""

    concept: str
    element: Element
    id: str
    migrated: bool
    start: date | None
    end: date | None
    # Whether the concept has an end at all (Konklusjon/SluttDato): what "mangler sluttdato" means.
    can_end: bool

    def child(self, tag: str) -> Element | None:
        return self.element.find(tag)

    def children(self, tag: str) -> list[Element]:
        return self.element.findall(tag)


# concept -> (start attribute on the element, whether its end is Konklusjon/@SluttDato)
_SHAPES: dict[str, tuple[str | None, bool]] = {
    "Personalia": ("StartDato", False),
    "Melding": ("StartDato", True),
    "Undersokelse": ("StartDato", True),
    "Plan": ("StartDato", True),
    "Tiltak": ("StartDato", True),
    "Vedtak": ("StartDato", True),
    "Ettervern": ("TilbudSendtDato", True),
    "OversendelseFylkesnemnd": ("StartDato", False),
    "Flytting": (None, False),
    "Relasjon": (None, False),
}


def _item(concept: str, element: Element) -> Item:
    start_attribute, concludes = _SHAPES[concept]
    start = _date(element, start_attribute) if start_attribute else None
    if concludes:
        end = _date(element.find("Konklusjon"), "SluttDato")
    elif concept == "Flytting":
        end = _date(element, "SluttDato")
    else:
        end = None
    return Item(
        concept, element, element.get("Id", ""), bool(element.get("MigrertId")), start, end, concludes
    )


@dataclass
class Context:
    root: Element
    sak: Element
    extracted: date
    items: dict[str, list[Item]]
    # (FraType, FraId, TilType, TilId) of every relation in the document.
    relations: set[tuple[str, str, str, str]]
    # (concept, Id) of what the register already holds of the case (its previous document), when known.
    known: set[tuple[str, str]] | None
    sak_start: date | None = None
    sak_end: date | None = None
    birth: date | None = None
    ids: dict[str, set[str]] = field(default_factory=dict)

    def of(self, concept: str) -> list[Item]:
        return self.items.get(concept, [])

    def related(self, from_type: str, from_id: str, to_type: str, to_id: str) -> bool:
        return (from_type, from_id, to_type, to_id) in self.relations

    def age(self, on: date | None = None) -> int | None:
        if self.birth is None:
            return None
        return ages.age_on(self.birth, on or self.extracted)

    def open_items(self) -> list[Item]:
        """Sub-elements that can end but have not (Sak kontroll 7, 8, 23), decisions aside."""
        return [
            i for c, items in self.items.items() if c != "Vedtak" for i in items if i.can_end and not i.end
        ]


def known_items(previous: Element) -> set[tuple[str, str]]:
    """(concept, Id) of every item a document holds or has reported deleted: what Sak kontroll 22 needs."""
    sak = previous.find("Sak")
    if sak is None:
        return set()
    known = {(e.tag, e.get("Id", "")) for e in sak if isinstance(e.tag, str) and e.tag != "Slettet"}
    return known | {(e.get("Type", ""), e.get("Id", "")) for e in sak.findall("Slettet")}


def context(root: Element, *, known: set[tuple[str, str]] | None = None) -> Context:
    sak = root.find("Sak")
    assert sak is not None, "schema-valid documents have a Sak"
    extracted = datetime.fromisoformat(root.get("DatoUttrekk", "")).date()
    items: dict[str, list[Item]] = {}
    for concept in _SHAPES:
        items[concept] = [
            _item(concept, element) for element in sak.findall(concept) if not _true(element.get("ErSlettet"))
        ]
    relations = {
        (r.get("FraType", ""), r.get("FraId", ""), r.get("TilType", ""), r.get("TilId", ""))
        for r in (i.element for i in items["Relasjon"])
    }
    ctx = Context(root, sak, extracted, items, relations, known)
    ctx.sak_start = _date(sak, "StartDato")
    ctx.sak_end = _date(sak, "SluttDato")
    personalia = sorted(items["Personalia"], key=lambda i: i.start or date.min)
    if personalia:
        ctx.birth = _date(personalia[-1].element, "Fodseldato")
    ctx.ids = {concept: {i.id for i in found} for concept, found in items.items()}
    return ctx


# ---------------------------------------------------------------------------------------------
# The rules


Check = Callable[[Context, "Rule"], Iterator[Finding]]


@dataclass(frozen=True)
class Rule:
    id: str
    title: str
    severity: Severity
    valid_from: date
    check: Check
    # "Alvorlighetsgrad med migrert-id": the severity when the item carries a MigrertId.
    migrated_severity: Severity | None = None

    def finding(self, message: str, item: Item | None = None, *, severity: Severity | None = None) -> Finding:
        chosen = severity or self.severity
        if item is not None and item.migrated and self.migrated_severity is not None:
            chosen = self.migrated_severity
        concept = item.concept if item is not None else self.id.split()[0]
        return Finding(self.id, chosen, message, concept, item.id if item is not None else None)


RULES: list[Rule] = []
_2013 = date(2013, 1, 1)
_2022 = date(2022, 1, 1)
_2023 = date(2023, 1, 1)


def rule(
    rule_id: str,
    title: str,
    severity: Severity,
    valid_from: date,
    *,
    migrated: Severity | None = None,
) -> Callable[[Check], Check]:
    def register(check: Check) -> Check:
        RULES.append(Rule(rule_id, title, severity, valid_from, check, migrated))
        return check

    return register


E, W, INFO = Severity.ERROR, Severity.WARNING, Severity.INFO
_CONCEPT_NAMES = {
    "Melding": "Meldingens",
    "Undersokelse": "Undersøkelsens",
    "Vedtak": "Vedtakets",
    "Tiltak": "Tiltakets",
    "Plan": "Planens",
}
_SAKENS = {"Melding": "Sakens", "Vedtak": "Sakens", "Tiltak": "Sakens"}


# Avgiver ----------------------------------------------------------------------------------------

# Oslo, Bergen and Trondheim report per district (Avgiver kontroll 1).
DISTRICT_MUNICIPALITIES = frozenset({"958935420", "964338531", "942110464"})


@rule("Avgiver 1", "Bydelsnummer og bydelsnavn", E, _2013)
def _giver_district(ctx: Context, r: Rule) -> Iterator[Finding]:
    giver = ctx.root.find("Avgiver")
    in_districts = giver is not None and giver.get("Organisasjonsnummer") in DISTRICT_MUNICIPALITIES
    if in_districts and giver is not None and not (giver.get("Bydelsnummer") and giver.get("Bydelsnavn")):
        yield r.finding("Bydelsnummer og/eller Bydelsnavn skal være utfylt")


# Sak --------------------------------------------------------------------------------------------


_DATE_ATTRIBUTES = ("StartDato", "SluttDato", "Fodseldato", "UtfortDato", "EndretDato", "TilbudSendtDato")


def _dates(sak: Element) -> Iterator[tuple[Element, str, str]]:
    """(element, field name, value) of every date in the case: attributes, and BarnetsMedvirkning's
    StartDato element."""
    for element in sak.iter():
        attributes = element.attrib
        for key in _DATE_ATTRIBUTES:
            value = attributes.get(key)
            if value is not None:
                yield element, key, value
        if element.tag == "StartDato" and element.text:
            yield element, "", element.text


def _field_name(element: Element, key: str) -> str:
    path = [str(e.tag) for e in reversed(list(element.iterancestors()))] + [str(element.tag)]
    return "/".join(path[path.index("Sak") :] + ([key] if key else []))


@rule("Sak 1", "Dato innenfor lovlige verdier", E, _2013)
def _sak_dates(ctx: Context, r: Rule) -> Iterator[Finding]:
    """Years counted from DatoUttrekk's year."""
    low, high = ctx.extracted.year - 26, ctx.extracted.year + 26
    # ISO dates compare as strings; a value with a time zone is compared by its date.
    first, last = f"{low:04d}-01-01", f"{high:04d}-12-31"
    for element, key, value in _dates(ctx.sak):
        if not first <= value.strip()[:10] <= last:
            yield r.finding(
                f"{_field_name(element, key)}: Dato ({_fmt(read_date(value))}) må være mellom 01.01.{low} "
                f"og 31.12.{high}"
            )


@rule("Sak 2a", "StartDato er etter SluttDato", E, _2013)
def _sak_period(ctx: Context, r: Rule) -> Iterator[Finding]:
    if ctx.sak_start and ctx.sak_end and ctx.sak_start > ctx.sak_end:
        yield r.finding(f"Sakens startdato {_fmt(ctx.sak_start)} er etter sluttdato {_fmt(ctx.sak_end)}")


def _still_open(ctx: Context) -> bool:
    return ctx.sak_end is None or bool(ctx.open_items())


@rule("Sak 7", "Klient over 25 år og skal avsluttes i barnevernet", W, _2013)
def _sak_over_25(ctx: Context, r: Rule) -> Iterator[Finding]:
    age = ctx.age()
    if age is not None and age >= ages.AFTERCARE_MAX_AGE and _still_open(ctx):
        yield r.finding(f"Klienten er over 25 år og skal avsluttes som klient. Alder: {age} år.")


@rule("Sak 8", "Klient over 18 år skal ha tiltak", E, _2013)
def _sak_over_18(ctx: Context, r: Rule) -> Iterator[Finding]:
    age = ctx.age()
    if age is not None and age >= ages.ADULT_AGE and not ctx.of("Tiltak") and _still_open(ctx):
        yield r.finding(f"Klienten er over 18 år og skal dermed ha tiltak. Alder: {age} år.")


@rule(
    "Sak 21",
    "Klienten skal ha melding, undersøkelse, vedtak, tiltak, plan, ettervern eller oversendelse",
    E,
    _2013,
)
def _sak_empty(ctx: Context, r: Rule) -> Iterator[Finding]:
    concepts = ("Melding", "Undersokelse", "Vedtak", "Tiltak", "Plan", "Ettervern", "OversendelseFylkesnemnd")
    if ctx.sak_end is None and not any(ctx.of(c) for c in concepts):
        yield r.finding(
            "Klienten har ingen meldinger, undersøkelser, vedtak, tiltak, planer, ettervern eller "
            "oversendelse fylkesnemnd. Saken bør avsluttes."
        )


@rule("Sak 22", "SlettetType peker til eksisterende element", W, _2013)
def _sak_deleted_exists(ctx: Context, r: Rule) -> Iterator[Finding]:
    """Checked only against what is known of the case before this document: its previous document.

    A Slettet must name an element the register has had, so with no previous document (a file
    checked on its own) there is nothing to compare with, and the rule says nothing.
    """
    if ctx.known is None:
        return
    for deleted in ctx.sak.findall("Slettet"):
        if (deleted.get("Type", ""), deleted.get("Id", "")) not in ctx.known:
            yield r.finding("SlettetType peker til et ikke-eksisterende element")


@rule("Sak 23", "Dersom saken er lukket bør alle underelementer være lukket", INFO, _2013)
def _sak_closed_open_items(ctx: Context, r: Rule) -> Iterator[Finding]:
    if ctx.sak_end is None:
        return
    for item in ctx.open_items():
        yield r.finding("Underelement i lukket sak mangler sluttdato", item)


# Personalia -------------------------------------------------------------------------------------


@rule("Personalia 2f", "StartDato er etter sakens SluttDato", E, _2022)
def _personalia_after_case(ctx: Context, r: Rule) -> Iterator[Finding]:
    for item in ctx.of("Personalia"):
        if item.start and ctx.sak_end and item.start > ctx.sak_end:
            yield r.finding(
                f"Personalia sin startdato {_fmt(item.start)} er etter sakens sluttdato {_fmt(ctx.sak_end)}",
                item,
            )


@rule("Personalia 11", "Klienten skal ha personalia", E, _2022)
def _personalia_missing(ctx: Context, r: Rule) -> Iterator[Finding]:
    if not ctx.of("Personalia"):
        yield r.finding("Klienten mangler personaliainformasjon")


def _number(item: Item) -> str:
    return item.element.get("Fodselsnummer", "")


@rule("Personalia 12", "Fødselsnummer", E, _2022)
def _personalia_number(ctx: Context, r: Rule) -> Iterator[Finding]:
    """Fødselsnummer and D-nummer with valid check digits, or the placeholders, via core.identity."""
    for item in ctx.of("Personalia"):
        try:
            classify(_number(item), today=ctx.extracted)
        except InvalidIdentityNumber:
            yield r.finding("Ugyldig Fødselsnummer", item)


@rule("Personalia 13", "Kontroll av Fødselsnummer og Fødselsdato", W, _2022)
def _personalia_number_date(ctx: Context, r: Rule) -> Iterator[Finding]:
    """The first six digits against the birth date; a D-nummer adds 40 to the day."""
    for item in ctx.of("Personalia"):
        number, born = _number(item), _date(item.element, "Fodseldato")
        if born is None or len(number) != 11:
            continue
        day = int(number[:2])
        day = day - 40 if day > 40 else day
        if f"{day:02d}{number[2:6]}" != f"{born:%d%m%y}":
            yield r.finding("Fødselsnummer og Fødselsdato viser til forskjellige datoer", item)


@rule("Personalia 14", "Kontroll av Fødselsnummer og Kjønn", E, _2022)
def _personalia_number_gender(ctx: Context, r: Rule) -> Iterator[Finding]:
    """The ninth digit is odd for a boy (Kjønn 1) and even for a girl (2), the placeholders 00100
    (boy) and 00200 (girl) included; only the unborn placeholder 99999 is exempt."""
    for item in ctx.of("Personalia"):
        number = _number(item)
        if len(number) != 11 or number.endswith("99999"):
            continue
        expected = "1" if int(number[8]) % 2 else "2"
        if item.element.get("Kjonn") != expected:
            yield r.finding("Fødselsnummer og Kjønn viser til forskjellige kjønn", item)


@rule("Personalia 15", "Kontroll av Fødselsnummer, fødselsdato og StartDato", E, _2022)
def _personalia_born_unborn(ctx: Context, r: Rule) -> Iterator[Finding]:
    for item in ctx.of("Personalia"):
        born = _date(item.element, "Fodseldato")
        if item.start and born and item.start > born and _number(item).endswith("99999"):
            yield r.finding("Feil i Fødselsnummer for født barn", item)


@rule("Personalia 16", "Kontroll av Fødselsdato og StartDato", E, _2022)
def _personalia_too_early(ctx: Context, r: Rule) -> Iterator[Finding]:
    for item in ctx.of("Personalia"):
        born = _date(item.element, "Fodseldato")
        if item.start and born and add_months(item.start, 9) < born:
            yield r.finding(
                f"Personalia sin startdato {_fmt(item.start)} er mer enn 9 måneder før barnets "
                f"fødselsdato {_fmt(born)}",
                item,
            )


@rule("Personalia 17", "Kontroll av DUF-nummer", E, _2022)
def _personalia_duf(ctx: Context, r: Rule) -> Iterator[Finding]:
    for item in ctx.of("Personalia"):
        duf = item.element.get("DUFnummer")
        if duf:
            try:
                validate_duf(duf, today=ctx.extracted)
            except InvalidIdentityNumber:
                yield r.finding("Ugyldig DUF-nummer", item)


@rule("Personalia 18", "Ufullstendig fødselsnummer og D-nummer", INFO, _2022)
def _personalia_incomplete(ctx: Context, r: Rule) -> Iterator[Finding]:
    journal = ctx.sak.get("Journalnummer", "")
    for item in ctx.of("Personalia"):
        number = _number(item)
        if number[6:] in {"00100", "00200", "99999"}:
            yield r.finding(
                "Ufullstendig fødselsnummer skal erstattes med fødselsnummer, DUF- eller D-nummer fra "
                f"folkeregisteret. Gjelder saksnummer: {journal}",
                item,
            )
        elif len(number) == 11 and int(number[0]) >= 4:
            yield r.finding(
                "Om DUF- eller fødselsnummer foreligger i folkeregisteret, skal dette benyttes fremfor "
                f"D-nummer. Gjelder saksnummer: {journal}",
                item,
            )


# Dates of items against each other and against the case (kontroll 2a, 2c, 2e for each concept) -----


def _period_rules(concept: str, valid_from: date, *, migrated: bool = True) -> None:
    whose = _CONCEPT_NAMES[concept]
    case_whose = _SAKENS.get(concept, "sakens")
    mig = W if migrated else None

    @rule(f"{_label(concept)} 2a", "StartDato er etter SluttDato", E, valid_from)
    def _start_after_end(ctx: Context, r: Rule) -> Iterator[Finding]:
        for item in ctx.of(concept):
            if item.start and item.end and item.start > item.end:
                yield r.finding(
                    f"{whose} startdato {_fmt(item.start)} er etter sluttdato {_fmt(item.end)}", item
                )

    _against_case(
        f"{_label(concept)} 2c",
        "SluttDato er etter sakens SluttDato",
        concept,
        valid_from,
        after_end=True,
        message=f"{whose} sluttdato {{item}} er etter {case_whose} sluttdato {{case}}",
        migrated=mig,
    )
    _against_case(
        f"{_label(concept)} 2e",
        "StartDato er før sakens StartDato",
        concept,
        valid_from,
        after_end=False,
        message=f"{whose} startdato {{item}} er før sakens startdato {{case}}",
        migrated=mig,
    )


def _against_case(
    rule_id: str,
    title: str,
    concept: str,
    valid_from: date,
    *,
    after_end: bool,
    message: str,
    migrated: Severity | None = None,
    use_end: bool | None = None,
) -> None:
    """An item's date against the case's: its end after the case's end (``after_end``), or its start
    before the case's start. ``use_end`` picks the item's date when it is not the usual one."""
    item_end = after_end if use_end is None else use_end

    @rule(rule_id, title, E, valid_from, migrated=migrated)
    def _compare(ctx: Context, r: Rule) -> Iterator[Finding]:
        case_day = ctx.sak_end if after_end else ctx.sak_start
        if case_day is None:
            return
        for item in ctx.of(concept):
            day = item.end if item_end else item.start
            if day is not None and (day > case_day if after_end else day < case_day):
                yield r.finding(message.format(item=_fmt(day), case=_fmt(case_day)), item)


def _label(concept: str) -> str:
    return {"Undersokelse": "Undersøkelse"}.get(concept, concept)


# Duplicates (kontroll 19) --------------------------------------------------------------------------


def _without_ids(element: Element) -> tuple[Any, ...]:
    return _strip(canonical(element))


def _strip(node: tuple[Any, ...]) -> tuple[Any, ...]:
    tag, attributes, text, children = node
    kept = tuple((k, v) for k, v in attributes if k not in {"Id", "MigrertId"})
    return (tag, kept, text, tuple(sorted(_strip(c) for c in children)))


def _duplicate_rule(
    concept: str, severity: Severity, valid_from: date, plural: str, *, concluded_only: bool = False
) -> None:
    """Content compared as ``canonical`` has it, with every Id and MigrertId left out at any depth."""

    @rule(f"{_label(concept)} 19", "Dublett på innhold, men forskjellige identer", severity, valid_from)
    def _duplicates(ctx: Context, r: Rule) -> Iterator[Finding]:
        # Only items that share start and end can be identical: the full comparison is for those.
        candidates: dict[tuple[date | None, date | None], list[Item]] = {}
        for item in ctx.of(concept):
            if concluded_only and item.child("Konklusjon") is None:
                continue
            candidates.setdefault((item.start, item.end), []).append(item)
        for group in candidates.values():
            seen: set[tuple[Any, ...]] = set()
            for item in group if len(group) > 1 else ():
                key = _without_ids(item.element)
                if key in seen:
                    yield r.finding(
                        f"Det finnes 2 eller flere {plural} med identisk innhold, "
                        "men med forskjellige identer",
                        item,
                    )
                seen.add(key)


# Melding ---------------------------------------------------------------------------------------

_period_rules("Melding", _2013)


@rule("Melding 3", "Fristoverskridelse på behandlingstid", W, _2013)
def _report_review_late(ctx: Context, r: Rule) -> Iterator[Finding]:
    for item in ctx.of("Melding"):
        if item.start and item.end and (item.end - item.start).days > 7:
            yield r.finding(
                f"Fristoverskridelse på behandlingstid for melding, ({_fmt(item.start)} -> {_fmt(item.end)})",
                item,
            )


@rule("Melding 4", "Konkludert melding mangler melder", E, _2013)
def _report_reporter(ctx: Context, r: Rule) -> Iterator[Finding]:
    for item in ctx.of("Melding"):
        if item.child("Konklusjon") is not None and not item.children("Melder"):
            yield r.finding("Konkludert melding mangler melder(e)", item)


@rule("Melding 5", "Konkludert melding mangler saksinnhold", E, _2013)
def _report_content(ctx: Context, r: Rule) -> Iterator[Finding]:
    for item in ctx.of("Melding"):
        if item.child("Konklusjon") is not None and not item.children("Saksinnhold"):
            yield r.finding("Konkludert melding mangler saksinnhold", item)


# Melding kontroll 19 compares only reports with a conclusion.
_duplicate_rule("Melding", INFO, _2013, "meldinger", concluded_only=True)


def _needs_specification(
    rule_id: str, title: str, concept: str, tag: str, *, codes: frozenset[str], message: str
) -> None:
    @rule(rule_id, title, E, _2013)
    def _specification(ctx: Context, r: Rule) -> Iterator[Finding]:
        for item in ctx.of(concept):
            for coded in item.children(tag):
                if coded.get("Kode") in codes and not coded.get("Presisering"):
                    yield r.finding(message.format(kode=coded.get("Kode")), item)


_needs_specification(
    "Melder 2",
    "Mangler Presisering",
    "Melding",
    "Melder",
    codes=frozenset({"22"}),
    message="Melder med kode ({kode}) mangler presisering",
)
# Kode 18 "Andre forhold ved foreldre/familien" and 19 "Andre forhold ved barnets situasjon".
_OTHER_CONTENT = frozenset({"18", "19"})
_needs_specification(
    "Saksinnhold 2",
    "Mangler Presisering",
    "Melding",
    "Saksinnhold",
    codes=_OTHER_CONTENT,
    message="Saksinnhold med kode ({kode}) mangler presisering",
)


# Undersøkelse ----------------------------------------------------------------------------------

_period_rules("Undersokelse", _2013)
_needs_specification(
    "Undersøkelse 3",
    "Vedtaksgrunnlag mangler presisering",
    "Undersokelse",
    "Vedtaksgrunnlag",
    codes=_OTHER_CONTENT,
    message="Vedtaksgrunnlag med kode ({kode}) mangler presisering",
)


def _conclusion_code(item: Item) -> str | None:
    conclusion = item.child("Konklusjon")
    return conclusion.get("Kode") if conclusion is not None else None


@rule("Undersøkelse 7", "Konkludert undersøkelse mangler vedtaksgrunnlag", E, _2013)
def _investigation_basis(ctx: Context, r: Rule) -> Iterator[Finding]:
    for item in ctx.of("Undersokelse"):
        code = _conclusion_code(item)
        if code in {"1", "2"} and not item.children("Vedtaksgrunnlag"):
            yield r.finding(f"Undersøkelse konkludert med kode {code} mangler vedtaksgrunnlag", item)


@rule("Undersøkelse 11", "Fristoverskridelse på behandlingstid i forhold til melding sin startdato", W, _2013)
def _investigation_late(ctx: Context, r: Rule) -> Iterator[Finding]:
    """Days as the specification counts them (7 + 90 and 7 + 180), not months as the law does.

    The specification itself marks this for review; the worklists use the law's months.
    """
    reports = {i.id: i for i in ctx.of("Melding")}
    for item in ctx.of("Undersokelse"):
        if item.end is not None:
            continue
        extension = item.child("UtvidetFrist")
        granted = extension is not None and extension.get("Innvilget") == "1"
        for report_id, report in reports.items():
            if not report.start or not ctx.related("Melding", report_id, "Undersokelse", item.id):
                continue
            days = (ctx.extracted - report.start).days
            if days > 7 + 180:
                yield r.finding(
                    "Undersøkelse skal konkluderes innen 7 + 180 dager etter melding sin startdato", item
                )
            elif days > 7 + 90 and not granted:
                yield r.finding(
                    "Undersøkelse skal konkluderes innen 7 + 90 dager etter melding sin startdato", item
                )


_duplicate_rule("Undersokelse", E, _2013, "Undersøkelser")


def _related_from(
    rule_id: str, title: str, concept: str, source: str, valid_from: date, *, message: str
) -> None:
    """Every item of ``concept`` has a relation from an item of ``source`` in the document."""

    @rule(rule_id, title, E, valid_from)
    def _related(ctx: Context, r: Rule) -> Iterator[Finding]:
        sources = ctx.ids[source]
        for item in ctx.of(concept):
            if not any(ctx.related(source, s, concept, item.id) for s in sources):
                yield r.finding(message, item)


_related_from(
    "Undersøkelse 20",
    "Undersøkelse skal ha relasjon fra melding",
    "Undersokelse",
    "Melding",
    _2013,
    message="Undersøkelse mangler en relasjon fra melding",
)


@rule("Undersøkelse 21", "Konkludert Undersøkelse skal ha relasjon til Vedtak", E, _2013)
def _investigation_to_decision(ctx: Context, r: Rule) -> Iterator[Finding]:
    decisions = ctx.ids["Vedtak"]
    for item in ctx.of("Undersokelse"):
        code = _conclusion_code(item)
        if code not in {"1", "2"}:
            continue
        if not any(ctx.related("Undersokelse", item.id, "Vedtak", v) for v in decisions):
            severity = E if code == "1" else W
            yield r.finding("Konkludert Undersøkelse mangler en relasjon til vedtak", item, severity=severity)


# Vedtak ----------------------------------------------------------------------------------------

_period_rules("Vedtak", _2022)


def _claims(item: Item) -> Iterator[tuple[Element, date | None, date | None]]:
    for claim in item.children("Krav"):
        yield claim, _date(claim, "StartDato"), _date(claim.find("Konklusjon"), "SluttDato")


@rule("Vedtak 2f", "Krav sin StartDato er etter SluttDato", E, _2022)
def _claim_period(ctx: Context, r: Rule) -> Iterator[Finding]:
    for item in ctx.of("Vedtak"):
        for _claim, start, end in _claims(item):
            if start and end and start > end:
                yield r.finding(f"Kravets startdato {_fmt(start)} er etter sluttdato {_fmt(end)}", item)


@rule("Vedtak 2g", "Krav sin SluttDato er etter vedtakets SluttDato", E, _2022)
def _claim_after_decision(ctx: Context, r: Rule) -> Iterator[Finding]:
    for item in ctx.of("Vedtak"):
        for _claim, _start, end in _claims(item):
            if end and item.end and end > item.end:
                yield r.finding(
                    f"Kravets sluttdato {_fmt(end)} er etter Vedtakets sluttdato {_fmt(item.end)}", item
                )


@rule("Vedtak 2h", "Krav sin StartDato er før vedtakets StartDato", E, _2022)
def _claim_before_decision(ctx: Context, r: Rule) -> Iterator[Finding]:
    for item in ctx.of("Vedtak"):
        for _claim, start, _end in _claims(item):
            if start and item.start and start < item.start:
                yield r.finding(
                    f"Kravets startdato {_fmt(start)} er før vedtakets startdato {_fmt(item.start)}", item
                )


def _statuses(item: Item) -> list[tuple[date, str]]:
    return [(read_date(s.get("EndretDato", "")), s.get("Kode", "")) for s in item.children("Status")]


@rule("Vedtak 2i", "Status sin EndretDato er etter vedtakets SluttDato", INFO, _2022)
def _status_after_end(ctx: Context, r: Rule) -> Iterator[Finding]:
    for item in ctx.of("Vedtak"):
        for changed, _code in _statuses(item):
            if item.end and changed > item.end:
                yield r.finding(
                    f"Status sin endretdato {_fmt(changed)} er etter Vedtakets sluttdato {_fmt(item.end)}",
                    item,
                )


@rule("Vedtak 2j", "Status sin EndretDato er før vedtakets StartDato", INFO, _2022)
def _status_before_start(ctx: Context, r: Rule) -> Iterator[Finding]:
    for item in ctx.of("Vedtak"):
        for changed, _code in _statuses(item):
            if item.start and changed < item.start:
                yield r.finding(
                    f"Status sin endretdato {_fmt(changed)} er før vedtakets startdato {_fmt(item.start)}",
                    item,
                )


@rule("Vedtak 3", "Avsluttet vedtak skal ha SluttDato", E, _2022)
def _decision_ended(ctx: Context, r: Rule) -> Iterator[Finding]:
    """Read on the decision's current status: the latest by EndretDato (document order breaks ties)."""
    for item in ctx.of("Vedtak"):
        statuses = _statuses(item)
        if not statuses or item.end is not None:
            continue
        _changed, code = max(enumerate(statuses), key=lambda pair: (pair[1][0], pair[0]))[1]
        if code == "3":
            yield r.finding("Vedtak med status 3 = 'Utgår / Bortfalt etter BVL' mangler sluttdato", item)
        elif code == "4":
            yield r.finding("Vedtak med status 4 = 'Avslått / Avsluttet' mangler sluttdato", item)


def _bases(element: Element) -> Iterator[Element]:
    yield from element.findall("Lovhjemmel")
    yield from element.findall("JmfrLovhjemmel")


@rule("Vedtak 4", "Lovhjemmel refererer til feil barnevernlov", E, _2022)
def _decision_law_known(ctx: Context, r: Rule) -> Iterator[Finding]:
    known = {law.value for law in Law}
    for item in ctx.of("Vedtak"):
        for basis in _bases(item.element):
            law = basis.findtext("Lov", "")
            if law not in known:
                yield r.finding(
                    "Lovhjemlene under vedtak inneholder annen verdi for lov enn BVL, BVL2021 eller BL1981. "
                    f"Lov: {law}.",
                    item,
                )


def _law_by_date(concept: str, rule_id: str) -> None:
    @rule(rule_id, "Lovhjemmel refererer til feil barnevernlov", E, _2022)
    def _law_for_date(ctx: Context, r: Rule) -> Iterator[Finding]:
        for item in ctx.of(concept):
            law = item.element.findtext("Lovhjemmel/Lov", "")
            if item.start is None:
                continue
            if item.start < BVL2021_IN_FORCE and law == Law.BVL2021.value:
                yield r.finding("Lovhjemmel opprettet før 01. januar 2023 krever lov = 'BVL'", item)
            elif item.start >= BVL2021_IN_FORCE and law == Law.BVL1992.value:
                yield r.finding(
                    "Lovhjemmel opprettet på 01. januar 2023 eller senere krever lov = 'BVL2021'", item
                )


_law_by_date("Vedtak", "Vedtak 5")
_duplicate_rule("Vedtak", INFO, _2013, "Vedtak")


@rule("Vedtak 20", "Vedtak med status 2 skal ha relasjon til OversendelseFylkesnemnd", W, _2022)
def _decision_referral(ctx: Context, r: Rule) -> Iterator[Finding]:
    """A relation in either direction counts; the specification names the pair, not the direction."""
    referral_relations = {
        (fra_id if fra_type == "Vedtak" else til_id, til_id if fra_type == "Vedtak" else fra_id)
        for fra_type, fra_id, til_type, til_id in ctx.relations
        if {fra_type, til_type} == {"Vedtak", "OversendelseFylkesnemnd"}
    }
    referrals = ctx.ids["OversendelseFylkesnemnd"]
    for item in ctx.of("Vedtak"):
        if "2" not in {code for _changed, code in _statuses(item)}:
            continue
        targets = {referral for decision, referral in referral_relations if decision == item.id}
        if not targets:
            yield r.finding(
                "Vedtak med status 2 = 'Begjæring oversendt nemnd' skal ha relasjon til "
                "OversendelseFylkesnemnd",
                item,
            )
        elif not targets & referrals:
            yield r.finding(
                "OversendelseFylkesnemndVedtak skal finnes for Vedtak med status 2 = "
                "'Begjæring oversendt nemnd'",
                item,
            )


# Tiltak ----------------------------------------------------------------------------------------

_period_rules("Tiltak", _2013)


def _category(item: Item) -> Element | None:
    return item.child("Kategori")


def _code(item: Item) -> str:
    category = _category(item)
    return category.get("Kode", "") if category is not None else ""


def _age_at_measure(ctx: Context, item: Item) -> int | None:
    """The child's age while the measure ran: at its end, or at DatoUttrekk if it still runs."""
    on = min(item.end, ctx.extracted) if item.end else ctx.extracted
    return ctx.age(on)


@rule("Tiltak 5", "Barnet er over 7 år og er i barnehage", W, _2013)
def _measure_kindergarten(ctx: Context, r: Rule) -> Iterator[Finding]:
    for item in ctx.of("Tiltak"):
        age = _age_at_measure(ctx, item)
        if _code(item) == "4.1" and age is not None and age > 7:
            yield r.finding(f"Barnet er over 7 år og i barnehage. Alder: {age} år.", item)


@rule("Tiltak 6", "Barnet er over 11 år og i SFO", W, _2013)
def _measure_after_school(ctx: Context, r: Rule) -> Iterator[Finding]:
    for item in ctx.of("Tiltak"):
        age = _age_at_measure(ctx, item)
        if _code(item) == "4.2" and age is not None and age > 11:
            yield r.finding(f"Barnet er over 11 år og i SFO. Alder: {age} år.", item)


SPECIFIED_CATEGORIES = frozenset({"1.99", "2.99", "3.7", "3.99", "4.99", "5.99", "6.99", "7.99", "8.99"})


@rule("Tiltak 7", "Kontroll om presisering av tiltakskategori", E, _2013)
def _measure_category_specification(ctx: Context, r: Rule) -> Iterator[Finding]:
    for item in ctx.of("Tiltak"):
        category = _category(item)
        if (
            category is not None
            and category.get("Kode") in SPECIFIED_CATEGORIES
            and not category.get("Presisering")
        ):
            yield r.finding("Tiltakskategori (kode) mangler presisering.", item)


@rule("Tiltak 8", "Kontroll av kode og presisering av opphevelse", E, _2013)
def _measure_revocation_specification(ctx: Context, r: Rule) -> Iterator[Finding]:
    for item in ctx.of("Tiltak"):
        revocation = item.child("Opphevelse")
        if revocation is not None and revocation.get("Kode") == "4" and not revocation.get("Presisering"):
            yield r.finding("Opphevelse (kode) mangler presisering.", item)


@rule("Tiltak 9", "Flere plasseringstiltak er oppgitt i samme tidsperiode", W, _2013)
def _measure_overlap(ctx: Context, r: Rule) -> Iterator[Finding]:
    """Overlap counted as rules.measures.overlap_days does (later start to earlier end)."""
    placements = [(i, i.start) for i in ctx.of("Tiltak") if is_placement(_code(i)) and i.start]
    for (a, a_start), (b, b_start) in combinations(placements, 2):
        days = overlap_days(Period(a_start, a.end), Period(b_start, b.end), today=ctx.extracted)
        if days > MAX_PLACEMENT_OVERLAP_DAYS:
            period_start = max(a_start, b_start)
            period_end = min(a.end or ctx.extracted, b.end or ctx.extracted)
            yield r.finding(
                f"Flere plasseringstiltak i samme periode ({_fmt(period_start)} - {_fmt(period_end)}). "
                f"Plasseringstiltak kan ikke overlappe med mer enn {MAX_PLACEMENT_OVERLAP_DAYS} dager. "
                f"Antall dager overlapp: {days} dager. Overlapper med tiltak-id {b.id}.",
                a,
            )


def legal_bases(element: Element) -> LegalBases | None:
    """Lovhjemmel and JmfrLovhjemmel of an element; None if the law is not one Vern knows."""

    def one(basis: Element) -> LegalBasis:
        return LegalBasis(
            Law(basis.findtext("Lov", "")),
            basis.findtext("Kapittel", ""),
            basis.findtext("Paragraf", ""),
            tuple(e.text or "" for e in basis.findall("Ledd")),
            tuple(e.text or "" for e in basis.findall("Bokstav")),
            tuple(e.text or "" for e in basis.findall("Punktum")),
        )

    main = element.find("Lovhjemmel")
    if main is None:
        return None
    try:
        return LegalBases(one(main), tuple(one(ref) for ref in element.findall("JmfrLovhjemmel")))
    except ValueError:
        return None


def _care_order(item: Item) -> bool:
    bases = legal_bases(item.element)
    return bases is not None and is_care_order(bases)


@rule("Tiltak 12", "Omsorgstiltak med sluttdato krever årsak til opphevelse", E, _2013)
def _measure_revocation(ctx: Context, r: Rule) -> Iterator[Finding]:
    for item in ctx.of("Tiltak"):
        if item.end and _care_order(item) and is_placement(_code(item)) and item.child("Opphevelse") is None:
            yield r.finding("Omsorgstiltak med sluttdato krever årsak til opphevelse", item)


@rule("Tiltak 13", "Individ er over 18 år og har omsorgtiltak", E, _2013)
def _measure_care_order_adult(ctx: Context, r: Rule) -> Iterator[Finding]:
    age = ctx.age()
    for item in ctx.of("Tiltak"):
        if age is not None and age >= ages.ADULT_AGE and item.end is None and _care_order(item):
            yield r.finding(
                f"Individet er over 18 år skal dermed ikke ha omsorgstiltak. Alder: {age} år.", item
            )


@rule("Tiltak 14", "Lovhjemmel er fylt ut med tallet 0", E, _2013)
def _measure_zero(ctx: Context, r: Rule) -> Iterator[Finding]:
    for item in ctx.of("Tiltak"):
        basis = item.child("Lovhjemmel")
        if basis is None:
            continue
        parts = [basis.findtext("Kapittel", ""), basis.findtext("Paragraf", "")]
        parts += [e.text or "" for e in basis.findall("Ledd") + basis.findall("Punktum")]
        if any(part and set(part) == {"0"} for part in parts):
            yield r.finding(
                "Ingen Lovhjemmel sin kapittel, paragraf, ledd eller punktum kan være utfylt med 0", item
            )


_duplicate_rule("Tiltak", W, _2022, "tiltak")


_related_from(
    "Tiltak 20",
    "Tiltak skal ha relasjon fra Vedtak",
    "Tiltak",
    "Vedtak",
    _2022,
    message="Tiltak skal ha relasjon fra Vedtak",
)


@rule("Tiltak 21", "Tiltak sin Lovhjemmel skal baseres på det relaterte Vedtak sin Lovhjemmel", E, _2022)
def _measure_basis_matches(ctx: Context, r: Rule) -> Iterator[Finding]:
    decisions = {i.id: i for i in ctx.of("Vedtak")}
    for item in ctx.of("Tiltak"):
        mine = item.element.find("Lovhjemmel")
        for decision_id, decision in decisions.items():
            if not ctx.related("Vedtak", decision_id, "Tiltak", item.id):
                continue
            theirs = decision.element.find("Lovhjemmel")
            if mine is None or theirs is None:
                continue
            if any(mine.findtext(tag) != theirs.findtext(tag) for tag in ("Lov", "Kapittel", "Paragraf")):
                yield r.finding(
                    "Tiltak er registrert med annen lovhjemmel enn det som er registrert i vedtak", item
                )


def _other_category_rule(rule_id: str, code: str, kind: str) -> None:
    @rule(rule_id, f"Tiltak med kode {code} Andre tiltak", W, _2023)
    def _other(ctx: Context, r: Rule) -> Iterator[Finding]:
        for item in ctx.of("Tiltak"):
            if _code(item) == code:
                yield r.finding(
                    f"Dette er er en advarsel. Kun plasseringstiltak skal ha kode {code}. Dersom dette ikke "
                    f"er et plasseringstiltak ({kind}) må tiltakskode endres. Er det et administrative "
                    f"vedtak som er gitt kode {code} skal tiltaket slettes.",
                    item,
                )


_other_category_rule("Tiltak 22", "1.99", "institusjon")
_other_category_rule("Tiltak 23", "2.99", "fosterhjem")


# Plan ------------------------------------------------------------------------------------------

_period_rules("Plan", _2013)


def _evaluations(item: Item) -> Iterator[date]:
    for evaluation in item.children("Evaluering"):
        done = _date(evaluation, "UtfortDato")
        if done:
            yield done


@rule("Plan 2f", "UtfortDato er etter sakens SluttDato", E, _2013)
def _evaluation_after_case(ctx: Context, r: Rule) -> Iterator[Finding]:
    for item in ctx.of("Plan"):
        for done in _evaluations(item):
            if ctx.sak_end and done > ctx.sak_end:
                yield r.finding(
                    f"Utført evaluering {_fmt(done)} er etter sakens sluttdato {_fmt(ctx.sak_end)}", item
                )


@rule("Plan 2g", "UtfortDato er før sakens StartDato", E, _2013)
def _evaluation_before_case(ctx: Context, r: Rule) -> Iterator[Finding]:
    for item in ctx.of("Plan"):
        for done in _evaluations(item):
            if ctx.sak_start and done < ctx.sak_start:
                yield r.finding(
                    f"Utført evaluering {_fmt(done)} er før sakens startdato {_fmt(ctx.sak_start)}", item
                )


_duplicate_rule("Plan", INFO, _2013, "Planer")


# Ettervern -------------------------------------------------------------------------------------


@rule("Ettervern 2a", "TilbudSendtDato er etter SluttDato", E, _2022)
def _aftercare_period(ctx: Context, r: Rule) -> Iterator[Finding]:
    for item in ctx.of("Ettervern"):
        if item.start and item.end and item.start > item.end:
            yield r.finding(
                f"Ettervernets tilbudSendtDato {_fmt(item.start)} er etter sluttdato {_fmt(item.end)}", item
            )


_against_case(
    "Ettervern 2c",
    "SluttDato er etter sakens SluttDato",
    "Ettervern",
    _2022,
    after_end=True,
    message="Ettervern sin sluttdato {item} er etter sakens sluttdato {case}",
)
# The specification gives this rule no "Gyldig fra"; the other Ettervern rules' date is used.
_against_case(
    "Ettervern 2e",
    "TilbudSendtDato er før sakens StartDato",
    "Ettervern",
    _2022,
    after_end=False,
    message="Ettervern sin tilbud-sendt-dato {item} er før sakens startdato {case}",
)


# Flytting --------------------------------------------------------------------------------------


_against_case(
    "Flytting 2c",
    "SluttDato mot sakens SluttDato",
    "Flytting",
    _2022,
    after_end=True,
    message="Flyttingens sluttdato {item} er etter sakens sluttdato {case}",
    migrated=W,
)
_against_case(
    "Flytting 2f",
    "SluttDato mot sakens StartDato",
    "Flytting",
    _2022,
    after_end=False,
    use_end=True,
    message="Flyttingens sluttdato {item} er før sakens startdato {case}",
    migrated=W,
)


# Oversendelse til fylkesnemnd ------------------------------------------------------------------


_against_case(
    "Oversendelse til fylkesnemnd 2e",
    "StartDato er før sakens StartDato",
    "OversendelseFylkesnemnd",
    _2022,
    after_end=False,
    message="Oversendelse til fylkesnemndens startdato {item} er før sakens startdato {case}",
)
_against_case(
    "Oversendelse til fylkesnemnd 2f",
    "StartDato er etter sakens SluttDato",
    "OversendelseFylkesnemnd",
    _2022,
    after_end=True,
    use_end=False,
    message="Oversendelse til fylkesnemndens startdato {item} er etter sakens sluttdato {case}",
)
_law_by_date("OversendelseFylkesnemnd", "Oversendelse til fylkesnemnd 5")


# ---------------------------------------------------------------------------------------------
# Running the control

FILE_RULE = "Filbeskrivelse"
RULES_BY_ID: dict[str, Rule] = {r.id: r for r in RULES}
assert len(RULES_BY_ID) == len(RULES), "rule ids are unique"


def schema_findings(errors: Iterable[SchemaError], root: Element | None = None) -> list[Finding]:
    """Kravspesifikasjon "Validéring av innhold mot filbeskrivelse": one FATAL finding per XSD error,
    in Norwegian, about the part of the case (in ``root``, the document) the error is in."""
    findings = []
    for error in errors:
        concept, item_id = schema_text.item_of(root, error.path) if root is not None else (FILE_RULE, None)
        message = schema_text.describe(error)
        if error.line:
            message = f"{message} (linje {error.line})"
        findings.append(Finding(FILE_RULE, Severity.FATAL, message, concept, item_id))
    return findings


def check(root: Element, *, known: set[tuple[str, str]] | None = None) -> list[Finding]:
    """Every rule valid on the document's DatoUttrekk, on a schema-valid document. ``known``: what the
    case's previous document held (``known_items``), if there is one."""
    ctx = context(root, known=known)
    findings: list[Finding] = []
    for r in RULES:
        if ctx.extracted >= r.valid_from:
            findings.extend(r.check(ctx, r))
    return findings


def worst(findings: Iterable[Finding]) -> Severity | None:
    present = {f.severity for f in findings}
    return next((s for s in SEVERITY_ORDER if s in present), None)
