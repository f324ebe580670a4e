"""CSV tables of shapes5: c01 (庄内南部, Shift_JIS, full-width digits, ー/－), c02 (大館圏域, UTF-8 without BOM,
CRLF, line breaks inside quoted cells), c03 (彦根市を中心市とする圏域, open data's long form, a row per project and
municipality with 団体コード and 1/0)."""
import csv
import io

from common import PILLAR_T, Proj, expect_project, fw, path, totals, write_expect


def write_csv(fname, rows, encoding, bom=False, newline="\r\n"):
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator=newline, quoting=csv.QUOTE_MINIMAL)
    for r in rows:
        w.writerow(r)
    data = buf.getvalue().encode(encoding)
    if bom:
        data = b"\xef\xbb\xbf" + data
    with open(path(fname), "wb") as f:
        f.write(data)


# ------------------------------------------------------------------ c01 庄内南部
def c01():
    fname = "c01_csv_sjis_fullwidth_counts_choon_dash_grand_total_wrong_shonai_nanbu.csv"
    order = ["鶴岡市", "三川町", "庄内町"]
    t1, t2, t3 = PILLAR_T
    P = Proj
    plan = [
        (t1, [("医療", [P("1", "庄内南部地域の救急医療体制の確保", "ooo", "荘内病院を核とした救急医療体制の維持"),
                        P("2", "休日夜間診療所の広域利用", "oo-", "休日夜間診療所を圏域住民が利用できるようにする")]),
              ("福祉", [P("3", "病児・病後児保育の広域利用", "ooo", "病児保育施設の相互利用"),
                        P("4", "高齢者の見守り体制の連携", "o-o", "見守りネットワークの情報共有")]),
              ("教育", [P("5", "図書館の相互利用", "ooo", "図書館の広域貸出と相互貸借")]),
              ("産業振興", [P("6", "庄内南部の広域観光の推進", "ooo", "出羽三山・庄内平野の周遊観光の推進"),
                          P("7", "農産物のブランド化の推進", "o-o", "つや姫等の農産物の共同PR")])]),
        (t2, [("地域公共交通", [P("8", "路線バスの維持・確保", "oo-", "市町境を越える路線バスの運行支援")]),
              ("交流・移住", [P("9", "移住・交流の推進", "ooo", "移住相談会の共同開催"),
                           P("10", "圏域の情報発信", "o-o", "圏域の魅力の共同発信")])]),
        (t3, [("人材育成", [P("11", "職員の合同研修", "ooo", "階層別研修の合同開催"),
                         P("12", "専門職員の人材育成", "oo-", "保健師・技術職の合同研修")])]),
    ]
    rows = [["庄内南部定住自立圏共生ビジョン　連携事業一覧", "", "", "", "", "", ""],
            ["番号", "事業名", "事業内容"] + order + ["連携市町数"]]
    projects = []
    dash = iter(["ー", "－"] * 20)
    for k, (pillar, fields) in enumerate(plan):
        rows.append([f"{fw(k + 1)}　{pillar}", "", "", "", "", "", ""])
        for j, (field, ps) in enumerate(fields):
            rows.append([f"（{fw(j + 1)}）{field}", "", "", "", "", "", ""])
            for p in ps:
                p.pillar, p.field = pillar, field
                marks = []
                for ch in p.marks:
                    marks.append("○" if ch == "o" else next(dash))
                rows.append([fw(p.label), p.name, p.desc] + marks + [fw(p.count())])
                projects.append(p)
    tot = totals(projects, len(order))
    grand = sum(tot) + 1
    rows.append(["連携事業数計", "", ""] + [fw(t) for t in tot] + [fw(grand)])
    write_csv(fname, rows, "cp932")
    exp = [expect_project(p, order, int(p.label), as_written=fw(p.label)) for p in projects]
    write_expect(fname, "CSV in Shift_JIS (CP932) with CRLF: a title line, pillar lines １　… and field lines （１）医療 "
                 "with the rest of their cells empty, numbers, counts and totals in full-width digits (１２, ３１), "
                 "'no' written alternately ー (U+30FC, the long-vowel mark) and － (U+FF0D). Planted: the grand total "
                 f"is {fw(grand)} where the town totals {'+'.join(fw(t) for t in tot)} add up to {fw(sum(tot))}",
                 "庄内南部定住自立圏", "定住自立圏", order, exp, 1,
                 faults=[{"what": "grand-total-mismatch", "row": "連携事業数計", "declared": grand,
                          "sum_of_totals": sum(tot)}],
                 findings=[{"code": "grand-total-rows-mismatch", "severity": "error",
                            "why": f"the grand total {grand} against {sum(tot)} marks"},
                           {"code": "encoding-detected", "severity": "info"}])


# ------------------------------------------------------------------ c02 大館圏域
def c02():
    fname = "c02_csv_utf8_nobom_crlf_quoted_linebreaks_odate.csv"
    order = ["大館市", "小坂町"]
    P = Proj
    ps = [
        P("1", "救急医療体制の確保", "oo", "大館市立総合病院を核とした二次救急医療体制の維持\n救急搬送の連携", field="医療"),
        P("2", "地域医療を担う人材の確保", "oo", "医師・看護師の確保対策\n（修学資金、就職説明会）", field="医療"),
        P("3", "病児・病後児保育の広域利用", "oo", "病児保育施設の相互利用", field="福祉"),
        P("4", "障がい者の相談支援", "oo", "基幹相談支援センターの共同設置\n障がい者の就労支援の連携", field="福祉"),
        P("5", "図書館の相互利用", "oo", "図書館の広域利用", field="教育"),
        P("6", "広域観光の推進", "oo", "十和田湖・康楽館等を結ぶ周遊観光の推進\n観光情報の共同発信\n教育旅行の誘致", field="産業振興"),
        P("7", "比内地鶏等の特産品の販路拡大", "oo", "特産品の共同PRと物産展への出展", field="産業振興"),
        P("8", "地域公共交通の確保", "oo", "路線バスの維持確保\n（大館・小坂線）", field="地域公共交通"),
        P("9", "移住・定住の促進", "oo", "移住相談会の共同開催", field="交流・移住"),
        P("10", "職員の合同研修", "oo", "階層別研修の合同開催\n専門研修への相互参加", field="人材育成"),
    ]
    rows = [["大館圏域定住自立圏共生ビジョン　連携事業一覧", "", "", "", "", "", ""],
            ["No.", "分野", "取組項目", "取組の内容"] + order + ["連携市町数"]]
    for p in ps:
        rows.append([p.label, p.field, p.name, p.desc] + ["○" if ch == "o" else "" for ch in p.marks] + [p.count()])
    tot = totals(ps, len(order))
    rows.append(["連携事業数計", "", "", ""] + tot + [sum(tot)])
    write_csv(fname, rows, "utf-8")
    raw = open(path(fname), "rb").read()
    assert raw.count(b"\r\n") == len(rows) and b"\n" in raw.replace(b"\r\n", b"")
    exp = [expect_project(p, order, int(p.label)) for p in ps]
    write_expect(fname, "CSV as Excel saves 'CSV UTF-8' without its BOM: CRLF at the end of each row, line breaks (LF) "
                 "inside quoted 取組の内容 cells (up to three lines), a title line with trailing commas, a 分野 column "
                 "beside the numbers (No.), the central city's column first, a 連携事業数計 row",
                 "大館圏域定住自立圏", "定住自立圏", order, exp, 0)


# ------------------------------------------------------------------ c03 彦根市を中心市とする定住自立圏
def c03():
    fname = "c03_csv_long_opendata_codes_cross_product_1_0_hikone.csv"
    towns = [("252026", "彦根市"), ("254258", "愛荘町"), ("254410", "豊郷町"), ("254428", "甲良町"), ("254436", "多賀町")]
    order = [n for _, n in towns]
    short = {PILLAR_T[0]: "生活機能の強化", PILLAR_T[1]: "結びつきやネットワークの強化", PILLAR_T[2]: "圏域マネジメント能力の強化"}
    s1, s2, s3 = short.values()
    P = Proj
    ps = [
        P("1", "湖東地域の救急医療体制の確保", "ooooo", pillar=s1, field="医療"),
        P("2", "休日急病診療所の運営", "oo-oo", pillar=s1, field="医療"),
        P("3", "病児・病後児保育の広域利用", "oooo-", pillar=s1, field="福祉"),
        P("4", "発達支援の連携", "o-ooo", pillar=s1, field="福祉"),
        P("5", "湖東圏域の広域観光の推進", "ooooo", pillar=s1, field="産業振興"),
        P("6", "近江牛等の特産品の振興", "oo--o", pillar=s1, field="産業振興"),
        P("7", "地域公共交通の確保", "ooo-o", pillar=s2, field="地域公共交通"),
        P("8", "移住・定住の促進", "o-ooo", pillar=s2, field="交流・移住"),
        P("9", "職員の合同研修", "ooooo", pillar=s3, field="人材育成"),
        P("10", "行政事務の共同化の研究", "oo-o-", pillar=s3, field="人材育成"),
    ]
    rows = [["全国地方公共団体コード", "地方公共団体名", "事業番号", "事業名", "政策分野", "分野", "参加"]]
    for p in ps:
        for (code, name), ch in zip(towns, p.marks):
            rows.append([code, name, p.label, p.name, p.pillar, p.field, 1 if ch == "o" else 0])
    write_csv(fname, rows, "utf-8", bom=True)
    exp = [expect_project(p, order, int(p.label)) for p in ps]
    write_expect(fname, "open data's long form (UTF-8 with BOM, CRLF): a row per project and municipality, every pair "
                 "written (50 rows), 全国地方公共団体コード (six digits) beside the name, 事業番号, 事業名, 政策分野 "
                 "(生活機能の強化 …), 分野 (医療 …) and 参加 1/0; no title, no counts, no totals",
                 None, None, order, exp, 0,
                 why_sphere="open data without a title: the file names no sphere (彦根市を中心市とする定住自立圏 is "
                            "known from elsewhere)",
                 findings=[{"code": "no-totals", "severity": "info"},
                           {"code": "long-columns-skipped", "severity": "info"}])


if __name__ == "__main__":
    c01()
    c02()
    c03()
