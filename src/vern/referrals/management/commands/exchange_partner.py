"""``vern exchange_partner --orgnr N --name NAME --municipality NNNN [--district NN] --kind K``:
a unit kept in another system (a district's or a central agency's own Vern, or another case
system) that referrals are exchanged with as messages. Run again to change its name or kind.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from vern.core.models import District, Municipality, Unit


class Command(BaseCommand):
    help = (
        "Register a partner unit in another system, reached by referral messages at its organisation number."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--orgnr", required=True, help="the unit's organisation number (its address)")
        parser.add_argument("--name", required=True)
        parser.add_argument("--municipality", required=True, help="kommunenummer")
        parser.add_argument("--district", default="", help="bydelsnummer, for a district's service")
        parser.add_argument("--kind", choices=[k.value for k in Unit.Kind], default=Unit.Kind.SERVICE)

    def handle(self, *args: Any, **options: Any) -> None:
        municipality = Municipality.objects.filter(number=options["municipality"]).first()
        if municipality is None:
            raise CommandError(f"Kommunen {options['municipality']} finnes ikke")
        district = None
        if options["district"]:
            district = District.objects.filter(municipality=municipality, number=options["district"]).first()
            if district is None:
                raise CommandError(f"Bydelen {options['district']} finnes ikke i {municipality.name}")
        number = options["orgnr"]
        if Unit.objects.filter(remote=False, organisation_number=number).exists():
            raise CommandError(f"{number} er en enhet i dette systemet, ikke en samarbeidspart")
        with transaction.atomic():
            unit = Unit.objects.filter(remote=True, organisation_number=number, district=district).first()
            created = unit is None
            unit = unit or Unit(remote=True, organisation_number=number, district=district)
            unit.name, unit.kind, unit.host_municipality = (
                options["name"].strip(),
                options["kind"],
                municipality,
            )
            try:
                unit.full_clean()
            except ValidationError as exc:
                raise CommandError("; ".join(exc.messages)) from exc
            unit.save()
            unit.municipalities.add(municipality)
        verb = "registrert" if created else "endret"
        self.stdout.write(f"Samarbeidsparten {unit.name} ({number}) {verb}")
