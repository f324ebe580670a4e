"""Build the sixth shapes corpus: tables of eleven more real spheres, each in a shape renkei misread before it was
found and mended (rates beside the totals, words for marks, a mark merged across towns, marks for the ear and the
eye, check boxes, names joined by 及び and と, a column headed by a role or a prefecture, 全 for a count), with what
a correct reading yields beside each (``NAME.expect.json``, the schema of ``../shapes3``). The expectations are
written here from the same specification as the table, never read back from renkei.

    python tests/corpus/shapes6/build.py

The files are checked in; the build needs python-docx, odfpy and openpyxl (the test extras), nothing else.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent


@dataclass
class Table:
    """One table: its sphere, its towns (in column order), and its projects as (number, name, marks), marks one
    letter a town: x taking part, - not."""

    file: str
    about: str
    sphere: tuple[str, str]
    towns: list[str]
    projects: list[tuple[int, str, str]]
    exit: int = 0
    faults: list[dict[str, Any]] = field(default_factory=list)
    findings: list[dict[str, Any]] = field(default_factory=list)

    def participants(self, marks: str) -> list[str]:
        return [t for t, m in zip(self.towns, marks, strict=True) if m == "x"]

    def expect(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "about": self.about,
            "sphere": {"name": self.sphere[0], "kind": self.sphere[1]},
            "args": [],
            "annex": None,
            "exit": self.exit,
            "municipalities": self.towns,
            "projects": [
                {"number": n, "name": name, "participants": self.participants(marks)}
                for n, name, marks in self.projects
            ],
            "deliberate_faults": self.faults,
            "expected_findings": self.findings,
        }


def count(marks: str) -> int:
    return marks.count("x")


def write(table: Table, data: bytes) -> None:
    (HERE / table.file).write_bytes(data)
    expect = json.dumps(table.expect(), ensure_ascii=False, indent=1) + "\n"
    (HERE / f"{table.file}.expect.json").write_text(expect, encoding="utf-8")


def csv_bytes(rows: Sequence[Sequence[object]], encoding: str = "utf-8", delimiter: str = ",") -> bytes:
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter, lineterminator="\r\n" if encoding == "cp932" else "\n").writerows(rows)
    return out.getvalue().encode(encoding)


def workbook_bytes(book: Any) -> bytes:
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def totals(table: Table) -> list[int]:
    return [sum(1 for *_, m in table.projects if m[i] == "x") for i in range(len(table.towns))]


# r01: 参加率 and 構成比 rows under the totals (CSV, UTF-8 with BOM) ---------------------------------------------------

INABA = Table(
    "r01_csv_rates_rows_under_totals_inaba.csv",
    "CSV (UTF-8 with BOM) of 鳥取県東部定住自立圏: a 合計 row, then 参加率 (each town's projects over the five "
    "projects, 100% 60% …) and 構成比 (each town's marks over every mark, to one decimal) as the workbook computed "
    "them: read as rates and checked, never as projects",
    ("鳥取県東部定住自立圏", "定住自立圏"),
    ["鳥取市", "岩美町", "若桜町", "智頭町", "八頭町"],
    [
        (1, "図書館の相互利用", "xxxxx"),
        (2, "救急医療体制の確保", "xx-x-"),
        (3, "広域観光の推進", "x-x-x"),
        (4, "移住定住の促進", "xxx--"),
        (5, "鳥獣被害対策の連携", "x--xx"),
    ],
)


def build_inaba() -> None:
    t = INABA
    sums = totals(t)
    rows: list[list[object]] = [["鳥取県東部定住自立圏（中心市：鳥取市）"], ["番号", "事業名", *t.towns, "連携市町数"]]
    rows += [[n, name, *("○" if m == "x" else "" for m in marks), count(marks)] for n, name, marks in t.projects]
    rows.append(["合計", "", *sums, sum(sums)])
    rows.append(["参加率", "", *(f"{100 * s / len(t.projects):.0f}%" for s in sums), ""])
    rows.append(["構成比", "", *(f"{100 * s / sum(sums):.1f}%" for s in sums), ""])
    write(t, b"\xef\xbb\xbf" + csv_bytes(rows))


# r02: 参加率 numbers in a percent format, and a 参加率 column beside the counts (XLSX) -----------------------------

HACHINOHE = Table(
    "r02_xlsx_percent_formats_rate_column_wrong_hachinohe.xlsx",
    "XLSX of 八戸圏域連携中枢都市圏: a 参加率 column beside each count (its marks over the eight towns, 0% format) "
    "and a 参加率 row under the 計 row (0.0% format), the numbers as Excel stores them (0.375). Planted: project 3's "
    "rate is 50% where its three marks of eight give 37.5%",
    ("八戸圏域連携中枢都市圏", "連携中枢都市圏"),
    ["八戸市", "三戸町", "五戸町", "田子町", "南部町", "階上町", "新郷村", "おいらせ町"],
    [
        (1, "救急医療体制の充実", "xxxxxxxx"),
        (2, "広域観光の推進", "x-x-x-x-"),
        (3, "地産地消の推進", "xx---x--"),
        (4, "移住定住の促進", "x--x--xx"),
    ],
    exit=1,
    faults=[
        {
            "what": "rate-mismatch",
            "row": "project 3 (地産地消の推進)",
            "cell": "K5",
            "declared": "50%",
            "marks": "3 of 8",
        }
    ],
)


def build_hachinohe() -> None:
    from openpyxl import Workbook

    t = HACHINOHE
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["八戸圏域連携中枢都市圏　連携事業"])
    sheet.append(["番号", "事業名", *t.towns, "連携市町村数", "参加率"])
    for n, name, marks in t.projects:
        rate = 0.5 if n == 3 else count(marks) / len(t.towns)
        sheet.append([n, name, *("○" if m == "x" else None for m in marks), count(marks), rate])
        sheet.cell(sheet.max_row, len(t.towns) + 4).number_format = "0%"
    sums = totals(t)
    sheet.append(["計", None, *sums, sum(sums)])
    sheet.append(["参加率", None, *(s / len(t.projects) for s in sums)])
    for cell in sheet[sheet.max_row][2 : 2 + len(t.towns)]:
        cell.number_format = "0.0%"
    write(t, workbook_bytes(book))


# w01: words for marks and blanks, which only the counts explain (TSV) ---------------------------------------------

MINAMI_SHINSHU = Table(
    "w01_tsv_words_for_marks_minami_shinshu.txt",
    "Tab-separated text of 南信州定住自立圏: each town's cell says 該当 or 非該当 (no ○, no legend); the counts "
    "count 該当 in every project, so 該当 is taking part and 非該当 is not (said as warnings)",
    ("南信州定住自立圏", "定住自立圏"),
    ["飯田市", "松川町", "高森町", "阿南町", "阿智村", "下條村"],
    [
        (1, "救急医療体制の確保", "xxxxxx"),
        (2, "広域観光の推進", "x-x-x-"),
        (3, "地域公共交通の確保", "xx--x-"),
        (4, "移住定住の促進", "x-xx-x"),
    ],
    findings=[
        {"code": "mark-by-counts", "severity": "warning", "why": "該当, a word no list holds, proved by the counts"},
        {"code": "blank-by-counts", "severity": "warning", "why": "非該当, left uncounted by every count"},
    ],
)


def build_minami_shinshu() -> None:
    t = MINAMI_SHINSHU
    rows: list[list[object]] = [["南信州定住自立圏　連携事業一覧"], ["番号", "事業名", *t.towns, "連携市町村数"]]
    rows += [
        [n, name, *("該当" if m == "x" else "非該当" for m in marks), count(marks)] for n, name, marks in t.projects
    ]
    write(t, csv_bytes(rows, delimiter="\t"))


# m01: a mark, and 全市町で実施, merged across the towns' cells (XLSX) ----------------------------------------------

UWAJIMA = Table(
    "m01_xlsx_marks_merged_across_towns_uwajima.xlsx",
    "XLSX of 宇和島地域定住自立圏: project 1's ○ merged across all four towns' cells, project 3's 全市町で実施 "
    "merged likewise, project 4's ○ merged across the three towns after the central city",
    ("宇和島地域定住自立圏", "定住自立圏"),
    ["宇和島市", "松野町", "鬼北町", "愛南町"],
    [
        (1, "救急医療体制の確保", "xxxx"),
        (2, "広域観光の推進", "xx--"),
        (3, "図書館の相互利用", "xxxx"),
        (4, "鳥獣被害対策", "-xxx"),
    ],
)


def build_uwajima() -> None:
    from openpyxl import Workbook

    t = UWAJIMA
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["宇和島地域定住自立圏（中心市：宇和島市）"])
    sheet.append(["番号", "事業名", *t.towns, "連携市町数"])
    merged = {1: (0, 3, "○"), 3: (0, 3, "全市町で実施"), 4: (1, 3, "○")}
    for n, name, marks in t.projects:
        r = sheet.max_row + 1
        if n in merged:
            first, last, text = merged[n]
            row: list[object] = [n, name, *([None] * len(t.towns)), count(marks)]
            row[2 + first] = text
            sheet.append(row)
            sheet.merge_cells(start_row=r, start_column=3 + first, end_row=r, end_column=3 + last)
        else:
            sheet.append([n, name, *("○" if m == "x" else None for m in marks), count(marks)])
    write(t, workbook_bytes(book))


# h01: marks for the eye and words for the ear, zero-width spaces (HTML) -------------------------------------------

ISHINOMAKI = Table(
    "h01_html_hidden_words_zero_width_ishinomaki.html",
    "A city's web page of 石巻圏定住自立圏: each cell a ○ hidden from screen readers (aria-hidden) beside a "
    "visually hidden 参加 (or － beside 不参加); zero-width spaces after two towns' names and some marks, as a CMS "
    "leaves them",
    ("石巻圏定住自立圏", "定住自立圏"),
    ["石巻市", "東松島市", "女川町"],
    [
        (1, "救急医療体制の確保", "xxx"),
        (2, "広域観光の推進", "x-x"),
        (3, "子育て支援の連携", "xx-"),
        (4, "地域公共交通の確保", "-xx"),
    ],
)


def build_ishinomaki() -> None:
    t = ISHINOMAKI
    said = {True: '<span aria-hidden="true">○</span><span class="visually-hidden">参加</span>&#8203;',
            False: '<span aria-hidden="true">－</span><span class="visually-hidden">不参加</span>'}  # fmt: skip
    names = [f"{town}&#8203;" if i else town for i, town in enumerate(t.towns)]
    head = "".join(f'<th scope="col">{c}</th>' for c in ("番号", "事業名", *names, "連携市町数"))
    body = "".join(
        f"<tr><td>{n}</td><td>{name}</td>" + "".join(f"<td>{said[m == 'x']}</td>" for m in marks)
        + f"<td>{count(marks)}</td></tr>"
        for n, name, marks in t.projects
    )  # fmt: skip
    page = (
        '<!DOCTYPE html><html lang="ja"><head><meta charset="utf-8"><title>連携事業｜石巻市</title>'
        "<style>.visually-hidden{position:absolute;clip:rect(0 0 0 0);width:1px;height:1px;overflow:hidden}</style>"
        f"</head><body><h1>石巻圏定住自立圏共生ビジョン</h1><table><thead><tr>{head}</tr></thead>"
        f"<tbody>{body}</tbody></table></body></html>"
    )
    write(t, page.encode("utf-8"))


# d01: Word's check boxes (DOCX) ------------------------------------------------------------------------------------

TOTTORI_CHUBU = Table(
    "d01_docx_check_boxes_tottori_chubu.docx",
    "A Word table of 鳥取中部ふるさと広域連携定住自立圏 whose towns' cells are check boxes: ☒ where the town takes "
    "part, ☐ where not, as a content control draws them",
    ("鳥取中部ふるさと広域連携定住自立圏", "定住自立圏"),
    ["倉吉市", "三朝町", "湯梨浜町", "琴浦町", "北栄町"],
    [
        (1, "救急医療体制の確保", "xxxxx"),
        (2, "広域観光の推進", "x-xx-"),
        (3, "図書館の相互利用", "xx--x"),
    ],
)


def build_tottori_chubu() -> None:
    from docx import Document

    t = TOTTORI_CHUBU
    document = Document()
    document.add_paragraph("鳥取中部ふるさと広域連携定住自立圏　連携事業")
    table = document.add_table(rows=1 + len(t.projects), cols=3 + len(t.towns))
    for c, text in enumerate(("番号", "事業名", *t.towns, "連携市町数")):
        table.cell(0, c).text = text
    for r, (n, name, marks) in enumerate(t.projects, start=1):
        table.cell(r, 0).text, table.cell(r, 1).text = str(n), name
        for c, m in enumerate(marks):
            table.cell(r, 2 + c).text = "☒" if m == "x" else "☐"
        table.cell(r, 2 + len(t.towns)).text = str(count(marks))
    write(t, workbook_bytes(document))


# n01: participants in one cell, joined by 及び, と and ほか (CSV, Shift_JIS) ---------------------------------------

HARIMA = Table(
    "n01_csv_sjis_names_joined_harima.csv",
    "CSV (Shift_JIS, CRLF) of 播磨圏域連携中枢都市圏 with a members line and the participants in one cell, "
    "joined as Japanese joins a list: 、 and 及び, 並びに, と between two names, and 姫路市ほか15市町 for every member",
    ("播磨圏域連携中枢都市圏", "連携中枢都市圏"),
    [
        "姫路市",
        "相生市",
        "加古川市",
        "赤穂市",
        "高砂市",
        "加西市",
        "宍粟市",
        "たつの市",
        "稲美町",
        "播磨町",
        "市川町",
        "福崎町",
        "神河町",
        "太子町",
        "上郡町",
        "佐用町",
    ],
    [],
)
HARIMA_NAMED = {
    1: ("地域医療の確保", "姫路市及び宍粟市", ["姫路市", "宍粟市"]),
    2: ("広域観光の推進", "姫路市ほか15市町", HARIMA.towns),
    3: ("図書館の相互利用", "姫路市、加古川市並びに福崎町", ["姫路市", "加古川市", "福崎町"]),
    4: ("公共交通の連携", "姫路市、赤穂市と上郡町", ["姫路市", "赤穂市", "上郡町"]),
}
HARIMA.projects = [
    (n, name, "".join("x" if town in chosen else "-" for town in HARIMA.towns))
    for n, (name, _, chosen) in HARIMA_NAMED.items()
]


def build_harima() -> None:
    t = HARIMA
    named = {n: written for n, (_, written, _) in HARIMA_NAMED.items()}
    rows: list[list[object]] = [["播磨圏域連携中枢都市圏ビジョン　連携事業"], ["構成市町：" + "、".join(t.towns)]]
    rows.append(["番号", "事業名", "連携市町", "連携市町数"])
    rows += [[n, name, named[n], count(marks)] for n, name, marks in t.projects]
    write(t, csv_bytes(rows, encoding="cp932"))


# c01: a column headed 中心市 (XLSX) ---------------------------------------------------------------------------------

NAGANO = Table(
    "c01_xlsx_central_city_by_role_nagano.xlsx",
    "XLSX of 長野地域連携中枢都市圏 whose first town column is headed 中心市, not 長野市 (the title names the city), "
    "its counts 連携市町村数（中心市を除く）",
    ("長野地域連携中枢都市圏", "連携中枢都市圏"),
    ["長野市", "須坂市", "千曲市", "坂城町", "小布施町", "高山村"],
    [
        (1, "広域観光の推進", "xxxxxx"),
        (2, "救急医療体制の確保", "xx-x-x"),
        (3, "地域公共交通の確保", "x-xx--"),
        (4, "移住定住の促進", "xx--xx"),
    ],
)


def build_nagano() -> None:
    from openpyxl import Workbook

    t = NAGANO
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["長野地域連携中枢都市圏（中心市：長野市）"])
    sheet.append(["番号", "事業名", "中心市", *t.towns[1:], "連携市町村数（中心市を除く）"])
    for n, name, marks in t.projects:
        sheet.append([n, name, *("○" if m == "x" else None for m in marks), count(marks[1:])])
    write(t, workbook_bytes(book))


# p01: a prefecture's column among the towns' (HTML) -----------------------------------------------------------------

MASUDA = Table(
    "p01_html_prefecture_column_masuda.html",
    "A web page of 益田圏域定住自立圏 with a 島根県 column after the towns, marked where the prefecture takes part: "
    "kept as written, never a member",
    ("益田圏域定住自立圏", "定住自立圏"),
    ["益田市", "津和野町", "吉賀町"],
    [
        (1, "救急医療体制の確保", "xxx"),
        (2, "広域観光の推進", "x-x"),
        (3, "地域公共交通の確保", "xx-"),
    ],
)


def build_masuda() -> None:
    t = MASUDA
    prefecture = {1: "○", 2: "", 3: "○"}
    head = "".join(f"<th>{c}</th>" for c in ("番号", "事業名", *t.towns, "島根県", "連携市町数"))
    body = "".join(
        f"<tr><td>{n}</td><td>{name}</td>" + "".join(f"<td>{'○' if m == 'x' else ''}</td>" for m in marks)
        + f"<td>{prefecture[n]}</td><td>{count(marks)}</td></tr>"
        for n, name, marks in t.projects
    )  # fmt: skip
    page = (
        '<html><head><meta charset="utf-8"></head><body><h2>益田圏域定住自立圏　連携事業</h2>'
        f"<table border=1><tr>{head}</tr>{body}</table></body></html>"
    )
    write(t, page.encode("utf-8"))


# a01: 全 for a count (ODS) -----------------------------------------------------------------------------------------

OSUMI = Table(
    "a01_ods_count_written_all_osumi.ods",
    "An ODS of 大隅定住自立圏 whose counts say 全 where every town takes part",
    ("大隅定住自立圏", "定住自立圏"),
    ["鹿屋市", "垂水市", "東串良町", "錦江町", "南大隅町", "肝付町"],
    [
        (1, "救急医療体制の確保", "xxxxxx"),
        (2, "広域観光の推進", "x-xx-x"),
        (3, "図書館の相互利用", "xxxxxx"),
    ],
)


def build_osumi() -> None:
    from odf.opendocument import OpenDocumentSpreadsheet
    from odf.table import Table as OdsTable
    from odf.table import TableCell, TableRow
    from odf.text import P

    t = OSUMI
    document = OpenDocumentSpreadsheet()
    sheet = OdsTable(name="連携事業")
    rows = [["大隅定住自立圏（中心市：鹿屋市）"], ["番号", "事業名", *t.towns, "連携市町数"]]
    for n, name, marks in t.projects:
        written = "全" if count(marks) == len(t.towns) else str(count(marks))
        rows.append([str(n), name, *("○" if m == "x" else "" for m in marks), written])
    for texts in rows:
        row = TableRow()
        for text in texts:
            cell = TableCell(valuetype="float", value=text) if text.isdigit() else TableCell()
            if text:
                cell.addElement(P(text=text))
            row.addElement(cell)
        sheet.addElement(row)
    document.spreadsheet.addElement(sheet)
    out = io.BytesIO()
    document.write(out)
    write(t, out.getvalue())


def main() -> None:
    for build in (
        build_inaba,
        build_hachinohe,
        build_minami_shinshu,
        build_uwajima,
        build_ishinomaki,
        build_tottori_chubu,
        build_harima,
        build_nagano,
        build_masuda,
        build_osumi,
    ):
        build()


if __name__ == "__main__":
    main()
