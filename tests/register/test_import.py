"""Importing register documents: every id kept, all or nothing, idempotent, and a lossless round trip."""

from __future__ import annotations

import io
import itertools
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.register.conftest import export_case, rolled_back, write
from tests.register.documents import (
    E,
    barnevern,
    basis,
    document_bytes,
    personalia,
    relation,
    sak,
    uid,
    valid_documents,
)
from vern.cases.models import Case, IdentityKind
from vern.core.identity import make_fodselsnummer
from vern.core.models import AuditEntry, Unit
from vern.decisions.models import Decision, DecisionStatus
from vern.intake.models import ConcernReport
from vern.investigations.models import Investigation
from vern.investigations.services import investigation_due
from vern.measures.models import Measure, Visit
from vern.register import importer
from vern.register.importer import ImportRejected, import_path
from vern.register.models import Delivery, Document
from vern.register.xml import canonical, parse, schema_errors

pytestmark = pytest.mark.django_db
_files = itertools.count()


def _import(tmp_path: Path, *roots_or_bytes: object) -> Path:
    folder = tmp_path / f"import-{next(_files)}"
    for n, doc in enumerate(roots_or_bytes):
        data = doc if isinstance(doc, bytes) else document_bytes(doc)  # type: ignore[arg-type]
        write(folder, f"{n:04d}.xml", data)
    return folder


def _sak_of(data: bytes) -> tuple[object, ...]:
    found = parse(data).find("Sak")
    assert found is not None
    return canonical(found)


def _round_trip(unit: Unit, data: bytes, tmp_path: Path) -> None:
    import_path(_import(tmp_path, data), run_by="test")
    sak_id = parse(data).find("Sak").get("Id")  # type: ignore[union-attr]
    exported = export_case(Case.objects.get(register_id=sak_id), unit)
    assert schema_errors(exported) == []
    assert canonical(exported.find("Sak")) == _sak_of(data)  # type: ignore[arg-type]
    giver = exported.find("Avgiver")
    assert giver is not None
    assert (giver.get("Kommunenummer"), giver.get("Bydelsnummer")) == ("4601", None)


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
    ],
)
@given(data=valid_documents())
def test_round_trip_of_any_valid_document(unit: Unit, tmp_path: Path, data: bytes) -> None:
    """Export right after import gives the same Sak: same elements, same attribute values."""
    assert schema_errors(parse(data)) == [], "the strategy makes XSD-valid documents"
    with rolled_back():
        _round_trip(unit, data, tmp_path)


def _counts() -> dict[str, int]:
    models = (
        Case,
        ConcernReport,
        Investigation,
        Decision,
        DecisionStatus,
        Measure,
        Visit,
        Document,
        Delivery,
        AuditEntry,
    )
    return {m.__name__: m.objects.count() for m in models}


@settings(
    max_examples=10,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=valid_documents())
def test_importing_twice_changes_nothing_the_second_time(unit: Unit, tmp_path: Path, data: bytes) -> None:
    with rolled_back():
        folder = _import(tmp_path, data)
        first = import_path(folder, run_by="test")
        assert first.imported == 1
        before = _counts()
        second = import_path(folder, run_by="test")
        assert (second.imported, second.already_imported) == (0, 1)
        assert _counts() == before


# ---------------------------------------------------------------------------------------------
# Hand-made edge cases


def _report(report_id: str, start: str = "2024-01-10", *children: object) -> object:
    return E.Melding(E.Melder(Kode="11"), E.Saksinnhold(Kode="3"), *children, Id=report_id, StartDato=start)


def test_unborn_child(unit: Unit, tmp_path: Path) -> None:
    term = date(2026, 12, 20)
    report_id = uid()
    doc = barnevern(
        sak(
            personalia(term, number=f"{term:%d%m%y}99999", gender="0", StartDato="2026-10-01"),
            _report(report_id, "2026-10-01"),
            start=date(2026, 10, 1),
        )
    )
    _round_trip(unit, document_bytes(doc), tmp_path)
    child = Case.objects.get(journal_number=doc.find("Sak").get("Journalnummer")).child  # type: ignore[union-attr]
    assert (child.identity_kind, child.gender, child.birth_date) == (IdentityKind.UNBORN, "0", term)


def test_d_number_and_duf(unit: Unit, tmp_path: Path) -> None:
    d_number = make_fodselsnummer(date(2012, 5, 2), 77, d_number=True)
    doc = barnevern(
        sak(personalia(date(2012, 5, 2), number=d_number, DUFnummer="201512345678"), _report(uid()))
    )
    _round_trip(unit, document_bytes(doc), tmp_path)
    child = Case.objects.get(register_id=doc.find("Sak").get("Id")).child  # type: ignore[union-attr]
    assert (child.identity_kind, child.identity_number, child.duf_number) == (
        IdentityKind.D_NUMMER,
        d_number,
        "201512345678",
    )


def test_child_known_only_by_duf_number(unit: Unit, tmp_path: Path) -> None:
    doc = barnevern(
        sak(
            personalia(date(2013, 8, 9), number="09081300200", gender="2", DUFnummer="201698765432"),
            _report(uid()),
        )
    )
    _round_trip(unit, document_bytes(doc), tmp_path)
    child = Case.objects.get(register_id=doc.find("Sak").get("Id")).child  # type: ignore[union-attr]
    assert child.identity_kind == IdentityKind.DUF


def test_extended_investigation_keeps_its_six_months(unit: Unit, tmp_path: Path) -> None:
    report_id, investigation_id = uid(), uid()
    doc = barnevern(
        sak(
            personalia(),
            _report(report_id, "2026-06-01", E.Konklusjon(SluttDato="2026-06-05", Kode="2")),
            E.Undersokelse(
                E.UtvidetFrist(StartDato="2026-08-20", Innvilget="1"),
                Id=investigation_id,
                StartDato="2026-06-05",
            ),
            relation("Melding", report_id, "Undersokelse", investigation_id),
        )
    )
    _round_trip(unit, document_bytes(doc), tmp_path)
    investigation = Investigation.objects.get(register_id=investigation_id)
    assert investigation.is_extended
    assert investigation_due(investigation) == date(2026, 12, 5)


def test_extension_refused_is_kept_but_does_not_extend(unit: Unit, tmp_path: Path) -> None:
    report_id, investigation_id = uid(), uid()
    doc = barnevern(
        sak(
            personalia(),
            _report(report_id, "2026-06-01", E.Konklusjon(SluttDato="2026-06-05", Kode="2")),
            E.Undersokelse(
                E.UtvidetFrist(StartDato="2026-08-20", Innvilget="2"),
                Id=investigation_id,
                StartDato="2026-06-05",
            ),
            relation("Melding", report_id, "Undersokelse", investigation_id),
        )
    )
    _round_trip(unit, document_bytes(doc), tmp_path)
    assert not Investigation.objects.get(register_id=investigation_id).is_extended


def test_migrated_ids_are_kept(unit: Unit, tmp_path: Path) -> None:
    report_id = uid()
    doc = barnevern(sak(personalia(), _report(report_id), MigrertId="KOSTRA-2019-0042"))
    doc.find("Sak/Melding").set("MigrertId", "M-17")  # type: ignore[union-attr]
    _round_trip(unit, document_bytes(doc), tmp_path)
    exported = export_case(Case.objects.get(register_id=doc.find("Sak").get("Id")), unit)  # type: ignore[union-attr]
    assert exported.find("Sak").get("MigrertId") == "KOSTRA-2019-0042"  # type: ignore[union-attr]
    assert exported.find("Sak/Melding").get("MigrertId") == "M-17"  # type: ignore[union-attr]


def test_deleted_items_are_kept_but_not_taken_in(unit: Unit, tmp_path: Path) -> None:
    live, gone, earlier = uid(), uid(), uid()
    doc = barnevern(
        sak(
            personalia(),
            _report(live),
            E.Melding(Id=gone, StartDato="2024-02-01", ErSlettet="true"),
            E.Slettet(Id=earlier, Type="Tiltak", SluttDato="2024-03-01"),
        )
    )
    _round_trip(unit, document_bytes(doc), tmp_path)
    assert ConcernReport.objects.filter(register_id=live).exists()
    assert not ConcernReport.objects.filter(register_id=gone).exists()


def test_a_case_deleted_at_the_source_is_kept_as_a_document_only(unit: Unit, tmp_path: Path) -> None:
    doc = barnevern(sak(personalia(), _report(uid()), ErSlettet="true"))
    result = import_path(_import(tmp_path, doc), run_by="test")
    assert (result.imported, result.deleted) == (0, 1)
    assert not Case.objects.exists()
    assert Document.objects.get(document_id=doc.get("Id")).case is None


def test_measures_and_visits_keep_their_ids(unit: Unit, tmp_path: Path) -> None:
    decision_id, measure_id, visit_id = uid(), uid(), uid()
    doc = barnevern(
        sak(
            personalia(),
            E.Tiltak(
                basis("BVL2021", "5", "1"),
                E.Kategori(Kode="2.2"),
                E.Oppfolging(
                    E.Hyppighet(Id=uid(), StartDato="2024-03-01", Kode="4"),
                    E.Utfort(Id=visit_id, UtfortDato="2024-05-01"),
                ),
                Id=measure_id,
                StartDato="2024-03-01",
            ),
            E.Vedtak(
                basis("BVL2021", "5", "1"),
                E.Status(Id=uid(), EndretDato="2024-02-20", Kode="1"),
                Id=decision_id,
                StartDato="2024-02-20",
            ),
            relation("Vedtak", decision_id, "Tiltak", measure_id),
        )
    )
    _round_trip(unit, document_bytes(doc), tmp_path)
    measure = Measure.objects.get(register_id=measure_id)
    assert measure.care_order
    assert measure.decision.register_id.hex == decision_id.replace("-", "")
    assert Visit.objects.get(register_id=visit_id).measure == measure


def test_worker_processes_import_what_one_process_does(
    unit: Unit, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(importer, "CHUNK", 2)  # five files: three chunks, read in two workers
    docs = [barnevern(sak(personalia(date(2015, 3, 1 + n)), _report(uid()))) for n in range(5)]
    result = import_path(_import(tmp_path, *docs), run_by="test", workers=2)
    assert result.imported == 5
    wanted = {doc.find("Sak").get("Id") for doc in docs}  # type: ignore[union-attr]
    assert {str(i) for i in Case.objects.values_list("register_id", flat=True)} == wanted
    assert ConcernReport.objects.filter(case__unit=unit).count() == 5
    # A problem found in a worker names the file, line and element as one process does.
    again = _import(tmp_path, *docs[:4], barnevern(sak(personalia(), _report(uid())), Id=docs[4].get("Id")))
    found = {}
    for workers in (1, 2):
        with pytest.raises(ImportRejected) as caught:
            import_path(again, run_by="test", workers=workers)
        found[workers] = caught.value.problems
    assert found[1] == found[2]
    assert [(Path(p.file).name, p.element) for p in found[2]][-1] == ("0004.xml", "/Barnevern")


def _of_child(number: str, *, closed: str | None = None) -> object:
    ended = {"SluttDato": closed} if closed else {}
    return barnevern(sak(personalia(date(2014, 6, 1), number=number), _report(uid()), **ended))


@pytest.mark.parametrize("chunk", [500, 1])
def test_a_child_numbered_in_several_documents_is_one_child(
    unit: Unit, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, chunk: int
) -> None:
    monkeypatch.setattr(importer, "CHUNK", chunk)  # found in the same chunk, or in Vern
    number = make_fodselsnummer(date(2014, 6, 1), 321)
    docs = [_of_child(number, closed="2024-06-01"), _of_child(number, closed="2025-01-01"), _of_child(number)]
    other = barnevern(sak(personalia(date(2016, 2, 2)), _report(uid())))
    import_path(_import(tmp_path, *docs, other), run_by="test", workers=1)
    assert Case.objects.filter(child__identity_number=number).count() == 3
    assert Case.objects.values("child").distinct().count() == 2


@pytest.mark.parametrize(
    ("in_vern", "reason"),
    [
        ("nothing", "annen åpen sak i samme import"),
        ("a closed case", "annen åpen sak i samme import"),
        ("an open case", "allerede en åpen sak i denne tjenesten"),
    ],
)
def test_a_second_open_case_for_the_same_child_is_refused(
    unit: Unit, tmp_path: Path, in_vern: str, reason: str
) -> None:
    number = make_fodselsnummer(date(2014, 6, 1), 321)
    if in_vern != "nothing":
        closed = "2024-06-01" if in_vern == "a closed case" else None
        import_path(_import(tmp_path, _of_child(number, closed=closed)), run_by="test")
    before = Case.objects.count()
    docs = [_of_child(number)] if in_vern == "an open case" else [_of_child(number), _of_child(number)]
    with pytest.raises(ImportRejected) as caught:
        import_path(_import(tmp_path, *docs), run_by="test")
    (problem,) = caught.value.problems
    assert reason in problem.reason
    assert Case.objects.count() == before


# ---------------------------------------------------------------------------------------------
# Refused, with the reason and nothing changed


def test_a_folder_is_all_or_nothing(unit: Unit, tmp_path: Path) -> None:
    good = barnevern(sak(personalia(), _report(uid())))
    bad = b"<Barnevern><Fagsystem/>"
    folder = _import(tmp_path, good, bad)
    with pytest.raises(ImportRejected) as caught:
        import_path(folder, run_by="test")
    assert not Case.objects.exists()
    assert not Document.objects.exists()
    (problem,) = caught.value.problems
    assert problem.file.endswith("0001.xml")
    assert problem.line == 1
    assert "ikke gyldig XML" in problem.reason


def test_an_invalid_document_names_file_line_and_element(unit: Unit, tmp_path: Path) -> None:
    doc = barnevern(sak(personalia(), _report(uid())))
    doc.find("Sak/Melding/Melder").set("Kode", "99")  # type: ignore[union-attr]
    data = document_bytes(doc)
    with pytest.raises(ImportRejected) as caught:
        import_path(_import(tmp_path, data), run_by="test")
    (problem,) = caught.value.problems
    assert problem.element.endswith("Melder")
    assert problem.line == next(
        n for n, line in enumerate(data.decode().splitlines(), 1) if "<Melder" in line
    )
    assert "Kode" in problem.reason


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ("investigation_without_report", "ingen relasjon fra en melding"),
        ("measure_without_decision", "ingen relasjon fra et vedtak"),
        ("no_personalia", "mangler Personalia"),
        ("bad_number", "ugyldig fødselsnummer"),
        ("unknown_municipality", "ingen barneverntjeneste"),
    ],
)
def test_what_vern_cannot_hold_is_refused(unit: Unit, tmp_path: Path, change: str, reason: str) -> None:
    children: list[object] = [personalia(), _report(uid())]
    if change == "investigation_without_report":
        children.append(E.Undersokelse(Id=uid(), StartDato="2024-01-17"))
    elif change == "measure_without_decision":
        children.append(E.Tiltak(basis(), E.Kategori(Kode="3.2"), Id=uid(), StartDato="2024-02-01"))
    elif change == "no_personalia":
        children.pop(0)
    elif change == "bad_number":
        children[0] = personalia(number="14031512345")
    doc = barnevern(sak(*children))
    if change == "unknown_municipality":
        doc.find("Avgiver").set("Kommunenummer", "9999")  # type: ignore[union-attr]
    with pytest.raises(ImportRejected) as caught:
        import_path(_import(tmp_path, doc), run_by="test")
    assert any(reason in p.reason for p in caught.value.problems), caught.value.problems
    assert not Case.objects.exists()


def test_an_id_vern_already_has_is_refused(unit: Unit, tmp_path: Path) -> None:
    report_id = uid()
    import_path(_import(tmp_path, barnevern(sak(personalia(), _report(report_id)))), run_by="test")
    other = barnevern(sak(personalia(date(2016, 1, 1)), _report(report_id)))
    with pytest.raises(ImportRejected) as caught:
        import_path(_import(tmp_path, other), run_by="test")
    assert any("finnes allerede i Vern" in p.reason for p in caught.value.problems)
    assert Case.objects.count() == 1


def test_entities_are_never_expanded(unit: Unit, tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("hemmelig")
    hostile = (
        f'<?xml version="1.0"?><!DOCTYPE Barnevern [<!ENTITY x SYSTEM "file://{secret}">'
        '<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'
        '<Barnevern Id="&x;&b;"/>'
    ).encode()
    with pytest.raises(ImportRejected) as caught:
        import_path(_import(tmp_path, hostile), run_by="test")
    assert "hemmelig" not in str(caught.value)
    assert not Case.objects.exists()


@given(data=st.binary(max_size=300))
@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_arbitrary_bytes_are_refused_with_a_reason(unit: Unit, tmp_path: Path, data: bytes) -> None:
    with rolled_back(), pytest.raises(ImportRejected) as caught:
        import_path(_import(tmp_path, data), run_by="test")
    assert caught.value.problems
    assert all(p.reason for p in caught.value.problems)


def test_the_command_puts_the_imported_open_reviews_on_the_worklists(unit: Unit, tmp_path: Path) -> None:
    from django.core.management import call_command

    from vern.core.dates import today
    from vern.worklists import store
    from vern.worklists.models import StaleCase
    from vern.worklists.selectors import REVIEW, CaseScope

    opened = today().replace(day=1)
    doc = barnevern(sak(personalia(), _report(uid(), opened.isoformat()), start=opened))
    out = io.StringIO()
    call_command("import_register", str(_import(tmp_path, doc)), stdout=out)
    assert "1 saker importert" in out.getvalue(), out.getvalue()
    assert "Frister beregnet for 1 saker" in out.getvalue()
    assert not StaleCase.objects.exists()
    rows = store.open_deadlines(CaseScope(unit_ids=(unit.pk,)), today=today())
    assert REVIEW in {r.kind for r in rows}
