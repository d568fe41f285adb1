"""The later stages' pages (decisions, measures, plans, aftercare, chronology) and the unit's pages,
for every role: allowed, or 404 as the access rules say."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from tests.conftest import logged_in
from vern.cases.models import Case
from vern.core.audit_events import AuditEvent
from vern.core.dates import today
from vern.core.models import AuditEntry, User
from vern.decisions.services import decision_make
from vern.measures.services import measure_start, plan_make
from vern.rules.legal_basis import Law, LegalBases, LegalBasis

pytestmark = pytest.mark.django_db

ALLOW, DENY = 200, 404
READERS = {"assigned_caseworker", "shared_caseworker", "leader", "auditor"}
WRITERS = {"assigned_caseworker", "shared_caseworker", "leader"}
PERSONAS = [
    "assigned_caseworker", "other_caseworker", "shared_caseworker", "leader", "intake", "auditor", "admin",
    "other_unit_leader", "no_role",
]  # fmt: skip
READ_PAGES = ["decision", "measure", "plan", "chronology", "aftercare"]
WRITE_PAGES = ["new_decision", "new_measure", "new_plan"]


@pytest.fixture
def items(world: dict[str, dict[str, object]], caseworker: User) -> dict[str, str]:
    case = Case.objects.get(pk=int(str(world["urls"]["case"]).split("/")[2]))
    decision = decision_make(
        case=case, by=caseworker, decided_on=today() - timedelta(days=1),
        bases=LegalBases(LegalBasis(Law.BVL2021, "3", "1")), summary="Råd og veiledning",
    )  # fmt: skip
    measure = measure_start(decision=decision, by=caseworker, category="3.9", start_on=today())
    plan = plan_make(case=case, by=caseworker, plan_type="1", start_on=today(), summary="Mål")
    return {
        "decision": f"/vedtak/{decision.pk}/",
        "measure": f"/tiltak/{measure.pk}/",
        "plan": f"/planer/{plan.pk}/",
        "chronology": f"/saker/{case.pk}/kronologi/",
        "aftercare": f"/saker/{case.pk}/ettervern/",
        "new_decision": f"/saker/{case.pk}/vedtak/ny/",
        "new_measure": f"/vedtak/{decision.pk}/tiltak/ny/",
        "new_plan": f"/saker/{case.pk}/planer/ny/",
    }


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("page", READ_PAGES + WRITE_PAGES)
def test_case_item_pages_by_role(
    world: dict[str, dict[str, object]],
    items: dict[str, str],
    persona: str,
    page: str,
) -> None:
    user = world["users"][persona]
    assert isinstance(user, User)
    allowed = persona in (WRITERS if page in WRITE_PAGES else READERS)
    response = logged_in(user).get(items[page])
    assert response.status_code == (ALLOW if allowed else DENY), f"{persona} {page}"


def test_reading_a_decision_is_logged(world: dict[str, dict[str, object]], items: dict[str, str]) -> None:
    auditor = world["users"]["auditor"]
    assert isinstance(auditor, User)
    logged_in(auditor).get(items["decision"])
    decision_id = int(items["decision"].rstrip("/").rsplit("/", 1)[1])
    read = AuditEntry.objects.get(user=auditor, event=AuditEvent.DECISION_VIEWED)
    assert (read.action, read.object_id) == ("view", decision_id)


@pytest.mark.parametrize("persona", PERSONAS)
def test_writes_to_a_measure_by_role(
    world: dict[str, dict[str, object]],
    items: dict[str, str],
    persona: str,
) -> None:
    user = world["users"][persona]
    assert isinstance(user, User)
    data = {"form": "consent", "consent-person": "child", "consent-given_on": today().isoformat()}
    response = logged_in(user).post(items["measure"], data)
    assert response.status_code == (302 if persona in WRITERS else DENY), persona


@pytest.mark.parametrize(
    ("url", "allowed"),
    [
        ("/enhet/delegering/", {"leader"}),
        ("/enhet/tilsynsforere/", {"leader"}),
        ("/enhet/besok/", {"leader", "auditor"}),
        ("/enhet/planer/", {"leader"}),
        ("/frister/enhet/", {"leader", "auditor"}),
    ],
)
@pytest.mark.parametrize("persona", PERSONAS)
def test_unit_pages_by_role(
    world: dict[str, dict[str, object]], url: str, allowed: set[str], persona: str
) -> None:
    user = world["users"][persona]
    assert isinstance(user, User)
    response = logged_in(user).get(url)
    # Another unit's leader sees their own unit's page, never this unit's data.
    expected = (
        ALLOW if persona in allowed or (persona == "other_unit_leader" and url != "/enhet/besok/x") else DENY
    )
    assert response.status_code == expected, persona
    if persona == "other_unit_leader":
        assert "Barneverntjenesten Vest" not in response.content.decode()


def test_approval_is_refused_to_the_maker_and_to_caseworkers(
    world: dict[str, dict[str, object]],
    items: dict[str, str],
    caseworker: User,
) -> None:
    from vern.core.models import Unit
    from vern.decisions.services import approval_rule_add

    leader = world["users"]["leader"]
    assert isinstance(leader, User)
    unit = Unit.objects.get(name="Barneverntjenesten Vest")
    approval_rule_add(unit=unit, by=leader, law="BVL2021", added_on=date(2024, 1, 1))
    case = Case.objects.get(pk=int(str(world["urls"]["case"]).split("/")[2]))
    pending = decision_make(
        case=case, by=caseworker, decided_on=today(), bases=LegalBases(LegalBasis(Law.BVL2021, "4", "2")),
        summary="Akuttplassering",
    )  # fmt: skip
    url = f"/vedtak/{pending.pk}/"
    assert logged_in(caseworker).post(url, {"form": "approve"}).status_code == DENY
    assert logged_in(leader).post(url, {"form": "approve", "approve-reason": "Ok"}).status_code == 302
    pending.refresh_from_db()
    assert pending.in_force
