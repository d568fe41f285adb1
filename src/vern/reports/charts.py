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
HALO = "#FFFFFF"  # the background, drawn under a label's letters where a line crosses them
GRID = "#D1D5DB"  # gridlines are decorative: every value is labelled, so they need no 3:1 contrast
# Series colours for grouped bars, each at least 3:1 against white and apart from one another.
SERIES_COLOURS = ("#0062BA", "#1E2B3C", "#B35900", "#2E7D32", "#7A3E9D", "#6B7280")


WIDTH = 640
FONT = 'font-family="inherit"'

# With more units than this, only those outside the limits are named beside their marker.
LABEL_ALL_UP_TO = 8

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
    halo: bool = False,
) -> str:
    transform = f' transform="rotate(-90 {_n(x)} {_n(y)})"' if rotate else ""
    klass = f' class="{css}"' if css else ""
    # A white outline under the letters keeps a label legible where a curve or gridline crosses it.
    outline = (
        ' stroke="#FFFFFF" stroke-width="3" stroke-linejoin="round" paint-order="stroke"' if halo else ""
    )
    return (
        f'<text x="{_n(x)}" y="{_n(y)}" text-anchor="{anchor}" font-size="{_n(size)}" fill="{fill}" '
        f"{FONT}{klass}{outline}{transform}>{_esc(content)}</text>"
    )


def _wrap(label: str, room: int) -> list[str]:
    """``label`` in at most three lines of about ``room`` letters, broken between words; what does
    not fit is cut with "…" (the table beside the chart has the whole label)."""
    lines: list[str] = []
    for word in label.split():
        if lines and len(lines[-1]) + 1 + len(word) <= room:
            lines[-1] += f" {word}"
        else:
            lines.append(word)
    if len(lines) > 3:  # three lines under a bar at most
        lines = [*lines[:2], " ".join(lines[2:])]
    return [line if len(line) <= room else line[: max(1, room - 1)] + "…" for line in lines] or [""]


def _lines(x: float, y: float, lines: Sequence[str], *, size: float) -> str:
    """Centred text of one or more lines, the first with its baseline at ``y``."""
    if len(lines) == 1:
        return _text(x, y, lines[0], size=size)
    spans = "".join(
        f'<tspan x="{_n(x)}" dy="{"0" if i == 0 else _n(size * 1.25)}">{_esc(line)}</tspan>'
        for i, line in enumerate(lines)
    )
    return (
        f'<text x="{_n(x)}" y="{_n(y)}" text-anchor="middle" font-size="{_n(size)}" fill="{NAVY}" '
        f"{FONT}>{spans}</text>"
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
    shown = _shown_labels(len(labels))
    # A label wider than its group is written on more lines (cut short after three), never over its
    # neighbour's.
    room = max(1, int(group_width * (len(labels) / max(len(shown), 1)) / (11 * 0.62)))
    lines = {g: _wrap(label, room) for g, label in enumerate(labels) if g in shown}
    height = top + 220 + 40 + 14 * (max((len(v) for v in lines.values()), default=1) - 1)
    frame = _Frame(left=64, right=WIDTH - 16, top=top, bottom=top + 220)

    kind = "Stolpediagram" if len(series) <= 1 else f"Stolpediagram med {len(series)} serier"
    desc = f"{kind}. Tallene står i tabellen ved siden av eller under diagrammet."
    parts = _open(chart_id, title, desc, height)
    parts += _value_axis(frame, axis)
    parts.append('<g class="vern-chart-bars">')
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
            parts.append(_lines(group_left + group_width / 2, frame.bottom + 18, lines[g], size=11))
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


def _short(label: str, limit: int = 24) -> str:
    return label if len(label) <= limit else label[: limit - 1] + "…"


def _distinct_names(labels: Sequence[str]) -> list[str]:
    """The labels without the words they all begin with: "Barneverntjenesten i bydel Alna" and
    "Barneverntjenesten i bydel Bjerke" become "Alna" and "Bjerke" (the full names are in the table
    and in each marker's title). Unchanged when they share fewer than two words, or when one label
    is nothing but the shared words."""
    if len(labels) < 2:
        return list(labels)
    words = [label.split(" ") for label in labels]
    shared = 0
    while all(len(w) > shared + 1 and w[shared] == words[0][shared] for w in words):
        shared += 1
    if shared < 2:  # one shared word ("Bydel Nord", "Bydel Sør") is part of the name
        return list(labels)
    return [" ".join(w[shared:]) for w in words]


@dataclass(frozen=True)
class _Box:
    """A rectangle in the chart's coordinates (y grows downwards)."""

    left: float
    top: float
    right: float
    bottom: float

    def overlaps(self, other: _Box) -> bool:
        return not (
            self.right <= other.left
            or other.right <= self.left
            or self.bottom <= other.top
            or other.bottom <= self.top
        )

    def inside(self, other: _Box) -> bool:
        return (
            other.left <= self.left
            and self.right <= other.right
            and other.top <= self.top
            and self.bottom <= other.bottom
        )


LABEL_SIZE = 11.0
# Wider than Inter's average letter at this size, so an estimated box holds the drawn text.
LABEL_CHAR_WIDTH = 0.62 * LABEL_SIZE
LABEL_LINE = 1.3 * LABEL_SIZE
MARKER_HALF = 6.0


def label_box(x: float, baseline: float, text: str, anchor: str) -> _Box:
    """The room a point label takes: ``text`` at ``LABEL_SIZE`` with its baseline at ``baseline``."""
    width = len(text) * LABEL_CHAR_WIDTH
    left = x - width if anchor == "end" else x
    return _Box(left, baseline - LABEL_SIZE, left + width, baseline + 0.3 * LABEL_SIZE)


def _place_labels(
    marks: Sequence[tuple[float, float, str]], area: _Box, markers: Sequence[_Box]
) -> list[tuple[int, float, float, str, bool]]:
    """Where to write each marker's label so that no two labels overlap, none covers a marker and
    all stay in ``area``: beside the marker if there is room, otherwise moved up or down a line at a
    time with a leader line back to it. ``marks`` are (x, y, text) in order of importance; a label
    with no free place is left out (the table names every unit). Gives (index in ``marks``, x,
    baseline, anchor, leader) for the labels placed."""
    placed: list[_Box] = []
    result: list[tuple[int, float, float, str, bool]] = []
    gap = MARKER_HALF + 3
    for index, (x, y, text) in enumerate(marks):
        centre = y + 0.35 * LABEL_SIZE  # the baseline that centres the text on the marker
        candidates = [(x + gap, centre, "start"), (x - gap, centre, "end")]
        for step in range(1, 9):
            for direction in (-1, 1):
                shifted = centre + direction * step * LABEL_LINE
                candidates += [(x + gap + 6, shifted, "start"), (x - gap - 6, shifted, "end")]
        for cx, baseline, anchor in candidates:
            box = label_box(cx, baseline, text, anchor)
            if box.inside(area) and not any(box.overlaps(b) for b in (*placed, *markers)):
                placed.append(box)
                result.append((index, cx, baseline, anchor, baseline != centre))
                break
    return result


def _funnel_axis(values: Sequence[float], *, percent: bool, ceiling: float) -> _Axis:
    """A value axis around ``values`` (the points, the target and the outer limits at the largest
    unit), not from 0, so that units close to one another are told apart. From 0 when the values
    come near it; never above ``ceiling`` (100 % for shares)."""
    low, high = min(values), max(values)
    pad = max((high - low) * 0.08, abs(high) * 0.01, 1e-9)
    low, high = max(0.0, low - pad), min(ceiling, high + pad)
    span = high - low
    exponent = math.floor(math.log10(span / 5))
    for step in sorted(m * 10.0**e for e in (exponent, exponent + 1) for m in (1, 2, 2.5, 5)):
        bottom = math.floor(low / step + 1e-9) * step
        if bottom <= step:
            bottom = 0.0
        count = max(1, math.ceil((high - bottom) / step - 1e-9))
        if count <= 6:
            return _Axis(low=bottom, top=bottom + step * count, step=step, count=count, percent=percent)
    return _nice_axis(high, percent=percent)


def _funnel_labels(
    placed: Sequence[FunnelPoint],
    flags: Sequence[Flag],
    at: Sequence[tuple[float, float]],
    target: float,
    frame: _Frame,
) -> list[str]:
    """The units' names beside their markers: those outside the limits always, the others too when
    there are at most ``LABEL_ALL_UP_TO`` units; placed by ``_place_labels`` so none overlap."""
    names = _distinct_names([p.label for p in placed])
    shares = [p.numerator / p.denominator for p in placed]
    # The units outside the limits first (those furthest out before the others), then the rest.
    order = sorted(
        range(len(placed)),
        key=lambda i: (flags[i] is Flag.WITHIN, -abs(shares[i] - target) * math.sqrt(placed[i].denominator)),
    )
    wanted = [
        (at[i][0], at[i][1], _short(names[i]))
        for i in order
        if len(placed) <= LABEL_ALL_UP_TO or flags[i] is not Flag.WITHIN
    ]
    markers = [_Box(x - MARKER_HALF, y - MARKER_HALF, x + MARKER_HALF, y + MARKER_HALF) for x, y in at]
    area = _Box(frame.left + 2, frame.top, WIDTH - 2, frame.bottom - 2)
    parts = ['<g class="vern-chart-labels">']
    for i, lx, baseline, anchor, leader in _place_labels(wanted, area, markers):
        mx, my, text = wanted[i]
        if leader:
            end = lx - 2 if anchor == "start" else lx + 2
            parts.append(
                f'<line class="vern-chart-leader" x1="{_n(mx)}" y1="{_n(my)}" x2="{_n(end)}" '
                f'y2="{_n(baseline - 0.35 * LABEL_SIZE)}" stroke="{GREY}" stroke-width="1"/>'
            )
        parts.append(
            _text(lx, baseline, text, anchor=anchor, size=LABEL_SIZE, css="vern-chart-label", halo=True)
        )
    parts.append("</g>")
    return parts


def funnel_plot(
    chart_id: str,
    title: str,
    points: Sequence[FunnelPoint],
    target: float,
    *,
    x_label: str = "Antall (nevner)",
    y_label: str = "Andel",
    per_thousand: bool = False,
) -> str:
    """A funnel plot (Spiegelhalter 2005): each unit's proportion against its denominator, with the
    target line and the 95 % and 99.8 % control limits from ``vern.reports.funnel.limits``.

    The y axis shows what the table beside it shows: a share in percent, or with ``per_thousand`` a
    rate per 1,000 (of the children in the unit's area). It spans the units, the target and the
    limits at the largest unit rather than running from 0, so that units close together are told
    apart. Units outside the limits are red and have another shape (triangle outside 95 %, square
    outside 99.8 %) and are always named beside their marker; with at most ``LABEL_ALL_UP_TO`` units
    every one is. Labels never overlap one another or a marker (``_place_labels``); the table names
    every unit. Units without a denominator cannot be placed and are left out (they are in the
    table too).
    """
    placed = [p for p in points if p.denominator > 0]
    scale = 1000.0 if per_thousand else 1.0
    x_axis = _nice_axis(max((p.denominator for p in placed), default=0), integer=True)
    shares = [p.numerator / p.denominator for p in placed]
    widest = funnel.limits(target, max((p.denominator for p in placed), default=1), funnel.PROBABILITY_998)
    y_axis = _funnel_axis(
        [v * scale for v in (*shares, target, *widest)], percent=not per_thousand, ceiling=scale
    )
    top = 16
    frame = _Frame(left=64, right=WIDTH - 24, top=top, bottom=top + 300)
    height = int(frame.bottom) + 100

    def x_at(n: float) -> float:
        return frame.left + n / x_axis.top * (frame.right - frame.left)

    def y_at(share: float) -> float:
        return frame.y(y_axis, share * scale)

    def shown(share: float) -> str:
        if per_thousand:
            return f"{format_number(share * scale)} per {format_number(1000)}"
        return format_number(share, percent=True)

    target_text = shown(target)
    desc = (
        f"Traktdiagram: verdien for hver enhet mot antallet den bygger på, med referanselinje på "
        f"{target_text} og kontrollgrenser for 95 % og 99,8 %. Enheter utenfor grensene er merket med "
        "trekant (95 %) eller firkant (99,8 %) og navngitt. Tallene for alle enhetene står i tabellen "
        "ved siden av eller under diagrammet."
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
                f"{'M' if i == 0 else 'L'}{_n(x_at(n))} {_n(y_at(bound[side]))}"
                for i, (n, bound) in enumerate(zip(samples, bounds, strict=True))
            )
            parts.append(
                f'<path class="{css}" d="{d}" fill="none" stroke="{colour}" stroke-width="1.5" '
                f'stroke-dasharray="{dash}"/>'
            )
    y_target = y_at(target)
    parts.append(
        f'<line class="vern-chart-target" x1="{_n(frame.left)}" x2="{_n(frame.right)}" y1="{_n(y_target)}" '
        f'y2="{_n(y_target)}" stroke="{NAVY}" stroke-width="1.5"/>'
    )
    parts.append("</g>")

    parts.append('<g class="vern-chart-points">')
    flags = [funnel.flag(p.numerator, p.denominator, target) for p in placed]
    at = [(x_at(p.denominator), y_at(share)) for p, share in zip(placed, shares, strict=True)]
    for point, share, point_flag, (x, y) in zip(placed, shares, flags, at, strict=True):
        what = (
            f"{point.label}: {shown(share)} "
            f"({format_number(point.numerator)} av {format_number(point.denominator)}), "
            f"{FLAG_TEXT[point_flag]}"
        )
        parts.append(f"<g><title>{_esc(what)}</title>{_marker(point_flag, x, y)}</g>")
    parts.append("</g>")

    parts += _funnel_labels(placed, flags, at, target, frame)

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
