"""From a case: the child's other cases and its siblings in the same service, never another service's."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest
from django.utils import timezone

from tests.conftest import ReportFactory, child_facts, logged_in
from vern.cases.models import Case, Party
from vern.cases.services import ChildFacts, case_assign, case_close, party_add
from vern.core.codes import CodedEntry
from vern.core.dates import OSLO, today
from vern.core.identity import make_fodselsnummer
from vern.core.models import Unit, User
from vern.intake.services import report_register, review_conclude

pytestmark = pytest.mark.django_db

MOTHER = make_fodselsnummer(date(1985, 4, 2), 401)
FATHER = make_fodselsnummer(date(1983, 9, 17), 391)


def _page(user: User, case: Case) -> str:
    response = logged_in(user).get(f"/saker/{case.pk}/")
    assert response.status_code == 200
    return response.content.decode()


def _family(page: str) -> str:
    return page.split('id="h-family"', 1)[1].split("</section>", 1)[0]


def _link(case: Case) -> str:
    return f'href="/saker/{case.pk}/"'


def _parent(case: Case, by: User, number: str, relation: str = Party.Relation.MOTHER) -> None:
    party_add(
        case=case,
        by=by,
        name="Forelder",
        relation=relation,
        parental_responsibility=True,
        identity_number=number,
    )


def _case_in(unit: Unit, by: User, child: ChildFacts) -> Case:
    received = timezone.make_aware(datetime.combine(today() - timedelta(days=1), time(9)), OSLO)
    return report_register(
        unit=unit,
        by=by,
        child=child,
        received_at=received,
        channel="phone",
        text="Bekymring.",
        reporters=[CodedEntry("2")],
        contents=[CodedEntry("1.1.01")],
    ).case


def test_the_childs_earlier_case_in_the_service_is_listed(
    make_report: ReportFactory, caseworker: User, leader: User
) -> None:
    child = child_facts(first="Nora", last="Berg", birth=date(2014, 2, 3))
    first = make_report(child=child, reporters=("2",), received_on=today() - timedelta(days=30)).case
    review_conclude(
        report=first.reports.get(), by=caseworker, concluded_on=today() - timedelta(days=28), conclusion="10"
    )
    case_close(case=first, by=leader, closed_on=today() - timedelta(days=20), reason="Henlagt.")
    second = make_report(child=child).case
    assert second.pk != first.pk
    assert second.child_id == first.child_id
    family = _family(_page(leader, second))
    assert _link(first) in family
    assert f"avsluttet {first.closed_on:%d.%m.%Y}" in family
    assert _link(second) in _family(_page(leader, first))


def test_siblings_share_a_mother_or_father_by_identity_number(
    make_report: ReportFactory, caseworker: User, leader: User
) -> None:
    nora = make_report(child=child_facts(first="Nora", last="Berg", birth=date(2014, 2, 3))).case
    ella = make_report(child=child_facts(first="Ella", last="Berg", birth=date(2016, 5, 6))).case
    stranger = make_report(child=child_facts(first="Ida", last="Lie", birth=date(2013, 8, 9))).case
    _parent(nora, caseworker, MOTHER)
    _parent(ella, caseworker, MOTHER)
    _parent(stranger, caseworker, FATHER, Party.Relation.FATHER)
    family = _family(_page(leader, nora))
    assert "Ella Berg" in family
    assert _link(ella) in family
    assert "Ida Lie" not in family
    assert _link(stranger) not in family
    # A half-sibling through the father.
    _parent(nora, caseworker, FATHER, Party.Relation.FATHER)
    family = _family(_page(leader, nora))
    assert "Ida Lie" in family
    assert _link(stranger) in family


def test_a_party_who_is_not_a_parent_makes_no_sibling(
    make_report: ReportFactory, caseworker: User, leader: User
) -> None:
    nora = make_report(child=child_facts(first="Nora", last="Berg", birth=date(2014, 2, 3))).case
    ella = make_report(child=child_facts(first="Ella", last="Berg", birth=date(2016, 5, 6))).case
    _parent(nora, caseworker, MOTHER)
    _parent(ella, caseworker, MOTHER, Party.Relation.OTHER)
    assert "Ella Berg" not in _family(_page(leader, nora))


def test_another_services_cases_are_never_shown(
    make_report: ReportFactory, caseworker: User, leader: User, other_unit: Unit, outsider: User
) -> None:
    child = child_facts(first="Nora", last="Berg", birth=date(2014, 2, 3))
    ours = make_report(child=child).case
    _parent(ours, caseworker, MOTHER)
    # The same child and a sibling with the same mother, registered by another service.
    theirs = _case_in(other_unit, outsider, child)
    sibling_there = _case_in(
        other_unit, outsider, child_facts(first="Ella", last="Berg", birth=date(2016, 5, 6))
    )
    _parent(theirs, outsider, MOTHER)
    _parent(sibling_there, outsider, MOTHER)
    assert theirs.child_id == ours.child_id
    family = _family(_page(leader, ours))
    assert _link(theirs) not in family
    assert _link(sibling_there) not in family
    assert "Ella Berg" not in family
    assert "tilgang" not in family  # not even counted
    # And the other way round.
    family = _family(_page(outsider, theirs))
    assert _link(ours) not in family


def test_a_caseworker_sees_only_siblings_whose_cases_they_may_read(
    make_report: ReportFactory, caseworker: User, caseworker2: User, leader: User
) -> None:
    nora = make_report(child=child_facts(first="Nora", last="Berg", birth=date(2014, 2, 3))).case
    ella = make_report(child=child_facts(first="Ella", last="Berg", birth=date(2016, 5, 6))).case
    _parent(nora, caseworker, MOTHER)
    _parent(ella, caseworker, MOTHER)
    case_assign(case=ella, caseworker=caseworker2, by=leader)
    family = _family(_page(caseworker, nora))
    assert "Ella Berg" not in family
    assert _link(ella) not in family
    assert "1 søsken har sak som du ikke har tilgang til" in family
    ella.shared_with.add(caseworker)
    family = _family(_page(caseworker, nora))
    assert _link(ella) in family
    assert "ikke har tilgang til" not in family


@pytest.mark.parametrize("persona", ["leader", "auditor", "caseworker"])
def test_every_reader_of_the_case_sees_the_family_section(
    request: pytest.FixtureRequest, make_report: ReportFactory, caseworker: User, persona: str
) -> None:
    nora = make_report(child=child_facts(first="Nora", last="Berg", birth=date(2014, 2, 3))).case
    ella = make_report(child=child_facts(first="Ella", last="Berg", birth=date(2016, 5, 6))).case
    _parent(nora, caseworker, MOTHER)
    _parent(ella, caseworker, MOTHER)
    assert _link(ella) in _family(_page(request.getfixturevalue(persona), nora))
