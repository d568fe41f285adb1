"""Occupancy per measure: what was used, and the forecast from running assignments and offers."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from tests.conftest import ReportFactory, child_facts, logged_in
from vern.cases.models import Case
from vern.core.dates import today
from vern.core.models import User
from vern.referrals import occupancy, services
from vern.referrals.models import Assignment, CatalogueEntry

pytestmark = pytest.mark.django_db


def test_used_places_forecast_and_declines(
    *, teen_case: Case, mst: CatalogueEntry, caseworker: User, agency_intake: User, make_report: ReportFactory
) -> None:
    first_of_month = date(today().year, today().month, 1)
    last_month_start = (first_of_month - timedelta(days=1)).replace(day=1)
    running = services.referral_order(case=teen_case, entry=mst, by=caseworker, need="A.", contact="K")
    services.referral_offer(referral=running, by=agency_intake, start_on=today())
    a = services.assignment_start(
        referral=running, by=agency_intake, start_meeting_on=today(), starts_on=today(), ends_on=today(),
        evaluation_on=today(),
    )  # fmt: skip
    # Placed from the first of last month, agreed to run for a year.
    Assignment.objects.filter(pk=a.pk).update(
        starts_on=last_month_start,
        evaluation_on=last_month_start,
        ends_on=last_month_start + timedelta(days=365),
    )
    other = make_report(
        child=child_facts(birth=date(2012, 5, 5)), received_on=today() - timedelta(days=30)
    ).case
    offered = services.referral_order(case=other, entry=mst, by=caseworker, need="B.", contact="K")
    next_month = (first_of_month + timedelta(days=32)).replace(day=1)
    services.referral_offer(referral=offered, by=agency_intake, start_on=next_month)
    third = make_report(
        child=child_facts(birth=date(2010, 5, 5)), received_on=today() - timedelta(days=30)
    ).case
    declined = services.referral_order(case=third, entry=mst, by=caseworker, need="C.", contact="K")
    services.referral_decline(referral=declined, by=agency_intake, reason="capacity")

    [row] = occupancy.dashboard(mst.provider_id)
    by_month = {r[0]: r for r in row.table.rows}
    last = by_month[f"{last_month_start:%m.%Y}"]
    assert (last[1], float(last[2])) == (1.0, 0.5)
    assert by_month[f"{first_of_month:%m.%Y}"][3] == 1  # declined for lack of capacity this month
    ahead = next(r for r in row.table.rows if str(r[0]).startswith(f"{next_month:%m.%Y}"))
    # The running placement and the offer starting then: both places in use.
    assert (ahead[1], float(ahead[2])) == (2.0, 1.0)
    assert "<svg" in row.chart


def test_the_page_is_for_the_provider_only(
    caseworker: User, agency_intake: User, mst: CatalogueEntry
) -> None:
    assert logged_in(agency_intake).get("/tilbyder/belegg/").status_code == 200
    assert logged_in(caseworker).get("/tilbyder/belegg/").status_code == 404
    assert (
        logged_in(agency_intake)
        .get("/tilbyder/belegg/?format=xlsx")["Content-Type"]
        .startswith("application/vnd")
    )
