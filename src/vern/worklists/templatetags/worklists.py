"""The rows of a deadline table, rendered in Python (as Django's admin renders its change lists).

A large unit's overview lists hundreds of rows; through the template language each cost more than
computing it. The table around them stays in ``worklists/_deadline_table.html``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence, Set
from typing import Any
from urllib.parse import quote

from django import template
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from vern.cases.selectors import writable_cases
from vern.core.forms import REASON_LABELS
from vern.core.models import User
from vern.core.templatetags.vern import day
from vern.worklists.selectors import DeadlineRow

register = template.Library()

_NONE = "—"


def _reason(row: DeadlineRow, labels: Mapping[str, Any], back: str, writable: Set[int]) -> str:
    if row.breach_reason:
        return escape(labels.get(row.breach_reason, ""))
    if row.needs_reason and row.case_id in writable:
        url = row.reason_url
        url += ("&" if "?" in url else "?") + f"next={back}"
        label = _("Record reason")  # outside the f-string, where makemessages finds it
        return f'<a class="ds-link" href="{escape(url)}">{escape(label)}</a>'
    return _NONE


def _row(
    row: DeadlineRow, *, show_caseworker: bool, labels: Mapping[str, Any], back: str, writable: Set[int]
) -> str:
    """One row; every value escaped (``escape``), as ``format_html`` would, at a fraction of its cost."""
    extended = _("extended")  # outside the f-string, where makemessages finds it
    what = escape(row.label) + (f" ({escape(extended)})" if row.extended else "")
    caseworker = f"<td>{escape(row.caseworker or _NONE)}</td>" if show_caseworker else ""
    return (
        f"<tr><td>{day(row.due)}</td>"
        f'<td><a class="ds-link" href="{escape(row.url)}">{what}</a></td>'
        f'<td><a class="ds-link" href="{escape(row.case_url)}">{escape(row.journal_number)}</a></td>'
        f"<td>{escape(row.child_name or _NONE)}</td>{caseworker}<td>{day(row.start)}</td>"
        f"<td>{day(row.concluded_on) or _NONE}</td><td>{_reason(row, labels, back, writable)}</td></tr>"
    )


def _writable(context: template.Context, rows: Sequence[DeadlineRow]) -> Set[int]:
    """The cases of ``rows`` lacking a reason whose reason the user may record (one query): a
    read-only user is not offered a link that would answer 404."""
    wanting = {row.case_id for row in rows if row.needs_reason}
    request = context.get("request")
    user = getattr(request, "user", None)
    if not wanting or not isinstance(user, User):
        return set()
    return set(writable_cases(user).filter(pk__in=wanting).values_list("pk", flat=True))


@register.simple_tag(takes_context=True)
def deadline_rows(
    context: template.Context, rows: Iterable[DeadlineRow], show_caseworker: bool = False
) -> str:
    """The table rows for ``rows``, or one row saying there are none."""
    labels: Mapping[str, Any] = context.get("reason_labels") or REASON_LABELS
    request = context.get("request")
    back = quote(request.path, safe="/") if request is not None else ""
    listed = list(rows)
    writable = _writable(context, listed)
    html = "\n".join(
        _row(r, show_caseworker=show_caseworker, labels=labels, back=back, writable=writable) for r in listed
    )
    if html:
        return mark_safe(html)  # noqa: S308 - every value in it is escaped by _row
    return format_html('<tr><td colspan="{}">{}</td></tr>', 8 if show_caseworker else 7, _("None."))
