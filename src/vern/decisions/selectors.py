from __future__ import annotations

from vern.cases.selectors import get_in_case_for
from vern.core.audit_events import AuditEvent
from vern.core.models import User
from vern.decisions.models import Decision


def get_decision_for(user: User, decision_id: int, *, write: bool = False) -> Decision:
    items = Decision.objects.select_related("made_by", "investigation")
    return get_in_case_for(user, items, decision_id, event=AuditEvent.DECISION_VIEWED, write=write)
