"""The date a table says it stands at (renkei.ingest.asof): every way Japanese tables write it, and nothing else."""

from __future__ import annotations

import datetime

import pytest

from renkei.ingest.asof import as_of, head_text

D = datetime.date


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("上川中部定住自立圏 連携事業一覧（令和6年4月1日現在）", D(2024, 4, 1)),
        ("（2024年4月1日現在）", D(2024, 4, 1)),
        ("R6.4.1時点", D(2024, 4, 1)),
        ("ｒ６．４．１時点", D(2024, 4, 1)),  # full-width, lower case
        ("H31/4/1 現在", D(2019, 4, 1)),
        ("令和元年5月1日時点", D(2019, 5, 1)),
        ("令和六年四月一日現在", D(2024, 4, 1)),
        ("平成三十年十月一日現在", D(2018, 10, 1)),
        ("昭和64年1月7日現在", D(1989, 1, 7)),
        ("令和 7 年 4 月 1 日 適用", D(2025, 4, 1)),
    ],
)
def test_the_date_a_table_stands_at(text: str, expected: datetime.date) -> None:
    assert as_of(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "計画期間：令和6年4月1日～令和11年3月31日",  # a period, not the date the table stands at
        "R6.4.1",  # no 現在 or 時点
        "6年4月1日現在",  # a year without its era
        "令和6年2月30日現在",  # no such day
        "",
    ],
)
def test_no_date_where_the_table_says_none(text: str) -> None:
    assert as_of(text) is None


def test_the_first_of_several_dates_is_taken() -> None:
    assert as_of("令和6年4月1日現在\n（参考）令和5年4月1日現在の表") == D(2024, 4, 1)


def test_head_text_of_a_cp932_file_and_of_a_broken_workbook() -> None:
    assert as_of(head_text("令和6年4月1日現在\n".encode("cp932"), "t.txt")) == D(2024, 4, 1)
    assert head_text(b"PK\x03\x04 not a workbook", "t.xlsx") == ""
