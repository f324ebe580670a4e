"""What a page puts around a table that is not the table: a PDF copy's page numbers and running title (skipped,
said once: ``page-furniture-skipped``), a web page's headings and ``<title>`` (the sphere's name found above a
heading that only says what the table is), and marks drawn as pictures (their ``alt`` text)."""

from __future__ import annotations

import pytest

from renkei.ingest import read_bytes
from renkei.ingest.report import Report, check_reading


def read(data: bytes, name: str) -> Report:
    return check_reading(read_bytes(data, name))


@pytest.mark.parametrize("number", ["－ 23 －", "- 23 -", "P.23", "23ページ", "23 / 40"])
def test_page_numbers_and_the_running_title_between_pages_are_skipped(seed_bytes: bytes, number: str) -> None:
    seed = read(seed_bytes, "seed.txt")
    lines = seed_bytes.decode("utf-8").split("\n")
    title = "上川中部定住自立圏共生ビジョン"  # the running title a vision prints on each page
    projects = seed.reading.vision.projects
    # A page break after the second project: the page's number, then the next page's running title.
    second = next(i for i, line in enumerate(lines) if line.startswith(f"{projects[1].number} "))
    lines[second + 1 : second + 1] = [number, "", title]
    paged = read("\n".join(lines).encode("utf-8"), "seed.txt")
    assert [(p.number, p.name, p.participants) for p in paged.reading.vision.projects] == [
        (p.number, p.name, p.participants) for p in projects
    ]
    codes = [f.code for f in paged.findings]
    assert codes.count("page-furniture-skipped") == 1
    assert "line-unrecognised" not in codes
    # The seed names no sphere: the running title does, met on the second page.
    assert paged.reading.vision.sphere.name == (seed.reading.vision.sphere.name or "上川中部定住自立圏")


def test_a_running_title_met_first_after_the_header_names_the_sphere() -> None:
    rows = ["番号\t取組名\t音更町\t士幌町\t連携町村数", "1\t救急医療\t○\t○\t2"]
    rows += ["－ 23 －", "十勝定住自立圏共生ビジョン", "2\t図書館\t○\t\t1"]
    report = read("\n".join(rows).encode("utf-8"), "copy.txt")
    assert report.reading.vision.sphere.name == "十勝定住自立圏"
    assert [p.name for p in report.reading.vision.projects] == ["救急医療", "図書館"]
    assert "line-unrecognised" not in [f.code for f in report.findings]


TOWNS = ("東御市", "長和町", "青木村")


def page(head: str, marks: str) -> bytes:
    header = "".join(f"<th>{t}</th>" for t in ["番号", "取組名", *TOWNS, "連携市町村数"])
    rows = [("1", "救急医療体制の確保", "○○－"), ("2", "図書館の相互利用", "○－○")]
    body = "".join(
        "<tr>"
        + "".join(f"<td>{c}</td>" for c in (n, name))
        + "".join(f"<td>{marks if m == '○' else ''}</td>" for m in ms)
        + f"<td>{ms.count('○')}</td></tr>"
        for n, name, ms in rows
    )
    return f"<html><head>{head}<table><tr>{header}</tr>{body}</table></body></html>".encode()


def test_marks_drawn_as_pictures_are_read_by_their_alt_text() -> None:
    report = read(page("</head><body>", '<img src="maru.png" alt="○" width="16">'), "page.html")
    assert [sorted(p.participants) for p in report.reading.vision.projects] == [
        sorted(["東御市", "長和町"]),
        sorted(["東御市", "青木村"]),
    ]
    assert not [f for f in report.findings if f.severity.value == "error"]


@pytest.mark.parametrize(
    "head",
    [
        "</head><body><h1>上田地域定住自立圏共生ビジョン</h1><h2>具体的な取組</h2>",
        "<title>上田地域定住自立圏共生ビジョン｜上田市</title></head><body><h2>具体的な取組</h2>",
        "</head><body><h1>上田地域定住自立圏共生ビジョン</h1><p>本文</p>",
    ],
    ids=["h1-over-h2", "page-title", "h1"],
)
def test_the_sphere_is_named_by_the_heading_or_title_the_table_stands_under(head: str) -> None:
    report = read(page(head, "○"), "page.html")
    assert report.reading.vision.sphere.name == "上田地域定住自立圏"


def test_a_caption_that_only_says_what_the_table_is_does_not_hide_the_pages_heading() -> None:
    data = page("</head><body><h1>上田地域定住自立圏共生ビジョン</h1>", "○")
    data = data.replace(b"<table>", "<table><caption>表1 具体的な取組</caption>".encode())
    assert read(data, "page.html").reading.vision.sphere.name == "上田地域定住自立圏"
