"""Identity numbers: fødselsnummer, D-nummer, the register's placeholders, DUF and organisation numbers.

Check digits come from python-stdnum (``stdnum.no.fodselsnummer``, ``stdnum.no.orgnr``). The
placeholders are those the national child welfare register accepts (Kravspesifikasjon, Personalia
kontroll 12): birth date DDMMYY + 00100 or 00200 for an unknown number, and term date + 99999 for
an unborn child. No Django import: the rules and parsers use this too.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date

from stdnum import exceptions as stdnum_exceptions
from stdnum.no import fodselsnummer, orgnr

UNKNOWN_SUFFIXES = {"00100": "UNKNOWN_PLACEHOLDER_00100", "00200": "UNKNOWN_PLACEHOLDER_00200"}
UNBORN_SUFFIX = "99999"
# An unborn child's term date lies at most about ten months ahead.
MAX_TERM_DAYS_AHEAD = 310


class InvalidIdentityNumber(ValueError):
    """The message is Norwegian: it is shown in the UI as it is."""


class IdentityNumberKind(enum.Enum):
    FODSELSNUMMER = "fnr"
    D_NUMMER = "dnr"
    UNKNOWN_PLACEHOLDER_00100 = "unknown_00100"
    UNKNOWN_PLACEHOLDER_00200 = "unknown_00200"
    UNBORN_PLACEHOLDER = "unborn"


@dataclass(frozen=True)
class IdentityNumber:
    kind: IdentityNumberKind
    number: str
    birth_date: date | None
    gender: str | None  # register code: "1" boy, "2" girl; None when the number does not say


def _digits(number: str) -> str:
    compact = number.replace(" ", "").replace("-", "").strip()
    if not compact.isdigit():
        raise InvalidIdentityNumber("Fødselsnummeret kan bare inneholde siffer")
    if len(compact) != 11:
        raise InvalidIdentityNumber("Fødselsnummeret må ha 11 siffer")
    return compact


def _placeholder_date(ddmmyy: str, *, today: date, allow_future_days: int) -> date:
    """The most recent century that does not put the date further ahead than allowed."""
    day, month, year = int(ddmmyy[0:2]), int(ddmmyy[2:4]), int(ddmmyy[4:6])
    for century in (today.year // 100 * 100, today.year // 100 * 100 - 100):
        try:
            candidate = date(century + year, month, day)
        except ValueError as exc:
            raise InvalidIdentityNumber("Ugyldig dato i fødselsnummeret") from exc
        if (candidate - today).days <= allow_future_days:
            return candidate
    raise InvalidIdentityNumber("Ugyldig dato i fødselsnummeret")


def classify(number: str, *, today: date) -> IdentityNumber:
    """Classify and validate an 11-digit number; raise InvalidIdentityNumber with a Norwegian message."""
    digits = _digits(number)
    suffix = digits[6:]
    if suffix in UNKNOWN_SUFFIXES:
        born = _placeholder_date(digits[:6], today=today, allow_future_days=0)
        return IdentityNumber(IdentityNumberKind[UNKNOWN_SUFFIXES[suffix]], digits, born, None)
    if suffix == UNBORN_SUFFIX:
        term = _placeholder_date(digits[:6], today=today, allow_future_days=MAX_TERM_DAYS_AHEAD)
        return IdentityNumber(IdentityNumberKind.UNBORN_PLACEHOLDER, digits, term, None)
    if digits[-2] != fodselsnummer.calc_check_digit1(digits) or digits[-1] != fodselsnummer.calc_check_digit2(
        digits
    ):
        raise InvalidIdentityNumber("Ugyldig fødselsnummer: kontrollsifrene stemmer ikke")
    if int(digits[0:2]) >= 80:
        raise InvalidIdentityNumber("Fødselsnummeret er et felles hjelpenummer uten fødselsdato")
    try:
        born = fodselsnummer.get_birth_date(digits)
    except stdnum_exceptions.ValidationError as exc:
        raise InvalidIdentityNumber("Ugyldig dato i fødselsnummeret") from exc
    if born > today:
        raise InvalidIdentityNumber("Fødselsdatoen i fødselsnummeret er fram i tid")
    kind = IdentityNumberKind.D_NUMMER if int(digits[0]) >= 4 else IdentityNumberKind.FODSELSNUMMER
    gender = "1" if int(digits[8]) % 2 else "2"
    return IdentityNumber(kind, digits, born, gender)


def make_fodselsnummer(birth_date: date, individual: int, *, d_number: bool = False) -> str:
    """A valid fødselsnummer (or D-nummer) for ``birth_date``: for synthetic data and tests.

    ``individual`` picks the individual number within the century's range; odd = boy, even = girl
    in the last of its three digits. Individual numbers whose check digit would be 10 are skipped.
    """
    if 1900 <= birth_date.year <= 1999:
        low, high = 0, 499
    elif 2000 <= birth_date.year <= 2039:
        low, high = 500, 999
    else:
        raise ValueError("birth year outside 1900-2039")
    span = high - low + 1
    day = birth_date.day + (40 if d_number else 0)
    stem = f"{day:02d}{birth_date.month:02d}{birth_date.year % 100:02d}"
    for step in range(span):
        individual_digits = low + (individual + step) % span
        base = f"{stem}{individual_digits:03d}"
        k1 = fodselsnummer.calc_check_digit1(base)
        if k1 == "10":
            continue
        k2 = fodselsnummer.calc_check_digit2(base + k1)
        if k2 == "10":
            continue
        return base + k1 + k2
    raise ValueError("no valid individual number")  # pragma: no cover - every date has many


def validate_duf(number: str) -> str:
    """A DUF number (UDI's case number for foreigners): 12 digits, the first four a year.

    UDI does not publish the check-digit algorithm, so only the format is checked (register
    Personalia kontroll 17 refers to UDI's definition).
    """
    digits = number.replace(" ", "").strip()
    if not digits.isdigit() or len(digits) != 12:
        raise InvalidIdentityNumber("DUF-nummeret må ha 12 siffer")
    if not 1900 <= int(digits[:4]) <= 2100:
        raise InvalidIdentityNumber("DUF-nummeret må begynne med et årstall")
    return digits


def validate_organisation_number(number: str) -> str:
    try:
        return str(orgnr.validate(number))
    except stdnum_exceptions.ValidationError as exc:
        raise InvalidIdentityNumber("Ugyldig organisasjonsnummer") from exc
