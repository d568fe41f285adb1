"""Legal basis: the XSD's shapes, the law in force on the date, and the register's care-order definition."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from vern.rules import RuleViolation
from vern.rules.legal_basis import (
    Law,
    LegalBases,
    LegalBasis,
    is_care_order,
    parse_citation,
    parse_numbers,
    validate,
    validate_for_date,
)


def basis(
    law: Law = Law.BVL2021, chapter: str = "3", section: str = "1", **extra: tuple[str, ...]
) -> LegalBasis:
    return LegalBasis(law, chapter, section, **extra)


def test_str_reads_like_a_citation() -> None:
    assert (
        str(basis(Law.BVL2021, "5", "1", paragraphs=("1",), letters=("a",)))
        == "BVL2021 § 5-1 1. ledd bokstav a"
    )


@pytest.mark.parametrize(
    ("part", "value"),
    [("chapter", "0"), ("section", "00"), ("chapter", "x"), ("section", "12345"), ("chapter", "4A")],
)
def test_malformed_chapter_or_section_is_refused(part: str, value: str) -> None:
    kwargs = {"chapter": "4", "section": "2", part: value}
    with pytest.raises(RuleViolation):
        validate(LegalBasis(Law.BVL2021, kwargs["chapter"], kwargs["section"]))


@pytest.mark.parametrize(
    "extra",
    [
        {"paragraphs": ("0",)},
        {"paragraphs": ("a",)},
        {"letters": ("ab",)},
        {"letters": ("A",)},
        {"sentences": ("0",)},
    ],
)
def test_malformed_paragraph_letter_or_sentence_is_refused(extra: dict[str, tuple[str, ...]]) -> None:
    with pytest.raises(RuleViolation):
        validate(basis(**extra))


def test_letters_after_the_number_are_allowed_as_in_the_xsd() -> None:
    assert validate(basis(chapter="4", section="4a")).section == "4a"


def test_law_must_be_the_one_in_force_on_the_decision_date() -> None:
    with pytest.raises(RuleViolation, match="BVL2021"):
        validate_for_date(LegalBases(basis(Law.BVL1992, "4", "4")), date(2023, 1, 1))
    with pytest.raises(RuleViolation, match="BVL"):
        validate_for_date(LegalBases(basis(Law.BVL2021)), date(2022, 12, 31))
    assert validate_for_date(LegalBases(basis(Law.BL1981, "7", "43")), date(2020, 1, 1))


def test_at_most_three_cross_references() -> None:
    refs = tuple(basis(section=str(n)) for n in range(1, 5))
    with pytest.raises(RuleViolation, match="tre"):
        validate_for_date(LegalBases(basis(), refs), date(2024, 1, 1))
    assert validate_for_date(LegalBases(basis(), refs[:3]), date(2024, 1, 1))


@pytest.mark.parametrize(
    ("bases", "care_order"),
    [
        (LegalBases(basis(Law.BVL2021, "5", "1")), True),
        (LegalBases(basis(Law.BVL2021, "5", "2")), False),
        (LegalBases(basis(Law.BVL1992, "4", "12")), True),
        (LegalBases(basis(Law.BVL1992, "4", "8", paragraphs=("2",))), True),
        (LegalBases(basis(Law.BVL1992, "4", "8", paragraphs=("3",))), True),
        (LegalBases(basis(Law.BVL1992, "4", "8", paragraphs=("1",))), False),
        (LegalBases(basis(Law.BVL1992, "4", "8"), (basis(Law.BVL1992, "4", "12"),)), True),
        (LegalBases(basis(Law.BVL1992, "4", "4")), False),
        (LegalBases(basis(Law.BL1981, "5", "1")), False),
    ],
)
def test_care_order_as_the_register_defines_it(bases: LegalBases, care_order: bool) -> None:
    assert is_care_order(bases) is care_order


@given(st.lists(st.integers(min_value=1, max_value=999), max_size=5))
def test_parse_numbers_reads_what_a_form_lists(numbers: list[int]) -> None:
    assert parse_numbers(", ".join(str(n) for n in numbers)) == tuple(str(n) for n in numbers)
    assert parse_numbers(" ".join(str(n) for n in numbers)) == tuple(str(n) for n in numbers)


legal_bases = st.builds(
    LegalBasis,
    st.sampled_from(list(Law)),
    st.integers(1, 99).map(str),
    st.integers(1, 99).map(str),
    st.lists(st.integers(1, 9).map(str), max_size=2).map(tuple),
    st.lists(st.sampled_from("abcdefgh"), max_size=2).map(tuple),
    st.lists(st.integers(1, 9).map(str), max_size=2).map(tuple),
)


@given(legal_bases)
def test_a_written_citation_reads_back(basis: LegalBasis) -> None:
    assert parse_citation(str(basis)) == basis


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("BVL2021 § 4-2", LegalBasis(Law.BVL2021, "4", "2")),
        ("bvl 4-12 2. ledd", LegalBasis(Law.BVL1992, "4", "12", paragraphs=("2",))),
        ("BL1981 § 30-1 1 ledd bokstav a, b", LegalBasis(Law.BL1981, "30", "1", ("1",), ("a", "b"))),
    ],
)
def test_citations_as_people_write_them(text: str, expected: LegalBasis) -> None:
    assert parse_citation(text) == expected


@pytest.mark.parametrize("text", ["§ 4-2", "BVL2021 4", "BVL2021 § 4-2 tredje ledd", "BVL2021 § 0-2"])
def test_unreadable_citations_are_refused(text: str) -> None:
    with pytest.raises(RuleViolation):
        parse_citation(text)
