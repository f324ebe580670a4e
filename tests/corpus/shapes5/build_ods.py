"""ODS tables of shapes5: o01 (青森圏域, two tables on one sheet), o02 (八溝山周辺地域, towns as rows)."""
import os

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side

from common import PILLAR_R, PILLAR_T, Proj, expect_project, path, soffice_convert, totals, write_expect

thin = Side(style="thin")
BOX = Border(top=thin, bottom=thin, left=thin, right=thin)
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)


def box(ws, r1, r2, c1, c2):
    for row in ws.iter_rows(min_row=r1, max_row=r2, min_col=c1, max_col=c2):
        for c in row:
            c.border = BOX


def to_ods(wb, fname):
    tmp = path(fname.replace(".ods", "_tmp.xlsx"))
    wb.save(tmp)
    soffice_convert(tmp, "ods", path(fname))
    os.remove(tmp)


# ------------------------------------------------------------------ o01 青森圏域
def o01():
    fname = "o01_ods_two_tables_one_sheet_numbering_continues_total_wrong_aomori.ods"
    order = ["青森市", "平内町", "今別町", "蓬田村", "外ヶ浜町"]
    r1, r2, r3 = PILLAR_R
    P = Proj
    first = [
        P("1", "圏域の企業誘致と産業振興", "ooooo", "企業誘致活動の共同実施と立地情報の発信", r1),
        P("2", "青森圏域の広域観光の推進", "ooooo", "陸奥湾・津軽半島を巡る周遊観光の推進", r1),
        P("3", "農林水産物のブランド化と販路拡大", "oo-oo", "圏域産品の商談会・物産展への共同出展", r1),
        P("4", "ほたて等水産業の振興", "oo-oo", "ほたて養殖の担い手確保と販路拡大", r1),
        P("5", "創業支援体制の構築", "oo--o", "創業支援窓口の連携と創業塾の開催", r1),
        P("6", "高度医療提供体制の充実", "ooooo", "県立中央病院等による高度医療の提供と連携", r2),
        P("7", "大学等と連携した人材育成", "o-o-o", "圏域内の大学と連携した公開講座・研修", r2),
    ]
    second = [
        P("8", "救急医療体制の確保", "ooooo", "休日夜間急病診療所の圏域住民の利用", r3),
        P("9", "子育て支援の広域連携", "oo-o-", "病児保育施設の相互利用", r3),
        P("10", "冬期の道路除雪の連携", "o-ooo", "市町村境の路線の除雪の連携", r3),
        P("11", "地域公共交通の確保", "ooooo", "青い森鉄道・路線バスの利用促進", r3),
        P("12", "移住・定住の促進", "oo-oo", "合同移住相談会と情報発信", r3),
        P("13", "圏域職員の合同研修", "ooooo", "職員研修の合同開催", r3),
        P("14", "図書館の相互利用", "o-o-o", "公立図書館の広域貸出", r3),
    ]
    hdr = ["番号", "連携事業", "事業内容"] + order + ["連携市町村数"]
    n = len(hdr)
    wb = Workbook()
    ws = wb.active
    ws.title = "連携事業一覧"
    ws["A1"] = "青森圏域連携中枢都市圏ビジョン　連携事業一覧"
    ws["A1"].font = Font(size=13, bold=True)

    def header(r):
        for i, h in enumerate(hdr):
            ws.cell(row=r, column=1 + i, value=h).alignment = CENTER

    def rows(r, ps):
        current = None
        for p in ps:
            if p.pillar != current:
                current = p.pillar
                ws.cell(row=r, column=1, value=f"{PILLAR_R.index(current) + 1}　{current}").font = Font(bold=True)
                ws.merge_cells(start_row=r, end_row=r, start_column=1, end_column=n)
                r += 1
            ws.cell(row=r, column=1, value=int(p.label))
            ws.cell(row=r, column=2, value=p.name)
            ws.cell(row=r, column=3, value=p.desc)
            for i, ch in enumerate(p.marks):
                if ch != "-":
                    ws.cell(row=r, column=4 + i, value="○").alignment = CENTER
            ws.cell(row=r, column=n, value=p.count())
            r += 1
        return r

    header(3)
    r = rows(4, first)
    box(ws, 3, r - 1, 1, n)
    r += 2
    top2 = r
    header(r)
    r = rows(r + 1, second)
    tot = totals(first + second, len(order))
    declared = list(tot)
    declared[3] += 1  # 蓬田村
    ws.cell(row=r, column=1, value="連携事業数計")
    ws.merge_cells(start_row=r, end_row=r, start_column=1, end_column=3)
    for i, t in enumerate(declared):
        ws.cell(row=r, column=4 + i, value=t)
    ws.cell(row=r, column=n, value=sum(declared))
    tot_row = r
    box(ws, top2, r, 1, n)
    ws.column_dimensions["B"].width = 30
    ws.column_dimensions["C"].width = 38
    to_ods(wb, fname)
    exp = [expect_project(p, order, int(p.label)) for p in first + second]
    write_expect(fname, "ODS, one sheet holding two tables: the first (pillars 1 and 2, projects 1-7, pillar rows "
                 "merged across) and, two empty rows below, the second with its header written again (pillar 3, "
                 "numbering running on 8-14) and the 連携事業数計 row of the whole under it. Planted: 蓬田村's total is "
                 f"written {declared[3]} where its column has {tot[3]} marks (the grand total {sum(declared)} is the sum "
                 "of the written totals)",
                 "青森圏域連携中枢都市圏", "連携中枢都市圏", order, exp, 1,
                 faults=[{"what": "total-mismatch", "row": f"連携事業数計 (row {tot_row})", "municipality": "蓬田村",
                          "declared": declared[3], "marks": tot[3]}],
                 findings=[{"code": "grand-total-rows-mismatch", "severity": "error",
                            "why": f"the grand total {sum(declared)} follows the wrong town total, so it is one more "
                                   f"than the {sum(tot)} marks"}])


# ------------------------------------------------------------------ o02 八溝山周辺地域
def o02():
    fname = "o02_ods_transposed_towns_rows_three_prefs_yamizo.ods"
    groups = [("栃木県", ["大田原市", "那須塩原市", "那須町", "那珂川町"]), ("茨城県", ["大子町"]),
              ("福島県", ["棚倉町", "塙町", "矢祭町"])]
    order = [m for _, ms in groups for m in ms]
    t1, t2, t3 = PILLAR_T
    short = {t1: "生活機能の強化", t2: "結びつきやネットワークの強化", t3: "圏域マネジメント能力の強化"}
    P = Proj
    projects = [
        P("1", "救急医療体制の広域連携", "oooooooo", pillar=short[t1]),
        P("2", "産科・小児科医療の確保", "ooo-oo-o", pillar=short[t1]),
        P("3", "八溝山周辺の広域観光の推進", "oooooooo", pillar=short[t1]),
        P("4", "農産物の販路拡大と地産地消", "o-oooo-o", pillar=short[t1]),
        P("5", "有害鳥獣対策の連携", "o-o-o-oo", pillar=short[t1]),
        P("6", "地域公共交通の連携", "o--ooo--", pillar=short[t2]),
        P("7", "広域道路ネットワークの整備促進", "oooooooo", pillar=short[t2]),
        P("8", "交流・移住の促進", "oo-oo-oo", pillar=short[t2]),
        P("9", "職員の合同研修", "oooooooo", pillar=short[t3]),
        P("10", "圏域の魅力の情報発信", "oo-o-o-o", pillar=short[t3]),
    ]
    wb = Workbook()
    ws = wb.active
    ws.title = "市町別参加事業"
    ws["A1"] = "八溝山周辺地域定住自立圏共生ビジョン　市町別参加事業一覧"
    ws["A1"].font = Font(size=13, bold=True)
    first = 3  # first project column
    last = first + len(projects) - 1
    ws.cell(row=3, column=1, value="県")
    ws.cell(row=3, column=2, value="市町名")
    for c in (1, 2):
        ws.merge_cells(start_row=3, end_row=5, start_column=c, end_column=c)
    ws.cell(row=3, column=last + 1, value="計")
    ws.merge_cells(start_row=3, end_row=5, start_column=last + 1, end_column=last + 1)
    col = first
    for key in (t1, t2, t3):
        ps = [p for p in projects if p.pillar == short[key]]
        ws.cell(row=3, column=col, value=short[key]).alignment = CENTER
        if len(ps) > 1:
            ws.merge_cells(start_row=3, end_row=3, start_column=col, end_column=col + len(ps) - 1)
        col += len(ps)
    for k, p in enumerate(projects):
        ws.cell(row=4, column=first + k, value=int(p.label)).alignment = CENTER
        ws.cell(row=5, column=first + k, value=p.name).alignment = Alignment(wrap_text=True, vertical="top")
    r = 6
    for pref, ms in groups:
        top = r
        for m in ms:
            i = order.index(m)
            ws.cell(row=r, column=2, value=m)
            n = 0
            for k, p in enumerate(projects):
                if p.marks[i] != "-":
                    ws.cell(row=r, column=first + k, value="○").alignment = CENTER
                    n += 1
            ws.cell(row=r, column=last + 1, value=n)
            r += 1
        ws.cell(row=top, column=1, value=pref).alignment = CENTER
        if len(ms) > 1:
            ws.merge_cells(start_row=top, end_row=r - 1, start_column=1, end_column=1)
    ws.cell(row=r, column=1, value="連携市町数")
    ws.merge_cells(start_row=r, end_row=r, start_column=1, end_column=2)
    for k, p in enumerate(projects):
        ws.cell(row=r, column=first + k, value=p.count())
    ws.cell(row=r, column=last + 1, value=sum(p.count() for p in projects))
    box(ws, 3, r, 1, last + 1)
    for k in range(len(projects)):
        ws.column_dimensions[chr(ord("C") + k)].width = 11
    ws.row_dimensions[5].height = 80
    to_ods(wb, fname)
    exp = [expect_project(p, order, int(p.label)) for p in projects]
    write_expect(fname, "ODS turned the other way: a row per municipality (県 merged over its towns: 栃木県 4, 茨城県 1, "
                 "福島県 3; the central city 大田原市 first), the projects across under three header rows (the pillar "
                 "merged over its projects, the number, the name), a 計 column of each town's projects and a last row "
                 "連携市町数 per project with the grand total in the 計 column",
                 "八溝山周辺地域定住自立圏", "定住自立圏", order, exp, 0,
                 findings=[{"code": "table-transposed", "severity": "info"}])


if __name__ == "__main__":
    o01()
    o02()
