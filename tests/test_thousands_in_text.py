"""Text copied out of a PDF (``pdftotext -layout``) whose amounts group their thousands with commas (5,400): the
commas part no cells, so the text is read as aligned text, not as a comma-separated file that has no header
(before: exit 2, "no header row"). A CSV keeps its commas: its quoted amounts stay one cell."""

from __future__ import annotations

from renkei.ingest import read_bytes
from renkei.ingest.report import check_reading

LAYOUT = """山形連携中枢都市圏ビジョン 連携事業の事業費
（単位：千円）
番号     事業名               山形市   尾花沢市   大石田町      R6予算額    R7予算額
     1 高度医療機能の確保       ○       ○         ○           5,400       5,600
     2 山形広域観光の推進       ○       ○         ○          17,200      17,200
     3 スノーリゾート連携               ○         ○           2,000       2,100
     4 移住定住相談窓口         ○       ○                       900         900
"""


def test_a_layout_copy_with_thousands_separators_is_read_as_aligned_text() -> None:
    reading = read_bytes(LAYOUT.encode("utf-8"), "copy.txt")
    assert reading.source.format == "aligned"
    report = check_reading(reading)
    projects = report.reading.vision.projects
    assert [(p.number, sorted(p.participants)) for p in projects] == [
        (1, sorted(["山形市", "尾花沢市", "大石田町"])),
        (2, sorted(["山形市", "尾花沢市", "大石田町"])),
        (3, sorted(["尾花沢市", "大石田町"])),
        (4, sorted(["山形市", "尾花沢市"])),
    ]
    assert [[(b.fiscal_year, b.amount) for b in p.budgets] for p in projects] == [
        [(2024, 5400), (2025, 5600)],
        [(2024, 17200), (2025, 17200)],
        [(2024, 2000), (2025, 2100)],
        [(2024, 900), (2025, 900)],
    ]


def test_a_csv_with_quoted_amounts_stays_comma_separated() -> None:
    rows = ["番号,事業名,山形市,尾花沢市,大石田町,事業費（千円）R6", '1,医療,○,○,○,"5,400"', '2,観光,○,,○,"17,200"']
    reading = read_bytes("\n".join(rows).encode("utf-8"), "t.csv")
    assert reading.source.format == "csv"
    assert [[b.amount for b in p.budgets] for p in reading.vision.projects] == [[5400], [17200]]


def test_two_amounts_a_copy_ran_together_are_never_read_as_one() -> None:
    from renkei.ingest.figures import read_number

    assert read_number("9,000 26,500").value is None and read_number("9,000 26,500").unreadable
    assert read_number("9,000").value == 9000 and read_number("1 2").unreadable
    assert read_number("１２,０００ 千円").value == 12000  # a number and its unit stay one figure
