"""Register codes are shown in words: plain texts where the register's label is jargon, the label
without the register's notes elsewhere, form options grouped under their headings, and the register's
own wording within reach on the detail pages."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.template import Context, Template
from django.urls import reverse

from tests.conftest import ReportFactory, logged_in
from vern.core import codes
from vern.core.codelists import paths
from vern.core.dates import today
from vern.core.forms import CodeChoiceField
from vern.core.models import Code, User
from vern.intake.services import review_conclude

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("path", "code", "words"),
    [
        (paths.REVIEW_CONCLUSION, "2", "Undersøkelse startes"),
        (paths.REVIEW_CONCLUSION, "1", "Henlagt"),
        (paths.INVESTIGATION_CONCLUSION, "3", "Henlagt: vilkårene for tiltak er ikke oppfylt"),
        (paths.PLAN_TYPE, "1", "Tiltaksplan (§ 8-1)"),
        (paths.MEASURE_CATEGORY, "1.1", "Barnevernsinstitusjoner"),
        (paths.MEASURE_CATEGORY, "2.4", "Fosterhjem etter BVL2021 § 6-3"),
        (paths.MEASURE_CATEGORY, "4.7", "Samtalegrupper/ barnegrupper"),
        (paths.REPORTER, "22", "Andre offentlige instanser"),
        (paths.REPORTER, "5", "Barnevernstjenesten"),
        (paths.CASE_CONTENT, "1.1.01", "Fysisk helse og utvikling"),
    ],
)
def test_codes_in_words(path: str, code: str, words: str) -> None:
    assert codes.text(path, code) == words


def test_the_register_label_stays_available() -> None:
    assert codes.label(paths.REVIEW_CONCLUSION, "2").startswith("Ikke henlagt – konklusjonsdato melding")
    assert codes.text(paths.REVIEW_CONCLUSION, "") == ""
    assert codes.text(paths.REVIEW_CONCLUSION, "77") == "77"  # a code the list does not have is shown as is


def test_every_code_has_words_without_the_registers_notes() -> None:
    for list_path, code in Code.objects.values_list("list_path", "code"):
        words = codes.text(list_path, code)
        assert words.strip(), (list_path, code)
        for note in ("krever presisering", "(tidligere", "(gjelder", "(Gjelder", "Denne kategorien", "<br"):
            assert note not in words, (list_path, code, words)


def test_plain_texts_are_for_codes_that_exist() -> None:
    for list_path, plain in codes.PLAIN.items():
        known = set(Code.objects.filter(list_path=list_path).values_list("code", flat=True))
        assert set(plain) <= known, list_path


def test_measure_categories_are_offered_under_their_headings() -> None:
    choices = codes.choices_valid_on(paths.MEASURE_CATEGORY, date(2026, 6, 1))
    groups = dict(choices)
    assert list(groups)[:2] == ["Institusjoner", "Fosterhjem"]
    assert groups["Institusjoner"] == [
        ("1.1", "Barnevernsinstitusjoner"),
        ("1.2", "Plassering i institusjon etter annen lov"),
        ("1.99", "Andre institusjonstiltak (for eksempel TFCO) (krever presisering)"),
    ]
    offered = {code for _, options in choices for code, _ in options}
    assert not offered & {"1", "2", "3", "4", "5", "6", "7", "8"}  # a heading is no code the XSD takes
    assert "8.2" not in offered  # ended 2025-12-31


def test_a_heading_is_refused_in_norwegian() -> None:
    with pytest.raises(ValidationError, match=r"«Institusjoner» kan ikke brukes 01\.06\.2026"):
        codes.require_valid(paths.MEASURE_CATEGORY, ["1"], date(2026, 6, 1))


def test_a_code_field_takes_a_grouped_code() -> None:
    field = CodeChoiceField(paths.MEASURE_CATEGORY, day=date(2026, 6, 1))
    assert field.clean("2.2") == "2.2"
    with pytest.raises(ValidationError):
        field.clean("2")


def test_flat_lists_are_offered_in_words() -> None:
    choices = codes.choices_valid_on(paths.REVIEW_CONCLUSION, date(2026, 6, 1))
    assert ("2", "Undersøkelse startes") in choices
    assert ("1", "Henlagt") not in choices  # ended 2025-12-31


def test_the_template_filters() -> None:
    template = Template(
        '{{ c|code:"plan_type" }}|{% code_with_label "review_conclusion" r %}|{{ none|code:"plan_type" }}'
    )
    out = template.render(Context({"c": "4", "r": "2", "none": None}))
    assert out.startswith("Omsorgsplan (§ 8-3)|Undersøkelse startes<br>")
    assert "Ikke henlagt – konklusjonsdato melding" in out
    assert out.endswith("(kode 2)</span>|")


def test_the_report_page_gives_the_conclusion_in_words_and_the_registers(
    make_report: ReportFactory, caseworker: User
) -> None:
    report = make_report(received_on=today() - timedelta(days=3), reporters=("10",))
    review_conclude(report=report, by=caseworker, concluded_on=today(), conclusion="2")
    client = logged_in(caseworker)

    page = client.get(reverse("intake:report", args=[report.pk])).content.decode()
    assert "Undersøkelse startes" in page
    assert "I registeret: Ikke henlagt – konklusjonsdato melding" in page
    assert "<dd>Helsestasjon/skolehelsetjenesten</dd>" in page
    assert "10 Helsestasjon" not in page

    case_page = client.get(reverse("cases:detail", args=[report.case_id])).content.decode()
    assert "<td>Undersøkelse startes</td>" in case_page
    assert "Ikke henlagt" not in case_page
