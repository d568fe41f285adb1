"""cases.0006: children whose birth date was only "estimated" become estimated or unknown by what their
messages gave, and the worklists' triggers on the child table survive the table being rebuilt."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("cases", "0005_case_closing_and_party_identity")]


def _migrate(targets: list[tuple[str, str]]) -> Any:
    """Migrate the cases app to ``targets``' node, every other app staying at its latest; the models."""
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    leaves = [node for node in executor.loader.graph.leaf_nodes() if node[0] != "cases"]
    return executor.loader.project_state([*leaves, *targets]).apps


def _triggers() -> set[str]:
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'cases_child'"
            )
        else:
            cursor.execute("SELECT tgname FROM pg_trigger WHERE tgrelid = 'cases_child'::regclass")
        return {row[0] for row in cursor.fetchall()}


def test_estimated_children_are_sorted_by_what_their_messages_said() -> None:
    latest = [node for node in MigrationExecutor(connection).loader.graph.leaf_nodes() if node[0] == "cases"]
    triggers = _triggers()
    assert triggers  # worklists.0001 watches the child table
    apps = _migrate(BEFORE)
    municipality = apps.get_model("core", "Municipality").objects.create(
        number="1201", name="Bergen", organisation_number="964338531"
    )
    unit = apps.get_model("core", "Unit").objects.create(
        name="Bergenhus", host_municipality=municipality, plan_evaluation_months=3
    )
    body = {"privatBarn": [{"personnavn": "Emil Hansen", "antattAlder": "7"}, {"personnavn": "Ida Hansen"}]}
    message = apps.get_model("intake", "InboundMessage").objects.create(
        message_id="m-1",
        sha256="0" * 64,
        message_type="no.ks.fiks.bekymringsmelding.privat.v2",
        body=json.dumps(body).encode(),
        source="file",
        received_at=timezone.now(),
        status="accepted",
        reference="BM-TEST0001",
    )
    Child = apps.get_model("cases", "Child")
    made = {
        # name: (estimated, gender, from the message)
        "Emil Hansen": (True, "", True),
        "Ida Hansen": (True, "", True),
        "Baby Hansen": (True, "0", True),
        "Nora Nordmann": (False, "2", False),
    }
    for n, (name, (estimated, gender, reported)) in enumerate(made.items()):
        first, last = name.split()
        child = Child.objects.create(
            identity_kind="unidentified",
            birth_date=date(2017, 7, 1),
            birth_date_estimated=estimated,
            gender=gender,
            first_name=first,
            last_name=last,
        )
        case = apps.get_model("cases", "Case").objects.create(
            unit=unit, child=child, journal_number=f"2026/{n}", opened_on=date(2026, 1, 1)
        )
        if reported:
            apps.get_model("intake", "ConcernReport").objects.create(
                case=case, received_at=timezone.now(), channel="digital", text="x", message=message
            )

    apps = _migrate(latest)
    basis = {
        f"{c.first_name} {c.last_name}": c.birth_date_basis
        for c in apps.get_model("cases", "Child").objects.all()
    }
    assert basis == {
        "Emil Hansen": "estimated",  # the message gave an age
        "Ida Hansen": "unknown",  # it did not: the old nine years were invented
        "Baby Hansen": "unknown",  # unborn, the term date was assumed
        "Nora Nordmann": "known",
    }
    assert _triggers() == triggers
