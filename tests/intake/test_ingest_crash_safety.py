"""Kill the ingest with SIGKILL at random moments, again and again: no report lost, none doubled,
and every ``mottatt`` receipt stands for a stored report.

The ingest runs as a real ``vern ingest_concerns`` process against a scratch database of the same
backend as the test run (a SQLite file, or a new PostgreSQL database beside the test one).
VERN_KILL_CYCLES and VERN_KILL_MESSAGES set the number of runs and of messages (default 12 and 400;
the closing note's figures come from a longer run).
"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from tests.intake.conftest import EXAMPLES

pytestmark = pytest.mark.slow
SRC = Path(__file__).resolve().parents[2] / "src"
MESSAGES = int(os.environ.get("VERN_KILL_MESSAGES", "400"))
SETUP = (
    "from vern.core.models import District, Municipality, Unit\n"
    "m = Municipality.objects.create(number='1201', name='Bergen', organisation_number='964338531')\n"
    "d = District.objects.create(municipality=m, number='02', name='Bergenhus')\n"
    "Unit.objects.create(name='Bergenhus', host_municipality=m, district=d).municipalities.add(m)\n"
)


@contextmanager
def scratch_database(tmp_path: Path) -> Iterator[str]:
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        yield f"sqlite:///{tmp_path / 'crash.sqlite3'}"
        return
    import psycopg

    name = f"vern_crash_{os.getpid()}"
    with psycopg.connect(url, autocommit=True) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {name}")
        admin.execute(f"CREATE DATABASE {name}")
    try:
        yield url.rsplit("/", 1)[0] + f"/{name}"
    finally:
        with psycopg.connect(url, autocommit=True) as admin:
            admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def _env(url: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST")}
    env.update(DATABASE_URL=url, VERN_ENV="test", DJANGO_SETTINGS_MODULE="vern.settings")
    env["PYTHONPATH"] = os.pathsep.join([str(SRC), env.get("PYTHONPATH", "")])
    return env


def _manage(url: str, *args: str) -> subprocess.CompletedProcess[str]:
    # Fixed argv built from sys.executable and constant arguments: no untrusted input.
    return subprocess.run(  # noqa: S603
        [sys.executable, "-m", "django", *args], env=_env(url), capture_output=True, text=True, check=True
    )


def _messages(inbox: Path) -> dict[str, bool]:
    """MESSAGES files: mostly valid public reports with two children each, some broken. id -> valid."""
    template = json.loads((EXAMPLES / "offentligBekymringsmeldingV2.json").read_text())
    expected = {}
    for n in range(MESSAGES):
        message_id = f"00000000-0000-4000-8000-{n:012d}"
        valid = n % 7 != 3
        body = dict(template, melding={"melding": f"Bekymring nummer {n}", "historie": "Historie"})
        # Broken messages differ too: byte-identical ones would rightly count as one message delivered twice.
        raw = json.dumps(body).encode() if valid else f'{{"kommunenummer": "1201", "brutt": {n}'.encode()
        (inbox / f"{n:03d}.json").write_bytes(raw)
        (inbox / f"{n:03d}.meta.json").write_text(json.dumps({"meldingId": message_id}))
        expected[message_id] = valid
    return expected


def _rows(url: str) -> dict[str, Any]:
    script = (
        "import json\n"
        "from django.db.models import Count\n"
        "from vern.intake.models import InboundMessage, Receipt\n"
        "rows = InboundMessage.objects.annotate(n=Count('reports'))\n"
        "rows = rows.values_list('message_id', 'status', 'n')\n"
        "messages = {message_id: [status, n] for message_id, status, n in rows}\n"
        "unsent = Receipt.objects.filter(sent_at=None).count()\n"
        "print(json.dumps({'messages': messages, 'unsent': unsent}))\n"
    )
    return json.loads(_manage(url, "shell", "-c", script).stdout.strip().splitlines()[-1])


def test_killing_the_ingest_loses_nothing_and_doubles_nothing(tmp_path: Path) -> None:
    cycles = int(os.environ.get("VERN_KILL_CYCLES", "12"))
    rng = random.Random(2026)
    inbox, outbox = tmp_path / "inn", tmp_path / "ut"
    inbox.mkdir()
    with scratch_database(tmp_path) as url:
        _manage(url, "migrate", "--noinput", "-v", "0")
        _manage(url, "shell", "-c", SETUP)
        expected = _messages(inbox)
        command = [sys.executable, "-m", "django", "ingest_concerns", str(inbox), "--outbox", str(outbox)]
        kills = runs = 0
        for _cycle in range(cycles):
            runs += 1
            # Same fixed argv as above: no untrusted input.
            process = subprocess.Popen(  # noqa: S603
                command, env=_env(url), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
            )
            time.sleep(rng.uniform(0.7, 1.8))
            if process.poll() is None:
                process.send_signal(signal.SIGKILL)
                kills += 1
            process.wait()
            if not list(inbox.glob("*.json")):
                break
        # And once more to the end, as the operator would after a crash.
        _manage(url, "ingest_concerns", str(inbox), "--outbox", str(outbox))
        state = _rows(url)

    assert not list(inbox.glob("*.json")), "every message was ingested in the end"
    stored = state["messages"]
    assert set(stored) == set(expected), "every message is present, exactly once (message id is unique)"
    for message_id, valid in expected.items():
        status, reports = stored[message_id]
        assert (status, reports) == (("accepted", 2) if valid else ("quarantined", 0)), message_id
    assert state["unsent"] == 0
    receipted = {json.loads(p.read_text())["svarPaMelding"] for p in outbox.glob("*.mottatt.json")}
    assert receipted == {m for m, valid in expected.items() if valid}, (
        "every mottatt stands for a stored report"
    )
    failed = {json.loads(p.read_text())["svarPaMelding"] for p in outbox.glob("*.feilet.json")}
    assert failed == {m for m, valid in expected.items() if not valid}
    print(f"kill cycles: {kills} kills in {runs} runs, messages {len(expected)}, lost 0")  # noqa: T201
