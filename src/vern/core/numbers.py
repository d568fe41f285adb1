"""Numbers as Norwegians write them, one way on every page, in every chart and in every PDF.

- A no-break space (U+00A0) between thousands, so "341 150" never breaks over two lines: ``1 234 567``.
- A decimal comma: ``6,5``.
- Whole numbers (``int``, or a ``Decimal`` with nothing after the point) without decimals; a ``float``
  (an average, a rate) with one decimal unless asked otherwise.
- Money with two decimals and "kr": ``341 150,00 kr``.
- Shares (0–1) as percentages with one decimal and a no-break space before the sign: ``12,3 %``.
- A missing value is an en dash, "–".

Django's own localisation could group thousands too (``USE_THOUSAND_SEPARATOR``), but it groups every
number a template prints, years and ids in links included ("2 026", "/saker/1 315/"); so it stays off
and the templates say which values are amounts (the ``number``, ``money`` and ``share`` filters in
``vern.core.templatetags.vern``). No Django import: charts and documents use this module directly.
"""

from __future__ import annotations

from decimal import Decimal

NBSP = "\u00a0"
DASH = "–"  # en dash, for a missing value

Number = int | float | Decimal


def format_number(value: Number | None, *, percent: bool = False, decimals: int | None = None) -> str:
    """``1234567`` → "1 234 567", ``3.25`` → "3,3", ``Decimal("8.0")`` → "8", ``Decimal("7.50")`` →
    "7,5", ``0.614`` with ``percent=True`` → "61,4 %"; ``None`` → "–"."""
    if value is None:
        return DASH
    if percent:
        return f"{_digits(value * 100, 1 if decimals is None else decimals)}{NBSP}%"
    if decimals is None:
        decimals = _natural_decimals(value)
    return _digits(value, decimals)


def money(value: Number | None) -> str:
    """An amount in kroner: ``341150`` → "341 150,00 kr"."""
    return DASH if value is None else f"{_digits(value, 2)}{NBSP}kr"


def share(value: Number | None, *, decimals: int = 1) -> str:
    """A share from 0 to 1 as a percentage: ``0.123`` → "12,3 %"."""
    return format_number(value, percent=True, decimals=decimals)


def unformatted(value: Number) -> str:
    """For a file a program reads (a semicolon CSV opened in a Norwegian spreadsheet): the decimal
    comma, but no thousands separator, which would make the cell text. ``Decimal("6240.00")`` →
    "6240,00"."""
    if isinstance(value, Decimal):
        exponent = value.as_tuple().exponent
        decimals = max(-exponent, 0) if isinstance(exponent, int) else 0
    else:
        decimals = _natural_decimals(value)
    return _digits(value, decimals, grouped=False)


def _natural_decimals(value: Number) -> int:
    if isinstance(value, int):
        return 0
    if isinstance(value, Decimal):
        if value == value.to_integral_value():
            return 0
        exponent = value.normalize().as_tuple().exponent
        return -exponent if isinstance(exponent, int) else 0
    return 1


def _digits(value: Number, decimals: int, *, grouped: bool = True) -> str:
    text = f"{value:{',' if grouped else ''}.{decimals}f}"
    if text.startswith("-") and not any(c in "123456789" for c in text):
        text = text[1:]  # no "-0,0"
    return text.translate({ord(","): NBSP, ord("."): ","})
