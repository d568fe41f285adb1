"""Template helpers: Designsystemet widgets, code labels, dates and numbers (built in: no ``{% load %}``)."""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any

from django import forms, template
from django.core.paginator import Page
from django.forms.boundfield import BoundWidget
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from vern.core import codes, numbers
from vern.core.numbers import Number

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


_scroll_ids = itertools.count(1)
_SVG_TITLE = re.compile(r'<svg[^>]*>\s*<title id="([^"]+)"')


class ScrollNode(template.Node):
    def __init__(self, nodelist: template.NodeList) -> None:
        self.nodelist = nodelist

    def render(self, context: template.Context) -> str:
        content = str(self.nodelist.render(context))
        if "<caption" in content:
            label = f"vern-scroll-{next(_scroll_ids)}"
            content = content.replace("<caption", f'<caption id="{label}"', 1)
        elif found := _SVG_TITLE.search(content):
            label = found.group(1)
        else:
            raise template.TemplateSyntaxError(
                "{% scroll %} names its box by a table's <caption> or a chart's <title id>: there is neither"
            )
        return (
            f'<div class="vern-scroll ds-focus" role="region" tabindex="0" aria-labelledby="{label}">'
            f"{content}</div>"
        )


@register.tag
def scroll(parser: template.base.Parser, token: template.base.Token) -> ScrollNode:
    """``{% scroll %}<table>…<caption>…</caption>…</table>{% endscroll %}``, or around a chart's
    ``<svg>``: what is wider than the screen scrolls sideways in its own box, so the page itself
    never does (WCAG 1.4.10).

    The box is a region named by the table's caption (or the chart's title) and reachable by
    keyboard (tabindex 0), so someone without a mouse can scroll it with the arrow keys (WCAG 2.1.1).
    """
    nodelist = parser.parse(("endscroll",))
    parser.delete_first_token()
    return ScrollNode(nodelist)


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


@register.simple_tag
def page_range(page: Page[Any]) -> list[int | None]:
    """The page numbers to offer around ``page``: the first, the last and one either side of the
    current, with ``None`` for each gap ("…"), so a list of 300 pages stays one short row."""
    return [
        n if isinstance(n, int) else None
        for n in page.paginator.get_elided_page_range(page.number, on_each_side=1, on_ends=1)
    ]


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
