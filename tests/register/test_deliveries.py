"""Register deliveries made, downloaded and sent by a leader on the unit's page (no command), through
the services the commands use; the file is the command's, byte for byte."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command

from tests.conftest import logged_in, make_user
from vern.cases.models import Case
from vern.core.audit_events import AuditEvent
from vern.core.models import AuditEntry, Role, Unit, User
from vern.measures.models import Measure
from vern.register.models import Delivery

pytestmark = pytest.mark.django_db

PAGE = "/enhet/register/"


@pytest.fixture(autouse=True)
def _folders(settings: Any, tmp_path: Path) -> None:
    settings.VERN_REGISTER_DELIVERIES = str(tmp_path / "leveranser")
    settings.VERN_REGISTER_OUTBOX = str(tmp_path / "utboks")
    settings.VERN_REGISTER_WORKERS = 1


def make(user: User, kind: str = "total") -> Any:
    return logged_in(user).post(PAGE, {"form": "make", "make-kind": kind})


def files_of(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in folder.iterdir()}


def unzipped(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as zipped:
        return {name: zipped.read(name) for name in zipped.namelist()}


def download(user: User, delivery: Delivery) -> Any:
    return logged_in(user).get(f"/enhet/register/leveranser/{delivery.delivery_id}/")


def test_a_leader_makes_a_delivery_and_downloads_what_was_written(
    full_case: Case, leader: User, tmp_path: Path
) -> None:
    response = make(leader)
    assert response.status_code == 302
    delivery = Delivery.objects.get()
    assert (delivery.kind, delivery.case_count, delivery.created_by, delivery.run_by) == (
        Delivery.Kind.TOTAL,
        1,
        leader,
        leader.username,
    )
    folder = Path(delivery.folder)
    assert folder.parent == tmp_path / "leveranser"
    assert sorted(files_of(folder)) == sorted([f"{full_case.register_id}.xml", "manifest.json"])
    audited = AuditEntry.objects.filter(user=leader, action=AuditEntry.Action.EXPORT)
    assert audited.filter(case_id=full_case.pk, event=AuditEvent.CASE_EXPORTED).count() == 1
    made = audited.get(event=AuditEvent.REGISTER_DELIVERY_EXPORTED)
    assert (made.object_id, made.extra["cases"]) == (delivery.pk, 1)

    file = download(leader, delivery)
    assert file.status_code == 200
    assert file["Content-Type"] == "application/zip"
    assert f"barnevernregister-4601-{delivery.delivery_id}.zip" in file["Content-Disposition"]
    assert unzipped(b"".join(file.streaming_content)) == files_of(folder)
    assert audited.filter(event=AuditEvent.REGISTER_DELIVERY_DOWNLOADED, object_id=delivery.pk).exists()

    # Nothing has changed since: a delivery of changes holds no case, and downloads as an empty one.
    assert make(leader, "changes").status_code == 302
    changes = Delivery.objects.get(kind=Delivery.Kind.CHANGES)
    assert changes.case_count == 0
    empty = unzipped(b"".join(download(leader, changes).streaming_content))
    assert empty == files_of(Path(changes.folder)) == {"manifest.json": empty["manifest.json"]}


def test_the_downloaded_delivery_is_the_commands_file(full_case: Case, leader: User, tmp_path: Path) -> None:
    out = tmp_path / "kommando"
    call_command("export_register", unit="4601", out=str(out), stdout=io.StringIO())
    delivery = Delivery.objects.get()
    assert unzipped(b"".join(download(leader, delivery).streaming_content)) == files_of(out)


def test_a_leader_sends_a_delivery_once(full_case: Case, leader: User, tmp_path: Path) -> None:
    make(leader)
    delivery = Delivery.objects.get()
    client = logged_in(leader)
    assert client.post(PAGE, {"form": "send", "send-delivery": delivery.pk}).status_code == 302
    delivery.refresh_from_db()
    assert delivery.sent_at is not None
    sent = tmp_path / "utboks" / str(delivery.delivery_id)
    assert (sent / f"{full_case.register_id}.xml").read_bytes() == (
        Path(delivery.folder) / f"{full_case.register_id}.xml"
    ).read_bytes()
    sent_rows = AuditEntry.objects.filter(event=AuditEvent.REGISTER_DELIVERY_SENT, object_id=delivery.pk)
    assert sent_rows.filter(user=leader).exists()
    # Sent already: refused, and nothing is sent again.
    again = client.post(PAGE, {"form": "send", "send-delivery": delivery.pk})
    assert again.status_code == 400
    assert "kan ikke sendes" in again.content.decode()
    assert sent_rows.count() == 1


def test_a_document_breaking_the_format_refuses_the_delivery_on_the_page(
    full_case: Case, leader: User, tmp_path: Path
) -> None:
    Measure.objects.filter(case=full_case).update(category="9.9")
    response = make(leader)
    assert response.status_code == 400
    page = response.content.decode()
    assert "Leveransen er avvist; ingenting er lagret." in page
    assert full_case.journal_number in page
    assert not Delivery.objects.exists()
    assert not (tmp_path / "leveranser").exists() or not any((tmp_path / "leveranser").iterdir())


def test_bad_input_changes_nothing(full_case: Case, leader: User, unit: Unit, other_unit: Unit) -> None:
    assert make(leader, "alt").status_code == 400
    assert not Delivery.objects.exists()
    stranger = make_user("fremmed", other_unit, Role.LEADER)
    make(stranger)
    theirs = Delivery.objects.get()
    response = logged_in(leader).post(f"{PAGE}?enhet={unit.pk}", {"form": "send", "send-delivery": theirs.pk})
    assert response.status_code == 400
    theirs.refresh_from_db()
    assert theirs.sent_at is None


@pytest.mark.parametrize("persona", ["caseworker", "intake", "auditor", "admin_user"])
def test_only_the_units_leaders_make_download_or_send(
    persona: str, request: pytest.FixtureRequest, full_case: Case, leader: User
) -> None:
    make(leader)
    delivery = Delivery.objects.get()
    user = request.getfixturevalue(persona)
    client = logged_in(user)
    assert make(user).status_code == 404
    assert client.post(PAGE, {"form": "send", "send-delivery": delivery.pk}).status_code == 404
    assert download(user, delivery).status_code == 404
    assert Delivery.objects.count() == 1
    delivery.refresh_from_db()
    assert delivery.sent_at is None
    if persona == "auditor":  # reads the page, without the forms or the files
        page = client.get(PAGE).content.decode()
        assert 'value="make"' not in page
        assert "/enhet/register/leveranser/" not in page


def test_a_leader_of_another_unit_cannot_download(full_case: Case, leader: User, other_unit: Unit) -> None:
    make(leader)
    stranger = make_user("fremmed", other_unit, Role.LEADER)
    assert download(stranger, Delivery.objects.get()).status_code == 404


def test_the_page_tells_no_one_to_run_a_command(full_case: Case, leader: User) -> None:
    page = logged_in(leader).get(PAGE).content.decode()
    assert "vern export_register" not in page
    assert "vern send_register" not in page
    assert 'value="make"' in page
