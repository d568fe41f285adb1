"""Digital reports of concern are kept exactly as they arrived: triggers refuse UPDATE, DELETE, TRUNCATE."""

from __future__ import annotations

from django.db import migrations


def install(apps, schema_editor):  # type: ignore[no-untyped-def]
    from vern.core import append_only

    append_only.install(schema_editor.connection, ["intake_inboundmessage"])


def lift(apps, schema_editor):  # type: ignore[no-untyped-def]
    from vern.core import append_only

    append_only.lift(schema_editor.connection, ["intake_inboundmessage"])


class Migration(migrations.Migration):
    dependencies = [("intake", "0002_digital_reports_of_concern"), ("core", "0002_audit_append_only")]
    operations = [migrations.RunPython(install, lift)]
