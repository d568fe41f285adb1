"""``vern export_register --unit 0301-01 --out DIR [--changes] [--send]``: a delivery to the register.

One XML document per case (all cases, or with ``--changes`` those whose content changed since their
previous document), each validated against the XSD, plus ``manifest.json``. The delivery is logged
and its documents kept; ``--send`` hands it to the register's transport afterwards (the default
writes to the outbox folder, ``VERN_REGISTER_OUTBOX``).
"""

from __future__ import annotations

import getpass
import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from vern.register.export import DeliveryRejected, UnitNotFound, resolve_unit
from vern.register.services import delivery_make, delivery_send


class Command(BaseCommand):
    help = "Export a unit's cases to the national child welfare register format (Barnevern_v4.xsd)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--unit", required=True, help="kommunenummer, or kommunenummer-bydelsnummer")
        parser.add_argument("--out", required=True, type=Path, help="a new or empty folder")
        parser.add_argument(
            "--changes", action="store_true", help="only cases changed since their last delivery"
        )
        parser.add_argument(
            "--send", action="store_true", help="hand the delivery to the register's transport"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            unit = resolve_unit(options["unit"])
        except UnitNotFound as exc:
            raise CommandError(str(exc)) from exc
        started = time.perf_counter()
        try:
            result = delivery_make(
                unit=unit,
                by=None,
                changes=options["changes"],
                folder=Path(options["out"]),
                run_by=getpass.getuser(),
            )
        except DeliveryRejected as exc:
            raise CommandError(
                "Leveransen er avvist; ingenting er lagret:\n" + "\n".join(exc.errors)
            ) from exc
        seconds = time.perf_counter() - started
        delivery = result.delivery
        kind = "endrede saker" if options["changes"] else "alle saker"
        self.stdout.write(
            f"Leveranse {delivery.delivery_id} ({kind}): {result.written} saker skrevet til "
            f"{options['out']}, {result.unchanged} uendret, {seconds:.1f} s. Forhåndskontroll: "
            f"vern check_register --unit {options['unit']}"
        )
        if options["send"]:
            delivery_send(delivery=delivery, by=None)
            self.stdout.write("Sendt til registerets utboks.")
