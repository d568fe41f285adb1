"""Identity numbers: fødselsnummer, D-nummer, the register's placeholders, DUF and organisation numbers."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st
from stdnum.no import fodselsnummer

from tests.factories_identity import birth_dates, individuals
from vern.core.identity import (
    IdentityNumberKind,
    InvalidIdentityNumber,
    classify,
    make_fodselsnummer,
    validate_duf,
    validate_organisation_number,
)

TODAY = date(2025, 6, 1)
PLACEHOLDER_SUFFIXES = ("00100", "00200", "99999")


def with_check_digits(first_nine: str) -> str:
    """The first nine digits with check digits, trying the next individual numbers if one is 10."""
    for individual in range(int(first_nine[6:]), int(first_nine[6:]) + 20):
        base = f"{first_nine[:6]}{individual:03d}"
        check1 = fodselsnummer.calc_check_digit1(base)
        check2 = fodselsnummer.calc_check_digit2(base + check1)
        if len(check1) == 1 and len(check2) == 1:
            return base + check1 + check2
    raise AssertionError("no valid individual number")


@given(birth=birth_dates(until=TODAY), individual=individuals(), d_number=st.booleans())
def test_generated_numbers_classify_back(birth: date, individual: int, d_number: bool) -> None:
    number = make_fodselsnummer(birth, individual, d_number=d_number)
    identity = classify(number, today=TODAY)
    assert identity.number == number
    assert identity.birth_date == birth
    assert identity.gender == ("1" if individual % 2 else "2")
    expected = IdentityNumberKind.D_NUMMER if d_number else IdentityNumberKind.FODSELSNUMMER
    assert identity.kind == expected
    assert not identity.is_placeholder
    # python-stdnum agrees independently, including on the birth date.
    assert fodselsnummer.is_valid(number)
    assert fodselsnummer.get_birth_date(number) == birth


@given(
    birth=birth_dates(until=TODAY),
    individual=individuals(),
    d_number=st.booleans(),
    position=st.integers(min_value=0, max_value=10),
    digit=st.sampled_from("0123456789"),
)
def test_a_single_changed_digit_is_rejected(
    birth: date, individual: int, d_number: bool, position: int, digit: str
) -> None:
    number = make_fodselsnummer(birth, individual, d_number=d_number)
    assume(number[position] != digit)
    changed = number[:position] + digit + number[position + 1 :]
    # A change that lands on a placeholder suffix is a placeholder, as the register reads it.
    assume(changed[6:] not in PLACEHOLDER_SUFFIXES)
    with pytest.raises(InvalidIdentityNumber):
        classify(changed, today=TODAY)


def test_known_number_from_stdnum_documentation() -> None:
    identity = classify("151086 95088", today=TODAY)
    assert identity.kind == IdentityNumberKind.FODSELSNUMMER
    assert identity.number == "15108695088"
    assert identity.birth_date == date(1986, 10, 15)
    assert identity.gender == "2"


def test_spaces_are_accepted() -> None:
    number = make_fodselsnummer(date(2015, 3, 14), 123)
    identity = classify(f" {number[:6]} {number[6:]} ", today=TODAY)
    assert identity.number == number


@pytest.mark.parametrize(
    ("number", "kind", "when"),
    [
        ("01021500100", IdentityNumberKind.UNKNOWN_PLACEHOLDER_00100, date(2015, 2, 1)),
        ("01021500200", IdentityNumberKind.UNKNOWN_PLACEHOLDER_00200, date(2015, 2, 1)),
        ("311299 00100", IdentityNumberKind.UNKNOWN_PLACEHOLDER_00100, date(1999, 12, 31)),
        # Today is still this century; tomorrow is not, so it is read as a century ago.
        ("01062500200", IdentityNumberKind.UNKNOWN_PLACEHOLDER_00200, date(2025, 6, 1)),
        ("02062500200", IdentityNumberKind.UNKNOWN_PLACEHOLDER_00200, date(1925, 6, 2)),
        ("29020000100", IdentityNumberKind.UNKNOWN_PLACEHOLDER_00100, date(2000, 2, 29)),
        # Term dates may lie ahead.
        ("01022699999", IdentityNumberKind.UNBORN_PLACEHOLDER, date(2026, 2, 1)),
        ("15052599999", IdentityNumberKind.UNBORN_PLACEHOLDER, date(2025, 5, 15)),
    ],
)
def test_placeholders(number: str, kind: IdentityNumberKind, when: date) -> None:
    identity = classify(number, today=TODAY)
    assert identity.kind == kind
    assert identity.birth_date == when
    assert identity.gender is None
    assert identity.is_placeholder


def test_term_date_more_than_ten_months_ahead_is_not_this_century() -> None:
    ahead = TODAY + timedelta(days=400)
    identity = classify(f"{ahead:%d%m%y}99999", today=TODAY)
    assert identity.birth_date == ahead.replace(year=ahead.year - 100)


@pytest.mark.parametrize(
    ("number", "message"),
    [
        ("1403156235", "Fødselsnummeret må ha 11 siffer"),
        ("140315623501", "Fødselsnummeret må ha 11 siffer"),
        ("", "Fødselsnummeret må ha 11 siffer"),
        ("1403156235a", "Fødselsnummeret kan bare inneholde siffer"),
        ("140315-62350", "Fødselsnummeret kan bare inneholde siffer"),
        ("١٤٠٣١٥٦٢٣٥٠", "Fødselsnummeret kan bare inneholde siffer"),
        ("32011500100", "Ugyldig dato i fødselsnummeret"),
        ("29020100100", "Ugyldig dato i fødselsnummeret"),
        ("00131500200", "Ugyldig dato i fødselsnummeret"),
    ],
)
def test_malformed_numbers_are_rejected_in_norwegian(number: str, message: str) -> None:
    with pytest.raises(InvalidIdentityNumber, match=f"^{message}$"):
        classify(number, today=TODAY)


def test_wrong_check_digits() -> None:
    number = make_fodselsnummer(date(2015, 3, 14), 123)
    wrong = number[:10] + str((int(number[10]) + 1) % 10)
    with pytest.raises(InvalidIdentityNumber, match=r"^Ugyldig fødselsnummer: kontrollsifrene stemmer ikke$"):
        classify(wrong, today=TODAY)


@pytest.mark.parametrize("first_nine", ["310215512", "300215512", "001015512", "150015512", "721015512"])
def test_invalid_date_with_valid_check_digits(first_nine: str) -> None:
    with pytest.raises(InvalidIdentityNumber, match=r"^Ugyldig dato i fødselsnummeret$"):
        classify(with_check_digits(first_nine), today=TODAY)


def test_birth_date_in_the_future_is_rejected() -> None:
    number = make_fodselsnummer(TODAY + timedelta(days=1), 501)
    with pytest.raises(InvalidIdentityNumber, match="fram i tid"):
        classify(number, today=TODAY)


def test_h_and_fh_numbers_are_rejected() -> None:
    with pytest.raises(InvalidIdentityNumber, match="H-nummer"):
        classify(with_check_digits("145315512"), today=TODAY)
    with pytest.raises(InvalidIdentityNumber, match="FH-nummer"):
        classify(with_check_digits("812345678"), today=TODAY)


def test_make_fodselsnummer_outside_supported_years() -> None:
    with pytest.raises(ValueError, match="1900-2039"):
        make_fodselsnummer(date(1899, 12, 31), 1)


def test_make_fodselsnummer_keeps_in_range_individual_numbers() -> None:
    assert make_fodselsnummer(date(2015, 3, 14), 623)[6:9] == "623"
    assert make_fodselsnummer(date(2015, 3, 14), 123)[6:9] == "623"
    assert make_fodselsnummer(date(1985, 3, 14), 123)[6:9] == "123"


@pytest.mark.parametrize("number", ["201512345678", "2015 123456 78", "190000000000"])
def test_duf_numbers(number: str) -> None:
    assert validate_duf(number, today=TODAY) == number.replace(" ", "")


@pytest.mark.parametrize(
    ("number", "message"),
    [
        ("20151234567", "DUF-nummeret må ha 12 siffer"),
        ("2015123456789", "DUF-nummeret må ha 12 siffer"),
        ("2015-123456-78", "DUF-nummeret kan bare inneholde siffer"),
        ("18991234567X", "DUF-nummeret kan bare inneholde siffer"),
        ("189912345678", "Ugyldig DUF-nummer: de fire første sifrene må være et årstall"),
        ("202612345678", "Ugyldig DUF-nummer: de fire første sifrene må være et årstall"),
    ],
)
def test_invalid_duf_numbers(number: str, message: str) -> None:
    with pytest.raises(InvalidIdentityNumber, match=f"^{message}$"):
        validate_duf(number, today=TODAY)


def test_duf_year_defaults_to_this_year() -> None:
    assert validate_duf("201512345678") == "201512345678"


@pytest.mark.parametrize("number", ["974760673", "974 760 673"])
def test_valid_organisation_number(number: str) -> None:
    # 974760673 is Brønnøysundregistrene's own organisation number.
    assert validate_organisation_number(number) == "974760673"


@pytest.mark.parametrize(
    ("number", "message"),
    [
        ("123456789", "Ugyldig organisasjonsnummer: kontrollsifferet stemmer ikke"),
        ("974760674", "Ugyldig organisasjonsnummer: kontrollsifferet stemmer ikke"),
        ("97476067", "Organisasjonsnummeret må ha 9 siffer"),
        ("NO974760673", "Organisasjonsnummeret kan bare inneholde siffer"),
    ],
)
def test_invalid_organisation_numbers(number: str, message: str) -> None:
    with pytest.raises(InvalidIdentityNumber, match=f"^{message}$"):
        validate_organisation_number(number)
