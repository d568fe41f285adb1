"""``vern seed``: deterministic synthetic data for the demo, tests and benchmarks."""

from __future__ import annotations

import argparse
from datetime import date
from time import perf_counter
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from vern.cases.models import Case
from vern.core.dates import today
from vern.synthetic.generate import SCALES, SeedRefused, refuse_in_production, seed
from vern.worklists import store


def _iso_date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {value!r}") from exc


class Command(BaseCommand):
    help = (
        "Fill an empty database with synthetic municipalities, units, demo users, children, cases, "
        "reports and investigations. The same --seed and --today give the same data. Refused in production."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--scale", choices=SCALES, default="small", help="small (default), oslo or national"
        )
        parser.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
        parser.add_argument(
            "--today",
            type=_iso_date,
            default=None,
            help="the day the data is relative to, YYYY-MM-DD (default: today in Europe/Oslo)",
        )
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="do nothing, successfully, if the database already has cases",
        )
        # For tests and quick experiments: override the child population (0–17) of the scale.
        parser.add_argument("--children", type=int, default=None, help=argparse.SUPPRESS)

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            refuse_in_production()
        except SeedRefused as exc:
            raise CommandError(str(exc)) from exc
        if options["if_empty"] and Case.objects.exists():
            self.stdout.write("The database already has cases: nothing seeded (--if-empty).")
            return
        given = options["today"]
        # call_command(today="2026-03-10") passes the string past argparse's type conversion.
        day: date = (_iso_date(given) if isinstance(given, str) else given) or today()
        self.stdout.write(
            f"Seeding scale {options['scale']} with seed {options['seed']}, today {day.isoformat()}"
        )
        try:
            summary = seed(
                scale=options["scale"],
                seed=options["seed"],
                today=day,
                children=options["children"],
                progress=self.stdout.write,
            )
        except SeedRefused as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(self.style.SUCCESS("Seeded:"))
        for line in summary.lines():
            self.stdout.write(f"  {line}")
        # The worklists' store, computed once for all, not case by case on the first page read.
        started = perf_counter()
        stored = store.rebuild(today=today())
        self.stdout.write(f"  worklists  {stored:>9,} deadlines stored ({perf_counter() - started:.1f} s)")
