"""Each indicator against the hand-worked figures of ``small_unit`` (tests/reports/conftest.py), on
SQLite and PostgreSQL alike."""

from __future__ import annotations

from typing import Any

import pytest

from vern.core.models import Unit
from vern.reports import indicators
from vern.reports.indicators import Distribution, Ratio, Share, compute, json_indicators, year


def _plain(value: indicators.Figure) -> Any:
    if isinstance(value, Share):
        return (value.numerator, value.denominator)
    if isinstance(value, Ratio):
        return (value.numerator, value.denominator)
    if isinstance(value, Distribution):
        return value.counts
    return value


@pytest.mark.django_db
def test_every_indicator_matches_the_hand_worked_figures(unit: Unit, small_unit: dict[str, Any]) -> None:
    results = compute([unit.pk], [year(2024)])
    assert set(results) == {i.key for i in indicators.INDICATORS}
    got = {key: _plain(values[0]) for key, values in results.items()}
    assert got == small_unit


@pytest.mark.django_db
def test_periods_side_by_side_give_what_each_gives_alone(unit: Unit, small_unit: dict[str, Any]) -> None:
    periods = indicators.years_ending(2025, 3)
    together = compute([unit.pk], periods)
    for i, period in enumerate(periods):
        alone = compute([unit.pk], [period])
        assert {k: v[i] for k, v in together.items()} == {k: v[0] for k, v in alone.items()}
    # 2025 has only the report received at 00:30 on New Year's Day.
    assert together["reports_received"][2] == 1


@pytest.mark.django_db
def test_another_unit_sees_none_of_it(unit: Unit, other_unit: Unit, small_unit: dict[str, Any]) -> None:
    results = compute([other_unit.pk], [year(2024)])
    assert results["reports_received"] == [0]
    assert results["children_placed_share"] == [Share(0, 0)]
    assert results["children_placed_share"][0].value is None


@pytest.mark.django_db
def test_months_of_a_year_add_up_to_the_year(unit: Unit, small_unit: dict[str, Any]) -> None:
    months = indicators.months_ending(2024, 12, 12)
    assert [m.label for m in months][:2] == ["01.2024", "02.2024"]
    results = compute(
        [unit.pk], months, ["reports_received", "investigations_concluded", "plan_evaluations_done"]
    )
    assert sum(results["reports_received"]) == small_unit["reports_received"]
    assert sum(results["investigations_concluded"]) == small_unit["investigations_concluded"]
    assert sum(results["plan_evaluations_done"]) == small_unit["plan_evaluations_done"]


@pytest.mark.django_db
def test_json_gives_each_share_with_its_numerator_and_denominator(
    unit: Unit, small_unit: dict[str, Any]
) -> None:
    out = json_indicators(compute([unit.pk], [year(2024)]), 0)
    assert out["reports_closed_share"] == pytest.approx(1 / 3)
    assert (out["reports_closed_share_numerator"], out["reports_closed_share_denominator"]) == (1, 3)
    assert out["reporter_shares"] == {"8": 0.25, "9": 0.25, "11": 0.5}
    assert out["reporter_shares_denominator"] == 4
    assert out["caseload"] == 6.0


def test_months_ending_crosses_the_year() -> None:
    months = indicators.months_ending(2025, 2, 3)
    assert [(m.start.isoformat(), m.end.isoformat()) for m in months] == [
        ("2024-12-01", "2024-12-31"),
        ("2025-01-01", "2025-01-31"),
        ("2025-02-01", "2025-02-28"),
    ]


@pytest.mark.django_db
def test_a_child_with_both_an_investigation_and_a_measure_is_one_child(
    unit: Unit, leader: Any, small_unit: dict[str, Any]
) -> None:
    from datetime import date

    from tests.reports.conftest import Builder
    from vern.investigations.models import Investigation

    investigated = Investigation.objects.get(concluded_on__isnull=True).case
    Builder(unit, leader).measure(investigated, "4.1", date(2024, 12, 1))
    [caseload] = compute([unit.pk], [year(2024)], ["caseload"])["caseload"]
    assert isinstance(caseload, Ratio)
    assert caseload.numerator == small_unit["caseload"][0]
