"""Deliveries to the register as a leader makes them on the unit's page and an operator with
``vern export_register`` / ``vern send_register``: the same functions, each audited."""

from __future__ import annotations

import uuid
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from vern.core.audit import audit
from vern.core.audit_events import AuditEvent
from vern.core.models import Unit, User
from vern.register.export import ExportResult, export, send, unit_code
from vern.register.models import Delivery
from vern.register.transport import RegisterTransport


def delivery_folder(unit: Unit) -> Path:
    """A new folder for a delivery made on the page, under ``VERN_REGISTER_DELIVERIES``."""
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    return Path(settings.VERN_REGISTER_DELIVERIES) / f"{unit_code(unit)}-{stamp}-{uuid.uuid4().hex[:8]}"


def delivery_make(
    *,
    unit: Unit,
    by: User | None,
    changes: bool,
    folder: Path | None = None,
    run_by: str = "",
    workers: int | None = None,
) -> ExportResult:
    """The unit's delivery: every case, or with ``changes`` those changed since their previous
    document, written to ``folder`` (by default a new one, ``delivery_folder``) and logged with an
    audit row per document and one for the delivery. All or nothing (``export.DeliveryRejected``)."""
    return export(
        unit,
        folder=folder or delivery_folder(unit),
        changes=changes,
        run_by=run_by or (by.username if by else ""),
        user=by,
        workers=workers,
    )


def delivery_send(
    *, delivery: Delivery, by: User | None, transport: RegisterTransport | None = None
) -> Delivery:
    """Hand the delivery's documents, as kept, to the register's transport (by default its outbox)."""
    with transaction.atomic():
        send(delivery, transport)
        audit(
            event=AuditEvent.REGISTER_DELIVERY_SENT,
            by=by,
            obj=delivery,
            unit=delivery.unit,
            extra={"delivery_id": str(delivery.delivery_id)},
        )
    return delivery
