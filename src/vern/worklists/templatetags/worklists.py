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
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from vern.core.templatetags.vern import day
from vern.worklists.selectors import DeadlineRow

register = template.Library()

_NONE = "—"


def _reason(row: DeadlineRow, labels: Mapping[str, Any], back: str) -> str:
    if row.breach_reason:
        return escape(labels.get(row.breach_reason, ""))
    if row.needs_reason:
        url = reverse("worklists:breach_reason", args=[row.kind, row.object_id])
        label = _("Record reason")  # outside the f-string, where makemessages finds it
        return f'<a class="ds-link" href="{escape(url)}?next={escape(back)}">{escape(label)}</a>'
    return _NONE


def _row(row: DeadlineRow, *, show_caseworker: bool, labels: Mapping[str, Any], back: str) -> str:
    """One row; every value escaped (``escape``), as ``format_html`` would, at a fraction of its cost."""
    extended = _("extended")  # outside the f-string, where makemessages finds it
    what = escape(row.label) + (f" ({escape(extended)})" if row.extended else "")
    caseworker = f"<td>{escape(row.caseworker or _NONE)}</td>" if show_caseworker else ""
    return (
        f"<tr><td>{day(row.due)}</td>"
        f'<td><a class="ds-link" href="{escape(row.url)}">{what}</a></td>'
        f'<td><a class="ds-link" href="{escape(row.case_url)}">{escape(row.journal_number)}</a></td>'
        f"<td>{escape(row.child_name or _NONE)}</td>{caseworker}<td>{day(row.start)}</td>"
        f"<td>{day(row.concluded_on) or _NONE}</td><td>{_reason(row, labels, back)}</td></tr>"
    )


@register.simple_tag(takes_context=True)
def deadline_rows(
    context: template.Context, rows: Iterable[DeadlineRow], show_caseworker: bool = False
) -> str:
    """The table rows for ``rows``, or one row saying there are none."""
    labels: Mapping[str, Any] = context.get("reason_labels") or {}
    request = context.get("request")
    back = quote(request.path, safe="/") if request is not None else ""
    html = "\n".join(_row(r, show_caseworker=show_caseworker, labels=labels, back=back) for r in rows)
    if html:
        return mark_safe(html)  # noqa: S308 - every value in it is escaped by _row
    return format_html('<tr><td colspan="{}">{}</td></tr>', 8 if show_caseworker else 7, _("None."))
