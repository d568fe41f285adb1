"""``vern import_register PATH``: import register documents (Barnevern_v4.xsd) from another system.

One file or a folder of them, all or nothing: any malformed or invalid document, or one Vern cannot
hold, stops the import with every problem listed (file, line, element, reason). Documents already
imported are recognised and change nothing.
"""

from __future__ import annotations

import getpass
import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from vern.core.dates import today
from vern.register.importer import ImportRejected, import_path, problems_text
from vern.worklists import store


class Command(BaseCommand):
    help = "Import cases from national child welfare register documents (one file or a folder)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path)

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.perf_counter()
        try:
            result = import_path(Path(options["path"]), run_by=getpass.getuser())
        except FileNotFoundError as exc:
            raise CommandError(str(exc)) from exc
        except ImportRejected as exc:
            count = len(exc.problems)
            raise CommandError(
                f"Importen er avvist; ingenting er lagret. {count} feil:\n{problems_text(exc.problems)}"
            ) from exc
        seconds = time.perf_counter() - started
        self.stdout.write(
            f"{result.imported} saker importert, {result.already_imported} allerede importert, "
            f"{result.deleted} slettet i kildesystemet (dokumentet tatt vare på), {seconds:.1f} s"
        )
        # The imported cases' deadlines on the worklists now, not on each unit's first page.
        started = time.perf_counter()
        cases = store.bring_up_to_date(today=today())
        self.stdout.write(f"Frister beregnet for {cases} saker, {time.perf_counter() - started:.1f} s")
