"""``vern import_population FILE``: children 0–17 per unit and year, for the rates per 1,000."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from vern.reports.population import PopulationRejected, import_population


class Command(BaseCommand):
    help = "Import children 0–17 per unit and year from a CSV file (enhet;år;barn_0_17)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        try:
            text = path.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as exc:
            raise CommandError(f"Kan ikke lese {path}: {exc}") from exc
        try:
            count = import_population(text, source=path.name)
        except PopulationRejected as exc:
            raise CommandError(f"{path}: ingenting er lagret.\n" + "\n".join(exc.errors)) from exc
        self.stdout.write(f"{count} tall for befolkning lagret fra {path}")
