from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path

import pytest
from django.db import transaction
from django.utils import timezone

from tests.conftest import ReportFactory
from vern.cases.models import Case
from vern.core.codes import CodedEntry
from vern.core.models import Unit, User
from vern.decisions.services import decision_make
from vern.intake.services import review_conclude
from vern.investigations.services import (
    investigation_conclude,
    investigation_open,
    investigation_record_participation,
    investigation_record_plan,
)
from vern.measures.services import measure_start, plan_evaluate, plan_make
from vern.register.export import documents
from vern.register.xml import Element
from vern.rules.legal_basis import Law, LegalBases, LegalBasis


class _Rollback(Exception):
    pass


@contextmanager
def rolled_back() -> Iterator[None]:
    """Undo everything done inside: each hypothesis example starts from the same database."""
    try:
        with transaction.atomic():
            yield
            raise _Rollback
    except _Rollback:
        pass


def write(folder: Path, name: str, data: bytes) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_bytes(data)
    return path


def export_case(case: Case, unit: Unit | None = None) -> Element:
    """The document an export would send for the case now."""
    for doc in documents(unit or case.unit, [case.pk], extracted_at=timezone.now()):
        return doc.root
    raise AssertionError("no document")


# A case with something of every stage, made through the services as a caseworker would.
REPORTED = date(2026, 2, 2)


@pytest.fixture
def full_case(make_report: ReportFactory, caseworker: User) -> Case:
    report = make_report(received_on=REPORTED, contents=("1.1.01",))
    review_conclude(report=report, by=caseworker, concluded_on=date(2026, 2, 5), conclusion="2")
    investigation = investigation_open(report=report, by=caseworker)
    investigation_record_plan(
        investigation=investigation, by=caseworker, made_on=date(2026, 2, 10), text="Samtaler og hjemmebesøk."
    )
    investigation_record_participation(
        investigation=investigation, by=caseworker, code="1.1", recorded_on=date(2026, 2, 20)
    )
    investigation_conclude(
        investigation=investigation,
        by=caseworker,
        concluded_on=date(2026, 4, 1),
        conclusion="1",
        basis=[CodedEntry("1.1.01")],
    )
    decision = decision_make(
        case=report.case,
        by=caseworker,
        decided_on=date(2026, 4, 2),
        bases=LegalBases(LegalBasis(Law.BVL2021, "3", "1")),
        summary="Foreldreveiledning.",
        investigation=investigation,
    )
    measure_start(decision=decision, by=caseworker, category="3.2", start_on=date(2026, 4, 10))
    plan = plan_make(
        case=report.case, by=caseworker, plan_type="1", start_on=date(2026, 4, 10), summary="Mål."
    )
    plan_evaluate(plan=plan, by=caseworker, done_on=date(2026, 7, 10))
    return report.case
