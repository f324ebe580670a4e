# ruff: noqa: RUF005  (the tables are written row by row, as wide as a secretariat lays them out)
"""Write tests/corpus/budgets/: tables with budget (事業費) and KPI (成果指標) columns, and budget annexes (別冊),
in the shapes and wordings of spheres the other folders do not use (issue 26).

Each table is given here cell by cell, as a secretariat lays it out; its truth file (``NAME.truth.json``) is
written by hand from the table, not from this script or from renkei. ``python tests/corpus/build_budgets.py``
remakes the tables (LibreOffice is needed for the PDF only).
"""

from __future__ import annotations

import csv
import io
import subprocess
import tempfile
from pathlib import Path

from docx import Document
from openpyxl import Workbook
from openpyxl.styles import Border, Side
from openpyxl.utils import get_column_letter

HERE = Path(__file__).resolve().parent / "budgets"
Grid = list[list[str]]


def _xlsx(grid: Grid, merges: list[str] = (), title: str = "事業一覧", ruled: bool = False) -> bytes:  # type: ignore[assignment]
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = title
    side = Side(style="thin")
    for r, row in enumerate(grid, start=1):
        for c, text in enumerate(row, start=1):
            cell = sheet.cell(r, c, text or None)
            if ruled and len(row) > 1:  # the table's cells ruled, as a printed table is; the title line not
                cell.border = Border(left=side, right=side, top=side, bottom=side)
    if ruled:
        sheet.page_setup.orientation = "landscape"
        sheet.page_setup.fitToWidth = 1
        sheet.sheet_properties.pageSetUpPr.fitToPage = True
        for c, width in enumerate([6, 22, 8, 8, 8, 7, 18, 18, 14, 7, 13, 13], start=1):
            sheet.column_dimensions[get_column_letter(c)].width = width
    for merge in merges:
        sheet.merge_cells(merge)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _csv(grid: Grid, encoding: str = "utf-8") -> bytes:
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows(grid)
    return out.getvalue().encode(encoding)


# 1. XLSX, 八戸圏域: a title and plan period, 事業費（千円） and 成果指標（KPI） merged over their parts, the towns
#    merged down two rows; a KPI whose target lowers (救急搬送時間) and 未定 under R7.
HACHINOHE: Grid = [
    ["八戸圏域連携中枢都市圏ビジョン　連携事業一覧"],
    ["計画期間：令和6年度～令和10年度"],
    ["番号", "事業名", "八戸市", "三戸町", "五戸町", "事業費（千円）", "", "", "", "成果指標（KPI）", "", "", ""],
    ["", "", "", "", "", "R6", "R7", "R8", "合計", "指標名", "単位", "現状値（R5）", "目標値（R10）"],
    ["1", "広域観光プロモーション事業", "○", "○", "○", "12,000", "12,500", "13,000", "37,500"]
    + ["観光入込客数", "万人", "620", "700"],
    ["2", "救急医療体制の充実", "○", "○", "", "5,400", "5,400", "", "10,800", "救急搬送時間", "分", "42.5", "38"],
    ["3", "圏域公共交通の維持", "○", "", "○", "8,000", "未定", "", "8,000", "路線バス利用者数", "千人", "1,250"]
    + ["1,300"],
]
HACHINOHE_MERGES = ["A3:A4", "B3:B4", "C3:C4", "D3:D4", "E3:E4", "F3:I3", "J3:M3"]

# 2. CSV (UTF-8), 播磨圏域: one header row, amounts in 円, Western years (2024年度), 総事業費, the KPI's years
#    in columns of their own, and a 総事業費 that disagrees with its years.
HARIMA: Grid = [
    ["播磨圏域連携中枢都市圏　連携事業の事業費と成果指標"],
    [
        "事業番号",
        "連携事業名",
        "姫路市",
        "相生市",
        "たつの市",
        "連携市町数",
        "2024年度事業費（円）",
        "2025年度事業費（円）",
    ]
    + ["総事業費（円）", "KPI", "KPI単位", "基準値", "基準年度", "目標値", "目標年度", "2024年度実績"],
    ["1", "播磨ブランド推進事業", "○", "○", "○", "3", "3,500,000", "3,800,000", "7,300,000", "ブランド認証品目数"]
    + ["品目", "40", "2023年度", "60", "2028年度", "45"],
    ["2", "広域防災連携事業", "○", "", "○", "2", "1,200,000", "", "1,200,000", "防災訓練参加者数", "人", "800"]
    + ["2023年度", "1,000", "2028年度", ""],
    ["3", "地域医療連携推進事業", "○", "○", "", "2", "2,000,000", "2,000,000", "4,500,000", "連携病院数", "施設"]
    + ["5", "2023年度", "8", "2028年度", "6"],
]

# 3. CSV (Shift_JIS), 庄内定住自立圏: 平成 and 令和 (令和元年度), a （単位：千円） line, 事業費 / 成果指標 / 実績 over
#    their parts, 基準値（H29）, a lowering target (転出超過数) and － under 令和2年度.
SHONAI: Grid = [
    ["庄内定住自立圏共生ビジョン（計画期間：平成30年度～令和4年度）"],
    ["（単位：千円）"],
    ["番号", "取組名", "鶴岡市", "三川町", "庄内町", "事業費", "", "", "成果指標", "", "", "", "実績", ""],
    ["", "", "", "", "", "平成30年度", "令和元年度", "令和2年度", "指標名", "単位", "基準値（H29）", "目標値（R4）"]
    + ["H30", "R1"],
    ["1", "庄内地域医療情報ネットワーク事業", "○", "○", "○", "4,500", "4,500", "4,800", "参加医療機関数", "機関"]
    + ["35", "50", "38", "41"],
    ["2", "広域観光周遊促進事業", "○", "", "○", "2,000", "2,200", "－", "周遊ルート利用者数", "人", "12,000"]
    + ["15,000", "12,800", ""],
    ["3", "移住定住促進事業", "○", "○", "", "800", "800", "800", "転出超過数", "人", "450", "300", "430", "410"],
]

# 4. PDF (LibreOffice), 松江・安来・雲南: one header row, each year's amount in a cell of its own wording
#    (事業費R6（千円）), 現状値（R5） and 目標値（R10）.
MATSUE: Grid = [
    ["松江圏域定住自立圏共生ビジョン　事業費一覧"],
    ["番号", "事業名", "松江市", "安来市", "雲南市", "連携数", "事業費R6（千円）", "事業費R7（千円）", "成果指標"]
    + ["単位", "現状値（R5）", "目標値（R10）"],
    ["1", "図書館相互利用事業", "○", "○", "○", "3", "1,500", "1,600", "相互貸出冊数", "冊", "9,000", "12,000"],
    ["2", "病児保育広域利用事業", "○", "", "○", "2", "2,400", "2,400", "利用者数", "人", "300", "450"],
    ["3", "消防指令共同運用事業", "○", "○", "", "2", "30,000", "28,000", "", "", "", ""],
]

# 5. DOCX, 長岡地域: 概算事業費（千円） merged over 令和６年度 … in full-width digits, 重要業績評価指標 merged over
#    名称 / 単位 / 目標値（令和１０年度）.
NAGAOKA: Grid = [
    ["No.", "取組名", "長岡市", "小千谷市", "見附市", "概算事業費（千円）", "", "", "重要業績評価指標", "", ""],
    ["", "", "", "", "", "令和６年度", "令和７年度", "令和８年度", "名称", "単位", "目標値（令和１０年度）"],
    [
        "1",
        "広域ごみ処理施設運営",
        "○",
        "○",
        "○",
        "１２０，０００",
        "１２５，０００",
        "１２５，０００",
        "リサイクル率",
        "％",
    ]
    + ["２５"],
    [
        "2",
        "地域公共交通網形成",
        "○",
        "",
        "○",
        "３，２００",
        "３，２００",
        "",
        "デマンド交通利用者数",
        "人",
        "８，０００",
    ],
]

# 6. HTML, 延岡・日向圏域: rowspan and colspan headings, 予算額（千円） over FY2024 / FY2025, a KPI with 実績 FY2024.
NOBEOKA_HTML = """<!DOCTYPE html>
<html lang="ja"><head><meta charset="utf-8"><title>延岡日向地域定住自立圏</title></head><body>
<h1>延岡日向地域定住自立圏　共生ビジョン連携事業</h1>
<table border="1">
<tr><th rowspan="2">番号</th><th rowspan="2">事業名</th><th rowspan="2">延岡市</th><th rowspan="2">門川町</th>
<th rowspan="2">日向市</th><th colspan="2">予算額（千円）</th><th colspan="4">成果指標</th></tr>
<tr><th>FY2024</th><th>FY2025</th><th>指標名</th><th>単位</th><th>目標値（FY2028）</th><th>実績（FY2024）</th></tr>
<tr><td>1</td><td>救急医療の広域連携</td><td>○</td><td>○</td><td>○</td><td>6,800</td><td>7,000</td>
<td>二次救急受入件数</td><td>件</td><td>3,000</td><td>2,850</td></tr>
<tr><td>2</td><td>圏域産品の販路拡大</td><td>○</td><td></td><td>○</td><td>1,500</td><td></td>
<td>商談成立件数</td><td>件</td><td>40</td><td>22</td></tr>
<tr><td>3</td><td>職員合同研修</td><td>○</td><td>○</td><td></td><td>300</td><td>300</td>
<td></td><td></td><td></td><td></td></tr>
</table></body></html>
"""

# 7. Text copied from a PDF (tab-separated), 北見地域: bare 6年度 / 7年度 under 事業費（千円）, whose era the header's
#    目標値（R9） gives; a KPI's baseline with its year in a 基準年度 column written 令和5年度.
KITAMI: Grid = [
    ["北見地域定住自立圏　連携事業と成果指標"],
    ["番号", "事業名", "北見市", "美幌町", "津別町", "事業費（千円）", "", "成果指標", "", "", "", ""],
    ["", "", "", "", "", "6年度", "7年度", "指標名", "単位", "基準値", "基準年度", "目標値（R9）"],
    ["1", "オホーツク圏観光連携", "○", "○", "○", "2,500", "2,500", "宿泊者数", "千人", "310", "令和5年度", "350"],
    ["2", "地域医療確保対策", "○", "○", "", "9,000", "9,500", "医師数", "人", "120", "令和5年度", "126"],
]

# 8. XLSX, 久留米広域: each town's share (各市町負担額（千円）R6 merged over the towns' names), the project's
#    事業費 R6, the towns under 連携市町村; its annex (CSV) gives R7 and R8, names a project the table lacks.
KURUME: Grid = [
    ["久留米広域連携中枢都市圏　連携事業と負担額"],
    ["番号", "事業名", "連携市町村", "", "", "事業費（千円）R6", "各市町負担額（千円）R6", "", ""],
    ["", "", "久留米市", "大川市", "小郡市", "", "久留米市", "大川市", "小郡市"],
    ["1", "広域観光ルート整備", "○", "○", "○", "9,000", "6,000", "1,500", "1,500"],
    ["2", "子育て支援施設相互利用", "○", "", "○", "4,000", "3,000", "", "1,000"],
]
KURUME_MERGES = ["A2:A3", "B2:B3", "C2:E2", "F2:F3", "G2:I2"]
KURUME_ANNEX: Grid = [
    ["別冊　事業費一覧（単位：千円）"],
    ["事業番号", "事業名", "令和7年度", "令和8年度"],
    ["1", "広域観光ルート整備", "9,500", "9,800"],
    ["2", "子育て支援施設相互利用", "4,000", ""],
    ["3", "圏域移住相談窓口", "700", "700"],
]

# 9. CSV (UTF-8 with BOM), 下関・長門: KPIs only in the table, two for one project (成果指標 / 成果指標2); its annex
#    (XLSX, amounts in 円) gives the budgets and names project 2 otherwise.
SHIMONOSEKI: Grid = [
    ["番号", "事業名", "下関市", "長門市", "成果指標", "単位", "目標値（R10）", "成果指標2", "単位2", "目標値2（R10）"],
    ["1", "関門・北浦観光連携", "○", "○", "観光客数", "万人", "700", "外国人宿泊者数", "千人", "90"],
    ["2", "広域救急搬送体制", "○", "○", "搬送件数", "件", "4,000", "", "", ""],
]
SHIMONOSEKI_ANNEX: Grid = [
    ["事業番号", "事業名", "R6事業費（円）", "R7事業費（円）"],
    ["1", "関門・北浦観光連携", "15,000,000", "16,000,000"],
    ["2", "広域救急搬送体制の強化", "8,000,000", "8,000,000"],
]


def _docx(grid: Grid, merges: list[tuple[int, int, int, int]]) -> bytes:
    document = Document()
    document.add_heading("長岡地域定住自立圏共生ビジョン　連携事業", level=1)
    table = document.add_table(rows=len(grid), cols=len(grid[0]))
    for r, row in enumerate(grid):
        for c, text in enumerate(row):
            table.cell(r, c).text = text
    for r1, c1, r2, c2 in merges:
        keep = table.cell(r1, c1).text
        table.cell(r1, c1).merge(table.cell(r2, c2)).text = keep
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _pdf(grid: Grid) -> bytes:
    """The table printed by LibreOffice from a workbook, as a secretariat's PDF is."""
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "matsue.xlsx"
        source.write_bytes(_xlsx(grid, ruled=True))
        subprocess.run(
            ["soffice", "--headless", "--convert-to", "pdf", "--outdir", folder, str(source)],
            check=True,
            capture_output=True,
            timeout=180,
        )
        return (Path(folder) / "matsue.pdf").read_bytes()


def build() -> None:
    HERE.mkdir(exist_ok=True)
    files = {
        "xlsx_hachinohe.xlsx": _xlsx(HACHINOHE, HACHINOHE_MERGES),
        "csv_harima_utf8.csv": _csv(HARIMA),
        "csv_shonai_sjis.csv": _csv(SHONAI, "cp932"),
        "docx_nagaoka.docx": _docx(NAGAOKA, [(0, 0, 1, 0), (0, 1, 1, 1), (0, 2, 1, 2), (0, 3, 1, 3), (0, 4, 1, 4)]),
        "html_nobeoka.html": NOBEOKA_HTML.encode("utf-8"),
        "text_kitami.txt": "\n".join("\t".join(row) for row in KITAMI).encode("utf-8") + b"\n",
        "xlsx_kurume_shares.xlsx": _xlsx(KURUME, KURUME_MERGES),
        "xlsx_kurume_shares_annex.csv": _csv(KURUME_ANNEX),
        "csv_shimonoseki_kpis.csv": b"\xef\xbb\xbf" + _csv(SHIMONOSEKI),
        "csv_shimonoseki_kpis_annex.xlsx": _xlsx(SHIMONOSEKI_ANNEX, title="別冊"),
        "pdf_matsue.pdf": _pdf(MATSUE),
    }
    for name, data in files.items():
        (HERE / name).write_bytes(data)


if __name__ == "__main__":
    build()
