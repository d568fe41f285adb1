"""Writing the audit log. Call inside the transaction that reads or changes the data (ADR 0002, 0013)."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from typing import Any, ParamSpec

from django.db import models, transaction

from vern.core.audit_events import MODELS, AuditEvent, ObjectKind
from vern.core.models import AuditEntry, Unit, User

# What an event says besides its type and object: plain values, rendered in words by the access log.
Extra = Mapping[str, str | int | None]

_REASON_LENGTH = AuditEntry._meta.get_field("reason").max_length or 0
P = ParamSpec("P")


def audit_row(
    *,
    event: AuditEvent,
    by: User | None,
    obj: models.Model | None = None,
    case_id: int | None = None,
    unit: Unit | None = None,
    extra: Extra | None = None,
    reason: str = "",
) -> dict[str, Any]:
    """The fields of one audit row, checked: for ``core.bulk.Table`` where many are written at once.

    ``obj`` must be a row of the model the event's kind names; an event on a case takes the case
    from ``case_id``. Nothing is cut: a reason longer than the column is refused.
    """
    kind = event.kind
    if event is AuditEvent.LEGACY or kind is None:
        raise ValueError("Legacy audit rows are only written by the migration that made event types")
    object_id: int | None = None
    if obj is not None:
        if obj._meta.label_lower != MODELS[kind]:
            raise TypeError(f"{event.value} is about a {MODELS[kind]}, not a {obj._meta.label_lower}")
        object_id = obj.pk
    elif kind is ObjectKind.CASE:
        object_id = case_id
    if len(reason) > _REASON_LENGTH:
        raise ValueError(f"An audit reason has at most {_REASON_LENGTH} characters")
    values = dict(extra or {})
    json.dumps(values)  # refuse at once what the JSON column could not store
    return {
        "user": by if by is not None and by.is_authenticated else None,
        "unit": unit,
        "case_id": case_id,
        # Plain strings: core.bulk hands values to the driver as they are.
        "action": event.action.value,
        "event": event.value,
        "object_id": object_id,
        "extra": values,
        "reason": reason,
    }


def _appended(row: Callable[P, dict[str, Any]]) -> Callable[P, AuditEntry]:
    def append(*args: P.args, **kwargs: P.kwargs) -> AuditEntry:
        if not transaction.get_connection().in_atomic_block:
            # A read or write without a transaction could commit the data but lose the audit row.
            raise RuntimeError("audit() must run inside the transaction of the access it records")
        return AuditEntry.objects.create(**row(*args, **kwargs))

    return append


# The one way to write the audit log: ``audit(event=..., by=..., obj=..., case_id=..., unit=...,
# extra=..., reason=...)`` appends the row ``audit_row`` makes of the same arguments: ``by`` did
# ``event`` to ``obj`` (in case ``case_id``, of ``unit``); ``extra`` holds what else the event says
# as values (a status code, a month), never the case's content (no names, no addresses).
audit = _appended(audit_row)
