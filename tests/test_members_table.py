"""A web page's or Word document's table of the sphere's towns above its projects table (区分 | 市町名 | 人口 …) is
its members list, as a members line would be: a column for a town it does not name is said
(``column-not-member``), the central city it marks is the sphere's. Pages and documents of other spheres and
wordings than the tester's 北はりま; tables that are not such a list are left alone."""

from __future__ import annotations

import io

from docx import Document

from renkei.ingest import read_bytes
from renkei.vision.model import Severity

MARK = "○"


def page(members_table: str, columns: list[str], title: str) -> bytes:
    head = "".join(f"<th>{c}</th>" for c in columns)
    rows = "".join(
        f"<tr><td>{n}</td><td>事業{n}</td>{''.join(f'<td>{MARK}</td>' for _ in columns)}<td>{len(columns)}</td></tr>"
        for n in range(1, 4)
    )
    return f"""<!DOCTYPE html><html lang="ja"><head><meta charset="utf-8"><title>{title}</title></head><body>
<h1>{title}</h1>
<h2>圏域を構成する市町村</h2>
{members_table}
<h2>連携事業の一覧</h2>
<table><tr><th>番号</th><th>事業名</th>{head}<th>連携市町村数</th></tr>{rows}</table>
</body></html>""".encode()


def not_members(data: bytes) -> list[str]:
    reading = read_bytes(data, "page.html")
    return [str(f.params.get("name")) for f in reading.findings if f.code == "column-not-member"]


def test_a_role_column_names_the_central_city_and_the_members() -> None:
    table = (
        "<table><tr><th>区分</th><th>市町村名</th><th>面積（km²）</th></tr>"
        "<tr><td>中心市</td><td>飯田市</td><td>658.66</td></tr>"
        "<tr><td>連携町村</td><td>松川町</td><td>72.79</td></tr>"
        "<tr><td>連携町村</td><td>高森町</td><td>45.36</td></tr></table>"
    )
    data = page(table, ["飯田市", "松川町", "高森町", "喬木村"], "南信州定住自立圏共生ビジョン")
    reading = read_bytes(data, "page.html")
    assert [m.name for m in reading.vision.municipalities] == ["飯田市", "松川町", "高森町", "喬木村"]
    assert not_members(data) == ["喬木村"]
    central = reading.vision.sphere.central_city
    assert central is not None and central.name == "飯田市"


def test_the_central_city_marked_in_its_name_cell() -> None:
    table = (
        "<table><tr><th>構成市町</th><th>人口</th></tr>"
        "<tr><td>伊万里市（中心市）</td><td>52,000</td></tr><tr><td>有田町</td><td>18,800</td></tr></table>"
    )
    data = page(table, ["伊万里市", "有田町", "武雄市"], "伊万里・有田地区定住自立圏")
    reading = read_bytes(data, "page.html")
    assert not_members(data) == ["武雄市"]
    central = reading.vision.sphere.central_city
    assert central is not None and central.name == "伊万里市"


def test_every_town_of_the_list_has_its_column_and_nothing_is_said() -> None:
    table = (
        "<table><thead><tr><th>市町名</th><th>人口（人）</th></tr></thead><tbody>"
        "<tr><td>八戸市</td><td>220,000</td></tr><tr><td>三戸町</td><td>9,000</td></tr>"
        "<tr><td>五戸町</td><td>16,000</td></tr></tbody></table>"
    )
    data = page(table, ["八戸市", "三戸町", "五戸町"], "八戸圏域連携中枢都市圏ビジョン")
    reading = read_bytes(data, "page.html")
    assert not_members(data) == []
    assert not [f for f in reading.findings if f.severity is Severity.ERROR]


def test_a_table_that_is_not_a_list_of_towns_is_no_members_list() -> None:
    # Two towns a row (a table of pairs), and a table naming one town only: neither says who the members are.
    pairs = (
        "<table><tr><th>市町</th><th>相手</th></tr><tr><td>飯田市</td><td>松川町</td></tr>"
        "<tr><td>高森町</td><td>喬木村</td></tr></table>"
    )
    one = "<table><tr><th>中心市</th><th>人口</th></tr><tr><td>飯田市</td><td>98,000</td></tr></table>"
    for table in (pairs, one):
        assert not_members(page(table, ["飯田市", "松川町", "阿智村"], "南信州定住自立圏")) == []


def word(members: list[list[str]], columns: list[str], title: str) -> bytes:
    """A Word document: a breadcrumb-like line naming the sphere, the members table, a heading, the projects."""
    document = Document()
    document.add_paragraph(f"トップ > 市政情報 > {title}")
    listed = document.add_table(rows=0, cols=len(members[0]))
    for texts in members:
        for cell, text in zip(listed.add_row().cells, texts, strict=True):
            cell.text = text
    document.add_heading("連携事業の一覧", level=2)
    table = document.add_table(rows=1, cols=len(columns) + 3)
    for cell, text in zip(table.rows[0].cells, ["番号", "事業名", *columns, "連携市町村数"], strict=True):
        cell.text = text
    for n in range(1, 4):
        texts = [str(n), f"事業{n}", *[MARK] * len(columns), str(len(columns))]
        for cell, text in zip(table.add_row().cells, texts, strict=True):
            cell.text = text
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_a_word_documents_table_of_towns_is_its_members_list() -> None:
    members = [["区分", "市町村", "人口"], ["中心市", "鳥取市", "180,000"], ["連携町", "岩美町", "10,000"]]
    members += [["連携町", "八頭町", "15,000"]]
    data = word(members, ["鳥取市", "岩美町", "八頭町", "湯梨浜町"], "鳥取因幡定住自立圏")
    reading = read_bytes(data, "vision.docx")
    found = [str(f.params.get("name")) for f in reading.findings if f.code == "column-not-member"]
    assert found == ["湯梨浜町"]
    vision = reading.vision
    assert vision.sphere.name == "鳥取因幡定住自立圏"  # the trail's last part, not ホーム > …
    assert vision.sphere.central_city is not None and vision.sphere.central_city.name == "鳥取市"
    assert [p.name for p in vision.projects] == ["事業1", "事業2", "事業3"]
    assert "sheet-skipped" not in [f.code for f in reading.findings]  # the list is read, not skipped


def test_a_word_table_that_is_no_list_of_towns_stays_a_table() -> None:
    budget = [["年度", "事業費（千円）"], ["令和7年度", "1,200"], ["令和8年度", "1,500"]]
    reading = read_bytes(word(budget, ["鳥取市", "岩美町"], "鳥取因幡定住自立圏"), "vision.docx")
    assert not [f for f in reading.findings if f.code == "column-not-member"]
    assert [p.name for p in reading.vision.projects] == ["事業1", "事業2", "事業3"]


def test_a_word_table_of_projects_one_town_a_row_is_read_as_projects() -> None:
    """A first table that gives each project one town (担当市町) before a table of amounts is the projects' table,
    not a list of members: the next table names none of its towns."""
    document = Document()
    document.add_paragraph("鳥取因幡定住自立圏共生ビジョン")
    projects = document.add_table(rows=1, cols=3)
    for cell, text in zip(projects.rows[0].cells, ["番号", "事業名", "参加市町"], strict=True):
        cell.text = text
    for number, name, town in (
        ("1", "医療の連携", "鳥取市"),
        ("2", "観光の推進", "岩美町"),
        ("3", "交通の確保", "八頭町"),
    ):
        for cell, text in zip(projects.add_row().cells, [number, name, town], strict=True):
            cell.text = text
    amounts = document.add_table(rows=1, cols=2)
    for cell, text in zip(amounts.rows[0].cells, ["年度", "事業費（千円）"], strict=True):
        cell.text = text
    buffer = io.BytesIO()
    document.save(buffer)
    reading = read_bytes(buffer.getvalue(), "vision.docx")
    assert [(p.name, list(p.participants)) for p in reading.vision.projects] == [
        ("医療の連携", ["鳥取市"]),
        ("観光の推進", ["岩美町"]),
        ("交通の確保", ["八頭町"]),
    ]
