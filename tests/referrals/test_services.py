"""A referral from order to final report, and the steps that are refused."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from tests.conftest import ReportFactory, child_facts
from vern.cases.models import Case
from vern.core.audit_events import AuditEvent
from vern.core.dates import today
from vern.core.models import AuditEntry, Unit, User
from vern.measures.services import plan_make
from vern.referrals import services
from vern.referrals.models import CatalogueEntry, Referral
from vern.referrals.selectors import availability, statistics_by_ordering_unit

pytestmark = pytest.mark.django_db


def order(case: Case, entry: CatalogueEntry, by: User) -> Referral:
    return services.referral_order(
        case=case, entry=entry, by=by, need="Hjelp med sinne og skolefravær.", contact="Kari"
    )


def test_the_whole_path_reaches_the_case_and_its_plan(
    teen_case: Case, mst: CatalogueEntry, caseworker: User, agency_intake: User
) -> None:
    plan = plan_make(
        case=teen_case, by=caseworker, plan_type="1", start_on=today() - timedelta(days=10), summary="Mål."
    )
    referral = order(teen_case, mst, caseworker)
    assert referral.provider == mst.provider
    assert referral.ordering_unit == teen_case.unit
    services.referral_call_back(referral=referral, by=agency_intake, called_on=today())
    services.referral_offer(referral=referral, by=agency_intake, start_on=today())
    assert availability([mst])[mst.pk].free == 2
    day = today()
    assignment = services.assignment_start(
        referral=referral,
        by=agency_intake,
        start_meeting_on=day,
        starts_on=day,
        ends_on=day + timedelta(days=120),
        evaluation_on=day + timedelta(days=60),
    )
    assert availability([mst])[mst.pk].free == 1
    evaluation = services.assignment_report(
        assignment=assignment, by=agency_intake, kind="evaluation", written_on=day, text="Går bedre."
    )
    assert evaluation.plan == plan
    services.assignment_report(
        assignment=assignment, by=agency_intake, kind="final", written_on=day, text="Avsluttet."
    )
    referral.refresh_from_db()
    assert referral.status == Referral.Status.COMPLETED
    assert [e.status for e in referral.events.all()] == [
        "ordered",
        "called_back",
        "offered",
        "started",
        "completed",
    ]
    # Every step is in the case's access log, with the unit that took it.
    steps = AuditEntry.objects.filter(
        case_id=teen_case.pk, event=AuditEvent.REFERRAL_STEP, object_id=referral.pk
    )
    assert {e.unit_id for e in steps} == {teen_case.unit_id, mst.provider_id}
    assert [e.extra["status"] for e in steps.order_by("pk")] == [e.status for e in referral.events.all()]
    assert availability([mst])[mst.pk].free == 2


def test_a_child_outside_the_ages_is_refused(
    make_report: ReportFactory, mst: CatalogueEntry, caseworker: User
) -> None:
    small = make_report(child=child_facts(birth=today().replace(year=today().year - 5))).case
    with pytest.raises(ValidationError, match="12–17"):
        order(small, mst, caseworker)
    assert not Referral.objects.exists()


def test_a_unit_not_allowed_to_order_is_refused(
    teen_case: Case, mst: CatalogueEntry, caseworker: User, other_unit: Unit
) -> None:
    mst.orderable_by.set([other_unit])
    with pytest.raises(ValidationError, match="ikke bestille"):
        order(teen_case, mst, caseworker)


def test_the_same_measure_is_not_ordered_twice(
    teen_case: Case, mst: CatalogueEntry, caseworker: User
) -> None:
    order(teen_case, mst, caseworker)
    with pytest.raises(ValidationError, match="allerede bestilt"):
        order(teen_case, mst, caseworker)
    assert Referral.objects.count() == 1


def test_steps_out_of_order_change_nothing(
    teen_case: Case, mst: CatalogueEntry, caseworker: User, agency_intake: User
) -> None:
    referral = order(teen_case, mst, caseworker)
    day = today()
    with pytest.raises(ValidationError):
        services.assignment_start(
            referral=referral,
            by=agency_intake,
            start_meeting_on=day,
            starts_on=day,
            ends_on=day,
            evaluation_on=day,
        )
    services.referral_withdraw(referral=referral, by=caseworker, note="Familien flytter.")
    with pytest.raises(ValidationError):
        services.referral_offer(referral=referral, by=agency_intake, start_on=day)
    referral.refresh_from_db()
    assert referral.status == Referral.Status.WITHDRAWN
    assert referral.events.count() == 2


def test_declines_are_counted_by_reason(
    teen_case: Case, mst: CatalogueEntry, caseworker: User, agency_intake: User
) -> None:
    referral = order(teen_case, mst, caseworker)
    with pytest.raises(ValidationError):
        services.referral_decline(referral=referral, by=agency_intake, reason="other", note="")
    services.referral_decline(referral=referral, by=agency_intake, reason="capacity")
    [row] = statistics_by_ordering_unit([mst.provider_id], today() - timedelta(days=1), today())
    assert (row["referrals"], row["declined"], row["declined_capacity"], row["offered"]) == (1, 1, 1, 0)


def test_the_ask_the_agency_first_rule_is_recorded_and_reported(
    *, teen_case: Case, mst: CatalogueEntry, caseworker: User, agency: Unit, make_report: ReportFactory
) -> None:
    from vern.referrals.selectors import Compliance, compliance, compliance_by_unit

    private = Unit.objects.create(
        name="Privat institusjon AS", kind=Unit.Kind.PROVIDER, host_municipality=agency.host_municipality
    )
    place = CatalogueEntry.objects.create(
        provider=private, name="Institusjonsplass", method="institution", kind="compensating",
        target_group="Ungdom", age_from=12, age_to=17, category="1.1", capacity=3, capacity_unit="places",
        price=Decimal("25000"), price_unit="day", evidence_level="not_assessed", ask_first=agency,
    )  # fmt: skip
    asked = services.referral_order(
        case=teen_case, entry=place, by=caseworker, need="Plass.", contact="K",
        agency_asked_on=today(), agency_answer="pending",
    )  # fmt: skip
    assert compliance(asked) == Compliance.PENDING
    services.referral_agency_answer(referral=asked, by=caseworker, answer="no_offer")
    assert compliance(asked) == Compliance.FOLLOWED
    other = make_report(
        child=child_facts(birth=date(2011, 1, 1)), received_on=today() - timedelta(days=9)
    ).case
    unasked = services.referral_order(case=other, entry=place, by=caseworker, need="Plass.", contact="K")
    assert compliance(unasked) == Compliance.NOT_ASKED
    third = make_report(
        child=child_facts(birth=date(2012, 1, 1)), received_on=today() - timedelta(days=9)
    ).case
    with pytest.raises(ValidationError, match="spurt"):
        services.referral_order(
            case=third, entry=place, by=caseworker, need="X", contact="K", agency_answer="offered"
        )
    # An ordinary measure carries no rule: the fields are not kept.
    assert compliance(order(teen_case, mst, caseworker)) is None
    [row] = compliance_by_unit(today().year, agency_id=agency.pk)
    assert (row["orders"], row["followed"], row["not_asked"]) == (2, 1, 1)
