"""A row of rates under the towns (参加率 100% 67% …, 構成比, 参加割合), which a workbook computes beside its totals:
read as rates, not as a project whose marks are unknown, and each rate checked against the marks (``rate-mismatch``
at the cell that disagrees; ``rates-row`` says how the row was read; a fragment's rates ``rates-unchecked``).

Tables of several spheres, in CSV (UTF-8, CP932), tab-separated text, XLSX whose rates are numbers in a percent
format, and the ODS LibreOffice Calc saves of it. The expected rates are computed here from the marks written.
"""

from __future__ import annotations

import io
import subprocess
from collections.abc import Sequence
from pathlib import Path

import pytest
from openpyxl import Workbook

from conftest import require_command
from renkei.ingest import read_bytes
from renkei.ingest.report import Report, check_reading

# 鳥取県東部（因幡）: three projects over five towns.
INABA = ("鳥取市", "岩美町", "若桜町", "智頭町", "八頭町")
INABA_ROWS = [("1", "図書館の相互利用", "xxxxx"), ("2", "救急医療の確保", "xx-x-"), ("3", "広域観光の推進", "x-x-x")]
# 八戸圏域: four projects over six towns.
HACHINOHE = ("八戸市", "三戸町", "五戸町", "田子町", "南部町", "階上町")
HACHINOHE_ROWS = [
    ("1", "救急医療の充実", "xxxxxx"),
    ("2", "広域観光の推進", "x-x-xx"),
    ("3", "地産地消の推進", "xx----"),
    ("4", "移住定住の促進", "x--x-x"),
]
# 備後圏域 (two prefectures): three projects over five towns.
BINGO = ("福山市", "三原市", "尾道市", "笠岡市", "井原市")
BINGO_ROWS = [("1", "備後圏域観光振興", "xxxxx"), ("2", "地域医療連携", "xx--x"), ("3", "ものづくり支援", "x-x--")]


def marks_of(rows: Sequence[tuple[str, str, str]]) -> list[str]:
    return [marks for _, _, marks in rows]


def share(rows: Sequence[tuple[str, str, str]], over: str = "projects") -> list[float]:
    """Each town's marks over the projects (参加率) or over every mark (構成比), in percent."""
    columns = list(zip(*marks_of(rows), strict=True))
    counts = [column.count("x") for column in columns]
    whole = len(rows) if over == "projects" else sum(counts)
    return [100 * n / whole for n in counts]


def table(
    towns: Sequence[str], rows: Sequence[tuple[str, str, str]], rates: Sequence[str], label: str = "参加率"
) -> list[list[str]]:
    counts = [column.count("x") for column in zip(*marks_of(rows), strict=True)]
    body = [[n, name, *("○" if m == "x" else "" for m in marks), str(marks.count("x"))] for n, name, marks in rows]
    return [
        ["番号", "事業名", *towns, "連携市町数"],
        *body,
        ["合計", "", *map(str, counts), str(sum(counts))],
        [label, "", *rates, ""],
    ]


def delimited(rows: list[list[str]], delimiter: str = ",") -> str:
    return "\n".join(delimiter.join(r) for r in rows) + "\n"


def read(data: bytes, name: str) -> Report:
    return check_reading(read_bytes(data, name))


def codes(report: Report, severity: str | None = None) -> list[str]:
    return [f.code for f in report.findings if severity is None or f.severity.value == severity]


def test_a_rates_row_under_the_totals_is_read_as_rates_not_as_a_project() -> None:
    rates = [f"{r:.0f}%" for r in share(INABA_ROWS)]
    rows = table(INABA, INABA_ROWS, rates)
    report = read(delimited(rows).encode("utf-8"), "inaba.csv")
    vision = report.reading.vision
    assert [p.name for p in vision.projects] == [name for _, name, _ in INABA_ROWS]
    assert vision.declared_totals == dict(zip(INABA, map(int, rows[-2][2:-1]), strict=True))
    assert codes(report, "error") == []
    said = [f for f in report.findings if f.code == "rates-row"]
    assert len(said) == 1 and said[0].params["total"] == len(INABA_ROWS)
    assert said[0].location is not None and said[0].location.line == len(rows)


def test_a_rate_that_disagrees_with_the_marks_is_an_error_at_its_cell() -> None:
    exact = share(HACHINOHE_ROWS)
    rates = [f"{r:.1f}％" for r in exact]  # full-width percent signs, one decimal
    wrong = 5  # 階上町 takes part in three projects of four: 75.0％, written 50.0％
    rates[wrong] = "50.0％"
    rows = table(HACHINOHE, HACHINOHE_ROWS, rates)
    report = read(delimited(rows, "\t").encode("utf-8"), "hachinohe.txt")
    errors = [f for f in report.findings if f.severity.value == "error"]
    assert [f.code for f in errors] == ["rate-mismatch"]
    assert errors[0].params["name"] == HACHINOHE[wrong] and errors[0].params["declared"] == "50.0％"
    assert errors[0].params["computed"] == f"{exact[wrong]:.1f}%"
    assert errors[0].location is not None
    assert (errors[0].location.line, errors[0].location.column) == (len(rows), 3 + wrong)


def test_each_towns_share_of_every_mark_is_checked_as_such() -> None:
    # 構成比: each town's marks over all the marks of the table, in a CP932 CSV.
    rates = [f"{r:.1f}%" for r in share(BINGO_ROWS, over="marks")]
    rows = table(BINGO, BINGO_ROWS, rates, label="構成比")
    report = read(delimited(rows).encode("cp932"), "bingo.csv")
    assert codes(report, "error") == []
    said = [f for f in report.findings if f.code == "rates-row"]
    assert said and said[0].params["total"] == sum(m.count("x") for m in marks_of(BINGO_ROWS))


def test_fractions_under_a_label_that_names_a_rate() -> None:
    rates = [f"{r / 100:.2f}" for r in share(HACHINOHE_ROWS)]
    rows = table(HACHINOHE, HACHINOHE_ROWS, rates, label="参加割合")
    report = read(delimited(rows, "\t").encode("utf-8"), "hachinohe.txt")
    assert codes(report, "error") == []
    assert "rates-row" in codes(report)
    assert len(report.reading.vision.projects) == len(HACHINOHE_ROWS)


def test_a_fragments_rates_are_said_unchecked() -> None:
    # Projects 1, 2 and 5 of a longer table: its rates are over projects the fragment lacks.
    fragment = [("1", *INABA_ROWS[0][1:]), ("2", *INABA_ROWS[1][1:]), ("5", *INABA_ROWS[2][1:])]
    rows = table(INABA, fragment, ["60%", "40%", "40%", "40%", "40%"])
    report = read(delimited(rows).encode("utf-8"), "inaba.csv")
    assert "rates-unchecked" in codes(report, "warning")
    assert "rate-mismatch" not in codes(report)


def test_a_project_named_for_a_rate_is_still_a_project() -> None:
    rows = table(INABA, [*INABA_ROWS, ("4", "検診受診率向上事業", "x-xx-")], [])[:-1]
    report = read(delimited(rows).encode("utf-8"), "inaba.csv")
    assert [p.name for p in report.reading.vision.projects][-1] == "検診受診率向上事業"
    assert "rates-row" not in codes(report) and codes(report, "error") == []


def workbook(decimals: int) -> bytes:
    """八戸's table with its rates as numbers in a percent format (0% or 0.0%), the whole's under the count."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    rows = table(HACHINOHE, HACHINOHE_ROWS, [])
    for r in rows[:-1]:
        sheet.append([int(v) if v.isdigit() else (v or None) for v in r])
    counts = [column.count("x") for column in zip(*marks_of(HACHINOHE_ROWS), strict=True)]
    whole = sum(counts) / (len(HACHINOHE_ROWS) * len(HACHINOHE))
    sheet.append(["参加率", None, *(n / len(HACHINOHE_ROWS) for n in counts), whole])
    number_format = "0%" if decimals == 0 else "0." + "0" * decimals + "%"
    for cell in sheet[sheet.max_row][2:]:
        cell.number_format = number_format
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize("decimals", [0, 1])
def test_a_workbooks_rates_in_a_percent_format_read_as_shown(decimals: int) -> None:
    report = read(workbook(decimals), "hachinohe.xlsx")
    assert codes(report, "error") == []
    said = [f for f in report.findings if f.code == "rates-row"]
    assert said and said[0].location is not None and said[0].location.line == len(HACHINOHE_ROWS) + 3
    assert len(report.reading.vision.projects) == len(HACHINOHE_ROWS)


def test_a_wrong_whole_rate_under_the_count_is_an_error() -> None:
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(workbook(1)))
    sheet = book.active
    assert sheet is not None
    sheet.cell(sheet.max_row, len(HACHINOHE) + 3).value = 0.9  # every mark over every cell is not 90%
    buffer = io.BytesIO()
    book.save(buffer)
    report = read(buffer.getvalue(), "hachinohe.xlsx")
    errors = [f for f in report.findings if f.severity.value == "error"]
    assert [f.code for f in errors] == ["rate-mismatch"] and errors[0].params["declared"] == "90.0%"
    assert errors[0].location is not None and errors[0].location.column == len(HACHINOHE) + 3


def test_calcs_ods_of_the_workbook_reads_its_percentages(tmp_path: Path) -> None:
    soffice = require_command("soffice")
    (tmp_path / "hachinohe.xlsx").write_bytes(workbook(0))
    subprocess.run(
        [soffice, "--headless", "--norestore", f"-env:UserInstallation=file://{tmp_path}/profile", "--convert-to",
         "ods", "--outdir", str(tmp_path), str(tmp_path / "hachinohe.xlsx")],
        check=True, capture_output=True, timeout=180,
    )  # fmt: skip
    report = read((tmp_path / "hachinohe.ods").read_bytes(), "hachinohe.ods")
    assert codes(report, "error") == []
    assert "rates-row" in codes(report)
    assert len(report.reading.vision.projects) == len(HACHINOHE_ROWS)


def test_each_sheets_rates_are_of_its_own_projects() -> None:
    # 備後's workbook, a sheet per pillar, each with its 計 and 参加率 rows under its own projects.
    book = Workbook()
    book.remove(book.active)  # type: ignore[arg-type]
    for title, rows in (("生活機能", BINGO_ROWS[:2]), ("結びつき", BINGO_ROWS[2:])):
        sheet = book.create_sheet(title)
        rates = [f"{r:.0f}%" for r in share(rows)]
        for r in table(BINGO, rows, rates):
            sheet.append([int(v) if v.isdigit() else (v or None) for v in r])
    buffer = io.BytesIO()
    book.save(buffer)
    report = read(buffer.getvalue(), "bingo.xlsx")
    assert codes(report, "error") == []
    said = [f for f in report.findings if f.code == "rates-row"]
    assert [f.params["total"] for f in said] == [2, 1]


def column_table(towns: Sequence[str], rows: Sequence[tuple[str, str, str]], header: str) -> list[list[str]]:
    """Each project's rate beside its count: its marks over the towns, in percent."""
    out = [["番号", "事業名", *towns, "連携市町数", header]]
    for n, name, marks in rows:
        rate = 100 * marks.count("x") / len(towns)
        out.append([n, name, *("○" if m == "x" else "" for m in marks), str(marks.count("x")), f"{rate:.0f}%"])
    return out


def test_a_column_of_each_projects_rate_is_checked_and_kept() -> None:
    rows = column_table(HACHINOHE, HACHINOHE_ROWS, "参加率")
    report = read(delimited(rows).encode("utf-8"), "hachinohe.csv")
    assert codes(report, "error") == []
    said = [f for f in report.findings if f.code == "rates-column"]
    assert len(said) == 1 and said[0].params["total"] == len(HACHINOHE)
    kept = [p.attributes.get("参加率") for p in report.reading.vision.projects]
    assert kept == [r[-1] for r in rows[1:]]  # the column kept as written


def test_a_projects_rate_that_disagrees_is_an_error_at_its_cell() -> None:
    rows = column_table(INABA, INABA_ROWS, "参加割合")
    rows[2][-1] = "80%"  # 救急医療の確保: three towns of five, 60%
    report = read(delimited(rows).encode("cp932"), "inaba.csv")
    errors = [f for f in report.findings if f.severity.value == "error"]
    assert [f.code for f in errors] == ["rate-mismatch"]
    assert errors[0].params["computed"] == "60.0%" and errors[0].params["declared"] == "80%"
    assert errors[0].location is not None and (errors[0].location.line, errors[0].location.column) == (3, 9)


@pytest.mark.parametrize("header", ["目標達成率", "負担割合", "補助率"])
def test_a_rate_of_something_else_is_no_count_of_marks(header: str) -> None:
    rows = column_table(BINGO, BINGO_ROWS, header)
    rows[1][-1] = "12%"  # no share of the towns
    report = read(delimited(rows).encode("utf-8"), "bingo.csv")
    assert codes(report, "error") == []
    assert "rates-column" not in codes(report)
    assert [p.attributes.get(header) for p in report.reading.vision.projects] == [r[-1] for r in rows[1:]]
