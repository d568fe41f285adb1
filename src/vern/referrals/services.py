"""Ordering a measure and the provider's answers, each step one transaction with its audit row and
an event both sides see. A step that does not fit the referral's status is refused (Norwegian
message) and changes nothing."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from vern.cases.models import Case
from vern.core import codes
from vern.core.audit import Extra, audit
from vern.core.audit_events import AuditEvent
from vern.core.codelists import paths
from vern.core.dates import local_date, today
from vern.core.models import Unit, User
from vern.core.validation import require_not_future
from vern.measures.models import Plan
from vern.referrals.exchange import outgoing
from vern.referrals.models import (
    OPEN_STATUSES,
    AgencyAnswer,
    Assignment,
    AssignmentReport,
    CapacityUnit,
    CatalogueEntry,
    DeclineReason,
    DeliveredHours,
    MeasureBudget,
    PriceUnit,
    Referral,
    ReferralEvent,
)
from vern.rules import ages, plans

Status = Referral.Status


def may_order(entry: CatalogueEntry, unit: Unit) -> bool:
    """Whether ``unit`` may order ``entry``: it is offered, and open to every service or to this one."""
    if not entry.active:
        return False
    allowed = set(entry.orderable_by.values_list("pk", flat=True))
    return not allowed or unit.pk in allowed


def _audit(event: AuditEvent, referral: Referral, *, by: User | None, unit: Unit, extra: Extra) -> None:
    audit(event=event, by=by, obj=referral, case_id=referral.case_id, unit=unit, extra=extra)


def _step(
    referral: Referral,
    *,
    by: User | None,
    unit: Unit,
    status: str,
    note: str = "",
    event: AuditEvent = AuditEvent.REFERRAL_STEP,
    extra: Extra | None = None,
) -> None:
    ReferralEvent.objects.create(
        referral=referral, status=status, at=timezone.now(), by=by, by_unit=unit, note=note
    )
    _audit(event, referral, by=by, unit=unit, extra=extra or {"status": status})


# Where each step may come from: one table for the services and for the pages' forms.
MOVES: dict[str, frozenset[str]] = {
    Status.CALLED_BACK: frozenset({Status.ORDERED}),
    Status.WAITING: frozenset({Status.ORDERED, Status.CALLED_BACK}),
    Status.OFFERED: frozenset({Status.ORDERED, Status.CALLED_BACK, Status.WAITING}),
    Status.DECLINED: frozenset({Status.ORDERED, Status.CALLED_BACK, Status.WAITING}),
    Status.WITHDRAWN: OPEN_STATUSES,
    Status.STARTED: frozenset({Status.OFFERED}),
    Status.COMPLETED: frozenset({Status.STARTED}),
}


def can_move(referral: Referral, to: str) -> bool:
    return referral.status in MOVES[to]


def _require(referral: Referral, to: str) -> None:
    if not can_move(referral, to):
        raise ValidationError(
            _("The referral is %(status)s; that step is not possible now.")
            % {"status": referral.get_status_display()}
        )


def _move(
    referral: Referral, to: str, *, by: User | None, unit: Unit, note: str = "", **fields: object
) -> Referral:
    """Take the referral to status ``to`` (checked already), with the fields that step records, and
    tell the other side if it is in another system (``unit`` took the step)."""
    referral.status = to
    for name, value in fields.items():
        setattr(referral, name, value)
    referral.save(update_fields=["status", *fields])
    _step(referral, by=by, unit=unit, status=to, note=note)
    outgoing.for_step(referral, to, acting=unit, by=by, note=note)
    return referral


def _check_agency(entry: CatalogueEntry, asked_on: date | None, answer: str) -> tuple[date | None, str]:
    """Oslo's rule: the day the agency was asked and its answer, for a measure that names one."""
    if entry.ask_first_id is None:
        return None, ""
    if asked_on is not None:
        require_not_future(asked_on, _("The day the agency was asked"))
        if answer not in AgencyAnswer.values:
            raise ValidationError(_("Give the agency's answer (or that there is none yet)."))
    elif answer:
        raise ValidationError(_("Give the day the agency was asked."))
    return asked_on, answer


def _check_age(entry: CatalogueEntry, birth_date: date) -> None:
    age = ages.age_on(birth_date, today())
    if not entry.age_from <= age <= entry.age_to:
        raise ValidationError(
            _("The measure is for ages %(low)s–%(high)s; the child is %(age)s.")
            % {"low": entry.age_from, "high": entry.age_to, "age": age}
        )


@transaction.atomic
def referral_order(
    *,
    case: Case,
    entry: CatalogueEntry,
    by: User,
    need: str,
    contact: str,
    wanted_start_on: date | None = None,
    agency_asked_on: date | None = None,
    agency_answer: str = "",
) -> Referral:
    """Order ``entry`` for the child of ``case``. The provider's intake sees it at once.

    For a measure the catalogue says to ask a central agency for first (Oslo's rule for specialised
    measures from private providers), the order records when the agency was asked and its answer;
    an order without them is accepted and reported as not following the rule."""
    if case.closed_on is not None:
        raise ValidationError(_("The case is closed."))
    if Referral.objects.filter(case=case, entry=entry, status__in=OPEN_STATUSES).exists():
        raise ValidationError(_("This measure is already ordered for the child."))
    return _create(
        entry=entry,
        ordering_unit=case.unit,
        by=by,
        child_name=str(case.child),
        child_birth_date=case.child.birth_date,
        need=need,
        contact=contact,
        wanted_start_on=wanted_start_on,
        agency_asked_on=agency_asked_on,
        agency_answer=agency_answer,
        case=case,
        ordered_at=timezone.now(),
    )


@transaction.atomic
def referral_receive(
    *,
    entry: CatalogueEntry,
    ordering_unit: Unit,
    exchange_id: uuid.UUID,
    ordered_at: datetime,
    child_name: str,
    child_birth_date: date,
    need: str,
    contact: str,
    wanted_start_on: date | None = None,
    agency_asked_on: date | None = None,
    agency_answer: str = "",
) -> Referral:
    """A referral that came as a message from a service in another system: the provider's intake
    sees it at once, with what the message shares (the case stays with the service)."""
    return _create(
        entry=entry,
        ordering_unit=ordering_unit,
        by=None,
        child_name=child_name,
        child_birth_date=child_birth_date,
        need=need,
        contact=contact,
        wanted_start_on=wanted_start_on,
        agency_asked_on=agency_asked_on,
        agency_answer=agency_answer,
        ordered_at=ordered_at,
        exchange_id=exchange_id,
    )


def _create(
    *,
    entry: CatalogueEntry,
    ordering_unit: Unit,
    by: User | None,
    child_name: str,
    child_birth_date: date,
    need: str,
    contact: str,
    wanted_start_on: date | None,
    agency_asked_on: date | None,
    agency_answer: str,
    **fields: object,
) -> Referral:
    """The checks every order passes, wherever it was made, and the referral with its first step
    (sent on to the provider when the provider is in another system)."""
    if not may_order(entry, ordering_unit):
        raise ValidationError(_("Your service may not order this measure."))
    _check_age(entry, child_birth_date)
    if not need.strip():
        raise ValidationError(_("Describe what the child and the family need."))
    agency_asked_on, agency_answer = _check_agency(entry, agency_asked_on, agency_answer)
    referral = Referral.objects.create(
        entry=entry,
        ordering_unit=ordering_unit,
        provider=entry.provider,
        ordered_by=by,
        child_name=child_name,
        child_birth_date=child_birth_date,
        need=need.strip(),
        contact=contact.strip(),
        wanted_start_on=wanted_start_on,
        agency_asked_on=agency_asked_on,
        agency_answer=agency_answer,
        **fields,
    )
    _step(referral, by=by, unit=ordering_unit, status=Status.ORDERED)
    outgoing.for_step(referral, Status.ORDERED, acting=ordering_unit, by=by)
    return referral


@transaction.atomic
def referral_call_back(*, referral: Referral, by: User | None, called_on: date, note: str = "") -> Referral:
    """The provider has called the ordering caseworker back."""
    _require(referral, Status.CALLED_BACK)
    require_not_future(called_on, _("The call back"))
    if called_on < local_date(referral.ordered_at):
        raise ValidationError(_("The call back cannot be before the referral was ordered."))
    return _move(
        referral, Status.CALLED_BACK, by=by, unit=referral.provider, note=note, called_back_on=called_on
    )


@transaction.atomic
def referral_offer(
    *, referral: Referral, by: User | None, start_on: date, note: str = "", given_on: date | None = None
) -> Referral:
    """The provider accepts: an offer (tilsagn) with a start date, not before the day it is given
    (today, or the day an offer that came as a message was sent)."""
    _require(referral, Status.OFFERED)
    if start_on < (given_on or today()):
        raise ValidationError(_("The offered start cannot be in the past."))
    return _move(
        referral, Status.OFFERED, by=by, unit=referral.provider, note=note, offered_start_on=start_on
    )


@transaction.atomic
def referral_wait(*, referral: Referral, by: User | None, note: str = "") -> Referral:
    """The provider puts the referral on its waiting list."""
    _require(referral, Status.WAITING)
    return _move(referral, Status.WAITING, by=by, unit=referral.provider, note=note)


@transaction.atomic
def referral_decline(*, referral: Referral, by: User | None, reason: str, note: str = "") -> Referral:
    """The provider declines, with a reason (counted in the statistics)."""
    _require(referral, Status.DECLINED)
    if reason not in DeclineReason.values:
        raise ValidationError(_("Choose a reason."))
    if reason == DeclineReason.OTHER and not note.strip():
        raise ValidationError(_("Say why when the reason is “other”."))
    return _move(referral, Status.DECLINED, by=by, unit=referral.provider, note=note, decline_reason=reason)


@transaction.atomic
def referral_withdraw(*, referral: Referral, by: User | None, note: str) -> Referral:
    """The ordering service withdraws a referral that has not started."""
    _require(referral, Status.WITHDRAWN)
    if not note.strip():
        raise ValidationError(_("Say why the referral is withdrawn."))
    return _move(referral, Status.WITHDRAWN, by=by, unit=referral.ordering_unit, note=note)


@transaction.atomic
def assignment_start(
    *,
    referral: Referral,
    by: User | None,
    start_meeting_on: date,
    starts_on: date,
    ends_on: date,
    evaluation_on: date,
    hours_per_month: int | None = None,
    price: tuple[Decimal, str] | None = None,
) -> Assignment:
    """The start meeting has been held: the assignment starts, time-limited, with its evaluation date
    (and, for a measure counted in hours, the hours a month it takes of the provider's capacity).
    It keeps the catalogue's price, or ``price`` (amount, unit) as the provider's system sent it."""
    _require(referral, Status.STARTED)
    if referral.entry.capacity_unit == CapacityUnit.HOURS_PER_MONTH and not hours_per_month:
        raise ValidationError(_("Give the hours a month the assignment takes."))
    require_not_future(start_meeting_on, _("The start meeting"))
    if ends_on < starts_on:
        raise ValidationError(_("The assignment cannot end before it starts."))
    if not starts_on <= evaluation_on <= ends_on:
        raise ValidationError(_("The evaluation must fall within the assignment."))
    assignment = Assignment.objects.create(
        referral=referral,
        start_meeting_on=start_meeting_on,
        starts_on=starts_on,
        ends_on=ends_on,
        evaluation_on=evaluation_on,
        hours_per_month=hours_per_month,
        price=price[0] if price else referral.entry.price,
        price_unit=price[1] if price else referral.entry.price_unit,
    )
    note = _("Start meeting %(meeting)s; %(start)s–%(end)s, evaluation %(evaluation)s.") % {
        "meeting": f"{start_meeting_on:%d.%m.%Y}",
        "start": f"{starts_on:%d.%m.%Y}",
        "end": f"{ends_on:%d.%m.%Y}",
        "evaluation": f"{evaluation_on:%d.%m.%Y}",
    }
    _move(referral, Status.STARTED, by=by, unit=referral.provider, note=note)
    return assignment


def _help_plan(case: Case | None, day: date) -> Plan | None:
    if case is None:  # the provider's system: the plan is with the ordering service
        return None
    return (
        Plan.objects.filter(
            case=case, plan_type=plans.HELP_MEASURE_PLAN, start_on__lte=day, end_on__isnull=True
        )
        .order_by("-start_on")
        .first()
    )


@transaction.atomic
def assignment_report(
    *, assignment: Assignment, by: User | None, kind: str, written_on: date, text: str
) -> AssignmentReport:
    """An evaluation or the final report, sent back to the ordering case and its plan for help
    measures (the one in force that day, if any). The final report completes the referral."""
    referral = assignment.referral
    _require(referral, Status.COMPLETED)
    require_not_future(written_on, _("The report's date"))
    if written_on < assignment.starts_on:
        raise ValidationError(_("A report cannot be dated before the assignment started."))
    if kind not in AssignmentReport.Kind.values:
        raise ValidationError(_("Choose what kind of report it is."))
    if not text.strip():
        raise ValidationError(_("Write the report."))
    report = AssignmentReport.objects.create(
        assignment=assignment,
        kind=kind,
        written_on=written_on,
        text=text.strip(),
        by=by,
        plan=_help_plan(referral.case, written_on),
    )
    outgoing.for_report(report, by=by)
    if kind == AssignmentReport.Kind.FINAL:
        assignment.ended_on = written_on
        assignment.save(update_fields=["ended_on"])
        _move(referral, Status.COMPLETED, by=by, unit=referral.provider, note=_("Final report sent."))
    else:
        _audit(
            AuditEvent.REFERRAL_EVALUATION_SENT,
            referral,
            by=by,
            unit=referral.provider,
            extra={"report": report.pk},
        )
    return report


def _check_entry(*, age_from: int, age_to: int, capacity: int, price: Decimal) -> None:
    if age_from > age_to:
        raise ValidationError(_("The lowest age cannot be above the highest."))
    if capacity < 1:
        raise ValidationError(_("The capacity must be at least 1."))
    if price < 0:
        raise ValidationError(_("The price cannot be negative."))


@transaction.atomic
def catalogue_publish(
    *,
    provider: Unit,
    by: User,
    name: str,
    method: str,
    kind: str,
    target_group: str,
    age_from: int,
    age_to: int,
    category: str,
    capacity: int,
    capacity_unit: str,
    price: Decimal,
    price_unit: str,
    evidence_level: str,
    description: str = "",
    ask_first: Unit | None = None,
) -> CatalogueEntry:
    """A provider publishes a measure in the catalogue, with the register category services record."""
    _check_entry(age_from=age_from, age_to=age_to, capacity=capacity, price=price)
    codes.require_valid(paths.MEASURE_CATEGORY, [category], today())
    entry = CatalogueEntry.objects.create(
        provider=provider,
        name=name.strip(),
        description=description.strip(),
        method=method,
        kind=kind,
        target_group=target_group.strip(),
        age_from=age_from,
        age_to=age_to,
        category=category,
        capacity=capacity,
        capacity_unit=capacity_unit,
        price=price,
        price_unit=price_unit,
        evidence_level=evidence_level,
        ask_first=ask_first,
    )
    audit(event=AuditEvent.CATALOGUE_ENTRY_ADDED, by=by, obj=entry, unit=provider)
    return entry


@transaction.atomic
def catalogue_change(
    *, entry: CatalogueEntry, by: User, capacity: int, price: Decimal, active: bool
) -> CatalogueEntry:
    """Change a measure's capacity and price, or stop (and start again) offering it. Referrals
    already made keep their measure."""
    _check_entry(age_from=entry.age_from, age_to=entry.age_to, capacity=capacity, price=price)
    entry.capacity, entry.price, entry.active = capacity, price, active
    entry.save(update_fields=["capacity", "price", "active"])
    audit(event=AuditEvent.CATALOGUE_ENTRY_CHANGED, by=by, obj=entry, unit=entry.provider)
    return entry


@transaction.atomic
def hours_record(*, assignment: Assignment, by: User, month: date, hours: Decimal) -> DeliveredHours:
    """The hours delivered in a month on an assignment priced per hour (replacing an earlier figure)."""
    first = month.replace(day=1)
    if assignment.price_unit != PriceUnit.HOUR:
        raise ValidationError(_("Only assignments priced per hour have hours recorded."))
    if first > today() or first < assignment.starts_on.replace(day=1):
        raise ValidationError(_("Hours can be recorded only for months of the assignment up to this one."))
    if hours < 0 or hours > 744:
        raise ValidationError(_("The hours must lie between 0 and 744."))
    row, _created = DeliveredHours.objects.update_or_create(
        assignment=assignment, month=first, defaults={"hours": hours, "recorded_by": by}
    )
    referral = assignment.referral
    _audit(
        AuditEvent.REFERRAL_HOURS_RECORDED,
        referral,
        by=by,
        unit=referral.provider,
        extra={"month": f"{first:%Y-%m}"},
    )
    return row


@transaction.atomic
def budget_set(*, unit: Unit, by: User, year: int, amount: Decimal) -> MeasureBudget:
    if amount < 0:
        raise ValidationError(_("The budget cannot be negative."))
    budget, _created = MeasureBudget.objects.update_or_create(
        unit=unit, year=year, defaults={"amount": amount, "set_by": by}
    )
    audit(event=AuditEvent.BUDGET_SET, by=by, obj=budget, unit=unit, extra={"year": year})
    return budget


@transaction.atomic
def referral_agency_answer(*, referral: Referral, by: User, answer: str) -> Referral:
    """The central agency's answer came after the order: record it."""
    if referral.agency_asked_on is None or referral.agency_answer != AgencyAnswer.PENDING:
        raise ValidationError(_("This referral waits for no answer from the agency."))
    if answer not in {AgencyAnswer.NO_OFFER, AgencyAnswer.OFFERED}:
        raise ValidationError(_("Choose the agency's answer."))
    referral.agency_answer = answer
    referral.save(update_fields=["agency_answer"])
    _step(
        referral,
        by=by,
        unit=referral.ordering_unit,
        status=referral.status,
        note=_("The agency's answer: %(answer)s.") % {"answer": referral.get_agency_answer_display()},
        event=AuditEvent.REFERRAL_AGENCY_ANSWERED,
        extra={"answer": answer},
    )
    return referral
