"""Marks no list holds, read by what the table proves of them: a word written in the towns' cells as a mark (該当,
対象, 実施中, 済) is taking part where every project it stands in that declares a count counts it (``mark-by-counts``,
said once per word), and stays an unknown mark where the counts do not say so. A mark asked to look like an emoji
(✔️: ✔ and U+FE0F) is the mark.

Tables of several spheres in tab-separated text, CSV (UTF-8, CP932) and XLSX; what each should yield is worked out
here from the marks written, never read back from renkei.
"""

from __future__ import annotations

import io
from collections.abc import Sequence

import pytest
from openpyxl import Workbook

from renkei.ingest import read_bytes
from renkei.ingest.report import Report, check_reading

# 鳥取県東部（因幡）, 八戸圏域, 南信州: their towns, and projects marked x (taking part) or - (not).
INABA = ("鳥取市", "岩美町", "若桜町", "智頭町", "八頭町")
HACHINOHE = ("八戸市", "三戸町", "五戸町", "田子町", "南部町", "階上町")
MINAMI_SHINSHU = ("飯田市", "松川町", "高森町", "阿南町", "阿智村")
PROJECTS = [
    ("1", "図書館の相互利用", "xxxxxx"),
    ("2", "救急医療の確保", "xx-x--"),
    ("3", "広域観光の推進", "x-x-xx"),
    ("4", "移住定住の促進", "xxx---"),
]


def rows_of(towns: Sequence[str], mark: str, count: str = "all") -> list[list[str]]:
    """The header and the projects (their marks cut to the towns), each with its count: of every mark (``all``),
    of the marks less the first town's, the central city's (``less-central``), or one more than the marks
    (``wrong``)."""
    out = [["番号", "事業名", *towns, "連携市町数"]]
    for number, name, marks in PROJECTS:
        marks = marks[: len(towns)]
        n = marks.count("x") - (1 if count == "less-central" and marks[0] == "x" else 0) + (count == "wrong")
        out.append([number, name, *(mark if m == "x" else "" for m in marks), str(n)])
    return out


def taking_part(towns: Sequence[str]) -> list[list[str]]:
    return [[t for t, m in zip(towns, marks, strict=False) if m == "x"] for _, _, marks in PROJECTS]


def read(data: bytes, name: str) -> Report:
    return check_reading(read_bytes(data, name))


def errors(report: Report) -> list[str]:
    return [f.code for f in report.findings if f.severity.value == "error"]


@pytest.mark.parametrize(
    ("towns", "mark", "encoding", "delimiter"),
    [(INABA, "該当", "utf-8", "\t"), (HACHINOHE, "対象", "cp932", ","), (MINAMI_SHINSHU, "実施中", "utf-8", ",")],
)
def test_a_word_the_counts_prove_is_a_mark(towns: Sequence[str], mark: str, encoding: str, delimiter: str) -> None:
    text = "\n".join(delimiter.join(r) for r in rows_of(towns, mark)) + "\n"
    report = read(text.encode(encoding), "table.csv" if delimiter == "," else "table.txt")
    assert [list(p.participants) for p in report.reading.vision.projects] == taking_part(towns)
    assert errors(report) == []
    said = [f for f in report.findings if f.code == "mark-by-counts"]
    assert len(said) == 1 and said[0].params["mark"] == mark
    assert said[0].params["cells"] == sum(m[: len(towns)].count("x") for _, _, m in PROJECTS)
    assert said[0].location is not None and (said[0].location.line, said[0].location.column) == (2, 3)


def hachinohe_workbook(mark: str, first_count: str | None = None) -> bytes:
    """八戸's table in a workbook under its title, its counts leaving the central city out (as the header says);
    the first project's count written ``first_count`` where given."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["八戸圏域連携中枢都市圏（中心市：八戸市）"])
    rows = rows_of(HACHINOHE, mark, count="less-central")
    rows[0][-1] = "連携町村数（中心市を除く）"
    if first_count is not None:
        rows[1][-1] = first_count
    for r in rows:
        sheet.append([int(v) if v.isdigit() else (v or None) for v in r])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_counts_that_leave_the_central_city_out_prove_it_too() -> None:
    report = read(hachinohe_workbook("済"), "hachinohe.xlsx")
    assert [list(p.participants) for p in report.reading.vision.projects] == taking_part(HACHINOHE)
    assert errors(report) == []
    assert "mark-by-counts" in [f.code for f in report.findings]


def test_a_word_the_counts_do_not_prove_stays_an_unknown_mark() -> None:
    text = "\n".join("\t".join(r) for r in rows_of(INABA, "該当", count="wrong")) + "\n"
    report = read(text.encode("utf-8"), "inaba.txt")
    assert "mark-by-counts" not in [f.code for f in report.findings]
    assert "unknown-mark" in errors(report)
    assert all(not p.participants for p in report.reading.vision.projects)


def test_a_word_in_one_project_only_is_not_proved() -> None:
    rows = rows_of(INABA, "○")
    rows[1] = [rows[1][0], rows[1][1], *("該当" if c == "○" else c for c in rows[1][2:-1]), rows[1][-1]]
    report = read(("\n".join("\t".join(r) for r in rows) + "\n").encode("utf-8"), "inaba.txt")
    assert "mark-by-counts" not in [f.code for f in report.findings]
    assert "unknown-mark" in errors(report)


@pytest.mark.parametrize("mark", ["✔️", "✔︎", "☑️"])
def test_a_mark_asked_to_look_like_an_emoji_is_the_mark(mark: str) -> None:
    text = "\n".join(",".join(r) for r in rows_of(MINAMI_SHINSHU, mark)) + "\n"
    report = read(text.encode("utf-8"), "minami.csv")
    assert [list(p.participants) for p in report.reading.vision.projects] == taking_part(MINAMI_SHINSHU)
    assert errors(report) == [] and "mark-by-counts" not in [f.code for f in report.findings]


def test_a_legend_of_an_emoji_mark_explains_it() -> None:
    rows = rows_of(INABA, "◎️")  # ◎ and U+FE0F, explained by a legend written without it
    text = "凡例　◎：参加\n" + "\n".join("\t".join(r) for r in rows) + "\n"
    report = read(text.encode("utf-8"), "inaba.txt")
    assert [list(p.participants) for p in report.reading.vision.projects] == taking_part(INABA)
    assert errors(report) == []


@pytest.mark.parametrize(("word", "encoding"), [("全", "utf-8"), ("全市町村", "cp932"), ("すべて", "utf-8")])
def test_a_count_written_all_is_every_member_and_checked(word: str, encoding: str) -> None:
    rows = rows_of(INABA, "○")
    rows[1][-1] = word  # 図書館の相互利用: every town takes part
    rows[3][-1] = word  # 広域観光の推進: not every town does
    report = read(("\n".join(",".join(r) for r in rows) + "\n").encode(encoding), "inaba.csv")
    counts = [p.declared_count for p in report.reading.vision.projects]
    assert counts[0] == counts[2] == len(INABA)
    said = [f for f in report.findings if f.code == "count-all"]
    assert len(said) == 2 and said[0].location is not None and said[0].location.line == 2
    mismatched = [f for f in report.findings if f.code == "count-mismatch"]
    assert [f.params["number"] for f in mismatched] == [3]  # the marks say 3 of 5


def test_all_where_the_count_leaves_the_central_city_out() -> None:
    # 全: every town, the central city left out: five.
    report = read(hachinohe_workbook("○", first_count="全"), "hachinohe.xlsx")
    assert report.reading.vision.projects[0].declared_count == len(HACHINOHE) - 1
    assert errors(report) == []


@pytest.mark.parametrize(("yes", "no"), [("はい", "いいえ"), ("Y", "N"), ("該当", "非該当"), ("○", "未定"), ("■", "□")])
def test_a_word_the_counts_leave_out_is_no_mark(yes: str, no: str) -> None:
    rows = rows_of(HACHINOHE, yes)
    rows = [rows[0], *([*r[:2], *(c or no for c in r[2:-1]), r[-1]] for r in rows[1:])]
    report = read(("\n".join("\t".join(r) for r in rows) + "\n").encode("utf-8"), "hachinohe.txt")
    assert [list(p.participants) for p in report.reading.vision.projects] == taking_part(HACHINOHE)
    assert errors(report) == []
    said = {f.code: f.params["mark"] for f in report.findings if f.code.endswith("-by-counts")}
    assert said["blank-by-counts"] == no and said.get("mark-by-counts", yes) == yes


@pytest.mark.parametrize(("yes", "no"), [("☒", "☐"), ("✓", "✗")])
def test_check_boxes_are_marks_and_blanks(yes: str, no: str) -> None:
    rows = rows_of(MINAMI_SHINSHU, yes)
    rows = [rows[0], *([*r[:2], *(c or no for c in r[2:-1]), r[-1]] for r in rows[1:])]
    report = read(("\n".join(",".join(r) for r in rows) + "\n").encode("utf-8"), "minami.csv")
    assert [list(p.participants) for p in report.reading.vision.projects] == taking_part(MINAMI_SHINSHU)
    assert errors(report) == [] and not [f for f in report.findings if f.code.endswith("-by-counts")]


def test_a_workbooks_check_boxes_are_marks() -> None:
    # 宇和島's table with each town's cell a check box (TRUE where it takes part, FALSE where not).
    towns = ("宇和島市", "松野町", "鬼北町", "愛南町")
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["番号", "事業名", *towns, "連携市町数"])
    for number, name, marks in PROJECTS:
        sheet.append([int(number), name, *(m == "x" for m in marks[: len(towns)]), marks[: len(towns)].count("x")])
    buffer = io.BytesIO()
    book.save(buffer)
    report = read(buffer.getvalue(), "uwajima.xlsx")
    assert [list(p.participants) for p in report.reading.vision.projects] == taking_part(towns)
    assert errors(report) == [] and not [f for f in report.findings if f.code.endswith("-by-counts")]
