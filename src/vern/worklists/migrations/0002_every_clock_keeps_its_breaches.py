"""Every clock keeps its breaches (ADR 0014): the store computes late rows for all of them.

On SQLite, core.0008 rebuilds the breach table, which drops its triggers: install them again. Every
case is stale, because the computation of its rows changed (or run ``vern refresh_deadlines --all``).
"""

from django.db import migrations


def install(apps, schema_editor):  # type: ignore[no-untyped-def]
    from vern.worklists import stale

    stale.install(schema_editor.connection)


def fill(apps, schema_editor):  # type: ignore[no-untyped-def]
    schema_editor.execute("INSERT INTO worklists_stalecase (case_id) SELECT id FROM cases_case")


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0008_breach_per_interval"),
        ("worklists", "0001_deadline_store"),
    ]

    operations = [
        migrations.RunPython(install, migrations.RunPython.noop),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
