"""Legal clocks run on calendar dates in Europe/Oslo."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from django.utils import timezone

OSLO = ZoneInfo("Europe/Oslo")


def today() -> date:
    return timezone.localdate(timezone.now(), OSLO)


def local_date(moment: datetime) -> date:
    return timezone.localdate(moment, OSLO)
