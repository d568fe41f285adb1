"""``vern check_register --unit 0301-01 | --file PATH [--json]``: the register's validation rules.

On a unit, the documents an export would send now, built from the database (and the result kept for
the unit's control page); on a file or a folder of register XML files, those files. Exit status 1
when anything would stop the register accepting a document (FATAL or ERROR).
"""

from __future__ import annotations

import getpass
import json
import sys
import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from vern.register.checking import CaseFindings, check_files, check_unit, record_run, register_files
from vern.register.control import SEVERITY_LABELS, Severity
from vern.register.export import UnitNotFound, resolve_unit

_BLOCKING = {Severity.FATAL, Severity.ERROR}


class Command(BaseCommand):
    help = "Check cases (from the database or register XML files) against the register's validation rules."

    def add_arguments(self, parser: CommandParser) -> None:
        source = parser.add_mutually_exclusive_group(required=True)
        source.add_argument("--unit", help="kommunenummer, or kommunenummer-bydelsnummer")
        source.add_argument("--file", type=Path, help="a register document, or a folder of them")
        parser.add_argument("--json", action="store_true", help="findings as JSON on standard output")

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.perf_counter()
        if options["unit"]:
            try:
                unit = resolve_unit(options["unit"])
            except UnitNotFound as exc:
                raise CommandError(str(exc)) from exc
            results = list(check_unit(unit))
            record_run(unit, results, run_by=getpass.getuser())
        else:
            try:
                files = register_files(Path(options["file"]))
            except FileNotFoundError as exc:
                raise CommandError(str(exc)) from exc
            results = list(check_files(files))
        seconds = time.perf_counter() - started
        if options["json"]:
            self._json(results)
        else:
            self._text(results, seconds)
        if any(f.severity in _BLOCKING for r in results for f in r.findings):
            sys.exit(1)

    def _json(self, results: list[CaseFindings]) -> None:
        out = [
            {
                "source": r.source,
                "journal_number": r.journal_number,
                "findings": [f.as_json() for f in r.findings],
            }
            for r in results
            if r.findings
        ]
        self.stdout.write(json.dumps({"checked": len(results), "cases": out}, ensure_ascii=False, indent=2))

    def _text(self, results: list[CaseFindings], seconds: float) -> None:
        counts: dict[Severity, int] = {}
        for result in results:
            if not result.findings:
                continue
            self.stdout.write(f"{result.source}:")
            for finding in result.findings:
                counts[finding.severity] = counts.get(finding.severity, 0) + 1
                where = f" [{finding.concept} {finding.item_id}]" if finding.item_id else ""
                self.stdout.write(
                    f"  {SEVERITY_LABELS[finding.severity]} ({finding.rule}): {finding.message}{where}"
                )
        summary = ", ".join(f"{SEVERITY_LABELS[s]}: {n}" for s, n in counts.items()) or "ingen funn"
        self.stdout.write(f"{len(results)} kontrollert på {seconds:.1f} s; {summary}")
