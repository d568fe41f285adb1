from __future__ import annotations

from django.http import HttpRequest

from vern.core.models import Membership, Role


def navigation(request: HttpRequest) -> dict[str, object]:
    """Which menu entries the user's roles give (the views check access again)."""
    user = request.user
    if not user.is_authenticated:
        return {}
    roles = set(Membership.objects.filter(user_id=user.pk).values_list("role", flat=True))
    return {
        "nav_roles": roles,
        "nav_caseworker": Role.CASEWORKER in roles,
        "nav_leader": bool(roles & {Role.LEADER, Role.AUDITOR}),
        "nav_intake": bool(roles & {Role.INTAKE, Role.LEADER}),
        "nav_register": bool(roles & {Role.INTAKE, Role.CASEWORKER, Role.LEADER}),
        "nav_unit_admin": Role.LEADER in roles,
        "nav_catalogue": bool(roles & {Role.CASEWORKER, Role.LEADER}),
        # Members of a unit that publishes measures see the referrals it receives.
        "nav_provider": Membership.objects.filter(user_id=user.pk, unit__catalogue__isnull=False)
        .exclude(role=Role.ADMIN)
        .exists(),
    }
