"""The three reports as data: sections of figures (a chart with its data table beside it) and tables.

The page, the HTML/PDF document, the Excel workbook and the JSON are all made from one ``Report``,
so they always show the same figures.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from vern.core.codelists.paths import REPORTER
from vern.core.codes import text as code_text
from vern.core.dates import today
from vern.core.models import Unit
from vern.core.numbers import format_number
from vern.register.export import UnitNotFound, resolve_unit, unit_code
from vern.reports import charts, funnel
from vern.reports.indicators import (
    BY_KEY,
    NO_REASON,
    Distribution,
    Period,
    Ratio,
    Results,
    Share,
    caseload_per_caseworker,
    compute,
    json_indicators,
    months_ending,
    years_ending,
)
from vern.reports.models import Population, ReportText, UnitGroup
from vern.reports.tables import Cell, Percent, Table
from vern.rules.deadlines import BREACH_REASON_LABELS, BreachReason

STATUS_YEARS = 5
TREND_MONTHS = 12
# Codes shown in a distribution's chart; the table beside it has them all.
CHART_CODES = 10


@dataclass(frozen=True)
class Figure:
    key: str
    title: str
    definition: str
    chart: str
    table: Table


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    figures: list[Figure] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)


@dataclass(frozen=True)
class Report:
    kind: str
    title: str
    unit_label: str
    period_label: str
    sections: list[Section]
    indicator_keys: list[str]
    generated_at: Any = field(default_factory=timezone.now)
    texts: list[tuple[str, str]] = field(default_factory=list)

    @property
    def tables(self) -> list[Table]:
        return [t for s in self.sections for t in [*(f.table for f in s.figures), *s.tables]]

    @property
    def definitions(self) -> list[tuple[str, str]]:
        return [(str(BY_KEY[k].label), str(BY_KEY[k].definition)) for k in self.indicator_keys]


# -- cells and figures


def _cell(value: Any) -> Cell:
    if isinstance(value, Share):
        return Percent(value.value) if value.value is not None else None
    if isinstance(value, Ratio):
        return round(value.value, 1) if value.value is not None else None
    if isinstance(value, Decimal):
        return float(value)
    return value  # type: ignore[no-any-return]


def _chart_value(value: Any) -> float | None:
    if isinstance(value, Share | Ratio):
        return value.value
    return value  # type: ignore[no-any-return]


def _columns(sample: Any) -> tuple[str, ...]:
    if isinstance(sample, Share):
        return (_("Share"), _("Numerator"), _("Denominator"))
    if isinstance(sample, Ratio):
        return (_("Children per caseworker"), _("Children"), _("Full-time equivalents"))
    return (_("Number"),)


def _row(label: str, value: Any) -> tuple[Cell, ...]:
    if isinstance(value, Share):
        return (label, _cell(value), value.numerator, value.denominator)
    if isinstance(value, Ratio):
        return (label, _cell(value), value.numerator, float(value.denominator))
    return (label, value)


def figure(key: str, results: Results, periods: Sequence[Period], *, heading: str, line: bool) -> Figure:
    """A chart of one indicator over the periods, and the table of its values beside it."""
    indicator = BY_KEY[key]
    values = results[key]
    title = str(indicator.label)
    percent = isinstance(values[0], Share)
    labels = [p.label for p in periods]
    points = [_chart_value(v) for v in values]
    chart_id = f"fig-{key}"
    if line:
        svg = charts.line_chart(chart_id, title, labels, points, percent=percent)
    else:
        svg = charts.bar_chart(chart_id, title, labels, [(title, points)], percent=percent)
    table = Table(
        key=key,
        title=title,
        columns=(heading, *_columns(values[0])),
        rows=tuple(_row(p.label, v) for p, v in zip(periods, values, strict=True)),
        note=str(indicator.definition),
    )
    return Figure(key, title, str(indicator.definition), svg, table)


def _code_labels(kind: str, codes: Sequence[str]) -> dict[str, str]:
    if kind == "reporters":
        return {c: code_text(REPORTER, c) for c in codes}
    reasons = {str(r): str(_(BREACH_REASON_LABELS[r])) for r in BreachReason}
    return {c: reasons.get(c, _("No reason recorded") if c == NO_REASON else c) for c in codes}


def distribution_figure(
    key: str, results: Results, periods: Sequence[Period], *, kind: str, heading: str
) -> Figure:
    """Counts per code: the table has every code's share per period, the chart the last period."""
    indicator = BY_KEY[key]
    values: list[Distribution] = [v for v in results[key] if isinstance(v, Distribution)]
    codes = sorted({c for v in values for c in v.counts}, key=lambda c: (not c[:1].isdigit(), len(c), c))
    labels = _code_labels(kind, codes)
    rows: list[tuple[Cell, ...]] = [
        (labels[c], *(Percent(v.share(c).value or 0) if v.total else None for v in values)) for c in codes
    ]
    rows.append((_("Number in all"), *(v.total for v in values)))
    last = values[-1]
    top = sorted(last.counts, key=lambda c: -last.counts[c])[:CHART_CODES]
    title = str(indicator.label)
    svg = charts.bar_chart(
        f"fig-{key}",
        f"{title} {periods[-1].label}",
        [labels[c] for c in top],
        [(periods[-1].label, [last.share(c).value for c in top])],
        percent=True,
    )
    table = Table(
        key=key,
        title=title,
        columns=(heading, *(p.label for p in periods)),
        rows=tuple(rows),
        note=str(indicator.definition),
    )
    return Figure(key, title, str(indicator.definition), svg, table)


# -- the annual status report

STATUS_SECTIONS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    (
        "reports",
        gettext_noop("Reports of concern"),
        ("reports_received", "reports_concluded", "reports_closed_share", "reports_reviewed_in_time_share"),
    ),
    (
        "investigations",
        gettext_noop("Investigations"),
        (
            "investigations_concluded",
            "investigations_closed_share",
            "investigations_in_time_share",
            "investigations_within_3_months_share",
            "investigations_extended_share",
        ),
    ),
    (
        "measures",
        gettext_noop("Measures"),
        (
            "children_with_measures",
            "children_with_measures_in_home",
            "children_placed_share",
            "emergency_placements",
        ),
    ),
    ("plans", gettext_noop("Plans"), ("children_with_plan_share", "plans_evaluated_share")),
    (
        "visits",
        gettext_noop("Follow-up and supervision in foster homes"),
        ("follow_up_visits_done_share", "supervision_visits_done_share"),
    ),
    ("aftercare", gettext_noop("Aftercare"), ("children_in_aftercare",)),
)
STATUS_KEYS: tuple[str, ...] = (
    *(k for _, _, keys in STATUS_SECTIONS for k in keys),
    "reporter_shares",
)


def status_results(
    units: Sequence[Unit], year: int, *, years: int = STATUS_YEARS
) -> tuple[list[Period], Results]:
    periods = years_ending(year, years)
    return periods, compute([u.pk for u in units], periods, STATUS_KEYS)


@dataclass(frozen=True)
class Subject:
    """What a status report is about: one service, or all the district services of a city."""

    units: tuple[Unit, ...]
    name: str
    code: str

    @property
    def text_unit(self) -> Unit | None:
        """The unit whose leader writes the texts (one service's report only)."""
        return self.units[0] if len(self.units) == 1 else None


def subject_of(unit: Unit) -> Subject:
    return Subject((unit,), unit.name, unit_code(unit))


def resolve_subject(spec: str) -> Subject:
    """``<municipality>[-<district>]`` as the register commands take it; a city whose services are
    all districts (Oslo) also as a whole, by its municipality number alone."""
    try:
        return subject_of(resolve_unit(spec))
    except UnitNotFound:
        if "-" in spec:
            raise
        districts = list(
            Unit.objects.filter(
                kind=Unit.Kind.SERVICE, host_municipality__number=spec.strip(), district__isnull=False
            ).select_related("host_municipality", "district")
        )
        if not districts:
            raise
        return Subject(tuple(districts), districts[0].host_municipality.name, spec.strip())


def _texts(subject: Subject, year: int) -> dict[str, str]:
    unit = subject.text_unit
    if unit is None:
        return {}
    return {t.section: t.text for t in ReportText.objects.filter(unit=unit, year=year)}


def status_report(subject: Subject, year: int, *, years: int = STATUS_YEARS) -> Report:
    periods, results = status_results(subject.units, year, years=years)
    heading = _("Year")
    sections = []
    for key, title, keys in STATUS_SECTIONS:
        figures = [figure(k, results, periods, heading=heading, line=False) for k in keys]
        if key == "reports":
            figures.append(
                distribution_figure(
                    "reporter_shares", results, periods, kind="reporters", heading=_("Reporter")
                )
            )
        sections.append(Section(key, _(title), figures))
    overview = Table(
        key="key_figures",
        title=_("Key figures %(first)s–%(last)s") % {"first": periods[0].label, "last": periods[-1].label},
        columns=(_("Indicator"), *(p.label for p in periods)),
        rows=tuple(
            (str(BY_KEY[k].label), *(_cell(v) for v in results[k]))
            for _key, _title, keys in STATUS_SECTIONS
            for k in keys
        ),
        note=_("Each indicator is shown with its chart and its numerator and denominator below."),
    )
    sections.insert(0, Section("key_figures", _("Key figures"), [], [overview]))
    texts = _texts(subject, year)
    return Report(
        kind="status",
        title=_("Status report for the child welfare service %(year)s") % {"year": year},
        unit_label=subject.name,
        period_label=f"{periods[0].label}–{periods[-1].label}",
        sections=sections,
        indicator_keys=list(STATUS_KEYS),
        texts=[(str(label), texts.get(value, "")) for value, label in ReportText.Section.choices],
    )


def status_json(subject: Subject, year: int, *, years: int = STATUS_YEARS) -> dict[str, Any]:
    """``{"unit": ..., "year": ..., "indicators": {...}}``, with the earlier years under ``years``."""
    periods, results = status_results(subject.units, year, years=years)
    texts = _texts(subject, year)
    return {
        "unit": subject.name,
        "unit_code": subject.code,
        "services": [u.name for u in subject.units],
        "year": year,
        "indicators": json_indicators(results, len(periods) - 1),
        "years": {p.label: json_indicators(results, i) for i, p in enumerate(periods)},
        "definitions": {k: str(BY_KEY[k].definition) for k in STATUS_KEYS},
        "texts": {value: texts.get(value, "") for value in ReportText.Section.values},
    }


# -- the monthly report

MONTHLY_SECTIONS: tuple[tuple[str, str, tuple[str, ...], str | None], ...] = (
    (
        "reports",
        gettext_noop("Reports of concern and their review"),
        ("reports_received", "reports_concluded", "reports_reviewed_in_time_share"),
        "review_breaches_by_reason",
    ),
    (
        "investigations",
        gettext_noop("Investigations"),
        (
            "investigations_started",
            "investigations_concluded",
            "investigations_in_time_share",
            "investigations_extended_share",
        ),
        "investigation_breaches_by_reason",
    ),
    (
        "measures",
        gettext_noop("Measures and placements"),
        ("measures_active", "placements_active", "children_with_measures", "emergency_placements"),
        None,
    ),
    (
        "plans",
        gettext_noop("Plans and evaluations"),
        ("plans_evaluated_share", "plan_evaluations_done", "plans_evaluation_overdue"),
        None,
    ),
    (
        "visits",
        gettext_noop("Follow-up and supervision visits"),
        (
            "follow_up_visits_done_share",
            "follow_up_children_met_share",
            "supervision_visits_done_share",
            "supervision_children_met_share",
        ),
        None,
    ),
    ("referrals", gettext_noop("Referrals to providers"), ("referrals_ordered", "referrals_open"), None),
    ("caseload", gettext_noop("Caseload"), ("caseload",), None),
)
MONTHLY_KEYS: tuple[str, ...] = tuple(
    k for _, _, keys, breaches in MONTHLY_SECTIONS for k in (*keys, *((breaches,) if breaches else ()))
)


def monthly_report(unit: Unit, y: int, m: int) -> Report:
    periods = months_ending(y, m, TREND_MONTHS)
    results = compute([unit.pk], periods, MONTHLY_KEYS)
    heading = _("Month")
    sections = []
    summary_rows: list[tuple[Cell, ...]] = []
    for key, title, keys, breaches in MONTHLY_SECTIONS:
        figures = [figure(k, results, periods, heading=heading, line=True) for k in keys]
        summary_rows += [(str(BY_KEY[k].label), _cell(results[k][-1]), _cell(results[k][-2])) for k in keys]
        tables: list[Table] = []
        if breaches:
            figures.append(
                distribution_figure(breaches, results, periods, kind="breaches", heading=_("Reason"))
            )
        if key == "caseload":
            tables.append(_caseworker_table(unit, periods[-1]))
        sections.append(Section(key, _(title), figures, tables))
    summary = Table(
        key="summary",
        title=_("This month and the month before"),
        columns=(_("Indicator"), periods[-1].label, periods[-2].label),
        rows=tuple(summary_rows),
    )
    sections.insert(0, Section("summary", _("Summary"), [], [summary]))
    return Report(
        kind="monthly",
        title=_("Monthly report %(month)s") % {"month": date_format(periods[-1].start, "F Y")},
        unit_label=unit.name,
        period_label=periods[-1].label,
        sections=sections,
        indicator_keys=list(MONTHLY_KEYS),
    )


def _caseworker_table(unit: Unit, period: Period) -> Table:
    rows = caseload_per_caseworker([unit.pk], min(period.end, today()))
    return Table(
        key="caseworkers",
        title=_("Caseload per caseworker"),
        columns=(
            _("Caseworker"),
            _("Children"),
            _("Full-time equivalent"),
            _("Children per full-time equivalent"),
        ),
        rows=tuple((r["name"], r["children"], float(r["fte"]), _cell(r["ratio"])) for r in rows),
        note=str(BY_KEY["caseload"].definition),
    )


# -- variation between units

VARIATION_SHARES: tuple[str, ...] = (
    "reports_closed_share",
    "reports_reviewed_in_time_share",
    "investigations_closed_share",
    "investigations_in_time_share",
    "investigations_within_3_months_share",
    "investigations_extended_share",
    "children_placed_share",
    "children_with_plan_share",
    "plans_evaluated_share",
    "follow_up_visits_done_share",
)
# Counts shown as rates per 1,000 children 0–17 (the unit's population that year).
VARIATION_RATES: tuple[str, ...] = (
    "reports_received",
    "investigations_concluded",
    "children_with_measures",
    "emergency_placements",
    "children_in_aftercare",
)
FLAG_LABELS = {
    funnel.Flag.WITHIN: gettext_noop("Within the limits"),
    funnel.Flag.HIGH_95: gettext_noop("Above the 95 percent limit"),
    funnel.Flag.LOW_95: gettext_noop("Below the 95 percent limit"),
    funnel.Flag.HIGH_998: gettext_noop("Above the 99.8 percent limit"),
    funnel.Flag.LOW_998: gettext_noop("Below the 99.8 percent limit"),
}


@dataclass(frozen=True)
class FunnelResult:
    key: str
    title: str
    target: float
    target_label: str
    points: list[funnel.FunnelPoint]
    flags: list[funnel.Flag]
    chart: str
    table: Table


def _funnel(key: str, title: str, points: list[funnel.FunnelPoint], *, per_thousand: bool) -> FunnelResult:
    counted = [(p.numerator, p.denominator) for p in points if p.denominator]
    # Capped: a rate whose count exceeds the population (a wrong population figure) must not break the
    # plot; that unit is simply flagged high.
    target = min(1.0, funnel.pooled_target(counted))
    flags = [
        funnel.flag(p.numerator, p.denominator, target) if p.denominator else funnel.Flag.WITHIN
        for p in points
    ]
    chart = charts.funnel_plot(
        f"funnel-{key}",
        title,
        [p for p in points if p.denominator],
        target,
        x_label=_("Children 0–17") if per_thousand else _("Denominator"),
        y_label=_("Share of the children") if per_thousand else _("Share"),
    )
    value_heading = _("Per 1,000 children") if per_thousand else _("Share")

    def value(p: funnel.FunnelPoint) -> Cell:
        if p.value is None:
            return None
        return round(p.value * 1000, 1) if per_thousand else Percent(p.value)

    table = Table(
        key=f"funnel-{key}",
        title=title,
        columns=(
            _("Unit"),
            value_heading,
            _("Numerator"),
            _("Children 0–17") if per_thousand else _("Denominator"),
            _("Compared with the whole"),
        ),
        rows=tuple(
            (p.label, value(p), p.numerator, p.denominator, _(FLAG_LABELS[f]))
            for p, f in zip(points, flags, strict=True)
        ),
        note=str(BY_KEY[key].definition),
    )
    target_label = format_number(target * 1000) if per_thousand else format_number(target, percent=True)
    return FunnelResult(key, title, target, target_label, points, flags, chart, table)


@dataclass(frozen=True)
class Variation:
    group: UnitGroup
    year: int
    units: list[Unit]
    table: Table
    funnels: list[FunnelResult]
    missing_population: list[str]

    @property
    def tables(self) -> list[Table]:
        return [self.table, *(f.table for f in self.funnels)]


def variation(group: UnitGroup, year: int) -> Variation:
    units = list(group.units.filter(kind=Unit.Kind.SERVICE).select_related("host_municipality", "district"))
    period = [years_ending(year, 1)[0]]
    keys = (*VARIATION_RATES, *VARIATION_SHARES)
    per_unit = {u.pk: compute([u.pk], period, keys) for u in units}
    population = dict(Population.objects.filter(unit__in=units, year=year).values_list("unit_id", "children"))
    rows: list[tuple[Cell, ...]] = []
    for unit in units:
        results = per_unit[unit.pk]
        children = population.get(unit.pk)
        cells: list[Cell] = [unit.name, children]
        for key in VARIATION_RATES:
            count = results[key][0]
            assert isinstance(count, int)
            cells += [count, round(count * 1000 / children, 1) if children else None]
        cells += [_cell(results[key][0]) for key in VARIATION_SHARES]
        rows.append(tuple(cells))
    columns: list[str] = [_("Unit"), _("Children 0–17")]
    for key in VARIATION_RATES:
        columns += [str(BY_KEY[key].label), _("per 1,000")]
    columns += [str(BY_KEY[key].label) for key in VARIATION_SHARES]
    table = Table(
        key="variation",
        title=_("Indicators per unit %(year)s") % {"year": year},
        columns=tuple(columns),
        rows=tuple(rows),
        note=_("Rates are per 1,000 children 0–17 living in the unit's area (imported population)."),
    )
    funnels = []
    for key in VARIATION_RATES:
        points = []
        for u in units:
            count = per_unit[u.pk][key][0]
            assert isinstance(count, int)
            points.append(funnel.FunnelPoint(u.name, count, population.get(u.pk, 0)))
        title = _("%(indicator)s per 1,000 children 0–17") % {"indicator": BY_KEY[key].label}
        funnels.append(_funnel(key, title, points, per_thousand=True))
    for key in VARIATION_SHARES:
        points = []
        for u in units:
            share = per_unit[u.pk][key][0]
            assert isinstance(share, Share)
            points.append(funnel.FunnelPoint(u.name, share.numerator, share.denominator))
        funnels.append(_funnel(key, str(BY_KEY[key].label), points, per_thousand=False))
    return Variation(
        group=group,
        year=year,
        units=units,
        table=table,
        funnels=funnels,
        missing_population=[u.name for u in units if u.pk not in population],
    )
