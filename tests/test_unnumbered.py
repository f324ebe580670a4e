"""Tables that list their projects by name alone (no number column, no number before a name), as a city's web
page or a workbook made for a meeting often does: each project is numbered by its place and that is said once
(``numbered-by-place``, a warning: the numbers are renkei's, the names and marks the document's). Among
numbered rows, a row without a number stays a row the reading cannot place (``row-unnumbered``)."""

from __future__ import annotations

import datetime
import io

import pytest
from openpyxl import Workbook

from renkei.ingest import read_bytes
from renkei.ingest.report import Report, check_reading
from renkei.render import Renderer, renderers
from renkei.store import SphereSpec, Store
from renkei.vision.diff import ChangeKind
from renkei.vision.model import Severity, Vision

READABLE = [r for r in renderers() if r.readable]
TOWNS = ("黒石市", "平川市", "藤崎町", "板柳町")
PROJECTS = [
    ("観光プロモーション事業", ("○", "○", "", "○")),
    ("地域医療連携事業", ("○", "", "○", "○")),
    ("広域ごみ処理の検討", ("", "○", "○", "")),
    ("NO2削減の共同啓発", ("○", "○", "○", "○")),
]
HEADER = ("取組名", "取組の内容", *TOWNS, "参加市町村数")


def rows(projects: list[tuple[str, tuple[str, ...]]] = PROJECTS) -> list[tuple[str, ...]]:
    return [HEADER] + [(name, f"{name}を行う。", *marks, str(sum(1 for m in marks if m))) for name, marks in projects]


def tsv(table: list[tuple[str, ...]]) -> bytes:
    return "\n".join("\t".join(r) for r in table).encode("utf-8")


def csv_sjis(table: list[tuple[str, ...]]) -> bytes:
    return "\r\n".join(",".join(r) for r in table).encode("cp932")


def xlsx(table: list[tuple[str, ...]]) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["弘前圏域定住自立圏 連携する取組"])
    for r in table:
        sheet.append([int(c) if c.isdigit() else (c or None) for c in r])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def html(table: list[tuple[str, ...]]) -> bytes:
    body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in r) + "</tr>" for r in table[1:])
    head = "".join(f"<th>{c}</th>" for c in table[0])
    return f'<html lang="ja"><body><table><tr>{head}</tr>{body}</table></body></html>'.encode()


FORMATS = {"txt": tsv, "csv": csv_sjis, "xlsx": xlsx, "html": html}


def read(data: bytes, name: str) -> Report:
    return check_reading(read_bytes(data, name))


@pytest.mark.parametrize("extension", list(FORMATS))
def test_a_table_of_names_alone_numbers_its_projects_by_their_place(extension: str) -> None:
    report = read(FORMATS[extension](rows()), f"names.{extension}")
    projects = report.reading.vision.projects
    assert [(p.number, p.number_label, p.name) for p in projects] == [
        (i + 1, "", name) for i, (name, _) in enumerate(PROJECTS)
    ]
    for project, (_, marks) in zip(projects, PROJECTS, strict=True):
        assert list(project.participants) == [town for town, mark in zip(TOWNS, marks, strict=True) if mark]
        assert project.declared_count == len(project.participants)
    said = [f for f in report.findings if f.code == "numbered-by-place"]
    assert len(said) == 1 and said[0].severity is Severity.WARNING
    assert said[0].params == {"count": len(PROJECTS), "last": PROJECTS[-1][0]}
    assert [f.code for f in report.findings if f.severity is Severity.ERROR] == []


def test_the_warning_points_at_the_first_project_row() -> None:
    report = read(tsv(rows()), "names.txt")
    (said,) = [f for f in report.findings if f.code == "numbered-by-place"]
    assert said.location is not None and (said.location.line, said.location.column) == (2, 1)


def test_among_numbered_rows_a_row_without_a_number_is_left_out_and_said() -> None:
    table = [("番号", *HEADER), *((str(i + 1), *r) for i, r in enumerate(rows()[1:]))]
    table[2] = ("", *table[2][1:])  # the second project written without its number
    report = read(tsv(table), "mixed.txt")
    got = [(p.number, p.name) for p in report.reading.vision.projects]
    assert got == [(1, PROJECTS[0][0]), (3, PROJECTS[2][0]), (4, PROJECTS[3][0])]
    unnumbered = [f for f in report.findings if f.code == "row-unnumbered"]
    assert [(f.params["text"], f.location and f.location.line) for f in unnumbered] == [(PROJECTS[1][0], 3)]
    assert not any(f.code == "numbered-by-place" for f in report.findings)


def test_rows_without_numbers_or_marks_are_no_projects() -> None:
    """A list of names with text beside them and no mark anywhere is not a table of projects to number."""
    table = [HEADER, *((name, "説明", "", "", "", "", "") for name, _ in PROJECTS)]
    report = read(tsv(table), "plain.txt")
    assert report.reading.vision.projects == []
    assert not any(f.code == "numbered-by-place" for f in report.findings)
    assert len([f for f in report.findings if f.code == "row-unnumbered"]) == len(PROJECTS)


@pytest.fixture(scope="module")
def unnumbered() -> Vision:
    return read_bytes(tsv(rows()), "names.txt").vision


@pytest.mark.parametrize("renderer", READABLE, ids=[r.name for r in READABLE])
def test_what_renkei_writes_of_it_reads_back_the_same(renderer: Renderer, unnumbered: Vision) -> None:
    back = read_bytes(renderer.render(unnumbered), f"names.{renderer.extension}").vision
    assert back.content() == unnumbered.content()


def test_a_project_added_in_the_middle_of_the_next_revision_is_one_addition(db_url: str) -> None:
    """Numbered by place, the projects after an insertion move down one: the next revision pairs them by name,
    so the amendments list one project added, the two below it renumbered, and nothing renamed or removed."""
    added = ("婚活支援事業", ("○", "", "", "○"))
    later = [*PROJECTS[:2], added, *PROJECTS[2:]]
    with Store.open(db_url) as store:
        spec = SphereSpec(key="hirosaki-names", name="弘前圏域定住自立圏")
        store.import_vision(read_bytes(tsv(rows()), "2024.txt").vision, spec, effective_on=datetime.date(2024, 4, 1))
        store.import_vision(
            read_bytes(tsv(rows(later)), "2025.txt").vision, spec, effective_on=datetime.date(2025, 4, 1)
        )
        changes = store.diff("hirosaki-names", 1, 2).changes
    assert [(c.kind, c.project) for c in changes if c.kind is ChangeKind.PROJECT_ADDED] == [
        (ChangeKind.PROJECT_ADDED, added[0])
    ]
    assert sorted(c.project or "" for c in changes if c.kind is ChangeKind.RENUMBERED) == sorted(
        name for name, _ in PROJECTS[2:]
    )
    assert {c.kind for c in changes} <= {ChangeKind.PROJECT_ADDED, ChangeKind.RENUMBERED}


def test_a_table_of_names_alone_with_its_participants_in_one_cell() -> None:
    """連携市町村 「黒石市、平川市」 beside each name: the participants are read after the rows, and still count."""
    text = "事業名\t連携市町村\n観光プロモーション事業\t黒石市、平川市\n地域医療連携事業\t黒石市、藤崎町\n"
    report = read(text.encode("utf-8"), "named.txt")
    got = [(p.number, p.name, list(p.participants)) for p in report.reading.vision.projects]
    assert got == [(1, "観光プロモーション事業", ["黒石市", "平川市"]), (2, "地域医療連携事業", ["黒石市", "藤崎町"])]
    assert [f.code for f in report.findings if f.code in ("numbered-by-place", "row-unnumbered")] == [
        "numbered-by-place"
    ]
