"""``vern refresh_deadlines``: recompute the worklists' store from the facts (ADR 0010)."""

from __future__ import annotations

from time import perf_counter
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from vern.core.dates import today
from vern.worklists import store


class Command(BaseCommand):
    help = (
        "Recompute the stored deadlines of Mine frister and Fristoversikt: the stale cases only "
        "(what a page does before it is read), or with --all every case (after an upgrade or a restore)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--all", action="store_true", help="recompute every case, not only the stale ones"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        started = perf_counter()
        if options["all"]:
            stored = store.rebuild(today=today())
            self.stdout.write(f"{stored} deadlines stored ({perf_counter() - started:.1f} s)")
        else:
            cases = store.bring_up_to_date(today=today())
            self.stdout.write(f"{cases} stale cases recomputed ({perf_counter() - started:.1f} s)")
