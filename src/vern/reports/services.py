"""Changes to what the reports are computed over: comparison groups and population figures.

Both hold aggregates only: a group names the units whose figures are shown side by side, never a case.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from vern.core.access import units_with_role
from vern.core.audit import audit
from vern.core.audit_events import AuditEvent
from vern.core.dates import today
from vern.core.models import Role, Unit, User
from vern.reports.models import Population, UnitGroup

NAME_LENGTH = 150
MIN_GROUP_UNITS = 2
SOURCE_LENGTH = 200
# Population figures are taken from this year on (no indicator is computed before it).
FIRST_POPULATION_YEAR = 2000


def comparable_units() -> QuerySet[Unit]:
    """The units a group may hold: the services whose cases are kept here."""
    return Unit.objects.filter(kind=Unit.Kind.SERVICE, remote=False).order_by("name")


def groups_led_by(user: User) -> list[UnitGroup]:
    """The groups a leader may change: those with a unit the user leads."""
    led = units_with_role(user, [Role.LEADER])
    return list(UnitGroup.objects.filter(units__in=led).distinct().order_by("name"))


def unit_group_save(
    *, name: str, units: Iterable[Unit], by: User | None, group: UnitGroup | None = None
) -> UnitGroup:
    """Make a comparison group, or change ``group``'s name and units.

    A group compares at least two services kept here. A leader (``by``) may make or change only a
    group that holds a unit they lead, and keeps one in it; ``by`` is None for the operator's
    ``vern unit_group``.
    """
    name = name.strip()
    chosen = {unit.pk: unit for unit in units}
    if not 1 <= len(name) <= NAME_LENGTH:
        raise ValidationError(_("The name must have 1 to %(n)s characters.") % {"n": NAME_LENGTH})
    same_name = UnitGroup.objects.filter(name=name)
    if (same_name.exclude(pk=group.pk) if group else same_name).exists():
        raise ValidationError(_("There is already a comparison group with this name."))
    if len(chosen) < MIN_GROUP_UNITS:
        raise ValidationError(_("Choose at least two units to compare."))
    allowed = {unit.pk for unit in comparable_units()}
    if not set(chosen) <= allowed:
        raise ValidationError(_("A comparison group holds only child welfare services kept in Vern."))
    if by is not None:
        led = set(units_with_role(by, [Role.LEADER]))
        before = set() if group is None else set(group.units.values_list("pk", flat=True))
        if group is not None and not before & led:
            raise ValidationError(_("You may change only a group with a unit you lead."))
        if not set(chosen) & led:
            raise ValidationError(_("The group must hold a unit you lead."))
    with transaction.atomic():
        created = group is None
        group = group or UnitGroup(name=name)
        group.name = name
        group.save()
        group.units.set(chosen.values())
        audit(
            event=AuditEvent.UNIT_GROUP_CREATED if created else AuditEvent.UNIT_GROUP_CHANGED,
            by=by,
            obj=group,
            extra={"units": len(chosen)},
        )
    return group


def population_set(*, unit: Unit, year: int, children: int, by: User | None, source: str = "") -> Population:
    """The number of children 0–17 living in the unit's area in ``year`` (e.g. Statistics Norway's
    table 07459 as of 1 January), replacing an earlier figure for that year: the denominator of the
    rates per 1,000 children. A leader enters it on the unit's page; ``vern import_population``
    (``by`` None) reads many from a file."""
    latest = today().year + 1
    if not FIRST_POPULATION_YEAR <= year <= latest:
        raise ValidationError(
            _("Give a year from %(first)s to %(last)s.") % {"first": FIRST_POPULATION_YEAR, "last": latest}
        )
    if children < 1:
        raise ValidationError(_("The number of children must be a whole number above 0."))
    if unit.kind != Unit.Kind.SERVICE:
        raise ValidationError(_("Population figures belong to child welfare services."))
    with transaction.atomic():
        figure, created = Population.objects.update_or_create(
            unit=unit, year=year, defaults={"children": children, "source": source.strip()[:SOURCE_LENGTH]}
        )
        audit(
            event=AuditEvent.POPULATION_RECORDED if created else AuditEvent.POPULATION_CHANGED,
            by=by,
            obj=figure,
            unit=unit,
            extra={"year": year, "children": children},
        )
    return figure
