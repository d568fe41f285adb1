"""Shared personas: a caseworker, a leader in the same unit, intake, an auditor, and a caseworker in
another unit; plus a report factory that goes through the real services."""

from __future__ import annotations

import itertools
import os
from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from vern.cases.services import ChildFacts
from vern.core.codes import CodedEntry
from vern.core.dates import OSLO, today
from vern.core.identity import classify, make_fodselsnummer
from vern.core.middleware import SECOND_FACTOR_KEY
from vern.core.models import Membership, Municipality, Role, Unit, User
from vern.intake.models import ConcernReport
from vern.intake.services import report_register

os.environ.setdefault("VERN_ENV", "test")

PASSWORD = "a-long-test-password-2026"


@pytest.fixture(autouse=True)
def _fast_hashing(settings: Any) -> None:
    # Argon2 is slow by design; tests that check hashing itself use the real hasher explicitly.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def municipality(db: None) -> Municipality:
    return Municipality.objects.create(number="4601", name="Bergen", organisation_number="964338531")


@pytest.fixture
def unit(municipality: Municipality) -> Unit:
    unit = Unit.objects.create(name="Barneverntjenesten Vest", host_municipality=municipality)
    unit.municipalities.add(municipality)
    return unit


@pytest.fixture
def other_unit(municipality: Municipality) -> Unit:
    other = Municipality.objects.create(number="5001", name="Trondheim", organisation_number="942110464")
    return Unit.objects.create(name="Barneverntjenesten Øst", host_municipality=other)


def make_user(username: str, unit: Unit, *roles: str, **extra: Any) -> User:
    user = User.objects.create_user(
        username=username, password=PASSWORD, first_name=username.capitalize(), last_name="Test"
    )
    for role in roles:
        Membership.objects.create(user=user, unit=unit, role=role, **extra)
    return user


def staff_of(unit: Unit) -> dict[str, User]:
    """Intake, a caseworker and a leader of ``unit``, by role name."""
    return {
        "intake": make_user("mottak", unit, Role.INTAKE),
        "caseworker": make_user("saksbehandler", unit, Role.CASEWORKER),
        "leader": make_user("leder", unit, Role.LEADER),
    }


@pytest.fixture
def caseworker(unit: Unit) -> User:
    return make_user("kari", unit, Role.CASEWORKER)


@pytest.fixture
def caseworker2(unit: Unit) -> User:
    return make_user("ola", unit, Role.CASEWORKER)


@pytest.fixture
def leader(unit: Unit) -> User:
    return make_user("leder", unit, Role.LEADER)


@pytest.fixture
def intake(unit: Unit) -> User:
    return make_user("mottak", unit, Role.INTAKE)


@pytest.fixture
def auditor(unit: Unit) -> User:
    return make_user("revisor", unit, Role.AUDITOR)


@pytest.fixture
def admin_user(unit: Unit) -> User:
    return make_user("admin", unit, Role.ADMIN)


@pytest.fixture
def outsider(other_unit: Unit) -> User:
    return make_user("utenfor", other_unit, Role.CASEWORKER, sees_protected_addresses=True)


def logged_in(user: User) -> Client:
    """A client past both factors (the login flow itself is tested in tests/core/test_login.py)."""
    client = Client()
    client.force_login(user)
    session = client.session
    session[SECOND_FACTOR_KEY] = True
    session.save()
    return client


_serial = itertools.count(100)
_issued: set[str] = set()


@pytest.fixture(autouse=True)
def _numbers_unique_within_a_test() -> None:
    _issued.clear()


def unique_fodselsnummer(birth: date) -> str:
    """A valid fødselsnummer for ``birth`` not given out before in this test.

    ``make_fodselsnummer`` moves a serial whose check digit is impossible on to the next valid one,
    so two serials can give one number: with a running counter alone, about one child in six would
    share its number with the one before, and its report join that child's case.
    """
    for _ in range(1000):
        number = make_fodselsnummer(birth, next(_serial))
        if number not in _issued:
            _issued.add(number)
            return number
    raise RuntimeError(f"no fødselsnummer left for {birth}: give the test's children other birth dates")


def child_facts(
    *, birth: date = date(2015, 3, 14), first: str = "Emma", last: str = "Hansen", **extra: Any
) -> ChildFacts:
    number = unique_fodselsnummer(birth)
    identity = classify(number, today=today())
    return ChildFacts(
        identity=identity,
        duf_number="",
        birth_date=identity.birth_date or birth,
        gender=identity.gender or "2",
        first_name=first,
        last_name=last,
        **extra,
    )


ReportFactory = Callable[..., ConcernReport]


@pytest.fixture
def make_report(unit: Unit, caseworker: User) -> ReportFactory:
    def make(
        *,
        by: User | None = None,
        received_on: date | None = None,
        child: ChildFacts | None = None,
        reporters: tuple[str, ...] = ("11",),
        contents: tuple[str, ...] | None = None,
        text: str = "Barnet kommer ofte sultent på skolen.",
    ) -> ConcernReport:
        received_on = received_on or today()
        received_at = timezone.make_aware(datetime.combine(received_on, time(9, 30)), OSLO)
        received_at = min(received_at, timezone.now() - timedelta(minutes=1))
        if contents is None:
            contents = ("1.1.01",) if received_on >= date(2026, 1, 1) else ("3",)
        return report_register(
            unit=unit,
            by=by or caseworker,
            child=child or child_facts(),
            received_at=received_at,
            channel="phone",
            text=text,
            reporters=[CodedEntry(c) for c in reporters],
            contents=[CodedEntry(c) for c in contents],
        )

    return make
