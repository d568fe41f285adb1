"""What is known of a child's birth date: known, estimated from an age, or unknown.

Until now a flag said only "estimated", and a child whose report gave no age at all was shown a
birth date nine years back as if it were known. Each estimated child is looked up in the digital
messages that named it: an age given there makes it "estimated", nothing (or an unborn child
without a term date) makes it "unknown".

Adding a column rebuilds the table on SQLite, which drops the worklists' triggers on it: they are
installed again at the end (worklists.stale, ADR 0010).
"""

import json

from django.db import migrations, models


def _same_name(a: object, b: str) -> bool:
    return isinstance(a, str) and " ".join(a.split()).casefold() == " ".join(b.split()).casefold()


def _age_given(entry: object) -> bool:
    if not isinstance(entry, dict):
        return False
    age = entry.get("antattAlder")
    return isinstance(age, str) and age.strip().isdigit() and int(age.strip()) < 30


def _basis(child, reports) -> str:  # type: ignore[no-untyped-def]
    if child.gender == "0":  # unborn, the term date only assumed
        return "unknown"
    name = f"{child.first_name} {child.last_name}"
    for report in reports.filter(case__child=child, message__isnull=False).select_related("message"):
        try:
            data = json.loads(bytes(report.message.body).decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError):
            continue
        if not isinstance(data, dict):
            continue
        for key in ("privatBarn", "offentligBarn"):
            entries = data.get(key)
            for entry in entries if isinstance(entries, list) else []:
                if isinstance(entry, dict) and _same_name(entry.get("personnavn"), name) and _age_given(entry):
                    return "estimated"
    return "unknown"


def from_flag(apps, schema_editor):  # type: ignore[no-untyped-def]
    Child = apps.get_model("cases", "Child")
    ConcernReport = apps.get_model("intake", "ConcernReport")
    for child in Child.objects.filter(birth_date_estimated=True).iterator():
        Child.objects.filter(pk=child.pk).update(birth_date_basis=_basis(child, ConcernReport.objects))


def to_flag(apps, schema_editor):  # type: ignore[no-untyped-def]
    Child = apps.get_model("cases", "Child")
    Child.objects.exclude(birth_date_basis="known").update(birth_date_estimated=True)


def triggers(apps, schema_editor):  # type: ignore[no-untyped-def]
    from vern.worklists import stale

    stale.install(schema_editor.connection, [s for s in stale.SOURCES if s.table == "cases_child"])


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0005_case_closing_and_party_identity"),
        ("intake", "0004_register_specification_length"),
        ("worklists", "0001_deadline_store"),
    ]

    operations = [
        # Undone last: the triggers again after the column is dropped.
        migrations.RunPython(migrations.RunPython.noop, triggers),
        migrations.AddField(
            model_name="child",
            name="birth_date_basis",
            field=models.CharField(
                choices=[
                    ("known", "known"),
                    ("estimated", "estimated from an approximate age"),
                    ("unknown", "unknown"),
                ],
                default="known",
                max_length=10,
                verbose_name="birth date",
            ),
        ),
        migrations.RunPython(from_flag, to_flag),
        migrations.RemoveField(model_name="child", name="birth_date_estimated"),
        migrations.AlterField(
            model_name="party",
            name="relation",
            field=models.CharField(
                choices=[
                    ("mother", "mother"),
                    ("father", "father"),
                    ("parent", "parent or guardian"),
                    ("guardian", "guardian"),
                    ("child", "the child"),
                    ("other", "other"),
                ],
                max_length=20,
                verbose_name="relation",
            ),
        ),
        migrations.RunPython(triggers, migrations.RunPython.noop),
    ]
