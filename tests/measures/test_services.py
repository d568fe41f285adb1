"""Measures, consents, visits, plans, relocations and aftercare: the rules hold, bad input saves nothing."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError

from tests.conftest import ReportFactory, child_facts
from tests.measures.conftest import CARE_ORDER, decide
from vern.cases.models import Case
from vern.core.codes import CodedEntry
from vern.core.dates import today
from vern.core.models import Unit, User
from vern.decisions.models import Decision
from vern.decisions.services import approval_rule_add
from vern.measures.models import Consent, Measure, Plan, Visit, VisitFrequency
from vern.measures.services import (
    aftercare_conclude,
    aftercare_offer,
    consent_record,
    consent_withdraw,
    frequency_set,
    measure_end,
    measure_start,
    plan_evaluate,
    plan_make,
    relocation_record,
    supervision_arrange,
    supervisor_add,
    visit_record,
)
from vern.rules.deadlines import add_months

pytestmark = pytest.mark.django_db
DAY = timedelta(days=1)


def place(
    decision: Decision, by: User, category: str = "2.2", days_ago: int = 300, **extra: object
) -> Measure:
    return measure_start(
        decision=decision, by=by, category=category, start_on=today() - timedelta(days=days_ago), **extra
    )  # type: ignore[arg-type]


def test_foster_home_placement_gets_the_standard_frequencies(care_order: Decision, caseworker: User) -> None:
    measure = place(care_order, caseworker, reasons=[CodedEntry("1.1.01")])
    assert measure.legal_bases == care_order.legal_bases
    assert sorted(VisitFrequency.objects.filter(measure=measure).values_list("kind", "code")) == [
        ("follow_up", "4"),
        ("supervision", "4"),
    ]
    assert list(measure.reasons.values_list("code", flat=True)) == ["1.1.01"]


def test_measure_before_its_decision_is_refused(care_order: Decision, caseworker: User) -> None:
    with pytest.raises(ValidationError, match="før vedtaket"):
        place(care_order, caseworker, days_ago=366)
    assert not Measure.objects.exists()


def test_measure_under_a_decision_waiting_for_approval_is_refused(
    case: Case, caseworker: User, leader: User, unit: Unit
) -> None:
    approval_rule_add(unit=unit, by=leader, law="BVL2021", added_on=date(2024, 1, 1))
    decision = decide(case, caseworker)
    with pytest.raises(ValidationError, match="ikke i kraft"):
        place(decision, caseworker, category="3.9")
    assert not Measure.objects.exists()


def test_end_before_start_is_refused(help_decision: Decision, caseworker: User) -> None:
    with pytest.raises(ValidationError, match="Sluttdatoen"):
        place(help_decision, caseworker, category="3.9", end_on=today() - timedelta(days=301))
    measure = place(help_decision, caseworker, category="3.9")
    with pytest.raises(ValidationError, match="Sluttdatoen"):
        measure_end(measure=measure, by=caseworker, end_on=measure.start_on - DAY)
    measure.refresh_from_db()
    assert measure.end_on is None


def test_basis_must_match_the_decision(care_order: Decision, caseworker: User) -> None:
    from vern.rules.legal_basis import Law, LegalBases, LegalBasis

    with pytest.raises(ValidationError, match="lovhjemmel"):
        place(care_order, caseworker, bases=LegalBases(LegalBasis(Law.BVL2021, "3", "1")))
    assert not Measure.objects.exists()


def test_placements_overlapping_more_than_90_days_are_refused(care_order: Decision, caseworker: User) -> None:
    place(care_order, caseworker, category="2.5", days_ago=300)
    with pytest.raises(ValidationError, match="overlappe"):
        place(care_order, caseworker, category="2.2", days_ago=200)
    assert Measure.objects.count() == 1


def test_placement_may_follow_another_within_90_days(care_order: Decision, caseworker: User) -> None:
    first = place(care_order, caseworker, category="2.5", days_ago=300)
    measure_end(
        measure=first,
        by=caseworker,
        end_on=today() - timedelta(days=150),
        revocation="4",
        revocation_specification="Flyttet til fosterhjem",
    )
    place(care_order, caseworker, category="2.2", days_ago=200)
    assert Measure.objects.count() == 2


def test_care_order_ending_without_revocation_code_is_refused(care_order: Decision, caseworker: User) -> None:
    measure = place(care_order, caseworker)
    with pytest.raises(ValidationError, match="opphevelse"):
        measure_end(measure=measure, by=caseworker, end_on=today())
    measure.refresh_from_db()
    assert measure.end_on is None
    measure_end(measure=measure, by=caseworker, end_on=today(), revocation="1")
    measure.refresh_from_db()
    assert (measure.end_on, measure.revocation) == (today(), "1")


def test_help_measure_ends_without_revocation(help_decision: Decision, caseworker: User) -> None:
    measure = place(help_decision, caseworker, category="3.9")
    assert measure_end(measure=measure, by=caseworker, end_on=today()).end_on == today()


def test_category_needing_specification(help_decision: Decision, caseworker: User) -> None:
    with pytest.raises(ValidationError, match="må presiseres"):
        place(help_decision, caseworker, category="3.99")
    place(help_decision, caseworker, category="3.99", category_specification="COS")


def test_aftercare_measure_for_a_26_year_old_is_refused(make_report: ReportFactory, caseworker: User) -> None:
    young = make_report(
        received_on=today() - timedelta(days=30),
        child=child_facts(birth=today().replace(year=today().year - 26)),
    )
    decision = decide(young.case, caseworker, days_ago=10)
    with pytest.raises(ValidationError, match="25 år"):
        place(decision, caseworker, category="8.1", days_ago=5, young_persons_consent=True)
    assert not Measure.objects.exists()


def test_after_18_the_young_person_must_consent(make_report: ReportFactory, caseworker: User) -> None:
    young = make_report(
        received_on=today() - timedelta(days=30),
        child=child_facts(birth=today().replace(year=today().year - 19)),
    )
    decision = decide(young.case, caseworker, days_ago=10)
    with pytest.raises(ValidationError, match="samtykke"):
        place(decision, caseworker, category="8.1", days_ago=5)
    measure = place(decision, caseworker, category="8.1", days_ago=5, young_persons_consent=True)
    assert list(measure.consents.values_list("party", flat=True)) == [None]


def test_no_care_order_for_an_adult(make_report: ReportFactory, caseworker: User) -> None:
    young = make_report(
        received_on=today() - timedelta(days=30),
        child=child_facts(birth=today().replace(year=today().year - 19)),
    )
    decision = decide(young.case, caseworker, CARE_ORDER, days_ago=10)
    with pytest.raises(ValidationError, match="18"):
        place(decision, caseworker, days_ago=5, young_persons_consent=True)


def test_consent_per_person_with_withdrawal(help_decision: Decision, caseworker: User) -> None:
    measure = place(help_decision, caseworker, category="3.9")
    consent = consent_record(measure=measure, by=caseworker, party=None, given_on=measure.start_on)
    with pytest.raises(ValidationError, match="før"):
        consent_withdraw(consent=consent, by=caseworker, withdrawn_on=measure.start_on - DAY)
    consent_withdraw(
        consent=consent, by=caseworker, withdrawn_on=today(), note="Ønsker ikke lenger tiltaket."
    )
    assert Consent.objects.get().withdrawn_on == today()


def test_visits_only_for_foster_homes_and_within_the_placement(
    care_order: Decision, help_decision: Decision, caseworker: User
) -> None:
    home = place(care_order, caseworker, days_ago=60)  # the visits in time (visit breaches: test_breaches)
    other = place(help_decision, caseworker, category="3.9")
    with pytest.raises(ValidationError, match="fosterhjem"):
        visit_record(measure=other, by=caseworker, kind="follow_up", visited_on=today())
    with pytest.raises(ValidationError, match="innenfor"):
        visit_record(measure=home, by=caseworker, kind="follow_up", visited_on=home.start_on - DAY)
    with pytest.raises(ValidationError, match="rapport"):
        visit_record(
            measure=home, by=caseworker, kind="follow_up", visited_on=today(), report_received_on=today()
        )
    visit_record(
        measure=home, by=caseworker, kind="supervision", visited_on=today() - DAY, report_received_on=today()
    )
    assert Visit.objects.count() == 1


def test_frequency_and_supervision_arrangement(
    care_order: Decision, caseworker: User, leader: User, unit: Unit
) -> None:
    home = place(care_order, caseworker)
    frequency_set(
        measure=home, by=caseworker, kind="follow_up", code="2", start_on=today() - timedelta(days=10)
    )
    with pytest.raises(ValidationError, match="4 eller 2"):
        frequency_set(measure=home, by=caseworker, kind="follow_up", code="3", start_on=today())
    supervisor = supervisor_add(unit=unit, by=leader, name="Tove Tilsyn")
    arrangement = supervision_arrange(
        measure=home, by=caseworker, municipality_number="4601", supervisor=supervisor, start_on=home.start_on
    )
    assert arrangement.supervisor == supervisor
    with pytest.raises(ValidationError, match="fire siffer"):
        supervision_arrange(measure=home, by=caseworker, municipality_number="46", start_on=home.start_on)


def test_plans_and_evaluations(case: Case, caseworker: User) -> None:
    with pytest.raises(ValidationError, match=r"«Foreløpig omsorgsplan \(gammel lov\)» kan ikke brukes"):
        plan_make(case=case, by=caseworker, plan_type="3", start_on=today(), summary="Foreløpig omsorgsplan")
    plan = plan_make(
        case=case,
        by=caseworker,
        plan_type="1",
        start_on=today() - timedelta(days=60),  # evaluated in time (evaluation breaches: test_breaches)
        summary="Mål og tiltak",
    )
    with pytest.raises(ValidationError, match="før"):
        plan_evaluate(plan=plan, by=caseworker, done_on=plan.start_on - DAY)
    plan_evaluate(plan=plan, by=caseworker, done_on=today(), note="Målene er delvis nådd.")
    assert Plan.objects.get().evaluations.count() == 1


def test_relocation_with_codes(care_order: Decision, caseworker: User) -> None:
    home = place(care_order, caseworker)
    with pytest.raises(ValidationError, match="«Andre grunner» må presiseres"):
        relocation_record(
            case=home.case, by=caseworker, measure=home, moved_on=today(), reason="2.9", destination="2"
        )
    move = relocation_record(
        case=home.case, by=caseworker, measure=home, moved_on=today(), reason="1.2.1", destination="4"
    )
    assert move.destination == "4"


def test_aftercare_offer_and_outcome(case: Case, caseworker: User) -> None:
    offer = aftercare_offer(case=case, by=caseworker, offered_on=today() - timedelta(days=3))
    aftercare_conclude(aftercare=offer, by=caseworker, concluded_on=today(), conclusion="1")
    offer.refresh_from_db()
    assert offer.conclusion == "1"


def test_unit_sets_its_plan_evaluation_interval(
    case: Case, caseworker: User, leader: User, unit: Unit
) -> None:
    from vern.measures.services import unit_set_plan_evaluation_months
    from vern.worklists.selectors import PLAN_EVALUATION, CaseScope, open_deadlines

    plan = plan_make(
        case=case, by=caseworker, plan_type="1", start_on=today() - timedelta(days=70), summary="Mål"
    )
    with pytest.raises(ValidationError, match="1 til 12"):
        unit_set_plan_evaluation_months(unit=unit, by=leader, months=0)
    unit_set_plan_evaluation_months(unit=unit, by=leader, months=2)
    rows = [r for r in open_deadlines(CaseScope(case_id=case.pk), today=today()) if r.kind == PLAN_EVALUATION]
    assert [r.due for r in rows] == [add_months(plan.start_on, 2)]
