"""Two systems that talk: the district's Vern and the agency's Vern, each its own process with its
own database and its own server on loopback, exchanging Bufdir's referral messages through a shared
folder (``vern exchange`` on each side, as cron or a timer would run it).

A caseworker orders MST in the district's system; the agency's intake gives an offer, holds the start
meeting, sends an evaluation and the final report in the agency's system; the caseworker sees each
step on the referral in hers. Then a second order is withdrawn, and a third arrives damaged on the
way: the agency's system refuses it with a feilmelding that the caseworker sees on her referral.
"""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings

from tests.browser.conftest import check_accessible, login
from tests.browser.two_systems import AGENCY_ORGNR, DISTRICT_ORGNR
from vern.core.dates import today
from vern.core.models import User

pytestmark = pytest.mark.browser
REPO = Path(__file__).resolve().parents[2]
VERN = str(REPO / ".venv" / "bin" / "vern")
SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


@dataclass
class System:
    name: str
    env: dict[str, str]
    base: str = ""
    facts: dict[str, Any] | None = None

    def vern(self, *args: str) -> str:
        done = subprocess.run(  # noqa: S603 - our own command
            [VERN, *args], env=self.env, cwd=REPO, capture_output=True, text=True, timeout=300, check=False
        )
        assert done.returncode == 0, f"{self.name}: vern {' '.join(args)}\n{done.stdout}\n{done.stderr}"
        return done.stdout

    def exchange(self) -> str:
        return self.vern("exchange")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _databases(tmp: Path) -> Iterator[tuple[str, str]]:
    """A database URL for each system, on the backend this test run uses."""
    db = settings.DATABASES["default"]
    if db["ENGINE"].endswith("sqlite3"):
        yield from ((name, f"sqlite:///{tmp / name}.sqlite3") for name in ("district", "agency"))
        return
    import psycopg

    suffix = uuid.uuid4().hex[:8]
    server = f"postgresql://{db['USER']}:{db['PASSWORD']}@{db['HOST']}:{db['PORT']}"
    names = {name: f"vern_two_{name}_{suffix}" for name in ("district", "agency")}
    with psycopg.connect(f"{server}/postgres", autocommit=True) as connection:
        for database in names.values():
            connection.execute(f'CREATE DATABASE "{database}"')
    yield from ((name, f"{server}/{database}") for name, database in names.items())


@pytest.fixture
def systems(tmp_path: Path) -> Iterator[dict[str, System]]:
    shared = tmp_path / "utveksling"
    shared.mkdir()
    found: dict[str, System] = {}
    for name, url in _databases(tmp_path):
        env = {
            **os.environ,
            "VERN_ENV": "demo",
            "DATABASE_URL": url,
            "VERN_EXCHANGE_FOLDER": str(shared),
            "VERN_LOG_LEVEL": "ERROR",
        }
        env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        found[name] = System(name, env)
    migrations = [
        subprocess.Popen([VERN, "migrate", "-v0"], env=s.env, cwd=REPO, stderr=subprocess.PIPE)  # noqa: S603
        for s in found.values()
    ]
    for process in migrations:
        assert process.wait(timeout=600) == 0, process.stderr.read() if process.stderr else ""
    for system in found.values():
        setup = subprocess.run(  # noqa: S603 - our own module
            [sys.executable, "-m", "tests.browser.two_systems", system.name, SECRET],
            env=system.env,
            cwd=REPO,
            capture_output=True,
            text=True,
            timeout=300,
            check=True,
        )
        system.facts = json.loads(setup.stdout.strip().splitlines()[-1])
    district, agency = found["district"], found["agency"]
    # Each system learns of the other with Vern's own commands; the catalogue travels as a file.
    agency.vern(
        "exchange_partner", "--orgnr", DISTRICT_ORGNR, "--name", "Bydel Alna", "--municipality", "0301",
        "--district", "12", "--kind", "service",
    )  # fmt: skip
    district.vern(
        "exchange_partner", "--orgnr", AGENCY_ORGNR, "--name", "Barne- og familieetaten",
        "--municipality", "0301", "--kind", "provider",
    )  # fmt: skip
    catalogue = tmp_path / "tiltak.json"
    agency.vern("exchange_catalogue", "export", "--provider", AGENCY_ORGNR, "--out", str(catalogue))
    district.vern("exchange_catalogue", "import", str(catalogue))
    servers = []
    for system in found.values():
        port = _free_port()
        system.base = f"http://127.0.0.1:{port}"
        servers.append(
            subprocess.Popen(  # noqa: S603 - our own server
                [VERN, "serve", "--port", str(port), "--threads", "4"],
                env=system.env,
                cwd=REPO,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
        )
    for system in found.values():
        deadline = time.monotonic() + 60
        while True:
            try:
                socket.create_connection(("127.0.0.1", int(system.base.rsplit(":", 1)[1])), timeout=1).close()
                break
            except OSError:
                assert time.monotonic() < deadline, f"{system.name}'s server did not start"
                time.sleep(0.2)
    try:
        yield found
    finally:
        for server in servers:
            server.terminate()
            server.wait(timeout=30)


def _person(username: str) -> User:
    return User(username=username)  # only its name is used to log in; it lives in the other database


def _eventually(page: Any, url: str, text: str) -> None:
    """The page shows ``text`` (the exchange has run; reloading shows what the database holds)."""
    page.goto(url)
    assert page.get_by_text(text).first.is_visible(), f"{text!r} not on {url}"


def test_two_systems_carry_a_referral_from_order_to_final_report(
    *, systems: dict[str, System], browser: Any
) -> None:
    district, agency = systems["district"], systems["agency"]
    assert district.facts is not None
    assert agency.facts is not None
    worker = browser.new_context(locale="en-US", timezone_id="Europe/Oslo").new_page()
    intake = browser.new_context(locale="en-US", timezone_id="Europe/Oslo").new_page()
    login(worker, district.base, _person(district.facts["user"]), SECRET)
    login(intake, agency.base, _person(agency.facts["user"]), SECRET)

    def order(need: str) -> str:
        worker.goto(f"{district.base}/saker/{district.facts['case']}/")  # type: ignore[index]
        worker.get_by_role("link", name="Bestill et tiltak fra tiltaksvifta").click()
        worker.get_by_role("link", name="Bestill MST-team Øst").click()
        worker.get_by_label("Hva barnet og familien trenger").fill(need)
        worker.get_by_role("button", name="Send bestillingen").click()
        worker.wait_for_url("**/henvisninger/*/")
        return str(worker.url)

    # 1. The order leaves the district's system as a henvisning and reaches the agency's intake.
    first = order("Sinneutbrudd hjemme og mye fravær fra skolen.")
    assert agency.exchange().startswith("sendt 0, mottatt 1,")
    intake.goto(f"{agency.base}/tilbyder/henvisninger/")
    check_accessible(intake)
    intake.get_by_role("link", name="MST-team Øst").click()
    assert intake.get_by_text("Sinneutbrudd hjemme").is_visible()
    assert intake.get_by_text("Jonas Berg").first.is_visible()
    assert intake.get_by_role("link", name=re.compile("^Sak ")).count() == 0  # the case stays home
    agency_referral = intake.url
    district.exchange()  # the applikasjonskvittering
    _eventually(worker, first, "Registrert hos mottakeren")

    # 2. Offer, start meeting, evaluation and final report, each seen in the district's system.
    day = today()
    intake.locator("#id_offer-start_on").fill(day.isoformat())
    intake.get_by_role("button", name="Gi tilsagn").click()
    assert intake.get_by_text("Tilsagnet er gitt.").is_visible()
    agency.exchange()
    district.exchange()
    _eventually(worker, first, "Tilsagn gitt")
    intake.locator("#id_start-start_meeting_on").fill(day.isoformat())
    intake.locator("#id_start-starts_on").fill(day.isoformat())
    intake.locator("#id_start-ends_on").fill((day + timedelta(days=120)).isoformat())
    intake.locator("#id_start-evaluation_on").fill((day + timedelta(days=60)).isoformat())
    intake.get_by_role("button", name="Start", exact=True).click()
    assert intake.get_by_text("Oppdraget har startet.").is_visible()
    for kind, text in (("evaluation", "Færre konflikter hjemme."), ("final", "Målene er nådd.")):
        intake.locator("#id_report-kind").select_option(kind)
        intake.locator("#id_report-written_on").fill(day.isoformat())
        intake.locator("#id_report-text").fill(text)
        intake.get_by_role("button", name="Send", exact=True).click()
        assert intake.get_by_text("Rapporten er sendt").is_visible()
    agency.exchange()
    district.exchange()
    _eventually(worker, first, "Målene er nådd.")
    assert worker.get_by_text("Færre konflikter hjemme.").is_visible()
    assert worker.get_by_text("Fullført").first.is_visible()
    assert worker.get_by_text("Oppdrag startet").first.is_visible()
    check_accessible(worker)
    agency.exchange()  # the district's receipts
    _eventually(intake, agency_referral, "Fullført")
    assert intake.get_by_text("Avvist", exact=True).count() == 0

    # 3. A second order is withdrawn before the agency answers: the agency sees it withdrawn.
    second = order("Ny bestilling etter ny melding.")
    worker.locator("#id_withdraw-note").fill("Familien har flyttet til en annen kommune.")
    worker.get_by_role("button", name="Trekk", exact=True).click()
    assert agency.exchange().startswith("sendt 0, mottatt 2,")  # the henvisning and its withdrawal
    intake.goto(f"{agency.base}/tilbyder/henvisninger/")
    assert intake.get_by_role("link", name="MST-team Øst").count() == 0  # neither open nor running
    district.exchange()
    _eventually(worker, second, "Registrert hos mottakeren")
    assert worker.get_by_text("Registrert hos mottakeren").count() == 2  # the henvisning and the withdrawal

    # 4. A third order is damaged on the way: the agency's system refuses it with a feilmelding.
    third = order("Tredje bestilling.")
    inbox = Path(district.env["VERN_EXCHANGE_FOLDER"]) / AGENCY_ORGNR
    (waiting,) = inbox.glob("*.xml")
    waiting.write_bytes(
        re.sub(
            rb"<Fodselsdato>[^<]*</Fodselsdato>",
            b"<Fodselsdato>2011-13-45</Fodselsdato>",
            waiting.read_bytes(),
        )
    )
    assert "avvist 1" in agency.exchange()
    district.exchange()
    _eventually(worker, third, "Avvist av mottakeren")
    assert worker.get_by_text("Fodselsdato").first.is_visible()
    check_accessible(worker)
