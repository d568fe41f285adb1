"""Synthetic referrals to the catalogue's providers, in every state, with their history.

Run after the units are seeded: some open cases of each service (children of an age the measure
takes) have ordered a measure in the last ten months; the provider has answered most of them, and
the referrals that started have an assignment (within the measure's capacity), delivered hours for
measures priced per hour, and evaluations and final reports. Deterministic for a seed and a day.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

from django.db import transaction

from vern.cases.models import Case
from vern.core.models import Membership, Role, Unit, User
from vern.referrals.models import (
    Assignment,
    AssignmentReport,
    CapacityUnit,
    CatalogueEntry,
    DeclineReason,
    DeliveredHours,
    PriceUnit,
    Referral,
    ReferralEvent,
)
from vern.rules import ages

Status = Referral.Status
# Shares of the referrals in each state (the rest have started or completed).
STATES: tuple[tuple[str, float], ...] = (
    (Status.ORDERED, 0.10),
    (Status.CALLED_BACK, 0.08),
    (Status.WAITING, 0.10),
    (Status.OFFERED, 0.08),
    (Status.DECLINED, 0.10),
    (Status.WITHDRAWN, 0.04),
    (Status.STARTED, 0.30),
    (Status.COMPLETED, 0.20),
)
# Referrals per service: one per this many open cases, within bounds.
CASES_PER_REFERRAL = 40
MIN_PER_UNIT, MAX_PER_UNIT = 3, 40
HOURS_PER_MONTH = 10
NEEDS = (
    "Konflikter i hjemmet og mye fravær fra skolen.",
    "Foreldrene trenger veiledning i samspill med et lite barn.",
    "Familien trenger praktisk hjelp i hverdagen etter samlivsbrudd.",
    "Ungdommen har alvorlige atferdsvansker og trenger et tiltak raskt.",
    "Barnet må bo et annet sted mens saken undersøkes videre.",
)


@dataclass
class _People:
    intake: User
    leader: User


def _people(unit: Unit, *, password: str, totp: Callable[[str], str]) -> _People:
    """The unit's intake and leader, made (with demo logins) for a provider that has no users."""
    found = {m.role: m.user for m in Membership.objects.filter(unit=unit).select_related("user")}
    if Role.INTAKE in found and Role.LEADER in found:
        return _People(found[Role.INTAKE], found[Role.LEADER])
    slug = "".join(c for c in unit.name.lower() if c.isalnum())[:20]
    made = {}
    for role, suffix, first in ((Role.INTAKE, "mottak", "Mona"), (Role.LEADER, "leder", "Leif")):
        username = f"{slug}-{suffix}"
        user = User.objects.create(
            username=username,
            first_name=first,
            last_name="Tiltak",
            password=password,
            totp_secret=totp(username),
            totp_confirmed=True,
        )
        Membership.objects.create(user=user, unit=unit, role=role)
        made[role] = user
    return _People(made[Role.INTAKE], made[Role.LEADER])


def _at(day: date, hour: int = 10) -> datetime:
    return datetime.combine(day, time(hour), UTC)


def _state(rng: random.Random) -> str:
    roll, total = rng.random(), 0.0
    for state, share in STATES:
        total += share
        if roll < total:
            return state
    return Status.COMPLETED


@transaction.atomic
def seed_referrals(*, seed: int, today: date, password: str, totp: Callable[[str], str]) -> int:
    entries = list(CatalogueEntry.objects.select_related("provider").order_by("pk"))
    if not entries:
        return 0
    rng = random.Random(f"{seed}:referrals")
    people = {
        pid: _people(Unit.objects.get(pk=pid), password=password, totp=totp)
        for pid in sorted({e.provider_id for e in entries})
    }
    running: Counter[int] = Counter()
    count = 0
    for unit in Unit.objects.filter(kind=Unit.Kind.SERVICE).order_by("pk"):
        cases = list(
            Case.objects.filter(unit=unit, closed_on__isnull=True, caseworker__isnull=False)
            .select_related("child")
            .order_by("pk")
        )
        wanted = min(MAX_PER_UNIT, max(MIN_PER_UNIT, len(cases) // CASES_PER_REFERRAL))
        for case in rng.sample(cases, min(wanted, len(cases))):
            age = ages.age_on(case.child.birth_date, today)
            fitting = [e for e in entries if e.age_from <= age <= e.age_to]
            if not fitting or case.caseworker is None:
                continue
            entry = rng.choice(fitting)
            _one(rng, case, entry, people[entry.provider_id], running, today=today)
            count += 1
    return count


def _one(
    rng: random.Random,
    case: Case,
    entry: CatalogueEntry,
    staff: _People,
    running: Counter[int],
    *,
    today: date,
) -> None:
    assert case.caseworker is not None
    worker = case.caseworker
    ordered_on = max(case.opened_on, today - timedelta(days=rng.randint(5, 300)))
    state = _state(rng)
    weight = HOURS_PER_MONTH if entry.capacity_unit == CapacityUnit.HOURS_PER_MONTH else 1
    if state in (Status.STARTED, Status.COMPLETED) and running[entry.pk] + weight > entry.capacity:
        state = Status.WAITING  # the measure is full: the referral waits
    referral = Referral.objects.create(
        entry=entry,
        case=case,
        ordering_unit=case.unit,
        provider=entry.provider,
        ordered_by=worker,
        ordered_at=_at(ordered_on),
        child_name=str(case.child),
        child_birth_date=case.child.birth_date,
        need=rng.choice(NEEDS),
        contact=worker.get_full_name(),
        status=state,
    )
    provider = entry.provider
    events = [
        ReferralEvent(
            referral=referral, status=Status.ORDERED, at=_at(ordered_on), by=worker, by_unit=case.unit
        )
    ]

    def step(status: str, on: date, by: User, unit: Unit, note: str = "") -> date:
        on = min(today, on)
        events.append(
            ReferralEvent(referral=referral, status=status, at=_at(on, 11), by=by, by_unit=unit, note=note)
        )
        return on

    day = ordered_on
    if state == Status.WITHDRAWN:
        step(
            Status.WITHDRAWN,
            day + timedelta(days=rng.randint(2, 20)),
            worker,
            case.unit,
            "Familien har flyttet.",
        )
    elif state != Status.ORDERED:
        day = referral.called_back_on = step(
            Status.CALLED_BACK, day + timedelta(days=rng.randint(1, 5)), staff.intake, provider
        )
    if state == Status.WAITING:
        step(Status.WAITING, day + timedelta(days=1), staff.intake, provider)
    elif state == Status.DECLINED:
        referral.decline_reason = rng.choice(
            [DeclineReason.CAPACITY, DeclineReason.CAPACITY, DeclineReason.TARGET_GROUP]
        )
        step(Status.DECLINED, day + timedelta(days=rng.randint(1, 7)), staff.leader, provider)
    elif state in (Status.OFFERED, Status.STARTED, Status.COMPLETED):
        day = step(Status.OFFERED, day + timedelta(days=rng.randint(3, 30)), staff.leader, provider)
        referral.offered_start_on = day + timedelta(days=rng.randint(7, 21))
        if state != Status.OFFERED:
            start = min(today, referral.offered_start_on)
            step(Status.STARTED, start, staff.intake, provider)
            ended = _assignment(rng, referral, entry, staff, start=start, today=today)
            if ended is not None:
                step(Status.COMPLETED, ended, staff.intake, provider, "Sluttrapport sendt.")
            else:
                running[entry.pk] += weight
    referral.save()
    ReferralEvent.objects.bulk_create(events)


def _assignment(
    rng: random.Random, referral: Referral, entry: CatalogueEntry, staff: _People, *, start: date, today: date
) -> date | None:
    """The assignment of a started referral, with its reports and hours; the day it ended, if it has."""
    length = rng.randint(60, 180)
    assignment = Assignment.objects.create(
        referral=referral,
        start_meeting_on=start,
        starts_on=start,
        ends_on=start + timedelta(days=length),
        evaluation_on=start + timedelta(days=length // 2),
        hours_per_month=HOURS_PER_MONTH if entry.capacity_unit == CapacityUnit.HOURS_PER_MONTH else None,
        price=entry.price,
        price_unit=entry.price_unit,
    )
    reports = []
    if assignment.evaluation_on <= today:
        reports.append(
            AssignmentReport(
                assignment=assignment,
                kind=AssignmentReport.Kind.EVALUATION,
                written_on=assignment.evaluation_on,
                text="Samarbeidet er godt i gang; målene står ved lag.",
                by=staff.intake,
            )
        )
    ended = None
    if referral.status == Status.COMPLETED:
        ended = min(today, start + timedelta(days=rng.randint(45, length)))
        assignment.ended_on = ended
        assignment.save(update_fields=["ended_on"])
        reports.append(
            AssignmentReport(
                assignment=assignment,
                kind=AssignmentReport.Kind.FINAL,
                written_on=ended,
                text="Målene er i hovedsak nådd.",
                by=staff.intake,
            )
        )
    AssignmentReport.objects.bulk_create(reports)
    if entry.price_unit == PriceUnit.HOUR:
        month, last, rows = start.replace(day=1), ended or today, []
        while month <= last:
            rows.append(
                DeliveredHours(
                    assignment=assignment,
                    month=month,
                    hours=Decimal(rng.randint(6, 12)),
                    recorded_by=staff.intake,
                )
            )
            month = (month + timedelta(days=32)).replace(day=1)
        DeliveredHours.objects.bulk_create(rows)
    return ended
