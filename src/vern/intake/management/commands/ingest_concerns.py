"""``vern ingest_concerns PATH``: read digital reports of concern from a file or a folder.

Each message is a ``.json`` file, with optionally the PDF rendering beside it (same name, ``.pdf``)
and the transport's metadata (``.meta.json``: ``meldingId``, ``meldingstype``). A message is moved
to ``behandlet/`` beside it only after its transaction committed, and its receipt is written to the
outbox after that; killed at any point, a rerun picks up what is still waiting.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from vern.intake.digital.ingest import Delivery, ingest, receipts_dispatch
from vern.intake.digital.transport import OutboxFolder, default_transport
from vern.intake.models import InboundMessage

PROCESSED = "behandlet"
META = ".meta.json"


def message_files(path: Path) -> list[Path]:
    """The messages at ``path``: the file itself, or the folder's ``.json`` files in name order."""
    if path.is_file():
        return [path]
    if not path.is_dir():
        raise CommandError(f"{path} finnes ikke")
    return sorted(
        p for p in path.iterdir() if p.is_file() and p.suffix == ".json" and not p.name.endswith(META)
    )


def _metadata(path: Path) -> dict[str, Any]:
    meta = path.with_name(path.stem + META)
    if not meta.is_file():
        return {}
    try:
        data = json.loads(meta.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        return {}  # the message itself is still ingested; its type is then inferred
    return data if isinstance(data, dict) else {}


def _move_done(path: Path) -> None:
    """Move a processed message and its companions to ``behandlet/``, the message itself last.

    Killed half-way, the message is still waiting (perhaps without its metadata): ingested again it
    is recognised by its bytes, answered with another ``mottatt``, and moved.
    """
    target = path.parent / PROCESSED
    target.mkdir(exist_ok=True)
    for part in (path.with_suffix(".pdf"), path.with_name(path.stem + META), path):
        if part.exists():
            part.replace(target / part.name)


class Command(BaseCommand):
    help = "Ingest digital reports of concern (KS Fiks bekymringsmelding) from a file or a folder."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path)
        parser.add_argument(
            "--outbox", type=Path, help="folder for the receipts (default: VERN_RECEIPT_OUTBOX)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["path"])
        transport = OutboxFolder(Path(options["outbox"])) if options["outbox"] else default_transport()
        counts = {"accepted": 0, "quarantined": 0, "duplicates": 0}
        # Receipts queued by an earlier run that was stopped before sending them.
        receipts_dispatch(transport)
        for file in message_files(path):
            meta = _metadata(file)
            pdf = file.with_suffix(".pdf")
            outcome = ingest(
                Delivery(
                    raw=file.read_bytes(),
                    source=InboundMessage.Source.FILE,
                    message_type=str(meta.get("meldingstype") or "") or None,
                    message_id=str(meta.get("meldingId") or "") or None,
                    pdf=pdf.read_bytes() if pdf.is_file() else None,
                )
            )
            if path.is_dir():
                _move_done(file)
            receipts_dispatch(transport)
            key = "duplicates" if outcome.duplicate else "accepted" if outcome.accepted else "quarantined"
            counts[key] += 1
            if not outcome.accepted and not outcome.duplicate:
                self.stderr.write(f"{file.name}: karantene – {outcome.reason}")
        accepted, quarantined, duplicates = counts["accepted"], counts["quarantined"], counts["duplicates"]
        self.stdout.write(f"{accepted} mottatt, {quarantined} i karantene, {duplicates} duplikater")
