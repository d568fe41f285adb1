"""The register's validation rules, rule by rule, on hand-made documents (no database)."""

from __future__ import annotations

import re
from datetime import date
from importlib import resources

import pytest

from tests.register.documents import E, barnevern, basis, personalia, relation, sak, uid
from vern.core.identity import make_fodselsnummer
from vern.register import control
from vern.register.control import RULES_BY_ID, Severity
from vern.register.xml import Element, parse, schema_errors, to_bytes


def _findings(
    *children: Element, extracted: str = "2026-11-30T12:00:00+01:00", **case: str
) -> dict[str, list[control.Finding]]:
    root = parse(to_bytes(barnevern(sak(*children, **case), extracted=extracted)))
    assert schema_errors(root) == [], "hand-made test documents are XSD-valid"
    found: dict[str, list[control.Finding]] = {}
    for finding in control.check(root):
        found.setdefault(finding.rule, []).append(finding)
    return found


def _report(start: str = "2024-01-10", *children: Element, **extra: str) -> Element:
    return E.Melding(*children, Id=extra.pop("Id", uid()), StartDato=start, **extra)


def _concluded(start: str, end: str, *children: Element, **extra: str) -> Element:
    return _report(start, *children, E.Konklusjon(SluttDato=end, Kode="1"), **extra)


def test_every_rule_of_the_specification_is_implemented() -> None:
    """Each "Kontroll" heading of the bundled Kravspesifikasjon, except those marked UTGÅR."""
    text = (
        resources.files("vern.register").joinpath("schema/Kravspesifikasjon.md").read_text(encoding="utf-8")
    )
    headings = re.findall(r"^#{3,4}\s+(?:#+\s*)?(.*?)\s+[Kk]ontroll\s+(\w+)\s*:", text, re.MULTILINE)
    wanted = {f"{concept} {number}" for concept, number in headings if not concept.startswith("UTGÅR")}
    assert len(wanted) == 78
    assert wanted == set(RULES_BY_ID)


def test_a_clean_case_has_no_findings() -> None:
    """Bergen reports per district (Avgiver 1): the only finding for a unit without one."""
    report, investigation, decision, measure = uid(), uid(), uid(), uid()
    found = _findings(
        personalia(date(2015, 3, 14)),
        _concluded("2024-01-10", "2024-01-15", E.Melder(Kode="11"), E.Saksinnhold(Kode="3"), Id=report),
        E.Undersokelse(
            E.Vedtaksgrunnlag(Kode="3"),
            E.Konklusjon(SluttDato="2024-03-01", Kode="1"),
            Id=investigation,
            StartDato="2024-01-15",
        ),
        E.Tiltak(basis("BVL2021", "3", "1"), E.Kategori(Kode="3.2"), Id=measure, StartDato="2024-03-05"),
        E.Vedtak(
            basis("BVL2021", "3", "1"),
            E.Status(Id=uid(), EndretDato="2024-03-01", Kode="1"),
            Id=decision,
            StartDato="2024-03-01",
        ),
        relation("Melding", report, "Undersokelse", investigation),
        relation("Undersokelse", investigation, "Vedtak", decision),
        relation("Vedtak", decision, "Tiltak", measure),
    )
    assert set(found) == {"Avgiver 1"}


def test_review_late_and_conclusion_without_reporter_or_content() -> None:
    found = _findings(personalia(), _concluded("2024-01-10", "2024-01-18"))
    assert {"Melding 3", "Melding 4", "Melding 5"} <= set(found)
    assert found["Melding 3"][0].severity is Severity.WARNING
    assert (
        found["Melding 3"][0].message
        == "Fristoverskridelse på behandlingstid for melding, (10.01.2024 -> 18.01.2024)"
    )
    assert found["Melding 4"][0].severity is Severity.ERROR


def test_seven_days_is_on_time() -> None:
    found = _findings(
        personalia(), _concluded("2024-01-10", "2024-01-17", E.Melder(Kode="11"), E.Saksinnhold(Kode="3"))
    )
    assert "Melding 3" not in found


def test_specifications_required_for_other_codes() -> None:
    found = _findings(personalia(), _report("2024-01-10", E.Melder(Kode="22"), E.Saksinnhold(Kode="19")))
    assert found["Melder 2"][0].message == "Melder med kode (22) mangler presisering"
    assert found["Saksinnhold 2"][0].message == "Saksinnhold med kode (19) mangler presisering"
    specified = _findings(
        personalia(),
        _report("2024-01-10", E.Melder(Kode="22", Presisering="Tolketjenesten"), E.Saksinnhold(Kode="3")),
    )
    assert "Melder 2" not in specified


def test_dates_against_the_case() -> None:
    found = _findings(personalia(), _report("2023-12-01"), start=date(2024, 1, 10), SluttDato="2024-06-01")
    assert (
        found["Melding 2e"][0].message == "Meldingens startdato 01.12.2023 er før sakens startdato 10.01.2024"
    )
    assert found["Melding 2e"][0].severity is Severity.ERROR


def test_migrated_items_get_warnings_where_the_specification_says_so() -> None:
    found = _findings(personalia(), _report("2023-12-01", MigrertId="K-1"), start=date(2024, 1, 10))
    assert found["Melding 2e"][0].severity is Severity.WARNING


def test_case_dates_out_of_range() -> None:
    found = _findings(personalia(), _report("1999-05-05"), start=date(1999, 5, 5))
    (finding,) = [f for f in found["Sak 1"] if "Melding" in f.message]
    assert (
        finding.message == "Sak/Melding/StartDato: Dato (05.05.1999) må være mellom 01.01.2000 og 31.12.2052"
    )


def test_no_personalia_and_an_empty_open_case() -> None:
    found = _findings()
    assert set(found) >= {"Personalia 11", "Sak 21"}


@pytest.mark.parametrize(
    ("number", "birth", "gender", "rules"),
    [
        ("14031512345", date(2015, 3, 14), "1", {"Personalia 12"}),
        (make_fodselsnummer(date(2015, 3, 14), 124), date(2015, 3, 15), "2", {"Personalia 13"}),
        (make_fodselsnummer(date(2015, 3, 14), 124), date(2015, 3, 14), "1", {"Personalia 14"}),
        ("14031500100", date(2015, 3, 14), "1", {"Personalia 18"}),
        ("14031500200", date(2015, 3, 14), "1", {"Personalia 14", "Personalia 18"}),
        (
            make_fodselsnummer(date(2015, 3, 14), 125, d_number=True),
            date(2015, 3, 14),
            "1",
            {"Personalia 18"},
        ),
    ],
)
def test_identity_numbers(number: str, birth: date, gender: str, rules: set[str]) -> None:
    found = _findings(personalia(birth, number=number, gender=gender, StartDato="2024-01-10"), _report())
    assert {r for r in found if r.startswith("Personalia")} == rules


def test_unborn_child_after_birth_and_too_early() -> None:
    term = date(2024, 3, 1)
    found = _findings(
        personalia(term, number=f"{term:%d%m%y}99999", gender="0", StartDato="2024-03-10"),
        _report("2024-03-10"),
        start=date(2024, 3, 10),
    )
    assert "Personalia 15" in found
    early = _findings(
        personalia(date(2025, 3, 1), number="01032599999", gender="0", StartDato="2024-05-01"),
        _report("2024-05-01"),
        start=date(2024, 5, 1),
    )
    assert "Personalia 16" in early


def test_adults() -> None:
    found = _findings(personalia(date(2001, 1, 1)), _report())
    assert found["Sak 7"][0].message == "Klienten er over 25 år og skal avsluttes som klient. Alder: 25 år."
    assert "Sak 8" in found
    closed = _findings(
        personalia(date(2001, 1, 1)),
        _concluded("2024-01-10", "2024-01-12", E.Melder(Kode="1"), E.Saksinnhold(Kode="3")),
        SluttDato="2024-02-01",
    )
    assert "Sak 7" not in closed
    assert "Sak 8" not in closed


def test_investigation_rules() -> None:
    report, late, concluded = uid(), uid(), uid()
    found = _findings(
        personalia(),
        _concluded("2026-01-10", "2026-01-15", E.Melder(Kode="11"), E.Saksinnhold(Kode="3"), Id=report),
        E.Undersokelse(Id=late, StartDato="2026-01-15"),
        E.Undersokelse(E.Konklusjon(SluttDato="2026-03-01", Kode="1"), Id=concluded, StartDato="2026-01-15"),
        relation("Melding", report, "Undersokelse", late),
    )
    assert [f.item_id for f in found["Undersøkelse 11"]] == [late]
    assert "7 + 180" in found["Undersøkelse 11"][0].message
    assert [f.item_id for f in found["Undersøkelse 20"]] == [concluded]
    assert [f.item_id for f in found["Undersøkelse 7"]] == [concluded]
    assert found["Undersøkelse 21"][0].severity is Severity.ERROR


def test_investigation_due_with_and_without_extension() -> None:
    """Undersøkelse 11 counts days: 7 + 90 after the report, 7 + 180 with a granted extension."""
    report, investigation = uid(), uid()

    def found(extracted: str, *extension: Element) -> list[control.Finding]:
        return _findings(
            personalia(),
            _concluded("2026-01-10", "2026-01-15", E.Melder(Kode="11"), E.Saksinnhold(Kode="3"), Id=report),
            E.Undersokelse(*extension, Id=investigation, StartDato="2026-01-15"),
            relation("Melding", report, "Undersokelse", investigation),
            extracted=extracted,
        ).get("Undersøkelse 11", [])

    assert found("2026-04-17T12:00:00+02:00") == []  # 97 days
    assert len(found("2026-04-18T12:00:00+02:00")) == 1  # 98 days
    granted = E.UtvidetFrist(StartDato="2026-03-01", Innvilget="1")
    assert found("2026-04-18T12:00:00+02:00", granted) == []
    refused = E.UtvidetFrist(StartDato="2026-03-01", Innvilget="2")
    assert len(found("2026-04-18T12:00:00+02:00", refused)) == 1


def _decision(*children: Element, start: str = "2024-03-01", **extra: str) -> Element:
    statuses = [c for c in children if c.tag == "Status"] or [E.Status(Id=uid(), EndretDato=start, Kode="1")]
    others = [c for c in children if c.tag != "Status"]
    bases = [c for c in others if c.tag == "Lovhjemmel"] or [basis("BVL2021", "3", "1")]
    rest = [c for c in others if c.tag != "Lovhjemmel"]
    konklusjon = [c for c in rest if c.tag == "Konklusjon"]
    krav = [c for c in rest if c.tag == "Krav"]
    return E.Vedtak(
        *bases, *krav, *statuses, *konklusjon, Id=extra.pop("Id", uid()), StartDato=start, **extra
    )


def test_decision_rules() -> None:
    ended = _decision(
        E.Status(Id=uid(), EndretDato="2024-03-01", Kode="1"),
        E.Status(Id=uid(), EndretDato="2024-05-01", Kode="4"),
    )
    old_law = _decision(basis("BVL", "4", "4"), start="2023-02-01")
    referred = _decision(E.Status(Id=uid(), EndretDato="2024-03-01", Kode="2"))
    claim = _decision(
        E.Krav(E.Konklusjon(SluttDato="2024-01-01", Kode="1"), Id=uid(), StartDato="2024-02-01")
    )
    found = _findings(personalia(), _report(), ended, old_law, referred, claim)
    assert found["Vedtak 3"][0].message == "Vedtak med status 4 = 'Avslått / Avsluttet' mangler sluttdato"
    assert (
        found["Vedtak 5"][0].message
        == "Lovhjemmel opprettet på 01. januar 2023 eller senere krever lov = 'BVL2021'"
    )
    assert found["Vedtak 20"][0].item_id == referred.get("Id")
    assert {f.item_id for f in found["Vedtak 2f"]} == {claim.get("Id")}
    assert "Vedtak 19" not in found


def test_referral_related_in_either_direction_satisfies_vedtak_20() -> None:
    decision = _decision(E.Status(Id=uid(), EndretDato="2024-03-01", Kode="2"))
    referral = E.OversendelseFylkesnemnd(basis("BVL2021", "5", "1"), Id=uid(), StartDato="2024-03-01")
    for link in (
        relation("Vedtak", decision.get("Id"), "OversendelseFylkesnemnd", referral.get("Id")),
        relation("OversendelseFylkesnemnd", referral.get("Id"), "Vedtak", decision.get("Id")),
    ):
        found = _findings(personalia(), _report(), decision, referral, link)
        assert "Vedtak 20" not in found


def _measure(
    code: str, start: str, *children: Element, law: tuple[str, str, str] = ("BVL2021", "3", "1"), **extra: str
) -> Element:
    end = [c for c in children if c.tag == "Konklusjon"]
    others = [c for c in children if c.tag != "Konklusjon"]
    return E.Tiltak(
        basis(*law), E.Kategori(Kode=code), *others, *end, Id=extra.pop("Id", uid()), StartDato=start, **extra
    )


def test_placements_overlapping_more_than_90_days() -> None:
    a = _measure("2.2", "2024-01-01", E.Konklusjon(SluttDato="2024-06-01"))
    b = _measure("1.1", "2024-03-01")
    c = _measure("2.1", "2024-05-31")
    decision = _decision()
    links = [relation("Vedtak", decision.get("Id"), "Tiltak", m.get("Id")) for m in (a, b, c)]
    found = _findings(personalia(), _report(), a, b, c, decision, *links)
    # a and b share 92 days, b and c two years; a and c one day.
    overlaps = {(f.item_id, f.message.rsplit(" ", 1)[-1].rstrip(".")) for f in found["Tiltak 9"]}
    assert overlaps == {(a.get("Id"), b.get("Id")), (b.get("Id"), c.get("Id"))}
    first = next(f for f in found["Tiltak 9"] if f.item_id == a.get("Id"))
    assert "(01.03.2024 - 01.06.2024)" in first.message
    assert "Antall dager overlapp: 92 dager" in first.message


def test_care_orders() -> None:
    decision = _decision(basis("BVL2021", "5", "1"))
    ended = _measure("2.2", "2024-03-05", E.Konklusjon(SluttDato="2025-01-01"), law=("BVL2021", "5", "1"))
    running = _measure("2.1", "2025-01-01", law=("BVL2021", "5", "1"))
    links = [relation("Vedtak", decision.get("Id"), "Tiltak", m.get("Id")) for m in (ended, running)]
    found = _findings(personalia(date(2007, 1, 1)), _report(), ended, running, decision, *links)
    assert [f.item_id for f in found["Tiltak 12"]] == [ended.get("Id")]
    assert [f.item_id for f in found["Tiltak 13"]] == [running.get("Id")]


def test_measure_rules() -> None:
    decision = _decision()
    kindergarten = _measure("4.1", "2024-03-05")
    other = _measure("3.99", "2024-03-05")
    zero = _measure("3.2", "2024-03-05", law=("BVL2021", "0", "1"))
    unrelated = _measure("3.2", "2024-04-05")
    wrong_basis = _measure("3.2", "2024-03-06", law=("BVL2021", "3", "2"))
    links = [
        relation("Vedtak", decision.get("Id"), "Tiltak", m.get("Id"))
        for m in (kindergarten, other, zero, wrong_basis)
    ]
    found = _findings(
        personalia(date(2012, 1, 1)),
        _report(),
        kindergarten,
        other,
        zero,
        unrelated,
        wrong_basis,
        decision,
        *links,
    )
    assert found["Tiltak 5"][0].message == "Barnet er over 7 år og i barnehage. Alder: 14 år."
    assert found["Tiltak 7"][0].item_id == other.get("Id")
    assert found["Tiltak 14"][0].item_id == zero.get("Id")
    assert [f.item_id for f in found["Tiltak 20"]] == [unrelated.get("Id")]
    assert {f.item_id for f in found["Tiltak 21"]} == {zero.get("Id"), wrong_basis.get("Id")}


def test_duplicates_with_different_ids() -> None:
    plan = E.Plan(E.Evaluering(UtfortDato="2024-05-01"), StartDato="2024-02-01", Plantype="1", Id=uid())
    twin = E.Plan(
        E.Evaluering(UtfortDato="2024-05-01"), StartDato="2024-02-01", Plantype="1", Id=uid(), MigrertId="X"
    )
    found = _findings(personalia(), _report(), plan, twin)
    assert [f.item_id for f in found["Plan 19"]] == [twin.get("Id")]
    assert found["Plan 19"][0].severity is Severity.INFO


def test_deleted_items_are_not_checked() -> None:
    found = _findings(
        personalia(), _report("2023-01-01", ErSlettet="true"), _report(), start=date(2024, 1, 10)
    )
    assert "Melding 2e" not in found


def test_slettet_must_name_a_known_item_when_the_previous_document_is_known() -> None:
    known = {("Melding", "a" * 8)}
    root = parse(
        to_bytes(
            barnevern(
                sak(personalia(), _report(), E.Slettet(Id=uid(), Type="Tiltak", SluttDato="2024-05-01"))
            )
        )
    )
    assert [f.rule for f in control.check(root, known=known) if f.rule == "Sak 22"] == ["Sak 22"]
    assert [f.rule for f in control.check(root) if f.rule == "Sak 22"] == []


def test_district_municipalities_must_name_their_district() -> None:
    root = barnevern(sak(personalia(), _report()))
    giver = root.find("Avgiver")
    assert giver is not None
    giver.set("Organisasjonsnummer", "958935420")
    found = {f.rule for f in control.check(parse(to_bytes(root)))}
    assert "Avgiver 1" in found


def test_schema_errors_become_fatal_findings() -> None:
    root = barnevern(sak(personalia(), _report()))
    root.find("Sak").set("Journalnummer", "")  # type: ignore[union-attr]
    findings = control.schema_findings(schema_errors(parse(to_bytes(root))))
    assert findings
    assert {f.severity for f in findings} == {Severity.FATAL}
