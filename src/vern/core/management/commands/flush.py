"""``flush`` for test databases only: nothing is ever deleted from a production Vern.

Outside production it lifts the audit log's append-only triggers for the flush, puts them back,
and reloads the register code lists (reference data that the migrations install), so a flushed
database is like a freshly migrated one.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import CommandError
from django.core.management.commands.flush import Command as DjangoFlush
from django.db import connections

from vern.core import append_only
from vern.core.codelists.load import sync_code_lists
from vern.core.models import Code


class Command(DjangoFlush):
    def handle(self, **options: Any) -> None:
        if settings.PRODUCTION:
            raise CommandError("Vern keeps case records for the archive: flush is refused in production.")
        connection = connections[options["database"]]
        append_only.lift(connection)
        try:
            super().handle(**options)
        finally:
            append_only.install(connection)
        sync_code_lists(Code)
