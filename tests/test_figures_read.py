"""Budget and KPI columns as the layout reader reads them (ingest/figures.py): years in every style a document
writes, a second indicator on a row of its own, and the marks beside them read as without them."""

from __future__ import annotations

import pytest

from renkei.ingest import read_bytes
from renkei.ingest.figures import classify, fiscal_year, plan_period


@pytest.mark.parametrize(
    ("label", "year"),
    [
        ("R6", 2024),
        ("Ｒ６", 2024),
        ("令和6年度", 2024),
        ("令和６年度", 2024),
        ("令和元年度", 2019),
        ("H30", 2018),
        ("平成30年度", 2018),
        ("平成元年度", 1989),
        ("2024年度", 2024),
        ("FY2024", 2024),
        ("事業費（千円）R7", 2025),
        ("目標値（R10）", 2028),
    ],
)
def test_a_fiscal_year_in_every_style(label: str, year: int) -> None:
    assert fiscal_year(label) == year


def test_a_bare_year_takes_the_era_it_is_given() -> None:
    assert fiscal_year("6年度", "令和") == 2024
    assert fiscal_year("30年度", "平成") == 2018


def test_the_plan_period() -> None:
    assert plan_period("計画期間：令和6年度～令和10年度") == (2024, 2028)
    assert plan_period("（計画期間 平成30年度〜令和4年度）") == (2018, 2022)
    assert plan_period("令和6年度の事業") is None


def _read(*rows: str) -> list[tuple[int, list[str], list[str], list[tuple[int | None, float]]]]:
    reading = read_bytes("\n".join(rows).encode("utf-8"), "t.txt")
    return [
        (p.number, list(p.participants), [k.name for k in p.kpis], [(b.fiscal_year, b.amount) for b in p.budgets])
        for p in reading.vision.projects
    ]


def test_a_second_indicator_on_a_row_of_its_own() -> None:
    read = _read(
        "番号\t事業名\t旭川市\t鷹栖町\t事業費（千円）R6\t成果指標\t単位\t目標値（R10）",
        "1\t医療連携\t○\t○\t100\t受診者数\t人\t50",
        "\t\t\t\t\t紹介件数\t件\t20",
        "2\t観光\t○\t\t200\t観光客数\t万人\t10",
    )
    assert read == [
        (1, ["旭川市", "鷹栖町"], ["受診者数", "紹介件数"], [(2024, 100)]),
        (2, ["旭川市"], ["観光客数"], [(2024, 200)]),
    ]


def test_the_marks_read_as_without_the_figure_columns() -> None:
    marks = ["1\t医療連携\t○\t○", "2\t観光\t○\t", "3\t交通\t\t○"]
    plain = _read("番号\t事業名\t旭川市\t鷹栖町", *marks)
    figures = ["\t100\t120\t220\t受診者数\t50", "\t200\t\t200\t観光客数\t10", "\t\t30\t30\t\t"]
    header = "番号\t事業名\t旭川市\t鷹栖町\t事業費（千円）R6\t事業費（千円）R7\t事業費（千円）合計\tKPI\t目標値（R8）"
    read = _read(header, *(m + f for m, f in zip(marks, figures, strict=True)))
    assert [(n, who) for n, who, _, _ in read] == [(n, who) for n, who, _, _ in plain]
    assert read[2][3] == [(2025, 30), (None, 30)] and read[2][2] == []


def test_a_lone_indicator_word_over_prose_stays_the_documents_column() -> None:
    reading = read_bytes("番号\t事業名\t旭川市\t現状と課題\n1\t医療\t○\t医師が不足している\n".encode(), "t.txt")
    project = reading.vision.projects[0]
    assert project.kpis == [] and project.attributes == {"現状と課題": "医師が不足している"}


def test_a_header_told_again_names_the_town_the_sphere_at_hand_resolves() -> None:
    """A header's words are told once per process (a national import meets the same headers in every file), but
    a town's share column names the town of the sphere being read: the words that resolve to a town in one
    table and to none in the next are a share in the first only, whatever was told before."""
    header = "東吾妻負担（千円）令和6年度"
    first = classify(header, None, None, lambda text: "東吾妻町" if text == "東吾妻" else None, None)
    assert first is not None and (first.town, first.year, first.unit) == ("東吾妻町", 2024, "千円")
    assert classify(header, None, None, lambda text: None, None) is None
    again = classify(header, None, None, lambda text: "東吾妻町" if text == "東吾妻" else None, None)
    assert again == first
    other = classify(header, None, None, lambda text: "吾妻町" if text == "東吾妻" else None, None)
    assert other is not None and other.town == "吾妻町"


def test_a_share_of_a_town_whose_name_several_prefectures_have_is_that_of_the_headers_prefecture() -> None:
    """高森町 is a town of 長野県 and of 熊本県: its share column is the town the header's own towns place, as the
    town's column itself is (before, the column was left as the document's own and the shares were lost)."""
    read = _read(
        "番号\t事業名\t飯田市\t高森町\t事業費（千円）R6\t高森町負担（千円）R6",
        "1\t地域公共交通の確保\t○\t○\t3000\t600",
    )
    assert read == [(1, ["飯田市", "高森町"], [], [(2024, 3000), (2024, 600)])]
