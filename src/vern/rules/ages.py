"""Ages and birthdays: the limits at 15, 18 and 25 years that the Child Welfare Act draws.

No Django import.
"""

from __future__ import annotations

from datetime import date

# BVL2021 § 1-3: a child is a person under 18.
ADULT_AGE = 18
# BVL2021 § 3-6: measures for young people over 18 (aftercare) may continue until they turn 25.
AFTERCARE_MAX_AGE = 25


def birthday(birth: date, years: int) -> date:
    """The day a person born on ``birth`` turns ``years`` old.

    Someone born on 29 February turns a year older on 1 March in a year without that day: until
    then they have not completed the year (the usual reading of "fylt N år").
    """
    try:
        return birth.replace(year=birth.year + years)
    except ValueError:
        return date(birth.year + years, 3, 1)


def age_on(birth: date, day: date) -> int:
    """Completed years on ``day`` (0 before the first birthday, negative before birth)."""
    years = day.year - birth.year
    return years if day >= birthday(birth, years) else years - 1
