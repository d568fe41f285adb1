"""``vern status_report``, ``vern import_population`` and ``vern unit_group``."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from vern.core.audit_events import AuditEvent
from vern.core.models import AuditEntry, Unit
from vern.reports.models import Population, UnitGroup

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("fmt", ["json", "html", "pdf", "xlsx"])
def test_status_report_writes_each_format(
    tmp_path: Path, unit: Unit, small_unit: dict[str, Any], fmt: str
) -> None:
    out = tmp_path / f"rapport.{fmt}"
    call_command("status_report", "--unit", "4601", "--year", "2024", "--format", fmt, "--out", str(out))
    data = out.read_bytes()
    if fmt == "json":
        report = json.loads(data)
        assert report["unit"] == unit.name
        assert report["year"] == 2024
        indicators = report["indicators"]
        for key in (
            "reports_received",
            "reports_concluded",
            "reports_closed_share",
            "reports_reviewed_in_time_share",
            "reporter_shares",
            "investigations_concluded",
            "investigations_closed_share",
            "investigations_in_time_share",
            "investigations_extended_share",
            "children_with_measures",
            "children_placed_share",
            "children_with_plan_share",
            "plans_evaluated_share",
            "emergency_placements",
            "children_in_aftercare",
        ):
            assert key in indicators, key
            if key.endswith("_share"):
                assert f"{key}_numerator" in indicators
                assert f"{key}_denominator" in indicators
        assert indicators["investigations_in_time_share"] == 0.75
        assert indicators["children_in_aftercare"] == 1
        assert sorted(report["years"]) == ["2020", "2021", "2022", "2023", "2024"]
    elif fmt == "html":
        text = data.decode()
        assert "<svg" in text
        assert "<table" in text
        # The appendix defines every indicator.
        assert "calendar months" in text or "kalendermåneder" in text
    elif fmt == "pdf":
        assert data.startswith(b"%PDF")
    else:
        assert data.startswith(b"PK")


def test_status_report_refuses_an_unknown_unit(tmp_path: Path, unit: Unit) -> None:
    with pytest.raises(CommandError, match="Ingen barneverntjeneste"):
        call_command("status_report", "--unit", "9999", "--year", "2024", "--out", str(tmp_path / "x.json"))
    assert not (tmp_path / "x.json").exists()


def test_population_is_imported_all_or_nothing(tmp_path: Path, unit: Unit) -> None:
    good = tmp_path / "befolkning.csv"
    good.write_text("enhet;år;barn_0_17\n4601;2024;52 310\n4601;2025;52400\n", encoding="utf-8")
    call_command("import_population", str(good))
    assert dict(Population.objects.values_list("year", "children")) == {2024: 52310, 2025: 52400}

    bad = tmp_path / "feil.csv"
    bad.write_text("enhet,år,barn_0_17\n4601,2026,100\n4601,tjue,5\n9999,2026,5\n", encoding="utf-8")
    with pytest.raises(CommandError) as caught:
        call_command("import_population", str(bad))
    message = str(caught.value)
    assert "Linje 3" in message
    assert "Linje 4" in message
    assert not Population.objects.filter(year=2026).exists()


def test_population_needs_its_columns(tmp_path: Path, unit: Unit) -> None:
    bad = tmp_path / "feil.csv"
    bad.write_text("kommune;antall\n4601;5\n", encoding="utf-8")
    with pytest.raises(CommandError, match="overskriftene"):
        call_command("import_population", str(bad))


def test_unit_group_is_made_and_changed(unit: Unit, other_unit: Unit) -> None:
    call_command("unit_group", "Vestland", "4601", "5001")
    group = UnitGroup.objects.get(name="Vestland")
    assert set(group.units.all()) == {unit, other_unit}
    made = AuditEntry.objects.get(event=AuditEvent.UNIT_GROUP_CREATED, object_id=group.pk)
    assert (made.user, made.action) == (None, AuditEntry.Action.CREATE)
    with pytest.raises(CommandError):
        call_command("unit_group", "Vestland", "4601", "1234")
    # A comparison needs two units: the group is left as it was.
    with pytest.raises(CommandError, match="minst to"):
        call_command("unit_group", "Vestland", "4601")
    assert group.units.count() == 2


def test_a_city_with_districts_is_reported_as_a_whole(tmp_path: Path, leader: Any) -> None:
    from tests.reports.conftest import Builder, at
    from vern.core.models import District, Municipality

    oslo = Municipality.objects.create(number="0301", name="Oslo", organisation_number="974778874")
    units = []
    for number, name in (("01", "Gamle Oslo"), ("02", "Grünerløkka")):
        district = District.objects.create(municipality=oslo, number=number, name=name)
        units.append(Unit.objects.create(name=f"Bydel {name}", host_municipality=oslo, district=district))
    for unit in units:
        Builder(unit, leader).report(Builder(unit, leader).case(), at(date(2024, 5, 2)), reporters=("11",))
    out = tmp_path / "oslo.json"
    call_command("status_report", "--unit", "0301", "--year", "2024", "--out", str(out))
    report = json.loads(out.read_text())
    assert report["unit"] == "Oslo"
    assert report["services"] == ["Bydel Gamle Oslo", "Bydel Grünerløkka"]
    assert report["indicators"]["reports_received"] == 2
    call_command("status_report", "--unit", "0301-02", "--year", "2024", "--out", str(out))
    assert json.loads(out.read_text())["indicators"]["reports_received"] == 1
