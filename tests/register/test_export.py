"""Deliveries to the register: one valid document per case, logged and kept, changes only on request."""

from __future__ import annotations

import hashlib
import json
import uuid
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, transaction

from tests.conftest import ReportFactory, child_facts
from tests.register.conftest import export_case
from vern.cases.models import Case
from vern.core.dates import today
from vern.core.models import AuditEntry, Unit, User
from vern.decisions.services import approval_rule_add, decision_approve, decision_make
from vern.measures.models import Measure, Plan
from vern.measures.services import plan_evaluate
from vern.register import build
from vern.register.checking import check_file, check_files, check_unit
from vern.register.export import DeliveryRejected, export
from vern.register.models import Delivery, Document
from vern.register.xml import content_sha256, parse, schema_errors, to_bytes
from vern.rules.legal_basis import Law, LegalBases, LegalBasis

pytestmark = pytest.mark.django_db


def _export(tmp_path: Path, name: str, *, changes: bool = False) -> Path:
    out = tmp_path / name
    call_command("export_register", unit="4601", out=str(out), changes=changes, stdout=_Quiet())
    return out


class _Quiet:
    def write(self, _text: str) -> None:
        pass

    def flush(self) -> None:
        pass


def _documents(folder: Path) -> dict[str, Any]:
    return {p.name: parse(p.read_bytes()) for p in folder.glob("*.xml")}


def test_a_delivery_is_valid_logged_and_kept(full_case: Case, tmp_path: Path) -> None:
    out = _export(tmp_path, "levering")
    docs = _documents(out)
    assert list(docs) == [f"{full_case.register_id}.xml"]
    root = docs[f"{full_case.register_id}.xml"]
    assert schema_errors(root) == []
    sak = root.find("Sak")
    assert sak.get("Journalnummer") == full_case.journal_number
    tags = [e.tag for e in sak]
    assert tags == sorted(
        tags, key=["Personalia", "Melding", "Undersokelse", "Plan", "Tiltak", "Vedtak", "Relasjon"].index
    )
    kinds = {(r.get("FraType"), r.get("TilType")) for r in sak.findall("Relasjon")}
    assert kinds == {("Melding", "Undersokelse"), ("Undersokelse", "Vedtak"), ("Vedtak", "Tiltak")}
    # The investigation plan (type 7) lives on the investigation; the care plan is a Plan of its own.
    assert sorted(p.get("Plantype") for p in sak.findall("Plan")) == ["1", "7"]
    manifest = json.loads((out / "manifest.json").read_text())
    (entry,) = manifest["documents"]
    body = (out / entry["file"]).read_bytes()
    document = Document.objects.get()
    assert bytes(document.body) == body
    assert document.sha256 == entry["sha256"] == hashlib.sha256(body).hexdigest()
    assert str(document.document_id) == root.get("Id") == entry["document_id"]
    delivery = Delivery.objects.get()
    assert (delivery.kind, delivery.case_count, manifest["delivery"]["delivery_id"]) == (
        Delivery.Kind.TOTAL,
        1,
        str(delivery.delivery_id),
    )
    assert AuditEntry.objects.filter(action=AuditEntry.Action.EXPORT, case_id=full_case.pk).exists()


def test_ids_stay_and_changes_send_only_what_changed(
    full_case: Case, caseworker: User, tmp_path: Path
) -> None:
    first = _documents(_export(tmp_path, "1"))[f"{full_case.register_id}.xml"]
    assert _documents(_export(tmp_path, "2", changes=True)) == {}
    plan = Plan.objects.get(case=full_case)
    plan_evaluate(plan=plan, by=caseworker, done_on=date(2026, 10, 10))
    changed = _documents(_export(tmp_path, "3", changes=True))[f"{full_case.register_id}.xml"]
    assert changed.get("ForrigeId") == first.get("Id")
    ids = lambda root: {e.get("Id") for e in root.find("Sak")}  # noqa: E731
    assert ids(changed) == ids(first)
    assert len(changed.find(f"Sak/Plan[@Id='{plan.register_id}']").findall("Evaluering")) == 2
    assert Delivery.objects.filter(kind=Delivery.Kind.CHANGES).count() == 2


def test_what_has_gone_is_reported_deleted(full_case: Case, tmp_path: Path) -> None:
    """An item the register has (in the case's previous document) and Vern no longer reports."""
    first = _documents(_export(tmp_path, "1"))[f"{full_case.register_id}.xml"]
    gone = str(uuid.uuid4())
    first.find("Sak").append(first.makeelement("Melding", {"Id": gone, "StartDato": "2026-01-01"}))
    first.set("Id", str(uuid.uuid4()))
    body = to_bytes(first)
    Document.objects.create(
        delivery=Delivery.objects.get(),
        case=full_case,
        document_id=first.get("Id"),
        file_name="x.xml",
        sha256="0" * 64,
        content_sha256="0" * 64,
        body=body,
    )
    second = _documents(_export(tmp_path, "2", changes=True))[f"{full_case.register_id}.xml"]
    (deleted,) = second.find("Sak").findall("Slettet")
    assert (deleted.get("Id"), deleted.get("Type"), deleted.get("SluttDato")) == (
        gone,
        "Melding",
        str(today()),
    )
    # Reported once, and carried: the next export has nothing new to say.
    assert _documents(_export(tmp_path, "3", changes=True)) == {}


def test_a_decision_waiting_for_approval_is_not_yet_reported(
    make_report: ReportFactory, unit: Unit, caseworker: User, leader: User, tmp_path: Path
) -> None:
    case = make_report(received_on=date(2026, 3, 1)).case
    approval_rule_add(
        unit=unit, by=leader, law=Law.BVL2021.value, chapter="4", section="", added_on=date(2026, 1, 1)
    )
    decision = decision_make(
        case=case,
        by=caseworker,
        decided_on=date(2026, 3, 5),
        bases=LegalBases(LegalBasis(Law.BVL2021, "4", "2")),
        summary="Akuttvedtak.",
    )
    assert export_case(case).find(f"Sak/Vedtak[@Id='{decision.register_id}']") is None
    decision_approve(decision=decision, by=leader)
    assert export_case(case).find(f"Sak/Vedtak[@Id='{decision.register_id}']") is not None


def test_a_document_breaking_the_xsd_rejects_the_whole_delivery(full_case: Case, tmp_path: Path) -> None:
    Measure.objects.filter(case=full_case).update(category="9.9")
    with pytest.raises(DeliveryRejected) as caught:
        export(full_case.unit, folder=tmp_path / "out", changes=False, run_by="test")
    assert full_case.journal_number in caught.value.errors[0]
    assert not (tmp_path / "out").exists()
    assert list(tmp_path.iterdir()) == []
    assert not Delivery.objects.exists()
    assert not Document.objects.exists()


def test_the_target_folder_must_be_new_or_empty(full_case: Case, tmp_path: Path) -> None:
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "old.xml").write_text("x")
    with pytest.raises(CommandError, match="ikke tom"):
        call_command("export_register", unit="4601", out=str(tmp_path / "out"), stdout=_Quiet())
    with pytest.raises(CommandError, match="Ingen barneverntjeneste"):
        call_command("export_register", unit="9999", out=str(tmp_path / "new"), stdout=_Quiet())


def test_a_child_not_yet_identified_has_no_personalia_and_the_control_says_so(
    make_report: ReportFactory, tmp_path: Path
) -> None:
    case = make_report(received_on=date(2026, 3, 1)).case
    case.child.identity_kind, case.child.identity_number, case.child.gender = "unidentified", "", ""
    case.child.save()
    root = export_case(case)
    assert schema_errors(root) == []
    assert root.find("Sak/Personalia") is None
    (result,) = check_unit(case.unit)
    assert "Personalia 11" in {f.rule for f in result.findings}


def test_the_control_gives_the_same_findings_from_the_database_and_from_the_file(
    full_case: Case, make_report: ReportFactory, tmp_path: Path
) -> None:
    make_report(received_on=date(2026, 11, 1), child=child_facts(birth=date(2001, 5, 5)))
    out = _export(tmp_path, "levering")
    from_db = {r.journal_number: r.findings for r in check_unit(full_case.unit)}
    from_files = {r.journal_number: r.findings for r in (check_file(p) for p in out.glob("*.xml"))}
    assert from_db == from_files
    assert any(from_db.values()), "the adult without a measure gives findings"


def test_files_naming_their_previous_documents_are_checked_with_them(
    full_case: Case, make_report: ReportFactory, tmp_path: Path, django_assert_max_num_queries: Any
) -> None:
    make_report(received_on=date(2026, 11, 1), child=child_facts(birth=date(2001, 5, 5)))
    _export(tmp_path, "første")
    out = _export(tmp_path, "andre")
    files = sorted(out.glob("*.xml"))
    assert len(files) > 1
    assert all(b"ForrigeId=" in p.read_bytes() for p in files)
    with django_assert_max_num_queries(1):  # the previous documents of all of them at once
        from_files = {r.journal_number: r.findings for r in check_files(files)}
    assert from_files == {r.journal_number: r.findings for r in check_unit(full_case.unit)}
    assert from_files == {r.journal_number: r.findings for r in (check_file(p) for p in files)}


def test_send_hands_the_kept_documents_to_the_outbox(full_case: Case, tmp_path: Path, settings: Any) -> None:
    settings.VERN_REGISTER_OUTBOX = str(tmp_path / "utboks")
    out = _export(tmp_path, "levering")
    delivery = Delivery.objects.get()
    call_command("send_register", stdout=_Quiet())
    sent = tmp_path / "utboks" / str(delivery.delivery_id)
    assert (sent / f"{full_case.register_id}.xml").read_bytes() == (
        out / f"{full_case.register_id}.xml"
    ).read_bytes()
    assert json.loads((sent / "manifest.json").read_text())["delivery_id"] == str(delivery.delivery_id)
    delivery.refresh_from_db()
    assert delivery.sent_at is not None


def test_kept_documents_cannot_be_changed_or_deleted(full_case: Case, tmp_path: Path) -> None:
    _export(tmp_path, "levering")
    with pytest.raises(DatabaseError), transaction.atomic():
        Document.objects.update(body=b"changed")
    with pytest.raises(DatabaseError), transaction.atomic():
        Document.objects.all().delete()


def test_check_register_command(full_case: Case, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = _export(tmp_path, "levering")
    with pytest.raises(SystemExit) as exited:
        call_command("check_register", file=str(out), json=True)
    report = json.loads(capsys.readouterr().out)
    assert report["checked"] == 1
    rules = {f["rule"] for case in report["cases"] for f in case["findings"]}
    assert "Avgiver 1" in rules  # Bergen reports per district
    assert exited.value.code == 1


def test_documents_built_in_worker_processes_are_the_ones_built_alone(
    full_case: Case, make_report: ReportFactory, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for n, first in enumerate(("Ada", "Bo", "Cim", "Dag", "Eli")):
        make_report(child=child_facts(first=first, last=f"Lie{n}", birth=date(2010 + n, 1, 1 + n)))
    batches = build.batches
    monkeypatch.setattr(build, "batches", lambda ids: batches(ids, 2))  # several batches in flight
    delivered = {}
    for workers in (1, 3):
        out = tmp_path / f"workers-{workers}"
        export(full_case.unit, folder=out, changes=False, run_by="test", workers=workers)
        manifest = json.loads((out / "manifest.json").read_text())
        delivered[workers] = [
            (entry["file"], content_sha256(parse((out / entry["file"]).read_bytes()).find("Sak")))  # type: ignore[arg-type]
            for entry in manifest["documents"]
        ]
    assert len(delivered[1]) == Case.objects.filter(unit=full_case.unit).count() == 6
    assert delivered[3] == delivered[1]  # the same documents, in the same (case) order
