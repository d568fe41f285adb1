"""Headless Chromium (Debian's, no browser download) driven by Playwright against the live server."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyotp
import pytest

from tests.conftest import PASSWORD
from vern.core.models import User

CHROMIUM = os.environ.get("VERN_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}: ./run test installs Debian's chromium package")
    # Playwright's sync API runs an event loop; Django refuses sync ORM calls inside one unless told.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    # An English browser on purpose: the interface must be bokmål whatever the browser asks for.
    context = browser.new_context(locale="en-US", timezone_id="Europe/Oslo")
    page = context.new_page()
    yield page
    context.close()


def axe_violations(page: Any, *, inject: bool = True) -> list[dict[str, Any]]:
    """Serious and critical WCAG 2.1 A/AA violations found by axe-core on the current page.

    ``inject=False`` when the page's context already loads axe-core (``context.add_init_script``).
    """
    if inject:
        page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        """async () => await axe.run(document, {
            runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']},
            resultTypes: ['violations']
        })"""
    )
    return [
        {"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"]][:5]}
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def login(page: Any, base: str, user: User, secret: str) -> None:
    """Log in through both factors, checking the login pages with axe-core on the way."""
    page.goto(f"{base}/logg-inn/")
    assert not axe_violations(page)
    page.get_by_label("Brukernavn").fill(user.username)
    page.get_by_label("Passord").fill(PASSWORD)
    page.get_by_role("button", name="Neste").click()
    page.wait_for_url("**/logg-inn/kode/")
    assert not axe_violations(page)
    page.get_by_label("Kode fra autentiseringsappen").fill(pyotp.TOTP(secret).now())
    page.get_by_role("button", name="Logg inn").click()
    page.wait_for_load_state()


def enrol(user: User) -> str:
    secret = pyotp.random_base32()
    user.totp_secret = secret
    user.totp_confirmed = True
    user.save()
    return secret


def check_accessible(page: Any) -> None:
    violations = axe_violations(page)
    assert not violations, violations
