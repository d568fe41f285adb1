"""Starting and ending measures, consents, visits and supervision, relocations, plans and aftercare.

Each function runs in one transaction with its audit row and raises ValidationError (Norwegian
message) before changing anything when a rule is broken.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Model
from django.utils.translation import gettext as _

from vern.cases.models import Case, Party
from vern.core import codes
from vern.core.audit import Extra, audit
from vern.core.audit_events import AuditEvent
from vern.core.breaches import BreachFacts, breach_record_if_late, breaches_record_if_late
from vern.core.codelists import paths
from vern.core.codes import CodedEntry, require_specifications
from vern.core.dates import today
from vern.core.models import Unit, User
from vern.core.validation import enforce, require_not_future
from vern.decisions.models import Decision
from vern.measures.models import (
    Aftercare,
    Consent,
    Measure,
    MeasureReason,
    Plan,
    PlanEvaluation,
    Relocation,
    SupervisionArrangement,
    Supervisor,
    Visit,
    VisitFrequency,
    VisitKind,
)
from vern.rules import ages, plans, visits
from vern.rules import measures as rules
from vern.rules.legal_basis import LegalBases, is_care_order, validate_for_date


def _audit(event: AuditEvent, obj: Model, case: Case, by: User, extra: Extra | None = None) -> None:
    audit(event=event, by=by, obj=obj, case_id=case.pk, unit=case.unit, extra=extra)


def _require_open_case(case: Case) -> None:
    if case.closed_on is not None:
        raise ValidationError(_("The case is closed."))


def measure_start(
    *,
    decision: Decision,
    by: User,
    category: str,
    start_on: date,
    category_specification: str = "",
    end_on: date | None = None,
    bases: LegalBases | None = None,
    reasons: Sequence[CodedEntry] = (),
    young_persons_consent: bool = False,
) -> Measure:
    """Start a measure under a decision in force.

    The measure cites its decision's provision (Tiltak kontroll 21), starts on or after the
    decision, keeps the age limits (no care order from 18, nothing from 25), and a placement may
    overlap another placement by at most 90 days (Tiltak kontroll 9). From 18 the young person
    must consent (BVL2021 § 3-6). A foster-home placement is visited and supervised 4 times a year
    (the standard frequency) from its start until another frequency is recorded.
    """
    case = decision.case
    _require_open_case(case)
    if not decision.in_force:
        raise ValidationError(_("The decision is not in force (it waits for approval, or it has ended)."))
    require_not_future(start_on, _("The start date"))
    if start_on < decision.decided_on:
        raise ValidationError(_("A measure cannot start before the decision it carries out."))
    enforce(rules.require_period, start_on, end_on)
    clean = bases or decision.legal_bases
    enforce(validate_for_date, clean, decision.decided_on)
    enforce(rules.require_matching_basis, clean, decision.legal_bases)
    codes.require_valid(paths.MEASURE_CATEGORY, [category], start_on)
    require_specifications(paths.MEASURE_CATEGORY, [CodedEntry(category, category_specification)])
    codes.require_valid(paths.MEASURE_BASIS, [r.code for r in reasons], start_on)
    require_specifications(paths.MEASURE_BASIS, reasons)
    birth = case.child.birth_date
    care_order = is_care_order(clean)
    enforce(rules.require_age_limits, birth=birth, care_order=care_order, start=start_on, end=end_on)
    if rules.needs_young_persons_consent(birth=birth, start=start_on) and not young_persons_consent:
        raise ValidationError(_("A measure after the 18th birthday needs the young person's consent."))
    if rules.is_placement(category):
        others = [
            (str(m), rules.Period(m.start_on, m.end_on))
            for m in case.measures.filter(category__in=rules.PLACEMENT_CATEGORIES)
        ]
        enforce(
            rules.require_placements_do_not_overlap, rules.Period(start_on, end_on), others, today=today()
        )
    with transaction.atomic():
        measure = Measure(
            case=case,
            decision=decision,
            category=category,
            care_order=care_order,
            category_specification=category_specification.strip(),
            start_on=start_on,
            end_on=end_on,
            started_by=by,
        )
        measure.set_legal_bases(clean)
        measure.save()
        MeasureReason.objects.bulk_create(
            MeasureReason(measure=measure, code=r.code, specification=r.specification.strip())
            for r in reasons
        )
        if young_persons_consent:
            Consent.objects.create(measure=measure, party=None, given_on=start_on, recorded_by=by)
        if rules.is_foster_home(category):
            VisitFrequency.objects.bulk_create(
                VisitFrequency(
                    measure=measure, kind=kind, code=visits.STANDARD, start_on=start_on, recorded_by=by
                )
                for kind in VisitKind.values
            )
        _audit(AuditEvent.MEASURE_STARTED, measure, case, by)
    return measure


def measure_end(
    *, measure: Measure, by: User, end_on: date, revocation: str = "", revocation_specification: str = ""
) -> Measure:
    """End a measure; a care-order placement needs the reason it was revoked (Tiltak kontroll 12)."""
    if measure.end_on is not None:
        raise ValidationError(_("The measure has already ended."))
    require_not_future(end_on, _("The end date"))
    enforce(rules.require_period, measure.start_on, end_on)
    if revocation:
        codes.require_valid(paths.MEASURE_REVOCATION, [revocation], end_on)
    enforce(
        rules.require_revocation,
        care_order=measure.care_order,
        category=measure.category,
        end=end_on,
        revocation=revocation,
        specification=revocation_specification,
    )
    enforce(
        rules.require_age_limits,
        birth=measure.case.child.birth_date,
        care_order=False,
        start=measure.start_on,
        end=end_on,
    )
    with transaction.atomic():
        measure.end_on = end_on
        measure.revocation = revocation
        measure.revocation_specification = revocation_specification.strip()
        measure.save(update_fields=["end_on", "revocation", "revocation_specification"])
        _audit(AuditEvent.MEASURE_ENDED, measure, measure.case, by)
    return measure


def consent_record(*, measure: Measure, by: User, party: Party | None, given_on: date) -> Consent:
    """Record that a person (a party, or the child when ``party`` is None) consents to the measure."""
    if party is not None and party.case_id != measure.case_id:
        raise ValidationError(_("The person is not a party to this case."))
    require_not_future(given_on, _("The consent date"))
    with transaction.atomic():
        consent = Consent.objects.create(measure=measure, party=party, given_on=given_on, recorded_by=by)
        _audit(AuditEvent.MEASURE_CONSENT_RECORDED, measure, measure.case, by, {"consent": consent.pk})
    return consent


def consent_withdraw(*, consent: Consent, by: User, withdrawn_on: date, note: str = "") -> Consent:
    if consent.withdrawn_on is not None:
        raise ValidationError(_("The consent has already been withdrawn."))
    require_not_future(withdrawn_on, _("The withdrawal date"))
    if withdrawn_on < consent.given_on:
        raise ValidationError(_("Consent cannot be withdrawn before it was given."))
    with transaction.atomic():
        consent.withdrawn_on = withdrawn_on
        consent.withdrawal_note = note.strip()
        consent.save(update_fields=["withdrawn_on", "withdrawal_note"])
        _audit(
            AuditEvent.MEASURE_CONSENT_WITHDRAWN,
            consent.measure,
            consent.measure.case,
            by,
            {"consent": consent.pk},
        )
    return consent


def _require_foster_home(measure: Measure) -> None:
    if not rules.is_foster_home(measure.category):
        raise ValidationError(_("Visits and supervision are recorded for foster-home placements."))


def _require_within(measure: Measure, day: date, what: str) -> None:
    require_not_future(day, what)
    if day < measure.start_on or (measure.end_on is not None and day > measure.end_on):
        raise ValidationError(_("%(field)s must lie within the placement.") % {"field": what})


def frequency_set(*, measure: Measure, by: User, kind: str, code: str, start_on: date) -> VisitFrequency:
    """Record how often a foster-home placement is visited, from ``start_on`` (4 or 2 a year)."""
    _require_foster_home(measure)
    if kind not in VisitKind.values or code not in visits.VISITS_PER_YEAR:
        raise ValidationError(_("Choose the kind of visit and a frequency of 4 or 2 a year."))
    if start_on < measure.start_on:
        raise ValidationError(_("A frequency cannot apply before the placement started."))
    if measure.frequencies.filter(kind=kind, start_on=start_on).exists():
        raise ValidationError(_("A frequency is already recorded from that date."))
    with transaction.atomic():
        row = VisitFrequency.objects.create(
            measure=measure, kind=kind, code=code, start_on=start_on, recorded_by=by
        )
        _audit(AuditEvent.MEASURE_FREQUENCY_SET, measure, measure.case, by, {"kind": kind, "code": code})
    return row


def supervision_arrange(
    *,
    measure: Measure,
    by: User,
    municipality_number: str,
    start_on: date,
    supervisor: Supervisor | None = None,
) -> SupervisionArrangement:
    """Record the municipality responsible for supervision and the named supervisor, from a date."""
    _require_foster_home(measure)
    # ASCII digits only: str.isdigit() also takes other scripts' digits, which the register refuses.
    if not re.fullmatch(r"[0-9]{4}", municipality_number):
        raise ValidationError(_("The municipality number has four digits."))
    if start_on < measure.start_on:
        raise ValidationError(_("The arrangement cannot apply before the placement started."))
    if supervisor is not None and (supervisor.unit_id != measure.case.unit_id or not supervisor.active):
        raise ValidationError(_("Choose an active supervisor from the unit's register."))
    with transaction.atomic():
        row = SupervisionArrangement.objects.create(
            measure=measure,
            municipality_number=municipality_number,
            supervisor=supervisor,
            start_on=start_on,
            recorded_by=by,
        )
        _audit(AuditEvent.MEASURE_SUPERVISION_ARRANGED, measure, measure.case, by)
    return row


def visit_record(
    *,
    measure: Measure,
    by: User,
    kind: str,
    visited_on: date,
    report_received_on: date | None = None,
    note: str = "",
    breach: BreachFacts | None = None,
) -> Visit:
    """Record a completed follow-up or supervision visit (and, for supervision, the report).

    A visit after its due date needs the reason for the breach (rules.visits.late_visits).
    """
    _require_foster_home(measure)
    if kind not in VisitKind.values:
        raise ValidationError(_("Choose the kind of visit."))
    _require_within(measure, visited_on, _("The visit date"))
    if report_received_on is not None:
        if kind != VisitKind.SUPERVISION:
            raise ValidationError(_("Only a supervision visit is followed by a supervisor's report."))
        require_not_future(report_received_on, _("The report date"))
        if report_received_on < visited_on:
            raise ValidationError(_("The report cannot arrive before the visit."))
    with transaction.atomic():
        frequencies = [visits.Frequency(f.start_on, f.code) for f in measure.frequencies.filter(kind=kind)]
        done = list(measure.visits.filter(kind=kind).values_list("visited_on", flat=True))
        breaches_record_if_late(
            clock=visits.CLOCKS[kind],
            object_id=measure.pk,
            case=measure.case,
            before=visits.late_visits(placed_on=measure.start_on, frequencies=frequencies, visits=done),
            after=visits.late_visits(
                placed_on=measure.start_on, frequencies=frequencies, visits=[*done, visited_on]
            ),
            breach=breach,
            by=by,
        )
        visit = Visit.objects.create(
            measure=measure,
            kind=kind,
            visited_on=visited_on,
            report_received_on=report_received_on,
            note=note.strip(),
            recorded_by=by,
        )
        _audit(
            AuditEvent.MEASURE_VISIT_RECORDED, measure, measure.case, by, {"kind": kind, "visit": visit.pk}
        )
    return visit


def visit_report_received(*, visit: Visit, by: User, received_on: date) -> Visit:
    if visit.kind != VisitKind.SUPERVISION:
        raise ValidationError(_("Only a supervision visit is followed by a supervisor's report."))
    if visit.report_received_on is not None:
        raise ValidationError(_("The report is already recorded."))
    require_not_future(received_on, _("The report date"))
    if received_on < visit.visited_on:
        raise ValidationError(_("The report cannot arrive before the visit."))
    with transaction.atomic():
        visit.report_received_on = received_on
        visit.save(update_fields=["report_received_on"])
        _audit(AuditEvent.VISIT_REPORT_RECEIVED, visit, visit.measure.case, by)
    return visit


def relocation_record(
    *,
    case: Case,
    by: User,
    moved_on: date,
    reason: str,
    destination: str,
    reason_specification: str = "",
    destination_specification: str = "",
    measure: Measure | None = None,
) -> Relocation:
    """A move out of a placement (Flytting) with the register's reason and destination codes."""
    require_not_future(moved_on, _("The moving date"))
    if moved_on < case.opened_on:
        raise ValidationError(_("A move cannot be recorded before the case was opened."))
    if measure is not None and (measure.case_id != case.pk or not rules.is_placement(measure.category)):
        raise ValidationError(_("Choose a placement of this case."))
    codes.require_valid(paths.RELOCATION_REASON, [reason], moved_on)
    codes.require_valid(paths.RELOCATION_DESTINATION, [destination], moved_on)
    require_specifications(paths.RELOCATION_REASON, [CodedEntry(reason, reason_specification)])
    require_specifications(paths.RELOCATION_DESTINATION, [CodedEntry(destination, destination_specification)])
    with transaction.atomic():
        move = Relocation.objects.create(
            case=case,
            measure=measure,
            moved_on=moved_on,
            reason=reason,
            reason_specification=reason_specification.strip(),
            destination=destination,
            destination_specification=destination_specification.strip(),
            recorded_by=by,
        )
        _audit(AuditEvent.RELOCATION_RECORDED, move, case, by)
    return move


def plan_make(
    *,
    case: Case,
    by: User,
    plan_type: str,
    start_on: date,
    summary: str,
    child_views: str = "",
    breach: BreachFacts | None = None,
) -> Plan:
    """Make a plan of one of the register's plan types (tiltaksplan, omsorgsplan, ...).

    A care plan that comes after a care order's start needs the reason for the breach.
    """
    _require_open_case(case)
    require_not_future(start_on, _("The plan date"))
    if start_on < case.opened_on:
        raise ValidationError(_("A plan cannot start before the case was opened."))
    if not summary.strip():
        raise ValidationError(_("Describe the plan."))
    codes.require_valid(paths.PLAN_TYPE, [plan_type], start_on)
    with transaction.atomic():
        if plan_type == plans.CARE_PLAN:
            _care_plan_breaches(case, start_on=start_on, breach=breach, by=by)
        plan = Plan.objects.create(
            case=case,
            plan_type=plan_type,
            start_on=start_on,
            summary=summary.strip(),
            child_views=child_views.strip(),
            made_by=by,
        )
        _audit(AuditEvent.PLAN_MADE, plan, case, by)
    return plan


def _care_plan_breaches(case: Case, *, start_on: date, breach: BreachFacts | None, by: User) -> None:
    """A care plan from ``start_on`` is late for each care-order placement it is the first one for."""
    made = list(case.plans.filter(plan_type=plans.CARE_PLAN).values_list("start_on", "end_on"))
    care_orders = case.measures.filter(care_order=True, category__in=sorted(rules.PLACEMENT_CATEGORIES))
    for measure in care_orders:
        placed = (measure.start_on, measure.end_on)
        before = plans.care_plan_late(placed=placed, care_plans=made)
        after = plans.care_plan_late(placed=placed, care_plans=[*made, (start_on, None)])
        if after is not None and after != before:
            breach_record_if_late(
                clock=plans.CARE_PLAN_CLOCK,
                object_id=measure.pk,
                case=case,
                due=plans.care_plan_due(measure.start_on),
                concluded_on=after,
                breach=breach,
                by=by,
            )


def plan_evaluate(
    *, plan: Plan, by: User, done_on: date, note: str = "", breach: BreachFacts | None = None
) -> PlanEvaluation:
    """Record an evaluation of a plan; one after its due date needs the reason for the breach."""
    if plan.end_on is not None:
        raise ValidationError(_("The plan has ended."))
    require_not_future(done_on, _("The evaluation date"))
    if done_on < plan.start_on:
        raise ValidationError(_("A plan cannot be evaluated before it started."))
    with transaction.atomic():
        if plans.is_evaluated(plan.plan_type):
            months = plan.case.unit.plan_evaluation_months
            done = list(plan.evaluations.values_list("done_on", flat=True))
            breaches_record_if_late(
                clock=plans.EVALUATION_CLOCK,
                object_id=plan.pk,
                case=plan.case,
                before=plans.late_evaluations(started_on=plan.start_on, evaluations=done, months=months),
                after=plans.late_evaluations(
                    started_on=plan.start_on, evaluations=[*done, done_on], months=months
                ),
                breach=breach,
                by=by,
            )
        evaluation = PlanEvaluation.objects.create(plan=plan, done_on=done_on, note=note.strip(), by=by)
        _audit(AuditEvent.PLAN_EVALUATED, plan, plan.case, by, {"evaluation": evaluation.pk})
    return evaluation


def plan_end(*, plan: Plan, by: User, end_on: date) -> Plan:
    if plan.end_on is not None:
        raise ValidationError(_("The plan has ended."))
    require_not_future(end_on, _("The end date"))
    enforce(rules.require_period, plan.start_on, end_on)
    with transaction.atomic():
        plan.end_on = end_on
        plan.save(update_fields=["end_on"])
        _audit(AuditEvent.PLAN_ENDED, plan, plan.case, by)
    return plan


def aftercare_offer(*, case: Case, by: User, offered_on: date) -> Aftercare:
    """Record the offer of aftercare (Ettervern/TilbudSendtDato), due before the 18th birthday."""
    _require_open_case(case)
    require_not_future(offered_on, _("The offer date"))
    if offered_on < case.opened_on:
        raise ValidationError(_("An offer cannot be sent before the case was opened."))
    if offered_on >= ages.birthday(case.child.birth_date, ages.AFTERCARE_MAX_AGE):
        raise ValidationError(_("Aftercare cannot be offered after the 25th birthday."))
    with transaction.atomic():
        offer = Aftercare.objects.create(case=case, offered_on=offered_on, recorded_by=by)
        _audit(AuditEvent.AFTERCARE_OFFERED, offer, case, by)
    return offer


def aftercare_conclude(*, aftercare: Aftercare, by: User, concluded_on: date, conclusion: str) -> Aftercare:
    if aftercare.concluded_on is not None:
        raise ValidationError(_("The aftercare offer is already concluded."))
    require_not_future(concluded_on, _("The conclusion date"))
    if concluded_on < aftercare.offered_on:
        raise ValidationError(_("The offer cannot be concluded before it was sent."))
    codes.require_valid(paths.AFTERCARE_CONCLUSION, [conclusion], concluded_on)
    with transaction.atomic():
        aftercare.concluded_on = concluded_on
        aftercare.conclusion = conclusion
        aftercare.save(update_fields=["concluded_on", "conclusion"])
        _audit(AuditEvent.AFTERCARE_CONCLUDED, aftercare, aftercare.case, by)
    return aftercare


def supervisor_add(*, unit: Unit, by: User, name: str, phone: str = "", email: str = "") -> Supervisor:
    """Add an independent supervisor to the unit's register of supervisors."""
    if not name.strip():
        raise ValidationError(_("Give the supervisor's name."))
    with transaction.atomic():
        supervisor = Supervisor.objects.create(
            unit=unit, name=name.strip(), phone=phone.strip(), email=email.strip()
        )
        audit(event=AuditEvent.SUPERVISOR_ADDED, by=by, obj=supervisor, unit=unit)
    return supervisor


def supervisor_deactivate(*, supervisor: Supervisor, by: User) -> Supervisor:
    with transaction.atomic():
        supervisor.active = False
        supervisor.save(update_fields=["active"])
        audit(event=AuditEvent.SUPERVISOR_DEACTIVATED, by=by, obj=supervisor, unit=supervisor.unit)
    return supervisor


def unit_set_plan_evaluation_months(*, unit: Unit, by: User, months: int) -> Unit:
    """The unit's interval between evaluations of plans for help measures (BVL2021 § 8-1, default 3)."""
    if not 1 <= months <= 12:
        raise ValidationError(_("Give a number of months from 1 to 12."))
    with transaction.atomic():
        unit.plan_evaluation_months = months
        unit.save(update_fields=["plan_evaluation_months"])
        audit(event=AuditEvent.UNIT_PLAN_EVALUATION_SET, by=by, obj=unit, unit=unit, extra={"months": months})
    return unit
