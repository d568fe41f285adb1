"""Database triggers that make tables append-only, whatever the application does.

The audit log (installed by migration core.0002), the digital reports of concern as they arrived
(intake.0003) and the register documents sent or imported (register.0002) are written once and
never changed. ``vern flush`` lifts the triggers only outside
production (tests).
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.backends.base.base import BaseDatabaseWrapper

# Table -> the short name its triggers are named after.
TABLES: dict[str, str] = {
    "core_auditentry": "audit",
    "intake_inboundmessage": "inbound_message",
    "register_document": "register_document",
}
MESSAGE = "rows of this table are append-only"
_PG_FUNCTION = (
    "CREATE OR REPLACE FUNCTION vern_audit_append_only() RETURNS trigger LANGUAGE plpgsql AS "
    f"$$ BEGIN RAISE EXCEPTION '{MESSAGE}'; END $$"
)


def _create(vendor: str, table: str, name: str) -> list[str]:
    if vendor == "sqlite":
        return [
            (
                f"CREATE TRIGGER IF NOT EXISTS {name}_no_update BEFORE UPDATE ON {table} "
                f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END"
            ),
            (
                f"CREATE TRIGGER IF NOT EXISTS {name}_no_delete BEFORE DELETE ON {table} "
                f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END"
            ),
        ]
    if vendor == "postgresql":
        return [
            _PG_FUNCTION,
            f"DROP TRIGGER IF EXISTS {name}_no_change ON {table}",
            (
                f"CREATE TRIGGER {name}_no_change BEFORE UPDATE OR DELETE ON {table} "
                "FOR EACH ROW EXECUTE FUNCTION vern_audit_append_only()"
            ),
            # TRUNCATE fires no row triggers: block it separately.
            f"DROP TRIGGER IF EXISTS {name}_no_truncate ON {table}",
            (
                f"CREATE TRIGGER {name}_no_truncate BEFORE TRUNCATE ON {table} "
                "FOR EACH STATEMENT EXECUTE FUNCTION vern_audit_append_only()"
            ),
        ]
    raise NotImplementedError(f"No append-only triggers for {vendor}")


def _drop(vendor: str, table: str, name: str) -> list[str]:
    if vendor == "sqlite":
        return [f"DROP TRIGGER IF EXISTS {name}_no_update", f"DROP TRIGGER IF EXISTS {name}_no_delete"]
    if vendor == "postgresql":
        return [
            f"DROP TRIGGER IF EXISTS {name}_no_change ON {table}",
            f"DROP TRIGGER IF EXISTS {name}_no_truncate ON {table}",
        ]
    raise NotImplementedError(f"No append-only triggers for {vendor}")


def _run(connection: BaseDatabaseWrapper, statements: Iterable[str]) -> None:
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def install(connection: BaseDatabaseWrapper, tables: Iterable[str] = tuple(TABLES)) -> None:
    for table in tables:
        _run(connection, _create(connection.vendor, table, TABLES[table]))


def lift(connection: BaseDatabaseWrapper, tables: Iterable[str] = tuple(TABLES)) -> None:
    for table in tables:
        _run(connection, _drop(connection.vendor, table, TABLES[table]))
