"""The access log in words: each audit row as a Norwegian sentence, from its event type (ADR 0013).

"Kari Hansen åpnet tiltaket «Besøkshjem» fra 01.02.2026", with a link to the measure. The sentence
comes from the event type (``core.audit_events``), the object in words from the object's row as
it is now (one query per kind of object on the page), and what else the event says from its
``extra`` values. Nothing is read from stored prose, but for the rows written before event types
that no known form matched (``AuditEvent.LEGACY``). Read-only over every stage, as the chronology.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING

from django.db.models import Model, TextChoices
from django.urls import reverse
from django.utils.formats import date_format, number_format
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from vern.core.audit_events import AuditEvent, ObjectKind
from vern.core.codelists import paths
from vern.core.dates import local_date
from vern.core.models import AuditEntry, Code, Unit, User
from vern.core.templatetags.vern import day
from vern.decisions.models import BoardReferral, Decision, PrivateClaim
from vern.intake.models import ConcernReport
from vern.investigations.models import Investigation
from vern.measures.models import Aftercare, FrequencyCode, Measure, Plan, Relocation, Visit, VisitKind
from vern.referrals.models import AgencyAnswer, CatalogueEntry, Referral
from vern.reports.models import UnitGroup
from vern.worklists.selectors import KINDS

if TYPE_CHECKING:
    from django_stubs_ext import StrPromise


@dataclass(frozen=True)
class Line:
    at: datetime
    sentence: SafeString
    reason: str


@dataclass(frozen=True)
class _Object:
    words: str
    url: str = ""


def _code_labels(path: str, codes: Iterable[str]) -> dict[str, str]:
    rows = Code.objects.filter(list_path=path, code__in=set(codes)).values_list("code", "label")
    return dict(rows)


# -- the object in words, per kind: one query for every object of that kind on the page


@dataclass(frozen=True)
class _Words:
    """How an object of one kind is put in words, from its row as it is now, and where it is opened."""

    model: type[Model]
    words: StrPromise  # with %(date)s and %(name)s as it needs
    when: str = ""  # the field %(date)s is
    name: str = ""  # the field %(name)s is (a code's label if ``codes``)
    codes: str = ""  # the code list of the name field's codes
    url: str = ""  # the page the object is opened on
    link: str = "pk"  # the field whose value that page takes


_WORDS: dict[ObjectKind, _Words] = {
    ObjectKind.REPORT: _Words(
        ConcernReport,
        gettext_lazy("the report of concern received %(date)s"),
        "received_at",
        url="intake:report",
    ),
    ObjectKind.INVESTIGATION: _Words(
        Investigation,
        gettext_lazy("the investigation from %(date)s"),
        "started_on",
        url="investigations:detail",
    ),
    ObjectKind.DECISION: _Words(
        Decision, gettext_lazy("the decision of %(date)s"), "decided_on", url="decisions:detail"
    ),
    ObjectKind.BOARD_REFERRAL: _Words(
        BoardReferral, gettext_lazy("the referral to the county board of %(date)s"), "sent_on"
    ),
    ObjectKind.CLAIM: _Words(
        PrivateClaim,
        gettext_lazy("the claim from a private party received %(date)s"),
        "received_on",
        url="decisions:detail",
        link="decision_id",
    ),
    ObjectKind.MEASURE: _Words(
        Measure,
        gettext_lazy("the measure «%(name)s» from %(date)s"),
        "start_on",
        name="category",
        codes=paths.MEASURE_CATEGORY,
        url="measures:detail",
    ),
    ObjectKind.VISIT: _Words(
        Visit, gettext_lazy("the visit of %(date)s"), "visited_on", url="measures:detail", link="measure_id"
    ),
    ObjectKind.RELOCATION: _Words(Relocation, gettext_lazy("the move of %(date)s"), "moved_on"),
    ObjectKind.PLAN: _Words(
        Plan,
        gettext_lazy("the plan «%(name)s» from %(date)s"),
        "start_on",
        name="plan_type",
        codes=paths.PLAN_TYPE,
        url="measures:plan",
    ),
    ObjectKind.AFTERCARE: _Words(
        Aftercare,
        gettext_lazy("the offer of aftercare sent %(date)s"),
        "offered_on",
        url="measures:aftercare",
        link="case_id",
    ),
    ObjectKind.REFERRAL: _Words(
        Referral, gettext_lazy("the referral to %(name)s"), name="entry__name", url="referrals:detail"
    ),
    ObjectKind.CATALOGUE_ENTRY: _Words(
        CatalogueEntry, gettext_lazy("the measure «%(name)s» in the catalogue"), name="name"
    ),
    ObjectKind.UNIT: _Words(Unit, gettext_lazy("the unit %(name)s"), name="name"),
    ObjectKind.UNIT_GROUP: _Words(UnitGroup, gettext_lazy("the comparison group «%(name)s»"), name="name"),
}


def _described(how: _Words, ids: set[int]) -> dict[int, _Object]:
    fields = {"pk", how.link, *(f for f in (how.when, how.name) if f)}
    rows = list(how.model._default_manager.filter(pk__in=ids).values(*fields))
    labels = _code_labels(how.codes, (row[how.name] for row in rows)) if how.codes else {}
    found = {}
    for row in rows:
        when = row.get(how.when)
        name = row.get(how.name, "")
        values = {
            "date": day(local_date(when) if isinstance(when, datetime) else when),
            "name": labels.get(name, name),
        }
        found[row["pk"]] = _Object(
            str(how.words) % values, reverse(how.url, args=[row[how.link]]) if how.url else ""
        )
    return found


def _users(ids: set[int]) -> dict[int, _Object]:
    return {u.pk: _Object(_("the user %(name)s") % {"name": u}) for u in User.objects.filter(pk__in=ids)}


def _objects(kind: ObjectKind, ids: set[int]) -> dict[int, _Object]:
    return _users(ids) if kind is ObjectKind.USER else _described(_WORDS[kind], ids)


_DESCRIBED = {*_WORDS, ObjectKind.USER}


# -- what else an event says, from its extra values


@dataclass(frozen=True)
class _Page:
    """What the page's rows point at, fetched once."""

    objects: Mapping[tuple[ObjectKind, int], _Object]
    users: Mapping[int, str]
    decision_statuses: Mapping[str, str]


def _choice(choices: type[TextChoices], value: object) -> str:
    """A choice's label; the value itself if it is none of them (never expected)."""
    return str(dict(choices.choices).get(str(value), value or ""))


def _user(page: _Page, key: str) -> Callable[[AuditEntry], str]:
    def name(entry: AuditEntry) -> str:
        if key not in entry.extra:
            return ""
        pk = entry.extra[key]
        return page.users.get(pk, _("an unknown user")) if pk is not None else _("no caseworker")

    return name


def _login_step(entry: AuditEntry) -> str:
    steps = {"password": _("wrong user name or password"), "totp": _("wrong one-time code")}
    return steps.get(entry.extra.get("step", ""), "")


def _visit_kind(entry: AuditEntry) -> str:
    kind = _choice(VisitKind, entry.extra.get("kind"))
    code = entry.extra.get("code")
    return f"{kind}, {_choice(FrequencyCode, code)}" if code else kind


def _months(entry: AuditEntry) -> str:
    months = int(entry.extra.get("months") or 0)
    return ngettext("every month", "every %(n)s months", months) % {"n": months} if months else ""


def _month(entry: AuditEntry) -> str:
    year, _sep, month = str(entry.extra.get("month", "")).partition("-")
    if not (year.isdigit() and month.isdigit()):
        return ""
    return date_format(date(int(year), int(month), 1), "F Y")


def _reference(entry: AuditEntry) -> str:
    reference = entry.extra.get("reference")
    return _("reference %(reference)s") % {"reference": reference} if reference else ""


def _breach(entry: AuditEntry) -> str:
    kind = KINDS.get(str(entry.extra.get("clock", "")))
    if kind is None:
        return ""
    item = entry.extra.get("item")
    if item is None:
        return str(kind.label)
    target = entry.case_id if kind.target == "case" else item
    return format_html(
        '<a class="ds-link" href="{}">{}</a>', reverse(kind.url_name, args=[target]), kind.label
    )


def _cases(entry: AuditEntry) -> str:
    count = int(entry.extra.get("cases") or 0)
    return ngettext("%(n)s case", "%(n)s cases", count) % {"n": number_format(count, force_grouping=True)}


def _units_count(entry: AuditEntry) -> str:
    count = int(entry.extra.get("units") or 0)
    return ngettext("%(n)s unit", "%(n)s units", count) % {"n": count}


def _population(entry: AuditEntry) -> str:
    children = number_format(int(entry.extra.get("children") or 0), force_grouping=True)
    return _("%(children)s in %(year)s") % {"children": children, "year": entry.extra.get("year", "")}


def _details(page: _Page) -> dict[AuditEvent, Callable[[AuditEntry], str]]:
    def status(entry: AuditEntry) -> str:
        code = str(entry.extra.get("status", ""))
        return page.decision_statuses.get(code, code)

    def value(key: str) -> Callable[[AuditEntry], str]:
        return lambda entry: str(entry.extra.get(key) or "")

    return {
        AuditEvent.USER_LOGIN_FAILED: _login_step,
        AuditEvent.CASE_ASSIGNED: _user(page, "caseworker"),
        AuditEvent.CASE_SHARED: _user(page, "with"),
        AuditEvent.REPORT_RECEIVED_DIGITALLY: _reference,
        AuditEvent.DIGITAL_MESSAGE_QUARANTINED: _reference,
        AuditEvent.DIGITAL_MESSAGE_VIEWED: _reference,
        AuditEvent.INGEST_CLIENT_CREATED: value("name"),
        AuditEvent.INGEST_CLIENT_DISABLED: value("name"),
        AuditEvent.DECISION_STATUS_CHANGED: status,
        AuditEvent.MEASURE_FREQUENCY_SET: _visit_kind,
        AuditEvent.MEASURE_VISIT_RECORDED: _visit_kind,
        AuditEvent.UNIT_PLAN_EVALUATION_SET: _months,
        AuditEvent.REFERRAL_STEP: lambda entry: _choice(Referral.Status, entry.extra.get("status")),
        AuditEvent.REFERRAL_AGENCY_ANSWERED: lambda entry: _choice(AgencyAnswer, entry.extra.get("answer")),
        AuditEvent.REFERRAL_HOURS_RECORDED: _month,
        AuditEvent.BUDGET_SET: value("year"),
        AuditEvent.DEADLINE_BREACH_RECORDED: _breach,
        AuditEvent.REGISTER_DELIVERY_EXPORTED: _cases,
        AuditEvent.UNIT_GROUP_CREATED: _units_count,
        AuditEvent.UNIT_GROUP_CHANGED: _units_count,
        AuditEvent.POPULATION_RECORDED: _population,
        AuditEvent.POPULATION_CHANGED: _population,
        AuditEvent.LEGACY: lambda entry: entry.legacy_what,
    }


def _page(entries: Sequence[AuditEntry]) -> _Page:
    wanted: dict[ObjectKind, set[int]] = {}
    user_ids: set[int] = set()
    statuses: set[str] = set()
    for entry in entries:
        kind = AuditEvent(entry.event).kind
        if kind in _DESCRIBED and entry.object_id is not None:
            wanted.setdefault(kind, set()).add(entry.object_id)
        user_ids.update(entry.extra[k] for k in ("caseworker", "with") if isinstance(entry.extra.get(k), int))
        if entry.event == AuditEvent.DECISION_STATUS_CHANGED:
            statuses.add(str(entry.extra.get("status", "")))
    objects = {(kind, pk): found for kind, ids in wanted.items() for pk, found in _objects(kind, ids).items()}
    users = {u.pk: str(u) for u in User.objects.filter(pk__in=user_ids)} if user_ids else {}
    return _Page(objects, users, _code_labels(paths.DECISION_STATUS, statuses) if statuses else {})


def _object(entry: AuditEntry, kind: ObjectKind | None, page: _Page, links: bool) -> str:
    if kind is None:
        return ""
    found = page.objects.get((kind, entry.object_id or 0))
    if found is None:
        return conditional_escape(kind.label)
    if links and found.url:
        return format_html('<a class="ds-link" href="{}">{}</a>', found.url, found.words)
    return conditional_escape(found.words)


def lines(entries: Sequence[AuditEntry], *, links: bool = True) -> list[Line]:
    """The rows as sentences, in the order given. ``links``: link objects to their pages (for a
    reader who may open them)."""
    page = _page(entries)
    details = _details(page)
    result = []
    for entry in entries:
        event = AuditEvent(entry.event)
        who = str(entry.user) if entry.user is not None else _("Vern")
        words = conditional_escape(str(event.label)) % {
            "who": conditional_escape(who),
            "object": _object(entry, event.kind, page, links),
        }
        detail = details[event](entry) if event in details else ""
        sentence = format_html("{}: {}", mark_safe(words), detail) if detail else mark_safe(words)  # noqa: S308
        result.append(Line(entry.at, sentence, entry.reason))
    return result
