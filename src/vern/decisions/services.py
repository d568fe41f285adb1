"""Making, approving and following up decisions; referrals to the county board; delegation rules.

Each function runs in one transaction with its audit row and raises ValidationError (Norwegian
message) before changing anything when a rule is broken.
"""

from __future__ import annotations

from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Model, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from vern.cases.models import Case
from vern.core import codes
from vern.core.audit import Extra, audit
from vern.core.audit_events import AuditEvent
from vern.core.breaches import BreachFacts, breach_record_if_late
from vern.core.codelists import paths
from vern.core.dates import local_date, today
from vern.core.models import Unit, User
from vern.core.validation import enforce, require_not_future
from vern.decisions.models import (
    ApprovalRule,
    BoardReferral,
    BoardVerdict,
    Decision,
    DecisionApproval,
    DecisionStatus,
    PrivateClaim,
)
from vern.investigations.models import Investigation
from vern.rules import decisions as rules
from vern.rules.legal_basis import Law, LegalBases, validate_for_date


def _audit(event: AuditEvent, obj: Model, case: Case, by: User, extra: Extra | None = None) -> None:
    audit(event=event, by=by, obj=obj, case_id=case.pk, unit=case.unit, extra=extra)


def approval_rules_in_force(unit: Unit, day: date) -> list[rules.ApprovalRule]:
    """The unit's delegation rules in force on ``day``."""
    rows = ApprovalRule.objects.filter(unit=unit, added_on__lte=day).filter(
        Q(ended_on__isnull=True) | Q(ended_on__gt=day)
    )
    return [rules.ApprovalRule(Law(r.law), r.chapter or None, r.section or None) for r in rows]


def _add_status(decision: Decision, by: User, code: str, changed_on: date) -> None:
    DecisionStatus.objects.create(decision=decision, code=code, changed_on=changed_on, recorded_by=by)


def decision_make(
    *,
    case: Case,
    by: User,
    decided_on: date,
    bases: LegalBases,
    summary: str,
    child_views: str = "",
    investigation: Investigation | None = None,
) -> Decision:
    """Record a decision. It is in force at once unless the unit's delegation rules require approval."""
    if case.closed_on is not None:
        raise ValidationError(_("The case is closed."))
    require_not_future(decided_on, _("The decision date"))
    if decided_on < case.opened_on:
        raise ValidationError(_("A decision cannot be made before the case was opened."))
    if not summary.strip():
        raise ValidationError(_("Describe what is decided."))
    if investigation is not None:
        if investigation.case_id != case.pk:
            raise ValidationError(_("The investigation belongs to another case."))
        if decided_on < investigation.started_on:
            raise ValidationError(_("A decision cannot be made before its investigation started."))
    clean = enforce(validate_for_date, bases, decided_on)
    needs_approval = rules.requires_approval(clean, approval_rules_in_force(case.unit, decided_on))
    with transaction.atomic():
        decision = Decision(
            case=case,
            investigation=investigation,
            decided_on=decided_on,
            made_by=by,
            summary=summary.strip(),
            child_views=child_views.strip(),
            needs_approval=needs_approval,
        )
        decision.set_legal_bases(clean)
        decision.save()
        if not needs_approval:
            _add_status(decision, by, rules.STATUS_APPROVED, decided_on)
        _audit(AuditEvent.DECISION_MADE, decision, case, by)
    return decision


def _require_pending(decision: Decision) -> None:
    if not decision.approval_pending:
        raise ValidationError(_("The decision is not waiting for approval."))


def decision_approve(*, decision: Decision, by: User, reason: str = "") -> Decision:
    """A leader approves a decision; it is in force from today. Nobody approves their own decision."""
    _require_pending(decision)
    if by.pk == decision.made_by_id:
        raise ValidationError(_("A decision must be approved by someone other than the one who made it."))
    with transaction.atomic():
        DecisionApproval.objects.create(decision=decision, approved=True, by=by, reason=reason.strip())
        _add_status(decision, by, rules.STATUS_APPROVED, today())
        _audit(AuditEvent.DECISION_APPROVED, decision, decision.case, by)
    decision.refresh_from_db()
    return decision


def decision_reject(*, decision: Decision, by: User, reason: str) -> Decision:
    """A leader rejects a decision: it never comes into force, and it ends with status 4."""
    _require_pending(decision)
    if not reason.strip():
        raise ValidationError(_("Give the reason for rejecting the decision."))
    with transaction.atomic():
        DecisionApproval.objects.create(decision=decision, approved=False, by=by, reason=reason.strip())
        _add_status(decision, by, rules.STATUS_ENDED, today())
        decision.ended_on = today()
        decision.save(update_fields=["ended_on"])
        _audit(AuditEvent.DECISION_REJECTED, decision, decision.case, by)
    return decision


def decision_set_status(*, decision: Decision, by: User, code: str, changed_on: date) -> Decision:
    """Record a status change: approved (1), lapsed (3) or ended (4). Status 2 comes with a referral.

    Lapsed and ended decisions get their end date (Kravspesifikasjon Vedtak kontroll 3).
    """
    if decision.ended_on is not None:
        raise ValidationError(_("The decision has ended."))
    if decision.approval_pending:
        raise ValidationError(_("The decision is waiting for a leader's approval."))
    require_not_future(changed_on, _("The status date"))
    if changed_on < decision.decided_on:
        raise ValidationError(_("The status cannot change before the decision was made."))
    if code == rules.STATUS_SENT_TO_BOARD:
        raise ValidationError(_("Register the referral to the county board; it sets this status."))
    codes.require_valid(paths.DECISION_STATUS, [code], changed_on)
    with transaction.atomic():
        _add_status(decision, by, code, changed_on)
        if code in rules.STATUSES_ENDING:
            decision.ended_on = changed_on
            decision.save(update_fields=["ended_on"])
        _audit(AuditEvent.DECISION_STATUS_CHANGED, decision, decision.case, by, {"status": code})
    return decision


def _require_emergency(decision: Decision) -> rules.EmergencyRule:
    rule = rules.emergency_rule(decision.legal_bases)
    if rule is None:
        raise ValidationError(_("Only an emergency decision goes to the county board for approval."))
    return rule


def emergency_send_to_board(
    *, decision: Decision, by: User, sent_at: datetime, breach: BreachFacts | None = None
) -> Decision:
    """Record when an emergency decision was sent to the county board (at once, by law).

    Sent after the day it was made, it needs the reason for the breach.
    """
    _require_emergency(decision)
    if decision.sent_to_board_at is not None:
        raise ValidationError(_("The decision has already been sent to the county board."))
    if sent_at > timezone.now():
        raise ValidationError(_("The time sent cannot be in the future."))
    if local_date(sent_at) < decision.decided_on:
        raise ValidationError(_("The decision cannot be sent before it was made."))
    with transaction.atomic():
        breach_record_if_late(
            clock=rules.SUBMISSION_CLOCK,
            object_id=decision.pk,
            case=decision.case,
            due=rules.board_submission_due(decision.decided_on),
            concluded_on=local_date(sent_at),
            breach=breach,
            by=by,
        )
        decision.sent_to_board_at = sent_at
        decision.save(update_fields=["sent_to_board_at"])
        _audit(AuditEvent.DECISION_SENT_TO_BOARD, decision, decision.case, by)
    return decision


def emergency_board_verdict(
    *, decision: Decision, by: User, approved: bool, given_on: date, breach: BreachFacts | None = None
) -> Decision:
    """Record the county board's verdict on an emergency decision; if not approved, it ends.

    A verdict after the board's 48 hours needs the reason for the breach.
    """
    _require_emergency(decision)
    sent_at = decision.sent_to_board_at
    if sent_at is None:
        raise ValidationError(_("Record when the decision was sent to the county board first."))
    if decision.board_verdict:
        raise ValidationError(_("The county board's verdict is already recorded."))
    require_not_future(given_on, _("The verdict date"))
    if given_on < local_date(sent_at):
        raise ValidationError(_("The verdict cannot come before the decision was sent."))
    with transaction.atomic():
        breach_record_if_late(
            clock=rules.APPROVAL_CLOCK,
            object_id=decision.pk,
            case=decision.case,
            due=local_date(rules.board_approval_due(sent_at)),
            concluded_on=given_on,
            breach=breach,
            by=by,
        )
        decision.board_verdict = BoardVerdict.APPROVED if approved else BoardVerdict.NOT_APPROVED
        decision.board_verdict_on = given_on
        fields = ["board_verdict", "board_verdict_on"]
        if not approved:
            _add_status(decision, by, rules.STATUS_ENDED, given_on)
            decision.ended_on = given_on
            fields.append("ended_on")
        decision.save(update_fields=fields)
        _audit(AuditEvent.DECISION_BOARD_VERDICT, decision, decision.case, by)
    return decision


def board_referral_send(
    *,
    case: Case,
    by: User,
    sent_on: date,
    bases: LegalBases,
    decision: Decision | None = None,
    follows: Decision | None = None,
    breach: BreachFacts | None = None,
) -> BoardReferral:
    """Send a case to the county board (oversendelse), with its legal basis.

    ``decision`` is the proposed decision the board is asked to make: it gets status 2 "Begjæring
    oversendt nemnd". ``follows`` is the emergency decision whose application this is: the first such
    referral stops its clock (BVL2021 § 4-2: within six weeks, or the decision lapses), and needs the
    reason for the breach when it comes after it.
    """
    require_not_future(sent_on, _("The date sent"))
    if sent_on < case.opened_on:
        raise ValidationError(_("A referral cannot be sent before the case was opened."))
    clean = enforce(validate_for_date, bases, sent_on)
    for linked in (decision, follows):
        if linked is not None and linked.case_id != case.pk:
            raise ValidationError(_("The decision belongs to another case."))
    if decision is not None and (decision.ended_on is not None or sent_on < decision.decided_on):
        raise ValidationError(_("Only a running decision made before the referral can be sent."))
    rule = None
    if follows is not None:
        rule = _require_emergency(follows)
        if sent_on < follows.decided_on:
            raise ValidationError(_("The application cannot be sent before the emergency decision."))
    with transaction.atomic():
        if follows is not None and rule is not None:
            _application_breach(follows, rule, sent_on=sent_on, breach=breach, by=by)
        referral = BoardReferral(case=case, sent_on=sent_on, decision=decision, follows=follows, sent_by=by)
        referral.set_legal_bases(clean)
        referral.save()
        if decision is not None:
            _add_status(decision, by, rules.STATUS_SENT_TO_BOARD, sent_on)
        _audit(AuditEvent.BOARD_REFERRAL_SENT, referral, case, by)
    return referral


def _application_breach(
    emergency: Decision, rule: rules.EmergencyRule, *, sent_on: date, breach: BreachFacts | None, by: User
) -> None:
    """The application's clock stops at the first application sent; a later one changes nothing."""
    if emergency.applications.filter(sent_on__lte=sent_on).exists():
        return
    breach_record_if_late(
        clock=rules.APPLICATION_CLOCK,
        object_id=emergency.pk,
        case=emergency.case,
        due=rules.application_due(rule, emergency.decided_on),
        concluded_on=sent_on,
        breach=breach,
        by=by,
    )


def claim_register(*, decision: Decision, by: User, received_on: date) -> PrivateClaim:
    """A private party's claim to change the county board's decision (Vedtak/Krav)."""
    require_not_future(received_on, _("The date received"))
    if received_on < decision.decided_on:
        raise ValidationError(_("A claim cannot be received before the decision was made."))
    with transaction.atomic():
        claim = PrivateClaim.objects.create(decision=decision, received_on=received_on, recorded_by=by)
        _audit(AuditEvent.CLAIM_REGISTERED, claim, decision.case, by, {"decision": decision.pk})
    return claim


def claim_conclude(
    *, claim: PrivateClaim, by: User, concluded_on: date, conclusion: str, specification: str = ""
) -> PrivateClaim:
    if claim.concluded_on is not None:
        raise ValidationError(_("The claim is already concluded."))
    require_not_future(concluded_on, _("The conclusion date"))
    if concluded_on < claim.received_on:
        raise ValidationError(_("A claim cannot be concluded before it was received."))
    codes.require_valid(paths.CLAIM_CONCLUSION, [conclusion], concluded_on)
    codes.require_specifications(paths.CLAIM_CONCLUSION, [codes.CodedEntry(conclusion, specification)])
    with transaction.atomic():
        claim.concluded_on = concluded_on
        claim.conclusion = conclusion
        claim.specification = specification.strip()
        claim.save(update_fields=["concluded_on", "conclusion", "specification"])
        _audit(AuditEvent.CLAIM_CONCLUDED, claim, claim.decision.case, by)
    return claim


def approval_rule_add(
    *, unit: Unit, by: User, law: str, chapter: str = "", section: str = "", added_on: date
) -> ApprovalRule:
    """Add a line to the unit's delegation rules (from ``added_on``)."""
    if section and not chapter:
        raise ValidationError(_("Give the chapter when you give a section."))
    for part in (chapter, section):
        if part and not part.isdigit():
            raise ValidationError(_("Chapter and section are numbers."))
    with transaction.atomic():
        rule = ApprovalRule.objects.create(
            unit=unit, law=Law(law).value, chapter=chapter, section=section, added_by=by, added_on=added_on
        )
        audit(event=AuditEvent.APPROVAL_RULE_ADDED, by=by, obj=rule, unit=unit)
    return rule


def approval_rule_end(*, rule: ApprovalRule, by: User, ended_on: date) -> ApprovalRule:
    """End a delegation rule; it still tells which decisions it covered."""
    if rule.ended_on is not None:
        raise ValidationError(_("The rule has already ended."))
    if ended_on < rule.added_on:
        raise ValidationError(_("A rule cannot end before it started."))
    with transaction.atomic():
        rule.ended_on = ended_on
        rule.save(update_fields=["ended_on"])
        audit(event=AuditEvent.APPROVAL_RULE_ENDED, by=by, obj=rule, unit=rule.unit)
    return rule
