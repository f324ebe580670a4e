"""Broken copies of the seed, each made here from its bytes: renkei must say what is wrong and where.

Exit status 1 with a finding that points at the right line where the table is wrong, 2 with one line on stderr
where the file is no table at all, and never a traceback.
"""

from __future__ import annotations

import json
import random
import subprocess
from pathlib import Path
from typing import Any

import pytest

from clirun import run, without
from renkei.core.messages import t
from renkei.ingest import TableReadError, read_bytes
from renkei.ingest.report import check_reading
from seedfacts import MARK, SeedFacts, SeedRow

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


# Helpers ----------------------------------------------------------------------------------------------------


def seed_lines(seed_bytes: bytes) -> list[str]:
    text = seed_bytes.decode("utf-8")
    lines = text.split("\n")
    assert lines[: len(text.splitlines())] == text.splitlines(), "line numbers of facts are those of split('\\n')"
    return lines


def with_line(seed_bytes: bytes, number: int, cells: list[str]) -> bytes:
    lines = seed_lines(seed_bytes)
    lines[number - 1] = "\t".join(cells)
    return "\n".join(lines).encode("utf-8")


def cells_of(seed_bytes: bytes, number: int) -> list[str]:
    return seed_lines(seed_bytes)[number - 1].split("\t")


def write(tmp_path: Path, data: bytes, name: str = "broken.txt") -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def check(path: Path, *options: str) -> tuple[subprocess.CompletedProcess[str], dict[str, Any] | None]:
    """``renkei check PATH --json``: the process, and the JSON on stdout when the table was read (exit 0/1)."""
    result = run("check", path, "--json", *options)
    assert "Traceback" not in result.stderr, result.stderr
    assert "Traceback" not in result.stdout
    assert result.returncode in (0, 1, 2), result.stderr
    if result.returncode == 2:
        return result, None
    data = json.loads(result.stdout)
    assert isinstance(data, dict)
    return result, data


def unreadable(path: Path, *options: str) -> str:
    """Exit 2 with exactly one line of reason on stderr, no traceback; returns that line."""
    result, _ = check(path, *options)
    assert result.returncode == 2, result.stdout[:400]
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("renkei: ")
    assert "internal error" not in lines[0]
    error = json.loads(result.stdout)["error"]  # with --json the reason is also on stdout
    assert error["code"] and error["message"]
    plain = run("check", path, *options)
    assert plain.returncode == 2 and "Traceback" not in plain.stderr
    return lines[0]


def errors(data: dict[str, Any], code: str | None = None) -> list[dict[str, Any]]:
    return [f for f in data["findings"] if f["severity"] == "error" and (code is None or f["code"] == code)]


def a_row_with_marks(facts: SeedFacts) -> SeedRow:
    """The first row with a mark that is not the only one in its column of that row (so the row stays a row)."""
    return next(r for r in facts.rows if sum(r.marks) >= 2)


# Wrong figures: exit 1, pointing at the line ----------------------------------------------------------------


def test_a_mark_removed(tmp_path: Path, seed_bytes: bytes, facts: SeedFacts) -> None:
    row = a_row_with_marks(facts)
    cells = cells_of(seed_bytes, row.line)
    at = cells.index(MARK)
    cells[at] = ""
    result, data = check(write(tmp_path, with_line(seed_bytes, row.line, cells)))
    assert result.returncode == 1 and data is not None
    found = errors(data, "count-mismatch")
    assert [f["line"] for f in found] == [row.line]
    assert found[0]["params"] == {"number": row.number, "declared": row.declared_count, "count": sum(row.marks) - 1}
    assert found[0]["message"].strip() and found[0]["hint"].strip()
    assert str(row.number) in found[0]["message"]


def test_a_declared_count_changed(tmp_path: Path, seed_bytes: bytes, facts: SeedFacts) -> None:
    row = facts.rows[len(facts.rows) // 2]
    cells = cells_of(seed_bytes, row.line)
    assert cells[-1] == str(row.declared_count)
    cells[-1] = str(row.declared_count + 1)
    result, data = check(write(tmp_path, with_line(seed_bytes, row.line, cells)))
    assert result.returncode == 1 and data is not None
    found = errors(data)
    assert [(f["code"], f["line"]) for f in found] == [("count-mismatch", row.line)]
    assert found[0]["params"]["declared"] == row.declared_count + 1
    assert found[0]["params"]["count"] == row.declared_count
    assert found[0]["message"].strip() and found[0]["hint"].strip()


def test_readable_output_names_the_line(tmp_path: Path, seed_bytes: bytes, facts: SeedFacts) -> None:
    row = facts.rows[0]
    cells = cells_of(seed_bytes, row.line)
    cells[-1] = str(row.declared_count + 2)
    result = run("check", write(tmp_path, with_line(seed_bytes, row.line, cells)), COLUMNS="200")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert f"{row.line}行目" in result.stdout
    assert "[count-mismatch]" in result.stdout


def test_a_cell_dropped(tmp_path: Path, seed_bytes: bytes, facts: SeedFacts) -> None:
    row = facts.rows[-1]
    cells = cells_of(seed_bytes, row.line)
    del cells[len(cells) // 2]
    result, data = check(write(tmp_path, with_line(seed_bytes, row.line, cells)))
    assert result.returncode == 1 and data is not None
    found = errors(data, "row-width")
    assert [f["line"] for f in found] == [row.line]
    assert found[0]["params"]["cells"] == len(cells)
    assert found[0]["params"]["expected"] == len(cells) + 1
    assert found[0]["message"].strip()


def totals_cells(seed_bytes: bytes, facts: SeedFacts) -> list[str]:
    cells = cells_of(seed_bytes, facts.totals_line)
    figures = [int(c) for c in cells[1:] if c.strip()]
    assert figures == [*facts.declared_totals, facts.declared_grand_total]
    return cells


def test_a_town_total_changed(tmp_path: Path, seed_bytes: bytes, facts: SeedFacts) -> None:
    cells = totals_cells(seed_bytes, facts)
    cells[1] = str(int(cells[1]) - 1)
    result, data = check(write(tmp_path, with_line(seed_bytes, facts.totals_line, cells)))
    assert result.returncode == 1 and data is not None
    found = errors(data)
    assert found and all(f["line"] == facts.totals_line for f in found)
    assert "grand-total-mismatch" in {f["code"] for f in found}
    assert {f["code"] for f in found} <= {"grand-total-mismatch", "fragment-negative", "fragment-overflow"}


def test_the_grand_total_changed(tmp_path: Path, seed_bytes: bytes, facts: SeedFacts) -> None:
    cells = totals_cells(seed_bytes, facts)
    cells[-1] = str(facts.declared_grand_total + 10)
    result, data = check(write(tmp_path, with_line(seed_bytes, facts.totals_line, cells)))
    assert result.returncode == 1 and data is not None
    found = errors(data)
    assert [(f["code"], f["line"]) for f in found] == [("grand-total-mismatch", facts.totals_line)]
    assert found[0]["params"] == {"declared": facts.declared_grand_total + 10, "sum": facts.declared_grand_total}


def test_a_total_beyond_the_missing_rows(tmp_path: Path, seed_bytes: bytes, facts: SeedFacts) -> None:
    """A town total and the grand total raised together still add up; only the fragment reasoning sees that
    the town would have to be in more missing projects than there are."""
    rows = len(facts.missing_numbers)
    town = max(range(len(facts.towns)), key=lambda i: facts.owed[i])
    cells = totals_cells(seed_bytes, facts)
    raise_by = rows - facts.owed[town] + 1
    cells[1 + town] = str(facts.declared_totals[town] + raise_by)
    cells[-1] = str(facts.declared_grand_total + raise_by)
    result, data = check(write(tmp_path, with_line(seed_bytes, facts.totals_line, cells)))
    assert result.returncode == 1 and data is not None
    found = errors(data)
    assert [(f["code"], f["line"]) for f in found] == [("fragment-overflow", facts.totals_line)]
    assert found[0]["params"]["municipality"] == facts.towns[town]
    assert facts.towns[town] in found[0]["message"]


def test_a_total_below_the_rows_present(tmp_path: Path, seed_bytes: bytes, facts: SeedFacts) -> None:
    town = min(range(len(facts.towns)), key=lambda i: facts.owed[i])
    lower_by = facts.owed[town] + 1
    cells = totals_cells(seed_bytes, facts)
    cells[1 + town] = str(facts.declared_totals[town] - lower_by)
    cells[-1] = str(facts.declared_grand_total - lower_by)
    result, data = check(write(tmp_path, with_line(seed_bytes, facts.totals_line, cells)))
    assert result.returncode == 1 and data is not None
    found = errors(data)
    assert [(f["code"], f["line"]) for f in found] == [("fragment-negative", facts.totals_line)]
    assert found[0]["params"]["municipality"] == facts.towns[town]


def test_a_total_that_is_not_a_number(tmp_path: Path, seed_bytes: bytes, facts: SeedFacts) -> None:
    cells = totals_cells(seed_bytes, facts)
    cells[2] = "二十"
    result, data = check(write(tmp_path, with_line(seed_bytes, facts.totals_line, cells)))
    assert result.returncode == 1 and data is not None
    assert facts.totals_line in [f["line"] for f in errors(data, "total-not-number")]


# Truncated files --------------------------------------------------------------------------------------------


def row_span(seed_bytes: bytes, row: SeedRow) -> tuple[int, int]:
    """Byte offsets of a row's first byte and of the tab before its last cell."""
    lines = seed_bytes.split(b"\n")
    start = sum(len(line) + 1 for line in lines[: row.line - 1])
    return start, start + lines[row.line - 1].rindex(b"\t")


def mid_character(data: bytes, start: int, end: int) -> int:
    """An offset inside a multi-byte UTF-8 character between start and end."""
    at = (start + end) // 2
    while not 0x80 <= data[at] <= 0xBF:
        at += 1
    assert at < end
    return at


@pytest.mark.parametrize("where", ["middle", "mid-character", "after-first-cell"])
def test_truncated_in_a_project_row(tmp_path: Path, seed_bytes: bytes, facts: SeedFacts, where: str) -> None:
    row = facts.rows[1]
    start, end = row_span(seed_bytes, row)
    cut = {
        "middle": (start + end) // 2,
        "mid-character": mid_character(seed_bytes, start, end),
        "after-first-cell": seed_bytes.index(b"\t", start),
    }[where]
    result, data = check(write(tmp_path, seed_bytes[:cut]))
    assert result.returncode in (1, 2)
    if data is None:
        assert result.stderr.strip()
        return
    found = errors(data)
    assert row.line in [f["line"] for f in found], found
    assert [p["number"] for p in data["projects"]][:-1] == facts.numbers[:1]


def test_truncated_mid_character_says_so(tmp_path: Path, seed_bytes: bytes, facts: SeedFacts) -> None:
    row = facts.rows[0]
    start, end = row_span(seed_bytes, row)
    _, data = check(write(tmp_path, seed_bytes[: mid_character(seed_bytes, start, end)]))
    assert data is not None
    assert [f["line"] for f in data["findings"] if f["code"] == "truncated-character"] == [row.line]


def test_every_prefix_of_the_seed_reads_or_is_refused(seed_bytes: bytes, facts: SeedFacts) -> None:
    """Cut after any byte: renkei reads what is there or refuses with a reason, never crashes; a cut inside a
    project row before its last cell is an error on that row's line."""
    spans = {row.line: row_span(seed_bytes, row) for row in facts.rows}
    for cut in range(len(seed_bytes) + 1):
        try:
            report = check_reading(read_bytes(seed_bytes[:cut], "prefix.txt"))
        except TableReadError as error:
            assert error.code in {"empty-file", "no-table"}, (cut, error.code)
            continue
        for line, (start, last_tab) in spans.items():
            if start < cut <= last_tab:
                lines = [f.line for f in report.findings if f.severity.value == "error"]
                assert line in lines, (cut, line, [f.code for f in report.findings])


# Not a table at all: exit 2 ---------------------------------------------------------------------------------


def test_random_bytes(tmp_path: Path) -> None:
    junk = random.Random(20240601).randbytes(4096)
    unreadable(write(tmp_path, junk, "junk.txt"))


def test_png_bytes(tmp_path: Path) -> None:
    data = PNG_MAGIC + random.Random(7).randbytes(2048)
    unreadable(write(tmp_path, data, "table.png"))


def test_nul_bytes_in_text(tmp_path: Path, seed_bytes: bytes) -> None:
    unreadable(write(tmp_path, seed_bytes.replace(b"\t", b"\x00")))


@pytest.mark.parametrize("data", [b"", b"\n\n  \r\n\t\n"], ids=["empty", "blank"])
def test_empty_file(tmp_path: Path, data: bytes) -> None:
    line = unreadable(write(tmp_path, data))
    assert t("error.empty-file", "ja") in line


def test_no_table_in_text(tmp_path: Path) -> None:
    unreadable(write(tmp_path, "連携事業の一覧\n\nこのファイルには表がありません。\n".encode()))


def test_nonexistent_path(tmp_path: Path) -> None:
    missing = tmp_path / "no-such-file.txt"
    line = unreadable(missing)
    assert str(missing) in line


def test_a_directory(tmp_path: Path) -> None:
    unreadable(tmp_path)


def test_a_damaged_pdf_is_refused_with_a_hint(tmp_path: Path) -> None:
    """A PDF is a table file like the others (tests/test_pdf_read.py); one whose structure is broken is refused."""
    data = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n"
    line = unreadable(write(tmp_path, data, "vision.pdf"))
    assert "PDF" in line
    assert t("hint.pdf-unreadable", "ja") in line
    english = run("--lang", "en", "check", tmp_path / "vision.pdf")
    assert english.returncode == 2
    assert t("hint.pdf-unreadable", "en") in " ".join(english.stderr.split())


@pytest.mark.parametrize(
    ("magic", "code"),
    [(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "xls-not-table"), (b"PK\x03\x04", "xlsx-unreadable")],
    ids=["xls", "zip"],
)
def test_other_containers_are_refused(tmp_path: Path, magic: bytes, code: str) -> None:
    path = write(tmp_path, magic + random.Random(3).randbytes(512), "book.xlsx")
    unreadable(path)
    result, _ = check(path)
    assert json.loads(result.stdout)["error"]["code"] == code


# Encodings --------------------------------------------------------------------------------------------------


def test_cp932_copy_reads_like_the_original(tmp_path: Path, seed_bytes: bytes, seed_path: Path) -> None:
    cp932 = seed_bytes.decode("utf-8").encode("cp932")
    assert cp932 != seed_bytes
    _, original = check(seed_path)
    result, copy = check(write(tmp_path, cp932, "cp932.txt"))
    assert original is not None and copy is not None
    assert result.returncode == 0
    assert copy["source"]["encoding"] == "cp932"
    # The only difference besides the source: one info finding that says which encoding was detected.
    detected = [f for f in copy["findings"] if f["code"] == "encoding-detected"]
    assert [f["severity"] for f in detected] == ["info"]
    assert "cp932" in detected[0]["message"]
    copy["findings"] = [f for f in copy["findings"] if f["code"] != "encoding-detected"]
    assert without(copy, "source", "summary") == without(original, "source", "summary")


def test_cp932_read_with_a_forced_encoding(tmp_path: Path, seed_bytes: bytes, seed_path: Path) -> None:
    path = write(tmp_path, seed_bytes.decode("utf-8").encode("cp932"), "cp932.txt")
    _, original = check(seed_path)
    for name in ("cp932", "shift_jis", "Shift-JIS"):
        result, copy = check(path, "--encoding", name)
        assert result.returncode == 0 and copy is not None and original is not None, name
        assert copy["projects"] == original["projects"]


def test_cp932_forced_through_utf8(tmp_path: Path, seed_bytes: bytes) -> None:
    path = write(tmp_path, seed_bytes.decode("utf-8").encode("cp932"), "cp932.txt")
    line = unreadable(path, "--encoding", "utf-8")
    assert "cp932" in line
    assert "--encoding cp932" in line


def test_unknown_encoding(tmp_path: Path, seed_bytes: bytes) -> None:
    line = unreadable(write(tmp_path, seed_bytes), "--encoding", "no-such-codec")
    assert "no-such-codec" in line


def test_utf8_with_bom_reads_like_the_original(tmp_path: Path, seed_bytes: bytes, seed_path: Path) -> None:
    _, original = check(seed_path)
    result, copy = check(write(tmp_path, b"\xef\xbb\xbf" + seed_bytes))
    assert result.returncode == 0 and copy is not None and original is not None
    assert without(copy, "source") == without(original, "source")


def test_crlf_line_ends_read_like_the_original(tmp_path: Path, seed_bytes: bytes, seed_path: Path) -> None:
    _, original = check(seed_path)
    result, copy = check(write(tmp_path, seed_bytes.replace(b"\n", b"\r\n")))
    assert result.returncode == 0 and copy is not None and original is not None
    assert without(copy, "source") == without(original, "source")


@pytest.mark.parametrize(
    ("magic", "kind"), [(b"\xff\xd8\xff\xe0\x00\x10JFIF\x00", "JPEG"), (PNG_MAGIC, "PNG"), (b"GIF89a", "GIF")]
)
def test_a_picture_renamed_as_a_table_is_said_to_be_a_picture(tmp_path: Path, magic: bytes, kind: str) -> None:
    # A photo of a table saved as .xlsx or .csv: said to be an image, with what to do, never "binary".
    for name in ("table.xlsx", "table.csv"):
        line = unreadable(write(tmp_path, magic + random.Random(3).randbytes(512), name))
        assert t("error.image-file", "ja", kind=kind) in line, name
