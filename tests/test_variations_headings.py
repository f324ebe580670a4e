"""Variations of real cooperation tables (domain.md, "Variations to expect in other spheres' tables"): pillar
and field headings, the title line, columns beyond the municipalities and repeated header rows.

Each test builds its table here as text, reads it with ``read_bytes`` and checks what a user would check."""

from __future__ import annotations

import pytest

from renkei.vision.model import Budget, Kpi, Location, Role, Severity, SphereKind
from variations_support import HEADER, TOWNS, codes, csv_bytes, errors, project, read, row, the, tsv

# Headings ----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("label", ["①", "(1)", "（１）", "1.", "Ⅰ"])
def test_pillar_labels(label: str) -> None:
    report = read(tsv((f"{label} 生活機能の強化",), ("ア 医療",), HEADER, row("1", "救急医療事業", ["○", "○", "○"])))
    p = project(report, 1)
    assert p.pillar is not None and p.field is not None
    assert (p.pillar.label, p.pillar.title) == (label, "生活機能の強化")
    assert str(p.field) == "ア 医療"
    assert "pillar-inferred" not in codes(report)
    assert "line-unrecognised" not in codes(report)


def test_an_unnumbered_pillar_in_a_line_of_its_own_among_the_projects() -> None:
    """A pillar written without a number between the projects (a band over them): worded as a national pillar,
    it is one; a longer line that only mentions one stays a line renkei does not read."""
    report = read(
        tsv(
            HEADER,
            ("生活機能の強化",),
            row("1", "救急医療事業", ["○", "○", "○"]),
            ("結びつきやネットワークの強化に係る政策分野",),
            row("2", "地域公共交通の確保", ["○", "○", ""]),
            ("生活機能の強化に向けて圏域の市町が一体となり取り組む事業を次のとおり定めるものとする",),
            row("3", "広域観光の推進", ["○", "", "○"]),
        )
    )
    pillars = [project(report, n).pillar for n in (1, 2)]
    assert [(p.label, p.title) if p else None for p in pillars] == [
        ("", "生活機能の強化"),
        ("", "結びつきやネットワークの強化に係る政策分野"),
    ]
    assert the(report, "line-unrecognised").params["text"].startswith("生活機能の強化に向けて")


@pytest.mark.parametrize(("written", "label"), [("ア", "ア"), ("(ア)", "(ア)"), ("（ア）", "(ア)"), ("ア．", "ア")])
def test_field_labels(written: str, label: str) -> None:
    report = read(tsv(("① 生活機能の強化",), (f"{written} 医療",), HEADER, row("1", "救急医療事業", ["○", "", ""])))
    field = project(report, 1).field
    assert field is not None
    assert (field.label, field.title) == (label, "医療")


def test_fields_change_under_one_pillar_and_pillars_change() -> None:
    report = read(
        tsv(
            ("① 生活機能の強化",),
            ("ア 医療",),
            HEADER,
            row("1", "救急医療事業", ["○", "○", "○"]),
            ("イ 福祉",),
            row("2", "障害者福祉事業", ["○", "", "○"]),
            ("② 結びつきやネットワークの強化",),
            ("ア 地域公共交通",),
            row("3", "バス運行事業", ["", "○", "○"]),
        )
    )
    got = [(str(p.pillar), str(p.field)) for p in report.reading.vision.projects]
    assert got == [
        ("① 生活機能の強化", "ア 医療"),
        ("① 生活機能の強化", "イ 福祉"),
        ("② 結びつきやネットワークの強化", "ア 地域公共交通"),
    ]


@pytest.mark.parametrize(
    "line", [("① 生活機能の強化　ア 医療",), ("① 生活機能の強化", "ア 医療")], ids=["one-cell", "two"]
)
def test_pillar_and_field_on_one_line(line: tuple[str, ...]) -> None:
    report = read(tsv(line, HEADER, row("1", "救急医療事業", ["○", "○", ""])))
    p = project(report, 1)
    assert (str(p.pillar), str(p.field)) == ("① 生活機能の強化", "ア 医療")
    assert "line-unrecognised" not in codes(report)


@pytest.mark.parametrize(("kanji", "katakana", "title"), [("工", "エ", "産業振興"), ("力", "カ", "観光")])
def test_look_alike_kanji_label_is_repaired_and_reported(kanji: str, katakana: str, title: str) -> None:
    report = read(tsv((f"{kanji} {title}",), HEADER, row("1", "創業支援事業", ["○", "", ""])))
    assert str(project(report, 1).field) == f"{katakana} {title}"
    finding = the(report, "label-repaired")
    assert finding.severity is Severity.INFO
    assert finding.params["found"] == kanji and finding.params["fixed"] == katakana
    assert finding.location == Location(line=1, column=1)


def test_look_alike_repair_is_not_applied_to_ordinary_words() -> None:
    report = read(
        tsv(
            ("① 生活機能の強化",),
            ("オ 工業振興",),
            HEADER,
            row("1", "工業団地整備事業", ["○", "", ""]),
            ("力強い地域づくり",),
            row("2", "力を合わせる事業", ["", "○", ""]),
        )
    )
    first, second = report.reading.vision.projects
    assert str(first.field) == "オ 工業振興"
    assert first.name == "工業団地整備事業"
    assert second.name == "力を合わせる事業"
    assert "label-repaired" not in codes(report)
    assert all("エ業" not in str(p.field) and "カ強" not in str(p.field) for p in report.reading.vision.projects)


def test_look_alike_heading_without_label_is_not_a_field() -> None:
    report = read(tsv(("ア 商業振興",), ("工業振興",), HEADER, row("1", "工業団地整備事業", ["○", "", ""])))
    assert "label-repaired" not in codes(report)
    assert str(project(report, 1).field) == "ア 商業振興"


# Title -------------------------------------------------------------------------------------------------------


def test_title_line_names_the_sphere_and_its_central_city() -> None:
    report = read(
        tsv(
            ("上川中部定住自立圏共生ビジョン（中心市：旭川市）",),
            ("工 産業振興",),
            HEADER,
            row("1", "創業支援事業", ["○", "○", ""]),
        )
    )
    sphere = report.reading.vision.sphere
    assert sphere.name == "上川中部定住自立圏"
    assert sphere.kind is SphereKind.SETTLEMENT
    assert sphere.central_city is not None
    assert (sphere.central_city.name, sphere.central_city.code) == ("旭川市", "012041")
    assert sphere.prefecture == "北海道"
    assert "line-unrecognised" not in codes(report)


def test_title_line_of_a_metropolitan_area() -> None:
    report = read(
        tsv(
            ("みちのく盛岡広域連携中枢都市圏ビジョン（連携中枢都市：盛岡市）",),
            ("(1) 圏域全体の経済成長のけん引",),
            ("ア 産業振興",),
            ("項目", "事業内容", "八幡平市", "滝沢市", "雫石町", "連携市町村数"),
            row("1", "創業支援事業", ["○", "○", ""]),
        )
    )
    vision = report.reading.vision
    assert vision.sphere.name == "みちのく盛岡広域連携中枢都市圏"
    assert vision.sphere.kind is SphereKind.METROPOLITAN
    assert vision.sphere.central_city is not None and vision.sphere.central_city.code == "032018"
    assert [m.prefecture for m in vision.municipalities] == ["岩手県"] * 3
    assert str(project(report, 1).pillar) == "(1) 圏域全体の経済成長のけん引"


def test_metropolitan_title_decides_the_pillar_of_a_field_without_one() -> None:
    report = read(
        tsv(
            ("盛岡連携中枢都市圏ビジョン（盛岡市）",),
            ("ア 観光",),
            ("項目", "事業内容", "八幡平市", "滝沢市", "雫石町", "連携市町村数"),
            row("1", "観光振興事業", ["○", "○", ""]),
        )
    )
    assert str(project(report, 1).pillar) == "(1) 圏域全体の経済成長のけん引"
    assert the(report, "pillar-inferred").severity is Severity.INFO


def test_title_without_the_edition_of_the_vision() -> None:
    report = read(
        tsv(("第2次上川中部定住自立圏共生ビジョン（中心市：旭川市）",), HEADER, row("1", "事業", ["○", "", ""]))
    )
    assert report.reading.vision.sphere.name == "上川中部定住自立圏"


def test_title_central_city_decides_the_prefecture_of_ambiguous_members() -> None:
    report = read(
        tsv(
            ("十勝定住自立圏共生ビジョン（中心市：帯広市）",),
            ("項目", "事業内容", "池田町", "森町", "連携町数"),
            row("1", "事業", ["○", "○"]),
        )
    )
    vision = report.reading.vision
    assert vision.sphere.prefecture == "北海道"
    assert [m.code for m in vision.municipalities] == ["016446", "013455"]
    assert "municipality-ambiguous" not in codes(report)


def test_ambiguous_central_city_is_resolved_by_the_members() -> None:
    report = read(
        tsv(
            ("伊達地方定住自立圏共生ビジョン（中心市：伊達市）",),
            ("項目", "事業内容", "桑折町", "国見町", "川俣町", "連携町数"),
            row("1", "事業", ["○", "○", ""]),
        )
    )
    central = report.reading.vision.sphere.central_city
    assert central is not None and (central.code, central.prefecture) == ("072133", "福島県")
    assert "municipality-ambiguous" not in codes(report)


def test_unknown_central_city_is_a_warning_at_the_title() -> None:
    report = read(tsv(("架空定住自立圏共生ビジョン（中心市：架空市）",), HEADER, row("1", "事業", ["○", "", ""])))
    finding = the(report, "municipality-unknown")
    assert finding.params["name"] == "架空市"
    assert finding.location == Location(line=1, column=1)
    assert report.reading.vision.sphere.central_city is not None
    assert report.reading.vision.sphere.central_city.code is None


# Columns beyond the municipalities ---------------------------------------------------------------------------


def test_central_city_column_counts_like_any_other() -> None:
    header = ("項目", "事業内容", "旭川市", *TOWNS, "連携市町村数")
    report = read(
        tsv(
            header,
            ("1 創業支援事業", "起業を支援する。", "○", "○", "", "○", "3"),
            ("2 観光振興事業", "観光を振興する。", "○", "", "", "", "1"),
            ("合計", "2", "1", "0", "1", "4"),
        )
    )
    vision = report.reading.vision
    assert [m.name for m in vision.municipalities] == ["旭川市", *TOWNS]
    assert vision.municipalities[0].code == "012041"
    assert project(report, 1).participants == {"旭川市": Role.MEMBER, "鷹栖町": Role.MEMBER, "当麻町": Role.MEMBER}
    assert [(p.declared_count, p.count) for p in vision.projects] == [(3, 3), (1, 1)]
    assert vision.declared_totals["旭川市"] == 2
    assert errors(report) == []


@pytest.mark.parametrize("label", ["旭川市（中心市）", "旭川市\n(中心市)", "旭川市 ※中心市"])
def test_central_city_column_marked_in_its_header(label: str) -> None:
    header = ("項目", "事業内容", label, *TOWNS, "連携市町村数")
    report = read(csv_bytes(",", "utf-8", [header, ("1 創業支援事業", "起業を支援する。", "○", "○", "", "", "2")]))
    vision = report.reading.vision
    first = vision.municipalities[0]
    assert (first.name, first.code, first.label) == ("旭川市", "012041", label)
    assert vision.sphere.central_city is not None and vision.sphere.central_city.code == "012041"
    assert project(report, 1).participants == {"旭川市": Role.MEMBER, "鷹栖町": Role.MEMBER}
    assert errors(report) == []


def test_role_and_prose_kpi_columns_are_attributes_and_a_lone_budget_is_the_plans() -> None:
    header = ("番号", "事業名", "事業内容", "甲の役割", "乙の役割", *TOWNS, "連携町数", "成果指標", "事業費（千円）")
    cells = ("1", "創業支援事業", "起業を支援する。", "相談窓口を置く。", "周知する。", "○", "", "○", "2")
    report = read(tsv(header, (*cells, "創業件数 5件→10件", "1,200")))
    vision = report.reading.vision
    assert [m.name for m in vision.municipalities] == list(TOWNS)
    p = project(report, 1)
    assert p.attributes == {
        "甲の役割": "相談窓口を置く。",
        "乙の役割": "周知する。",
        "成果指標": "創業件数 5件→10件",  # an indicator written as a sentence stays the document's text
    }
    # One amount without a year, its unit in the heading: the budget of the whole plan (総事業費), as declared.
    assert p.budgets == [Budget(None, 1200, "千円")] and p.kpis == []
    assert (p.declared_count, p.count) == (2, 2)
    assert errors(report) == []


def test_kpi_with_baseline_and_target_and_budgets_by_fiscal_year() -> None:
    header = ("番号", "事業名", *TOWNS, "連携町数", "KPI", "基準値", "目標値", "R6事業費", "R7事業費")
    report = read(tsv(header, ("3", "移住促進事業", "○", "○", "○", "3", "移住者数", "12人", "20人", "500", "600")))
    p = project(report, 3)
    assert p.kpis == [Kpi("移住者数", "人", 12, None, 20, None)]
    # Amounts whose unit (千円 or 円) the table never gives are no amounts: kept as the columns' text, and said.
    assert p.budgets == [] and p.attributes == {"R6事業費": "500", "R7事業費": "600"}
    missing = [f for f in report.reading.findings if f.code == "budget-unit-missing"]
    assert [(f.severity, f.params["column"]) for f in missing] == [
        (Severity.WARNING, "R6事業費"),
        (Severity.WARNING, "R7事業費"),
    ]
    assert list(p.participants) == list(TOWNS)
    assert [m.name for m in report.reading.vision.municipalities] == list(TOWNS)


# Header rows -------------------------------------------------------------------------------------------------


def test_header_row_with_other_towns_is_a_mismatch() -> None:
    report = read(
        tsv(
            HEADER,
            row("1", "創業支援事業", ["○", "○", ""]),
            ("項目", "事業内容", "鷹栖町", "当麻町", "東神楽町", "連携町数"),
            row("2", "観光振興事業", ["○", "", "○"]),
        )
    )
    finding = the(report, "header-mismatch")
    assert finding.severity is Severity.ERROR
    assert finding.location == Location(line=3, column=4)  # the first town that differs: 当麻町 for 東神楽町
    # The marks follow the names, so the row under the second header is still read right.
    assert project(report, 2).participants == {"鷹栖町": Role.MEMBER, "東神楽町": Role.MEMBER}


def test_header_row_with_a_town_more_is_a_mismatch() -> None:
    report = read(
        tsv(
            HEADER,
            row("1", "創業支援事業", ["○", "○", ""]),
            ("項目", "事業内容", *TOWNS, "比布町", "連携町数"),
            row("2", "観光振興事業", ["○", "", "○", "○"]),
        )
    )
    assert the(report, "header-mismatch").location == Location(line=3, column=6)
    assert [m.name for m in report.reading.vision.municipalities] == [*TOWNS, "比布町"]
    assert project(report, 2).count == 3


def test_repeated_header_spelling_the_same_towns_otherwise_is_fine() -> None:
    report = read(
        tsv(
            HEADER,
            row("1", "創業支援事業", ["○", "○", ""]),
            ("項目", "事業内容", "北海道鷹栖町", "上川郡東神楽町", "当麻町", "連携町数"),
            row("2", "観光振興事業", ["○", "", "○"]),
        )
    )
    assert [m.name for m in report.reading.vision.municipalities] == list(TOWNS)
    assert project(report, 2).participants == {"鷹栖町": Role.MEMBER, "当麻町": Role.MEMBER}
    assert errors(report) == []


def test_header_naming_a_town_twice_is_a_duplicate() -> None:
    report = read(
        tsv(("項目", "事業内容", "鷹栖町", "北海道鷹栖町", "当麻町", "連携町数"), row("1", "事業", ["○", "", ""]))
    )
    finding = the(report, "municipality-duplicate")
    assert finding.location == Location(line=1, column=4)


def test_repeated_header_with_the_same_towns_in_a_new_layout_is_fine() -> None:
    """The seed's later blocks: an empty first cell and the number in a cell of its own."""
    report = read(
        tsv(
            HEADER,
            row("11", "創業支援事業", ["○", "○", ""]),
            ("", "項目", "事業内容", *TOWNS, "連携町数"),
            ("27", "地域公共交通事業", "バスを運行する。", "○", "", "○", "2"),
        )
    )
    assert [p.name for p in report.reading.vision.projects] == ["創業支援事業", "地域公共交通事業"]
    assert project(report, 27).participants == {"鷹栖町": Role.MEMBER, "当麻町": Role.MEMBER}
    assert errors(report) == []


@pytest.mark.parametrize(
    "trail",
    [
        "ホーム > 市政情報 > 企画 > 宮古地域定住自立圏",
        "トップ＞くらし＞宮古地域定住自立圏",
        "宮古地域定住自立圏 › 連携事業",
    ],
)
def test_a_pages_breadcrumb_trail_names_the_sphere_by_its_part_that_does(trail: str) -> None:
    """A page copied with its trail (ホーム > 市政情報 > …) names the sphere by the trail's part that names one."""
    report = read(tsv((trail,), HEADER, row("1", "救急医療事業", ["○", "○", "○"])))
    assert report.reading.vision.sphere.name == "宮古地域定住自立圏"
