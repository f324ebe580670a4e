"""A totals row under a label renkei has no word for (事業数, 参加事業数, 取組件数) is told by what it holds: after
the projects, a label, then a whole number for each municipality, none above the projects there are. It is then
checked like 連携事業数計, and said (``totals-by-content``); a row of amounts or a population row is not taken."""

from __future__ import annotations

import io

import pytest
from openpyxl import Workbook

from renkei.ingest import read_bytes
from renkei.ingest.report import Report, check_reading
from seedfacts import SeedFacts


def read(data: bytes, name: str = "table.csv") -> Report:
    return check_reading(read_bytes(data, name))


def relabelled(seed: bytes, facts: SeedFacts, label: str) -> bytes:
    lines = seed.decode("utf-8").split("\n")
    cells = lines[facts.totals_line - 1].split("\t")
    cells[0] = label
    lines[facts.totals_line - 1] = "\t".join(cells)
    return "\n".join(lines).encode("utf-8")


@pytest.mark.parametrize("label", ["事業数", "参加事業数", "取組件数", "件数", "参加数"])
def test_the_seeds_totals_under_another_label_are_read_and_checked_as_the_seeds(
    seed_bytes: bytes, facts: SeedFacts, label: str
) -> None:
    seed = read(seed_bytes, "seed.txt")
    other = read(relabelled(seed_bytes, facts, label), "seed.txt")
    assert other.reading.vision.declared_totals == seed.reading.vision.declared_totals
    assert other.reading.vision.declared_grand_total == seed.reading.vision.declared_grand_total
    assert sorted(f.code for f in other.findings) == sorted([f.code for f in seed.findings] + ["totals-by-content"])
    said = next(f for f in other.findings if f.code == "totals-by-content")
    assert said.location is not None and said.location.line == facts.totals_line


TOWNS = ("宍粟市", "上郡町", "佐用町", "たつの市")
PROJECTS = [
    ("1", "休日夜間急患センターの運営", "○", "", "○", "○"),
    ("2", "救急医療体制の確保", "○", "○", "○", ""),
    ("3", "病児保育の広域利用", "○", "○", "", "○"),
    ("4", "創業支援事業", "○", "", "", "○"),
]


def table(last: tuple[str, ...], first: tuple[str, ...] | None = None) -> bytes:
    rows = [("番号", "事業名", *TOWNS, "計")] + ([first] if first else []) + [(*p, "") for p in PROJECTS] + [last]
    return "\n".join(",".join(r) for r in rows).encode("utf-8")


def per_town() -> list[int]:
    return [sum(1 for p in PROJECTS if p[2 + i]) for i in range(len(TOWNS))]


def test_a_wrong_count_in_such_a_row_is_found_at_its_cell() -> None:
    counts = per_town()
    counts[1] += 1  # 上郡町: one more than its marks
    report = read(table(("事業数", "", *map(str, counts), str(sum(per_town())))))
    mismatch = [f for f in report.findings if f.code == "total-mismatch"]
    assert [(f.location.line, f.location.column) for f in mismatch if f.location] == [(len(PROJECTS) + 2, 4)]
    assert mismatch[0].params["municipality"] == "上郡町"


def test_the_same_row_in_a_workbook_is_read_so() -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["番号", "事業名", *TOWNS])
    for number, name, *marks in PROJECTS:
        sheet.append([int(number), name, *marks])
    sheet.append(["参加事業数", None, *per_town()])
    buffer = io.BytesIO()
    book.save(buffer)
    report = read(buffer.getvalue(), "table.xlsx")
    assert report.reading.vision.declared_totals == dict(zip(TOWNS, per_town(), strict=True))
    assert "totals-by-content" in [f.code for f in report.findings]
    assert not [f for f in report.findings if f.severity.value == "error"]


def test_a_row_of_amounts_under_the_towns_is_not_taken_for_totals() -> None:
    report = read(table(("負担額（千円）", "", "1200", "300", "450", "800", "")))
    assert report.reading.vision.totals_location is None
    assert "totals-by-content" not in [f.code for f in report.findings]


def test_a_population_row_above_the_projects_is_not_taken_for_totals() -> None:
    report = read(table(("合計", "", *map(str, per_town()), ""), first=("人口", "", "3", "2", "4", "3", "")))
    assert "totals-by-content" not in [f.code for f in report.findings]
    assert report.reading.vision.declared_totals == dict(zip(TOWNS, per_town(), strict=True))


def test_a_row_of_ones_in_a_table_marked_with_1_is_not_taken_for_totals() -> None:
    marked = [(n, name, *("1" if m else "" for m in marks)) for n, name, *marks in PROJECTS]
    rows = [("番号", "事業名", *TOWNS), *marked, ("備考", "", "1", "1", "1", "1")]
    report = read("\n".join(",".join(r) for r in rows).encode("utf-8"))
    assert "totals-by-content" not in [f.code for f in report.findings]
