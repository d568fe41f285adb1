"""The variation between units: who is flagged against the group as a whole."""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.reports.conftest import Builder, at
from vern.core.models import Unit, User
from vern.reports.build import _funnel, variation
from vern.reports.funnel import Flag, FunnelPoint
from vern.reports.models import Population, UnitGroup


def test_a_unit_far_from_the_group_is_flagged_and_the_others_are_not() -> None:
    points = [FunnelPoint("A", 500, 1000), FunnelPoint("B", 480, 1000), FunnelPoint("C", 100, 1000)]
    result = _funnel("reports_closed_share", "Henlagt", points, per_thousand=False)
    assert result.target == pytest.approx(1080 / 3000)
    assert result.flags == [Flag.HIGH_998, Flag.HIGH_998, Flag.LOW_998]
    close = [FunnelPoint("A", 50, 100), FunnelPoint("B", 48, 100), FunnelPoint("C", 45, 100)]
    assert _funnel("reports_closed_share", "Henlagt", close, per_thousand=False).flags == [Flag.WITHIN] * 3


def test_a_wrong_population_does_not_break_the_plot() -> None:
    points = [FunnelPoint("A", 30, 1000), FunnelPoint("B", 40, 10)]
    result = _funnel("reports_received", "Meldinger", points, per_thousand=True)
    assert result.flags[1] == Flag.HIGH_998
    assert result.table.rows[1][1] == 4000.0


def test_a_rate_is_plotted_per_thousand_like_its_table() -> None:
    """The table said 39,4 per 1 000 and the plot beside it 3,9 %."""
    points = [FunnelPoint("A", 433, 11_000), FunnelPoint("B", 362, 7_000), FunnelPoint("C", 477, 12_500)]
    result = _funnel("reports_received", "Meldinger", points, per_thousand=True)
    assert result.table.rows[0][1] == 39.4
    assert "A: 39,4 per 1\u00a0000 (433 av 11\u00a0000)" in result.chart
    assert result.target_label == "41,7 per 1 000"
    ticks = re.findall(r'text-anchor="end"[^>]*>([^<]*)</text>', result.chart)
    assert ticks
    assert not any("%" in t for t in ticks)


@pytest.mark.django_db
def test_rates_use_each_units_population(
    unit: Unit, other_unit: Unit, leader: User, small_unit: dict[str, Any]
) -> None:
    group = UnitGroup.objects.create(name="To")
    group.units.set([unit, other_unit])
    Population.objects.create(unit=unit, year=2024, children=1500)
    b = Builder(other_unit, leader)
    b.report(b.case(), at(b.case().opened_on.replace(year=2024)), reporters=("11",))
    result = variation(group, 2024)
    rows = {row[0]: row for row in result.table.rows}
    # reports received: 3 per 1,500 children = 2.0 per 1,000; the other unit has no population.
    assert rows[unit.name][1:4] == (1500, 3, 2.0)
    assert rows[other_unit.name][1:4] == (None, 1, None)
    assert result.missing_population == [other_unit.name]
