"""Legal basis (lovhjemmel) as structured data, and the definitions the register builds on it.

The register element ``LovhjemmelType`` (Barnevern_v4.xsd) holds a law code, a chapter, a section
(paragraf) and any number of paragraphs (ledd), letters (bokstav) and sentences (punktum); a
decision, a measure and a referral to the county board have one legal basis and up to three
cross-references (``JmfrLovhjemmel``). No Django import.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from vern.rules.deadlines import RuleViolation


class Law(StrEnum):
    """The laws a legal basis may cite (XSD ``Lov``, with the validity the XSD's code list gives)."""

    BVL1992 = "BVL"  # barnevernloven 1992, in force until 2022-12-31
    BVL2021 = "BVL2021"  # barnevernsloven 2021, in force from 2023-01-01
    BL1981 = "BL1981"  # barneloven 1981


# The day BVL2021 replaced BVL1992 (lov 18. juni 2021 nr. 97, i kraft 1. januar 2023).
BVL2021_IN_FORCE = date(2023, 1, 1)
# XSD LovhjemmelType: Kapittel and Paragraf are digits optionally followed by lower-case letters
# (e.g. "4a"), Ledd and Punktum digits, Bokstav one lower-case letter. ASCII digits only: Python's \d
# also matches other scripts' digits, which the register's XSD refuses.
_CHAPTER = re.compile(r"[0-9]+[a-z]*")
_NUMBER = re.compile(r"[0-9]+")
_LETTER = re.compile(r"[a-z]")
MAX_CROSS_REFERENCES = 3


@dataclass(frozen=True)
class LegalBasis:
    """One legal basis: ``LegalBasis(Law.BVL2021, "5", "1")`` is BVL2021 § 5-1."""

    law: Law
    chapter: str
    section: str
    paragraphs: tuple[str, ...] = ()
    letters: tuple[str, ...] = ()
    sentences: tuple[str, ...] = ()

    def __str__(self) -> str:
        text = f"{self.law.value} § {self.chapter}-{self.section}"
        if self.paragraphs:
            text += " " + ", ".join(f"{p}. ledd" for p in self.paragraphs)
        if self.letters:
            text += " bokstav " + ", ".join(self.letters)
        if self.sentences:
            text += " " + ", ".join(f"{s}. punktum" for s in self.sentences)
        return text

    def same_provision(self, other: LegalBasis) -> bool:
        """Same law, chapter and section: what Tiltak Kontroll 21 compares between measure and decision."""
        return (self.law, self.chapter, self.section) == (other.law, other.chapter, other.section)


@dataclass(frozen=True)
class LegalBases:
    """A legal basis with its cross-references (Lovhjemmel + JmfrLovhjemmel)."""

    main: LegalBasis
    cross_references: tuple[LegalBasis, ...] = field(default=())


def parse_numbers(text: str) -> tuple[str, ...]:
    """A comma- or space-separated list as typed in a form ("2, 3" -> ("2", "3"))."""
    return tuple(part for part in re.split(r"[\s,]+", text.strip()) if part)


def validate(basis: LegalBasis) -> LegalBasis:
    """Check the parts against the XSD patterns and Tiltak Kontroll 14 (no part may be 0).

    Raises RuleViolation with a Norwegian message.
    """
    if not _CHAPTER.fullmatch(basis.chapter) or len(basis.chapter) > 3:
        raise RuleViolation("Kapittel må være et tall (for eksempel 4)")
    if not _CHAPTER.fullmatch(basis.section) or len(basis.section) > 4:
        raise RuleViolation("Paragraf må være et tall (for eksempel 2 i § 4-2)")
    for paragraph in basis.paragraphs:
        if not _NUMBER.fullmatch(paragraph) or len(paragraph) > 3:
            raise RuleViolation("Ledd må være tall")
    for letter in basis.letters:
        if not _LETTER.fullmatch(letter):
            raise RuleViolation("Bokstav må være én liten bokstav (a–z)")
    for sentence in basis.sentences:
        if not _NUMBER.fullmatch(sentence) or len(sentence) > 3:
            raise RuleViolation("Punktum må være tall")
    numbers = [basis.chapter, basis.section, *basis.paragraphs, *basis.sentences]
    if any(re.fullmatch(r"0+[a-z]*", n) for n in numbers):
        raise RuleViolation("Kapittel, paragraf, ledd eller punktum kan ikke være 0")
    return basis


def validate_for_date(bases: LegalBases, day: date) -> LegalBases:
    """The legal basis of a decision made on ``day``: valid parts, the law in force, ≤ 3 cross-references.

    Source: Kravspesifikasjon Vedtak kontroll 5 (and Oversendelse til fylkesnemnd kontroll 5): a basis
    created before 1 January 2023 cites BVL, from that day BVL2021. BL1981 (barneloven) may be cited
    at any time. Raises RuleViolation with a Norwegian message.
    """
    if len(bases.cross_references) > MAX_CROSS_REFERENCES:
        raise RuleViolation("Et vedtak kan ha høyst tre «jamfør»-hjemler")
    for basis in (bases.main, *bases.cross_references):
        validate(basis)
    main = bases.main.law
    if day < BVL2021_IN_FORCE and main is Law.BVL2021:
        raise RuleViolation("Lovhjemmel før 1. januar 2023 må vise til barnevernloven 1992 (BVL)")
    if day >= BVL2021_IN_FORCE and main is Law.BVL1992:
        raise RuleViolation("Lovhjemmel fra 1. januar 2023 må vise til barnevernsloven 2021 (BVL2021)")
    return bases


def is_care_order(bases: LegalBases) -> bool:
    """Omsorgsovertakelse as the register defines it (Kravspesifikasjon, "Omsorgsovertakelse").

    BVL2021 § 5-1; or BVL1992 § 4-12; or BVL1992 § 4-8 second or third paragraph; or BVL1992 § 4-8
    with a cross-reference to § 4-12.
    """
    main = bases.main
    if main.law is Law.BVL2021:
        return (main.chapter, main.section) == ("5", "1")
    if main.law is not Law.BVL1992 or main.chapter != "4":
        return False
    if main.section == "12":
        return True
    if main.section != "8":
        return False
    if {"2", "3"} & set(main.paragraphs):
        return True
    # The definition names only chapter and section of the cross-reference, not its law.
    return any((ref.chapter, ref.section) == ("4", "12") for ref in bases.cross_references)


_CITATION = re.compile(
    r"^\s*(BVL2021|BVL|BL1981)\s*§?\s*([0-9]+[a-z]*)\s*-\s*([0-9]+[a-z]*)\s*(.*?)\s*$", re.IGNORECASE
)
_PARAGRAPH = re.compile(r"([0-9]+)\.?\s*ledd")
_SENTENCE = re.compile(r"([0-9]+)\.?\s*punktum")
_LETTERS = re.compile(r"bokstav\s+([a-z](?:\s*,\s*[a-z])*)")


def parse_citation(text: str) -> LegalBasis:
    """A legal basis as people write it: "BVL2021 § 4-2", "BVL § 4-12 2. ledd bokstav a".

    Reads what ``str(LegalBasis)`` writes. Raises RuleViolation with a Norwegian message.
    """
    match = _CITATION.match(text)
    if match is None:
        raise RuleViolation(f"Skriv hjemmelen som for eksempel «BVL2021 § 3-1 2. ledd»: {text.strip()!r}")
    law, chapter, section, rest = match.groups()
    rest = rest.lower()
    letters = _LETTERS.search(rest)
    basis = LegalBasis(
        Law(law.upper()),
        chapter.lower(),
        section.lower(),
        paragraphs=tuple(_PARAGRAPH.findall(rest)),
        letters=tuple(part.strip() for part in letters.group(1).split(",")) if letters else (),
        sentences=tuple(_SENTENCE.findall(rest)),
    )
    leftover = _LETTERS.sub("", _SENTENCE.sub("", _PARAGRAPH.sub("", rest))).replace(",", " ").strip()
    if leftover:
        raise RuleViolation(f"Forstår ikke «{leftover}» i hjemmelen {text.strip()!r}")
    return validate(basis)
