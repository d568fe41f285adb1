"""``vern ingest_client NAME``: let a system deliver digital reports of concern over HTTP.

Prints the new bearer token once; only its SHA-256 is stored. ``--disable`` ends a client's access.
"""

from __future__ import annotations

import hashlib
import secrets
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from vern.core.audit import audit
from vern.core.audit_events import AuditEvent
from vern.intake.models import IngestClient


class Command(BaseCommand):
    help = "Create (or disable) a machine client for POST /api/bekymringsmeldinger/."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("name")
        parser.add_argument("--disable", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        name: str = options["name"]
        with transaction.atomic():
            if options["disable"]:
                client = IngestClient.objects.filter(name=name).first()
                if client is None:
                    raise CommandError(f"No client called {name!r}")
                client.active = False
                client.save(update_fields=["active"])
                audit(event=AuditEvent.INGEST_CLIENT_DISABLED, by=None, obj=client, extra={"name": name})
                self.stdout.write(f"{name}: disabled")
                return
            if IngestClient.objects.filter(name=name).exists():
                raise CommandError(f"A client called {name!r} exists; disable it and create a new one")
            token = secrets.token_urlsafe(32)
            client = IngestClient.objects.create(
                name=name, token_sha256=hashlib.sha256(token.encode()).hexdigest()
            )
            audit(event=AuditEvent.INGEST_CLIENT_CREATED, by=None, obj=client, extra={"name": name})
        self.stdout.write(f"{name}: Authorization: Bearer {token}")
        self.stdout.write("The token is shown only now; store it in the sending system.")
