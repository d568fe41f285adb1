"""libxml2's English XSD errors become Norwegian sentences naming the field, about the right item."""

from __future__ import annotations

from tests.register.documents import E, barnevern, basis, personalia, sak, uid
from vern.register import control, schema_text
from vern.register.xml import Element, SchemaError, parse, schema_errors, to_bytes

ENGLISH = ("Element", "attribute", "facet", "expected", "missing", "not a valid", "allowed")


def document() -> tuple[Element, str, str]:
    """A valid document with one report and one measure; their ids."""
    report, measure = uid(), uid()
    root = barnevern(
        sak(
            personalia(),
            E.Melding(E.Melder(Kode="11"), E.Saksinnhold(Kode="3"), Id=report, StartDato="2024-01-10"),
            E.Tiltak(basis("BVL2021", "3", "1"), E.Kategori(Kode="3.2"), Id=measure, StartDato="2024-03-05"),
        )
    )
    assert schema_errors(root) == []
    return root, report, measure


def findings_of(root: Element) -> list[control.Finding]:
    errors = schema_errors(root)
    assert errors, "the mutation should break the XSD"
    return control.schema_findings(errors, root)


def test_a_code_the_register_does_not_take() -> None:
    root, _, measure = document()
    root.find("Sak/Tiltak/Kategori").set("Kode", "1")  # type: ignore[union-attr]
    messages = {(f.concept, f.item_id, f.message) for f in findings_of(root)}
    assert (
        "Tiltak",
        measure,
        "Koden for kategorien kan ikke ha verdien «1»: registeret godtar den ikke.",
    ) in (messages)
    assert ("Tiltak", measure, "Koden for kategorien har 1 tegn, men minst 3 trengs.") in messages


def test_a_missing_attribute_an_unknown_one_and_a_bad_date() -> None:
    root, report, _ = document()
    del root.find("Sak/Personalia").attrib["Fodselsnummer"]  # type: ignore[union-attr]
    melding = root.find("Sak/Melding")
    assert melding is not None
    melding.set("StartDato", "2024-13-01")
    melding.set("Farge", "blå")
    by_concept = {f.concept: f for f in findings_of(root)}
    assert by_concept["Personalia"].message == "Barnets personopplysninger mangler fødselsnummeret."
    messages = [f.message for f in findings_of(root) if f.concept == "Melding"]
    assert "Startdatoen for meldingen er ikke en gyldig dato: «2024-13-01»." in messages
    assert "Farge for meldingen skal ikke være med: registeret tar ikke imot den." in messages
    assert all(f.item_id == report for f in findings_of(root) if f.concept == "Melding")


def test_too_long_and_wrongly_formed() -> None:
    root, _, _ = document()
    case = root.find("Sak")
    assert case is not None
    case.set("Journalnummer", "x" * 40)
    root.find("Avgiver").set("Kommunenummer", "46a1")  # type: ignore[union-attr]
    messages = {f.message for f in findings_of(root)}
    assert "Journalnummeret for saken har 40 tegn, men høyst 36 er tillatt." in messages
    assert "Kommunenummeret for tjenesten som rapporterer har feil form: «46a1»." in messages
    # Outside the items of the case: about the case itself, so the page links to the case.
    assert {(f.concept, f.item_id) for f in findings_of(root)} == {("Sak", None)}


def test_a_missing_or_misplaced_element() -> None:
    root, _, measure = document()
    tiltak = root.find("Sak/Tiltak")
    assert tiltak is not None
    tiltak.remove(tiltak.find("Kategori"))  # type: ignore[arg-type]
    tiltak.append(E.Kategori(Kode="3.2"))  # after the legal basis, where it belongs, then one too many
    tiltak.append(E.Kategori(Kode="3.2"))
    [finding] = findings_of(root)
    assert finding.item_id == measure
    assert finding.message.startswith("Kategorien står på feil sted")
    del tiltak[1:]
    [finding] = findings_of(root)
    # The legal basis may be followed by a cross-reference or the category; libxml2 names both.
    assert finding.message == "Tiltaket mangler jamfør-hjemmelen eller kategorien."


def test_no_english_is_left_in_the_forms_libxml2_gives() -> None:
    root, _, _ = document()
    root.find("Sak/Tiltak/Kategori").set("Kode", "9.9")  # type: ignore[union-attr]
    del root.find("Sak/Personalia").attrib["Kjonn"]  # type: ignore[union-attr]
    root.find("Sak/Melding").set("StartDato", "i går")  # type: ignore[union-attr]
    root.find("Sak").set("Ukjent", "1")  # type: ignore[union-attr]
    for finding in findings_of(root):
        for word in ENGLISH:
            assert word not in finding.message, finding.message


def test_a_form_not_taught_keeps_the_english_after_a_norwegian_sentence() -> None:
    error = SchemaError(3, "/Barnevern/Sak/Tiltak[1]", "Element 'Tiltak': Something new went wrong.")
    assert schema_text.describe(error) == (
        "Tiltaket følger ikke registerets filbeskrivelse (Something new went wrong.)."
    )


def test_a_file_keeps_its_line_numbers() -> None:
    root, _, _ = document()
    root.find("Sak/Tiltak/Kategori").set("Kode", "1")  # type: ignore[union-attr]
    reread = parse(to_bytes(root))
    findings = control.schema_findings(schema_errors(reread), reread)
    assert all(f.message.endswith(")") and "(linje " in f.message for f in findings)


def test_item_of_an_unknown_path_is_the_case() -> None:
    root, _, _ = document()
    assert schema_text.item_of(root, "") == ("Sak", None)
    assert schema_text.item_of(root, "/Barnevern/Sak/Tiltak[9]") == ("Sak", None)
    assert schema_text.item_of(root, "not an xpath (") == ("Sak", None)
