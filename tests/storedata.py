"""Tables the store's tests import, built from the seed's text by plain string handling.

The edited copy is the issue's example of a yearly revision: a town joins project 11, project 31 is removed and
project 13 is renamed. Which town joins, and every other figure, is taken from the seed file, not typed here.
"""

from __future__ import annotations

from dataclasses import dataclass

from seedfacts import MARK, SeedFacts

# The example revision: the projects it touches (instructions of the issue, not facts of the seed).
JOINED = 11
REMOVED = 31
RENAMED = 13
NEW_NAME = "先端技術人材育成・賑わい創出拠点運営事業"


@dataclass(frozen=True)
class Edited:
    text: str
    town: str  # the town that joins project JOINED
    old_name: str  # project RENAMED's name in the seed
    new_name: str


def _lines(text: str) -> list[str]:
    return text.splitlines(keepends=True)


def _cells(line: str) -> tuple[list[str], str]:
    body = line.rstrip("\r\n")
    return body.split("\t"), line[len(body) :]


def town_cells(facts: SeedFacts) -> slice:
    """Where the towns' mark cells are in a project row: just before the count, which is the last cell."""
    return slice(-1 - len(facts.towns), -1)


def with_town_added(text: str, facts: SeedFacts, number: int) -> tuple[str, str]:
    """The text with a ○ put in the first empty town cell of project ``number``, its 連携町数 raised by one."""
    row = facts.row(number)
    assert row.declared_count == sum(row.marks), "the seed's row should be consistent before the edit"
    index = row.marks.index(False)
    lines = _lines(text)
    cells, end = _cells(lines[row.line - 1])
    marks = cells[town_cells(facts)]
    assert marks[index] == "", marks
    marks[index] = MARK
    cells[town_cells(facts)] = marks
    cells[-1] = str(int(cells[-1]) + 1)
    lines[row.line - 1] = "\t".join(cells) + end
    return "".join(lines), facts.towns[index]


def with_row_removed(text: str, facts: SeedFacts, number: int) -> str:
    lines = _lines(text)
    del lines[facts.row(number).line - 1]
    return "".join(lines)


def with_project_renamed(text: str, facts: SeedFacts, number: int, new_name: str) -> str:
    """The name cell changed: the one cell that holds the name (alone, or after the number)."""
    row = facts.row(number)
    lines = _lines(text)
    cells, end = _cells(lines[row.line - 1])
    holding = [i for i, c in enumerate(cells) if c.strip() in (row.name, f"{row.number} {row.name}")]
    assert len(holding) == 1, cells
    cells[holding[0]] = cells[holding[0]].replace(row.name, new_name)
    lines[row.line - 1] = "\t".join(cells) + end
    return "".join(lines)


def with_count_changed(text: str, facts: SeedFacts, number: int) -> str:
    """The declared 連携町数 of a project raised by one without a mark to match: an error finding."""
    row = facts.row(number)
    lines = _lines(text)
    cells, end = _cells(lines[row.line - 1])
    cells[-1] = str(int(cells[-1]) + 1)
    lines[row.line - 1] = "\t".join(cells) + end
    return "".join(lines)


def edited_seed(text: str, facts: SeedFacts) -> Edited:
    """The seed with the issue's three changes. Line numbers come from ``facts``, so the edits that keep the
    line count go first and the row is removed last."""
    edited, town = with_town_added(text, facts, JOINED)
    edited = with_project_renamed(edited, facts, RENAMED, NEW_NAME)
    edited = with_row_removed(edited, facts, REMOVED)
    return Edited(edited, town, facts.row(RENAMED).name, NEW_NAME)


def description_of(text: str, facts: SeedFacts, number: int) -> str:
    """A present project's 事業内容: the cell just before the towns' marks."""
    cells, _ = _cells(_lines(text)[facts.row(number).line - 1])
    return cells[-2 - len(facts.towns)]


@dataclass(frozen=True)
class TableRow:
    number: int
    name: str
    description: str
    towns: tuple[str, ...]


def table_text(
    towns: list[str],
    rows: list[TableRow],
    *,
    pillar: str,
    field: str,
    count_header: str = "連携市町村数",
) -> str:
    """A small table in the seed's layout (tab-separated, headings on lines of their own, a totals row), its
    counts and totals computed from its marks so that it reads without errors."""
    lines = [pillar, "", field, "", "\t".join(["", "項目", "事業内容", *towns, count_header])]
    for r in rows:
        marks = [MARK if t in r.towns else "" for t in towns]
        lines.append("\t".join([str(r.number), r.name, r.description, *marks, str(len(r.towns))]))
    totals = [sum(t in r.towns for r in rows) for t in towns]
    lines += ["", "\t".join(["連携事業数計", *map(str, totals), str(sum(totals))]), ""]
    return "\n".join(lines)
