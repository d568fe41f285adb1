"""A small unit whose 2024 figures are worked out by hand (see each row's comment)."""

from __future__ import annotations

from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

import pytest

from tests.conftest import make_user
from vern.cases.models import Case, Child
from vern.core.dates import OSLO
from vern.core.models import DeadlineBreach, Role, Unit, User
from vern.decisions.models import Decision
from vern.intake.models import ConcernReport, ReportReporter
from vern.investigations.models import DeadlineExtension, Investigation
from vern.measures.models import Measure, Plan, PlanEvaluation, Visit
from vern.referrals.models import CatalogueEntry, Referral, ReferralEvent

_numbers = iter(range(1, 10_000))


def at(day: date, hour: int = 9, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), OSLO)


class Builder:
    def __init__(self, unit: Unit, by: User) -> None:
        self.unit, self.by = unit, by

    def case(self, *, birth: date = date(2015, 5, 5)) -> Case:
        n = next(_numbers)
        child = Child.objects.create(
            identity_kind="unknown_00100",
            identity_number=f"{birth:%d%m%y}00100",
            birth_date=birth,
            gender="2",
        )
        return Case.objects.create(
            unit=self.unit, child=child, journal_number=f"T-{n}", opened_on=date(2020, 1, 1)
        )

    def report(
        self,
        case: Case,
        received: datetime,
        *,
        concluded: date | None = None,
        conclusion: str = "",
        reporters: tuple[str, ...] = (),
    ) -> ConcernReport:
        report = ConcernReport.objects.create(
            case=case,
            received_at=received,
            channel="phone",
            text="Bekymring.",
            review_concluded_on=concluded,
            review_conclusion=conclusion,
        )
        for code in reporters:
            ReportReporter.objects.create(report=report, code=code)
        return report

    def investigation(
        self,
        case: Case,
        started: date,
        *,
        concluded: date | None = None,
        conclusion: str = "",
        extended: bool = False,
    ) -> Investigation:
        report = self.report(case, at(date(2022, 1, 3)), concluded=date(2022, 1, 5), conclusion="2")
        inv = Investigation.objects.create(
            case=case,
            report=report,
            started_on=started,
            opened_by=self.by,
            concluded_on=concluded,
            conclusion=conclusion,
        )
        if extended:
            DeadlineExtension.objects.create(
                investigation=inv, decided_on=started, reason="Komplisert.", decided_by=self.by
            )
        return inv

    def decision(
        self,
        case: Case,
        decided: date,
        *,
        law: str = "BVL2021",
        chapter: str = "3",
        section: str = "1",
        paragraphs: str = "",
    ) -> Decision:
        return Decision.objects.create(
            case=case,
            decided_on=decided,
            made_by=self.by,
            summary="Vedtak.",
            law=law,
            chapter=chapter,
            section=section,
            paragraphs=paragraphs,
        )

    def measure(self, case: Case, category: str, start: date, end: date | None = None) -> Measure:
        decision = self.decision(case, start)
        return Measure.objects.create(
            case=case,
            decision=decision,
            category=category,
            start_on=start,
            end_on=end,
            started_by=self.by,
            law="BVL2021",
            chapter="3",
            section="1",
        )

    def plan(
        self,
        case: Case,
        plan_type: str,
        start: date,
        end: date | None = None,
        evaluations: tuple[date, ...] = (),
    ) -> Plan:
        plan = Plan.objects.create(
            case=case, plan_type=plan_type, start_on=start, end_on=end, summary="Plan.", made_by=self.by
        )
        for day in evaluations:
            PlanEvaluation.objects.create(plan=plan, done_on=day, by=self.by)
        return plan


@pytest.fixture
def small_unit(unit: Unit, leader: User) -> dict[str, Any]:
    """Everything of ``unit`` in 2024, with the figures it must give."""
    b = Builder(unit, leader)
    make_user("halvtid", unit, Role.CASEWORKER, fte=Decimal("0.50"))

    reports = b.case()
    # Received 1 March 2024, reviewed on day 7 (in time), sent to investigation (code 2): not closed.
    b.report(reports, at(date(2024, 3, 1)), concluded=date(2024, 3, 8), conclusion="2", reporters=("11", "8"))
    # Reviewed on day 8: late (reason: capacity), closed (code 1).
    late = b.report(
        reports, at(date(2024, 3, 1)), concluded=date(2024, 3, 9), conclusion="1", reporters=("11",)
    )
    DeadlineBreach.objects.create(
        clock="review",
        object_id=late.pk,
        case_id=reports.pk,
        unit=unit,
        reason="capacity",
        recorded_by=leader,
    )
    # Received in 2023, reviewed in 2024 in time, code 4 (during an ongoing investigation): not closed.
    b.report(reports, at(date(2023, 12, 28)), concluded=date(2024, 1, 3), conclusion="4", reporters=("5",))
    # 23:30 on New Year's Eve in Oslo is 2024; 00:30 on New Year's Day is 2025 (23:30 UTC the day before).
    b.report(reports, at(date(2024, 12, 31), 23, 30), reporters=("9",))
    b.report(reports, at(date(2025, 1, 1), 0, 30), reporters=("2",))

    work = b.case()
    # Exactly three months: in time; measures decided (code 1): not closed.
    b.investigation(work, date(2024, 3, 8), concluded=date(2024, 6, 8), conclusion="1")
    # 31 January + 3 months = 30 April: in time; closed (code 3).
    b.investigation(work, date(2024, 1, 31), concluded=date(2024, 4, 30), conclusion="3")
    # Extended: six months, concluded after three, in time; application to the board (code 2).
    b.investigation(work, date(2024, 2, 1), concluded=date(2024, 7, 15), conclusion="2", extended=True)
    # Late without an extension or a recorded reason; closed (code 6).
    b.investigation(work, date(2024, 1, 10), concluded=date(2024, 5, 1), conclusion="6")
    # Started in November, still open at the year's end.
    b.investigation(work, date(2024, 11, 1))

    # Emergency placements: § 4-2 and § 4-4 count; § 4-3 (a ban on moving) and 2022's § 4-6 do not.
    b.decision(work, date(2024, 5, 1), chapter="4", section="2")
    b.decision(work, date(2024, 6, 1), chapter="4", section="4")
    b.decision(work, date(2024, 6, 2), chapter="4", section="3")
    b.decision(work, date(2022, 6, 2), law="BVL", chapter="4", section="6", paragraphs="2")

    # A child with two placements in the year (foster home, then an institution): counted once, placed.
    placed = b.case()
    home = b.measure(placed, "2.1", date(2024, 1, 1), date(2024, 5, 31))
    b.measure(placed, "1.1", date(2024, 6, 1))
    b.plan(placed, "4", date(2024, 6, 1))
    # One follow-up visit owed (one whole quarter placed); one done. Supervision: one owed, none done.
    Visit.objects.create(measure=home, kind="follow_up", visited_on=date(2024, 2, 15), recorded_by=leader)
    # A help measure in the home ending on 1 January: active one day of the year.
    b.measure(b.case(), "4.1", date(2023, 1, 1), date(2024, 1, 1))
    # Ended the day before the year: not counted.
    b.measure(b.case(), "4.1", date(2023, 1, 1), date(2023, 12, 31))
    # Turns 18 on 1 July 2024, the measure's last day: in aftercare.
    b.measure(b.case(birth=date(2006, 7, 1)), "4.1", date(2023, 1, 1), date(2024, 7, 1))
    # Turns 18 on 1 September 2024; the measure ended the day before: not in aftercare.
    b.measure(b.case(birth=date(2006, 9, 1)), "4.1", date(2023, 1, 1), date(2024, 8, 31))
    # A help measure running at the year's end, with plans for help measures:
    helped = b.case()
    b.measure(helped, "4.1", date(2024, 1, 1))
    # evaluated 30 September, exactly 3 months before 31 December: evaluated; but 30 September + 3
    # months is 30 December (the worklists' rule), so its next evaluation is overdue on the 31st;
    b.plan(helped, "1", date(2024, 1, 15), end=None, evaluations=(date(2024, 9, 30),))
    # ended in June (its April evaluation is one of the year's evaluations done);
    b.plan(reports, "1", date(2024, 1, 15), end=date(2024, 6, 30), evaluations=(date(2024, 4, 1),))
    # evaluated 29 September: more than 3 months before, and overdue since 29 December.
    b.plan(work, "1", date(2024, 2, 1), end=None, evaluations=(date(2024, 9, 29),))
    # Referrals to providers: declined in March (not open at the year's end); open since November;
    # ordered in 2023 and completed only in 2025 (open at the year's end, not ordered in 2024).
    entry = CatalogueEntry.objects.create(
        provider=unit, name="Hjemmekonsulent", method="home_consultant", kind="compensating",
        target_group="Alle", category="3.10", capacity=10, capacity_unit="places", price=Decimal(700),
        price_unit="hour", evidence_level="grounded",
    )  # fmt: skip
    for ordered, closing in (
        (date(2024, 3, 1), ("declined", date(2024, 3, 10))),
        (date(2024, 11, 1), None),
        (date(2023, 6, 1), ("completed", date(2025, 2, 1))),
    ):
        referral = Referral.objects.create(
            entry=entry, case=helped, ordering_unit=unit, provider=unit, ordered_by=leader,
            ordered_at=at(ordered), child_name=str(helped.child), child_birth_date=helped.child.birth_date,
            need="Hjelp.", contact="Leder",
        )  # fmt: skip
        if closing:
            ReferralEvent.objects.create(
                referral=referral, status=closing[0], at=at(closing[1]), by=leader, by_unit=unit
            )
    return {
        "referrals_ordered": 2,
        "referrals_open": 2,
        "reports_received": 3,
        "reports_concluded": 3,
        "reports_closed_share": (1, 3),
        "reports_reviewed_in_time_share": (2, 3),
        "reporter_shares": {"11": 2, "8": 1, "9": 1},
        "investigations_started": 5,
        "investigations_concluded": 4,
        "investigations_closed_share": (2, 4),
        "investigations_in_time_share": (3, 4),
        "investigations_extended_share": (1, 4),
        # KOSTRA's "within 3 months" leaves out the extended one concluded after four and a half months.
        "investigations_within_3_months_share": (2, 4),
        "review_breaches_by_reason": {"capacity": 1},
        "investigation_breaches_by_reason": {"none": 1},
        "emergency_placements": 2,
        "measures_active": 6,
        "placements_active": 2,
        "children_with_measures": 5,
        "children_placed_share": (1, 5),
        "children_with_measures_in_home": 4,
        "children_in_aftercare": 1,
        # 31 December: the placed child (care plan) and the helped child (plans for help measures).
        "children_with_plan_share": (2, 2),
        "plans_evaluated_share": (1, 2),
        "plan_evaluations_done": 3,
        "plans_evaluation_overdue": 2,
        "follow_up_visits_done_share": (1, 1),
        "follow_up_children_met_share": (1, 1),
        "supervision_visits_done_share": (0, 1),
        "supervision_children_met_share": (0, 1),
        # Open investigation (work) and active measures (placed, helped) on 31 December, per 0.5 FTE.
        "caseload": (3, Decimal("0.50")),
    }
