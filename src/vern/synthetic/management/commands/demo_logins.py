"""``vern demo_logins``: who to log in as in a seeded demo, with the current second-factor codes."""

from __future__ import annotations

from typing import Any

import pyotp
from django.core.management.base import BaseCommand, CommandError

from vern.core.models import Membership, Role, Unit, User
from vern.synthetic.generate import DEMO_PASSWORD, SeedRefused, refuse_in_production

# The small scale's demo users, in the order a visitor would try them.
SMALL_USERNAMES = ("saksbehandler", "saksbehandler2", "mottak", "leder", "revisor", "admin")
_ROLE_ORDER: dict[str, int] = {
    Role.CASEWORKER: 0,
    Role.INTAKE: 1,
    Role.LEADER: 2,
    Role.AUDITOR: 3,
    Role.ADMIN: 4,
}


def demo_users() -> list[tuple[User, str, str]]:
    """(user, role, unit name) of the small scale's demo users, or else of the first service unit."""
    small = {u.username: u for u in User.objects.filter(username__in=SMALL_USERNAMES)}
    if "saksbehandler" in small:
        unit = Unit.objects.filter(memberships__user=small["saksbehandler"]).order_by("pk").first()
        users = [small[name] for name in SMALL_USERNAMES if name in small]
    else:
        unit = Unit.objects.filter(kind=Unit.Kind.SERVICE).order_by("pk").first()
        if unit is None:
            return []
        members = list(Membership.objects.filter(unit=unit).select_related("user").order_by("pk"))
        members.sort(key=lambda m: _ROLE_ORDER[m.role])  # stable: caseworkers keep their order
        caseworkers = [m.user for m in members if m.role == Role.CASEWORKER][:2]
        users = caseworkers + [m.user for m in members if m.role != Role.CASEWORKER]
    if unit is None:
        return []
    roles = {m.user_id: m.get_role_display() for m in Membership.objects.filter(unit=unit, user__in=users)}
    return [(user, str(roles.get(user.pk, "")), unit.name) for user in users]


class Command(BaseCommand):
    help = "Print the demo users of a seeded database: username, role, unit, password, TOTP secret and code."

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            refuse_in_production()
        except SeedRefused as exc:
            raise CommandError(str(exc)) from exc
        rows = demo_users()
        if not rows:
            raise CommandError("No demo users found: run `vern seed` first.")
        header = ("username", "role", "unit", "password", "TOTP secret", "code now")
        table = [
            (
                user.username,
                role,
                unit,
                DEMO_PASSWORD,
                user.totp_secret,
                pyotp.TOTP(user.totp_secret).now() if user.totp_secret else "",
            )
            for user, role, unit in rows
        ]
        widths = [max(len(str(row[i])) for row in [header, *table]) for i in range(len(header))]
        for row in [header, tuple("-" * w for w in widths), *table]:
            self.stdout.write(
                "  ".join(str(cell).ljust(width) for cell, width in zip(row, widths, strict=True))
            )
        self.stdout.write("")
        self.stdout.write(
            "Codes change every 30 seconds: run this again for a fresh one, or add the secret to any "
            "authenticator app (TOTP, SHA-1, 6 digits, 30 s)."
        )
