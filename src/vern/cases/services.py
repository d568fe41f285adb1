"""State changes of children, cases and parties. Each runs in one transaction with its audit row."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from vern.cases.models import (
    BirthDateBasis,
    Case,
    CaseClosing,
    Child,
    Gender,
    IdentityKind,
    JournalSequence,
    Party,
)
from vern.core.audit import audit
from vern.core.audit_events import AuditEvent
from vern.core.identity import IdentityNumber, IdentityNumberKind
from vern.core.models import Membership, Role, Unit, User
from vern.core.validation import require_not_future
from vern.intake.models import feedback_owed_q
from vern.rules.conclusions import REVIEW_SENDS_TO_INVESTIGATION

KIND_FROM_IDENTITY = {
    IdentityNumberKind.FODSELSNUMMER: IdentityKind.FODSELSNUMMER,
    IdentityNumberKind.D_NUMMER: IdentityKind.D_NUMMER,
    IdentityNumberKind.UNKNOWN_PLACEHOLDER_00100: IdentityKind.UNKNOWN_00100,
    IdentityNumberKind.UNKNOWN_PLACEHOLDER_00200: IdentityKind.UNKNOWN_00200,
    IdentityNumberKind.UNBORN_PLACEHOLDER: IdentityKind.UNBORN,
}


@dataclass(frozen=True)
class ChildFacts:
    """A child as validated at the edge: either an identity number or a DUF number with birth date."""

    identity: IdentityNumber | None
    duf_number: str
    birth_date: date
    gender: str
    first_name: str
    last_name: str
    address: str = ""
    address_protection: str = ""
    birth_date_basis: str = BirthDateBasis.KNOWN


def child_find_or_create(*, facts: ChildFacts) -> tuple[Child, bool]:
    """Find the child by identity number (or DUF number), or create it. Returns (child, created).

    Placeholder numbers are not unique to one person (two unknown children may share a birth
    date), so they never match an existing child.
    """
    if facts.identity is not None and facts.identity.kind in (
        IdentityNumberKind.FODSELSNUMMER,
        IdentityNumberKind.D_NUMMER,
    ):
        existing = Child.objects.filter(identity_number=facts.identity.number).first()
        if existing is not None:
            return existing, False
    elif facts.identity is None and facts.duf_number:
        existing = Child.objects.filter(duf_number=facts.duf_number).first()
        if existing is not None:
            return existing, False
    if facts.identity is not None:
        kind = KIND_FROM_IDENTITY[facts.identity.kind]
        number = facts.identity.number
    elif facts.duf_number:
        kind, number = IdentityKind.DUF, ""
    else:
        kind, number = IdentityKind.UNIDENTIFIED, ""
    gender = Gender.UNBORN if kind == IdentityKind.UNBORN else facts.gender
    child = Child.objects.create(
        identity_kind=kind,
        identity_number=number,
        duf_number=facts.duf_number,
        birth_date=facts.birth_date,
        birth_date_basis=facts.birth_date_basis,
        gender=gender,
        first_name=facts.first_name,
        last_name=facts.last_name,
        address=facts.address,
        address_protection=facts.address_protection,
    )
    return child, True


def _next_journal_number(unit: Unit, year: int) -> str:
    seq, _created = JournalSequence.objects.select_for_update().get_or_create(unit=unit, year=year)
    seq.last += 1
    seq.save(update_fields=["last"])
    return f"{year}/{seq.last:06d}"


def case_open_or_get(*, unit: Unit, child: Child, by: User | None, opened_on: date) -> tuple[Case, bool]:
    """The child's open case in the unit, or a new one. Call inside a transaction.

    ``by`` is None when no person registers it (a digital report of concern).
    """
    existing = Case.objects.select_for_update().filter(unit=unit, child=child, closed_on__isnull=True).first()
    if existing is not None:
        return existing, False
    caseworker = (
        by
        if by is not None and Membership.objects.filter(user=by, unit=unit, role=Role.CASEWORKER).exists()
        else None
    )
    case = Case.objects.create(
        unit=unit,
        child=child,
        journal_number=_next_journal_number(unit, opened_on.year),
        opened_on=opened_on,
        caseworker=caseworker,
    )
    audit(event=AuditEvent.CASE_CREATED, by=by, case_id=case.pk, unit=unit)
    return case, True


def case_assign(*, case: Case, caseworker: User | None, by: User) -> Case:
    with transaction.atomic():
        if (
            caseworker is not None
            and not Membership.objects.filter(user=caseworker, unit=case.unit, role=Role.CASEWORKER).exists()
        ):
            raise ValidationError(_("The caseworker must work in the case's unit."))
        case.caseworker = caseworker
        case.save(update_fields=["caseworker"])
        audit(
            event=AuditEvent.CASE_ASSIGNED,
            by=by,
            case_id=case.pk,
            unit=case.unit,
            extra={"caseworker": caseworker.pk if caseworker is not None else None},
        )
    return case


def case_share(*, case: Case, with_user: User, by: User) -> Case:
    with transaction.atomic():
        if not Membership.objects.filter(user=with_user, unit=case.unit, role=Role.CASEWORKER).exists():
            raise ValidationError(_("Cases can only be shared with caseworkers in the case's unit."))
        case.shared_with.add(with_user)
        audit(
            event=AuditEvent.CASE_SHARED, by=by, case_id=case.pk, unit=case.unit, extra={"with": with_user.pk}
        )
    return case


def party_add(
    *,
    case: Case,
    by: User,
    name: str,
    relation: str,
    parental_responsibility: bool,
    identity_number: str = "",
    phone: str = "",
    address: str = "",
    address_protection: str = "",
) -> Party:
    with transaction.atomic():
        party = Party.objects.create(
            case=case,
            name=name,
            relation=relation,
            parental_responsibility=parental_responsibility,
            identity_number=identity_number,
            phone=phone,
            address=address,
            address_protection=address_protection,
        )
        audit(event=AuditEvent.PARTY_ADDED, by=by, obj=party, case_id=case.pk, unit=case.unit)
    return party


def _unfinished_on(case: Case, day: date) -> list[str]:
    """What of the case is still running on ``day``, one Norwegian sentence per kind of item.

    The register's rule for a closed case (Kravspesifikasjon, Sak kontroll 23): every item but the
    decisions has ended by the case's end date. And the feedback owed to a reporter is sent: a closed
    case's deadlines leave Mine frister. A report sent to investigation whose investigation
    was never opened counts as an open investigation: the investigation started with the review.
    """
    after = Q(concluded_on__isnull=True) | Q(concluded_on__gt=day)
    ended_after = Q(end_on__isnull=True) | Q(end_on__gt=day)
    reports = case.reports.filter(
        Q(review_concluded_on__isnull=True) | Q(review_concluded_on__gt=day)
    ).count()
    investigations = (
        case.investigations.filter(after).count()
        + case.reports.filter(
            review_conclusion=REVIEW_SENDS_TO_INVESTIGATION, investigation__isnull=True
        ).count()
    )
    feedback = (
        case.reports.filter(feedback_owed_q())
        .filter(Q(feedback_sent_on__isnull=True) | Q(feedback_sent_on__gt=day))
        .count()
    )
    measures = case.measures.filter(ended_after).count()
    plans = case.plans.filter(ended_after).count()
    aftercare = case.aftercare.filter(after).count()
    found = [
        (
            reports,
            ngettext(
                "%(n)d report of concern is not reviewed",
                "%(n)d reports of concern are not reviewed",
                reports,
            ),
        ),
        (
            feedback,
            ngettext(
                "%(n)d reporter has not been given the feedback owed",
                "%(n)d reporters have not been given the feedback owed",
                feedback,
            ),
        ),
        (
            investigations,
            ngettext(
                "%(n)d investigation is not concluded",
                "%(n)d investigations are not concluded",
                investigations,
            ),
        ),
        (measures, ngettext("%(n)d measure has not ended", "%(n)d measures have not ended", measures)),
        (plans, ngettext("%(n)d plan has not ended", "%(n)d plans have not ended", plans)),
        (
            aftercare,
            ngettext(
                "%(n)d aftercare offer is not concluded",
                "%(n)d aftercare offers are not concluded",
                aftercare,
            ),
        ),
    ]
    return [text % {"n": n} for n, text in found if n]


def case_close(*, case: Case, by: User, closed_on: date, reason: str) -> Case:
    """Close the case (Sak/SluttDato) once everything in it has ended; the reason is kept."""
    if case.closed_on is not None:
        raise ValidationError(_("The case is already closed."))
    if not reason.strip():
        raise ValidationError(_("Write why the case is closed."))
    require_not_future(closed_on, _("The closing date"))
    if closed_on < case.opened_on:
        raise ValidationError(_("A case cannot be closed before it was opened."))
    with transaction.atomic():
        locked = Case.objects.select_for_update().get(pk=case.pk)
        if locked.closed_on is not None:
            raise ValidationError(_("The case is already closed."))
        unfinished = _unfinished_on(locked, closed_on)
        if unfinished:
            day = f"{closed_on:%d.%m.%Y}"
            raise ValidationError(
                [_("The case cannot be closed on %(day)s. End these first:") % {"day": day}, *unfinished]
            )
        CaseClosing.objects.create(case=case, closed_on=closed_on, reason=reason.strip(), closed_by=by)
        case.closed_on = closed_on
        case.save(update_fields=["closed_on"])
        audit(event=AuditEvent.CASE_CLOSED, by=by, case_id=case.pk, unit=case.unit)
    return case


def case_reopen(*, case: Case, by: User, reason: str) -> Case:
    """Open a closed case again (a case closed by mistake or too early); the closing stays recorded.

    A new report about a child whose case is closed opens a new case instead (``case_open_or_get``).
    """
    if case.closed_on is None:
        raise ValidationError(_("The case is not closed."))
    if not reason.strip():
        raise ValidationError(_("Write why the case is reopened."))
    with transaction.atomic():
        locked = Case.objects.select_for_update().get(pk=case.pk)
        if locked.closed_on is None:
            raise ValidationError(_("The case is not closed."))
        other = Case.objects.filter(
            unit_id=case.unit_id, child_id=case.child_id, closed_on__isnull=True
        ).first()
        if other is not None:
            raise ValidationError(
                _("The child already has an open case in this service (%(journal)s). Continue there.")
                % {"journal": other.journal_number}
            )
        CaseClosing.objects.filter(case=case, reopened_at__isnull=True).update(
            reopened_at=timezone.now(), reopen_reason=reason.strip(), reopened_by=by
        )
        case.closed_on = None
        case.save(update_fields=["closed_on"])
        audit(event=AuditEvent.CASE_REOPENED, by=by, case_id=case.pk, unit=case.unit)
    return case
