import csv
import io
import os
import random
import sys
from pathlib import Path

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import docx
import openpyxl
from openpyxl.styles import Alignment, Font
from shapes_common import NAMES, OUT, T, simple_projects

P1, P2, P3 = "(1) 生活機能の強化", "(2) 結びつきやネットワークの強化", "(3) 圏域マネジメント能力の強化"
PLAN = [
    (P1, "ア 医療", NAMES["med"][:2]),
    (P1, "イ 福祉", NAMES["wel"][:2]),
    (P1, "ウ 産業振興", NAMES["ind"][:2]),
    (P2, "ア 地域公共交通", NAMES["net"][:2]),
    (P3, "ア 人材育成", NAMES["gov"][:2]),
]


def path(f):
    return os.path.join(OUT, f)


def write_csv(f, rows, enc="utf-8", delim=","):
    s = io.StringIO()
    w = csv.writer(s, delimiter=delim, lineterminator="\r\n")
    w.writerows(rows)
    Path(path(f)).write_bytes(s.getvalue().encode(enc))


def write_text(f, lines, enc="utf-8"):
    Path(path(f)).write_bytes(("\n".join(lines) + "\n").encode(enc))


def heading_rows(t, width, cols_before_name=1, start=None):
    """yield (kind,row) in the usual flat layout with pillar/field heading lines"""
    last = (None, None)
    for p in t.projects:
        if p.get("pillar") and p["pillar"] != last[0]:
            yield "h", [p["pillar"]] + [""] * (width - 1)
        if p.get("field") and (p["pillar"], p["field"]) != last:
            yield "h", [p["field"]] + [""] * (width - 1)
        last = (p.get("pillar"), p.get("field"))
        yield "p", p


T_ALL = []


def write_plain_text(t, towns, count):
    """A tab-separated table: 番号 | 事業名 | the towns as written | ``count``, its heading lines between."""
    lines = ["\t".join(["番号", "事業名"] + [w for w, c in towns] + [count])]
    for k, x in heading_rows(t, 1):
        lines.append(
            x[0]
            if k == "h"
            else "\t".join([str(x["number"]), x["name"], *x["marks"], str(sum(1 for m in x["marks"] if m))])
        )
    write_text(t.file, lines)


def reg(t):
    T_ALL.append(t)
    return t


# 01 transposed: towns as rows, projects as columns (UTF-8 CSV)
def t01():
    towns = [(x, x) for x in ["上富良野町", "中富良野町", "南富良野町", "占冠村"]]
    pr = simple_projects(
        1,
        4,
        [
            (
                None,
                None,
                [
                    "休日夜間急患センターの運営",
                    "病児保育の広域利用",
                    "図書館の相互利用",
                    "地域公共交通の維持確保",
                    "広域観光の推進",
                    "合同職員研修",
                ],
            )
        ],
    )
    t = reg(
        T(
            "t01_transposed_furano.csv",
            {"name": "富良野地区定住自立圏", "kind": "定住自立圏"},
            towns,
            pr,
            about="towns as rows, projects as columns (市町村別連携事業一覧); count row at bottom, per-town totals at right",
        )
    )
    rows = [
        ["富良野地区定住自立圏共生ビジョン　市町村別連携事業一覧"] + [""] * 7,
        ["事業番号"] + [str(p["number"]) for p in pr] + [""],
        ["市町村名＼事業名"] + [p["name"] for p in pr] + ["参加事業数"],
    ]
    for i, (w, _c) in enumerate(towns):
        rows.append([w] + [p["marks"][i] for p in pr] + [str(t.col_totals()[i])])
    rows.append(["連携市町村数"] + [str(c) for c in t.counts()] + [str(sum(t.counts()))])
    write_csv(t.file, rows)


# 02 HTML two-row header, colspan 連携市町村, <br> inside names and town headers, ● legend
def t02():
    towns = [("美幌町", "美幌町"), ("津別町", "津別町"), ("訓子府町", "訓子府町"), ("置戸町", "置戸町")]
    names = [
        "地域医療<br>連携推進事業",
        "救急医療体制の<br>確保",
        "病児・病後児保育の<br>広域利用",
        "消費生活相談の<br>共同実施",
        "地域公共交通<br>ネットワークの維持",
        "移住・定住の<br>促進",
        "職員合同研修の<br>実施",
    ]
    plan = [(P1, None, names[:4]), (P2, None, names[4:6]), (P3, None, names[6:])]
    pr = simple_projects(2, 4, plan, mark="●")
    for p in pr:
        p["html"] = p["name"]
        p["name"] = p["name"].replace("<br>", "")
    t = reg(
        T(
            "t02_html_colspan_br_kitami.html",
            {"name": "北見地域定住自立圏", "kind": "定住自立圏"},
            towns,
            pr,
            about="HTML: two-row header with 連携市町村 colspan over towns, town headers split by <br>, names with <br>, ● with legend ●：参加 and － for not taking part",
        )
    )
    h = [
        '<!DOCTYPE html><html lang="ja"><head><meta charset="UTF-8"><title>北見地域定住自立圏共生ビジョン｜北見市</title></head><body>',
        '<div id="main"><h1>北見地域定住自立圏共生ビジョンの具体的取組</h1>',
        '<p class="legend">凡例　●：参加　－：不参加</p>',
        '<table class="table01"><thead>',
        '<tr><th scope="col" rowspan="2">番号</th><th scope="col" rowspan="2">取組名</th><th scope="colgroup" colspan="4">連携市町村</th><th scope="col" rowspan="2">連携<br>市町村数</th></tr>',
        "<tr>" + "".join(f'<th scope="col">{w[:-1]}<br>{w[-1]}</th>' for w, c in towns) + "</tr></thead><tbody>",
    ]
    last = None
    for p in pr:
        if p["pillar"] != last:
            h.append(f'<tr><th colspan="7" scope="rowgroup" class="left">{p["pillar"]}</th></tr>')
            last = p["pillar"]
        h.append(
            f'<tr><td class="center">{p["number"]}</td><td>{p["html"]}</td>'
            + "".join(f'<td class="center">{m or "－"}</td>' for m in p["marks"])
            + f'<td class="center">{sum(1 for m in p["marks"] if m)}</td></tr>'
        )
    h.append("</tbody></table><p>※ 北見市は全ての取組に参加します。</p></div></body></html>")
    write_text(t.file, h)


# 03 count column at the left (TSV)
def t03():
    towns = [(x, x) for x in ["色麻町", "加美町", "涌谷町", "美里町"]]
    pr = simple_projects(3, 4, PLAN[:4])
    t = reg(
        T(
            "t03_count_left_osaki.tsv",
            {"name": "大崎定住自立圏", "kind": "定住自立圏"},
            towns,
            pr,
            about="tab-separated; the count column (連携町数) stands left of the name, before the towns",
        )
    )
    L = [
        "大崎定住自立圏共生ビジョン　連携事業一覧",
        "\t".join(["No.", "連携町数", "事業名", "事業の概要"] + [w for w, c in towns]),
    ]
    for k, x in heading_rows(t, 1):
        if k == "h":
            L.append(x[0])
        else:
            L.append(
                "\t".join(
                    [
                        str(x["number"]),
                        str(sum(1 for m in x["marks"] if m)),
                        x["name"],
                        x["name"] + "について、大崎市と連携して実施する。",
                    ]
                    + x["marks"]
                )
            )
    write_text(t.file, L)


# 04 totals row at the top (UTF-8 CSV with BOM)
def t04():
    towns = [(x, x) for x in ["大間町", "東通村", "風間浦村", "佐井村"]]
    pr = simple_projects(4, 4, PLAN[:4])
    t = reg(
        T(
            "t04_totals_top_shimokita.csv",
            {"name": "下北圏域定住自立圏", "kind": "定住自立圏"},
            towns,
            pr,
            about="the totals row (合計) comes first, right under the header, before the projects",
        )
    )
    ct = t.col_totals()
    rows = [
        ["番号", "事業名", "大間町", "東通村", "風間浦村", "佐井村", "関係町村数"],
        ["合計", "", *map(str, ct), str(sum(ct))],
    ]
    for k, x in heading_rows(t, 7):
        rows.append(x if k == "h" else [str(x["number"]), x["name"], *x["marks"], str(sum(1 for m in x["marks"] if m))])
    s = io.StringIO()
    csv.writer(s, lineterminator="\r\n").writerows(rows)
    Path(path(t.file)).write_bytes(b"\xef\xbb\xbf" + s.getvalue().encode())


# 05 XLSX: two merged hierarchy columns (政策分野, 取組項目) left of No.
def t05():
    towns = [(x, x) for x in ["津山市", "玉野市", "総社市", "備前市", "瀬戸内市", "赤磐市"]]
    plan = [
        ("圏域全体の経済成長のけん引", "産業振興", ["創業支援事業", "企業誘致の共同推進", "地場産品の販路拡大"]),
        ("圏域全体の経済成長のけん引", "観光振興", ["広域観光の推進", "インバウンド誘客"]),
        ("高次の都市機能の集積・強化", "高度医療", ["救急医療体制の確保"]),
        ("圏域全体の生活関連機能サービスの向上", "福祉", ["病児保育の広域利用", "成年後見センターの共同運営"]),
        ("圏域全体の生活関連機能サービスの向上", "人材育成", ["合同職員研修"]),
    ]
    pr = simple_projects(5, 6, plan)
    t = reg(
        T(
            "t05_merged_two_levels_okayama.xlsx",
            {"name": "岡山連携中枢都市圏", "kind": "連携中枢都市圏"},
            towns,
            pr,
            about="XLSX: 政策分野 and 取組項目 as two leftmost columns merged down their projects, no numbering on them",
        )
    )
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "連携協約に基づく取組"
    ws.append(["岡山連携中枢都市圏ビジョン　具体的取組一覧"])
    ws.append(["政策分野", "取組項目", "No.", "具体的取組"] + [w for w, c in towns] + ["連携市町数"])
    r0 = 3
    for p in pr:
        ws.append([p["pillar"], p["field"], p["number"], p["name"]] + p["marks"] + [sum(1 for m in p["marks"] if m)])
    # merge runs
    for col, key in ((1, "pillar"), (2, "field")):
        i = 0
        while i < len(pr):
            j = i
            while j + 1 < len(pr) and pr[j + 1][key] == pr[i][key] and pr[j + 1]["pillar"] == pr[i]["pillar"]:
                j += 1
            for k in range(i + 1, j + 1):
                ws.cell(r0 + k, col).value = None
            if j > i:
                ws.merge_cells(start_row=r0 + i, start_column=col, end_row=r0 + j, end_column=col)
            i = j + 1
    wb.save(path(t.file))


# 06 XLSX: names and town headers with line breaks inside cells
def t06():
    towns = [(x, x) for x in ["須坂市", "千曲市", "坂城町", "小布施町", "高山村", "信濃町", "小川村", "飯綱町"]]
    names = [
        "休日夜間急患センター\n運営事業",
        "長野地域連携ビジョン\n推進会議の運営",
        "病児・病後児保育\n広域利用事業",
        "消費生活センター\n広域化事業",
        "地域公共交通\n利用促進事業",
        "移住・交流促進\n共同プロモーション",
    ]
    pr = simple_projects(6, 8, [(None, None, names)])
    for p in pr:
        p["cell"] = p["name"]
        p["name"] = p["name"].replace("\n", "")
    t = reg(
        T(
            "t06_multiline_names_nagano.xlsx",
            {"name": "長野地域連携中枢都市圏", "kind": "連携中枢都市圏"},
            towns,
            pr,
            about="XLSX: project names wrapped with a line break inside the cell (Alt+Enter), description too",
        )
    )
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["番号", "連携事業名", "事業概要"] + [w for w, c in towns] + ["連携市町村数"])
    for p in pr:
        ws.append(
            [p["number"], p["cell"], p["name"] + "を長野市と連携して\n実施する。"]
            + p["marks"]
            + [sum(1 for m in p["marks"] if m)]
        )
        for c in (2, 3):
            ws.cell(ws.max_row, c).alignment = Alignment(wrap_text=True)
    wb.save(path(t.file))


# 07 cp932 CSV with full-width digits and 1－1 numbering
def t07():
    towns = [(x, x) for x in ["那賀町", "美波町", "牟岐町", "海陽町"]]
    plan = [
        ("１　生活機能の強化", None, ["救急医療体制の確保", "病児保育の広域利用", "図書館の相互利用"]),
        ("２　結びつきやネットワークの強化", None, ["地域公共交通の維持確保", "移住定住の促進"]),
        ("３　圏域マネジメント能力の強化", None, ["合同職員研修", "職員の人事交流"]),
    ]
    pr = simple_projects(7, 4, plan)
    fw = str.maketrans("0123456789", "０１２３４５６７８９")
    k = {}
    for p in pr:
        g = p["pillar"][0]
        k[g] = k.get(g, 0) + 1
        p["label"] = f"{g}－{k[g]}".translate(fw)
    t = reg(
        T(
            "t07_fullwidth_sjis_anan.csv",
            {"name": "(阿南市を中心とする定住自立圏)", "kind": "定住自立圏"},
            towns,
            pr,
            about="cp932 CSV; numbers written １－１, １－２ in full-width digits; counts and totals in full-width digits",
        )
    )
    rows = [["事業番号", "事業名"] + [w for w, c in towns] + ["連携町数"]]
    last = None
    for p in pr:
        if p["pillar"] != last:
            rows.append([p["pillar"], "", "", "", "", "", ""])
            last = p["pillar"]
        rows.append([p["label"], p["name"]] + p["marks"] + [str(sum(1 for m in p["marks"] if m)).translate(fw)])
    ct = t.col_totals()
    rows.append(["計", ""] + [str(c).translate(fw) for c in ct] + [str(sum(ct)).translate(fw)])
    write_csv(t.file, rows, enc="cp932")


# 08 郡-prefixed town names (CSV)
def t08():
    base = ["鷹栖町", "東神楽町", "当麻町", "比布町", "愛別町", "上川町", "東川町", "美瑛町"]
    towns = [("上川郡" + x, x) for x in base]
    pr = simple_projects(8, 8, PLAN)
    t = reg(
        T(
            "t08_gun_prefix_asahikawa.csv",
            {"name": "旭川大雪圏域連携中枢都市圏", "kind": "連携中枢都市圏"},
            towns,
            pr,
            about="town headers written with their 郡 (上川郡鷹栖町 … 上川郡上川町)",
        )
    )
    rows = [["番号", "取組名"] + [w for w, c in towns] + ["連携町数"]]
    for k, x in heading_rows(t, 11):
        rows.append(x if k == "h" else [str(x["number"]), x["name"], *x["marks"], str(sum(1 for m in x["marks"] if m))])
    write_csv(t.file, rows)


# 09 prefecture + 郡 prefix, cross prefecture (TSV text)
def t09():
    towns = [("京都府相楽郡笠置町", "笠置町"), ("京都府相楽郡南山城村", "南山城村"), ("奈良県山辺郡山添村", "山添村")]
    pr = simple_projects(
        9,
        3,
        [
            (P1, None, ["救急医療体制の確保", "病児保育の広域利用", "図書館の相互利用"]),
            (P2, None, ["地域公共交通の維持確保", "広域観光の推進"]),
            (P3, None, ["合同職員研修"]),
        ],
    )
    t = reg(
        T(
            "t09_pref_gun_prefix_igajowa.txt",
            {"name": "伊賀・山城南・東大和定住自立圏", "kind": "定住自立圏"},
            towns,
            pr,
            about="tab text; towns written with prefecture and 郡 (京都府相楽郡笠置町); count headed 関係市町村数",
        )
    )
    write_plain_text(t, towns, "関係市町村数")


# 10 XLSX: 備考 between towns and count, notes naming towns
def t10():
    towns = [(x, x) for x in ["積丹町", "古平町", "仁木町", "余市町", "赤井川村"]]
    pr = simple_projects(10, 5, PLAN[:4])
    notes = [
        "赤井川村は令和7年度から参加予定",
        "",
        "余市町・仁木町で共同実施",
        "",
        "積丹町、古平町は一部事業のみ",
        "",
        "",
        "",
    ]
    t = reg(
        T(
            "t10_note_between_shiribeshi.xlsx",
            {"name": "北しりべし定住自立圏", "kind": "定住自立圏"},
            towns,
            pr,
            about="XLSX: a 備考 column between the towns and the count, its notes naming towns",
        )
    )
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["北しりべし定住自立圏共生ビジョン　具体的な取組"])
    ws.append([])
    ws.append(["番号", "取組名"] + [w for w, c in towns] + ["備考", "連携町村数"])
    for p, n in zip(pr, notes, strict=False):
        ws.append([p["number"], p["name"]] + p["marks"] + [n, sum(1 for m in p["marks"] if m)])
    wb.save(path(t.file))


# 11 XLSX: one table per pillar stacked on one sheet, each with own header and 小計 row
def t11():
    towns = [(x, x) for x in ["片品村", "川場村", "昭和村", "みなかみ町"]]
    plan = [
        (
            "１　生活機能の強化",
            None,
            ["救急医療体制の確保", "病児保育の広域利用", "図書館の相互利用", "高齢者見守りネットワーク"],
        ),
        ("２　結びつきやネットワークの強化", None, ["地域公共交通の維持確保", "移住定住の促進", "道路網の整備促進"]),
        ("３　圏域マネジメント能力の強化", None, ["合同職員研修", "外部人材の共同活用"]),
    ]
    pr = simple_projects(11, 4, plan)
    t = reg(
        T(
            "t11_stacked_tables_tone_numata.xlsx",
            {"name": "利根沼田地域定住自立圏", "kind": "定住自立圏"},
            towns,
            pr,
            about="XLSX: three tables one under another on one sheet, each with a pillar title, its own header and a 小計 row",
        )
    )
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["利根沼田地域定住自立圏共生ビジョン　連携事業"])
    for pil in [x[0] for x in plan]:
        ws.append([])
        ws.append([pil])
        ws.append(["番号", "事業名"] + [w for w, c in towns] + ["連携町村数"])
        sub = [p for p in pr if p["pillar"] == pil]
        for p in sub:
            ws.append([p["number"], p["name"]] + p["marks"] + [sum(1 for m in p["marks"] if m)])
        ws.append(
            ["小計", ""]
            + [sum(1 for p in sub if p["marks"][i]) for i in range(4)]
            + [sum(sum(1 for m in p["marks"] if m) for p in sub)]
        )
    wb.save(path(t.file))


# 12 text copied from a PDF with page breaks, page numbers and repeated headers
def t12():
    towns = [(x, x) for x in ["音更町", "士幌町", "上士幌町", "鹿追町", "新得町", "清水町", "芽室町", "中札内村"]]
    pr = simple_projects(12, 8, PLAN)
    t = reg(
        T(
            "t12_pagebreaks_tokachi.txt",
            {"name": "十勝定住自立圏", "kind": "定住自立圏"},
            towns,
            pr,
            about="tab text as copied from a PDF: blank lines, page footer － 23 －, running title, header repeated after each page break",
        )
    )
    hdr = "\t".join(["番号", "取組名"] + [w for w, c in towns] + ["連携町村数"])
    L = ["第４章　具体的取組", "", hdr]
    n = 0
    page = 23
    for k, x in heading_rows(t, 1):
        if k == "h":
            L.append(x[0])
            continue
        L.append("\t".join([str(x["number"]), x["name"], *x["marks"], str(sum(1 for m in x["marks"] if m))]))
        n += 1
        if n in (4, 8):
            L += ["", f"－ {page} －", "", "十勝定住自立圏共生ビジョン", "", hdr]
            page += 1
    L += ["", f"－ {page} －"]
    write_text(t.file, L)


# 13 XLSX vertical town headers (one char per line)
def t13():
    towns = [(x, x) for x in ["鷹栖町", "東神楽町", "当麻町", "比布町", "愛別町", "上川町", "東川町", "美瑛町"]]
    pr = simple_projects(13, 8, PLAN)
    t = reg(
        T(
            "t13_vertical_headers_kamikawa.xlsx",
            {"name": "上川中部定住自立圏", "kind": "定住自立圏"},
            towns,
            pr,
            about="XLSX: town headers written vertically, one character per line (鷹\\n栖\\n町)",
        )
    )
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["No", "事業名"] + ["\n".join(w) for w, c in towns] + ["連\n携\n町\n数"])
    for c in range(3, 12):
        ws.cell(1, c).alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
    for k, x in heading_rows(t, 1):
        ws.append(x[:1] if k == "h" else [x["number"], x["name"], *x["marks"], sum(1 for m in x["marks"] if m)])
    wb.save(path(t.file))


# 14 HTML with th scope=row names, vertical town headers with <br>/<span>, tfoot totals
def t14():
    towns = [(x, x) for x in ["韮崎市", "南アルプス市", "甲斐市", "笛吹市", "北杜市", "山梨市"]]
    pr = simple_projects(
        14,
        6,
        [
            (
                None,
                None,
                [
                    "創業支援事業",
                    "広域観光の推進",
                    "救急医療体制の確保",
                    "病児保育の広域利用",
                    "図書館の相互利用",
                    "地域公共交通の維持確保",
                    "合同職員研修",
                ],
            )
        ],
    )
    t = reg(
        T(
            "t14_html_scope_row_yamanashi.html",
            {"name": "やまなし県央連携中枢都市圏", "kind": "連携中枢都市圏"},
            towns,
            pr,
            about="HTML: number as <th scope=row>, town headers vertical with <br> inside <span>, totals in <tfoot>",
        )
    )
    h = [
        '<html><head><meta charset="utf-8"><title>連携事業一覧 - 甲府市</title></head><body>',
        '<nav><ul><li><a href="/">ホーム</a></li><li>市政情報</li></ul></nav>',
        "<h2>やまなし県央連携中枢都市圏ビジョン　連携事業一覧</h2>",
        '<table border="1"><caption>表　連携事業と参加市町</caption><thead><tr><th scope="col">番号</th><th scope="col">連携事業</th>'
        + "".join('<th scope="col"><span class="tate">' + "<br>".join(w) + "</span></th>" for w, c in towns)
        + '<th scope="col">連携市町数</th></tr></thead>',
    ]
    ct = t.col_totals()
    h.append(
        '<tfoot><tr><th scope="row" colspan="2">合計</th>'
        + "".join(f"<td>{c}</td>" for c in ct)
        + f"<td>{sum(ct)}</td></tr></tfoot><tbody>"
    )
    for p in pr:
        h.append(
            f'<tr><th scope="row">{p["number"]}</th><td><a href="/jigyo/{p["number"]}.html">{p["name"]}</a></td>'
            + "".join(f"<td>{m}</td>" for m in p["marks"])
            + f"<td>{sum(1 for m in p['marks'] if m)}</td></tr>"
        )
    h.append("</tbody></table></body></html>")
    write_text(t.file, h)


# 15 CSV: ● legend 参加, － not taking part, cross-prefecture
def t15():
    towns = [(x, x) for x in ["柳川市", "みやま市", "荒尾市", "南関町", "長洲町"]]
    pr = simple_projects(15, 5, PLAN[:4], mark="●")
    t = reg(
        T(
            "t15_black_legend_ariake.csv",
            {"name": "有明圏域定住自立圏", "kind": "定住自立圏"},
            towns,
            pr,
            about="CSV: legend ●：参加　－：不参加 above the header, every empty cell written －, sphere across 福岡県/熊本県",
        )
    )
    rows = [
        ["有明圏域定住自立圏共生ビジョン　具体的な取組一覧"],
        ["●：参加　　－：不参加"],
        ["番号", "取組名"] + [w for w, c in towns] + ["関係市町数"],
    ]
    for k, x in heading_rows(t, 8):
        rows.append(
            x
            if k == "h"
            else [str(x["number"]), x["name"], *[m or "－" for m in x["marks"]], str(sum(1 for m in x["marks"] if m))]
        )
    write_csv(t.file, rows)


# 16 DOCX: ●/○ lead/member with legend below; central city column; count includes central
def t16():
    towns = [(x, x) for x in ["金沢市", "白山市", "かほく市", "野々市市", "津幡町", "内灘町"]]
    rng = random.Random(16)
    pr = simple_projects(16, 6, PLAN[:4])
    for p in pr:
        p["marks"][0] = "○"
        lead = rng.choice([i for i, m in enumerate(p["marks"]) if m])
        p["marks"][lead] = "●"
        p["roles"] = {c: ("lead" if m == "●" else "member") for (w, c), m in zip(towns, p["marks"], strict=False) if m}
    t = reg(
        T(
            "t16_docx_lead_member_ishikawa.docx",
            {"name": "石川中央都市圏", "kind": "連携中枢都市圏"},
            towns,
            pr,
            about="DOCX: ● lead and ○ member, legend under the table (●：幹事市町　○：参加市町), central city 金沢市 as first column, count includes it",
        )
    )
    d = docx.Document()
    d.add_heading("第３章　連携協約に基づく具体的取組", 1)
    d.add_paragraph("本圏域における連携事業及び参加市町は次のとおりである。")
    tb = d.add_table(rows=1, cols=3 + len(towns))
    hdr = ["番号", "取組名"] + [w for w, c in towns] + ["参加市町数"]
    for c, v in zip(tb.rows[0].cells, hdr, strict=False):
        c.text = v
    for k, x in heading_rows(t, 1):
        r = tb.add_row().cells
        if k == "h":
            m = r[0].merge(r[-1])
            m.text = x[0]
        else:
            vals = [str(x["number"]), x["name"], *x["marks"], str(sum(1 for m in x["marks"] if m))]
            for c, v in zip(r, vals, strict=False):
                c.text = v
    d.add_paragraph("凡例　●：幹事市町　○：参加市町")
    d.add_paragraph("※参加市町数には金沢市を含む。")
    d.save(path(t.file))


# 17 XLSX: one declared count wrong
def t17():
    towns = [(x, x) for x in ["山県市", "本巣市", "瑞穂市", "北方町", "岐南町", "笠松町"]]
    pr = simple_projects(17, 6, PLAN)
    bad = 5  # project number 6 (index 5)
    t = reg(
        T(
            "t17_wrong_count_gifu.xlsx",
            {"name": "(岐阜市を中心とする連携中枢都市圏)", "kind": "連携中枢都市圏"},
            towns,
            pr,
            exit=1,
            about="XLSX: the declared count of project 6 is one too many",
        )
    )
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["番号", "事業名"] + [w for w, c in towns] + ["連携市町数"])
    rowof = {}
    for k, x in heading_rows(t, 1):
        if k == "h":
            ws.append(x[:1])
            continue
        n = sum(1 for m in x["marks"] if m) + (1 if x["number"] == bad + 1 else 0)
        ws.append([x["number"], x["name"], *x["marks"], n])
        rowof[x["number"]] = ws.max_row
    t.faults.append(
        {
            "code": "count-mismatch",
            "project": bad + 1,
            "cell": f"I{rowof[bad + 1]}",
            "declared": t.counts()[bad] + 1,
            "marks": t.counts()[bad],
        }
    )
    wb.save(path(t.file))


# 18 CSV: totals row wrong for one town
def t18():
    towns = [(x, x) for x in ["宍粟市", "上郡町", "佐用町"]]
    pr = simple_projects(18, 3, PLAN[:4])
    t = reg(
        T(
            "t18_wrong_totals_harima_kagaku.csv",
            {"name": "播磨科学公園都市圏域定住自立圏", "kind": "定住自立圏"},
            towns,
            pr,
            exit=1,
            about="CSV: the 事業数 row at the bottom is one short for 上郡町 (and the grand total agrees with the wrong figures)",
        )
    )
    ct = t.col_totals()
    wrong = list(ct)
    wrong[1] -= 1
    rows = [["番号", "事業名", "宍粟市", "上郡町", "佐用町", "計"]]
    for k, x in heading_rows(t, 6):
        rows.append(x if k == "h" else [str(x["number"]), x["name"], *x["marks"], str(sum(1 for m in x["marks"] if m))])
    rows.append(["事業数", "", *map(str, wrong), str(sum(wrong))])
    t.faults.append(
        {
            "code": "total-mismatch (per-town)",
            "town": "上郡町",
            "line": len(rows),
            "column": 4,
            "declared": wrong[1],
            "marks": ct[1],
        }
    )
    t.faults.append(
        {
            "code": "grand total disagrees with marks",
            "line": len(rows),
            "column": 6,
            "declared": sum(wrong),
            "marks": sum(ct),
        }
    )
    write_csv(t.file, rows)


# 19 text with ◯ (U+25EF) marks and full-width-space blanks
def t19():
    towns = [(x, x) for x in ["宇佐市", "豊後高田市", "豊前市", "築上町", "上毛町", "吉富町"]]
    pr = simple_projects(19, 6, PLAN[:4], mark="◯")
    t = reg(
        T(
            "t19_big_circle_suonada.txt",
            {"name": "九州周防灘地域定住自立圏", "kind": "定住自立圏"},
            towns,
            pr,
            about="tab text; marks are ◯ (U+25EF LARGE CIRCLE), blanks are a full-width space",
        )
    )
    L = ["\t".join(["番号", "事業名"] + [w for w, c in towns] + ["連携市町数"])]
    for k, x in heading_rows(t, 1):
        L.append(
            x[0]
            if k == "h"
            else "\t".join(
                [str(x["number"]), x["name"], *[m or "　" for m in x["marks"]], str(sum(1 for m in x["marks"] if m))]
            )
        )
    write_text(t.file, L)


# 20 DOCX: table split into two Word tables at a page break, header repeated, (続き)
def t20():
    towns = [(x, x) for x in ["直方市", "行橋市", "豊前市", "中間市", "宮若市", "芦屋町", "水巻町", "岡垣町"]]
    pr = simple_projects(20, 8, PLAN)
    t = reg(
        T(
            "t20_docx_split_kitakyushu.docx",
            {"name": "北九州都市圏域", "kind": "連携中枢都市圏"},
            towns,
            pr,
            about="DOCX: the project table is cut in two Word tables at a page break, header repeated, a 「（前頁からの続き）」 paragraph between",
        )
    )
    d = docx.Document()
    d.add_heading("北九州都市圏域連携中枢都市圏ビジョン", 1)
    d.add_paragraph("表４　連携事業一覧")
    hdr = ["番号", "事業名"] + [w for w, c in towns] + ["連携市町数"]
    items = list(heading_rows(t, 1))
    cut = 8
    for part in (items[:cut], items[cut:]):
        tb = d.add_table(rows=1, cols=len(hdr))
        for c, v in zip(tb.rows[0].cells, hdr, strict=False):
            c.text = v
        for k, x in part:
            r = tb.add_row().cells
            if k == "h":
                m = r[0].merge(r[-1])
                m.text = x[0]
            else:
                for c, v in zip(
                    r, [str(x["number"]), x["name"], *x["marks"], str(sum(1 for m in x["marks"] if m))], strict=False
                ):
                    c.text = v
        if part is items[:cut] or part == items[:cut]:
            d.add_paragraph("－ 12 －")
            d.add_page_break()
            d.add_paragraph("（前頁からの続き）")
    d.save(path(t.file))


# 21 CSV: ○ participates, △ under consideration (not counted), legend says so
def t21():
    towns = [(x, x) for x in ["別府市", "臼杵市", "津久見市", "竹田市", "豊後大野市", "由布市", "日出町"]]
    rng = random.Random(21)
    pr = simple_projects(21, 7, PLAN[:4])
    for p in pr:
        blanks = [i for i, m in enumerate(p["marks"]) if not m]
        if blanks and rng.random() < 0.6:
            i = rng.choice(blanks)
            p["marks"][i] = "△"
            p.setdefault("nonpart", {})[towns[i][1]] = True
    t = reg(
        T(
            "t21_triangle_oita.csv",
            {"name": "大分都市広域圏", "kind": "連携中枢都市圏"},
            towns,
            pr,
            about="CSV: ○ takes part, △ 今後実施を検討 (not counted in 連携市町数), legend under the table",
        )
    )
    rows = [["番号", "連携事業", *[w for w, c in towns], "連携市町数"]]
    for k, x in heading_rows(t, 10):
        rows.append(
            x if k == "h" else [str(x["number"]), x["name"], *x["marks"], str(sum(1 for m in x["marks"] if m == "○"))]
        )
    rows.append(["○：連携して実施　△：今後実施を検討（連携市町数には含まない）"])
    write_csv(t.file, rows)


# 22 text from a PDF with long names wrapped onto a continuation line
def t22():
    towns = [(x, x) for x in ["坂祝町", "富加町", "川辺町", "七宗町", "八百津町", "白川町", "東白川村"]]
    names = [
        "休日急病診療所の共同運営",
        "中濃地域における救急医療体制の確保と医療従事者の確保",
        "病児・病後児保育施設の広域利用の推進",
        "成年後見支援センターの共同設置",
        "美濃加茂市コミュニティバスと町村営バスとの乗継利便性の向上",
        "移住・定住促進に向けた共同プロモーション",
        "合同職員研修",
    ]
    pr = simple_projects(22, 7, [(None, None, names)])
    t = reg(
        T(
            "t22_wrapped_names_minokamo.txt",
            {"name": "みのかも定住自立圏", "kind": "定住自立圏"},
            towns,
            pr,
            about="tab text from a PDF copy: long names wrapped, the rest of the name on the next line alone in the name column",
        )
    )
    L = ["\t".join(["番号", "取組名"] + [w for w, c in towns] + ["連携町村数"])]
    for p in pr:
        nm = p["name"]
        if len(nm) > 14:
            L.append("\t".join([str(p["number"]), nm[:14], *p["marks"], str(sum(1 for m in p["marks"] if m))]))
            L.append("\t" + nm[14:])
        else:
            L.append("\t".join([str(p["number"]), nm, *p["marks"], str(sum(1 for m in p["marks"] if m))]))
    write_text(t.file, L)


# 23 TSV: marks with footnote references (○※1) and notes under the table
def t23():
    towns = [(x, x) for x in ["香春町", "添田町", "糸田町", "川崎町", "大任町", "赤村", "福智町"]]
    pr = simple_projects(23, 7, PLAN[:4])
    pr[1]["marks"][2] = "○※1"
    pr[4]["marks"][5] = "○※2"
    pr[6]["marks"][0] = "○※1"
    t = reg(
        T(
            "t23_footnoted_marks_tagawa.tsv",
            {"name": "田川広域定住自立圏", "kind": "定住自立圏"},
            towns,
            pr,
            about="TSV: some marks carry footnote references (○※1), notes under the table",
        )
    )
    L = ["\t".join(["番号", "事業名"] + [w for w, c in towns] + ["連携町村数"])]
    for k, x in heading_rows(t, 1):
        L.append(
            x[0]
            if k == "h"
            else "\t".join([str(x["number"]), x["name"], *x["marks"], str(sum(1 for m in x["marks"] if m))])
        )
    L += ["", "※1　令和７年度から参加", "※2　一部の施設のみ対象"]
    write_text(t.file, L)


# 24 cp932 CSV: prefecture in parentheses after the name, 六ケ所村 with a big ケ
def t24():
    towns = [
        ("野辺地町", "野辺地町"),
        ("七戸町", "七戸町"),
        ("六戸町", "六戸町"),
        ("横浜町", "横浜町"),
        ("東北町", "東北町"),
        ("六ケ所村", "六ヶ所村"),
        ("おいらせ町", "おいらせ町"),
        ("小坂町（秋田県）", "小坂町"),
    ]
    pr = simple_projects(24, 8, PLAN)
    t = reg(
        T(
            "t24_paren_pref_kamitosan_sjis.csv",
            {"name": "上十三・十和田湖広域定住自立圏", "kind": "定住自立圏"},
            towns,
            pr,
            about="cp932 CSV; 小坂町（秋田県） with the prefecture after the name in parentheses; 六ケ所村 with a large ケ",
        )
    )
    rows = [["番号", "事業名"] + [w for w, c in towns] + ["連携町村数"]]
    for k, x in heading_rows(t, 11):
        rows.append(x if k == "h" else [str(x["number"]), x["name"], *x["marks"], str(sum(1 for m in x["marks"] if m))])
    write_csv(t.file, rows, enc="cp932")


# 25 HTML: thead + several tbody, each starting with a field row in <th colspan>
def t25():
    towns = [
        ("岩美町", "岩美町"),
        ("若桜町", "若桜町"),
        ("智頭町", "智頭町"),
        ("八頭町", "八頭町"),
        ("新温泉町", "新温泉町"),
    ]
    pr = simple_projects(25, 5, PLAN)
    t = reg(
        T(
            "t25_html_tbodies_tottori_inaba.html",
            {"name": "鳥取・因幡定住自立圏", "kind": "定住自立圏"},
            towns,
            pr,
            about="HTML: a <thead>, then one <tbody> per field with its field name in a <th colspan> row; Shift_JIS declared in meta",
        )
    )
    h = [
        '<html><head><meta http-equiv="Content-Type" content="text/html; charset=Shift_JIS"><title>鳥取・因幡定住自立圏</title></head><body>',
        '<table summary="連携事業一覧"><thead><tr><th>番号</th><th>事業名</th>'
        + "".join(f"<th>{w}</th>" for w, c in towns)
        + "<th>連携町数</th></tr></thead>",
    ]
    last = None
    for p in pr:
        key = (p["pillar"], p["field"])
        if key != last:
            if last:
                h.append("</tbody>")
            h.append(f'<tbody><tr><th colspan="8" style="text-align:left">{p["pillar"]}　{p["field"]}</th></tr>')
            last = key
        h.append(
            f"<tr><td>{p['number']}</td><td>{p['name']}</td>"
            + "".join(f"<td>{m}</td>" for m in p["marks"])
            + f"<td>{sum(1 for m in p['marks'] if m)}</td></tr>"
        )
    h.append("</tbody></table></body></html>")
    Path(path(t.file)).write_bytes("\n".join(h).encode("cp932"))


# 26 XLSX: Wingdings check mark (ü shown as ✓)
def t26():
    towns = [(x, x) for x in ["遊佐町", "三川町", "庄内町"]]
    pr = simple_projects(26, 3, PLAN[:4], mark="ü")
    t = reg(
        T(
            "t26_wingdings_shonai.xlsx",
            {"name": "庄内北部定住自立圏", "kind": "定住自立圏"},
            towns,
            pr,
            about="XLSX: the mark is the letter ü in the Wingdings font, which Excel shows as a check mark ✓",
        )
    )
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["番号", "事業名"] + [w for w, c in towns] + ["連携町数"])
    for k, x in heading_rows(t, 1):
        if k == "h":
            ws.append(x[:1])
            continue
        ws.append([x["number"], x["name"], *x["marks"], sum(1 for m in x["marks"] if m)])
        for c in range(3, 6):
            ws.cell(ws.max_row, c).font = Font(name="Wingdings")
    wb.save(path(t.file))


# 27 TSV: town names padded with full-width spaces (錦　　町, 湯　前　町)
def t27():
    base = ["錦町", "多良木町", "湯前町", "水上村", "相良村", "五木村", "山江村", "球磨村", "あさぎり町"]

    def pad(n):
        if len(n) == 2:
            return n[0] + "　　" + n[1]
        if len(n) == 3:
            return "　".join(n)
        return n

    towns = [(pad(x), x) for x in base]
    pr = simple_projects(27, 9, PLAN)
    t = reg(
        T(
            "t27_padded_names_hitoyoshi.txt",
            {"name": "人吉球磨定住自立圏", "kind": "定住自立圏"},
            towns,
            pr,
            about="tab text; short town names padded with full-width spaces to line up (錦　　町, 湯　前　町)",
        )
    )
    write_plain_text(t, towns, "計")


# 28 control: 〇 marks, ― blanks, 合計 row, 関係市町村数
def t28():
    towns = [(x, x) for x in ["登別市", "伊達市", "豊浦町", "壮瞥町", "洞爺湖町"]]
    pr = simple_projects(28, 5, PLAN, mark="〇")
    t = reg(
        T(
            "t28_control_nishi_iburi.csv",
            {"name": "西いぶり定住自立圏", "kind": "定住自立圏"},
            towns,
            pr,
            about="control: 〇 (U+3007), ― for blanks, 合計 row, count 関係市町村数",
        )
    )
    rows = [["番号", "事業名"] + [w for w, c in towns] + ["関係市町村数"]]
    for k, x in heading_rows(t, 8):
        rows.append(
            x
            if k == "h"
            else [str(x["number"]), x["name"], *[m or "―" for m in x["marks"]], str(sum(1 for m in x["marks"] if m))]
        )
    ct = t.col_totals()
    rows.append(["合計", "", *map(str, ct), str(sum(ct))])
    write_csv(t.file, rows)


# 29 XLSX transposed: towns as rows, projects as columns with pillar merged across columns
def t29():
    towns = [
        ("岩美町", "岩美町"),
        ("若桜町", "若桜町"),
        ("智頭町", "智頭町"),
        ("八頭町", "八頭町"),
        ("新温泉町", "新温泉町"),
        ("香美町", "香美町"),
    ]
    plan = [
        ("経済成長のけん引", None, ["創業支援事業", "広域観光の推進", "地場産品の販路拡大"]),
        ("都市機能の集積・強化", None, ["救急医療体制の確保", "図書館の相互利用"]),
        ("生活関連機能サービスの向上", None, ["地域公共交通の維持確保", "合同職員研修"]),
    ]
    pr = simple_projects(29, 6, plan)
    t = reg(
        T(
            "t29_transposed_pillars_kirin.xlsx",
            {"name": "因幡・但馬麒麟のまち連携中枢都市圏", "kind": "連携中枢都市圏"},
            towns,
            pr,
            about="XLSX transposed: towns as rows; projects as columns under pillar headings merged across their columns; numbers row, names row",
        )
    )
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["市町村別の連携事業への参加状況"])
    row_p = [""]
    row_n = ["番号"]
    row_m = ["市町名"]
    for p in pr:
        row_p.append(p["pillar"])
        row_n.append(p["number"])
        row_m.append(p["name"])
    ws.append([*row_p, ""])
    ws.append([*row_n, ""])
    ws.append([*row_m, "参加事業数"])
    c = 2
    for _pil, _, names in plan:
        if len(names) > 1:
            for k in range(1, len(names)):
                ws.cell(2, c + k).value = None
            ws.merge_cells(start_row=2, start_column=c, end_row=2, end_column=c + len(names) - 1)
        c += len(names)
    for i, (w, _cn) in enumerate(towns):
        ws.append([w] + [p["marks"][i] for p in pr] + [t.col_totals()[i]])
    ws.append(["連携市町数", *t.counts(), sum(t.counts())])
    wb.save(path(t.file))


# 30 XLSX: two rows per project (name, then description), number/marks/count merged across both
def t30():
    towns = [(x, x) for x in ["さぬき市", "東かがわ市", "土庄町", "小豆島町", "三木町", "直島町", "綾川町"]]
    pr = simple_projects(
        30,
        7,
        [
            (
                None,
                None,
                [
                    "創業支援事業",
                    "広域観光の推進",
                    "救急医療体制の確保",
                    "図書館の相互利用",
                    "地域公共交通の維持確保",
                    "合同職員研修",
                ],
            )
        ],
    )
    t = reg(
        T(
            "t30_two_rows_per_project_seto.xlsx",
            {"name": "瀬戸・高松広域連携中枢都市圏", "kind": "連携中枢都市圏"},
            towns,
            pr,
            about="XLSX: each project takes two rows (name above, 事業内容 below); number, marks and count merged down the pair",
        )
    )
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["番号", "事業名／事業内容"] + [w for w, c in towns] + ["連携市町数"])
    for p in pr:
        r = ws.max_row + 1
        ws.append([p["number"], p["name"], *p["marks"], sum(1 for m in p["marks"] if m)])
        ws.append(["", f"（内容）{p['name']}について、高松市と連携して取り組む。"] + [""] * (len(towns) + 1))
        for col in [1, *list(range(3, 4 + len(towns)))]:
            ws.cell(r + 1, col).value = None
            ws.merge_cells(start_row=r, start_column=col, end_row=r + 1, end_column=col)
    wb.save(path(t.file))


# 31 HTML: marks as images with alt text
def t31():
    towns = [
        ("東御市", "東御市"),
        ("長和町", "長和町"),
        ("青木村", "青木村"),
        ("坂城町", "坂城町"),
        ("立科町", "立科町"),
        ("嬬恋村", "嬬恋村"),
    ]
    pr = simple_projects(31, 6, PLAN[:4])
    t = reg(
        T(
            "t31_html_img_alt_ueda.html",
            {"name": "上田地域定住自立圏", "kind": "定住自立圏"},
            towns,
            pr,
            about='HTML: marks are <img alt="○"> icons, empty cells have &nbsp;; 嬬恋村 is in 群馬県',
        )
    )
    h = [
        '<!DOCTYPE html><html><head><meta charset="utf-8"><title>上田地域定住自立圏</title></head><body>',
        '<h1>上田地域定住自立圏共生ビジョン</h1><h2>具体的な取組</h2><table class="tbl">',
        "<tr><th>番号</th><th>取組名</th>" + "".join(f"<th>{w}</th>" for w, c in towns) + "<th>連携市町村数</th></tr>",
    ]
    last = None
    for p in pr:
        if p["pillar"] != last:
            h.append(f'<tr><td colspan="9"><b>{p["pillar"]}</b></td></tr>')
            last = p["pillar"]
        if p["field"] and p.get("_f") is None:
            pass
        h.append(
            f"<tr><td>{p['number']}</td><td>{p['name']}</td>"
            + "".join(
                ('<td><img src="/img/icon_maru.png" alt="○" width="16"></td>' if m else "<td>&nbsp;</td>")
                for m in p["marks"]
            )
            + f"<td>{sum(1 for m in p['marks'] if m)}</td></tr>"
        )
    h.append("</table></body></html>")
    write_text(t.file, h)


# 32 totals row at the top, wrong for one town (CSV)
def t32():
    towns = [(x, x) for x in ["美深町", "音威子府村", "中川町", "幌加内町", "和寒町", "剣淵町"]]
    pr = simple_projects(32, 6, PLAN[:4])
    t = reg(
        T(
            "t32_totals_top_wrong_kita_hokkaido.csv",
            {"name": "北・北海道中央圏域定住自立圏", "kind": "定住自立圏"},
            towns,
            pr,
            exit=1,
            about="CSV: the 合計 row stands first under the header and is one too many for 中川町",
        )
    )
    ct = t.col_totals()
    wrong = list(ct)
    wrong[2] += 1
    rows = [
        ["番号", "事業名"] + [w for w, c in towns] + ["連携町村数"],
        ["合計", "", *map(str, wrong), str(sum(wrong))],
    ]
    t.faults.append(
        {"code": "total-mismatch", "town": "中川町", "line": 2, "column": 5, "declared": wrong[2], "marks": ct[2]}
    )
    t.faults.append({"code": "grand total disagrees", "line": 2, "column": 9, "declared": sum(wrong), "marks": sum(ct)})
    for k, x in heading_rows(t, 9):
        rows.append(x if k == "h" else [str(x["number"]), x["name"], *x["marks"], str(sum(1 for m in x["marks"] if m))])
    write_csv(t.file, rows)


# 33 DOCX with a wrong count in one row, count column at the left
def t33():
    towns = [(x, x) for x in ["三股町", "曽於市", "志布志市"]]
    pr = simple_projects(33, 3, PLAN[:4])
    t = reg(
        T(
            "t33_docx_wrong_count_left_miyakonojo.docx",
            {"name": "都城広域定住自立圏", "kind": "定住自立圏"},
            towns,
            pr,
            exit=1,
            about="DOCX: the count column stands second (left of the name); project 3 declares one fewer than its marks",
        )
    )
    d = docx.Document()
    d.add_paragraph("都城広域定住自立圏共生ビジョン　具体的取組")
    tb = d.add_table(rows=1, cols=6)
    for c, v in zip(tb.rows[0].cells, ["番号", "連携市町数", "取組名", "三股町", "曽於市", "志布志市"], strict=False):
        c.text = v
    for p in pr:
        n = sum(1 for m in p["marks"] if m) - (1 if p["number"] == 3 else 0)
        for c, v in zip(tb.add_row().cells, [str(p["number"]), str(n), p["name"], *p["marks"]], strict=False):
            c.text = v
    t.faults.append(
        {
            "code": "count-mismatch",
            "project": 3,
            "table_row": 4,
            "column": 2,
            "declared": t.counts()[2] - 1,
            "marks": t.counts()[2],
        }
    )
    d.save(path(t.file))


if __name__ == "__main__":
    for name, fn in sorted(globals().items()):
        if name.startswith("t") and name[1:].isdigit():
            fn()
    for t in T_ALL:
        t.write_expect()
    print(len(T_ALL), "tables")
