"""One view of a vision's table (renkei.vision.table): the CLI's matrix, the sphere page and the PDF show the same
project rows and the same figures, computed and declared, as the view says; and the one formatter of number ranges."""

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
from renkei.core.messages import t
from renkei.core.sample import sample_bytes, sample_sphere
from renkei.ingest import Reading, read_bytes, read_sample
from renkei.render import pdf
from renkei.render.layout import LEGEND as LEGEND_TEXT
from renkei.store import SphereSpec, Store
from renkei.vision.model import Vision
from renkei.vision.table import Figure, HeadingRow, TableView, format_numbers, format_ranges, table_view
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
            # A table whose title names no sphere is imported under its key as its name.
            spec = SphereSpec(key=key, name=reading.vision.sphere.name or key)
            self.store.import_reading(reading, spec, force=force)
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
    from renkei.ingest.report import check_reading
    from renkei.publish.charts import build

    said = [f.params.get("missing") for f in check_reading(read_sample()).findings]
    assert text in said
    assert text in str(build(vision, "projects"))


# Every renderer, read back as a user reads it -----------------------------------------------------------------
#
# What each output shows of the one view: the rows (number, name, marks per municipality), the heading rows, the
# computed figures (printed, a live formula's value, or counted from the marks where the output prints only the
# document's) and the declared ones where it prints them. Each is read from the output alone, by its header.

CORPUS = Path(__file__).resolve().parent / "corpus"
# The seed (a fragment: its declared totals count rows it lacks), a 複眼型 sphere whose two central cities have
# columns, a workbook with extra columns (旧番号, 備考), and a table whose declared 連携町数 disagree with the marks.
TABLES = (
    "sample",
    "headers/fukugan_nakasorachi.xlsx",
    "workbooks/hidden_text_numbers_iburi.xlsx",
    "checks/broken_count_hachinohe.txt",
)
Line = tuple[int, str, tuple[str, ...]]


@dataclass
class Seen:
    """What one output shows: rows, headings, computed figures, and declared ones where it prints them."""

    rows: list[Line]
    headings: list[str] | None = None
    counts: list[int] | None = None
    totals: list[int] | None = None
    declared: list[int | None] | None = None
    declared_totals: list[int | None] | None = None


def wanted(view: TableView) -> Seen:
    figures = (*view.totals, view.grand_total)
    return Seen(
        rows=[(r.number, flat(r.name), r.marks) for r in view.project_rows],
        headings=[r.text for r in view.rows if isinstance(r, HeadingRow)],
        counts=[r.count.computed for r in view.project_rows],
        totals=[f.computed for f in figures],
        declared=[r.count.declared for r in view.project_rows],
        declared_totals=[f.declared for f in figures] if view.declares_totals else None,
    )


def assert_shows(seen: Seen, want: Seen, output: str) -> None:
    assert seen.rows == want.rows, output
    for name in ("headings", "counts", "totals", "declared", "declared_totals"):
        got = getattr(seen, name)
        if got is not None:
            assert got == getattr(want, name), f"{output}: {name}"


def counted(rows: list[Line]) -> tuple[list[int], list[int]]:
    """The computed figures of rows that print only marks: marks per row, per column, and all of them."""
    counts = [sum(1 for m in marks if m) for _, _, marks in rows]
    width = len(rows[0][2]) if rows else 0
    columns = [sum(1 for _, _, marks in rows if marks[i]) for i in range(width)]
    return counts, [*columns, sum(counts)]


def number_or_none(text: str) -> int | None:
    text = text.strip()
    return int(text) if text.isdigit() else None


def _table_rows(table: list[list[str]], vision: Vision, first_cell: str) -> Seen:
    """The official layout's and Markdown's rows: heading rows of one cell, a header opening each block (blank
    number cell, then the document's own headings), project rows, and the 連携事業数計 row of declared figures."""
    labels = vision.labels
    seen = Seen(rows=[], headings=[], declared=[])
    assert seen.headings is not None and seen.declared is not None
    header: list[str] = []
    for cells in table:
        if len(cells) > 1 and cells[0] == first_cell and cells[1] == labels.name:
            header = cells
        elif cells and cells[0].isdigit() and header:
            marks = tuple(cells[header.index(m.display)] for m in vision.municipalities)
            seen.rows.append((int(cells[0]), flat(cells[header.index(labels.name)]), marks))
            count = cells[header.index(labels.count)]
            seen.declared.append(None if count == "－" else int(count))
        elif cells and cells[0].strip("*") == labels.totals and header:
            seen.declared_totals = [number_or_none(cells[header.index(m.display)]) for m in vision.municipalities]
            seen.declared_totals.append(number_or_none(cells[header.index(labels.count)]))
        elif [c for c in cells if c] == cells[:1] and cells and cells[0]:
            seen.headings.append(cells[0])
    seen.counts, seen.totals = counted(seen.rows)
    return seen


def read_official(data: bytes, vision: Vision) -> Seen:
    import csv

    table = list(csv.reader(io.StringIO(data.decode("utf-8")), delimiter="\t"))
    # Headings stand alone on their lines after the metadata row (the title and legend come before it).
    start = next(i for i, cells in enumerate(table) if cells and cells[0].startswith("renkei."))
    body = [cells for cells in table[start + 1 :] if cells and cells != [LEGEND_TEXT]]
    return _table_rows(body, vision, "")


def read_markdown(data: bytes, vision: Vision) -> Seen:
    from renkei.ingest.text import unescape_markdown

    table: list[list[str]] = []
    for line in data.decode("utf-8").splitlines():
        if line.startswith("#") and not line.startswith("# "):
            table.append([line.lstrip("#").strip()])
        elif line.startswith("|") and not line.startswith("|-") and not line.startswith("|:"):
            cells = re.split(r"(?<!\\)\|", line.strip())[1:-1]
            table.append([unescape_markdown(c.strip()) for c in cells])
    return _table_rows(table, vision, "")


def read_csv(data: bytes, vision: Vision) -> Seen:
    """The tidy CSV: a header in row 1 (each municipality with its code), a row per project with its pillar and
    field in columns, the declared 連携町数 (blank for none), and the record of declared totals."""
    import csv

    from renkei.ingest.tidy import TOTALS_RECORD

    table = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    header, labels = table[0], vision.labels
    at = [
        next(i for i, h in enumerate(header) if h.startswith(f"{m.display} (") or h == m.display)
        for m in vision.municipalities
    ]
    seen = Seen(rows=[], headings=[], declared=[])
    assert seen.headings is not None and seen.declared is not None
    for cells in table[1:]:
        if cells[header.index(labels.name)] == TOTALS_RECORD:
            seen.declared_totals = [number_or_none(cells[i]) for i in at]
            seen.declared_totals.append(number_or_none(cells[header.index(labels.count)]))
            continue
        for level in ("柱", "分野"):
            text = cells[header.index(level)]
            if text and (not seen.headings or text != seen.headings[-1]):
                seen.headings.append(text)
        seen.rows.append((int(cells[0]), flat(cells[header.index(labels.name)]), tuple(cells[i] for i in at)))
        seen.declared.append(number_or_none(cells[header.index(labels.count)]))
    seen.counts, seen.totals = counted(seen.rows)
    seen.headings = None  # a column per level repeats the headings on every row: compared through the rows
    return seen


def read_csv_long(data: bytes, vision: Vision) -> Seen:
    """One row per participation: the marks rebuilt from the (code or name, role) pairs of each project."""
    import csv

    table = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    rows: dict[int, tuple[str, dict[str, str]]] = {}
    for cells in table[1:]:
        if not cells[0].isdigit():
            continue
        number, name, _, _, code, town, role = cells
        rows.setdefault(int(number), (name, {}))[1].update({code or town: role} if town else {})
    marks = {"連携": "○", "主体": "◎"}
    keys = [m.code or m.display for m in vision.municipalities]
    lines = [(n, flat(name), tuple(marks.get(roles.get(k, ""), "") for k in keys)) for n, (name, roles) in rows.items()]
    counts, totals = counted(lines)
    return Seen(rows=lines, counts=counts, totals=totals)


def _evaluate(sheet: object, formula: object) -> int:
    """A live count as a spreadsheet computes it: COUNTIF over marks summed, or SUM of cells of the row."""
    from openpyxl.utils.cell import range_boundaries

    assert isinstance(formula, str) and formula.startswith("="), formula
    total = 0
    for cells, mark in re.findall(r'COUNTIF\(([A-Z]+\d+:[A-Z]+\d+),"(.)"\)', formula):
        left, top, right, bottom = range_boundaries(cells)
        values = sheet.iter_rows(min_row=top, max_row=bottom, min_col=left, max_col=right, values_only=True)  # type: ignore[attr-defined]
        total += sum(1 for row in values for v in row if v == mark)
    for cells in re.findall(r"SUM\(([A-Z]+\d+:[A-Z]+\d+)\)", formula):
        left, top, right, bottom = range_boundaries(cells)
        for row in sheet.iter_rows(min_row=top, max_row=bottom, min_col=left, max_col=right):  # type: ignore[attr-defined]
            total += sum(_evaluate(sheet, c.value) for c in row)
    return total


def read_xlsx(data: bytes, vision: Vision) -> Seen:
    """The workbook: heading rows in column A, project rows with their marks, the 連携町数 column and the totals
    row as live formulas (evaluated here as a spreadsheet does), the declared figures that differ in the
    metadata row above the title."""
    from openpyxl import load_workbook

    from renkei.ingest.meta import COUNTS

    sheet = load_workbook(io.BytesIO(data)).active
    assert sheet is not None
    table = [list(row) for row in sheet.iter_rows()]
    labels = vision.labels
    head_at = next(i for i, row in enumerate(table) if row[0].value == "番号")
    header = [str(c.value or "") for c in table[head_at]]
    at = [header.index(m.display) for m in vision.municipalities]
    count_at = next(i for i, h in enumerate(header) if h.startswith(labels.count))
    seen = Seen(rows=[], headings=[], counts=[])
    assert seen.headings is not None and seen.counts is not None
    for row in table[head_at + 1 :]:
        first = row[0].value
        if isinstance(first, int):
            marks = tuple(str(row[i].value or "") for i in at)
            seen.rows.append((first, flat(str(row[header.index(labels.name)].value)), marks))
            seen.counts.append(_evaluate(sheet, row[count_at].value))
        elif first == labels.totals:
            seen.totals = [_evaluate(sheet, row[i].value) for i in (*at, count_at)]
        elif first:
            seen.headings.append(str(first))
    # The declared 連携町数 where they differ from the marks: 「記載の連携町数：4:7,…」 (number:figure).
    meta = {
        str(c.value).split("：", 1)[0]: str(c.value).split("：", 1)[1]
        for c in table[0]
        if c.value and "：" in str(c.value)
    }
    differing = dict(pair.split(":") for pair in meta[COUNTS].split(",")) if COUNTS in meta else {}
    computed = dict(zip((n for n, _, _ in seen.rows), seen.counts, strict=True))
    seen.declared = [number_or_none(differing[str(n)]) if str(n) in differing else computed[n] for n, _, _ in seen.rows]
    return seen


def read_json(data: bytes, vision: Vision) -> Seen:
    """The JSON: each project's roles, its computed and declared count, the totals both ways."""
    import json

    document = json.loads(data)
    names = [m["name"] for m in document["municipalities"]]
    marks = {"member": "○", "lead": "◎"}
    projects = document["projects"]
    rows = [
        (p["number"], flat(p["name"]), tuple(marks.get(p["roles"].get(n, ""), "") for n in names)) for p in projects
    ]
    totals = document["totals"]
    present = [totals["present"][n] for n in names] + [totals["present_grand_total"]]
    figures = [totals["declared"].get(n) for n in names] + [totals["declared_grand_total"]]
    declares = bool(totals["declared"]) or totals["declared_grand_total"] is not None
    return Seen(
        rows=rows,
        counts=[p["count"] for p in projects],
        totals=present,
        declared=[p["declared_count"] for p in projects],
        declared_totals=figures if declares else None,
    )


def read_pdf(data: bytes, vision: Vision) -> Seen:
    """The PDF's text (pdfplumber): computed figures, a declared one in red under it where it differs."""
    rows, totals = pdf_table(data, vision)
    return Seen(
        rows=[(n, name, marks) for n, name, marks, _ in rows],
        counts=[computed for _, _, _, (computed, _) in rows],
        totals=[computed for computed, _ in totals],
    )


def read_page(html: str, vision: Vision) -> Seen:
    """A page's table.matrix (the sphere page's, the draft editor's): heading rows of one cell, project rows with
    the marks each cell shows (a button's face in the editor) and the computed 連携町数 (a declared one that
    differs beside it, apart), and the totals row where the page has one."""
    parser = _Matrix()
    parser.feed(html)
    width = len(vision.municipalities)
    seen = Seen(rows=[], headings=[], counts=[])
    assert seen.headings is not None and seen.counts is not None
    for cells in parser.rows:
        if len(cells) == 1:
            seen.headings.append(cells[0]["text"].strip())
        elif cells and cells[0]["class"] == "no" and cells[0]["text"].strip().isdigit():
            marks = tuple(c["text"].strip() for c in cells[2 : 2 + width])
            seen.rows.append((int(cells[0]["text"]), flat(cells[1]["text"]), marks))
            seen.counts.append(figure_of([cells[2 + width]["text"]])[0])
        elif cells and all("total" in c["class"].split() for c in cells[2:]) and len(cells) == width + 3:
            seen.totals = [figure_of([c["text"]])[0] for c in cells[2:]]
    return seen


READERS = {
    "official": read_official,
    "markdown": read_markdown,
    "csv": read_csv,
    "csv-long": read_csv_long,
    "xlsx": read_xlsx,
    "json": read_json,
    "pdf": read_pdf,
}


def reading_of(table: str) -> Reading:
    return read_sample() if table == "sample" else read_bytes((CORPUS / table).read_bytes(), Path(table).name)


@pytest.fixture(scope="module")
def editor(web: Web) -> TestClient:
    """An administrator signed in through the login form, who may open every draft and mark every cell."""
    from editing_support import PASSWORD, signed_in

    web.store.accounts.add("view-admin", PASSWORD, is_admin=True)
    return signed_in(web.client.app, "view-admin")  # type: ignore[arg-type]


@pytest.mark.parametrize("table", TABLES)
def test_every_output_shows_the_views_rows_and_figures(table: str, web: Web, editor: TestClient) -> None:
    reading = reading_of(table)
    vision = reading.vision
    view = table_view(vision)
    want = wanted(view)
    assert want.rows and len(want.rows) == len(vision.projects)
    for name, read in READERS.items():
        if name == "pdf":
            require(pdf.unavailable() is None, f"PDF cannot be written here: {pdf.unavailable()}")
        assert_shows(read(renderers.render(vision, name), vision), want, name)
    # The sphere page's matrix, and the draft editor: the same rows, headings and computed figures.
    key = "view-" + re.sub(r"[^a-z0-9]+", "-", Path(table).stem.lower()).strip("-")
    assert_shows(read_page(web.page(reading, key, force=True), vision), want, "the sphere page")
    response = editor.get(f"/spheres/{key}/draft")
    assert response.status_code == 200, response.text
    page = read_page(response.text, vision)
    assert page.totals is None  # the editor shows no totals: its rows are being changed
    assert_shows(page, want, "the draft editor")
    # `renkei show`: the same rows and both figures where they differ.
    path = ["--sample"] if table == "sample" else [CORPUS / table]
    assert_cli_shows(expected(view), *path, width=len(view.columns))


def test_the_tables_are_of_other_shapes() -> None:
    """The tables above differ where the view has parts: central cities with columns, extra columns, declared
    figures other than the marks, a fragment's totals."""
    views = {table: table_view(reading_of(table).vision) for table in TABLES}
    assert any(len(v.central) >= 2 for v in views.values())  # 複眼型: two central cities with columns
    assert any(v.attributes for v in views.values())
    assert any(any(r.count.differs for r in v.project_rows) for v in views.values())
    assert any(v.grand_total.differs for v in views.values())
    assert len({tuple(m.name for m in v.columns) for v in views.values()}) == len(TABLES)


def test_a_fragments_totals_are_explained_by_its_missing_rows_not_flagged_as_wrong() -> None:
    """The seed lacks rows; its totals row counts them. A declared total above the marks by no more than the
    missing rows could hold is explained (not a contradiction); one above that, or below the marks, differs."""
    seed_vision = read_sample().vision
    view = table_view(seed_vision)
    lacking = seed_vision.missing_count()
    assert lacking > 0
    for figure in (*view.totals, view.grand_total):
        assert figure.room in (lacking, lacking * len(seed_vision.municipalities))
        over_by = None if figure.declared is None else figure.declared - figure.computed
        assert figure.explained == (over_by is not None and 0 < over_by <= figure.room)
    assert any(f.explained for f in view.totals)
    town = seed_vision.municipalities[0].name
    over = dataclasses.replace(seed_vision, declared_totals={town: seed_vision.present_totals()[town] + lacking + 1})
    under = dataclasses.replace(seed_vision, declared_totals={town: seed_vision.present_totals()[town] - 1})
    for changed in (over, under):
        first = table_view(changed).totals[0]
        assert first.differs and not first.explained
    assert not any(f.explained or f.room for f in table_view(seed_vision, field="nowhere").totals)  # filtered
