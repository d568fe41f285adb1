"""``vern exchange_catalogue export --provider ORGNR --out FILE`` and ``vern exchange_catalogue
import FILE``: a provider's measures, as JSON, from its own system into a partner's, so the partner's
caseworkers find them in the catalogue and order them by message. Each measure keeps its id (the one
the referral messages name); importing again updates the measures, and a measure no longer in the
file is no longer offered.
"""

from __future__ import annotations

import json
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from vern.core import codes
from vern.core.codelists import paths
from vern.core.dates import today
from vern.core.models import Unit
from vern.referrals.models import CatalogueEntry

FIELDS = (
    "name",
    "description",
    "method",
    "kind",
    "target_group",
    "age_from",
    "age_to",
    "category",
    "capacity",
    "capacity_unit",
    "price_unit",
    "evidence_level",
)


class Command(BaseCommand):
    help = "Export a provider's catalogue to a partner's system, or import a partner provider's catalogue."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        export = sub.add_parser("export")
        export.add_argument("--provider", required=True, help="the provider's organisation number")
        export.add_argument("--out", required=True, type=Path)
        load = sub.add_parser("import")
        load.add_argument("file", type=Path)

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "export":
            self._export(options["provider"], options["out"])
        else:
            self._import(options["file"])

    def _export(self, organisation_number: str, out: Path) -> None:
        provider = Unit.objects.filter(remote=False, organisation_number=organisation_number).first()
        if provider is None:
            raise CommandError(f"Ingen enhet i dette systemet har organisasjonsnummer {organisation_number}")
        entries = [
            {"id": str(e.uid), **{f: getattr(e, f) for f in FIELDS}, "price": f"{e.price:.2f}"}
            for e in CatalogueEntry.objects.filter(provider=provider, active=True).order_by("name")
        ]
        document = {"provider": organisation_number, "name": provider.name, "measures": entries}
        out.write_text(json.dumps(document, ensure_ascii=False, indent=2), encoding="utf-8")
        self.stdout.write(f"{len(entries)} tiltak skrevet til {out}")

    def _import(self, path: Path) -> None:
        try:
            document = json.loads(path.read_text(encoding="utf-8"))
            number, measures = document["provider"], document["measures"]
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise CommandError(f"{path}: ikke en tiltaksliste ({exc})") from exc
        provider = Unit.objects.filter(remote=True, organisation_number=number).first()
        if provider is None:
            raise CommandError(f"{number} er ikke registrert som samarbeidspart (vern exchange_partner)")
        errors: list[str] = []
        with transaction.atomic():
            kept = []
            for index, measure in enumerate(measures, start=1):
                try:
                    kept.append(self._entry(provider, measure).pk)
                except (ValidationError, KeyError, TypeError, InvalidOperation) as exc:
                    reason = "; ".join(exc.messages) if isinstance(exc, ValidationError) else f"mangler {exc}"
                    errors.append(f"tiltak {index}: {reason}")
            if errors:
                transaction.set_rollback(True)
                raise CommandError("Ingenting importert:\n" + "\n".join(errors))
            CatalogueEntry.objects.filter(provider=provider).exclude(pk__in=kept).update(active=False)
        self.stdout.write(f"{len(kept)} tiltak fra {provider.name} importert")

    def _entry(self, provider: Unit, measure: dict[str, Any]) -> CatalogueEntry:
        entry = CatalogueEntry.objects.filter(uid=measure["id"]).first()
        if entry is not None and entry.provider_id != provider.pk:
            raise ValidationError(f"id {measure['id']} tilhører en annen tilbyder")
        entry = entry or CatalogueEntry(uid=measure["id"], provider=provider)
        for name in FIELDS:
            setattr(entry, name, measure[name])
        entry.price, entry.active = Decimal(str(measure["price"])), True
        entry.full_clean()
        codes.require_valid(paths.MEASURE_CATEGORY, [entry.category], today())
        entry.save()
        return entry
