from __future__ import annotations

from django.http import Http404

from vern.cases.selectors import visible_cases, writable_cases
from vern.core.audit import audit
from vern.core.models import AuditEntry, User
from vern.investigations.models import Investigation


def get_investigation_for(user: User, investigation_id: int, *, write: bool = False) -> Investigation:
    cases = writable_cases(user) if write else visible_cases(user)
    inv = (
        Investigation.objects.filter(case__in=cases, pk=investigation_id)
        .select_related("case", "case__unit", "case__child", "report")
        .first()
    )
    if inv is None:
        raise Http404
    if not write:
        audit(
            user=user,
            action=AuditEntry.Action.VIEW,
            what=f"investigation {inv.pk}",
            case_id=inv.case_id,
            unit=inv.case.unit,
        )
    return inv
