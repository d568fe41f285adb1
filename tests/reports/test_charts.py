"""Inline SVG charts: well-formed, labelled for screen readers, escaped, and drawing what they are given."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest
from hypothesis import given
from hypothesis import strategies as st

from vern.core.numbers import format_number
from vern.reports.charts import _Box, bar_chart, funnel_plot, label_box, line_chart
from vern.reports.funnel import Flag, FunnelPoint, flag

SVG = "{http://www.w3.org/2000/svg}"
NBSP = "\u00a0"


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)  # noqa: S314 - our own output, not untrusted XML


def by_class(root: ET.Element, css: str) -> list[ET.Element]:
    return [e for e in root.iter() if css in (e.get("class") or "").split()]


def texts(root: ET.Element) -> list[str]:
    return [e.text or "" for e in root.iter(f"{SVG}text")]


def relative_luminance(colour: str) -> float:
    def channel(hex_pair: str) -> float:
        c = int(hex_pair, 16) / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(colour[i : i + 2]) for i in (1, 3, 5))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_with_white(colour: str) -> float:
    return 1.05 / (relative_luminance(colour) + 0.05)


def sample_charts() -> list[str]:
    points = [FunnelPoint("A", 50, 100), FunnelPoint("B", 90, 100), FunnelPoint("C", 62, 100)]
    return [
        bar_chart("bars", "Meldinger", ["2023", "2024"], [("Mottatt", [120, 340]), ("Henlagt", [10, None])]),
        line_chart("line", "Trend", ["jan.", "feb.", "mar."], [0.5, None, 0.7], percent=True),
        funnel_plot("funnel", "Variasjon", points, 0.5),
    ]


class TestAccessibility:
    @pytest.mark.parametrize("index", [0, 1, 2])
    def test_svg_is_an_image_labelled_by_title_and_desc(self, index: int) -> None:
        svg = sample_charts()[index]
        root = parse(svg)
        assert root.tag == f"{SVG}svg"
        chart_id = root.get("id")
        assert root.get("role") == "img"
        assert root.get("aria-labelledby") == f"{chart_id}-title {chart_id}-desc"
        assert root.get("width") == "100%"
        assert "vern-chart" in (root.get("class") or "")
        assert re.fullmatch(r"0 0 \d+ \d+", root.get("viewBox") or "")
        title = root.find(f"{SVG}title")
        desc = root.find(f"{SVG}desc")
        assert title is not None
        assert desc is not None
        assert title.get("id") == f"{chart_id}-title"
        assert desc.get("id") == f"{chart_id}-desc"
        assert "tabellen" in (desc.text or "")

    def test_title_and_labels_are_escaped(self) -> None:
        svg = bar_chart('x"y', "Under <18> & over", ["<b>"], [("A & B", [1])])
        root = parse(svg)
        assert "<18>" not in svg
        assert "&lt;18&gt; &amp; over" in svg
        title = root.find(f"{SVG}title")
        assert title is not None
        assert title.text == "Under <18> & over"
        assert "<b>" in texts(root)
        assert root.get("id") == 'x"y'

    def test_funnel_labels_are_escaped(self) -> None:
        svg = funnel_plot("f", "<script>", [FunnelPoint("<img>", 1, 2)], 0.5)
        assert "<script>" not in svg
        assert "<img>" not in svg
        assert "<img>" in texts(parse(svg))

    @pytest.mark.parametrize("index", [0, 1, 2])
    def test_colours_have_three_to_one_contrast_against_white(self, index: int) -> None:
        svg = sample_charts()[index]
        root = parse(svg)
        gridlines = "#D1D5DB"  # decorative; every value is also written out
        halo = "#FFFFFF"  # the background itself, outlining a label's letters
        colours = {
            e.get(attr) or ""
            for e in root.iter()
            for attr in ("fill", "stroke")
            if (e.get(attr) or "").startswith("#")
        } - {gridlines, halo}
        assert colours
        for colour in colours:
            assert contrast_with_white(colour) >= 3.0, colour


class TestBarChart:
    def test_one_bar_per_value_and_a_dash_for_missing(self) -> None:
        root = parse(
            bar_chart(
                "b",
                "Saker",
                ["2022", "2023", "2024"],
                [("Meldinger", [120, 340, None]), ("Undersøkelser", [100, None, 300])],
            )
        )
        assert len(by_class(root, "vern-chart-bar")) == 4
        values = [e.text for e in by_class(root, "vern-chart-value")]
        assert values.count("–") == 2
        assert {"120", "340", "100", "300"} <= set(values)

    def test_long_labels_take_more_lines_rather_than_overlap(self) -> None:
        """ "Familien unndrar seg kontakt" ran into "Familien var ikke tilgjengelig" under five bars."""
        labels = [
            "Manglende kapasitet",
            "Kompleks sak",
            "Familien unndrar seg kontakt",
            "Familien var ikke tilgjengelig",
            "Ferieavvikling",
        ]
        root = parse(
            bar_chart("b", "Årsaker", labels, [("Andel", [0.27, 0.27, 0.18, 0.18, 0.09])], percent=True)
        )
        group = (640 - 64 - 16) / len(labels)
        written = [
            e
            for e in root.iter(f"{SVG}text")
            if e.find(f"{SVG}tspan") is not None or (e.text or "") in labels
        ]
        lines = [[t.text or "" for t in e.iter(f"{SVG}tspan")] or [e.text or ""] for e in written]
        assert [" ".join(parts).replace("…", "") for parts in lines] == labels
        assert max(len(line) for parts in lines for line in parts) * 11 * 0.62 <= group
        height = float(root.get("viewBox", "").split()[3])
        for e, parts in zip(written, lines, strict=True):  # the last line is inside the picture
            assert float(e.get("y") or 0) + 11 * 1.25 * (len(parts) - 1) + 4 <= height

    def test_bar_heights_are_proportional(self) -> None:
        root = parse(bar_chart("b", "Saker", ["a", "b"], [("", [100, 200])]))
        heights = [float(e.get("height") or 0) for e in by_class(root, "vern-chart-bar")]
        assert heights[1] == pytest.approx(2 * heights[0], abs=0.2)

    def test_percent_values_are_shown_as_percent(self) -> None:
        root = parse(bar_chart("b", "Andel", ["2024"], [("I tide", [0.614])], percent=True))
        assert "61,4\u00a0%" in [e.text for e in by_class(root, "vern-chart-value")]

    def test_axis_runs_from_zero_to_a_nice_maximum(self) -> None:
        root = parse(bar_chart("b", "Saker", ["a", "b"], [("", [120, 340])]))
        axis = by_class(root, "vern-chart-axis")[0]
        ticks = [e.text for e in axis.iter(f"{SVG}text")]
        assert ticks[0] == "0"
        assert ticks[-1] == "400"
        assert 4 <= len(ticks) <= 6

    def test_percent_axis_ticks_are_percentages(self) -> None:
        root = parse(bar_chart("b", "Andel", ["a"], [("", [0.97])], percent=True))
        ticks = [e.text for e in by_class(root, "vern-chart-axis")[0].iter(f"{SVG}text")]
        assert ticks == ["0\u00a0%", "20\u00a0%", "40\u00a0%", "60\u00a0%", "80\u00a0%", "100\u00a0%"]

    def test_legend_only_with_more_than_one_series(self) -> None:
        one = parse(bar_chart("b", "T", ["a"], [("Mottatt", [1])]))
        two = parse(bar_chart("b", "T", ["a"], [("Mottatt", [1]), ("Henlagt", [2])]))
        assert not by_class(one, "vern-chart-legend")
        legend = by_class(two, "vern-chart-legend")[0]
        assert [e.text for e in legend.iter(f"{SVG}text")] == ["Mottatt", "Henlagt"]

    def test_tiny_value_does_not_break_the_axis(self) -> None:
        root = parse(bar_chart("b", "T", ["a"], [("", [5e-324])]))
        assert len(by_class(root, "vern-chart-bar")) == 1

    def test_no_values_still_draws_an_axis(self) -> None:
        root = parse(bar_chart("b", "T", ["a", "b"], [("", [None, None])]))
        assert not by_class(root, "vern-chart-bar")
        assert by_class(root, "vern-chart-axis")

    @given(
        st.lists(
            st.one_of(st.none(), st.floats(min_value=0, max_value=1e9, allow_nan=False)),
            min_size=1,
            max_size=24,
        )
    )
    def test_bar_count_equals_values_present(self, values: list[float | None]) -> None:
        labels = [str(i) for i in range(len(values))]
        root = parse(bar_chart("b", "T", labels, [("S", values)]))
        assert len(by_class(root, "vern-chart-bar")) == sum(v is not None for v in values)


class TestLineChart:
    def test_missing_value_breaks_the_line(self) -> None:
        root = parse(line_chart("l", "Trend", ["a", "b", "c", "d"], [1, 2, None, 4]))
        (line,) = by_class(root, "vern-chart-line")
        assert (line.get("d") or "").count("M") == 2
        assert len(by_class(root, "vern-chart-point")) == 3

    def test_every_label_up_to_twelve(self) -> None:
        labels = [f"m{i}" for i in range(12)]
        root = parse(line_chart("l", "Trend", labels, [0.5] * 12, percent=True))
        x_axis = by_class(root, "vern-chart-axis--x")[0]
        assert [e.text for e in x_axis.iter(f"{SVG}text")] == labels
        assert [e.text for e in by_class(root, "vern-chart-value")] == ["50,0\u00a0%"] * 12

    def test_first_and_last_label_when_more_than_twelve(self) -> None:
        labels = [f"m{i}" for i in range(30)]
        root = parse(line_chart("l", "Trend", labels, list(range(30))))
        shown = [e.text for e in by_class(root, "vern-chart-axis--x")[0].iter(f"{SVG}text")]
        assert shown[0] == "m0"
        assert shown[-1] == "m29"
        assert len(shown) < 30

    def test_all_missing_draws_no_line(self) -> None:
        root = parse(line_chart("l", "Trend", ["a", "b"], [None, None]))
        assert not by_class(root, "vern-chart-line")
        assert not by_class(root, "vern-chart-point")


class TestFunnelPlot:
    points = (
        FunnelPoint("Innenfor", 50, 100),
        FunnelPoint("Høy 95", 62, 100),
        FunnelPoint("Lav 95", 38, 100),
        FunnelPoint("Høy 99,8", 90, 100),
        FunnelPoint("Lav 99,8", 10, 100),
        FunnelPoint("Ingen saker", 0, 0),
    )

    def markers(self) -> dict[str, ET.Element]:
        root = parse(funnel_plot("f", "Variasjon", self.points, 0.5))
        return {e.get("data-flag") or "": e for e in by_class(root, "vern-chart-point")}

    def test_one_marker_per_unit_with_a_denominator(self) -> None:
        root = parse(funnel_plot("f", "Variasjon", self.points, 0.5))
        assert len(by_class(root, "vern-chart-point")) == 5

    def test_markers_carry_the_flag(self) -> None:
        markers = self.markers()
        assert set(markers) == {f.value for f in Flag}
        for point in self.points[:5]:
            assert flag(point.numerator, point.denominator, 0.5).value in markers

    def test_flagged_markers_differ_in_shape_not_only_colour(self) -> None:
        markers = self.markers()
        shapes = {key: e.tag.removeprefix(SVG) for key, e in markers.items()}
        assert shapes["within"] == "circle"
        assert shapes["high_95"] == shapes["low_95"] == "polygon"
        assert shapes["high_998"] == shapes["low_998"] == "rect"
        assert markers["within"].get("fill") != markers["high_998"].get("fill")

    def test_limit_curves_and_target_line(self) -> None:
        root = parse(funnel_plot("f", "Variasjon", self.points, 0.5))
        assert len(by_class(root, "vern-chart-limit--95")) == 2
        assert len(by_class(root, "vern-chart-limit--998")) == 2
        (target,) = by_class(root, "vern-chart-target")
        assert target.get("y1") == target.get("y2")
        dashes = {e.get("stroke-dasharray") for e in by_class(root, "vern-chart-limit")}
        assert len(dashes) == 2

    def test_upper_998_curve_lies_above_upper_95_at_the_right_edge(self) -> None:
        root = parse(funnel_plot("f", "Variasjon", self.points, 0.5))

        def last_y(css: str) -> list[float]:
            return [float((e.get("d") or "").split()[-1]) for e in by_class(root, css)]

        lower_95, upper_95 = last_y("vern-chart-limit--95")
        lower_998, upper_998 = last_y("vern-chart-limit--998")
        # SVG y grows downwards.
        assert upper_998 < upper_95 < lower_95 < lower_998

    def test_legend_and_labels(self) -> None:
        root = parse(funnel_plot("f", "Variasjon", self.points, 0.5))
        all_text = texts(root)
        assert "Referanse 50,0\u00a0%" in all_text
        assert "95 %-grense" in all_text
        assert "99,8 %-grense" in all_text
        assert "Utenfor 99,8 %" in all_text
        assert {"Innenfor", "Høy 95", "Lav 99,8"} <= {e.text for e in by_class(root, "vern-chart-label")}

    def test_marker_titles_name_the_unit_and_its_numbers(self) -> None:
        svg = funnel_plot("f", "Variasjon", [FunnelPoint("Bydel Nord", 90, 100)], 0.5)
        assert "Bydel Nord: 90,0\u00a0% (90 av 100), over 99,8 %-grensen" in svg

    def test_many_units_label_only_the_flagged(self) -> None:
        points = [FunnelPoint(f"E{i}", 50, 100) for i in range(20)] + [FunnelPoint("Ute", 95, 100)]
        root = parse(funnel_plot("f", "Variasjon", points, 0.5))
        assert [e.text for e in by_class(root, "vern-chart-label")] == ["Ute"]

    def test_no_points(self) -> None:
        root = parse(funnel_plot("f", "Variasjon", [], 0.0))
        assert not by_class(root, "vern-chart-point")


def label_boxes(root: ET.Element) -> list[tuple[str, _Box]]:
    return [
        (
            e.text or "",
            label_box(
                float(e.get("x") or 0), float(e.get("y") or 0), e.text or "", e.get("text-anchor") or ""
            ),
        )
        for e in by_class(root, "vern-chart-label")
    ]


def marker_centres(root: ET.Element) -> list[tuple[float, float]]:
    centres = []
    for e in by_class(root, "vern-chart-point"):
        if e.tag == f"{SVG}circle":
            centres.append((float(e.get("cx") or 0), float(e.get("cy") or 0)))
        elif e.tag == f"{SVG}rect":
            centres.append((float(e.get("x") or 0) + 4.5, float(e.get("y") or 0) + 4.5))
        else:
            corners = [tuple(map(float, c.split(","))) for c in (e.get("points") or "").split()]
            centres.append((sum(c[0] for c in corners) / 3, sum(c[1] for c in corners) / 3))
    return centres


class TestFunnelLabels:
    """Every name written beside a marker can be read: none overlaps another or a marker, and all
    stay inside the chart (they overlapped in a row across the Oslo districts' plot)."""

    def crowded(self) -> list[FunnelPoint]:
        # 40 units of nearly the same size and rate, a third of them far outside the limits.
        return [
            FunnelPoint(
                f"Barneverntjenesten i bydel Enhet-{i}", (620 if i % 3 == 0 else 445) + i, 10_000 + 37 * i
            )
            for i in range(40)
        ]

    @pytest.mark.parametrize("count", [3, 8, 15, 40])
    def test_labels_never_overlap_each_other_or_a_marker(self, count: int) -> None:
        root = parse(funnel_plot("f", "Variasjon", self.crowded()[:count], 0.045))
        boxes = label_boxes(root)
        assert boxes
        for i, (text, box) in enumerate(boxes):
            for other, other_box in boxes[i + 1 :]:
                assert not box.overlaps(other_box), (text, other)
            for x, y in marker_centres(root):
                assert not box.overlaps(_Box(x - 4, y - 4, x + 4, y + 4)), (text, x, y)
            assert box.inside(_Box(0, 0, 640, float(root.get("viewBox", "0 0 0 0").split()[3]))), text

    def test_units_outside_the_limits_are_named_first(self) -> None:
        points = self.crowded()
        target = 0.045
        root = parse(funnel_plot("f", "Variasjon", points, target))
        named = {text for text, _ in label_boxes(root)}
        outside = {
            p.label.removeprefix("Barneverntjenesten i bydel ")
            for p in points
            if flag(p.numerator, p.denominator, target) is not Flag.WITHIN
        }
        assert named <= outside
        assert len(named) >= len(outside) * 0.8  # nearly all fit; the rest are in the table

    def test_labels_leave_out_the_words_every_unit_shares(self) -> None:
        points = [
            FunnelPoint("Barneverntjenesten i bydel Alna", 90, 100),
            FunnelPoint("Barneverntjenesten i bydel Bjerke", 10, 100),
        ]
        root = parse(funnel_plot("f", "Variasjon", points, 0.5))
        assert sorted(text for text, _ in label_boxes(root)) == ["Alna", "Bjerke"]
        # The marker's title keeps the whole name.
        assert "Barneverntjenesten i bydel Alna: 90,0" in ET.tostring(root, encoding="unicode")

    def test_one_shared_word_is_kept(self) -> None:
        points = [FunnelPoint("Bydel Nord", 90, 100), FunnelPoint("Bydel Sør", 10, 100)]
        root = parse(funnel_plot("f", "Variasjon", points, 0.5))
        assert sorted(text for text, _ in label_boxes(root)) == ["Bydel Nord", "Bydel Sør"]


class TestFunnelUnit:
    """The y axis is in the unit of the table beside it: per 1,000 for rates, percent for shares."""

    points = (FunnelPoint("A", 433, 11_000), FunnelPoint("B", 362, 7_000), FunnelPoint("C", 477, 12_500))

    def axis(self, root: ET.Element) -> list[tuple[float, str]]:
        (axis,) = by_class(root, "vern-chart-axis--y")
        return [(float(t.get("y") or 0) - 4, t.text or "") for t in axis.iter(f"{SVG}text")]

    def value_at(self, root: ET.Element, y: float) -> float:
        ticks = [
            (ty, float(text.replace(NBSP, "").replace(",", ".").removesuffix("%")))
            for ty, text in self.axis(root)
        ]
        (y0, v0), (y1, v1) = ticks[0], ticks[-1]
        return v0 + (y - y0) * (v1 - v0) / (y1 - y0)

    def test_rates_per_thousand_are_drawn_per_thousand(self) -> None:
        target = sum(p.numerator for p in self.points) / sum(p.denominator for p in self.points)
        root = parse(funnel_plot("f", "Meldinger", self.points, target, per_thousand=True))
        assert not any("%" in text for _, text in self.axis(root))
        for point, (_, y) in zip(self.points, marker_centres(root), strict=True):
            assert self.value_at(root, y) == pytest.approx(
                point.numerator / point.denominator * 1000, abs=0.2
            )
        svg = ET.tostring(root, encoding="unicode")
        assert f"A: 39,4 per 1{NBSP}000 (433 av 11{NBSP}000)" in svg
        assert f"Referanse {format_number(target * 1000)} per 1{NBSP}000" in texts(root)

    def test_shares_are_drawn_in_percent(self) -> None:
        root = parse(funnel_plot("f", "Andel", self.points, 0.04))
        assert all(text.endswith("%") for _, text in self.axis(root))
        for point, (_, y) in zip(self.points, marker_centres(root), strict=True):
            assert self.value_at(root, y) == pytest.approx(
                point.numerator / point.denominator * 100, abs=0.02
            )

    def test_the_axis_spans_the_units_not_from_zero(self) -> None:
        # Units between 3.8 % and 5.2 %: an axis from 0 would squeeze them into a fifth of the height.
        root = parse(funnel_plot("f", "Andel", self.points, 0.044, per_thousand=True))
        lowest = min(float(text.replace(NBSP, "")) for _, text in self.axis(root))
        assert 0 < lowest <= 38.2
