"""A district service ordering from a central agency: a catalogue entry, the agency's intake, a case."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest

from tests.conftest import ReportFactory, child_facts, make_user
from vern.cases.models import Case
from vern.core.dates import today
from vern.core.models import Municipality, Role, Unit, User
from vern.referrals.models import CatalogueEntry


@pytest.fixture
def agency(municipality: Municipality) -> Unit:
    return Unit.objects.create(
        name="Barne- og familieetaten", kind=Unit.Kind.PROVIDER, host_municipality=municipality
    )


@pytest.fixture
def agency_intake(agency: Unit) -> User:
    return make_user("etatsmottak", agency, Role.INTAKE)


# MST as the central agency publishes it (also in the agency's own system: tests/browser/two_systems.py).
MST = {
    "name": "MST-team Øst",
    "method": "mst",
    "kind": "structuring",
    "target_group": "Ungdom 12–17 år med alvorlige atferdsvansker",
    "age_from": 12,
    "age_to": 17,
    "category": "3.1",
    "capacity": 2,
    "capacity_unit": "places",
    "price": Decimal("1450.00"),
    "price_unit": "day",
    "evidence_level": "documented",
}


@pytest.fixture
def mst(agency: Unit) -> CatalogueEntry:
    return CatalogueEntry.objects.create(provider=agency, **MST)


@pytest.fixture
def teen_case(make_report: ReportFactory) -> Case:
    report = make_report(
        received_on=today() - timedelta(days=60), child=child_facts(birth=date(2011, 2, 3), first="Jonas")
    )
    return report.case
