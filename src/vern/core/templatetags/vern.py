"""Template helpers: Designsystemet widgets, code labels, dates and numbers (built in: no ``{% load %}``)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any

from django import forms, template
from django.utils.safestring import SafeString

from vern.core import numbers
from vern.core.numbers import Number

register = template.Library()


@register.simple_tag
def ds_widget(field: forms.BoundField) -> SafeString:
    """The field's widget with Designsystemet's class and the ARIA state of its errors."""
    attrs: dict[str, Any] = {}
    widget = field.field.widget
    if not isinstance(widget, forms.CheckboxSelectMultiple | forms.RadioSelect):
        attrs["class"] = "ds-input"
    if field.errors:
        attrs["aria-invalid"] = "true"
        attrs["aria-describedby"] = f"{field.auto_id}_error"
    elif field.help_text:
        attrs["aria-describedby"] = f"{field.auto_id}_helptext"
    return field.as_widget(attrs=attrs)


@register.filter
def get_item(mapping: dict[str, Any], key: str) -> Any:
    return mapping.get(key)


@register.filter(expects_localtime=True)
def day(value: date | None) -> str:
    """A day as Norwegians write it (31.12.2026), a moment by its day in Oslo; empty for none.

    The same as ``|date:"d.m.Y"`` without the locale machinery, which costs more than the rest of a
    worklist row.
    """
    if not value:
        return ""
    return f"{value.day:02d}.{value.month:02d}.{value.year:04d}"


def _formatted(value: object, formatter: Callable[[Number | None], str]) -> str:
    """A number (or None) through ``formatter``; anything else as it is, so a filter never fails."""
    if value is None or (isinstance(value, int | float | Decimal) and not isinstance(value, bool)):
        return formatter(value)
    return str(value)


@register.filter
def number(value: object, decimals: int | None = None) -> str:
    """ "1 234", "6,5" (``vern.core.numbers.format_number``); ``|number:2`` for two decimals."""
    return _formatted(value, lambda v: numbers.format_number(v, decimals=decimals))


@register.filter
def money(value: object) -> str:
    """An amount in kroner: "341 150,00 kr"."""
    return _formatted(value, numbers.money)


@register.filter
def share(value: object) -> str:
    """A share from 0 to 1 as a percentage: "12,3 %"."""
    return _formatted(value, numbers.share)
