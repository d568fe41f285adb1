from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.db import transaction

from vern.core.codelists.load import sync_code_lists
from vern.core.models import Code


class Command(BaseCommand):
    help = "Load the national register's code lists bundled with Vern (new and changed codes)."

    def handle(self, *args: Any, **options: Any) -> None:
        with transaction.atomic():
            created, updated = sync_code_lists(Code)
        self.stdout.write(f"Code lists: {created} new, {updated} changed.")
