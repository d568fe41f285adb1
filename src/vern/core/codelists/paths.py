"""Register paths of the code lists, as the anchors in Kodelister.md name them."""

from __future__ import annotations

REPORTER = "/Barnevern/Sak/Melding/Melder/@Kode"
CASE_CONTENT = "/Barnevern/Sak/Melding/Saksinnhold/@Kode"
REVIEW_CONCLUSION = "/Barnevern/Sak/Melding/Konklusjon/@Kode"
INVESTIGATION_BASIS = "/Barnevern/Sak/Undersokelse/Vedtaksgrunnlag/@Kode"
CHILD_PARTICIPATION = "/Barnevern/Sak/Undersokelse/BarnetsMedvirkning/MedvirkningType"
EXTENSION = "/Barnevern/Sak/Undersokelse/UtvidetFrist/@Innvilget"
INVESTIGATION_CONCLUSION = "/Barnevern/Sak/Undersokelse/Konklusjon/@Kode"
PLAN_TYPE = "/Barnevern/Sak/Plan/@Plantype"
MEASURE_CATEGORY = "/Barnevern/Sak/Tiltak/Kategori/@Kode"
MEASURE_BASIS = "/Barnevern/Sak/Tiltak/Tiltaksgrunnlag/@Kode"
MEASURE_REVOCATION = "/Barnevern/Sak/Tiltak/Opphevelse/@Kode"
DECISION_STATUS = "/Barnevern/Sak/Vedtak/Status/@Kode"
AFTERCARE_CONCLUSION = "/Barnevern/Sak/Ettervern/Konklusjon/@Kode"
RELOCATION_REASON = "/Barnevern/Sak/Flytting/ArsakFra/@Kode"
RELOCATION_DESTINATION = "/Barnevern/Sak/Flytting/FlyttingTil/@Kode"
