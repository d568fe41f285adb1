"""Decisions: legal basis, delegation and approval, status history, emergency clocks, county board."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from tests.conftest import ReportFactory, child_facts
from vern.cases.models import Case
from vern.core.audit_events import AuditEvent
from vern.core.dates import OSLO, today
from vern.core.models import AuditEntry, Unit, User
from vern.decisions.models import BoardReferral, Decision, DecisionStatus
from vern.decisions.services import (
    approval_rule_add,
    approval_rule_end,
    board_referral_send,
    claim_conclude,
    claim_register,
    decision_approve,
    decision_make,
    decision_reject,
    decision_set_status,
    emergency_board_verdict,
    emergency_send_to_board,
)
from vern.rules.legal_basis import Law, LegalBases, LegalBasis

pytestmark = pytest.mark.django_db

HELP = LegalBases(LegalBasis(Law.BVL2021, "3", "1"))
CARE_ORDER = LegalBases(LegalBasis(Law.BVL2021, "5", "1"))
EMERGENCY = LegalBases(LegalBasis(Law.BVL2021, "4", "2"))


@pytest.fixture
def case(make_report: ReportFactory) -> Case:
    report = make_report(received_on=today() - timedelta(days=120), child=child_facts(birth=date(2014, 6, 1)))
    return report.case


def make(case: Case, by: User, bases: LegalBases = HELP, **extra: object) -> Decision:
    facts: dict[str, object] = {
        "bases": bases,
        "decided_on": today() - timedelta(days=30),
        "summary": "Hjelpetiltak i hjemmet.",
        **extra,
    }
    return decision_make(case=case, by=by, **facts)  # type: ignore[arg-type]


def test_a_decision_without_delegation_rules_is_in_force_at_once(case: Case, caseworker: User) -> None:
    decision = make(case, caseworker)
    assert decision.in_force
    assert list(decision.statuses.values_list("code", flat=True)) == ["1"]
    assert AuditEntry.objects.filter(
        case_id=case.pk, event=AuditEvent.DECISION_MADE, object_id=decision.pk
    ).exists()


def test_legal_basis_is_stored_as_structured_data(case: Case, caseworker: User) -> None:
    bases = LegalBases(
        LegalBasis(Law.BVL2021, "3", "1", paragraphs=("2",), letters=("a",)),
        (LegalBasis(Law.BVL2021, "1", "3"), LegalBasis(Law.BL1981, "30", "1")),
    )
    decision = make(case, caseworker, bases)
    decision.refresh_from_db()
    assert decision.legal_bases == bases
    assert (
        decision.legal_basis_text == "BVL2021 § 3-1 2. ledd bokstav a, jf. BVL2021 § 1-3, jf. BL1981 § 30-1"
    )


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ({"bases": LegalBases(LegalBasis(Law.BVL1992, "4", "4"))}, "barnevernsloven 2021"),
        ({"bases": LegalBases(LegalBasis(Law.BVL2021, "0", "4"))}, "kan ikke være 0"),
        ({"decided_on": today() + timedelta(days=1)}, "kan ikke være fram i tid"),
        ({"summary": "  "}, "Beskriv"),
    ],
)
def test_bad_input_is_refused_and_nothing_saved(
    case: Case, caseworker: User, extra: dict[str, object], message: str
) -> None:
    with pytest.raises(ValidationError, match=message):
        make(case, caseworker, **extra)
    assert not Decision.objects.exists()


def test_decision_before_the_case_is_refused(case: Case, caseworker: User) -> None:
    with pytest.raises(ValidationError, match="før saken"):
        make(case, caseworker, decided_on=case.opened_on - timedelta(days=1))


def test_delegation_rules_put_decisions_under_approval(
    case: Case, caseworker: User, leader: User, unit: Unit
) -> None:
    approval_rule_add(unit=unit, by=leader, law="BVL2021", chapter="5", added_on=date(2024, 1, 1))
    help_decision = make(case, caseworker)
    care = make(case, caseworker, CARE_ORDER, summary="Omsorgsovertakelse.")
    assert help_decision.in_force
    assert care.needs_approval
    assert not care.in_force
    assert not care.statuses.exists()


def test_leader_approves_and_the_decision_comes_into_force(
    case: Case, caseworker: User, leader: User, unit: Unit
) -> None:
    approval_rule_add(unit=unit, by=leader, law="BVL2021", added_on=date(2024, 1, 1))
    decision = make(case, caseworker)
    approved = decision_approve(decision=decision, by=leader, reason="I orden.")
    assert approved.in_force
    assert approved.approval.by == leader
    assert approved.approval.reason == "I orden."
    assert list(approved.statuses.values_list("code", "changed_on")) == [("1", today())]


def test_nobody_approves_their_own_decision(case: Case, leader: User, unit: Unit) -> None:
    approval_rule_add(unit=unit, by=leader, law="BVL2021", added_on=date(2024, 1, 1))
    decision = make(case, leader)
    with pytest.raises(ValidationError, match="en annen"):
        decision_approve(decision=decision, by=leader)


def test_rejection_needs_a_reason_and_ends_the_decision(
    case: Case, caseworker: User, leader: User, unit: Unit
) -> None:
    approval_rule_add(unit=unit, by=leader, law="BVL2021", added_on=date(2024, 1, 1))
    decision = make(case, caseworker)
    with pytest.raises(ValidationError, match="begrunnelse"):
        decision_reject(decision=decision, by=leader, reason=" ")
    rejected = decision_reject(decision=decision, by=leader, reason="Mangler vurdering av barnets beste.")
    assert not rejected.in_force
    assert rejected.ended_on == today()
    assert rejected.approval.approved is False
    assert list(rejected.statuses.values_list("code", flat=True)) == ["4"]


def test_ended_rule_no_longer_applies(case: Case, caseworker: User, leader: User, unit: Unit) -> None:
    rule = approval_rule_add(unit=unit, by=leader, law="BVL2021", added_on=date(2024, 1, 1))
    approval_rule_end(rule=rule, by=leader, ended_on=today() - timedelta(days=60))
    assert not make(case, caseworker).needs_approval


def test_lapsed_or_ended_status_sets_the_end_date(case: Case, caseworker: User) -> None:
    decision = make(case, caseworker)
    decision_set_status(decision=decision, by=caseworker, code="4", changed_on=today() - timedelta(days=2))
    decision.refresh_from_db()
    assert decision.ended_on == today() - timedelta(days=2)
    with pytest.raises(ValidationError, match="avsluttet"):
        decision_set_status(decision=decision, by=caseworker, code="3", changed_on=today())


def test_status_two_comes_only_with_a_referral(case: Case, caseworker: User) -> None:
    decision = make(case, caseworker, CARE_ORDER)
    with pytest.raises(ValidationError, match="oversendelsen"):
        decision_set_status(decision=decision, by=caseworker, code="2", changed_on=today())
    referral = board_referral_send(
        case=case, by=caseworker, sent_on=today(), bases=CARE_ORDER, decision=decision
    )
    assert referral.decision == decision
    assert list(DecisionStatus.objects.filter(decision=decision).values_list("code", flat=True)) == ["1", "2"]


def test_emergency_decision_goes_to_the_board_and_its_verdict_is_recorded(
    case: Case, caseworker: User
) -> None:
    decision = make(case, caseworker, EMERGENCY, decided_on=today() - timedelta(days=3))
    with pytest.raises(ValidationError, match="sendt"):
        emergency_board_verdict(decision=decision, by=caseworker, approved=True, given_on=today())
    sent_at = timezone.make_aware(datetime.combine(today() - timedelta(days=3), time(15, 0)), OSLO)
    emergency_send_to_board(decision=decision, by=caseworker, sent_at=sent_at)
    emergency_board_verdict(
        decision=decision, by=caseworker, approved=True, given_on=today() - timedelta(days=2)
    )
    decision.refresh_from_db()
    assert decision.board_verdict == "approved"
    assert decision.in_force


def test_board_not_approving_ends_the_emergency_decision(case: Case, caseworker: User) -> None:
    decision = make(case, caseworker, EMERGENCY, decided_on=today() - timedelta(days=3))
    emergency_send_to_board(decision=decision, by=caseworker, sent_at=timezone.now() - timedelta(days=3))
    emergency_board_verdict(
        decision=decision, by=caseworker, approved=False, given_on=today() - timedelta(days=1)
    )
    decision.refresh_from_db()
    assert decision.ended_on == today() - timedelta(days=1)
    assert not decision.in_force


def test_only_emergency_decisions_go_to_the_board_for_approval(case: Case, caseworker: User) -> None:
    decision = make(case, caseworker)
    with pytest.raises(ValidationError, match="akuttvedtak"):
        emergency_send_to_board(decision=decision, by=caseworker, sent_at=timezone.now())


def test_application_follows_the_emergency_decision(case: Case, caseworker: User) -> None:
    emergency = make(case, caseworker, EMERGENCY, decided_on=today() - timedelta(days=20))
    referral = board_referral_send(
        case=case, by=caseworker, sent_on=today(), bases=CARE_ORDER, follows=emergency
    )
    assert list(emergency.applications.all()) == [referral]
    with pytest.raises(ValidationError, match="akuttvedtak"):
        board_referral_send(
            case=case, by=caseworker, sent_on=today(), bases=CARE_ORDER, follows=make(case, caseworker)
        )
    assert BoardReferral.objects.count() == 1


def test_private_claims_and_their_outcome(case: Case, caseworker: User) -> None:
    decision = make(case, caseworker, CARE_ORDER)
    claim = claim_register(decision=decision, by=caseworker, received_on=today() - timedelta(days=5))
    with pytest.raises(ValidationError, match="«Annet» må presiseres"):
        claim_conclude(claim=claim, by=caseworker, concluded_on=today(), conclusion="9")
    claim_conclude(claim=claim, by=caseworker, concluded_on=today(), conclusion="1")
    claim.refresh_from_db()
    assert claim.conclusion == "1"
