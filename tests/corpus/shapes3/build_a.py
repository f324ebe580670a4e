"""Tables n01-n07."""
import csv
import io
import os

import docx
from docx.enum.section import WD_ORIENT
from docx.shared import Pt, Mm
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Side
from openpyxl.utils import get_column_letter

from common import HERE, CIRCLED, fw, marks, project, write_expect, budget, kpi

P1 = "生活機能の強化に係る政策分野"
P2 = "結びつきやネットワークの強化に係る政策分野"
P3 = "圏域マネジメント能力の強化に係る政策分野"


def path(n):
    return os.path.join(HERE, n)


# ---------------------------------------------------------------- n01
def n01():
    fname = "n01_xlsx_fukugan_hidden_nakasorachi.xlsx"
    central = ["滝川市", "砂川市"]
    towns = ["芦別市", "赤平市", "歌志内市", "奈井江町", "上砂川町", "浦臼町", "新十津川町", "雨竜町"]
    order = central + towns
    rows = [
        ("1-1", P1, "医療", "中空知地域救急医療体制の確保", "滝川市保健福祉課"),
        ("1-2", P1, "医療", "小児救急医療支援事業", "砂川市病院事務局"),
        ("1-3", P1, "福祉", "障がい者相談支援体制の共同運営", "滝川市福祉課"),
        ("1-4", P1, "教育", "図書館の広域利用", "砂川市教育委員会"),
        ("1-5", P1, "産業振興", "中空知ものづくり人材確保事業", "滝川市商工労働観光課"),
        ("1-6", P1, "産業振興", "有害鳥獣対策の広域連携", "新十津川町産業振興課"),
        ("2-1", P2, "地域公共交通", "中空知広域バス路線の維持", "滝川市企画課"),
        ("2-2", P2, "地産地消", "中空知産農産物の地産地消推進", "砂川市農政課"),
        ("2-3", P2, "交流・移住", "移住・定住促進プロモーション", "赤平市企画財政課"),
        ("3-1", P3, "人材育成", "圏域職員合同研修", "滝川市総務課"),
    ]
    mk = marks(101, order, len(rows), p=0.55, always=central, lead=("◎", "○"), min_marks=4)
    wb = Workbook()
    ws = wb.active
    ws.title = "連携事業一覧"
    thin = Side(style="thin")
    ws["A1"] = "中空知定住自立圏共生ビジョン（第3期）　連携事業一覧　（令和7年3月改訂）"
    ws["A3"], ws["B3"], ws["C3"], ws["D3"] = "番号", "政策分野", "事業名", "担当課"
    for c in "ABCD":
        ws.merge_cells(f"{c}3:{c}4")
    ws["E3"] = "中心市"
    ws.merge_cells("E3:F3")
    ws["G3"] = "連携市町"
    ws.merge_cells("G3:N3")
    ws["O3"] = "参加\n市町数"
    ws.merge_cells("O3:O4")
    for i, n in enumerate(order):
        ws.cell(row=4, column=5 + i, value=n)
    r = 5
    start = {}
    for (label, pil, fld, name, dept), m in zip(rows, mk):
        ws.cell(row=r, column=1, value=label)
        if fld not in start:
            start[fld] = r
            ws.cell(row=r, column=2, value=fld)
        ws.cell(row=r, column=3, value=name)
        ws.cell(row=r, column=4, value=dept)
        for i, n in enumerate(order):
            if n in m:
                ws.cell(row=r, column=5 + i, value=m[n])
        ws.cell(row=r, column=15, value=len(m))
        r += 1
    last = r - 1
    # merge 政策分野 over runs
    flds = [x[2] for x in rows]
    rr = 5
    i = 0
    while i < len(flds):
        j = i
        while j + 1 < len(flds) and flds[j + 1] == flds[i]:
            j += 1
        if j > i:
            ws.merge_cells(start_row=5 + i, start_column=2, end_row=5 + j, end_column=2)
        i = j + 1
    ws.cell(row=r, column=1, value="合計")
    ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=4)
    tot = 0
    for i, n in enumerate(order):
        t = sum(1 for m in mk if n in m)
        tot += t
        ws.cell(row=r, column=5 + i, value=t)
    ws.cell(row=r, column=15, value=tot)
    ws.cell(row=r + 2, column=1, value="※　◎：幹事市町　○：参加市町")
    ws.cell(row=r + 3, column=1, value="※　参加市町数は中心市（滝川市・砂川市）を含む。")
    for row in ws.iter_rows(min_row=3, max_row=r, max_col=15):
        for c in row:
            c.border = Border(top=thin, bottom=thin, left=thin, right=thin)
            c.alignment = Alignment(wrap_text=True, vertical="center")
    ws.column_dimensions["D"].hidden = True
    ws.column_dimensions["C"].width = 34
    ws2 = wb.create_sheet("備考")
    ws2["A1"] = "備考"
    ws2["A2"] = "本表は中空知定住自立圏形成協定に基づく具体的取組を整理したものである。"
    ws2["A3"] = "担当課欄は事務局用（非表示）。"
    wb.save(path(fname))
    projects = [project(k + 1, x[3], m, order, label=x[0], pillar=x[1], field=x[2], lead_marks=("◎",))
                for k, (x, m) in enumerate(zip(rows, mk))]
    write_expect(fname, "XLSX: two central cities under a merged 中心市 group header, 連携市町 group over 8 towns "
                 "(header over two rows), numbers 1-1/2-1 (labels, not integers), 政策分野 merged down, "
                 "hidden 担当課 column, ◎ 幹事/○ legend below, 参加市町数 incl. central cities, 合計 row, notes sheet",
                 "中空知定住自立圏", "定住自立圏", order, projects, 0,
                 findings=[{"code": "number-label", "severity": "info", "why": "1-1 labels kept, numbers by order"}])


# ---------------------------------------------------------------- n02
def n02():
    fname = "n02_csv_bom_circled_count_left_hirosaki.csv"
    towns = ["黒石市", "平川市", "藤崎町", "板柳町", "大鰐町", "田舎館村", "西目屋村"]
    names = ["弘前圏域救急医療体制の確保", "病児・病後児保育の広域利用", "成年後見制度の利用促進",
             "図書館の相互利用", "りんご産業の振興と担い手育成", "広域観光ルートの造成", "弘南鉄道の利用促進",
             "雪対策の広域連携", "移住・交流の推進", "圏域職員の合同研修", "ICTを活用した行政事務の共同化"]
    mk = marks(202, towns, len(names), p=0.6, min_marks=2)
    lines = []
    lines.append(["弘前圏域定住自立圏共生ビジョン（令和７年度版）　連携事業一覧"])
    lines.append(["（中心市：弘前市　※弘前市は全ての事業に参加）"])
    lines.append(["番号", "事業名", "連携市町村数"] + towns)
    fault_line = None
    for i, (nm, m) in enumerate(zip(names, mk)):
        cnt = len(m)
        if i == 4:  # project ⑤: declared count off by one
            declared = cnt + 1
            fault_line = len(lines) + 1
            fault = {"what": "count-mismatch", "row": "project 5", "line": fault_line, "column": 3,
                     "declared": declared, "marks": cnt}
            cnt = declared
        lines.append([CIRCLED[i], nm, str(cnt)] + ["〇" if t in m else "" for t in towns])
    tots = [sum(1 for m in mk if t in m) for t in towns]
    lines.append(["計", "", str(sum(tots))] + [str(t) for t in tots])
    lines.append(["※〇：連携して実施する市町村"])
    with open(path(fname), "w", encoding="utf-8-sig", newline="") as f:
        w = csv.writer(f, lineterminator="\r\n")
        for l in lines:
            w.writerow(l)
    projects = [project(i + 1, nm, m, towns, label=CIRCLED[i]) for i, (nm, m) in enumerate(zip(names, mk))]
    write_expect(fname, "CSV UTF-8 with BOM, CRLF: title + （中心市：弘前市） line, numbers ①-⑪, count column "
                 "連携市町村数 LEFT of the towns, 〇 (U+3007), central city without a column, totals row 計 with "
                 "the grand total under the count column; project ⑤ declares one town too many",
                 "弘前圏域定住自立圏", "定住自立圏", towns, projects, 1, faults=[fault])


# ---------------------------------------------------------------- n03
def n03():
    fname = "n03_csv_cp932_opendata_codes_row_prefixed_shinjo.csv"
    order = ["新庄市", "金山町", "最上町", "舟形町", "真室川町", "大蔵村", "鮭川村", "戸沢村"]
    rows = [
        ("医療", "最上地域の救急医療体制の充実", "県立新庄病院を核とした救急医療体制を維持する。"),
        ("医療", "休日診療所の共同運営", "休日の初期救急医療を確保する。"),
        ("福祉", "子育て支援センターの相互利用", "圏域住民が子育て支援施設を相互に利用できるようにする。"),
        ("教育", "公立図書館の相互利用", "図書館の貸出を圏域住民に拡大する。"),
        ("産業振興", "最上地域の観光振興", "最上川舟下り等の観光資源を活用した広域観光を推進する。"),
        ("産業振興", "農林業の担い手育成", "新規就農者への研修を共同で行う。"),
        ("地域公共交通", "広域路線バスの運行支援", "新庄駅と各町村を結ぶ路線を維持する。"),
        ("交流・移住", "移住定住相談窓口の共同設置", "首都圏での相談会を合同で開催する。"),
        ("人材育成", "職員合同研修の実施", "圏域職員の資質向上を図る。"),
    ]
    mk = marks(303, order, len(rows), p=0.6, always=["新庄市"], min_marks=3)
    header = ["分野", "事業番号", "事業名", "事業概要"] + ["山形県" + n for n in order]
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    codes = ["062057", "063614", "063622", "063631", "063649", "063657", "063665", "063673"]
    w.writerow(["", "", "", "団体コード"] + codes)
    w.writerow(header)
    for i, (fld, nm, desc) in enumerate(rows):
        w.writerow([fld, str(i + 1), nm, desc] + ["1" if n in mk[i] else "0" for n in order])
    with open(path(fname), "wb") as f:
        f.write(buf.getvalue().encode("cp932"))
    projects = [project(i + 1, r[1], m, order, field=r[0]) for i, (r, m) in enumerate(zip(rows, mk))]
    write_expect(fname, "CSV Shift_JIS (cp932), open-data style: a row of 6-digit 団体コード above the header, 分野 "
                 "column first, 事業番号, 事業概要, towns headed with the prefecture (山形県新庄市 …), 1/0 marks, no count column, no totals",
                 "新庄最上定住自立圏", "定住自立圏", order, projects, 0,
                 findings=[{"code": "no-totals", "severity": "info"},
                           {"code": "encoding-detected", "severity": "info"}])


# ---------------------------------------------------------------- n04
def set_cell(cell, text, size=9):
    cell.text = ""
    parts = text.split("\n")
    p = cell.paragraphs[0]
    for k, part in enumerate(parts):
        if k:
            p = cell.add_paragraph()
        run = p.add_run(part)
        run.font.size = Pt(size)


def n04():
    fname = "n04_docx_pillar_rows_black_lead_okitama.docx"
    order = ["米沢市", "長井市", "南陽市", "高畠町", "川西町", "飯豊町"]
    struct = [
        ("１　生活機能の強化に係る政策分野", [
            ("（１）医療", ["置賜地域の救急医療体制の確保", "夜間休日診療体制の維持"]),
            ("（２）福祉", ["病児保育の広域利用", "介護人材の確保・育成"]),
            ("（３）産業振興", ["置賜地域の広域観光推進", "置賜産農産物のブランド化"]),
        ]),
        ("２　結びつきやネットワークの強化に係る政策分野", [
            ("（１）地域公共交通", ["フラワー長井線の利用促進"]),
            ("（２）交流・移住", ["移住・定住の促進"]),
        ]),
        ("３　圏域マネジメント能力の強化に係る政策分野", [
            ("（１）人材育成", ["職員の合同研修"]),
        ]),
    ]
    flat = [(pil, fld, nm) for pil, flds in struct for fld, nms in flds for nm in nms]
    mk = marks(404, order, len(flat), p=0.6, always=["米沢市"], lead=("●", "○"), min_marks=3)
    d = docx.Document()
    sec = d.sections[0]
    sec.orientation = WD_ORIENT.LANDSCAPE
    sec.page_width, sec.page_height = Mm(297), Mm(210)
    d.add_paragraph("置賜定住自立圏共生ビジョン　別表　連携事業一覧")
    d.add_paragraph("凡例　●：事業を主体的に実施する市町　○：連携して実施する市町")
    ncol = 2 + len(order) + 1
    t = d.add_table(rows=1, cols=ncol)
    t.style = "Table Grid"
    hdr = ["番号", "事業名"] + order + ["連携市町数"]
    for i, h in enumerate(hdr):
        set_cell(t.rows[0].cells[i], h)
    k = 0
    for pil, flds in struct:
        row = t.add_row()
        c = row.cells[0].merge(row.cells[ncol - 1])
        set_cell(c, pil)
        for fld, nms in flds:
            row = t.add_row()
            c = row.cells[0].merge(row.cells[ncol - 1])
            set_cell(c, fld)
            for nm in nms:
                m = mk[k]
                k += 1
                row = t.add_row()
                vals = [fw(k), nm] + [m.get(n, "") for n in order] + [fw(len(m))]
                for i, v in enumerate(vals):
                    set_cell(row.cells[i], v)
    row = t.add_row()
    tots = [sum(1 for m in mk if n in m) for n in order]
    vals = ["連携事業数", ""] + [fw(x) for x in tots] + [fw(sum(tots))]
    for i, v in enumerate(vals):
        set_cell(row.cells[i], v)
    d.add_paragraph("※連携市町数は米沢市を含む。")
    d.save(path(fname))
    projects = [project(i + 1, nm, m, order, label=fw(i + 1), pillar=pil.split("　", 1)[1],
                        field=fld.split("）", 1)[1], lead_marks=("●",))
                for i, ((pil, fld, nm), m) in enumerate(zip(flat, mk))]
    write_expect(fname, "DOCX landscape: legend ABOVE the table (●：主体的に実施 ○：連携して実施), pillar and field "
                 "as merged full-width rows (１ … / （１）…), full-width numbers and counts, central city 米沢市 as "
                 "first column counted in 連携市町数, totals row 連携事業数",
                 "置賜定住自立圏", "定住自立圏", order, projects, 0)


# ---------------------------------------------------------------- n05
def n05():
    fname = "n05_html_nav_gun_tables_per_field_shirakawa.html"
    gun = {"西郷村": "西白河郡", "泉崎村": "西白河郡", "中島村": "西白河郡", "矢吹町": "西白河郡",
           "棚倉町": "東白川郡", "矢祭町": "東白川郡", "塙町": "東白川郡", "鮫川村": "東白川郡"}
    order = ["白河市"] + list(gun)
    struct = [
        ("1　生活機能の強化に係る政策分野", [
            ("(1) 医療", ["地域医療体制の確保", "休日夜間急病診療所の運営"]),
            ("(2) 福祉", ["障がい児療育支援の広域化", "地域包括ケアの推進"]),
            ("(3) 教育", ["白河市立図書館の広域利用"]),
            ("(4) 産業振興", ["しらかわ地域の広域観光", "企業誘致の連携", "有害鳥獣被害対策"]),
        ]),
        ("2　結びつきやネットワークの強化に係る政策分野", [
            ("(1) 地域公共交通", ["広域路線バスの確保"]),
            ("(2) 交流・移住", ["移住定住の促進", "結婚支援事業"]),
        ]),
        ("3　圏域マネジメント能力の強化に係る政策分野", [
            ("(1) 人材育成", ["職員の合同研修", "外部人材の活用"]),
        ]),
    ]
    flat = [(pil, fld, nm) for pil, flds in struct for fld, nms in flds for nm in nms]
    mk = marks(505, order, len(flat), p=0.55, always=["白河市"], min_marks=3)
    head = "<tr><th>No.</th><th>取組項目</th>" + "".join(
        f"<th>{gun[n]}<br>{n}</th>" if n in gun else f"<th>{n}</th>" for n in order) + "<th>連携<br>市町村数</th></tr>"
    html = ["""<!DOCTYPE html>
<html lang="ja"><head><meta charset="utf-8"><title>しらかわ地域定住自立圏の連携事業 - 白河市</title>
<style>table{border-collapse:collapse}td,th{border:1px solid #333;padding:2px 4px;font-size:12px}</style></head>
<body>
<header><div class="logo">白河市</div>
<nav><ul><li><a href="/">ホーム</a></li><li><a href="/kurashi/">くらし・手続き</a></li><li><a href="/kosodate/">子育て・教育</a></li>
<li><a href="/shisei/">市政情報</a></li><li><a href="/kanko/">観光・イベント</a></li></ul></nav>
<div class="breadcrumb"><a href="/">ホーム</a> &gt; <a href="/shisei/">市政情報</a> &gt; 広域連携 &gt; しらかわ地域定住自立圏</div>
</header>
<main>
<h1>しらかわ地域定住自立圏の連携事業</h1>
<p>白河市と西白河郡・東白川郡の8町村は、定住自立圏形成協定に基づき、次の事業に連携して取り組んでいます。</p>
<p>◯：連携して取り組む市町村</p>
"""]
    k = 0
    fault = None
    for pil, flds in struct:
        html.append(f"<h2>{pil}</h2>")
        for fld, nms in flds:
            html.append(f"<h3>{fld}</h3>")
            html.append("<table>")
            html.append(head)
            for nm in nms:
                m = mk[k]
                k += 1
                tds = "".join(f"<td>{'◯' if n in m else ''}</td>" for n in order)
                html.append(f"<tr><td>{k}</td><td>{nm}</td>{tds}<td>{len(m)}</td></tr>")
            html.append("</table>")
    tots = [sum(1 for m in mk if n in m) for n in order]
    grand = sum(tots)
    i_y = order.index("矢吹町")
    fault = {"what": "total-mismatch", "row": "合計", "town": "矢吹町", "declared": tots[i_y] + 1, "count": tots[i_y]}
    shown = list(tots)
    shown[i_y] += 1
    html.append("<h2>連携事業数</h2><table>")
    html.append(head.replace("<th>No.</th><th>取組項目</th>", "<th></th><th></th>"))
    html.append("<tr><td colspan=\"2\">合計</td>" + "".join(f"<td>{x}</td>" for x in shown) +
                f"<td>{grand + 1}</td></tr>")
    html.append("</table>")
    html.append("""<p>※ 連携市町村数には白河市を含みます。</p>
</main>
<footer><p>白河市役所 企画政策課　〒961-8602 福島県白河市八幡小路7-1</p><p>Copyright © Shirakawa City</p></footer>
</body></html>""")
    with open(path(fname), "w", encoding="utf-8") as f:
        f.write("\n".join(html))
    projects = [project(i + 1, nm, m, order, pillar=pil.split("　", 1)[1], field=fld.split(" ", 1)[1])
                for i, ((pil, fld, nm), m) in enumerate(zip(flat, mk))]
    write_expect(fname, "HTML city page with header nav, breadcrumb and footer; one <table> per field under "
                 "h2 pillar / h3 field headings, each repeating the header; town headers 西白河郡<br>西郷村 etc.; "
                 "◯ (U+25EF); a last separate table holds the 合計 row (grand total consistent with the shown "
                 "town totals). 矢吹町's total is one too many",
                 "しらかわ地域定住自立圏", "定住自立圏", order, projects, 1, faults=[fault],
                 findings=[{"code": "grand-total-rows-mismatch", "severity": "error",
                            "why": "the grand total was summed from the wrong town total, so it also exceeds the marks by one"}])


# ---------------------------------------------------------------- n06
def n06():
    """こおりやま: HTML -> chromium PDF -> pdftotext -layout."""
    import subprocess
    fname = "n06_pdf_chromium_17towns_koriyama.pdf"
    order = ["郡山市", "須賀川市", "二本松市", "田村市", "本宮市", "大玉村", "鏡石町", "天栄村", "磐梯町",
             "猪苗代町", "石川町", "玉川村", "平田村", "浅川町", "古殿町", "三春町", "小野町"]
    struct = [
        ("【圏域全体の経済成長のけん引】", ["圏域企業の販路拡大支援", "スタートアップ支援", "広域観光の推進",
                             "農産物の販路開拓"]),
        ("【高次の都市機能の集積・強化】", ["高度医療体制の充実", "郡山駅周辺の拠点機能強化"]),
        ("【圏域全体の生活関連機能サービスの向上】", ["病児保育の広域利用", "こども図書館の相互利用",
                                      "広域路線バスの維持", "職員合同研修"]),
    ]
    flat = [(pil, nm) for pil, nms in struct for nm in nms]
    mk = marks(606, order, len(flat), p=0.5, always=["郡山市"], lead=("◎", "○"), min_marks=4)
    # lead always 郡山市? no: keep the random leader
    ncol = 2 + len(order) + 1
    rows = ["<tr><th>番号</th><th>連携事業</th>" + "".join(f"<th>{n}</th>" for n in order) + "<th>計</th></tr>"]
    k = 0
    for pil, nms in struct:
        rows.append(f"<tr><td colspan=\"{ncol}\" class=\"pil\">{pil}</td></tr>")
        for nm in nms:
            m = mk[k]
            k += 1
            rows.append(f"<tr><td>{k}</td><td class=\"nm\">{nm}</td>" +
                        "".join(f"<td>{m.get(n, '')}</td>" for n in order) + f"<td>{len(m)}</td></tr>")
    tots = [sum(1 for m in mk if n in m) for n in order]
    rows.append("<tr><td colspan=\"2\">計</td>" + "".join(f"<td>{x}</td>" for x in tots) +
                f"<td>{sum(tots)}</td></tr>")
    html = f"""<!DOCTYPE html><html lang="ja"><head><meta charset="utf-8">
<style>@page{{size:A4 landscape;margin:10mm}} body{{font-family:'Noto Sans CJK JP',sans-serif;font-size:8pt}}
table{{border-collapse:collapse}} td,th{{border:1px solid #000;padding:1px 2px;text-align:center;white-space:nowrap}}
td.nm{{text-align:left}} td.pil{{text-align:left;font-weight:bold}}</style></head><body>
<p>こおりやま広域連携中枢都市圏ビジョン（第2期）　具体的取組と連携市町村</p>
<table>{''.join(rows)}</table>
<p>◎：取組の中心となる市町村　○：連携する市町村　※計は郡山市を含む連携市町村の数</p></body></html>"""
    src = path("n06_src_koriyama.html")
    with open(src, "w", encoding="utf-8") as f:
        f.write(html)
    pdf = path(fname)
    subprocess.run(["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer",
                    f"--print-to-pdf={pdf}", src], check=True, capture_output=True)
    subprocess.run(["pdftotext", "-layout", pdf, path("extra_n06_layout_koriyama.txt")], check=True)
    projects = [project(i + 1, nm, m, order, pillar=pil.strip("【】"), lead_marks=("◎",))
                for i, ((pil, nm), m) in enumerate(zip(flat, mk))]
    write_expect(fname, "PDF printed by chromium, one A4 landscape page: 17 municipality columns, "
                 "pillar rows 【…】 across the table, ◎ lead/○, count column headed just 計 and totals row 計",
                 "こおりやま広域連携中枢都市圏", "連携中枢都市圏", order, projects, 0)


# ---------------------------------------------------------------- n07
def n07():
    fname = "n07_tsv_checkmarks_roman_dup_chichibu.txt"
    order = ["秩父市", "横瀬町", "皆野町", "長瀞町", "小鹿野町"]
    struct = [
        ("Ⅰ　生活機能の強化に係る政策分野", [
            ("(ア)　医療", ["秩父地域の救急医療体制の確保", "地域医療を担う医師の確保"]),
            ("(イ)　福祉", ["ちちぶ定住自立圏介護予防の推進", "病児保育事業"]),
            ("(ウ)　産業振興", ["秩父地域の観光振興", "ちちぶブランドの推進", "有害鳥獣対策"]),
        ]),
        ("Ⅱ　結びつきやネットワークの強化に係る政策分野", [
            ("(ア)　地域公共交通", ["秩父地域の公共交通の確保"]),
            ("(イ)　交流・移住", ["移住相談体制の整備"]),
        ]),
        ("Ⅲ　圏域マネジメント能力の強化に係る政策分野", [
            ("(ア)　人材育成", ["職員の合同研修"]),
        ]),
    ]
    flat = [(pil, fld, nm) for pil, flds in struct for fld, nms in flds for nm in nms]
    mk = marks(707, order, len(flat), p=0.65, always=["秩父市"], min_marks=3)
    lines = ["ちちぶ定住自立圏共生ビジョン　連携事業一覧", "",
             "\t".join(["番号", "事業名"] + order + ["連携市町数"])]
    k = 0
    numbers = []
    linenos = []
    fault = None
    for pil, flds in struct:
        lines.append("")
        lines.append(pil)
        for fld, nms in flds:
            lines.append(fld)
            for nm in nms:
                m = mk[k]
                k += 1
                no = k
                if k == 8:  # duplicate: the 8th project is numbered (7) again
                    no = 7
                    fault = {"what": "number-duplicate", "row": "project 8 (written (7))", "line": len(lines) + 1,
                             "declared": "(7)"}
                numbers.append(no)
                linenos.append(len(lines) + 1)
                lines.append("\t".join([f"({no})", nm] + ["✓" if n in m else "" for n in order] + [str(len(m))]))
    tots = [sum(1 for m in mk if n in m) for n in order]
    lines.append("")
    lines.append("\t".join(["事業数", ""] + [str(x) for x in tots] + [str(sum(tots))]))
    lines.append("✓：連携して取り組む市町")
    lines.append("-" * 40)
    with open(path(fname), "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")
    first7 = [i + 1 for i, n in enumerate(numbers) if n == 7][0]
    projects = [project(numbers[i], nm, m, order, label=f"({numbers[i]})", pillar=pil.split("　", 1)[1],
                        field=fld.split("　", 1)[1])
                for i, ((pil, fld, nm), m) in enumerate(zip(flat, mk))]
    write_expect(fname, "tab text as copied from a PDF: pillars Ⅰ/Ⅱ/Ⅲ and fields (ア)/(イ) on lines of their own, "
                 "numbers written (1), (2)…, ✓ marks with a legend line after the table, totals row 事業数, a "
                 "trailing line of dashes; the 8th project is numbered (7) again",
                 "ちちぶ定住自立圏", "定住自立圏", order, projects, 1, faults=[fault],
                 findings=[{"code": "number-duplicate", "severity": "error", "line": linenos[6],
                            "why": "the first (7) is reported too"},
                           {"code": "number-order", "severity": "warning", "why": "(7) after (7), then (9)"}])


if __name__ == "__main__":
    for fn in (n01, n02, n03, n04, n05, n06, n07):
        fn()
        print("built", fn.__name__)
