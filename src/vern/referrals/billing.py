"""Monthly statements from a provider to each ordering service, from what was actually delivered.

A line per assignment and month: days delivered × the day price, hours recorded × the hour price,
or the assignment price in the month it started. The price is the one the assignment started with.
Days run from the assignment's start to its end (the day it ended, else the agreed end), never
beyond today: nothing is billed before it is delivered.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q
from django.utils.translation import gettext as _

from vern.core.dates import today
from vern.referrals.models import Assignment, DeliveredHours, MeasureBudget, PriceUnit
from vern.reports.indicators import Period, months_ending
from vern.reports.tables import Cell, Money, Table


@dataclass(frozen=True)
class Line:
    provider: str
    ordering_unit: str
    ordering_unit_id: int
    referral_id: int
    child: str
    measure: str
    price_unit: str
    quantity: Decimal
    price: Decimal

    @property
    def amount(self) -> Decimal:
        return (self.quantity * self.price).quantize(Decimal("0.01"))


def _days(assignment: Assignment, period: Period) -> int:
    last = min(assignment.ended_on or assignment.ends_on, today(), period.end)
    first = max(assignment.starts_on, period.start)
    return max((last - first).days + 1, 0)


def lines(
    period: Period, *, provider_ids: list[int] | None = None, ordering_ids: list[int] | None = None
) -> list[Line]:
    """Every line delivered in ``period`` (a month), for these providers or these ordering services."""
    assignments = Assignment.objects.filter(starts_on__lte=period.end).filter(
        Q(ended_on__isnull=True) | Q(ended_on__gte=period.start)
    )
    if provider_ids is not None:
        assignments = assignments.filter(referral__provider_id__in=provider_ids)
    if ordering_ids is not None:
        assignments = assignments.filter(referral__ordering_unit_id__in=ordering_ids)
    assignments = assignments.select_related(
        "referral",
        "referral__entry",
        "referral__provider",
        "referral__ordering_unit",
    ).order_by("referral__ordering_unit__name", "starts_on", "pk")
    hours = dict(
        DeliveredHours.objects.filter(assignment__in=assignments, month=period.start).values_list(
            "assignment_id", "hours"
        )
    )
    out = []
    for a in assignments:
        if a.price_unit == PriceUnit.DAY:
            quantity = Decimal(_days(a, period))
        elif a.price_unit == PriceUnit.HOUR:
            quantity = hours.get(a.pk, Decimal(0))
        else:
            quantity = Decimal(1 if period.start <= a.starts_on <= period.end else 0)
        if not quantity:
            continue
        r = a.referral
        out.append(
            Line(
                provider=r.provider.name,
                ordering_unit=r.ordering_unit.name,
                ordering_unit_id=r.ordering_unit_id,
                referral_id=r.pk,
                child=r.child_name,
                measure=r.entry.name,
                price_unit=a.get_price_unit_display(),
                quantity=quantity,
                price=a.price,
            )
        )
    return out


def _quantity(value: Decimal) -> int | float:
    """Days and assignments are whole ("8"), hours may have a decimal ("7,5")."""
    return int(value) if value == value.to_integral_value() else float(value)


def statement_tables(provider_name: str, period: Period, found: list[Line]) -> list[Table]:
    """One table per ordering service, with its total as the last row."""
    by_unit: dict[str, list[Line]] = defaultdict(list)
    for line in found:
        by_unit[line.ordering_unit].append(line)
    tables = []
    for unit, unit_lines in sorted(by_unit.items()):
        rows: list[tuple[Cell, ...]] = [
            (ln.child, ln.measure, ln.price_unit, _quantity(ln.quantity), Money(ln.price), Money(ln.amount))
            for ln in unit_lines
        ]
        rows.append(
            (_("Total"), None, None, None, None, Money(sum((ln.amount for ln in unit_lines), Decimal(0))))
        )
        tables.append(
            Table(
                key=f"statement-{unit}",
                title=_("%(provider)s to %(unit)s, %(month)s")
                % {"provider": provider_name, "unit": unit, "month": period.label},
                columns=(
                    _("Child"),
                    _("Measure"),
                    _("Price"),
                    _("Quantity"),
                    _("Unit price"),
                    _("Amount"),
                ),
                rows=tuple(rows),
            )
        )
    return tables


@dataclass(frozen=True)
class YearCosts:
    year: int
    months: list[tuple[Period, Decimal]]
    total: Decimal
    budget: Decimal | None

    @property
    def left(self) -> Decimal | None:
        return None if self.budget is None else self.budget - self.total


def year_costs(unit_id: int, year: int) -> YearCosts:
    """What a service has been billed for each month of the year so far, against its budget."""
    current = today()
    count = 12 if year < current.year else current.month if year == current.year else 0
    periods = months_ending(year, count, count) if count else []
    months = [(p, sum((ln.amount for ln in lines(p, ordering_ids=[unit_id])), Decimal(0))) for p in periods]
    budget = MeasureBudget.objects.filter(unit_id=unit_id, year=year).values_list("amount", flat=True).first()
    return YearCosts(year, months, sum((m[1] for m in months), Decimal(0)), budget)
