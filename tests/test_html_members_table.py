"""A web page's table of the sphere's towns above its projects table (区分 | 市町名 | 人口 …) is its members list,
as a members line would be: a column for a town it does not name is said (``column-not-member``), the central
city it marks is the sphere's. Pages of other spheres and wordings than the tester's 北はりま; tables that are
not such a list are left alone."""

from __future__ import annotations

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
