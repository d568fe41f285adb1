from __future__ import annotations

from vern.cases.selectors import get_in_case_for
from vern.core.audit_events import AuditEvent
from vern.core.models import User
from vern.investigations.models import Investigation


def get_investigation_for(user: User, investigation_id: int, *, write: bool = False) -> Investigation:
    items = Investigation.objects.select_related("report")
    return get_in_case_for(user, items, investigation_id, event=AuditEvent.INVESTIGATION_VIEWED, write=write)
