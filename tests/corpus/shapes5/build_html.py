"""Web pages of shapes5: h01 (日向圏域, the pillar in a rowspan column, a header row of <td>), h02 (北はりま, a members
table above the projects table, a column for a town that is not a member), h03 (南相馬市, town names in <span>s
and <ruby>, a wrong count)."""
from common import PILLAR_T, Proj, expect_project, path, totals, write_expect

PAGE = """<!DOCTYPE html>
<html lang="ja">
<head>
<meta charset="utf-8">
<title>{title}｜{site}</title>
<style>
body {{ font-family: sans-serif; font-size: 15px; }}
header nav ul, footer ul {{ list-style: none; display: flex; gap: 1em; }}
table {{ border-collapse: collapse; margin: 1em 0; }}
th, td {{ border: 1px solid #666; padding: 4px 6px; }}
td.c {{ text-align: center; }}
.head td {{ background: #dde8f0; font-weight: bold; text-align: center; }}
.sp {{ letter-spacing: 0.3em; }}
</style>
</head>
<body>
<header>
<p class="logo"><a href="/">{site}</a></p>
<nav><ul><li><a href="/kurashi/">くらし・手続き</a></li><li><a href="/kosodate/">子育て・教育</a></li>
<li><a href="/kanko/">観光・文化</a></li><li><a href="/shisei/">市政情報</a></li></ul></nav>
</header>
<div class="breadcrumb"><a href="/">ホーム</a> &gt; <a href="/shisei/">市政情報</a> &gt; <a href="/shisei/kikaku/">企画・政策</a> &gt; {title}</div>
<main>
{body}
</main>
<footer><ul><li><a href="/sitemap/">サイトマップ</a></li><li><a href="/privacy/">個人情報の取り扱い</a></li></ul>
<p>Copyright © {site} All Rights Reserved.</p></footer>
</body>
</html>
"""


def write(fname, title, site, body):
    with open(path(fname), "w", encoding="utf-8") as f:
        f.write(PAGE.format(title=title, site=site, body=body))


# ------------------------------------------------------------------ h01 日向圏域
def h01():
    fname = "h01_html_pillar_rowspan_td_header_hyuga.html"
    order = ["日向市", "門川町"]
    short = ["生活機能の強化", "結びつきやネットワークの強化", "圏域マネジメント能力の強化"]
    P = Proj
    plan = [
        (short[0], [P("1", "日向圏域の救急医療体制の確保", "oo", "休日夜間急病センターの運営と二次救急医療体制の確保"),
                    P("2", "病児・病後児保育の広域利用", "oo", "病児保育施設の相互利用"),
                    P("3", "子育て支援の連携", "oo", "子育て支援センター事業の相互利用"),
                    P("4", "細島港を活かした産業の振興", "oo", "港湾を活かした企業誘致と物流の振興"),
                    P("5", "日向圏域の観光振興", "oo", "海や山の観光資源を活かした周遊観光の推進"),
                    P("6", "農林水産業の振興", "oo", "農林水産物の販路拡大と担い手の育成")]),
        (short[1], [P("7", "地域公共交通の確保", "oo", "路線バスの維持とコミュニティバスの接続"),
                    P("8", "道路ネットワークの整備促進", "oo", "国県道の整備促進の共同要望"),
                    P("9", "移住・定住の促進", "oo", "移住相談会の共同出展と情報発信")]),
        (short[2], [P("10", "職員の合同研修", "oo", "職員研修の合同開催"),
                    P("11", "外部人材の活用", "oo", "地域おこし協力隊の合同研修")]),
    ]
    rows = []
    projects = []
    for pillar, ps in plan:
        for i, p in enumerate(ps):
            p.pillar = pillar
            cells = []
            if i == 0:
                cells.append(f'<td rowspan="{len(ps)}">{pillar}</td>')
            cells += [f'<td class="c">{p.label}</td>', f"<td>{p.name}</td>", f"<td>{p.desc}</td>"]
            cells += [f'<td class="c">{"○" if ch == "o" else ""}</td>' for ch in p.marks]
            cells.append(f'<td class="c">{p.count()}</td>')
            rows.append("<tr>" + "".join(cells) + "</tr>")
            projects.append(p)
    tot = totals(projects, len(order))
    rows.append('<tr><td colspan="4">連携事業数計</td>' + "".join(f'<td class="c">{t}</td>' for t in tot)
                + f'<td class="c">{sum(tot)}</td></tr>')
    head = ('<tr class="head"><td>政策分野</td><td>番号</td><td>取組</td><td>取組の概要</td>'
            + "".join(f"<td>{m}</td>" for m in order) + "<td>連携市町数</td></tr>")
    body = f"""<h1>日向圏域定住自立圏共生ビジョン</h1>
<p>日向市と門川町は、定住自立圏形成協定に基づき、圏域全体で必要な生活機能の確保に取り組んでいます。</p>
<p>更新日：2025年4月1日</p>
<h2>連携事業一覧</h2>
<table>
<tbody>
{head}
{chr(10).join(rows)}
</tbody>
</table>
<p>お問い合わせ：日向市 総合政策課</p>"""
    write(fname, "日向圏域定住自立圏共生ビジョン", "日向市", body)
    exp = [expect_project(p, order, int(p.label), with_field=False) for p in projects]
    write_expect(fname, "a city's web page (menus, breadcrumbs, footer): the table has no <thead> and its header row is "
                 "<td> cells styled bold, not <th>; the pillar (生活機能の強化 …) in a first column with rowspan over its "
                 "projects; a 連携事業数計 row with colspan=4",
                 "日向圏域定住自立圏", "定住自立圏", order, exp, 0)


# ------------------------------------------------------------------ h02 北はりま
def h02():
    fname = "h02_html_members_table_above_nonmember_column_kita_harima.html"
    order = ["西脇市", "多可町", "加東市"]
    P = Proj
    ps = [
        P("1", "救急医療体制の確保", "oo-", "西脇市立西脇病院を核とした二次救急医療体制の確保"),
        P("2", "地域医療連携の推進", "oo-", "病診連携と在宅医療の推進"),
        P("3", "病児保育の広域利用", "oo-", "病児保育施設の相互利用"),
        P("4", "図書館の相互利用", "oo-", "図書館の広域貸出"),
        P("5", "播州織等の地場産業の振興", "oo-", "播州織の販路開拓と後継者の育成"),
        P("6", "北播磨地域の広域観光の推進", "ooo", "日本へそ公園・杉原紙等を結ぶ周遊観光ルートの造成"),
        P("7", "有害鳥獣対策", "oo-", "捕獲体制の連携"),
        P("8", "地域公共交通の確保", "oo-", "路線バスの維持確保と乗継ぎの改善"),
        P("9", "移住・定住の促進", "oo-", "移住相談窓口の連携"),
        P("10", "職員の合同研修", "oo-", "職員研修の合同開催"),
    ]
    rows = []
    for p in ps:
        cells = [f'<td class="c">{p.label}</td>', f"<td>{p.name}</td>", f"<td>{p.desc}</td>"]
        cells += [f'<td class="c">{"○" if ch == "o" else "－"}</td>' for ch in p.marks]
        cells.append(f'<td class="c">{p.count()}</td>')
        rows.append("<tr>" + "".join(cells) + "</tr>")
    tot = totals(ps, len(order))
    rows.append('<tr><th colspan="3">連携事業数計</th>' + "".join(f'<td class="c">{t}</td>' for t in tot)
                + f'<td class="c">{sum(tot)}</td></tr>')
    body = f"""<h1>北はりま定住自立圏</h1>
<p>西脇市と多可町は、平成22年に定住自立圏形成協定を締結し、北はりま定住自立圏を形成しています。</p>
<h2>圏域を構成する市町</h2>
<table>
<thead><tr><th>区分</th><th>市町名</th><th>人口（人）</th><th>面積（km&sup2;）</th></tr></thead>
<tbody>
<tr><td>中心市</td><td>西脇市</td><td class="c">37,825</td><td class="c">132.44</td></tr>
<tr><td>連携町</td><td>多可町</td><td class="c">19,164</td><td class="c">185.19</td></tr>
</tbody>
</table>
<p>※人口は令和7年3月末現在の住民基本台帳人口</p>
<h2>共生ビジョンに掲げる連携事業</h2>
<table>
<thead><tr><th>番号</th><th>連携事業</th><th>事業内容</th>{"".join(f"<th>{m}</th>" for m in order)}<th>連携市町数</th></tr></thead>
<tbody>
{chr(10).join(rows)}
</tbody>
</table>"""
    write(fname, "北はりま定住自立圏", "西脇市", body)
    exp = [expect_project(p, order, int(p.label)) for p in ps]
    write_expect(fname, "a web page with two tables: the sphere's members (区分 | 市町名 | 人口 | 面積: 中心市 西脇市, 連携町 "
                 "多可町) above, the projects below (番号 | 連携事業 | 事業内容 | 西脇市 | 多可町 | 加東市 | 連携市町数, "
                 "－ for no). Planted: a column for 加東市, which is not a member (a member of the neighbouring 北播磨"
                 "広域定住自立圏), with a ○ on project 6 (counted in its 連携市町数 3 and in the totals)",
                 "北はりま定住自立圏", "定住自立圏", order, exp, 0,
                 faults=[{"what": "participant-not-member", "row": "project 6 (北播磨地域の広域観光の推進)",
                          "municipality": "加東市",
                          "why": "the page's own members table names 西脇市 and 多可町 only; the closest finding code "
                                 "(participant-not-member, a warning) is assumed: the document is ambiguous as to which "
                                 "code renkei would give"}],
                 findings=[{"code": "members-differ", "severity": "warning",
                            "why": "an acceptable alternative wording of the same fault"}])


# ------------------------------------------------------------------ h03 南相馬市
def h03():
    fname = "h03_html_span_ruby_names_wrong_count_minamisoma.html"
    order = ["南相馬市", "飯舘村"]
    P = Proj
    plan = [
        ("医療", [P("1", "救急医療体制の確保", "oo", "市立総合病院を核とした二次救急医療の提供"),
                  P("2", "医療従事者の確保", "oo", "看護師等の確保と研修の共同実施")]),
        ("福祉", [P("3", "高齢者福祉サービスの広域利用", "oo", "介護予防事業・通所サービスの相互利用"),
                  P("4", "子育て支援の連携", "oo", "病児保育・一時預かりの広域利用", declared=1)]),
        ("産業振興", [P("5", "農業の再生と担い手の確保", "oo", "営農再開の支援と新規就農者の確保"),
                    P("6", "広域観光の推進", "oo", "相馬野馬追・までいの里の周遊観光")]),
        ("地域公共交通", [P("7", "地域公共交通の確保", "oo", "南相馬市と飯舘村を結ぶ路線バスの運行")]),
        ("人材育成", [P("8", "職員の合同研修と人事交流", "oo", "合同研修と職員の相互派遣")]),
    ]
    names = ['<span class="sp">南</span><span class="sp">相</span><span class="sp">馬</span><span class="sp">市</span>',
             "<ruby>飯舘<rp>（</rp><rt>いいたて</rt><rp>）</rp></ruby>村"]
    rows = []
    projects = []
    fault = None
    for k, (field, ps) in enumerate(plan):
        rows.append(f'<tr><th colspan="6" style="text-align:left">（{k + 1}）{field}</th></tr>')
        for p in ps:
            p.field = field
            cells = [f'<td class="c">{p.label}</td>', f"<td>{p.name}</td>", f"<td>{p.desc}</td>"]
            cells += [f'<td class="c">{"○" if ch == "o" else ""}</td>' for ch in p.marks]
            cells.append(f'<td class="c">{p.declared_count()}</td>')
            rows.append("<tr>" + "".join(cells) + "</tr>")
            projects.append(p)
            if p.declared is not None:
                fault = {"what": "count-mismatch", "row": f"project {p.label} ({p.name})", "declared": p.declared,
                         "marks": p.count()}
    head = ("<tr><th>番号</th><th>連携事業</th><th>事業の内容</th>" + "".join(f"<th>{n}</th>" for n in names)
            + "<th>連携市町村数</th></tr>")
    body = f"""<h1>南相馬市を中心市とする定住自立圏　共生ビジョン</h1>
<p>南相馬市と飯舘村は、定住自立圏形成協定を締結し、次の事業に連携して取り組んでいます。</p>
<table>
<caption>連携事業一覧（令和7年度）</caption>
<thead>{head}</thead>
<tbody>
{chr(10).join(rows)}
</tbody>
</table>"""
    write(fname, "南相馬市を中心市とする定住自立圏 共生ビジョン", "南相馬市", body)
    exp = [expect_project(p, order, int(p.label)) for p in projects]
    write_expect(fname, "a web page whose header writes the towns' names with markup inside: 南相馬市 one <span> a "
                 "character (letter-spaced), 飯舘村 as <ruby>飯舘<rp>（</rp><rt>いいたて</rt><rp>）</rp></ruby>村; field "
                 "rows （１）医療 as <th colspan>; a <caption>; no totals. Planted: project 4's 連携市町村数 is 1 with "
                 "two ○",
                 "南相馬市を中心市とする定住自立圏", "定住自立圏", order, exp, 1, faults=[fault],
                 findings=[{"code": "no-totals", "severity": "info"}])


if __name__ == "__main__":
    h01()
    h02()
    h03()
