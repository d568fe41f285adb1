"""Load the national register's code lists bundled with Vern."""

from __future__ import annotations

from django.db import migrations


def load(apps, schema_editor):  # type: ignore[no-untyped-def]
    from vern.core.codelists.load import sync_code_lists

    sync_code_lists(apps.get_model("core", "Code"))


class Migration(migrations.Migration):
    dependencies = [("core", "0002_audit_append_only")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
