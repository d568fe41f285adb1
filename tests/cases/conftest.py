"""The shared world for the permission tests: one case in every state, and a user in every role."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.conftest import ReportFactory, make_user
from vern.core.dates import today
from vern.core.models import Role, Unit, User
from vern.intake.services import review_conclude
from vern.investigations.services import investigation_open


@pytest.fixture
def world(
    make_report: ReportFactory, unit: Unit, other_unit: Unit, caseworker: User, caseworker2: User
) -> dict[str, object]:
    reviewed = make_report(received_on=today() - timedelta(days=3))
    review_conclude(report=reviewed, by=caseworker, concluded_on=today(), conclusion="2")
    inv = investigation_open(report=reviewed, by=caseworker)
    unreviewed = make_report(child=None, text="Ny bekymring")
    unreviewed.case.refresh_from_db()
    shared = make_user("delt", unit, Role.CASEWORKER)
    reviewed.case.shared_with.add(shared)
    unreviewed.case.shared_with.add(shared)
    users = {
        "assigned_caseworker": caseworker,
        "other_caseworker": caseworker2,
        "shared_caseworker": shared,
        "leader": make_user("leder", unit, Role.LEADER),
        "intake": make_user("mottak", unit, Role.INTAKE),
        "auditor": make_user("revisor", unit, Role.AUDITOR),
        "admin": make_user("admin", unit, Role.ADMIN),
        "other_unit_leader": make_user("annenleder", other_unit, Role.LEADER),
        "no_role": User.objects.create_user(username="ingen", password="x-very-long-password"),
    }
    urls = {
        "case": f"/saker/{reviewed.case_id}/",
        "log": f"/saker/{reviewed.case_id}/tilgangslogg/",
        "report": f"/meldinger/{reviewed.pk}/",
        "open_report": f"/meldinger/{unreviewed.pk}/",
        "inv": f"/undersokelser/{inv.pk}/",
    }
    return {"users": users, "urls": urls}
