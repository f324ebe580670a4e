"""The shapes real secretariats use (issue 10): marks and blanks, structured headers, workbooks as they are
kept, participants written in one cell, headings and titles, and the checks that real mistakes need.

Each test writes its table here (text, CSV or a workbook), reads it as ``renkei check`` does and checks what a
user would: who takes part, the columns and codes, and each finding with the line or cell it points at.
"""

from __future__ import annotations

import io
from collections.abc import Sequence

import pytest
from openpyxl import Workbook

from renkei.ingest import read_bytes
from renkei.ingest.participants import count_by_kind, kinds_count, members_line, parse_named
from renkei.ingest.report import Report, check_reading
from renkei.vision.model import Finding, Location, Role, Severity, SphereKind

IBURI = ("登別市", "伊達市", "豊浦町")
HEADER = ("番号", "事業名", "事業内容", *IBURI, "連携町数")


def tsv(*rows: Sequence[str]) -> bytes:
    return "\n".join("\t".join(r) for r in rows).encode("utf-8")


def read(data: bytes, sheet: str | None = None) -> Report:
    return check_reading(read_bytes(data, "table", sheet=sheet))


def codes(report: Report, severity: Severity | None = None) -> list[str]:
    return [f.code for f in report.findings if severity is None or f.severity is severity]


def the(report: Report, code: str) -> Finding:
    found = [f for f in report.findings if f.code == code]
    assert len(found) == 1, f"expected one {code}, got {[(f.code, f.location) for f in report.findings]}"
    return found[0]


def participants(report: Report) -> list[list[str]]:
    return [list(p.participants) for p in report.reading.vision.projects]


def workbook_bytes(workbook: Workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# Marks and blanks --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("mark", ["○", "〇", "◯", "●", "◎", "✓", "✔", "レ", "参加", "実施", "1", "１"])
@pytest.mark.parametrize("blank", ["", "－", "―", "-", "×", "0", "「－」"])
def test_marks_and_blanks_as_documents_write_them(mark: str, blank: str) -> None:
    report = read(tsv(HEADER, ("1", "創業支援", "起業を支援する。", mark, blank, mark, "2")))
    assert participants(report) == [["登別市", "豊浦町"]]
    assert codes(report, Severity.ERROR) == []
    assert "mark-legend-missing" not in codes(report)


def test_two_kinds_of_marks_without_a_legend_are_members_and_a_warning_at_the_second() -> None:
    report = read(
        tsv(
            HEADER,
            ("1", "創業支援", "起業を支援する。", "○", "", "○", "2"),
            ("2", "観光振興", "観光を振興する。", "○", "◎", "", "2"),
        )
    )
    assert report.reading.vision.projects[1].participants == {"登別市": Role.MEMBER, "伊達市": Role.MEMBER}
    warning = the(report, "mark-legend-missing")
    assert (warning.severity, warning.location) == (Severity.WARNING, Location(line=3, column=5))


def test_a_legend_below_the_table_decides_the_roles_and_silences_the_warning() -> None:
    report = read(
        tsv(
            HEADER,
            ("1", "創業支援", "起業を支援する。", "◎", "○", "", "2"),
            ("凡例　◎：主体となって実施　○：連携して実施",),
        )
    )
    assert report.reading.vision.projects[0].participants == {"登別市": Role.LEAD, "伊達市": Role.MEMBER}
    assert "mark-legend-missing" not in codes(report)


def test_an_unknown_mark_is_an_error_naming_its_cell() -> None:
    report = read(tsv(HEADER, ("1", "創業支援", "起業を支援する。", "○", "△", "", "1")))
    error = the(report, "unknown-mark")
    assert (error.severity, error.location) == (Severity.ERROR, Location(line=2, column=5))


# Headers with structure --------------------------------------------------------------------------------------

BINGO_UPPER = ("番号", "事業名", "事業内容", "中心市", "広島県", "", "岡山県", "連携市町数（中心市を除く）")
BINGO_LOWER = ("", "", "", "福山市", "三原市", "府中市", "笠岡市", "")


def test_group_row_is_never_a_municipality_and_its_prefecture_decides_fuchu() -> None:
    report = read(tsv(BINGO_UPPER, BINGO_LOWER, ("1", "観光", "観光を振興する。", "○", "○", "○", "", "2")))
    vision = report.reading.vision
    assert [(m.name, m.code) for m in vision.municipalities] == [
        ("福山市", "342076"),
        ("三原市", "342041"),
        ("府中市", "342084"),  # 広島県府中市, not 東京都府中市 (132063)
        ("笠岡市", "332054"),
    ]
    assert [m.central for m in vision.municipalities] == [True, False, False, False]
    assert vision.sphere.central_city is not None and vision.sphere.central_city.name == "福山市"
    assert codes(report, Severity.ERROR) == [] and codes(report, Severity.WARNING) == []


def test_count_that_excludes_the_central_city_is_checked_without_its_mark() -> None:
    wrong = read(tsv(BINGO_UPPER, BINGO_LOWER, ("1", "観光", "観光を振興する。", "○", "○", "○", "", "3")))
    error = the(wrong, "count-mismatch")
    assert error.location == Location(line=3, column=8)
    assert error.params == {"number": 1, "declared": 3, "count": 2}


@pytest.mark.parametrize(("declared", "ok"), [("3", True), ("2", False)])
def test_count_that_includes_a_central_city_without_a_column_counts_it(declared: str, ok: bool) -> None:
    header = ("番号", "事業名", "事業内容", *IBURI, "連携市町数（中心市を含む）")
    report = read(tsv(header, ("1", "観光", "観光を振興する。", "○", "○", "", declared)))
    assert ("count-mismatch" not in codes(report)) is ok


def test_two_central_cities_under_one_group_header() -> None:
    upper = ("番号", "事業名", "事業内容", "中心市", "", "連携市町村", "", "連携市町数（中心市を除く）")
    lower = ("", "", "", "滝川市", "砂川市", "歌志内市", "奈井江町", "")
    report = read(tsv(upper, lower, ("1", "消防", "消防を共同で行う。", "○", "○", "○", "", "1")))
    vision = report.reading.vision
    assert [m.name for m in vision.municipalities if m.central] == ["滝川市", "砂川市"]
    assert codes(report, Severity.ERROR) == []


@pytest.mark.parametrize("label", ["阿智村（※）", "阿智村※1", "長野県阿智村", "長野県阿智村※"])
def test_footnote_marks_and_prefixes_kept_as_the_label_and_stripped_for_matching(label: str) -> None:
    header = ("番号", "事業名", "事業内容", label, "根羽村", "連携町数")
    report = read(tsv(header, ("1", "観光", "観光を振興する。", "○", "○", "2")))
    first = report.reading.vision.municipalities[0]
    assert (first.name, first.code, first.display) == ("阿智村", "204072", label)


# Workbooks as they are kept ----------------------------------------------------------------------------------


def pillar_workbook(hidden_sheet: bool = False) -> Workbook:
    workbook = Workbook()
    cover = workbook.active
    assert cover is not None
    cover.title = "表紙"
    cover["A1"] = "西いぶり定住自立圏共生ビジョン"
    cover["A2"] = "令和6年3月"
    for number, (title, project) in enumerate(
        [("① 生活機能の強化", "救急医療"), ("② 結びつきやネットワークの強化", "路線バス")], 1
    ):
        sheet = workbook.create_sheet(title)
        sheet.append(["番号", "事業名", "事業内容", *IBURI, "連携町数", "備考", "旧番号"])
        marks = ["○", "○", None] if number == 1 else ["○", None, "○"]
        sheet.append([number, project, f"{project}を行う。", *marks, "2", "新規", str(number + 10)])
    notes = workbook.create_sheet("注記")
    notes["A1"] = "※ 事業費は予算によります。"
    if hidden_sheet:
        workbook.create_sheet("作業用").sheet_state = "hidden"
    return workbook


def test_a_vision_split_over_sheets_reads_as_one_with_the_sheet_names_as_pillars() -> None:
    report = read(workbook_bytes(pillar_workbook(hidden_sheet=True)))
    vision = report.reading.vision
    assert vision.sphere.name == "西いぶり定住自立圏"  # from the cover
    assert [(p.number, str(p.pillar)) for p in vision.projects] == [
        (1, "① 生活機能の強化"),
        (2, "② 結びつきやネットワークの強化"),
    ]
    assert [m.name for m in vision.municipalities] == list(IBURI)
    assert vision.projects[0].attributes == {"備考": "新規", "旧番号": "11"}
    skipped = [f for f in report.findings if f.code in ("sheet-skipped", "sheet-hidden")]
    assert [(f.code, f.severity, f.location) for f in skipped] == [
        ("sheet-hidden", Severity.INFO, Location(sheet="作業用")),
        ("sheet-skipped", Severity.INFO, Location(sheet="表紙")),
        ("sheet-skipped", Severity.INFO, Location(sheet="注記")),
    ]
    assert codes(report, Severity.WARNING) == [] and codes(report, Severity.ERROR) == []


def test_sheet_option_still_restricts_to_one_sheet() -> None:
    report = read(workbook_bytes(pillar_workbook()), sheet="3")
    assert [p.number for p in report.reading.vision.projects] == [2]
    assert "sheet-skipped" not in codes(report)


def test_a_hidden_column_named_like_a_town_is_an_attribute() -> None:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["番号", "事業名", "事業内容", *IBURI, "白老町", "連携町数"])
    sheet.append([1, "観光", "観光を振興する。", "○", "○", None, "旧", 2])
    sheet.column_dimensions["G"].hidden = True
    vision = read(workbook_bytes(sheet.parent)).reading.vision
    assert [m.name for m in vision.municipalities] == list(IBURI)
    assert vision.projects[0].attributes == {"白老町": "旧"}


def test_a_hidden_row_is_read_and_said() -> None:
    workbook = pillar_workbook()
    sheet = workbook["① 生活機能の強化"]
    sheet.row_dimensions[2].hidden = True
    report = read(workbook_bytes(workbook))
    assert [p.number for p in report.reading.vision.projects] == [1, 2]
    info = the(report, "row-hidden")
    assert (info.severity, info.location) == (Severity.INFO, Location(line=2, sheet="① 生活機能の強化", cell="A2"))


def test_the_same_project_on_two_sheets_is_a_warning_at_the_second() -> None:
    workbook = pillar_workbook()
    workbook["② 結びつきやネットワークの強化"].append([3, "救急医療", "救急医療を行う。", "○", None, None, "1"])
    warning = the(read(workbook_bytes(workbook)), "project-duplicate")
    assert (warning.severity, warning.location) == (
        Severity.WARNING,
        Location(line=3, sheet="② 結びつきやネットワークの強化", cell="A3"),
    )


# Participants in one cell ------------------------------------------------------------------------------------


def test_participant_cells_parse() -> None:
    assert parse_named("姫路市、相生市・赤穂市, 高砂市/加西市 宍粟市\nたつの市").names == [
        "姫路市",
        "相生市",
        "赤穂市",
        "高砂市",
        "加西市",
        "宍粟市",
        "たつの市",
    ]
    assert parse_named("全市町").every and parse_named("圏域全体").every and parse_named("全構成市町村").every
    excepted = parse_named("全市町（上郡町、佐用町を除く）")
    assert excepted.every and excepted.excluded == ["上郡町", "佐用町"]
    assert kinds_count("7市3町") == {"市": 7, "町": 3} and kinds_count("3件") is None
    assert count_by_kind(["姫路市", "相生市", "福崎町", "新郷村"]) == {"市": 2, "町": 1, "村": 1}
    assert members_line("構成市町：姫路市、相生市、福崎町") == ["姫路市", "相生市", "福崎町"]
    assert members_line("構成市町の役割") is None


def test_participants_in_one_cell_make_the_same_matrix_as_marks() -> None:
    text = "\n".join(
        [
            "構成市町：姫路市、相生市、福崎町、太子町",
            "番号,事業名,事業内容,連携市町村,連携市町数",
            "1,観光,観光を振興する。,全市町,2市2町",
            "2,消防,消防を共同で行う。,全市町（太子町を除く）,3",
            '3,医療,医療を確保する。,"姫路市\n福崎町",2',
            "4,交通,交通を確保する。,姫路市・太子町,1市2町",
        ]
    ).encode("utf-8")
    report = read(text)
    vision = report.reading.vision
    assert [(m.name, m.code) for m in vision.municipalities] == [
        ("姫路市", "282014"),
        ("相生市", "282081"),
        ("福崎町", "284432"),
        ("太子町", "284645"),  # 兵庫県, not 大阪府 (273813): the other members decide
    ]
    assert participants(report) == [
        ["姫路市", "相生市", "福崎町", "太子町"],
        ["姫路市", "相生市", "福崎町"],
        ["姫路市", "福崎町"],
        ["姫路市", "太子町"],
    ]
    kinds = the(report, "count-kinds-mismatch")  # 1市2町 against 姫路市・太子町
    assert (kinds.severity, kinds.location, kinds.params["count"]) == (
        Severity.ERROR,
        Location(line=7, column=5),
        "1市1町",
    )
    assert the(report, "count-mismatch").params["number"] == 4


def test_without_a_members_line_the_members_are_the_towns_met_in_order() -> None:
    text = tsv(
        ("番号", "事業名", "事業内容", "参加市町村", "市町数"),
        ("1", "観光", "観光を振興する。", "八戸市、三戸町、南部町", "3"),
        ("2", "消防", "消防を共同で行う。", "全市町村", "3"),
        ("3", "医療", "医療を確保する。", "おいらせ町", "1"),
    )
    report = read(text)
    vision = report.reading.vision
    assert [(m.name, m.code) for m in vision.municipalities] == [
        ("八戸市", "022039"),
        ("三戸町", "024414"),
        ("南部町", "024457"),  # 青森県: 山梨県 and 鳥取県 also have a 南部町
        ("おいらせ町", "024121"),
    ]
    assert participants(report)[1] == ["八戸市", "三戸町", "南部町", "おいらせ町"]


@pytest.mark.parametrize(("stated", "ok"), [("2市1町", True), ("3市", False)])
def test_a_members_line_with_its_count_is_checked_against_its_names(stated: str, ok: bool) -> None:
    text = tsv(
        (f"構成市町村（{stated}）：姫路市、相生市、福崎町",),
        ("番号", "事業名", "事業内容", "連携市町村", "連携市町数"),
        ("1", "観光", "観光を振興する。", "全市町", "3"),
    )
    report = read(text)
    assert [m.name for m in report.reading.vision.municipalities] == ["姫路市", "相生市", "福崎町"]
    if ok:
        assert codes(report, Severity.ERROR) == []
    else:
        error = the(report, "members-count-mismatch")
        assert (error.severity, error.location, error.params["count"]) == (
            Severity.ERROR,
            Location(line=1, column=1),
            "2市1町",
        )


def test_a_members_table_above_gives_the_members_and_their_order() -> None:
    text = tsv(
        ("市町村名", "人口（人）", "面積（km2）"),
        ("姫路市", "530495", "534"),
        ("福崎町", "19830", "45"),
        ("相生市", "28355", "90"),
        ("番号", "事業名", "事業内容", "連携市町村", "連携市町数"),
        ("1", "観光", "観光を振興する。", "全市町", "3"),
        ("2", "消防", "消防を共同で行う。", "相生市、姫路市", "2"),
    )
    report = read(text)
    assert [m.name for m in report.reading.vision.municipalities] == ["姫路市", "福崎町", "相生市"]
    assert participants(report) == [["姫路市", "福崎町", "相生市"], ["姫路市", "相生市"]]
    assert codes(report, Severity.WARNING) == [] and codes(report, Severity.ERROR) == []


def test_participants_wrapped_onto_the_next_line_continue_the_cell() -> None:
    text = tsv(
        ("番号", "事業名", "事業内容", "連携市町村", "連携市町数"),
        ("1", "観光", "観光を振興する。", "姫路市、相生市、", "3"),
        ("", "", "", "福崎町", ""),
        ("2", "消防", "消防を共同で行う。", "姫路市", "1"),
    )
    report = read(text)
    assert participants(report) == [["姫路市", "相生市", "福崎町"], ["姫路市"]]
    assert codes(report, Severity.ERROR) == []


def test_a_participant_outside_the_members_line_is_a_warning_at_its_cell() -> None:
    text = tsv(
        ("構成市町：姫路市、相生市",),
        ("番号", "事業名", "事業内容", "連携市町村", "連携市町数"),
        ("1", "観光", "観光を振興する。", "姫路市、福崎町", "2"),
    )
    warning = the(read(text), "participant-not-member")
    assert (warning.severity, warning.location) == (Severity.WARNING, Location(line=3, column=4))


# Headings and titles -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("label", ["1", "1.", "(1)", "第1", "Ⅰ", "①"])
def test_pillars_numbered_in_every_way_are_headings(label: str) -> None:
    report = read(
        tsv(
            HEADER,
            (f"{label} 生活機能の強化",),
            ("ア 医療",),
            ("1", "救急医療", "救急医療を行う。", "○", "", "", "1"),
        )
    )
    p = report.reading.vision.projects
    assert [(x.number, str(x.pillar), str(x.field)) for x in p] == [(1, f"{label} 生活機能の強化", "ア 医療")]
    assert codes(report, Severity.ERROR) == []


def test_a_lone_number_and_name_without_a_pillar_after_it_stays_a_row() -> None:
    report = read(tsv(HEADER, ("3 創業支援",), ("4", "観光", "観光を振興する。", "○", "", "", "1")))
    assert [p.number for p in report.reading.vision.projects][-1] == 4
    assert report.reading.vision.projects[0].pillar is None


@pytest.mark.parametrize(
    ("title", "name", "kind", "guessed"),
    [
        ("南信州定住自立圏共生ビジョン", "南信州定住自立圏", SphereKind.SETTLEMENT, False),
        ("第2次備後圏域連携中枢都市圏ビジョン", "備後圏域連携中枢都市圏", SphereKind.METROPOLITAN, False),
        ("広島広域都市圏ビジョン", "広島広域都市圏", SphereKind.METROPOLITAN, False),
        ("雲南圏域共生ビジョン", "雲南圏域", SphereKind.SETTLEMENT, False),
        ("播磨圏域", "播磨圏域", SphereKind.METROPOLITAN, True),  # told by the pillar below
        ("熊本都市圏", "熊本都市圏", SphereKind.METROPOLITAN, True),
    ],
)
def test_titles_give_the_sphere_name_and_kind(title: str, name: str, kind: SphereKind, guessed: bool) -> None:
    report = read(
        tsv(
            (title,),
            HEADER,
            ("(1) 圏域全体の経済成長のけん引",),
            ("1", "創業支援", "起業を支援する。", "○", "", "", "1"),
        )
    )
    sphere = report.reading.vision.sphere
    assert (sphere.name, sphere.kind) == (name, kind)
    if guessed:
        assert the(report, "sphere-kind-guessed").location == Location(line=1, column=1)
    else:
        assert "sphere-kind-guessed" not in codes(report)


# Checks ------------------------------------------------------------------------------------------------------


def whole_table(*rows: Sequence[str], title: bool = True, totals: Sequence[str] = ("2", "1", "1", "4")) -> bytes:
    lines = [("西いぶり定住自立圏共生ビジョン",)] if title else []
    return tsv(*lines, HEADER, *rows, ("連携事業数計", "", "", *totals))


ROW1 = ("1", "救急医療", "救急医療を行う。", "○", "○", "", "2")
ROW3 = ("3", "観光", "観光を振興する。", "○", "", "○", "2")


def test_a_row_missing_from_a_whole_table_is_an_error_at_the_row_after_it() -> None:
    report = read(whole_table(ROW1, ROW3, totals=("2", "1", "2", "5")))
    error = the(report, "row-missing")
    assert (error.severity, error.location, error.params["missing"]) == (Severity.ERROR, Location(line=4), "2")
    assert "fragment" not in codes(report)


def test_a_number_left_out_that_the_totals_do_not_count_either_is_a_skipped_number() -> None:
    report = read(whole_table(ROW1, ROW3, totals=("2", "1", "1", "4")))
    assert "row-missing" not in codes(report) and "fragment" not in codes(report)
    assert the(report, "numbers-skipped").params == {"missing": "2"}
    assert codes(report, Severity.ERROR) == []
    counted = read(whole_table(ROW1, ROW3, totals=("2", "1", "2", "5")))  # 豊浦町's 2 counts a missing row
    assert "row-missing" in codes(counted, Severity.ERROR) and "numbers-skipped" not in codes(counted)


def test_without_its_title_the_same_table_is_a_fragment_as_before() -> None:
    report = read(whole_table(ROW1, ROW3, title=False, totals=("2", "1", "2", "5")))
    assert "row-missing" not in codes(report)
    assert the(report, "fragment").severity is Severity.INFO


def test_the_same_project_under_two_fields_is_a_warning() -> None:
    report = read(tsv(HEADER, ("ア 医療",), ROW1, ("イ 福祉",), ("2", "救急医療", "別の説明。", "○", "", "", "1")))
    warning = the(report, "project-duplicate")
    assert (warning.severity, warning.location, warning.params["first"]) == (Severity.WARNING, Location(line=5), 1)


def test_a_mark_under_a_column_without_a_municipality_is_an_error_at_its_cell() -> None:
    header = ("番号", "事業名", "事業内容", *IBURI, "", "連携町数")
    report = read(tsv(header, ("1", "観光", "観光を振興する。", "○", "", "", "○", "1")))
    error = the(report, "mark-without-municipality")
    assert (error.severity, error.location) == (Severity.ERROR, Location(line=2, column=7))
    assert list(report.reading.vision.projects[0].participants) == ["登別市"]


def test_a_member_in_no_project_is_a_warning_at_its_header() -> None:
    report = read(whole_table(ROW1, ("2", "観光", "観光を振興する。", "○", "", "", "1"), totals=("2", "1", "0", "3")))
    warning = the(report, "member-unused")
    assert (warning.severity, warning.location, warning.params) == (
        Severity.WARNING,
        Location(line=2, column=6),
        {"municipality": "豊浦町"},
    )


def test_participants_cells_by_role_by_kind_and_every_but_some_named_first() -> None:
    """The words of a participants cell that name no town by its name: 中心市のみ is the sphere's central city
    (鳥取中部's title names 倉吉市); 三朝町を除く全町 and 若桜町以外の全市町 are every member but those named
    first; 全町 and 全町村 are the members that are towns (and villages), no city; 湯梨浜町のみ is 湯梨浜町.
    Before, each phrase became a municipality of its own, said unknown, and 全市町 took it in."""
    text = tsv(
        ("鳥取中部定住自立圏共生ビジョン（中心市：倉吉市）",),
        ("番号", "事業名", "事業内容", "連携市町村"),
        ("1", "救急医療", "救急医療を確保する。", "全市町"),
        ("2", "図書館", "相互利用を行う。", "倉吉市、湯梨浜町、三朝町、北栄町、琴浦町"),
        ("3", "職員研修", "合同研修を行う。", "中心市のみ"),
        ("4", "移住", "移住相談を行う。", "三朝町を除く全町"),
        ("5", "観光", "観光を振興する。", "北栄町以外の全市町"),
        ("6", "消防", "消防を共同で行う。", "全町村"),
        ("7", "交通", "交通を確保する。", "湯梨浜町のみ"),
    )
    report = read(text)
    towns = ["湯梨浜町", "三朝町", "北栄町", "琴浦町"]
    assert [m.name for m in report.reading.vision.municipalities] == ["倉吉市", *towns]
    assert participants(report) == [
        ["倉吉市", *towns],
        ["倉吉市", *towns],
        ["倉吉市"],
        ["湯梨浜町", "北栄町", "琴浦町"],
        ["倉吉市", "湯梨浜町", "三朝町", "琴浦町"],
        towns,
        ["湯梨浜町"],
    ]
    assert [f.code for f in report.findings if f.severity is not Severity.INFO] == []
    assert parse_named("中心市のみ").central and not parse_named("倉吉市のみ").central
    assert parse_named("全町村").kinds == "町村" and parse_named("全市町").kinds == ""
