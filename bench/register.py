"""Benchmark: the national child welfare register's export, control and import, on PostgreSQL.

Run with ``./run bench register`` (starts a throwaway PostgreSQL unless DATABASE_URL is set). Seeds
the ``oslo`` scale (or ``--scale``) once, then for the unit with the most cases measures, each in a
process of its own as an operator would run it:

- ``vern export_register`` (all cases): wall time, cases per second, peak memory (of the process
  and the worker processes that build the documents, ``VERN_REGISTER_WORKERS``); the same in one
  process; the same for the smallest unit, to show that memory does not grow with the number of
  cases; and ``--changes`` right after, when nothing has changed;
- ``vern check_register --unit``: the pre-submission control of the same cases;
- ``vern import_register`` of the exported documents into a second, empty database with the same
  organisation (``<database>_import``, recreated each run), and the same import again (nothing new).

    ./run bench register [--scale oslo|small|national] [--seed 1]

Goals: export and import at least 1,000 cases/s, export peak memory under 300 MB whatever the size.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vern.settings")
os.environ.setdefault("VERN_ENV", "test")

import django  # noqa: E402 - after the path and settings above

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Count  # noqa: E402

from vern.cases.models import Case  # noqa: E402
from vern.core.models import Unit  # noqa: E402
from vern.register.export import unit_code  # noqa: E402

GOAL_RATE = 1000.0
GOAL_MEMORY_MB = 300.0
VERN = str(Path(sys.executable).with_name("vern"))


def _proc_mb(pid: int, file: str, field: str) -> float:
    """A size in kB from a /proc/<pid> file (``status``'s VmHWM, ``smaps_rollup``'s Pss), in MB."""
    try:
        for line in Path(f"/proc/{pid}/{file}").read_text(encoding="ascii").splitlines():
            if line.startswith(field):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def _descendants(pid: int) -> list[int]:
    found = []
    for children in Path(f"/proc/{pid}/task").glob("*/children"):
        try:
            found += [int(child) for child in children.read_text().split()]
        except OSError:
            continue
    return found + [d for child in found for d in _descendants(child)]


def _peak_mb(pid: int) -> float:
    """The memory of the command and the worker processes it started: its own peak resident set
    (VmHWM), or the proportional set size of the whole process tree now, whichever is larger.
    ru_maxrss would not do: it counts the benchmark's own memory, shared between fork and exec."""
    # Proportional set size: each page shared between the processes counted in part.
    tree = sum(_proc_mb(p, "smaps_rollup", "Pss:") for p in [pid, *_descendants(pid)])
    return max(_proc_mb(pid, "status", "VmHWM:"), tree)


def run(
    args: list[str], *, database_url: str | None = None, workers: int | None = None
) -> tuple[float, float, str]:
    """Run a vern command; return (wall seconds, peak resident memory in MB, its output)."""
    env = dict(os.environ)
    if database_url:
        env["DATABASE_URL"] = database_url
    if workers is not None:
        env["VERN_REGISTER_WORKERS"] = str(workers)
    with tempfile.TemporaryFile() as out:
        started = time.perf_counter()
        process = subprocess.Popen([VERN, *args], env=env, stdout=out, stderr=subprocess.STDOUT)  # noqa: S603
        peak = 0.0
        while process.poll() is None:
            peak = max(peak, _peak_mb(process.pid))
            time.sleep(0.1)  # sampling costs CPU the command would otherwise have
        seconds = time.perf_counter() - started
        out.seek(0)
        text = out.read().decode()
    code = process.returncode
    if code not in (0, 1) or (code == 1 and args[0] != "check_register"):
        sys.exit(f"vern {' '.join(args)} failed ({code}):\n{text}")
    return seconds, peak, text


def own_seconds(text: str, after: str = "") -> float | None:
    """The time the command reports for its own work (without starting Python and Django): the last
    one it prints, or the first after the words ``after``."""
    found = re.findall(rf"{after}.*?([0-9]+[.][0-9]) s\b" if after else r"([0-9]+[.][0-9]) s\b", text)
    return float(found[0 if after else -1]) if found else None


def import_database_url() -> str:
    settings = connection.settings_dict
    name = f"{settings['NAME']}_import"
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
        cursor.execute(f'CREATE DATABASE "{name}"')
    user = settings["USER"]
    password = f":{settings['PASSWORD']}" if settings.get("PASSWORD") else ""
    return f"postgres://{user}{password}@{settings['HOST']}:{settings['PORT']}/{name}"


def _create_ms(folder: Path, n: int = 200) -> float:
    """What the file system costs per document file created, here."""
    started = time.perf_counter()
    for i in range(n):
        (folder / f"probe-{i}.xml").write_bytes(b"x" * 4000)
    seconds = time.perf_counter() - started
    for i in range(n):
        (folder / f"probe-{i}.xml").unlink()
    return seconds / n * 1000


def line(
    name: str, cases: int, result: tuple[float, float, str], *, goal: bool = True, after: str = ""
) -> None:
    wall, memory, text = result
    seconds = own_seconds(text, after) or wall
    rate = cases / seconds if seconds else 0.0
    verdict = ("yes" if rate >= GOAL_RATE else "NO") if goal else "-"
    timing = f"{wall:>8.1f} s {seconds:>8.1f} s {rate:>8.0f}/s"
    print(f"{name:<34} {cases:>7} {timing} {memory:>8.0f} MB {verdict:>8}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scale", choices=("small", "oslo", "national"), default="oslo")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("The benchmark runs on PostgreSQL: use ./run bench register, or set DATABASE_URL.")

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    call_command("seed", scale=args.scale, seed=args.seed, if_empty=True)
    print(f"seed: {time.perf_counter() - started:.0f} s")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    sizes = list(Case.objects.values("unit_id").annotate(n=Count("id")).order_by("-n"))
    largest = Unit.objects.select_related("host_municipality", "district").get(pk=sizes[0]["unit_id"])
    smallest = Unit.objects.select_related("host_municipality", "district").get(pk=sizes[-1]["unit_id"])
    n_largest, n_smallest = sizes[0]["n"], sizes[-1]["n"]
    print(f"largest unit: {largest.name} ({n_largest} cases); smallest: {smallest.name} ({n_smallest} cases)")
    columns = f"{'cases':>7} {'wall':>10} {'own time':>10} {'rate':>10} {'peak mem':>11} {'≥1000/s':>8}"
    print(f"{'step':<34} {columns}")
    baseline = run(["shell", "-c", "pass"])[1]
    print(f"{'(a vern process doing nothing)':<34} {'':>40} {baseline:>8.0f} MB")

    # The documents go on the disk the database and the project are on (var/, not in git), as an
    # operator's export folder would: on some machines /tmp costs a millisecond per file created.
    (REPO / "var").mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="bench-register-", dir=REPO / "var") as folder:
        print(f"documents in {folder}: {_create_ms(Path(folder)):.2f} ms to create a file")
        out = Path(folder) / "largest"
        line(
            "export, all cases (largest unit)",
            n_largest,
            run(["export_register", "--unit", unit_code(largest), "--out", str(out)]),
        )
        alone = ["export_register", "--unit", unit_code(largest), "--out", str(Path(folder) / "alone")]
        line("  the same in one process", n_largest, run(alone, workers=1), goal=False)
        smaller = ["export_register", "--unit", unit_code(smallest), "--out", str(Path(folder) / "smallest")]
        line("export, all cases (smallest unit)", n_smallest, run(smaller))
        changes = [
            "export_register",
            "--unit",
            unit_code(largest),
            "--out",
            str(Path(folder) / "changes"),
            "--changes",
        ]
        line("export --changes, none changed", n_largest, run(changes))
        line(
            "check_register --unit",
            n_largest,
            run(["check_register", "--unit", unit_code(largest)]),
            goal=False,
        )
        line("check_register --file", n_largest, run(["check_register", "--file", str(out)]), goal=False)

        target = import_database_url()
        run(["migrate", "-v0"], database_url=target)
        run(["seed", "--scale", args.scale, "--seed", str(args.seed), "--children", "0"], database_url=target)
        imported = run(["import_register", str(out)], database_url=target)
        line("import_register (empty database)", n_largest, imported, after="importert")
        # The command then computes the imported cases' deadlines for the worklists (ADR 0010).
        line("  then the worklists' deadlines", n_largest, imported, goal=False, after="Frister")
        again = run(["import_register", str(out)], database_url=target)
        line("import_register again (no change)", n_largest, again, goal=False, after="importert")
    print(f"goals: export and import ≥ {GOAL_RATE:.0f} cases/s; export peak memory < {GOAL_MEMORY_MB:.0f} MB")


if __name__ == "__main__":
    main()
