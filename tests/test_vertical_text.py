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


# A header whose names were copied one character to a line (a vertical 稚/内/市), the rows one line each ------------


def stacked_copy(
    towns: list[str], rows: list[str], before: str = "番号 事業名", after: tuple[str, ...] = ("連携", "町村数")
) -> str:
    return "\n".join(["〇〇定住自立圏 連携事業一覧", before, *[ch for town in towns for ch in town], *after, *rows])


def test_names_copied_one_character_to_a_line_are_joined_again() -> None:
    """南会津 (福島県): the names part one way only, so the joining is certain (an info), and every row reads."""
    towns = ["下郷町", "檜枝岐村", "只見町", "南会津町"]
    rows = ["1 医療の確保 ○ ○ ○ ○ 4", "2 観光の推進 ○ － ○ ○ 3", "3 交通の確保 ○ ○ － － 2"]
    report = check_reading(read_bytes(stacked_copy(towns, rows).encode(), "copy.txt"))
    vision = report.reading.vision
    assert [m.name for m in vision.municipalities] == towns
    assert [sorted(p.participants) for p in vision.projects] == [
        sorted(towns),
        sorted(["下郷町", "只見町", "南会津町"]),
        sorted(["下郷町", "檜枝岐村"]),
    ]
    said = [f for f in report.findings if f.code == "names-restacked"]
    assert len(said) == 1 and said[0].severity is Severity.INFO and said[0].params["names"] == "、".join(towns)
    assert not [f for f in report.findings if f.severity is Severity.ERROR]


def test_characters_that_part_into_names_in_two_ways_are_joined_with_a_warning() -> None:
    """合/志/市/熊/本/市/北/区 parts as 合志市 and 熊本市北区, or as 合志市, 熊本市 and 北区 (a ward of Tokyo): the
    fewest names are taken, and since another parting was possible the reading says so as a warning."""
    towns = ["合志市", "熊本市北区"]
    rows = ["1 図書館の相互利用 ○ ○ 2", "2 防災の連携 ○ － 1"]
    report = check_reading(read_bytes(stacked_copy(towns, rows, after=("連携市数",)).encode(), "copy.txt"))
    assert [m.name for m in report.reading.vision.municipalities] == towns
    said = [f for f in report.findings if f.code == "names-restacked"]
    assert len(said) == 1 and said[0].severity is Severity.WARNING


def test_single_characters_that_part_into_no_names_are_left_alone() -> None:
    """A copy one cell to a line has lines of one mark each (○, －): they part into no town's name and the copy is
    rebuilt as before, without joining anything."""
    lines = ["番号", "事業名", "鷹栖町", "東神楽町", "1", "創業支援", "○", "－", "2", "観光", "－", "○"]
    report = check_reading(read_bytes("\n".join(lines).encode(), "copy.txt"))
    assert "names-restacked" not in [f.code for f in report.findings]
    assert [sorted(p.participants) for p in report.reading.vision.projects] == [["鷹栖町"], ["東神楽町"]]
