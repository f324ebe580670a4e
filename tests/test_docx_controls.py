"""A Word table filled in through content controls, as a prefecture's or a city's template makes it: a repeating
section around the project rows, a block control around a cell's paragraph, check boxes (☒, ☐) in inline
controls. What they hold is read where it stands, as Word shows it; before, rows and paragraphs inside a control were
not read at all (no projects, or blank marks).

The table is 中海・宍道湖・大山圏域's (five cities), written here with python-docx and wrapped in
controls with lxml; it must read as the same table without them."""

from __future__ import annotations

import copy
import io

import pytest
from docx import Document
from docx.oxml.ns import qn
from lxml import etree

from renkei.ingest import read_bytes
from renkei.ingest.report import check_reading

TOWNS = ("松江市", "米子市", "安来市", "境港市", "出雲市")
ROWS = [("1", "広域観光の推進", "xxxxx"), ("2", "救急医療体制の確保", "xx-x-"), ("3", "移住定住の促進", "x-xx-")]


def control(*children: etree._Element) -> etree._Element:
    """A content control (w:sdt) holding ``children``."""
    sdt = etree.SubElement(etree.Element(qn("w:body")), qn("w:sdt"))
    properties = etree.SubElement(sdt, qn("w:sdtPr"))
    etree.SubElement(properties, qn("w:tag")).set(qn("w:val"), "renkei-test")
    content = etree.SubElement(sdt, qn("w:sdtContent"))
    for child in children:
        content.append(child)
    return sdt


def document(wrapped: bool) -> bytes:
    doc = Document()
    doc.add_paragraph("中海・宍道湖・大山圏域　連携事業")
    table = doc.add_table(rows=1 + len(ROWS), cols=3 + len(TOWNS))
    for c, text in enumerate(("番号", "事業名", *TOWNS, "連携市数")):
        table.cell(0, c).text = text
    for r, (number, name, marks) in enumerate(ROWS, start=1):
        table.cell(r, 0).text, table.cell(r, 1).text = number, name
        for c, m in enumerate(marks):
            table.cell(r, 2 + c).text = "☒" if m == "x" else "☐"
        table.cell(r, 2 + len(TOWNS)).text = str(marks.count("x"))
    if wrapped:
        tbl = table._tbl
        rows = tbl.findall(qn("w:tr"))
        for tr in rows[1:]:
            # Each mark in an inline control (a check box), each name's paragraph in a block control.
            cells = tr.findall(qn("w:tc"))
            for tc in cells[2:-1]:
                for run in tc.iter(qn("w:r")):
                    parent = run.getparent()
                    at = parent.index(run)
                    parent.insert(at, control(copy.deepcopy(run)))
                    parent.remove(run)
            paragraph = cells[1].find(qn("w:p"))
            cells[1].insert(cells[1].index(paragraph), control(copy.deepcopy(paragraph)))
            cells[1].remove(paragraph)
        # The project rows in one repeating section.
        section = control(*[copy.deepcopy(tr) for tr in rows[1:]])
        for tr in rows[1:]:
            tbl.remove(tr)
        tbl.append(section)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def reading(data: bytes) -> tuple[list[tuple[int, str, list[str]]], list[str]]:
    report = check_reading(read_bytes(data, "table.docx"))
    projects = [(p.number, p.name, list(p.participants)) for p in report.reading.vision.projects]
    return projects, [f.code for f in report.findings if f.severity.value != "info"]


@pytest.mark.parametrize("wrapped", [False, True])
def test_a_table_in_content_controls_reads_as_without(wrapped: bool) -> None:
    projects, loud = reading(document(wrapped))
    assert projects == [
        (int(n), name, [t for t, m in zip(TOWNS, marks, strict=True) if m == "x"]) for n, name, marks in ROWS
    ]
    assert loud == []
