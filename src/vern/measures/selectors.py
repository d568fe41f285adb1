from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from vern.cases.selectors import get_in_case_for
from vern.core.audit_events import AuditEvent
from vern.core.models import User
from vern.measures.models import Measure, Plan, Visit, VisitFrequency
from vern.rules import visits


def get_measure_for(user: User, measure_id: int, *, write: bool = False) -> Measure:
    return get_in_case_for(
        user,
        Measure.objects.select_related("decision"),
        measure_id,
        event=AuditEvent.MEASURE_VIEWED,
        write=write,
    )


def get_plan_for(user: User, plan_id: int, *, write: bool = False) -> Plan:
    return get_in_case_for(user, Plan.objects.all(), plan_id, event=AuditEvent.PLAN_VIEWED, write=write)


@dataclass(frozen=True)
class VisitHistory:
    """What rules.visits needs of some placements, per (measure, kind): frequencies and visit days."""

    frequencies: dict[tuple[int, str], list[visits.Frequency]]
    done: dict[tuple[int, str], list[date]]


def visit_history(measure_ids: Sequence[int], *, since: date | None = None) -> VisitHistory:
    """The frequencies (oldest first) and the visits (from ``since``) of these measures: two queries."""
    frequencies: dict[tuple[int, str], list[visits.Frequency]] = defaultdict(list)
    for measure_id, kind, start_on, code in (
        VisitFrequency.objects.filter(measure_id__in=measure_ids)
        .order_by("start_on")
        .values_list("measure_id", "kind", "start_on", "code")
    ):
        frequencies[(measure_id, kind)].append(visits.Frequency(start_on, code))
    done: dict[tuple[int, str], list[date]] = defaultdict(list)
    rows = Visit.objects.filter(measure_id__in=measure_ids)
    if since is not None:
        rows = rows.filter(visited_on__gte=since)
    for measure_id, kind, visited_on in rows.values_list("measure_id", "kind", "visited_on"):
        done[(measure_id, kind)].append(visited_on)
    return VisitHistory(frequencies, done)
