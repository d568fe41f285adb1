"""Accessible charts as inline SVG strings: bar charts, trend lines and funnel plots.

Choices:

- Inline SVG (no JavaScript, no chart library) so the page, the PDF and a saved copy show the same
  picture. The ``<svg>`` has ``role="img"`` and is labelled by its ``<title>`` and ``<desc>``; the desc
  says where the numbers are, because a chart always has a data table beside it (WCAG 2.1 AA, 1.1.1).
- Colours have at least 3:1 contrast against white (WCAG 1.4.11) and text at least 4.5:1. Meaning is
  never carried by colour alone: funnel-plot units outside the limits get a different marker shape,
  and the two limit curves differ in dash pattern.
- Numbers are Norwegian, as on every page (``vern.core.numbers``): "1 234", "6,5", "61,4 %".
- All text is escaped with ``html.escape``; the output is well-formed XML.

Funnel-plot limits come from ``vern.reports.funnel`` (Spiegelhalter 2005).
"""

from __future__ import annotations

import html
import math
from collections.abc import Sequence
from dataclasses import dataclass

from vern.core.numbers import format_number
from vern.reports import funnel
from vern.reports.funnel import Flag, FunnelPoint

SVG_NS = "http://www.w3.org/2000/svg"

NAVY = "#1E2B3C"
BLUE = "#0062BA"
RED = "#C01B1B"
GREY = "#6B7280"
GRID = "#D1D5DB"  # gridlines are decorative: every value is labelled, so they need no 3:1 contrast
# Series colours for grouped bars, each at least 3:1 against white and apart from one another.
SERIES_COLOURS = ("#0062BA", "#1E2B3C", "#B35900", "#2E7D32", "#7A3E9D", "#6B7280")


WIDTH = 640
FONT = 'font-family="inherit"'

# With more units than this, only those outside the limits get a label beside their marker.
LABEL_ALL_UP_TO = 15

FLAG_TEXT = {
    Flag.WITHIN: "innenfor kontrollgrensene",
    Flag.HIGH_95: "over 95 %-grensen",
    Flag.LOW_95: "under 95 %-grensen",
    Flag.HIGH_998: "over 99,8 %-grensen",
    Flag.LOW_998: "under 99,8 %-grensen",
}


def _esc(text: str) -> str:
    return html.escape(text, quote=True)


def _n(value: float) -> str:
    """A coordinate, short and without float noise."""
    text = f"{value:.1f}"
    return text.removesuffix(".0")


@dataclass(frozen=True)
class _Axis:
    """A value axis from 0 (or ``low``) to a nice ``top`` in ``count`` equal steps."""

    low: float
    top: float
    step: float
    count: int
    percent: bool

    def ticks(self) -> list[float]:
        return [self.low + self.step * i for i in range(self.count + 1)]

    def label(self, value: float) -> str:
        scaled = self.step * 100 if self.percent else self.step
        decimals = next((d for d in range(5) if abs(round(scaled, d) - scaled) < 1e-9), 4)
        return format_number(value, percent=self.percent, decimals=decimals)


def _nice_axis(maximum: float, *, percent: bool = False, integer: bool = False) -> _Axis:
    """From 0 to the smallest 1, 2, 2.5 or 5 × 10^k step count (at most 5 steps) that covers ``maximum``."""
    if not math.isfinite(maximum) or maximum < 1e-9:  # nothing (or next to nothing) to show
        maximum = 1.0 if not percent else 0.1
    exponent = math.floor(math.log10(maximum / 5))
    candidates = sorted(m * 10.0**e for e in (exponent, exponent + 1) for m in (1, 2, 2.5, 5))
    for step in candidates:
        if integer and (step < 1 or step != int(step)):
            continue
        count = max(1, math.ceil(maximum / step - 1e-9))
        if count <= 5:
            return _Axis(low=0.0, top=step * count, step=step, count=count, percent=percent)
    step = max(1.0, candidates[-1]) if integer else candidates[-1]
    count = max(1, math.ceil(maximum / step - 1e-9))
    return _Axis(low=0.0, top=step * count, step=step, count=count, percent=percent)


def _is_integer(values: Sequence[float]) -> bool:
    return all(float(v).is_integer() for v in values)


@dataclass(frozen=True)
class _Frame:
    """The plot area inside the viewBox: x from ``left`` to ``right``, y from ``bottom`` (low) to ``top``."""

    left: float
    right: float
    top: float
    bottom: float

    def y(self, axis: _Axis, value: float) -> float:
        share = (value - axis.low) / (axis.top - axis.low)
        return self.bottom - share * (self.bottom - self.top)


def _open(chart_id: str, title: str, desc: str, height: int) -> list[str]:
    cid = _esc(chart_id)
    return [
        (
            f'<svg xmlns="{SVG_NS}" role="img" aria-labelledby="{cid}-title {cid}-desc" '
            f'viewBox="0 0 {WIDTH} {height}" width="100%" class="vern-chart" id="{cid}">'
        ),
        f'<title id="{cid}-title">{_esc(title)}</title>',
        f'<desc id="{cid}-desc">{_esc(desc)}</desc>',
    ]


def _text(
    x: float,
    y: float,
    content: str,
    *,
    anchor: str = "middle",
    size: float = 11,
    fill: str = NAVY,
    css: str = "",
    rotate: bool = False,
) -> str:
    transform = f' transform="rotate(-90 {_n(x)} {_n(y)})"' if rotate else ""
    klass = f' class="{css}"' if css else ""
    return (
        f'<text x="{_n(x)}" y="{_n(y)}" text-anchor="{anchor}" font-size="{_n(size)}" fill="{fill}" '
        f"{FONT}{klass}{transform}>{_esc(content)}</text>"
    )


def _value_axis(frame: _Frame, axis: _Axis) -> list[str]:
    """Horizontal gridlines with tick labels on the left, and the baseline."""
    parts = ['<g class="vern-chart-axis vern-chart-axis--y">']
    for tick in axis.ticks():
        y = frame.y(axis, tick)
        parts.append(
            f'<line x1="{_n(frame.left)}" x2="{_n(frame.right)}" y1="{_n(y)}" y2="{_n(y)}" '
            f'stroke="{GRID}" stroke-width="1"/>'
        )
        parts.append(_text(frame.left - 6, y + 4, axis.label(tick), anchor="end", size=11))
    parts.append(
        f'<line x1="{_n(frame.left)}" x2="{_n(frame.right)}" y1="{_n(frame.bottom)}" '
        f'y2="{_n(frame.bottom)}" stroke="{GREY}" stroke-width="1"/>'
    )
    parts.append("</g>")
    return parts


def _legend(items: Sequence[tuple[str, str]], *, x: float, y: float) -> list[str]:
    """A row of legend entries; each item is (symbol SVG drawn around the origin, text)."""
    parts = ['<g class="vern-chart-legend">']
    cursor = x
    for symbol, label in items:
        parts.append(f'<g transform="translate({_n(cursor)} {_n(y)})">{symbol}</g>')
        parts.append(_text(cursor + 14, y + 4, label, anchor="start", size=11))
        cursor += 14 + 6.5 * len(label) + 22
    parts.append("</g>")
    return parts


def _swatch(colour: str) -> str:
    return f'<rect class="vern-chart-legend-swatch" x="-5" y="-5" width="10" height="10" fill="{colour}"/>'


def _shown_labels(count: int) -> set[int]:
    """Which x labels to print: all up to 12, otherwise every k-th plus the first and the last."""
    if count <= 12:
        return set(range(count))
    every = math.ceil(count / 12)
    return {*range(0, count, every), count - 1}


def bar_chart(
    chart_id: str,
    title: str,
    labels: Sequence[str],
    series: Sequence[tuple[str, Sequence[float | None]]],
    *,
    percent: bool = False,
) -> str:
    """Vertical grouped bars: one group per label (a year, a month), one bar per series.

    The y axis runs from 0 to a nice maximum; each bar has its value above it. A missing value
    (``None``) draws no bar and the label "–". With ``percent=True`` the values are shares 0–1.
    A legend is drawn when there is more than one series.
    """
    values = [v for _, vs in series for v in vs if v is not None]
    axis = _nice_axis(max(values, default=0.0), percent=percent, integer=not percent and _is_integer(values))
    groups = max(len(labels), 1)
    bars_per_group = max(len(series), 1)
    group_width = (WIDTH - 64 - 16) / groups
    bar_width = group_width * 0.8 / bars_per_group
    rotate = bar_width < 24  # narrow bars get their value written upwards so labels do not collide
    legend = len(series) > 1
    top = 16 + (28 if legend else 0) + (36 if rotate else 12)
    height = top + 220 + 40
    frame = _Frame(left=64, right=WIDTH - 16, top=top, bottom=top + 220)

    kind = "Stolpediagram" if len(series) <= 1 else f"Stolpediagram med {len(series)} serier"
    desc = f"{kind}. Tallene står i tabellen ved siden av eller under diagrammet."
    parts = _open(chart_id, title, desc, height)
    parts += _value_axis(frame, axis)
    parts.append('<g class="vern-chart-bars">')
    shown = _shown_labels(len(labels))
    for g, label in enumerate(labels):
        group_left = frame.left + g * group_width
        for s, (name, series_values) in enumerate(series):
            value = series_values[g] if g < len(series_values) else None
            x = group_left + group_width * 0.1 + s * bar_width
            centre = x + bar_width / 2
            text = format_number(value, percent=percent)
            if value is None:
                parts.append(_text(centre, frame.bottom - 4, text, size=11, css="vern-chart-value"))
                continue
            y = frame.y(axis, max(value, 0.0))
            colour = SERIES_COLOURS[s % len(SERIES_COLOURS)]
            what = f"{label}, {name}: {text}" if name else f"{label}: {text}"
            parts.append(
                f'<rect class="vern-chart-bar" x="{_n(x + bar_width * 0.05)}" y="{_n(y)}" '
                f'width="{_n(bar_width * 0.9)}" height="{_n(frame.bottom - y)}" fill="{colour}">'
                f"<title>{_esc(what)}</title></rect>"
            )
            if rotate:
                parts.append(
                    _text(
                        centre + 4, y - 4, text, anchor="start", size=10, css="vern-chart-value", rotate=True
                    )
                )
            else:
                parts.append(_text(centre, y - 4, text, size=11, css="vern-chart-value"))
        if g in shown:
            # About 6.5 px a character at size 11: a longer label is cut; its bar's title has it whole.
            short = _short(label, max(4, int(group_width / 6.5)))
            parts.append(_text(group_left + group_width / 2, frame.bottom + 18, short, size=11))
    parts.append("</g>")
    if legend:
        items = [
            (_swatch(SERIES_COLOURS[s % len(SERIES_COLOURS)]), name) for s, (name, _) in enumerate(series)
        ]
        parts += _legend(items, x=frame.left, y=22)
    parts.append("</svg>")
    return "".join(parts)


def line_chart(
    chart_id: str,
    title: str,
    labels: Sequence[str],
    values: Sequence[float | None],
    *,
    percent: bool = False,
) -> str:
    """A trend line with a point per label (e.g. 12 months); a missing value breaks the line.

    Every x label is printed when there are at most 12, otherwise every k-th with the first and the
    last; the points carry their value when there are at most 12, otherwise only the last one does.
    """
    present = [v for v in values if v is not None]
    axis = _nice_axis(
        max(present, default=0.0), percent=percent, integer=not percent and _is_integer(present)
    )
    top = 28
    height = top + 220 + 40
    frame = _Frame(left=64, right=WIDTH - 16, top=top, bottom=top + 220)
    count = max(len(labels), 1)
    step = (frame.right - frame.left) / count

    def x_at(i: int) -> float:
        return frame.left + step * (i + 0.5)

    desc = "Linjediagram. Tallene står i tabellen ved siden av eller under diagrammet."
    parts = _open(chart_id, title, desc, height)
    parts += _value_axis(frame, axis)

    path: list[str] = []
    pen_down = False
    for i, value in enumerate(values):
        if value is None:
            pen_down = False
            continue
        path.append(f"{'L' if pen_down else 'M'}{_n(x_at(i))} {_n(frame.y(axis, value))}")
        pen_down = True
    if path:
        parts.append(
            f'<path class="vern-chart-line" d="{" ".join(path)}" fill="none" stroke="{BLUE}" '
            'stroke-width="2" stroke-linejoin="round"/>'
        )
    last = max((i for i, v in enumerate(values) if v is not None), default=-1)
    parts.append('<g class="vern-chart-points">')
    for i, value in enumerate(values):
        if value is None:
            continue
        x, y = x_at(i), frame.y(axis, value)
        label = labels[i] if i < len(labels) else ""
        text = format_number(value, percent=percent)
        parts.append(
            f'<circle class="vern-chart-point" cx="{_n(x)}" cy="{_n(y)}" r="3.5" fill="{BLUE}">'
            f"<title>{_esc(f'{label}: {text}')}</title></circle>"
        )
        if len(values) <= 12 or i == last:
            parts.append(_text(x, y - 8, text, size=10, css="vern-chart-value"))
    parts.append("</g>")
    parts.append('<g class="vern-chart-axis vern-chart-axis--x">')
    for i in sorted(_shown_labels(len(labels))):
        parts.append(_text(x_at(i), frame.bottom + 18, labels[i], size=11))
    parts.append("</g></svg>")
    return "".join(parts)


def _marker(point_flag: Flag, x: float, y: float, *, legend: bool = False) -> str:
    """Within: a blue circle. Outside 95 %: a red triangle pointing the way it deviates.
    Outside 99.8 %: a red square. Shape, not only colour, tells them apart."""
    if legend:
        css = 'class="vern-chart-legend-marker"'
    else:
        css = f'class="vern-chart-point vern-chart-point--{point_flag.value}" data-flag="{point_flag.value}"'
    if point_flag is Flag.WITHIN:
        return f'<circle {css} cx="{_n(x)}" cy="{_n(y)}" r="4" fill="{BLUE}"/>'
    if point_flag in (Flag.HIGH_998, Flag.LOW_998):
        return f'<rect {css} x="{_n(x - 4.5)}" y="{_n(y - 4.5)}" width="9" height="9" fill="{RED}"/>'
    d = 5.5
    if point_flag is Flag.HIGH_95:
        corners = [(x, y - d), (x + d, y + d * 0.7), (x - d, y + d * 0.7)]
    else:
        corners = [(x, y + d), (x + d, y - d * 0.7), (x - d, y - d * 0.7)]
    return f'<polygon {css} points="{" ".join(f"{_n(a)},{_n(b)}" for a, b in corners)}" fill="{RED}"/>'


def _short(label: str, limit: int = 18) -> str:
    return label if len(label) <= limit else label[: limit - 1] + "…"


def funnel_plot(
    chart_id: str,
    title: str,
    points: Sequence[FunnelPoint],
    target: float,
    *,
    x_label: str = "Antall (nevner)",
    y_label: str = "Andel",
) -> str:
    """A funnel plot (Spiegelhalter 2005): each unit's proportion against its denominator, with the
    target line and the 95 % and 99.8 % control limits from ``vern.reports.funnel.limits``.

    Units outside the limits are red and have another shape (triangle outside 95 %, square outside
    99.8 %). Every unit is labelled when there are at most 15; with more, only those outside the
    limits are, so the labels stay readable (all names are in the table). Units without a
    denominator cannot be placed and are left out (they are in the table too).
    """
    placed = [p for p in points if p.denominator > 0]
    x_axis = _nice_axis(max((p.denominator for p in placed), default=0), integer=True)
    shares = [p.numerator / p.denominator for p in placed]
    y_axis = _nice_axis(min(1.0, max([*shares, target], default=0.0) * 1.1), percent=True)
    top = 16
    frame = _Frame(left=64, right=WIDTH - 24, top=top, bottom=top + 280)
    height = int(frame.bottom) + 100

    def x_at(n: float) -> float:
        return frame.left + n / x_axis.top * (frame.right - frame.left)

    target_text = format_number(target, percent=True)
    desc = (
        f"Traktdiagram: andelen for hver enhet mot antallet den bygger på, med referanselinje på "
        f"{target_text} og kontrollgrenser for 95 % og 99,8 %. Enheter utenfor grensene er merket med "
        "trekant (95 %) eller firkant (99,8 %). Tallene står i tabellen ved siden av eller under diagrammet."
    )
    clip = f"{chart_id}-clip"
    parts = _open(chart_id, title, desc, height)
    parts.append(
        f'<defs><clipPath id="{_esc(clip)}"><rect x="{_n(frame.left)}" y="{_n(frame.top)}" '
        f'width="{_n(frame.right - frame.left)}" height="{_n(frame.bottom - frame.top)}"/></clipPath></defs>'
    )
    parts += _value_axis(frame, y_axis)
    parts.append('<g class="vern-chart-axis vern-chart-axis--x">')
    for tick in x_axis.ticks():
        parts.append(_text(x_at(tick), frame.bottom + 18, x_axis.label(tick), size=11))
    parts.append(_text((frame.left + frame.right) / 2, frame.bottom + 38, x_label, size=11))
    parts.append(
        _text(16, (frame.top + frame.bottom) / 2, y_label, size=11, rotate=True, css="vern-chart-axis-title")
    )
    parts.append("</g>")

    # Limits change fastest at small n, so sample the x axis more densely there.
    samples = sorted({max(1, round(x_axis.top * (i / 59) ** 2)) for i in range(60)})
    styles = {
        funnel.PROBABILITY_95: ("vern-chart-limit vern-chart-limit--95", BLUE, "6 4"),
        funnel.PROBABILITY_998: ("vern-chart-limit vern-chart-limit--998", NAVY, "2 3"),
    }
    parts.append(f'<g clip-path="url(#{_esc(clip)})">')
    curves = [funnel.limits_for(target, n, tuple(styles)) for n in samples]
    for curve, (css, colour, dash) in enumerate(styles.values()):
        bounds = [at_n[curve] for at_n in curves]
        for side in (0, 1):
            d = " ".join(
                f"{'M' if i == 0 else 'L'}{_n(x_at(n))} {_n(frame.y(y_axis, bound[side]))}"
                for i, (n, bound) in enumerate(zip(samples, bounds, strict=True))
            )
            parts.append(
                f'<path class="{css}" d="{d}" fill="none" stroke="{colour}" stroke-width="1.5" '
                f'stroke-dasharray="{dash}"/>'
            )
    y_target = frame.y(y_axis, target)
    parts.append(
        f'<line class="vern-chart-target" x1="{_n(frame.left)}" x2="{_n(frame.right)}" y1="{_n(y_target)}" '
        f'y2="{_n(y_target)}" stroke="{NAVY}" stroke-width="1.5"/>'
    )
    parts.append("</g>")

    parts.append('<g class="vern-chart-points">')
    for point, share in zip(placed, shares, strict=True):
        point_flag = funnel.flag(point.numerator, point.denominator, target)
        x, y = x_at(point.denominator), frame.y(y_axis, share)
        what = (
            f"{point.label}: {format_number(share, percent=True)} "
            f"({format_number(point.numerator)} av {format_number(point.denominator)}), "
            f"{FLAG_TEXT[point_flag]}"
        )
        parts.append(f"<g><title>{_esc(what)}</title>{_marker(point_flag, x, y)}</g>")
        if len(placed) <= LABEL_ALL_UP_TO or point_flag is not Flag.WITHIN:
            near_right = x > frame.right - 110
            parts.append(
                _text(
                    x - 7 if near_right else x + 7,
                    y - 6,
                    _short(point.label),
                    anchor="end" if near_right else "start",
                    size=10,
                    css="vern-chart-label",
                )
            )
    parts.append("</g>")

    line = '<line x1="-8" x2="8" y1="0" y2="0" stroke="{}" stroke-width="1.5"{}/>'
    parts += _legend(
        [
            (line.format(NAVY, ""), f"Referanse {target_text}"),
            (line.format(BLUE, ' stroke-dasharray="6 4"'), "95 %-grense"),
            (line.format(NAVY, ' stroke-dasharray="2 3"'), "99,8 %-grense"),
        ],
        x=frame.left,
        y=frame.bottom + 62,
    )
    parts += _legend(
        [
            (_marker(Flag.WITHIN, 0, 0, legend=True), "Innenfor"),
            (_marker(Flag.HIGH_95, 0, 0, legend=True), "Utenfor 95 %"),
            (_marker(Flag.HIGH_998, 0, 0, legend=True), "Utenfor 99,8 %"),
        ],
        x=frame.left,
        y=frame.bottom + 84,
    )
    parts.append("</svg>")
    return "".join(parts)
