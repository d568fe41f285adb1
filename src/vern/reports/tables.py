"""A report's tables as plain data: what the page, the Excel download and the PDF all show.

No Django import: the same ``Table`` is rendered by templates, written by ``vern.reports.excel`` and
serialised to JSON.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


class Percent(float):
    """A share (0–1) shown as a percentage: ``0.614`` is "61,4 %" on the page and in Excel."""


class Money(float):
    """An amount in kroner: "6 240,00 kr" on the page, a number with two decimals in Excel."""


Cell = str | int | float | Percent | Money | date | None


@dataclass(frozen=True)
class Table:
    """A titled table: column headings and rows of cells (``None`` is an empty cell, "—")."""

    key: str  # a short machine name, used for sheet and file names
    title: str
    columns: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...]
    # Shown under the table (e.g. the indicator's definition).
    note: str = ""
    # Rows whose first cell is a heading of the row (th scope="row").
    row_headers: bool = True
