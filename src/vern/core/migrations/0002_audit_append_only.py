"""Make the audit log append-only in the database itself (triggers refuse UPDATE, DELETE, TRUNCATE)."""

from __future__ import annotations

from django.db import migrations


def install(apps, schema_editor):  # type: ignore[no-untyped-def]
    from vern.core import append_only

    append_only.install(schema_editor.connection, ["core_auditentry"])


def lift(apps, schema_editor):  # type: ignore[no-untyped-def]
    from vern.core import append_only

    append_only.lift(schema_editor.connection, ["core_auditentry"])


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]
    operations = [migrations.RunPython(install, lift)]
