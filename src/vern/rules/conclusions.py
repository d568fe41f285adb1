"""What the register's conclusion codes mean for the case flow (Kodelister.md). No Django import.

Melding/Konklusjon: code 2 sends the report to investigation, code 4 records it as received during an
ongoing investigation; every other code closes the report (henlagt), DOMAIN.md "share of reports
closed". Undersokelse/Konklusjon: code 1 (the service decides on measures) and code 2 (an application
to the county board) lead to measures and need a decision basis (Undersøkelse kontroll 7); every other
code closes the investigation.
"""

from __future__ import annotations

REVIEW_SENDS_TO_INVESTIGATION = "2"
REVIEW_DURING_INVESTIGATION = "4"
REVIEW_NOT_CLOSING: frozenset[str] = frozenset({REVIEW_SENDS_TO_INVESTIGATION, REVIEW_DURING_INVESTIGATION})

INVESTIGATION_LEADING_TO_MEASURES: frozenset[str] = frozenset({"1", "2"})
