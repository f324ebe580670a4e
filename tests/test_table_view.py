"""One view of a vision's table (renkei.table): the CLI's matrix, the sphere page and the PDF show the same project
rows and the same figures, computed and declared, as the view says; and the one formatter of number ranges."""

from __future__ import annotations

import dataclasses
import importlib.util
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from clirun import run
from conftest import require
from renkei import render as renderers
from renkei.ingest import Reading, read_bytes, read_sample
from renkei.messages import t
from renkei.model import Vision
from renkei.render import pdf
from renkei.sample import sample_bytes, sample_sphere
from renkei.store import SphereSpec, Store
from renkei.table import Figure, HeadingRow, TableView, format_numbers, format_ranges, table_view
from renkei.web.app import create_app
from renkei.web.views import municipality_key

# A project row as a reader sees it: number, name without white space, marks, (computed, declared where shown).
Shown = tuple[int, str, tuple[str, ...], tuple[int, int | None]]
Totals = list[tuple[int, int | None]]


def flat(text: str) -> str:
    return re.sub(r"\s+", "", text)


def expected(view: TableView) -> tuple[list[Shown], Totals]:
    """What every reader must find, from the view: declared figures only where they differ from the marks."""
    rows = [
        (r.number, flat(r.name), r.marks, (r.count.computed, r.count.declared_if_differs)) for r in view.project_rows
    ]
    totals = [(f.computed, f.declared_if_differs) for f in (*view.totals, view.grand_total)]
    return rows, totals


def figure_of(texts: list[str]) -> tuple[int, int | None]:
    """A cell's figures in reading order: the computed one, then the declared one where one is shown."""
    numbers = [int(n) for text in texts for n in re.findall(r"\d+", text)]
    assert 1 <= len(numbers) <= 2, texts
    return numbers[0], numbers[1] if len(numbers) == 2 else None


# The CLI: `renkei show`, a Rich table -------------------------------------------------------------------------


def cli_table(stdout: str, width: int) -> tuple[list[Shown], Totals]:
    """Project rows and totals of `renkei show`'s matrix. A row is its numbered line and the lines under it until
    the next one (a wrapped name, the declared figure in red, or the headings that open the next block)."""
    groups: list[list[list[str]]] = []
    totals_label = t("cli.totals", "ja")
    for line in stdout.splitlines():
        if line.startswith("└"):
            break  # the matrix ends; the findings' table follows
        if not line.startswith("│"):
            continue
        cells = [c.strip() for c in line.split("│")[1:-1]]
        if cells[0].isdigit() or cells[1] == totals_label:
            groups.append([cells])
        elif groups:
            groups[-1].append(cells)
    rows: list[Shown] = []
    totals: Totals = []
    for group in groups:
        first = group[0]
        if first[1] == totals_label:
            totals = [figure_of([line[2 + i] for line in group]) for i in range(width + 1)]
            continue
        name = "".join(line[1] for line in group)
        rows.append((int(first[0]), flat(name), tuple(first[2 : 2 + width]), figure_of([line[-1] for line in group])))
    return rows, totals


def assert_cli_shows(want: tuple[list[Shown], Totals], *args: str | Path, width: int) -> None:
    """`renkei show ARGS` shows these rows and totals. A wrapped name goes on in the lines under its row, and so
    may the headings of the next block (nothing in plain text tells them apart): the name begins those lines."""
    result = run("show", *args, COLUMNS="200")
    assert "Traceback" not in result.stderr, result.stderr
    rows, totals = cli_table(result.stdout, width)
    assert totals == want[1]
    assert [(n, m, f) for n, _, m, f in rows] == [(n, m, f) for n, _, m, f in want[0]]
    for (number, text, _, _), (_, name, _, _) in zip(rows, want[0], strict=True):
        assert text.startswith(name), number


# The web: the sphere page's matrix ---------------------------------------------------------------------------


class _Matrix(HTMLParser):
    """The cells of the page's table.matrix, row by row: each cell's own text, and the text of its
    ``span.declared`` apart; the screen readers' words (span.sr) are left out."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[list[dict[str, str]]] = []
        self.inside = False
        self.spans: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        classes = dict(attrs).get("class") or ""
        if tag == "table" and "matrix" in classes.split():
            self.inside = True
        elif not self.inside:
            return
        elif tag == "tr":
            self.rows.append([])
        elif tag in ("td", "th") and self.rows:
            self.rows[-1].append({"class": classes, "text": "", "declared": ""})
        elif tag == "span":
            self.spans.append(classes)

    def handle_endtag(self, tag: str) -> None:
        if tag == "table":
            self.inside = False
        elif tag == "span" and self.inside and self.spans:
            self.spans.pop()

    def handle_data(self, data: str) -> None:
        if not self.inside or not self.rows or not self.rows[-1]:
            return
        cell = self.rows[-1][-1]
        if "sr" in self.spans:
            return
        cell["declared" if "declared" in self.spans else "text"] += data


def web_table(html: str, width: int) -> tuple[list[Shown], Totals]:
    parser = _Matrix()
    parser.feed(html)
    rows: list[Shown] = []
    totals: Totals = []
    for cells in parser.rows:
        if cells and cells[0]["class"] == "no" and cells[0]["text"].strip().isdigit():
            marks = tuple(c["text"].strip() for c in cells[2 : 2 + width])
            count = cells[2 + width]
            figure = figure_of([count["text"], count["declared"]])
            rows.append((int(cells[0]["text"]), flat(cells[1]["text"]), marks, figure))
        elif cells and all("total" in c["class"].split() for c in cells[2:]) and len(cells) == width + 3:
            totals = [figure_of([c["text"], c["declared"]]) for c in cells[2:]]
    return rows, totals


@dataclass
class Web:
    """The app in process over a SQLite registry; a table is imported under its key the first time it is shown."""

    client: TestClient
    store: Store
    imported: set[str] = field(default_factory=set)

    def page(self, reading: Reading, key: str, query: str = "", *, force: bool = False) -> str:
        if key not in self.imported:
            self.store.import_reading(reading, SphereSpec(key=key), force=force)
            self.imported.add(key)
        response = self.client.get(f"/spheres/{key}{query}")
        assert response.status_code == 200
        text: str = response.text
        return text


@pytest.fixture(scope="module")
def web(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Web]:
    store = Store.open(f"sqlite:///{tmp_path_factory.mktemp('table-view') / 'registry.db'}")
    try:
        with TestClient(create_app(store)) as client:
            yield Web(client, store)
    finally:
        store.close()


# The PDF: WeasyPrint's table read back with pdfplumber -------------------------------------------------------


def pdf_table(data: bytes, vision: Vision) -> tuple[list[Shown], Totals]:
    require(importlib.util.find_spec("pdfplumber") is not None, "pdfplumber is not installed")
    import pdfplumber

    width = len(vision.municipalities)
    first_mark = 3 + len(vision.attribute_names())
    rows: list[Shown] = []
    totals: Totals = []
    with pdfplumber.open(io.BytesIO(data)) as document:
        for page in document.pages:
            for table in page.extract_tables():
                for row in table:
                    cells = [c or "" for c in row]
                    if cells[0].isdigit():
                        marks = tuple(c.strip() for c in cells[first_mark : first_mark + width])
                        figure = figure_of(cells[-1].splitlines())
                        rows.append((int(cells[0]), flat(cells[1]), marks, figure))
                    elif flat(cells[0]) == flat(vision.labels.totals):
                        totals = [figure_of(c.splitlines()) for c in cells[-(width + 1) :]]
    return rows, totals


def shown_by_pdf(vision: Vision) -> tuple[list[Shown], Totals]:
    problem = pdf.unavailable()
    require(problem is None, f"PDF cannot be written here: {problem}")
    return pdf_table(renderers.render(vision, "pdf"), vision)


# The sample, as it is ----------------------------------------------------------------------------------------


def test_the_sample_shows_the_same_rows_and_figures_in_the_cli_the_page_and_the_pdf(
    web: Web,
) -> None:
    reading = read_sample()
    view = table_view(reading.vision)
    rows, totals = expected(view)
    width = len(view.columns)
    assert rows and len(rows) == len(reading.vision.projects)
    # The sample is a fragment: its declared 連携事業数計 count rows it lacks, so both figures must show.
    assert any(declared is not None for _, declared in totals)
    assert_cli_shows((rows, totals), "--sample", width=width)
    assert web_table(web.page(reading, "sample"), width) == (rows, totals)
    assert shown_by_pdf(reading.vision) == (rows, totals)


def test_a_declared_count_other_than_the_marks_shows_both_in_all_three(tmp_path: Path, web: Web) -> None:
    # The sample with the first project's 連携町数 written one higher than its ○ say.
    first = read_sample().vision.projects[0]
    declared = first.count + 1
    lines = sample_bytes().decode("utf-8").splitlines(keepends=True)
    at = next(i for i, line in enumerate(lines) if line.startswith(f"{first.number} {first.name}\t"))
    cells = lines[at].rstrip("\n").split("\t")
    assert cells[-1] == str(first.count)
    lines[at] = "\t".join([*cells[:-1], str(declared)]) + "\n"
    path = tmp_path / "declared.txt"
    path.write_bytes("".join(lines).encode("utf-8"))
    reading = read_bytes(path.read_bytes(), path.name, sphere=sample_sphere())

    view = table_view(reading.vision)
    row = view.project_rows[0]
    assert row.count == Figure(first.count, declared) and row.count.difference == 1
    rows, totals = expected(view)
    assert rows[0][3] == (first.count, declared)
    width = len(view.columns)
    assert_cli_shows((rows, totals), path, width=width)
    # A count that disagrees with its marks is an error finding: kept with the revision, imported anyway.
    assert web_table(web.page(reading, "declared", force=True), width) == (rows, totals)
    assert shown_by_pdf(reading.vision) == (rows, totals)


def test_a_filtered_page_shows_the_filtered_view(web: Web) -> None:
    reading = read_sample()
    vision = reading.vision
    member = min(vision.municipalities, key=lambda m: len(vision.projects_of(m.name)))
    view = table_view(vision, municipality=municipality_key(member))
    assert view.filtered and 0 < view.shown < len(vision.projects)
    # A part of the table has no declared totals: the document totalled the whole.
    assert all(f.declared is None for f in (*view.totals, view.grand_total))
    assert view.grand_total.computed == sum(p.count for p in vision.projects_of(member.name))
    html = web.page(reading, "sample", f"?municipality={municipality_key(member)}")
    assert web_table(html, len(view.columns)) == expected(view)


# The view itself ---------------------------------------------------------------------------------------------


def test_the_view_keeps_computed_and_declared_figures_apart() -> None:
    vision = read_sample().vision
    view = table_view(vision)
    present = vision.present_totals()
    assert [f.computed for f in view.totals] == [present[m.name] for m in vision.municipalities]
    assert [f.declared for f in view.totals] == [vision.declared_totals.get(m.name) for m in vision.municipalities]
    assert view.grand_total == Figure(vision.present_links(), vision.declared_grand_total)
    assert [r.project for r in view.project_rows] == vision.projects
    assert [r.count.declared for r in view.project_rows] == [p.declared_count for p in vision.projects]
    # Every pillar and field opens its rows once, in document order.
    headings = [str(r.heading) for r in view.rows if isinstance(r, HeadingRow)]
    opened = []
    for previous, p in zip([None, *vision.projects], vision.projects, strict=False):
        if previous is None or p.pillar != previous.pillar:
            opened += [str(p.pillar)] if p.pillar else []
        if p.field and (previous is None or (p.pillar, p.field) != (previous.pillar, previous.field)):
            opened.append(str(p.field))
    assert headings == opened


def test_a_figure_the_document_did_not_declare_is_not_declared() -> None:
    vision = read_sample().vision
    undeclared = dataclasses.replace(vision, declared_totals={}, declared_grand_total=None)
    view = table_view(undeclared)
    assert all(f.declared is None and f.difference is None and not f.differs for f in view.totals)
    assert not view.grand_total.differs
    assert Figure(3, 3).declared_if_differs is None and Figure(3, 4).declared_if_differs == 4


def test_central_city_columns_are_told() -> None:
    vision = read_sample().vision
    first = dataclasses.replace(vision.municipalities[0], central=True)
    view = table_view(dataclasses.replace(vision, municipalities=[first, *vision.municipalities[1:]]))
    assert view.central == (first,)
    assert table_view(vision).central == tuple(m for m in vision.municipalities if m.central)


# Ranges of numbers -------------------------------------------------------------------------------------------


def test_ranges_are_sorted_merged_and_in_one_style() -> None:
    assert format_ranges([(5, 5), (1, 3)]) == "1–3, 5"  # unsorted
    assert format_ranges([(1, 4), (3, 6), (6, 6)]) == "1–6"  # overlapping
    assert format_ranges([(1, 2), (3, 3)]) == "1–3"  # touching
    assert format_ranges([(7, 7), (9, 9)]) == "7, 9"  # singletons
    assert format_ranges([(8, 7)]) == "7–8"  # written backwards
    assert format_ranges([]) == ""
    assert format_numbers([8, 1, 2, 3, 5, 7, 2]) == "1–3, 5, 7–8"


def test_the_missing_numbers_read_alike_in_the_findings_the_pdf_and_the_charts() -> None:
    vision = read_sample().vision
    missing = vision.missing_ranges()
    assert missing
    text = format_ranges(missing)
    assert text == format_numbers(vision.missing_numbers(vision.missing_count()))
    assert text in pdf.vision_html(vision)
    from renkei.charts import build
    from renkei.report import check_reading

    said = [f.params.get("missing") for f in check_reading(read_sample()).findings]
    assert text in said
    assert text in str(build(vision, "projects"))
