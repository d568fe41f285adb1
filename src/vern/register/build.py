"""Register documents from the database: one ``Barnevern`` document per case.

Cases are loaded in batches (a fixed number of queries per batch, rows as plain values), so building
any number of documents uses the memory of one batch. Every item keeps its ``register_id`` across
deliveries. What the register already holds of a case (its latest document, ``register.models``)
is merged in:

- attributes Vern does not model (``MigrertId``, ``ErSlettet``, ``Sak/@Avsluttet``,
  ``Melding/Konklusjon/@ErSlettet``) are carried over from the item of the same Id;
- items deleted there (``ErSlettet="true"``), ``Slettet`` entries, earlier identities (Personalia)
  and relations Vern does not derive itself are carried over unchanged;
- an extension applied for but not granted (``UtvidetFrist`` without ``Innvilget="1"``) is carried
  over, since Vern records only extensions that were decided;
- an item that was there and is gone now is reported as ``Slettet``.

Relations Vern derives from its own links (report → investigation → decision → measure, decision →
referral to the county board) keep the Id they had in the previous document, or get a
deterministic one (UUID 5 of the two ends), so the same data always gives the same document.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cache
from importlib import metadata
from typing import Any

from django.db.models import Max
from lxml import etree

from vern.cases.models import Case, IdentityKind
from vern.core.dates import OSLO, local_date
from vern.core.models import Unit
from vern.decisions.models import BoardReferral, Decision, DecisionStatus, PrivateClaim
from vern.intake.models import ConcernReport, ReportContent, ReportReporter
from vern.investigations.models import DeadlineExtension, DecisionBasis, Investigation
from vern.measures.models import (
    Aftercare,
    Measure,
    MeasureReason,
    Plan,
    PlanEvaluation,
    Relocation,
    SupervisionArrangement,
    Visit,
    VisitFrequency,
    VisitKind,
)
from vern.register.control import known_items
from vern.register.models import Document
from vern.register.xml import CONCEPTS, Element, parse, xml_date

# Deterministic ids (UUID 5) for what Vern derives: relations, investigation plans, identities.
NAMESPACE = uuid.UUID("6f0c3c1e-6a57-4d0e-9a43-2f1d1f0e8b11")
# Sak attributes, and item attributes, that Vern does not model and carries over.
_CARRIED_ATTRIBUTES = ("MigrertId", "ErSlettet")
INVESTIGATION_PLAN_TYPE = "7"
BATCH = 500


@cache
def _version() -> str:
    """Fagsystem/@Versjon: the installed package's version (pyproject.toml)."""
    try:
        return metadata.version("vern")
    except metadata.PackageNotFoundError:  # pragma: no cover - running from a bare source tree
        return "0"


def derived_id(*parts: object) -> str:
    return str(uuid.uuid5(NAMESPACE, "/".join(str(p) for p in parts)))


def is_true(value: str | None) -> bool:
    return value is not None and value.strip() in {"true", "1"}


@dataclass(frozen=True)
class Giver:
    """Avgiver: the municipality (and district) whose cases a delivery holds."""

    organisation_number: str
    municipality_number: str
    municipality_name: str
    district_number: str = ""
    district_name: str = ""

    @classmethod
    def of(cls, unit: Unit) -> Giver:
        municipality = unit.host_municipality
        district = unit.district
        return cls(
            municipality.organisation_number,
            municipality.number,
            municipality.name,
            district.number if district else "",
            district.name if district else "",
        )


# ---------------------------------------------------------------------------------------------
# Loading


@dataclass
class CaseRows:
    case: Mapping[str, Any]
    reports: list[dict[str, Any]] = field(default_factory=list)
    investigations: list[dict[str, Any]] = field(default_factory=list)
    decisions: list[dict[str, Any]] = field(default_factory=list)
    measures: list[dict[str, Any]] = field(default_factory=list)
    plans: list[dict[str, Any]] = field(default_factory=list)
    aftercare: list[dict[str, Any]] = field(default_factory=list)
    referrals: list[dict[str, Any]] = field(default_factory=list)
    relocations: list[dict[str, Any]] = field(default_factory=list)
    previous: Mapping[str, Any] | None = None


_BASIS = ("law", "chapter", "section", "paragraphs", "letters", "sentences", "cross_references")


def _group(rows: Iterable[dict[str, Any]], key: str) -> dict[int, list[dict[str, Any]]]:
    grouped: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        grouped[row[key]].append(row)
    return grouped


def _coded(model: Any, key: str, scope: dict[str, object]) -> dict[int, list[dict[str, Any]]]:
    return _group(model.objects.filter(**scope).order_by("pk").values(key, "code", "specification"), key)


class _Loader:
    """Rows of a batch of cases, selected by the range of case ids and the unit rather than by a list
    of ids: a list of hundreds of ids costs Django more to build than the query costs the database."""

    def __init__(self, result: dict[int, CaseRows]) -> None:
        self.result = result
        self.low, self.high = min(result), max(result)
        self.units = {rows.case["unit_id"] for rows in result.values()}

    def scope(self, path: str = "") -> dict[str, object]:
        """Filter for the rows of these cases; ``path`` leads from the row to its case."""
        found: dict[str, object] = {f"{path}case_id__gte": self.low, f"{path}case_id__lte": self.high}
        if len(self.units) == 1:
            found[f"{path}case__unit_id"] = next(iter(self.units))
        return found

    def rows(self, model: Any, order: str, *fields: str, path: str = "") -> list[dict[str, Any]]:
        return list(model.objects.filter(**self.scope(path)).order_by(order, "pk").values(*fields))

    def distribute(self, rows: Iterable[dict[str, Any]], attribute: str) -> None:
        for row in rows:
            target = self.result.get(row["case_id"])
            if target is not None:
                getattr(target, attribute).append(row)

    def reports(self) -> None:
        reports = self.rows(
            ConcernReport,
            "received_at",
            "pk",
            "case_id",
            "register_id",
            "received_at",
            "review_concluded_on",
            "review_conclusion",
        )
        reporters = _coded(ReportReporter, "report_id", self.scope("report__"))
        contents = _coded(ReportContent, "report_id", self.scope("report__"))
        for report in reports:
            report["reporters"] = reporters.get(report["pk"], [])
            report["contents"] = contents.get(report["pk"], [])
        self.distribute(reports, "reports")

    def investigations(self) -> None:
        investigations = self.rows(
            Investigation,
            "started_on",
            "pk",
            "case_id",
            "register_id",
            "report__register_id",
            "started_on",
            "plan_made_on",
            "participation_code",
            "participation_on",
            "concluded_on",
            "conclusion",
            "conclusion_specification",
        )
        basis = _coded(DecisionBasis, "investigation_id", self.scope("investigation__"))
        extensions = {
            e["investigation_id"]: e
            for e in self.rows(
                DeadlineExtension, "decided_on", "investigation_id", "decided_on", path="investigation__"
            )
        }
        for investigation in investigations:
            investigation["basis"] = basis.get(investigation["pk"], [])
            investigation["extension"] = extensions.get(investigation["pk"])
        self.distribute(investigations, "investigations")

    def decisions(self) -> None:
        decisions = self.rows(
            Decision,
            "decided_on",
            "pk",
            "case_id",
            "register_id",
            "investigation__register_id",
            "decided_on",
            "ended_on",
            *_BASIS,
        )
        statuses = _group(
            self.rows(
                DecisionStatus,
                "changed_on",
                "decision_id",
                "register_id",
                "code",
                "changed_on",
                path="decision__",
            ),
            "decision_id",
        )
        claims = _group(
            self.rows(
                PrivateClaim,
                "received_on",
                "decision_id",
                "register_id",
                "received_on",
                "concluded_on",
                "conclusion",
                "specification",
                path="decision__",
            ),
            "decision_id",
        )
        for decision in decisions:
            decision["statuses"] = statuses.get(decision["pk"], [])
            decision["claims"] = claims.get(decision["pk"], [])
        self.distribute(decisions, "decisions")

    def measures(self) -> None:
        measures = self.rows(
            Measure,
            "start_on",
            "pk",
            "case_id",
            "register_id",
            "decision__register_id",
            "category",
            "category_specification",
            "start_on",
            "end_on",
            "revocation",
            "revocation_specification",
            *_BASIS,
        )
        reasons = _coded(MeasureReason, "measure_id", self.scope("measure__"))
        parts = {
            "frequencies": self.rows(
                VisitFrequency,
                "start_on",
                "measure_id",
                "register_id",
                "kind",
                "code",
                "start_on",
                path="measure__",
            ),
            "arrangements": self.rows(
                SupervisionArrangement,
                "start_on",
                "measure_id",
                "register_id",
                "municipality_number",
                "start_on",
                path="measure__",
            ),
            "visits": self.rows(
                Visit, "visited_on", "measure_id", "register_id", "kind", "visited_on", path="measure__"
            ),
        }
        grouped = {name: _group(rows, "measure_id") for name, rows in parts.items()}
        for measure in measures:
            measure["reasons"] = reasons.get(measure["pk"], [])
            for name, by_measure in grouped.items():
                measure[name] = by_measure.get(measure["pk"], [])
        self.distribute(measures, "measures")

    def plans(self) -> None:
        plans = self.rows(Plan, "start_on", "pk", "case_id", "register_id", "plan_type", "start_on", "end_on")
        evaluations = _group(
            self.rows(PlanEvaluation, "done_on", "plan_id", "done_on", path="plan__"), "plan_id"
        )
        for plan in plans:
            plan["evaluations"] = evaluations.get(plan["pk"], [])
        self.distribute(plans, "plans")

    def others(self) -> None:
        self.distribute(
            self.rows(
                Aftercare, "offered_on", "case_id", "register_id", "offered_on", "concluded_on", "conclusion"
            ),
            "aftercare",
        )
        self.distribute(
            self.rows(
                BoardReferral,
                "sent_on",
                "case_id",
                "register_id",
                "sent_on",
                "decision__register_id",
                *_BASIS,
            ),
            "referrals",
        )
        self.distribute(
            self.rows(
                Relocation,
                "moved_on",
                "case_id",
                "register_id",
                "moved_on",
                "reason",
                "reason_specification",
                "destination",
                "destination_specification",
            ),
            "relocations",
        )

    def previous(self) -> None:
        latest = (
            Document.objects.filter(**self.scope())
            .values("case_id")
            .annotate(latest=Max("pk"))
            .values("latest")
        )
        for row in Document.objects.filter(pk__in=latest).values(
            "case_id", "document_id", "content_sha256", "body"
        ):
            target = self.result.get(row["case_id"])
            if target is not None:
                target.previous = row


def load(case_ids: list[int]) -> dict[int, CaseRows]:
    """Everything the documents of these cases hold, in a fixed number of queries."""
    cases = Case.objects.filter(pk__in=case_ids).values(
        "unit_id",
        "pk",
        "register_id",
        "journal_number",
        "opened_on",
        "closed_on",
        "child__identity_kind",
        "child__identity_number",
        "child__duf_number",
        "child__birth_date",
        "child__gender",
    )
    result = {row["pk"]: CaseRows(row) for row in cases}
    if result:
        loader = _Loader(result)
        for part in (loader.reports, loader.investigations, loader.decisions, loader.measures, loader.plans):
            part()
        loader.others()
        loader.previous()
    return result


def batches(case_ids: list[int], size: int = BATCH) -> Iterator[list[int]]:
    for start in range(0, len(case_ids), size):
        yield case_ids[start : start + size]


# ---------------------------------------------------------------------------------------------
# Elements


def _values(attributes: dict[str, Any]) -> dict[str, str]:
    """Attribute values as the XSD writes them (dates ISO); empty ones left out (every optional
    attribute is either absent or non-empty). Values are strings, dates or None."""
    return {k: v if v.__class__ is str else v.isoformat() for k, v in attributes.items() if v}


def _sub(parent: Element, tag: str, **attributes: Any) -> Element:
    return etree.SubElement(parent, tag, _values(attributes))


def _element(tag: str, **attributes: Any) -> Element:
    return etree.Element(tag, _values(attributes))


def _coded_elements(parent: Element, tag: str, rows: list[dict[str, Any]]) -> None:
    for row in rows:
        _sub(parent, tag, Kode=row["code"], Presisering=row["specification"])


def _basis_element(parent: Element, tag: str, basis: dict[str, Any]) -> None:
    element = etree.SubElement(parent, tag)
    etree.SubElement(element, "Lov").text = basis["law"]
    etree.SubElement(element, "Kapittel").text = basis["chapter"]
    etree.SubElement(element, "Paragraf").text = basis["section"]
    for key, sub in (("paragraphs", "Ledd"), ("letters", "Bokstav"), ("sentences", "Punktum")):
        parts = basis[key] if isinstance(basis[key], list) else [p for p in basis[key].split(",") if p]
        for part in parts:
            etree.SubElement(element, sub).text = str(part)


def _legal_bases(parent: Element, row: dict[str, Any]) -> None:
    _basis_element(parent, "Lovhjemmel", row)
    for ref in row["cross_references"]:
        _basis_element(parent, "JmfrLovhjemmel", ref)


def _fodselsnummer(case: Mapping[str, Any]) -> str | None:
    """Personalia/@Fodselsnummer: the child's number, or for a child known only by a DUF number the
    register's placeholder (birth date + 00100 for a boy, 00200 for a girl)."""
    number = case["child__identity_number"]
    kind = case["child__identity_kind"]
    if kind == IdentityKind.UNIDENTIFIED:
        return None
    if number:
        return str(number)
    if kind == IdentityKind.DUF and case["child__gender"] in {"1", "2"}:
        suffix = "00100" if case["child__gender"] == "1" else "00200"
        return f"{case['child__birth_date']:%d%m%y}{suffix}"
    return None


def _identity(case: Mapping[str, Any]) -> dict[str, str] | None:
    """The attributes that say who the child is, or None when the register cannot be told yet (a
    child not identified, or without a known gender): Personalia kontroll 11 then says so."""
    number = _fodselsnummer(case)
    gender = case["child__gender"]
    if number is None or gender not in {"0", "1", "2"}:
        return None
    identity = {"Fodselsnummer": number, "Fodseldato": xml_date(case["child__birth_date"]), "Kjonn": gender}
    if case["child__duf_number"]:
        identity["DUFnummer"] = case["child__duf_number"]
    return identity


def _attributes(element: Element) -> dict[str, str]:
    return {str(k): str(v) for k, v in element.attrib.items()}


def _identity_of(personalia: Element) -> dict[str, str]:
    names = ("Fodselsnummer", "Fodseldato", "Kjonn", "DUFnummer")
    return {name: personalia.get(name, "") for name in names if personalia.get(name)}


class _Builder:
    """Builds one case's Sak, merging in its previous document."""

    def __init__(self, rows: CaseRows, extracted_on: date) -> None:
        self.rows = rows
        self.extracted_on = extracted_on
        previous = parse(bytes(rows.previous["body"])) if rows.previous else None
        self.known = known_items(previous) if previous is not None else None
        self.previous_sak = previous.find("Sak") if previous is not None else None
        # (concept, Id) -> element of the previous document
        self.before: dict[tuple[str, str], Element] = {}
        if self.previous_sak is not None:
            for element in self.previous_sak:
                if isinstance(element.tag, str) and element.tag != "Slettet":
                    self.before[(element.tag, element.get("Id", ""))] = element
        self.live: dict[str, list[Element]] = {concept: [] for concept in CONCEPTS}
        self.carried: dict[str, list[Element]] = {concept: [] for concept in CONCEPTS}
        self.derived_relations: list[tuple[str, str, str, str]] = []

    # -- items --------------------------------------------------------------------------------

    def _item(self, concept: str, **attributes: object) -> Element:
        element = _element(concept, **attributes)
        before = self.before.get((concept, element.get("Id", "")))
        if before is not None:
            for name in _CARRIED_ATTRIBUTES:
                if name in before.attrib and name not in element.attrib:
                    element.set(name, before.get(name, ""))
        self.live[concept].append(element)
        return element

    def personalia(self) -> None:
        case = self.rows.case
        identity = _identity(case)
        history = [
            e
            for (concept, _id), e in self.before.items()
            if concept == "Personalia" and not is_true(e.get("ErSlettet"))
        ]
        if identity is not None:
            same = [e for e in history if _identity_of(e) == identity]
            if same:
                chosen = max(same, key=lambda e: e.get("StartDato", ""))
                self._item("Personalia", **_attributes(chosen))
            else:
                start = case["opened_on"]
                if history:
                    start = max(start, min(self.extracted_on, case["closed_on"] or self.extracted_on))
                self._item(
                    "Personalia",
                    Id=derived_id(case["register_id"], "Personalia", *identity.values()),
                    StartDato=start,
                    **identity,
                )

    def reports(self) -> None:
        for report in self.rows.reports:
            element = self._item(
                "Melding", Id=str(report["register_id"]), StartDato=local_date(report["received_at"])
            )
            _coded_elements(element, "Melder", report["reporters"])
            _coded_elements(element, "Saksinnhold", report["contents"])
            if report["review_concluded_on"] and report["review_conclusion"]:
                conclusion = _sub(
                    element,
                    "Konklusjon",
                    SluttDato=report["review_concluded_on"],
                    Kode=report["review_conclusion"],
                )
                before = self.before.get(("Melding", element.get("Id", "")))
                before_conclusion = before.find("Konklusjon") if before is not None else None
                if before_conclusion is not None and "ErSlettet" in before_conclusion.attrib:
                    conclusion.set("ErSlettet", before_conclusion.get("ErSlettet", ""))

    def investigations(self) -> None:
        for inv in self.rows.investigations:
            element = self._item("Undersokelse", Id=str(inv["register_id"]), StartDato=inv["started_on"])
            _coded_elements(element, "Vedtaksgrunnlag", inv["basis"])
            if inv["participation_code"] and inv["participation_on"]:
                participation = etree.SubElement(element, "BarnetsMedvirkning")
                etree.SubElement(participation, "StartDato").text = xml_date(inv["participation_on"])
                etree.SubElement(participation, "MedvirkningType").text = inv["participation_code"]
            if inv["extension"] is not None:
                _sub(element, "UtvidetFrist", StartDato=inv["extension"]["decided_on"], Innvilget="1")
            else:
                before = self.before.get(("Undersokelse", element.get("Id", "")))
                applied = before.find("UtvidetFrist") if before is not None else None
                if applied is not None and applied.get("Innvilget") != "1":
                    element.append(applied)
            if inv["concluded_on"] and inv["conclusion"]:
                _sub(
                    element,
                    "Konklusjon",
                    SluttDato=inv["concluded_on"],
                    Kode=inv["conclusion"],
                    Presisering=inv["conclusion_specification"],
                )
            self.relation("Melding", str(inv["report__register_id"]), "Undersokelse", str(inv["register_id"]))
            if inv["plan_made_on"]:
                plan = self._item(
                    "Plan",
                    Id=derived_id(inv["register_id"], "Plan", INVESTIGATION_PLAN_TYPE),
                    StartDato=inv["plan_made_on"],
                    Plantype=INVESTIGATION_PLAN_TYPE,
                )
                if inv["concluded_on"]:
                    _sub(plan, "Konklusjon", SluttDato=max(inv["concluded_on"], inv["plan_made_on"]))

    def plans(self) -> None:
        for plan in self.rows.plans:
            element = self._item(
                "Plan", Id=str(plan["register_id"]), StartDato=plan["start_on"], Plantype=plan["plan_type"]
            )
            for evaluation in plan["evaluations"]:
                _sub(element, "Evaluering", UtfortDato=evaluation["done_on"])
            if plan["end_on"]:
                _sub(element, "Konklusjon", SluttDato=plan["end_on"])

    def measures(self, reported_decisions: set[str]) -> None:
        for measure in self.rows.measures:
            element = self._item("Tiltak", Id=str(measure["register_id"]), StartDato=measure["start_on"])
            _legal_bases(element, measure)
            _sub(element, "Kategori", Kode=measure["category"], Presisering=measure["category_specification"])
            _coded_elements(element, "Tiltaksgrunnlag", measure["reasons"])
            self._visits(element, measure)
            if measure["revocation"]:
                _sub(
                    element,
                    "Opphevelse",
                    Kode=measure["revocation"],
                    Presisering=measure["revocation_specification"],
                )
            if measure["end_on"]:
                _sub(element, "Konklusjon", SluttDato=measure["end_on"])
            decision = str(measure["decision__register_id"])
            if decision in reported_decisions:
                self.relation("Vedtak", decision, "Tiltak", str(measure["register_id"]))

    @staticmethod
    def _visits(element: Element, measure: dict[str, Any]) -> None:
        """Tilsyn needs a responsible municipality and a frequency, Oppfolging a frequency: without them
        the register has nowhere to put the visits, and the worklists already show what is missing."""
        for kind, tag in ((VisitKind.SUPERVISION, "Tilsyn"), (VisitKind.FOLLOW_UP, "Oppfolging")):
            frequencies = [f for f in measure["frequencies"] if f["kind"] == kind]
            arrangements = measure["arrangements"] if kind == VisitKind.SUPERVISION else []
            if not frequencies or (kind == VisitKind.SUPERVISION and not arrangements):
                continue
            block = etree.SubElement(element, tag)
            for arrangement in arrangements:
                _sub(
                    block,
                    "Ansvarlig",
                    Id=str(arrangement["register_id"]),
                    StartDato=arrangement["start_on"],
                    Kommunenummer=arrangement["municipality_number"],
                )
            for frequency in frequencies:
                _sub(
                    block,
                    "Hyppighet",
                    Id=str(frequency["register_id"]),
                    StartDato=frequency["start_on"],
                    Kode=frequency["code"],
                )
            for visit in measure["visits"]:
                if visit["kind"] == kind:
                    _sub(block, "Utfort", Id=str(visit["register_id"]), UtfortDato=visit["visited_on"])

    def decisions(self) -> set[str]:
        """Decisions with a status: one waiting for a leader's approval has none, and is not yet made."""
        reported: set[str] = set()
        for decision in self.rows.decisions:
            if not decision["statuses"]:
                continue
            element = self._item("Vedtak", Id=str(decision["register_id"]), StartDato=decision["decided_on"])
            _legal_bases(element, decision)
            for claim in decision["claims"]:
                claim_element = _sub(
                    element, "Krav", Id=str(claim["register_id"]), StartDato=claim["received_on"]
                )
                if claim["concluded_on"] and claim["conclusion"]:
                    _sub(
                        claim_element,
                        "Konklusjon",
                        SluttDato=claim["concluded_on"],
                        Kode=claim["conclusion"],
                        Presisering=claim["specification"],
                    )
            for status in decision["statuses"]:
                _sub(
                    element,
                    "Status",
                    Id=str(status["register_id"]),
                    EndretDato=status["changed_on"],
                    Kode=status["code"],
                )
            if decision["ended_on"]:
                _sub(element, "Konklusjon", SluttDato=decision["ended_on"])
            reported.add(str(decision["register_id"]))
            if decision["investigation__register_id"]:
                self.relation(
                    "Undersokelse",
                    str(decision["investigation__register_id"]),
                    "Vedtak",
                    str(decision["register_id"]),
                )
        return reported

    def others(self, reported_decisions: set[str]) -> None:
        for row in self.rows.aftercare:
            element = self._item("Ettervern", Id=str(row["register_id"]), TilbudSendtDato=row["offered_on"])
            if row["concluded_on"] and row["conclusion"]:
                _sub(element, "Konklusjon", SluttDato=row["concluded_on"], Kode=row["conclusion"])
        for row in self.rows.referrals:
            element = self._item(
                "OversendelseFylkesnemnd", Id=str(row["register_id"]), StartDato=row["sent_on"]
            )
            _legal_bases(element, row)
            decision = str(row["decision__register_id"]) if row["decision__register_id"] else None
            if decision in reported_decisions:
                self.relation("Vedtak", decision, "OversendelseFylkesnemnd", str(row["register_id"]))
        for row in self.rows.relocations:
            element = self._item("Flytting", Id=str(row["register_id"]), SluttDato=row["moved_on"])
            _sub(element, "ArsakFra", Kode=row["reason"], Presisering=row["reason_specification"])
            _sub(
                element, "FlyttingTil", Kode=row["destination"], Presisering=row["destination_specification"]
            )

    # -- relations and what the previous document holds ------------------------------------------

    def relation(self, from_type: str, from_id: str, to_type: str, to_id: str) -> None:
        self.derived_relations.append((from_type, from_id, to_type, to_id))

    def merge(self) -> list[Element]:
        """Relations, what is carried over, and Slettet for what is gone. Returns the Slettet entries."""
        self._relations()
        present = self._carry()
        return self._deleted(present)

    def _relations(self) -> None:
        """Vern's own relations, with the Id (and direction) the previous document gave the same pair."""
        previous = {
            frozenset((e.get("FraId"), e.get("TilId"))): e
            for (concept, _id), e in self.before.items()
            if concept == "Relasjon" and not is_true(e.get("ErSlettet"))
        }
        for from_type, from_id, to_type, to_id in self.derived_relations:
            before = previous.get(frozenset((from_id, to_id)))
            if before is not None:
                self._item("Relasjon", **_attributes(before))
            else:
                self._item(
                    "Relasjon",
                    Id=derived_id(from_id, to_id),
                    FraId=from_id,
                    FraType=from_type,
                    TilId=to_id,
                    TilType=to_type,
                )

    def _carry(self) -> set[tuple[str, str]]:
        """Carry over deleted items, earlier identities and the relations between what is still there.
        Returns (concept, Id) of everything the new document holds."""
        present = {(c, e.get("Id", "")) for c, elements in self.live.items() for e in elements}
        for key, element in self.before.items():
            if key not in present and (is_true(element.get("ErSlettet")) or key[0] == "Personalia"):
                self.carried[key[0]].append(element)
        present |= {(c, e.get("Id", "")) for c, elements in self.carried.items() for e in elements}
        ids = {item_id for _concept, item_id in present}
        for key, element in self.before.items():
            if (
                key[0] == "Relasjon"
                and key not in present
                and {element.get("FraId"), element.get("TilId")} <= ids
            ):
                self.carried["Relasjon"].append(element)
                present.add(key)
        return present

    def _deleted(self, present: set[tuple[str, str]]) -> list[Element]:
        """The previous document's Slettet entries, and a new one for each item that has gone."""
        deleted: list[Element] = []
        seen: set[tuple[str, str]] = set()
        previous = self.previous_sak.findall("Slettet") if self.previous_sak is not None else []
        for entry in previous:
            key = (entry.get("Type", ""), entry.get("Id", ""))
            if key not in seen and key not in present:
                seen.add(key)
                deleted.append(entry)
        for key in self.before:
            if key not in present and key not in seen:
                seen.add(key)
                deleted.append(_element("Slettet", Id=key[1], Type=key[0], SluttDato=self.extracted_on))
        return deleted

    def sak(self) -> Element:
        case = self.rows.case
        sak = _element(
            "Sak",
            Id=str(case["register_id"]),
            StartDato=case["opened_on"],
            SluttDato=case["closed_on"],
            Journalnummer=case["journal_number"],
        )
        before = self.previous_sak
        if before is not None:
            for name in _CARRIED_ATTRIBUTES:
                if name in before.attrib:
                    sak.set(name, before.get(name, ""))
            # Avsluttet is carried as it was unless the case has been closed or reopened since.
            if "Avsluttet" in before.attrib:
                closed = case["closed_on"] is not None
                unchanged = (before.get("SluttDato") is not None) == closed
                sak.set(
                    "Avsluttet", before.get("Avsluttet", "") if unchanged else ("true" if closed else "false")
                )
        self.personalia()
        self.reports()
        self.investigations()
        self.plans()
        reported = self.decisions()
        self.measures(reported)
        self.others(reported)
        deleted = self.merge()
        # Appending moves an element out of the previous document, which is discarded afterwards.
        for concept in CONCEPTS:
            for element in self.live[concept] + self.carried[concept]:
                sak.append(element)
        for entry in deleted:
            sak.append(entry)
        return sak


def extraction_time(moment: datetime) -> str:
    """DatoUttrekk: local time with its offset, whole seconds (the XSD's pattern)."""
    return moment.astimezone(OSLO).replace(microsecond=0).isoformat()


@dataclass(frozen=True)
class Built:
    root: Element
    # What the previous document held (control.known_items), or None if there was none.
    known: set[tuple[str, str]] | None


def build_document(rows: CaseRows, *, giver: Giver, extracted_at: datetime, document_id: uuid.UUID) -> Built:
    """The case's register document as of ``extracted_at``; ``ForrigeId`` is its previous document."""
    attributes = {"Id": str(document_id), "DatoUttrekk": extraction_time(extracted_at)}
    if rows.previous is not None:
        attributes["ForrigeId"] = str(rows.previous["document_id"])
    root = etree.Element("Barnevern", attributes)
    _sub(root, "Fagsystem", Leverandor="Vern (åpen kildekode)", Navn="Vern", Versjon=_version())
    _sub(
        root,
        "Avgiver",
        Organisasjonsnummer=giver.organisation_number,
        Kommunenummer=giver.municipality_number,
        Kommunenavn=giver.municipality_name,
        Bydelsnummer=giver.district_number,
        Bydelsnavn=giver.district_name,
    )
    builder = _Builder(rows, extracted_at.astimezone(OSLO).date())
    root.append(builder.sak())
    return Built(root, builder.known)
