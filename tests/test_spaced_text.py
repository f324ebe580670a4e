"""Text whose cells a copy parted by single spaces (some PDF viewers copy a table so): each line's words are its
cells, and that is said (``text-space-separated``). A copy loses blank cells, so a row shorter than its header
cannot say which columns its marks stand in: each such row is an error (``row-width``), never a guess."""

from __future__ import annotations

import pytest

from renkei.ingest import TableReadError, read_bytes
from renkei.ingest.report import Report, check_reading
from renkei.vision.model import Severity

TOWNS = ("松野町", "鬼北町", "愛南町")
# Every cell written (－ where a town does not take part), as a secretariat's copy of its own table often is.
FULL = [
    ("1", "救急医療体制の確保", "○", "○", "○", "3"),
    ("2", "広域観光の推進", "○", "－", "○", "2"),
    ("3", "図書館の相互利用", "－", "○", "－", "1"),
]


def spaced(rows: list[tuple[str, ...]], space: str = " ") -> bytes:
    header = ("番号", "事業名", *TOWNS, "連携町数")
    return "\n".join(space.join(r) for r in [header, *rows]).encode("utf-8")


def read(data: bytes) -> Report:
    return check_reading(read_bytes(data, "copy.txt"))


@pytest.mark.parametrize("space", [" ", "\u3000", "  \u3000"], ids=["space", "ideographic", "mixed"])
def test_a_table_copied_with_spaces_between_its_cells_is_read_word_by_word(space: str) -> None:
    report = read(spaced(FULL, space))
    got = [(p.number, p.name, list(p.participants), p.declared_count) for p in report.reading.vision.projects]
    assert got == [
        (int(n), name, [t for t, m in zip(TOWNS, marks, strict=True) if m == "○"], int(count))
        for n, name, *marks, count in FULL
    ]
    assert [f.code for f in report.findings if f.severity is Severity.ERROR] == []
    if space == " ":  # ideographic spaces stand two columns wide: the aligned reading takes those, by position
        said = [f for f in report.findings if f.code == "text-space-separated"]
        assert len(said) == 1 and said[0].severity is Severity.WARNING


def test_a_row_that_lost_its_blank_cells_is_an_error_not_a_guess() -> None:
    rows = [FULL[0], ("2", "広域観光の推進", "○", "○", "2"), FULL[2]]  # the blank between the marks is gone
    report = read(spaced(rows))
    errors = [(f.code, f.location and f.location.line) for f in report.findings if f.severity is Severity.ERROR]
    assert ("row-width", 3) in errors
    assert all(line == 3 for _, line in errors)


def test_tab_separated_text_is_read_as_before() -> None:
    report = read(spaced(FULL, "\t"))
    assert len(report.reading.vision.projects) == len(FULL)
    assert not any(f.code == "text-space-separated" for f in report.findings)


def test_prose_is_still_no_table() -> None:
    prose = "この計画は 圏域の 市町村が 連携して 取り組む 事業を 定める。\n" * 5
    with pytest.raises(TableReadError):
        read_bytes(prose.encode("utf-8"), "prose.txt")
