"""The user interface is Norwegian: every message in the bokmål catalogue has a translation."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

CATALOGUE = Path(__file__).resolve().parents[2] / "src/vern/locale/nb/LC_MESSAGES/django.po"


def test_every_message_is_translated_and_none_is_fuzzy() -> None:
    msgattrib = shutil.which("msgattrib")
    if msgattrib is None:  # pragma: no cover - ./run installs gettext
        pytest.fail("gettext's msgattrib is missing; run ./run setup")
    for flag in ("--untranslated", "--only-fuzzy"):
        left = subprocess.run(  # noqa: S603 - fixed arguments, our own catalogue
            [msgattrib, flag, "--no-obsolete", "--no-location", str(CATALOGUE)],
            capture_output=True, text=True, check=True,
        ).stdout  # fmt: skip
        # The output is empty, or the header followed by the offending entries.
        entries = [block for block in left.split("\n\n")[1:] if block.strip()]
        assert not entries, f"{flag[2:]} messages in {CATALOGUE.name}:\n" + "\n\n".join(entries)
