"""Where receipts go. One small interface; the default writes each receipt into an outbox folder,
from which the KS Fiks IO client sends it (the national message service is not reachable from here)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Protocol

from django.conf import settings

from vern.core.files import write_atomically
from vern.intake.models import Receipt


class ReceiptTransport(Protocol):
    def send(self, receipt: Receipt) -> None:
        """Deliver the receipt or raise; a receipt that raised is tried again later."""


class OutboxFolder:
    """Each receipt as ``<receipt id>.<kind>.json``, written atomically (``core.files``)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def send(self, receipt: Receipt) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        kind = receipt.kind.rsplit(".", 2)[-2]  # mottatt / feilet
        target = self.folder / f"{receipt.pk:012d}.{kind}.json"
        write_atomically(target, json.dumps(receipt.body, ensure_ascii=False, indent=2).encode())


def default_transport() -> ReceiptTransport:
    return OutboxFolder(Path(settings.VERN_RECEIPT_OUTBOX))
