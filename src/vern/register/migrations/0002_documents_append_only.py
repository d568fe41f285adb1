"""Register documents are kept exactly as they were sent or imported: triggers refuse UPDATE, DELETE, TRUNCATE."""

from __future__ import annotations

from django.db import migrations


def install(apps, schema_editor):  # type: ignore[no-untyped-def]
    from vern.core import append_only

    append_only.install(schema_editor.connection, ["register_document"])


def lift(apps, schema_editor):  # type: ignore[no-untyped-def]
    from vern.core import append_only

    append_only.lift(schema_editor.connection, ["register_document"])


class Migration(migrations.Migration):
    dependencies = [("register", "0001_deliveries"), ("core", "0002_audit_append_only")]
    operations = [migrations.RunPython(install, lift)]
