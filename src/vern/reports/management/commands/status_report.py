"""``vern status_report --unit 0301-01 --year 2025 --format json|html|pdf|xlsx --out FILE``.

The annual status report to the municipal council (BVL2021 § 15-3): the unit's indicators for the
year and the four years before it, with the leader's text sections and the definitions. ``--unit
0301`` alone gives a city with district services (Oslo) as a whole.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import translation

from vern.register.export import UnitNotFound
from vern.reports import output
from vern.reports.build import STATUS_YEARS, resolve_subject, status_json, status_report
from vern.reports.indicators import FIRST_YEAR

FORMATS = ("json", "html", "pdf", "xlsx")


class Command(BaseCommand):
    help = "Write the annual status report of a unit as JSON, HTML, PDF or Excel."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--unit",
            required=True,
            help="kommunenummer, or kommunenummer-bydelsnummer (a city with districts: all)",
        )
        parser.add_argument("--year", required=True, type=int)
        parser.add_argument("--format", choices=FORMATS, default="json")
        parser.add_argument(
            "--out", required=True, type=Path, help="the file to write ('-' for standard output)"
        )
        parser.add_argument(
            "--years", type=int, default=STATUS_YEARS, help="years shown (default: %(default)s)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            subject = resolve_subject(options["unit"])
        except UnitNotFound as exc:
            raise CommandError(str(exc)) from exc
        year, years = options["year"], options["years"]
        if not FIRST_YEAR <= year <= 2100 or not 1 <= years <= 20:
            raise CommandError("Ugyldig år eller antall år")
        started = time.perf_counter()
        with translation.override("nb"):
            kind = options["format"]
            if kind == "json":
                data = json.dumps(
                    status_json(subject, year, years=years), ensure_ascii=False, indent=2
                ).encode()
            else:
                report = status_report(subject, year, years=years)
                if kind == "html":
                    data = output.document_html(report).encode()
                elif kind == "pdf":
                    data = output.document_pdf(report)
                else:
                    data = output.workbook(report)
        out: Path = options["out"]
        if str(out) == "-":
            sys.stdout.buffer.write(data)
            sys.stdout.flush()
        else:
            out.write_bytes(data)
            self.stderr.write(f"{out}: {len(data)} bytes in {time.perf_counter() - started:.2f} s")
