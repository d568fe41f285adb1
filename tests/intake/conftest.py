"""A service for Bergen's district Bergenhus, where the national examples are addressed."""

from __future__ import annotations

from pathlib import Path

import pytest

from vern.core.models import District, Municipality, Unit

EXAMPLES = Path(__file__).resolve().parent / "examples"  # the KS Fiks examples, copied unchanged


@pytest.fixture
def bergenhus(db: None) -> Unit:
    # The examples use Bergen's number before the 2024 reform (1201).
    bergen = Municipality.objects.create(number="1201", name="Bergen", organisation_number="964338531")
    district = District.objects.create(municipality=bergen, number="02", name="Bergenhus")
    unit = Unit.objects.create(
        name="Barneverntjenesten Bergenhus", host_municipality=bergen, district=district
    )
    unit.municipalities.add(bergen)
    return unit
