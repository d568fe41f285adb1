"""Register documents for tests: a small builder for hand-made ones and a hypothesis strategy for
valid ones (XSD-valid, and holding what a case system keeps: every investigation comes from a report,
every measure from a decision)."""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from typing import Any

from hypothesis import strategies as st
from lxml import etree
from lxml.builder import ElementMaker

from vern.core.identity import make_fodselsnummer
from vern.register.xml import Element, to_bytes

E = ElementMaker()
MUNICIPALITY = ("4601", "Bergen", "964338531")


def uid() -> str:
    return str(uuid.uuid4())


def iso(day: date) -> str:
    return day.isoformat()


def barnevern(sak: Element, *, extracted: str = "2026-11-30T12:00:00+01:00", **attributes: str) -> Element:
    number, name, organisation = MUNICIPALITY
    return E.Barnevern(
        E.Fagsystem(Leverandor="Testleverandør", Navn="Gammelt system", Versjon="9.1"),
        E.Avgiver(Organisasjonsnummer=organisation, Kommunenummer=number, Kommunenavn=name),
        sak,
        Id=attributes.pop("Id", uid()),
        DatoUttrekk=extracted,
        **attributes,
    )


def sak(*children: Element, start: date = date(2024, 1, 10), **attributes: str) -> Element:
    return E.Sak(
        *children,
        Id=attributes.pop("Id", uid()),
        StartDato=iso(start),
        Journalnummer=attributes.pop("Journalnummer", f"J-{uuid.uuid4().hex[:10]}"),
        **attributes,
    )


def personalia(
    birth: date = date(2015, 3, 14), *, number: str | None = None, gender: str = "", **extra: str
) -> Element:
    number = number or make_fodselsnummer(birth, 123)
    gender = gender or ("1" if int(number[8]) % 2 else "2")
    return E.Personalia(
        Id=extra.pop("Id", uid()),
        StartDato=extra.pop("StartDato", "2024-01-10"),
        Fodselsnummer=number,
        Fodseldato=iso(birth),
        Kjonn=gender,
        **extra,
    )


def basis(
    law: str = "BVL2021", chapter: str = "3", section: str = "1", *parts: Element, tag: str = "Lovhjemmel"
) -> Element:
    maker = getattr(E, tag)
    return maker(E.Lov(law), E.Kapittel(chapter), E.Paragraf(section), *parts)


def relation(from_type: str, from_id: str, to_type: str, to_id: str, **extra: str) -> Element:
    return E.Relasjon(
        Id=extra.pop("Id", uid()), FraId=from_id, FraType=from_type, TilId=to_id, TilType=to_type, **extra
    )


def document_bytes(root: Element) -> bytes:
    return to_bytes(root)


# ---------------------------------------------------------------------------------------------
# Hypothesis: valid documents

_REPORTERS = [str(c) for c in range(1, 26)]
_CONTENT = ["1", "2", "3", "4", "18", "19", "20", "24", "1.1.01", "2.4.09", "3.3.06"]
_CATEGORIES = ["1.1", "1.99", "2.1", "2.2", "2.99", "3.2", "3.7", "4.1", "4.2", "8.99"]
_ids = st.builds(uuid.uuid4).map(str)
_days = st.dates(min_value=date(2015, 1, 1), max_value=date(2026, 11, 1))
# Free text as the XSD's Presisering takes it: 1 to 10,000 characters; XML cannot carry control
# characters, and attribute whitespace other than spaces is normalised by every XML parser.
_text = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), min_size=1, max_size=40
)
_flag = st.sampled_from(["true", "false", "1", "0"])


def _maybe(strategy: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.one_of(st.none(), strategy)


def _attrs(**values: Any) -> dict[str, str]:
    return {k: v for k, v in values.items() if v is not None}


@st.composite
def _coded(draw: st.DrawFn, tag: str, codes: list[str]) -> Element:
    return getattr(E, tag)(**_attrs(Kode=draw(st.sampled_from(codes)), Presisering=draw(_maybe(_text))))


@st.composite
def _legal_basis(draw: st.DrawFn, tag: str) -> Element:
    law = draw(st.sampled_from(["BVL", "BVL2021", "BL1981"]))
    chapter = draw(st.from_regex(r"[1-9][0-9]?[a-z]?", fullmatch=True))
    section = draw(st.from_regex(r"[1-9][0-9]{0,2}[a-z]?", fullmatch=True))
    parts = [E.Ledd(str(n)) for n in draw(st.lists(st.integers(1, 12), max_size=3))]
    parts += [E.Bokstav(c) for c in draw(st.lists(st.sampled_from("abcdef"), max_size=2))]
    parts += [E.Punktum(str(n)) for n in draw(st.lists(st.integers(1, 9), max_size=2))]
    return basis(law, chapter, section, *parts, tag=tag)


def _common(draw: st.DrawFn) -> dict[str, str]:
    """MigrertId and ErSlettet="false" as an earlier system may have written them."""
    return _attrs(
        MigrertId=draw(_maybe(st.from_regex(r"[A-Za-z0-9]{1,20}", fullmatch=True))),
        ErSlettet=draw(_maybe(st.just("false"))),
    )


@st.composite
def _report(draw: st.DrawFn) -> Element:
    start = draw(_days)
    children = draw(st.lists(_coded("Melder", _REPORTERS), max_size=2))
    children += draw(st.lists(_coded("Saksinnhold", _CONTENT), max_size=2))
    if draw(st.booleans()):
        children.append(
            E.Konklusjon(
                **_attrs(
                    SluttDato=iso(start + timedelta(days=draw(st.integers(0, 20)))),
                    Kode=draw(st.sampled_from([str(c) for c in range(1, 11)])),
                    ErSlettet=draw(_maybe(st.just("false"))),
                )
            )
        )
    return E.Melding(*children, Id=draw(_ids), StartDato=iso(start), **_common(draw))


@st.composite
def _investigation(draw: st.DrawFn, start: date) -> Element:
    children = draw(st.lists(_coded("Vedtaksgrunnlag", _CONTENT), max_size=2))
    if draw(st.booleans()):
        children.append(
            E.BarnetsMedvirkning(
                E.StartDato(iso(start + timedelta(days=3))),
                E.MedvirkningType(draw(st.sampled_from(["1.1", "1.2", "1.3", "1.4", "2.1", "2.2"]))),
            )
        )
    if draw(st.booleans()):
        children.append(
            E.UtvidetFrist(
                **_attrs(
                    StartDato=iso(start + timedelta(days=60)),
                    Innvilget=draw(_maybe(st.sampled_from(["1", "2"]))),
                )
            )
        )
    if draw(st.booleans()):
        children.append(
            E.Konklusjon(
                **_attrs(
                    SluttDato=iso(start + timedelta(days=draw(st.integers(10, 170)))),
                    Kode=draw(st.sampled_from([str(c) for c in range(1, 10)])),
                    Presisering=draw(_maybe(_text)),
                )
            )
        )
    return E.Undersokelse(*children, Id=draw(_ids), StartDato=iso(start), **_common(draw))


@st.composite
def _decision(draw: st.DrawFn) -> Element:
    start = draw(_days)
    children = [draw(_legal_basis("Lovhjemmel"))]
    children += draw(st.lists(_legal_basis("JmfrLovhjemmel"), max_size=3))
    for _ in range(draw(st.integers(0, 2))):
        claim = E.Krav(Id=draw(_ids), StartDato=iso(start + timedelta(days=30)))
        if draw(st.booleans()):
            claim.append(
                E.Konklusjon(
                    **_attrs(
                        SluttDato=iso(start + timedelta(days=60)),
                        Kode=draw(st.sampled_from(["1", "2", "9"])),
                        Presisering=draw(_maybe(_text)),
                    )
                )
            )
        children.append(claim)
    for n in range(draw(st.integers(1, 3))):
        children.append(
            E.Status(
                Id=draw(_ids),
                EndretDato=iso(start + timedelta(days=n * 10)),
                Kode=draw(st.sampled_from(["1", "2", "3", "4"])),
            )
        )
    if draw(st.booleans()):
        children.append(E.Konklusjon(SluttDato=iso(start + timedelta(days=draw(st.integers(0, 400))))))
    return E.Vedtak(*children, Id=draw(_ids), StartDato=iso(start), **_common(draw))


@st.composite
def _visits(draw: st.DrawFn, tag: str, start: date) -> Element:
    children = []
    if tag == "Tilsyn":
        children += [
            E.Ansvarlig(
                Id=draw(_ids),
                StartDato=iso(start + timedelta(days=i * 100)),
                Kommunenummer=draw(st.from_regex(r"[0-9]{4}", fullmatch=True)),
            )
            for i in range(draw(st.integers(1, 2)))
        ]
    offsets = draw(st.lists(st.integers(0, 700), min_size=1, max_size=2, unique=True))
    children += [
        E.Hyppighet(
            Id=draw(_ids), StartDato=iso(start + timedelta(days=o)), Kode=draw(st.sampled_from(["2", "4"]))
        )
        for o in offsets
    ]
    children += [
        E.Utfort(Id=draw(_ids), UtfortDato=iso(start + timedelta(days=o)))
        for o in draw(st.lists(st.integers(0, 700), max_size=3))
    ]
    return getattr(E, tag)(*children)


@st.composite
def _measure(draw: st.DrawFn) -> Element:
    start = draw(_days)
    children = [draw(_legal_basis("Lovhjemmel"))]
    children += draw(st.lists(_legal_basis("JmfrLovhjemmel"), max_size=2))
    children.append(draw(_coded("Kategori", _CATEGORIES)))
    children += draw(st.lists(_coded("Tiltaksgrunnlag", _CONTENT), max_size=2))
    if draw(st.booleans()):
        children.append(draw(_visits("Tilsyn", start)))
    if draw(st.booleans()):
        children.append(draw(_visits("Oppfolging", start)))
    if draw(st.booleans()):
        children.append(draw(_coded("Opphevelse", ["1", "2", "3", "4"])))
    if draw(st.booleans()):
        children.append(E.Konklusjon(SluttDato=iso(start + timedelta(days=draw(st.integers(0, 900))))))
    return E.Tiltak(*children, Id=draw(_ids), StartDato=iso(start), **_common(draw))


@st.composite
def _plan(draw: st.DrawFn) -> Element:
    start = draw(_days)
    children = [
        E.Evaluering(UtfortDato=iso(start + timedelta(days=o)))
        for o in draw(st.lists(st.integers(0, 500), max_size=3))
    ]
    if draw(st.booleans()):
        children.append(E.Konklusjon(SluttDato=iso(start + timedelta(days=draw(st.integers(0, 600))))))
    return E.Plan(
        *children,
        Id=draw(_ids),
        StartDato=iso(start),
        Plantype=draw(st.sampled_from([str(c) for c in range(1, 9)])),
        **_common(draw),
    )


@st.composite
def _child(draw: st.DrawFn) -> list[Element]:
    """One to two Personalia: the latest is who the child is; an earlier one is history (unborn)."""
    birth = draw(st.dates(min_value=date(2003, 1, 1), max_value=date(2025, 12, 31)))
    kind = draw(st.sampled_from(["fnr", "dnr", "00100", "00200", "duf", "unborn"]))
    serial = draw(st.integers(0, 10**6))
    extra: dict[str, str] = {}
    if kind in {"fnr", "dnr"}:
        number = make_fodselsnummer(birth, serial, d_number=kind == "dnr")
        gender = "1" if int(number[8]) % 2 else "2"
    elif kind == "unborn":
        number, gender = f"{birth:%d%m%y}99999", "0"
    else:
        suffix = kind if kind != "duf" else draw(st.sampled_from(["00100", "00200"]))
        number, gender = f"{birth:%d%m%y}{suffix}", "1" if suffix == "00100" else "2"
        if kind == "duf" or draw(st.booleans()):
            extra["DUFnummer"] = (
                f"{draw(st.integers(1990, 2026))}{serial % 10**6:06d}{draw(st.integers(10, 99))}"
            )
    current = E.Personalia(
        Id=draw(_ids),
        StartDato=iso(birth + timedelta(days=10)),
        Fodselsnummer=number,
        Fodseldato=iso(birth),
        Kjonn=gender,
        **extra,
        **_attrs(ErSlettet=draw(_maybe(st.just("false")))),
    )
    earlier = []
    if kind in {"fnr", "dnr"} and draw(st.booleans()):
        earlier.append(
            E.Personalia(
                Id=draw(_ids),
                StartDato=iso(birth - timedelta(days=60)),
                Fodselsnummer=f"{birth:%d%m%y}99999",
                Fodseldato=iso(birth),
                Kjonn="0",
            )
        )
    return [*earlier, current]


@st.composite
def _others(
    draw: st.DrawFn, decisions: list[Element], relations: list[Element]
) -> tuple[list[Element], list[Element], list[Element]]:
    """Aftercare, a referral to the county board (related to a decision either way), a relocation."""
    aftercare = []
    if draw(st.booleans()):
        offered = draw(_days)
        element = E.Ettervern(Id=draw(_ids), TilbudSendtDato=iso(offered), **_common(draw))
        if draw(st.booleans()):
            element.append(
                E.Konklusjon(
                    SluttDato=iso(offered + timedelta(days=30)), Kode=draw(st.sampled_from(["1", "2", "3"]))
                )
            )
        aftercare.append(element)
    referrals = []
    if draw(st.booleans()):
        referral = E.OversendelseFylkesnemnd(
            draw(_legal_basis("Lovhjemmel")), Id=draw(_ids), StartDato=iso(draw(_days)), **_common(draw)
        )
        referrals.append(referral)
        if decisions and draw(st.booleans()):
            decision = draw(st.sampled_from(decisions)).get("Id")
            if draw(st.booleans()):
                relations.append(relation("Vedtak", decision, "OversendelseFylkesnemnd", referral.get("Id")))
            else:
                relations.append(relation("OversendelseFylkesnemnd", referral.get("Id"), "Vedtak", decision))
    relocations = []
    if draw(st.booleans()):
        relocations.append(
            E.Flytting(
                draw(_coded("ArsakFra", ["1.1.1", "1.1.5", "1.3", "2.9"])),
                draw(_coded("FlyttingTil", [str(c) for c in range(1, 10)])),
                Id=draw(_ids),
                SluttDato=iso(draw(_days)),
                **_common(draw),
            )
        )
    return aftercare, referrals, relocations


@st.composite
def valid_documents(draw: st.DrawFn) -> bytes:
    """A register document for one case, in the XSD and with the links a case system has."""
    items: list[Element] = draw(_child())
    reports = draw(st.lists(_report(), min_size=1, max_size=3))
    investigations, relations = [], []
    for report in reports:
        if draw(st.booleans()):
            investigation = draw(
                _investigation(date.fromisoformat(report.get("StartDato")) + timedelta(days=7))
            )
            investigations.append(investigation)
            relations.append(relation("Melding", report.get("Id"), "Undersokelse", investigation.get("Id")))
    decisions = draw(st.lists(_decision(), max_size=3))
    for decision in decisions:
        if investigations and draw(st.booleans()):
            source = draw(st.sampled_from(investigations))
            relations.append(relation("Undersokelse", source.get("Id"), "Vedtak", decision.get("Id")))
    measures = draw(st.lists(_measure(), max_size=3)) if decisions else []
    for measure in measures:
        source = draw(st.sampled_from(decisions))
        relations.append(relation("Vedtak", source.get("Id"), "Tiltak", measure.get("Id")))
    plans = draw(st.lists(_plan(), max_size=2))
    aftercare, referrals, relocations = draw(_others(decisions, relations))
    # What a system keeps that Vern does not derive: a relation of its own, an item deleted in
    # place, and items reported deleted.
    if plans and measures and draw(st.booleans()):
        relations.append(relation("Plan", plans[0].get("Id"), "Tiltak", measures[0].get("Id")))
    deleted_items = []
    if draw(st.booleans()):
        deleted_items.append(
            E.Melding(
                Id=draw(_ids), StartDato=iso(draw(_days)), ErSlettet=draw(st.sampled_from(["true", "1"]))
            )
        )
    slettet = [
        E.Slettet(
            Id=draw(_ids),
            Type=draw(st.sampled_from(["Melding", "Tiltak", "Vedtak", "Plan", "Relasjon"])),
            SluttDato=iso(draw(_days)),
        )
        for _ in range(draw(st.integers(0, 2)))
    ]
    start = min(date.fromisoformat(r.get("StartDato")) for r in reports)
    case_attributes = _attrs(
        MigrertId=draw(_maybe(st.from_regex(r"[A-Za-z0-9-]{1,36}", fullmatch=True))),
        Avsluttet=draw(_maybe(_flag)),
    )
    if draw(st.booleans()):
        case_attributes["SluttDato"] = iso(start + timedelta(days=draw(st.integers(0, 2000))))
    children = [
        *items,
        *reports,
        *deleted_items,
        *investigations,
        *plans,
        *measures,
        *decisions,
        *aftercare,
        *referrals,
        *relocations,
        *relations,
        *slettet,
    ]
    return to_bytes(barnevern(sak(*children, start=start, **case_attributes)))


def strip_ids(root: Element) -> Element:
    """A copy without the attributes that name the document itself."""
    copy = etree.fromstring(etree.tostring(root))
    for name in ("Id", "DatoUttrekk", "ForrigeId"):
        copy.attrib.pop(name, None)
    return copy
