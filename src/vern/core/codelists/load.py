"""Loading the register's code lists into the database (idempotent: insert new, update changed)."""

from __future__ import annotations

from typing import Any

from vern.core.codelists.parse import CodeEntry, load_bundled

_FIELDS = ("label", "group", "valid_from", "valid_to", "change_note", "sort_key")


def sync_code_lists(code_model: Any, entries: list[CodeEntry] | None = None) -> tuple[int, int]:
    """Upsert every entry; codes are never deleted, since historic records keep their codes.

    ``code_model`` is passed in so a data migration can use its historical model.
    Returns (created, updated).
    """
    entries = entries if entries is not None else load_bundled()
    existing = {(c.list_path, c.code): c for c in code_model.objects.all()}
    created, updated = [], []
    for position, entry in enumerate(entries):
        values = {
            "label": entry.label,
            "group": entry.group,
            "valid_from": entry.valid_from,
            "valid_to": entry.valid_to,
            "change_note": entry.change_note,
            "sort_key": position,
        }
        current = existing.get((entry.list_path, entry.code))
        if current is None:
            created.append(code_model(list_path=entry.list_path, code=entry.code, **values))
        elif any(getattr(current, key) != value for key, value in values.items()):
            for key, value in values.items():
                setattr(current, key, value)
            updated.append(current)
    code_model.objects.bulk_create(created)
    if updated:
        code_model.objects.bulk_update(updated, list(_FIELDS))
    from vern.core import codes  # here: a migration imports this module

    codes.forget()  # bulk writes send no signals
    return len(created), len(updated)
