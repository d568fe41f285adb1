"""A provider's occupancy per measure: the last 12 months as delivered, and the next 3 as forecast.

Occupancy in a month is the average number of places in use: the days of every assignment in the
month ÷ the month's days (for a measure counted in hours, the agreed hours a month of the
assignments running in it, each for its share of the month). The forecast counts the running
assignments until their agreed end and the offers given from their offered start, each lasting as
long as the measure's assignments have lasted (median), or ``DEFAULT_ASSIGNMENT_DAYS`` with none
finished yet. Declines for lack of capacity are counted in the month they were given.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Count
from django.db.models.functions import TruncMonth
from django.utils.translation import gettext as _

from vern.core.dates import OSLO, today
from vern.referrals.models import Assignment, CapacityUnit, CatalogueEntry, Referral, ReferralEvent
from vern.reports import charts
from vern.reports.indicators import Period, months_ending
from vern.reports.tables import Cell, Percent, Table

HISTORY_MONTHS = 12
FORECAST_MONTHS = 3
DEFAULT_ASSIGNMENT_DAYS = 90


@dataclass(frozen=True)
class Stretch:
    start: date
    end: date
    weight: float  # 1 place, or the hours a month


def _in_month(stretches: list[Stretch], period: Period) -> float:
    days = (period.end - period.start).days + 1
    used = 0.0
    for s in stretches:
        first, last = max(s.start, period.start), min(s.end, period.end)
        if last >= first:
            used += s.weight * ((last - first).days + 1) / days
    return used


def _typical_days(entry: CatalogueEntry) -> int:
    lengths = [
        (ended - start).days + 1  # type: ignore[operator]  # ended_on is filtered non-null
        for start, ended in Assignment.objects.filter(
            referral__entry=entry, ended_on__isnull=False
        ).values_list("starts_on", "ended_on")
    ]
    return int(statistics.median(lengths)) if lengths else DEFAULT_ASSIGNMENT_DAYS


def _stretches(entry: CatalogueEntry, *, forecast: bool) -> list[Stretch]:
    hours = entry.capacity_unit == CapacityUnit.HOURS_PER_MONTH
    day = today()
    out = []
    for a in Assignment.objects.filter(referral__entry=entry):
        weight = float(a.hours_per_month or 0) if hours else 1.0
        end = a.ended_on or (a.ends_on if forecast else min(a.ends_on, day))
        out.append(Stretch(a.starts_on, end, weight))
    if forecast:
        typical = timedelta(days=_typical_days(entry) - 1)
        # An offer's hours are agreed at the start meeting: until then, the measure's usual hours.
        usual = [float(s.weight) for s in out if s.weight] if hours else [1.0]
        weight = statistics.median(usual) if usual else 0.0
        for start in Referral.objects.filter(entry=entry, status=Referral.Status.OFFERED).values_list(
            "offered_start_on", flat=True
        ):
            if start is not None:
                out.append(Stretch(start, start + typical, weight))
    return out


@dataclass(frozen=True)
class EntryOccupancy:
    entry: CatalogueEntry
    chart: str
    table: Table


def dashboard(provider_id: int) -> list[EntryOccupancy]:
    current = today()
    history = months_ending(current.year, current.month, HISTORY_MONTHS)
    ahead = months_ending(current.year, current.month + FORECAST_MONTHS, FORECAST_MONTHS)  # the next ones
    declined = {
        (entry_id, moment.astimezone(OSLO).date().replace(day=1)): n
        for entry_id, moment, n in ReferralEvent.objects.filter(
            referral__provider_id=provider_id,
            status=Referral.Status.DECLINED,
            referral__decline_reason="capacity",
            at__date__gte=history[0].start,
        )
        .annotate(m=TruncMonth("at", tzinfo=OSLO))
        .values("referral__entry_id", "m")
        .annotate(n=Count("pk"))
        .values_list("referral__entry_id", "m", "n")
    }
    out = []
    for entry in CatalogueEntry.objects.filter(provider_id=provider_id, active=True).order_by("name"):
        done = _stretches(entry, forecast=False)
        planned = _stretches(entry, forecast=True)
        rows: list[tuple[Cell, ...]] = []
        values: list[float | None] = []
        for period in history:
            used = _in_month(done, period)
            values.append(used / entry.capacity)
            rows.append(
                (
                    period.label,
                    round(used, 1),
                    Percent(used / entry.capacity),
                    declined.get((entry.pk, period.start), 0),
                )
            )
        forecast = _("forecast")
        for period in ahead:
            used = _in_month(planned, period)
            values.append(used / entry.capacity)
            rows.append(
                (f"{period.label} ({forecast})", round(used, 1), Percent(used / entry.capacity), None)
            )
        labels = [p.label for p in history] + [f"{p.label}*" for p in ahead]
        title = _("Occupancy of %(measure)s") % {"measure": entry.name}
        table = Table(
            key=f"occupancy-{entry.pk}",
            title=title,
            columns=(
                _("Month"),
                _("In use (average)") if entry.capacity_unit == CapacityUnit.PLACES else _("Hours in use"),
                _("Occupancy"),
                _("Declined for lack of capacity"),
            ),
            rows=tuple(rows),
            note=_(
                "Capacity %(capacity)s. Months marked * are a forecast from running assignments and "
                "offers given."
            )
            % {"capacity": entry.capacity},
        )
        out.append(
            EntryOccupancy(
                entry, charts.line_chart(f"occ-{entry.pk}", title, labels, values, percent=True), table
            )
        )
    return out
