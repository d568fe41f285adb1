"""The worklists' store of deadlines, and the triggers that mark cases stale (ADR 0010)."""

import django.db.models.deletion
from django.db import migrations, models


def install(apps, schema_editor):  # type: ignore[no-untyped-def]
    from vern.worklists import stale

    stale.install(schema_editor.connection)


def lift(apps, schema_editor):  # type: ignore[no-untyped-def]
    from vern.worklists import stale

    stale.lift(schema_editor.connection)


def fill(apps, schema_editor):  # type: ignore[no-untyped-def]
    """Every existing case is stale: the first reader computes it (or run ``vern refresh_deadlines``)."""
    schema_editor.execute("INSERT INTO worklists_stalecase (case_id) SELECT id FROM cases_case")


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("intake", "0004_register_specification_length"),
        ("investigations", "0002_register_conclusion_specification"),
        ("measures", "0004_ascii_digits"),
        ("cases", "0004_register_journal_number_length"),
        ("core", "0006_unit_remote"),
        ("decisions", "0003_register_specification_length"),
    ]

    operations = [
        migrations.CreateModel(
            name="StaleCase",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("case_id", models.BigIntegerField()),
                ("effective_on", models.DateField(null=True)),
            ],
            options={
                "indexes": [models.Index(fields=["case_id"], name="stale_case")],
            },
        ),
        migrations.CreateModel(
            name="StoredApproval",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "case",
                    models.ForeignKey(
                        db_constraint=False,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="cases.case",
                    ),
                ),
                (
                    "decision",
                    models.ForeignKey(
                        db_constraint=False,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="decisions.decision",
                    ),
                ),
                (
                    "unit",
                    models.ForeignKey(
                        db_constraint=False,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="core.unit",
                    ),
                ),
            ],
        ),
        migrations.CreateModel(
            name="StoredDeadline",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("kind", models.CharField(max_length=40)),
                ("object_id", models.BigIntegerField()),
                ("journal_number", models.CharField(max_length=36)),
                ("breach_reason", models.CharField(blank=True, default="", max_length=40)),
                ("start", models.DateField()),
                ("due", models.DateField()),
                ("concluded_on", models.DateField(null=True)),
                ("extended", models.BooleanField(default=False)),
                ("shown_from", models.DateField(null=True)),
                ("shown_until", models.DateField(null=True)),
                (
                    "case",
                    models.ForeignKey(
                        db_constraint=False,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="cases.case",
                    ),
                ),
                (
                    "unit",
                    models.ForeignKey(
                        db_constraint=False,
                        db_index=False,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="core.unit",
                    ),
                ),
            ],
            options={
                "indexes": [
                    models.Index(
                        condition=models.Q(("concluded_on", None)),
                        fields=["unit", "due", "shown_from", "shown_until"],
                        name="stored_open_unit_due",
                    ),
                    models.Index(
                        condition=models.Q(("concluded_on__isnull", False)),
                        fields=["unit", "concluded_on"],
                        name="stored_late_unit",
                    ),
                ],
            },
        ),
        migrations.RunPython(install, lift),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
