"""Tables n15-n20."""
import csv
import io
import os
import subprocess

import docx
from docx.enum.section import WD_ORIENT
from docx.shared import Mm
from openpyxl import Workbook
from openpyxl.styles import Alignment

from common import HERE, marks, project, write_expect, budget, kpi
from build_a import set_cell, P1, P2, P3
from build_b import boxed

R = {2024: "令和6年度", 2025: "令和7年度"}


def path(n):
    return os.path.join(HERE, n)


# ---------------------------------------------------------------- n15
def n15():
    fname = "n15_layout_soffice_budget_commas_uwajima.txt"
    order = ["宇和島市", "松野町", "鬼北町", "愛南町"]
    struct = [
        ("（１）生活機能の強化", [("宇和島圏域の救急医療体制の確保", (32500, 33000)),
                          ("病児・病後児保育の広域利用", (4800, 4800)),
                          ("宇和島圏域の観光振興", (6150, 6400)),
                          ("柑橘・真珠の販路拡大", (2200, 2200))]),
        ("（２）結びつきやネットワークの強化", [("広域路線バスの運行支援", (18750, 19100)),
                                   ("移住・定住の促進", (1350, 1500))]),
        ("（３）圏域マネジメント能力の強化", [("圏域職員の合同研修", (210, 210))]),
    ]
    flat = [(pil, nm, am) for pil, items in struct for nm, am in items]
    mk = marks(1515, order, len(flat), p=0.6, always=["宇和島市"], min_marks=2)
    wb = Workbook()
    ws = wb.active
    ws.title = "連携事業"
    ws["A1"] = "宇和島圏域定住自立圏共生ビジョン　連携事業と事業費"
    hdr = ["番号", "事業名"] + order + ["連携市町数", "令和6年度事業費（千円）", "令和7年度事業費（千円）"]
    for i, h in enumerate(hdr):
        ws.cell(row=3, column=1 + i, value=h)
    r = 4
    k = 0
    pil_rows = []
    for pil, items in struct:
        ws.cell(row=r, column=1, value=pil)
        pil_rows.append(r)
        r += 1
        for nm, am in items:
            m = mk[k]
            k += 1
            ws.cell(row=r, column=1, value=k)
            ws.cell(row=r, column=2, value=nm)
            for i, n in enumerate(order):
                if n in m:
                    ws.cell(row=r, column=3 + i, value="○")
            ws.cell(row=r, column=7, value=len(m))
            for j, a in enumerate(am):
                c = ws.cell(row=r, column=8 + j, value=a)
                c.number_format = "#,##0"
            r += 1
    tots = [sum(1 for m in mk if n in m) for n in order]
    ws.cell(row=r, column=1, value="合計")
    for i, t in enumerate(tots):
        ws.cell(row=r, column=3 + i, value=t)
    ws.cell(row=r, column=7, value=sum(tots))
    boxed(ws, 3, r, 1, 9)
    for pr in pil_rows:
        ws.merge_cells(start_row=pr, start_column=1, end_row=pr, end_column=9)
        ws.cell(row=pr, column=1).alignment = Alignment(wrap_text=False, vertical="center")
    widths = {"A": 6, "B": 34, "C": 10, "D": 8, "E": 8, "F": 8, "G": 11, "H": 24, "I": 24}
    for c, w in widths.items():
        ws.column_dimensions[c].width = w
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth = 1
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    x = path("n15_src_uwajima.xlsx")
    wb.save(x)
    subprocess.run(["soffice", "--headless", "--convert-to", "pdf", "--outdir", HERE, x], check=True,
                   capture_output=True)
    subprocess.run(["pdftotext", "-layout", path("n15_src_uwajima.pdf"), path(fname)], check=True)
    projects = []
    for k, ((pil, nm, am), m) in enumerate(zip(flat, mk)):
        b = [budget(2024 + j, a) for j, a in enumerate(am)]
        projects.append(project(k + 1, nm, m, order, pillar=pil.split("）", 1)[1], budgets=b))
    write_expect(fname, "pdftotext -layout of a LibreOffice-printed XLSX: pillar rows （１）… inside the table, "
                 "budget columns headed 令和6年度事業費（千円）/令和7年度事業費（千円） with thousands commas, "
                 "合計 row (town totals and grand total under 連携市町数, nothing under the budgets)",
                 "宇和島圏域定住自立圏", "定住自立圏", order, projects, 0)


# ---------------------------------------------------------------- n16
def n16():
    fname = "n16_csv_bom_budget_kpi_units_in_name_kagoshima.csv"
    order = ["鹿児島市", "日置市", "いちき串木野市", "姶良市"]
    rows = [
        ("かごしま連携中枢都市圏の企業誘致", 3500, ("企業立地件数（件）", "件", 12, 20)),
        ("圏域の観光プロモーション", 8200, ("観光入込客数（千人）", "千人", 11500, 12500)),
        ("圏域産農林水産物の販路拡大", 2600, ("商談成約件数（件）", "件", 45, 60)),
        ("救急医療体制の充実", 15400, ("救急搬送の平均所要時間（分）", "分", 38.5, 36)),
        ("子育て支援施設の相互利用", 900, ("相互利用件数（件）", "件", 320, 400)),
        ("圏域内の公共交通ネットワークの充実", 11000, ("路線バス利用者数（人）", "人", 1250000, 1300000)),
        ("圏域職員の人材育成", 300, ("合同研修参加者数（人）", "人", 110, 150)),
    ]
    mk = marks(1616, order, len(rows), p=0.7, always=["鹿児島市"], lead=("◎", "○"), min_marks=2)
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(["かごしま連携中枢都市圏ビジョン　連携する取組一覧（令和7年度）"])
    w.writerow(["番号", "取組名"] + order + ["令和7年度予算額（千円）", "KPI（指標名）", "現状値（R5）", "目標値（R10）"])
    for k, ((nm, bud, (kn, ku, kb, kt)), m) in enumerate(zip(rows, mk)):
        w.writerow([k + 1, nm] + [m.get(n, "") for n in order] + [f"{bud:,}", kn, f"{kb:,}", f"{kt:,}"])
    w.writerow(["※◎：主担当市　○：連携市"])
    with open(path(fname), "w", encoding="utf-8-sig", newline="") as f:
        f.write(buf.getvalue())
    projects = []
    for k, ((nm, bud, (kn, ku, kb, kt)), m) in enumerate(zip(rows, mk)):
        projects.append(project(k + 1, nm, m, order, lead_marks=("◎",), budgets=[budget(2025, bud)],
                                kpis=[kpi(kn.split("（")[0], ku, kb, 2023, kt, 2028)]))
    write_expect(fname, "CSV UTF-8 with BOM: ◎ 主担当/○ with a ※ legend line after the table, one budget column "
                 "令和7年度予算額（千円） with quoted thousands commas, KPI whose unit is only in the indicator's "
                 "name (観光入込客数（千人）), 現状値（R5）/目標値（R10）; no count column, no totals",
                 "かごしま連携中枢都市圏", "連携中枢都市圏", order, projects, 0,
                 findings=[{"code": "no-totals", "severity": "info"}])


# ---------------------------------------------------------------- n17
def n17():
    fname = "n17_html_pref_colspan_field_rowspan_sasebo.html"
    naga = ["佐世保市", "平戸市", "松浦市", "西海市", "東彼杵町", "川棚町", "波佐見町", "小値賀町", "佐々町", "新上五島町"]
    saga = ["伊万里市", "有田町"]
    order = naga + saga
    struct = [
        ("経済成長", ["圏域企業の人材確保支援", "させぼ広域観光の推進", "西九州の焼き物文化の発信", "農水産物の販路拡大"]),
        ("都市機能", ["高度医療・救急医療の確保", "佐世保市立図書館の広域利用"]),
        ("生活関連", ["病児保育の相互利用", "離島航路の維持", "圏域職員の合同研修"]),
    ]
    flat = [(f, nm) for f, nms in struct for nm in nms]
    mk = marks(1717, order, len(flat), p=0.5, always=["佐世保市"], lead=("◎", "〇"), min_marks=4)
    trs = []
    k = 0
    for f, nms in struct:
        for j, nm in enumerate(nms):
            m = mk[k]
            k += 1
            cell_f = f"<td rowspan=\"{len(nms)}\">{f}</td>" if j == 0 else ""
            trs.append(f"<tr><td>{k}</td>{cell_f}<td>{nm}</td>" + "".join(
                f"<td>{m.get(n, '')}</td>" for n in order) + f"<td>{len(m)}</td></tr>")
    tots = [sum(1 for m in mk if n in m) for n in order]
    trs.append("<tr><td colspan=\"3\">合計</td>" + "".join(f"<td>{x}</td>" for x in tots) +
               f"<td>{sum(tots)}</td></tr>")
    html = f"""<!DOCTYPE html>
<html lang="ja"><head><meta charset="utf-8"><title>西九州させぼ広域都市圏の連携事業｜佐世保市</title>
<style>table{{border-collapse:collapse}}th,td{{border:1px solid #666;padding:3px}}</style></head>
<body>
<nav class="global"><ul><li><a href="/">トップページ</a></li><li><a href="/kurashi/">暮らし</a></li>
<li><a href="/shisei/">市政</a></li><li><a href="/sangyo/">産業・ビジネス</a></li></ul></nav>
<nav class="local"><h2>広域連携</h2><ul><li><a href="vision.html">都市圏ビジョン</a></li><li><a href="kyoyaku.html">連携協約</a></li>
<li><a href="kaigi.html">ビジョン懇談会</a></li></ul></nav>
<article>
<h1>西九州させぼ広域都市圏　連携事業一覧</h1>
<p>佐世保市と長崎県北・佐賀県西部の12市町は、連携協約に基づき次の事業に取り組んでいます。</p>
<table>
<thead>
<tr><th rowspan="2">番号</th><th rowspan="2">連携分野</th><th rowspan="2">取組名</th><th colspan="{len(naga)}">長崎県</th><th colspan="{len(saga)}">佐賀県</th><th rowspan="2">連携市町数</th></tr>
<tr>{''.join(f'<th>{n}</th>' for n in order)}</tr>
</thead>
<tbody>
{chr(10).join(trs)}
</tbody>
</table>
<p>◎：取組の主体となる市町　〇：連携市町</p>
<p>連携分野　経済成長：圏域全体の経済成長のけん引　都市機能：高次の都市機能の集積・強化　生活関連：圏域全体の生活関連機能サービスの向上</p>
</article>
<footer>佐世保市 企画部 政策経営課</footer>
</body></html>"""
    with open(path(fname), "w", encoding="utf-8") as f:
        f.write(html)
    projects = [project(k + 1, nm, m, order, field=f, lead_marks=("◎",)) for k, ((f, nm), m) in enumerate(zip(flat, mk))]
    write_expect(fname, "HTML page with two nav menus: header over two rows (番号/連携分野/取組名/連携市町数 rowspan=2, "
                 "長崎県 colspan=10 and 佐賀県 colspan=2 above the 12 names), 連携分野 cell with rowspan over its "
                 "projects, ◎ lead and 〇 (U+3007), 合計 row with colspan=3",
                 "西九州させぼ広域都市圏", "連携中枢都市圏", order, projects, 0)


# ---------------------------------------------------------------- n18
def n18():
    fname = "n18_docx_role_text_no_central_column_kahan.docx"
    order = ["嘉麻市", "桂川町"]
    rows = [
        ("嘉飯地域の救急医療体制の確保", {"嘉麻市": "○", "桂川町": "○"},
         "飯塚病院等の二次救急医療体制の維持に係る費用を負担し、関係機関との調整を行う。",
         "甲と連携して救急医療体制の維持に協力し、住民への周知を行う。"),
        ("病児保育の広域利用", {"嘉麻市": "○", "桂川町": "○"},
         "病児保育施設を運営し、乙の住民の利用を受け入れる。", "住民に制度を周知し、利用料の一部を負担する。"),
        ("図書館の相互利用", {"嘉麻市": "○"},
         "市立図書館を乙の住民に開放する。", "町立図書館を甲の住民に開放する。"),
        ("嘉飯地域の観光振興", {"嘉麻市": "○", "桂川町": "○"},
         "広域観光ルートを企画し、情報発信を行う。", "観光資源の情報を提供し、事業に参画する。"),
        ("有害鳥獣対策の広域連携", {"桂川町": "○"},
         "捕獲体制の連携を調整する。", "捕獲・処理について甲と協力する。"),
        ("職員の合同研修", {"嘉麻市": "○", "桂川町": "○"},
         "合同研修を企画し、実施する。", "職員を研修に参加させる。"),
    ]
    d = docx.Document()
    d.add_paragraph("嘉飯圏域定住自立圏共生ビジョン")
    d.add_paragraph("連携事業と役割分担（中心市：飯塚市（甲））")
    t = d.add_table(rows=1, cols=6)
    t.style = "Table Grid"
    for i, h in enumerate(["番号", "連携事業", "嘉麻市", "桂川町", "甲（飯塚市）の役割", "乙の役割"]):
        set_cell(t.rows[0].cells[i], h)
    for k, (nm, m, ko, otsu) in enumerate(rows):
        row = t.add_row()
        for i, v in enumerate([str(k + 1), nm, m.get("嘉麻市", ""), m.get("桂川町", ""), ko, otsu]):
            set_cell(row.cells[i], v)
    d.add_paragraph("○：飯塚市と協定を締結し連携する市町（飯塚市は全ての事業に参加）")
    d.save(path(fname))
    projects = [project(k + 1, r[0], r[1], order) for k, r in enumerate(rows)]
    write_expect(fname, "DOCX portrait: only two partner columns (嘉麻市, 桂川町), the central city 飯塚市 has no "
                 "column; long role texts 甲（飯塚市）の役割 / 乙の役割 after the marks; no count, no totals; "
                 "projects 3 and 5 have a single partner",
                 "嘉飯圏域定住自立圏", "定住自立圏", order, projects, 0,
                 findings=[{"code": "no-totals", "severity": "info"}])


# ---------------------------------------------------------------- n19
def n19():
    fname = "n19_xlsx_table_osumi.xlsx"
    annex = "n19_annex_5years_osumi.ods"
    order = ["鹿屋市", "垂水市", "志布志市", "大崎町", "東串良町", "錦江町", "南大隅町", "肝付町"]
    rows = [
        ("大隅地域の救急医療体制の確保", (41000, 41000, 41500, 41500, 42000)),
        ("ドクターヘリ等との連携", (1200, 1200, 1200, 1200, 1200)),
        ("大隅地域の観光振興", (7300, 7500, 7500, 7800, 7800)),
        ("大隅の農畜産物のブランド化", (2500, 2500, 2600, 2600, 2700)),
        ("地域公共交通の確保", (15800, 16000, 16200, 16400, 16600)),
        ("大隅地域への移住促進", (1800, 1800, 1900, 1900, 2000)),
        ("圏域職員の合同研修", (240, 240, 240, 240, 240)),
    ]
    mk = marks(1919, order, len(rows), p=0.6, always=["鹿屋市"], min_marks=3)
    wb = Workbook()
    ws = wb.active
    ws.title = "連携事業"
    ws["A1"] = "大隅定住自立圏共生ビジョン（第4次）　連携事業一覧"
    for i, h in enumerate(["番号", "事業名"] + order + ["連携市町数"]):
        ws.cell(row=2, column=1 + i, value=h)
    for k, ((nm, am), m) in enumerate(zip(rows, mk)):
        ws.cell(row=3 + k, column=1, value=k + 1)
        ws.cell(row=3 + k, column=2, value=nm)
        for i, n in enumerate(order):
            if n in m:
                ws.cell(row=3 + k, column=3 + i, value="〇")
        ws.cell(row=3 + k, column=11, value=f"=COUNTIF(C{3 + k}:J{3 + k},\"〇\")")
    r = 3 + len(rows)
    tots = [sum(1 for m in mk if n in m) for n in order]
    ws.cell(row=r, column=1, value="連携事業数計")
    for i, t in enumerate(tots):
        ws.cell(row=r, column=3 + i, value=t)
    ws.cell(row=r, column=11, value=sum(tots))
    boxed(ws, 2, r, 1, 11)
    ws.cell(row=r + 1, column=1, value="※事業費は別冊のとおり")
    x = path(fname)
    wb.save(x)
    # let LibreOffice compute and cache the COUNTIF values (as Excel would on save)
    tmpdir = path("tmp_recalc")
    os.makedirs(tmpdir, exist_ok=True)
    subprocess.run(["soffice", "--headless", "--convert-to", "xlsx", "--outdir", tmpdir, x], check=True,
                   capture_output=True)
    os.replace(os.path.join(tmpdir, fname), x)
    os.rmdir(tmpdir)
    # annex
    wa = Workbook()
    wsa = wa.active
    wsa.title = "別冊事業費"
    wsa["A1"] = "大隅定住自立圏共生ビジョン（別冊）　事業費一覧"
    wsa["H2"] = "単位：千円"
    for i, h in enumerate(["番号", "事業名", "R6", "R7", "R8", "R9", "R10", "合計"]):
        wsa.cell(row=3, column=1 + i, value=h)
    fault = None
    for k, (nm, am) in enumerate(rows):
        wsa.cell(row=4 + k, column=1, value=k + 1)
        wsa.cell(row=4 + k, column=2, value=nm)
        for j, a in enumerate(am):
            wsa.cell(row=4 + k, column=3 + j, value=a)
        tot = sum(am)
        if k == 2:
            fault = {"what": "annex-total-mismatch", "row": "project 3", "annex_line": 4 + k, "annex_cell": f"H{4 + k}",
                     "declared": tot - 500, "computed": tot}
            tot -= 500
        wsa.cell(row=4 + k, column=8, value=tot)
    ax = path("n19_annex_tmp.xlsx")
    wa.save(ax)
    subprocess.run(["soffice", "--headless", "--convert-to", "ods", "--outdir", HERE, ax], check=True,
                   capture_output=True)
    os.remove(ax)
    os.replace(path("n19_annex_tmp.ods"), path(annex))
    projects = []
    for k, ((nm, am), m) in enumerate(zip(rows, mk)):
        tot = sum(am) - (500 if k == 2 else 0)
        b = [budget(2024 + j, a) for j, a in enumerate(am)] + [budget(None, tot)]
        projects.append(project(k + 1, nm, m, order, budgets=b))
    write_expect(fname, "XLSX with 〇 (U+3007) marks and 連携市町数 as COUNTIF formulas (values cached by LibreOffice), "
                 "連携事業数計 row; budget annex as ODS (別冊, 単位：千円 in a cell above the header, R6..R10 + 合計); "
                 "project 3's annex 合計 is 500 too low",
                 "大隅定住自立圏", "定住自立圏", order, projects, 1, faults=[fault], annex=annex)


# ---------------------------------------------------------------- n20
def n20():
    fname = "n20_csv_cp932_shinko_group_row_re_marks_hakodate.csv"
    oshima = ["函館市", "北斗市", "松前町", "福島町", "知内町", "木古内町", "鹿部町", "七飯町", "森町", "八雲町", "長万部町"]
    hiyama = ["江差町", "上ノ国町", "厚沢部町", "乙部町", "奥尻町", "今金町", "せたな町"]
    order = oshima + hiyama
    rows = ["函館圏の救急医療体制の確保", "周産期医療体制の確保", "休日夜間急病センターの運営", "障がい者の就労支援",
            "函館市中央図書館の広域利用", "南北海道の広域観光の推進", "道南産農水産物の販路拡大", "企業誘致の推進",
            "広域交通ネットワークの確保", "移住・交流の促進", "圏域職員の人材育成"]
    mk = marks(2020, order, len(rows), p=0.55, always=["函館市"], min_marks=5)
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(["函館市を中心市とする定住自立圏　共生ビジョン　連携事業一覧"])
    w.writerow(["", ""] + ["渡島管内"] + [""] * (len(oshima) - 1) + ["檜山管内"] + [""] * (len(hiyama) - 1) + [""])
    w.writerow(["番号", "事業名"] + order + ["連携市町数"])
    for k, (nm, m) in enumerate(zip(rows, mk)):
        w.writerow([k + 1, nm] + ["レ" if n in m else "" for n in order] + [len(m)])
    tots = [sum(1 for m in mk if n in m) for n in order]
    w.writerow(["連携事業数計", ""] + tots + [sum(tots)])
    w.writerow(["※レ印は連携する市町（函館市を含む）"])
    with open(path(fname), "wb") as f:
        f.write(buf.getvalue().encode("cp932"))
    projects = [project(k + 1, nm, m, order) for k, (nm, m) in enumerate(zip(rows, mk))]
    write_expect(fname, "CSV Shift_JIS (cp932): a group row 渡島管内 / 檜山管内 above the 18 municipality names, "
                 "レ marks (check mark as Japanese offices type it) with a ※ legend line, 連携市町数 incl. 函館市, "
                 "連携事業数計 row",
                 "(函館市を中心市とする定住自立圏)", "定住自立圏", order, projects, 0,
                 findings=[{"code": "encoding-detected", "severity": "info"}])


if __name__ == "__main__":
    for fn in (n15, n16, n17, n18, n19, n20):
        fn()
        print("built", fn.__name__)
