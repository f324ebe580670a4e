"""PDFs of shapes5 and text copied out of them: p01 (伊万里・有田地区, a LibreOffice Writer PDF of a Word table over
two pages with its header repeated), p02 (宗谷, a chromium PDF with the towns' names written vertically), t01 (the
`pdftotext -layout` copy of p01), t02 (the copy of p02 one cell to a line, as a PDF viewer gives it)."""
import os
import re
import subprocess

import docx
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from common import PILLAR_T, Proj, chromium_pdf, expect_project, path, soffice_convert, totals, write_expect


def repeat_header(row):
    trPr = row._tr.get_or_add_trPr()
    el = OxmlElement("w:tblHeader")
    el.set(qn("w:val"), "true")
    trPr.append(el)


def put(cell, text, bold=False, center=False, size=None):
    cell.text = ""
    para = cell.paragraphs[0]
    run = para.add_run(text)
    run.bold = bold
    if size:
        run.font.size = Pt(size)
    if center:
        para.alignment = 1


def imari_projects():
    t1, t2, t3 = PILLAR_T
    P = Proj
    return [
        (t1, [P("1", "伊万里・有田地区の救急医療体制の確保", "oo", "伊万里有田共立病院を核とした二次救急医療体制を維持するため、運営費の一部を両市町で負担するとともに、救急搬送の円滑化について消防本部と連携して取り組む。", field="医療"),
              P("2", "休日・夜間の初期救急医療の確保", "oo", "在宅当番医制及び休日急患医療センターの運営を両市町の医師会と連携して行い、圏域住民が休日・夜間に受診できる体制を確保する。", field="医療"),
              P("3", "地域医療を担う人材の確保", "oo", "看護師等の修学資金貸与制度の周知、合同就職説明会の開催などにより、圏域の医療機関で働く医療従事者を確保する。", field="医療"),
              P("4", "病児・病後児保育の広域利用", "oo", "病児・病後児保育施設を両市町の住民が相互に利用できるよう利用調整を行い、利用料の負担を統一する。", field="福祉"),
              P("5", "子育て支援センターの相互利用", "oo", "地域子育て支援センターの事業を相互に案内し、圏域の親子が身近な施設を利用できるようにする。", field="福祉"),
              P("6", "障がい者の相談支援体制の充実", "oo", "基幹相談支援センターを共同で運営し、障がいのある人とその家族の相談に一体的に対応する。", field="福祉"),
              P("7", "高齢者の見守りと認知症施策の推進", "oo", "認知症初期集中支援チームの連携と徘徊高齢者等の見守りネットワークの広域化に取り組む。", field="福祉"),
              P("8", "図書館の相互利用", "oo", "伊万里市民図書館と有田町図書館の相互貸出を行い、蔵書の検索システムを連携させる。", field="教育"),
              P("9", "伊万里焼・有田焼の振興", "oo", "やきものの産地として共同での展示会・商談会への出展、後継者の育成、海外への販路開拓に取り組む。", field="産業振興"),
              P("10", "広域観光の推進", "oo", "大川内山・有田の窯元めぐり等を結ぶ周遊観光ルートを造成し、観光情報を一体的に発信する。", field="産業振興"),
              P("11", "伊万里牛・農産物のブランド化", "oo", "伊万里牛、梨、ぶどう等の農産物の共同PRと、学校給食等での地産地消を推進する。", field="産業振興"),
              P("12", "企業誘致と雇用の確保", "oo", "工業団地への企業誘致活動を共同で行い、圏域内の雇用情報を共有して就職を支援する。", field="産業振興")]),
        (t2, [P("13", "地域公共交通の確保", "oo", "松浦鉄道と路線バスの維持確保、乗継ぎの改善及び利用促進の共同PRを行う。", field="地域公共交通"),
              P("14", "道路ネットワークの整備促進", "oo", "西九州自動車道の整備促進と、両市町を結ぶ国道・県道の改良について共同で要望する。", field="道路等の交通インフラ"),
              P("15", "ICTを活用した情報発信", "oo", "圏域の行政・観光情報をSNS等で共同発信し、防災情報の伝達でも連携する。", field="ICTインフラ"),
              P("16", "移住・定住の促進", "oo", "移住相談会への共同出展、空き家バンクの情報共有、移住体験の受入れを行う。", field="交流・移住"),
              P("17", "圏域住民の交流の促進", "oo", "スポーツ・文化イベントの相互参加を促し、圏域住民の交流を深める。", field="交流・移住")]),
        (t3, [P("18", "職員の合同研修", "oo", "階層別研修・専門研修を合同で開催し、職員の能力向上を図る。", field="人材育成"),
              P("19", "職員の人事交流", "oo", "両市町の職員の相互派遣により、業務の理解と連携を深める。", field="人材育成"),
              P("20", "外部専門家の活用", "oo", "圏域の課題に応じて外部の専門家を共同で招へいし、助言を受ける。", field="外部人材の活用")]),
    ]


# ------------------------------------------------------------------ p01 伊万里・有田地区 (Writer PDF)
def p01():
    fname = "p01_pdf_soffice_two_pages_header_repeated_imari.pdf"
    src = "p01_src_imari.docx"
    order = ["伊万里市", "有田町"]
    plan = imari_projects()
    d = docx.Document()
    s = d.sections[0]
    s.orientation = WD_ORIENT.LANDSCAPE
    s.page_width, s.page_height = Mm(297), Mm(210)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(s, side, Mm(15))
    st = d.styles["Normal"]
    st.font.size = Pt(10)
    st.font.name = "Noto Sans CJK JP"
    st.element.rPr.rFonts.set(qn("w:eastAsia"), "Noto Sans CJK JP")
    s.footer.paragraphs[0].text = "伊万里・有田地区定住自立圏共生ビジョン"
    s.footer.paragraphs[0].alignment = 1
    t = d.add_paragraph()
    r = t.add_run("伊万里・有田地区定住自立圏共生ビジョン　連携事業一覧")
    r.bold = True
    r.font.size = Pt(14)
    d.add_paragraph("伊万里市と有田町が定住自立圏形成協定に基づき連携して取り組む事業は、次のとおりである。")
    hdr = ["番号", "分野", "取組", "取組の内容"] + order + ["連携市町数"]
    nproj = sum(len(ps) for _, ps in plan)
    tb = d.add_table(rows=1 + len(plan) + nproj + 1, cols=len(hdr))
    tb.style = "Table Grid"
    tb.alignment = WD_TABLE_ALIGNMENT.CENTER
    for i, h in enumerate(hdr):
        put(tb.cell(0, i), h, bold=True, center=True)
    repeat_header(tb.rows[0])
    ri = 1
    projects = []
    for k, (pillar, ps) in enumerate(plan):
        put(tb.cell(ri, 0).merge(tb.cell(ri, len(hdr) - 1)), f"【{pillar}】", bold=True)
        ri += 1
        for p in ps:
            p.pillar = pillar
            put(tb.cell(ri, 0), p.label, center=True)
            put(tb.cell(ri, 1), p.field)
            put(tb.cell(ri, 2), p.name)
            put(tb.cell(ri, 3), p.desc, size=9)
            for i, ch in enumerate(p.marks):
                put(tb.cell(ri, 4 + i), "○" if ch == "o" else "－", center=True)
            put(tb.cell(ri, 4 + len(order)), str(p.count()), center=True)
            projects.append(p)
            ri += 1
    tot = totals(projects, len(order))
    put(tb.cell(ri, 0).merge(tb.cell(ri, 3)), "連携事業数計", center=True)
    for i, v in enumerate(tot):
        put(tb.cell(ri, 4 + i), str(v), center=True)
    put(tb.cell(ri, 4 + len(order)), str(sum(tot)), center=True)
    widths = [Mm(11), Mm(30), Mm(56), Mm(108), Mm(19), Mm(19), Mm(24)]
    tb.autofit = False
    for i, w in enumerate(widths):
        tb.columns[i].width = w
    for row in tb.rows:
        for i, c in enumerate(row.cells):
            c.width = widths[i]
    d.save(path(src))
    soffice_convert(path(src), "pdf", path(fname))
    pages = subprocess.run(["pdfinfo", path(fname)], capture_output=True, text=True).stdout
    assert re.search(r"Pages:\s+2\n", pages), pages
    exp = [expect_project(p, order, int(p.label)) for p in projects]
    about = ("a LibreOffice Writer PDF (from p01_src_imari.docx) of one Word table running over two landscape pages, "
             "its header row repeated at the top of page 2 (Repeat as header row), a running footer on each page, a "
             "title and a sentence above the table; pillar rows 【…】 merged across, a 分野 column, long 取組の内容 "
             "wrapping over several lines, － for no, 連携事業数計 at the end")
    write_expect(fname, about, "伊万里・有田地区定住自立圏", "定住自立圏", order, exp, 0,
                 findings=[{"code": "pdf-pages", "severity": "info"},
                           {"code": "page-furniture-skipped", "severity": "info"}])
    # t01: its layout copy
    tname = "t01_layout_two_pages_header_repeated_imari.txt"
    txt = subprocess.run(["pdftotext", "-layout", path(fname), "-"], capture_output=True, text=True, check=True).stdout
    with open(path(tname), "w", encoding="utf-8") as f:
        f.write(txt)
    write_expect(tname, "`pdftotext -layout` of p01: the title, the sentence, the header on each page, descriptions "
                 "wrapped onto continuation lines, the footer line and a form feed between the pages",
                 "伊万里・有田地区定住自立圏", "定住自立圏", order, exp, 0,
                 findings=[{"code": "row-continued", "severity": "info"},
                           {"code": "page-furniture-skipped", "severity": "info"}])


# ------------------------------------------------------------------ p02 宗谷 (chromium PDF, vertical names)
SOYA_HTML = """<!DOCTYPE html>
<html lang="ja"><head><meta charset="utf-8"><title>宗谷定住自立圏共生ビジョン</title>
<style>
@page {{ size: A4 landscape; margin: 12mm; }}
body {{ font-family: 'Noto Sans CJK JP', 'IPAexGothic', sans-serif; font-size: 9.5pt; }}
h1 {{ font-size: 14pt; margin: 0 0 4pt 0; }}
p.legend {{ margin: 0 0 6pt 0; }}
table {{ border-collapse: collapse; width: 100%; }}
th, td {{ border: 1px solid #333; padding: 2px 3px; }}
th.v {{ writing-mode: vertical-rl; text-orientation: upright; height: 6.5em; width: 1.8em; font-weight: normal; }}
td.m {{ text-align: center; }}
tr.pillar td {{ background: #eee; font-weight: bold; }}
</style></head><body>
<h1>宗谷定住自立圏共生ビジョン　連携事業一覧</h1>
<p class="legend">◎：取組の中心となる市町村　○：連携して取り組む市町村</p>
<table>
<thead><tr><th>番号</th><th>連携事業</th>{names}<th>連携<br>市町村数</th></tr></thead>
<tbody>
{rows}
</tbody>
</table>
</body></html>
"""


def p02(fname="p02_pdf_chromium_vertical_names_lead_soya.pdf", src="p02_src_soya.html", blank=""):
    order = ["稚内市", "猿払村", "浜頓別町", "中頓別町", "枝幸町", "豊富町", "礼文町", "利尻町", "利尻富士町", "幌延町"]
    t1, t2, t3 = PILLAR_T
    P = Proj
    plan = [
        (t1, [P("1", "宗谷地域の救急医療体制の確保", "Loooooooooo"[:10]),
              P("2", "地域医療を担う医師・看護師の確保", "Lo-oo-ooo-"),
              P("3", "離島の医療・保健体制の確保", "L-----ooo-"),
              P("4", "病児保育の広域利用", "L----o---o"),
              P("5", "宗谷の広域観光の推進", "Looooooooo"),
              P("6", "水産物・酪農製品の販路拡大", "oLoooo---o"),
              P("7", "有害鳥獣対策の連携", "o-Lo-o---o")]),
        (t2, [P("8", "地域公共交通の確保", "Looo-o---o"),
              P("9", "離島航路・航空路の維持", "L-----ooo-"),
              P("10", "移住・交流の推進", "Looooooooo")]),
        (t3, [P("11", "職員の合同研修", "Looooooooo"),
              P("12", "専門職員の確保と派遣", "L--o-o-o-o")]),
    ]
    rows = []
    projects = []
    for k, (pillar, ps) in enumerate(plan):
        rows.append(f'<tr class="pillar"><td colspan="{3 + len(order)}">{k + 1}　{pillar}</td></tr>')
        for p in ps:
            assert len(p.marks) == 10
            p.pillar = pillar
            cells = [f'<td class="m">{p.label}</td>', f"<td>{p.name}</td>"]
            cells += [f'<td class="m">{ {"L": "◎", "o": "○", "-": blank}[ch] }</td>' for ch in p.marks]
            cells.append(f'<td class="m">{p.count()}</td>')
            rows.append("<tr>" + "".join(cells) + "</tr>")
            projects.append(p)
    tot = totals(projects, len(order))
    rows.append('<tr><td colspan="2">連携事業数計</td>' + "".join(f'<td class="m">{t}</td>' for t in tot)
                + f'<td class="m">{sum(tot)}</td></tr>')
    html = SOYA_HTML.format(names="".join(f'<th class="v">{m}</th>' for m in order), rows="\n".join(rows))
    with open(path(src), "w", encoding="utf-8") as f:
        f.write(html)
    chromium_pdf(path(src), path(fname))
    exp = [expect_project(p, order, int(p.label), lead_legend=True) for p in projects]
    if blank:
        return order, exp
    write_expect(fname, "a chromium PDF (from p02_src_soya.html) of 10 municipalities whose names stand vertically in "
                 "the header (writing-mode: vertical-rl, upright), a legend ◎：取組の中心となる市町村　○：連携して取り組む"
                 "市町村 under the title, pillar rows merged across, 連携<br>市町村数 on two lines, 連携事業数計 at the end",
                 "宗谷定住自立圏", "定住自立圏", order, exp, 0,
                 findings=[{"code": "pdf-pages", "severity": "info"}])
    return order, exp


def t02():
    """The same page with － in every blank cell, printed by chromium, then copied out in the order the PDF draws its
    text (`pdftotext -raw`, what a viewer's select-all and copy gives): each row on a line with single spaces, and
    the vertical names one character to a line."""
    pdf = "t02_src_soya_dash.pdf"
    order, exp = p02(pdf, "t02_src_soya_dash.html", blank="－")
    tname = "t02_viewer_copy_vertical_names_one_char_per_line_soya.txt"
    txt = subprocess.run(["pdftotext", "-raw", path(pdf), "-"], capture_output=True, text=True, check=True).stdout
    with open(path(tname), "w", encoding="utf-8") as f:
        f.write(txt)
    write_expect(tname, "text copied out of a chromium PDF in drawing order (pdftotext -raw of t02_src_soya_dash.pdf, "
                 "the p02 page with － in every blank cell): title and legend lines, 番号 連携事業 on a line, then each "
                 "vertical name one character to a line (稚/内/市/猿/払/村 …, 利/尻/富/士/町), 連携/市町村数 on two lines, "
                 "then every row on one line with cells one space apart, pillar lines between them",
                 "宗谷定住自立圏", "定住自立圏", order, exp, 0,
                 findings=[{"code": "text-space-separated", "severity": "warning",
                            "why": "the cells are one space apart; every cell is written, so no position is lost"}])


if __name__ == "__main__":
    p01()
    p02()
    t02()
