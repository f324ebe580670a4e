"""PDF tables read by renkei, by pdfplumber's own ``extract_tables`` and by camelot (lattice and stream), in the
same run on the same files: cells right (%), tables found, seconds per page.

The files: the PDF tables of the reading corpus (tests/corpus/pdf, made by chromium, LibreOffice and renkei,
with their truth files), and a synthetic national set (``renkei synth``) rendered to PDF by renkei, the newest
revision of each sphere.

*Cells right* counts, for every project row of the truth, its number, its name and the mark under each member
municipality (○, ◎ or blank): a cell is right when the tool gives that text in that row and column. renkei is
scored on the vision it reads. A peer gives tables of strings: its columns are found by the municipality names
of its header rows (whitespace removed and NFKC applied, so a name written one character per line matches),
its rows by the project number in their first cells, and a name is right when a cell of the row holds it; this
is generous to the peers (they are not asked to tell a heading from a row or to join a table over pages).

    python bench/bench_pdf.py --quick          # two corpus PDFs and one synthetic sphere, the smoke run
    python bench/bench_pdf.py                  # the corpus and 20 synthetic spheres (--spheres N for more)
"""

from __future__ import annotations

import io
import json
import logging
import re
import sys
import tempfile
import time
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import ROOT, parser, publish, table

CORPUS = ROOT / "tests" / "corpus" / "pdf"
_SPACE = re.compile(r"\s+")
_MARK = {"member": "○", "lead": "◎"}


@dataclass
class Truth:
    """A PDF and what a reading must give: the member columns and, per project, its number, name and marks."""

    name: str
    data: bytes
    municipalities: list[str]
    projects: list[tuple[int, str, dict[str, str]]]  # number, name, municipality -> mark ("" for none)

    @property
    def cells(self) -> int:
        return sum(2 + len(self.municipalities) for _ in self.projects)


@dataclass
class Score:
    right: int = 0
    cells: int = 0
    found: int = 0  # documents where the tool found the table (a row of the truth)
    tables: int = 0  # tables the tool reported
    seconds: float = 0.0
    cpu: float = 0.0  # this process's CPU seconds: what the reading costs, whatever else the machine runs
    pages: int = 0
    failures: list[str] = field(default_factory=list)


def norm(text: object) -> str:
    return _SPACE.sub("", unicodedata.normalize("NFKC", str(text or "")))


def corpus_truths() -> list[Truth]:
    truths = []
    for path in sorted(CORPUS.glob("*.truth.json")):
        spec = json.loads(path.read_text(encoding="utf-8"))
        if not spec["file"].endswith(".pdf") or spec["exit"] == 2:
            continue
        towns = [m["name"] for m in spec["municipalities"]]
        projects = [
            (p["number"], p["name"], {t: _MARK[p.get("roles", {}).get(t, "member")] for t in p["participants"]})
            for p in spec["projects"]
        ]
        truths.append(Truth(spec["file"], (CORPUS / spec["file"]).read_bytes(), towns, projects))
    return truths


def synthetic_truths(spheres: int, seed: int) -> list[Truth]:
    from renkei.render import render
    from renkei.synthetic.synth import synthesize
    from renkei.vision.model import Role

    truths = []
    for sphere in synthesize(spheres, seed):
        vision = sphere.revisions[-1].vision
        towns = [m.name for m in vision.municipalities]
        projects = [
            (p.number, p.name, {t: "◎" if r is Role.LEAD else "○" for t, r in p.participants.items()})
            for p in vision.projects
        ]
        truths.append(Truth(f"synth/{sphere.key}.pdf", render(vision, "pdf"), towns, projects))
    return truths


def page_count(data: bytes) -> int:
    import pdfplumber

    with pdfplumber.open(io.BytesIO(data)) as pdf:
        return len(pdf.pages)


# The readers --------------------------------------------------------------------------------------------------


def read_renkei(truth: Truth, score: Score) -> None:
    from renkei.ingest import TableReadError, read_bytes

    try:
        vision = read_bytes(truth.data, truth.name).vision
    except TableReadError as error:
        score.failures.append(f"{truth.name}: {error.code}")
        return
    score.tables += 1
    by_number = {p.number: p for p in vision.projects}
    matched = False
    for number, name, marks in truth.projects:
        project = by_number.get(number)
        if project is None:
            continue
        matched = True
        score.right += 1 + (norm(project.name) == norm(name))
        for town in truth.municipalities:
            role = project.participants.get(town)
            got = "" if role is None else _MARK[str(role)]
            score.right += got == marks.get(town, "")
    score.found += matched


def score_grids(truth: Truth, grids: Sequence[Sequence[Sequence[object]]], score: Score) -> None:
    """Score a peer's tables (rows of cells) against the truth, generously (see the module's docstring)."""
    score.tables += len(grids)
    towns = {norm(t): t for t in truth.municipalities}
    seen: dict[int, tuple[str, dict[str, str]]] = {}
    columns: dict[str, int] = {}
    for grid in grids:
        for row in grid:
            cells = [norm(c) for c in row]
            named = {towns[c]: i for i, c in enumerate(cells) if c in towns}
            if len(named) >= 2:
                columns = named
                continue
            number = next((c for c in cells[:2] if c.isdigit()), None)
            if number is None or int(number) in seen:
                continue
            marks = {t: cells[i] if i < len(cells) else "?" for t, i in columns.items()}
            seen[int(number)] = ("\x00".join(cells), marks)
    found = False
    for number, name, marks in truth.projects:
        got = seen.get(number)
        if got is None:
            continue
        found = True
        text, marks_got = got
        score.right += 1 + (norm(name) in text.split("\x00"))
        for town in truth.municipalities:
            score.right += marks_got.get(town, "?") == marks.get(town, "")
    score.found += found


def read_pdfplumber(truth: Truth, score: Score) -> None:
    import pdfplumber

    with pdfplumber.open(io.BytesIO(truth.data)) as pdf:
        grids = [t for page in pdf.pages for t in page.extract_tables()]
    score_grids(truth, grids, score)


def camelot_reader(flavor: str) -> Callable[[Truth, Score], None]:
    def read(truth: Truth, score: Score) -> None:
        import camelot

        with tempfile.NamedTemporaryFile(suffix=".pdf") as tmp:
            tmp.write(truth.data)
            tmp.flush()
            try:
                tables = camelot.read_pdf(tmp.name, flavor=flavor, pages="all")
            except Exception as error:  # a peer's failure is a result, not a crash of the benchmark
                score.failures.append(f"{truth.name}: {type(error).__name__}")
                return
        score_grids(truth, [t.df.values.tolist() for t in tables], score)

    return read


READERS: dict[str, Callable[[Truth, Score], None]] = {
    "renkei": read_renkei,
    "pdfplumber extract_tables": read_pdfplumber,
    "camelot lattice": camelot_reader("lattice"),
    "camelot stream": camelot_reader("stream"),
}


def measure(truths: Sequence[Truth]) -> dict[str, Score]:
    pages = {t.name: page_count(t.data) for t in truths}
    scores: dict[str, Score] = {}
    for reader, read in READERS.items():
        score = scores[reader] = Score()
        for truth in truths:
            score.cells += truth.cells
            score.pages += pages[truth.name]
            start, cpu = time.perf_counter(), time.process_time()
            read(truth, score)
            score.seconds += time.perf_counter() - start
            score.cpu += time.process_time() - cpu
    return scores


def report(title: str, truths: Sequence[Truth], scores: dict[str, Score]) -> str:
    rows = [
        [
            reader,
            f"{100 * s.right / s.cells:.1f}",
            f"{s.found} / {len(truths)}",
            s.tables,
            f"{s.seconds / s.pages:.3f}",
            f"{s.cpu / s.pages:.3f}",
            f"{s.pages / s.cpu:.1f}",
        ]
        for reader, s in scores.items()
    ]
    headers = [
        "reader",
        "cells right (%)",
        "documents found",
        "tables reported",
        "s / page (wall)",
        "CPU s / page",
        "pages / CPU s",
    ]
    pages = next(iter(scores.values())).pages
    failures = [f for s in scores.values() for f in s.failures]
    lines = [f"**{title}**: {len(truths)} PDFs, {pages} pages, {next(iter(scores.values())).cells} cells.", ""]
    lines.append(table(headers, rows))
    if failures:
        lines += ["", "Failures: " + "; ".join(failures[:12])]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    logging.getLogger("pdfminer").setLevel(logging.ERROR)
    args = parser(__doc__.splitlines()[0]).parse_args(argv)
    started = time.perf_counter()
    spheres = args.spheres if args.spheres is not None else (1 if args.quick else 20)
    corpus = corpus_truths()[: 2 if args.quick else None]
    national = synthetic_truths(spheres, args.seed)
    parts = [
        report("The corpus (tests/corpus/pdf)", corpus, measure(corpus)),
        report(f"The national synthetic set, {spheres} spheres rendered by renkei", national, measure(national)),
        "Cells right: each project's number, name and the mark under each member municipality. A peer's columns "
        "are found by the municipality names of its header rows and its rows by their project numbers; "
        "seconds per page include opening the file. The CPU seconds are this process's (camelot and pdfplumber "
        "run in it too): on a machine shared with other work they, not the wall-clock seconds, say what a page "
        "costs.",
    ]
    publish(args, f"PDF tables: renkei, pdfplumber, camelot ({len(corpus)} corpus PDFs, {spheres} spheres)",
            "\n\n".join(parts), started)  # fmt: skip


if __name__ == "__main__":
    main()
