"""The unit's settings on one page: a leader finds every setting of the unit there, each on its own
page, so the main menu needs one link for them all."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from vern.core.models import Role, Unit
from vern.core.views import chosen_unit

if TYPE_CHECKING:
    from django_stubs_ext import StrPromise


@dataclass(frozen=True)
class Setting:
    url_name: str
    title: str | StrPromise
    about: str | StrPromise
    kinds: tuple[str, ...]


SERVICE, PROVIDER = Unit.Kind.SERVICE, Unit.Kind.PROVIDER
SETTINGS = (
    Setting(
        "decisions:delegation",
        _("Delegation"),
        _("Decisions that are not in force until another leader approves them."),
        (SERVICE,),
    ),
    Setting(
        "measures:supervisors",
        _("Supervisors"),
        _("The register of supervisors who visit children in foster homes."),
        (SERVICE,),
    ),
    Setting(
        "measures:plan_settings",
        _("Plan evaluations"),
        _("How often plans for help measures are evaluated, and the plans due."),
        (SERVICE,),
    ),
    Setting(
        "reports:population",
        _("Population"),
        _("Children 0–17 in the unit's area each year, for the rates per 1,000 children."),
        (SERVICE,),
    ),
    Setting(
        "reports:groups",
        _("Comparison groups"),
        _("The units the variation report compares the unit with."),
        (SERVICE,),
    ),
    Setting(
        "referrals:provider_catalogue",
        _("Our measures"),
        _("The measures the unit offers in the catalogue: capacity, price and who may order."),
        (SERVICE, PROVIDER),
    ),
)


def unit_settings(request: HttpRequest) -> HttpResponse:
    """For leaders: the settings that apply to the unit's kind, each a link to its page."""
    unit, units = chosen_unit(request, [Role.LEADER])
    rows = [
        {"url": f"{reverse(s.url_name)}?enhet={unit.pk}", "title": s.title, "about": s.about}
        for s in SETTINGS
        if unit.kind in s.kinds
    ]
    return render(request, "core/unit_settings.html", {"unit": unit, "units": units, "rows": rows})
