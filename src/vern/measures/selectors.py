from __future__ import annotations

from vern.cases.selectors import get_in_case_for
from vern.core.models import User
from vern.measures.models import Measure, Plan


def get_measure_for(user: User, measure_id: int, *, write: bool = False) -> Measure:
    return get_in_case_for(
        user, Measure.objects.select_related("decision"), measure_id, what="measure", write=write
    )


def get_plan_for(user: User, plan_id: int, *, write: bool = False) -> Plan:
    return get_in_case_for(user, Plan.objects.all(), plan_id, what="plan", write=write)
