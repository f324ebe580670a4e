"""renkei's own tables read by ``ingest.ownlayout``'s direct path give what the general layout reader gives: the
same vision (the model's equality, and every label, location and cell the model's equality leaves out), the
same findings in the same order and the same understood layout, on every file of a synthetic registry and on
every table of the reading corpus written back in renkei's own formats (official text, Markdown, XLSX)."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Any

import pytest

from renkei.ingest import Reading, read_bytes, read_path, reading
from renkei.ingest.layout import LayoutReader
from renkei.ingest.ownlayout import OwnLayoutReader
from renkei.render import render
from renkei.synthetic.synth import render_revision, synthesize
from renkei.vision.model import Vision
from renkei.vision.serialize import vision_to_dict

CORPUS = Path(__file__).resolve().parent / "corpus"


def _has_projects(path: Path) -> bool:
    """Whether the corpus's truth of a file lists projects (a table to write back; not a cover page, a scan, an
    annex read beside its table)."""
    truth = path.parent / f"{path.stem}.truth.json"
    return truth.exists() and bool(json.loads(truth.read_text(encoding="utf-8")).get("projects"))


TABLES = sorted(
    p
    for p in CORPUS.rglob("*")
    if p.is_file() and p.suffix not in (".json", ".py", ".md") and "truth" not in p.name and _has_projects(p)
)
OWN_FORMATS = ("official", "markdown", "xlsx")
EXTENSIONS = {"official": "txt", "markdown": "md", "xlsx": "xlsx"}


def _general(data: bytes, name: str, monkeypatch: pytest.MonkeyPatch) -> Reading:
    """The bytes read with the general layout reader: the registry's choice of the own-layout reader undone."""
    with monkeypatch.context() as patched:
        patched.setattr(reading, "carries_meta", lambda rows: False)
        return read_bytes(data, name)


def _whole(vision: Vision) -> dict[str, Any]:
    """Everything a vision holds, the fields its equality leaves out included."""
    return {
        "dict": vision_to_dict(vision),
        "sphere": dataclasses.asdict(vision.sphere),
        "municipalities": [dataclasses.asdict(m) for m in vision.municipalities],
        "projects": [(dataclasses.asdict(p), p.location, dict(p.cells)) for p in vision.projects],
        "totals": (vision.totals_location, dict(vision.totals_cells), vision.grand_total_cell),
        "titled": vision.titled,
        "edition": vision.edition,
        "labels": vision.labels,
        "legend": vision.legend,
    }


def assert_same_reading(data: bytes, name: str, monkeypatch: pytest.MonkeyPatch) -> Reading:
    own = read_bytes(data, name)
    general = _general(data, name, monkeypatch)
    assert own.vision == general.vision
    assert _whole(own.vision) == _whole(general.vision)
    assert own.findings == general.findings
    assert (own.understood.to_dict() if own.understood else None) == (
        general.understood.to_dict() if general.understood else None
    )
    assert own.source == general.source
    return own


def test_the_registry_chooses_the_own_layout_reader_for_renkeis_tables_only(
    seed_bytes: bytes, monkeypatch: pytest.MonkeyPatch
) -> None:
    chosen: list[type] = []
    original = reading.LayoutReader.read

    def noted(self: LayoutReader, rows: list[Any]) -> Vision:
        chosen.append(type(self))
        return original(self, rows)

    monkeypatch.setattr(reading.LayoutReader, "read", noted)
    seed = read_bytes(seed_bytes, "seed.txt")
    read_bytes(render(seed.vision, "official"), "own.txt")
    assert chosen == [LayoutReader, OwnLayoutReader]


def test_the_own_layout_reader_reads_every_file_of_a_synthetic_registry_as_the_general_one(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    spheres = synthesize(40, 7)
    files = [(f"{s.key}/{r.file_name}", render_revision(r)) for s in spheres for r in s.revisions]
    assert len(files) >= 150
    projects = 0
    for name, data in files:
        own = assert_same_reading(data, name, monkeypatch)
        projects += len(own.vision.projects)
    assert projects >= 40 * 20  # a registry of real size: tens of projects a sphere


def test_the_own_layout_reader_reads_a_registry_with_budgets_and_kpis_as_the_general_one(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Budget and KPI columns after the count (事業費 per year and unit, each town's share, 総事業費, indicators
    and their results) are read on the direct path too, and alike."""
    spheres = synthesize(12, 11, with_budgets=True)
    files = [(f"{s.key}/{r.file_name}", render_revision(r)) for s in spheres for r in s.revisions]
    budgets = kpis = results = 0
    for name, data in files:
        own = assert_same_reading(data, name, monkeypatch)
        budgets += sum(len(p.budgets) for p in own.vision.projects)
        kpis += sum(len(p.kpis) for p in own.vision.projects)
        results += sum(len(k.results) for p in own.vision.projects for k in p.kpis)
    assert budgets > 1000 and kpis > 100 and results > 100


@pytest.mark.parametrize("path", TABLES, ids=[str(p.relative_to(CORPUS)) for p in TABLES])
def test_the_corpus_written_in_renkeis_own_formats_reads_alike_with_both_readers(
    path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    original = read_path(path)
    assert original.vision.projects, "the truth lists projects"
    for fmt in OWN_FORMATS:
        data = render(original.vision, fmt)
        assert_same_reading(data, f"{path.stem}.{EXTENSIONS[fmt]}", monkeypatch)


def test_the_direct_path_is_taken_for_the_plain_rows(seed_bytes: bytes, monkeypatch: pytest.MonkeyPatch) -> None:
    """The own-layout reader reads the seed's projects written back without the general row stage (it would not
    be faster otherwise), and reads them as the general reader does."""
    from renkei.ingest.layout_rows import RowStage

    seed = read_bytes(seed_bytes, "seed.txt")
    data = render(seed.vision, "official")
    general_rows: list[int] = []
    original = RowStage.project

    def counted(self: RowStage, row: Any) -> None:
        general_rows.append(1)
        original(self, row)

    monkeypatch.setattr(RowStage, "project", counted)
    own = read_bytes(data, "own.txt")
    assert len(own.vision.projects) == len(seed.vision.projects) > 10
    assert len(general_rows) < len(own.vision.projects) // 2
    monkeypatch.undo()
    assert_same_reading(data, "own.txt", monkeypatch)


def test_the_direct_path_is_taken_for_rows_and_headers_with_budgets(monkeypatch: pytest.MonkeyPatch) -> None:
    """A table renkei wrote with budget and KPI columns is read on the direct path, rows and repeated headers
    alike: the general row and header stages see a few lines, not the projects."""
    from renkei.ingest.layout_header import HeaderStage
    from renkei.ingest.layout_rows import RowStage

    sphere = next(s for s in synthesize(6, 3, with_budgets=True) if len(s.revisions[-1].vision.projects) > 20)
    data = render_revision(sphere.revisions[-1])
    general_rows: list[int] = []
    general_headers: list[int] = []
    row_stage, header_stage = RowStage.project, HeaderStage.header
    monkeypatch.setattr(RowStage, "project", lambda self, row: (general_rows.append(1), row_stage(self, row))[1])
    monkeypatch.setattr(
        HeaderStage, "header", lambda self, row, merge: (general_headers.append(1), header_stage(self, row, merge))[1]
    )
    own = read_bytes(data, "own.txt")
    assert sum(len(p.budgets) for p in own.vision.projects) > 0
    assert len(general_rows) < len(own.vision.projects) // 2
    assert len(general_headers) <= 2
    monkeypatch.undo()
    assert_same_reading(data, "own.txt", monkeypatch)


def test_a_repeated_header_whose_indicator_column_holds_prose_below_is_read_as_the_general_reader_reads_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A header repeated over a later block whose 目標値 cells are sentences there (a table edited by hand): that
    column is no figure's under the later headers, so the direct path may not carry the first block's reading
    of it over; both readers keep the sentences as the projects' own column."""
    sphere = next(s for s in synthesize(6, 3, with_budgets=True) if len(s.revisions[-1].vision.projects) > 20)
    lines = render_revision(sphere.revisions[-1]).decode("utf-8").split("\n")
    headers = [i for i, line in enumerate(lines) if "\t目標値\t" in line]
    assert len(headers) >= 4
    target = lines[headers[0]].split("\t").index("目標値")
    prose = "圏域全体で前年度を上回ることを目指す"
    for i in range(headers[len(headers) // 2] + 1, len(lines)):
        cells = lines[i].split("\t")
        if len(cells) > target and cells[0].isdigit():
            cells[target] = prose
            lines[i] = "\t".join(cells)
    own = assert_same_reading("\n".join(lines).encode("utf-8"), "edited.txt", monkeypatch)
    with_prose = [p for p in own.vision.projects if p.attributes.get("目標値") == prose]
    with_target = [p for p in own.vision.projects if any(k.target is not None for k in p.kpis)]
    assert with_prose and with_target
