"""``vern send_receipts``: send receipts still queued (after a crash, or a transport that was down)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from vern.intake.digital.ingest import receipts_dispatch
from vern.intake.digital.transport import OutboxFolder, default_transport


class Command(BaseCommand):
    help = "Send the receipts for digital reports of concern that are not sent yet."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--outbox", type=Path, help="folder for the receipts (default: VERN_RECEIPT_OUTBOX)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        transport = OutboxFolder(Path(options["outbox"])) if options["outbox"] else default_transport()
        self.stdout.write(f"{receipts_dispatch(transport)} kvitteringer sendt")
