"""Figures a positional reading ran into their neighbour's column, parted again.

A PDF or a layout copy (``pdftotext -layout``) gives a row's cells by where their words stand; where a table is
tight, two columns' words stand one space apart and land in one cell, leaving the cell beside it empty:
``9,000 26,500`` under 合計 with 令和8年度 empty, ``％ 92.5`` under 単位 with 基準値 empty, ``5,600 圏域救急搬送件数``
under the indicator's name with 令和7年度 empty. Within a run of adjacent figure columns, such a row is parted
again, word by word, one to a column, when and only when the structure proves it:

- the run's words are exactly as many as its columns, and one of its cells is empty and another holds two words;
- read as they stand, the cells do not fit their columns (a cell of amounts or indicator values that is no
  number, a name or unit cell that holds a number among its words);
- parted, every word fits its column (a number under an amount, a value or a year, no bare number as a name or
  a unit).

An indicator's name run into the empty unit cell beside it (``路線バスの利用者数 人`` with 単位 empty) is parted too
where the name's last word, after a space, is a unit's word (人, 件, 千人, ％): a name holds no space before a
unit, the unit column is there for it.

Anything else is left as it stands, for the figures' own findings (``figure-unreadable``) to say. Pure.
"""

from __future__ import annotations

import re

from renkei.ingest.figures import KPI_UNIT, FigureColumn, fiscal_year, is_dash, read_number
from renkei.ingest.grid import Row

_TRAILING_UNIT = re.compile(rf"^(?P<name>.*\S)[ \u3000]+(?P<unit>{KPI_UNIT})$")

_WORDS = ("name", "unit")  # an indicator's parts written in words; every other part is a number or a year
_YEARS = ("baseline_year", "target_year")


def _is_number(text: str) -> bool:
    return read_number(text).value is not None


def _fits(text: str, column: FigureColumn) -> bool:
    """Whether a cell's text fits its column: blank always; a number (or a dash) under an amount or an
    indicator's value; a year under a year; words under a name or unit, none of them a bare number."""
    if not text:
        return True
    if column.what == "kpi" and column.part in _WORDS:
        return not any(_is_number(word) for word in text.split())
    if column.what == "kpi" and column.part in _YEARS:
        return fiscal_year(text) is not None
    return _is_number(text) or is_dash(text)


def _runs(indices: list[int]) -> list[list[int]]:
    """Adjacent column indices grouped: 5 6 7 9 10 → [5 6 7] [9 10]."""
    runs: list[list[int]] = []
    for i in indices:
        if runs and runs[-1][-1] == i - 1:
            runs[-1].append(i)
        else:
            runs.append([i])
    return runs


def reflowed(row: Row, figures: dict[int, FigureColumn]) -> tuple[Row, str] | None:
    """The row with each run of figure columns parted again where the structure proves it, and its cells as
    they stood (joined by ｜, for the finding); None where no run is parted."""
    cells = list(row.cells)
    parted: list[str] = []
    for i, column in figures.items():  # 路線バスの利用者数 人 | (empty 単位)
        after = figures.get(i + 1)
        if column.what != "kpi" or column.part != "name" or after is None or after.part != "unit":
            continue
        if i + 1 >= len(cells):
            continue
        found = _TRAILING_UNIT.match(cells[i].text.strip())
        if found is None or cells[i + 1].text.strip():
            continue
        parted.append(f"{cells[i].text.strip()}｜")
        cells[i] = cells[i]._replace(text=found["name"])
        cells[i + 1] = cells[i + 1]._replace(text=found["unit"])
    for run in _runs(sorted(i for i in figures if i < len(cells))):
        texts = [cells[i].text.strip() for i in run]
        words = [word for text in texts for word in text.split()]
        if len(words) != len(run) or all(texts) or all(len(text.split()) < 2 for text in texts):
            continue
        columns = [figures[i] for i in run]
        if all(_fits(t, c) for t, c in zip(texts, columns, strict=True)):
            continue  # read as it stands: nothing to mend
        if not all(_fits(w, c) for w, c in zip(words, columns, strict=True)):
            continue  # parted, it would not fit either: left for the figures' findings
        for i, word in zip(run, words, strict=True):
            cells[i] = cells[i]._replace(text=word)
        parted.append("｜".join(texts))
    if not parted:
        return None
    return Row(tuple(cells), row.location, row.spans), " ／ ".join(parted)
