"""The seed's table written as a Word document, an OpenDocument sheet and a web page, the way an office makes
them (python-docx, odfpy, hand-written HTML), for the readers' tests. What they must read back is the seed as
the text reader reads it."""

from __future__ import annotations

import io
from typing import Any

from renkei.vision.model import Vision


def grid(vision: Vision) -> list[list[str]]:
    """The table as rows of cell texts: headings as rows of one cell, the header, the projects and the totals."""
    towns = [m.name for m in vision.municipalities]
    rows: list[list[str]] = [["番号", "事業名", "事業内容", *towns, "連携町数"]]
    heading, pillar = None, None
    for p in vision.projects:
        if p.pillar != pillar and p.pillar is not None:
            pillar = p.pillar
            rows.append([str(p.pillar)])
        if p.field != heading:
            heading = p.field
            rows.append([str(p.field)])
        marks = ["○" if m in p.participants else "" for m in towns]
        rows.append([str(p.number), p.name, p.description, *marks, str(p.declared_count or "")])
    totals = [str(vision.declared_totals.get(m, "")) for m in towns]
    rows.append(["連携事業数計", "", "", *totals, str(vision.declared_grand_total or "")])
    return rows


def docx_bytes(vision: Vision, *, prose: bool = True) -> bytes:
    import docx

    document = docx.Document()
    document.add_heading("上川中部定住自立圏共生ビジョン（中心市：旭川市）", 1)
    if prose:
        document.add_paragraph("本章では、圏域の市町が連携して取り組む事業を示す。各町の参加は次の表のとおりである。")
        other = document.add_table(rows=2, cols=2)
        other.cell(0, 0).text, other.cell(0, 1).text = "期間", "令和6年度から令和10年度まで"
        other.cell(1, 0).text, other.cell(1, 1).text = "改定", "毎年度"
        document.add_paragraph("連携事業一覧")
    rows = grid(vision)
    width = len(rows[0])
    table = document.add_table(rows=len(rows), cols=width)
    for r, cells in enumerate(rows):
        if len(cells) == 1:
            merged = table.cell(r, 0).merge(table.cell(r, width - 1))
            merged.text = cells[0]
            continue
        for c, text in enumerate(cells):
            table.cell(r, c).text = text
    if prose:
        document.add_paragraph("以上の事業について、毎年度、懇談会において成果を検証する。")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def ods_bytes(vision: Vision, *, hidden_sheet: bool = True, tail: bool = True) -> bytes:
    from odf.opendocument import OpenDocumentSpreadsheet
    from odf.style import Style, TableProperties
    from odf.table import CoveredTableCell, Table, TableCell, TableColumn, TableRow

    document = OpenDocumentSpreadsheet()
    hidden = Style(name="hiddentable", family="table")
    hidden.addElement(TableProperties(display="false"))
    document.automaticstyles.addElement(hidden)
    rows = grid(vision)
    width = len(rows[0])
    table = Table(name="連携事業")
    table.addElement(TableColumn(numbercolumnsrepeated=width))
    title = TableRow()
    title.addElement(_cell(TableCell, "上川中部定住自立圏共生ビジョン"))
    table.addElement(title)
    for cells in rows:
        row = TableRow()
        if len(cells) == 1:
            row.addElement(_cell(TableCell, cells[0], numbercolumnsspanned=width))
            for _ in range(width - 1):
                row.addElement(CoveredTableCell())
        else:
            for text in cells:
                row.addElement(_cell(TableCell, text))
        if tail:
            row.addElement(TableCell(numbercolumnsrepeated=1000))  # the empty tail LibreOffice writes
        table.addElement(row)
    if tail:
        table.addElement(TableRow(numberrowsrepeated=100000))
    document.spreadsheet.addElement(table)
    if hidden_sheet:
        other = Table(name="作業用", stylename=hidden)
        row = TableRow()
        row.addElement(_cell(TableCell, "メモ"))
        other.addElement(row)
        document.spreadsheet.addElement(other)
    out = io.BytesIO()
    document.write(out)
    return out.getvalue()


def _cell(kind: Any, text: str, **attributes: Any) -> Any:
    from odf.text import P

    # As LibreOffice writes them: a figure as a float with its value, any other text as a string.
    if text.isdigit():
        attributes |= {"valuetype": "float", "value": text}
    elif text:
        attributes["valuetype"] = "string"
    cell = kind(**attributes)
    if text:
        cell.addElement(P(text=text))
    return cell


def html_page(vision: Vision) -> str:
    """A city's page: a site menu in a layout table, a heading, the project table with the towns under a
    colspan group heading, notes after it."""
    rows = grid(vision)
    head, body = rows[0], rows[1:]
    towns = len(vision.municipalities)
    top = "".join(f"<th rowspan='2'>{h}</th>" for h in head[:3])
    top += f"<th colspan='{towns}'>連携市町村</th><th rowspan='2'>{head[-1]}</th>"
    lower = "".join(f"<th>{h[:-1]}<br>{h[-1]}</th>" for h in head[3:-1])
    lines = []
    for cells in body:
        if len(cells) == 1:
            lines.append(f"<tr><td colspan='{len(head)}'>{cells[0]}</td></tr>")
        else:
            lines.append("<tr>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>")
    menu = "<table class='menu'><tr><td><a href='/'>トップ</a></td><td><a href='/kurashi'>くらし</a></td></tr></table>"
    return (
        "<!DOCTYPE html><html lang='ja'><head><meta charset='{charset}'><title>旭川市</title></head><body>"
        f"<table class='layout'><tr><td>{menu}</td><td>"
        "<h1>旭川市</h1><h2>上川中部定住自立圏共生ビジョン　連携事業</h2>"
        "<p>本市は、周辺の8町とともに定住自立圏を形成し、次の事業に取り組んでいます。</p>"
        f"<table class='data'><tr>{top}</tr><tr>{lower}</tr>{''.join(lines)}</table>"
        "<p>※ 連携町数は中心市を除く。</p></td></tr></table></body></html>"
    )
