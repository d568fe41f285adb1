"""Writing the audit log. Call inside the transaction that reads or changes the data."""

from __future__ import annotations

from django.db import transaction

from vern.core.models import AuditEntry, Unit, User


def audit(
    *,
    user: User | None,
    action: str,
    what: str,
    case_id: int | None = None,
    unit: Unit | None = None,
    reason: str = "",
) -> AuditEntry:
    """Append one audit row. ``what`` names the record, never its content (no names, no addresses)."""
    if not transaction.get_connection().in_atomic_block:
        # A read or write without a transaction could commit the data but lose the audit row.
        raise RuntimeError("audit() must run inside the transaction of the access it records")
    return AuditEntry.objects.create(
        user=user if user is not None and user.is_authenticated else None,
        action=action,
        what=what[:200],
        case_id=case_id,
        unit=unit,
        reason=reason[:500],
    )
