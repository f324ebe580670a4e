"""Marks that Word inserts as symbols (挿入 > 記号と特殊文字 with Wingdings: <w:sym w:font="Wingdings"
w:char="F0A1"/>) are no text in the document's XML: read as the marks they draw (○, ●, ◎, ✓; the table the XLSX
reader reads a symbol font's letters with), said once per mark, and a symbol the reader does not know is a mark it
says it does not know at its cell, never a blank (a lost participation).

The table is 南信州's (飯田市 and four of its villages), written by python-docx, the symbols put in as Word
writes them."""

from __future__ import annotations

import io

from docx import Document
from docx.oxml import OxmlElement
from docx.oxml.ns import qn

from renkei.ingest import read_bytes
from renkei.ingest.report import check_reading
from renkei.vision.model import Role, Severity

TOWNS = ["飯田市", "阿智村", "平谷村", "根羽村", "下條村"]


def symbol(cell: object, font: str, char: str) -> None:
    run = cell.paragraphs[0].add_run()  # type: ignore[attr-defined]
    sym = OxmlElement("w:sym")
    sym.set(qn("w:font"), font)
    sym.set(qn("w:char"), char)
    run._r.append(sym)


def document(rows: list[tuple[str, list[tuple[str, str] | None], str]], legend: str = "") -> bytes:
    doc = Document()
    doc.add_paragraph("南信州定住自立圏共生ビジョン（中心市：飯田市）")
    table = doc.add_table(rows=1 + len(rows), cols=3 + len(TOWNS))
    for i, text in enumerate(["番号", "事業名", *TOWNS, "連携市町村数"]):
        table.cell(0, i).text = text
    for r, (name, marks, count) in enumerate(rows, start=1):
        table.cell(r, 0).text = str(r)
        table.cell(r, 1).text = name
        for i, mark in enumerate(marks):
            if mark is not None:
                symbol(table.cell(r, 2 + i), *mark)
        table.cell(r, 2 + len(TOWNS)).text = count
    if legend:
        doc.add_paragraph(legend)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


RING, DOT, TARGET, CHECK = ("Wingdings", "F0A1"), ("Wingdings", "F06C"), ("Wingdings", "F0A5"), ("Wingdings", "F0FC")


def test_wingdings_marks_read_as_the_marks_they_draw() -> None:
    data = document(
        [
            ("地域医療の連携", [RING, RING, None, RING, RING], "4"),
            ("広域観光の推進", [TARGET, RING, RING, None, None], "3"),
            ("鳥獣被害の対策", [DOT, None, DOT, DOT, None], "3"),
            ("職員の合同研修", [CHECK, CHECK, CHECK, CHECK, CHECK], "5"),
        ],
        legend="◎：主体となって実施　○：連携して実施",
    )
    report = check_reading(read_bytes(data, "minami-shinshu.docx"))
    vision = report.reading.vision
    assert [list(p.participants) for p in vision.projects] == [
        ["飯田市", "阿智村", "根羽村", "下條村"],
        ["飯田市", "阿智村", "平谷村"],
        ["飯田市", "平谷村", "根羽村"],
        TOWNS,
    ]
    assert vision.projects[1].participants["飯田市"] is Role.LEAD  # ◎, as the legend says
    assert [f.code for f in report.findings if f.severity is Severity.ERROR] == []
    # Each mark a symbol drew is said once, with how many cells, at its first cell (as a workbook's letter is).
    said = {f.params["shown"]: f for f in report.findings if f.code == "symbol-font-mark"}
    assert {shown: f.params["cells"] for shown, f in said.items()} == {"○": 6, "◎": 1, "●": 3, "✓": 5}
    assert said["○"].params["font"] == "Wingdings" and said["○"].params["written"] == "¡"
    assert said["○"].location is not None and said["○"].location.cell == "R2C3"  # 表1 row 2, 飯田市's column


def test_a_symbol_it_does_not_know_is_said_at_its_cell_never_a_blank() -> None:
    # Wingdings' pencil (0x21) in 平谷村's cell: no mark renkei knows, said as such where it stands.
    data = document([("地域医療の連携", [RING, RING, ("Wingdings", "F021"), RING, None], "4")])
    report = check_reading(read_bytes(data, "minami-shinshu.docx"))
    unknown = [f for f in report.findings if f.code == "unknown-mark"]
    assert len(unknown) == 1 and unknown[0].severity is Severity.ERROR
    assert unknown[0].location is not None and unknown[0].location.column == 5  # 平谷村's column


def test_a_symbol_of_a_text_font_is_its_own_character() -> None:
    # Word also writes <w:sym> for a character of a text font (ＭＳ 明朝's ○ is U+25CB itself).
    data = document([("地域医療の連携", [("ＭＳ 明朝", "25CB")] * 5, "5")])
    report = check_reading(read_bytes(data, "minami-shinshu.docx"))
    assert list(report.reading.vision.projects[0].participants) == TOWNS
