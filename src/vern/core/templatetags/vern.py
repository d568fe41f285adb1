"""Template helpers: Designsystemet widgets, code labels, dates."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms, template
from django.utils.safestring import SafeString

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
