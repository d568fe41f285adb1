"""``vern unit_group NAME UNIT [UNIT ...]``: the units compared side by side under NAME.

Units as the register commands take them (``0301-01``, ``4601``). Run again to change the members.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from vern.register.export import UnitNotFound, resolve_unit
from vern.reports.models import UnitGroup


class Command(BaseCommand):
    help = "Create or change a comparison group of units for the variation report."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("name")
        parser.add_argument("units", nargs="+", help="kommunenummer, or kommunenummer-bydelsnummer")

    def handle(self, *args: Any, **options: Any) -> None:
        name = options["name"].strip()
        if not name or len(name) > 150:
            raise CommandError("Navnet må ha 1–150 tegn")
        try:
            units = [resolve_unit(spec) for spec in options["units"]]
        except UnitNotFound as exc:
            raise CommandError(str(exc)) from exc
        with transaction.atomic():
            group, created = UnitGroup.objects.get_or_create(name=name)
            group.units.set(units)
        verb = "opprettet" if created else "endret"
        self.stdout.write(f"Sammenligningsgruppen «{name}» {verb} med {len(units)} enheter")
