"""Who sees a referral, and the figures both tiers share: free capacity, waiting time, statistics.

A referral is seen from two sides. The ordering side is whoever may read its case (the case's own
access rules). The provider side is the provider unit's intake, caseworkers, leaders and
auditors; they see what the referral shares, never the case behind it.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from datetime import timedelta
from enum import StrEnum
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum
from django.http import Http404
from django.utils import timezone

from vern.cases.selectors import visible_cases, writable_cases
from vern.core.access import units_with_role
from vern.core.audit import audit
from vern.core.audit_events import AuditEvent
from vern.core.dates import local_date
from vern.core.models import Role, Unit, User
from vern.referrals.models import AgencyAnswer, CapacityUnit, CatalogueEntry, Referral, ReferralEvent

PROVIDER_ROLES = (Role.INTAKE, Role.CASEWORKER, Role.LEADER, Role.AUDITOR)
PROVIDER_WRITERS = (Role.INTAKE, Role.CASEWORKER, Role.LEADER)
# Waiting time is the median of the referrals offered in this many days.
WAITING_WINDOW_DAYS = 180


class Side(StrEnum):
    ORDERING = "ordering"
    PROVIDER = "provider"


def provider_unit_ids(user: User, *, write: bool = False) -> list[int]:
    return units_with_role(user, PROVIDER_WRITERS if write else PROVIDER_ROLES)


def get_referral_for(user: User, referral_id: int, *, write: bool = False) -> tuple[Referral, Side]:
    """The referral and the side the user sees it from (the ordering side first); 404 otherwise.

    Reading it is logged against its case, as any read of case data."""
    referrals = Referral.objects.select_related("entry", "case", "ordering_unit", "provider")
    cases = writable_cases(user) if write else visible_cases(user)
    referral = referrals.filter(pk=referral_id, case__in=cases).first()
    side = Side.ORDERING
    if referral is None:
        referral = referrals.filter(
            pk=referral_id, provider_id__in=provider_unit_ids(user, write=write)
        ).first()
        side = Side.PROVIDER
    if referral is None:
        raise Http404
    if not write:
        audit(
            event=AuditEvent.REFERRAL_VIEWED,
            by=user,
            obj=referral,
            case_id=referral.case_id,
            unit=referral.ordering_unit if side is Side.ORDERING else referral.provider,
        )
    return referral, side


def incoming(provider_ids: list[int]) -> QuerySet[Referral]:
    """The provider's referrals, oldest first, without their cases."""
    return (
        Referral.objects.filter(provider_id__in=provider_ids)
        .select_related("entry", "ordering_unit")
        .order_by("ordered_at")
    )


@dataclass(frozen=True)
class Availability:
    in_use: int
    free: int
    waiting: int
    waiting_days: float | None  # median days from order to offer, recently


def availability(entries: list[CatalogueEntry]) -> dict[int, Availability]:
    """Today's free capacity of each entry (places or hours a month in running assignments), its
    waiting list, and how long the referrals offered in the last 180 days waited (median days)."""
    ids = [e.pk for e in entries]
    running = Referral.objects.filter(entry_id__in=ids, status=Referral.Status.STARTED).values("entry_id")
    places = dict(running.annotate(n=Count("pk")).values_list("entry_id", "n"))
    hours = dict(running.annotate(h=Sum("assignment__hours_per_month")).values_list("entry_id", "h"))
    waiting = dict(
        Referral.objects.filter(entry_id__in=ids, status=Referral.Status.WAITING)
        .values("entry_id")
        .annotate(n=Count("pk"))
        .values_list("entry_id", "n")
    )
    since = timezone.now() - timedelta(days=WAITING_WINDOW_DAYS)
    waits: dict[int, list[float]] = {}
    for entry_id, offered_at, ordered_at in ReferralEvent.objects.filter(
        referral__entry_id__in=ids, status=Referral.Status.OFFERED, at__gte=since
    ).values_list("referral__entry_id", "at", "referral__ordered_at"):
        waits.setdefault(entry_id, []).append((offered_at - ordered_at).total_seconds() / 86400)
    result = {}
    for entry in entries:
        used = (
            (hours.get(entry.pk) or 0)
            if entry.capacity_unit == CapacityUnit.HOURS_PER_MONTH
            else places.get(entry.pk, 0)
        )
        days = waits.get(entry.pk)
        result[entry.pk] = Availability(
            in_use=used,
            free=max(entry.capacity - used, 0),
            waiting=waiting.get(entry.pk, 0),
            waiting_days=round(statistics.median(days), 1) if days else None,
        )
    return result


def catalogue_for(unit: Unit) -> QuerySet[CatalogueEntry]:
    """The measures ``unit`` may order: offered, and open to every service or to this one."""
    return (
        CatalogueEntry.objects.filter(active=True)
        .filter(Q(orderable_by__isnull=True) | Q(orderable_by=unit))
        .select_related("provider")
        .distinct()
        .order_by("name")
    )


def statistics_by_ordering_unit(provider_ids: list[int], start: Any, end: Any) -> list[dict[str, Any]]:
    """Per ordering service, referrals ordered in [start, end]: how many, offered, declined by
    reason, waiting, completed (the "referrals received / got help" of a provider's report)."""
    rows = (
        Referral.objects.filter(provider_id__in=provider_ids, ordered_at__date__range=(start, end))
        .values("ordering_unit__name")
        .annotate(
            referrals=Count("pk"),
            offered=Count("pk", filter=Q(status__in=["offered", "started", "completed"])),
            declined=Count("pk", filter=Q(status="declined")),
            declined_capacity=Count("pk", filter=Q(status="declined", decline_reason="capacity")),
            waiting=Count("pk", filter=Q(status="waiting")),
            completed=Count("pk", filter=Q(status="completed")),
        )
        .order_by("ordering_unit__name")
    )
    return list(rows)


class Compliance(StrEnum):
    FOLLOWED = "followed"  # asked before ordering; the agency could not offer it
    AGENCY_OFFERED = "agency_offered"
    PENDING = "pending"
    NOT_ASKED = "not_asked"


def compliance(referral: Referral) -> Compliance | None:
    """Whether an order of a measure under the "ask the agency first" rule followed it."""
    if referral.entry.ask_first_id is None:
        return None
    ordered_on = local_date(referral.ordered_at)
    if referral.agency_asked_on is None or referral.agency_asked_on > ordered_on:
        return Compliance.NOT_ASKED
    if referral.agency_answer == AgencyAnswer.NO_OFFER:
        return Compliance.FOLLOWED
    if referral.agency_answer == AgencyAnswer.OFFERED:
        return Compliance.AGENCY_OFFERED
    return Compliance.PENDING


def compliance_by_unit(
    year: int, *, agency_id: int | None = None, ordering_ids: list[int] | None = None
) -> list[dict[str, Any]]:
    """Per ordering service, the year's orders under the rule and how many followed it."""
    referrals = Referral.objects.filter(entry__ask_first__isnull=False, ordered_at__year=year).select_related(
        "entry", "ordering_unit"
    )
    if agency_id is not None:
        referrals = referrals.filter(entry__ask_first_id=agency_id)
    if ordering_ids is not None:
        referrals = referrals.filter(ordering_unit_id__in=ordering_ids)
    rows: dict[str, dict[str, Any]] = {}
    for referral in referrals:
        name = referral.ordering_unit.name
        row = rows.setdefault(name, {"unit": name, "orders": 0, **{c.value: 0 for c in Compliance}})
        row["orders"] += 1
        row[str(compliance(referral))] += 1
    return [rows[name] for name in sorted(rows)]
