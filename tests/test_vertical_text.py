"""Text copied out of a PDF viewer one cell to a line. Where the copy kept every cell (a mark or － under each
town), the table is rebuilt into rows as wide as its header and read as the same table copied with tabs, said
once (``text-one-cell-per-line``); where it lost its blank cells, which town a mark stands under cannot be told,
and the error says so (``one-cell-per-line``) instead of guessing or of "no header found"."""

from __future__ import annotations

from pathlib import Path

import pytest

from clirun import run
from renkei.ingest import TableReadError, read_bytes
from renkei.ingest.report import Report, check_reading
from renkei.vision.model import Severity


def one_a_line(data: bytes, blank: str | None = "－") -> str:
    """The seed as a PDF viewer copies it one cell to a line: a line's leading and trailing empty cells (the
    layout's padding) are not copied; an empty cell inside a row is written ``blank``, or lost where None."""
    out: list[str] = []
    for line in data.decode("utf-8").splitlines():
        cells = line.split("\t")
        while cells and not cells[-1].strip():
            cells.pop()
        while cells and not cells[0].strip():
            cells.pop(0)
        out += [c if c.strip() else blank for c in cells if c.strip() or blank is not None]
    return "\n".join(out) + "\n"


def projects(report: Report) -> list[tuple[object, ...]]:
    return [
        (p.number, p.name, p.description, dict(p.participants), p.declared_count)
        for p in report.reading.vision.projects
    ]


def read(data: bytes, name: str = "copy.txt") -> Report:
    return check_reading(read_bytes(data, name))


def test_the_seed_copied_one_cell_to_a_line_reads_as_the_seed(seed_bytes: bytes) -> None:
    seed = read(seed_bytes, "seed.txt")
    copy = read(one_a_line(seed_bytes).encode("utf-8"))
    assert projects(copy) == projects(seed)
    assert copy.reading.vision.declared_totals == seed.reading.vision.declared_totals
    assert [m.name for m in copy.reading.vision.municipalities] == [m.name for m in seed.reading.vision.municipalities]
    said = [f for f in copy.findings if f.code == "text-one-cell-per-line"]
    assert len(said) == 1 and said[0].severity is Severity.WARNING
    others = sorted((f.code, f.severity) for f in copy.findings if f.code != "text-one-cell-per-line")
    assert others == sorted((f.code, f.severity) for f in seed.findings)


def test_a_fault_in_the_copy_points_at_its_own_line(seed_bytes: bytes) -> None:
    text = one_a_line(seed_bytes)
    lines = text.splitlines()
    seed = read(seed_bytes, "seed.txt").reading.vision.projects
    # The first project's first town's mark, turned: the line right after its description.
    first = seed[0]
    at = lines.index(first.description) + 1
    assert lines[at] in ("○", "－")
    lines[at] = "－" if lines[at] == "○" else "○"
    report = read(("\n".join(lines) + "\n").encode("utf-8"))
    mismatch = [f for f in report.findings if f.code == "count-mismatch"]
    assert len(mismatch) == 1
    count_line = at + len(report.reading.vision.municipalities) + 1  # the project's count, after its marks
    assert mismatch[0].location is not None and mismatch[0].location.line == count_line
    assert lines[count_line - 1] == str(first.declared_count)


def test_a_shift_jis_copy_reads_the_same(seed_bytes: bytes) -> None:
    text = one_a_line(seed_bytes)
    assert projects(read(text.encode("cp932"))) == projects(read(text.encode("utf-8")))


def test_a_copy_that_lost_its_blank_cells_is_refused_and_says_why(seed_bytes: bytes) -> None:
    with pytest.raises(TableReadError) as refused:
        read_bytes(one_a_line(seed_bytes, blank=None).encode("utf-8"), "copy.txt")
    assert refused.value.code == "one-cell-per-line"
    seed_towns = [m.name for m in read(seed_bytes, "seed.txt").reading.vision.municipalities]
    assert str(refused.value.params["towns"]).startswith("、".join(seed_towns[:3]))


def test_the_cli_exits_2_and_tells_what_to_do(seed_bytes: bytes, tmp_path: Path) -> None:
    path = tmp_path / "copy.txt"
    path.write_text(one_a_line(seed_bytes, blank=None), encoding="utf-8")
    result = run("check", path)
    assert result.returncode == 2
    assert "1行に1つのセル" in result.stderr and "pdftotext -layout" in result.stderr
    english = run("--lang", "en", "check", path)
    assert english.returncode == 2 and "one cell to a line" in english.stderr


def test_a_project_whose_name_runs_over_two_lines_is_not_guessed() -> None:
    # The name broken over two lines shifts every cell after it: the copy is not rebuilt, and no project is
    # read from a shifted row.
    rows = ["番号", "事業名", "八戸市", "三戸町", "五戸町", "連携数"]
    rows += ["1", "救急医療", "○", "○", "－", "2"]
    rows += ["2", "広域観光の", "推進", "○", "－", "○", "2"]
    rows += ["3", "図書館", "－", "○", "○", "2"]
    with pytest.raises(TableReadError) as refused:
        read_bytes("\n".join(rows).encode("utf-8"), "copy.txt")
    assert refused.value.code == "one-cell-per-line"


def test_a_list_of_names_one_a_line_is_no_table_copied_so() -> None:
    text = "\n".join(["構成市町村", "八戸市", "三戸町", "五戸町", "田子町", "南部町", "階上町", "新郷村"])
    with pytest.raises(TableReadError) as refused:
        read_bytes(text.encode("utf-8"), "members.txt")
    assert refused.value.code == "no-table"
