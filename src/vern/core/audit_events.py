"""What the audit log records: one event type per kind of action on a kind of object (ADR 0013).

An event's value is ``"<object kind>.<what happened>"``; its label is the sentence the access log
shows, with ``%(who)s`` (the actor) and ``%(object)s`` (the object in words, e.g. "tiltaket
«Besøkshjem» fra 01.02.2026"). Whatever else an event needs to say (a referral's new status, the
month of recorded hours) is in the entry's ``extra``, never in prose. No Django model is imported
here: ``core.models`` takes its choices from this module.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditAction(models.TextChoices):
    """The broad kind of access, for filtering (a party asks who *read* the case)."""

    VIEW = "view", _("viewed")
    CREATE = "create", _("created")
    UPDATE = "update", _("changed")
    LOGIN = "login", _("logged in")
    LOGIN_FAILED = "login_failed", _("failed login")
    EXPORT = "export", _("exported")


class ObjectKind(models.TextChoices):
    """What an event is about; the label is the object in words when nothing more is known of it."""

    CASE = "case", _("the case")
    PARTY = "party", _("a party")
    REPORT = "report", _("the report of concern")
    DIGITAL_MESSAGE = "digital_message", _("a digital report of concern")
    INGEST_CLIENT = "ingest_client", _("a sending system for digital reports")
    INVESTIGATION = "investigation", _("the investigation")
    DECISION = "decision", _("the decision")
    BOARD_REFERRAL = "board_referral", _("a referral to the county board")
    CLAIM = "claim", _("a claim from a private party")
    APPROVAL_RULE = "approval_rule", _("a delegation rule")
    MEASURE = "measure", _("the measure")
    VISIT = "visit", _("the visit")
    RELOCATION = "relocation", _("a move")
    PLAN = "plan", _("the plan")
    AFTERCARE = "aftercare", _("the offer of aftercare")
    SUPERVISOR = "supervisor", _("a supervisor")
    REFERRAL = "referral", _("the referral")
    CATALOGUE_ENTRY = "catalogue_entry", _("a measure in the catalogue")
    BUDGET = "budget", _("the budget for measures")
    DEADLINE_BREACH = "deadline_breach", _("a deadline")
    REGISTER_DELIVERY = "register_delivery", _("a delivery to the national child welfare register")
    UNIT_GROUP = "unit_group", _("a comparison group")
    POPULATION = "population", _("the number of children living in the unit's area")
    USER = "user", _("an unknown user")
    UNIT = "unit", _("the unit")


# The model each kind of object is a row of ("app_label.modelname"): audit() refuses another.
MODELS: dict[ObjectKind, str] = {
    ObjectKind.CASE: "cases.case",
    ObjectKind.PARTY: "cases.party",
    ObjectKind.REPORT: "intake.concernreport",
    ObjectKind.DIGITAL_MESSAGE: "intake.inboundmessage",
    ObjectKind.INGEST_CLIENT: "intake.ingestclient",
    ObjectKind.INVESTIGATION: "investigations.investigation",
    ObjectKind.DECISION: "decisions.decision",
    ObjectKind.BOARD_REFERRAL: "decisions.boardreferral",
    ObjectKind.CLAIM: "decisions.privateclaim",
    ObjectKind.APPROVAL_RULE: "decisions.approvalrule",
    ObjectKind.MEASURE: "measures.measure",
    ObjectKind.VISIT: "measures.visit",
    ObjectKind.RELOCATION: "measures.relocation",
    ObjectKind.PLAN: "measures.plan",
    ObjectKind.AFTERCARE: "measures.aftercare",
    ObjectKind.SUPERVISOR: "measures.supervisor",
    ObjectKind.REFERRAL: "referrals.referral",
    ObjectKind.CATALOGUE_ENTRY: "referrals.catalogueentry",
    ObjectKind.BUDGET: "referrals.measurebudget",
    ObjectKind.DEADLINE_BREACH: "core.deadlinebreach",
    ObjectKind.REGISTER_DELIVERY: "register.delivery",
    ObjectKind.UNIT_GROUP: "reports.unitgroup",
    ObjectKind.POPULATION: "reports.population",
    ObjectKind.USER: "core.user",
    ObjectKind.UNIT: "core.unit",
}


class AuditEvent(models.TextChoices):
    # Users and logins
    USER_LOGGED_IN = "user.logged_in", _("%(who)s logged in")
    USER_LOGIN_FAILED = "user.login_failed", _("Failed login for %(object)s")
    USER_DISABLED = "user.disabled", _("%(who)s disabled %(object)s")
    # Cases and parties
    CASE_CREATED = "case.created", _("%(who)s created %(object)s")
    CASE_VIEWED = "case.viewed", _("%(who)s opened %(object)s")
    CASE_CHRONOLOGY_VIEWED = "case.chronology_viewed", _("%(who)s opened the chronology of %(object)s")
    CASE_ACCESS_LOG_VIEWED = "case.access_log_viewed", _("%(who)s opened the access log of %(object)s")
    CASE_REGISTER_CONTROL_VIEWED = (
        "case.register_control_viewed",
        _("%(who)s opened the register control of %(object)s"),
    )
    CASE_AFTERCARE_VIEWED = "case.aftercare_viewed", _("%(who)s opened the aftercare of %(object)s")
    CASE_PLAN_FORM_VIEWED = "case.plan_form_viewed", _("%(who)s opened the form for a new plan in %(object)s")
    CASE_DECISION_FORM_VIEWED = (
        "case.decision_form_viewed",
        _("%(who)s opened the form for a new decision in %(object)s"),
    )
    CASE_ASSIGNED = "case.assigned", _("%(who)s changed the caseworker of %(object)s")
    CASE_SHARED = "case.shared", _("%(who)s shared %(object)s")
    CASE_CLOSED = "case.closed", _("%(who)s closed %(object)s")
    CASE_REOPENED = "case.reopened", _("%(who)s reopened %(object)s")
    CASE_EXPORTED = "case.exported", _("%(who)s included %(object)s in a delivery to the national register")
    CASE_IMPORTED = "case.imported", _("%(who)s imported %(object)s from the national register")
    PARTY_ADDED = "party.added", _("%(who)s added %(object)s")
    # Reports of concern
    REPORT_REGISTERED = "report.registered", _("%(who)s registered %(object)s")
    REPORT_RECEIVED_DIGITALLY = (
        "report.received_digitally",
        _("%(who)s registered %(object)s, sent digitally"),
    )
    REPORT_VIEWED = "report.viewed", _("%(who)s opened %(object)s")
    REPORT_CODED = "report.coded", _("%(who)s recorded reporters and case content of %(object)s")
    REPORT_REVIEW_CONCLUDED = "report.review_concluded", _("%(who)s concluded the review of %(object)s")
    REPORT_FEEDBACK_RECORDED = (
        "report.feedback_recorded",
        _("%(who)s recorded the feedback to the reporter of %(object)s"),
    )
    DIGITAL_MESSAGE_QUARANTINED = "digital_message.quarantined", _("%(who)s put %(object)s in quarantine")
    DIGITAL_MESSAGE_VIEWED = "digital_message.viewed", _("%(who)s opened %(object)s in quarantine")
    INGEST_CLIENT_CREATED = "ingest_client.created", _("%(who)s created %(object)s")
    INGEST_CLIENT_DISABLED = "ingest_client.disabled", _("%(who)s disabled %(object)s")
    # Investigations
    INVESTIGATION_OPENED = "investigation.opened", _("%(who)s started %(object)s")
    INVESTIGATION_VIEWED = "investigation.viewed", _("%(who)s opened %(object)s")
    INVESTIGATION_PLAN_RECORDED = "investigation.plan_recorded", _("%(who)s recorded the plan of %(object)s")
    INVESTIGATION_EXTENDED = (
        "investigation.extended",
        _("%(who)s extended the deadline of %(object)s to six months"),
    )
    INVESTIGATION_PARTICIPATION_RECORDED = (
        "investigation.participation_recorded",
        _("%(who)s recorded the child's participation in %(object)s"),
    )
    INVESTIGATION_CONCLUDED = "investigation.concluded", _("%(who)s concluded %(object)s")
    # Decisions and the county board
    DECISION_MADE = "decision.made", _("%(who)s made %(object)s")
    DECISION_VIEWED = "decision.viewed", _("%(who)s opened %(object)s")
    DECISION_APPROVED = "decision.approved", _("%(who)s approved %(object)s")
    DECISION_REJECTED = "decision.rejected", _("%(who)s rejected %(object)s")
    DECISION_STATUS_CHANGED = "decision.status_changed", _("%(who)s changed the status of %(object)s")
    DECISION_SENT_TO_BOARD = (
        "decision.sent_to_board",
        _("%(who)s recorded that %(object)s was sent to the county board"),
    )
    DECISION_BOARD_VERDICT = (
        "decision.board_verdict",
        _("%(who)s recorded the county board's verdict on %(object)s"),
    )
    BOARD_REFERRAL_SENT = "board_referral.sent", _("%(who)s recorded %(object)s")
    CLAIM_REGISTERED = "claim.registered", _("%(who)s registered %(object)s")
    CLAIM_CONCLUDED = "claim.concluded", _("%(who)s concluded %(object)s")
    APPROVAL_RULE_ADDED = "approval_rule.added", _("%(who)s added %(object)s")
    APPROVAL_RULE_ENDED = "approval_rule.ended", _("%(who)s ended %(object)s")
    # Measures, visits, plans and aftercare
    MEASURE_STARTED = "measure.started", _("%(who)s registered %(object)s")
    MEASURE_VIEWED = "measure.viewed", _("%(who)s opened %(object)s")
    MEASURE_ENDED = "measure.ended", _("%(who)s ended %(object)s")
    MEASURE_CONSENT_RECORDED = "measure.consent_recorded", _("%(who)s recorded consent to %(object)s")
    MEASURE_CONSENT_WITHDRAWN = (
        "measure.consent_withdrawn",
        _("%(who)s recorded that consent to %(object)s was withdrawn"),
    )
    MEASURE_FREQUENCY_SET = "measure.frequency_set", _("%(who)s recorded how often %(object)s is visited")
    MEASURE_SUPERVISION_ARRANGED = (
        "measure.supervision_arranged",
        _("%(who)s recorded who supervises %(object)s"),
    )
    MEASURE_VISIT_RECORDED = "measure.visit_recorded", _("%(who)s recorded a visit in %(object)s")
    VISIT_REPORT_RECEIVED = (
        "visit.report_received",
        _("%(who)s recorded the supervisor's report on %(object)s"),
    )
    RELOCATION_RECORDED = "relocation.recorded", _("%(who)s recorded %(object)s")
    PLAN_MADE = "plan.made", _("%(who)s drew up %(object)s")
    PLAN_VIEWED = "plan.viewed", _("%(who)s opened %(object)s")
    PLAN_EVALUATED = "plan.evaluated", _("%(who)s evaluated %(object)s")
    PLAN_ENDED = "plan.ended", _("%(who)s ended %(object)s")
    AFTERCARE_OFFERED = "aftercare.offered", _("%(who)s recorded %(object)s")
    AFTERCARE_CONCLUDED = "aftercare.concluded", _("%(who)s recorded the answer to %(object)s")
    SUPERVISOR_ADDED = "supervisor.added", _("%(who)s added %(object)s")
    SUPERVISOR_DEACTIVATED = "supervisor.deactivated", _("%(who)s deactivated %(object)s")
    UNIT_PLAN_EVALUATION_SET = (
        "unit.plan_evaluation_set",
        _("%(who)s changed how often plans for help measures are evaluated in %(object)s"),
    )
    # Referrals and the catalogue
    REFERRAL_STEP = "referral.step", _("%(who)s updated %(object)s")
    REFERRAL_VIEWED = "referral.viewed", _("%(who)s opened %(object)s")
    REFERRAL_AGENCY_ANSWERED = (
        "referral.agency_answered",
        _("%(who)s recorded the agency's answer to %(object)s"),
    )
    REFERRAL_EVALUATION_SENT = "referral.evaluation_sent", _("%(who)s sent an evaluation of %(object)s")
    REFERRAL_HOURS_RECORDED = "referral.hours_recorded", _("%(who)s recorded hours delivered on %(object)s")
    REFERRAL_ERROR_RECEIVED = (
        "referral.error_received",
        _("%(who)s received an error message about %(object)s"),
    )
    CATALOGUE_ENTRY_ADDED = "catalogue_entry.added", _("%(who)s published %(object)s")
    CATALOGUE_ENTRY_CHANGED = "catalogue_entry.changed", _("%(who)s changed %(object)s")
    BUDGET_SET = "budget.set", _("%(who)s set %(object)s")
    # Deadlines and the national register
    DEADLINE_BREACH_RECORDED = "deadline_breach.recorded", _("%(who)s recorded why %(object)s was missed")
    REGISTER_DELIVERY_EXPORTED = "register_delivery.exported", _("%(who)s prepared %(object)s")
    REGISTER_DELIVERY_SENT = "register_delivery.sent", _("%(who)s sent %(object)s")
    REGISTER_DELIVERY_DOWNLOADED = "register_delivery.downloaded", _("%(who)s downloaded %(object)s")
    # Reports
    UNIT_GROUP_CREATED = "unit_group.created", _("%(who)s created %(object)s")
    UNIT_GROUP_CHANGED = "unit_group.changed", _("%(who)s changed %(object)s")
    POPULATION_RECORDED = "population.recorded", _("%(who)s recorded %(object)s")
    POPULATION_CHANGED = "population.changed", _("%(who)s changed %(object)s")
    # A row written before event types whose prose matched no known form (migration core.0007);
    # the access log shows its text. audit() never writes one.
    LEGACY = "legacy", _("%(who)s")

    @property
    def kind(self) -> ObjectKind | None:
        prefix = self.value.split(".", 1)[0]
        return ObjectKind(prefix) if prefix in ObjectKind.values else None

    @property
    def action(self) -> AuditAction:
        if self in _ACTIONS:
            return _ACTIONS[self]
        if self.value.endswith(".viewed") or self.value.endswith("_viewed"):
            return AuditAction.VIEW
        return AuditAction.UPDATE


# Events that are not a change to something that exists (UPDATE) and not a read (by their name).
_ACTIONS: dict[AuditEvent, AuditAction] = {
    AuditEvent.USER_LOGGED_IN: AuditAction.LOGIN,
    AuditEvent.USER_LOGIN_FAILED: AuditAction.LOGIN_FAILED,
    AuditEvent.CASE_EXPORTED: AuditAction.EXPORT,
    AuditEvent.REGISTER_DELIVERY_EXPORTED: AuditAction.EXPORT,
    AuditEvent.REGISTER_DELIVERY_SENT: AuditAction.EXPORT,
    AuditEvent.REGISTER_DELIVERY_DOWNLOADED: AuditAction.EXPORT,
    **dict.fromkeys(
        [
            AuditEvent.CASE_CREATED,
            AuditEvent.CASE_IMPORTED,
            AuditEvent.PARTY_ADDED,
            AuditEvent.REPORT_REGISTERED,
            AuditEvent.REPORT_RECEIVED_DIGITALLY,
            AuditEvent.DIGITAL_MESSAGE_QUARANTINED,
            AuditEvent.INGEST_CLIENT_CREATED,
            AuditEvent.INVESTIGATION_OPENED,
            AuditEvent.DECISION_MADE,
            AuditEvent.BOARD_REFERRAL_SENT,
            AuditEvent.CLAIM_REGISTERED,
            AuditEvent.APPROVAL_RULE_ADDED,
            AuditEvent.MEASURE_STARTED,
            AuditEvent.MEASURE_CONSENT_RECORDED,
            AuditEvent.MEASURE_FREQUENCY_SET,
            AuditEvent.MEASURE_SUPERVISION_ARRANGED,
            AuditEvent.MEASURE_VISIT_RECORDED,
            AuditEvent.RELOCATION_RECORDED,
            AuditEvent.PLAN_MADE,
            AuditEvent.PLAN_EVALUATED,
            AuditEvent.AFTERCARE_OFFERED,
            AuditEvent.SUPERVISOR_ADDED,
            AuditEvent.CATALOGUE_ENTRY_ADDED,
            AuditEvent.UNIT_GROUP_CREATED,
            AuditEvent.POPULATION_RECORDED,
        ],
        AuditAction.CREATE,
    ),
}
