"""Where deliveries to the register go. One small interface; the default writes each delivery into an
outbox folder, from which the national message service's client sends it (it is not reachable from
here)."""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import Protocol

from django.conf import settings

from vern.core.files import write_atomically
from vern.register.models import Delivery


class RegisterTransport(Protocol):
    def send(self, delivery: Delivery, documents: Iterable[tuple[str, bytes]]) -> None:
        """Hand over every document of the delivery, or raise; a delivery that raised is not marked sent."""


class OutboxFolder:
    """``<outbox>/<delivery id>/<file>.xml`` for each document, then ``manifest.json`` last: a reader
    that sees the manifest sees the whole delivery."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def send(self, delivery: Delivery, documents: Iterable[tuple[str, bytes]]) -> None:
        target = self.folder / str(delivery.delivery_id)
        target.mkdir(parents=True, exist_ok=True)
        names = []
        for name, body in documents:
            write_atomically(target / name, body)
            names.append(name)
        manifest = {"delivery_id": str(delivery.delivery_id), "documents": names}
        write_atomically(target / "manifest.json", json.dumps(manifest, indent=2).encode())


def default_transport() -> RegisterTransport:
    return OutboxFolder(Path(settings.VERN_REGISTER_OUTBOX))
