"""Benchmark: the leaders' and politicians' reports on PostgreSQL.

Run with ``./run bench reports`` (starts a throwaway PostgreSQL unless DATABASE_URL is set). Seeds
the ``oslo`` scale (or ``--scale``) once, when the database is empty, then for the unit with the most
cases times, in this process, each report as the page or the command makes it:

- the annual status report over 5 years: the indicators (JSON), the HTML document, and the PDF;
- the monthly report (12 months of trend) for the last whole month;
- the status report for the largest city with districts as a whole (``--unit 0301``);
- the variation between the units of the largest comparison group (every unit's indicators for a
  year, and the funnel plots).

    ./run bench reports [--scale oslo|national|small] [--seed 1] [--repeat 3]

Goal: a report for a unit of Oslo's size over 5 years takes seconds, not minutes.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vern.settings")
os.environ.setdefault("VERN_ENV", "test")

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, reset_queries  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import translation  # noqa: E402

from vern.core.dates import today  # noqa: E402
from vern.core.models import Unit  # noqa: E402
from vern.reports import output  # noqa: E402
from vern.reports.build import (  # noqa: E402
    monthly_report,
    resolve_subject,
    status_json,
    status_report,
    subject_of,
    variation,
)
from vern.reports.indicators import FAMILIES, Scope, months_ending  # noqa: E402
from vern.reports.models import UnitGroup  # noqa: E402


def timed(name: str, make: Callable[[], Any], repeat: int) -> Any:
    seconds = []
    result: Any = None
    queries = 0
    for _ in range(repeat):
        reset_queries()
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            result = make()
            seconds.append(time.perf_counter() - started)
        queries = len(captured.captured_queries)
    print(
        f"{name:<52} median {statistics.median(seconds):6.2f} s   min {min(seconds):6.2f} s   "
        f"max {max(seconds):6.2f} s   {queries:>4} queries"
    )
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scale", default="oslo")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    call_command("seed", scale=args.scale, seed=args.seed, if_empty=True)
    print(f"seed: {time.perf_counter() - started:.0f} s")
    unit = (
        Unit.objects.filter(kind=Unit.Kind.SERVICE)
        .annotate(n=Count("cases"))
        .select_related("host_municipality", "district")
        .order_by("-n")
        .first()
    )
    assert unit is not None
    cases = unit.cases.count()
    print(f"scale {args.scale}: the largest unit is {unit.name} with {cases:,} cases")
    year = today().year - 1
    day = today()
    last_month = (day.year, day.month - 1) if day.month > 1 else (day.year - 1, 12)
    subject = subject_of(unit)
    with translation.override("nb"):
        timed(
            f"status report {year - 4}-{year}: indicators (JSON)",
            lambda: status_json(subject, year),
            args.repeat,
        )
        report = timed("status report: figures and tables", lambda: status_report(subject, year), args.repeat)
        html = timed("status report: HTML document", lambda: output.document_html(report), args.repeat)
        pdf = timed("status report: PDF (from the HTML)", lambda: output.document_pdf(report), args.repeat)
        print(f"{'':<52} HTML {len(html) / 1024:.0f} kB, PDF {len(pdf) / 1024:.0f} kB")
        timed("status report: Excel", lambda: output.workbook(report), args.repeat)
        timed(
            f"monthly report {last_month[1]:02d}.{last_month[0]} (12 months)",
            lambda: monthly_report(unit, *last_month),
            args.repeat,
        )
        # Where the monthly report's time goes: each family of indicators over the 12 months alone.
        scope = Scope((unit.pk,), tuple(months_ending(*last_month, 12)))
        for name, family in FAMILIES.items():
            timed(f"  monthly: {name}", lambda family=family: family(scope), 1)
        # The largest city as a whole (every district service together), as its council gets it.
        city = (
            Unit.objects.filter(kind=Unit.Kind.SERVICE, district__isnull=False)
            .values("host_municipality__number")
            .annotate(n=Count("cases"))
            .order_by("-n")
            .first()
        )
        if city is not None:
            whole = resolve_subject(city["host_municipality__number"])
            print(
                f"the largest city: {whole.name}, {len(whole.units)} district services, {city['n']:,} cases"
            )
            timed(
                f"status report {year - 4}-{year}, whole city (JSON)",
                lambda: status_json(whole, year),
                args.repeat,
            )
            timed(
                "status report, whole city: PDF",
                lambda: output.document_pdf(status_report(whole, year)),
                args.repeat,
            )
        group = UnitGroup.objects.annotate(n=Count("units")).order_by("-n").first()
        if group is None:
            # No city with districts at this scale: compare the 15 largest services instead.
            largest = (
                Unit.objects.filter(kind=Unit.Kind.SERVICE).annotate(n=Count("cases")).order_by("-n")[:15]
            )
            group = UnitGroup.objects.create(name="De 15 største tjenestene")
            group.units.set(list(largest))
            group = UnitGroup.objects.annotate(n=Count("units")).get(pk=group.pk)
        if group is not None:
            timed(
                f"variation {year}: {group.name} ({group.n} units)",  # type: ignore[attr-defined]
                lambda: variation(group, year),
                args.repeat,
            )


if __name__ == "__main__":
    main()
