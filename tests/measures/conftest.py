"""A case with a decision in force, for the measures' tests."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from tests.conftest import ReportFactory, child_facts
from vern.cases.models import Case
from vern.core.dates import today
from vern.core.models import User
from vern.decisions.models import Decision
from vern.decisions.services import decision_make
from vern.rules.legal_basis import Law, LegalBases, LegalBasis

HELP = LegalBases(LegalBasis(Law.BVL2021, "3", "1"))
CARE_ORDER = LegalBases(LegalBasis(Law.BVL2021, "5", "1"))


@pytest.fixture
def case(make_report: ReportFactory) -> Case:
    report = make_report(received_on=today() - timedelta(days=400), child=child_facts(birth=date(2014, 6, 1)))
    return report.case


def decide(case: Case, by: User, bases: LegalBases = HELP, days_ago: int = 365) -> Decision:
    return decision_make(
        case=case, by=by, bases=bases, decided_on=today() - timedelta(days=days_ago), summary="Vedtak."
    )


@pytest.fixture
def care_order(case: Case, caseworker: User) -> Decision:
    return decide(case, caseworker, CARE_ORDER)


@pytest.fixture
def help_decision(case: Case, caseworker: User) -> Decision:
    return decide(case, caseworker, HELP)
