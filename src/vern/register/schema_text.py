"""The XSD's complaints about a register document, as Norwegian sentences that name the field in words.

libxml2 (through lxml) words its schema errors in English and in the XSD's own names ("Element
'Kategori', attribute 'Kode': [facet 'enumeration'] The value '1' is not an element of the set
{'1.1', ...}"). A caseworker reads instead "Koden for kategorien kan ikke ha verdien «1»: registeret
godtar den ikke.", with a link to the measure. The forms of message libxml2 gives are matched one by
one; one it has not been taught keeps its English text after a Norwegian sentence saying where the
error is, so nothing is hidden. ``item_of`` finds the part of the case (a report, a measure …) the
error is in, so the page can link to where it is fixed. No Django import.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from lxml import etree

from vern.register.xml import CONCEPTS, Element, SchemaError

# The XSD's element names in words (definite form, as in "… for tiltaket").
ELEMENTS: dict[str, str] = {
    "Barnevern": "dokumentet",
    "Fagsystem": "fagsystemet",
    "Avgiver": "tjenesten som rapporterer",
    "Sak": "saken",
    "Personalia": "barnets personopplysninger",
    "Melding": "meldingen",
    "Melder": "melderen",
    "Saksinnhold": "saksinnholdet",
    "Konklusjon": "konklusjonen",
    "Undersokelse": "undersøkelsen",
    "Vedtaksgrunnlag": "vedtaksgrunnlaget",
    "BarnetsMedvirkning": "barnets medvirkning",
    "MedvirkningType": "måten barnet medvirket på",
    "UtvidetFrist": "forlengelsen av fristen",
    "Plan": "planen",
    "Evaluering": "evalueringen av planen",
    "Tiltak": "tiltaket",
    "Kategori": "kategorien",
    "Tiltaksgrunnlag": "tiltaksgrunnlaget",
    "Tilsyn": "tilsynet",
    "Oppfolging": "oppfølgingen",
    "Hyppighet": "besøkshyppigheten",
    "Utfort": "de utførte besøkene",
    "Ansvarlig": "ansvarlig kommune",
    "Opphevelse": "opphevelsen",
    "Lovhjemmel": "lovhjemmelen",
    "JmfrLovhjemmel": "jamfør-hjemmelen",
    "Vedtak": "vedtaket",
    "Status": "statusen",
    "Krav": "kravet fra privat part",
    "Ettervern": "ettervernet",
    "OversendelseFylkesnemnd": "oversendelsen til barneverns- og helsenemnda",
    "Flytting": "flyttingen",
    "ArsakFra": "årsaken til flyttingen",
    "FlyttingTil": "stedet barnet flyttet til",
    "Relasjon": "koblingen mellom to deler av saken",
    "Slettet": "slettingen",
    "Avsluttet": "avslutningen",
    "StartDato": "startdatoen",
    "Lov": "loven",
    "Kapittel": "kapittelet",
    "Paragraf": "paragrafen",
    "Ledd": "leddet",
    "Bokstav": "bokstaven",
    "Punktum": "punktumet",
}

# The XSD's attribute names in words.
ATTRIBUTES: dict[str, str] = {
    "Id": "id-en",
    "MigrertId": "id-en fra det forrige fagsystemet",
    "ForrigeId": "id-en til forrige dokument",
    "DatoUttrekk": "uttrekksdatoen",
    "StartDato": "startdatoen",
    "SluttDato": "sluttdatoen",
    "EndretDato": "endringsdatoen",
    "UtfortDato": "datoen det ble utført",
    "TilbudSendtDato": "datoen tilbudet ble sendt",
    "Kode": "koden",
    "Presisering": "presiseringen",
    "Fodselsnummer": "fødselsnummeret",
    "Fodseldato": "fødselsdatoen",
    "Kjonn": "kjønnet",
    "DUFnummer": "DUF-nummeret",
    "Journalnummer": "journalnummeret",
    "Organisasjonsnummer": "organisasjonsnummeret",
    "Kommunenummer": "kommunenummeret",
    "Kommunenavn": "kommunenavnet",
    "Bydelsnummer": "bydelsnummeret",
    "Bydelsnavn": "bydelsnavnet",
    "Leverandor": "leverandøren",
    "Navn": "navnet",
    "Versjon": "versjonen",
    "Plantype": "plantypen",
    "Innvilget": "svaret på om fristen ble forlenget",
    "Type": "typen",
    "ErSlettet": "slettemerket",
    "FraType": "hva koblingen går fra",
    "FraId": "hva koblingen går fra",
    "TilType": "hva koblingen går til",
    "TilId": "hva koblingen går til",
    "Lov": "loven",
    "Kapittel": "kapittelet",
    "Paragraf": "paragrafen",
    "Ledd": "leddet",
    "Bokstav": "bokstaven",
    "Punktum": "punktumet",
}

_DATE_TYPES = ("xs:date", "xs:dateTime")


def element_words(name: str) -> str:
    return ELEMENTS.get(name, name)


def attribute_words(name: str) -> str:
    return ATTRIBUTES.get(name, name)


def _field(element: str, attribute: str | None) -> str:
    """ "kategorien (koden)"-like phrases: the attribute of the element, or the element itself."""
    if attribute is None:
        return element_words(element)
    return f"{attribute_words(attribute)} for {element_words(element)}"


def _expected(names: str) -> str:
    """libxml2's "( Melder )" or "( {ns}Melder, Saksinnhold )" as "melderen" / "melderen eller …"."""
    parts = [re.sub(r"^\{[^}]*\}", "", n.strip()) for n in names.strip(" ()").split(",") if n.strip()]
    words = [element_words(p) for p in parts if p != "##other"]
    return " eller ".join(dict.fromkeys(words)) or "et annet element"


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


_WHERE = r"Element '(?P<element>[^']+)'(?:, attribute '(?P<attribute>[^']+)')?: "

# (pattern after "Element 'X'[, attribute 'A']: ", sentence maker)
_FORMS: list[tuple[re.Pattern[str], Callable[[re.Match[str], str], str]]] = [
    (
        re.compile(r"\[facet 'enumeration'\] The value '(?P<value>[^']*)' is not an element of the set"),
        lambda m, f: f"{_capital(f)} kan ikke ha verdien «{m['value']}»: registeret godtar den ikke.",
    ),
    (
        re.compile(r"\[facet 'pattern'\] The value '(?P<value>[^']*)' is not accepted by the pattern"),
        lambda m, f: f"{_capital(f)} har feil form: «{m['value']}».",
    ),
    (
        re.compile(
            r"\[facet 'maxLength'\] The value '.*' has a length of '(?P<n>\d+)'; this exceeds the "
            r"allowed maximum length of '(?P<max>\d+)'",
            re.DOTALL,
        ),
        lambda m, f: f"{_capital(f)} har {m['n']} tegn, men høyst {m['max']} er tillatt.",
    ),
    (
        re.compile(
            r"\[facet 'minLength'\] The value '.*' has a length of '(?P<n>\d+)'; this underruns the "
            r"allowed minimum length of '(?P<min>\d+)'",
            re.DOTALL,
        ),
        lambda m, f: f"{_capital(f)} har {m['n']} tegn, men minst {m['min']} trengs.",
    ),
    (
        re.compile(
            r"\[facet 'length'\] The value '.*' has a length of '(?P<n>\d+)'; this differs from the "
            r"allowed length of '(?P<length>\d+)'",
            re.DOTALL,
        ),
        lambda m, f: f"{_capital(f)} skal ha {m['length']} tegn, men har {m['n']}.",
    ),
    (
        re.compile(r"'(?P<value>[^']*)' is not a valid value of the (?:local )?\w+ type '(?P<type>[^']+)'"),
        lambda m, f: (
            f"{_capital(f)} er ikke en gyldig dato: «{m['value']}»."
            if m["type"] in _DATE_TYPES
            else f"{_capital(f)} kan ikke ha verdien «{m['value']}»."
        ),
    ),
    (
        re.compile(r"The attribute '(?P<missing>[^']+)' is required but missing"),
        lambda m, f: f"{_capital(f)} mangler {attribute_words(m['missing'])}.",
    ),
    (
        re.compile(r"The attribute '[^']+' is not allowed"),
        lambda m, f: f"{_capital(f)} skal ikke være med: registeret tar ikke imot den.",
    ),
    (
        re.compile(r"Missing child element\(s\)\. Expected is (?:one of )?(?P<names>\(.*\))"),
        lambda m, f: f"{_capital(f)} mangler {_expected(m['names'])}.",
    ),
    (
        re.compile(r"This element is not expected\.(?: Expected is (?:one of )?(?P<names>\(.*\)))?"),
        lambda m, f: (
            f"{_capital(f)} står på feil sted: registeret ventet {_expected(m['names'])}."
            if m["names"]
            else f"{_capital(f)} skal ikke være med her."
        ),
    ),
    (
        re.compile(r"Duplicate key-sequence \['(?P<value>[^']*)'\]"),
        lambda m, f: f"To deler av saken har samme id ({m['value']}); {f} må få en egen.",
    ),
    (
        re.compile(r"No match found for key-sequence \['(?P<value>[^']*)'\]"),
        lambda m, f: f"{_capital(f)} viser til noe som ikke finnes i saken ({m['value']}).",
    ),
    (
        re.compile(r"Character content other than whitespace is not allowed"),
        lambda m, f: f"{_capital(f)} inneholder tekst der registeret ikke venter noen.",
    ),
    (
        re.compile(r"No matching global declaration available for the validation root"),
        lambda m, f: "Dokumentet er ikke et dokument til barnevernregisteret.",
    ),
]

_PREFIX = re.compile(_WHERE)


def describe(error: SchemaError) -> str:
    """One Norwegian sentence for an XSD error (see the module's docstring)."""
    where = _PREFIX.match(error.message)
    if where is None:  # not about an element: Vern's own texts ("ikke gyldig XML: …") are Norwegian
        return _capital(error.message.rstrip(".")) + "."
    rest = error.message[where.end() :]
    field = _field(where["element"], where["attribute"])
    for pattern, sentence in _FORMS:
        found = pattern.search(rest)
        if found is not None:
            return sentence(found, field)
    return f"{_capital(field)} følger ikke registerets filbeskrivelse ({rest.strip()})."


def item_of(root: Element, path: str) -> tuple[str, str | None]:
    """The concept ("Tiltak") and Id of the part of the case directly under Sak that holds the element
    at ``path`` (libxml2's "/Barnevern/Sak/Tiltak[2]/Kategori"); ("Sak", None) outside any part."""
    try:
        found = root.getroottree().xpath(path) if path else None
    except etree.XPathError:
        found = None
    first = found[0] if isinstance(found, list) and found else None
    element = first if isinstance(first, etree._Element) else None
    while element is not None:
        parent = element.getparent()
        if parent is not None and parent.tag == "Sak" and element.tag in CONCEPTS:
            return str(element.tag), element.get("Id")
        element = parent
    return "Sak", None
