"""The deadline table's rows, rendered in Python, escape what they show as the template language would."""

from __future__ import annotations

from datetime import date

import pytest
from django.contrib.auth.models import AnonymousUser
from django.template import Context, Template
from django.test import RequestFactory
from django.urls import reverse

from tests.conftest import ReportFactory
from vern.core.models import User
from vern.rules import deadlines
from vern.worklists.selectors import FOLLOW_UP_VISIT, INVESTIGATION, REVIEW, DeadlineRow


def _row(**changes: object) -> DeadlineRow:
    values: dict[str, object] = {
        "kind": REVIEW,
        "object_id": 7,
        "case_id": 3,
        "journal_number": "2026-0001",
        "child_name": "Ola Nordmann",
        "caseworker": "Kari Saksbehandler",
        "start": date(2026, 11, 2),
        "due": date(2026, 11, 9),
        "concluded_on": None,
        "status": deadlines.DeadlineStatus.OVERDUE,
        "breach_reason": None,
    }
    values.update(changes)
    return DeadlineRow(**values)  # type: ignore[arg-type]


def _render(rows: list[DeadlineRow], *, show_caseworker: bool = False, user: User | None = None) -> str:
    template = Template("{% load worklists %}{% deadline_rows rows show_caseworker %}")
    request = RequestFactory().get("/frister/")
    request.user = user or AnonymousUser()
    context = {
        "rows": rows,
        "show_caseworker": show_caseworker,
        "request": request,
        "reason_labels": {"other": "Annet <x>"},
    }
    return template.render(Context(context))


@pytest.mark.django_db
def test_values_are_escaped_and_dates_written_as_in_norway(
    make_report: ReportFactory, caseworker: User
) -> None:
    case_id = make_report().case_id
    row = _row(child_name="<script>alert(1)</script>", journal_number="J&1", case_id=case_id)
    html = _render([row], show_caseworker=True, user=caseworker)
    assert "<script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert ">J&amp;1</a>" in html
    assert "<td>09.11.2026</td>" in html
    assert "<td>Kari Saksbehandler</td>" in html
    # Overdue with no reason: a link to record one, back to this page.
    assert f'href="{reverse("worklists:breach_reason", args=[REVIEW, 7])}?next=/frister/"' in html


@pytest.mark.django_db
def test_the_link_to_record_a_reason_is_for_those_who_may_record_it(
    make_report: ReportFactory, caseworker: User, leader: User, auditor: User
) -> None:
    case_id = make_report().case_id
    rows = [_row(case_id=case_id), _row(kind=FOLLOW_UP_VISIT, object_id=8, case_id=case_id)]
    link = reverse("worklists:breach_reason", args=[FOLLOW_UP_VISIT, 8])
    for user in (caseworker, leader):
        html = _render(rows, user=user)
        assert html.count("Registrer årsak") == 2
        # A periodic clock's link names the interval it missed.
        assert f'href="{link}?fra=2026-11-02&amp;next=/frister/"' in html
    for reader in (auditor, None):
        assert "Registrer årsak" not in _render(rows, user=reader)


@pytest.mark.django_db
def test_reasons_extension_and_empty_tables() -> None:
    html = _render([_row(kind=INVESTIGATION, breach_reason="other", extended=True)])
    assert "Annet &lt;x&gt;" in html
    assert "<td>Kari Saksbehandler</td>" not in html
    assert "(utvidet)" in html or "(extended)" in html
    assert _render([]).count('<td colspan="7">') == 1
    assert _render([], show_caseworker=True).count('<td colspan="8">') == 1
