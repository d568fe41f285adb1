"""Files other systems read: written whole or not at all."""

from __future__ import annotations

import os
from pathlib import Path


def write_atomically(target: Path, data: bytes) -> None:
    """Written to a temporary name, flushed to disk and renamed: a reader never sees half a file,
    even if the process is killed."""
    temporary = target.with_name(target.name + ".part")
    with temporary.open("wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
    temporary.replace(target)
