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

    ./run bench register [--scale oslo|small|national] [--seed 1] [--repeat 3]

Each step runs ``--repeat`` times (each import into a new copy of the empty database): on a machine
shared with others one run can take twice as long as the next. The table shows the median of the
command's own time and the best; the verdict is on the median, the memory the largest seen.

Goals: export and import at least 1,000 cases/s, export peak memory under 300 MB whatever the size.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
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
        lines = text.splitlines()  # a refused import lists every problem: thousands of lines
        more = f"\n… and {len(lines) - 40} lines more" if len(lines) > 40 else ""
        sys.exit(f"vern {' '.join(args)} failed ({code}):\n" + "\n".join(lines[:40]) + more)
    return seconds, peak, text


def own_seconds(text: str, after: str = "") -> float | None:
    """The time the command reports for its own work (without starting Python and Django): the last
    one it prints, or the first after the words ``after``."""
    found = re.findall(rf"{after}.*?([0-9]+[.][0-9]) s\b" if after else r"([0-9]+[.][0-9]) s\b", text)
    return float(found[0 if after else -1]) if found else None


def new_database(suffix: str, *, template: str | None = None) -> str:
    """A new database ``<database>_<suffix>`` (dropped first if there), empty or a copy of
    ``template``'s; its URL."""
    settings = connection.settings_dict
    name = f"{settings['NAME']}_{suffix}"
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
        copy = f' TEMPLATE "{settings["NAME"]}_{template}"' if template else ""
        cursor.execute(f'CREATE DATABASE "{name}"{copy}')
    user = settings["USER"]
    password = f":{settings['PASSWORD']}" if settings.get("PASSWORD") else ""
    return f"postgres://{user}{password}@{settings['HOST']}:{settings['PORT']}/{name}"


def _reference_seconds() -> float:
    """CPU seconds for a fixed pure-Python loop: how fast this machine is just now. On a shared
    machine it varies (4x within an hour has been seen); figures are comparable at equal speed."""
    started = time.process_time()
    total = 0
    for i in range(5_000_000):
        total += i
    return time.process_time() - started


def _create_ms(folder: Path, n: int = 200) -> float:
    """What the file system costs per document file created, here."""
    started = time.perf_counter()
    for i in range(n):
        (folder / f"probe-{i}.xml").write_bytes(b"x" * 4000)
    seconds = time.perf_counter() - started
    for i in range(n):
        (folder / f"probe-{i}.xml").unlink()
    return seconds / n * 1000


Run = tuple[float, float, str]


def repeated(times: int, step: Callable[[int], Run]) -> list[Run]:
    return [step(i) for i in range(times)]


def line(name: str, cases: int, runs: list[Run], *, goal: bool = True, after: str = "") -> None:
    walls = [wall for wall, _memory, _text in runs]
    own = [own_seconds(text, after) or wall for wall, _memory, text in runs]
    seconds, best = statistics.median(own), min(own)
    rate = cases / seconds if seconds else 0.0
    verdict = ("yes" if rate >= GOAL_RATE else "NO") if goal else "-"
    timing = f"{statistics.median(walls):>8.1f} s {seconds:>8.1f} s {best:>6.1f} s {rate:>8.0f}/s"
    memory = max(memory for _wall, memory, _text in runs)
    print(f"{name:<34} {cases:>7} {timing} {memory:>8.0f} MB {verdict:>8}")


def exports(
    base: Path, *, largest: Unit, smallest: Unit, n_largest: int, n_smallest: int, times: int
) -> Path:
    """The export and control lines; the folder of the largest unit's first delivery."""

    def export(unit: Unit, name: str, *extra: str, workers: int | None = None) -> Callable[[int], Run]:
        return lambda i: run(
            ["export_register", "--unit", unit_code(unit), "--out", str(base / f"{name}-{i}"), *extra],
            workers=workers,
        )

    line("export, all cases (largest unit)", n_largest, repeated(times, export(largest, "largest")))
    alone = repeated(times, export(largest, "alone", workers=1))
    line("  the same in one process", n_largest, alone, goal=False)
    line("export, all cases (smallest unit)", n_smallest, repeated(times, export(smallest, "smallest")))
    changes = repeated(times, export(largest, "changes", "--changes"))
    line("export --changes, none changed", n_largest, changes)
    out = base / "largest-0"
    check_unit = ["check_register", "--unit", unit_code(largest)]
    line("check_register --unit", n_largest, repeated(times, lambda _i: run(check_unit)), goal=False)
    check_file = ["check_register", "--file", str(out)]
    line("check_register --file", n_largest, repeated(times, lambda _i: run(check_file)), goal=False)
    return out


def imports(out: Path, *, cases: int, scale: str, seed: int, times: int) -> None:
    """The import lines: the documents in ``out`` into a database with the same organisation."""
    # The organisation without children, once; each import into a new copy of it.
    empty = new_database("import_empty")
    run(["migrate", "-v0"], database_url=empty)
    run(["seed", "--scale", scale, "--seed", str(seed), "--children", "0"], database_url=empty)

    def import_into_a_copy(_i: int) -> Run:
        return run(
            ["import_register", str(out)], database_url=new_database("import", template="import_empty")
        )

    imported = repeated(times, import_into_a_copy)
    line("import_register (empty database)", cases, imported, after="importert")
    # The command then computes the imported cases' deadlines for the worklists (ADR 0010).
    line("  then the worklists' deadlines", cases, imported, goal=False, after="Frister")
    target = new_database("import", template="import_empty")
    run(["import_register", str(out)], database_url=target)
    again = repeated(times, lambda _i: run(["import_register", str(out)], database_url=target))
    line("import_register again (no change)", cases, again, goal=False, after="importert")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scale", choices=("small", "oslo", "national"), default="oslo")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=3, help="runs of each step (default 3)")
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
    columns = (
        f"{'cases':>7} {'wall':>10} {'own time':>10} {'best':>8} {'rate':>10} {'peak mem':>11} {'≥1000/s':>8}"
    )
    print(f"{'step':<34} {columns}")
    before = _reference_seconds()
    baseline = run(["shell", "-c", "pass"])[1]
    print(f"{'(a vern process doing nothing)':<34} {'':>49} {baseline:>8.0f} MB")

    # The documents go on the disk the database and the project are on (var/, not in git), as an
    # operator's export folder would: on some machines /tmp costs a millisecond per file created.
    (REPO / "var").mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="bench-register-", dir=REPO / "var") as folder:
        print(f"documents in {folder}: {_create_ms(Path(folder)):.2f} ms to create a file")
        out = exports(
            Path(folder),
            largest=largest,
            smallest=smallest,
            n_largest=n_largest,
            n_smallest=n_smallest,
            times=args.repeat,
        )
        imports(out, cases=n_largest, scale=args.scale, seed=args.seed, times=args.repeat)
    after = _reference_seconds()
    print(
        f"machine speed: a fixed Python loop took {before:.2f} s of CPU before the steps, {after:.2f} s after"
    )
    print(f"goals: export and import ≥ {GOAL_RATE:.0f} cases/s; export peak memory < {GOAL_MEMORY_MB:.0f} MB")


if __name__ == "__main__":
    main()
