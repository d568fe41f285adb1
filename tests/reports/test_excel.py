"""The Excel download: read back with openpyxl, values, formats and sheet names are as the tables say."""

from __future__ import annotations

import dataclasses
import io
from datetime import date, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import load_workbook
from openpyxl.workbook.workbook import Workbook

from vern.reports.excel import XLSX_CONTENT_TYPE, sheet_name, workbook
from vern.reports.tables import Percent, Table

FORBIDDEN = set("[]:*?/\\")


def table(title: str = "Undersøkelser i tide", **changes: object) -> Table:
    base = Table(
        key="investigations",
        title=title,
        columns=("Enhet", "Avsluttet", "Andel i tide", "Sist oppdatert"),
        rows=(
            ("Barnevern Nord", 120, Percent(0.614), date(2025, 3, 31)),
            ("Barnevern Sør", 80, None, None),
        ),
        note="Andel undersøkelser avsluttet innen tre måneder (bvl. § 2-2).",
    )
    return dataclasses.replace(base, **changes)


def read(data: bytes) -> Workbook:
    return load_workbook(io.BytesIO(data))


class TestWorkbook:
    def test_values_are_written_in_order(self) -> None:
        ws = read(workbook([table()], title="Månedsrapport")).worksheets[0]
        rows = list(ws.iter_rows(values_only=True))
        assert rows[0][0] == "Undersøkelser i tide"
        assert rows[1] == ("Enhet", "Avsluttet", "Andel i tide", "Sist oppdatert")
        assert rows[2][:3] == ("Barnevern Nord", 120, 0.614)
        written = rows[2][3]
        assert isinstance(written, datetime)
        assert written.date() == date(2025, 3, 31)
        assert rows[3] == ("Barnevern Sør", 80, None, None)

    def test_percent_and_date_formats(self) -> None:
        ws = read(workbook([table()], title="R")).worksheets[0]
        assert ws["C3"].number_format == "0.0%"
        assert ws["D3"].number_format == "dd.mm.yyyy"
        assert ws["B3"].number_format == "General"
        assert isinstance(ws["C3"].value, float)

    def test_title_and_header_are_bold_and_panes_frozen_under_the_header(self) -> None:
        ws = read(workbook([table()], title="R")).worksheets[0]
        assert ws["A1"].font.b
        assert all(cell.font.b for cell in ws[2])
        assert ws.freeze_panes == "A3"
        assert not ws["B3"].font.b

    def test_note_is_below_the_data(self) -> None:
        ws = read(workbook([table()], title="R")).worksheets[0]
        assert ws["A5"].value is None
        assert ws["A6"].value == "Andel undersøkelser avsluttet innen tre måneder (bvl. § 2-2)."
        assert ws.max_row == 6

    def test_no_note_no_extra_row(self) -> None:
        ws = read(workbook([table(note="")], title="R")).worksheets[0]
        assert ws.max_row == 4

    def test_workbook_title_property(self) -> None:
        assert read(workbook([table()], title="Årsrapport 2025")).properties.title == "Årsrapport 2025"

    def test_one_sheet_per_table(self) -> None:
        wb = read(workbook([table("Meldinger"), table("Tiltak"), table("Ettervern")], title="R"))
        assert wb.sheetnames == ["Meldinger", "Tiltak", "Ettervern"]

    def test_column_widths_fit_content_up_to_sixty(self) -> None:
        long_text = "x" * 200
        ws = read(workbook([table(rows=((long_text, 1, Percent(0.5), None),))], title="R")).worksheets[0]
        assert ws.column_dimensions["A"].width == 60
        assert 10 <= ws.column_dimensions["C"].width < 20  # "Andel i tide"
        assert ws.column_dimensions["B"].width < ws.column_dimensions["C"].width

    def test_text_that_looks_like_a_formula_stays_text(self) -> None:
        rows = (('=HYPERLINK("http://x")', 1, None, None), ("+47 123", 2, None, None))
        ws = read(workbook([table(rows=rows)], title="R")).worksheets[0]
        assert ws["A3"].value == '=HYPERLINK("http://x")'
        assert ws["A3"].data_type == "s"
        assert ws["A4"].data_type == "s"

    def test_control_characters_are_removed(self) -> None:
        ws = read(workbook([table(rows=(("Nord\x00\x07", 1, None, None),))], title="R")).worksheets[0]
        assert ws["A3"].value == "Nord"

    def test_no_tables_still_gives_a_workbook(self) -> None:
        wb = read(workbook([], title="Tom rapport"))
        assert wb.sheetnames == ["Tom rapport"]

    def test_content_type(self) -> None:
        assert XLSX_CONTENT_TYPE == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class TestSheetNames:
    def test_forbidden_characters_are_removed(self) -> None:
        wb = read(workbook([table("Saker: [2025] / år? *ny* \\ alle")], title="R"))
        (name,) = wb.sheetnames
        assert not FORBIDDEN & set(name)
        assert name == "Saker 2025 år ny alle"

    def test_long_titles_are_cut_to_31_characters(self) -> None:
        title = "Andel barn med tiltak som har fått oppfølging innen fristen"
        (name,) = read(workbook([table(title)], title="R")).sheetnames
        assert name == title[:31].rstrip()
        assert len(name) <= 31

    def test_duplicates_are_made_unique(self) -> None:
        title = "Andel barn med tiltak som har fått oppfølging innen fristen"
        names = read(workbook([table(title), table(title), table(title.upper())], title="R")).sheetnames
        assert len({n.lower() for n in names}) == 3
        assert all(len(n) <= 31 for n in names)
        assert names[1].endswith(" (2)")
        assert names[2].endswith(" (3)")

    def test_empty_title_gets_a_name(self) -> None:
        assert read(workbook([table("[]?")], title="R")).sheetnames == ["Ark"]

    @pytest.mark.parametrize(("title", "expected"), [("'Sitat'", "Sitat"), ("  Tiltak  ", "Tiltak")])
    def test_edges_are_trimmed(self, title: str, expected: str) -> None:
        assert sheet_name(title, set()) == expected

    @given(st.lists(st.text(max_size=60), min_size=1, max_size=8))
    def test_any_titles_give_valid_unique_names(self, titles: list[str]) -> None:
        taken: set[str] = set()
        names = [sheet_name(title, taken) for title in titles]
        assert len({n.lower() for n in names}) == len(names)
        for name in names:
            assert 1 <= len(name) <= 31
            assert not FORBIDDEN & set(name)
            assert not name.startswith("'")
            assert not name.endswith("'")

    @given(st.lists(st.text(max_size=40), min_size=1, max_size=4))
    def test_any_titles_are_accepted_by_openpyxl_and_read_back(self, titles: list[str]) -> None:
        taken: set[str] = set()
        expected = [sheet_name(title, taken) for title in titles]
        assert read(workbook([table(title) for title in titles], title="R")).sheetnames == expected
