"""A table that runs a row per municipality, its projects across (a 市町村別 list), is turned into a row per
project and read as the same table drawn the usual way, said once (``table-transposed``). Before, it was taken for
the long form and its projects were the towns' totals."""

from __future__ import annotations

import csv
import io

import pytest
from openpyxl import Workbook

from renkei.ingest import TableReadError, read_bytes
from renkei.ingest.report import Report, check_reading
from renkei.vision.model import Project


def read(data: bytes, name: str) -> Report:
    return check_reading(read_bytes(data, name))


def turned_csv(projects: list[Project], towns: list[str], declared: dict[str, int] | None) -> bytes:
    """The projects written a row per municipality: their numbers and names across, each town's marks, the
    towns' totals at the end and the projects' counts under them."""
    rows = [["番号", *[str(p.number) for p in projects], ""]]
    rows.append(["市町村名＼事業名", *[p.name for p in projects], "参加事業数"])
    for town in towns:
        total = (declared or {}).get(town, sum(1 for p in projects if town in p.participants))
        rows.append([town, *["○" if town in p.participants else "" for p in projects], str(total)])
    rows.append(["連携町数", *[str(p.declared_count or len(p.participants)) for p in projects], ""])
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    return buffer.getvalue().encode("utf-8")


def test_the_seeds_projects_written_a_row_per_town_read_as_the_seeds(seed_bytes: bytes) -> None:
    seed = read(seed_bytes, "seed.txt").reading.vision
    towns = [m.name for m in seed.municipalities]
    report = read(turned_csv(seed.projects, towns, None), "turned.csv")
    got = report.reading.vision
    assert [(p.number, p.name, sorted(p.participants), p.declared_count) for p in got.projects] == [
        (p.number, p.name, sorted(p.participants), p.declared_count) for p in seed.projects
    ]
    assert [m.name for m in got.municipalities] == towns
    codes = [f.code for f in report.findings]
    assert codes.count("table-transposed") == 1 and "long-columns-inferred" not in codes
    assert got.declared_totals == {t: sum(1 for p in seed.projects if t in p.participants) for t in towns}
    assert not [f for f in report.findings if f.severity.value == "error"]


def test_a_wrong_town_total_in_the_turned_table_is_found_at_its_cell(seed_bytes: bytes) -> None:
    seed = read(seed_bytes, "seed.txt").reading.vision
    towns = [m.name for m in seed.municipalities]
    # One fewer than its marks: wrong even in a fragment (whose totals may count rows it lacks).
    wrong = {towns[1]: sum(1 for p in seed.projects if towns[1] in p.participants) - 1}
    report = read(turned_csv(seed.projects, towns, wrong), "turned.csv")
    # The seed is a fragment (its numbers have gaps): a total below the town's marks is its error there.
    mismatch = [f for f in report.findings if f.code in ("total-mismatch", "fragment-negative")]
    assert len(mismatch) == 1 and mismatch[0].params["municipality"] == towns[1]
    assert mismatch[0].severity.value == "error"
    # The town's own row (the third line: two header rows above the towns), its last cell.
    assert mismatch[0].location is not None and mismatch[0].location.line == 4
    assert mismatch[0].location.column == len(seed.projects) + 2


def test_a_workbook_with_pillars_merged_across_their_projects() -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["市町村別の参加状況"])
    sheet.append([None, "経済成長のけん引", None, "生活関連機能サービスの向上", None, None])
    sheet.merge_cells("B2:C2")
    sheet.merge_cells("D2:E2")
    sheet.append(["番号", 1, 2, 3, 4, None])
    sheet.append(["市町名", "創業支援事業", "広域観光の推進", "病児保育", "合同職員研修", "参加事業数"])
    marks = {"岩美町": "○○-○", "若桜町": "○-○○", "智頭町": "-○○-"}
    for town, row in marks.items():
        sheet.append([town, *("○" if m == "○" else None for m in row), row.count("○")])
    buffer = io.BytesIO()
    book.save(buffer)
    report = read(buffer.getvalue(), "turned.xlsx")
    projects = report.reading.vision.projects
    assert [(p.number, p.name) for p in projects] == [
        (1, "創業支援事業"),
        (2, "広域観光の推進"),
        (3, "病児保育"),
        (4, "合同職員研修"),
    ]
    assert [sorted(p.participants) for p in projects] == [
        sorted(t for t, row in marks.items() if row[i] == "○") for i in range(4)
    ]
    assert report.reading.vision.declared_totals == {t: row.count("○") for t, row in marks.items()}


def test_a_list_of_towns_with_figures_is_not_turned() -> None:
    # Figures, not marks, beside each town: no project table at all (not one read the other way).
    rows = ["市町村名,人口,面積", "岩美町,10000,122", "若桜町,3000,199", "智頭町,6000,224"]
    with pytest.raises(TableReadError) as refused:
        read("\n".join(rows).encode("utf-8"), "members.csv")
    assert refused.value.code == "no-table"


def test_towns_after_their_prefectures_cell_under_pillars_merged_across() -> None:
    """A turned table of a sphere across prefectures: each town after its prefecture's cell (merged down over
    its towns, as a workbook fills it), the projects under a band of unnumbered pillars merged across them,
    their numbers and names; a sphere of other towns and wording than the testers' 八溝山 (県 | 市町名)."""
    pillars = [("生活機能の強化", 3), ("結びつきやネットワークの強化", 2)]
    names = ["救急医療の連携", "子育て支援の相互利用", "図書館の相互利用", "路線バスの維持", "観光の広域連携"]
    towns = [("宮城県", "白石市"), ("宮城県", "蔵王町"), ("宮城県", "七ヶ宿町"), ("山形県", "上山市")]
    taking = {
        "白石市": [1, 1, 1, 1, 1],
        "蔵王町": [1, 0, 1, 1, 0],
        "七ヶ宿町": [1, 1, 0, 0, 1],
        "上山市": [0, 0, 1, 0, 1],
    }
    sheet = Workbook()
    ws = sheet.active
    assert ws is not None
    band = ["県", "市町村名"] + [title if i == 0 else "" for title, n in pillars for i in range(n)] + ["計"]
    ws.append(band)
    ws.append(["", "", *[str(n) for n in range(1, 6)], ""])
    ws.append(["", "", *names, ""])
    for prefecture, town in towns:
        ws.append([prefecture, town, *["○" if t else "" for t in taking[town]], sum(taking[town])])
    ws.append(["連携市町数", "", *[sum(taking[t][i] for _, t in towns) for i in range(5)], ""])
    ws.merge_cells("A4:A6")  # 宮城県 over its three towns
    column = 3
    for _, n in pillars:  # each pillar merged across its projects
        ws.merge_cells(start_row=1, start_column=column, end_row=1, end_column=column + n - 1)
        column += n
    buffer = io.BytesIO()
    sheet.save(buffer)
    report = read(buffer.getvalue(), "turned.xlsx")
    got = report.reading.vision
    assert [m.name for m in got.municipalities] == [town for _, town in towns]
    assert [p.name for p in got.projects] == names
    assert [sorted(p.participants) for p in got.projects] == [
        sorted(town for _, town in towns if taking[town][i]) for i in range(5)
    ]
    assert [p.pillar.title if p.pillar else None for p in got.projects] == ["生活機能の強化"] * 3 + [
        "結びつきやネットワークの強化"
    ] * 2
    codes = [f.code for f in report.findings]
    assert "table-transposed" in codes and "line-unrecognised" not in codes
    assert not [f for f in report.findings if f.severity.value == "error"]
