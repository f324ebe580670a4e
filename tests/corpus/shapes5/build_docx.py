"""Word tables of shapes5: d01 (釜石・大槌, one table split in two, 分野 merged down, 〇/●), d02 (四万十市・宿毛市,
two central cities, a column with no name holding a stray mark)."""
import docx
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from common import PILLAR_T, Proj, expect_project, path, totals, write_expect


def landscape(d):
    s = d.sections[0]
    s.orientation = WD_ORIENT.LANDSCAPE
    s.page_width, s.page_height = Mm(297), Mm(210)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(s, side, Mm(15))
    st = d.styles["Normal"]
    st.font.name = "MS Mincho"
    st.element.rPr.rFonts.set(qn("w:eastAsia"), "ＭＳ 明朝")
    st.font.size = Pt(9.5)


def repeat_header(row):
    trPr = row._tr.get_or_add_trPr()
    el = OxmlElement("w:tblHeader")
    el.set(qn("w:val"), "true")
    trPr.append(el)


def put(cell, text, bold=False, center=False):
    cell.text = ""
    para = cell.paragraphs[0]
    run = para.add_run(text)
    run.bold = bold
    if center:
        para.alignment = 1


# ------------------------------------------------------------------ d01 釜石・大槌
def d01():
    fname = "d01_docx_split_two_tables_vmerge_field_ideographic_zero_black_lead_kamaishi.docx"
    order = ["釜石市", "大槌町"]
    P = Proj
    part1 = [
        ("医療", [P("1", "釜石・大槌地域の救急医療体制の確保", "Lo", "県立釜石病院を核とした二次救急医療体制の維持と救急搬送の連携"),
                  P("2", "在宅医療・介護連携の推進", "Lo", "在宅医療連携拠点の共同運営と多職種研修の開催"),
                  P("3", "医療・介護人材の確保", "oL", "看護・介護職の就職説明会の共同開催と修学資金の情報発信")]),
        ("福祉", [P("4", "病児保育の広域利用", "Lo", "病児保育施設を両市町の住民が利用できるようにする"),
                  P("5", "障がい者の地域生活支援", "oL", "地域生活支援拠点の共同整備と相談支援の連携")]),
        ("教育", [P("6", "図書館の相互利用", "Lo", "釜石市立図書館と大槌町立図書館の相互貸出")]),
        ("産業振興", [P("7", "三陸沿岸の広域観光の振興", "Lo", "三陸ジオパーク・みちのく潮風トレイルを活かした周遊観光の推進")]),
    ]
    part2 = [
        ("産業振興", [P("8", "水産業の担い手確保と販路拡大", "Lo", "漁業就業者の確保育成と水産加工品の販路拡大"),
                    P("9", "企業誘致と雇用の創出", "Lo", "企業誘致活動の共同実施と雇用情報の共有")]),
        ("地域公共交通", [P("10", "三陸鉄道・路線バスの利用促進", "Lo", "鉄道とバスの乗り継ぎ改善と利用促進の共同PR")]),
        ("交流・移住", [P("11", "移住・定住の促進", "oL", "移住相談窓口の連携と移住体験の共同実施"),
                     P("12", "震災伝承と交流人口の拡大", "Lo", "震災伝承施設の連携と教育旅行の誘致")]),
        ("人材育成", [P("13", "職員の合同研修", "Lo", "両市町職員の合同研修と人事交流")]),
    ]
    d = docx.Document()
    landscape(d)
    t = d.add_paragraph()
    r = t.add_run("釜石・大槌地域定住自立圏共生ビジョン　連携事業一覧")
    r.bold = True
    r.font.size = Pt(14)
    d.add_paragraph("●：主体となって実施する市町　〇：連携して実施する市町")
    hdr = ["分野", "番号", "連携事業", "事業の概要"] + order + ["連携市町数"]
    mark = {"L": "●", "o": "〇", "-": ""}
    widths = [Mm(24), Mm(12), Mm(60), Mm(110), Mm(16), Mm(16), Mm(20)]

    def table(parts, with_totals):
        n = sum(len(ps) for _, ps in parts) + 1 + (1 if with_totals else 0)
        tb = d.add_table(rows=n, cols=len(hdr))
        tb.style = "Table Grid"
        tb.alignment = WD_TABLE_ALIGNMENT.CENTER
        for i, h in enumerate(hdr):
            put(tb.rows[0].cells[i], h, bold=True, center=True)
        repeat_header(tb.rows[0])
        ri = 1
        for field, ps in parts:
            top = ri
            for p in ps:
                p.field = field
                cells = tb.rows[ri].cells
                put(cells[1], p.label, center=True)
                put(cells[2], p.name)
                put(cells[3], p.desc)
                for i, ch in enumerate(p.marks):
                    put(cells[4 + i], mark[ch], center=True)
                put(cells[4 + len(order)], str(p.count()), center=True)
                ri += 1
            merged = tb.cell(top, 0).merge(tb.cell(ri - 1, 0)) if ri - 1 > top else tb.cell(top, 0)
            put(merged, field)
        if with_totals:
            return tb, ri
        return tb, None

    tb1, _ = table(part1, False)
    br = d.add_paragraph()
    br.add_run().add_break(WD_BREAK.PAGE)
    tb2, tr = table(part2, True)
    projects = [p for _, ps in part1 + part2 for p in ps]
    tot = totals(projects, len(order))
    cells = tb2.rows[tr].cells
    lab = cells[0].merge(cells[3])
    put(lab, "連携事業数計", center=True)
    for i, v in enumerate(tot):
        put(tb2.rows[tr].cells[4 + i], str(v), center=True)
    put(tb2.rows[tr].cells[4 + len(order)], str(sum(tot)), center=True)
    for tb in (tb1, tb2):
        for row in tb.rows:
            for i, c in enumerate(row.cells):
                c.width = widths[i]
    d.save(path(fname))
    exp = [expect_project(p, order, int(p.label), lead_legend=True) for p in projects]
    write_expect(fname, "Word: the table split in two Word tables at a page break, the header row repeated at the top "
                 "of the second (and marked to repeat); 分野 in the first column merged down its projects (vMerge), "
                 "産業振興 written again at the top of the second table; marks 〇 (U+3007) and ● with a legend line "
                 "●：主体となって実施する市町　〇：連携して実施する市町 above; 連携事業数計 under the second table only",
                 "釜石・大槌地域定住自立圏", "定住自立圏", order, exp, 0)


# ------------------------------------------------------------------ d02 四万十市・宿毛市
def d02():
    fname = "d02_docx_two_centrals_unnamed_column_stray_mark_hata.docx"
    order = ["四万十市", "宿毛市", "土佐清水市", "大月町", "三原村", "黒潮町"]
    t1, t2, t3 = PILLAR_T
    P = Proj
    # the 7th character is the column whose header was cleared
    plan = [
        (t1, [P("1", "幡多地域の救急医療体制の確保", "oooooo-"),
              P("2", "周産期医療体制の確保", "oo-o-o-"),
              P("3", "病児保育の広域利用", "oo--oo-"),
              P("4", "幡多地域の広域観光の推進", "oooooo-"),
              P("5", "農林水産物の販路拡大", "ooo-ooX")]),
        (t2, [P("6", "地域公共交通の確保", "oooooo-"),
              P("7", "ICTを活用した情報発信", "oo-o-o-"),
              P("8", "移住・定住の促進", "oooooo-")]),
        (t3, [P("9", "職員の合同研修", "oooooo-"),
              P("10", "専門人材の確保", "ooo--o-")]),
    ]
    d = docx.Document()
    landscape(d)
    t = d.add_paragraph()
    r = t.add_run("四万十市・宿毛市を中心市とする定住自立圏　共生ビジョン　連携事業一覧")
    r.bold = True
    r.font.size = Pt(13)
    ncol = 2 + 7 + 1
    nproj = sum(len(ps) for _, ps in plan)
    tb = d.add_table(rows=2 + nproj + len(plan), cols=ncol)
    tb.style = "Table Grid"
    h0, h1 = tb.rows[0].cells, tb.rows[1].cells
    put(tb.cell(0, 0).merge(tb.cell(1, 0)), "番号", bold=True, center=True)
    put(tb.cell(0, 1).merge(tb.cell(1, 1)), "連携事業", bold=True, center=True)
    put(tb.cell(0, 2).merge(tb.cell(0, 3)), "中心市", bold=True, center=True)
    put(tb.cell(0, 4).merge(tb.cell(0, 8)), "連携市町村", bold=True, center=True)
    put(tb.cell(0, 9).merge(tb.cell(1, 9)), "連携市町村数", bold=True, center=True)
    for i, m in enumerate(order):
        put(tb.cell(1, 2 + i), m, bold=True, center=True)
    put(tb.cell(1, 8), "", center=True)  # the column whose municipality was taken out
    ri = 2
    projects = []
    stray = None
    for k, (pillar, ps) in enumerate(plan):
        put(tb.cell(ri, 0).merge(tb.cell(ri, ncol - 1)), f"{k + 1}　{pillar}", bold=True)
        ri += 1
        for p in ps:
            p.pillar = pillar
            put(tb.cell(ri, 0), p.label, center=True)
            put(tb.cell(ri, 1), p.name)
            for i, ch in enumerate(p.marks):
                put(tb.cell(ri, 2 + i), "○" if ch in "oX" else "", center=True)
            if "X" in p.marks:
                stray = {"what": "mark-without-municipality", "row": f"project {p.label} ({p.name})",
                         "cell": f"table row {ri + 1}, column 9 (header cell empty, under 連携市町村)",
                         "why": "a ○ left in the column whose municipality's name was cleared from the header; the "
                                f"declared count {p.count()} counts only the named columns' marks"}
            put(tb.cell(ri, ncol - 1), str(p.count()), center=True)
            projects.append(p)
            ri += 1
    d.add_paragraph("※四万十市及び宿毛市は複眼型中心市として全ての取組に参加する。")
    d.save(path(fname))
    exp = [expect_project(p, order, int(p.label), with_field=False) for p in projects]
    write_expect(fname, "Word: two central cities (複眼型) under a merged 中心市 header cell, 連携市町村 merged over five "
                 "columns of which the last has an empty header cell (a municipality's column cleared but kept); "
                 "pillar rows merged across the table (１　生活機能の強化に係る政策分野); a note under the table; no totals. "
                 "Planted: a ○ in the nameless column on project 5 (not in its declared count 5)",
                 "四万十市・宿毛市を中心市とする定住自立圏", "定住自立圏", order, exp, 1, faults=[stray],
                 findings=[{"code": "no-totals", "severity": "info"},
                           {"code": "note-skipped", "severity": "info"}])


if __name__ == "__main__":
    d01()
    d02()
