"""Cells of report tables as the page shows them: "61,4 %", "1 328", "6,5", "6 240,00 kr", "–"."""

from __future__ import annotations

from datetime import date

from django import template
from django.utils.safestring import SafeString, mark_safe

from vern.core.numbers import DASH, format_number, money
from vern.reports.tables import Cell, Money, Percent

register = template.Library()


@register.filter
def cell(value: Cell) -> str:
    if isinstance(value, Percent):
        return format_number(float(value), percent=True)
    if isinstance(value, Money):
        return money(float(value))
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int | float):
        return format_number(value)
    if isinstance(value, date):
        return f"{value:%d.%m.%Y}"
    return DASH if value is None else str(value)


@register.filter
def svg(markup: str) -> SafeString:
    """A chart from ``vern.reports.charts``, whose every text is escaped when it is made."""
    return mark_safe(markup)  # noqa: S308
