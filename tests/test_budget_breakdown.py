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


@pytest.mark.parametrize("total", ["合計", "合計（千円）", "総額"])
def test_a_year_with_a_money_unit_is_an_amount_and_a_bare_total_after_them_their_total(total: str) -> None:
    """R6（千円） | R7（千円） | 合計: no 事業費 word, yet each is an amount (before: not read, and nothing said)."""
    rows = [f"番号,事業名,長崎市,長与町,時津町,R6（千円）,R7（千円）,{total}"]
    rows += ['1,救急医療,○,○,○,"1,000","1,200","2,200"', "2,図書館,○,,○,500,500,900"]
    report = check_reading(read_bytes("\n".join(rows).encode("utf-8"), "t.csv"))
    budgets = [[(b.fiscal_year, b.amount, b.unit) for b in p.budgets] for p in report.reading.vision.projects]
    assert budgets == [
        [(2024, 1000, "千円"), (2025, 1200, "千円"), (None, 2200, "千円")],
        [(2024, 500, "千円"), (2025, 500, "千円"), (None, 900, "千円")],
    ]
    # Project 2's 合計 is 900 where its years make 1,000: the total check sees it, as under 事業費's words.
    mismatch = [f for f in report.findings if f.code == "budget-total-mismatch"]
    assert len(mismatch) == 1 and mismatch[0].location is not None and mismatch[0].location.line == 3
