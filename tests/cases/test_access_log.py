"""The access log (cases.views.access_log): every access in Norwegian sentences, from the event types,
with dates as 01.02.2026, no codes or keys, and links a leader can open."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils.html import strip_tags

from tests.conftest import ReportFactory, child_facts, logged_in, make_user
from tests.referrals.conftest import MST
from vern.cases.models import Case
from vern.chronology import access_log
from vern.core.audit_events import AuditEvent
from vern.core.dates import local_date, today
from vern.core.models import AuditEntry, Municipality, Role, Unit, User
from vern.decisions.services import decision_make
from vern.measures.models import Measure
from vern.measures.services import measure_start
from vern.referrals import services as referrals
from vern.referrals.models import CatalogueEntry, Referral
from vern.rules.legal_basis import Law, LegalBases, LegalBasis

pytestmark = pytest.mark.django_db


@dataclass(frozen=True)
class Story:
    case: Case
    received: date
    decided: date
    measure: Measure
    referral: Referral


def _day(value: date) -> str:
    return f"{value:%d.%m.%Y}"


@pytest.fixture
def story(make_report: ReportFactory, caseworker: User, municipality: Municipality) -> Story:
    """A case with a report, a decision, the measure MST and a referral the agency called back on."""
    received = today() - timedelta(days=40)
    report = make_report(received_on=received, child=child_facts(birth=date(2011, 2, 3), first="Jonas"))
    case = report.case
    decided = today() - timedelta(days=30)
    bases = LegalBases(LegalBasis(Law.BVL2021, "3", "1"))
    decision = decision_make(case=case, by=caseworker, bases=bases, decided_on=decided, summary="Vedtak.")
    measure = measure_start(decision=decision, by=caseworker, category="3.1", start_on=decided)
    agency = Unit.objects.create(
        name="Barne- og familieetaten", kind=Unit.Kind.PROVIDER, host_municipality=municipality
    )
    entry = CatalogueEntry.objects.create(provider=agency, **MST)
    referral = referrals.referral_order(case=case, entry=entry, by=caseworker, need="Hjelp.", contact="Kari")
    agency_intake = make_user("etatsmottak", agency, Role.INTAKE)
    referrals.referral_call_back(referral=referral, by=agency_intake, called_on=today())
    logged_in(caseworker).get(f"/saker/{case.pk}/")
    return Story(case, received, decided, measure, referral)


def _rows(content: str) -> list[str]:
    """The log's rows as a reader sees them: "when | what happened"."""
    body = re.search(r"<tbody>(.*?)</tbody>", content, re.S)
    assert body is not None
    rows = re.findall(r"<tr>(.*?)</tr>", body.group(1), re.S)
    cells = [re.findall(r"<td[^>]*>(.*?)</td>", row, re.S) for row in rows]
    return [" | ".join(" ".join(html.unescape(strip_tags(c)).split()) for c in row) for row in cells]


def _log(case: Case, leader: User) -> str:
    response = logged_in(leader).get(f"/saker/{case.pk}/tilgangslogg/")
    assert response.status_code == 200
    return response.content.decode()


def test_each_access_reads_as_a_norwegian_sentence(story: Story, leader: User) -> None:
    sentences = [row.split(" | ", 1)[1] for row in _rows(_log(story.case, leader))]
    assert sentences == [
        "Leder Test åpnet tilgangsloggen for saken",
        "Kari Test åpnet saken",
        "Etatsmottak Test oppdaterte henvisningen til MST-team Øst: ringt tilbake",
        "Kari Test oppdaterte henvisningen til MST-team Øst: bestilt",
        f"Kari Test registrerte tiltaket «MST (Multisystemisk terapi)» fra {_day(story.decided)}",
        f"Kari Test fattet vedtaket av {_day(story.decided)}",
        f"Kari Test registrerte meldingen mottatt {_day(story.received)}",
        "Kari Test opprettet saken",
    ]


def test_no_codes_or_keys_are_shown(story: Story, leader: User) -> None:
    text = " ".join(_rows(_log(story.case, leader)))
    # The old log showed "measure 2533 started" and "henvisning 28: called_back".
    for raw in ("measure", "henvisning ", "called_back", "None", "3.1", *AuditEvent.values):
        assert raw not in text
    assert not re.search(rf"\b({story.measure.pk}|{story.referral.pk})\b", text.replace(_day(today()), ""))


def test_every_time_is_a_norwegian_date_and_time(story: Story, leader: User) -> None:
    times = [row.split(" | ", 1)[0] for row in _rows(_log(story.case, leader))]
    assert all(re.fullmatch(r"\d\d\.\d\d\.\d{4} \d\d:\d\d", t) for t in times), times
    first = AuditEntry.objects.filter(case_id=story.case.pk).earliest("at", "pk")
    assert times[-1].startswith(_day(local_date(first.at)))


def test_links_lead_to_the_items_and_the_leader_may_open_them(story: Story, leader: User) -> None:
    content = _log(story.case, leader)
    body = content.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    links = set(re.findall(r'href="([^"]+)"', body))
    assert links == {
        f"/tiltak/{story.measure.pk}/",
        f"/vedtak/{story.measure.decision_id}/",
        f"/henvisninger/{story.referral.pk}/",
        f"/meldinger/{story.case.reports.get().pk}/",
    }
    client = logged_in(leader)
    assert all(client.get(link).status_code == 200 for link in links)


def test_a_row_from_before_event_types_shows_what_it_said(story: Story, leader: User) -> None:
    AuditEntry.objects.create(
        user=leader, case_id=story.case.pk, action="view", event="legacy", legacy_what="journal 12 opened"
    )
    sentences = [row.split(" | ", 1)[1] for row in _rows(_log(story.case, leader))]
    assert "Leder Test: journal 12 opened" in sentences


def test_one_query_per_kind_of_object_however_many_rows(story: Story, leader: User) -> None:
    # chronology.access_log (ADR 0013): the objects of a page are read once per kind.
    def queries() -> int:
        entries = list(AuditEntry.objects.filter(case_id=story.case.pk).select_related("user"))
        with CaptureQueriesContext(connection) as captured:
            access_log.lines(entries)
        return len(captured)

    before = queries()
    client = logged_in(leader)
    for _ in range(5):
        client.get(f"/tiltak/{story.measure.pk}/")
        client.get(f"/henvisninger/{story.referral.pk}/")
    assert queries() == before
