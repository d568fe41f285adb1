"""Population per unit and year from CSV: the denominators of the rates per 1,000 children 0–17.

The file has a header row and the columns ``enhet`` (``<municipality number>[-<district number>]``,
as the register commands take it), ``år`` and ``barn_0_17``, separated by semicolons or commas (a
table from Statistics Norway, 07459, summed per area, fits this shape). An import is all or nothing:
one bad line and nothing is saved.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction

from vern.core.models import Unit
from vern.register.export import UnitNotFound, resolve_unit
from vern.reports.services import population_set

COLUMNS = {
    "enhet": "unit",
    "år": "year",
    "aar": "year",
    "ar": "year",
    "barn_0_17": "children",
    "barn": "children",
}


class PopulationRejected(Exception):
    def __init__(self, errors: list[str]) -> None:
        super().__init__("\n".join(errors))
        self.errors = errors


@dataclass(frozen=True)
class Row:
    unit: Unit
    year: int
    children: int


def parse(text: str) -> list[Row]:
    first = text.splitlines()[0] if text.strip() else ""
    reader = csv.DictReader(io.StringIO(text), delimiter=";" if ";" in first else ",")
    header = {h: COLUMNS.get((h or "").strip().lower().lstrip("\ufeff")) for h in reader.fieldnames or []}
    missing = {"unit", "year", "children"} - set(header.values())
    if missing:
        raise PopulationRejected(["Linje 1: overskriftene må være enhet;år;barn_0_17"])
    rows, errors, seen = [], [], set()
    units: dict[str, Unit] = {}
    for line, raw in enumerate(reader, start=2):
        values = {header[k]: (v or "").strip() for k, v in raw.items() if header.get(k)}
        spec, year, children = values["unit"], values["year"], values["children"].replace(" ", "")
        try:
            unit = units.get(spec) or resolve_unit(spec)
        except UnitNotFound as exc:
            errors.append(f"Linje {line}: {exc}")
            continue
        units[spec] = unit
        if not year.isdigit() or not 1900 < int(year) < 2200:
            errors.append(f"Linje {line}: år «{year}» er ikke et gyldig årstall")
            continue
        if not children.isdigit() or int(children) < 1:
            errors.append(f"Linje {line}: antall barn «{children}» må være et helt tall større enn 0")
            continue
        if (unit.pk, int(year)) in seen:
            errors.append(f"Linje {line}: {spec} {year} står to ganger i filen")
            continue
        seen.add((unit.pk, int(year)))
        rows.append(Row(unit, int(year), int(children)))
    if errors:
        raise PopulationRejected(errors)
    if not rows:
        raise PopulationRejected(["Filen har ingen linjer med tall"])
    return rows


@transaction.atomic
def import_population(text: str, *, source: str) -> int:
    """Save every row of the file (replacing a unit's earlier figure for the same year), each as a
    leader's figure is saved, or none if one is refused."""
    rows = parse(text)
    for row in rows:
        try:
            population_set(unit=row.unit, year=row.year, children=row.children, by=None, source=source)
        except ValidationError as exc:
            raise PopulationRejected([f"{row.unit} {row.year}: " + " ".join(exc.messages)]) from exc
    return len(rows)
