"""Comparison groups made by leaders on a page (no command): who may, and what a group may hold."""

from __future__ import annotations

import re

import pytest

from tests.conftest import logged_in, make_user
from vern.core.audit_events import AuditEvent
from vern.core.models import AuditEntry, Role, Unit, User
from vern.reports.models import UnitGroup

pytestmark = pytest.mark.django_db

NEW = "/enhet/rapporter/grupper/ny/"


@pytest.fixture
def provider(unit: Unit) -> Unit:
    return Unit.objects.create(
        name="Barne- og familieetaten", kind=Unit.Kind.PROVIDER, host_municipality=unit.host_municipality
    )


def post(user: User, units: list[Unit], *, name: str = "Vestlandet", url: str = NEW) -> tuple[int, str]:
    response = logged_in(user).post(url, {"name": name, "units": [u.pk for u in units]})
    return response.status_code, response.content.decode()


def test_a_leader_makes_a_group_with_their_unit_and_changes_it(
    leader: User, unit: Unit, other_unit: Unit
) -> None:
    client = logged_in(leader)
    # The form starts with the leader's own unit chosen.
    form = client.get(NEW).content.decode()
    assert re.search(rf'<input type="checkbox" name="units" value="{unit.pk}"[^>]* checked', form)
    assert not re.search(rf'<input type="checkbox" name="units" value="{other_unit.pk}"[^>]* checked', form)
    response = client.post(NEW, {"name": " Vestlandet ", "units": [unit.pk, other_unit.pk]})
    group = UnitGroup.objects.get()
    assert response.status_code == 302
    assert response.url == f"/enhet/rapporter/variasjon/?gruppe={group.pk}"
    assert (group.name, set(group.units.all())) == ("Vestlandet", {unit, other_unit})
    made = AuditEntry.objects.get(event=AuditEvent.UNIT_GROUP_CREATED, object_id=group.pk)
    assert (made.user, made.action, made.extra) == (leader, AuditEntry.Action.CREATE, {"units": 2})
    # The variation page offers to change it; the change is audited too.
    page = client.get(f"/enhet/rapporter/variasjon/?gruppe={group.pk}").content.decode()
    assert f"/enhet/rapporter/grupper/{group.pk}/" in page
    third = Unit.objects.create(name="Barneverntjenesten Nord", host_municipality=unit.host_municipality)
    code, _page = post(
        leader, [unit, other_unit, third], name="Vest og nord", url=f"/enhet/rapporter/grupper/{group.pk}/"
    )
    assert code == 302
    group.refresh_from_db()
    assert (group.name, group.units.count()) == ("Vest og nord", 3)
    changed = AuditEntry.objects.get(event=AuditEvent.UNIT_GROUP_CHANGED, object_id=group.pk)
    assert (changed.user, changed.action, changed.extra) == (leader, AuditEntry.Action.UPDATE, {"units": 3})


@pytest.mark.parametrize(
    ("name", "which", "message"),
    [
        ("", "both", "Feltet er påkrevet"),
        ("Vestlandet", "own", "Velg minst to enheter"),
        ("Vestlandet", "none", "Feltet er påkrevet"),
        ("Finnes", "both", "finnes allerede en sammenligningsgruppe"),
        ("Vestlandet", "provider", "Velg et gyldig valg"),
        ("x" * 151, "both", "150 eller færre tegn"),
    ],
)
def test_bad_input_gets_a_clear_error_and_changes_nothing(
    name: str, which: str, message: str, *, leader: User, unit: Unit, other_unit: Unit, provider: Unit
) -> None:
    UnitGroup.objects.create(name="Finnes").units.set([other_unit])
    units = {"both": [unit, other_unit], "own": [unit], "none": [], "provider": [unit, provider]}[which]
    code, page = post(leader, units, name=name)
    assert code == 400
    assert message in page
    assert UnitGroup.objects.count() == 1
    assert not AuditEntry.objects.filter(event__startswith="unit_group.").exists()


def test_a_group_must_hold_a_unit_the_leader_leads(
    leader: User, other_unit: Unit, municipality: object
) -> None:
    third = Unit.objects.create(
        name="Barneverntjenesten Nord", host_municipality=other_unit.host_municipality
    )
    code, page = post(leader, [other_unit, third])
    assert code == 400
    assert "Gruppen må ha med en enhet du leder" in page
    assert not UnitGroup.objects.exists()


def test_a_leader_cannot_take_their_unit_out_of_their_own_reach(
    leader: User, unit: Unit, other_unit: Unit
) -> None:
    group = UnitGroup.objects.create(name="Vestlandet")
    group.units.set([unit, other_unit])
    third = Unit.objects.create(
        name="Barneverntjenesten Nord", host_municipality=other_unit.host_municipality
    )
    code, page = post(leader, [other_unit, third], url=f"/enhet/rapporter/grupper/{group.pk}/")
    assert code == 400
    assert "Gruppen må ha med en enhet du leder" in page
    assert set(group.units.all()) == {unit, other_unit}


@pytest.mark.parametrize("persona", ["caseworker", "intake", "auditor", "admin_user"])
def test_only_leaders_make_or_change_groups(
    persona: str, request: pytest.FixtureRequest, unit: Unit, other_unit: Unit
) -> None:
    group = UnitGroup.objects.create(name="Vestlandet")
    group.units.set([unit, other_unit])
    client = logged_in(request.getfixturevalue(persona))
    for url in ("/enhet/rapporter/grupper/", NEW, f"/enhet/rapporter/grupper/{group.pk}/"):
        assert client.get(url).status_code == 404, url
        assert client.post(url, {"name": "Annet", "units": [unit.pk, other_unit.pk]}).status_code == 404
    group.refresh_from_db()
    assert group.name == "Vestlandet"
    assert UnitGroup.objects.count() == 1


def test_a_leader_of_another_unit_cannot_see_or_change_the_group(unit: Unit, other_unit: Unit) -> None:
    group = UnitGroup.objects.create(name="Vestlandet")
    third = Unit.objects.create(name="Barneverntjenesten Nord", host_municipality=unit.host_municipality)
    group.units.set([unit, third])
    stranger = make_user("fremmed", other_unit, Role.LEADER)
    client = logged_in(stranger)
    assert "Vestlandet" not in client.get("/enhet/rapporter/grupper/").content.decode()
    url = f"/enhet/rapporter/grupper/{group.pk}/"
    assert client.get(url).status_code == 404
    assert client.post(url, {"name": "Tatt", "units": [other_unit.pk, unit.pk]}).status_code == 404
    group.refresh_from_db()
    assert (group.name, set(group.units.all())) == ("Vestlandet", {unit, third})


def test_the_variation_page_leads_to_making_a_group_not_to_a_command(
    leader: User, auditor: User, unit: Unit
) -> None:
    page = logged_in(leader).get("/enhet/rapporter/variasjon/").content.decode()
    assert "vern unit_group" not in page
    assert NEW in page
    page = logged_in(auditor).get("/enhet/rapporter/variasjon/").content.decode()
    assert "vern unit_group" not in page
    assert NEW not in page
    assert "Enhetens leder lager en." in page
