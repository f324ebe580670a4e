"""Project numbers written as paths (柱-分野-事業: 1-1, ①-2, 1-(1)-ア), as many visions number their projects: the
number is kept as written (``Project.number_label``), each project is numbered by its place in the table (said
once, ``number-label``), and the label survives every format renkei writes and reads and the store."""

from __future__ import annotations

import datetime
from pathlib import Path

import lxml.html
import pytest
from fastapi.testclient import TestClient

from renkei.ingest import read_bytes
from renkei.ingest.annex import merge, read_annex
from renkei.ingest.report import check_reading
from renkei.publish.documents import amendments_document, number_text
from renkei.render import Renderer, renderers
from renkei.store import SphereSpec, Store
from renkei.vision.diff import diff
from renkei.vision.model import Severity, Vision
from renkei.web.amendmentview import view
from renkei.web.app import create_app

READABLE = [r for r in renderers() if r.readable]
TOWNS = ("大仙市", "仙北市", "美郷町")
LABELS = ("①-1", "①-2", "②-1", "②-(1)-ア", "１－１", "3.2")


def table(numbers: tuple[str, ...] = LABELS) -> bytes:
    rows = [("事業番号", "事業名", "事業内容", *TOWNS, "連携市町村数")]
    marks = [("○", "○", ""), ("○", "", "○"), ("○", "○", "○"), ("", "○", "○"), ("○", "", ""), ("○", "○", "")]
    for i, (number, mark) in enumerate(zip(numbers, marks, strict=False)):
        rows.append((number, f"連携事業{i + 1}", f"事業{i + 1}を行う。", *mark, str(sum(1 for m in mark if m))))
    return "\n".join("\t".join(r) for r in rows).encode("utf-8")


def test_a_number_column_of_paths_keeps_them_and_numbers_the_projects_by_their_place() -> None:
    report = check_reading(read_bytes(table(), "paths.txt"))
    projects = report.reading.vision.projects
    assert [(p.number, p.number_label, p.name, p.pillar) for p in projects] == [
        (i + 1, label, f"連携事業{i + 1}", None) for i, label in enumerate(LABELS)
    ]
    said = [f for f in report.findings if f.code == "number-label"]
    assert len(said) == 1 and said[0].severity is Severity.INFO and said[0].params == {"label": "①-1"}
    assert said[0].location is not None and said[0].location.line == 2
    assert [f.code for f in report.findings if f.severity is Severity.ERROR] == []


def test_a_path_that_starts_the_name_is_the_number_not_the_name() -> None:
    text = "事業名\t事業内容\t大仙市\t仙北市\t連携数\n1-1 病院事業\t医療\t○\t○\t2\n1-2　救急事業\t救急\t○\t\t1\n"
    report = check_reading(read_bytes(text.encode("utf-8"), "paths.txt"))
    got = [(p.number, p.number_label, p.name, p.declared_count) for p in report.reading.vision.projects]
    assert got == [(1, "1-1", "病院事業", 2), (2, "1-2", "救急事業", 1)]
    assert [f.code for f in report.findings if f.severity is Severity.ERROR] == []


@pytest.mark.parametrize("name", ["2.5倍速プロジェクト", "1. 観光推進事業", "2020-2024年度観光事業"])
def test_what_only_looks_like_a_path_stays_as_the_document_numbers_it(name: str) -> None:
    text = f"番号\t事業名\t大仙市\t仙北市\t連携数\n7\t{name}\t○\t○\t2\n"
    projects = check_reading(read_bytes(text.encode("utf-8"), "plain.txt")).reading.vision.projects
    assert [(p.number, p.number_label, p.name) for p in projects] == [(7, "", name)]


@pytest.mark.parametrize(
    "numbers",
    [
        ("事業1", "事業2"),
        ("取組 1", "取組 2"),
        ("第1号", "第2号"),
        ("施策１", "施策２"),
        ("①", "②"),
        ("一", "二"),
        ("ア", "イ"),
        ("Ⅰ", "Ⅱ"),
        ("(a)", "(b)"),
    ],
)
def test_a_number_not_whole_in_a_number_column_is_kept_as_written(numbers: tuple[str, str]) -> None:
    """事業1, 第2号, ①, 一, ア, Ⅱ under 番号: each project numbered by its place, the number kept as written."""
    text = f"番号\t事業名\t大仙市\t仙北市\t連携数\n{numbers[0]}\t観光\t○\t○\t2\n{numbers[1]}\t医療\t○\t\t1\n"
    report = check_reading(read_bytes(text.encode("utf-8"), "worded.txt"))
    got = [(p.number, p.number_label, p.name) for p in report.reading.vision.projects]
    assert got == [(1, numbers[0], "観光"), (2, numbers[1], "医療")]
    assert [f.code for f in report.findings if f.code in ("number-label", "numbered-by-place", "row-unnumbered")] == [
        "number-label"
    ]


@pytest.fixture(scope="module")
def labelled() -> Vision:
    return read_bytes(table(), "paths.txt").vision


@pytest.mark.parametrize("renderer", READABLE, ids=[r.name for r in READABLE])
def test_the_labels_read_back_from_every_readable_format(renderer: Renderer, labelled: Vision) -> None:
    back = read_bytes(renderer.render(labelled), f"paths.{renderer.extension}").vision
    assert [(p.number, p.number_label) for p in back.projects] == [
        (p.number, p.number_label) for p in labelled.projects
    ]
    assert back.content() == labelled.content()


def test_the_store_keeps_the_labels_and_the_pages_show_them(db_url: str, labelled: Vision) -> None:
    with Store.open(db_url) as store:
        store.import_vision(
            labelled, SphereSpec(key="daisen-paths", name="大曲仙北定住自立圏"), effective_on=datetime.date(2024, 4, 1)
        )
        back = store.vision("daisen-paths")
        assert [(p.number, p.number_label) for p in back.projects] == [(i + 1, label) for i, label in enumerate(LABELS)]
        with TestClient(create_app(store)) as client:
            page = lxml.html.fromstring(client.get("/spheres/daisen-paths").text)
            assert [td.text_content() for td in page.xpath('//table[@class="matrix"]//td[@class="no"]')] == list(LABELS)
            project = lxml.html.fromstring(client.get("/spheres/daisen-paths/projects/4").text)
            assert project.xpath('//h1/span[@class="no"]')[0].text_content() == "②-(1)-ア"
            hits = lxml.html.fromstring(client.get("/search", params={"q": "連携事業"}).text)
            assert sorted(span.text_content() for span in hits.xpath('//ol//span[@class="no"]')) == sorted(LABELS)
            found = client.get("/api/search", params={"q": "連携事業"}).json()["hits"]
            assert sorted((h["number"], h["number_label"]) for h in found) == [
                (i + 1, label) for i, label in enumerate(LABELS)
            ]
            listed = client.get("/api/spheres/daisen-paths/projects").json()
            items = listed["items"] if isinstance(listed, dict) else listed
            assert [(p["number"], p["number_label"]) for p in items] == [
                (i + 1, label) for i, label in enumerate(LABELS)
            ]


def test_a_budget_annex_is_matched_by_the_paths_each_file_writes(tmp_path: Path) -> None:
    """The table and its annex (別冊) number their projects as paths, in orders of their own: each annex row goes
    to the project its path names, not to the project at its place."""
    annex = tmp_path / "annex.csv"
    annex.write_text(
        "事業番号,事業名,R6（千円）,R7（千円）\n②-1,連携事業3,300,310\n①-1,連携事業1,100,110\n", encoding="utf-8"
    )
    report = check_reading(merge(read_bytes(table(), "paths.txt"), read_annex(annex)))
    budgets = {p.number_label: [(b.fiscal_year, b.amount) for b in p.budgets] for p in report.reading.vision.projects}
    assert budgets["①-1"] == [(2024, 100), (2025, 110)]
    assert budgets["②-1"] == [(2024, 300), (2025, 310)]
    assert budgets["①-2"] == []
    assert not [f for f in report.findings if f.code.startswith("annex-")]


def test_a_path_written_twice_is_a_duplicate_number() -> None:
    report = check_reading(read_bytes(table(("1-1", "1-2", "1-1")), "paths.txt"))
    duplicates = [
        (f.params, f.location.line if f.location else None) for f in report.findings if f.code == "number-duplicate"
    ]
    assert duplicates == [({"number": "1-1"}, 2), ({"number": "1-1"}, 4)]


def test_the_amendment_list_names_projects_by_their_paths() -> None:
    """A project added between ①-1 and ①-2 moves the others down by place: the list by project, the towns'
    annexes and the page name the new project by the path its document writes (①-2), not by its place."""
    before = read_bytes(table(("①-1", "①-2", "②-1")), "2024.txt").vision
    text = table(("①-1", "①-2", "①-3", "②-1")).decode("utf-8").splitlines()
    names = ["連携事業1", "新しい事業", "連携事業2", "連携事業3"]  # the new project second, the others after it
    rows = [text[0]] + [
        "\t".join([cells[0], name, f"{name}を行う。", *cells[3:]])
        for cells, name in zip((line.split("\t") for line in text[1:]), names, strict=True)
    ]
    after = read_bytes("\n".join(rows).encode("utf-8"), "2025.txt").vision
    amendments = diff(before, after)
    entries = {e.project: number_text(e, amendments, "ja") for e in amendments.entries()[1]}
    assert entries["新しい事業"] == "①-2"
    listed = amendments_document(amendments, "変更内容一覧", lang="ja").sheets[1].rows
    numbers = {row[1]: row[0] for row in listed if row[1] in ("新しい事業",)}
    assert numbers == {"新しい事業": "①-2"}
    towns = {
        name: [n for n, c in changes if c.project == "新しい事業"] for name, changes in view(amendments, "ja")["towns"]
    }
    assert {n for found in towns.values() for n in found} == {"①-2"}
