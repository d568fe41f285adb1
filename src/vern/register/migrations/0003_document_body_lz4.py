"""Register documents are compressed with lz4 rather than PostgreSQL's default pglz.

Every document sent or imported is kept (a few kilobytes of XML each, thousands per delivery);
pglz compression cost an import about an eighth of its time, lz4 a fraction of that. New rows only:
rows already stored keep their compression until rewritten. A server built without lz4 keeps pglz.
"""

from __future__ import annotations

from django.db import migrations

LZ4 = """
DO $$ BEGIN
    ALTER TABLE register_document ALTER COLUMN body SET COMPRESSION lz4;
EXCEPTION WHEN feature_not_supported THEN
    RAISE NOTICE 'lz4 is not available on this server: register documents stay compressed with pglz';
END $$
"""
PGLZ = "ALTER TABLE register_document ALTER COLUMN body SET COMPRESSION pglz"


def lz4(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(LZ4)


def pglz(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(PGLZ)


class Migration(migrations.Migration):
    dependencies = [("register", "0002_documents_append_only")]
    operations = [migrations.RunPython(lz4, pglz)]
