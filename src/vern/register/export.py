"""Deliveries to the register: one document per case, each validated against the XSD, all logged.

A delivery is all or nothing. Its documents are written to a folder beside the target, inserted
into the database in one transaction with the delivery's log row and an audit row per case, and the
folder is moved into place only after the commit. A document that breaks the XSD rejects the whole
delivery, with the cases and errors listed, and leaves nothing behind. Memory is one batch of cases.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import uuid
import zipfile
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime
from functools import partial
from pathlib import Path
from typing import IO, Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from vern.cases.models import Case
from vern.core.audit import audit, audit_row
from vern.core.audit_events import AuditEvent
from vern.core.bulk import Table
from vern.core.models import AuditEntry, Unit, User
from vern.core.parallel import collector_paused, ordered_map
from vern.register import build
from vern.register.models import Delivery, Document
from vern.register.transport import RegisterTransport, default_transport
from vern.register.xml import Element, content_sha256, schema_errors, to_bytes

# A rejected delivery lists at most this many documents' errors.
MAX_LISTED = 50


class UnitNotFound(ValueError):
    pass


class DeliveryRejected(Exception):
    def __init__(self, errors: list[str]) -> None:
        super().__init__("\n".join(errors))
        self.errors = errors


def resolve_unit(spec: str) -> Unit:
    """``<municipality number>[-<district number>]`` to the child welfare service hosted there."""
    municipality, _, district = spec.strip().partition("-")
    units = Unit.objects.filter(
        kind=Unit.Kind.SERVICE, host_municipality__number=municipality
    ).select_related("host_municipality", "district")
    units = units.filter(district__number=district) if district else units.filter(district__isnull=True)
    found = list(units[:2])
    if not found:
        raise UnitNotFound(
            f"Ingen barneverntjeneste for kommune {municipality}" + (f" bydel {district}" if district else "")
        )
    if len(found) > 1:
        raise UnitNotFound(f"Flere barneverntjenester for {spec}: oppgi bydel")
    return found[0]


def unit_code(unit: Unit) -> str:
    """The unit as ``resolve_unit`` takes it: ``<municipality number>[-<district number>]``."""
    code = unit.host_municipality.number
    return f"{code}-{unit.district.number}" if unit.district is not None else code


def case_ids(unit: Unit) -> list[int]:
    return list(Case.objects.filter(unit=unit).order_by("pk").values_list("pk", flat=True))


@dataclass(frozen=True)
class CaseDocument:
    case_id: int
    journal_number: str
    root: Element
    known: set[tuple[str, str]] | None
    previous: Mapping[str, Any] | None


def documents(unit: Unit, ids: list[int], *, extracted_at: datetime) -> Iterator[CaseDocument]:
    """Each case's document, built from the database batch by batch."""
    giver = build.Giver.of(unit)
    for batch in build.batches(ids):
        rows = build.load(batch)
        for case_id in batch:
            built = build.build_document(
                rows[case_id], giver=giver, extracted_at=extracted_at, document_id=uuid.uuid4()
            )
            yield CaseDocument(
                case_id, rows[case_id].case["journal_number"], built.root, built.known, rows[case_id].previous
            )


@dataclass(frozen=True)
class Rendered:
    """One case's document as written to its file: its bytes and hashes, or why it breaks the XSD,
    or that it is unchanged since its previous document (``body`` None in both, and no file)."""

    case_id: int
    journal_number: str
    errors: list[str]
    content_sha256: str
    body: bytes | None
    document_id: str
    previous_id: str | None
    file_name: str = ""
    sha256: str = ""


def _render(
    rows: build.CaseRows, *, giver: build.Giver, extracted_at: datetime, changes: bool, folder: Path
) -> Rendered:
    built = build.build_document(rows, giver=giver, extracted_at=extracted_at, document_id=uuid.uuid4())
    root = built.root
    journal_number, document_id = rows.case["journal_number"], root.get("Id", "")
    errors = schema_errors(root)
    if errors:
        return Rendered(
            rows.case["pk"], journal_number, [str(e) for e in errors[:5]], "", None, document_id, None
        )
    sak = root.find("Sak")
    assert sak is not None
    content = content_sha256(sak)
    unchanged = changes and rows.previous is not None and rows.previous["content_sha256"] == content
    body = None if unchanged else to_bytes(root)
    name, digest = f"{sak.get('Id')}.xml", hashlib.sha256(body).hexdigest() if body else ""
    if body is not None:
        (folder / name).write_bytes(body)
    previous_id = root.get("ForrigeId")
    return Rendered(
        rows.case["pk"], journal_number, [], content, body, document_id, previous_id, name, digest
    )


def _render_all(
    chunk: list[build.CaseRows], *, giver: build.Giver, extracted_at: datetime, changes: bool, folder: Path
) -> list[Rendered]:
    return [
        _render(rows, giver=giver, extracted_at=extracted_at, changes=changes, folder=folder)
        for rows in chunk
    ]


def rendered(
    unit: Unit, ids: list[int], *, extracted_at: datetime, changes: bool, folder: Path, workers: int
) -> Iterator[Rendered]:
    """Each case's document, in case order, written to ``folder``. Building, validating, serialising
    and writing a case needs no database, so it runs in ``workers`` processes (core.parallel) while
    this one loads the next batch of cases; about two batches are in memory at a time."""
    work = partial(
        _render_all, giver=build.Giver.of(unit), extracted_at=extracted_at, changes=changes, folder=folder
    )

    def parts() -> Iterator[list[build.CaseRows]]:
        for batch in build.batches(ids):
            rows = build.load(batch)
            ordered = [rows[case_id] for case_id in batch]
            size = -(-len(ordered) // max(workers, 1))
            for start in range(0, len(ordered), size):
                yield ordered[start : start + size]

    for part in ordered_map(work, parts(), workers=workers):
        yield from part


@dataclass
class ExportResult:
    delivery: Delivery
    written: int = 0
    unchanged: int = 0


def export(
    unit: Unit,
    *,
    folder: Path,
    changes: bool,
    run_by: str,
    user: User | None = None,
    now: datetime | None = None,
    workers: int | None = None,
) -> ExportResult:
    """Write the unit's delivery into ``folder`` (which must be new or empty) and log it. The
    documents are built in ``workers`` processes (default ``VERN_REGISTER_WORKERS``)."""
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise DeliveryRejected([f"Mappen {folder} finnes og er ikke tom"])
    extracted_at = now or timezone.now()
    staging = folder.parent / f".{folder.name}.{uuid.uuid4().hex}.partial"
    staging.mkdir(parents=True)
    try:
        with collector_paused(), transaction.atomic():
            result = _write(
                unit,
                staging,
                changes=changes,
                run_by=run_by,
                user=user,
                extracted_at=extracted_at,
                workers=settings.VERN_REGISTER_WORKERS if workers is None else workers,
            )
            result.delivery.folder = str(folder.resolve())
            result.delivery.save(update_fields=["folder", "case_count"])
        if folder.exists():
            folder.rmdir()
        staging.replace(folder)
    finally:
        if staging.exists():
            shutil.rmtree(staging)
    return result


def _write(
    unit: Unit,
    staging: Path,
    *,
    changes: bool,
    run_by: str,
    user: User | None,
    extracted_at: datetime,
    workers: int,
) -> ExportResult:
    delivery = Delivery.objects.create(
        unit=unit,
        kind=Delivery.Kind.CHANGES if changes else Delivery.Kind.TOTAL,
        extracted_at=extracted_at,
        created_by=user,
        run_by=run_by,
        case_count=0,
        folder="",
    )
    result = ExportResult(delivery)
    rejected: list[str] = []
    pending, audits = Table(Document), Table(AuditEntry)
    with (staging / "manifest.json.part").open("w", encoding="utf-8") as manifest:
        # Written as it goes, so a delivery of any size needs no list of its documents in memory.
        manifest.write(manifest_start(delivery, unit))
        first = True
        cases = rendered(
            unit, case_ids(unit), extracted_at=extracted_at, changes=changes, folder=staging, workers=workers
        )
        for doc in cases:
            if doc.errors:
                if len(rejected) < MAX_LISTED:
                    rejected.append(f"Sak {doc.journal_number}: " + "; ".join(doc.errors))
                continue
            if doc.body is None:
                result.unchanged += 1
                continue
            body, document_id, previous_id = doc.body, doc.document_id, doc.previous_id
            name, digest = doc.file_name, doc.sha256
            pending.add(
                delivery=delivery,
                case=doc.case_id,
                document_id=document_id,
                previous_id=previous_id,
                file_name=name,
                sha256=digest,
                content_sha256=doc.content_sha256,
                body=body,
            )
            audits.add(
                **audit_row(
                    event=AuditEvent.CASE_EXPORTED,
                    by=user,
                    case_id=doc.case_id,
                    unit=unit,
                    extra={"document_id": str(document_id), "delivery": delivery.pk},
                )
            )
            manifest.write(manifest_entry(name, document_id, previous_id, digest, first=first))
            first = False
            result.written += 1
            if len(pending.rows) >= build.BATCH:
                pending.insert()
                audits.insert()
        manifest.write(MANIFEST_END)
    if rejected:
        raise DeliveryRejected(rejected)
    pending.insert()
    audits.insert()
    (staging / "manifest.json.part").replace(staging / "manifest.json")
    delivery.case_count = result.written
    audit(
        event=AuditEvent.REGISTER_DELIVERY_EXPORTED,
        by=user,
        obj=delivery,
        unit=unit,
        extra={"delivery_id": str(delivery.delivery_id), "cases": result.written},
    )
    return result


# manifest.json: the delivery, then one entry per document in case order. Made the same way when the
# delivery is written and when it is downloaded again from the documents kept (``archive``).
MANIFEST_END = "\n]}\n"


def manifest_start(delivery: Delivery, unit: Unit) -> str:
    header = {
        "delivery_id": str(delivery.delivery_id),
        "kind": delivery.kind,
        "unit": unit.name,
        "extracted_at": build.extraction_time(delivery.extracted_at),
    }
    return '{"delivery": ' + json.dumps(header) + ', "documents": [\n'


def manifest_entry(name: str, document_id: str, previous_id: str | None, digest: str, *, first: bool) -> str:
    entry = {"file": name, "document_id": document_id, "previous_id": previous_id, "sha256": digest}
    return ("" if first else ",\n") + json.dumps(entry)


def archive(delivery: Delivery, out: IO[bytes]) -> None:
    """Write the delivery as a zip of the files its folder had (the documents and ``manifest.json``),
    from the documents kept in the database, byte for byte as they were written."""
    rows = (
        Document.objects.filter(delivery=delivery)
        .order_by("pk")
        .values_list("file_name", "body", "document_id", "previous_id", "sha256")
        .iterator(200)
    )
    parts = [manifest_start(delivery, delivery.unit)]
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as zipped:
        for index, (name, body, document_id, previous_id, digest) in enumerate(rows):
            zipped.writestr(name, bytes(body))
            previous = str(previous_id) if previous_id else None
            parts.append(manifest_entry(name, str(document_id), previous, digest, first=index == 0))
        parts.append(MANIFEST_END)
        zipped.writestr("manifest.json", "".join(parts).encode("utf-8"))


def send(delivery: Delivery, transport: RegisterTransport | None = None) -> None:
    """Hand the delivery's documents, as kept in the database, to the register's transport."""
    if delivery.kind == Delivery.Kind.IMPORT:
        raise ValueError("An import is not sent to the register")
    chosen = transport or default_transport()
    rows = (
        Document.objects.filter(delivery=delivery)
        .order_by("pk")
        .values_list("file_name", "body")
        .iterator(200)
    )
    chosen.send(delivery, ((name, bytes(body)) for name, body in rows))
    delivery.sent_at = timezone.now()
    delivery.save(update_fields=["sent_at"])
