"""core.bulk.Table writes what bulk_create would: defaults, auto_now_add, adapted values, keys back."""

from __future__ import annotations

import datetime as dt
import pickle

import pytest
from django.utils import timezone

from vern.cases.models import Case, Child, IdentityKind
from vern.core.bulk import Table
from vern.core.models import AuditEntry, Code, Municipality, Unit

pytestmark = pytest.mark.django_db


def test_rows_get_defaults_and_their_keys(unit: Unit) -> None:
    before = timezone.now()
    table = Table(AuditEntry)
    refs = [table.add(unit=unit, action="view", legacy_what=f"row {n}") for n in range(3)]
    table.insert()
    rows = list(AuditEntry.objects.filter(pk__in=[r.pk for r in refs]).order_by("pk"))
    assert [r.legacy_what for r in rows] == ["row 0", "row 1", "row 2"]
    assert all(r.at >= before and r.user_id is None and r.unit_id == unit.pk for r in rows)


def test_identical_rows_are_each_inserted(unit: Unit) -> None:
    # On PostgreSQL a column with one value in every row is sent once; here every column is.
    table = Table(AuditEntry)
    refs = [
        table.add(unit=unit, action="view", legacy_what="same", at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC))
        for _ in range(3)
    ]
    table.insert()
    assert len({r.pk for r in refs}) == 3
    assert AuditEntry.objects.filter(legacy_what="same", unit=unit).count() == 3


def test_dates_and_foreign_keys_by_ref() -> None:
    municipalities = Table(Municipality)
    oslo = municipalities.add(number="0301", name="Oslo", organisation_number="958935420")
    municipalities.insert()
    units = Table(Unit)
    units.add(name="Bydel", host_municipality=oslo)
    codes = Table(Code)
    codes.add(list_path="/x", code="1", label="En", valid_from=dt.date(2026, 1, 1))
    units.insert()
    codes.insert()
    assert Unit.objects.get(name="Bydel").host_municipality.number == "0301"
    code = Code.objects.get(list_path="/x")
    assert (code.valid_from, code.sort_key, code.valid_to) == (dt.date(2026, 1, 1), 0, None)


def test_a_callable_default_is_called_for_each_row(unit: Unit) -> None:
    children = Table(Child)
    kids = [
        children.add(identity_kind=IdentityKind.UNIDENTIFIED, birth_date=dt.date(2015, 1, n)) for n in (1, 2)
    ]
    children.insert()
    cases = Table(Case)
    for n, kid in enumerate(kids):
        cases.add(unit=unit, child=kid, journal_number=f"J-{n}", opened_on=dt.date(2026, 1, 1))
    cases.insert()
    # Case.register_id defaults to uuid4: a fresh one for each row, not one for the batch.
    assert len(set(Case.objects.filter(unit=unit).values_list("register_id", flat=True))) == 2


def test_rows_pickled_to_another_process_keep_their_refs_shared() -> None:
    # The register import maps documents in worker processes and sends the rows back by pickle.
    municipalities, units = Table(Municipality), Table(Unit)
    oslo = municipalities.add(number="0301", name="Oslo", organisation_number="958935420")
    units.add(name="Bydel A", host_municipality=oslo)
    units.add(name="Bydel B", host_municipality=oslo)
    municipalities.rows, units.rows = pickle.loads(pickle.dumps((municipalities.rows, units.rows)))  # noqa: S301
    municipalities.insert()
    units.insert()
    assert set(Unit.objects.values_list("host_municipality__number", flat=True)) == {"0301"}
    assert Municipality.objects.count() == 1
