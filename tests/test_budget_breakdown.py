"""A budget's breakdown by town in the columns after it (令和6年度事業費（千円） | うち洲本市 | うち南あわじ市): each is
that town's share of the amount, of its year and unit, never a municipality's column of marks (before: three
extra municipalities and a dozen false errors). A dash under an amount is no amount, as a blank is."""

from __future__ import annotations

import io

import pytest
from openpyxl import Workbook

from renkei.ingest import read_bytes
from renkei.ingest.report import Report, check_reading
from renkei.vision.model import Budget

TOWNS = ("洲本市", "南あわじ市", "淡路市")
ROWS = [
    (1, "淡路島観光の一体的推進", "○○○", 7000, (3000, 2000, 2000)),
    (2, "地域医療体制の確保", "○○－", 3000, (1500, 1500, None)),
]


def workbook(prefix: str) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["番号", "事業名", *TOWNS, "連携市数", "令和6年度事業費（千円）", *(f"{prefix}{t}" for t in TOWNS)])
    for number, name, marks, whole, shares in ROWS:
        cells = [m if m == "○" else None for m in marks]
        sheet.append([number, name, *cells, marks.count("○"), whole, *(s if s is not None else "－" for s in shares)])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def read(data: bytes) -> Report:
    return check_reading(read_bytes(data, "t.xlsx"))


@pytest.mark.parametrize("prefix", ["うち", "うち ", "内"])
def test_a_towns_part_of_the_amount_beside_it_is_its_share(prefix: str) -> None:
    report = read(workbook(prefix))
    vision = report.reading.vision
    assert [m.name for m in vision.municipalities] == list(TOWNS)
    for project, (_, _, marks, whole, shares) in zip(vision.projects, ROWS, strict=True):
        want = [Budget(2024, whole, "千円", "")]
        want += [Budget(2024, s, "千円", t) for t, s in zip(TOWNS, shares, strict=True) if s is not None]
        assert project.budgets == want
        assert sorted(project.participants) == sorted(t for t, m in zip(TOWNS, marks, strict=True) if m == "○")
    assert not [f for f in report.findings if f.severity.value in ("error", "warning")]
