"""A web page's cells read as a screen reader says them: a ○ the page hides from assistive technology
(``aria-hidden="true"``) beside the words it says instead (参加, 不参加: a visually hidden span) is those words; a
cell whose only text is hidden keeps it (an icon's ○ alone is the mark). Before, ○ and 参加 ran together into a
mark no list knows (○参加), and 不参加 into a blank's."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from renkei.ingest import read_bytes
from renkei.ingest.report import check_reading

STYLE = "<style>.visually-hidden{position:absolute;clip:rect(0 0 0 0);width:1px;height:1px;overflow:hidden}</style>"
KAHOKU = ("石巻市", "東松島市", "女川町")  # 石巻圏
PROJECTS = [("1", "救急医療体制の確保", "xxx"), ("2", "広域観光の推進", "x-x"), ("3", "子育て支援の連携", "xx-")]


def for_the_ear(taking_part: bool) -> str:
    if taking_part:
        return '<span aria-hidden="true">○</span><span class="visually-hidden">参加</span>'
    return '<span aria-hidden="true">－</span><span class="visually-hidden">不参加</span>'


def icon_only(taking_part: bool) -> str:
    return '<span aria-hidden="true">●</span>' if taking_part else ""


def hidden_attribute(taking_part: bool) -> str:
    return "○<span hidden>（参加）</span>" if taking_part else "<span hidden>不参加</span>"


def page(cell: Callable[[bool], str]) -> bytes:
    head = "".join(f"<th>{c}</th>" for c in ("番号", "事業名", *KAHOKU, "連携市町数"))
    body = ""
    for number, name, marks in PROJECTS:
        cells = [number, name, *(cell(m == "x") for m in marks), str(marks.count("x"))]
        body += "<tr>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>"
    html = (
        f"<html><head>{STYLE}</head><body><h1>石巻圏定住自立圏</h1><table><tr>{head}</tr>{body}</table></body></html>"
    )
    return html.encode("utf-8")


@pytest.mark.parametrize("cell", [for_the_ear, icon_only, hidden_attribute])
def test_a_cell_reads_as_a_screen_reader_says_it(cell: Callable[[bool], str]) -> None:
    report = check_reading(read_bytes(page(cell), "ishinomaki.html"))
    expected = [[t for t, m in zip(KAHOKU, marks, strict=True) if m == "x"] for *_, marks in PROJECTS]
    assert [list(p.participants) for p in report.reading.vision.projects] == expected
    codes = [f.code for f in report.findings]
    assert [f.code for f in report.findings if f.severity.value == "error"] == []
    assert "unknown-mark" not in codes and "mark-by-counts" not in codes
