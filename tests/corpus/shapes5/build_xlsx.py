"""XLSX tables of shapes5: x01 (播磨圏域), x02 (瀬戸・高松広域), x03 (久留米広域), x04 (松阪地域)."""
import os

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter as L

from common import PILLAR_R, PILLAR_T, B, Proj, expect_project, path, soffice_convert, totals, write_expect

thin = Side(style="thin")
BOX = Border(top=thin, bottom=thin, left=thin, right=thin)
WRAP = Alignment(wrap_text=True, vertical="center")
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)


def box(ws, r1, r2, c1, c2):
    for row in ws.iter_rows(min_row=r1, max_row=r2, min_col=c1, max_col=c2):
        for c in row:
            c.border = BOX
            if c.alignment is None or not c.alignment.wrap_text:
                c.alignment = WRAP


# ------------------------------------------------------------------ x01 播磨圏域
def x01():
    fname = "x01_xlsx_pillar_field_merged_columns_num_paren_harima.xlsx"
    order = ["姫路市", "相生市", "加古川市", "赤穂市", "高砂市", "加西市", "宍粟市", "たつの市", "稲美町", "播磨町",
             "市川町", "福崎町", "神河町", "太子町", "上郡町", "佐用町"]
    p1, p2, p3 = PILLAR_R
    P = Proj
    projects = [
        P("1-(1)", "播磨圏域ものづくり企業の販路開拓支援", "Looooooooooooooo", "展示商談会への共同出展、圏域企業の紹介冊子の作成",
          p1, "産業振興"),
        P("1-(2)", "創業支援ネットワークの構築", "Loo-oo-o-o-oo-o-", "創業相談窓口の相互紹介と創業セミナーの共同開催", p1,
          "産業振興"),
        P("1-(3)", "地場産業の人材確保・育成支援", "oLoooo-ooo------", "合同企業説明会の開催、地場産業の技能研修", p1,
          "産業振興"),
        P("1-(4)", "播磨圏域の広域観光プロモーション", "Loooooooooooooooo"[:16], "観光パンフレット・ウェブサイトによる圏域一体の情報発信",
          p1, "観光振興"),
        P("1-(5)", "播磨ブランド農水産物の販路拡大", "Lo-o-ooo----o-oo", "圏域の農水産物・加工品の共同PRと商談会", p1,
          "観光振興"),
        P("2-(1)", "高度専門医療の提供体制の充実", "Looooooooooooooo", "中核病院を核とした高度医療の提供と病院間の連携強化", p2,
          "高度医療"),
        P("2-(2)", "大学等との連携による人材育成", "Lo-oo-o-o-o-----", "圏域内大学と連携した公開講座・インターンシップ", p2,
          "高等教育"),
        P("3-(1)", "小児救急医療体制の確保", "Loooo-ooooooo-o-", "小児救急医療の輪番体制の維持", p3, "地域医療"),
        P("3-(2)", "休日・夜間急病センターの広域利用", "Lo-o-o-o-oo-oo--", "急病センターの圏域住民への開放と運営費の負担", p3,
          "地域医療"),
        P("3-(3)", "成年後見制度の利用促進", "L-o-o-oo---oo-o-", "成年後見支援センターの共同設置", p3, "福祉"),
        P("3-(4)", "広域的な公共交通ネットワークの維持", "o-------L----oo-", "市町境を越える路線バスの運行支援", p3, "地域公共交通"),
        P("3-(5)", "圏域職員の合同研修", "Looooooooooooooo", "職員研修の合同開催と相互参加", p3, "人材育成"),
        P("3-(6)", "専門職員の派遣・交流", "L--o--o--o--o--o", "技術職等の専門職員の派遣と人事交流", p3, "人材育成"),
    ]
    assert all(len(p.marks) == 16 for p in projects)
    wb = Workbook()
    ws = wb.active
    ws.title = "連携事業一覧"
    ws["A1"] = "播磨圏域連携中枢都市圏ビジョン　連携事業一覧（令和7年度）"
    ws["A1"].font = Font(size=14, bold=True)
    ws["A2"] = "◎：事業の実施主体となる市町　　○：連携して実施する市町"
    first_town, last_town = 6, 6 + len(order) - 1
    cnt_col = last_town + 1
    for c, h in ((1, "政策分野"), (2, "分野"), (3, "番号"), (4, "連携事業"), (5, "事業概要"), (cnt_col, "連携市町数")):
        ws.cell(row=4, column=c, value=h)
        ws.merge_cells(start_row=4, end_row=5, start_column=c, end_column=c)
    ws.cell(row=4, column=first_town, value="中心市")
    ws.cell(row=4, column=first_town + 1, value="連携市町")
    ws.merge_cells(start_row=4, end_row=4, start_column=first_town + 1, end_column=last_town)
    for i, m in enumerate(order):
        ws.cell(row=5, column=first_town + i, value=m)
    r = 6
    runs = {}
    for p in projects:
        ws.cell(row=r, column=3, value=p.label)
        ws.cell(row=r, column=4, value=p.name)
        ws.cell(row=r, column=5, value=p.desc)
        for i, ch in enumerate(p.marks):
            if ch != "-":
                ws.cell(row=r, column=first_town + i, value="◎" if ch == "L" else "○").alignment = CENTER
        ws.cell(row=r, column=cnt_col, value=p.count())
        runs.setdefault(("p", p.pillar), []).append(r)
        runs.setdefault(("f", p.pillar, p.field), []).append(r)
        r += 1
    for key, rows in runs.items():
        col = 1 if key[0] == "p" else 2
        text = f"{PILLAR_R.index(key[1]) + 1}　{key[1]}" if key[0] == "p" else key[2]
        ws.cell(row=rows[0], column=col, value=text).alignment = CENTER
        if len(rows) > 1:
            ws.merge_cells(start_row=rows[0], end_row=rows[-1], start_column=col, end_column=col)
    tot = totals(projects, len(order))
    ws.cell(row=r, column=1, value="連携事業数計")
    ws.merge_cells(start_row=r, end_row=r, start_column=1, end_column=5)
    for i, t in enumerate(tot):
        ws.cell(row=r, column=first_town + i, value=t)
    ws.cell(row=r, column=cnt_col, value=sum(tot))
    box(ws, 4, r, 1, cnt_col)
    for c in range(first_town, last_town + 1):
        ws.column_dimensions[L(c)].width = 5
        ws.cell(row=5, column=c).alignment = Alignment(vertical="center", horizontal="center", wrap_text=True)
    ws.column_dimensions["A"].width = 14
    ws.column_dimensions["D"].width = 30
    ws.column_dimensions["E"].width = 36
    wb.save(path(fname))
    exp = [expect_project(p, order, k + 1, lead_legend=True, as_written=p.label) for k, p in enumerate(projects)]
    write_expect(fname, "XLSX: 政策分野 and 分野 each in a column of their own, merged down their projects' rows "
                 "(pillar '1　圏域全体の経済成長のけん引', field '産業振興'); numbers 1-(1), 1-(2), 2-(1)… kept as written and "
                 "numbered by place; a 中心市 cell over 姫路市 and 連携市町 merged over 15 towns; ◎/○ with a legend line "
                 "above the header; a 連携事業数計 row whose label is merged over the first five columns",
                 "播磨圏域連携中枢都市圏", "連携中枢都市圏", order, exp, 0,
                 findings=[{"code": "number-label", "severity": "info"},
                           {"code": "heading-column-inferred", "severity": "info"}])


# ------------------------------------------------------------------ x02 瀬戸・高松広域
def x02():
    fname = "x02_xlsx_sheet_per_pillar_sheet_totals_dup_seto_takamatsu.xlsx"
    order = ["さぬき市", "東かがわ市", "土庄町", "小豆島町", "三木町", "直島町", "綾川町"]
    t1, t2, t3 = PILLAR_T
    P = Proj
    sheets = [
        ("1 生活機能の強化", t1, [
            ("医療", [P("1", "休日夜間急患センターの広域利用", "ooooooo", "高松市夜間急病診療所等の圏域住民の利用"),
                      P("2", "小児救急医療体制の確保", "oo--o-o", "小児救急電話相談と当番医体制の連携")]),
            ("福祉", [P("3", "病児・病後児保育の広域利用", "o-oo-oo", "病児保育施設の相互利用"),
                      P("4", "障がい者の就労支援", "oo--o--", "就労支援事業所の情報共有と合同面接会")]),
            ("教育", [P("5", "図書館の相互利用", "ooo-o-o", "図書館の広域利用と相互貸借")]),
            ("産業振興", [P("6", "瀬戸内の広域観光の推進", "ooooooo", "瀬戸内国際芸術祭と連動した周遊観光の推進")]),
        ]),
        ("2 結びつき・ネットワーク", t2, [
            ("地域公共交通", [P("7", "海上交通の確保", "--oo-o-", "離島航路の維持と利便性の向上"),
                            P("8", "ことでん・路線バスの利用促進", "o---o-o", "公共交通の乗り継ぎ情報の共同発信")]),
            ("交流・移住", [P("9", "移住・交流の推進", "ooooooo", "合同移住相談会の開催"),
                          P("10", "圏域の地産地消の推進", "o-ooo-o", "学校給食等での圏域産品の利用")]),
        ]),
        ("3 マネジメント能力", t3, [
            ("人材育成", [P("10", "職員の合同研修", "ooooooo", "階層別研修の合同開催"),
                        P("11", "専門人材の確保・育成", "o-o-o-o", "保健師・技術職の合同研修")]),
            ("外部人材の活用", [P("12", "外部専門家の共同活用", "oo-o---", "アドバイザーの共同招へい")]),
        ]),
    ]
    wb = Workbook()
    wb.remove(wb.active)
    all_projects = []
    for title, pillar, fields in sheets:
        ws = wb.create_sheet(title)
        ws["A1"] = "瀬戸・高松広域定住自立圏共生ビジョン　連携事業一覧"
        ws["A1"].font = Font(size=13, bold=True)
        ws["A2"] = f"{title[0]}　{pillar}"
        ws["A2"].font = Font(bold=True)
        hdr = ["番号", "連携事業名", "事業概要"] + order + ["連携市町数"]
        for i, h in enumerate(hdr):
            ws.cell(row=4, column=1 + i, value=h).alignment = CENTER
        r = 5
        sheet_projects = []
        for k, (field, ps) in enumerate(fields):
            ws.cell(row=r, column=1, value=f"（{k + 1}）{field}")
            ws.merge_cells(start_row=r, end_row=r, start_column=1, end_column=len(hdr))
            r += 1
            for p in ps:
                p.pillar, p.field = pillar, field
                ws.cell(row=r, column=1, value=int(p.label))
                ws.cell(row=r, column=2, value=p.name)
                ws.cell(row=r, column=3, value=p.desc)
                for i, ch in enumerate(p.marks):
                    if ch != "-":
                        ws.cell(row=r, column=4 + i, value="○").alignment = CENTER
                ws.cell(row=r, column=4 + len(order), value=p.count())
                sheet_projects.append(p)
                r += 1
        tot = totals(sheet_projects, len(order))
        ws.cell(row=r, column=1, value="計")
        ws.merge_cells(start_row=r, end_row=r, start_column=1, end_column=3)
        for i, t in enumerate(tot):
            ws.cell(row=r, column=4 + i, value=t)
        ws.cell(row=r, column=4 + len(order), value=sum(tot))
        box(ws, 4, r, 1, len(hdr))
        ws.column_dimensions["B"].width = 30
        ws.column_dimensions["C"].width = 36
        all_projects += sheet_projects
    wb.save(path(fname))
    exp = [expect_project(p, order, int(p.label)) for p in all_projects]
    write_expect(fname, "XLSX with one sheet per pillar (sheet names '1 生活機能の強化' …), each sheet with the title in "
                 "A1, its pillar in A2 (１　生活機能の強化に係る政策分野), the header in row 4, field rows （１）医療 merged "
                 "across, numbers running on from sheet to sheet and a 計 row of that sheet's own totals; no column for "
                 "the central city 高松市. Planted: the third sheet starts again at 10 (10, 10, 11, 12)",
                 "瀬戸・高松広域定住自立圏", "定住自立圏", order, exp, 1,
                 faults=[{"what": "number-duplicate", "row": "sheet '3 マネジメント能力', first project (職員の合同研修)",
                          "cell": "'3 マネジメント能力'!A6", "declared": 10,
                          "why": "numbered 10 like the last project of sheet 2 (圏域の地産地消の推進); it should be 11"}],
                 findings=[{"code": "number-duplicate", "severity": "error", "why": "the first 10 may be reported too"},
                           {"code": "number-order", "severity": "warning", "why": "10 after 10"},
                           {"code": "sheet-totals", "severity": "info"}])


# ------------------------------------------------------------------ x03 久留米広域
def x03():
    fname = "x03_xlsx_print_title_row6_maru_shu_countif_nocache_kurume.xlsx"
    order = ["久留米市", "大川市", "小郡市", "うきは市", "大刀洗町", "大木町"]
    r1, r2, r3 = PILLAR_R
    P = Proj
    projects = [
        P("1", "圏域企業の人材確保支援", "Looooo", "合同企業説明会の開催と就職支援サイトの運営", r1, budgets=[B(2025, 12400)]),
        P("2", "久留米広域の観光振興", "Loo-oo", "広域観光ルートの造成と情報発信", r1, budgets=[B(2025, 8650)]),
        P("3", "筑後川流域の農産物ブランド化", "o--Lo-", "果樹・農産加工品の共同ブランド化と販路開拓", r1, budgets=[B(2025, 3200)]),
        P("4", "創業・事業承継の支援", "Looo--", "創業塾の共同開催と事業承継相談", r1, budgets=[B(2025, 2100)]),
        P("5", "高度医療提供体制の確保", "Looooo", "救命救急センター等の運営支援", r2, budgets=[B(2025, 45000)]),
        P("6", "大学連携による地域人材の育成", "Lo-o-o", "圏域内大学との連携講座", r2, budgets=[B(2025, 1500)]),
        P("7", "子育て支援サービスの広域利用", "ooLo-o", "ファミリー・サポート・センターの相互利用", r3, budgets=[B(2025, 980)]),
        P("8", "図書館の相互利用", "oooooo", "公立図書館の広域貸出", r3, budgets=[B(2025, 0)]),
        P("9", "地域公共交通の利便性向上", "o-L-o-", "コミュニティバスの接続改善", r3, budgets=[B(2025, 5400)]),
        P("10", "圏域職員の合同研修", "Looooo", "職員研修の合同開催", r3, budgets=[B(2025, 600)]),
    ]
    wb = Workbook()
    ws = wb.active
    ws.title = "連携事業"
    ws["A1"] = "久留米広域連携中枢都市圏ビジョン　連携事業一覧"
    ws["A1"].font = Font(size=14, bold=True)
    ws["A2"] = "（令和7年3月改訂）"
    ws["A3"] = "凡例　○（主）：事業の主体となる市町　　○：連携して取り組む市町"
    hdr = ["番号", "連携事業名", "事業概要"] + order + ["連携市町数", "令和7年度事業費（千円）"]
    ncol = len(hdr)
    for i, h in enumerate(hdr):
        ws.cell(row=6, column=1 + i, value=h).alignment = CENTER
    r = 7
    current = None
    for p in projects:
        if p.pillar != current:
            current = p.pillar
            ws.cell(row=r, column=1, value=f"【{current}】").font = Font(bold=True)
            ws.merge_cells(start_row=r, end_row=r, start_column=1, end_column=ncol)
            r += 1
        ws.cell(row=r, column=1, value=int(p.label))
        ws.cell(row=r, column=2, value=p.name)
        ws.cell(row=r, column=3, value=p.desc)
        for i, ch in enumerate(p.marks):
            if ch != "-":
                ws.cell(row=r, column=4 + i, value="○（主）" if ch == "L" else "○").alignment = CENTER
        a, b = L(4), L(3 + len(order))
        ws.cell(row=r, column=4 + len(order), value=f'=COUNTIF({a}{r}:{b}{r},"○*")')
        ws.cell(row=r, column=5 + len(order), value=p.budgets[0]["amount"]).number_format = "#,##0"
        r += 1
    box(ws, 6, r - 1, 1, ncol)
    ws.print_title_rows = "6:6"
    ws.print_area = f"A1:{L(ncol)}{r - 1}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.column_dimensions["B"].width = 30
    ws.column_dimensions["C"].width = 36
    for c in range(4, 4 + len(order)):
        ws.column_dimensions[L(c)].width = 9
    wb.save(path(fname))
    exp = [expect_project(p, order, int(p.label), lead_legend=True) for p in projects]
    write_expect(fname, "XLSX kept for printing: title, revision date and a legend in rows 1-3, the header at row 6 "
                 "(print titles 6:6, a print area, landscape fit to width), pillar rows 【…】 merged across; marks "
                 "○（主） (lead, per the legend) and ○; 連携市町数 as =COUNTIF(D8:I8,\"○*\") with no cached value "
                 "(openpyxl, never opened in Excel); a 令和7年度事業費（千円） column, one amount 0",
                 "久留米広域連携中枢都市圏", "連携中枢都市圏", order, exp, 0,
                 findings=[{"code": "formula-uncalculated", "severity": "info"},
                           {"code": "no-totals", "severity": "info"}])


# ------------------------------------------------------------------ x04 松阪地域
def x04():
    fname = "x04_xlsx_countif_cached_roman_path_numbers_wrong_count_matsusaka.xlsx"
    order = ["松阪市", "多気町", "明和町", "大台町"]
    t1, t2, t3 = PILLAR_T
    P = Proj
    plan = [
        ("Ⅰ", t1, [("1", "医療", [P("Ⅰ-1-①", "松阪地区の救急医療体制の確保", "oooo", "二次救急輪番体制と救急医療の啓発"),
                                  P("Ⅰ-1-②", "地域医療を担う人材の確保", "oo-o", "看護師等修学資金と就職説明会")]),
                    ("2", "福祉", [P("Ⅰ-2-①", "病児・病後児保育の広域利用", "oooo", "病児保育室の相互利用"),
                                  P("Ⅰ-2-②", "障がい者の相談支援体制の充実", "o-oo", "基幹相談支援センターの共同運営")]),
                    ("3", "産業振興", [P("Ⅰ-3-①", "松阪牛・伊勢茶等の地域ブランドの振興", "oooo", "地域産品の共同PRと販路拡大"),
                                    P("Ⅰ-3-②", "有害鳥獣被害対策の推進", "oo-o", "捕獲体制の広域化と情報共有")])]),
        ("Ⅱ", t2, [("1", "地域公共交通", [P("Ⅱ-1-①", "地域公共交通の維持・確保", "ooo-", "コミュニティバスの相互乗り入れ")]),
                    ("2", "交流・移住", [P("Ⅱ-2-①", "観光・交流の推進", "oooo", "広域観光ルートとイベントの連携"),
                                     P("Ⅱ-2-②", "移住・定住の促進", "o-oo", "移住相談窓口の連携と合同相談会", declared=4)])]),
        ("Ⅲ", t3, [("1", "人材育成", [P("Ⅲ-1-①", "職員の合同研修", "oooo", "合同研修の開催"),
                                    P("Ⅲ-1-②", "外部人材の活用", "o-o-", "地域おこし協力隊の合同研修")])]),
    ]
    wb = Workbook()
    ws = wb.active
    ws.title = "具体的取組"
    ws["A1"] = "松阪地域定住自立圏共生ビジョン　具体的取組一覧"
    ws["A1"].font = Font(size=13, bold=True)
    hdr = ["番号", "具体的取組", "取組の概要"] + order + ["連携市町数"]
    ncol = len(hdr)
    for i, h in enumerate(hdr):
        ws.cell(row=3, column=1 + i, value=h).alignment = CENTER
    r = 4
    projects = []
    first_row = None
    fault = None
    for plabel, pillar, fields in plan:
        ws.cell(row=r, column=1, value=f"{plabel}　{pillar}").font = Font(bold=True)
        ws.merge_cells(start_row=r, end_row=r, start_column=1, end_column=ncol)
        r += 1
        for flabel, field, ps in fields:
            ws.cell(row=r, column=1, value=f"{flabel}　{field}")
            ws.merge_cells(start_row=r, end_row=r, start_column=1, end_column=ncol)
            r += 1
            for p in ps:
                p.pillar, p.field = pillar, field
                first_row = first_row or r
                ws.cell(row=r, column=1, value=p.label)
                ws.cell(row=r, column=2, value=p.name)
                ws.cell(row=r, column=3, value=p.desc)
                for i, ch in enumerate(p.marks):
                    if ch != "-":
                        ws.cell(row=r, column=4 + i, value="○").alignment = CENTER
                if p.declared is None:
                    ws.cell(row=r, column=ncol, value=f'=COUNTIF(D{r}:{L(3 + len(order))}{r},"○")')
                else:  # typed over the formula
                    ws.cell(row=r, column=ncol, value=p.declared)
                    fault = {"what": "count-mismatch", "row": f"project {p.label} ({p.name})", "cell": f"{L(ncol)}{r}",
                             "declared": p.declared, "marks": p.count(),
                             "why": "the COUNTIF formula was typed over with the number 4; the row has 3 marks"}
                projects.append(p)
                r += 1
    last_row = r - 1
    ws.cell(row=r, column=1, value="連携事業数計")
    ws.merge_cells(start_row=r, end_row=r, start_column=1, end_column=3)
    for i in range(len(order)):
        c = L(4 + i)
        ws.cell(row=r, column=4 + i, value=f'=COUNTIF({c}{first_row}:{c}{last_row},"○")')
    ws.cell(row=r, column=ncol, value=f"=SUM(D{r}:{L(3 + len(order))}{r})")
    box(ws, 3, r, 1, ncol)
    ws.column_dimensions["A"].width = 10
    ws.column_dimensions["B"].width = 32
    ws.column_dimensions["C"].width = 34
    tmp = path("x04_tmp.xlsx")
    wb.save(tmp)
    soffice_convert(tmp, "xlsx", path(fname))  # LibreOffice calculates the formulas and stores their values
    os.remove(tmp)
    chk = load_workbook(path(fname), data_only=True).active
    assert chk.cell(row=first_row, column=ncol).value == 4, chk.cell(row=first_row, column=ncol).value
    exp = [expect_project(p, order, k + 1, as_written=p.label) for k, p in enumerate(projects)]
    write_expect(fname, "XLSX saved by LibreOffice (formulas with their cached values): numbers Ⅰ-1-①, Ⅱ-2-② under "
                 "pillar rows Ⅰ　… and field rows 1　医療 merged across; 連携市町数 =COUNTIF(D6:G6,\"○\"), 連携事業数計 "
                 "=COUNTIF per town and =SUM; 明和町 is a name two prefectures share (群馬県, 三重県): the sphere and its "
                 "other towns are 三重県's. Planted: the count of Ⅱ-2-② was typed over as 4 (3 marks)",
                 "松阪地域定住自立圏", "定住自立圏", order, exp, 1, faults=[fault],
                 findings=[{"code": "number-label", "severity": "info"},
                           {"code": "municipality-by-prefecture", "severity": "info"}])


if __name__ == "__main__":
    x01()
    x02()
    x03()
    x04()
