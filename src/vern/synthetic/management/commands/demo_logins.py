"""``vern demo_logins [--all]``: who to log in as in a seeded demo, with the current second-factor codes.

Every unit of the scale, the services and the providers (Oslo's central agency too), each with one
line per role: the first two caseworkers (a caseworker sees only their own cases, so a second shows
sharing and handing over) and how many more there are, unless ``--all`` lists them all. The
administrator, a member of every unit, comes last, once.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from itertools import chain
from typing import Any

import pyotp
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext

from vern.core.models import Membership, Role, Unit, User
from vern.synthetic.generate import DEMO_PASSWORD, SeedRefused, refuse_in_production

CASEWORKERS_SHOWN = 2
ROLE_ORDER = (Role.CASEWORKER, Role.INTAKE, Role.LEADER, Role.AUDITOR)


@dataclass
class UnitLogins:
    """One unit's demo users, one per role (two caseworkers), and the caseworkers left out."""

    title: str
    users: list[tuple[User, str]] = field(default_factory=list)
    caseworkers_shown: int = 0
    more_caseworkers: int = 0


def demo_users(*, every_caseworker: bool = False) -> list[UnitLogins]:
    """Each unit with members, services first, then the administrators under one heading."""
    members: dict[int, list[Membership]] = defaultdict(list)
    admins: dict[int, User] = {}
    for m in Membership.objects.select_related("user").order_by("pk"):
        if m.role == Role.ADMIN:
            admins.setdefault(m.user_id, m.user)
        else:
            members[m.unit_id].append(m)
    kinds = dict(Unit.Kind.choices)
    groups = []
    units = Unit.objects.filter(pk__in=members).order_by("-kind", "pk")  # "service" before "provider"
    for unit in units:
        group = UnitLogins(f"{unit.name} ({kinds[unit.kind]})")
        for role in ROLE_ORDER:
            found = [m for m in members[unit.pk] if m.role == role]
            shown = found if every_caseworker or role != Role.CASEWORKER else found[:CASEWORKERS_SHOWN]
            group.users += [(m.user, m.get_role_display()) for m in shown]
            if role == Role.CASEWORKER:
                group.caseworkers_shown, group.more_caseworkers = len(shown), len(found) - len(shown)
        groups.append(group)
    if admins:
        label = str(Role.ADMIN.label)
        groups.append(UnitLogins(gettext("All units"), [(user, label) for user in admins.values()]))
    return groups


def _cells(user: User, role: str) -> tuple[str, str, str, str]:
    code = pyotp.TOTP(user.totp_secret).now() if user.totp_secret else ""
    return (user.username, role, user.totp_secret, code)


class Command(BaseCommand):
    help = (
        "Print the demo users of a seeded database, unit by unit: username, role, TOTP secret and the "
        "code now."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--all", action="store_true", help="every caseworker, not the first two of each unit"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            refuse_in_production()
        except SeedRefused as exc:
            raise CommandError(str(exc)) from exc
        groups = demo_users(every_caseworker=options["all"])
        if not groups:
            raise CommandError("No demo users found: run `vern seed` first.")
        header = ("username", "role", "TOTP secret", "code now")
        tables = [[_cells(user, role) for user, role in group.users] for group in groups]
        widths = [max(len(row[i]) for row in [header, *chain(*tables)]) for i in range(len(header))]

        def line(cells: tuple[str, ...]) -> str:
            return "  " + "  ".join(c.ljust(w) for c, w in zip(cells, widths, strict=True)).rstrip()

        self.stdout.write(f"Password for every user: {DEMO_PASSWORD}")
        self.stdout.write("")
        self.stdout.write(line(header))
        for group, table in zip(groups, tables, strict=True):
            self.stdout.write("")
            self.stdout.write(group.title)
            lines, cut = [line(row) for row in table], group.caseworkers_shown
            if group.more_caseworkers:
                more = (
                    f"  … and {group.more_caseworkers} more caseworkers (`vern demo_logins --all` lists them)"
                )
                lines.insert(cut, more)
            for text in lines:
                self.stdout.write(text)
        self.stdout.write("")
        self.stdout.write(
            "Codes change every 30 seconds: run this again for a fresh one, or add the secret to any "
            "authenticator app (TOTP, SHA-1, 6 digits, 30 s)."
        )
