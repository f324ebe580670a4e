"""Tables n08-n14."""
import csv
import os
import subprocess

import docx
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_BREAK
from docx.shared import Pt, Mm
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Side

from common import HERE, fw, marks, project, write_expect, budget, kpi
from build_a import set_cell, P1, P2, P3

thin = Side(style="thin")
BOX = Border(top=thin, bottom=thin, left=thin, right=thin)


def path(n):
    return os.path.join(HERE, n)


def to_ods(xlsx):
    subprocess.run(["soffice", "--headless", "--convert-to", "ods", "--outdir", HERE, xlsx], check=True,
                   capture_output=True)
    os.remove(xlsx)


def boxed(ws, r1, r2, c1, c2):
    for row in ws.iter_rows(min_row=r1, max_row=r2, min_col=c1, max_col=c2):
        for c in row:
            c.border = BOX
            c.alignment = Alignment(wrap_text=True, vertical="center")


# ---------------------------------------------------------------- n08
def n08():
    fname = "n08_ods_budget_text_commas_hokushin.ods"
    order = ["中野市", "飯山市", "山ノ内町", "木島平村", "野沢温泉村", "栄村"]
    rows = [
        ("北信地域の救急医療体制の確保", (18000, 18000, 18500)),
        ("病児・病後児保育の広域利用", (2400, 2400, 2400)),
        ("北信地域の広域観光の推進", (5200, 5500, 5500)),
        ("信州なかの・いいやま農産物の販路拡大", (1200, 1300, 1300)),
        ("有害鳥獣対策の広域連携", (3000, 3000, 3000)),
        ("広域バス路線の維持確保", (26000, 26500, 27000)),
        ("移住・定住の促進", (800, 900, 900)),
        ("職員の合同研修", (150, 150, 150)),
    ]
    mk = marks(808, order, len(rows), p=0.6, always=["中野市", "飯山市"], min_marks=3)
    wb = Workbook()
    ws = wb.active
    ws.title = "連携事業"
    ws["A1"] = "北信地域定住自立圏共生ビジョン（第3次）連携事業及び事業費"
    ws["J2"] = "事業費（千円）"
    ws.merge_cells("J2:M2")
    hdr = ["No.", "連携事業名"] + order + ["連携市町村数", "R6", "R7", "R8", "総事業費"]
    for i, h in enumerate(hdr):
        ws.cell(row=3, column=1 + i, value=h)
    fault = None
    r = 4
    for k, ((nm, am), m) in enumerate(zip(rows, mk)):
        ws.cell(row=r, column=1, value=k + 1)
        ws.cell(row=r, column=2, value=nm)
        for i, n in enumerate(order):
            if n in m:
                ws.cell(row=r, column=3 + i, value="○")
        ws.cell(row=r, column=9, value=len(m))
        for j, a in enumerate(am):
            ws.cell(row=r, column=10 + j, value=f"{a:,}")
        tot = sum(am)
        if k == 3:
            declared = tot + 1000
            fault = {"what": "budget-total-mismatch", "row": "project 4", "cell": f"M{r}",
                     "declared": declared, "computed": tot}
            tot = declared
        ws.cell(row=r, column=13, value=f"{tot:,}")
        r += 1
    boxed(ws, 2, r - 1, 1, 13)
    ws.cell(row=r + 1, column=1, value="※中心市：中野市・飯山市（複眼型）。金額は千円未満を四捨五入。")
    ws.column_dimensions["B"].width = 36
    x = path("n08_tmp.xlsx")
    wb.save(x)
    subprocess.run(["soffice", "--headless", "--convert-to", "ods", "--outdir", HERE, x], check=True,
                   capture_output=True)
    os.remove(x)
    os.replace(path("n08_tmp.ods"), path(fname))
    projects = []
    for k, ((nm, am), m) in enumerate(zip(rows, mk)):
        tot = sum(am) + (1000 if k == 3 else 0)
        b = [budget(2024 + j, a) for j, a in enumerate(am)] + [budget(None, tot)]
        projects.append(project(k + 1, nm, m, order, budgets=b))
    write_expect(fname, "ODS (converted from XLSX): two central cities as ordinary columns, 事業費（千円） merged over "
                 "R6/R7/R8/総事業費, amounts stored as TEXT with thousands commas, note line below; project 4's "
                 "総事業費 is 1,000 too high",
                 "北信地域定住自立圏", "定住自立圏", order, projects, 1, faults=[fault],
                 findings=[{"code": "no-totals", "severity": "info"}])


# ---------------------------------------------------------------- n09
def n09():
    fname = "n09_xlsx_kpi_group_header_nagaoka.xlsx"
    order = ["長岡市", "小千谷市", "見附市", "出雲崎町"]
    rows = [
        ("長岡地域救命救急センターの運営支援", kpi("二次救急受入率", "％", 95.2, 2023, 97, 2029)),
        ("病児保育施設の相互利用", kpi("病児保育利用者数", "人", 1850, 2023, 2000, 2029)),
        ("ながおか圏域の広域観光推進", kpi("観光入込客数", "千人", 8120, 2023, 8800, 2029)),
        ("中小企業の人材確保支援", kpi("合同企業説明会参加者数", "人", 640, 2023, 800, 2029)),
        ("広域路線バスの運行維持", kpi("路線バス利用者数", "人", 412000, 2023, 420000, 2029)),
        ("移住・定住の促進", kpi("移住相談件数", "件", 180, 2023, 250, 2029)),
        ("職員合同研修", kpi("研修受講者数", "人", 95, 2023, 120, 2029)),
    ]
    mk = marks(909, order, len(rows), p=0.6, always=["長岡市"], lead=("◎", "○"), min_marks=2)
    wb = Workbook()
    ws = wb.active
    ws.title = "具体的取組"
    ws["A1"] = "長岡地域定住自立圏共生ビジョン　具体的取組と成果指標"
    ws["A3"], ws["B3"] = "No.", "連携事業"
    ws.merge_cells("A3:A4")
    ws.merge_cells("B3:B4")
    ws["C3"] = "構成市町"
    ws.merge_cells("C3:F3")
    for i, n in enumerate(order):
        ws.cell(row=4, column=3 + i, value=n)
    ws["G3"] = "連携市町数"
    ws.merge_cells("G3:G4")
    ws["H3"] = "成果指標（KPI）"
    ws.merge_cells("H3:K3")
    for i, h in enumerate(["指標名", "単位", "基準値（R5）", "目標値（R11）"]):
        ws.cell(row=4, column=8 + i, value=h)
    r = 5
    for k, ((nm, kp), m) in enumerate(zip(rows, mk)):
        ws.cell(row=r, column=1, value=k + 1)
        ws.cell(row=r, column=2, value=nm)
        for i, n in enumerate(order):
            if n in m:
                ws.cell(row=r, column=3 + i, value=m[n])
        ws.cell(row=r, column=7, value=len(m))
        ws.cell(row=r, column=8, value=kp["name"])
        ws.cell(row=r, column=9, value=kp["unit"])
        ws.cell(row=r, column=10, value=kp["baseline"])
        ws.cell(row=r, column=11, value=kp["target"])
        r += 1
    tots = [sum(1 for m in mk if n in m) for n in order]
    ws.cell(row=r, column=1, value="計")
    ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=2)
    for i, t in enumerate(tots):
        ws.cell(row=r, column=3 + i, value=t)
    ws.cell(row=r, column=7, value=sum(tots))
    boxed(ws, 3, r, 1, 11)
    ws.cell(row=r + 1, column=1, value="◎：事業の主体となる市町　○：連携する市町")
    ws.column_dimensions["B"].width = 34
    ws.column_dimensions["H"].width = 24
    wb.save(path(fname))
    projects = [project(k + 1, nm, m, order, lead_marks=("◎",), kpis=[kp])
                for k, ((nm, kp), m) in enumerate(zip(rows, mk))]
    write_expect(fname, "XLSX: header over two rows with merged groups 構成市町 (over the 4 towns) and 成果指標（KPI） "
                 "(over 指標名/単位/基準値（R5）/目標値（R11）), ◎/○ with legend under the 計 row, a percentage KPI "
                 "with a decimal baseline",
                 "長岡地域定住自立圏", "定住自立圏", order, projects, 0)


# ---------------------------------------------------------------- n10
def n10():
    fname = "n10_html_table_tottorichubu.html"
    annex = "n10_annex_tottorichubu.csv"
    order = ["倉吉市", "三朝町", "湯梨浜町", "琴浦町", "北栄町"]
    rows = [
        ("鳥取県中部の救急医療体制の確保", (12000, 12000, 12500)),
        ("病児保育の広域実施", (3600, 3600, 3600)),
        ("中部地区の観光振興（梨・温泉）", (4500, 4800, 4800)),
        ("地域公共交通の維持・確保", (21000, 21500, 22000)),
        ("中部地区ふるさと就職の促進", (600, 600, 650)),
        ("移住・定住の推進", (1100, 1100, 1100)),
        ("職員の合同研修", (120, 120, 120)),
    ]
    mk = marks(1010, order, len(rows), p=0.6, always=["倉吉市"], min_marks=3)
    tr = []
    for k, ((nm, am), m) in enumerate(zip(rows, mk)):
        tr.append(f"<tr><td>{k + 1}</td><td>{nm}</td>" + "".join(
            f"<td>{'○' if n in m else ''}</td>" for n in order) + f"<td>{len(m)}</td></tr>")
    tots = [sum(1 for m in mk if n in m) for n in order]
    tr.append("<tr><th colspan=\"2\">連携事業数計</th>" + "".join(f"<td>{x}</td>" for x in tots) +
              f"<td>{sum(tots)}</td></tr>")
    html = f"""<!DOCTYPE html>
<html lang="ja"><head><meta charset="utf-8"><title>鳥取県中部定住自立圏 | 倉吉市</title></head>
<body>
<div id="menu"><a href="/">トップ</a> | <a href="/life/">暮らし</a> | <a href="/city/">市政</a></div>
<h1>鳥取県中部定住自立圏共生ビジョン</h1>
<p>倉吉市、三朝町、湯梨浜町、琴浦町及び北栄町の1市4町で取り組む連携事業は次のとおりです。事業費は別冊をご覧ください。</p>
<table border="1">
<caption>連携事業一覧（令和7年度）</caption>
<thead><tr><th>番号</th><th>事業名</th>{''.join(f'<th>{n}</th>' for n in order)}<th>連携市町数</th></tr></thead>
<tbody>
{chr(10).join(tr)}
</tbody></table>
<p>○：連携する市町（倉吉市を含む）</p>
<p><a href="annex.csv">別冊　事業費一覧（CSV）</a></p>
</body></html>"""
    with open(path(fname), "w", encoding="utf-8") as f:
        f.write(html)
    with open(path(annex), "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["鳥取県中部定住自立圏共生ビジョン　別冊　事業費"])
        w.writerow(["（単位：千円）"])
        w.writerow(["番号", "事業名", "令和6年度", "令和7年度", "令和8年度", "計"])
        for k, (nm, am) in enumerate(rows):
            w.writerow([k + 1, nm] + list(am) + [sum(am)])
    projects = []
    for k, ((nm, am), m) in enumerate(zip(rows, mk)):
        b = [budget(2024 + j, a) for j, a in enumerate(am)] + [budget(None, sum(am))]
        projects.append(project(k + 1, nm, m, order, budgets=b))
    write_expect(fname, "HTML page with a link menu, a <caption>, thead/tbody, 連携事業数計 row in <th colspan=2>; "
                 "budget annex as plain UTF-8 CSV (no BOM) with a title line, （単位：千円） and columns "
                 "令和6年度/令和7年度/令和8年度/計",
                 "鳥取県中部定住自立圏", "定住自立圏", order, projects, 0, annex=annex)


# ---------------------------------------------------------------- n11
def n11():
    fname = "n11_xlsx_cell_list_takahashigawa.xlsx"
    order = ["倉敷市", "笠岡市", "井原市", "総社市", "高梁市", "新見市", "浅口市", "早島町", "里庄町", "矢掛町"]
    rows = [
        ("圏域全体の経済成長のけん引", "高梁川流域の企業支援（ものづくり）", "全市町", None),
        ("圏域全体の経済成長のけん引", "高梁川流域の観光振興", "全市町", None),
        ("圏域全体の経済成長のけん引", "流域農産物のブランド化", "倉敷市、総社市、高梁市、新見市", None),
        ("高次の都市機能の集積・強化", "高度医療提供体制の確保", "倉敷市、笠岡市、井原市、浅口市、里庄町、矢掛町", None),
        ("高次の都市機能の集積・強化", "高梁川流域の学校図書館の連携", "倉敷市・総社市・早島町", None),
        ("圏域全体の生活関連機能サービスの向上", "病児保育の広域利用", "倉敷市、総社市、早島町", None),
        ("圏域全体の生活関連機能サービスの向上", "圏域内公共交通の利便性向上", "倉敷市、笠岡市、井原市、総社市、浅口市、矢掛町", None),
        ("圏域全体の生活関連機能サービスの向上", "合同職員研修", "全市町", None),
    ]
    wb = Workbook()
    ws = wb.active
    ws.title = "具体的取組"
    ws["A1"] = "高梁川流域連携中枢都市圏ビジョン　具体的取組一覧"
    ws["A2"] = "連携中枢都市：倉敷市　連携市町：" + "、".join(order[1:])
    hdr = ["番号", "施策の柱", "具体的取組", "関係市町", "取組の概要"]
    for i, h in enumerate(hdr):
        ws.cell(row=4, column=1 + i, value=h)
    parts = []
    for k, (pil, nm, who, _) in enumerate(rows):
        ws.cell(row=5 + k, column=1, value=k + 1)
        ws.cell(row=5 + k, column=2, value=pil)
        ws.cell(row=5 + k, column=3, value=nm)
        ws.cell(row=5 + k, column=4, value=who)
        ws.cell(row=5 + k, column=5, value="関係市町が連携して実施する。")
        if who == "全市町":
            parts.append({n: "○" for n in order})
        else:
            names = who.replace("・", "、").split("、")
            parts.append({n: "○" for n in names})
    boxed(ws, 4, 4 + len(rows), 1, 5)
    ws.column_dimensions["C"].width = 34
    ws.column_dimensions["D"].width = 40
    wb.save(path(fname))
    projects = [project(k + 1, r[1], m, order, pillar=r[0]) for k, (r, m) in enumerate(zip(rows, parts))]
    write_expect(fname, "XLSX, 連携中枢都市圏 style: no marks, the participants listed in ONE cell (関係市町: "
                 "「全市町」, 「倉敷市、総社市…」, 「倉敷市・総社市・早島町」), 施策の柱 as a column, the member list "
                 "in a line above the table (連携中枢都市：倉敷市　連携市町：…); no count, no totals",
                 "高梁川流域連携中枢都市圏", "連携中枢都市圏", order, projects, 0)


# ---------------------------------------------------------------- n12
def n12():
    fname = "n12_docx_pref_prefix_linebreaks_bingo.docx"
    written = ["福山市", "三原市", "尾道市", "府中市", "世羅町", "神石\n高原町", "岡山県\n笠岡市", "岡山県\n井原市"]
    order = ["福山市", "三原市", "尾道市", "府中市", "世羅町", "神石高原町", "笠岡市", "井原市"]
    rows = ["備後圏域のものづくり産業の振興", "びんご産業支援コーディネーターの配置", "広域観光の推進（瀬戸内・しまなみ）",
            "備後圏域の救急医療体制の充実", "病児保育の広域利用", "圏域内公共交通ネットワークの形成",
            "ICTを活用した図書館ネットワーク", "移住・定住の推進", "圏域職員の合同研修"]
    mk = marks(1212, order, len(rows), p=0.6, always=["福山市"], min_marks=3)
    d = docx.Document()
    sec = d.sections[0]
    sec.orientation = WD_ORIENT.LANDSCAPE
    sec.page_width, sec.page_height = Mm(297), Mm(210)
    d.add_paragraph("備後圏域連携中枢都市圏ビジョン（第2期）　連携する取組と市町")
    d.add_paragraph("○：取組に参加する市町")
    ncol = 2 + len(order) + 1
    t = d.add_table(rows=1, cols=ncol)
    t.style = "Table Grid"
    for i, h in enumerate(["番号", "取組"] + written + ["連携\n市町数"]):
        set_cell(t.rows[0].cells[i], h)
    for k, (nm, m) in enumerate(zip(rows, mk)):
        row = t.add_row()
        for i, v in enumerate([str(k + 1), nm] + [m.get(n, "") for n in order] + [str(len(m))]):
            set_cell(row.cells[i], v)
    tots = [sum(1 for m in mk if n in m) for n in order]
    grand = sum(tots)
    row = t.add_row()
    for i, v in enumerate(["合計", ""] + [str(x) for x in tots] + [str(grand + 2)]):
        set_cell(row.cells[i], v)
    d.add_paragraph("※笠岡市・井原市は岡山県。連携市町数は福山市を含む。")
    d.save(path(fname))
    fault = {"what": "grand-total-mismatch", "row": "合計", "column": "連携市町数", "declared": grand + 2,
             "computed": grand}
    projects = [project(k + 1, nm, m, order) for k, (nm, m) in enumerate(zip(rows, mk))]
    write_expect(fname, "DOCX: town headers broken over two paragraphs in the cell (神石 / 高原町, 岡山県 / 笠岡市, "
                 "岡山県 / 井原市: prefecture prefix for the two Okayama cities), 連携 / 市町数 header likewise, "
                 "合計 row whose grand total is 2 more than the sum of the town totals",
                 "備後圏域連携中枢都市圏", "連携中枢都市圏", order, projects, 1, faults=[fault],
                 findings=[{"code": "grand-total-rows-mismatch", "severity": "error",
                            "why": "the declared grand total also disagrees with the number of marks"}])


# ---------------------------------------------------------------- n13
def n13():
    fname = "n13_xlsx_cover_sheet_gun_newline_tokushima.xlsx"
    gun = [("徳島市", None), ("小松島市", None), ("勝浦町", "勝浦郡"), ("上勝町", "勝浦郡"), ("佐那河内村", "名東郡"),
           ("石井町", "名西郡"), ("神山町", "名西郡"), ("松茂町", "板野郡"), ("北島町", "板野郡"), ("藍住町", "板野郡"),
           ("板野町", "板野郡"), ("上板町", "板野郡")]
    order = [n for n, _ in gun]
    rows = [("徳島東部地域の救急医療体制の充実", "二次救急医療機関の運営を支援する。"),
            ("小児救急医療の確保", "小児科の夜間診療体制を確保する。"),
            ("障がい者支援施設の広域利用", "施設を圏域で相互に利用する。"),
            ("図書館の相互利用", "公立図書館の貸出を相互に行う。"),
            ("徳島東部の観光振興", "広域観光ルートを整備する。"),
            ("地場産品の販路拡大", "合同商談会を開催する。"),
            ("広域路線バスの維持", "路線の維持を支援する。"),
            ("移住交流の推進", "合同移住フェアへ出展する。"),
            ("職員の合同研修", "職員研修を共同で行う。")]
    mk = marks(1313, order, len(rows), p=0.5, always=["徳島市"], min_marks=3)
    wb = Workbook()
    ws0 = wb.active
    ws0.title = "表紙"
    ws0["B3"] = "徳島東部地域定住自立圏共生ビジョン"
    ws0["B5"] = "別表　連携事業一覧"
    ws0["B8"] = "令和7年3月"
    ws0["B9"] = "徳島東部地域定住自立圏（中心市：徳島市）"
    ws = wb.create_sheet("連携事業一覧")
    ws["A1"] = "別表　連携事業一覧"
    hdr = ["番号", "事業名", "事業内容"] + [(f"{g}\n{n}" if g else n) for n, g in gun] + ["連携市町村数"]
    for i, h in enumerate(hdr):
        ws.cell(row=2, column=1 + i, value=h)
    fault = None
    r = 3
    for k, ((nm, desc), m) in enumerate(zip(rows, mk)):
        ws.cell(row=r, column=1, value=str(k + 1))
        ws.cell(row=r, column=2, value=nm)
        ws.cell(row=r, column=3, value=desc)
        for i, n in enumerate(order):
            if n in m:
                ws.cell(row=r, column=4 + i, value="○")
        cnt = len(m)
        if k == 6:
            fault = {"what": "count-mismatch", "row": "project 7", "cell": f"P{r}", "declared": cnt - 1,
                     "marks": cnt}
            cnt -= 1
        ws.cell(row=r, column=16, value=str(cnt))
        r += 1
    tots = [sum(1 for m in mk if n in m) for n in order]
    ws.cell(row=r, column=1, value="連携事業数計")
    ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=3)
    for i, t in enumerate(tots):
        ws.cell(row=r, column=4 + i, value=str(t))
    ws.cell(row=r, column=16, value=str(sum(tots)))
    boxed(ws, 2, r, 1, 16)
    wb.save(path(fname))
    projects = [project(k + 1, r_[0], m, order) for k, (r_, m) in enumerate(zip(rows, mk))]
    write_expect(fname, "XLSX whose FIRST sheet is a cover (表紙); the table is on the second sheet 連携事業一覧; "
                 "town headers with the 郡 on a line of its own inside the cell (勝浦郡\\n勝浦町 …), numbers, counts "
                 "and totals stored as text; project 7 declares one town too few",
                 "徳島東部地域定住自立圏", "定住自立圏", order, projects, 1, faults=[fault])


# ---------------------------------------------------------------- n14
def n14():
    fname = "n14_pdf_soffice_prose_kpi_chusan.pdf"
    order = ["丸亀市", "善通寺市", "琴平町", "多度津町", "まんのう町"]
    rows = [
        ("中讃地域の救急医療体制の確保", kpi("救急搬送受入件数", "件", 4300, 2023, 4500, 2028)),
        ("病児保育の広域化", kpi("病児保育延べ利用者数", "人", 2100, 2023, 2400, 2028)),
        ("こんぴら・丸亀城を結ぶ広域観光", kpi("観光客入込数", "千人", 5600, 2023, 6200, 2028)),
        ("中讃地域の企業立地促進", kpi("企業立地件数", "件", 3, 2023, 5, 2028)),
        ("コミュニティバスの相互乗り入れ", kpi("コミュニティバス利用者数", "人", 98000, 2023, 105000, 2028)),
        ("圏域職員の合同研修", kpi("研修参加者数", "人", 60, 2023, 80, 2028)),
    ]
    mk = marks(1414, order, len(rows), p=0.6, always=["丸亀市"], lead=("◎", "○"), min_marks=3)
    d = docx.Document()
    sec = d.sections[0]
    sec.orientation = WD_ORIENT.LANDSCAPE
    sec.page_width, sec.page_height = Mm(297), Mm(210)
    d.add_heading("瀬戸内中讃定住自立圏共生ビジョン", 0)
    d.add_paragraph("令和6年3月　丸亀市")
    d.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    d.add_heading("第1章　ビジョンの概要", 1)
    for _ in range(3):
        d.add_paragraph("瀬戸内中讃定住自立圏は、丸亀市を中心市とし、善通寺市、琴平町、多度津町及びまんのう町の"
                        "1市4町で構成する。圏域の人口は約19万人で、医療、福祉、産業振興等の分野において連携を深めて"
                        "きた。本ビジョンは令和6年度から令和10年度までの5年間に取り組む具体的な事業と成果指標を定める。")
    d.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    d.add_heading("第2章　具体的取組と成果指標", 1)
    ncol = 2 + len(order) + 1 + 4
    t = d.add_table(rows=1, cols=ncol)
    t.style = "Table Grid"
    for i, h in enumerate(["No.", "具体的取組"] + order + ["連携市町数", "成果指標", "単位", "基準値(R5)",
                                                        "目標値(R10)"]):
        set_cell(t.rows[0].cells[i], h, size=8)
    for k, ((nm, kp), m) in enumerate(zip(rows, mk)):
        row = t.add_row()
        vals = [str(k + 1), nm] + [m.get(n, "") for n in order] + [str(len(m)), kp["name"], kp["unit"],
                                                                     f"{kp['baseline']:,}", f"{kp['target']:,}"]
        for i, v in enumerate(vals):
            set_cell(row.cells[i], v, size=8)
    widths = [10, 58] + [17] * len(order) + [18, 42, 12, 20, 20]
    t.autofit = False
    for col, w in zip(t.columns, widths):
        col.width = Mm(w)
    for row in t.rows:
        for c, w in zip(row.cells, widths):
            c.width = Mm(w)
    d.add_paragraph("◎：幹事市町　○：連携市町")
    src = path("n14_src_chusan.docx")
    d.save(src)
    subprocess.run(["soffice", "--headless", "--convert-to", "pdf", "--outdir", HERE, src], check=True,
                   capture_output=True)
    os.replace(path("n14_src_chusan.pdf"), path(fname))
    projects = [project(k + 1, nm, m, order, lead_marks=("◎",), kpis=[kp])
                for k, ((nm, kp), m) in enumerate(zip(rows, mk))]
    write_expect(fname, "PDF printed by LibreOffice from Word: a title page and a prose page before the table on page 3, "
                 "◎ 幹事/○ with legend after the table, KPI columns 成果指標/単位/基準値(R5)/目標値(R10) with "
                 "thousands commas, no totals row",
                 "瀬戸内中讃定住自立圏", "定住自立圏", order, projects, 0,
                 findings=[{"code": "no-totals", "severity": "info"}, {"code": "pdf-pages", "severity": "info"}])


if __name__ == "__main__":
    for fn in (n08, n09, n10, n11, n12, n13, n14):
        fn()
        print("built", fn.__name__)
