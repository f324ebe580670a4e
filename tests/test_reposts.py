"""Projects listed again (再掲, ``vision.reposts``): a vision lists a project that serves two fields under each, the
second time marked 再掲. It is one project: a town's project count counts it once, as the totals row does. Before,
the repost was counted again (a total-mismatch at every town in it), its number said a duplicate, its name a
duplicate project, and a number cell that said 再掲 lost the row (row-unnumbered).

Tables of 鳥取中部 (CSV, the marker after the name, its own number), 備後圏域 (a workbook, 再掲 in the number
cell), 南信州 (Word, 【再掲】 before the name and the first listing's number again) and 八戸圏域 (a note column
再掲（No.2）, the name reworded); the towns and totals are worked out here from the rows written.
"""

from __future__ import annotations

import io
from collections import Counter

import pytest
from docx import Document
from openpyxl import Workbook

from renkei.ingest import read_bytes
from renkei.ingest.report import Report, check_reading
from renkei.render import get

Rows = list[tuple[str, str, list[int], str]]  # number cell, name, marks (1 or 0 a town), note


def counted_once(rows: Rows, towns: tuple[str, ...], repeated: set[int]) -> dict[str, int]:
    """Each town's projects, the rows at ``repeated`` (indexes) left out: what the totals row declares."""
    counts = Counter(
        t
        for i, (_, _, marks, _) in enumerate(rows)
        if i not in repeated
        for t, m in zip(towns, marks, strict=True)
        if m
    )
    return {t: counts[t] for t in towns}


def report_of(data: bytes, name: str) -> Report:
    return check_reading(read_bytes(data, name))


def errors(report: Report) -> list[str]:
    return [f.code for f in report.findings if f.severity.value == "error"]


def said(report: Report, code: str) -> list[dict[str, object]]:
    return [f.params for f in report.findings if f.code == code]


CHUBU = ("倉吉市", "三朝町", "湯梨浜町", "琴浦町", "北栄町")
CHUBU_ROWS: Rows = [
    ("1", "地域医療連携の推進", [1, 1, 1, 1, 1], ""),
    ("2", "救急医療体制の確保", [1, 1, 0, 1, 1], ""),
    ("3", "障がい者の就労支援", [1, 0, 1, 0, 1], ""),
    ("4", "地域医療連携の推進（再掲）", [1, 1, 1, 1, 1], ""),
    ("5", "広域観光の推進", [1, 1, 1, 0, 1], ""),
    ("6", "地域公共交通の確保", [1, 0, 1, 1, 0], ""),
]


def chubu_csv(totals: dict[str, int]) -> bytes:
    lines = ["鳥取中部ふるさと広域連携定住自立圏 連携事業一覧", "番号,分野,事業名," + ",".join(CHUBU) + ",関係市町数"]
    fields = ["医療", "医療", "福祉", "福祉", "産業", "交通"]
    for (number, name, marks, _), field in zip(CHUBU_ROWS, fields, strict=True):
        lines.append(f"{number},{field},{name}," + ",".join("○" if m else "" for m in marks) + f",{sum(marks)}")
    lines.append("計,,," + ",".join(str(totals[t]) for t in CHUBU) + ",")
    return ("\n".join(lines) + "\n").encode("utf-8")


def test_a_repost_after_the_name_counted_once() -> None:
    totals = counted_once(CHUBU_ROWS, CHUBU, {3})
    report = report_of(chubu_csv(totals), "chubu.csv")
    vision = report.reading.vision
    assert errors(report) == []
    assert vision.present_totals() == totals
    assert len(vision.projects) == len(CHUBU_ROWS)  # the row is kept where the document lists it
    assert said(report, "reposts-read") == [{"count": 1, "pairs": "4→1"}]
    assert [p.number for p in vision.projects_of("三朝町")] == [1, 2, 5]  # its schedule lists the project once


def test_totals_that_count_the_repost_again_are_said_once() -> None:
    # The same table whose totals row counts every row: one warning, not an error at every town.
    totals = counted_once(CHUBU_ROWS, CHUBU, set())
    report = report_of(chubu_csv(totals), "chubu.csv")
    assert errors(report) == []
    assert said(report, "reposts-counted") == [{"count": 1}]
    assert report.reading.vision.declared_totals == totals  # the document's figures kept as declared


BINGO = ("福山市", "三原市", "尾道市", "府中市", "笠岡市", "井原市")
BINGO_ROWS: Rows = [
    ("1", "救急医療の広域連携", [1, 1, 1, 1, 1, 1], ""),
    ("2", "圏域内観光の周遊促進", [1, 1, 1, 0, 1, 0], ""),
    ("再掲", "救急医療の広域連携", [1, 1, 1, 1, 1, 1], ""),
    ("3", "移住・定住の促進", [1, 0, 1, 1, 0, 1], ""),
]


def test_a_workbooks_number_cell_that_says_repost() -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["備後圏域連携中枢都市圏 連携事業一覧"])
    sheet.append(["番号", "事業名", *BINGO, "連携市町数"])
    sheet.append(["(1) 医療"])
    for number, name, marks, _ in BINGO_ROWS[:2]:
        sheet.append([int(number), name, *("○" if m else None for m in marks), sum(marks)])
    sheet.append(["(2) 観光"])
    for number, name, marks, _ in BINGO_ROWS[2:]:
        sheet.append(
            [number if not number.isdigit() else int(number), name, *("○" if m else None for m in marks), sum(marks)]
        )
    totals = counted_once(BINGO_ROWS, BINGO, {2})
    sheet.append(["合計", None, *(totals[t] for t in BINGO), None])
    buffer = io.BytesIO()
    book.save(buffer)
    report = report_of(buffer.getvalue(), "bingo.xlsx")
    vision = report.reading.vision
    assert errors(report) == []
    assert [p.written_number for p in vision.projects] == [1, 2, "再掲", 3]
    assert [p.number for p in vision.projects] == [1, 2, 1, 3]  # its project's number, no other project's
    assert vision.present_totals() == totals
    assert said(report, "reposts-read") == [{"count": 1, "pairs": "再掲→1"}]
    assert said(report, "number-label") == []  # 再掲 is no path of numbers


MINAMI = ("飯田市", "松川町", "高森町", "阿南町", "阿智村")
MINAMI_ROWS: Rows = [
    ("1", "定住自立圏域内の地域医療体制の確保", [1, 1, 1, 1, 1], ""),
    ("2", "リニア時代を見据えた公共交通網の整備", [1, 1, 0, 1, 1], ""),
    ("1", "【再掲】定住自立圏域内の地域医療体制の確保", [1, 1, 1, 1, 1], ""),
    ("3", "南信州ブランドの発信", [1, 0, 1, 0, 1], ""),
]


def test_a_word_table_repeating_the_number_and_marking_the_name() -> None:
    document = Document()
    document.add_heading("南信州定住自立圏共生ビジョン", 1)
    totals = counted_once(MINAMI_ROWS, MINAMI, {2})
    table = document.add_table(rows=len(MINAMI_ROWS) + 2, cols=len(MINAMI) + 3)
    header = ["番号", "事業名", *MINAMI, "関係市町村数"]
    for c, text in enumerate(header):
        table.cell(0, c).text = text
    for r, (number, name, marks, _) in enumerate(MINAMI_ROWS, start=1):
        cells = [number, name, *("○" if m else "" for m in marks), str(sum(marks))]
        for c, text in enumerate(cells):
            table.cell(r, c).text = text
    for c, text in enumerate(["計", "", *(str(totals[t]) for t in MINAMI), ""]):
        table.cell(len(MINAMI_ROWS) + 1, c).text = text
    buffer = io.BytesIO()
    document.save(buffer)
    report = report_of(buffer.getvalue(), "minami.docx")
    assert errors(report) == []
    assert report.reading.vision.present_totals() == totals
    assert said(report, "reposts-read") == [{"count": 1, "pairs": "1→1"}]
    assert said(report, "project-duplicate") == []


HACHINOHE = ("八戸市", "三戸町", "五戸町", "田子町")


def hachinohe_csv(rows: Rows) -> bytes:
    lines = ["番号,事業名," + ",".join(HACHINOHE) + ",連携市町村数,備考"]
    for number, name, marks, note in rows:
        lines.append(f"{number},{name}," + ",".join("○" if m else "" for m in marks) + f",{sum(marks)},{note}")
    return ("\n".join(lines) + "\n").encode("utf-8")


def test_a_note_column_naming_the_project_repeated() -> None:
    # The repost's name reworded: the note's number decides which project it repeats.
    rows: Rows = [
        ("1", "八戸圏域定住自立圏の医療連携", [1, 1, 1, 1], ""),
        ("2", "地域公共交通の維持・確保", [1, 1, 0, 1], ""),
        ("3", "公共交通の維持確保（バス路線）", [1, 1, 0, 1], "再掲（No.2）"),
    ]
    report = report_of(hachinohe_csv(rows), "hachinohe.csv")
    assert said(report, "reposts-read") == [{"count": 1, "pairs": "3→2"}]
    assert report.reading.vision.present_totals() == counted_once(rows, HACHINOHE, {2})


def test_a_repost_whose_marks_differ_and_one_that_repeats_nothing() -> None:
    rows: Rows = [
        ("1", "八戸圏域定住自立圏の医療連携", [1, 1, 1, 1], ""),
        ("2", "地域公共交通の維持・確保", [1, 1, 0, 1], ""),
        ("3", "（再掲）地域公共交通の維持・確保", [1, 1, 1, 1], ""),  # 五戸町 marked here only
        ("4", "（再掲）図書館の相互利用", [1, 0, 1, 0], ""),  # listed first in a part of the vision not here
    ]
    report = report_of(hachinohe_csv(rows), "hachinohe.csv")
    assert said(report, "repost-differs") == [{"number": 3, "original": 2, "municipalities": "五戸町"}]
    assert said(report, "repost-unmatched") == [{"number": 4, "name": "（再掲）図書館の相互利用"}]
    # The project's first listing's marks are counted; the unmatched row is a project of its own.
    assert report.reading.vision.present_totals() == counted_once(rows, HACHINOHE, {2})


@pytest.mark.parametrize("format_name", ["official", "csv", "xlsx", "json", "csv-long"])
def test_every_format_keeps_the_repost(format_name: str) -> None:
    totals = counted_once(CHUBU_ROWS, CHUBU, {3})
    vision = report_of(chubu_csv(totals), "chubu.csv").reading.vision
    renderer = get(format_name)
    back = report_of(renderer.render(vision), f"back.{renderer.extension}")
    assert errors(back) == []
    assert back.reading.vision.present_totals() == totals
    assert said(back, "reposts-read") == [{"count": 1, "pairs": "4→1"}]


@pytest.mark.parametrize(
    "written",
    ["{}（再掲）", "【再掲】{}", "{}【再】", "（再）{}", "{} (再掲)", "※再掲 {}", "{}［再掲：No.2］"],
)
def test_the_ways_a_name_is_marked_as_listed_again(written: str) -> None:
    rows: Rows = [
        ("1", "八戸圏域定住自立圏の医療連携", [1, 1, 1, 1], ""),
        ("2", "地域公共交通の維持・確保", [1, 1, 0, 1], ""),
        ("3", written.format("地域公共交通の維持・確保"), [1, 1, 0, 1], ""),
        ("4", "再生可能エネルギーの導入促進", [1, 0, 1, 0], ""),  # 再 in a word marks nothing
    ]
    report = report_of(hachinohe_csv(rows), "hachinohe.csv")
    assert said(report, "reposts-read") == [{"count": 1, "pairs": "3→2"}]
    assert report.reading.vision.present_totals() == counted_once(rows, HACHINOHE, {2})


def test_a_sphere_with_a_repost_keeps_it_and_publishes_edits(db_url: str) -> None:
    # 中空知's table whose repost repeats project 1's number: stored and read back with it, the town's counts once;
    # a draft edited and published (its numbers checked, the repost's sharing its project's) goes through.
    from renkei.core.permissions import RoleName
    from renkei.store import Actor, SphereSpec, Store

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    towns = ("滝川市", "砂川市", "芦別市")
    rows: Rows = [
        ("1", "中空知地域医療連携の推進", [1, 1, 1], ""),
        ("2", "障がい者の相談支援", [1, 0, 1], ""),
        ("1", "【再掲】中空知地域医療連携の推進", [1, 1, 1], ""),
        ("3", "介護人材の確保", [1, 1, 0], ""),
    ]
    sheet.append(["中空知定住自立圏 連携事業（中心市：滝川市）"])
    sheet.append(["番号", "事業名", *towns, "関係市町数"])
    for number, name, marks, _ in rows:
        sheet.append([int(number), name, *("○" if m else None for m in marks), sum(marks)])
    buffer = io.BytesIO()
    book.save(buffer)
    reading = read_bytes(buffer.getvalue(), "naka_sorachi.xlsx")
    with Store.open(db_url) as store:
        store.import_reading(reading, SphereSpec(key="naka-sorachi"), message="first")
        stored = store.vision("naka-sorachi", 1)
        assert [p.written_number for p in stored.projects] == [1, 2, 1, 3]
        assert stored.present_totals() == counted_once(rows, towns, {2})
        store.accounts.add("sec", "a long enough password")
        store.accounts.grant("sec", "naka-sorachi", RoleName.SECRETARIAT)
        actor = Actor(store.accounts.principal(store.accounts.get("sec").id), "test")
        drafts = store.drafts
        project = next(p for p in drafts.get("naka-sorachi").projects if p.project.number == 2)
        drafts.update_project(
            "naka-sorachi", project.serial, {"name": "障がい者の相談支援体制"}, project.version, actor
        )
        published = drafts.publish("naka-sorachi", "名称の修正", actor)
        assert published.number == 2
        assert store.vision("naka-sorachi", 2).present_totals() == counted_once(rows, towns, {2})


def test_a_repost_restating_its_budget_is_summed_once() -> None:
    # 新潟広域's project 1 listed again under another field with its 事業費 restated: the sphere's budget per
    # year is the project's once, and its KPI is graded once.
    from renkei.vision.budgetfigures import budget_grid, kpi_rows

    lines = [
        "番号,分野,事業名,新潟市,三条市,連携市町村数,事業費（千円）令和6年度,事業費（千円）令和7年度,成果指標,単位,目標値",
        "1,医療,救急医療体制の広域連携,○,○,2,1200,1300,搬送件数,件,500",
        "2,産業,産業振興の広域連携,○,,1,800,800,,,",
        "3,福祉,救急医療体制の広域連携（再掲）,○,○,2,1200,1300,搬送件数,件,500",
    ]
    vision = report_of(("\n".join(lines) + "\n").encode("utf-8"), "niigata.csv").reading.vision
    grid = budget_grid(vision)
    assert {year: sum(v for (_, y), v in grid.amounts.items() if y == year) for year in grid.years} == {
        2024: 2000.0,
        2025: 2100.0,
    }
    assert len(kpi_rows(vision)) == 1
