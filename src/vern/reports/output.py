"""A report as a standalone HTML document, a PDF made from that same document, or an Excel workbook."""

from __future__ import annotations

from django.template.loader import render_to_string

from vern.reports import excel
from vern.reports.build import Report


def document_html(report: Report) -> str:
    return render_to_string("reports/document.html", {"report": report})


def document_pdf(report: Report) -> bytes:
    """The HTML document laid out as A4 pages by WeasyPrint (charts are inline SVG, fonts embedded)."""
    from weasyprint import HTML  # imported here: loading Pango takes a moment, and only PDFs need it

    pdf: bytes = HTML(string=document_html(report)).write_pdf()
    return pdf


def workbook(report: Report) -> bytes:
    return excel.workbook(report.tables, title=f"{report.title}: {report.unit_label}")
