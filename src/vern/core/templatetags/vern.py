"""Template helpers: Designsystemet widgets, code labels, dates."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms, template
from django.forms.boundfield import BoundWidget
from django.utils.safestring import SafeString

register = template.Library()


def _state(field: forms.BoundField) -> dict[str, str]:
    """The ARIA state of a control: invalid and described by its error, or described by its help."""
    if field.errors:
        return {"aria-invalid": "true", "aria-describedby": f"{field.auto_id}_error"}
    if field.help_text:
        return {"aria-describedby": f"{field.auto_id}_helptext"}
    return {}


@register.simple_tag
def ds_widget(field: forms.BoundField) -> SafeString:
    """The field's widget with Designsystemet's class and the ARIA state of its errors."""
    return field.as_widget(attrs={"class": "ds-input", **_state(field)})


@register.simple_tag
def ds_choices(field: forms.BoundField) -> list[BoundWidget]:
    """A radio or checkbox group's options, each input with Designsystemet's class.

    The group's help and error describe the ``<fieldset>``; each input carries only the invalid state.
    """
    attrs: dict[str, str | bool] = {"class": "ds-input"}
    if field.auto_id:
        attrs["id"] = field.auto_id
    if field.errors:
        attrs["aria-invalid"] = "true"
    widget = field.field.widget
    attrs = field.build_widget_attrs(attrs, widget)
    return [
        BoundWidget(widget, option, field.form.renderer)
        for option in widget.subwidgets(field.html_name, field.value(), attrs=attrs)
    ]


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
