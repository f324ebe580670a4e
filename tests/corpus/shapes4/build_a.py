"""b01–b08: XLSX, CSV (UTF-8, Shift_JIS), DOCX, HTML, ODS, chromium PDF, pdftotext -layout copy."""
import csv
import io
import os
import subprocess

import docx
import openpyxl
from docx.enum.section import WD_ORIENT
from docx.shared import Mm, Pt
from openpyxl.styles import Alignment, Border, Side

from common import B, HTML_HEAD, K, P, c, chromium_pdf, path, soffice_convert, write_expect

THIN = Side(style="thin")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
MARK = "○"


def grid(ws, r1, r2, c1, c2):
    for r in range(r1, r2 + 1):
        for cc in range(c1, c2 + 1):
            ws.cell(r, cc).border = BOX


# ---------------------------------------------------------------- b01 sapporo
def b01():
    fname = "b01_xlsx_merged_budget_kpi_formula_sapporo.xlsx"
    munis = ["札幌市", "小樽市", "岩見沢市", "江別市", "千歳市", "恵庭市", "北広島市", "石狩市", "当別町",
             "新篠津村", "南幌町", "長沼町"]
    rows = [
        (1, "高度医療体制の充実", munis, (12500, 12500, 13000), ("救急搬送の圏域内収容率", "％", 93.2, 95.0)),
        (2, "さっぽろ圏の観光プロモーション", ["札幌市", "小樽市", "千歳市", "恵庭市", "北広島市", "石狩市", "当別町"],
         (8200, 8200, 8200), ("圏域の外国人宿泊者数", "万人泊", 410, 520)),
        (3, "圏域農産物の販路拡大", ["札幌市", "岩見沢市", "江別市", "当別町", "新篠津村", "南幌町", "長沼町"],
         (3100, 3300, 3300), ("商談成立件数", "件", 45, 70)),
        (4, "広域的な公共交通の確保", ["札幌市", "江別市", "北広島市", "石狩市", "当別町", "南幌町"],
         (21000, 21000, 21000), ("広域バス路線の利用者数", "千人", 1820, 1900)),
        (5, "図書館の相互利用", ["札幌市", "小樽市", "江別市", "千歳市", "恵庭市", "北広島市", "石狩市"],
         (500, 500, 500), ("相互利用による貸出冊数", "冊", 38000, 42000)),
        (6, "職員の合同研修", munis, (900, 900, 900), ("合同研修の参加者数", "人", 240, 300)),
    ]
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "具体的取組"
    ws["A1"] = "さっぽろ連携中枢都市圏ビジョン　具体的取組一覧（令和7年3月時点修正）"
    hdr = Alignment(horizontal="center", vertical="center", wrap_text=True)
    ws["A3"] = "番号"
    ws.merge_cells("A3:A4")
    ws["B3"] = "具体的取組"
    ws.merge_cells("B3:B4")
    ws["C3"] = "中心市"
    ws["D3"] = "連携市町村"
    ws.merge_cells(start_row=3, start_column=4, end_row=3, end_column=14)
    for i, m in enumerate(munis):
        ws.cell(4, 3 + i, m)
    ws["O3"] = "連携市町村数"
    ws.merge_cells("O3:O4")
    ws["P3"] = "事業費（千円）"
    ws.merge_cells("P3:S3")
    for i, h in enumerate(["令和7年度", "令和8年度", "令和9年度", "計"]):
        ws.cell(4, 16 + i, h)
    ws["T3"] = "成果指標"
    ws.merge_cells("T3:W3")
    for i, h in enumerate(["指標名", "単位", "基準値（R5）", "目標値（R11）"]):
        ws.cell(4, 20 + i, h)
    for r in range(3, 5):
        for cc in range(1, 24):
            ws.cell(r, cc).alignment = hdr
    projects = []
    for k, (no, name, part, amts, kp) in enumerate(rows):
        r = 5 + k
        ws.cell(r, 1, no)
        ws.cell(r, 2, name)
        for i, m in enumerate(munis):
            if m in part:
                ws.cell(r, 3 + i, MARK).alignment = Alignment(horizontal="center")
        ws.cell(r, 15, f'=COUNTIF(C{r}:N{r},"○")')
        for i, a in enumerate(amts):
            ws.cell(r, 16 + i, a).number_format = "#,##0"
        ws.cell(r, 19, f"=SUM(P{r}:R{r})").number_format = "#,##0"
        ws.cell(r, 20, kp[0])
        ws.cell(r, 21, kp[1])
        ws.cell(r, 22, kp[2]).number_format = "#,##0.0" if isinstance(kp[2], float) else "#,##0"
        ws.cell(r, 23, kp[3]).number_format = "#,##0.0" if isinstance(kp[3], float) else "#,##0"
        budgets = [B(2025 + i, a) for i, a in enumerate(amts)] + [B(None, sum(amts))]
        projects.append(P(no, name, part, munis, budgets=budgets,
                          kpis=[K(kp[0], kp[1], kp[2], 2023, kp[3], 2029)]))
    grid(ws, 3, 4 + len(rows), 1, 23)
    ws.column_dimensions["B"].width = 30
    ws.column_dimensions["T"].width = 24
    tmp = path("_tmp_b01.xlsx")
    wb.save(tmp)
    soffice_convert(tmp, "xlsx", path(fname))  # cached values for COUNTIF and SUM, as Excel would keep them
    os.remove(tmp)
    write_expect(fname, "XLSX, two header rows: 中心市/連携市町村 over the towns, 事業費（千円） merged over "
                        "令和7年度/令和8年度/令和9年度/計, 成果指標 merged over 指標名/単位/基準値（R5）/目標値（R11）; "
                        "count by COUNTIF and 計 by SUM formulas (cached values by LibreOffice)",
                 "さっぽろ連携中枢都市圏", "連携中枢都市圏", munis, projects, 0,
                 findings=[{"code": "no-totals", "severity": "info", "why": "no 連携事業数計 row"}])


# ---------------------------------------------------------------- b02 hachinohe
def b02():
    fname = "b02_csv_utf8_yen_commas_results_two_kpis_hachinohe.csv"
    munis = ["八戸市", "三戸町", "五戸町", "田子町", "南部町", "階上町", "新郷村", "おいらせ町"]
    # (no, name, participants, yen or text, [kpi (name, unit, base R4, R5, R6, target R8)])
    rows = [
        (1, "八戸市立市民病院を核とした救急医療体制の充実", munis, 38400000,
         [("ドクターカー出動件数", "件", 1050, 1112, 1138, 1200),
          ("救急搬送の30分以内収容率", "％", 88.5, 89.1, 89.7, 92.0)]),
        (2, "ものづくり企業の人材確保支援", ["八戸市", "五戸町", "南部町", "階上町", "おいらせ町"], 4250000,
         [("合同企業説明会の参加者数", "人", 620, 655, 702, 800)]),
        (3, "八戸圏域の広域観光推進", munis, 12800000,
         [("観光入込客数", "千人", 5430, 5610, 5790, 6000)]),
        (4, "圏域内の図書館相互利用", ["八戸市", "三戸町", "五戸町", "田子町", "南部町", "おいらせ町"], "－",
         [("圏域住民への貸出冊数", "冊", 52000, 51200, 53400, 55000)]),
        (5, "地域公共交通の確保", ["八戸市", "三戸町", "五戸町", "南部町", "階上町", "新郷村"], 96180000,
         [("広域路線バスの利用者数", "人", 1204000, 1187500, 1231000, 1250000),
          ("バス利用者の満足度", "％", 61.0, 62.4, 64.0, 70.0)]),
        (6, "圏域職員の人材育成", munis, 1150000,
         [("合同研修の参加者数", "人", 180, 176, 195, 220)]),
    ]
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\r\n")
    w.writerow(["八戸圏域定住自立圏共生ビジョン（令和7年3月変更）　連携事業・事業費及び成果指標"])
    w.writerow([])
    w.writerow(["番号", "取組名"] + munis + ["連携市町村数", "令和7年度当初予算（円）", "成果指標", "単位",
                                          "基準値（R4）", "令和5年度実績", "令和6年度実績", "目標値（R8）"])
    projects = []
    for no, name, part, yen, kpis in rows:
        for j, kp in enumerate(kpis):
            kcells = [kp[0], kp[1], c(kp[2]), c(kp[3]), c(kp[4]), c(kp[5])]
            if j == 0:
                w.writerow([no, name] + [MARK if m in part else "" for m in munis] + [len(part)]
                           + [c(yen) if isinstance(yen, int) else yen] + kcells)
            else:
                w.writerow(["", ""] + [""] * len(munis) + ["", ""] + kcells)
        budgets = [B(2025, yen, "円")] if isinstance(yen, int) else []
        projects.append(P(no, name, part, munis, budgets=budgets,
                          kpis=[K(k[0], k[1], k[2], 2022, k[5], 2026, [(2023, k[3], ""), (2024, k[4], "")])
                                for k in kpis]))
    w.writerow([])
    w.writerow(["※「－」は既存の事務の中で実施するもの（新たな予算措置なし）"])
    with open(path(fname), "w", encoding="utf-8", newline="") as f:
        f.write(out.getvalue())
    write_expect(fname, "CSV UTF-8: 令和7年度当初予算（円） with commas in quoted cells; KPI 基準値（R4）, 令和5年度実績, "
                        "令和6年度実績, 目標値（R8）; projects 1 and 5 have a second KPI on a continuation line with "
                        "number/name/marks blank; project 4's budget is － (no new budget, per the note)",
                 "八戸圏域定住自立圏", "定住自立圏", munis, projects, 0,
                 findings=[{"code": "figure-unreadable", "severity": "warning",
                            "why": "－ in project 4's 令和7年度当初予算 (not a number; not 0)"},
                           {"code": "row-continued", "severity": "info", "why": "second KPI lines"},
                           {"code": "no-totals", "severity": "info", "why": ""}])


# ---------------------------------------------------------------- b03 morioka
def b03():
    fname = "b03_csv_sjis_yosan_r7_uchi_rows_morioka.csv"
    munis = ["盛岡市", "八幡平市", "滝沢市", "雫石町", "葛巻町", "岩手町", "紫波町", "矢巾町"]
    rows = [
        (1, "広域観光の推進", munis, 24000, [("盛岡市", 12000), ("八幡平市", 3000), ("滝沢市", 2400),
                                       ("雫石町", 2400), ("葛巻町", 1000), ("岩手町", 1000),
                                       ("紫波町", 1100), ("矢巾町", 1100)], "盛岡広域観光推進協議会負担金"),
        (2, "企業誘致・創業支援", ["盛岡市", "滝沢市", "紫波町", "矢巾町"], 6400, [], ""),
        (3, "夜間・休日の救急医療体制の確保", ["盛岡市", "八幡平市", "滝沢市", "雫石町", "岩手町", "紫波町", "矢巾町"],
         52300, [("盛岡市", 31800), ("滝沢市", 7900), ("紫波町", 4600), ("矢巾町", 4100)],
         "内訳は主な負担市町のみ記載"),
        (4, "地域公共交通の確保", ["盛岡市", "滝沢市", "雫石町", "矢巾町"], 15500,
         [("盛岡市", 9000), ("滝沢市", 3500), ("雫石町", 1500), ("矢巾町", 1500)], ""),
        (5, "職員研修の共同実施", munis, 800, [], ""),
    ]
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\r\n")
    w.writerow(["みちのく盛岡広域連携都市圏ビジョン　連携事業一覧（令和7年度）"])
    w.writerow(["（単位：千円）"])
    w.writerow(["No.", "連携事業"] + munis + ["参加市町数", "予算額（R7）", "備考"])
    projects = []
    for no, name, part, total, shares, note in rows:
        w.writerow([no, name] + [MARK if m in part else "" for m in munis] + [len(part), c(total), note])
        for town, a in shares:
            w.writerow(["", f"うち{town}"] + [""] * len(munis) + ["", c(a), ""])
        budgets = [B(2025, total)] + [B(2025, a, town=t) for t, a in shares]
        projects.append(P(no, name, part, munis, budgets=budgets))
    with open(path(fname), "w", encoding="cp932", newline="") as f:
        f.write(out.getvalue())
    write_expect(fname, "CSV Shift_JIS: 予算額（R7） under a （単位：千円） note, each town's share as a row "
                        "of its own under the project (うち盛岡市 in the name column, amount in 予算額（R7）); "
                        "project 3 lists only the main payers",
                 "みちのく盛岡広域連携都市圏", "連携中枢都市圏", munis, projects, 0,
                 findings=[{"code": "encoding-detected", "severity": "info", "why": "cp932"},
                           {"code": "no-totals", "severity": "info", "why": ""}])


# ---------------------------------------------------------------- b04 niigata
def b04():
    fname = "b04_docx_kpi_two_lines_pct_grade_niigata.docx"
    munis = ["新潟市", "三条市", "新発田市", "加茂市", "燕市", "五泉市", "阿賀野市", "胎内市", "聖籠町", "弥彦村",
             "田上町", "阿賀町"]
    # kpi: (name, unit, current R4, R5実績, R6実績, target R8, grade)
    rows = [
        (1, "救急医療体制の確保", munis,
         [("救急搬送のうち圏域内搬送の割合", "％", 96.1, 96.4, 96.8, 97.0, "B"),
          ("急患診療センターの受診者数", "人", 28400, 27900, 29100, 30000, "C")]),
        (2, "圏域企業の販路拡大", ["新潟市", "三条市", "新発田市", "燕市", "聖籠町"],
         [("商談会での成約件数", "件", 62, 70, 81, 80, "A")]),
        (3, "広域観光の推進", munis,
         [("観光入込客数", "万人", 1980, 2050, 2110, 2200, "B"),
          ("外国人宿泊者数", "人泊", 98000, 121000, 154000, 150000, "A")]),
        (4, "移住・定住の促進", ["新潟市", "加茂市", "五泉市", "阿賀野市", "胎内市", "弥彦村", "田上町", "阿賀町"],
         [("移住相談件数", "件", 310, 295, 330, 400, "C")]),
        (5, "職員の合同研修", munis,
         [("若手職員の研修参加率", "％", 42.0, 45.5, 48.0, 60.0, "D")]),
    ]
    d = docx.Document()
    sec = d.sections[0]
    sec.orientation = WD_ORIENT.LANDSCAPE
    sec.page_width, sec.page_height = Mm(297), Mm(210)
    for s in ("left_margin", "right_margin"):
        setattr(sec, s, Mm(10))
    st = d.styles["Normal"]
    st.font.size = Pt(7)
    d.add_paragraph("新潟広域都市圏ビジョン（令和7年度改訂版）")
    d.add_paragraph("第４章　具体的取組と重要業績評価指標（KPI）")
    kh = ["指標名", "単位", "現状値（R4）", "R5実績", "R6実績", "目標値（R8）", "評価"]
    ncol = 2 + len(munis) + len(kh)
    nrow = 2 + sum(len(r[3]) for r in rows)
    t = d.add_table(rows=nrow, cols=ncol)
    t.style = "Table Grid"
    h0, h1 = t.rows[0].cells, t.rows[1].cells
    h0[0].text = "番号"
    h0[0].merge(h1[0])
    h0[1].text = "連携事業"
    h0[1].merge(h1[1])
    g = h0[2].merge(h0[1 + len(munis)])
    g.text = "連携市町村"
    for i, m in enumerate(munis):
        h1[2 + i].text = m
    k0 = 2 + len(munis)
    g = h0[k0].merge(h0[ncol - 1])
    g.text = "重要業績評価指標（KPI）"
    for i, h in enumerate(kh):
        h1[k0 + i].text = h
    r = 2
    projects = []
    for no, name, part, kpis in rows:
        for j, kp in enumerate(kpis):
            cells = t.rows[r].cells
            if j == 0:
                cells[0].text = str(no)
                cells[1].text = name
                for i, m in enumerate(munis):
                    cells[2 + i].text = MARK if m in part else ""
            for i in range(6):
                v = kp[i]
                cells[k0 + i].text = c(v) if isinstance(v, (int, float)) else v
            cells[k0 + 6].text = kp[6]
            r += 1
        projects.append(P(no, name, part, munis,
                          kpis=[K(k[0], k[1], k[2], 2022, k[5], 2026, [(2023, k[3], ""), (2024, k[4], "")], k[6])
                                for k in kpis]))
    d.add_paragraph("評価　A：目標を達成　B：概ね順調　C：やや遅れ　D：大幅な遅れ")
    d.save(path(fname))
    write_expect(fname, "DOCX landscape: 12 town columns under a merged 連携市町村, KPI group 重要業績評価指標（KPI） "
                        "merged over 指標名/単位/現状値（R4）/R5実績/R6実績/目標値（R8）/評価 (A–D); two KPIs on "
                        "separate lines for projects 1 and 3 (second line: number, name, marks blank); ％ KPIs",
                 "新潟広域都市圏", "連携中枢都市圏", munis, projects, 0,
                 findings=[{"code": "row-continued", "severity": "info", "why": "second KPI lines"},
                           {"code": "no-totals", "severity": "info", "why": ""}])


# ---------------------------------------------------------------- b05 tajima
def b05():
    fname = "b05_html_mikomi_r7_r9_kei_chouseichuu_tajima.html"
    munis = ["豊岡市", "養父市", "朝来市", "香美町", "新温泉町"]
    rows = [
        (1, "公立豊岡病院を核とした医療体制の確保", munis, (120000, 120000, 120000), 360000),
        (2, "但馬地域の広域観光の推進", munis, (15600, 15600, 16000), 47200),
        (3, "コウノトリ但馬空港の利用促進", munis, (8000, 8500, "調整中"), 16500),
        (4, "有害鳥獣対策の連携", ["豊岡市", "養父市", "香美町", "新温泉町"], (4200, 4200, 4200), 12600),
        (5, "ICTを活用した圏域の情報発信", ["豊岡市", "朝来市", "香美町"], (1000, 1000, 1000), 3000),
        (6, "圏域職員の人材育成", munis, (600, 600, 600), 1800),
    ]
    h = [HTML_HEAD.format(title="但馬定住自立圏共生ビジョン", extra="")]
    h.append("<h1>但馬定住自立圏共生ビジョン（第４次）</h1>\n<h2>連携事業と事業費見込み</h2>\n")
    h.append("<table>\n<thead>\n<tr><th rowspan=\"2\">番号</th><th rowspan=\"2\">事業名</th>"
             f"<th colspan=\"{len(munis)}\">構成市町</th><th rowspan=\"2\">連携市町数</th>"
             "<th colspan=\"4\">事業費見込み（千円）</th></tr>\n<tr>")
    h.append("".join(f"<th>{m}</th>" for m in munis))
    h.append("<th>R7</th><th>R8</th><th>R9</th><th>計</th></tr>\n</thead>\n<tbody>\n")
    projects = []
    for no, name, part, amts, total in rows:
        h.append(f"<tr><td>{no}</td><td>{name}</td>")
        h.append("".join(f"<td class=\"m\">{MARK if m in part else ''}</td>" for m in munis))
        h.append(f"<td class=\"m\">{len(part)}</td>")
        h.append("".join(f"<td class=\"n\">{c(a) if isinstance(a, int) else a}</td>" for a in amts))
        h.append(f"<td class=\"n\">{c(total)}</td></tr>\n")
        budgets = [B(2025 + i, a) for i, a in enumerate(amts) if isinstance(a, int)] + [B(None, total)]
        projects.append(P(no, name, part, munis, budgets=budgets))
    h.append("</tbody>\n</table>\n<p>※令和9年度の空港関連事業費は県との協議により調整中。</p>\n</body></html>\n")
    with open(path(fname), "w", encoding="utf-8") as f:
        f.write("".join(h))
    write_expect(fname, "HTML: group header 事業費見込み（千円） (colspan) over R7/R8/R9/計, 構成市町 over the towns; "
                        "project 3's R9 is 調整中 (its 計 16,500 is the sum of R7 and R8)",
                 "但馬定住自立圏", "定住自立圏", munis, projects, 0,
                 faults=[{"what": "figure-unreadable", "row": "project 3", "column": "R9", "value": "調整中"}],
                 findings=[{"code": "no-totals", "severity": "info", "why": ""}])


def v05():
    """One-change variant of b05: the three years given as ONE period column R7～R9事業費（千円）."""
    fname = "v05_html_period_column_r7_r9_tajima.html"
    munis = ["豊岡市", "養父市", "朝来市", "香美町", "新温泉町"]
    rows = [
        (1, "公立豊岡病院を核とした医療体制の確保", munis, 360000),
        (2, "但馬地域の広域観光の推進", munis, 47200),
        (4, "有害鳥獣対策の連携", ["豊岡市", "養父市", "香美町", "新温泉町"], 12600),
        (5, "ICTを活用した圏域の情報発信", ["豊岡市", "朝来市", "香美町"], 3000),
    ]
    h = [HTML_HEAD.format(title="但馬定住自立圏共生ビジョン", extra="")]
    h.append("<h1>但馬定住自立圏共生ビジョン（第４次）</h1>\n<table>\n<tr><th>番号</th><th>事業名</th>"
             + "".join(f"<th>{m}</th>" for m in munis) + "<th>連携市町数</th><th>R7～R9事業費（千円）</th></tr>\n")
    projects = []
    for no, name, part, total in rows:
        h.append(f"<tr><td>{no}</td><td>{name}</td>"
                 + "".join(f"<td class=\"m\">{MARK if m in part else ''}</td>" for m in munis)
                 + f"<td class=\"m\">{len(part)}</td><td class=\"n\">{c(total)}</td></tr>\n")
        projects.append(P(no, name, part, munis, budgets=[B(None, total)]))
    h.append("</table>\n</body></html>\n")
    with open(path(fname), "w", encoding="utf-8") as f:
        f.write("".join(h))
    write_expect(fname, "ONE-CHANGE VARIANT of b05: one column R7～R9事業費（千円）, the total over three years "
                        "(fiscal_year null, or a period; never fiscal year 2025 alone)",
                 "但馬定住自立圏", "定住自立圏", munis, projects, 0,
                 findings=[{"code": "no-totals", "severity": "info", "why": ""}])


# ---------------------------------------------------------------- b06 nakaumi
def b06():
    fname = "b06_ods_share_columns_two_prefs_nakaumi.ods"
    munis = ["米子市", "松江市", "境港市", "安来市"]
    rows = [
        (1, "中海・宍道湖・大山圏域の観光振興", munis, 20000, (6000, 6000, 4000, 4000)),
        (2, "医療連携体制の構築", ["米子市", "境港市", "安来市"], 9000, (4500, None, 2500, 2000)),
        (3, "圏域企業の連携による産業振興", munis, 12000, (3000, 3000, 3000, 3000)),
        (4, "米子・境港間の公共交通の確保", ["米子市", "境港市"], 30000, (18000, None, 12000, None)),
        (5, "職員の合同研修", munis, 800, (200, 200, 200, 200)),
    ]
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "連携事業"
    ws["A1"] = "中海圏域定住自立圏共生ビジョン　連携事業と費用負担（令和6年度）"
    ws["A3"], ws["B3"] = "番号", "連携事業"
    ws.merge_cells("A3:A4")
    ws.merge_cells("B3:B4")
    for i, m in enumerate(munis):
        ws.cell(3, 3 + i, m)
        ws.merge_cells(start_row=3, start_column=3 + i, end_row=4, end_column=3 + i)
    ws["G3"] = "連携市数"
    ws.merge_cells("G3:G4")
    ws["H3"] = "令和6年度事業費（千円）"
    ws.merge_cells("H3:H4")
    ws["I3"] = "各市負担額（千円）"
    ws.merge_cells("I3:L3")
    for i, m in enumerate(munis):
        ws.cell(4, 9 + i, m)
    projects = []
    for k, (no, name, part, total, shares) in enumerate(rows):
        r = 5 + k
        ws.cell(r, 1, no)
        ws.cell(r, 2, name)
        for i, m in enumerate(munis):
            if m in part:
                ws.cell(r, 3 + i, MARK)
        ws.cell(r, 7, len(part))
        ws.cell(r, 8, total).number_format = "#,##0"
        for i, s in enumerate(shares):
            ws.cell(r, 9 + i, s if s is not None else "－").number_format = "#,##0"
        budgets = [B(2024, total)] + [B(2024, s, town=m) for m, s in zip(munis, shares) if s is not None]
        projects.append(P(no, name, part, munis, budgets=budgets))
    grid(ws, 3, 4 + len(rows), 1, 12)
    tmp = path("_tmp_b06.xlsx")
    wb.save(tmp)
    soffice_convert(tmp, "ods", path(fname))
    os.remove(tmp)
    write_expect(fname, "ODS: two central cities of two prefectures (米子市 鳥取, 松江市 島根); the town names appear "
                        "twice: as mark columns and again under a merged 各市負担額（千円） group as share columns; "
                        "－ for a town outside the project",
                 "中海圏域定住自立圏", "定住自立圏", munis, projects, 0,
                 findings=[{"code": "no-totals", "severity": "info",
                            "why": "－ under a non-participant's share means no share: neither an amount nor a fault "
                                   "(a figure-unreadable warning would be tolerable, as in shapes2 o02)"}])


# ---------------------------------------------------------------- b07 nobeoka (chromium PDF)
def b07(nowrap=False):
    fname = ("v07_pdf_chromium_nowrap_nobeoka.pdf" if nowrap else
             "b07_pdf_chromium_prose_plan_budget_kpi_nobeoka.pdf")
    munis = ["延岡市", "日向市", "門川町"]
    rows = [
        (1, "県北地域の救急医療体制の確保", munis, (45000, 45000, 45000), ("救急患者の圏域内受入率", "％", 91.0, 93.0)),
        (2, "圏域の広域観光の推進", munis, (6000, 6500, 6500), ("観光入込客数", "千人", 3250, 3600)),
        (3, "細島港を活用した物流・産業振興", ["延岡市", "日向市"], (2400, 2400, 2400), ("港湾取扱貨物量", "万トン", 392, 420)),
        (4, "移住・定住の促進", ["延岡市", "門川町"], (1800, 1800, 1800), ("移住者数", "人", 165, 220)),
        (5, "地域公共交通の確保", munis, (33000, 33000, 34000), ("路線バスの利用者数", "人", 712000, 740000)),
        (6, "職員の合同研修", munis, (300, 300, 300), ("合同研修の参加者数", "人", 85, 100)),
    ]
    extra = ".pb { page-break-after: always; }" + (" th, td { white-space: nowrap; font-size: 8pt; }" if nowrap else "")
    h = [HTML_HEAD.format(title="定住自立圏共生ビジョン", extra=extra)]
    h.append("<div class=\"pb\"><h1>延岡市を中心市とする定住自立圏共生ビジョン</h1>"
             "<p>令和７年３月</p><h2>第１章　ビジョンの概要</h2>"
             "<p>本ビジョンは、延岡市、日向市及び門川町が締結した定住自立圏形成協定に基づき、圏域の将来像と、"
             "その実現に向けて連携して取り組む具体的な事業を定めるものです。</p>"
             "<p>計画期間：令和７年度～令和１１年度（５年間）</p>"
             "<p>事業費は各年度の予算編成により変更となる場合があります。毎年度、定住自立圏共生ビジョン懇談会において"
             "成果指標の達成状況を検証し、必要に応じてビジョンを変更します。</p></div>\n")
    h.append("<h2>第２章　連携事業・事業費・成果指標</h2>\n")
    h.append("<table>\n<thead>\n<tr><th rowspan=\"2\">番号</th><th rowspan=\"2\">事業名</th>"
             + "".join(f"<th rowspan=\"2\">{m}</th>" for m in munis)
             + "<th rowspan=\"2\">連携市町数</th><th colspan=\"4\">事業費（千円）</th>"
               "<th colspan=\"4\">成果指標</th></tr>\n<tr><th>令和7年度</th><th>令和8年度</th><th>令和9年度</th>"
               "<th>計</th><th>指標名</th><th>単位</th><th>基準値（R5）</th><th>目標値（R11）</th></tr>\n"
               "</thead>\n<tbody>\n")
    projects = []
    for no, name, part, amts, kp in rows:
        h.append(f"<tr><td>{no}</td><td>{name}</td>"
                 + "".join(f"<td class=\"m\">{MARK if m in part else ''}</td>" for m in munis)
                 + f"<td class=\"m\">{len(part)}</td>"
                 + "".join(f"<td class=\"n\">{c(a)}</td>" for a in amts)
                 + f"<td class=\"n\">{c(sum(amts))}</td><td>{kp[0]}</td><td>{kp[1]}</td>"
                   f"<td class=\"n\">{c(kp[2])}</td><td class=\"n\">{c(kp[3])}</td></tr>\n")
        projects.append(P(no, name, part, munis,
                          budgets=[B(2025 + i, a) for i, a in enumerate(amts)] + [B(None, sum(amts))],
                          kpis=[K(kp[0], kp[1], kp[2], 2023, kp[3], 2029)]))
    h.append("</tbody>\n</table>\n</body></html>\n")
    src = path("v07_src_nobeoka_nowrap.html" if nowrap else "b07_src_nobeoka.html")
    with open(src, "w", encoding="utf-8") as f:
        f.write("".join(h))
    chromium_pdf(src, path(fname))
    about_v = "ONE-CHANGE VARIANT of b07: header and cells do not wrap (white-space: nowrap, 8pt). " if nowrap else ""
    write_expect(fname, about_v + "chromium PDF: a prose page (計画期間：令和７年度～令和１１年度 in full-width digits) before the "
                        "table; two header rows with 事業費（千円） over 令和7年度/令和8年度/令和9年度/計 and 成果指標 "
                        "over 指標名/単位/基準値（R5）/目標値（R11）; amounts with commas",
                 "(延岡市を中心とする宮崎県北圏域の定住自立圏)", "定住自立圏", munis, projects, 0,
                 findings=[{"code": "no-totals", "severity": "info", "why": ""},
                           {"code": "pdf-pages", "severity": "info", "why": "table found after a prose page"}])


# ---------------------------------------------------------------- b08 tateyama (pdftotext -layout copy)
def b08():
    fname = "b08_layout_yen_commas_r6_result_tateyama.txt"
    munis = ["館山市", "南房総市"]
    rows = [
        (1, "安房地域の救急医療体制の確保", 18500000, ("救急搬送の圏域内収容率", "％", 84.2, 85.0, 88.0)),
        (2, "館山・南房総の広域観光の推進", 7200000, ("観光入込客数", "千人", 5120, 5340, 5800)),
        (3, "移住・二地域居住の促進", 3600000, ("移住相談件数", "件", 420, 468, 600)),
        (4, "路線バスの維持確保", 26940000, ("路線バスの利用者数", "人", 318000, 322500, 340000)),
        (5, "職員の合同研修", 250000, ("合同研修の参加者数", "人", 60, 64, 80)),
    ]
    h = [HTML_HEAD.format(title="館山市・南房総市定住自立圏", extra="")]
    h.append("<h2>館山市・南房総市定住自立圏共生ビジョン（令和7年度時点修正）</h2>\n")
    h.append("<table>\n<tr><th>番号</th><th>事業名</th><th>館山市</th><th>南房総市</th><th>連携市数</th>"
             "<th>令和7年度予算額（円）</th><th>成果指標</th><th>単位</th><th>基準値（R5）</th><th>R6実績</th>"
             "<th>目標値（R10）</th></tr>\n")
    projects = []
    for no, name, yen, kp in rows:
        h.append(f"<tr><td>{no}</td><td>{name}</td><td class=\"m\">○</td><td class=\"m\">○</td>"
                 f"<td class=\"m\">2</td><td class=\"n\">{c(yen)}</td><td>{kp[0]}</td><td>{kp[1]}</td>"
                 f"<td class=\"n\">{c(kp[2])}</td><td class=\"n\">{c(kp[3])}</td><td class=\"n\">{c(kp[4])}</td></tr>\n")
        projects.append(P(no, name, munis, munis, budgets=[B(2025, yen, "円")],
                          kpis=[K(kp[0], kp[1], kp[2], 2023, kp[4], 2028, [(2024, kp[3], "")])]))
    h.append("</table>\n</body></html>\n")
    src = path("b08_src_tateyama.html")
    with open(src, "w", encoding="utf-8") as f:
        f.write("".join(h))
    pdf = path("b08_src_tateyama.pdf")
    chromium_pdf(src, pdf)
    subprocess.run(["pdftotext", "-layout", pdf, path(fname)], check=True)
    write_expect(fname, "pdftotext -layout of a chromium PDF: 令和7年度予算額（円） with commas (eight digits), KPI "
                        "基準値（R5）, R6実績, 目標値（R10）; headers may wrap in the narrow columns",
                 "館山市・南房総市定住自立圏", "定住自立圏", munis, projects, 0,
                 findings=[{"code": "no-totals", "severity": "info", "why": ""}])


if __name__ == "__main__":
    for f in (b01, b02, b03, b04, b05, b06, b07, b08):
        f()
        print("built", f.__name__)
    b07(nowrap=True)
    v05()
    print("built v07 v05")
