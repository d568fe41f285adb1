"""The rows of a deadline table, rendered in Python (as Django's admin renders its change lists).

A large unit's overview lists hundreds of rows; through the template language each cost more than
computing it. The table around them stays in ``worklists/_deadline_table.html``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any
from urllib.parse import quote

from django import template
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from vern.core.templatetags.vern import day
from vern.worklists.selectors import DeadlineRow

register = template.Library()

_NONE = "—"


def _reason(row: DeadlineRow, labels: Mapping[str, Any], back: str) -> SafeString:
    if row.breach_reason:
        return format_html("{}", labels.get(row.breach_reason, ""))
    if row.needs_reason:
        url = reverse("worklists:breach_reason", args=[row.kind, row.object_id])
        return format_html('<a class="ds-link" href="{}?next={}">{}</a>', url, back, _("Record reason"))
    return SafeString(_NONE)


def _row(row: DeadlineRow, *, show_caseworker: bool, labels: Mapping[str, Any], back: str) -> SafeString:
    what = format_html("{} ({})", row.label, _("extended")) if row.extended else format_html("{}", row.label)
    caseworker = format_html("<td>{}</td>", row.caseworker or _NONE) if show_caseworker else ""
    return format_html(
        "<tr><td>{}</td>"
        '<td><a class="ds-link" href="{}">{}</a></td>'
        '<td><a class="ds-link" href="{}">{}</a></td>'
        "<td>{}</td>{}<td>{}</td><td>{}</td><td>{}</td></tr>",
        day(row.due),
        row.url,
        what,
        row.case_url,
        row.journal_number,
        row.child_name or _NONE,
        caseworker,
        day(row.start),
        day(row.concluded_on) or _NONE,
        _reason(row, labels, back),
    )


@register.simple_tag(takes_context=True)
def deadline_rows(
    context: template.Context, rows: Iterable[DeadlineRow], show_caseworker: bool = False
) -> str:
    """The table rows for ``rows``, or one row saying there are none."""
    labels: Mapping[str, Any] = context.get("reason_labels") or {}
    request = context.get("request")
    back = quote(request.path, safe="/") if request is not None else ""
    html = format_html_join(
        "\n", "{}", ((_row(r, show_caseworker=show_caseworker, labels=labels, back=back),) for r in rows)
    )
    if html:
        return html
    return format_html('<tr><td colspan="{}">{}</td></tr>', 8 if show_caseworker else 7, _("None."))
