"""The unit's population entered by its leader on a page (no command), and the file import through the
same service."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from tests.conftest import logged_in, make_user
from vern.core.audit_events import AuditEvent
from vern.core.dates import today
from vern.core.models import AuditEntry, Role, Unit, User
from vern.reports.models import Population, UnitGroup
from vern.reports.templatetags.reports import cell

pytestmark = pytest.mark.django_db

URL = "/enhet/befolkning/"


def enter(user: User, **fields: object) -> tuple[int, str]:
    data = {"form": "figure", **{f"figure-{k}": v for k, v in fields.items()}}
    response = logged_in(user).post(URL, data)
    return response.status_code, response.content.decode()


def test_a_leader_enters_and_corrects_a_years_population(leader: User, unit: Unit) -> None:
    code, _page = enter(leader, year=2024, children=4100, source="SSB 07459")
    assert code == 302
    figure = Population.objects.get(unit=unit, year=2024)
    assert (figure.children, figure.source) == (4100, "SSB 07459")
    made = AuditEntry.objects.get(event=AuditEvent.POPULATION_RECORDED, object_id=figure.pk)
    assert (made.user, made.unit, made.action) == (leader, unit, AuditEntry.Action.CREATE)
    assert made.extra == {"year": 2024, "children": 4100}
    assert enter(leader, year=2024, children=4150)[0] == 302
    assert Population.objects.get(unit=unit, year=2024).children == 4150
    changed = AuditEntry.objects.get(event=AuditEvent.POPULATION_CHANGED, object_id=figure.pk)
    assert (changed.action, changed.extra) == (AuditEntry.Action.UPDATE, {"year": 2024, "children": 4150})
    page = logged_in(leader).get(URL).content.decode()
    assert cell(4150) in page  # in Norwegian format, as every report number


@pytest.mark.parametrize(
    ("year", "children", "message"),
    [
        (1999, 4000, "større enn eller lik 2000"),
        (today().year + 2, 4000, f"Oppgi et år fra 2000 til {today().year + 1}"),
        (2024, 0, "større enn eller lik 1"),
        (2024, "mange", "Oppgi et heltall"),
        ("", 4000, "Feltet er påkrevet"),
    ],
)
def test_bad_input_gets_a_clear_error_and_changes_nothing(
    year: object, children: object, message: str, leader: User
) -> None:
    code, page = enter(leader, year=year, children=children)
    assert code == 400
    assert message in page
    assert not Population.objects.exists()
    assert not AuditEntry.objects.filter(event__startswith="population.").exists()


@pytest.mark.parametrize("persona", ["caseworker", "intake", "auditor", "admin_user"])
def test_only_leaders_enter_the_population(persona: str, request: pytest.FixtureRequest) -> None:
    user = request.getfixturevalue(persona)
    assert logged_in(user).get(URL).status_code == 404
    assert enter(user, year=2024, children=4000)[0] == 404
    assert not Population.objects.exists()


def test_a_leader_of_another_unit_enters_only_their_own(unit: Unit, other_unit: Unit) -> None:
    stranger = make_user("fremmed", other_unit, Role.LEADER)
    response = logged_in(stranger).post(
        f"{URL}?enhet={unit.pk}", {"form": "figure", "figure-year": 2024, "figure-children": 10}
    )
    assert response.status_code == 302
    assert not Population.objects.filter(unit=unit).exists()
    assert Population.objects.get().unit == other_unit


def test_the_file_import_goes_through_the_same_service(tmp_path: Path, unit: Unit) -> None:
    good = tmp_path / "befolkning.csv"
    good.write_text("enhet;år;barn_0_17\n4601;2024;52 310\n", encoding="utf-8")
    call_command("import_population", str(good))
    made = AuditEntry.objects.get(event=AuditEvent.POPULATION_RECORDED, extra__children=52310)
    assert (made.user, made.unit) == (None, unit)
    # A year the service refuses refuses the whole file.
    bad = tmp_path / "gammel.csv"
    bad.write_text("enhet;år;barn_0_17\n4601;2025;100\n4601;1990;100\n", encoding="utf-8")
    with pytest.raises(CommandError, match="Oppgi et år fra 2000"):
        call_command("import_population", str(bad))
    assert not Population.objects.filter(year=2025).exists()


def test_the_variation_page_sends_a_leader_to_the_population_page_not_a_command(
    leader: User, unit: Unit, other_unit: Unit
) -> None:
    group = UnitGroup.objects.create(name="Vestlandet")
    group.units.set([unit, other_unit])
    page = logged_in(leader).get(f"/enhet/rapporter/variasjon/?gruppe={group.pk}&ar=2024").content.decode()
    assert "Mangler befolkningstall for" in page
    assert "vern import_population" not in page
    assert f'href="{URL}"' in page
