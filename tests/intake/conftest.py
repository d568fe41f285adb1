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


def form_data(**changes: str) -> dict[str, str]:
    """What a professional types into the public form (``/bekymringsmelding/``), with ``changes``."""
    data = {
        "melder-kind": "professional",
        "melder-place": "1201-02",
        "melder-name": "Lærer Lærersen",
        "melder-phone": "99999999",
        "melder-email": "laerer@skole.no",
        "melder-role": "Lærer",
        "melder-service": "skole",
        "melder-workplace": "Bergenhus skole",
        "melder-workplace_address": "Skolegaten 1",
        "melder-concern": "Eleven kommer ofte uten mat og sier at ingen er hjemme.",
        "melder-history": "Siden høstferien.",
        "barn-TOTAL_FORMS": "3",
        "barn-INITIAL_FORMS": "0",
        "barn-0-name": "Ola Nordmann",
        "barn-0-identity_number": "28071364498",
        "barn-0-address": "Rådhusgaten 10, 5020 Bergen",
        "barn-0-informed": "no",
        "barn-0-not_informed_because": "Redd for reaksjonen hjemme.",
        "foresatt-TOTAL_FORMS": "2",
        "foresatt-INITIAL_FORMS": "0",
        "foresatt-0-name": "Kari Nordmann",
        "foresatt-0-informed": "no",
    }
    data.update(changes)
    return data


# A private person (with form_data): no workplace, but who they are to the child.
PRIVATE = {
    "melder-kind": "private",
    "melder-relation": "annen",
    "melder-service": "",
    "melder-email": "",
    "melder-role": "",
    "melder-workplace": "",
    "melder-workplace_address": "",
}
