"""A report's tables as an Excel workbook (.xlsx), written with openpyxl.

One worksheet per ``Table``: a bold title row, a bold header row with the panes frozen under it, the
rows, and the table's note under the data. Choices:

- Shares (``Percent``) are written as numbers with the format ``0.0%``, amounts (``Money``) with
  ``#,##0.00 "kr"`` and dates as dates with ``dd.mm.yyyy``, so a reader can compute with them; Excel shows
  them with the reader's decimal comma and thousands separator.
- Text is always stored as text, never as a formula, even when it starts with "=", "+", "-" or "@"
  (CSV/formula injection: names and free text come from case data). Control characters Excel cannot
  hold are removed.
- Sheet names follow Excel's rules: at most 31 characters, none of ``[]:*?/\\``, not starting or ending
  with an apostrophe, and unique within the workbook (case-insensitively, as Excel compares them).
- Column widths are fitted to the header and the cells (not the title or the note), at most 60.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import date, datetime

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from vern.reports.tables import Cell as TableCell
from vern.reports.tables import Money, Percent, Table

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

SHEET_NAME_MAX = 31
COLUMN_WIDTH_MAX = 60
PERCENT_FORMAT = "0.0%"
MONEY_FORMAT = '#,##0.00 "kr"'
DATE_FORMAT = "dd.mm.yyyy"
_FORBIDDEN_IN_SHEET_NAME = str.maketrans("", "", "[]:*?/\\")

TITLE_ROW = 1
HEADER_ROW = 2
FIRST_DATA_ROW = 3


def sheet_name(title: str, taken: set[str]) -> str:
    """A valid, unique worksheet name for ``title``; ``taken`` holds the names used so far (lower case)
    and is updated."""
    base = " ".join(_text(title).translate(_FORBIDDEN_IN_SHEET_NAME).split()).strip("'").strip()
    base = base[:SHEET_NAME_MAX].rstrip().rstrip("'") or "Ark"
    name, number = base, 1
    while name.lower() in taken:
        number += 1
        suffix = f" ({number})"
        name = base[: SHEET_NAME_MAX - len(suffix)].rstrip() + suffix
    taken.add(name.lower())
    return name


def _text(value: str) -> str:
    return ILLEGAL_CHARACTERS_RE.sub("", value)


def _put(ws: Worksheet, row: int, column: int, value: TableCell) -> Cell:
    """Write one cell with the number format its type needs; text is forced to stay text."""
    cell = ws.cell(row=row, column=column)
    if not isinstance(cell, Cell):  # a merged cell; this module merges none
        msg = f"cell {row},{column} is merged"
        raise TypeError(msg)
    if value is None:
        return cell
    if isinstance(value, str):
        cell.value = _text(value)
        cell.data_type = "s"  # never a formula, whatever the text starts with
    elif isinstance(value, Percent):
        cell.value = float(value)
        cell.number_format = PERCENT_FORMAT
    elif isinstance(value, Money):
        cell.value = float(value)
        cell.number_format = MONEY_FORMAT
    elif isinstance(value, datetime):
        # Not a Cell type, but a datetime is a date: show the day (Excel cannot hold time zones).
        cell.value = value.replace(tzinfo=None)
        cell.number_format = DATE_FORMAT
    elif isinstance(value, date):
        cell.value = value
        cell.number_format = DATE_FORMAT
    else:
        cell.value = value
    return cell


def _display_width(value: TableCell) -> int:
    """Roughly how many characters Excel needs to show the cell."""
    if value is None:
        return 0
    if isinstance(value, Percent):
        return len(f"{value * 100:.1f} %")
    if isinstance(value, date):
        return len("dd.mm.yyyy")
    if isinstance(value, float):
        return len(f"{value:,.2f}")
    return max((len(line) for line in str(value).splitlines()), default=0)


def _write_table(ws: Worksheet, table: Table) -> None:
    _put(ws, TITLE_ROW, 1, table.title).font = Font(bold=True, size=13)
    for column, heading in enumerate(table.columns, start=1):
        cell = _put(ws, HEADER_ROW, column, heading)
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for row_number, row in enumerate(table.rows, start=FIRST_DATA_ROW):
        for column, value in enumerate(row, start=1):
            cell = _put(ws, row_number, column, value)
            if table.row_headers and column == 1:
                cell.font = Font(bold=True)
    ws.freeze_panes = f"A{FIRST_DATA_ROW}"
    if table.note:
        note_row = FIRST_DATA_ROW + len(table.rows) + 1  # one empty row between the data and the note
        _put(ws, note_row, 1, table.note).font = Font(italic=True)

    widths: dict[int, int] = {}
    for row in (table.columns, *table.rows):
        for column, value in enumerate(row, start=1):
            widths[column] = max(widths.get(column, 0), _display_width(value))
    for column, width in widths.items():
        ws.column_dimensions[get_column_letter(column)].width = min(COLUMN_WIDTH_MAX, max(width, 6) + 2)


def workbook(tables: Sequence[Table], *, title: str) -> bytes:
    """The tables as an .xlsx file: one worksheet each, in order; the workbook's title property is
    ``title``. With no tables, one sheet says so (a workbook must have a sheet)."""
    wb = Workbook()
    wb.remove(wb.worksheets[0])
    wb.properties.title = _text(title)
    wb.properties.creator = "Vern"
    taken: set[str] = set()
    for table in tables:
        _write_table(wb.create_sheet(sheet_name(table.title, taken)), table)
    if not tables:
        ws = wb.create_sheet(sheet_name(title, taken))
        _put(ws, TITLE_ROW, 1, title).font = Font(bold=True, size=13)
        _put(ws, HEADER_ROW, 1, "Ingen tabeller.")
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
