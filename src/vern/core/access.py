"""Roles and units: who may do what. Deny by default; scoping of case data lives with each app."""

from __future__ import annotations

from collections.abc import Iterable

from django.http import Http404

from vern.core.models import Membership, Role, Unit, User


def units_with_role(user: User, roles: Iterable[str]) -> list[int]:
    if not user.is_authenticated or not user.is_active:
        return []
    return list(
        Membership.objects.filter(user=user, role__in=list(roles))
        .values_list("unit_id", flat=True)
        .distinct()
    )


def has_role(user: User, unit: Unit | int, roles: Iterable[str]) -> bool:
    unit_id = unit if isinstance(unit, int) else unit.pk
    return unit_id in units_with_role(user, roles)


def require_role(user: User, unit: Unit | int, roles: Iterable[str]) -> None:
    """Raise 404, not 403: a user outside the unit must not learn that the record exists."""
    if not has_role(user, unit, roles):
        raise Http404


def sees_protected_addresses(user: User, unit_id: int) -> bool:
    return Membership.objects.filter(user=user, unit_id=unit_id, sees_protected_addresses=True).exists()


CASE_READERS = (Role.CASEWORKER, Role.LEADER, Role.AUDITOR)
CASE_WRITERS = (Role.CASEWORKER, Role.LEADER)
