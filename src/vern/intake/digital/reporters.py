"""Who reported, as the register's reporter code (Melder, ``Kodelister.md``): one mapping for every channel.

The public form offers the choices below; what the reporter chose travels in the KS Fiks message as
Norwegian words (``offentligMelder.tjeneste``, ``privatBarn[].relasjon``, ``foresatte[].relasjon``),
and ``intake.digital.ingest`` maps those words back with the same tables, whether the message came
from the form, over HTTP or from a file. The words are the message's content, so they are Norwegian
here (like the national form's own "Nabo, fritekstfelt"). Words the tables do not know give no code:
intake then registers who reported, as for a letter. No Django import.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

# Melder 23: the reporter did not give a name or any way to be contacted.
ANONYMOUS = "23"


@dataclass(frozen=True)
class Choice:
    """One answer the form offers, the words it puts in the message, and the codes it gives.

    ``codes`` are candidates in order of preference: the first one valid on the day the report is
    received is used (15 "Lege / Sykehus / Tannlege" until 2024, then 24 or 25). ``specify``: the
    code needs a specification (the reporter's workplace). ``aliases``: other words for the same
    answer, the register's own wording first, so a message from another form is understood too.
    """

    key: str
    words: str
    codes: tuple[str, ...]
    aliases: tuple[str, ...] = ()
    specify: bool = False


# A professional reports in a service with a duty to report (BVL2021 § 13-2): what the service is.
SERVICES: tuple[Choice, ...] = (
    Choice("barnehage", "Barnehage", ("9",)),
    Choice("skole", "Skole eller SFO", ("11",), ("Skole",)),
    Choice(
        "helsestasjon", "Helsestasjon eller skolehelsetjenesten", ("10",),
        ("Helsestasjon/skolehelsetjenesten",),
    ),
    Choice("lege", "Lege eller sykehus", ("24", "15"), ("Lege / Sykehus",)),
    Choice("tannlege", "Tannhelsetjenesten", ("25", "15"), ("Tannlege",)),
    Choice("ppt", "Pedagogisk-psykologisk tjeneste (PPT)", ("12",), ("PPT",)),
    Choice(
        "bup", "Psykisk helsevern for barn og unge", ("13",),
        ("Psykisk helsevern for barn og unge (kommune og stat)",),
    ),
    Choice(
        "vop", "Psykisk helsevern for voksne", ("14",), ("Psykisk helsevern for voksne (kommune og stat)",)
    ),
    Choice(
        "rus", "Tjeneste for personer med rusproblemer", ("17",),
        ("Tjenester og instanser med ansvar for oppfølging av personers rusproblemer (kommune og stat)",),
    ),
    Choice("nav", "NAV", ("6",), ("NAV (kommune og stat)",)),
    Choice("politi", "Politiet", ("8",), ("Politi",)),
    Choice("barneverntjeneste", "Barneverntjenesten", ("5",), ("Barnvernstjenesten", "Barnevernstjenesten")),
    Choice("barnevernvakt", "Barnevernvakten", ("7",), ("Barnevernsvakt", "Barnevernvakt")),
    Choice("familievern", "Familievernkontoret", ("16",), ("Familievernkontor",)),
    Choice("krisesenter", "Krisesenter", ("18",)),
    Choice(
        "utlendingsmyndighet", "Asylmottak eller utlendingsmyndighet (UDI)", ("19",),
        ("Asylmottak/ UDI/ innvandringsmyndighet",),
    ),
    Choice("utekontakt", "Utekontakt eller fritidsklubb", ("20",), ("Utekontakt/ fritidsklubb",)),
    Choice(
        "annen-offentlig", "Annen offentlig tjeneste", ("22",),
        ("Andre offentlige instanser (krever presisering)", "Andre offentlige instanser"), specify=True,
    ),
)  # fmt: skip

# A private person: who the reporter is to the child.
RELATIONS: tuple[Choice, ...] = (
    Choice("barnet", "Barnet selv", ("1",)),
    Choice("forelder", "Forelder eller foresatt", ("2",), ("Mor/ far/ foresatte", "Mor", "Far", "Foresatt")),
    Choice("familie", "Annen familie", ("3",), ("Familie for øvrig", "Familie")),
    Choice(
        "frivillig", "Trener eller frivillig", ("21",),
        ("Frivillige organisasjoner/ idrettslag", "Trener", "Frivillig"),
    ),
    # "Nabo" is the national form's own example of a relation.
    Choice("annen", "Annen privatperson", ("4",), ("Andre privatpersoner", "Nabo", "Venn")),
)  # fmt: skip

# A parent or guardian named in the report: the relation the case records (cases.Party.Relation).
GUARDIANS: tuple[Choice, ...] = (
    Choice("forelder", "Forelder eller foresatt", ("parent",), ("Forelder", "Foresatt")),
    Choice("mor", "Mor", ("mother",)),
    Choice("far", "Far", ("father",)),
    Choice("verge", "Verge", ("guardian",)),
)
# What the case records for a parent or guardian the message says nothing more about.
GUARDIAN_UNSPECIFIED = "parent"


def _normalise(words: str) -> str:
    return " ".join(words.split()).casefold()


def _index(choices: tuple[Choice, ...]) -> Mapping[str, Choice]:
    index: dict[str, Choice] = {}
    for choice in choices:
        for words in (choice.words, *choice.aliases):
            index.setdefault(_normalise(words), choice)
    return index


_SERVICES, _RELATIONS, _GUARDIANS = _index(SERVICES), _index(RELATIONS), _index(GUARDIANS)


def _find(index: Mapping[str, Choice], words: str) -> Choice | None:
    """The answer ``words`` names: the whole text, or what comes before its first comma (the national
    form writes the choice and then the reporter's own words: "Nabo, fritekstfelt")."""
    whole = _normalise(words)
    return index.get(whole) or index.get(whole.split(",", 1)[0].strip())


def words_with_detail(choice: Choice, detail: str) -> str:
    """The message's text for a choice and the reporter's own words about it."""
    detail = " ".join(detail.split())
    return f"{choice.words}, {detail}" if detail else choice.words


@dataclass(frozen=True)
class ReporterCode:
    """The candidate codes for one report's reporter, and the specification where the code needs one."""

    codes: tuple[str, ...]
    specification: str = ""


def reporter_code(
    *, public: bool, anonymous: bool, service: str, relation: str, workplace: str
) -> ReporterCode | None:
    """The reporter's code for a report about one child, or None when the message does not say.

    A public reporter is coded by the service they work in, a private one by their relation to this
    child; a private reporter who gave neither name nor contact details is anonymous (23).
    """
    if public:
        found = _find(_SERVICES, service)
        if found is None:
            return None
        return ReporterCode(found.codes, workplace.strip() if found.specify else "")
    if anonymous:
        return ReporterCode((ANONYMOUS,))
    found = _find(_RELATIONS, relation)
    return ReporterCode(found.codes) if found else None


def guardian_relation(words: str) -> str:
    """The case's relation (cases.Party.Relation) for a parent or guardian described by ``words``."""
    found = _find(_GUARDIANS, words)
    return found.codes[0] if found else GUARDIAN_UNSPECIFIED


def by_key(choices: tuple[Choice, ...], key: str) -> Choice:
    return next(c for c in choices if c.key == key)
