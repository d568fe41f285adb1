"""Register paths of the code lists, exactly as Kodelister.md (SSB, barnevernregister) names them.

Each constant is the ``<a name="#...">`` anchor before the list's heading, which is what
``parse_code_lists`` stores as ``CodeEntry.list_path``. The one list without an anchor (Vedtak
"Konklusjon/Kode") uses the path from its "Brukes på stien" sentence.
"""

from __future__ import annotations

REPORTER = "/Barnevern/Sak/Melding/Melder/@Kode"
CASE_CONTENT = "/Barnevern/Sak/Melding/Saksinnhold/@Kode"
REVIEW_CONCLUSION = "/Barnevern/Sak/Melding/Konklusjon/@Kode"

INVESTIGATION_BASIS = "/Barnevern/Sak/Undersokelse/Vedtaksgrunnlag/@Kode"
CHILD_PARTICIPATION = "/Barnevern/Sak/Undersokelse/BarnetsMedvirkning/MedvirkningType"
# The anchor says @Kode although the list's "Brukes på stien" names the XSD attribute @Innvilget;
# the anchor is the list's identity in the file, so it is the key here too.
EXTENSION = "/Barnevern/Sak/Undersokelse/UtvidetFrist/@Kode"
INVESTIGATION_CONCLUSION = "/Barnevern/Sak/Undersokelse/Konklusjon/@Kode"

PLAN_TYPE = "/Barnevern/Sak/Plan/@Plantype"

MEASURE_CATEGORY = "/Barnevern/Sak/Tiltak/Kategori/@Kode"
MEASURE_BASIS = "/Barnevern/Sak/Tiltak/Tiltaksgrunnlag/@Kode"
MEASURE_REVOCATION = "/Barnevern/Sak/Tiltak/Opphevelse/@Kode"

DECISION_STATUS = "/Barnevern/Sak/Vedtak/Status/@Kode"
CLAIM_CONCLUSION = "/Barnevern/Sak/Vedtak/Krav/Konklusjon/@Kode"

AFTERCARE_CONCLUSION = "/Barnevern/Sak/Ettervern/Konklusjon/@Kode"

RELOCATION_REASON = "/Barnevern/Sak/Flytting/ArsakFra/@Kode"
RELOCATION_DESTINATION = "/Barnevern/Sak/Flytting/FlyttingTil/@Kode"

ALL: tuple[str, ...] = (
    REPORTER,
    CASE_CONTENT,
    REVIEW_CONCLUSION,
    INVESTIGATION_BASIS,
    CHILD_PARTICIPATION,
    EXTENSION,
    INVESTIGATION_CONCLUSION,
    PLAN_TYPE,
    MEASURE_CATEGORY,
    MEASURE_BASIS,
    MEASURE_REVOCATION,
    DECISION_STATUS,
    CLAIM_CONCLUSION,
    AFTERCARE_CONCLUSION,
    RELOCATION_REASON,
    RELOCATION_DESTINATION,
)
