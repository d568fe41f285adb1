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
from vern.measures.models import Aftercare, Measure, Plan, PlanEvaluation, Visit, VisitFrequency, VisitKind
from vern.rules import ages, deadlines, plans, visits
from vern.rules import decisions as decision_rules
from vern.rules import measures as measure_rules

if TYPE_CHECKING:
    from django_stubs_ext import StrPromise

REVIEW = deadlines.REVIEW.name
INVESTIGATION = deadlines.INVESTIGATION.name
EMERGENCY_SUBMISSION = "emergency_submission"
EMERGENCY_APPROVAL = "emergency_approval"
EMERGENCY_APPLICATION = "emergency_application"
PLAN_EVALUATION = "plan_evaluation"
CARE_PLAN = "care_plan"
FOLLOW_UP_VISIT = "follow_up_visit"
SUPERVISION_VISIT = "supervision_visit"
AFTERCARE_OFFER = "aftercare_offer"
ADULT_WITHOUT_MEASURE = "adult_without_measure"
OPEN_AT_25 = "open_at_25"
REPORTER_FEEDBACK = deadlines.REPORTER_FEEDBACK.name
# The clocks whose breach needs a recorded reason (the skeleton's statutory clocks).
CLOCKS_WITH_REASONS = frozenset({REVIEW, INVESTIGATION})
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


def plan_evaluation_due_expression(*, as_of: date | None = None) -> AddMonths:
    """rules.plans.evaluation_due with the unit's interval (from the evaluations done by ``as_of``)."""
    done_by = {} if as_of is None else {"done_on__lte": as_of}
    last = _latest(PlanEvaluation, date_field="done_on", plan_id=OuterRef("pk"), **done_by)
    anchor = Greatest("start_on", Coalesce(last, "start_on"))
    return AddMonths(anchor, F("case__unit__plan_evaluation_months"))


def with_visit_due(
    measures: QuerySet[Measure], kind: str, today: date, *, alias: str = "due"
) -> QuerySet[Measure]:
    """Annotate ``alias``: rules.visits.next_visit_due for the visits of ``kind``.

    One interval (12 / frequency months) of the frequency in force today after the latest visit,
    or after the placement started; the standard frequency until one is recorded.
    """
    last = _latest(Visit, date_field="visited_on", measure_id=OuterRef("pk"), kind=kind)
    code = Subquery(
        VisitFrequency.objects.filter(measure_id=OuterRef("pk"), kind=kind, start_on__lte=today)
        .order_by("-start_on")
        .values("code")[:1]
    )
    standard = 12 // visits.VISITS_PER_YEAR[visits.STANDARD]
    frequency = f"{alias}_frequency"
    months = When_(
        *(When(**{frequency: c}, then=Value(12 // n)) for c, n in visits.VISITS_PER_YEAR.items()),
        default=Value(standard),
    )
    return measures.annotate(**{frequency: code}).annotate(
        **{alias: AddMonths(Greatest("start_on", Coalesce(last, "start_on")), months)}
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
    """A kind of deadline on a worklist: its label, and the page where it is dealt with."""

    label: str | StrPromise
    url_name: str
    # Which id the page takes: the item's own ("object") or its case's ("case").
    target: str = "object"


KINDS: dict[str, Kind] = {
    REVIEW: Kind(gettext_lazy("Review of report"), "intake:report"),
    INVESTIGATION: Kind(gettext_lazy("Investigation"), "investigations:detail"),
    EMERGENCY_SUBMISSION: Kind(
        gettext_lazy("Emergency decision: send to the county board"), "decisions:detail"
    ),
    EMERGENCY_APPROVAL: Kind(gettext_lazy("Emergency decision: county board's 48 hours"), "decisions:detail"),
    EMERGENCY_APPLICATION: Kind(
        gettext_lazy("Emergency decision: application to the board"), "decisions:detail"
    ),
    PLAN_EVALUATION: Kind(gettext_lazy("Plan evaluation"), "measures:plan"),
    CARE_PLAN: Kind(gettext_lazy("Care plan missing"), "measures:detail"),
    FOLLOW_UP_VISIT: Kind(gettext_lazy("Follow-up visit"), "measures:detail"),
    SUPERVISION_VISIT: Kind(gettext_lazy("Supervision visit"), "measures:detail"),
    AFTERCARE_OFFER: Kind(gettext_lazy("Aftercare offer before 18"), "cases:detail", "case"),
    ADULT_WITHOUT_MEASURE: Kind(gettext_lazy("Turned 18 with no measure or offer"), "cases:detail", "case"),
    OPEN_AT_25: Kind(gettext_lazy("Case still open at 25"), "cases:detail", "case"),
    REPORTER_FEEDBACK: Kind(gettext_lazy("Feedback to the reporter"), "intake:report"),
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
        return KINDS[self.kind].label

    @property
    def url(self) -> str:
        kind = KINDS[self.kind]
        return _url(kind.url_name, self.case_id if kind.target == "case" else self.object_id)

    @property
    def case_url(self) -> str:
        return _url("cases:detail", self.case_id)

    @property
    def needs_reason(self) -> bool:
        late = self.status in (deadlines.DeadlineStatus.OVERDUE, deadlines.DeadlineStatus.BREACHED)
        return self.kind in CLOCKS_WITH_REASONS and late and not self.breach_reason


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


def _breach_reason(clock: str) -> Subquery:
    return Subquery(DeadlineBreach.objects.filter(clock=clock, object_id=OuterRef("pk")).values("reason")[:1])


# A kind of deadline read from a row of a query: its kind, the key of its due date, and whether the
# row has that deadline at all (several kinds can come from one query, e.g. an emergency decision's).
Pick = tuple[str, str, Callable[[dict[str, Any]], bool]]
# The days a row of a kind is shown from and until (DeadlineRow.shown_from, shown_until).
Window = Callable[[dict[str, Any]], tuple[date | None, date | None]]


def _always(_row: dict[str, Any]) -> bool:
    return True


def _rows(
    kind: str,
    items: QuerySet[Any],
    *,
    today: date,
    path: str = "case",
    concluded: str | None = None,
    extended: str | None = None,
    breach: bool = False,
    picks: Sequence[Pick] = (),
    extra: Sequence[str] = (),
    windows: dict[str, Window] | None = None,
) -> list[DeadlineRow]:
    """Rows from ``items`` annotated with ``start`` and ``due`` (of ``kind``).

    With ``picks``, one query gives several kinds: each pick names its kind, the annotation holding
    its due date, and a test of the row (on the ``extra`` values) for whether it applies.
    """
    fields = _case_fields(path)
    if breach:
        items = items.annotate(breach_reason=_breach_reason(kind))
    chosen: Sequence[Pick] = picks or [(kind, "due", _always)]
    wanted = {due for _kind, due, _test in chosen} | {f for f in (concluded, extended) if f} | set(extra)
    if breach:
        wanted.add("breach_reason")
    rows = []
    for v in items.values("pk", "start", *wanted, *fields.values()):
        concluded_on = v[concluded] if concluded else None
        for row_kind, due_key, applies in chosen:
            due = v[due_key]
            if due is None or not applies(v):
                continue
            shown_from, shown_until = windows[row_kind](v) if windows else (None, None)
            rows.append(
                DeadlineRow(
                    kind=row_kind,
                    object_id=v["pk"],
                    case_id=v[fields["case_id"]],
                    journal_number=v[fields["journal"]],
                    child_name=name_of(v[fields["child_first"]], v[fields["child_last"]]),
                    caseworker=name_of(v[fields["worker_first"]], v[fields["worker_last"]]),
                    start=v["start"],
                    due=due,
                    concluded_on=concluded_on,
                    status=deadlines.status(due=due, concluded_on=concluded_on, today=today),
                    breach_reason=v.get("breach_reason"),
                    extended=bool(v[extended]) if extended else False,
                    shown_from=shown_from,
                    shown_until=shown_until,
                )
            )
    return rows


def _reviews(scope: CaseScope) -> QuerySet[ConcernReport]:
    return ConcernReport.objects.filter(scope.q()).annotate(
        start=TruncDate("received_at", tzinfo=OSLO), due=review_due_expression()
    )


def _investigations(scope: CaseScope) -> QuerySet[Investigation]:
    return Investigation.objects.filter(scope.q()).annotate(
        start=F("started_on"),
        due=investigation_due_expression(),
        extended=Exists(DeadlineExtension.objects.filter(investigation_id=OuterRef("pk"))),
    )


def _open_emergencies(scope: CaseScope) -> QuerySet[Decision]:
    return Decision.objects.filter(scope.q(), emergency_q(), ended_on__isnull=True).annotate(
        start=F("decided_on")
    )


def _running_measures(scope: CaseScope, categories: Iterable[str]) -> QuerySet[Measure]:
    return Measure.objects.filter(
        scope.q(), end_on__isnull=True, category__in=list(categories), case__closed_on__isnull=True
    ).annotate(start=F("start_on"))


def _running_measure_exists() -> Exists:
    return Exists(Measure.objects.filter(case_id=OuterRef("pk"), end_on__isnull=True))


KindQuery = Callable[[CaseScope, date], list[DeadlineRow]]


def _review_rows(scope: CaseScope, today: date) -> list[DeadlineRow]:
    open_reviews = _reviews(scope).filter(review_concluded_on__isnull=True)
    return _rows(REVIEW, open_reviews, today=today, breach=True)


def _feedback_rows(scope: CaseScope, today: date) -> list[DeadlineRow]:
    """Reporters in a public or professional capacity are told within three weeks (rules.deadlines)."""
    owed = ConcernReport.objects.filter(scope.q(), feedback_owed_q(), feedback_sent_on__isnull=True).annotate(
        start=TruncDate("received_at", tzinfo=OSLO), due=reporter_feedback_due_expression()
    )
    return _rows(REPORTER_FEEDBACK, owed, today=today)


def _investigation_rows(scope: CaseScope, today: date) -> list[DeadlineRow]:
    running = _investigations(scope).filter(concluded_on__isnull=True)
    return _rows(INVESTIGATION, running, today=today, extended="extended", breach=True)


def _emergency_rows(scope: CaseScope, today: date) -> list[DeadlineRow]:
    """Send at once; then the board's 48 hours; and the application within six (or two) weeks."""
    emergencies = _open_emergencies(scope).annotate(
        submission_due=F("decided_on"),
        approval_due=emergency_approval_due_expression(),
        application_due=emergency_application_due_expression(),
        applied=Exists(BoardReferral.objects.filter(follows_id=OuterRef("pk"))),
    )
    picks: list[Pick] = [
        (EMERGENCY_SUBMISSION, "submission_due", lambda v: v["sent_to_board_at"] is None),
        (EMERGENCY_APPROVAL, "approval_due", lambda v: v["board_verdict"] == BoardVerdict.NONE),
        (EMERGENCY_APPLICATION, "application_due", lambda v: not v["applied"]),
    ]
    extra = ("sent_to_board_at", "board_verdict", "applied")
    return _rows(EMERGENCY_SUBMISSION, emergencies, today=today, picks=picks, extra=extra)


def _plan_rows(scope: CaseScope, today: date) -> list[DeadlineRow]:
    evaluated = Plan.objects.filter(
        scope.q(),
        end_on__isnull=True,
        plan_type__in=sorted(plans.EVALUATED_PLAN_TYPES),
        case__closed_on__isnull=True,
    ).annotate(start=F("start_on"), due=plan_evaluation_due_expression())
    # A care order requires a care plan (BVL2021 § 8-3): due from the care order's start.
    care_plan = Plan.objects.filter(
        case_id=OuterRef("case_id"), plan_type=plans.CARE_PLAN, end_on__isnull=True
    )
    without_plan = (
        _running_measures(scope, measure_rules.PLACEMENT_CATEGORIES)
        .filter(care_order=True)
        .exclude(Exists(care_plan))
        .annotate(due=F("start_on"))
    )
    return _rows(PLAN_EVALUATION, evaluated, today=today) + _rows(CARE_PLAN, without_plan, today=today)


def _visit_rows(scope: CaseScope, today: date) -> list[DeadlineRow]:
    homes = _running_measures(scope, measure_rules.FOSTER_HOME_CATEGORIES)
    homes = with_visit_due(homes, VisitKind.FOLLOW_UP, today, alias="follow_up_due")
    homes = with_visit_due(homes, VisitKind.SUPERVISION, today, alias="supervision_due")
    picks: list[Pick] = [
        (FOLLOW_UP_VISIT, "follow_up_due", _always),
        (SUPERVISION_VISIT, "supervision_due", _always),
    ]
    return _rows(FOLLOW_UP_VISIT, homes, today=today, picks=picks)


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
    picks: list[Pick] = [
        (AFTERCARE_OFFER, "offer_due", lambda v: v["measured"] and not v["offered"]),
        (ADULT_WITHOUT_MEASURE, "turns_18", lambda v: not v["measured"] and not v["offered"]),
        (OPEN_AT_25, "turns_25", _always),
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
        AFTERCARE_OFFER,
        cases,
        today=today,
        path="",
        picks=picks,
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


def _sorted(rows: list[DeadlineRow]) -> list[DeadlineRow]:
    return sorted(rows, key=lambda row: (row.due, row.journal_number, row.kind))


def deadline_rows(scope: CaseScope, *, today: date) -> list[DeadlineRow]:
    """Every open deadline of the cases in ``scope`` with its window (shown or not today), and every
    review and investigation concluded after its due date: what worklists.store keeps.

    ``today`` only chooses the visit frequency in force (a later one marks its case stale from its
    start, worklists.stale).
    """
    scope = scope.resolved()
    return [row for query in (*KIND_QUERIES, _late_rows) for row in query(scope, today)]


def open_deadlines(scope: CaseScope, *, today: date) -> list[DeadlineRow]:
    """Every open deadline of the cases in ``scope`` shown ``today``, soonest due first."""
    scope = scope.resolved()
    return _sorted([row for query in KIND_QUERIES for row in query(scope, today) if row.shown_on(today)])


def group_by_status(rows: list[DeadlineRow]) -> dict[str, list[DeadlineRow]]:
    groups: dict[str, list[DeadlineRow]] = {"overdue": [], "due_soon": [], "later": []}
    for row in rows:
        key = {
            deadlines.DeadlineStatus.OVERDUE: "overdue",
            deadlines.DeadlineStatus.DUE_SOON: "due_soon",
        }.get(row.status, "later")
        groups[key].append(row)
    return groups


def _late_rows(scope: CaseScope, today: date) -> list[DeadlineRow]:
    """Reviews and investigations concluded after their due date: the breaches that stay breaches."""
    late_reviews = (
        _reviews(scope).filter(review_concluded_on__gt=F("due")).annotate(concluded=F("review_concluded_on"))
    )
    late_investigations = (
        _investigations(scope).filter(concluded_on__gt=F("due")).annotate(concluded=F("concluded_on"))
    )
    return _rows(REVIEW, late_reviews, today=today, concluded="concluded", breach=True) + _rows(
        INVESTIGATION,
        late_investigations,
        today=today,
        concluded="concluded",
        extended="extended",
        breach=True,
    )


def approvals_waiting(scope: CaseScope) -> QuerySet[Decision]:
    """Decisions that the unit's delegation rules put under approval and that no leader has decided
    on (what worklists.store keeps for Fristoversikt)."""
    return Decision.objects.filter(
        scope.q(), needs_approval=True, approval__isnull=True, ended_on__isnull=True
    )
