"""Parse the national register's code lists (Kodelister.md, from Statistics Norway, MIT licence).

The file is bundled unchanged beside this module; each list is a markdown table under an anchor
naming its register path. No Django import: the loader and tests use this directly.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from importlib import resources

_ANCHOR = re.compile(r'<a name="#(/Barnevern/[^"]+)"></a>')
_HEADING = re.compile(r"^#{2,4}\s+(.+?)\s*$")
# Some tables have no anchor of their own, only a line naming the path they are used on.
_USED_ON = re.compile(r"Brukes på stien\s+(/Barnevern/[^\s<]+)")
_SAME_AS = re.compile(r"Bruker samme kodeliste\s*som\s*\[[^\]]*\]\(#(/Barnevern/[^)]+)\)", re.S)


@dataclass(frozen=True)
class CodeEntry:
    list_path: str
    list_name: str
    code: str
    label: str
    valid_from: date | None
    valid_to: date | None
    change_note: str
    group: str


def _clean(text: str) -> str:
    text = re.sub(r"<br\s*/?>", " ", text)
    text = re.sub(r"\*([^*]+)\*", r"\1", text)
    return " ".join(text.split())


def _date(value: str, list_name: str, code: str) -> date | None:
    value = value.strip()
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        pass
    # The source has at least one date written YYYY-DD-MM ("2025-31-12"); read it as meant.
    match = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", value)
    if match:
        try:
            return date(int(match[1]), int(match[3]), int(match[2]))
        except ValueError:
            pass
    raise ValueError(f"Unreadable date {value!r} for code {code!r} in list {list_name!r}")


def _cells(line: str) -> list[str]:
    return [cell.strip() for cell in line.strip().strip("|").split("|")]


def parse_code_lists(text: str) -> list[CodeEntry]:  # noqa: PLR0912 - one pass over a line-oriented format
    entries: list[CodeEntry] = []
    by_path: dict[str, list[CodeEntry]] = {}
    path: str | None = None
    name = ""
    columns: list[str] | None = None
    group = ""
    pending_same_as: list[tuple[str, str, str]] = []
    lines = text.splitlines()
    for index, line in enumerate(lines):
        anchor = _ANCHOR.search(line)
        if anchor:
            path, columns, group = anchor[1], None, ""
            continue
        heading = _HEADING.match(line)
        if heading:
            name = heading[1]
            continue
        used_on = _USED_ON.search(line)
        if used_on:
            path, columns, group = used_on[1], None, ""
            continue
        if path is None:
            continue
        if "Bruker samme kodeliste" in line:
            same = _SAME_AS.search(" ".join(lines[index : index + 3]))
            if same:
                pending_same_as.append((path, name, same[1]))
            continue
        if not line.lstrip().startswith("|"):
            if line.strip() and columns is not None:
                columns = None
            continue
        cells = _cells(line)
        if columns is None:
            if cells and cells[0] == "Kode":
                columns = cells
            continue
        if all(set(c) <= set(":- ") for c in cells):
            continue  # the separator row under the header
        row = dict(zip(columns, cells, strict=False))
        code = row.get("Kode", "").strip()
        label = _clean(row.get("Betydning", ""))
        if not code:
            if label:
                group = label
            continue
        entry = CodeEntry(
            list_path=path,
            list_name=name,
            code=code,
            label=label,
            valid_from=_date(row.get("Gyldig fra", ""), name, code),
            valid_to=_date(row.get("Gyldig til", ""), name, code),
            change_note=_clean(row.get("Endring", "")),
            group=group,
        )
        entries.append(entry)
        by_path.setdefault(path, []).append(entry)
    for own_path, own_name, source in pending_same_as:
        for entry in by_path.get(source, []):
            entries.append(
                CodeEntry(
                    list_path=own_path,
                    list_name=own_name,
                    code=entry.code,
                    label=entry.label,
                    valid_from=entry.valid_from,
                    valid_to=entry.valid_to,
                    change_note=entry.change_note,
                    group=entry.group,
                )
            )
    return entries


def load_bundled() -> list[CodeEntry]:
    text = resources.files("vern.core.codelists").joinpath("Kodelister.md").read_text(encoding="utf-8")
    return parse_code_lists(text)


def is_valid_on(entry: CodeEntry, day: date) -> bool:
    return (entry.valid_from is None or entry.valid_from <= day) and (
        entry.valid_to is None or entry.valid_to >= day
    )
