"""``vern unit_group NAME UNIT [UNIT ...]``: the units compared side by side under NAME.

Units as the register commands take them (``0301-01``, ``4601``). Run again to change the members.
Leaders make and change groups on the page (``reports.views.group_edit``); both go through
``reports.services.unit_group_save``.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from vern.register.export import UnitNotFound, resolve_unit
from vern.reports.models import UnitGroup
from vern.reports.services import unit_group_save


class Command(BaseCommand):
    help = "Create or change a comparison group of units for the variation report."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("name")
        parser.add_argument("units", nargs="+", help="kommunenummer, or kommunenummer-bydelsnummer")

    def handle(self, *args: Any, **options: Any) -> None:
        name = options["name"].strip()
        try:
            units = [resolve_unit(spec) for spec in options["units"]]
        except UnitNotFound as exc:
            raise CommandError(str(exc)) from exc
        existing = UnitGroup.objects.filter(name=name).first()
        try:
            group = unit_group_save(name=name, units=units, by=None, group=existing)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        verb = "endret" if existing else "opprettet"
        self.stdout.write(f"Sammenligningsgruppen «{group.name}» {verb} med {group.units.count()} enheter")
