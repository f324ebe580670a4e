"""Variations of real cooperation tables (domain.md, "Variations to expect in other spheres' tables"): marks
and legends, header words, totals rows and full-width digits.

Each test builds its table here as text, reads it with ``read_bytes`` and checks what a user would check."""

from __future__ import annotations

import pytest
from openpyxl import Workbook

from renkei.vision.model import Location, Role, Severity
from variations_support import HEADER, TOWNS, codes, errors, project, read, row, the, tsv, workbook_bytes

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


@pytest.mark.parametrize(
    "meaning", ["事業を主に担う市町村", "とりまとめを行う町", "事業を担当する市町", "企画・運営する町"]
)
def test_a_legends_other_mark_beside_the_members_is_the_lead(meaning: str) -> None:
    # Two ways of taking part told apart, one the plain member's: the other is the lead, in whatever words.
    legend = (f"◎：{meaning}　○：連携する市町村",)
    report = read(tsv(legend, HEADER, row("1", "創業支援事業", ["◎", "○", ""])))
    assert project(report, 1).participants == {"鷹栖町": Role.LEAD, "東神楽町": Role.MEMBER}
    assert "lead-without-legend" not in codes(report)


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


def test_legend_of_a_mark_that_is_not_taking_part_is_not_counted_and_said_at_its_cell() -> None:
    """△：検討中 explains △ but not as taking part: it is neither counted nor silently dropped (what the legend says
    of it stays in the finding at its cell), and no unknown mark."""
    report = read(tsv(("○：連携して実施　△：検討中",), HEADER, row("1", "創業支援事業", ["○", "△", ""], count="1")))
    assert project(report, 1).participants == {"鷹栖町": Role.MEMBER}
    said = the(report, "mark-not-taking-part")
    assert said.location == Location(line=3, column=4) and said.params["meaning"] == "検討中"
    assert errors(report) == []


def test_a_count_that_counts_such_a_mark_disagrees() -> None:
    report = read(tsv(HEADER, row("1", "創業支援事業", ["○", "△", ""], count="2"), ("△：今後実施を予定",)))
    assert project(report, 1).participants == {"鷹栖町": Role.MEMBER}
    assert the(report, "count-mismatch").severity is Severity.ERROR


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


@pytest.mark.parametrize("noted", ["○※", "○※1", "◎＊2", "○注1", "○（注1）", "〇 (※2)"])
def test_a_mark_with_a_reference_to_a_note_takes_part_and_the_note_is_said_at_its_cell(noted: str) -> None:
    report = read(tsv(HEADER, ("1 創業支援事業", "起業を支援する。", "○", noted, "", "2")))
    assert list(project(report, 1).participants) == [TOWNS[0], TOWNS[1]]
    said = [f for f in report.findings if f.code == "mark-with-note"]
    assert [(f.location, f.severity) for f in said] == [(Location(line=2, column=4), Severity.INFO)]
    assert errors(report) == []


@pytest.mark.parametrize("dated", ["○（R7～）", "○(R7~)", "○\n(令和6年度～)", "◎ R7から", "○H30まで", "○（R6～R8）"])
def test_a_mark_with_the_time_of_its_taking_part_takes_part_and_the_time_is_kept_at_its_cell(dated: str) -> None:
    """○（R7～）: the town takes part from FY2025, as the count says; the time is kept in the finding at the cell."""
    report = read(tsv(HEADER, ("1 創業支援事業", "起業を支援する。", "○", dated.replace("\n", " "), "", "2")))
    assert list(project(report, 1).participants) == [TOWNS[0], TOWNS[1]]
    said = [f for f in report.findings if f.code == "mark-with-period"]
    assert [(f.location, f.severity) for f in said] == [(Location(line=2, column=4), Severity.INFO)]
    assert said[0].params["note"] in dated and said[0].params["mark"] == dated.strip()[0]
    assert not any(f.code == "mark-with-note" for f in report.findings)
    assert errors(report) == []


def test_yes_and_no_written_as_words_take_part_and_do_not() -> None:
    """有 / 無 (あり / なし) under the towns, as a survey's answers are written."""
    report = read(tsv(HEADER, ("1 創業支援事業", "起業を支援する。", "有", "無", "あり", "2")))
    assert list(project(report, 1).participants) == [TOWNS[0], TOWNS[2]]
    assert errors(report) == []


def test_a_mark_with_words_beside_it_stays_unknown() -> None:
    report = read(tsv(HEADER, ("1 創業支援事業", "起業を支援する。", "○", "○（予定）", "", "1")))
    assert list(project(report, 1).participants) == [TOWNS[0]]
    assert "unknown-mark" in [f.code for f in report.findings]
