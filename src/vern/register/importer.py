"""Importing register documents (Barnevern_v4.xsd) from another system: ``vern import_register``.

Every document is parsed safely, validated against the XSD and mapped onto Vern's cases, keeping
every id (the register's Ids become ``register_id``; MigrertId and what Vern does not model stay in
the kept document, which becomes the case's previous document). An import of a folder is one
transaction: if any document is malformed, invalid, or cannot be held by Vern, nothing is imported
and every problem is listed with file, line, element and reason. A document already imported is
recognised by its Id and changes nothing. A case deleted in the system it came from (``Sak
ErSlettet="true"``) is kept as a document but not taken in.

What Vern cannot hold is refused rather than guessed: an investigation needs the report it came from
(Relasjon Melding → Undersokelse), a measure the decision it carries out (Relasjon Vedtak → Tiltak),
and a case needs Personalia (the child's birth date). The register's own controls flag the same.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time
from functools import partial
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import IntegrityError, models, transaction
from django.utils import timezone

from vern.cases.models import Case, Child, Gender, IdentityKind
from vern.cases.services import KIND_FROM_IDENTITY
from vern.core.audit import audit_row
from vern.core.audit_events import AuditEvent
from vern.core.bulk import Ref, Table
from vern.core.dates import OSLO
from vern.core.identity import IdentityNumberKind, InvalidIdentityNumber, classify
from vern.core.models import AuditEntry, Unit, User
from vern.core.parallel import collector_paused, ordered_map
from vern.decisions.models import BoardReferral, Decision, DecisionStatus, PrivateClaim, legal_basis_values
from vern.intake.models import Channel, ConcernReport, ReportContent, ReportReporter
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
from vern.register.build import is_true
from vern.register.checking import register_files
from vern.register.control import legal_bases
from vern.register.models import Delivery, Document
from vern.register.xml import Element, InvalidDocument, content_sha256, parse, read_date, schema_errors
from vern.rules.legal_basis import is_care_order

IMPORT_USERNAME = "register-import"
# Documents per transaction chunk: inserted together, checked together.
CHUNK = 500
_BASIS_TEXT_LENGTH = 40  # LegalBasisFields.paragraphs, letters, sentences


@dataclass(frozen=True)
class Problem:
    file: str
    line: int
    element: str
    reason: str

    def __str__(self) -> str:
        return f"{self.file}, linje {self.line}, {self.element}: {self.reason}"


class ImportRejected(Exception):
    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = problems


@dataclass
class ImportResult:
    imported: int = 0
    already_imported: int = 0
    deleted: int = 0
    deliveries: list[Delivery] = field(default_factory=list)


def import_user() -> User:
    """The user recorded as having registered what was imported: not a person, cannot log in."""
    user, _created = User.objects.get_or_create(
        username=IMPORT_USERNAME,
        defaults={
            "first_name": "Import",
            "last_name": "fra tidligere fagsystem",
            "is_active": False,
            "password": make_password(None),
        },
    )
    return user


# ---------------------------------------------------------------------------------------------
# One document, mapped onto unsaved model objects


def _id(element: Element) -> str:
    return element.get("Id", "")


def _line(element: Element) -> int:
    line = element.sourceline
    return line if isinstance(line, int) else 0


def _day(element: Element | None, attribute: str) -> date | None:
    if element is None:
        return None
    value = element.get(attribute)
    return read_date(value) if value else None


def _required_day(element: Element, attribute: str) -> date:
    day = _day(element, attribute)
    assert day is not None, f"schema-valid documents have {attribute}"
    return day


def _live(sak: Element, tag: str) -> list[Element]:
    return [e for e in sak.findall(tag) if not is_true(e.get("ErSlettet"))]


def _coded(element: Element, tag: str) -> list[tuple[str, str]]:
    return [(e.get("Kode", ""), e.get("Presisering", "")) for e in element.findall(tag)]


# Where an element is in its document: (line, path). The path of the root and of its Sak are fixed.
_Where = tuple[int, str]
_ROOT, _SAK = "/Barnevern", "/Barnevern/Sak"


def _where(element: Element) -> _Where:
    return _line(element), element.getroottree().getpath(element)


@dataclass
class _Mapped:
    """A document's case as rows to insert (core.bulk), linked to each other by Ref, saved in order.
    It holds no lxml elements: it is made in a worker process and sent to the one that saves it, by
    pickle. So choices are plain values (``Channel.OTHER.value``): pickling an enum member costs
    more than the rest of its row. The child and the case are field values too, not model instances,
    which cost several times more to make and to pickle."""

    file: str
    line: int  # of the root element, as is sak_line of its Sak
    sak_line: int
    unit: Unit
    child: dict[str, Any]  # one dict for every document of the same numbered child in a chunk
    case: dict[str, Any]  # but its child
    child_pk: int | None = None  # if Vern already has the child
    case_ref: Ref = field(default_factory=Ref)
    rows: dict[type[models.Model], list[tuple[Ref, dict[str, Any]]]] = field(default_factory=dict)
    # register id -> (model, where in the document) of everything it holds, for the id checks
    ids: dict[str, tuple[type[models.Model], _Where]] = field(default_factory=dict)

    def add(self, model: type[models.Model], element: Element | None, **values: Any) -> Ref:
        ref = Ref()
        self.rows.setdefault(model, []).append((ref, values))
        register_id = values.get("register_id")
        if register_id is not None and element is not None:
            self.ids[str(register_id)] = (model, _where(element))
        return ref


class _Mapper:
    def __init__(self, file: str, root: Element, *, units: _Units, user: User, now: datetime) -> None:
        self.file, self.root = file, root
        self.units, self.user, self.now = units, user, now
        self.problems: list[Problem] = []

    def problem(self, element: Element, reason: str) -> None:
        self.problems.append(Problem(self.file, *_where(element), reason))

    def map(self) -> _Mapped | None:
        root = self.root
        giver, sak = root.find("Avgiver"), root.find("Sak")
        assert giver is not None, "schema-valid documents have an Avgiver"
        assert sak is not None, "schema-valid documents have a Sak"
        unit = self.units.find(giver.get("Kommunenummer", ""), giver.get("Bydelsnummer", ""))
        if unit is None:
            where = giver.get("Kommunenummer", "") + (
                f" bydel {giver.get('Bydelsnummer')}" if giver.get("Bydelsnummer") else ""
            )
            self.problem(giver, f"ingen barneverntjeneste i Vern for kommune {where}")
            return None
        child = self._child(sak)
        if child is None:
            return None
        register_id = _id(sak)
        case = {
            "unit": unit.pk,
            "journal_number": sak.get("Journalnummer", ""),
            "opened_on": _required_day(sak, "StartDato"),
            "closed_on": _day(sak, "SluttDato"),
            "register_id": register_id,
        }
        mapped = _Mapped(self.file, _line(root), _line(sak), unit, child, case)
        mapped.ids[register_id] = (Case, (_line(sak), _SAK))
        self._items(sak, mapped)
        return mapped if not self.problems else None

    def _child(self, sak: Element) -> dict[str, Any] | None:
        """The child as its latest Personalia (by StartDato) has it; earlier ones stay in the document."""
        personalia = sorted(_live(sak, "Personalia"), key=lambda e: e.get("StartDato", ""))
        if not personalia:
            self.problem(sak, "saken mangler Personalia: Vern trenger barnets fødselsdato")
            return None
        latest = personalia[-1]
        number, duf = latest.get("Fodselsnummer", ""), latest.get("DUFnummer", "")
        try:
            identity = classify(number, today=self.now.date())
        except InvalidIdentityNumber as exc:
            self.problem(latest, f"ugyldig fødselsnummer ({exc})")
            return None
        kind = KIND_FROM_IDENTITY[identity.kind]
        if duf and identity.is_placeholder and identity.kind is not IdentityNumberKind.UNBORN_PLACEHOLDER:
            kind = IdentityKind.DUF
        return {
            "identity_kind": kind.value,
            "identity_number": identity.number,
            "duf_number": duf,
            "birth_date": _required_day(latest, "Fodseldato"),
            "gender": latest.get("Kjonn", Gender.UNKNOWN.value),
        }

    def _items(self, sak: Element, m: _Mapped) -> None:
        relations = _live(sak, "Relasjon")
        reports = {e.get("Id", ""): self._report(e, m) for e in _live(sak, "Melding")}
        investigations: dict[str, Ref] = {}
        claimed: set[str] = set()
        for element in _live(sak, "Undersokelse"):
            item_id = element.get("Id", "")
            sources = [
                r.get("FraId", "") for r in relations if _links(r, "Melding", "Undersokelse", to=item_id)
            ]
            source = next((s for s in sources if s in reports and s not in claimed), None)
            if source is None:
                self.problem(
                    element,
                    "undersøkelsen har ingen relasjon fra en melding (Vern knytter hver undersøkelse "
                    "til meldingen den kom fra)",
                )
                continue
            claimed.add(source)
            investigations[item_id] = self._investigation(element, reports[source], m)
        decisions: dict[str, Ref | None] = {}
        for element in _live(sak, "Vedtak"):
            item_id = element.get("Id", "")
            sources = [
                r.get("FraId", "") for r in relations if _links(r, "Undersokelse", "Vedtak", to=item_id)
            ]
            investigation = next((investigations[s] for s in sources if s in investigations), None)
            decisions[item_id] = self._decision(element, investigation, m)
        for element in _live(sak, "Plan"):
            self._plan(element, m)
        for element in _live(sak, "Tiltak"):
            item_id = element.get("Id", "")
            sources = [r.get("FraId", "") for r in relations if _links(r, "Vedtak", "Tiltak", to=item_id)]
            decision = next((d for s in sources if (d := decisions.get(s)) is not None), None)
            if decision is None:
                self.problem(
                    element,
                    "tiltaket har ingen relasjon fra et vedtak (Vern knytter hvert tiltak til vedtaket "
                    "det gjennomfører)",
                )
                continue
            self._measure(element, decision, m)
        for element in _live(sak, "Ettervern"):
            conclusion = element.find("Konklusjon")
            m.add(
                Aftercare,
                element,
                case=m.case_ref,
                offered_on=_required_day(element, "TilbudSendtDato"),
                concluded_on=_day(conclusion, "SluttDato"),
                conclusion=conclusion.get("Kode", "") if conclusion is not None else "",
                recorded_by=self.user,
                register_id=_id(element),
            )
        for element in _live(sak, "OversendelseFylkesnemnd"):
            item_id = element.get("Id", "")
            linked = [
                r.get("FraId") if r.get("FraType") == "Vedtak" else r.get("TilId")
                for r in relations
                if {r.get("FraType"), r.get("TilType")} == {"Vedtak", "OversendelseFylkesnemnd"}
                and item_id in {r.get("FraId"), r.get("TilId")}
            ]
            decision = next((found for d in linked if d and (found := decisions.get(d)) is not None), None)
            basis = self._basis(element)
            if basis is not None:
                m.add(
                    BoardReferral,
                    element,
                    case=m.case_ref,
                    sent_on=_required_day(element, "StartDato"),
                    decision=decision,
                    sent_by=self.user,
                    register_id=item_id,
                    **basis,
                )
        for element in _live(sak, "Flytting"):
            reason, destination = element.find("ArsakFra"), element.find("FlyttingTil")
            assert reason is not None, "schema-valid relocations have ArsakFra"
            assert destination is not None, "schema-valid relocations have FlyttingTil"
            m.add(
                Relocation,
                element,
                case=m.case_ref,
                moved_on=_required_day(element, "SluttDato"),
                reason=reason.get("Kode", ""),
                reason_specification=reason.get("Presisering", ""),
                destination=destination.get("Kode", ""),
                destination_specification=destination.get("Presisering", ""),
                recorded_by=self.user,
                register_id=_id(element),
            )

    def _report(self, element: Element, m: _Mapped) -> Ref:
        start = _required_day(element, "StartDato")
        conclusion = element.find("Konklusjon")
        report = m.add(
            ConcernReport,
            element,
            case=m.case_ref,
            received_at=datetime.combine(start, time(0), tzinfo=OSLO),
            channel=Channel.OTHER.value,
            text="",
            review_concluded_on=_day(conclusion, "SluttDato"),
            review_conclusion=conclusion.get("Kode", "") if conclusion is not None else "",
            register_id=_id(element),
        )
        for code, specification in _coded(element, "Melder"):
            m.add(ReportReporter, None, report=report, code=code, specification=specification)
        for code, specification in _coded(element, "Saksinnhold"):
            m.add(ReportContent, None, report=report, code=code, specification=specification)
        return report

    def _investigation(self, element: Element, report: Ref, m: _Mapped) -> Ref:
        participation = element.find("BarnetsMedvirkning")
        conclusion = element.find("Konklusjon")
        investigation = m.add(
            Investigation,
            element,
            case=m.case_ref,
            report=report,
            started_on=_required_day(element, "StartDato"),
            opened_by=self.user,
            participation_code=participation.findtext("MedvirkningType", "")
            if participation is not None
            else "",
            participation_on=read_date(participation.findtext("StartDato", ""))
            if participation is not None
            else None,
            concluded_on=_day(conclusion, "SluttDato"),
            conclusion=conclusion.get("Kode", "") if conclusion is not None else "",
            conclusion_specification=conclusion.get("Presisering", "") if conclusion is not None else "",
            concluded_by=self.user if conclusion is not None else None,
            register_id=_id(element),
        )
        for code, specification in _coded(element, "Vedtaksgrunnlag"):
            m.add(DecisionBasis, None, investigation=investigation, code=code, specification=specification)
        extension = element.find("UtvidetFrist")
        # Only a granted extension moves the deadline; one applied for and refused (or not yet
        # decided) stays in the kept document, from where the next export carries it on.
        if extension is not None and extension.get("Innvilget") == "1":
            m.add(
                DeadlineExtension,
                None,
                investigation=investigation,
                decided_on=_required_day(extension, "StartDato"),
                reason="Registrert i tidligere fagsystem",
                decided_by=self.user,
            )
        return investigation

    def _basis(self, element: Element) -> dict[str, object] | None:
        """The LegalBasisFields values of the element's Lovhjemmel, or None if Vern cannot hold them."""
        bases = legal_bases(element)
        assert bases is not None, "schema-valid documents have a Lovhjemmel with a known law"
        values = legal_basis_values(bases)
        if any(len(str(values[k])) > _BASIS_TEXT_LENGTH for k in ("paragraphs", "letters", "sentences")):
            self.problem(element, "lovhjemmelen har flere ledd, bokstaver eller punktum enn Vern kan lagre")
            return None
        return values

    def _decision(self, element: Element, investigation: Ref | None, m: _Mapped) -> Ref | None:
        basis = self._basis(element)
        if basis is None:
            return None
        decision = m.add(
            Decision,
            element,
            case=m.case_ref,
            investigation=investigation,
            decided_on=_required_day(element, "StartDato"),
            made_by=self.user,
            summary="",
            ended_on=_day(element.find("Konklusjon"), "SluttDato"),
            register_id=_id(element),
            **basis,
        )
        for claim in element.findall("Krav"):
            conclusion = claim.find("Konklusjon")
            m.add(
                PrivateClaim,
                claim,
                decision=decision,
                received_on=_required_day(claim, "StartDato"),
                concluded_on=_day(conclusion, "SluttDato"),
                conclusion=conclusion.get("Kode", "") if conclusion is not None else "",
                specification=conclusion.get("Presisering", "") if conclusion is not None else "",
                recorded_by=self.user,
                register_id=_id(claim),
            )
        for status in element.findall("Status"):
            m.add(
                DecisionStatus,
                status,
                decision=decision,
                code=status.get("Kode", ""),
                changed_on=_required_day(status, "EndretDato"),
                recorded_by=self.user,
                register_id=_id(status),
            )
        return decision

    def _plan(self, element: Element, m: _Mapped) -> None:
        plan = m.add(
            Plan,
            element,
            case=m.case_ref,
            plan_type=element.get("Plantype", ""),
            start_on=_required_day(element, "StartDato"),
            end_on=_day(element.find("Konklusjon"), "SluttDato"),
            summary="",
            made_by=self.user,
            register_id=_id(element),
        )
        for evaluation in element.findall("Evaluering"):
            m.add(
                PlanEvaluation, None, plan=plan, done_on=_required_day(evaluation, "UtfortDato"), by=self.user
            )

    def _measure(self, element: Element, decision: Ref, m: _Mapped) -> None:
        category = element.find("Kategori")
        revocation = element.find("Opphevelse")
        assert category is not None
        basis = self._basis(element)
        bases = legal_bases(element)
        if basis is None or bases is None:
            return
        measure = m.add(
            Measure,
            element,
            case=m.case_ref,
            decision=decision,
            category=category.get("Kode", ""),
            category_specification=category.get("Presisering", ""),
            care_order=is_care_order(bases),
            start_on=_required_day(element, "StartDato"),
            end_on=_day(element.find("Konklusjon"), "SluttDato"),
            revocation=revocation.get("Kode", "") if revocation is not None else "",
            revocation_specification=revocation.get("Presisering", "") if revocation is not None else "",
            started_by=self.user,
            register_id=_id(element),
            **basis,
        )
        for code, specification in _coded(element, "Tiltaksgrunnlag"):
            m.add(MeasureReason, None, measure=measure, code=code, specification=specification)
        for tag, kind in (("Tilsyn", VisitKind.SUPERVISION.value), ("Oppfolging", VisitKind.FOLLOW_UP.value)):
            block = element.find(tag)
            if block is None:
                continue
            starts: set[date] = set()
            for responsible in block.findall("Ansvarlig"):
                m.add(
                    SupervisionArrangement,
                    responsible,
                    measure=measure,
                    municipality_number=responsible.get("Kommunenummer", ""),
                    start_on=_required_day(responsible, "StartDato"),
                    recorded_by=self.user,
                    register_id=_id(responsible),
                )
            for frequency in block.findall("Hyppighet"):
                start = _required_day(frequency, "StartDato")
                if start in starts:
                    self.problem(frequency, "to hyppigheter fra samme dato for samme tiltak")
                starts.add(start)
                m.add(
                    VisitFrequency,
                    frequency,
                    measure=measure,
                    kind=kind,
                    code=frequency.get("Kode", ""),
                    start_on=start,
                    recorded_by=self.user,
                    register_id=_id(frequency),
                )
            for visit in block.findall("Utfort"):
                m.add(
                    Visit,
                    visit,
                    measure=measure,
                    kind=kind,
                    visited_on=_required_day(visit, "UtfortDato"),
                    recorded_by=self.user,
                    register_id=_id(visit),
                )


def _links(relation: Element, from_type: str, to_type: str, *, to: str) -> bool:
    return (
        relation.get("FraType") == from_type
        and relation.get("TilType") == to_type
        and relation.get("TilId") == to
    )


class _Units:
    """Service units by municipality and district number, all read once before the import starts:
    documents are mapped in worker processes, which ask the database nothing."""

    def __init__(self) -> None:
        found: dict[tuple[str, str], list[Unit]] = {}
        units = Unit.objects.filter(kind=Unit.Kind.SERVICE).select_related("host_municipality", "district")
        for unit in units:
            key = (unit.host_municipality.number, unit.district.number if unit.district else "")
            found.setdefault(key, []).append(unit)
        # A number that names two units names none: the document must say which.
        self._found = {key: both[0] if len(both) == 1 else None for key, both in found.items()}

    def find(self, municipality: str, district: str) -> Unit | None:
        return self._found.get((municipality, district))


# ---------------------------------------------------------------------------------------------
# The import


# Order of insertion: each model after those it points to.
_ORDER: tuple[type[models.Model], ...] = (
    ConcernReport,
    ReportReporter,
    ReportContent,
    Investigation,
    DecisionBasis,
    DeadlineExtension,
    Decision,
    PrivateClaim,
    DecisionStatus,
    Plan,
    PlanEvaluation,
    Measure,
    MeasureReason,
    SupervisionArrangement,
    VisitFrequency,
    Visit,
    Aftercare,
    BoardReferral,
    Relocation,
)
_WITH_REGISTER_ID: tuple[type[models.Model], ...] = (Case, *(m for m in _ORDER if hasattr(m, "register_id")))


def _chunks(files: list[Path]) -> Iterator[list[Path]]:
    for start in range(0, len(files), CHUNK):
        yield files[start : start + CHUNK]


@dataclass
class _Read:
    """One file read and validated, and mapped unless its case was deleted at the source: what the
    saving process needs of it, with no lxml elements (it is made in a worker process)."""

    path: Path
    data: bytes
    sha256: str
    document_id: str
    previous_id: str | None
    line: int  # of the root element
    content_sha256: str  # of its Sak (register.xml.content_sha256)
    deleted: bool
    giver: tuple[str, str]  # Avgiver's Kommunenummer and Bydelsnummer
    giver_line: int
    mapped: _Mapped | None
    # What the mapping found: reported only if the document was not imported before.
    problems: list[Problem]


@dataclass
class _Prepared:
    """A chunk of files read, validated and mapped: what ``_Import._chunk`` writes."""

    read: list[_Read] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def _read(path: Path, problems: list[Problem]) -> tuple[bytes, Element] | None:
    data = path.read_bytes()
    try:
        root = parse(data)
    except InvalidDocument as exc:
        problems += [Problem(str(path), e.line, e.path or "/", e.message) for e in exc.errors]
        return None
    errors = schema_errors(root)
    if errors:
        problems += [Problem(str(path), e.line, e.path, e.message) for e in errors]
        return None
    return data, root


def _prepare(files: list[Path], *, units: _Units, user: User, now: datetime) -> _Prepared:
    """Read, validate and map a chunk of files. Asks the database nothing: it runs in a worker
    process (core.parallel) while the chunk before it is written."""
    prepared = _Prepared()
    for path in files:
        found = _read(path, prepared.problems)
        if found is None:
            continue
        data, root = found
        giver, sak = root.find("Avgiver"), root.find("Sak")
        assert giver is not None, "schema-valid documents have an Avgiver"
        assert sak is not None, "schema-valid documents have a Sak"
        deleted = is_true(sak.get("ErSlettet"))
        mapper = _Mapper(str(path), root, units=units, user=user, now=now)
        prepared.read.append(
            _Read(
                path=path,
                data=data,
                sha256=hashlib.sha256(data).hexdigest(),
                document_id=_id(root),
                previous_id=root.get("ForrigeId"),
                line=_line(root),
                content_sha256=content_sha256(sak),
                deleted=deleted,
                giver=(giver.get("Kommunenummer", ""), giver.get("Bydelsnummer", "")),
                giver_line=_line(giver),
                mapped=None if deleted else mapper.map(),
                problems=mapper.problems,
            )
        )
    return prepared


class _Import:
    def __init__(self, *, run_by: str, user: User | None, now: datetime, workers: int) -> None:
        self.run_by, self.user, self.now, self.workers = run_by, user, now, workers
        self.recorded_by = import_user()
        self.units = _Units()
        self.problems: list[Problem] = []
        self.result = ImportResult()
        self.deliveries: dict[int, Delivery] = {}
        self.seen_documents: set[str] = set()

    def run(self, files: list[Path]) -> ImportResult:
        # Chunks are read and mapped in worker processes while the one before is written here.
        work = partial(_prepare, units=self.units, user=self.recorded_by, now=self.now)
        workers = min(self.workers, -(-len(files) // CHUNK))  # no worker for one chunk
        for prepared in ordered_map(work, _chunks(files), workers=workers):
            self._chunk(prepared)
        if self.problems:
            raise ImportRejected(self.problems)
        for delivery in self.deliveries.values():
            delivery.save(update_fields=["case_count"])
        self.result.deliveries = list(self.deliveries.values())
        return self.result

    def _chunk(self, prepared: _Prepared) -> None:
        self.problems += prepared.problems
        new: list[_Read] = []
        known = self._known_documents([read.document_id for read in prepared.read])
        for read in prepared.read:
            if read.document_id in self.seen_documents:
                self.problems.append(
                    Problem(str(read.path), read.line, _ROOT, "samme dokument-Id som en annen fil")
                )
                continue
            self.seen_documents.add(read.document_id)
            if read.document_id in known:
                if known[read.document_id] != read.data:
                    self.problems.append(
                        Problem(
                            str(read.path),
                            read.line,
                            _ROOT,
                            "dokumentet er importert før, men innholdet er endret siden",
                        )
                    )
                else:
                    self.result.already_imported += 1
                continue
            self.problems += read.problems
            if read.deleted or read.mapped is not None:
                new.append(read)
        mapped = [read.mapped for read in new if read.mapped is not None]
        self._check_ids(mapped, in_database=False)
        self._check_cases(mapped)
        if self.problems:
            return  # keep checking the rest; nothing more is written, and the transaction is undone
        try:
            with transaction.atomic():
                self._save(new)
        except IntegrityError:
            # An id Vern already has (the database's unique constraints saw it): say which.
            self._check_ids(mapped, in_database=True)
            if not self.problems:
                raise

    def _known_documents(self, ids: list[str]) -> dict[str, bytes]:
        rows = Document.objects.filter(document_id__in=[i for i in ids if i]).values_list(
            "document_id", "body"
        )
        return {str(document_id): bytes(body) for document_id, body in rows}

    def _check_ids(self, mapped: list[_Mapped], *, in_database: bool) -> None:
        """Every Id is used once, and (``in_database``) is new to Vern: the register's ids are Vern's
        ids from now on. The database is asked only when an insert broke a unique constraint, which
        is what would happen: a search for thousands of ids costs more than the insert."""
        owners: dict[str, tuple[_Mapped, _Where]] = {}
        for m in mapped:
            for register_id, (_model, where) in m.ids.items():
                if register_id in owners and not in_database:
                    self._problem(m, where, f"Id {register_id} er brukt to ganger")
                owners[register_id] = (m, where)
        if not in_database:
            return
        by_model: dict[type[models.Model], list[str]] = {}
        for m in mapped:
            for register_id, (model, _where) in m.ids.items():
                by_model.setdefault(model, []).append(register_id)
        for model in _WITH_REGISTER_ID:
            wanted = by_model.get(model, [])
            for start in range(0, len(wanted), 1000):
                taken = model._default_manager.filter(
                    register_id__in=wanted[start : start + 1000]
                ).values_list("register_id", flat=True)
                for register_id in taken:
                    m, where = owners[str(register_id)]
                    self._problem(m, where, f"Id {register_id} finnes allerede i Vern")

    def _problem(self, m: _Mapped, where: _Where, reason: str) -> None:
        self.problems.append(Problem(m.file, *where, reason))

    def _check_cases(self, mapped: list[_Mapped]) -> None:
        self._check_journals(mapped)
        self._match_children(mapped)

    def _check_journals(self, mapped: list[_Mapped]) -> None:
        """Journal numbers are free in the unit."""
        journals: dict[tuple[int, str], _Mapped] = {}
        for m in mapped:
            key = (m.unit.pk, m.case["journal_number"])
            if key in journals:
                self._problem(m, (m.line, _ROOT), f"journalnummer {key[1]} er brukt i to dokumenter")
            journals[key] = m
        taken = Case.objects.filter(
            unit_id__in={u for u, _j in journals}, journal_number__in={j for _u, j in journals}
        ).values_list("unit_id", "journal_number")
        for key in taken:
            if key in journals:
                m = journals[key]
                self._problem(m, (m.sak_line, _SAK), f"journalnummer {key[1]} er allerede i bruk i {m.unit}")

    def _match_children(self, mapped: list[_Mapped]) -> None:
        """A child known by fødselsnummer or D-nummer is one child, in Vern and across the import."""
        numbered = {IdentityKind.FODSELSNUMMER.value, IdentityKind.D_NUMMER.value}
        numbers = {m.child["identity_number"] for m in mapped if m.child["identity_kind"] in numbered}
        existing = dict(
            Child.objects.filter(identity_number__in=numbers, identity_kind__in=numbered).values_list(
                "identity_number", "pk"
            )
        )
        one_per_number: dict[str, dict[str, Any]] = {}
        for m in mapped:
            if m.child["identity_kind"] in numbered:
                number = m.child["identity_number"]
                m.child = one_per_number.setdefault(number, m.child)
                m.child_pk = existing.get(number)
        open_cases = set(
            Case.objects.filter(child__in=list(existing.values()), closed_on__isnull=True).values_list(
                "unit_id", "child_id"
            )
        )
        opening: set[tuple[int, int]] = set()  # (unit, id() of the child's dict)
        for m in mapped:
            if m.case["closed_on"] is not None:
                continue
            if m.child_pk is not None and (m.unit.pk, m.child_pk) in open_cases:
                self._problem(m, (m.sak_line, _SAK), "barnet har allerede en åpen sak i denne tjenesten")
            if (m.unit.pk, id(m.child)) in opening:
                self._problem(m, (m.sak_line, _SAK), "barnet har en annen åpen sak i samme import")
            opening.add((m.unit.pk, id(m.child)))

    def _delivery(self, unit: Unit) -> Delivery:
        if unit.pk not in self.deliveries:
            self.deliveries[unit.pk] = Delivery.objects.create(
                unit=unit,
                kind=Delivery.Kind.IMPORT,
                extracted_at=self.now,
                created_by=self.user,
                run_by=self.run_by,
                case_count=0,
                folder="",
            )
        return self.deliveries[unit.pk]

    def _save(self, reads: list[_Read]) -> None:
        mapped = [read.mapped for read in reads if read.mapped is not None]
        children, cases = Table(Child), Table(Case)
        new_children: dict[int, Ref] = {}  # by id() of the child's dict
        for m in mapped:
            child: Ref | int
            if m.child_pk is not None:
                child = m.child_pk
            elif id(m.child) in new_children:
                child = new_children[id(m.child)]
            else:
                child = new_children[id(m.child)] = children.add(**m.child)
            cases.rows.append((m.case_ref, {**m.case, "child": child}))
        children.insert()
        cases.insert()
        for model in _ORDER:
            table = Table(model)
            table.rows = [row for m in mapped for row in m.rows.get(model, [])]
            table.insert()
        documents, audits = Table(Document), Table(AuditEntry)
        for read in reads:
            if (case := read.mapped) is not None:
                delivery = self._delivery(case.unit)
                delivery.case_count += 1
                documents.add(**self._document(delivery, read, case.case_ref))
                audits.add(
                    **audit_row(
                        event=AuditEvent.CASE_IMPORTED,
                        by=self.user,
                        case_id=case.case_ref.pk,
                        unit=case.unit,
                        extra={"document_id": str(read.document_id), "delivery": delivery.pk},
                    )
                )
                continue
            unit = self.units.find(*read.giver)
            if unit is None:
                self.problems.append(
                    Problem(
                        str(read.path),
                        read.giver_line,
                        "/Barnevern/Avgiver",
                        "ingen barneverntjeneste i Vern for avgiveren",
                    )
                )
                continue
            documents.add(**self._document(self._delivery(unit), read, None))
            self.result.deleted += 1
        documents.insert()
        audits.insert()
        self.result.imported += len(mapped)

    @staticmethod
    def _document(delivery: Delivery, read: _Read, case: Ref | None) -> dict[str, Any]:
        return {
            "delivery": delivery,
            "case": case,
            "document_id": read.document_id,
            "previous_id": read.previous_id,
            "file_name": read.path.name[:200],
            "sha256": read.sha256,
            "content_sha256": read.content_sha256,
            "body": read.data,
        }


def import_path(
    path: Path,
    *,
    run_by: str,
    user: User | None = None,
    now: datetime | None = None,
    workers: int | None = None,
) -> ImportResult:
    """Import one document or a folder of them, all or nothing; the documents are read and mapped in
    ``workers`` processes (default ``VERN_REGISTER_WORKERS``). Raises ImportRejected,
    FileNotFoundError."""
    files = register_files(path)
    chosen = settings.VERN_REGISTER_WORKERS if workers is None else workers
    with collector_paused(), transaction.atomic():
        return _Import(run_by=run_by, user=user, now=now or timezone.now(), workers=chosen).run(files)


def problems_text(problems: Iterable[Problem]) -> str:
    return "\n".join(str(p) for p in problems)
