"""What a header says of its towns besides their names (a population, an area): on the row under the header
(人口18.8万, 188,465 under a label 人口（人）, 18.8万人 with the number and name cells empty), or after a space in
the name's own cell (鳥取市 人口18.8万). Before, the row under the header was read as a project of unknown marks
(or numbered 18 by the figure 18.8万人), and a name with a figure after a space was no municipality at all: no
column, every count disagreeing.

Tables of 鳥取・因幡 (CSV and a workbook), 日田玖珠 (a web page) and 南那須 of 栃木県; the towns each project has are
worked out here from the marks written."""

from __future__ import annotations

import io

import pytest
from openpyxl import Workbook

from renkei.ingest import read_bytes
from renkei.ingest.report import Report, check_reading

INABA = ("鳥取市", "岩美町", "若桜町", "智頭町", "八頭町")
PEOPLE = (188_465, 10_788, 2_913, 6_428, 15_903)
PROJECTS = [(1, "図書館の相互利用", "xxxxx"), (2, "救急医療体制の確保", "xx-x-"), (3, "広域観光の推進", "x-x-x")]


def read(data: bytes, name: str) -> Report:
    return check_reading(read_bytes(data, name))


def expected(towns: tuple[str, ...] = INABA) -> list[list[str]]:
    return [[t for t, m in zip(towns, marks, strict=True) if m == "x"] for *_, marks in PROJECTS]


def body(marks_of: str = "○") -> list[list[object]]:
    return [[n, name, *(marks_of if m == "x" else "" for m in marks), marks.count("x")] for n, name, marks in PROJECTS]


def check(report: Report, towns: tuple[str, ...] = INABA, notes: int = 1) -> None:
    vision = report.reading.vision
    assert [m.name for m in vision.municipalities] == list(towns)
    assert [list(p.participants) for p in vision.projects] == expected(towns)
    assert [f.code for f in report.findings if f.severity.value == "error"] == []
    assert len([f for f in report.findings if f.code == "header-notes"]) == notes


@pytest.mark.parametrize(
    "under",
    [
        ["", "", *(f"人口{p / 10000:.1f}万" for p in PEOPLE), ""],
        ["人口（人）", "", *(f"{p:,}" for p in PEOPLE), ""],
        ["", "", *(f"{p / 10000:.1f}万人" for p in PEOPLE), ""],
    ],
    ids=["words-and-figures", "label-and-numbers", "figures-under-empty-number-cells"],
)
def test_a_row_of_figures_under_the_header(under: list[str]) -> None:
    lines = [["番号", "事業名", *INABA, "連携市町数"], under, *body()]
    text = "\n".join(",".join(f'"{c}"' if "," in str(c) else str(c) for c in line) for line in lines) + "\n"
    check(read(text.encode("utf-8"), "inaba.csv"))


def test_a_workbooks_population_row_as_numbers() -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["鳥取・因幡定住自立圏 連携事業一覧"])
    sheet.append(["番号", "事業名", *INABA, "連携市町数"])
    sheet.append(["人口", None, *PEOPLE, None])
    for line in body():
        sheet.append(line)
    buffer = io.BytesIO()
    book.save(buffer)
    check(read(buffer.getvalue(), "inaba.xlsx"))


HITA = ("日田市", "九重町", "玖珠町")


def test_a_web_pages_names_with_a_figure_after_a_space() -> None:
    head = "".join(f"<th>{t} 人口{p / 10000:.1f}万</th>" for t, p in zip(HITA, (62_000, 8_500, 13_700), strict=True))
    rows = ""
    for n, name, marks in PROJECTS:
        cells = "".join(f"<td>{'○' if m == 'x' else ''}</td>" for m in marks[:3])
        rows += f"<tr><td>{n}</td><td>{name}</td>{cells}<td>{marks[:3].count('x')}</td></tr>"
    page = "<html><body><h1>日田玖珠地域定住自立圏</h1><table>"
    page += f"<tr><th>番号</th><th>事業名</th>{head}<th>関係市町数</th></tr>{rows}</table></body></html>"
    report = read(page.encode("utf-8"), "hita.html")
    vision = report.reading.vision
    assert [m.name for m in vision.municipalities] == list(HITA)
    assert vision.municipalities[0].display == "日田市 人口6.2万"  # the header's spelling kept
    assert [list(p.participants) for p in vision.projects] == [
        [t for t, m in zip(HITA, marks[:3], strict=True) if m == "x"] for *_, marks in PROJECTS
    ]
    assert [f.code for f in report.findings if f.severity.value == "error"] == []


def test_two_towns_in_one_header_cell_are_not_a_name_and_its_note() -> None:
    # A space between two names (no figure after it) parts nothing off as a note.
    text = "番号,事業名,那須烏山市 那珂川町,連携市町数\n1,観光振興,○,2\n"
    report = read(text.encode("utf-8"), "minaminasu.csv")
    assert [m.name for m in report.reading.vision.municipalities] != ["那須烏山市"]


def test_a_project_row_with_figures_under_the_towns_is_still_a_project() -> None:
    # A first project whose numbered row holds amounts under the towns (負担額) is no row of notes.
    text = '番号,事業名,鳥取市,岩美町,連携市町数\n1,図書館の相互利用,"1,200",300,2\n2,観光振興,○,○,2\n'
    report = read(text.encode("utf-8"), "inaba.csv")
    assert [p.number for p in report.reading.vision.projects] == [1, 2]
    assert not [f for f in report.findings if f.code == "header-notes"]
