"""Parse the national child welfare register's code lists (Kodelister.md).

Source: Statistics Norway (SSB), the ``Kodelister.md`` of the barnevernregister specification,
MIT licence (``LICENSE.md`` beside it). The file is bundled unchanged; each code list is a
markdown table under a ``####`` heading, preceded by an ``<a name="#/Barnevern/...">`` anchor
that names the register path the codes are used on. No Django import: the database loader,
the rules and the tests all read the lists through this module.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, replace
from datetime import date
from importlib import resources

_ANCHOR = re.compile(r'<a\s+name="#(/Barnevern/[^"]+)"\s*>\s*</a>')
_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_LIST_LEVEL = 4
# One list in the file (Vedtak "Konklusjon/Kode") has no anchor of its own; its path is only given
# in this sentence, so it is the fallback when no anchor precedes the heading.
_USED_ON = re.compile(r"Brukes på stien\s+(/Barnevern/\S+?)(?:<br\s*/?>|\s|$)")
_SAME_AS = re.compile(r"Bruker\s+samme\s+kodeliste\s+som\s+\[[^\]]*\]\(#(/Barnevern/[^)\s]+)\)")
_BREAK = re.compile(r"<br\s*/?>", re.IGNORECASE)
_EMPHASIS = re.compile(r"(\*{1,2})(\S(?:.*?\S)?)\1")
_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_SEPARATOR_CELL = re.compile(r":?-+:?")

CODE = "Kode"
LABEL = "Betydning"
VALID_FROM = "Gyldig fra"
VALID_TO = "Gyldig til"
CHANGE = "Endring"


@dataclass(frozen=True)
class CodeEntry:
    """One code of one register code list, with the period the register accepts it."""

    list_path: str
    list_name: str
    code: str
    label: str
    valid_from: date | None
    valid_to: date | None
    change_note: str
    group: str


def clean_text(text: str) -> str:
    """Table cells as plain text: line breaks become spaces and markdown emphasis is dropped."""
    text = _BREAK.sub(" ", text)
    text = _EMPHASIS.sub(r"\2", text)
    return " ".join(text.split())


def parse_date(value: str, *, list_name: str, code: str) -> date | None:
    """A ``Gyldig fra``/``Gyldig til`` cell; empty means open-ended.

    Source: Kodelister.md writes dates as ISO YYYY-MM-DD, but the Melding Konklusjon list ends
    code 1 on "2025-31-12". The change note there ("1 deles i kode 5,6,7,8,9 og 10") and the new
    codes starting 2026-01-01 show 31 December 2025 is meant, so YYYY-DD-MM is accepted as a
    fallback -- only when the ISO reading is impossible, so no valid ISO date is ever reread.
    """
    value = value.strip()
    if not value:
        return None
    match = _DATE.fullmatch(value)
    if match is not None:
        year, first, second = (int(part) for part in match.groups())
        for month, day in ((first, second), (second, first)):
            try:
                return date(year, month, day)
            except ValueError:
                continue
    raise ValueError(f"Code list {list_name!r}, code {code!r}: unreadable date {value!r}")


def is_valid_on(entry: CodeEntry, day: date) -> bool:
    """Whether the register accepts ``entry`` on ``day``.

    Source: Kodelister.md "Gyldig fra"/"Gyldig til"; a code without a start date has always been
    valid, and the end date is the last day it may be used (code 15 of Melder ends 2024-12-31 and
    its replacements 24 and 25 start 2025-01-01).
    """
    starts_ok = entry.valid_from is None or entry.valid_from <= day
    return starts_ok and (entry.valid_to is None or day <= entry.valid_to)


def _cells(line: str) -> list[str]:
    stripped = line.strip()
    stripped = stripped.removeprefix("|")
    stripped = stripped.removesuffix("|")
    return [cell.strip() for cell in stripped.split("|")]


def _is_table_line(line: str) -> bool:
    return line.lstrip().startswith("|")


@dataclass
class _List:
    """A code list while it is being read."""

    name: str
    path: str | None
    prose: list[str]
    rows: list[dict[str, str]]
    has_table: bool = False


def _read_table(lines: list[str], start: int, current: _List) -> int:
    """Read the table starting at ``lines[start]`` into ``current``; return the index after it."""
    header = _cells(lines[start])
    if not header or header[0] != CODE or LABEL not in header:
        raise ValueError(f"Code list {current.name!r}: table must start with {CODE!r} and {LABEL!r}")
    if start + 1 >= len(lines) or not all(
        _SEPARATOR_CELL.fullmatch(cell) for cell in _cells(lines[start + 1])
    ):
        raise ValueError(f"Code list {current.name!r}: table header has no separator row")
    current.has_table = True
    index = start + 2
    while index < len(lines) and _is_table_line(lines[index]):
        cells = _cells(lines[index])
        if any(cells[len(header) :]):
            raise ValueError(f"Code list {current.name!r}: row {cells!r} has more cells than {header!r}")
        # Markdown reads missing trailing cells as empty, and one spacer row in Saksinnhold lacks one.
        cells += [""] * (len(header) - len(cells))
        current.rows.append(dict(zip(header, cells[: len(header)], strict=True)))
        index += 1
    return index


def _entries(current: _List, path: str) -> list[CodeEntry]:
    entries: list[CodeEntry] = []
    seen: set[str] = set()
    group = ""
    for row in current.rows:
        code = clean_text(row[CODE])
        label = clean_text(row[LABEL])
        if not code:
            # Rows without a code head the codes below them (KUNNSKAPMODELLEN, Helse, Ja/Nei);
            # fully empty rows are only spacing in the source.
            if label:
                group = label
            continue
        if code in seen:
            raise ValueError(f"Code list {current.name!r}: code {code!r} appears twice")
        seen.add(code)
        valid_from = parse_date(row.get(VALID_FROM, ""), list_name=current.name, code=code)
        valid_to = parse_date(row.get(VALID_TO, ""), list_name=current.name, code=code)
        if valid_from is not None and valid_to is not None and valid_to < valid_from:
            raise ValueError(f"Code list {current.name!r}, code {code!r}: ends before it starts")
        entries.append(
            CodeEntry(
                list_path=path,
                list_name=current.name,
                code=code,
                label=label,
                valid_from=valid_from,
                valid_to=valid_to,
                change_note=clean_text(row.get(CHANGE, "")),
                group=group,
            )
        )
    return entries


def _resolve_shared(
    shared: dict[str, str], by_path: dict[str, list[CodeEntry]]
) -> dict[str, list[CodeEntry]]:
    """Codes of the lists that say "Bruker samme kodeliste som [...]", keyed by their own path."""

    def codes_of(path: str, chain: tuple[str, ...]) -> list[CodeEntry]:
        if path in by_path:
            return by_path[path]
        if path in chain or path not in shared:
            raise ValueError(f"Code list {chain[0]!r} refers to {path!r}, which is missing or circular")
        return codes_of(shared[path], (*chain, path))

    return {path: codes_of(source, (path,)) for path, source in shared.items()}


def _scan(lines: list[str]) -> list[_List]:
    """The ####-headed code lists of the file, with their tables and surrounding prose."""
    lists: list[_List] = []
    anchor: str | None = None
    current: _List | None = None
    index = 0
    while index < len(lines):
        line = lines[index]
        heading = _HEADING.match(line)
        anchor_match = _ANCHOR.search(line)
        if anchor_match is not None:
            anchor = anchor_match[1]
        elif heading is not None:
            # Only ####-headings are code lists; higher levels are sections without codes.
            current = None
            if len(heading[1]) == _LIST_LEVEL:
                current = _List(name=clean_text(heading[2]), path=anchor, prose=[], rows=[])
                lists.append(current)
            anchor = None
        elif current is not None and _is_table_line(line):
            if current.has_table:
                raise ValueError(f"Code list {current.name!r} has more than one table")
            index = _read_table(lines, index, current)
            continue
        elif current is not None:
            current.prose.append(line)
            used_on = _USED_ON.search(line)
            if used_on is not None and current.path is None:
                current.path = used_on[1]
        index += 1
    return lists


def parse_code_lists(text: str) -> list[CodeEntry]:
    """Every code of every list in a Kodelister.md text, in the order of the file.

    Source: SSB Kodelister.md (barnevernregister). Lists that reuse another list's codes
    ("Bruker samme kodeliste som ...") are emitted under their own path after the lists with tables.
    """
    lists = _scan(text.splitlines())
    entries: list[CodeEntry] = []
    by_path: dict[str, list[CodeEntry]] = {}
    shared: dict[str, str] = {}
    names: dict[str, str] = {}
    for code_list in lists:
        if code_list.path is None:
            raise ValueError(f"Code list {code_list.name!r}: no register path (anchor or 'Brukes på stien')")
        if code_list.path in names:
            raise ValueError(f"Code list {code_list.name!r}: path {code_list.path!r} is used twice")
        names[code_list.path] = code_list.name
        if code_list.has_table:
            by_path[code_list.path] = _entries(code_list, code_list.path)
            entries.extend(by_path[code_list.path])
            continue
        same_as = _SAME_AS.search(" ".join(code_list.prose))
        if same_as is None:
            raise ValueError(f"Code list {code_list.name!r} has neither a table nor a reference")
        shared[code_list.path] = same_as[1]
    for path, source_entries in _resolve_shared(shared, by_path).items():
        entries.extend(replace(entry, list_path=path, list_name=names[path]) for entry in source_entries)
    return entries


@functools.cache
def _bundled() -> tuple[CodeEntry, ...]:
    source = resources.files("vern.core.codelists").joinpath("Kodelister.md")
    return tuple(parse_code_lists(source.read_text(encoding="utf-8")))


def load_bundled() -> list[CodeEntry]:
    """The code lists bundled with Vern (SSB Kodelister.md, copied unchanged).

    The file is parsed once per process; each call returns a fresh list to mutate freely.
    """
    return list(_bundled())
