"""The register's code lists (SSB Kodelister.md) parse into dated, grouped codes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from vern.core.codelists import paths
from vern.core.codelists.parse import CodeEntry, is_valid_on, load_bundled, parse_code_lists, parse_date

END_OF_OLD_CODES = date(2025, 12, 31)
KNOWLEDGE_MODEL_START = date(2026, 1, 1)


@pytest.fixture(scope="module")
def bundled() -> list[CodeEntry]:
    return load_bundled()


def codes(entries: list[CodeEntry], path: str) -> dict[str, CodeEntry]:
    return {entry.code: entry for entry in entries if entry.list_path == path}


def test_every_list_in_the_bundled_file_has_a_path_constant(bundled: list[CodeEntry]) -> None:
    assert {entry.list_path for entry in bundled} == set(paths.ALL)
    assert len(set(paths.ALL)) == len(paths.ALL)


def test_codes_are_unique_per_list(bundled: list[CodeEntry]) -> None:
    keys = [(entry.list_path, entry.code) for entry in bundled]
    assert len(keys) == len(set(keys))


def test_labels_are_plain_text(bundled: list[CodeEntry]) -> None:
    for entry in bundled:
        assert entry.label
        assert "<br" not in entry.label
        assert "*" not in entry.label
        assert "  " not in entry.label
    measure = codes(bundled, paths.MEASURE_CATEGORY)["7.1"]
    assert measure.label == "BVL2021 § 3-7 (tidligere BVL1992 § 4-10) medisinsk undersøkelse og behandling"


def test_reporter_code_15_was_split_into_24_and_25(bundled: list[CodeEntry]) -> None:
    reporter = codes(bundled, paths.REPORTER)
    assert reporter["15"].valid_from == date(2013, 1, 1)
    assert reporter["15"].valid_to == date(2024, 12, 31)
    assert reporter["15"].change_note == "15 deles i 24 og 25"
    for code in ("24", "25"):
        assert reporter[code].valid_from == date(2025, 1, 1)
        assert reporter[code].valid_to is None
    assert is_valid_on(reporter["15"], date(2024, 12, 31))
    assert not is_valid_on(reporter["15"], date(2025, 1, 1))
    assert not is_valid_on(reporter["24"], date(2024, 12, 31))
    assert is_valid_on(reporter["24"], date(2025, 1, 1))
    assert reporter["17"].label == (
        "Tjenester og instanser med ansvar for oppfølging av personers rusproblemer (kommune og stat)"
    )


def test_case_content_groups_follow_their_heading_rows(bundled: list[CodeEntry]) -> None:
    content = codes(bundled, paths.CASE_CONTENT)
    assert content["1.1.01"].group == "Helse"
    assert content["1.1.01"].label == "Fysisk helse og utvikling"
    assert content["2.4.05"].group == "Beskyttelse"
    assert content["1"].group == ""


def test_old_case_content_codes_end_when_the_knowledge_model_starts(bundled: list[CodeEntry]) -> None:
    content = codes(bundled, paths.CASE_CONTENT)
    old = [entry for entry in content.values() if "." not in entry.code]
    new = [entry for entry in content.values() if "." in entry.code]
    assert old
    assert new
    for entry in old:
        assert entry.valid_to is not None
        assert entry.valid_to <= END_OF_OLD_CODES
        assert not is_valid_on(entry, KNOWLEDGE_MODEL_START)
    assert sum(1 for entry in old if entry.valid_to == END_OF_OLD_CODES) > 30
    for entry in new:
        assert entry.valid_from == KNOWLEDGE_MODEL_START
        assert not is_valid_on(entry, END_OF_OLD_CODES)


def test_review_conclusion_code_1_reads_the_malformed_end_date(bundled: list[CodeEntry]) -> None:
    # The source writes "2025-31-12" for this code.
    conclusion = codes(bundled, paths.REVIEW_CONCLUSION)
    assert conclusion["1"].valid_to == END_OF_OLD_CODES
    assert conclusion["1"].label == "Henlagt"
    assert {conclusion[code].valid_from for code in ("5", "6", "7", "8", "9", "10")} == {
        KNOWLEDGE_MODEL_START
    }


@pytest.mark.parametrize("path", [paths.INVESTIGATION_BASIS, paths.MEASURE_BASIS])
def test_lists_that_reuse_case_content_have_its_codes(bundled: list[CodeEntry], path: str) -> None:
    content = [entry for entry in bundled if entry.list_path == paths.CASE_CONTENT]
    reused = [entry for entry in bundled if entry.list_path == path]
    assert [entry.code for entry in reused] == [entry.code for entry in content]
    for mine, theirs in zip(reused, content, strict=True):
        assert (mine.label, mine.group, mine.valid_from, mine.valid_to) == (
            theirs.label,
            theirs.group,
            theirs.valid_from,
            theirs.valid_to,
        )
    assert reused[0].list_name in {"Vedtaksgrunnlag", "Tiltaksgrunnlag"}


def test_child_participation_is_grouped_yes_and_no(bundled: list[CodeEntry]) -> None:
    participation = codes(bundled, paths.CHILD_PARTICIPATION)
    assert len(participation) == 6
    assert {code for code, entry in participation.items() if entry.group == "Ja"} == {
        "1.1",
        "1.2",
        "1.3",
        "1.4",
    }
    assert {code for code, entry in participation.items() if entry.group == "Nei"} == {"2.1", "2.2"}
    assert all(entry.valid_to is None for entry in participation.values())


def test_extension_list_is_keyed_by_its_anchor(bundled: list[CodeEntry]) -> None:
    extension = codes(bundled, paths.EXTENSION)
    assert {code: entry.label for code, entry in extension.items()} == {"1": "Ja", "2": "Nei"}


def test_list_without_anchor_uses_its_brukes_pa_stien_path(bundled: list[CodeEntry]) -> None:
    claim = codes(bundled, paths.CLAIM_CONCLUSION)
    assert set(claim) == {"1", "2", "9"}
    assert claim["1"].list_name == "Konklusjon/Kode"


def test_load_bundled_returns_a_fresh_list() -> None:
    first = load_bundled()
    first.clear()
    assert load_bundled()


def test_is_valid_on_without_start_date() -> None:
    entry = CodeEntry("/p", "P", "1", "x", None, date(2020, 1, 1), "", "")
    assert is_valid_on(entry, date(1900, 1, 1))
    assert is_valid_on(entry, date(2020, 1, 1))
    assert not is_valid_on(entry, date(2020, 1, 2))


def _document(table: str, *, name: str = "Konklusjon", path: str = "/Barnevern/Sak/X/@Kode") -> str:
    return f'<a name="#{path}"></a>\n\n#### {name}\n\nBrukes på stien {path}\n\n{table}\n'


@pytest.mark.parametrize(
    ("written", "meant"),
    [
        ("2025-12-31", date(2025, 12, 31)),
        ("2025-31-12", date(2025, 12, 31)),
        # Valid as ISO, so never reread as YYYY-DD-MM.
        ("2025-03-04", date(2025, 3, 4)),
        ("", None),
    ],
)
def test_dates(written: str, meant: date | None) -> None:
    assert parse_date(written, list_name="L", code="1") == meant


@pytest.mark.parametrize(
    "written", ["2025-02-30", "2025-13-45", "31.12.2025", "20251231", "2025-1-1", "i dag"]
)
def test_malformed_date_raises_naming_list_and_code(written: str) -> None:
    table = f"| Kode | Betydning | Gyldig fra |\n|:--|--|--|\n| 7 | Noe | {written} |"
    with pytest.raises(ValueError, match=r"'Konklusjon', code '7'"):
        parse_code_lists(_document(table))


def test_end_before_start_raises() -> None:
    table = (
        "| Kode | Betydning | Gyldig fra | Gyldig til |\n|--|--|--|--|\n| 7 | Noe | 2020-01-01 | 2019-12-31 |"
    )
    with pytest.raises(ValueError, match="ends before it starts"):
        parse_code_lists(_document(table))


def test_reference_to_a_missing_list_raises() -> None:
    text = _document("Bruker samme kodeliste\nsom [Borte](#/Barnevern/Sak/Borte/@Kode)")
    with pytest.raises(ValueError, match="missing or circular"):
        parse_code_lists(text)


# Round trip: tables generated the way Kodelister.md writes them parse back to their codes.

_WORD = st.text(alphabet="abcdefghijklmnopqrstuvwxyzæøåABCÆØÅ0123456789()/,.-–§", min_size=1, max_size=8)
_CODE = st.from_regex(r"[1-9][0-9]?(\.[0-9]{1,2}){0,2}", fullmatch=True)
_DAY = st.dates(min_value=date(2000, 1, 1), max_value=date(2040, 12, 31))
_OPTIONAL_COLUMNS = ("Gyldig fra", "Gyldig til", "Endring")


@dataclass(frozen=True)
class _Row:
    code: str
    words: list[str]
    separators: list[str]
    emphasised: int | None
    valid_from: date | None
    valid_to: date | None
    note: list[str]

    @property
    def label(self) -> str:
        return " ".join(self.words)

    def written_label(self) -> str:
        words = [f"*{word}*" if index == self.emphasised else word for index, word in enumerate(self.words)]
        text = words[0]
        for separator, word in zip(self.separators, words[1:], strict=True):
            text += separator + word
        return text


@st.composite
def _rows(draw: st.DrawFn, code: str, columns: tuple[str, ...]) -> _Row:
    words = draw(st.lists(_WORD, min_size=1, max_size=5))
    separators = draw(
        st.lists(
            st.sampled_from([" ", "  ", " <br>", "<br/>", "<br> "]),
            min_size=len(words) - 1,
            max_size=len(words) - 1,
        )
    )
    emphasised = draw(st.none() | st.integers(min_value=0, max_value=len(words) - 1))
    valid_from = draw(st.none() | _DAY) if "Gyldig fra" in columns else None
    valid_to = None
    if "Gyldig til" in columns:
        valid_to = draw(
            st.none() | st.dates(min_value=valid_from or date(2000, 1, 1), max_value=date(2041, 1, 1))
        )
    note = draw(st.lists(_WORD, max_size=3)) if "Endring" in columns else []
    return _Row(code, words, separators, emphasised, valid_from, valid_to, note)


@st.composite
def _tables(draw: st.DrawFn) -> tuple[tuple[str, ...], list[_Row | str]]:
    optional = draw(st.lists(st.sampled_from(_OPTIONAL_COLUMNS), unique=True))
    columns = ("Kode", "Betydning", *(column for column in _OPTIONAL_COLUMNS if column in optional))
    codes = draw(st.lists(_CODE, min_size=1, max_size=8, unique=True))
    rows: list[_Row | str] = []
    for code in codes:
        if draw(st.booleans()) and draw(st.booleans()):
            rows.append(" ".join(draw(st.lists(_WORD, min_size=1, max_size=3))))
        if draw(st.integers(0, 9)) == 0:
            rows.append("")  # spacer row
        rows.append(draw(_rows(code, columns)))
    return columns, rows


def _render(columns: tuple[str, ...], rows: list[_Row | str], pad: int) -> str:
    def line(cells: list[str]) -> str:
        return "|" + "|".join(f" {cell}{' ' * pad} " for cell in cells) + "|"

    lines = [
        line(list(columns)),
        "|" + "|".join(":-----" if i == 0 else "-----" for i in range(len(columns))) + "|",
    ]
    for row in rows:
        if isinstance(row, str):
            lines.append(line(["", row] + [""] * (len(columns) - 2)))
            continue
        values = {
            "Kode": row.code,
            "Betydning": row.written_label(),
            "Gyldig fra": row.valid_from.isoformat() if row.valid_from else "",
            "Gyldig til": row.valid_to.isoformat() if row.valid_to else "",
            "Endring": " ".join(row.note),
        }
        lines.append(line([values[column] for column in columns]))
    return "\n".join(lines)


def _expected(path: str, name: str, rows: list[_Row | str]) -> list[CodeEntry]:
    expected: list[CodeEntry] = []
    group = ""
    for row in rows:
        if isinstance(row, str):
            group = row or group
            continue
        expected.append(
            CodeEntry(
                path, name, row.code, row.label, row.valid_from, row.valid_to, " ".join(row.note), group
            )
        )
    return expected


@given(
    first=_tables(),
    second=_tables(),
    pad=st.integers(0, 3),
    reuse=st.booleans(),
)
def test_generated_tables_round_trip(
    first: tuple[tuple[str, ...], list[_Row | str]],
    second: tuple[tuple[str, ...], list[_Row | str]],
    pad: int,
    reuse: bool,
) -> None:
    first_path, second_path, third_path = (
        "/Barnevern/Sak/A/@Kode",
        "/Barnevern/Sak/B/@Kode",
        "/Barnevern/Sak/C/@Kode",
    )
    text = "# Kodelister\n\n## Seksjon\n\n"
    text += _document(_render(*first, pad), name="Første", path=first_path)
    text += _document(_render(*second, pad), name="Andre", path=second_path)
    expected = _expected(first_path, "Første", first[1]) + _expected(second_path, "Andre", second[1])
    if reuse:
        text += _document(
            f"Bruker samme kodeliste\nsom [Første](#{first_path})", name="Tredje", path=third_path
        )
        expected += [
            CodeEntry(third_path, "Tredje", e.code, e.label, e.valid_from, e.valid_to, e.change_note, e.group)
            for e in expected
            if e.list_path == first_path
        ]
    assert parse_code_lists(text) == expected


@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2099, 12, 31)))
def test_swapped_dates_are_read_only_when_iso_is_impossible(day: date) -> None:
    assert parse_date(day.isoformat(), list_name="L", code="1") == day
    swapped = parse_date(f"{day.year:04d}-{day.day:02d}-{day.month:02d}", list_name="L", code="1")
    if day.day > 12:
        assert swapped == day
    else:
        assert swapped == date(day.year, day.day, day.month)
