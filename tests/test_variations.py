"""Variations of real cooperation tables (domain.md, "Variations to expect in other spheres' tables").

Each test builds its table here, as text, CSV bytes or an XLSX workbook, reads it with ``read_bytes`` and checks
what a user would check: who takes part, the declared and computed counts, the headings, the codes, and the
findings with the line or cell they point at.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from pathlib import Path

import pytest
from openpyxl import Workbook

from renkei.ingest import TableReadError, read_bytes
from renkei.model import Finding, Location, Project, Role, Severity, Sphere, SphereKind
from renkei.report import Report, check_reading

TOWNS = ("鷹栖町", "東神楽町", "当麻町")
HEADER = ("項目", "事業内容", *TOWNS, "連携町数")


def tsv(*rows: Sequence[str]) -> bytes:
    """Tab-separated text as copied out of a PDF: one line per row."""
    return "\n".join("\t".join(row) for row in rows).encode("utf-8")


def read(data: bytes, *, sheet: str | None = None, sphere: Sphere | None = None) -> Report:
    return check_reading(read_bytes(data, "table", sheet=sheet, sphere=sphere))


def project(report: Report, number: int) -> Project:
    return next(p for p in report.reading.vision.projects if p.number == number)


def codes(report: Report, severity: Severity | None = None) -> list[str]:
    return [f.code for f in report.findings if severity is None or f.severity is severity]


def the(report: Report, code: str) -> Finding:
    """The one finding of a code."""
    found = [f for f in report.findings if f.code == code]
    assert len(found) == 1, f"expected one {code}, got {[(f.code, f.location) for f in report.findings]}"
    return found[0]


def errors(report: Report) -> list[str]:
    return codes(report, Severity.ERROR)


def row(number: str, name: str, marks: Sequence[str], count: str | None = None) -> tuple[str, ...]:
    """A project row with the number as the prefix of the name, as the seed's first block writes it."""
    declared = count if count is not None else str(sum(1 for m in marks if m.strip()))
    return (f"{number} {name}", f"{name}を行う。", *marks, declared)


# Marks -------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("mark", ["○", "〇", "◯"], ids=["U+25CB", "U+3007", "U+25EF"])
def test_every_circle_reads_as_taking_part(mark: str) -> None:
    report = read(tsv(HEADER, row("1", "創業支援事業", [mark, mark, ""])))
    p = project(report, 1)
    assert p.participants == {"鷹栖町": Role.MEMBER, "東神楽町": Role.MEMBER}
    assert (p.declared_count, p.count) == (2, 2)
    assert errors(report) == []


@pytest.mark.parametrize("blank", ["", "－", "-", "×", "ー"])
def test_blank_and_dashes_read_as_not_taking_part(blank: str) -> None:
    report = read(tsv(HEADER, row("1", "創業支援事業", ["○", blank, blank], count="1")))
    assert project(report, 1).participants == {"鷹栖町": Role.MEMBER}
    assert errors(report) == []


@pytest.mark.parametrize("where", ["above", "below"])
@pytest.mark.parametrize("lead", ["◎", "●"])
def test_legend_makes_a_mark_the_lead_role(where: str, lead: str) -> None:
    legend = (f"{lead}：主体となって実施　○：連携して実施",)
    body = [HEADER, row("1", "創業支援事業", [lead, "○", ""]), row("2", "観光振興事業", ["○", lead, "○"])]
    report = read(tsv(legend, *body) if where == "above" else tsv(*body, legend))
    assert project(report, 1).participants == {"鷹栖町": Role.LEAD, "東神楽町": Role.MEMBER}
    assert project(report, 2).participants == {"鷹栖町": Role.MEMBER, "東神楽町": Role.LEAD, "当麻町": Role.MEMBER}
    assert report.reading.vision.legend[lead] is Role.LEAD
    # A lead still takes part: the declared count includes it.
    assert [p.count for p in report.reading.vision.projects] == [2, 3]
    assert errors(report) == []
    assert "lead-without-legend" not in codes(report)
    assert "line-unrecognised" not in codes(report)


@pytest.mark.parametrize(
    "legend",
    ["凡例　◎主体となって実施　○連携して実施", "（凡例）◎：主体、○：連携", "◎…主体　○…連携", "◎は主体、○は参加"],
)
def test_legend_spellings(legend: str) -> None:
    report = read(tsv((legend,), HEADER, row("1", "創業支援事業", ["◎", "○", ""])))
    assert project(report, 1).participants == {"鷹栖町": Role.LEAD, "東神楽町": Role.MEMBER}
    assert "line-unrecognised" not in codes(report)
    assert "lead-without-legend" not in codes(report)


@pytest.mark.parametrize("where", ["above", "below"])
def test_xlsx_legend_split_over_cells(where: str) -> None:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    legend: list[object] = ["凡例", "◎", "主体となって実施", "○", "連携して実施"]
    table: list[list[object]] = [["番号", "事業名", *TOWNS, "連携町数"], [1, "創業支援事業", "◎", "○", None, 2]]
    for line in [legend, *table] if where == "above" else [*table, legend]:
        sheet.append(line)
    report = read(workbook_bytes(workbook))
    assert project(report, 1).participants == {"鷹栖町": Role.LEAD, "東神楽町": Role.MEMBER}
    assert report.findings == [f for f in report.findings if f.severity is Severity.INFO]
    assert "lead-without-legend" not in codes(report)


def test_legend_of_a_mark_that_is_not_taking_part_leaves_it_unknown() -> None:
    """△：検討中 explains △ but not as taking part: it is neither counted nor silently dropped."""
    report = read(tsv(("○：連携して実施　△：検討中",), HEADER, row("1", "創業支援事業", ["○", "△", ""], count="1")))
    assert project(report, 1).participants == {"鷹栖町": Role.MEMBER}
    assert the(report, "unknown-mark").location == Location(line=3, column=4)


def test_placeholder_circles_in_a_title_are_not_a_legend() -> None:
    report = read(tsv(("〇〇定住自立圏共生ビジョン（中心市：〇〇市）",), HEADER, row("1", "事業", ["○", "", ""])))
    vision = report.reading.vision
    assert vision.legend == {}
    assert vision.sphere.name == "〇〇定住自立圏"


def test_lead_mark_without_legend_is_a_member_with_one_info() -> None:
    report = read(tsv(HEADER, row("1", "創業支援事業", ["◎", "○", ""]), row("2", "観光振興事業", ["◎", "", "◎"])))
    assert project(report, 1).participants == {"鷹栖町": Role.MEMBER, "東神楽町": Role.MEMBER}
    finding = the(report, "lead-without-legend")
    assert finding.severity is Severity.INFO
    assert finding.location == Location(line=2, column=3)
    assert errors(report) == []


def test_unknown_mark_is_an_error_at_its_cell() -> None:
    report = read(tsv(HEADER, row("1", "創業支援事業", ["○", "△", "○"], count="2")))
    finding = the(report, "unknown-mark")
    assert finding.severity is Severity.ERROR
    assert finding.params["mark"] == "△"
    assert finding.location == Location(line=2, column=4)
    assert project(report, 1).participants == {"鷹栖町": Role.MEMBER, "当麻町": Role.MEMBER}
    assert report.to_dict()["findings"][0]["line"] == 2


# Header words ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("count", ["連携町数", "連携市町村数", "連携町村数", "参加市町村数"])
def test_count_headers(count: str) -> None:
    report = read(tsv(("項目", "事業内容", *TOWNS, count), row("1", "創業支援事業", ["○", "", "○"], count="3")))
    p = project(report, 1)
    assert (p.declared_count, p.count) == (3, 2)
    assert the(report, "count-mismatch").location == Location(line=2, column=6)
    assert report.reading.vision.labels.count == count


@pytest.mark.parametrize("number", ["項目", "番号", "No.", "Ｎｏ．"])
@pytest.mark.parametrize("name", ["事業名", "取組項目"])
@pytest.mark.parametrize("description", ["事業内容", "取組の内容", "概要"])
def test_number_name_and_description_headers(number: str, name: str, description: str) -> None:
    header = (number, name, description, *TOWNS, "連携町数")
    report = read(tsv(header, ("7", "創業支援事業", "起業を支援する。", "○", "○", "", "2")))
    p = project(report, 7)
    assert (p.number, p.name, p.description) == (7, "創業支援事業", "起業を支援する。")
    assert p.participants == {"鷹栖町": Role.MEMBER, "東神楽町": Role.MEMBER}
    assert report.reading.vision.labels.description == description
    assert report.findings == [f for f in report.findings if f.severity is Severity.INFO]


@pytest.mark.parametrize("description", ["事業の概要", "連携事業の内容", "取組内容"])
@pytest.mark.parametrize("count", ["連携町数（中心市を除く）", "連携市町村数※", "参加市町村数(団体)"])
def test_header_words_with_a_note_or_in_other_words(description: str, count: str) -> None:
    header = ("番号", "事業名", description, *TOWNS, count)
    report = read(tsv(header, ("1", "創業支援事業", "起業を支援する。", "○", "○", "", "3")))
    p = project(report, 1)
    assert (p.description, p.attributes, p.declared_count) == ("起業を支援する。", {}, 3)
    assert the(report, "count-mismatch").location == Location(line=2, column=7)


def test_a_second_description_like_column_is_an_attribute() -> None:
    header = ("番号", "事業名", "事業内容", *TOWNS, "連携町数", "変更内容")
    report = read(tsv(header, ("1", "創業支援事業", "起業を支援する。", "○", "", "", "1", "R6に追加")))
    p = project(report, 1)
    assert (p.description, p.attributes) == ("起業を支援する。", {"変更内容": "R6に追加"})
    assert report.reading.vision.labels.description == "事業内容"


@pytest.mark.parametrize(("written", "value"), [("3町", 3), ("３町", 3), ("3市町村", 3), ("3団体", 3)])
def test_count_with_its_counter_word(written: str, value: int) -> None:
    report = read(tsv(HEADER, row("1", "創業支援事業", ["○", "○", "○"], count=written)))
    assert project(report, 1).declared_count == value
    assert errors(report) == []


def test_count_that_is_not_a_number_is_an_error_at_its_cell() -> None:
    report = read(tsv(HEADER, row("1", "創業支援事業", ["○", "○", "○"], count="多数")))
    assert project(report, 1).declared_count is None
    assert the(report, "count-not-number").location == Location(line=2, column=6)


@pytest.mark.parametrize("name", ["項目", "事業名", "取組項目"])
def test_number_as_prefix_of_the_name_under_any_name_header(name: str) -> None:
    report = read(tsv((name, "概要", *TOWNS, "連携町数"), row("12", "就業マッチング促進事業", ["○", "○", "○"])))
    assert (project(report, 12).name, project(report, 12).count) == ("就業マッチング促進事業", 3)
    assert errors(report) == []


# Totals ------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("label", ["連携事業数計", "計", "合計"])
def test_totals_row_labels(label: str) -> None:
    report = read(
        tsv(
            HEADER,
            row("1", "創業支援事業", ["○", "○", ""]),
            row("2", "観光振興事業", ["○", "", "○"]),
            (label, "2", "1", "2", "5"),
        )
    )
    vision = report.reading.vision
    assert vision.declared_totals == {"鷹栖町": 2, "東神楽町": 1, "当麻町": 2}
    assert vision.declared_grand_total == 5
    assert vision.present_totals() == {"鷹栖町": 2, "東神楽町": 1, "当麻町": 1}
    mismatch = the(report, "total-mismatch")
    assert mismatch.params == {"municipality": "当麻町", "declared": 2, "count": 1}
    assert mismatch.location == Location(line=4, column=4)
    assert the(report, "grand-total-rows-mismatch").location == Location(line=4, column=5)


def test_totals_row_aligned_with_the_header() -> None:
    """A totals row that fills the header's columns (as Excel writes it) is read by position."""
    report = read(
        tsv(
            ("番号", "事業名", "事業内容", *TOWNS, "連携町数"),
            ("1", "創業支援事業", "起業を支援する。", "○", "○", "", "2"),
            ("", "合計", "", "1", "1", "0", "2"),
        )
    )
    vision = report.reading.vision
    assert vision.declared_totals == {"鷹栖町": 1, "東神楽町": 1, "当麻町": 0}
    assert vision.declared_grand_total == 2
    assert vision.totals_cells["当麻町"] == Location(line=3, column=6)
    assert errors(report) == []


def test_rows_with_trailing_empty_cells_line_up() -> None:
    """A PDF copy or a CSV writer may add delimiters after the last cell, or drop them after it."""
    report = read(
        tsv(
            (*HEADER, "", ""),
            (*row("1", "創業支援事業", ["○", "○", ""]), "", "", ""),
            row("2", "観光振興事業", ["○", "", "○"]),
            ("連携事業数計", "2", "1", "1", "4", "", ""),
        )
    )
    assert [p.count for p in report.reading.vision.projects] == [2, 2]
    assert report.reading.vision.declared_grand_total == 4
    assert errors(report) == []


def test_row_with_a_cell_beyond_the_header_or_short_of_it_is_an_error() -> None:
    report = read(
        tsv(
            HEADER,
            (*row("1", "創業支援事業", ["○", "○", ""]), "余り"),
            ("2 観光振興事業", "観光を振興する。", "○"),
        )
    )
    widths = [f for f in report.findings if f.code == "row-width"]
    assert [(f.location, f.params["cells"]) for f in widths] == [(Location(line=2), 7), (Location(line=3), 3)]


def test_subtotal_rows_are_skipped_with_an_info() -> None:
    report = read(
        tsv(
            HEADER,
            row("1", "創業支援事業", ["○", "○", ""]),
            ("小計", "1", "1", "0", "2"),
            row("2", "観光振興事業", ["○", "", "○"]),
            ("①小計", "1", "0", "1", "2"),
            ("合計", "2", "1", "1", "4"),
        )
    )
    assert [f.location for f in report.findings if f.code == "subtotal-skipped"] == [Location(line=3), Location(line=5)]
    assert [p.number for p in report.reading.vision.projects] == [1, 2]
    assert report.reading.vision.declared_totals == {"鷹栖町": 2, "東神楽町": 1, "当麻町": 1}
    assert errors(report) == []


def test_a_project_named_like_a_subtotal_is_a_project() -> None:
    report = read(tsv(HEADER, row("5", "地域小計", ["○", "", ""])))
    assert project(report, 5).name == "地域小計"
    assert "subtotal-skipped" not in codes(report)


# Full-width digits -------------------------------------------------------------------------------------------


def test_full_width_digits_in_numbers_counts_and_totals() -> None:
    report = read(
        tsv(
            HEADER,
            row("１１", "創業支援事業", ["○", "○", ""], count="２"),
            row("１２", "観光振興事業", ["○", "○", "○"], count="３"),
            ("連携事業数計", "２", "２", "１", "５"),
        )
    )
    vision = report.reading.vision
    assert [p.number for p in vision.projects] == [11, 12]
    assert [p.declared_count for p in vision.projects] == [2, 3]
    assert vision.declared_totals == {"鷹栖町": 2, "東神楽町": 2, "当麻町": 1}
    assert vision.declared_grand_total == 5
    assert errors(report) == []
    assert project(report, 11).name == "創業支援事業"
    assert "count-mismatch" not in codes(report)


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


def test_role_kpi_and_budget_columns_are_attributes() -> None:
    header = ("番号", "事業名", "事業内容", "甲の役割", "乙の役割", *TOWNS, "連携町数", "成果指標", "事業費（千円）")
    cells = ("1", "創業支援事業", "起業を支援する。", "相談窓口を置く。", "周知する。", "○", "", "○", "2")
    report = read(tsv(header, (*cells, "創業件数 5件→10件", "1,200")))
    vision = report.reading.vision
    assert [m.name for m in vision.municipalities] == list(TOWNS)
    p = project(report, 1)
    assert p.attributes == {
        "甲の役割": "相談窓口を置く。",
        "乙の役割": "周知する。",
        "成果指標": "創業件数 5件→10件",
        "事業費（千円）": "1,200",
    }
    assert (p.declared_count, p.count) == (2, 2)
    assert errors(report) == []


def test_kpi_with_baseline_and_target_and_budgets_by_fiscal_year() -> None:
    header = ("番号", "事業名", *TOWNS, "連携町数", "KPI", "基準値", "目標値", "R6事業費", "R7事業費")
    report = read(tsv(header, ("3", "移住促進事業", "○", "○", "○", "3", "移住者数", "12人", "20人", "500", "600")))
    p = project(report, 3)
    assert p.attributes == {"KPI": "移住者数", "基準値": "12人", "目標値": "20人", "R6事業費": "500", "R7事業費": "600"}
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


# CSV ---------------------------------------------------------------------------------------------------------

CSV_ROWS = (
    ("上川中部定住自立圏共生ビジョン（中心市：旭川市）", "", "", "", "", ""),
    ("① 生活機能の強化", "", "", "", "", ""),
    ("項目", "事業内容", *TOWNS, "連携町数"),
    ("1 創業支援事業", "起業を支援する。\n相談窓口を置く。", "○", "○", "", "2"),
    ("2 観光振興事業", "観光を振興する。", "○", "△", "○", "2"),
    ("連携事業数計", "2", "1", "1", "4", ""),
)


def csv_bytes(delimiter: str, encoding: str, rows: Sequence[Sequence[str]] = CSV_ROWS) -> bytes:
    buffer = io.StringIO(newline="")
    csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    return buffer.getvalue().encode(encoding)


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp932"])
@pytest.mark.parametrize("delimiter", [",", ";", "\t"], ids=["comma", "semicolon", "tab"])
def test_csv_encodings_and_delimiters(encoding: str, delimiter: str) -> None:
    report = read(csv_bytes(delimiter, encoding))
    vision = report.reading.vision
    assert report.reading.source.encoding == encoding
    assert vision.sphere.name == "上川中部定住自立圏"
    assert [m.code for m in vision.municipalities] == ["014524", "014532", "014541"]
    first = project(report, 1)
    assert first.description == "起業を支援する。\n相談窓口を置く。"
    assert first.participants == {"鷹栖町": Role.MEMBER, "東神楽町": Role.MEMBER}
    assert str(first.pillar) == "① 生活機能の強化"
    # The quoted cell spans lines 4 and 5, so the next row starts on line 6 and the totals on line 7.
    assert first.location == Location(line=4)
    assert project(report, 2).location == Location(line=6)
    assert the(report, "unknown-mark").location == Location(line=6, column=4)
    assert vision.totals_location == Location(line=7)
    assert vision.declared_totals == {"鷹栖町": 2, "東神楽町": 1, "当麻町": 1}
    assert errors(report) == ["unknown-mark"]


@pytest.mark.parametrize(("delimiter", "stray"), [(",", "\t"), (";", ","), ("\t", ","), (",", ";")])
def test_csv_delimiter_is_not_fooled_by_another_inside_a_cell(delimiter: str, stray: str) -> None:
    rows = [HEADER, ("1 創業支援事業", f"起業{stray}創業{stray}事業承継を支援する。", "○", "○", "", "2")]
    report = read(csv_bytes(delimiter, "utf-8", rows))
    assert project(report, 1).description == f"起業{stray}創業{stray}事業承継を支援する。"
    assert errors(report) == []
    assert report.reading.source.format == ("text" if delimiter == "\t" else "csv")


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be"])
def test_excel_unicode_text_export(encoding: str) -> None:
    """Excel's 「Unicode テキスト」: tab-separated UTF-16 with a byte-order mark, line breaks CRLF."""
    import codecs

    bom = {"utf-16": b"", "utf-16-le": codecs.BOM_UTF16_LE, "utf-16-be": codecs.BOM_UTF16_BE}[encoding]
    report = read(bom + csv_bytes("\t", encoding))
    assert report.reading.source.encoding == "utf-16"
    assert report.reading.source.format == "text"
    assert [m.code for m in report.reading.vision.municipalities] == ["014524", "014532", "014541"]
    assert the(report, "unknown-mark").location == Location(line=6, column=4)


def test_cp932_csv_says_which_encoding_was_detected() -> None:
    report = read(csv_bytes(",", "cp932"))
    assert the(report, "encoding-detected").params == {"encoding": "cp932"}


def test_cp932_csv_with_nec_characters() -> None:
    """① is not Shift_JIS but CP932 (NEC special characters): Japanese Excel writes it all the same."""
    rows = [("① 生活機能の強化　ア 医療",), HEADER, row("1", "救急医療事業", ["○", "", "○"])]
    report = read(csv_bytes(",", "cp932", rows))
    assert str(project(report, 1).pillar) == "① 生活機能の強化"


def test_csv_with_line_breaks_in_header_cells() -> None:
    """Excel users break long headers inside the cell: 連携\\n町数 is still the count column."""
    rows = [("項目", "事業\n内容", *TOWNS, "連携\n町数"), row("1", "創業支援事業", ["○", "", "○"], count="3")]
    report = read(csv_bytes(",", "utf-8", rows))
    # The header spans lines 1 to 3 (two cells break a line each), so the project row is line 4.
    assert the(report, "count-mismatch").location == Location(line=4, column=6)
    assert report.reading.vision.labels.count == "連携\n町数"


# XLSX --------------------------------------------------------------------------------------------------------


def workbook_bytes(workbook: Workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def simple_sheet(workbook: Workbook, title: str, towns: Sequence[str] = TOWNS, mark: str = "○") -> None:
    sheet = workbook.create_sheet(title)
    sheet.append(["項目", "事業内容", *towns, "連携町数"])
    sheet.append(["1 創業支援事業", "起業を支援する。", mark, mark, None, 2])


def test_xlsx_reads_the_first_table_by_default_and_others_by_name_or_number() -> None:
    """Every sheet is considered; one naming none of the first table's towns holds another sphere's table, which
    is reported as skipped (--sheet reads it), never merged into the first."""
    workbook = Workbook()
    workbook.remove(workbook.active)  # type: ignore[arg-type]
    simple_sheet(workbook, "上川中部")
    simple_sheet(workbook, "池田", towns=("本別町", "足寄町", "陸別町"))
    data = workbook_bytes(workbook)
    report = read(data)
    assert [m.name for m in report.reading.vision.municipalities] == list(TOWNS)
    assert len(report.reading.vision.projects) == 1
    other = the(report, "sheet-other-table")
    assert (other.severity, other.location) == (Severity.INFO, Location(sheet="池田"))
    for choice in ("池田", "2"):
        reading = read(data, sheet=choice).reading
        assert [m.name for m in reading.vision.municipalities] == ["本別町", "足寄町", "陸別町"]
        assert reading.source.sheet == "池田"
    with pytest.raises(TableReadError) as raised:
        read_bytes(data, sheet="3")
    assert raised.value.code == "sheet-missing"


def test_xlsx_number_cells_and_findings_at_cells() -> None:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "Sheet1"
    sheet.append(["番号", "事業名", "事業内容", *TOWNS, "連携町数"])
    sheet.append([11, "創業支援事業", "起業を支援する。", "○", "○", None, 2])
    sheet.append([12, "観光振興事業", "観光を振興する。", "○", "○", "△", 3])
    sheet.append([None, "連携事業数計", None, 2, 2, 0, 5])
    report = read(workbook_bytes(workbook))
    assert [p.number for p in report.reading.vision.projects] == [11, 12]
    mark = the(report, "unknown-mark")
    assert mark.location is not None
    assert (mark.location.sheet, mark.location.cell) == ("Sheet1", "F3")
    assert str(mark.location) == "Sheet1!F3"
    mismatch = the(report, "count-mismatch")
    assert mismatch.location is not None and mismatch.location.cell == "G3"
    assert report.to_dict()["findings"][0]["cell"] in {"F3", "G3"}


def test_xlsx_number_and_name_under_one_merged_header() -> None:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["項目", None, "事業内容", *TOWNS, "連携町数"])
    sheet.merge_cells("A1:B1")
    sheet.append([1, "創業支援事業", "起業を支援する。", "○", None, "○", 2])
    sheet.append([2, "観光振興事業", "観光を振興する。", None, "○", None, 2])
    report = read(workbook_bytes(workbook))
    assert [(p.number, p.name, p.description) for p in report.reading.vision.projects] == [
        (1, "創業支援事業", "起業を支援する。"),
        (2, "観光振興事業", "観光を振興する。"),
    ]
    assert the(report, "count-mismatch").location == Location(line=3, column=7, sheet="Sheet", cell="G3")


def test_xlsx_two_row_header_with_municipalities_merged_above_the_towns() -> None:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "連携事業"
    sheet.append(["番号", "事業名", "事業内容", "連携市町村", None, None, "連携町数"])
    sheet.append([None, None, None, *TOWNS, None])
    for column in "ABCG":
        sheet.merge_cells(f"{column}1:{column}2")
    sheet.merge_cells("D1:F1")
    sheet.append([1, "創業支援事業", "起業を支援する。", "○", "○", None, 2])
    sheet.append([2, "観光振興事業", "観光を振興する。", "○", "○", "○", 3])
    sheet.append([None, "合計", None, 2, 2, 1, 5])
    report = read(workbook_bytes(workbook))
    vision = report.reading.vision
    assert [m.name for m in vision.municipalities] == list(TOWNS)
    assert [(p.number, p.name, p.description, p.count) for p in vision.projects] == [
        (1, "創業支援事業", "起業を支援する。", 2),
        (2, "観光振興事業", "観光を振興する。", 3),
    ]
    assert vision.declared_grand_total == 5
    assert vision.totals_cells["当麻町"] == Location(line=5, column=6, sheet="連携事業", cell="F5")
    assert report.findings == [f for f in report.findings if f.severity is Severity.INFO]
    assert "line-unrecognised" not in codes(report)


def test_xlsx_two_row_header_without_vertical_merges() -> None:
    """The same header as a user types it: the upper row's words stand alone, the lower row holds the towns."""
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["番号", "事業名", "事業内容", "連携市町村", None, None, "備考"])
    sheet.append([None, None, None, *TOWNS, None])
    sheet.append([1, "創業支援事業", "起業を支援する。", "○", "○", None, "R6新規"])
    report = read(workbook_bytes(workbook))
    p = project(report, 1)
    assert (p.name, p.description, p.attributes) == ("創業支援事業", "起業を支援する。", {"備考": "R6新規"})
    assert p.participants == {"鷹栖町": Role.MEMBER, "東神楽町": Role.MEMBER}
    assert "line-unrecognised" not in codes(report)


def test_xlsx_field_column_merged_down_its_projects() -> None:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["政策分野", "分野", "番号", "事業名", *TOWNS, "連携町数"])
    sheet.append(["① 生活機能の強化", "ア 医療", 1, "救急医療事業", "○", "○", "○", 3])
    sheet.append([None, None, 2, "休日診療事業", "○", None, None, 1])
    sheet.append([None, "イ 福祉", 3, "障害者福祉事業", None, "○", None, 1])
    sheet.merge_cells("A2:A4")
    sheet.merge_cells("B2:B3")
    report = read(workbook_bytes(workbook))
    got = [(p.number, str(p.pillar), str(p.field)) for p in report.reading.vision.projects]
    assert got == [
        (1, "① 生活機能の強化", "ア 医療"),
        (2, "① 生活機能の強化", "ア 医療"),
        (3, "① 生活機能の強化", "イ 福祉"),
    ]
    assert errors(report) == []


def test_xlsx_field_column_without_a_header_word() -> None:
    """Many tables leave the header cell above the merged field column empty; the labels tell what it is."""
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append([None, "番号", "事業名", *TOWNS, "連携町数"])
    sheet.append(["ア\n医療", 1, "救急医療事業", "○", "○", "○", 3])
    sheet.append([None, 2, "休日診療事業", "○", None, None, 1])
    sheet.merge_cells("A2:A3")
    report = read(workbook_bytes(workbook))
    assert [(p.name, str(p.field)) for p in report.reading.vision.projects] == [
        ("救急医療事業", "ア 医療"),
        ("休日診療事業", "ア 医療"),
    ]


def test_xlsx_project_merged_over_two_rows() -> None:
    """A long project takes two rows of the sheet: number, name, marks and count merged down, the description
    in two parts. The second row is the rest of the project, not a project of its own."""
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "Sheet1"
    sheet.append(["番号", "事業名", "事業内容", *TOWNS, "連携町数", "成果指標"])
    sheet.append([1, "創業支援事業", "起業を支援する。", "○", "○", None, 2, "創業件数"])
    sheet.append([None, None, "相談窓口を置く。", None, None, None, None, "10件"])
    sheet.append([2, "観光振興事業", "観光を振興する。", "○", "△", "○", 2, None])
    for column in "ABDEFG":
        sheet.merge_cells(f"{column}2:{column}3")
    report = read(workbook_bytes(workbook))
    vision = report.reading.vision
    assert [p.number for p in vision.projects] == [1, 2]
    first = project(report, 1)
    assert first.description == "起業を支援する。\n相談窓口を置く。"
    assert first.attributes == {"成果指標": "創業件数\n10件"}
    assert (first.declared_count, first.count) == (2, 2)
    assert first.cells["count"] == Location(line=2, column=7, sheet="Sheet1", cell="G2")
    assert the(report, "row-continued").location == Location(line=3, column=3, sheet="Sheet1", cell="C3")
    assert the(report, "unknown-mark").location == Location(line=4, column=5, sheet="Sheet1", cell="E4")
    assert errors(report) == ["unknown-mark"]


def test_xlsx_description_merged_over_two_projects_belongs_to_both() -> None:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["番号", "事業名", "事業内容", *TOWNS, "連携町数"])
    sheet.append([1, "創業支援事業", "起業と事業承継を支援する。", "○", None, None, 1])
    sheet.append([2, "事業承継支援事業", None, None, "○", None, 1])
    sheet.merge_cells("C2:C3")
    report = read(workbook_bytes(workbook))
    assert [p.description for p in report.reading.vision.projects] == ["起業と事業承継を支援する。"] * 2
    assert "row-continued" not in codes(report)


def test_text_description_wrapped_onto_the_next_line() -> None:
    """Some PDF viewers copy a cell's second line as a line of its own, in the cell's column."""
    report = read(
        tsv(
            ("番号", "事業名", "事業内容", *TOWNS, "連携町数"),
            ("1", "創業支援事業", "起業を支援する。", "○", "○", "", "2"),
            ("", "", "相談窓口を置く。"),
            ("2", "観光振興事業", "観光を振興する。", "○", "", "○", "2"),
        )
    )
    assert project(report, 1).description == "起業を支援する。\n相談窓口を置く。"
    assert the(report, "row-continued").location == Location(line=3, column=3)
    assert [p.number for p in report.reading.vision.projects] == [1, 2]
    assert errors(report) == []


def test_row_with_marks_but_no_number_is_not_a_continuation() -> None:
    report = read(
        tsv(
            ("番号", "事業名", "事業内容", *TOWNS, "連携町数"),
            ("1", "創業支援事業", "起業を支援する。", "○", "○", "", "2"),
            ("", "", "相談窓口を置く。", "○", "", "", "1"),
        )
    )
    assert project(report, 1).description == "起業を支援する。"
    assert the(report, "row-unnumbered").location == Location(line=3, column=3)


def test_xlsx_headings_above_the_table_and_title(tmp_path: Path) -> None:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "ビジョン"
    sheet.append(["上川中部定住自立圏共生ビジョン（中心市：旭川市）"])
    sheet.append([])
    sheet.append(["◎：主体となって実施　○：連携して実施"])
    sheet.append(["① 生活機能の強化"])
    sheet.append(["工 産業振興"])
    sheet.append(["項目", "事業内容", *TOWNS, "連携町数"])
    sheet.append(["11 創業支援事業", "起業を支援する。", "◎", "○", None, "２"])
    path = tmp_path / "vision.xlsx"
    workbook.save(path)
    report = read(path.read_bytes())
    vision = report.reading.vision
    assert vision.sphere.central_city is not None and vision.sphere.central_city.code == "012041"
    p = project(report, 11)
    assert p.participants == {"鷹栖町": Role.LEAD, "東神楽町": Role.MEMBER}
    assert (str(p.pillar), str(p.field)) == ("① 生活機能の強化", "エ 産業振興")
    repaired = the(report, "label-repaired")
    assert repaired.location is not None and (repaired.location.sheet, repaired.location.cell) == ("ビジョン", "A5")
    assert errors(report) == []


# Municipality names in headers -------------------------------------------------------------------------------


def names_table(towns: Sequence[str]) -> bytes:
    return tsv(("項目", "事業内容", *towns, "連携町数"), row("1", "事業", ["○"] * len(towns)))


def test_codes_of_the_seed_towns_pass_their_check_digit() -> None:
    from renkei.municipalities import is_valid_code

    vision = read(names_table(TOWNS)).reading.vision
    assert [m.code for m in vision.municipalities] == ["014524", "014532", "014541"]
    assert all(m.code is not None and is_valid_code(m.code) for m in vision.municipalities)


def test_ambiguous_name_resolved_by_the_given_prefecture() -> None:
    report = read(names_table(["池田町", "松川町"]), sphere=Sphere(prefecture="長野県"))
    assert [m.code for m in report.reading.vision.municipalities] == ["204811", "204021"]
    assert the(report, "municipality-by-prefecture").params["prefecture"] == "長野県"


def test_ambiguous_name_resolved_by_the_other_members() -> None:
    report = read(names_table(["本別町", "池田町", "足寄町"]))
    vision = report.reading.vision
    assert vision.municipalities[1].code == "016446"
    assert vision.sphere.prefecture == "北海道"
    assert "municipality-ambiguous" not in codes(report)


def test_ambiguous_name_alone_is_a_warning() -> None:
    report = read(names_table(["池田町", "森町"]))
    warnings = [f for f in report.findings if f.code == "municipality-ambiguous"]
    assert [f.params["name"] for f in warnings] == ["池田町", "森町"]
    assert all(f.severity is Severity.WARNING for f in warnings)
    assert warnings[0].location == Location(line=1, column=3)
    assert [m.code for m in report.reading.vision.municipalities] == [None, None]
    assert project(report, 1).count == 2


@pytest.mark.parametrize("written", ["北海道鷹栖町", "上川郡鷹栖町", "北海道上川郡鷹栖町", "鷹栖町"])
def test_name_with_prefecture_or_district_in_front(written: str) -> None:
    report = read(names_table([written, "東神楽町"]))
    first = report.reading.vision.municipalities[0]
    assert (first.name, first.code, first.label) == ("鷹栖町", "014524", written)
    assert list(project(report, 1).participants) == ["鷹栖町", "東神楽町"]


def test_unknown_name_is_a_warning_not_a_crash() -> None:
    report = read(names_table(["鷹栖町", "架空町"]))
    finding = the(report, "municipality-unknown")
    assert finding.severity is Severity.WARNING
    assert finding.location == Location(line=1, column=4)
    assert [m.code for m in report.reading.vision.municipalities] == ["014524", None]
    assert list(project(report, 1).participants) == ["鷹栖町", "架空町"]
    assert report.to_dict()["municipalities"][1]["code"] is None


@pytest.mark.parametrize(
    ("written", "official", "code"),
    [("鶴ケ島市", "鶴ヶ島市", "112411"), ("龍ヶ崎市", "龍ケ崎市", "082082"), ("茅ケ崎市", "茅ヶ崎市", "142077")],
)
def test_small_ke_variants_match(written: str, official: str, code: str) -> None:
    vision = read(names_table([written, "川越市"])).reading.vision
    assert (vision.municipalities[0].name, vision.municipalities[0].code) == (official, code)


# Messages ----------------------------------------------------------------------------------------------------


def finding_codes() -> list[str]:
    """Every finding code that ingest and the checks can make, found in their source."""
    import re

    import renkei

    root = Path(renkei.__file__).parent
    sources = [*(root / "ingest").glob("*.py"), root / "checks.py"]
    pattern = re.compile(r'Severity\.[A-Z]+,\s*"([a-z-]+)"')
    return sorted({code for path in sources for code in pattern.findall(path.read_text(encoding="utf-8"))})


def test_finding_codes_are_found() -> None:
    assert {"unknown-mark", "header-mismatch", "label-repaired", "row-continued", "municipality-unknown"} <= set(
        finding_codes()
    )


@pytest.mark.parametrize("code", finding_codes())
def test_every_finding_code_has_a_message_and_hint_in_both_catalogues(code: str) -> None:
    from renkei.messages import catalogue

    for lang in ("ja", "en"):
        assert f"finding.{code}" in catalogue(lang), (lang, code)
        assert f"hint.{code}" in catalogue(lang), (lang, code)
