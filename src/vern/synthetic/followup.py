"""What follows a concluded investigation in the synthetic data: decisions, measures, plans, visits,
moves and aftercare, as plain rows for the inserter (see ``generate``).

The same rules as the services hold (a measure under a decision in force and citing its provision,
no placement overlapping another, a care-order placement ends with a revocation code, no care order
from 18, nothing from 25, the young person's consent from 18, codes valid on their dates), and only
what has happened by ``today`` is produced.

Calibration (DOMAIN.md): of the children with measures about 61 % have measures in the home and
39 % are placed; statutory foster-home visits are about 96 % done; plans are evaluated mostly in time.
"""

from __future__ import annotations

import random
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from enum import Enum

from vern.core.codelists import paths
from vern.core.dates import OSLO
from vern.rules import ages, plans, visits
from vern.rules.deadlines import add_months
from vern.rules.legal_basis import BVL2021_IN_FORCE, Law

P_VOLUNTARY_PLACEMENT = 0.29  # of "measures decided": a placement with consent rather than at home
P_EMERGENCY_FIRST = 0.35  # of applications to the county board: an emergency decision came first
P_BOARD_APPROVES = 0.9
P_SECOND_HELP_MEASURE = 0.35
P_VISIT_MISSED = 0.035  # DOMAIN.md: 96.4 % of statutory foster-home visits done
P_REPORT_MISSING = 0.04
P_EVALUATION_LATE = 0.15
P_CARE_PLAN_MADE = 0.96
P_REDUCED_FREQUENCY = 0.3  # after two years in the same foster home
P_AFTERCARE_OFFER_IN_TIME = 0.8
P_AFTERCARE_ACCEPTED = 0.6
P_CONSENT_WITHDRAWN = 0.05

HOME_CATEGORIES = (
    "3.1",
    "3.2",
    "3.3",
    "3.6",
    "3.8",
    "3.9",
    "3.10",
    "4.3",
    "4.4",
    "4.5",
    "4.6",
    "5.1",
    "6.1",
    "7.3",
)
HOME_WEIGHTS = (3, 4, 3, 3, 2, 20, 12, 8, 10, 8, 9, 5, 4, 3)
VOLUNTARY_PLACEMENTS = ("2.1", "2.2", "2.5", "1.1")
VOLUNTARY_WEIGHTS = (30, 30, 15, 25)
CARE_PLACEMENTS = ("2.1", "2.2", "2.3", "1.1")
CARE_WEIGHTS = (35, 40, 10, 15)
EMERGENCY_HOME = "2.5"  # beredskapshjem
PLACEMENTS = frozenset(VOLUNTARY_PLACEMENTS + CARE_PLACEMENTS + (EMERGENCY_HOME,))
AFTERCARE_CATEGORIES = ("8.1", "4.4", "4.6", "4.8", "8.3")
REVOCATION_WEIGHTS = {"1": 55, "3": 3, "4": 7}  # "2" (turned 18) is chosen by age

_SUMMARIES = {
    "help": (
        "Råd og veiledning til foreldrene, oppfølging i hjemmet.",
        "Støttekontakt og fritidsaktivitet for barnet.",
        "Foreldreveiledning etter PMTO og samarbeid med skolen.",
    ),
    "placement": (
        "Frivillig plassering i fosterhjem etter samtykke fra foreldrene.",
        "Plassering i institusjon med samtykke.",
    ),
    "care": (
        "Omsorgsovertakelse: barnet plasseres i fosterhjem.",
        "Omsorgsovertakelse med plassering i institusjon.",
    ),
    "emergency": ("Midlertidig akuttvedtak: barnet plasseres i beredskapshjem.",),
    "aftercare": ("Tiltak etter fylte 18 år: hjelp til bolig og oppfølging.",),
}
_CHILD_VIEWS = (
    "Barnet ønsker å bo nær skolen og vennene sine.",
    "Barnet sier det er trygt i fosterhjemmet og vil ha mer samvær med mor.",
    "Barnet ønsker ikke å flytte, men forstår hvorfor.",
    "Barnet er for ungt til å uttale seg; observasjoner i hjemmet er lagt vekt på.",
)
_PLAN_SUMMARIES = {
    plans.HELP_MEASURE_PLAN: "Mål: trygg hverdag og stabil skolegang. Tiltak, ansvar og evaluering.",
    plans.CARE_PLAN: "Omsorgsplan: plassering i fosterhjem fram til fylte 18 år, samvær og oppfølging.",
    plans.AFTERCARE_PLAN: "Plan for ettervern: bolig, skole og arbeid.",
}
VISIT_NOTES = ("Trives godt.", "Samtale med barnet alene.", "Fosterforeldrene ønsker mer veiledning.", "")


class Actor(Enum):
    INTAKE = "intake"
    CASEWORKER = "caseworker"  # the case's caseworker
    LEADER = "leader"


@dataclass(slots=True)
class BreachRow:
    """The reason recorded for a missed deadline, by whom and when."""

    reason: str
    explanation: str
    recorded_at: datetime
    by: Actor


# The reasons recorded for an item's missed deadlines, by clock and the interval a periodic clock
# missed (None for a clock that runs once): DeadlineBreach's key besides the item.
Breaches = dict[tuple[str, date | None], BreachRow]


@dataclass(slots=True)
class Basis:
    law: str
    chapter: str
    section: str
    paragraphs: str = ""


@dataclass(slots=True)
class MeasureRow:
    category: str
    care_order: bool
    start_on: date
    end_on: date | None = None
    revocation: str = ""
    revocation_specification: str = ""
    reasons: list[tuple[str, str]] = field(default_factory=list)
    # (party index into the case's parties or None for the child, given, withdrawn)
    consents: list[tuple[int | None, date, date | None]] = field(default_factory=list)
    frequencies: list[tuple[str, str, date]] = field(default_factory=list)  # (kind, code, from)
    supervisor: int | None = None  # index into the unit's supervisors
    # (kind, visited, report received)
    visits: list[tuple[str, date, date | None]] = field(default_factory=list)
    # The move out of a placement: (moved on, reason code, destination code).
    relocation: tuple[date, str, str] | None = None
    breaches: Breaches = field(default_factory=dict)  # late visits, a late care plan
    # Drawn from the unit's random stream, so a seed gives the same ids.
    register_id: uuid.UUID = field(default=uuid.UUID(int=0))


@dataclass(slots=True)
class DecisionRow:
    basis: Basis
    decided_on: date
    summary: str
    child_views: str
    statuses: list[tuple[str, date]] = field(default_factory=list)
    approved_on: date | None = None  # by the unit's leader, where the delegation rules require it
    ended_on: date | None = None
    sent_to_board_at: datetime | None = None
    board_verdict: str = ""
    board_verdict_on: date | None = None
    measures: list[MeasureRow] = field(default_factory=list)
    # The referral sending this decision (a proposal) to the county board, and the emergency decision
    # (by index in the case's decisions) whose application it is.
    referral_on: date | None = None
    follows: int | None = None
    # The investigation whose conclusion this decision follows (register Relasjon Undersokelse -> Vedtak).
    investigation: uuid.UUID | None = None
    breaches: Breaches = field(default_factory=dict)  # an emergency decision's clocks
    # Drawn from the unit's random stream, so a seed gives the same ids.
    register_id: uuid.UUID = field(default=uuid.UUID(int=0))


@dataclass(slots=True)
class PlanRow:
    plan_type: str
    start_on: date
    summary: str
    end_on: date | None = None
    evaluations: list[date] = field(default_factory=list)
    breaches: Breaches = field(default_factory=dict)  # late evaluations
    # Drawn from the unit's random stream, so a seed gives the same ids.
    register_id: uuid.UUID = field(default=uuid.UUID(int=0))


@dataclass(slots=True)
class AftercareRow:
    offered_on: date
    concluded_on: date | None = None
    conclusion: str = ""
    # Drawn from the unit's random stream, so a seed gives the same ids.
    register_id: uuid.UUID = field(default=uuid.UUID(int=0))


@dataclass(slots=True)
class FollowUp:
    """Everything after the investigations of one case."""

    decisions: list[DecisionRow] = field(default_factory=list)
    plans: list[PlanRow] = field(default_factory=list)
    aftercare: list[AftercareRow] = field(default_factory=list)

    def measures(self) -> list[MeasureRow]:
        return [m for d in self.decisions for m in d.measures]

    def running_until(self) -> date | None:
        """The last day any measure runs, or None when one is still running."""
        ends = [m.end_on for m in self.measures()]
        return None if any(e is None for e in ends) else max(ends, default=None)  # type: ignore[type-var]


def supervisor_count(children: int) -> int:
    """Independent supervisors in a unit's register: about one per 2,000 children in its population."""
    return max(2, children // 2000)


def _ended_reason(category: str) -> str:
    """Flytting/ArsakFra when a placement ends as planned: from an institution 2.1, a foster home 1.1.1."""
    return "2.1" if category.startswith("1.") else "1.1.1"


def approval_needed(basis: Basis, day: date) -> bool:
    """The synthetic units' delegation rules: BVL2021 chapters 4 and 5 from 2023 (see generate)."""
    return basis.law == Law.BVL2021.value and basis.chapter in ("4", "5") and day >= BVL2021_IN_FORCE


def _law(day: date, new: tuple[str, str, str], old: tuple[str, str, str]) -> Basis:
    """The provision in force on ``day``: BVL2021's from 2023, the 1992 act's before.

    Each is (chapter, section, paragraph), the paragraph blank when the whole section applies.
    """
    if day >= BVL2021_IN_FORCE:
        return Basis(Law.BVL2021.value, *new)
    return Basis(Law.BVL1992.value, *old)


def _trim(measure: MeasureRow) -> None:
    """After a measure's end moved earlier: no visit or frequency after it."""
    if measure.end_on is None:
        return
    end = measure.end_on
    measure.visits = [visit for visit in measure.visits if visit[1] <= end]
    measure.frequencies = [f for f in measure.frequencies if f[2] <= end]


class FollowUpSimulator:
    """Draws what follows one concluded investigation, for one case, with the unit's random stream."""

    def __init__(
        self,
        *,
        rng: random.Random,
        today: date,
        valid: Callable[[str, str, date], bool],
        pick_reason: Callable[[date], tuple[str, str] | None],
        supervisors: int,
    ) -> None:
        self.rng = rng
        self.today = today
        self.valid = valid
        self.pick_reason = pick_reason
        self.supervisors = supervisors

    # -- helpers

    def _id(self) -> uuid.UUID:
        return uuid.UUID(int=self.rng.getrandbits(128), version=4)

    def _past(self, day: date | None) -> date | None:
        return day if day is not None and day <= self.today else None

    def _choose(self, options: Sequence[str], weights: Sequence[float], day: date) -> str:
        valid = [
            (o, w)
            for o, w in zip(options, weights, strict=True)
            if self.valid(paths.MEASURE_CATEGORY, o, day)
        ]
        return self.rng.choices([o for o, _w in valid], weights=[w for _o, w in valid])[0]

    def _decision(self, follow: FollowUp, basis: Basis, day: date, kind: str) -> DecisionRow:
        rng = self.rng
        views = rng.choice(_CHILD_VIEWS) if rng.random() < 0.8 else ""
        row = DecisionRow(basis, day, rng.choice(_SUMMARIES[kind]), views, register_id=self._id())
        if approval_needed(basis, day):
            approved = day + timedelta(days=rng.choice((0, 0, 1, 1, 2, 3)))
            row.approved_on = self._past(approved)
            if row.approved_on is not None:
                row.statuses.append(("1", row.approved_on))
        else:
            row.statuses.append(("1", day))
        follow.decisions.append(row)
        return row

    def _reasons(self, basis_codes: Sequence[tuple[str, str]], day: date) -> list[tuple[str, str]]:
        kept = [(c, s) for c, s in basis_codes if self.valid(paths.MEASURE_BASIS, c, day)]
        if not kept:
            drawn = self.pick_reason(day)
            kept = [drawn] if drawn else []
        return kept[:2]

    def _end(self, start: date, until: date, birth: date) -> date | None:
        """A measure's end: at ``until``, never past the 25th birthday; None while still running."""
        end = min(until, ages.birthday(birth, ages.AFTERCARE_MAX_AGE) - timedelta(days=1))
        return self._past(max(end, start))

    def _measure(
        self,
        decision: DecisionRow,
        category: str,
        start: date,
        until: date,
        *,
        birth: date,
        reasons: list[tuple[str, str]],
        parents: Sequence[int],
        care_order: bool = False,
    ) -> MeasureRow | None:
        if start > self.today or start >= ages.birthday(birth, ages.AFTERCARE_MAX_AGE):
            return None
        if care_order:
            # A care order ends at 18 at the latest (Tiltak kontroll 13).
            until = min(until, ages.birthday(birth, ages.ADULT_AGE) - timedelta(days=1))
        measure = MeasureRow(
            category,
            care_order,
            start,
            self._end(start, until, birth),
            reasons=reasons,
            register_id=self._id(),
        )
        adult = start >= ages.birthday(birth, ages.ADULT_AGE)
        if adult:
            measure.consents.append((None, start, None))
        elif not care_order and category not in ("1.1", "2.3"):
            for party in parents:
                withdrawn = None
                if self.rng.random() < P_CONSENT_WITHDRAWN and measure.end_on is not None:
                    withdrawn = measure.end_on
                measure.consents.append((party, start, withdrawn))
        if care_order and measure.end_on is not None:
            turned_18 = measure.end_on >= ages.birthday(birth, ages.ADULT_AGE) - timedelta(days=1)
            codes, weights = list(REVOCATION_WEIGHTS), list(REVOCATION_WEIGHTS.values())
            measure.revocation = "2" if turned_18 else self.rng.choices(codes, weights=weights)[0]
            if measure.revocation == "4":
                measure.revocation_specification = "Flyttet til annen kommune"
        if category.startswith("2."):
            self._visits(measure)
        decision.measures.append(measure)
        return measure

    def _visits(self, measure: MeasureRow) -> None:
        """Frequencies, supervision and the visits done, about 96 % of what is owed."""
        rng = self.rng
        start = measure.start_on
        last = measure.end_on or self.today
        reduced = add_months(start, 24) if rng.random() < P_REDUCED_FREQUENCY else None
        if self.supervisors:
            measure.supervisor = rng.randrange(self.supervisors)
        for kind in (visits.FOLLOW_UP, visits.SUPERVISION):
            measure.frequencies.append((kind, visits.STANDARD, start))
            if reduced is not None and reduced <= last:
                measure.frequencies.append((kind, visits.REDUCED, reduced))
            day = start
            while True:
                months = 6 if reduced is not None and day >= reduced else 3
                day = add_months(day, months) - timedelta(days=rng.randint(0, 25))
                if day > last:
                    break
                if rng.random() < P_VISIT_MISSED:
                    continue
                report = None
                if kind == visits.SUPERVISION and rng.random() > P_REPORT_MISSING:
                    report = self._past(day + timedelta(days=rng.randint(5, 30)))
                measure.visits.append((kind, day, report))

    def _plan(self, follow: FollowUp, plan_type: str, start: date, end: date | None) -> None:
        """A plan with evaluations every three months (the units' default), mostly in time."""
        rng = self.rng
        if start > self.today:
            return
        plan = PlanRow(plan_type, start, _PLAN_SUMMARIES[plan_type], self._past(end), register_id=self._id())
        if plans.is_evaluated(plan_type):
            last = plan.end_on or self.today
            day = start
            while True:
                due = plans.evaluation_due(
                    started_on=start,
                    last_evaluated_on=day if day != start else None,
                    months=plans.DEFAULT_EVALUATION_MONTHS,
                )
                day = (
                    due + timedelta(days=rng.randint(1, 60))
                    if rng.random() < P_EVALUATION_LATE
                    else (due - timedelta(days=rng.randint(0, 20)))
                )
                if day > last:
                    break
                plan.evaluations.append(day)
        follow.plans.append(plan)

    # -- the paths

    def after_investigation(
        self,
        follow: FollowUp,
        *,
        conclusion: str,
        concluded_on: date,
        opened_on: date,
        until: date,
        birth: date,
        basis_codes: Sequence[tuple[str, str]],
        parents: Sequence[int],
        investigation: uuid.UUID | None = None,
    ) -> None:
        """Measures decided (conclusion 1) or an application to the county board (conclusion 2).

        Nothing is dated before ``opened_on``, the day the case was opened. The first decision made
        is the one the investigation concluded in (``investigation``, its register id).
        """
        if birth > concluded_on:
            return  # an unborn child: the help is planned for after the birth
        first = len(follow.decisions)
        self._after_investigation(
            follow,
            conclusion=conclusion,
            concluded_on=concluded_on,
            opened_on=opened_on,
            until=until,
            birth=birth,
            basis_codes=basis_codes,
            parents=parents,
        )
        if investigation is not None and len(follow.decisions) > first:
            follow.decisions[first].investigation = investigation

    def _after_investigation(
        self,
        follow: FollowUp,
        *,
        conclusion: str,
        concluded_on: date,
        opened_on: date,
        until: date,
        birth: date,
        basis_codes: Sequence[tuple[str, str]],
        parents: Sequence[int],
    ) -> None:
        placed = any(
            m.category in PLACEMENTS and (m.end_on is None or m.end_on > concluded_on)
            for m in follow.measures()
        )
        if placed:
            # Already placed: a new concern is met with help around the placement, not a second one.
            self._help_at_home(
                follow, day=concluded_on, until=until, birth=birth, basis_codes=basis_codes, parents=parents
            )
        elif conclusion == "2" and concluded_on < ages.birthday(birth, ages.ADULT_AGE) - timedelta(days=120):
            self._care_order(
                follow,
                opened_on=opened_on,
                day=concluded_on,
                until=until,
                birth=birth,
                basis_codes=basis_codes,
                parents=parents,
            )
        elif self.rng.random() < P_VOLUNTARY_PLACEMENT:
            self._voluntary_placement(
                follow, day=concluded_on, until=until, birth=birth, basis_codes=basis_codes, parents=parents
            )
        else:
            self._help_at_home(
                follow, day=concluded_on, until=until, birth=birth, basis_codes=basis_codes, parents=parents
            )
        self._aftercare(follow, birth, until, basis_codes)

    def _help_at_home(
        self,
        follow: FollowUp,
        *,
        day: date,
        until: date,
        birth: date,
        basis_codes: Sequence[tuple[str, str]],
        parents: Sequence[int],
    ) -> None:
        decision = self._decision(follow, _law(day, ("3", "1", ""), ("4", "4", "2")), day, "help")
        start = day + timedelta(days=self.rng.randint(0, 21))
        reasons = self._reasons(basis_codes, start)
        for _n in range(2 if self.rng.random() < P_SECOND_HELP_MEASURE else 1):
            category = self._choose(HOME_CATEGORIES, HOME_WEIGHTS, start)
            self._measure(decision, category, start, until, birth=birth, reasons=reasons, parents=parents)
        if decision.measures:
            self._plan(follow, plans.HELP_MEASURE_PLAN, start, follow.running_until())

    def _voluntary_placement(
        self,
        follow: FollowUp,
        *,
        day: date,
        until: date,
        birth: date,
        basis_codes: Sequence[tuple[str, str]],
        parents: Sequence[int],
    ) -> None:
        decision = self._decision(follow, _law(day, ("3", "2", ""), ("4", "4", "6")), day, "placement")
        start = day + timedelta(days=self.rng.randint(0, 30))
        category = self._choose(VOLUNTARY_PLACEMENTS, VOLUNTARY_WEIGHTS, start)
        measure = self._measure(
            decision,
            category,
            start,
            until,
            birth=birth,
            reasons=self._reasons(basis_codes, start),
            parents=parents,
        )
        if measure is not None:
            self._plan(follow, plans.HELP_MEASURE_PLAN, start, measure.end_on)
            if measure.end_on is not None:
                measure.relocation = (measure.end_on, _ended_reason(category), "6")

    def _care_order(
        self,
        follow: FollowUp,
        *,
        opened_on: date,
        day: date,
        until: date,
        birth: date,
        basis_codes: Sequence[tuple[str, str]],
        parents: Sequence[int],
    ) -> None:
        rng = self.rng
        emergency_index = None
        emergency_measure = None
        if rng.random() < P_EMERGENCY_FIRST:
            acute_on = max(opened_on, day - timedelta(days=rng.randint(20, 60)))
            emergency = self._decision(
                follow, _law(acute_on, ("4", "2", ""), ("4", "6", "2")), acute_on, "emergency"
            )
            emergency_index = len(follow.decisions) - 1
            # "Straks": mostly the same day, a quarter the next.
            sent = datetime.combine(acute_on, time(8, 0), tzinfo=OSLO) + timedelta(hours=rng.randint(1, 20))
            emergency.sent_to_board_at = sent if sent.date() <= self.today else None
            if emergency.sent_to_board_at is not None:
                emergency.board_verdict_on = self._past(
                    sent.date() + timedelta(days=rng.choice((1, 2, 2, 3)))
                )
                emergency.board_verdict = "approved" if emergency.board_verdict_on else ""
            emergency_measure = self._measure(
                emergency,
                EMERGENCY_HOME,
                acute_on,
                until,
                birth=birth,
                reasons=self._reasons(basis_codes, acute_on),
                parents=parents,
                care_order=False,
            )
            # The application must reach the board within six weeks.
            day = min(day, acute_on + timedelta(days=rng.randint(20, 40)))
        proposal = self._decision(follow, _law(day, ("5", "1", ""), ("4", "12", "")), day, "care")
        proposal.statuses = []  # proposed to the county board: its status comes with the referral
        proposal.approved_on = self._past(day) if approval_needed(proposal.basis, day) else None
        referral_on = day + timedelta(days=rng.randint(0, 10))
        if proposal.basis.law == Law.BVL1992.value and referral_on >= BVL2021_IN_FORCE:
            # A referral cites the law in force when it is sent (register Oversendelse kontroll 5).
            referral_on = day
        proposal.referral_on = self._past(referral_on)
        proposal.follows = emergency_index
        if proposal.referral_on is None:
            return
        proposal.statuses.append(("2", proposal.referral_on))
        board_on = self._past(proposal.referral_on + timedelta(days=rng.randint(30, 90)))
        if board_on is None:
            return
        moved_to_care = rng.random() < P_BOARD_APPROVES
        if emergency_measure is not None:
            emergency_measure.end_on = board_on
            emergency_measure.relocation = (
                board_on,
                "1.1.4" if moved_to_care else "1.1.1",
                "2" if moved_to_care else "6",
            )
            _trim(emergency_measure)
        if not moved_to_care:
            proposal.statuses.append(("4", board_on))
            proposal.ended_on = board_on
            return
        proposal.statuses.append(("1", board_on))
        category = self._choose(CARE_PLACEMENTS, CARE_WEIGHTS, board_on)
        placement = self._measure(
            proposal,
            category,
            board_on,
            until,
            birth=birth,
            reasons=self._reasons(basis_codes, board_on),
            parents=parents,
            care_order=True,
        )
        if placement is None:
            return
        if rng.random() < P_CARE_PLAN_MADE:
            # Due when the care order starts (rules.plans.care_plan_due): mostly then, some days later.
            late = max(0, rng.randint(0, 30) - 25)
            self._plan(follow, plans.CARE_PLAN, board_on + timedelta(days=late), placement.end_on)
        if placement.end_on is not None and placement.revocation != "2":
            destination = "6" if placement.revocation == "1" else "8"
            placement.relocation = (placement.end_on, _ended_reason(category), destination)

    def _aftercare(
        self, follow: FollowUp, birth: date, until: date, basis_codes: Sequence[tuple[str, str]]
    ) -> None:
        """An offer before 18 to a young person with measures then; accepted, measures go on."""
        rng = self.rng
        turns_18 = ages.birthday(birth, ages.ADULT_AGE)
        measures = follow.measures()
        had_measures = any(
            m.start_on < turns_18 and (m.end_on is None or m.end_on >= turns_18 - timedelta(days=180))
            for m in measures
        )
        if not had_measures or turns_18 - timedelta(days=120) > self.today:
            return
        offered = turns_18 - timedelta(days=rng.randint(20, 120))
        if rng.random() > P_AFTERCARE_OFFER_IN_TIME:
            offered = turns_18 + timedelta(days=rng.randint(0, 90))
        if offered > self.today:
            return
        offer = AftercareRow(offered, register_id=self._id())
        follow.aftercare.append(offer)
        concluded = self._past(offered + timedelta(days=rng.randint(7, 60)))
        if concluded is None:
            return
        accepted = rng.random() < P_AFTERCARE_ACCEPTED
        offer.concluded_on, offer.conclusion = concluded, "1" if accepted else rng.choice(("2", "3"))
        # Measures still running at 18 end then, unless the young person accepts help after 18.
        for m in measures:
            if (m.end_on is None or m.end_on >= turns_18) and (not accepted or m.care_order):
                m.end_on = self._past(max(m.start_on, turns_18 - timedelta(days=1)))
                if m.care_order and m.end_on is not None:
                    m.revocation = "2"
                    m.relocation = (m.end_on, "1.1.2", "7")
        for m in measures:
            _trim(m)
        if not accepted or turns_18 > self.today:
            return
        decision = self._decision(
            follow, _law(turns_18, ("3", "6", ""), ("1", "3", "2")), turns_18, "aftercare"
        )
        category = self._choose(AFTERCARE_CATEGORIES, (30, 25, 20, 15, 10), turns_18)
        ends = min(until, ages.birthday(birth, rng.choice((20, 21, 23, 25))) - timedelta(days=1))
        measure = self._measure(
            decision,
            category,
            turns_18,
            ends,
            birth=birth,
            reasons=self._reasons(basis_codes, turns_18),
            parents=(),
        )
        if measure is not None:
            self._plan(follow, plans.AFTERCARE_PLAN, turns_18, measure.end_on)
