"""The main menu: each link for the memberships whose work it is, so each role sees the menu of its
work and a user with several roles or units the union of theirs, once each.

A link is offered only where its page opens for the user (the views check access again); a unit's
kind decides as much as the role: a provider has no cases, reports of concern or deadlines, and a
service's intake and caseworkers do not answer the referrals its measures receive.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import Count
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from vern.core.models import Membership, Role, Unit

if TYPE_CHECKING:
    from django_stubs_ext import StrPromise


@dataclass(frozen=True)
class Work:
    """One membership as the menu sees it: the role, the unit's kind, and whether the unit publishes
    measures in the catalogue (and so receives referrals)."""

    role: str
    kind: str
    publishes: bool


@dataclass(frozen=True)
class Link:
    url_name: str
    label: str | StrPromise
    shown: Callable[[Work], bool]


def in_service(*roles: str) -> Callable[[Work], bool]:
    return lambda w: w.kind == Unit.Kind.SERVICE and w.role in roles


def receives_referrals(w: Work) -> bool:
    """A provider's own people answer the referrals its measures receive; a service that also
    publishes measures has its leaders (and auditors) see them, its intake and caseworkers do their
    own work."""
    if not w.publishes:
        return False
    if w.kind == Unit.Kind.PROVIDER:
        return w.role in (Role.INTAKE, Role.CASEWORKER, Role.LEADER, Role.AUDITOR)
    return w.role in (Role.LEADER, Role.AUDITOR)


# In the order shown. A leader reaches registering a report and the quarantine from the intake page,
# the statements of a service that publishes measures from the referrals it receives, visits and
# costs from the reports, and the unit's settings from one page: a leader's menu fits one line.
MENU: tuple[Link, ...] = (
    Link("worklists:mine", _("My deadlines"), in_service(Role.CASEWORKER)),
    Link("worklists:unit", _("Deadline overview"), in_service(Role.LEADER, Role.AUDITOR)),
    Link("intake:list", _("Intake"), in_service(Role.INTAKE, Role.LEADER)),
    Link("intake:quarantine", _("Quarantine"), in_service(Role.INTAKE)),
    Link("intake:new", _("Register report"), in_service(Role.INTAKE, Role.CASEWORKER)),
    Link("cases:list", _("Cases"), in_service(Role.CASEWORKER, Role.LEADER, Role.AUDITOR)),
    Link("referrals:catalogue", _("Measure catalogue"), in_service(Role.CASEWORKER, Role.LEADER)),
    Link("referrals:intake", _("Referrals received"), receives_referrals),
    Link(
        "referrals:statements",
        _("Statements"),
        lambda w: w.publishes and w.kind == Unit.Kind.PROVIDER and w.role in (Role.LEADER, Role.AUDITOR),
    ),
    Link("reports:monthly", _("Reports"), in_service(Role.LEADER, Role.AUDITOR)),
    Link("register:unit", _("Register control"), in_service(Role.LEADER, Role.AUDITOR)),
    Link("core:unit_settings", _("Settings"), lambda w: w.role == Role.LEADER),
)


@dataclass(frozen=True)
class MenuItem:
    url: str
    label: str | StrPromise


def menu_for(work: list[Work]) -> list[MenuItem]:
    return [MenuItem(reverse(link.url_name), link.label) for link in MENU if any(map(link.shown, work))]


def user_work(user_id: int) -> list[Work]:
    # One query on every page: the roles, each unit's kind, and whether the unit publishes measures.
    rows = (
        Membership.objects.filter(user_id=user_id)
        .annotate(measures=Count("unit__catalogue"))
        .values_list("role", "unit__kind", "measures")
    )
    return [Work(role, kind, measures > 0) for role, kind, measures in rows]


def navigation(request: HttpRequest) -> dict[str, object]:
    user = request.user
    if not user.is_authenticated:
        return {}
    return {"nav_menu": menu_for(user_work(user.pk))}
