"""Word, OpenDocument and web-page tables read by renkei and by pandas (``read_html``, ``read_excel`` with odf)
and python-docx's own table walk, in the same run on the same files: cells right (%), seconds per table, and
renkei's time over each peer's.

The files: the DOCX, ODS and HTML tables of the reading corpus (tests/corpus/formats, with their truth files),
and a synthetic national set (``renkei synth``), the newest revision of each sphere written as a Word document
(with prose and a second table before it), an ODS sheet and a city page with a site menu (tests/readers_support.py).

*Cells right* are counted as bench/bench_pdf.py counts them: each project's number, its name and the mark under
each member municipality; a peer's columns are found by the municipality names of its header rows and its rows
by their project numbers, which is generous to the peers (they are not asked to tell headings from projects).

    python bench/bench_read.py --quick          # the corpus and two synthetic spheres, the smoke run
    python bench/bench_read.py                  # the corpus and 20 synthetic spheres (--spheres N for more)
"""

from __future__ import annotations

import io
import json
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(1, str(Path(__file__).resolve().parents[1] / "tests"))

from bench_pdf import _MARK, Score, Truth, read_renkei, score_grids
from common import ROOT, parser, publish, table

CORPUS = ROOT / "tests" / "corpus" / "formats"
FORMATS = ("docx", "ods", "html")


def corpus_truths(fmt: str) -> list[Truth]:
    truths = []
    for path in sorted(CORPUS.glob(f"*.{fmt}")):
        spec = json.loads(path.with_name(path.stem + ".truth.json").read_text(encoding="utf-8"))
        towns = [m["name"] for m in spec["municipalities"]]
        projects = [
            (p["number"], p["name"], {t: _MARK[p.get("roles", {}).get(t, "member")] for t in p["participants"]})
            for p in spec["projects"]
        ]
        truths.append(Truth(path.name, path.read_bytes(), towns, projects))
    return truths


def synthetic_truths(fmt: str, spheres: int, seed: int) -> list[Truth]:
    from readers_support import docx_bytes, html_page, ods_bytes
    from renkei.synthetic.synth import synthesize
    from renkei.vision.model import Role

    truths = []
    for sphere in synthesize(spheres, seed):
        vision = sphere.revisions[-1].vision
        if fmt == "docx":
            data = docx_bytes(vision)
        elif fmt == "ods":
            data = ods_bytes(vision, hidden_sheet=False, tail=False)
        else:
            data = html_page(vision).replace("{charset}", "utf-8").encode("utf-8")
        projects = [
            (p.number, p.name, {t: "◎" if r is Role.LEAD else "○" for t, r in p.participants.items()})
            for p in vision.projects
        ]
        truths.append(Truth(f"synth/{sphere.key}.{fmt}", data, [m.name for m in vision.municipalities], projects))
    return truths


# The peers ------------------------------------------------------------------------------------------------------


def _cells(values: Sequence[object]) -> list[str]:
    return ["" if v is None or v != v else str(v) for v in values]  # NaN is not equal to itself


def read_pandas_html(truth: Truth, score: Score) -> None:
    import pandas

    frames = pandas.read_html(io.BytesIO(truth.data), flavor="lxml")
    grids = []
    for frame in frames:
        levels = frame.columns.nlevels
        header = [_cells([c[i] if levels > 1 else c for c in frame.columns]) for i in range(levels)]
        grids.append([*header, *(_cells(row) for row in frame.itertuples(index=False))])
    score_grids(truth, grids, score)


def read_pandas_ods(truth: Truth, score: Score) -> None:
    import pandas

    sheets = pandas.read_excel(io.BytesIO(truth.data), engine="odf", header=None, sheet_name=None)
    score_grids(truth, [[_cells(row) for row in frame.itertuples(index=False)] for frame in sheets.values()], score)


def read_python_docx(truth: Truth, score: Score) -> None:
    import docx

    document = docx.Document(io.BytesIO(truth.data))
    grids = [[[cell.text for cell in row.cells] for row in t.rows] for t in document.tables]
    score_grids(truth, grids, score)


PEERS: dict[str, dict[str, Callable[[Truth, Score], None]]] = {
    "docx": {"renkei": read_renkei, "python-docx (table walk)": read_python_docx},
    "ods": {"renkei": read_renkei, "pandas read_excel (odf)": read_pandas_ods},
    "html": {"renkei": read_renkei, "pandas read_html (lxml)": read_pandas_html},
}


def measure(fmt: str, truths: Sequence[Truth], rounds: int) -> dict[str, Score]:
    """Each reader over every file, the readers taking turns round by round (so a busy moment of a shared
    machine falls on all of them); the best round's seconds count."""
    scores = {reader: Score() for reader in PEERS[fmt]}
    best: dict[str, float] = {}
    for round_number in range(rounds):
        for reader, read in PEERS[fmt].items():
            score = Score() if round_number else scores[reader]
            start, cpu = time.perf_counter(), time.process_time()
            for truth in truths:
                score.cells += truth.cells
                read(truth, score)
            elapsed = time.perf_counter() - start
            scores[reader].cpu = min(scores[reader].cpu or 1e9, time.process_time() - cpu)
            best[reader] = min(best.get(reader, elapsed), elapsed)
    for reader, score in scores.items():
        score.seconds = best[reader]
        score.pages = len(truths)
    return scores


def report(fmt: str, truths: Sequence[Truth], scores: dict[str, Score]) -> str:
    renkei = scores["renkei"]
    rows = [
        [
            reader,
            f"{100 * s.right / s.cells:.1f}",
            f"{s.found} / {len(truths)}",
            f"{1000 * s.seconds / len(truths):.1f}",
            f"{1000 * s.cpu / len(truths):.1f}",
            "–" if reader == "renkei" else f"{renkei.cpu / s.cpu:.2f}",
        ]
        for reader, s in scores.items()
    ]
    headers = ["reader", "cells right (%)", "tables found", "ms / table (wall)", "CPU ms / table", "renkei ÷ peer"]
    failures = [f for s in scores.values() for f in s.failures]
    cells = sum(t.cells for t in truths)
    lines = [f"**{fmt.upper()}**: {len(truths)} files, {cells} cells.", "", table(headers, rows)]
    if failures:
        lines += ["", "Failures: " + "; ".join(failures[:12])]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    args = parser(__doc__.splitlines()[0]).parse_args(argv)
    started = time.perf_counter()
    spheres = args.spheres if args.spheres is not None else (2 if args.quick else 20)
    rounds = 1 if args.quick else 3
    parts = []
    for fmt in FORMATS:
        truths = corpus_truths(fmt) + synthetic_truths(fmt, spheres, args.seed)
        parts.append(report(fmt, truths, measure(fmt, truths, rounds)))
    parts.append(
        "Cells right: each project's number, name and the mark under each member municipality (bench/bench_pdf.py). "
        f"Seconds: the best of {rounds} rounds over all the files, opening each included; renkei's include "
        "reading the layout, resolving the municipalities and checking the counts, which the peers do not do. "
        "renkei ÷ peer is the CPU time's ratio: below 1, renkei reads the same tables faster."
    )
    title = f"Word, ODS and HTML tables: renkei, pandas, python-docx (the corpus and {spheres} spheres)"
    publish(args, title, "\n\n".join(parts), started)


if __name__ == "__main__":
    main()
