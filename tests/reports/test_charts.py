"""Inline SVG charts: well-formed, labelled for screen readers, escaped, and drawing what they are given."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest
from hypothesis import given
from hypothesis import strategies as st

from vern.reports.charts import bar_chart, funnel_plot, line_chart
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
        colours = {
            e.get(attr) or ""
            for e in root.iter()
            for attr in ("fill", "stroke")
            if (e.get(attr) or "").startswith("#")
        } - {gridlines}
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
