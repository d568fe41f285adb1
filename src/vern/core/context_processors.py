from __future__ import annotations

from django.db.models import Count
from django.http import HttpRequest

from vern.core.models import Membership, Role


def navigation(request: HttpRequest) -> dict[str, object]:
    """Which menu entries the user's roles give (the views check access again)."""
    user = request.user
    if not user.is_authenticated:
        return {}
    # One query on every page: the roles, and whether a unit the user works in publishes measures.
    memberships = list(
        Membership.objects.filter(user_id=user.pk)
        .annotate(measures=Count("unit__catalogue"))
        .values_list("role", "measures")
    )
    roles = {role for role, _measures in memberships}
    return {
        "nav_roles": roles,
        "nav_caseworker": Role.CASEWORKER in roles,
        "nav_leader": bool(roles & {Role.LEADER, Role.AUDITOR}),
        "nav_intake": bool(roles & {Role.INTAKE, Role.LEADER}),
        "nav_register": bool(roles & {Role.INTAKE, Role.CASEWORKER, Role.LEADER}),
        "nav_unit_admin": Role.LEADER in roles,
        "nav_catalogue": bool(roles & {Role.CASEWORKER, Role.LEADER}),
        # Members of a unit that publishes measures see the referrals it receives.
        "nav_provider": any(measures and role != Role.ADMIN for role, measures in memberships),
    }
