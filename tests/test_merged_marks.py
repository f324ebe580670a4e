"""A mark merged across several towns' cells (a workbook's merged range, a web page's colspan, Word's gridSpan, an
ODS cell spanned across columns): each town it covers takes part, and so does a phrase that says so (全市町で実施
merged across them); said once per mark (``mark-merged``). Before, only the first town of the range took part and
the count disagreed.

Tables of 宇和島圏域 and 備後圏域 in XLSX, the ODS LibreOffice Calc saves of it, a web page and a Word document; the
towns each project should have are worked out here from the ranges written."""

from __future__ import annotations

import io
import subprocess
from pathlib import Path

import pytest
from docx import Document
from docx.table import Table
from openpyxl import Workbook

from conftest import require_command
from renkei.ingest import read_bytes
from renkei.ingest.report import Report, check_reading

UWAJIMA = ("宇和島市", "松野町", "鬼北町", "愛南町")
# Each project: its marks, one per town, or a range written (first, last, text) merged across those towns.
PROJECTS: list[tuple[str, str, list[str] | tuple[int, int, str]]] = [
    ("1", "救急医療体制の確保", (0, 3, "○")),
    ("2", "広域観光の推進", ["○", "○", "", ""]),
    ("3", "図書館の相互利用", (0, 3, "全市町で実施")),
    ("4", "鳥獣被害対策", (1, 3, "○")),  # merged over the three towns after the central city, which has none
]


def towns_of(marks: list[str] | tuple[int, int, str]) -> list[str]:
    if isinstance(marks, tuple):
        first, last, _ = marks
        return list(UWAJIMA[first : last + 1])
    return [t for t, m in zip(UWAJIMA, marks, strict=True) if m]


def expected() -> list[list[str]]:
    return [towns_of(marks) for *_, marks in PROJECTS]


def read(data: bytes, name: str) -> Report:
    return check_reading(read_bytes(data, name))


def check(report: Report) -> None:
    assert [list(p.participants) for p in report.reading.vision.projects] == expected()
    assert [f.code for f in report.findings if f.severity.value == "error"] == []
    said = {f.params["mark"]: f.params["cells"] for f in report.findings if f.code == "mark-merged"}
    assert said == {"○": 2, "全市町で実施": 1}


def workbook() -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["宇和島地域定住自立圏（中心市：宇和島市）"])
    sheet.append(["番号", "事業名", *UWAJIMA, "連携市町数"])
    for r, (number, name, marks) in enumerate(PROJECTS, start=3):
        if isinstance(marks, tuple):
            first, last, text = marks
            row: list[object] = [int(number), name, *([None] * len(UWAJIMA)), last - first + 1]
            row[2 + first] = text
            sheet.append(row)
            sheet.merge_cells(start_row=r, start_column=3 + first, end_row=r, end_column=3 + last)
        else:
            sheet.append([int(number), name, *(m or None for m in marks), sum(1 for m in marks if m)])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_a_workbooks_mark_merged_across_towns() -> None:
    check(read(workbook(), "uwajima.xlsx"))


def test_calcs_ods_of_the_workbook(tmp_path: Path) -> None:
    soffice = require_command("soffice")
    (tmp_path / "uwajima.xlsx").write_bytes(workbook())
    subprocess.run(
        [soffice, "--headless", "--norestore", f"-env:UserInstallation=file://{tmp_path}/profile", "--convert-to",
         "ods", "--outdir", str(tmp_path), str(tmp_path / "uwajima.xlsx")],
        check=True, capture_output=True, timeout=180,
    )  # fmt: skip
    check(read((tmp_path / "uwajima.ods").read_bytes(), "uwajima.ods"))


def test_a_web_pages_colspan_across_towns() -> None:
    head = "".join(f"<th>{c}</th>" for c in ("番号", "事業名", *UWAJIMA, "連携市町数"))
    body = ""
    for number, name, marks in PROJECTS:
        if isinstance(marks, tuple):
            first, last, text = marks
            cells = "<td></td>" * first + f'<td colspan="{last - first + 1}">{text}</td>'
            cells += "<td></td>" * (len(UWAJIMA) - 1 - last) + f"<td>{last - first + 1}</td>"
        else:
            cells = "".join(f"<td>{m}</td>" for m in marks) + f"<td>{sum(1 for m in marks if m)}</td>"
        body += f"<tr><td>{number}</td><td>{name}</td>{cells}</tr>"
    page = f"<html><body><h1>宇和島地域定住自立圏</h1><table><tr>{head}</tr>{body}</table></body></html>"
    check(read(page.encode("utf-8"), "uwajima.html"))


def test_a_word_tables_grid_span_across_towns() -> None:
    document = Document()
    document.add_paragraph("宇和島地域定住自立圏　連携事業")
    table: Table = document.add_table(rows=1 + len(PROJECTS), cols=3 + len(UWAJIMA))
    for c, text in enumerate(("番号", "事業名", *UWAJIMA, "連携市町数")):
        table.cell(0, c).text = text
    for r, (number, name, marks) in enumerate(PROJECTS, start=1):
        table.cell(r, 0).text, table.cell(r, 1).text = number, name
        if isinstance(marks, tuple):
            first, last, text = marks
            table.cell(r, 2 + first).merge(table.cell(r, 2 + last)).text = text
            table.cell(r, 2 + len(UWAJIMA)).text = str(last - first + 1)
        else:
            for c, m in enumerate(marks):
                table.cell(r, 2 + c).text = m
            table.cell(r, 2 + len(UWAJIMA)).text = str(sum(1 for m in marks if m))
    buffer = io.BytesIO()
    document.save(buffer)
    check(read(buffer.getvalue(), "uwajima.docx"))


@pytest.mark.parametrize("text", ["○", "全市町で実施"])
def test_a_range_over_some_towns_covers_those_only(text: str) -> None:
    # 備後: a colspan over the first two of three towns, the third's cell of its own and empty.
    towns = ("福山市", "三原市", "尾道市")
    head = "".join(f"<th>{c}</th>" for c in ("番号", "事業名", *towns, "連携市町数"))
    rows = f'<tr><td>1</td><td>観光振興</td><td colspan="2">{text}</td><td></td><td>2</td></tr>'
    rows += "<tr><td>2</td><td>医療連携</td><td>○</td><td></td><td>○</td><td>2</td></tr>"
    page = f"<html><body><h1>備後圏域</h1><table><tr>{head}</tr>{rows}</table></body></html>"
    report = read(page.encode("utf-8"), "bingo.html")
    assert [list(p.participants) for p in report.reading.vision.projects] == [
        ["福山市", "三原市"],
        ["福山市", "尾道市"],
    ]
    assert [f.code for f in report.findings if f.severity.value == "error"] == []


def test_a_colspan_whose_mark_a_zero_width_space_follows() -> None:
    # The row's cells are cleaned of the invisible character (check_rows): its span is kept all the same.
    towns = ("福山市", "三原市", "尾道市")
    head = "".join(f"<th>{c}</th>" for c in ("番号", "事業名", *towns, "連携市町数"))
    rows = '<tr><td>1</td><td>観光振興</td><td colspan="3">○&#8203;</td><td>3</td></tr>'
    rows += "<tr><td>2</td><td>医療連携</td><td>○</td><td></td><td>○</td><td>2</td></tr>"
    page = f"<html><body><h1>備後圏域</h1><table><tr>{head}</tr>{rows}</table></body></html>"
    report = read(page.encode("utf-8"), "bingo.html")
    assert [list(p.participants) for p in report.reading.vision.projects] == [list(towns), ["福山市", "尾道市"]]
    assert [f.code for f in report.findings if f.severity.value == "error"] == []
