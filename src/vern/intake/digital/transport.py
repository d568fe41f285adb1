"""Where receipts go. One small interface; the default writes each receipt into an outbox folder,
from which the KS Fiks IO client sends it (the national message service is not reachable from here)."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Protocol

from django.conf import settings

from vern.intake.models import Receipt


class ReceiptTransport(Protocol):
    def send(self, receipt: Receipt) -> None:
        """Deliver the receipt or raise; a receipt that raised is tried again later."""


class OutboxFolder:
    """Each receipt as ``<receipt id>.<kind>.json``, written to a temporary name, flushed to disk
    and renamed, so a reader never sees half a receipt, even if the process is killed."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def send(self, receipt: Receipt) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        kind = receipt.kind.rsplit(".", 2)[-2]  # mottatt / feilet
        target = self.folder / f"{receipt.pk:012d}.{kind}.json"
        temporary = target.with_suffix(".json.part")
        with temporary.open("w", encoding="utf-8") as handle:
            json.dump(receipt.body, handle, ensure_ascii=False, indent=2)
            handle.flush()
            os.fsync(handle.fileno())
        temporary.replace(target)


def default_transport() -> ReceiptTransport:
    return OutboxFolder(Path(settings.VERN_RECEIPT_OUTBOX))
