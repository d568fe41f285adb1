"""The measures' pages speak in words: visit compliance never counts more visits done than owed, and
plans, measures and consents are named, not numbered."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.urls import reverse

from tests.conftest import ReportFactory, child_facts, logged_in
from tests.measures.conftest import CARE_ORDER, decide
from vern.core.breaches import BreachFacts
from vern.core.dates import today
from vern.core.models import User
from vern.measures.models import Measure
from vern.measures.services import (
    consent_record,
    measure_start,
    plan_make,
    supervision_arrange,
    visit_record,
)

pytestmark = pytest.mark.django_db
LATE = BreachFacts("capacity")


def foster_home(
    make_report: ReportFactory, caseworker: User, *, days_ago: int, visits: int, born: int = 2014
) -> Measure:
    """A child placed in a foster home ``days_ago`` days ago, with ``visits`` follow-up visits since."""
    child = child_facts(birth=date(born, 6, 1))
    case = make_report(received_on=today() - timedelta(days=400), child=child).case
    decision = decide(case, caseworker, CARE_ORDER, days_ago=days_ago + 5)
    measure = measure_start(
        decision=decision, by=caseworker, category="2.2", start_on=today() - timedelta(days=days_ago)
    )
    for n in range(visits):
        visit_record(
            measure=measure,
            by=caseworker,
            kind="follow_up",
            visited_on=today() - timedelta(days=1 + n * 50),
            breach=LATE,  # the reason, where a visit came after its due date
        )
    return measure


def test_unit_compliance_counts_no_more_visits_done_than_owed(
    make_report: ReportFactory, caseworker: User, leader: User
) -> None:
    # 300 days placed owes 3 visits (one per whole 3 months): 5 done is 3 of 3, not 5 of 3.
    foster_home(make_report, caseworker, days_ago=300, visits=5)
    # Placed a month ago: owes nothing yet, so its early visit makes up for nobody else's.
    foster_home(make_report, caseworker, days_ago=30, visits=1, born=2015)
    # Behind: 1 of 3.
    foster_home(make_report, caseworker, days_ago=300, visits=1, born=2016)

    page = logged_in(leader).get(reverse("measures:compliance")).content.decode()

    # Follow-up visits over the last 12 months; the children who owe none yet are not counted either way.
    assert "4 av 6 utført; 1 av 2 barn har fått alle besøkene" in page
    assert "7 av 6" not in page
    assert "<td>3/3</td>" in page  # per child too: the two visits beyond those owed are not counted


def test_measure_page_counts_no_more_visits_done_than_owed(
    make_report: ReportFactory, caseworker: User
) -> None:
    measure = foster_home(make_report, caseworker, days_ago=300, visits=5)
    page = logged_in(caseworker).get(reverse("measures:detail", args=[measure.pk])).content.decode()
    assert "3 av 3 utført" in page
    assert "5 av 3" not in page


def test_measure_and_plan_are_named_in_words(make_report: ReportFactory, caseworker: User) -> None:
    measure = foster_home(make_report, caseworker, days_ago=300, visits=0)
    consent_record(measure=measure, by=caseworker, party=None, given_on=measure.start_on)
    supervision_arrange(measure=measure, by=caseworker, municipality_number="4601", start_on=measure.start_on)
    plan = plan_make(
        case=measure.case, by=caseworker, plan_type="4", start_on=measure.start_on, summary="Omsorgsplan."
    )
    client = logged_in(caseworker)

    case_page = client.get(reverse("cases:detail", args=[measure.case_id])).content.decode()
    assert "Fosterhjem utenfor familie og nære nettverk fra" in case_page
    assert "Omsorgsplan (§ 8-3) fra" in case_page
    assert "Plantype" not in case_page
    assert "2.2 fra" not in case_page

    measure_page = client.get(reverse("measures:detail", args=[measure.pk])).content.decode()
    assert "<h1 " in measure_page
    assert "Fosterhjem utenfor familie og nære nettverk – " in measure_page
    # The consent to withdraw is offered by whom and when, not as "2534: child".
    assert f"barnet / ungdommen, gitt {measure.start_on:%d.%m.%Y}</option>" in measure_page
    assert f"{measure.pk}: child" not in measure_page
    assert f"Fra {measure.start_on:%d.%m.%Y}: Bergen kommune" in measure_page

    plan_page = client.get(reverse("measures:plan", args=[plan.pk])).content.decode()
    assert "Omsorgsplan (§ 8-3) – " in plan_page
