"""A legend written as a paragraph beside a Word table or a web page's table, under a label (凡例　●：幹事市町,
【凡例】◎：主体), is read with the table as a legend line of a text copy is: before, only paragraphs that open with a
mark or a note sign were, so the leads came out as members with a false ``mark-legend-missing``. A mark the
legend says does not take part (△：今後実施を検討) is not counted and is said at its cell."""

from __future__ import annotations

import io

import pytest
from docx import Document

from renkei.ingest import read_bytes
from renkei.ingest.report import Report, check_reading
from renkei.vision.model import Role

TOWNS = ("金沢市", "白山市", "かほく市", "津幡町")
ROWS = [
    ("1", "休日夜間急患センターの運営", "●○○－"),
    ("2", "広域観光の推進", "○●－○"),
    ("3", "図書館の相互利用", "○○●○"),
]
ROLES = {"●": Role.LEAD, "○": Role.MEMBER}


def docx_bytes(legend: str, below: bool) -> bytes:
    document = Document()
    document.add_paragraph("連携協約に基づく具体的取組")
    if not below:
        document.add_paragraph(legend)
    table = document.add_table(rows=1, cols=len(TOWNS) + 3)
    for cell, text in zip(table.rows[0].cells, ["番号", "事業名", *TOWNS, "連携市町数"], strict=True):
        cell.text = text
    for number, name, marks in ROWS:
        cells = table.add_row().cells
        texts = [number, name, *("" if m == "－" else m for m in marks), str(sum(m != "－" for m in marks))]
        for cell, text in zip(cells, texts, strict=True):
            cell.text = text
    if below:
        document.add_paragraph(legend)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def html_bytes(legend: str) -> bytes:
    head = "".join(f"<th>{t}</th>" for t in ["番号", "事業名", *TOWNS, "連携市町数"])
    body = ""
    for number, name, marks in ROWS:
        cells = [number, name, *("" if m == "－" else m for m in marks), str(sum(m != "－" for m in marks))]
        body += "<tr>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>"
    page = f"<html><body><h1>連携事業</h1><p>{legend}</p><table><tr>{head}</tr>{body}</table></body></html>"
    return page.encode("utf-8")


def roles(report: Report) -> list[dict[str, Role]]:
    return [dict(p.participants) for p in report.reading.vision.projects]


WANT = [{t: ROLES[m] for t, m in zip(TOWNS, marks, strict=True) if m in ROLES} for _, _, marks in ROWS]


LABELLED = ["凡例　●：幹事市町　○：参加市町", "【凡例】●：幹事市町　○：参加市町", "（凡例）●幹事　○参加"]


@pytest.mark.parametrize("legend", LABELLED)
@pytest.mark.parametrize("below", [False, True], ids=["above", "below"])
def test_a_word_legend_under_a_label_gives_the_leads(legend: str, below: bool) -> None:
    report = check_reading(read_bytes(docx_bytes(legend, below), "vision.docx"))
    assert roles(report) == WANT
    assert "mark-legend-missing" not in [f.code for f in report.findings]


@pytest.mark.parametrize("legend", ["凡例　●：幹事市町　○：参加市町", "【凡例】●：幹事市町　○：参加市町"])
def test_a_web_pages_legend_under_a_label_gives_the_leads(legend: str) -> None:
    report = check_reading(read_bytes(html_bytes(legend), "page.html"))
    assert roles(report) == WANT
    assert "mark-legend-missing" not in [f.code for f in report.findings]


def test_prose_beside_the_table_is_still_left_out() -> None:
    report = check_reading(read_bytes(docx_bytes("本圏域における連携事業は次のとおりである。", below=False), "v.docx"))
    assert "line-unrecognised" not in [f.code for f in report.findings]
