"""Rows of delimited text (ingest/grid.py, ingest/text.py): each cell located at its line and column whatever the
width of the records read before it at the same line, in this file or another, and the locations kept bounded."""

from __future__ import annotations

from renkei.ingest import grid
from renkei.ingest.text import rows_from_text


def _located(text: str) -> list[list[tuple[str, int, int | None]]]:
    return [[(c.text, c.location.line, c.location.column) for c in row.cells] for row in rows_from_text(text, ",")]


def test_every_cell_is_located_at_its_own_line_and_column_whatever_was_read_before() -> None:
    wide = "番号,事業名," + ",".join(f"町{i}" for i in range(40)) + "\n1,観光," + ",".join("○" * 40) + "\n"
    narrow = "番号,事業名,A町\n1,,○\n2,移住,\n"
    for text in (wide, narrow, wide, "x\n,,,,,,,,,,,,,y\n"):
        for row in rows_from_text(text, ","):
            assert [c.location.line for c in row.cells] == [row.location.line] * len(row.cells)
            assert [c.location.column for c in row.cells] == list(range(1, len(row.cells) + 1))
    assert _located(narrow) == [
        [("番号", 1, 1), ("事業名", 1, 2), ("A町", 1, 3)],
        [("1", 2, 1), ("", 2, 2), ("○", 2, 3)],
        [("2", 3, 1), ("移住", 3, 2), ("", 3, 3)],
    ]
    assert _located("x\n,,,,,,,,,,,,,y\n")[1][-1] == ("y", 2, 14)


def test_a_hostile_width_keeps_no_more_locations_than_the_bound() -> None:
    line = ",".join(["x"] * (grid._LINES_KEPT + 5))
    rows = rows_from_text(f"{line}\n{line}\n", ",")
    assert rows[1].cells[-1].location.column == grid._LINES_KEPT + 5
    assert grid._kept <= grid._LINES_KEPT
