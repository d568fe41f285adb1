"""Audit rows become typed events (ADR 0013): every row gets an event type, its object's key and its
extra values, derived here from the prose it had (kept, as ``legacy_what``).

The audit table is append-only by triggers (core.0002). This migration lifts them, changes the
table and fills the new columns, and puts them back, in its one transaction: on PostgreSQL
DROP TRIGGER locks the table until the commit, so no other connection writes meanwhile, and a
failure leaves the table and its triggers as they were. (On SQLite, adding these columns copies
the table, which drops its triggers anyway.)

The parser is frozen here, as the prose was written by the code of 0001-0006; the event values are
literals so a later rename in ``core.audit_events`` cannot change what this migration did.
"""

from __future__ import annotations

import re
from typing import Any

from django.db import migrations, models

# (pattern, the action the row must have or None for any, event). Named groups: ``object`` is the
# object's primary key; every other group goes to ``extra`` (those in _INTEGERS as integers).
_N = r"(?P<object>\d+)"
_FORMS: list[tuple[str, str | None, str]] = [
    (r"case", "create", "case.created"),
    (r"case", "view", "case.viewed"),
    (r"chronology", "view", "case.chronology_viewed"),
    (r"access log", "view", "case.access_log_viewed"),
    (r"register control", "view", "case.register_control_viewed"),
    (r"aftercare", "view", "case.aftercare_viewed"),
    (r"new plan", "view", "case.plan_form_viewed"),
    (r"new decision", "view", "case.decision_form_viewed"),
    (r"case caseworker", None, "case.assigned"),
    (r"case shared", None, "case.shared"),
    (r"case closed", None, "case.closed"),
    (r"case reopened", None, "case.reopened"),
    (r"party", None, "party.added"),
    (r"login", "login", "user.logged_in"),
    (r"(?P<step>password|totp)", "login_failed", "user.login_failed"),
    (rf"user {_N} disabled", None, "user.disabled"),
    (rf"report {_N}", "create", "report.registered"),
    (rf"report {_N}", "view", "report.viewed"),
    (rf"report {_N} codes", None, "report.coded"),
    (rf"report {_N} review concluded", None, "report.review_concluded"),
    (rf"report {_N} reporter feedback", None, "report.feedback_recorded"),
    (rf"report {_N} from digital message (?P<reference>\S+)", None, "report.received_digitally"),
    (r"digital message (?P<reference>\S+) quarantined", None, "digital_message.quarantined"),
    (r"quarantined message (?P<reference>\S+)", None, "digital_message.viewed"),
    (r"ingest client (?P<name>.+) disabled", None, "ingest_client.disabled"),
    (r"ingest client (?P<name>.+)", None, "ingest_client.created"),
    (rf"investigation {_N}", "view", "investigation.viewed"),
    (rf"investigation {_N} opened", None, "investigation.opened"),
    (rf"investigation {_N} plan", None, "investigation.plan_recorded"),
    (rf"investigation {_N} deadline extended", None, "investigation.extended"),
    (rf"investigation {_N} child participation", None, "investigation.participation_recorded"),
    (rf"investigation {_N} concluded", None, "investigation.concluded"),
    (rf"decision {_N}", "view", "decision.viewed"),
    (rf"decision {_N} made", None, "decision.made"),
    (rf"decision {_N} approved", None, "decision.approved"),
    (rf"decision {_N} rejected", None, "decision.rejected"),
    (rf"decision {_N} status (?P<status>\S+)", None, "decision.status_changed"),
    (rf"decision {_N} sent to county board", None, "decision.sent_to_board"),
    (rf"decision {_N} county board verdict", None, "decision.board_verdict"),
    (rf"board referral {_N}", None, "board_referral.sent"),
    (rf"claim {_N} on decision (?P<decision>\d+)", None, "claim.registered"),
    (rf"claim {_N} concluded", None, "claim.concluded"),
    (rf"delegation rule {_N}", None, "approval_rule.added"),
    (rf"delegation rule {_N} ended", None, "approval_rule.ended"),
    (rf"measure {_N}", "view", "measure.viewed"),
    (rf"measure {_N} started", None, "measure.started"),
    (rf"measure {_N} ended", None, "measure.ended"),
    (rf"measure {_N} consent", None, "measure.consent_recorded"),
    (rf"measure {_N} consent withdrawn", None, "measure.consent_withdrawn"),
    (rf"measure {_N} (?P<kind>follow_up|supervision) frequency", None, "measure.frequency_set"),
    (rf"measure {_N} supervision arrangement", None, "measure.supervision_arranged"),
    (rf"measure {_N} (?P<kind>follow_up|supervision) visit", None, "measure.visit_recorded"),
    (rf"visit {_N} report received", None, "visit.report_received"),
    (rf"relocation {_N}", None, "relocation.recorded"),
    (rf"plan {_N}", "view", "plan.viewed"),
    (rf"plan {_N} made", None, "plan.made"),
    (rf"plan {_N} evaluated", None, "plan.evaluated"),
    (rf"plan {_N} ended", None, "plan.ended"),
    (rf"aftercare {_N} offered", None, "aftercare.offered"),
    (rf"aftercare {_N} concluded", None, "aftercare.concluded"),
    (rf"supervisor {_N}", None, "supervisor.added"),
    (rf"supervisor {_N} inactive", None, "supervisor.deactivated"),
    (r"plan evaluation interval (?P<months>\d+)", None, "unit.plan_evaluation_set"),
    (rf"henvisning {_N}", "view", "referral.viewed"),
    (rf"henvisning {_N}: evaluering", None, "referral.evaluation_sent"),
    (rf"henvisning {_N}: feilmelding", None, "referral.error_received"),
    (rf"henvisning {_N}: timer (?P<mm>\d\d)\.(?P<yyyy>\d{{4}})", None, "referral.hours_recorded"),
    (rf"henvisning {_N}: (?P<status>[a-z_]+)", None, "referral.step"),
    (rf"tiltaksvifte {_N}", "create", "catalogue_entry.added"),
    (rf"tiltaksvifte {_N}", "update", "catalogue_entry.changed"),
    (r"budsjett for tiltak (?P<year>\d{4})", None, "budget.set"),
    (r"(?P<clock>[a-z_]+) breach reason", None, "deadline_breach.recorded"),
    (r"register document (?P<document_id>\S+)", "export", "case.exported"),
    (r"register delivery (?P<delivery_id>\S+): (?P<cases>\d+) cases", "export", "register_delivery.exported"),
    (r"imported from register document (?P<document_id>\S+)", None, "case.imported"),
    (r"register delivery (?P<delivery_id>\S+) sent", "export", "register_delivery.sent"),
    (r"register delivery (?P<delivery_id>\S+) downloaded", "export", "register_delivery.downloaded"),
    (rf"comparison group {_N}: (?P<units>\d+) units", "create", "unit_group.created"),
    (rf"comparison group {_N}: (?P<units>\d+) units", "update", "unit_group.changed"),
    (r"population (?P<year>\d{4}): (?P<children>\d+)", "create", "population.recorded"),
    (r"population (?P<year>\d{4}): (?P<children>\d+)", "update", "population.changed"),
]
_COMPILED = [(re.compile(pattern), action, event) for pattern, action, event in _FORMS]
_INTEGERS = {"decision", "months", "year", "cases", "units", "children"}
# Events whose object is the row's own case, user or unit rather than a key in the prose.
_OBJECT_FROM = {"case": "case_id", "user": "user_id", "unit": "unit_id"}


def derive(action: str, what: str, row: dict[str, Any]) -> tuple[str, int | None, dict[str, Any]]:
    """The event, object key and extra values an old row's prose says; "legacy" if none matches."""
    for pattern, wanted, event in _COMPILED:
        match = pattern.fullmatch(what)
        if match is None or (wanted is not None and wanted != action):
            continue
        found = match.groupdict()
        object_id = int(found.pop("object")) if "object" in found else None
        kind = event.split(".", 1)[0]
        if object_id is None and kind in _OBJECT_FROM:
            object_id = row[_OBJECT_FROM[kind]]
        if "mm" in found:
            found["month"] = f"{found.pop('yyyy')}-{found.pop('mm')}"
        extra = {k: int(v) if k in _INTEGERS else v for k, v in found.items()}
        return event, object_id, extra
    return "legacy", None, {}


def derive_events(apps, schema_editor):  # type: ignore[no-untyped-def]
    entry = apps.get_model("core", "AuditEntry")
    rows = entry.objects.using(schema_editor.connection.alias).order_by("pk")
    fields = ("pk", "action", "legacy_what", "case_id", "user_id", "unit_id")
    batch = []
    for values in rows.values(*fields).iterator(chunk_size=2000):
        event, object_id, extra = derive(values["action"], values["legacy_what"], values)
        batch.append(entry(pk=values["pk"], event=event, object_id=object_id, extra=extra))
        if len(batch) >= 1000:
            entry.objects.bulk_update(batch, ["event", "object_id", "extra"])
            batch = []
    entry.objects.bulk_update(batch, ["event", "object_id", "extra"])


def lift(apps, schema_editor):  # type: ignore[no-untyped-def]
    from vern.core import append_only

    append_only.lift(schema_editor.connection, ["core_auditentry"])


def install(apps, schema_editor):  # type: ignore[no-untyped-def]
    from vern.core import append_only

    append_only.install(schema_editor.connection, ["core_auditentry"])


class Migration(migrations.Migration):
    dependencies = [("core", "0006_unit_remote")]

    operations = [
        migrations.RunPython(lift, install),
        migrations.RenameField(model_name="auditentry", old_name="what", new_name="legacy_what"),
        migrations.AlterField(
            model_name="auditentry", name="legacy_what", field=models.CharField(blank=True, max_length=200)
        ),
        migrations.AddField(
            model_name="auditentry",
            name="event",
            field=models.CharField(default="legacy", max_length=60),
            preserve_default=False,
        ),
        migrations.AddField(model_name="auditentry", name="object_id", field=models.BigIntegerField(null=True)),
        migrations.AddField(
            model_name="auditentry", name="extra", field=models.JSONField(blank=True, default=dict)
        ),
        migrations.RunPython(derive_events, migrations.RunPython.noop),
        migrations.RunPython(install, lift),
    ]
