"""The case list: search by journal number, name and identity number, filters, paging; always scoped."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest
from django.utils import timezone

from tests.conftest import ReportFactory, child_facts, logged_in, make_user
from vern.cases.models import Case
from vern.cases.services import case_assign
from vern.core.breaches import BreachFacts
from vern.core.codes import CodedEntry
from vern.core.dates import OSLO, today
from vern.core.models import Role, Unit, User
from vern.intake.services import report_register, review_conclude

pytestmark = pytest.mark.django_db


def _listed(user: User, query: str = "") -> str:
    response = logged_in(user).get(f"/saker/{query}")
    assert response.status_code == 200
    return response.content.decode()


def _link(case: Case) -> str:
    return f'href="/saker/{case.pk}/"'


def _other_units_case(unit: Unit, by: User, last: str = "Hansen") -> Case:
    received = timezone.make_aware(datetime.combine(today() - timedelta(days=1), time(9)), OSLO)
    report = report_register(
        unit=unit,
        by=by,
        child=child_facts(first="Emma", last=last, birth=date(2015, 10, 11)),
        received_at=received,
        channel="phone",
        text="Bekymring.",
        reporters=[CodedEntry("11")],
        contents=[CodedEntry("1.1.01")],
    )
    return report.case


def test_search_finds_the_child_by_fodselsnummer_typed_with_or_without_spaces(
    make_report: ReportFactory, leader: User
) -> None:
    case = make_report(child=child_facts(first="Nora", last="Berg", birth=date(2014, 2, 3))).case
    other = make_report(child=child_facts(first="Ella", last="Dahl", birth=date(2016, 5, 6))).case
    number = case.child.identity_number
    for typed in (number, f"{number[:6]} {number[6:]}", f" {number} "):
        page = _listed(leader, f"?q={typed}")
        assert _link(case) in page, typed
        assert _link(other) not in page
    # Part of a number finds nothing: only the whole number identifies a person.
    assert _link(case) not in _listed(leader, f"?q={number[:6]}")


def test_search_by_name_matches_every_word_in_first_or_last_name(
    make_report: ReportFactory, leader: User
) -> None:
    nora = make_report(child=child_facts(first="Nora", last="Berg", birth=date(2014, 2, 3))).case
    emma = make_report(child=child_facts(first="Emma", last="Berg", birth=date(2015, 10, 11))).case
    page = _listed(leader, "?q=nora berg")
    assert _link(nora) in page
    assert _link(emma) not in page
    page = _listed(leader, "?q=Berg")
    assert _link(nora) in page
    assert _link(emma) in page


def test_search_by_journal_number(make_report: ReportFactory, leader: User) -> None:
    case = make_report().case
    other = make_report(child=child_facts(first="Ella", birth=date(2016, 5, 6))).case
    page = _listed(leader, f"?q={case.journal_number}")
    assert _link(case) in page
    assert _link(other) not in page


def test_search_never_finds_another_units_case(
    make_report: ReportFactory, leader: User, other_unit: Unit, outsider: User
) -> None:
    theirs = _other_units_case(other_unit, outsider)
    number = theirs.child.identity_number
    for query in (number, "Emma", theirs.journal_number):
        assert _link(theirs) not in _listed(leader, f"?q={query}"), query
    # Nor a case of the same unit that is not the caseworker's.
    mine_not = make_report(child=child_facts(first="Ida", last="Lie", birth=date(2013, 8, 9))).case
    case_assign(case=mine_not, caseworker=None, by=leader)
    kari = make_user("kari2", mine_not.unit, Role.CASEWORKER)
    assert _link(mine_not) not in _listed(kari, f"?q={mine_not.child.identity_number}")


def test_each_case_shows_whether_it_is_open_or_closed(make_report: ReportFactory, leader: User) -> None:
    case = make_report().case
    page = _listed(leader)
    assert "Åpen" in page
    Case.objects.filter(pk=case.pk).update(closed_on=today())
    assert f"Avsluttet {today():%d.%m.%Y}" in _listed(leader)


def test_filter_open_or_closed(make_report: ReportFactory, leader: User) -> None:
    open_case = make_report().case
    closed = make_report(child=child_facts(first="Ella", birth=date(2016, 5, 6))).case
    Case.objects.filter(pk=closed.pk).update(closed_on=today())
    page = _listed(leader, "?status=apen")
    assert _link(open_case) in page
    assert _link(closed) not in page
    page = _listed(leader, "?status=avsluttet")
    assert _link(open_case) not in page
    assert _link(closed) in page
    page = _listed(leader)
    assert _link(open_case) in page
    assert _link(closed) in page


def test_filter_by_caseworker_for_leaders_and_auditors(
    make_report: ReportFactory, leader: User, auditor: User, caseworker: User, caseworker2: User
) -> None:
    karis = make_report().case
    olas = make_report(child=child_facts(first="Ella", birth=date(2016, 5, 6))).case
    case_assign(case=olas, caseworker=caseworker2, by=leader)
    nobodys = make_report(child=child_facts(first="Ida", birth=date(2013, 8, 9))).case
    case_assign(case=nobodys, caseworker=None, by=leader)
    for user in (leader, auditor):
        page = _listed(user, f"?saksbehandler={caseworker2.pk}")
        assert _link(olas) in page
        assert _link(karis) not in page
        assert _link(nobodys) not in page
        page = _listed(user, "?saksbehandler=ingen")
        assert _link(nobodys) in page
        assert _link(olas) not in page
    # A caseworker sees only their own cases: no caseworker filter to offer.
    assert 'name="saksbehandler"' not in _listed(caseworker)
    assert 'name="saksbehandler"' in _listed(leader)


def test_a_bad_filter_value_is_shown_as_an_error_and_narrows_nothing(
    make_report: ReportFactory, leader: User
) -> None:
    case = make_report().case
    page = _listed(leader, "?saksbehandler=99999&status=tull")
    assert _link(case) in page
    assert "ds-validation-message" in page


def test_filter_cases_with_overdue_deadlines(
    make_report: ReportFactory, leader: User, caseworker: User, auditor: User
) -> None:
    late = make_report(received_on=today() - timedelta(days=10)).case  # review due 3 days ago
    in_time = make_report(child=child_facts(first="Ella", birth=date(2016, 5, 6))).case
    for user in (leader, caseworker, auditor):
        page = _listed(user, "?forfalt=on")
        assert _link(late) in page, user
        assert _link(in_time) not in page, user
    # Concluding the late review (with its reason) clears it from the filter: the store is read fresh.
    report = late.reports.get()
    review_conclude(
        report=report,
        by=caseworker,
        concluded_on=today(),
        conclusion="10",
        breach=BreachFacts("capacity"),
    )
    assert _link(late) not in _listed(leader, "?forfalt=on")


def test_paging_keeps_the_search_and_filters(make_report: ReportFactory, leader: User) -> None:
    for i in range(51):
        make_report(child=child_facts(first="Nora", last="Berg", birth=date(2012, 1, 1) + timedelta(days=i)))
    page = _listed(leader, "?q=nora&status=apen")
    assert "Side 1 av 2" in page
    assert "?side=2&amp;q=nora&amp;status=apen" in page
    second = _listed(leader, "?side=2&q=nora&status=apen")
    assert "Side 2 av 2" in second
    assert "51 saker" in second


@pytest.mark.parametrize("persona", ["intake", "admin_user"])
def test_roles_without_cases_get_an_empty_list(
    request: pytest.FixtureRequest, make_report: ReportFactory, persona: str
) -> None:
    case = make_report().case
    user = request.getfixturevalue(persona)
    page = _listed(user, f"?q={case.child.identity_number}")
    assert _link(case) not in page
