"""Date arithmetic in the database, matching ``vern.rules.deadlines`` exactly.

PostgreSQL's ``date + interval 'N months'`` clamps to the last day of the target month (31 Jan + 1
month = 28/29 Feb), as ``rules.deadlines.add_months`` does. SQLite's ``date(d, '+N months')``
instead rolls over (31 Jan + 1 month = 3 Mar), so on SQLite the clamp is spelled out. A property
test (tests/worklists/test_due_dates_agree.py) checks both backends against the rules.
"""

from __future__ import annotations

from typing import Any

from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import DateField, Func
from django.db.models.expressions import Combinable
from django.db.models.sql.compiler import SQLCompiler


class AddDays(Func):
    output_field = DateField()
    arity = 2

    def __init__(self, day: Combinable | str, days: Combinable | int, **extra: Any) -> None:
        from django.db.models import Value

        super().__init__(day, days if not isinstance(days, int) else Value(days), **extra)

    def as_sql(  # type: ignore[override]
        self, compiler: SQLCompiler, connection: BaseDatabaseWrapper, **extra_context: Any
    ) -> tuple[str, list[Any]]:
        sql, params = super().as_sql(
            compiler,
            connection,
            template="CAST((%(expressions)s) AS date)",
            arg_joiner=" + ",
            **extra_context,
        )
        return sql, list(params)

    def as_sqlite(
        self, compiler: SQLCompiler, connection: BaseDatabaseWrapper, **extra_context: Any
    ) -> tuple[str, list[Any]]:
        sql, params = super().as_sql(
            compiler,
            connection,
            # "N days" takes a signed N; "+" || N would make "+-1 days", which SQLite reads as NULL.
            template="date(%(expressions)s || ' days')",
            arg_joiner=", ",
            **extra_context,
        )
        return sql, list(params)


class AddMonths(Func):
    output_field = DateField()
    arity = 2

    def __init__(self, day: Combinable | str, months: Combinable | int, **extra: Any) -> None:
        from django.db.models import Value

        super().__init__(day, months if not isinstance(months, int) else Value(months), **extra)

    def as_postgresql(
        self, compiler: SQLCompiler, connection: BaseDatabaseWrapper, **extra_context: Any
    ) -> tuple[str, list[Any]]:
        sql, params = super().as_sql(
            compiler,
            connection,
            template="CAST(%(expressions)s) AS date)",
            arg_joiner=" + make_interval(months => ",
            **extra_context,
        )
        return sql, list(params)

    def as_sqlite(
        self, compiler: SQLCompiler, connection: BaseDatabaseWrapper, **extra_context: Any
    ) -> tuple[str, list[Any]]:
        day_sql, day_params = compiler.compile(self.source_expressions[0])
        months_sql, months_params = compiler.compile(self.source_expressions[1])
        # Each fragment carries its own parameters, so repeated sub-expressions stay in step.
        first = (
            f"date({day_sql}, 'start of month', '+' || ({months_sql}) || ' months')",
            [*day_params, *months_params],
        )
        last = (f"date({first[0]}, '+1 month', '-1 day')", first[1])
        same_day = (
            f"date({first[0]}, '+' || (CAST(strftime('%%d', {day_sql}) AS integer) - 1) || ' days')",
            [*first[1], *day_params],
        )
        return f"min({same_day[0]}, {last[0]})", [*same_day[1], *last[1]]
