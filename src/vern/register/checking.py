"""Running the pre-submission control on the database's cases or on register files.

Both paths check a register document with ``control.check``: from the database, the document an
export would send now (built by ``register.build``); from a file, the file itself, with the previous
document it names (``ForrigeId``) looked up among the documents Vern keeps. Same data, same findings.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from django.urls import reverse
from django.utils import timezone

from vern.cases.models import Case
from vern.core.models import Unit
from vern.decisions.models import BoardReferral, Decision
from vern.intake.models import ConcernReport
from vern.investigations.models import Investigation
from vern.measures.models import Measure, Plan, Relocation
from vern.register import build, control
from vern.register.control import Finding, Severity
from vern.register.export import case_ids, documents
from vern.register.models import ControlRun, Document
from vern.register.xml import Element, InvalidDocument, parse, schema_errors


@dataclass(frozen=True)
class CaseFindings:
    """The findings for one case (``case_id`` from the database) or one file (``source``)."""

    source: str
    journal_number: str
    findings: list[Finding]
    case_id: int | None = None


def check_unit(unit: Unit, *, now: datetime | None = None) -> Iterator[CaseFindings]:
    extracted_at = now or timezone.now()
    for doc in documents(unit, case_ids(unit), extracted_at=extracted_at):
        findings = control.schema_findings(schema_errors(doc.root), doc.root) or control.check(
            doc.root, known=doc.known
        )
        yield CaseFindings(f"sak {doc.journal_number}", doc.journal_number, findings, doc.case_id)


def check_case(case: Case, *, now: datetime | None = None) -> list[Finding]:
    """What the control says of one case now (the case page)."""
    extracted_at = now or timezone.now()
    for doc in documents(case.unit, [case.pk], extracted_at=extracted_at):
        return control.schema_findings(schema_errors(doc.root), doc.root) or control.check(
            doc.root, known=doc.known
        )
    return []


def register_files(path: Path) -> list[Path]:
    if path.is_file():
        return [path]
    if not path.is_dir():
        raise FileNotFoundError(f"{path} finnes ikke")
    return sorted(p for p in path.iterdir() if p.is_file() and p.suffix.lower() == ".xml")


def _journal(root: Element) -> str:
    sak = root.find("Sak")
    return sak.get("Journalnummer", "") if sak is not None else ""


def _valid(path: Path) -> Element | CaseFindings:
    """The file's root element if it is valid against the XSD, else its findings."""
    try:
        root = parse(path.read_bytes())
    except InvalidDocument as exc:
        return CaseFindings(str(path), "", control.schema_findings(exc.errors))
    errors = schema_errors(root)
    if errors:
        return CaseFindings(str(path), _journal(root), control.schema_findings(errors, root))
    return root


def check_files(paths: list[Path]) -> Iterator[CaseFindings]:
    """Each file's findings, in order. The previous documents the files name are looked up a batch
    of files at a time, not with a query per file."""
    for start in range(0, len(paths), build.BATCH):
        batch = paths[start : start + build.BATCH]
        valid = [_valid(path) for path in batch]
        wanted = {
            uuid.UUID(previous)
            for v in valid
            if not isinstance(v, CaseFindings) and (previous := v.get("ForrigeId"))
        }
        bodies = dict(Document.objects.filter(document_id__in=wanted).values_list("document_id", "body"))
        for path, root in zip(batch, valid, strict=True):
            if isinstance(root, CaseFindings):
                yield root
                continue
            previous = root.get("ForrigeId")
            body = bodies.get(uuid.UUID(previous)) if previous else None
            known = control.known_items(parse(bytes(body))) if body is not None else None
            yield CaseFindings(str(path), _journal(root), control.check(root, known=known))


def check_file(path: Path) -> CaseFindings:
    return next(check_files([path]))


def record_run(
    unit: Unit, results: list[CaseFindings], *, run_by: str, at: datetime | None = None
) -> ControlRun:
    """Counts per rule, and the cases each rule found something in, for the unit's control page."""
    summary: dict[str, dict[str, object]] = {}
    for result in results:
        for finding in result.findings:
            entry = summary.setdefault(
                finding.rule, {"severity": finding.severity.value, "cases": [], "count": 0}
            )
            entry["count"] = int(str(entry["count"])) + 1
            cases = entry["cases"]
            assert isinstance(cases, list)
            if result.case_id is not None and (not cases or cases[-1] != result.case_id):
                cases.append(result.case_id)
            # The worst severity a rule has given (Undersøkelse 21 gives ERROR or WARNING).
            if control.SEVERITY_ORDER.index(finding.severity) < control.SEVERITY_ORDER.index(
                Severity(str(entry["severity"]))
            ):
                entry["severity"] = finding.severity.value
    return ControlRun.objects.create(
        unit=unit, at=at or timezone.now(), run_by=run_by, case_count=len(results), results=summary
    )


def item_links(case: Case) -> dict[str, str]:
    """register id -> URL of the page where the item is changed, for every item of the case."""
    links: dict[str, str] = {}
    for pk, rid in ConcernReport.objects.filter(case=case).values_list("pk", "register_id"):
        links[str(rid)] = reverse("intake:report", args=[pk])
    for pk, rid in Investigation.objects.filter(case=case).values_list("pk", "register_id"):
        url = reverse("investigations:detail", args=[pk])
        links[str(rid)] = url
        links[build.derived_id(rid, "Plan", build.INVESTIGATION_PLAN_TYPE)] = url
    for pk, rid in Decision.objects.filter(case=case).values_list("pk", "register_id"):
        links[str(rid)] = reverse("decisions:detail", args=[pk])
    for decision_id, rid in BoardReferral.objects.filter(case=case).values_list("decision_id", "register_id"):
        if decision_id:
            links[str(rid)] = reverse("decisions:detail", args=[decision_id])
    for pk, rid in Measure.objects.filter(case=case).values_list("pk", "register_id"):
        links[str(rid)] = reverse("measures:detail", args=[pk])
    for measure_id, rid in Relocation.objects.filter(case=case).values_list("measure_id", "register_id"):
        if measure_id:
            links[str(rid)] = reverse("measures:detail", args=[measure_id])
    for pk, rid in Plan.objects.filter(case=case).values_list("pk", "register_id"):
        links[str(rid)] = reverse("measures:plan", args=[pk])
    aftercare = reverse("measures:aftercare", args=[case.pk])
    for rid in case.aftercare.values_list("register_id", flat=True):
        links[str(rid)] = aftercare
    return links
