"""Template helpers: Designsystemet widgets, code labels, dates and numbers (built in: no ``{% load %}``)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any

from django import forms, template
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from vern.core import codes, numbers
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


@register.filter
def code(value: str | None, list_name: str) -> str:
    """A register code in words: ``{{ plan.plan_type|code:"plan_type" }}`` → "Omsorgsplan (§ 8-3)".

    ``list_name`` is a constant of ``vern.core.codelists.paths`` in lower case; "" for no code.
    """
    return codes.text(codes.LISTS[list_name], value)


@register.simple_tag
def code_with_label(list_name: str, value: str | None) -> SafeString:
    """The code in words and, where the register words it otherwise, the register's label and code
    under it: what a detail page shows, so the register's own text is never out of reach."""
    path = codes.LISTS[list_name]
    words = codes.text(path, value)
    if not value or words == codes.label(path, value):
        return format_html("{}", words)
    return format_html(
        '{}<br><span class="vern-note">{}: {} ({} {})</span>',
        words,
        _("In the register"),
        codes.label(path, value),
        _("code"),
        value,
    )


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
