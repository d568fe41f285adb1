"""Benchmark: "Mine frister" for the busiest caseworker and "Fristoversikt" for the largest unit.

Run with ``./run bench`` (starts a throwaway PostgreSQL unless DATABASE_URL is set). Seeds the
``national`` scale (or ``--scale``) once (skipped when the database already has cases), then
prints p50/p95 of the server time of each page (Django's whole request: middleware, queries,
template) and of the same queries' own execution time in PostgreSQL (EXPLAIN ANALYZE), with the
goals beside them. Both pages read the worklists' store (ADR 0010), which ``vern seed`` fills.

    ./run bench [--requests 60] [--seed 1] [--scale national|oslo|small]

The database is seeded only when it is empty: give each scale its own DATABASE_URL.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vern.settings")
os.environ.setdefault("VERN_ENV", "test")

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Count, Q  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from vern.cases.models import Case  # noqa: E402
from vern.core.middleware import SECOND_FACTOR_KEY  # noqa: E402
from vern.core.models import Membership, Role, User  # noqa: E402

GOALS = {"Mine frister": 50.0, "Fristoversikt": 100.0}


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    session = client.session
    session[SECOND_FACTOR_KEY] = True
    session.save()
    return client


def db_time_ms(sqls: list[str]) -> float:
    """The queries' own execution time in PostgreSQL: EXPLAIN ANALYZE's Execution Time, summed."""
    total = 0.0
    with connection.cursor() as cursor:
        for sql in sqls:
            if not sql.lstrip().upper().startswith("SELECT"):
                continue
            cursor.execute(f"EXPLAIN (ANALYZE, FORMAT JSON) {sql}")
            plan = cursor.fetchone()[0]
            plan = json.loads(plan) if isinstance(plan, str) else plan
            total += plan[0]["Execution Time"]
    return total


def measure(name: str, client: Client, url: str, requests: int) -> dict[str, float]:
    for _ in range(3):  # warm caches and connections
        assert client.get(url).status_code == 200
    server, database, queries = [], [], 0
    for _ in range(requests):
        with CaptureQueriesContext(connection) as captured:
            start = time.perf_counter()
            response = client.get(url)
            server.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (url, response.status_code)
        sqls = [q["sql"] for q in captured.captured_queries]
        queries = len(sqls)
        database.append(db_time_ms(sqls))
    return {
        "server_p50": percentile(server, 50),
        "server_p95": percentile(server, 95),
        "db_p50": percentile(database, 50),
        "db_p95": percentile(database, 95),
        "queries": queries,
        "goal": GOALS[name],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--requests", type=int, default=60)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--scale", choices=("small", "oslo", "national"), default="national")
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("The benchmark runs on PostgreSQL: use ./run bench, or set DATABASE_URL.")

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    call_command("seed", scale=args.scale, seed=args.seed, if_empty=True)
    print(f"seed: {time.perf_counter() - started:.0f} s")
    with connection.cursor() as cursor:
        # What autovacuum does soon after a bulk load: fresh statistics, and a visibility map that
        # lets the count of open deadlines read its index alone.
        cursor.execute("VACUUM ANALYZE")

    # The busiest caseworker and the largest unit: the worst realistic case for each page.
    caseworker = (
        User.objects.filter(memberships__role=Role.CASEWORKER)
        .annotate(n=Count("assigned_cases", filter=Q(assigned_cases__closed_on__isnull=True)))
        .order_by("-n")
        .first()
    )
    unit_id = Case.objects.values("unit_id").annotate(n=Count("id")).order_by("-n")[0]["unit_id"]
    leader = Membership.objects.filter(unit_id=unit_id, role=Role.LEADER).select_related("user").first()
    if caseworker is None or leader is None:
        sys.exit("The seed data has no caseworker or leader.")

    results = {
        "Mine frister": measure("Mine frister", client_for(caseworker), "/frister/", args.requests),
        "Fristoversikt": measure(
            "Fristoversikt", client_for(leader.user), f"/frister/enhet/?enhet={unit_id}", args.requests
        ),
    }
    print(f"cases: {Case.objects.count()}, requests per page: {args.requests}")
    print(
        f"{'page':<14} {'server p50':>11} {'server p95':>11} {'db p50':>8} {'db p95':>8} {'queries':>8} "
        f"{'goal p95':>9} {'p95 ok':>7} {'≤2× db':>7}"
    )
    for name, r in results.items():
        print(
            f"{name:<14} {r['server_p50']:>9.1f}ms {r['server_p95']:>9.1f}ms {r['db_p50']:>6.1f}ms "
            f"{r['db_p95']:>6.1f}ms {r['queries']:>8.0f} {r['goal']:>7.0f}ms "
            f"{'yes' if r['server_p95'] <= r['goal'] else 'NO':>7} "
            f"{'yes' if r['server_p95'] <= 2 * r['db_p95'] else 'NO':>7}"
        )


if __name__ == "__main__":
    main()
