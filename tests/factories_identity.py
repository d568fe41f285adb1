"""Valid identity numbers for tests: hypothesis strategies around ``vern.core.identity.make_fodselsnummer``.

The generator itself lives in ``vern.core.identity`` so synthetic data can use it too; this module
re-exports it and adds strategies, so tests never hard-code a number that might belong to someone.
"""

from __future__ import annotations

from datetime import date

from hypothesis import strategies as st

from vern.core.identity import make_fodselsnummer

__all__ = ["birth_dates", "individuals", "make_fodselsnummer"]

# make_fodselsnummer covers the centuries the children and parents of open cases are born in.
FIRST_BIRTH_DATE = date(1900, 1, 1)


def birth_dates(*, until: date) -> st.SearchStrategy[date]:
    return st.dates(min_value=FIRST_BIRTH_DATE, max_value=until)


def individuals() -> st.SearchStrategy[int]:
    """Any non-negative int: make_fodselsnummer folds it into the century's range, keeping parity."""
    return st.integers(min_value=0, max_value=10_000)
