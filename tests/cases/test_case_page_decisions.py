"""The case page offers a decision where one is due, and lists the decisions already made."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.conftest import ReportFactory, logged_in
from vern.cases.models import Case
from vern.core.codes import CodedEntry
from vern.core.dates import today
from vern.core.models import User
from vern.decisions.services import decision_make
from vern.intake.services import review_conclude
from vern.investigations.models import Investigation
from vern.investigations.services import (
    investigation_conclude,
    investigation_open,
    investigation_record_participation,
)
from vern.rules.legal_basis import Law, LegalBases, LegalBasis

pytestmark = pytest.mark.django_db


def _concluded(make_report: ReportFactory, by: User, conclusion: str) -> Investigation:
    report = make_report(received_on=today() - timedelta(days=40))
    review_conclude(report=report, by=by, concluded_on=today() - timedelta(days=38), conclusion="2")
    inv = investigation_open(report=report, by=by)
    investigation_record_participation(investigation=inv, by=by, code="1.1", recorded_on=today())
    basis = [CodedEntry("2.1.02")] if conclusion in ("1", "2") else []
    return investigation_conclude(
        investigation=inv, by=by, concluded_on=today(), conclusion=conclusion, basis=basis
    )


def _page(user: User, case: Case) -> str:
    return logged_in(user).get(f"/saker/{case.pk}/").content.decode()


def _decide_link(inv: Investigation) -> str:
    return f"/saker/{inv.case_id}/vedtak/ny/?undersokelse={inv.pk}"


def test_an_investigation_leading_to_measures_offers_a_decision_until_one_is_made(
    make_report: ReportFactory, caseworker: User
) -> None:
    inv = _concluded(make_report, caseworker, "1")
    page = _page(caseworker, inv.case)
    assert _decide_link(inv) in page
    assert "Barneverntjenesten fatter vedtak om tiltak" in page  # the conclusion in words
    assert "Fatt nytt vedtak" not in page
    decision = decision_make(
        case=inv.case,
        by=caseworker,
        bases=LegalBases(LegalBasis(Law.BVL2021, "3", "1")),
        decided_on=today(),
        summary="Hjelpetiltak.",
        investigation=inv,
    )
    page = _page(caseworker, inv.case)
    assert _decide_link(inv) not in page
    assert f'href="/vedtak/{decision.pk}/"' in page
    # Several decisions in a case are normal: the next one is offered as a new decision.
    assert "Fatt nytt vedtak" in page


def test_a_closed_investigation_offers_no_decision(make_report: ReportFactory, caseworker: User) -> None:
    inv = _concluded(make_report, caseworker, "3")
    page = _page(caseworker, inv.case)
    assert _decide_link(inv) not in page
    # A decision without an investigation (an emergency decision, say) can always be made.
    assert f"/saker/{inv.case_id}/vedtak/ny/" in page


def test_readers_who_may_not_write_are_offered_no_decision(
    make_report: ReportFactory, caseworker: User, auditor: User
) -> None:
    inv = _concluded(make_report, caseworker, "1")
    page = _page(auditor, inv.case)
    assert "/vedtak/ny/" not in page
