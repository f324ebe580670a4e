"""A column headed by a role or a prefecture rather than a name, with marks under it: 中心市 over the central city's
marks where the title names the city (its marks counted, its label kept: ``central-column-by-role``), a prefecture's
column (鳥取県, 長野県: the prefecture takes part in some projects but is no member; its marks kept as written,
never counted: ``group-column-kept``), and 中心市 where nothing names the city (kept, and said:
``central-column-unnamed``). Before, each such column's marks were dropped without a word.

Tables of several spheres in text, XLSX (a header of two rows with 中心市 merged down both) and a web page; what
each should yield is worked out here from the marks written.
"""

from __future__ import annotations

import io
from collections.abc import Sequence

from openpyxl import Workbook

from renkei.ingest import read_bytes
from renkei.ingest.report import Report, check_reading
from renkei.render import get

# Projects marked x (taking part) or - (not), the first column the central city's (or the prefecture's).
PROJECTS = [("1", "図書館の相互利用", "xxxxx"), ("2", "救急医療の確保", "xx-x-"), ("3", "広域観光の推進", "x-x-x")]
INABA = ("鳥取市", ("岩美町", "若桜町", "智頭町", "八頭町"), "鳥取県東部定住自立圏")
HACHINOHE = ("八戸市", ("三戸町", "五戸町", "田子町", "南部町"), "八戸圏域連携中枢都市圏")


def rows_of(first: str, towns: Sequence[str], count_first: bool = True) -> list[list[str]]:
    out = [["番号", "事業名", first, *towns, "連携市町数"]]
    for number, name, marks in PROJECTS:
        counted = marks if count_first else marks[1:]
        out.append([number, name, *("○" if m == "x" else "" for m in marks), str(counted.count("x"))])
    return out


def read(data: bytes, name: str) -> Report:
    return check_reading(read_bytes(data, name))


def taking_part(first: str | None, towns: Sequence[str]) -> list[list[str]]:
    columns = [first, *towns] if first else [None, *towns]
    return [[c for c, m in zip(columns, marks, strict=True) if m == "x" and c] for _, _, marks in PROJECTS]


def errors(report: Report) -> list[str]:
    return [f.code for f in report.findings if f.severity.value == "error"]


def test_a_column_headed_central_city_is_the_central_citys_where_the_title_names_it() -> None:
    central, towns, sphere = INABA
    text = f"{sphere}（中心市：{central}）\n" + "\n".join("\t".join(r) for r in rows_of("中心市", towns)) + "\n"
    report = read(text.encode("utf-8"), "inaba.txt")
    vision = report.reading.vision
    assert [list(p.participants) for p in vision.projects] == taking_part(central, towns)
    assert errors(report) == []
    column = vision.municipalities[0]
    assert (column.name, column.display, column.central) == (central, "中心市", True)
    said = [f for f in report.findings if f.code == "central-column-by-role"]
    assert len(said) == 1 and said[0].params["name"] == central
    # Written back in the official layout and read again: the same columns, marks and label.
    again = read(get("official").render(vision), "inaba.txt").reading.vision
    assert [list(p.participants) for p in again.projects] == taking_part(central, towns)
    assert [m.display for m in again.municipalities] == [m.display for m in vision.municipalities]


def test_a_two_row_header_with_central_city_merged_down_both_rows() -> None:
    central, towns, sphere = HACHINOHE
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append([f"{sphere}（中心市：{central}）"])
    sheet.append(["番号", "事業名", "中心市", "連携市町村", None, None, None, "連携市町村数（中心市を除く）"])
    sheet.append([None, None, None, *towns, None])
    for column in ("A", "B", "C", "H"):
        sheet.merge_cells(f"{column}2:{column}3")
    sheet.merge_cells("D2:G2")
    for number, name, marks in PROJECTS:
        sheet.append([int(number), name, *("○" if m == "x" else None for m in marks), marks[1:].count("x")])
    buffer = io.BytesIO()
    book.save(buffer)
    report = read(buffer.getvalue(), "hachinohe.xlsx")
    assert [list(p.participants) for p in report.reading.vision.projects] == taking_part(central, towns)
    assert errors(report) == []
    assert "central-column-by-role" in [f.code for f in report.findings]


def test_a_prefectures_column_is_kept_and_never_counted() -> None:
    towns = ("飯田市", "松川町", "高森町", "阿南町")
    header = "".join(f"<th>{t}</th>" for t in ("番号", "事業名", *towns, "長野県", "連携市町村数"))
    body = ""
    for number, name, marks in PROJECTS:
        # The prefecture's column last among the marks: its mark is the last of the five.
        cells = [number, name, *("○" if m == "x" else "" for m in marks), str(marks[:4].count("x"))]
        body += "<tr>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>"
    page = f"<html><body><h1>南信州定住自立圏</h1><table><tr>{header}</tr>{body}</table></body></html>"
    report = read(page.encode("utf-8"), "minami.html")
    vision = report.reading.vision
    assert [list(p.participants) for p in vision.projects] == [
        [t for t, m in zip(towns, marks, strict=False) if m == "x"] for _, _, marks in PROJECTS
    ]
    assert errors(report) == []
    assert [p.attributes.get("長野県", "") for p in vision.projects] == [
        "○" if m[4] == "x" else "" for *_, m in PROJECTS
    ]
    assert "group-column-kept" in [f.code for f in report.findings]


def test_central_city_named_nowhere_is_said_and_its_column_kept() -> None:
    _, towns, _ = INABA
    text = "\n".join(",".join(r) for r in rows_of("中心市", towns)) + "\n"
    report = read(text.encode("cp932"), "inaba.csv")
    assert "central-column-unnamed" in [f.code for f in report.findings]
    assert [p.attributes.get("中心市", "") for p in report.reading.vision.projects] == [
        "○" if m[0] == "x" else "" for *_, m in PROJECTS
    ]
    assert [list(p.participants) for p in report.reading.vision.projects] == taking_part(None, towns)
