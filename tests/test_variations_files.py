"""Variations of real cooperation tables (domain.md, "Variations to expect in other spheres' tables") as files:
CSV in its encodings and delimiters, and XLSX workbooks with merged cells, sheets and headings."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pytest
from openpyxl import Workbook

from renkei.ingest import TableReadError, read_bytes
from renkei.vision.model import Location, Role, Severity
from variations_support import HEADER, TOWNS, codes, csv_bytes, errors, project, read, row, the, tsv, workbook_bytes

# CSV ---------------------------------------------------------------------------------------------------------


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


def test_a_column_of_numbered_pillars_beside_the_number_and_the_name() -> None:
    """A 連携中枢都市圏's table often gives each row its pillar in a column of its own under a name-like header
    (取組), numbered (1), (2) or 1., 2. as a project could be: beside the row's own number it is the pillar, not the
    start of the project's name."""
    for first, second in (("(1) 経済成長のけん引", "(2) 生活関連機能サービスの向上"), ("1. 経済成長", "2. 生活機能")):
        report = read(
            csv_bytes(
                ",",
                "utf-8",
                [
                    ("No.", "取組", "事業名", *TOWNS, "連携町数"),
                    ("1", first, "創業支援事業", "○", "○", "", "2"),
                    ("2", first, "観光推進事業", "○", "○", "○", "3"),
                    ("3", second, "移住促進事業", "", "○", "○", "2"),
                ],
            )
        )
        got = [(p.number, p.name, str(p.pillar)) for p in report.reading.vision.projects]
        assert got == [(1, "創業支援事業", first), (2, "観光推進事業", first), (3, "移住促進事業", second)]
        assert errors(report) == []


@pytest.mark.parametrize(("first", "second"), [("No.1", "No.2"), ("NO. 1", "NO. 2"), ("№1", "№2"), ("【1】", "【2】")])
def test_a_number_written_with_no_or_in_brackets(first: str, second: str) -> None:
    """No.1, №1 and 【1】 number a project as 1 does, in a number column of their own and before the name."""
    in_column = [("番号", "事業名", *TOWNS, "連携町数"), (first, "医療連携事業", "○", "○", "", "2")]
    in_column.append((second, "救急体制", "○", "", "", "1"))
    in_name = [("事業名", *TOWNS, "連携町数"), (f"{first}医療連携事業", "○", "○", "", "2")]
    in_name.append((f"{second} 救急体制", "○", "", "", "1"))
    for rows in (in_column, in_name):
        report = read(csv_bytes(",", "utf-8", rows))
        got = [(p.number, p.name, p.declared_count) for p in report.reading.vision.projects]
        assert got == [(1, "医療連携事業", 2), (2, "救急体制", 1)]
        assert errors(report) == []


def test_a_name_that_starts_with_no_and_digits_is_not_cut_into_a_number() -> None:
    """NO2 (nitrogen dioxide) at the start of a name is no 'No. 2': among numbered rows the row has no number, as
    it says; in a table of names alone it is numbered by its place, its name whole."""
    header = ("事業名", *TOWNS, "連携町数")
    numbered = ("1 医療連携", "○", "", "", "1")
    mixed = read(csv_bytes(",", "utf-8", [header, numbered, ("NO2削減事業", "○", "○", "", "2")]))
    assert [p.name for p in mixed.reading.vision.projects] == ["医療連携"]
    assert [f.params.get("text") for f in mixed.findings if f.code == "row-unnumbered"] == ["NO2削減事業"]
    alone = read(csv_bytes(",", "utf-8", [header, ("NO2削減事業", "○", "○", "", "2")]))
    assert [(p.number, p.name) for p in alone.reading.vision.projects] == [(1, "NO2削減事業")]
    said = [f.code for f in alone.findings if f.code in ("row-unnumbered", "numbered-by-place")]
    assert said == ["numbered-by-place"]


@pytest.mark.parametrize("heading", ["連携数", "参加数", "参加団体数", "連携団体数"])
def test_a_count_headed_in_short_words_before_the_description(heading: str) -> None:
    """連携数 and 参加数 head the count as 連携町数 does, wherever the column stands (here before the description,
    where no column of numbers is told a count by its content)."""
    rows = [
        ("番号", "事業名", heading, "事業概要", *TOWNS),
        ("1", "医療連携事業", "2", "病院間の連携", "○", "○", ""),
        ("2", "救急体制", "1", "救急の広域化", "○", "", ""),
    ]
    report = read(csv_bytes(",", "utf-8", rows))
    assert [(p.number, p.declared_count, p.attributes) for p in report.reading.vision.projects] == [
        (1, 2, {}),
        (2, 1, {}),
    ]
    assert errors(report) == []


def test_a_name_numbered_like_a_pillar_stays_the_name_without_another_beside_it() -> None:
    report = read(
        csv_bytes(",", "utf-8", [("No.", "事業名", *TOWNS, "連携町数"), ("1", "(1) 創業支援事業", "○", "○", "", "2")])
    )
    assert [(p.number, p.name, p.pillar) for p in report.reading.vision.projects] == [(1, "(1) 創業支援事業", None)]


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


@pytest.mark.parametrize(
    "note",
    ["（注）数値は令和6年度末", "(注) 事業は随時見直す", "備考：R7年度から", "出典：共生ビジョン", "資料：各市町"],
)
def test_a_note_line_under_the_table_is_said_and_skipped(note: str) -> None:
    rows = [("番号", "事業名", *TOWNS, "連携町数"), ("1", "医療連携", "○", "○", "", "2"), (note, "")]
    report = read(csv_bytes(",", "utf-8", rows))
    assert [(p.number, p.name) for p in report.reading.vision.projects] == [(1, "医療連携")]
    assert [f.params.get("text") for f in report.findings if f.code == "note-skipped"] == [note]
    assert not [f for f in report.findings if f.severity is not Severity.INFO]
