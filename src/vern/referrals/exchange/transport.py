"""How protocol messages travel between two systems. One small interface; the default is a folder
both systems can reach (a network share, or KS Fiks IO's client's folders), with one inbox per
organisation number: ``<folder>/<organisation number>/<message id>.xml``. A received file is moved
to the inbox's ``behandlet/`` once the message is stored, never deleted."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from django.conf import settings

from vern.core.files import write_atomically

DONE = "behandlet"


@dataclass(frozen=True)
class Envelope:
    """A message waiting in an inbox: its name and bytes, and how to mark it handled."""

    name: str
    data: bytes
    path: Path

    def done(self) -> None:
        target = self.path.parent / DONE
        target.mkdir(exist_ok=True)
        self.path.replace(target / self.path.name)


class ExchangeTransport(Protocol):
    def send(self, organisation_number: str, name: str, data: bytes) -> None:
        """Deliver the message to the organisation's inbox or raise; a message that raised is sent again."""

    def inbox(self, organisation_numbers: Iterable[str]) -> Iterator[Envelope]:
        """The messages waiting for these organisations, oldest first."""


class SharedFolder:
    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def send(self, organisation_number: str, name: str, data: bytes) -> None:
        inbox = self.folder / organisation_number
        inbox.mkdir(parents=True, exist_ok=True)
        write_atomically(inbox / name, data)

    def inbox(self, organisation_numbers: Iterable[str]) -> Iterator[Envelope]:
        for number in sorted(set(organisation_numbers)):
            paths = sorted((self.folder / number).glob("*.xml"), key=lambda p: (p.stat().st_mtime, p.name))
            for path in paths:
                yield Envelope(path.name, path.read_bytes(), path)


def default_transport() -> ExchangeTransport:
    return SharedFolder(Path(settings.VERN_EXCHANGE_FOLDER))
