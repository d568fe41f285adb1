"""Database triggers that mark a case stale (worklists_stalecase) whenever a fact its deadlines are
computed from is written, in the same transaction, whatever writes it: a service, an import, a bulk
insert or a hand-made UPDATE. The store (worklists.store) refreshes stale cases before it is read.

Installed by migration worklists.0001. A table added to the deadline computation (worklists.selectors)
needs its line in SOURCES and a migration that installs it again.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db.backends.base.base import BaseDatabaseWrapper

MARKS = "worklists_stalecase"


@dataclass(frozen=True)
class Source:
    """A table, and how to reach the case of one of its rows (``{row}`` is the row written)."""

    table: str
    case: str = "{row}.case_id"
    # Tables to read the case from: "table alias WHERE condition".
    via: str | None = None
    # The day the change starts to count (a column of the row), if not at once.
    effective: str | None = None


SOURCES: tuple[Source, ...] = (
    Source("cases_case", case="{row}.id"),
    Source("cases_child", case="c.id", via="cases_case c WHERE c.child_id = {row}.id"),
    # A unit's plan evaluation interval.
    Source("core_unit", case="c.id", via="cases_case c WHERE c.unit_id = {row}.id"),
    Source("intake_concernreport"),
    Source(
        "intake_reportreporter", case="r.case_id", via="intake_concernreport r WHERE r.id = {row}.report_id"
    ),
    Source("investigations_investigation"),
    Source(
        "investigations_deadlineextension",
        case="i.case_id",
        via="investigations_investigation i WHERE i.id = {row}.investigation_id",
    ),
    Source("decisions_decision"),
    Source("decisions_boardreferral"),
    Source(
        "decisions_decisionapproval",
        case="d.case_id",
        via="decisions_decision d WHERE d.id = {row}.decision_id",
    ),
    Source("measures_plan"),
    Source("measures_planevaluation", case="p.case_id", via="measures_plan p WHERE p.id = {row}.plan_id"),
    Source("measures_measure"),
    Source("measures_visit", case="m.case_id", via="measures_measure m WHERE m.id = {row}.measure_id"),
    # A frequency counts from its start: the deadline moves that day, not the day it is recorded.
    Source(
        "measures_visitfrequency",
        case="m.case_id",
        via="measures_measure m WHERE m.id = {row}.measure_id",
        effective="{row}.start_on",
    ),
    Source("measures_aftercare"),
    # The reason recorded for a breach, kept with the stored row.
    Source("core_deadlinebreach"),
)


def _name(table: str) -> str:
    return f"vern_stale_{table}"


def _select(source: Source, row: str, *, postgres: bool) -> str:
    case = source.case.format(row=row)
    effective = source.effective.format(row=row) if source.effective else "NULL"
    if postgres:
        # One statement's rows at once (a transition table), each case once.
        frm = "FROM changed AS n" + (f", {source.via.format(row=row)}" if source.via else "")
        return f"SELECT DISTINCT {case}, CAST({effective} AS date) {frm}"
    # Table and column names from SOURCES, never from input.
    return f"SELECT {case}, {effective}" + (f" FROM {source.via.format(row=row)}" if source.via else "")  # noqa: S608


def _create(vendor: str, source: Source) -> list[str]:
    name, table = _name(source.table), source.table
    insert = f"INSERT INTO {MARKS} (case_id, effective_on) "
    if vendor == "sqlite":
        # Row triggers; an UPDATE marks the case the row belonged to and the one it belongs to now.
        old, new = (f"{insert}{_select(source, row, postgres=False)};" for row in ("OLD", "NEW"))
        return [
            f"CREATE TRIGGER IF NOT EXISTS {name}_insert AFTER INSERT ON {table} BEGIN {new} END",
            f"CREATE TRIGGER IF NOT EXISTS {name}_update AFTER UPDATE ON {table} BEGIN {old} {new} END",
            f"CREATE TRIGGER IF NOT EXISTS {name}_delete AFTER DELETE ON {table} BEGIN {old} END",
        ]
    if vendor == "postgresql":
        function = (
            f"CREATE OR REPLACE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS "
            f"$$ BEGIN {insert}{_select(source, 'n', postgres=True)}; RETURN NULL; END $$"
        )
        # Statement triggers with transition tables (one INSERT per statement, not per row); a
        # trigger's transition table holds one event's rows, so an UPDATE has two triggers.
        events = [
            ("insert", "INSERT", "NEW"),
            ("update_new", "UPDATE", "NEW"),
            ("update_old", "UPDATE", "OLD"),
        ]
        events.append(("delete", "DELETE", "OLD"))
        statements = [function]
        for suffix, event, which in events:
            create = (
                f"CREATE TRIGGER {name}_{suffix} AFTER {event} ON {table} "
                f"REFERENCING {which} TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION {name}()"
            )
            statements += [f"DROP TRIGGER IF EXISTS {name}_{suffix} ON {table}", create]
        return statements
    raise NotImplementedError(f"No stale-case triggers for {vendor}")


def _drop(vendor: str, source: Source) -> list[str]:
    name, table = _name(source.table), source.table
    if vendor == "sqlite":
        return [f"DROP TRIGGER IF EXISTS {name}_{suffix}" for suffix in ("insert", "update", "delete")]
    if vendor == "postgresql":
        suffixes = ("insert", "update_new", "update_old", "delete")
        return [f"DROP TRIGGER IF EXISTS {name}_{suffix} ON {table}" for suffix in suffixes] + [
            f"DROP FUNCTION IF EXISTS {name}()"
        ]
    raise NotImplementedError(f"No stale-case triggers for {vendor}")


def _run(connection: BaseDatabaseWrapper, statements: Iterable[str]) -> None:
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def install(connection: BaseDatabaseWrapper, sources: Iterable[Source] = SOURCES) -> None:
    _run(connection, [s for source in sources for s in _create(connection.vendor, source)])


def lift(connection: BaseDatabaseWrapper, sources: Iterable[Source] = SOURCES) -> None:
    _run(connection, [s for source in sources for s in _drop(connection.vendor, source)])
