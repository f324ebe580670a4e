"""Small shapes the third tester corpus (tests/corpus/shapes3) found misread, each tested on another sphere's table:
a town of one character after its district (東白川郡塙町), a field column headed 連携分野, a legend written against a
note's mark (※◎：…) or with ✓, and an indicator's unit bracketed at the end of its name where no column gives it."""

from __future__ import annotations

from renkei.ingest import read_bytes
from renkei.ingest.report import Report, check_reading
from renkei.places.municipalities import Registry
from renkei.vision.model import Role, Severity


def _read(text: str, name: str = "table.csv") -> Report:
    return check_reading(read_bytes(text.encode("utf-8"), name))


def _loud(report: Report) -> list[str]:
    return [f.code for f in report.findings if f.severity is not Severity.INFO]


def test_a_town_of_one_character_after_its_district_resolves() -> None:
    registry = Registry.default()
    for written, official, prefecture in (
        ("東白川郡塙町", "塙町", "福島県"),
        ("二戸郡一戸町", "一戸町", "岩手県"),
        ("赤穂郡上郡町", "上郡町", "兵庫県"),  # a town whose own name holds 郡
    ):
        found = registry.candidates(written)
        assert [(e.name, e.prefecture) for e in found] == [(official, prefecture)], written
    assert {e.prefecture for e in registry.candidates("茅部郡森町")} == {"北海道", "静岡県"}  # decided by the table


def test_a_column_headed_renkei_bunya_is_the_field() -> None:
    # 定住自立圏 of 八戸 (八戸市, 三戸町, 五戸町): the field in a column headed 連携分野.
    report = _read("番号,連携分野,事業名,八戸市,三戸町,五戸町\n1,医療,救急医療の連携,○,○,○\n2,産業振興,企業誘致,○,,○\n")
    fields = [p.field.title if p.field else None for p in report.reading.vision.projects]
    assert fields == ["医療", "産業振興"]
    assert report.reading.vision.projects[0].attributes == {}


def test_a_legend_written_against_a_notes_mark_or_with_a_check_mark() -> None:
    # 北九州都市圏域 (北九州市, 直方市, 行橋市): ※◎ with no space, and ✓ explained as taking part.
    table = "番号,事業名,北九州市,直方市,行橋市\n1,観光の連携,◎,○,○\n2,防災の連携,○,◎,\n※◎：主担当市　○：連携市\n"
    report = _read(table)
    assert report.reading.vision.projects[0].participants["北九州市"] is Role.LEAD
    assert "lead-without-legend" not in _loud(report)
    ticked = _read("番号\t事業名\t北九州市\t直方市\n1\t観光の連携\t✓\t✓\n✓：連携して取り組む市町\n", "table.txt")
    assert list(ticked.reading.vision.projects[0].participants) == ["北九州市", "直方市"]
    assert _loud(ticked) == []


def test_an_indicators_unit_bracketed_in_its_name_where_no_column_gives_it() -> None:
    header = "番号,事業名,宮崎市,国富町,成果指標,基準値（R5）,目標値（R10）"
    report = _read(f"{header}\n1,観光の連携,○,○,観光入込客数（千人）,120,150\n2,移住の促進,○,,移住者数（累計）,30,60\n")
    first, second = report.reading.vision.projects
    assert [(k.name, k.unit) for k in first.kpis] == [("観光入込客数", "千人")]
    assert [(k.name, k.unit) for k in second.kpis] == [("移住者数（累計）", "")]  # a qualifier, no unit
    with_units = _read(
        "番号,事業名,宮崎市,国富町,成果指標,単位,目標値（R10）\n1,観光の連携,○,○,観光入込客数（千人）,,150\n"
    )
    assert [(k.name, k.unit) for k in with_units.reading.vision.projects[0].kpis] == [("観光入込客数（千人）", "")]


def _word(*paragraphs: str) -> bytes:
    import io

    from docx import Document

    document = Document()
    for text in paragraphs:
        document.add_paragraph(text)  # the Normal style: no heading's style says it is a title
    table = document.add_table(rows=3, cols=4)
    for r, cells in enumerate(
        [("番号", "事業名", "宮崎市", "国富町"), ("1", "観光の連携", "○", "○"), ("2", "防災", "○", "")]
    ):
        for c, text in enumerate(cells):
            table.cell(r, c).text = text
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def test_a_word_paragraph_naming_the_sphere_in_the_normal_style_is_its_title() -> None:
    report = check_reading(read_bytes(_word("宮崎広域連携中枢都市圏ビジョン　別表　連携事業一覧"), "vision.docx"))
    sphere = report.reading.vision.sphere
    assert (sphere.name, sphere.kind.value) == ("宮崎広域連携中枢都市圏", "連携中枢都市圏")
    prose = _word("本圏域は、連携中枢都市圏として次の事業に取り組む。")
    assert check_reading(read_bytes(prose, "vision.docx")).reading.vision.sphere.name == ""  # a sentence is no title


def test_an_area_title_with_a_subtitle_set_off_by_a_space_names_the_sphere() -> None:
    page = (
        "<html><head><title>連携事業｜宮崎市</title></head><body><h1>宮崎広域都市圏　連携事業一覧</h1>"
        "<table><tr><th>番号</th><th>事業名</th><th>宮崎市</th><th>国富町</th></tr>"
        "<tr><td>1</td><td>観光の連携</td><td>○</td><td>○</td></tr></table></body></html>"
    )
    sphere = check_reading(read_bytes(page.encode("utf-8"), "page.html")).reading.vision.sphere
    assert (sphere.name, sphere.kind.value) == ("宮崎広域都市圏", "連携中枢都市圏")


def _levels(report: Report) -> list[tuple[str | None, str | None]]:
    return [
        (p.pillar.title if p.pillar else None, p.field.title if p.field else None)
        for p in report.reading.vision.projects
    ]


HEAD = "番号\t事業名\t宮崎市\t国富町\t綾町\n"


def test_headings_in_brackets_are_the_top_level_or_the_level_under_a_labelled_one() -> None:
    # 宮崎広域連携中枢都市圏: 【…】 rows alone are its pillars; under ① pillars they are the fields.
    alone = HEAD + "【経済成長のけん引】\n1\t企業誘致\t○\t○\t\n【生活関連機能サービスの向上】\n2\t救急医療\t○\t○\t○\n"
    report = _read(alone, "t.txt")
    assert _levels(report) == [("経済成長のけん引", None), ("生活関連機能サービスの向上", None)]
    assert _loud(report) == []
    under = HEAD + "① 生活機能の強化\n【医療】\n1\t救急医療\t○\t○\t○\n【福祉】\n2\t子育て支援\t○\t\t○\n"
    assert _levels(_read(under, "t.txt")) == [("生活機能の強化", "医療"), ("生活機能の強化", "福祉")]
    both = HEAD + "【生活機能の強化】\n［医療］\n1\t救急医療\t○\t○\t○\n"
    assert _levels(_read(both, "t.txt")) == [("生活機能の強化", "医療")]


def test_two_numbering_styles_in_a_row_are_pillar_and_field() -> None:
    # １　… over （１）…, as a Word table's merged rows write them: the second style is the field wherever it stands.
    table = HEAD + "１　生活機能の強化\n（１）医療\n1\t救急医療\t○\t○\t○\n（２）福祉\n2\t子育て支援\t○\t\t○\n"
    table += "２　結びつきやネットワークの強化\n（１）地域公共交通\n3\t路線バス\t○\t○\t\n"
    assert _levels(_read(table, "t.txt")) == [
        ("生活機能の強化", "医療"),
        ("生活機能の強化", "福祉"),
        ("結びつきやネットワークの強化", "地域公共交通"),
    ]


def test_headings_without_labels_survive_the_official_layout_and_back() -> None:
    # Fields from a 分野 column have no label: the official layout writes them in brackets and reads them back.
    from renkei.render import get

    table = "番号,柱,分野,事業名,宮崎市,国富町\n1,生活機能,医療,救急医療,○,○\n2,生活機能,福祉,子育て,○,\n"
    table += "3,結びつき,交通,路線バス,○,○\n"
    vision = _read(table).reading.vision
    assert [(p.pillar and p.pillar.title, p.field and p.field.title) for p in vision.projects] == [
        ("生活機能", "医療"),
        ("生活機能", "福祉"),
        ("結びつき", "交通"),
    ]
    for name in ("official", "markdown", "xlsx"):
        renderer = get(name)
        back = check_reading(read_bytes(renderer.render(vision), f"back.{renderer.extension}"))
        got = [(p.pillar and p.pillar.title, p.field and p.field.title) for p in back.reading.vision.projects]
        assert got == [("生活機能", "医療"), ("生活機能", "福祉"), ("結びつき", "交通")], name
        assert [f.code for f in back.findings if f.code.startswith("line-")] == [], name


def test_participants_in_one_cell_under_any_word_for_the_towns_taking_part() -> None:
    # 播磨圏域 (姫路市, 相生市, 赤穂市): 関係市町 and 対象自治体 head the participants written in one cell, and a
    # 施策の柱 column gives the pillar.
    for heading in ("関係市町", "対象自治体", "実施団体"):
        table = (
            f"番号,施策の柱,事業名,{heading}\n1,経済成長,企業誘致,姫路市、相生市\n2,生活関連,救急医療,姫路市・赤穂市\n"
        )
        table += "3,生活関連,職員研修,全市町\n"
        report = _read(table)
        vision = report.reading.vision
        assert [list(p.participants) for p in vision.projects][:2] == [["姫路市", "相生市"], ["姫路市", "赤穂市"]]
        assert [p.pillar.title if p.pillar else None for p in vision.projects] == ["経済成長", "生活関連", "生活関連"]
        assert "municipality-unknown" not in _loud(report), heading


def test_the_amounts_unit_in_a_group_cell_over_a_one_row_header() -> None:
    # 湯沢・雄勝 (湯沢市, 羽後町, 東成瀬村): 事業費（千円） merged over R6 | R7 | 総事業費 on the line above the header.
    import io

    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["", "", "", "", "", "事業費（千円）", "", ""])
    sheet.merge_cells("F1:H1")
    sheet.append(["番号", "事業名", "湯沢市", "羽後町", "東成瀬村", "R6", "R7", "総事業費"])
    sheet.append([1, "救急医療", "○", "○", "○", "1,200", "1,300", "2,500"])
    sheet.append([2, "観光の連携", "○", "", "○", "400", "400", "900"])
    out = io.BytesIO()
    book.save(out)
    report = check_reading(read_bytes(out.getvalue(), "yuzawa.xlsx"))
    first, second = report.reading.vision.projects
    assert sorted((b.fiscal_year or 0, b.amount) for b in first.budgets) == [(0, 2500), (2024, 1200), (2025, 1300)]
    assert sorted((b.fiscal_year or 0, b.amount) for b in second.budgets) == [(0, 900), (2024, 400), (2025, 400)]
    assert _loud(report) == ["budget-total-mismatch"]  # 400 + 400 is not 900: found, at its cell
    assert "line-before-table" not in [f.code for f in report.findings]  # the group line was read


def test_bare_years_under_a_note_of_the_amounts_unit_are_amounts() -> None:
    table = "（単位：千円）\n番号,事業名,湯沢市,羽後町,R6,R7\n1,救急医療,○,○,100,200\n"
    (project,) = _read(table).reading.vision.projects
    assert sorted((b.fiscal_year, b.amount, b.unit) for b in project.budgets) == [
        (2024, 100, "千円"),
        (2025, 200, "千円"),
    ]
    without = _read("番号,事業名,湯沢市,羽後町,R6,R7\n1,救急医療,○,○,100,200\n").reading.vision.projects[0]
    assert without.budgets == [] and without.attributes == {"R6": "100", "R7": "200"}  # no unit stated: not amounts


def test_a_web_page_with_a_table_per_field_reads_every_one_and_its_totals() -> None:
    # 南那須 (那須烏山市, 那珂川町): one table per field under its headings, a field of one project, and a table of
    # the totals under the same town names headed by a label alone.
    head = "<tr><th>No.</th><th>事業名</th><th>那須烏山市</th><th>那珂川町</th><th>連携市町数</th></tr>"
    page = (
        "<html><body><nav><h2>くらし</h2><ul><li>ごみ</li></ul></nav><h1>南那須地域定住自立圏の連携事業</h1>"
        "<h2>1　生活機能の強化に係る政策分野</h2>"
        f"<h3>(1) 医療</h3><table>{head}<tr><td>1</td><td>救急医療</td><td>○</td><td>○</td><td>2</td></tr>"
        "<tr><td>2</td><td>休日診療</td><td>○</td><td>○</td><td>2</td></tr></table>"
        f"<h3>(2) 教育</h3><table>{head}<tr><td>3</td><td>図書館</td><td>○</td><td></td><td>1</td></tr></table>"
        "<h3>連携事業数</h3><table><tr><th></th><th></th><th>那須烏山市</th><th>那珂川町</th><th>連携市町数</th></tr>"
        "<tr><td colspan='2'>合計</td><td>3</td><td>3</td><td>5</td></tr></table></body></html>"
    )
    report = check_reading(read_bytes(page.encode("utf-8"), "page.html"))
    vision = report.reading.vision
    assert [p.number for p in vision.projects] == [1, 2, 3]
    assert _levels(report) == [("生活機能の強化に係る政策分野", "医療")] * 2 + [
        ("生活機能の強化に係る政策分野", "教育")
    ]
    assert "total-mismatch" in _loud(report)  # 那珂川町 takes part in two projects, not the three declared
    assert [f.code for f in report.findings if f.code == "totals-misaligned"] == []


def test_the_central_city_on_a_line_of_its_own_under_the_title() -> None:
    # 八戸圏域: the title, then （中心市：八戸市） alone, as many visions set it under the title.
    for line in ("（中心市：八戸市）", "（中心市：八戸市　※八戸市は全ての事業に参加）"):
        table = f"八戸圏域連携中枢都市圏ビジョン　具体的取組\n{line}\n番号,事業名,八戸市,三戸町,五戸町\n1,観光,○,○,○\n"
        report = _read(table)
        central = report.reading.vision.sphere.central_city
        assert central is not None and central.name == "八戸市", line
        assert "line-before-table" not in [f.code for f in report.findings]


def test_a_pdfs_title_on_its_cover_names_the_sphere_of_the_table_pages_after() -> None:
    # 南信州: the cover prints the vision's title, a page of prose follows, the table stands on page 3.
    import importlib.util

    from conftest import require

    require(importlib.util.find_spec("weasyprint") is not None, "weasyprint is not installed")
    from weasyprint import HTML

    rows = "".join(
        f"<tr><td>{n}</td><td>{name}</td><td>○</td><td>○</td><td>2</td></tr>"
        for n, name in ((1, "救急医療の連携"), (2, "広域観光の推進"))
    )
    page = (
        "<html><head><style>@page{size:A4 landscape} section{page-break-after:always}"
        " body{font-family:'Noto Sans CJK JP'} td,th{border:1px solid #000;padding:4px}</style></head><body>"
        "<section><h1>南信州定住自立圏共生ビジョン</h1><p>令和6年3月　飯田市</p></section>"
        "<section><h2>第1章 圏域の概要</h2><p>本圏域は、飯田市と周辺の町村で構成する。</p></section>"
        "<section><h2>第2章 具体的取組</h2><table><tr><th>番号</th><th>事業名</th><th>飯田市</th><th>松川町</th>"
        f"<th>連携市町村数</th></tr>{rows}</table></section></body></html>"
    )
    pdf = HTML(string=page).write_pdf()
    report = check_reading(read_bytes(pdf, "vision.pdf"))
    vision = report.reading.vision
    assert (vision.sphere.name, vision.sphere.kind.value) == ("南信州定住自立圏", "定住自立圏")
    assert [p.name for p in vision.projects] == ["救急医療の連携", "広域観光の推進"]
    assert _loud(report) == []


def test_a_single_level_of_headings_that_name_policy_fields_is_the_field() -> None:
    # 八戸圏域: (1) 医療, (2) 観光 over the projects and nothing above them: fields (compared by field across
    # spheres), their pillars inferred where the national wording tells one; a pillar's wording stays a pillar.
    table = "番号,事業名,八戸市,三戸町\n(1) 医療\n1,救急,○,○\n(2) 観光\n2,観光PR,○,○\n"
    table += "(3) 圏域全体の経済成長のけん引\n3,企業誘致,○,\n"
    report = _read(table)
    projects = report.reading.vision.projects
    assert [p.field.title if p.field else None for p in projects] == ["医療", "観光", None]
    assert projects[2].pillar is not None and projects[2].pillar.title == "圏域全体の経済成長のけん引"
    assert _loud(report) == []
    under = _read("番号,事業名,八戸市,三戸町\n(1) 医療\nア 救急医療\n1,救急,○,○\n").reading.vision.projects[0]
    assert (under.pillar and under.pillar.title, under.field and under.field.title) == ("医療", "救急医療")


BINGO_LINES = (
    "備後圏域連携中枢都市圏　連携事業\n"
    "連携中枢都市　福山市\n"
    "連携市町：（広島県）三原市、尾道市、府中市、世羅町、神石高原町　（岡山県）笠岡市、井原市\n"
)
BINGO_TABLE = (
    ("1", "圏域の救急医療体制の確保", "全市町"),
    ("2", "備後地域の観光振興", "福山市、尾道市、府中市、笠岡市"),
    ("3", "広域的な公共交通の確保", "三原市、尾道市、世羅町"),
)


def test_members_grouped_by_prefecture_and_a_central_city_line_above_a_participants_cell_table() -> None:
    """備後圏域 (福山市 of 広島県 with two towns of 岡山県): the members in a line that groups them by prefecture
    ((広島県)…(岡山県)…), the central city on an unbracketed line of its own, participants in one cell. Every
    member is a column in the line's order, the central city first once a cell names it, each labelled as
    written; 府中市, which 東京都 has too, is 広島県's from its group, in the line and in the cells; 全市町 is
    every one of them."""
    registry = Registry.default()
    table = "番号,連携事業,関係市町\n" + "".join(f'{n},{name},"{towns}"\n' for n, name, towns in BINGO_TABLE)
    report = _read(BINGO_LINES + table)
    vision = report.reading.vision
    members = ["三原市", "尾道市", "府中市", "世羅町", "神石高原町", "笠岡市", "井原市"]
    assert [m.name for m in vision.municipalities] == ["福山市", *members]
    assert [m.display for m in vision.municipalities] == ["福山市", *members]  # no prefecture added to a label
    assert vision.sphere.central_city is not None and vision.sphere.central_city.name == "福山市"
    fuchu = vision.find_municipality("府中市")
    assert fuchu is not None and fuchu.prefecture == "広島県"
    assert fuchu.code == registry.resolve("府中市", "広島県").entry.code  # type: ignore[union-attr]
    assert {m.name: m.prefecture for m in vision.municipalities}["笠岡市"] == "岡山県"
    first, second, third = vision.projects
    assert list(first.participants) == ["福山市", *members]
    assert list(second.participants) == ["福山市", "尾道市", "府中市", "笠岡市"]
    assert list(third.participants) == ["三原市", "尾道市", "世羅町"]
    assert _loud(report) == []
    assert not [f for f in report.findings if f.code in ("line-before-table", "participant-not-member")]


def test_the_same_lines_as_paragraphs_above_a_web_pages_table() -> None:
    lines = [line for line in BINGO_LINES.splitlines() if line]
    rows = "".join(f"<tr><td>{n}</td><td>{name}</td><td>{towns}</td></tr>" for n, name, towns in BINGO_TABLE)
    page = (
        f"<html><head><title>{lines[0]}</title></head><body><h1>{lines[0]}</h1><p>{lines[1]}</p><p>{lines[2]}</p>"
        "<p>圏域の市町が連携して次の事業に取り組みます。</p>"
        f"<table><tr><th>番号</th><th>連携事業</th><th>関係市町</th></tr>{rows}</table></body></html>"
    )
    report = check_reading(read_bytes(page.encode("utf-8"), "bingo.html"))
    vision = report.reading.vision
    assert [m.name for m in vision.municipalities][:2] == ["福山市", "三原市"] and len(vision.municipalities) == 8
    assert len(vision.projects[0].participants) == 8
    assert _loud(report) == []


def test_a_pdfs_header_whose_cells_wrap_over_lines_is_read_down_its_cells() -> None:
    """都城 (都城市, 三股町, 曽於市 and 志布志市 of 鹿児島県): a PDF whose narrow header cells wrap, no line holding
    two whole header words (番 over 号, 都城 over 市, 連携市町 over 数, 令和7年 over 度). The header is found by
    its words read down their cells, and the table reads whole: towns, marks, amounts per year."""
    import importlib.util

    from conftest import require

    require(importlib.util.find_spec("weasyprint") is not None, "weasyprint is not installed")
    from weasyprint import HTML

    towns = ("都城市", "三股町", "曽於市", "志布志市")
    projects = (
        (1, "救急医療体制の確保", "○○○○", (12000, 12500)),
        (2, "広域観光ルートの整備", "○○　○", (3000, 3200)),
        (3, "移住の促進", "○　○○", (800, 900)),
    )
    wrapped = "".join(f"<th>{t[:-1]}<br>{t[-1]}</th>" for t in towns)
    rows = "".join(
        f"<tr><td>{n}</td><td>{name}</td>"
        + "".join(f"<td>{'○' if m == '○' else ''}</td>" for m in marks)
        + f"<td>{marks.count('○')}</td>"
        + "".join(f"<td>{a:,}</td>" for a in amounts)
        + "</tr>"
        for n, name, marks, amounts in projects
    )
    page = (
        "<html><head><style>@page{size:A4 landscape} body{font-family:'Noto Sans CJK JP';font-size:10pt}"
        " td,th{border:1px solid #000;padding:3px}</style></head><body>"
        "<h1>都城広域定住自立圏共生ビジョン</h1><p>（単位：千円）</p>"
        f"<table><tr><th>番<br>号</th><th>事業名</th>{wrapped}<th>連携市町<br>数</th>"
        "<th>令和7年<br>度</th><th>令和8年<br>度</th></tr>"
        f"{rows}</table></body></html>"
    )
    report = check_reading(read_bytes(HTML(string=page).write_pdf(), "miyakonojo.pdf"))
    vision = report.reading.vision
    assert [m.name for m in vision.municipalities] == list(towns)
    assert [(p.number, p.name) for p in vision.projects] == [(n, name) for n, name, _, _ in projects]
    for project, (_, _, marks, amounts) in zip(vision.projects, projects, strict=True):
        assert list(project.participants) == [t for t, m in zip(towns, marks, strict=True) if m == "○"]
        assert [(b.fiscal_year, b.amount) for b in project.budgets] == [(2025, amounts[0]), (2026, amounts[1])]
    assert _loud(report) == []


def test_a_web_pages_names_written_with_their_reading_in_ruby() -> None:
    """奄美 (奄美市, 龍郷町, 喜界町): names with their readings over them (<ruby>…<rt>…</rt></ruby>, with and
    without <rp> brackets for browsers without ruby) are the names alone; a name one <span> a character too."""
    towns = (
        "<th><span>奄</span><span>美</span><span>市</span></th>",
        "<th><ruby>龍郷<rp>（</rp><rt>たつごう</rt><rp>）</rp></ruby>町</th>",
        "<th><ruby>喜界<rt>きかい</rt></ruby>町</th>",
    )
    page = (
        "<html><body><h1>奄美大島定住自立圏共生ビジョン</h1><table><tr><th>番号</th><th>事業名</th>"
        f"{''.join(towns)}<th>連携市町村数</th></tr>"
        "<tr><td>1</td><td>救急医療の連携</td><td>○</td><td>○</td><td>○</td><td>3</td></tr>"
        "<tr><td>2</td><td>広域観光の推進</td><td>○</td><td></td><td>○</td><td>2</td></tr></table></body></html>"
    )
    report = check_reading(read_bytes(page.encode("utf-8"), "amami.html"))
    vision = report.reading.vision
    assert [m.name for m in vision.municipalities] == ["奄美市", "龍郷町", "喜界町"]
    assert [m.display for m in vision.municipalities] == ["奄美市", "龍郷町", "喜界町"]
    assert list(vision.projects[1].participants) == ["奄美市", "喜界町"]
    assert _loud(report) == []


def test_a_mark_with_a_word_in_brackets_that_a_legend_explains() -> None:
    """八代 (八代市, 氷川町): a legend ○（幹事）：幹事市町　○：参加市町, cells ○（幹事） or ○(幹事) in either width; the
    bracketed mark leads, the bare one takes part, and nothing is an unknown mark."""
    table = (
        "凡例　○（幹事）：幹事市町　○：参加市町\n"
        "番号,事業名,八代市,氷川町,連携市町数\n1,救急医療の連携,○（幹事）,○,2\n2,広域観光の推進,○,○(幹事),2\n"
    )
    report = _read(table)
    first, second = report.reading.vision.projects
    assert first.participants == {"八代市": Role.LEAD, "氷川町": Role.MEMBER}
    assert second.participants == {"八代市": Role.MEMBER, "氷川町": Role.LEAD}
    assert _loud(report) == []


def test_a_column_of_the_guidelines_pillars_is_the_pillar_whatever_its_header() -> None:
    """高梁川流域 (倉敷市, 総社市, 早島町): a column headed 政策分野 holding the national pillars' words, numbered
    or not, beside a 分野 column, or alone; the pillars are pillars, the fields fields."""
    head = "政策分野,分野,番号,事業名,倉敷市,総社市,早島町,連携市町数\n"
    rows = (
        "1　圏域全体の経済成長のけん引,産業振興,1,企業の販路開拓支援,○,○,○,3\n"
        ",観光,2,広域観光の推進,○,○,,2\n"
        "圏域全体の生活関連機能サービスの向上,医療,3,救急医療の連携,○,○,○,3\n"
    )
    vision = _read(head + rows).reading.vision
    assert [(p.pillar.title if p.pillar else None, p.field.title if p.field else None) for p in vision.projects] == [
        ("圏域全体の経済成長のけん引", "産業振興"),
        ("圏域全体の経済成長のけん引", "観光"),
        ("圏域全体の生活関連機能サービスの向上", "医療"),
    ]
    alone = "政策分野,番号,事業名,倉敷市,総社市,早島町,連携市町数\n" + "".join(
        ",".join(cells) + "\n"
        for cells in (
            ("生活機能の強化", "1", "救急医療の連携", "○", "○", "○", "3"),
            ("結びつきやネットワークの強化", "2", "公共交通の確保", "○", "", "○", "2"),
        )
    )
    pillars = [(p.pillar.title if p.pillar else None, p.field) for p in _read(alone).reading.vision.projects]
    assert pillars == [("生活機能の強化", None), ("結びつきやネットワークの強化", None)]


def test_bare_numbered_fields_under_roman_pillars() -> None:
    """西いぶり (伊達市, 壮瞥町, 洞爺湖町): pillars numbered Ⅰ, fields under them numbered 1　医療 without a dot or a
    bracket, on lines of their own. Right under a pillar, or once the first was read so, such a line is a field,
    not a project cut short; the projects keep their own numbers."""
    table = (
        "番号,事業名,伊達市,壮瞥町,洞爺湖町,連携市町数\n"
        "Ⅰ　生活機能の強化\n1　医療\n1,救急医療の連携,○,○,○,3\n2,地域医療の人材確保,○,,○,2\n"
        "2　福祉\n3,病児保育の広域利用,○,○,,2\n"
        "Ⅱ　結びつきやネットワークの強化\n1　地域公共交通\n4,路線バスの確保,○,○,○,3\n"
    )
    report = _read(table)
    got = [(p.number, p.pillar.title if p.pillar else None, str(p.field)) for p in report.reading.vision.projects]
    assert got == [
        (1, "生活機能の強化", "1 医療"),
        (2, "生活機能の強化", "1 医療"),
        (3, "生活機能の強化", "2 福祉"),
        (4, "結びつきやネットワークの強化", "1 地域公共交通"),
    ]
    assert _loud(report) == []


def test_a_town_column_the_members_line_above_does_not_name_is_said() -> None:
    """北はりま (西脇市, 多可町): a members line above a ○ table that has a column for 加東市 too. The column's
    marks are read as written and the column is said at its header cell; a table whose columns the line names
    says nothing."""
    line = "構成市町：西脇市、多可町\n"
    table = "番号,事業名,西脇市,多可町,加東市,連携市町数\n1,救急医療の連携,○,○,,2\n2,広域観光の推進,○,○,○,3\n"
    report = _read(line + table)
    (said,) = [f for f in report.findings if f.code == "column-not-member"]
    assert said.severity is Severity.WARNING and said.params["name"] == "加東市"
    assert said.location is not None and (said.location.line, said.location.column) == (2, 5)
    assert list(report.reading.vision.projects[1].participants) == ["西脇市", "多可町", "加東市"]
    fitting = _read(line + "番号,事業名,西脇市,多可町,連携市町数\n1,救急医療の連携,○,○,2\n")
    assert "column-not-member" not in [f.code for f in fitting.findings]
