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
}


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


_PREFIX = re.compile(r"Element '(?P<element>[^']+)'(?:, attribute '(?P<attribute>[^']+)')?: ")
_LENGTH = r"'\] The value '.*' has a length of '(?P<n>\d+)'; this "
_NAMES = r"Expected is (?:one of )?(?P<names>\(.*\))"

# What libxml2 says after "Element 'X'[, attribute 'A']: ", and the sentence for it: {Field} and
# {field} are the element or attribute in words, {missing} and {expected} the names in the message
# in words, the rest the message's own groups. The first that matches is used.
_FORMS: list[tuple[str, str]] = [
    (
        r"\[facet 'enumeration'\] The value '(?P<value>[^']*)' is not an element of the set",
        "{Field} kan ikke ha verdien «{value}»: registeret godtar den ikke.",
    ),
    (
        r"\[facet 'pattern'\] The value '(?P<value>[^']*)' is not accepted by the pattern",
        "{Field} har feil form: «{value}».",
    ),
    (
        r"\[facet 'maxLength" + _LENGTH + r"exceeds the allowed maximum length of '(?P<max>\d+)'",
        "{Field} har {n} tegn, men høyst {max} er tillatt.",
    ),
    (
        r"\[facet 'minLength" + _LENGTH + r"underruns the allowed minimum length of '(?P<min>\d+)'",
        "{Field} har {n} tegn, men minst {min} trengs.",
    ),
    (
        r"\[facet 'length" + _LENGTH + r"differs from the allowed length of '(?P<length>\d+)'",
        "{Field} skal ha {length} tegn, men har {n}.",
    ),
    (
        r"'(?P<value>[^']*)' is not a valid value of the (?:local )?\w+ type 'xs:date(?:Time)?'",
        "{Field} er ikke en gyldig dato: «{value}».",
    ),
    (
        r"'(?P<value>[^']*)' is not a valid value of the (?:local )?\w+ type",
        "{Field} kan ikke ha verdien «{value}».",
    ),
    (
        r"The attribute '(?P<missing>[^']+)' is required but missing",
        "{Field} mangler {missing}.",
    ),
    (
        r"The attribute '[^']+' is not allowed",
        "{Field} skal ikke være med: registeret tar ikke imot den.",
    ),
    (
        r"Missing child element\(s\)\. " + _NAMES,
        "{Field} mangler {expected}.",
    ),
    (
        r"This element is not expected\. " + _NAMES,
        "{Field} står på feil sted: registeret ventet {expected}.",
    ),
    (
        r"This element is not expected",
        "{Field} skal ikke være med her.",
    ),
    (
        r"Duplicate key-sequence \['(?P<value>[^']*)'\]",
        "To deler av saken har samme id ({value}); {field} må få en egen.",
    ),
    (
        r"No match found for key-sequence \['(?P<value>[^']*)'\]",
        "{Field} viser til noe som ikke finnes i saken ({value}).",
    ),
    (
        r"Character content other than whitespace is not allowed",
        "{Field} inneholder tekst der registeret ikke venter noen.",
    ),
    (
        r"No matching global declaration available for the validation root",
        "Dokumentet er ikke et dokument til barnevernregisteret.",
    ),
]
_COMPILED = [(re.compile(pattern, re.DOTALL), sentence) for pattern, sentence in _FORMS]


def describe(error: SchemaError) -> str:
    """One Norwegian sentence for an XSD error (see the module's docstring)."""
    where = _PREFIX.match(error.message)
    if where is None:  # not about an element: Vern's own texts ("ikke gyldig XML: …") are Norwegian
        return _capital(error.message.rstrip(".")) + "."
    rest = error.message[where.end() :]
    field = _field(where["element"], where["attribute"])
    for pattern, sentence in _COMPILED:
        found = pattern.search(rest)
        if found is not None:
            groups = {k: v or "" for k, v in found.groupdict().items()}
            return sentence.format_map(
                {
                    **groups,
                    "Field": _capital(field),
                    "field": field,
                    "missing": attribute_words(groups.get("missing", "")),
                    "expected": _expected(groups.get("names", "")),
                }
            )
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
