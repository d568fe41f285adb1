"""Identity numbers: fødselsnummer, D-nummer, the register's placeholders, DUF and organisation numbers.

Check digits come from python-stdnum (``stdnum.no.fodselsnummer``, ``stdnum.no.orgnr``). The
placeholders are those the national child welfare register accepts (Kravspesifikasjon,
Personalia kontroll 12): birth date DDMMYY + 00100 or 00200 when the number is unknown, and term
date DDMMYY + 99999 for an unborn child. Error messages are Norwegian because forms show them
as they are. No Django import: rules, parsers and synthetic data use this module directly.
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from stdnum import exceptions as stdnum_exceptions
from stdnum.no import fodselsnummer, orgnr

_DIGITS = re.compile(r"[0-9]+")
_LENGTH = 11
_DUF_LENGTH = 12
_ORGNR_LENGTH = 9
# Kravspesifikasjon Personalia kontroll 16 lets a record start up to nine months before birth;
# ten months of slack covers a term date that is registered early or moves.
MAX_TERM_DAYS_AHEAD = 310
_FIRST_DUF_YEAR = 1900
_OSLO = ZoneInfo("Europe/Oslo")


class InvalidIdentityNumber(ValueError):
    """An identity number that fails validation; the message is Norwegian and shown as it is."""


class IdentityNumberKind(enum.Enum):
    FODSELSNUMMER = "fnr"
    D_NUMMER = "dnr"
    UNKNOWN_PLACEHOLDER_00100 = "unknown_00100"
    UNKNOWN_PLACEHOLDER_00200 = "unknown_00200"
    UNBORN_PLACEHOLDER = "unborn"


_PLACEHOLDERS = {
    "00100": IdentityNumberKind.UNKNOWN_PLACEHOLDER_00100,
    "00200": IdentityNumberKind.UNKNOWN_PLACEHOLDER_00200,
    "99999": IdentityNumberKind.UNBORN_PLACEHOLDER,
}


@dataclass(frozen=True)
class IdentityNumber:
    kind: IdentityNumberKind
    number: str
    # For the unborn placeholder this is the term date.
    birth_date: date | None
    # Register code for Kjønn: "1" boy, "2" girl; None when the number does not carry it.
    gender: str | None

    @property
    def is_placeholder(self) -> bool:
        return self.kind not in {IdentityNumberKind.FODSELSNUMMER, IdentityNumberKind.D_NUMMER}


def _compact(number: str, *, length: int, what: str) -> str:
    """Digits only, with spaces removed; ``what`` is the Norwegian noun used in the messages."""
    compact = "".join(number.split())
    # str.isdigit() would also accept other scripts' digits and superscripts.
    if compact and not _DIGITS.fullmatch(compact):
        raise InvalidIdentityNumber(f"{what} kan bare inneholde siffer")
    if len(compact) != length:
        raise InvalidIdentityNumber(f"{what} må ha {length} siffer")
    return compact


def _placeholder_date(ddmmyy: str, *, today: date, days_ahead: int) -> date:
    """The date of a placeholder, in the most recent century not more than ``days_ahead`` ahead.

    Source: Kravspesifikasjon Personalia kontroll 12 gives only DDMMYY, so the century is
    inferred: a birth date cannot lie after ``today``, a term date at most ``days_ahead`` after it.
    """
    day, month, year = int(ddmmyy[0:2]), int(ddmmyy[2:4]), int(ddmmyy[4:6])
    century = today.year // 100 * 100
    for candidate_year in (century + year, century - 100 + year):
        try:
            candidate = date(candidate_year, month, day)
        except ValueError:
            continue
        if (candidate - today).days <= days_ahead:
            return candidate
    raise InvalidIdentityNumber("Ugyldig dato i fødselsnummeret")


def classify(number: str, *, today: date) -> IdentityNumber:
    """Validate an 11-digit number and say what kind it is; raise InvalidIdentityNumber if invalid.

    Source: Kravspesifikasjon Personalia kontroll 12 (fødselsnummer, D-nummer, or the placeholders
    DDMMYY+00100, DDMMYY+00200 and term date DDMMYY+99999); check digits and the century rule
    from the individual number via python-stdnum. Gender is the 9th digit, odd for boys
    (register Kjønn "1") and even for girls ("2"); kontroll 14 exempts the placeholders.
    The register recognises placeholders by their last five digits alone, so a real number that
    happens to end in one of these suffixes is read as a placeholder here too.
    """
    digits = _compact(number, length=_LENGTH, what="Fødselsnummeret")
    placeholder = _PLACEHOLDERS.get(digits[6:])
    if placeholder is not None:
        unborn = placeholder is IdentityNumberKind.UNBORN_PLACEHOLDER
        days_ahead = MAX_TERM_DAYS_AHEAD if unborn else 0
        when = _placeholder_date(digits[:6], today=today, days_ahead=days_ahead)
        return IdentityNumber(placeholder, digits, when, None)
    if digits[9] != fodselsnummer.calc_check_digit1(digits) or digits[10] != fodselsnummer.calc_check_digit2(
        digits
    ):
        raise InvalidIdentityNumber("Ugyldig fødselsnummer: kontrollsifrene stemmer ikke")
    # stdnum accepts FH-numbers (first digit 8 or 9) and H-numbers (month + 40) as valid; both are
    # health-service stand-ins that the register's definition does not include.
    if int(digits[0]) >= 8:
        raise InvalidIdentityNumber("Ugyldig fødselsnummer: felles hjelpenummer (FH-nummer) kan ikke brukes")
    if int(digits[2]) >= 4:
        raise InvalidIdentityNumber("Ugyldig fødselsnummer: hjelpenummer (H-nummer) kan ikke brukes")
    try:
        born = fodselsnummer.get_birth_date(digits)
    except stdnum_exceptions.ValidationError as exc:
        raise InvalidIdentityNumber("Ugyldig dato i fødselsnummeret") from exc
    if born > today:
        raise InvalidIdentityNumber("Ugyldig fødselsnummer: fødselsdatoen er fram i tid")
    kind = IdentityNumberKind.D_NUMMER if int(digits[0]) >= 4 else IdentityNumberKind.FODSELSNUMMER
    gender = "1" if int(digits[8]) % 2 else "2"
    return IdentityNumber(kind, digits, born, gender)


def _individual_range(year: int) -> range:
    """Individual numbers stdnum reads as ``year``'s century (1900-1999: 000-499, 2000-2039: 500-999)."""
    if 1900 <= year <= 1999:
        return range(500)
    if 2000 <= year <= 2039:
        return range(500, 1000)
    raise ValueError("make_fodselsnummer only supports birth years 1900-2039")


def make_fodselsnummer(birth_date: date, individual: int, *, d_number: bool = False) -> str:
    """A fødselsnummer (or D-nummer) with valid check digits, for synthetic data and tests.

    ``individual`` is reduced into the individual-number range of the birth year's century, so a
    running counter works; its parity is kept, so odd gives a boy and even a girl. About one
    individual number in six gives a check digit of 10 and is never issued; the next one of the
    same parity is used instead. The result is a syntactically real number: it may belong to a
    real person, so it must only ever be used with invented names and facts.
    """
    numbers = _individual_range(birth_date.year)
    day = birth_date.day + (40 if d_number else 0)
    stem = f"{day:02d}{birth_date.month:02d}{birth_date.year % 100:02d}"
    first = numbers.start + individual % len(numbers)
    for step in range(0, len(numbers), 2):
        individual_digits = numbers.start + (first - numbers.start + step) % len(numbers)
        base = f"{stem}{individual_digits:03d}"
        check1 = fodselsnummer.calc_check_digit1(base)
        check2 = fodselsnummer.calc_check_digit2(base + check1)
        if len(check1) == 1 and len(check2) == 1 and base[6:] + check1 + check2 not in _PLACEHOLDERS:
            return base + check1 + check2
    raise ValueError("no valid individual number for this date")  # pragma: no cover - never happens


def validate_duf(number: str, *, today: date | None = None) -> str:
    """A DUF number (UDI's case number for foreign nationals), returned as 12 digits.

    Source: Kravspesifikasjon Personalia kontroll 17 and the XSD (``\\d{12}``) defer to UDI's
    definition: four digits of year, six of serial number and two check digits. UDI does not
    publish the check-digit algorithm and python-stdnum has none, so the check digits are not
    verified; only the format and a plausible year (1900 to this year) are.
    """
    digits = _compact(number, length=_DUF_LENGTH, what="DUF-nummeret")
    this_year = (today or datetime.now(tz=_OSLO).date()).year
    if not _FIRST_DUF_YEAR <= int(digits[:4]) <= this_year:
        raise InvalidIdentityNumber("Ugyldig DUF-nummer: de fire første sifrene må være et årstall")
    return digits


def validate_organisation_number(number: str) -> str:
    """A Norwegian organisation number (Enhetsregisteret), returned as 9 digits.

    Source: Brønnøysundregistrene's modulus 11 check digit, via ``stdnum.no.orgnr``.
    """
    digits = _compact(number, length=_ORGNR_LENGTH, what="Organisasjonsnummeret")
    try:
        return str(orgnr.validate(digits))
    except stdnum_exceptions.ValidationError as exc:
        raise InvalidIdentityNumber("Ugyldig organisasjonsnummer: kontrollsifferet stemmer ikke") from exc
