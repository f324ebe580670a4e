"""b09–b16: tables with budget annexes (CSV, XLSX, ODS), 総事業費 only, plan period note, 円 totals, cell lists."""
import csv
import io
import os
import random

import docx
import openpyxl
from docx.enum.section import WD_ORIENT
from docx.shared import Mm, Pt
from openpyxl.styles import Alignment

from build_a import BOX, MARK, grid
from common import B, HTML_HEAD, K, P, c, path, soffice_convert, write_expect


# ---------------------------------------------------------------- b09 ichinoseki: HTML + CSV annex (unknown project)
def b09():
    fname = "b09_html_table_ichinoseki.html"
    annex = "b09_annex_csv_unknown_project_ichinoseki.csv"
    munis = ["一関市", "平泉町"]
    rows = [
        (1, "一関・平泉地域の医療体制の確保", "県立病院と診療所の連携、休日当番医制の共同運営", (5000, 5000, 5000)),
        (2, "世界遺産平泉を核とした広域観光の推進", "観光パンフレットの共同作成、周遊ルートの造成", (9800, 9800, 10200)),
        (3, "農産物の地産地消の推進", "学校給食への地場産品の供給、直売所の連携", (1200, 1200, 1200)),
        (4, "地域公共交通の確保", "一関・平泉間の路線バスの運行支援", (14000, 14500, 14500)),
        (5, "職員の合同研修", "圏域職員の合同研修の実施", (200, 200, 200)),
    ]
    h = [HTML_HEAD.format(title="一関・平泉定住自立圏共生ビジョン", extra="")]
    h.append("<h1>一関・平泉定住自立圏共生ビジョン</h1>\n<p>事業費は別冊「事業費一覧」のとおり。</p>\n")
    h.append("<table>\n<tr><th>番号</th><th>取組項目</th><th>一関市</th><th>平泉町</th><th>連携市町数</th>"
             "<th>取組の内容</th></tr>\n")
    for no, name, desc, _ in rows:
        h.append(f"<tr><td>{no}</td><td>{name}</td><td>○</td><td>○</td><td>2</td><td>{desc}</td></tr>\n")
    h.append("</table>\n</body></html>\n")
    with open(path(fname), "w", encoding="utf-8") as f:
        f.write("".join(h))
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\r\n")
    w.writerow(["一関・平泉定住自立圏共生ビジョン　別冊　事業費一覧（令和7年度変更）"])
    w.writerow(["（単位：千円）"])
    w.writerow(["番号", "事業名", "令和7年度", "令和8年度", "令和9年度", "合計"])
    projects = []
    for no, name, _, amts in rows:
        w.writerow([no, name] + [c(a) for a in amts] + [c(sum(amts))])
        projects.append(P(no, name, munis, munis,
                          budgets=[B(2025 + i, a) for i, a in enumerate(amts)] + [B(None, sum(amts))]))
    w.writerow([6, "平泉の文化遺産を活用した交流促進", c(1500), c(1500), c(1500), c(4500)])
    with open(path(annex), "w", encoding="utf-8", newline="") as f:
        f.write(out.getvalue())
    write_expect(fname, "HTML table without amounts (取組項目/取組の内容) + CSV UTF-8 annex with a （単位：千円） line, "
                        "令和7年度–令和9年度/合計 with commas; the annex names project 6 the table lacks",
                 "一関・平泉定住自立圏", "定住自立圏", munis, projects, 1, annex=annex,
                 faults=[{"what": "annex-project-unknown", "row": "annex project 6", "annex_line": 9,
                          "name": "平泉の文化遺産を活用した交流促進"}],
                 findings=[{"code": "no-totals", "severity": "info", "why": ""}])


# ---------------------------------------------------------------- b10 ofunato: ODS table + XLSX annex (合計 wrong)
def b10():
    fname = "b10_ods_table_kpi_ofunato.ods"
    annex = "b10_annex_xlsx_merged_total_wrong_ofunato.xlsx"
    munis = ["大船渡市", "住田町"]
    rows = [
        (1, "県立大船渡病院を核とした医療連携", (8000, 8000, 8000), 24000, ("救急搬送の圏域内受入率", "％", 90.5, 93.0)),
        (2, "三陸沿岸の広域観光の推進", (3500, 3500, 4000), 12000, ("観光入込客数", "千人", 1420, 1600)),
        (3, "気仙地域の林業・木材産業の振興", (2000, 2000, 2000), 6000, ("木材出荷量", "㎥", 58000, 62000)),
        (4, "BRT・路線バスの利用促進", (12000, 12000, 12000), 36000, ("路線バスの利用者数", "人", 155000, 160000)),
        (5, "職員の合同研修", (150, 150, 150), 450, ("合同研修の参加者数", "人", 40, 50)),
    ]
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "連携事業"
    ws["A1"] = "大船渡・住田定住自立圏共生ビジョン　連携事業及び成果指標"
    hdr = ["番号", "事業名", "大船渡市", "住田町", "連携市町数", "成果指標", "単位", "基準値（R5）", "目標値（R10）"]
    for i, x in enumerate(hdr):
        ws.cell(3, 1 + i, x)
    projects = []
    for k, (no, name, amts, total, kp) in enumerate(rows):
        r = 4 + k
        for i, x in enumerate([no, name, MARK, MARK, 2, kp[0], kp[1], kp[2], kp[3]]):
            ws.cell(r, 1 + i, x)
        projects.append(P(no, name, munis, munis,
                          budgets=[B(2025 + i, a) for i, a in enumerate(amts)] + [B(None, total)],
                          kpis=[K(kp[0], kp[1], kp[2], 2023, kp[3], 2028)]))
    grid(ws, 3, 3 + len(rows), 1, len(hdr))
    tmp = path("_tmp_b10.xlsx")
    wb.save(tmp)
    soffice_convert(tmp, "ods", path(fname))
    os.remove(tmp)
    # annex
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "別冊"
    ws["A1"] = "大船渡・住田定住自立圏共生ビジョン　別冊（事業費）"
    ws["A3"], ws["B3"] = "番号", "事業名"
    ws.merge_cells("A3:A4")
    ws.merge_cells("B3:B4")
    ws["C3"] = "事業費（千円）"
    ws.merge_cells("C3:F3")
    for i, x in enumerate(["令和7年度", "令和8年度", "令和9年度", "合計"]):
        ws.cell(4, 3 + i, x)
    for k, (no, name, amts, total, _) in enumerate(rows):
        r = 5 + k
        ws.cell(r, 1, no)
        ws.cell(r, 2, name)
        for i, a in enumerate(amts):
            ws.cell(r, 3 + i, a).number_format = "#,##0"
        ws.cell(r, 6, total).number_format = "#,##0"
    grid(ws, 3, 4 + len(rows), 1, 6)
    wb.save(path(annex))
    write_expect(fname, "ODS table with KPI (基準値（R5）/目標値（R10）) + XLSX annex whose 事業費（千円） is a merged "
                        "group header over 令和7年度/令和8年度/令和9年度/合計; project 2's annex 合計 12,000 ≠ 11,000",
                 "大船渡・住田定住自立圏", "定住自立圏", munis, projects, 1, annex=annex,
                 faults=[{"what": "annex-total-mismatch", "row": "project 2", "sheet": "別冊", "cell": "F6",
                          "declared": 12000, "computed": 11000}],
                 findings=[{"code": "no-totals", "severity": "info", "why": ""}])


# ---------------------------------------------------------------- b11 hagi-abu: XLSX table + ODS annex (円, うち columns)
def b11():
    fname = "b11_xlsx_table_hagi_abu.xlsx"
    annex = "b11_annex_ods_yen_uchi_columns_hagi_abu.ods"
    munis = ["萩市", "阿武町"]
    rows = [
        (1, "萩・阿武地域の救急医療体制の確保", "休日急患診療の共同実施", 25400000, 22860000, 2540000),
        (2, "萩・阿武地域の観光振興", "観光ルートの造成と共同プロモーション", 6000000, 4800000, 1200000),
        (3, "農林水産物のブランド化", "萩・阿武の農林水産物の販路拡大", 3300000, 2640000, 660000),
        (4, "生活交通の確保", "萩・阿武間の路線バスの運行支援", 11750000, 9400000, 2350000),
        (5, "職員の合同研修", "圏域職員の合同研修", 180000, 150000, 30000),
    ]
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "連携事業"
    ws["A1"] = "萩市・阿武町定住自立圏共生ビジョン　具体的取組"
    for i, x in enumerate(["番号", "具体的取組", "萩市", "阿武町", "連携市町数", "事業内容"]):
        ws.cell(2, 1 + i, x)
    projects = []
    for k, (no, name, desc, total, s1, s2) in enumerate(rows):
        for i, x in enumerate([no, name, MARK, MARK, 2, desc]):
            ws.cell(3 + k, 1 + i, x)
        projects.append(P(no, name, munis, munis,
                          budgets=[B(2025, total, "円"), B(2025, s1, "円", "萩市"), B(2025, s2, "円", "阿武町")]))
    grid(ws, 2, 2 + len(rows), 1, 6)
    wb.save(path(fname))
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "事業費"
    ws["A1"] = "萩市・阿武町定住自立圏共生ビジョン　別冊　令和7年度事業費"
    ws["E2"] = "（単位：円）"
    for i, x in enumerate(["番号", "事業名", "令和7年度事業費", "うち萩市", "うち阿武町"]):
        ws.cell(3, 1 + i, x)
    for k, (no, name, desc, total, s1, s2) in enumerate(rows):
        ws.cell(4 + k, 1, no)
        ws.cell(4 + k, 2, name)
        for i, a in enumerate([total, s1, s2]):
            ws.cell(4 + k, 3 + i, a).number_format = "#,##0"
    grid(ws, 3, 3 + len(rows), 1, 5)
    tmp = path("_tmp_b11a.xlsx")
    wb.save(tmp)
    soffice_convert(tmp, "ods", path(annex))
    os.remove(tmp)
    write_expect(fname, "XLSX table (marks, 事業内容, no amounts) + ODS annex in 円 (（単位：円） at the right above the "
                        "header), 令和7年度事業費 with うち萩市/うち阿武町 columns, numeric cells formatted #,##0",
                 "萩市・阿武町定住自立圏", "定住自立圏", munis, projects, 0, annex=annex,
                 findings=[{"code": "no-totals", "severity": "info", "why": ""}])


# ---------------------------------------------------------------- b12 tsubame-yahiko: DOCX, 総事業費 only, 未定
def b12():
    fname = "b12_docx_sojigyohi_only_mitei_tsubame_yahiko.docx"
    munis = ["燕市", "弥彦村"]
    rows = [
        (1, "救急医療体制の確保", 48500, "燕市：弥彦村＝9：1", ("休日当番医の受診者数", "人", 6200, 6500)),
        (2, "弥彦山と燕の産業観光の連携", 22000, "事業ごとに協議", ("観光入込客数", "万人", 560, 600)),
        (3, "地場産業（金属加工）の販路拡大", "未定", "燕市", ("展示会への出展企業数", "社", 24, 30)),
        (4, "JR弥彦線の利用促進", 9000, "均等割", ("弥彦線の利用者数", "千人", 1080, 1150)),
        (5, "職員の合同研修", 1000, "均等割", ("研修参加率", "％", 35.0, 50.0)),
    ]
    d = docx.Document()
    sec = d.sections[0]
    sec.orientation = WD_ORIENT.LANDSCAPE
    sec.page_width, sec.page_height = Mm(297), Mm(210)
    d.styles["Normal"].font.size = Pt(9)
    d.add_paragraph("燕・弥彦地域定住自立圏共生ビジョン（令和7年度変更）")
    d.add_paragraph("計画期間：令和6年度～令和10年度")
    hdr = ["番号", "取組名", "燕市", "弥彦村", "総事業費（千円）", "負担区分", "成果指標", "単位", "現状値（R5）",
           "目標値（R10）"]
    t = d.add_table(rows=1 + len(rows), cols=len(hdr))
    t.style = "Table Grid"
    for i, x in enumerate(hdr):
        t.rows[0].cells[i].text = x
    projects = []
    for k, (no, name, total, futan, kp) in enumerate(rows):
        vals = [str(no), name, MARK, MARK, c(total) if isinstance(total, int) else total, futan, kp[0], kp[1],
                c(kp[2]), c(kp[3])]
        for i, x in enumerate(vals):
            t.rows[1 + k].cells[i].text = x
        projects.append(P(no, name, munis, munis,
                          budgets=[B(None, total)] if isinstance(total, int) else [],
                          kpis=[K(kp[0], kp[1], kp[2], 2023, kp[3], 2028)]))
    d.add_paragraph("※総事業費は計画期間（5年間）の見込額。")
    d.save(path(fname))
    write_expect(fname, "DOCX: the budget only as 総事業費（千円） (no years: fiscal_year null), a 負担区分 text column "
                        "(ratios, not amounts), 計画期間 note above the table; project 3's 総事業費 is 未定",
                 "燕・弥彦地域定住自立圏", "定住自立圏", munis, projects, 0,
                 faults=[{"what": "figure-unreadable", "row": "project 3", "column": "総事業費（千円）", "value": "未定"}],
                 findings=[{"code": "no-totals", "severity": "info", "why": ""}])


# ---------------------------------------------------------------- b13 honjo-yuri: XLSX plan note, R11 outside
def b13():
    fname = "b13_xlsx_plan_period_note_r11_outside_yurihonjo.xlsx"
    munis = ["由利本荘市", "にかほ市"]
    rows = [
        (1, "地域医療体制の確保", (10000,) * 6),
        (2, "鳥海山麓の広域観光の推進", (4000, 4000, 4500, 4500, 4500, 4500)),
        (3, "企業誘致と産業人材の確保", (1500,) * 6),
        (4, "由利本荘・にかほ間の路線バスの確保", (7800,) * 6),
        (5, "職員の合同研修", (200,) * 6),
    ]
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "事業費"
    ws["A1"] = "本荘由利地域定住自立圏共生ビジョン（令和7年度変更）"
    ws["A2"] = "計画期間：令和6年度～令和10年度"
    ws["A3"] = "（単位：千円）"
    years = ["令和6年度", "令和7年度", "令和8年度", "令和9年度", "令和10年度", "令和11年度"]
    hdr = ["番号", "事業名", "由利本荘市", "にかほ市", "連携市数"] + years + ["合計"]
    for i, x in enumerate(hdr):
        ws.cell(5, 1 + i, x).alignment = Alignment(horizontal="center", wrap_text=True)
    projects = []
    for k, (no, name, amts) in enumerate(rows):
        r = 6 + k
        for i, x in enumerate([no, name, MARK, MARK, 2]):
            ws.cell(r, 1 + i, x)
        for i, a in enumerate(amts):
            ws.cell(r, 6 + i, a).number_format = "#,##0"
        ws.cell(r, 12, sum(amts)).number_format = "#,##0"
        projects.append(P(no, name, munis, munis,
                          budgets=[B(2024 + i, a) for i, a in enumerate(amts)] + [B(None, sum(amts))]))
    grid(ws, 5, 5 + len(rows), 1, len(hdr))
    wb.save(path(fname))
    write_expect(fname, "XLSX: 計画期間：令和6年度～令和10年度 and （単位：千円） as lines above the table; columns "
                        "令和6年度…令和11年度 and 合計 (合計 includes R11); 令和11年度 (2029) is outside the plan",
                 "本荘由利地域定住自立圏", "定住自立圏", munis, projects, 0,
                 faults=[{"what": "budget-year-outside-plan", "column": "令和11年度", "year": 2029,
                          "plan": [2024, 2028]}],
                 findings=[{"code": "no-totals", "severity": "info", "why": ""}])


# ---------------------------------------------------------------- b14 kumamoto: CSV BOM, 円 commas, wrong 合計
def b14():
    fname = "b14_csv_bom_yen_24towns_total_wrong_kumamoto.csv"
    munis = ["熊本市", "荒尾市", "玉名市", "山鹿市", "菊池市", "宇土市", "宇城市", "阿蘇市", "合志市", "美里町",
             "玉東町", "南関町", "長洲町", "和水町", "大津町", "菊陽町", "高森町", "西原村", "南阿蘇村", "御船町",
             "嘉島町", "益城町", "甲佐町", "山都町"]
    rng = random.Random(1414)
    rows = [
        (1, "圏域企業の販路拡大支援", (5400000, 5400000), None),
        (2, "阿蘇くまもと空港を活用した広域観光", (18250000, 19000000), None),
        (3, "地下水保全の広域連携", (7630000, 7630000), 15620000),
        (4, "救急医療体制の確保", (62000000, 62000000), None),
        (5, "路線バスの維持・確保", (41300000, 41870000), None),
        (6, "職員の合同研修", (1200000, 1200000), None),
    ]
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\r\n")
    w.writerow(["熊本連携中枢都市圏ビジョン　連携事業及び事業費（令和7年3月改訂）"])
    w.writerow(["番号", "連携事業"] + munis + ["連携市町村数", "令和6年度（円）", "令和7年度（円）", "合計（円）"])
    projects = []
    for no, name, amts, declared in rows:
        part = ["熊本市"] + [m for m in munis[1:] if no in (4, 6) or rng.random() < 0.55]
        total = declared if declared is not None else sum(amts)
        w.writerow([no, name] + [MARK if m in part else "" for m in munis] + [len(part)]
                   + [c(a) for a in amts] + [c(total)])
        projects.append(P(no, name, part, munis,
                          budgets=[B(2024 + i, a, "円") for i, a in enumerate(amts)] + [B(None, total, "円")]))
    with open(path(fname), "w", encoding="utf-8-sig", newline="") as f:
        f.write(out.getvalue())
    write_expect(fname, "CSV UTF-8 with BOM: 24 town columns, amounts in 円 with commas, headers 令和6年度（円）/"
                        "令和7年度（円）/合計（円）; project 3's 合計 15,620,000 ≠ 7,630,000 + 7,630,000 = 15,260,000",
                 "熊本連携中枢都市圏", "連携中枢都市圏", munis, projects, 1,
                 faults=[{"what": "budget-total-mismatch", "row": "project 3", "line": 5,
                          "declared": 15620000, "computed": 15260000}],
                 findings=[{"code": "no-totals", "severity": "info", "why": ""}])


# ---------------------------------------------------------------- b15 hiroshima: HTML, cell lists, KPI 実績
def b15():
    fname = "b15_html_cell_list_3prefs_kpi_results_hiroshima.html"
    hiro = ["呉市", "竹原市", "三原市", "三次市", "大竹市", "東広島市", "廿日市市", "安芸高田市", "江田島市", "府中町",
            "海田町", "熊野町", "坂町", "安芸太田町", "北広島町", "大崎上島町", "世羅町"]
    yama = ["岩国市", "柳井市", "周防大島町", "和木町", "上関町", "田布施町", "平生町"]
    shim = ["浜田市", "飯南町", "川本町", "美郷町"]
    munis = ["広島市"] + hiro + yama + shim
    rows = [
        (1, "圏域企業の販路拡大と経済活性化", "全市町", munis,
         [("商談成約件数", "件", 410, 455, 498, 600)]),
        (2, "広島広域都市圏の観光プロモーション", "全市町", munis,
         [("圏域の観光客数", "万人", 5800, 6120, 6480, 7000),
          ("外国人観光客数", "万人", 98, 181, 243, 300)]),
        (3, "広域的な救急医療体制の確保", "広島市、呉市、東広島市、廿日市市、府中町、海田町、熊野町、坂町",
         ["広島市", "呉市", "東広島市", "廿日市市", "府中町", "海田町", "熊野町", "坂町"],
         [("救急搬送の平均収容所要時間", "分", 41.2, 40.8, 40.1, 39.0)]),
        (4, "中山間地域の広域公共交通の確保", "広島市、三次市、安芸高田市、安芸太田町、北広島町、浜田市、飯南町",
         ["広島市", "三次市", "安芸高田市", "安芸太田町", "北広島町", "浜田市", "飯南町"],
         [("広域路線バスの利用者数", "人", 210000, 204500, 213800, 220000)]),
        (5, "圏域職員の人材育成", "全市町", munis,
         [("合同研修への参加率", "％", 55.0, 57.5, 60.0, 70.0)]),
    ]
    h = [HTML_HEAD.format(title="広島広域都市圏", extra="")]
    h.append("<h1>広島広域都市圏発展ビジョン（令和7年度改定）</h1>\n")
    h.append("<p>連携中枢都市：広島市</p>\n<p>連携市町：（広島県）" + "、".join(hiro) + "　（山口県）" + "、".join(yama)
             + "　（島根県）" + "、".join(shim) + "</p>\n")
    h.append("<table>\n<thead><tr><th rowspan=\"2\">番号</th><th rowspan=\"2\">連携事業</th>"
             "<th rowspan=\"2\">関係市町</th><th colspan=\"6\">KPI</th></tr>\n"
             "<tr><th>指標</th><th>単位</th><th>基準値（R4）</th><th>令和5年度実績</th><th>令和6年度実績</th>"
             "<th>目標値（R8）</th></tr></thead>\n<tbody>\n")
    projects = []
    for no, name, cell, part, kpis in rows:
        n = len(kpis)
        for j, kp in enumerate(kpis):
            h.append("<tr>")
            if j == 0:
                rs = f" rowspan=\"{n}\"" if n > 1 else ""
                h.append(f"<td{rs}>{no}</td><td{rs}>{name}</td><td{rs}>{cell}</td>")
            h.append(f"<td>{kp[0]}</td><td>{kp[1]}</td>" + "".join(f"<td class=\"n\">{c(v)}</td>" for v in kp[2:])
                     + "</tr>\n")
        projects.append(P(no, name, part, munis,
                          kpis=[K(k[0], k[1], k[2], 2022, k[5], 2026, [(2023, k[3], ""), (2024, k[4], "")])
                                for k in kpis]))
    h.append("</tbody></table>\n</body></html>\n")
    with open(path(fname), "w", encoding="utf-8") as f:
        f.write("".join(h))
    write_expect(fname, "HTML, 連携中枢都市圏 style: 30 municipalities of 3 prefectures named in lines above the table "
                        "((広島県)…(山口県)…(島根県)…; 美郷町 must be 島根県's), participants in one cell (全市町 or a "
                        "list); KPI group over 指標/単位/基準値（R4）/令和5年度実績/令和6年度実績/目標値（R8）; "
                        "project 2 has two KPIs via rowspan",
                 "広島広域都市圏", "連携中枢都市圏", munis, projects, 0,
                 findings=[{"code": "no-totals", "severity": "info", "why": ""}])


# ---------------------------------------------------------------- b16 kochi: XLSX 21 towns, 当初予算, KPI 実績 + 評価, totals row
def b16():
    fname = "b16_xlsx_toshoyosan_kpi_grade_totals_kochi.xlsx"
    munis = ["高知市", "安芸市", "南国市", "土佐市", "須崎市", "香南市", "香美市", "安田町", "馬路村", "芸西村", "本山町",
             "大豊町", "土佐町", "大川村", "いの町", "仁淀川町", "中土佐町", "佐川町", "越知町", "日高村", "津野町"]
    rng = random.Random(3916)
    rows = [
        (1, "圏域の地産外商の推進", 16500, ("外商による成約額", "億円", 12.4, 13.1, 14.0, 15.0, "B")),
        (2, "広域観光の推進", 23800, ("圏域の観光客入込数", "万人", 412, 425, 447, 450, "A")),
        (3, "中山間地域の移住促進", 9200, ("圏域への移住者数", "人", 780, 742, 765, 900, "C")),
        (4, "救急医療体制の確保", 41000, ("救急搬送の現場滞在30分以上の割合", "％", 6.8, 6.5, 6.9, 5.0, "D")),
        (5, "地域公共交通の維持", 35400, ("路線バスの利用者数", "千人", 5120, 5080, 5210, 5300, "B")),
        (6, "圏域職員の人材育成", 1100, ("合同研修の参加者数", "人", 310, 335, 362, 350, "A")),
    ]
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "連携事業"
    ws["A1"] = "れんけいこうち広域都市圏ビジョン（令和7年度改定）　連携事業一覧"
    ws["A3"], ws["B3"] = "番号", "具体的取組"
    ws.merge_cells("A3:A4")
    ws.merge_cells("B3:B4")
    ws["C3"] = "連携中枢都市"
    ws["D3"] = "連携市町村"
    ws.merge_cells(start_row=3, start_column=4, end_row=3, end_column=2 + len(munis))
    for i, m in enumerate(munis):
        ws.cell(4, 3 + i, m).alignment = Alignment(vertical="top", wrap_text=True)
    cn = 3 + len(munis)          # count column
    ws.cell(3, cn, "連携市町村数")
    ws.merge_cells(start_row=3, start_column=cn, end_row=4, end_column=cn)
    ws.cell(3, cn + 1, "令和7年度当初予算（千円）")
    ws.merge_cells(start_row=3, start_column=cn + 1, end_row=4, end_column=cn + 1)
    k0 = cn + 2
    ws.cell(3, k0, "成果指標（KPI）")
    ws.merge_cells(start_row=3, start_column=k0, end_row=3, end_column=k0 + 6)
    for i, x in enumerate(["指標名", "単位", "基準値（R4）", "R5実績", "R6実績", "目標値（R10）", "評価"]):
        ws.cell(4, k0 + i, x)
    projects = []
    totals = {m: 0 for m in munis}
    for k, (no, name, yosan, kp) in enumerate(rows):
        r = 5 + k
        part = ["高知市"] + [m for m in munis[1:] if no == 6 or rng.random() < 0.6]
        ws.cell(r, 1, no)
        ws.cell(r, 2, name)
        for i, m in enumerate(munis):
            if m in part:
                ws.cell(r, 3 + i, MARK)
                totals[m] += 1
        ws.cell(r, cn, len(part))
        ws.cell(r, cn + 1, yosan).number_format = "#,##0"
        for i, v in enumerate(kp):
            ws.cell(r, k0 + i, v)
        projects.append(P(no, name, part, munis, budgets=[B(2025, yosan)],
                          kpis=[K(kp[0], kp[1], kp[2], 2022, kp[5], 2028, [(2023, kp[3], ""), (2024, kp[4], "")],
                                  kp[6])]))
    r = 5 + len(rows)
    ws.cell(r, 2, "連携事業数計")
    for i, m in enumerate(munis):
        ws.cell(r, 3 + i, totals[m])
    ws.cell(r, cn, sum(totals.values()))
    grid(ws, 3, r, 1, k0 + 6)
    ws.cell(r + 2, 1, "評価　A：目標達成　B：概ね順調　C：要努力　D：遅れ")
    wb.save(path(fname))
    write_expect(fname, "XLSX: 21 town columns under 連携中枢都市/連携市町村, 令和7年度当初予算（千円） merged over two "
                        "header rows, 成果指標（KPI） merged over 指標名/単位/基準値（R4）/R5実績/R6実績/目標値（R10）/評価 (A–D); "
                        "decimals (億円, ％); a 連携事業数計 row",
                 "れんけいこうち広域都市圏", "連携中枢都市圏", munis, projects, 0)


if __name__ == "__main__":
    for f in (b09, b10, b11, b12, b13, b14, b15, b16):
        f()
        print("built", f.__name__)
