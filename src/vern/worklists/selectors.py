"""Deadline worklists, computed in the database from facts (never from stored due dates).

Each clock of ``vern.rules`` has its due-date expression here; tests/worklists/test_due_dates_agree.py
proves the database and the rules agree on both database backends. Every kind of deadline is one
query over the cases in a :class:`CaseScope`.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from django.db.models import Case as When_
from django.db.models import (
    DateField,
    DateTimeField,
    Exists,
    ExpressionWrapper,
    F,
    Model,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Greatest, TruncDate
from django.urls import get_script_prefix, reverse
from django.utils.translation import gettext_lazy

from vern.cases.models import Case
from vern.core.dates import OSLO
from vern.core.db import AddDays, AddMonths
from vern.core.models import DeadlineBreach
from vern.decisions.models import BoardReferral, BoardVerdict, Decision
from vern.intake.models import ConcernReport, feedback_owed_q
from vern.investigations.models import DeadlineExtension, Investigation
from vern.measures.models import Aftercare, Measure, Plan, PlanEvaluation, Visit, VisitFrequency
from vern.rules import ages, deadlines, plans, visits
from vern.rules import decisions as decision_rules
from vern.rules import measures as measure_rules

if TYPE_CHECKING:
    from django_stubs_ext import StrPromise

REVIEW = deadlines.REVIEW.name
INVESTIGATION = deadlines.INVESTIGATION.name
EMERGENCY_SUBMISSION = decision_rules.SUBMISSION_CLOCK
EMERGENCY_APPROVAL = decision_rules.APPROVAL_CLOCK
EMERGENCY_APPLICATION = decision_rules.APPLICATION_CLOCK
PLAN_EVALUATION = plans.EVALUATION_CLOCK
CARE_PLAN = plans.CARE_PLAN_CLOCK
FOLLOW_UP_VISIT = visits.CLOCKS[visits.FOLLOW_UP]
SUPERVISION_VISIT = visits.CLOCKS[visits.SUPERVISION]
AFTERCARE_OFFER = "aftercare_offer"
ADULT_WITHOUT_MEASURE = "adult_without_measure"
OPEN_AT_25 = "open_at_25"
REPORTER_FEEDBACK = deadlines.REPORTER_FEEDBACK.name
# The clocks whose breach needs a recorded reason: every statutory clock a step stops. Each keeps
# its steps done late as rows (LATE_QUERIES), and the service doing the step asks for the reason.
CLOCKS_WITH_REASONS = frozenset(
    {
        REVIEW,
        INVESTIGATION,
        REPORTER_FEEDBACK,
        EMERGENCY_SUBMISSION,
        EMERGENCY_APPROVAL,
        EMERGENCY_APPLICATION,
        PLAN_EVALUATION,
        CARE_PLAN,
        FOLLOW_UP_VISIT,
        SUPERVISION_VISIT,
    }
)
# The clocks that start again after each step: one breach per missed interval, keyed by the day the
# interval began (DeadlineRow.start, DeadlineBreach.period_start; ADR 0014).
PERIODIC_CLOCKS = frozenset({PLAN_EVALUATION, FOLLOW_UP_VISIT, SUPERVISION_VISIT})
EMERGENCY_CLOCKS = (EMERGENCY_SUBMISSION, EMERGENCY_APPROVAL, EMERGENCY_APPLICATION)
# Worklist window for aftercare offers: shown from six months before the 18th birthday (product rule).
AFTERCARE_NOTICE_MONTHS = 6


@dataclass(frozen=True)
class CaseScope:
    """The cases a worklist covers, as a filter usable from any model with a path to its case.

    Filtering items through a join on their own case (``case__unit_id=...``) rather than
    ``case__in=<subquery>`` lets PostgreSQL start from the unit's or caseworker's index.
    """

    unit_ids: tuple[int, ...] = ()
    case_id: int | None = None
    # The cases by id, as ``resolved`` gives them for a caseworker's few cases.
    case_ids: tuple[int, ...] | None = None
    # Cases assigned to or shared with this user.
    caseworker_id: int | None = None
    open_only: bool = False

    def resolved(self) -> CaseScope:
        """A caseworker's cases are few: fetch their ids once, so each worklist query filters on its
        own foreign key (``case_id IN (...)``) instead of joining the case and the shares again."""
        if self.caseworker_id is None:
            return self
        ids = tuple(Case.objects.filter(self.q("")).values_list("pk", flat=True))
        return CaseScope(case_ids=ids)

    def q(self, path: str = "case") -> Q:
        prefix = f"{path}__" if path else ""
        scope = Q()
        if self.unit_ids:
            scope &= Q(**{f"{prefix}unit_id__in": self.unit_ids})
        if self.case_id is not None:
            scope &= Q(**{f"{prefix}pk": self.case_id})
        if self.case_ids is not None:
            # The item's own foreign key column: no join to the case at all.
            scope &= Q(**{f"{path}_id__in" if path else "pk__in": self.case_ids})
        if self.caseworker_id is not None:
            shared = Case.shared_with.through.objects.filter(
                case_id=OuterRef(f"{path}_id" if path else "pk"), user_id=self.caseworker_id
            )
            scope &= Q(**{f"{prefix}caseworker_id": self.caseworker_id}) | Q(Exists(shared))
        if self.open_only:
            scope &= Q(**{f"{prefix}closed_on__isnull": True})
        return scope


# -- due-date expressions, one per clock of vern.rules


def review_due_expression() -> AddDays:
    return AddDays(TruncDate("received_at", tzinfo=OSLO), deadlines.REVIEW.days or 0)


def reporter_feedback_due_expression() -> AddDays:
    return AddDays(TruncDate("received_at", tzinfo=OSLO), deadlines.REPORTER_FEEDBACK.days or 0)


def investigation_due_expression() -> AddMonths:
    extended = Exists(DeadlineExtension.objects.filter(investigation_id=OuterRef("pk")))
    months = When_(
        When(extended, then=Value(deadlines.INVESTIGATION_EXTENDED.months)),
        default=Value(deadlines.INVESTIGATION.months),
    )
    return AddMonths("started_on", months)


def _member_of_csv(field: str, value: str) -> Q:
    """``value`` is one of the comma-separated parts of ``field`` (LegalBasisFields.paragraphs)."""
    return Q(**{f"{field}__regex": rf"(^|,){re.escape(value)}(,|$)"})


def _emergency_rule_q(rule: decision_rules.EmergencyRule) -> Q:
    q = Q(law=rule.law.value, chapter=rule.chapter, section=rule.section)
    return q & _member_of_csv("paragraphs", rule.paragraph) if rule.paragraph else q


def emergency_q(*, placements_only: bool = False) -> Q:
    """Decisions under an emergency provision (rules.decisions.EMERGENCY_RULES), or only under those
    that place the child (the reports' emergency placements)."""
    rules = [r for r in decision_rules.EMERGENCY_RULES if r.placement or not placements_only]
    q = Q(pk__in=[])
    for rule in rules:
        q |= _emergency_rule_q(rule)
    # The chapters alone first: an indexed, selective test before the per-provision ones.
    return Q(chapter__in=sorted({r.chapter for r in rules})) & q


def emergency_application_due_expression() -> AddDays:
    days = When_(
        *(When(_emergency_rule_q(r), then=Value(r.application.days)) for r in decision_rules.EMERGENCY_RULES),
        default=Value(None),
    )
    return AddDays("decided_on", days)


def emergency_approval_due_expression() -> TruncDate:
    """The day the county board's 48 hours run out, in Oslo (rules.decisions.board_approval_due)."""
    hours = decision_rules.BOARD_APPROVAL.hours or 0
    moment = ExpressionWrapper(F("sent_to_board_at") + timedelta(hours=hours), output_field=DateTimeField())
    return TruncDate(moment, tzinfo=OSLO)


def _latest(model: Any, *, date_field: str, **filters: Any) -> Subquery:
    """The latest ``date_field`` of the rows of ``model`` pointing at the outer row (or NULL)."""
    return Subquery(
        model.objects.filter(**filters).order_by(f"-{date_field}").values(date_field)[:1],
        output_field=DateField(),
    )


def _anchor(start: str, last: Subquery) -> Greatest:
    """The day a periodic clock's interval began: its latest step, or its start (never before it)."""
    return Greatest(start, Coalesce(last, start))


def plan_evaluation_anchor(*, as_of: date | None = None) -> Greatest:
    """The start of a plan's current evaluation interval (from the evaluations done by ``as_of``)."""
    done_by = {} if as_of is None else {"done_on__lte": as_of}
    return _anchor(
        "start_on", _latest(PlanEvaluation, date_field="done_on", plan_id=OuterRef("pk"), **done_by)
    )


def plan_evaluation_due_expression(*, as_of: date | None = None) -> AddMonths:
    """rules.plans.evaluation_due with the unit's interval (from the evaluations done by ``as_of``)."""
    return AddMonths(plan_evaluation_anchor(as_of=as_of), F("case__unit__plan_evaluation_months"))


def _visit_interval(frequency: str) -> When_:
    """The months between visits under the frequency code in ``frequency`` (standard when empty)."""
    return When_(
        *(When(**{frequency: c}, then=Value(12 // n)) for c, n in visits.VISITS_PER_YEAR.items()),
        default=Value(12 // visits.VISITS_PER_YEAR[visits.STANDARD]),
    )


def with_visit_due(
    measures: QuerySet[Measure], kind: str, today: date, *, alias: str = "due"
) -> QuerySet[Measure]:
    """Annotate ``alias``: rules.visits.next_visit_due for the visits of ``kind``, and
    ``{alias}_start``: the day its interval began.

    One interval (12 / frequency months) of the frequency in force today after the latest visit,
    or after the placement started; the standard frequency until one is recorded.
    """
    last = _latest(Visit, date_field="visited_on", measure_id=OuterRef("pk"), kind=kind)
    code = Subquery(
        VisitFrequency.objects.filter(measure_id=OuterRef("pk"), kind=kind, start_on__lte=today)
        .order_by("-start_on")
        .values("code")[:1]
    )
    frequency, start = f"{alias}_frequency", f"{alias}_start"
    return measures.annotate(**{frequency: code, start: _anchor("start_on", last)}).annotate(
        **{alias: AddMonths(start, _visit_interval(frequency))}
    )


def birthday_expression(birth: str, years: int) -> When_:
    """rules.ages.birthday in SQL: ``years`` later, and 1 March for a 29 February birth.

    Only for ages that are not multiples of four (15, 18, 25): a 29 February birthday then always falls
    in a year without that day, where adding whole years in SQL clamps to 28 February.
    """
    if years % 4 == 0:
        raise ValueError("birthday_expression handles only ages that are not multiples of four")
    plain = AddMonths(birth, years * 12)
    return When_(
        When(Q(**{f"{birth}__month": 2, f"{birth}__day": 29}), then=AddDays(plain, 1)),
        default=plain,
        output_field=DateField(),
    )


# -- rows


@dataclass(frozen=True)
class Kind:
    """A kind of deadline on a worklist: its label, the page where it is dealt with, and the model of
    the item a row's ``object_id`` names."""

    label: str | StrPromise
    url_name: str
    model: type[Model]
    # Which id the page takes: the item's own ("object") or its case's ("case").
    target: str = "object"
    # The label once the step is done, where the open label says it is missing.
    done_label: str | StrPromise | None = None


KINDS: dict[str, Kind] = {
    REVIEW: Kind(gettext_lazy("Review of report"), "intake:report", ConcernReport),
    INVESTIGATION: Kind(gettext_lazy("Investigation"), "investigations:detail", Investigation),
    EMERGENCY_SUBMISSION: Kind(
        gettext_lazy("Emergency decision: send to the county board"), "decisions:detail", Decision
    ),
    EMERGENCY_APPROVAL: Kind(
        gettext_lazy("Emergency decision: county board's 48 hours"), "decisions:detail", Decision
    ),
    EMERGENCY_APPLICATION: Kind(
        gettext_lazy("Emergency decision: application to the board"), "decisions:detail", Decision
    ),
    PLAN_EVALUATION: Kind(gettext_lazy("Plan evaluation"), "measures:plan", Plan),
    CARE_PLAN: Kind(
        gettext_lazy("Care plan missing"), "measures:detail", Measure, done_label=gettext_lazy("Care plan")
    ),
    FOLLOW_UP_VISIT: Kind(gettext_lazy("Follow-up visit"), "measures:detail", Measure),
    SUPERVISION_VISIT: Kind(gettext_lazy("Supervision visit"), "measures:detail", Measure),
    AFTERCARE_OFFER: Kind(gettext_lazy("Aftercare offer before 18"), "cases:detail", Case, "case"),
    ADULT_WITHOUT_MEASURE: Kind(
        gettext_lazy("Turned 18 with no measure or offer"), "cases:detail", Case, "case"
    ),
    OPEN_AT_25: Kind(gettext_lazy("Case still open at 25"), "cases:detail", Case, "case"),
    REPORTER_FEEDBACK: Kind(gettext_lazy("Feedback to the reporter"), "intake:report", ConcernReport),
}


@dataclass(frozen=True)
class DeadlineRow:
    kind: str  # a key of KINDS
    object_id: int
    case_id: int
    journal_number: str
    child_name: str
    caseworker: str
    start: date
    due: date
    concluded_on: date | None
    status: deadlines.DeadlineStatus
    breach_reason: str | None
    extended: bool = False
    # Shown on worklists from this day, and until (not on) that day; None: always. The age kinds
    # have such windows, so a row computed once stays right as the days pass (worklists.store).
    shown_from: date | None = None
    shown_until: date | None = None

    def shown_on(self, day: date) -> bool:
        return (self.shown_from is None or self.shown_from <= day) and (
            self.shown_until is None or day < self.shown_until
        )

    @property
    def label(self) -> str | StrPromise:
        kind = KINDS[self.kind]
        return kind.done_label if self.concluded_on is not None and kind.done_label else kind.label

    @property
    def url(self) -> str:
        kind = KINDS[self.kind]
        return _url(kind.url_name, self.case_id if kind.target == "case" else self.object_id)

    @property
    def case_url(self) -> str:
        return _url("cases:detail", self.case_id)

    @property
    def late(self) -> bool:
        return self.status in (deadlines.DeadlineStatus.OVERDUE, deadlines.DeadlineStatus.BREACHED)

    @property
    def needs_reason(self) -> bool:
        return self.kind in CLOCKS_WITH_REASONS and self.late and not self.breach_reason

    @property
    def period_start(self) -> date | None:
        """What keys the breach besides the item (DeadlineBreach.period_start): a periodic clock's
        interval."""
        return self.start if self.kind in PERIODIC_CLOCKS else None

    @property
    def reason_url(self) -> str:
        """The page recording why this deadline was missed ("Registrer årsak")."""
        url = reverse("worklists:breach_reason", args=[self.kind, self.object_id])
        return f"{url}?fra={self.start.isoformat()}" if self.period_start else url


# An id no row has: where it stands in a reversed URL, any id can stand.
_ANY_ID = 987_654_321_987_654_321


@functools.cache
def _url_around_id(name: str, prefix: str) -> tuple[str, str]:
    head, _id, tail = reverse(name, args=[_ANY_ID]).partition(str(_ANY_ID))
    return head, tail


def _url(name: str, pk: int) -> str:
    """``reverse(name, args=[pk])`` for a URL that takes one id, reversed once: a worklist has
    hundreds of links, and Django's ``reverse`` costs more than the rest of a row."""
    head, tail = _url_around_id(name, get_script_prefix())
    return f"{head}{pk}{tail}"


def name_of(first: str | None, last: str | None) -> str:
    return " ".join(part for part in (first, last) if part)


def _case_fields(path: str) -> dict[str, str]:
    """values() keys for the case's journal number, the child's and the caseworker's names."""
    prefix = f"{path}__" if path else ""
    return {
        "case_id": f"{path}_id" if path else "pk",
        "journal": f"{prefix}journal_number",
        "child_first": f"{prefix}child__first_name",
        "child_last": f"{prefix}child__last_name",
        "worker_first": f"{prefix}caseworker__first_name",
        "worker_last": f"{prefix}caseworker__last_name",
    }


def _breach_reason(clock: str, *, item: str = "pk", period_start: str | None = None) -> Subquery:
    """The reason recorded for the breach of ``clock`` by the row's ``item``, and for a periodic
    clock by its interval starting on ``period_start`` (an annotation of the row)."""
    interval: dict[str, Any] = (
        {"period_start": OuterRef(period_start)} if period_start else {"period_start__isnull": True}
    )
    return Subquery(
        DeadlineBreach.objects.filter(clock=clock, object_id=OuterRef(item), **interval).values("reason")[:1]
    )


def _always(_row: dict[str, Any]) -> bool:
    return True


@dataclass(frozen=True)
class Pick:
    """A kind of deadline read from a row of a query, by the keys of the row's values.

    Several kinds can come from one query (an emergency decision has three clocks), each with its
    own due date, interval start, day done and breach reason; ``applies`` says whether the row has
    that deadline at all. A pick with ``concluded`` gives a row only where the step was done after
    its due date: the breaches that stay breaches.
    """

    kind: str
    due: str = "due"
    applies: Callable[[dict[str, Any]], bool] = _always
    start: str = "start"
    concluded: str | None = None
    reason: str | None = None


# The days a row of a kind is shown from and until (DeadlineRow.shown_from, shown_until).
Window = Callable[[dict[str, Any]], tuple[date | None, date | None]]


def _rows(
    items: QuerySet[Any],
    picks: Sequence[Pick],
    *,
    today: date,
    path: str = "case",
    item: str = "pk",
    extended: str | None = None,
    extra: Sequence[str] = (),
    windows: dict[str, Window] | None = None,
) -> list[DeadlineRow]:
    """Rows from ``items``, a kind of deadline for each of ``picks`` that applies; ``item`` is the
    key of the id a row names (the item's own, or e.g. a visit's placement)."""
    fields = _case_fields(path)
    wanted = {item, *extra, *((extended,) if extended else ())}
    for pick in picks:
        wanted |= {pick.due, pick.start} | {key for key in (pick.concluded, pick.reason) if key}
    rows = []
    for v in items.values(*wanted, *fields.values()):
        for pick in picks:
            due = v[pick.due]
            concluded_on = v[pick.concluded] if pick.concluded else None
            if due is None or not pick.applies(v):
                continue
            if pick.concluded and (concluded_on is None or concluded_on <= due):
                continue
            shown_from, shown_until = windows[pick.kind](v) if windows else (None, None)
            rows.append(
                DeadlineRow(
                    kind=pick.kind,
                    object_id=v[item],
                    case_id=v[fields["case_id"]],
                    journal_number=v[fields["journal"]],
                    child_name=name_of(v[fields["child_first"]], v[fields["child_last"]]),
                    caseworker=name_of(v[fields["worker_first"]], v[fields["worker_last"]]),
                    start=v[pick.start],
                    due=due,
                    concluded_on=concluded_on,
                    status=deadlines.status(due=due, concluded_on=concluded_on, today=today),
                    breach_reason=v[pick.reason] if pick.reason else None,
                    extended=bool(v[extended]) if extended else False,
                    shown_from=shown_from,
                    shown_until=shown_until,
                )
            )
    return rows


def _with_reason(
    items: QuerySet[Any], kind: str, *, concluded: str | None = None
) -> tuple[QuerySet[Any], list[Pick]]:
    """``items`` with the breach reason of ``kind``, a clock that runs once per item, and its pick."""
    return items.annotate(reason=_breach_reason(kind)), [Pick(kind, reason="reason", concluded=concluded)]


def _reviews(scope: CaseScope) -> QuerySet[ConcernReport]:
    return ConcernReport.objects.filter(scope.q()).annotate(
        start=TruncDate("received_at", tzinfo=OSLO), due=review_due_expression()
    )


def _feedback_owed(scope: CaseScope) -> QuerySet[ConcernReport]:
    return ConcernReport.objects.filter(scope.q(), feedback_owed_q()).annotate(
        start=TruncDate("received_at", tzinfo=OSLO), due=reporter_feedback_due_expression()
    )


def _investigations(scope: CaseScope) -> QuerySet[Investigation]:
    return Investigation.objects.filter(scope.q()).annotate(
        start=F("started_on"),
        due=investigation_due_expression(),
        extended=Exists(DeadlineExtension.objects.filter(investigation_id=OuterRef("pk"))),
    )


def _emergencies(scope: CaseScope) -> QuerySet[Decision]:
    """Emergency decisions with their three clocks' due dates and reasons (rules.decisions)."""
    return (
        Decision.objects.filter(scope.q(), emergency_q())
        .annotate(
            start=F("decided_on"),
            submission_due=F("decided_on"),
            approval_due=emergency_approval_due_expression(),
            application_due=emergency_application_due_expression(),
        )
        .annotate(**{f"{kind}_reason": _breach_reason(kind) for kind in EMERGENCY_CLOCKS})
    )


def _running_measures(scope: CaseScope, categories: Iterable[str]) -> QuerySet[Measure]:
    return Measure.objects.filter(
        scope.q(), end_on__isnull=True, category__in=list(categories), case__closed_on__isnull=True
    ).annotate(start=F("start_on"))


def _care_orders(scope: CaseScope) -> QuerySet[Measure]:
    """Care-order placements, which require a care plan from their start (rules.plans.care_plan_due)."""
    return Measure.objects.filter(
        scope.q(), care_order=True, category__in=sorted(measure_rules.PLACEMENT_CATEGORIES)
    ).annotate(start=F("start_on"), due=F("start_on"), reason=_breach_reason(CARE_PLAN))


def _running_measure_exists() -> Exists:
    return Exists(Measure.objects.filter(case_id=OuterRef("pk"), end_on__isnull=True))


KindQuery = Callable[[CaseScope, date], list[DeadlineRow]]


def _review_rows(scope: CaseScope, today: date) -> list[DeadlineRow]:
    return _rows(*_with_reason(_reviews(scope).filter(review_concluded_on__isnull=True), REVIEW), today=today)


def _feedback_rows(scope: CaseScope, today: date) -> list[DeadlineRow]:
    """Reporters in a public or professional capacity are told within three weeks (rules.deadlines)."""
    owed = _feedback_owed(scope).filter(feedback_sent_on__isnull=True)
    return _rows(*_with_reason(owed, REPORTER_FEEDBACK), today=today)


def _investigation_rows(scope: CaseScope, today: date) -> list[DeadlineRow]:
    running = _investigations(scope).filter(concluded_on__isnull=True)
    return _rows(*_with_reason(running, INVESTIGATION), today=today, extended="extended")


def _emergency_rows(scope: CaseScope, today: date) -> list[DeadlineRow]:
    """Send at once; then the board's 48 hours; and the application within six (or two) weeks."""
    emergencies = _emergencies(scope).filter(ended_on__isnull=True)
    emergencies = emergencies.annotate(
        applied=Exists(BoardReferral.objects.filter(follows_id=OuterRef("pk")))
    )
    picks = [
        Pick(
            EMERGENCY_SUBMISSION,
            due="submission_due",
            applies=lambda v: v["sent_to_board_at"] is None,
            reason=f"{EMERGENCY_SUBMISSION}_reason",
        ),
        Pick(
            EMERGENCY_APPROVAL,
            due="approval_due",
            applies=lambda v: v["board_verdict"] == BoardVerdict.NONE,
            reason=f"{EMERGENCY_APPROVAL}_reason",
        ),
        Pick(
            EMERGENCY_APPLICATION,
            due="application_due",
            applies=lambda v: not v["applied"],
            reason=f"{EMERGENCY_APPLICATION}_reason",
        ),
    ]
    return _rows(emergencies, picks, today=today, extra=("sent_to_board_at", "board_verdict", "applied"))


def _plan_rows(scope: CaseScope, today: date) -> list[DeadlineRow]:
    evaluated = (
        Plan.objects.filter(
            scope.q(),
            end_on__isnull=True,
            plan_type__in=sorted(plans.EVALUATED_PLAN_TYPES),
            case__closed_on__isnull=True,
        )
        .annotate(start=plan_evaluation_anchor(), due=plan_evaluation_due_expression())
        .annotate(reason=_breach_reason(PLAN_EVALUATION, period_start="start"))
    )
    # A care order requires a care plan (BVL2021 § 8-3): due from the care order's start.
    care_plan = Plan.objects.filter(
        case_id=OuterRef("case_id"), plan_type=plans.CARE_PLAN, end_on__isnull=True
    )
    without_plan = _care_orders(scope).filter(end_on__isnull=True, case__closed_on__isnull=True)
    without_plan = without_plan.exclude(Exists(care_plan))
    return _rows(evaluated, [Pick(PLAN_EVALUATION, reason="reason")], today=today) + _rows(
        without_plan, [Pick(CARE_PLAN, reason="reason")], today=today
    )


def _visit_rows(scope: CaseScope, today: date) -> list[DeadlineRow]:
    homes = _running_measures(scope, measure_rules.FOSTER_HOME_CATEGORIES)
    picks = []
    for kind, clock in visits.CLOCKS.items():
        homes = with_visit_due(homes, kind, today, alias=clock)
        homes = homes.annotate(**{f"{clock}_reason": _breach_reason(clock, period_start=f"{clock}_start")})
        picks.append(Pick(clock, due=clock, start=f"{clock}_start", reason=f"{clock}_reason"))
    return _rows(homes, picks, today=today)


def _age_rows(scope: CaseScope, today: date) -> list[DeadlineRow]:
    """The offer of aftercare before 18, and the warnings at 18 and at 25 (register Sak kontroll 7, 8).

    Each is shown in its window of days (DeadlineRow.shown_from, shown_until), not only today's: the
    offer from six months before the 18th birthday until it, the warning at 18 until the 25th birthday.
    """
    cases = Case.objects.filter(scope.q(""), closed_on__isnull=True).annotate(
        start=F("opened_on"),
        turns_18=birthday_expression("child__birth_date", ages.ADULT_AGE),
        turns_25=birthday_expression("child__birth_date", ages.AFTERCARE_MAX_AGE),
        offer_due=AddDays(birthday_expression("child__birth_date", ages.ADULT_AGE), -1),
        offered=Exists(Aftercare.objects.filter(case_id=OuterRef("pk"))),
        measured=_running_measure_exists(),
    )
    picks = [
        Pick(AFTERCARE_OFFER, due="offer_due", applies=lambda v: v["measured"] and not v["offered"]),
        Pick(ADULT_WITHOUT_MEASURE, due="turns_18", applies=lambda v: not v["measured"] and not v["offered"]),
        Pick(OPEN_AT_25, due="turns_25"),
    ]
    windows: dict[str, Window] = {
        AFTERCARE_OFFER: lambda v: (
            deadlines.subtract_months(v["turns_18"], AFTERCARE_NOTICE_MONTHS),
            v["turns_18"],
        ),
        ADULT_WITHOUT_MEASURE: lambda v: (v["turns_18"], v["turns_25"]),
        OPEN_AT_25: lambda v: (v["turns_25"], None),
    }
    return _rows(
        cases,
        picks,
        today=today,
        path="",
        extra=("measured", "offered", "turns_18", "turns_25"),
        windows=windows,
    )


KIND_QUERIES: tuple[KindQuery, ...] = (
    _review_rows,
    _feedback_rows,
    _investigation_rows,
    _emergency_rows,
    _plan_rows,
    _visit_rows,
    _age_rows,
)


# -- the steps done late: the breaches that stay breaches


def _late_review_rows(scope: CaseScope, today: date) -> list[DeadlineRow]:
    late = _reviews(scope).filter(review_concluded_on__gt=F("due"))
    return _rows(*_with_reason(late, REVIEW, concluded="review_concluded_on"), today=today)


def _late_feedback_rows(scope: CaseScope, today: date) -> list[DeadlineRow]:
    late = _feedback_owed(scope).filter(feedback_sent_on__gt=F("due"))
    return _rows(*_with_reason(late, REPORTER_FEEDBACK, concluded="feedback_sent_on"), today=today)


def _late_investigation_rows(scope: CaseScope, today: date) -> list[DeadlineRow]:
    late = _investigations(scope).filter(concluded_on__gt=F("due"))
    items, picks = _with_reason(late, INVESTIGATION, concluded="concluded_on")
    return _rows(items, picks, today=today, extended="extended")


def _late_emergency_rows(scope: CaseScope, today: date) -> list[DeadlineRow]:
    """Sent to the county board after the day of the decision, the board's verdict after its 48 hours,
    the first application after its six (or two) weeks: whether the decision has ended or not."""
    first_application = Subquery(
        BoardReferral.objects.filter(follows_id=OuterRef("pk")).order_by("sent_on").values("sent_on")[:1],
        output_field=DateField(),
    )
    late = (
        _emergencies(scope)
        .annotate(submitted=TruncDate("sent_to_board_at", tzinfo=OSLO), applied_on=first_application)
        .filter(
            Q(submitted__gt=F("submission_due"))
            | Q(board_verdict_on__gt=F("approval_due"))
            | Q(applied_on__gt=F("application_due"))
        )
    )
    done = {
        EMERGENCY_SUBMISSION: "submitted",
        EMERGENCY_APPROVAL: "board_verdict_on",
        EMERGENCY_APPLICATION: "applied_on",
    }
    dues = {
        EMERGENCY_SUBMISSION: "submission_due",
        EMERGENCY_APPROVAL: "approval_due",
        EMERGENCY_APPLICATION: "application_due",
    }
    picks = [
        Pick(kind, due=dues[kind], concluded=done[kind], reason=f"{kind}_reason") for kind in EMERGENCY_CLOCKS
    ]
    return _rows(late, picks, today=today)


def _late_steps(steps: QuerySet[Any], *, same: dict[str, Any], day: str, start: Greatest) -> QuerySet[Any]:
    """Steps of a periodic clock (the visits of a kind, the evaluations: those ``same`` selects for a
    step) with ``start``, the day their interval began; one per day (several close one interval)."""
    same_day = steps.model._default_manager.filter(**same, **{day: OuterRef(day)}, pk__lt=OuterRef("pk"))
    late: QuerySet[Any] = steps.exclude(Exists(same_day)).annotate(start=start)
    return late


def _late_evaluation_rows(scope: CaseScope, today: date) -> list[DeadlineRow]:
    """rules.plans.late_evaluations: each evaluation done after its due date."""
    earlier = _latest(
        PlanEvaluation, date_field="done_on", plan_id=OuterRef("plan_id"), done_on__lt=OuterRef("done_on")
    )
    evaluations = PlanEvaluation.objects.filter(
        scope.q("plan__case"), plan__plan_type__in=sorted(plans.EVALUATED_PLAN_TYPES)
    )
    late = (
        _late_steps(
            evaluations,
            same={"plan_id": OuterRef("plan_id")},
            day="done_on",
            start=_anchor("plan__start_on", earlier),
        )
        .annotate(due=AddMonths("start", F("plan__case__unit__plan_evaluation_months")))
        .filter(done_on__gt=F("due"))
        .annotate(reason=_breach_reason(PLAN_EVALUATION, item="plan_id", period_start="start"))
    )
    pick = Pick(PLAN_EVALUATION, concluded="done_on", reason="reason")
    return _rows(late, [pick], today=today, path="plan__case", item="plan_id")


def _late_visit_rows(scope: CaseScope, today: date) -> list[DeadlineRow]:
    """rules.visits.late_visits: each visit done after its due date, under the frequency in force on
    the day of the visit."""
    rows = []
    for kind, clock in visits.CLOCKS.items():
        earlier = _latest(
            Visit,
            date_field="visited_on",
            measure_id=OuterRef("measure_id"),
            kind=kind,
            visited_on__lt=OuterRef("visited_on"),
        )
        code = Subquery(
            VisitFrequency.objects.filter(
                measure_id=OuterRef("measure_id"), kind=kind, start_on__lte=OuterRef("visited_on")
            )
            .order_by("-start_on")
            .values("code")[:1]
        )
        homes = Visit.objects.filter(
            scope.q("measure__case"),
            kind=kind,
            measure__category__in=sorted(measure_rules.FOSTER_HOME_CATEGORIES),
        )
        late = (
            _late_steps(
                homes,
                same={"measure_id": OuterRef("measure_id"), "kind": kind},
                day="visited_on",
                start=_anchor("measure__start_on", earlier),
            )
            .annotate(frequency=code)
            .annotate(due=AddMonths("start", _visit_interval("frequency")))
            .filter(visited_on__gt=F("due"))
            .annotate(reason=_breach_reason(clock, item="measure_id", period_start="start"))
        )
        pick = Pick(clock, concluded="visited_on", reason="reason")
        rows += _rows(late, [pick], today=today, path="measure__case", item="measure_id")
    return rows


def _late_care_plan_rows(scope: CaseScope, today: date) -> list[DeadlineRow]:
    """rules.plans.care_plan_late: the first care plan in force during a care-order placement came after
    it started."""
    during = Plan.objects.filter(
        Q(end_on__isnull=True) | Q(end_on__gte=OuterRef("start_on")),
        case_id=OuterRef("case_id"),
        plan_type=plans.CARE_PLAN,
        start_on__lte=Coalesce(OuterRef("end_on"), Value(date.max), output_field=DateField()),
    )
    first = Subquery(during.order_by("start_on").values("start_on")[:1], output_field=DateField())
    late = _care_orders(scope).annotate(planned=first).filter(planned__gt=F("due"))
    return _rows(late, [Pick(CARE_PLAN, concluded="planned", reason="reason")], today=today)


LATE_QUERIES: tuple[KindQuery, ...] = (
    _late_review_rows,
    _late_feedback_rows,
    _late_investigation_rows,
    _late_emergency_rows,
    _late_evaluation_rows,
    _late_visit_rows,
    _late_care_plan_rows,
)


def _sorted(rows: list[DeadlineRow]) -> list[DeadlineRow]:
    return sorted(rows, key=lambda row: (row.due, row.journal_number, row.kind))


def deadline_rows(scope: CaseScope, *, today: date) -> list[DeadlineRow]:
    """Every open deadline of the cases in ``scope`` with its window (shown or not today), and every
    step done after its due date: what worklists.store keeps.

    ``today`` only chooses the visit frequency in force (a later one marks its case stale from its
    start, worklists.stale).
    """
    scope = scope.resolved()
    return [row for query in (*KIND_QUERIES, *LATE_QUERIES) for row in query(scope, today)]


def late_rows(scope: CaseScope, *, today: date) -> list[DeadlineRow]:
    """Every step of the cases in ``scope`` done after its due date, by clock and due date."""
    scope = scope.resolved()
    return _sorted([row for query in LATE_QUERIES for row in query(scope, today)])


def open_deadlines(scope: CaseScope, *, today: date) -> list[DeadlineRow]:
    """Every open deadline of the cases in ``scope`` shown ``today``, soonest due first."""
    scope = scope.resolved()
    return _sorted([row for query in KIND_QUERIES for row in query(scope, today) if row.shown_on(today)])


def missed(
    case_id: int, *, clock: str, object_id: int, period_start: date | None, today: date
) -> DeadlineRow | None:
    """The breach of ``clock`` by an item of a case: overdue now, or done late; None if there is none."""
    for row in deadline_rows(CaseScope(case_id=case_id), today=today):
        key = (row.kind, row.object_id, row.period_start)
        if key == (clock, object_id, period_start) and row.late:
            return row
    return None


def group_by_status(rows: list[DeadlineRow]) -> dict[str, list[DeadlineRow]]:
    groups: dict[str, list[DeadlineRow]] = {"overdue": [], "due_soon": [], "later": []}
    for row in rows:
        key = {
            deadlines.DeadlineStatus.OVERDUE: "overdue",
            deadlines.DeadlineStatus.DUE_SOON: "due_soon",
        }.get(row.status, "later")
        groups[key].append(row)
    return groups


def approvals_waiting(scope: CaseScope) -> QuerySet[Decision]:
    """Decisions that the unit's delegation rules put under approval and that no leader has decided
    on (what worklists.store keeps for Fristoversikt)."""
    return Decision.objects.filter(
        scope.q(), needs_approval=True, approval__isnull=True, ended_on__isnull=True
    )
