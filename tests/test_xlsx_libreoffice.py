"""The XLSX export keeps its counts live: LibreOffice recalculates the formulas to renkei's figures.

The 連携町数 column and the 連携事業数計 row are COUNTIF/SUM formulas written without cached values. A
spreadsheet program computes them on opening; LibreOffice (headless) does so here and saves the results,
which renkei then reads as the declared figures where the document's agreed with the marks. An edit in the
workbook (a ○ added) moves those figures. Declared figures that the marks cannot give (the sample is a
fragment: its totals count its missing rows) come back from renkei's metadata row as the document declared them.
"""

from __future__ import annotations

import io
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest
from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from conftest import require_command
from renkei.ingest import Reading, read_bytes, read_sample
from renkei.ingest.report import check_reading
from renkei.render import render
from renkei.vision.model import Severity, Vision
from renkei.vision.ownformat import COMPUTED


@pytest.fixture(scope="module")
def soffice() -> str:
    return require_command("soffice")


@pytest.fixture(scope="module")
def profile(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One LibreOffice user profile for the module: a first start is slow, and a profile is not shared."""
    return tmp_path_factory.mktemp("lo-profile")


def recalculate(soffice: str, profile: Path, data: bytes, work: Path) -> bytes:
    """Open the workbook in LibreOffice headless and save it again as XLSX, with computed values."""
    source, out = work / "in", work / "out"
    source.mkdir(exist_ok=True)
    out.mkdir(exist_ok=True)
    path = source / "vision.xlsx"
    path.write_bytes(data)
    command = [
        soffice,
        "--headless",
        "--norestore",
        f"-env:UserInstallation={profile.as_uri()}",
        "--convert-to",
        "xlsx",
        "--outdir",
        str(out),
        str(path),
    ]
    result = subprocess.run(command, capture_output=True, text=True, timeout=240, check=False)
    converted = out / "vision.xlsx"
    assert converted.exists(), f"LibreOffice wrote nothing: {result.returncode} {result.stdout} {result.stderr}"
    return converted.read_bytes()


@dataclass
class Layout:
    """Where the exported table sits in its sheet, found by its own labels."""

    sheet: Worksheet
    count_column: int
    first_mark: int
    project_rows: dict[int, int]  # project number -> row
    totals_row: int


def layout(data: bytes, vision: Vision) -> Layout:
    sheet = load_workbook(io.BytesIO(data)).worksheets[0]
    header = next(r for r in range(1, sheet.max_row + 1) if sheet.cell(r, 1).value == "番号")
    heads = [sheet.cell(header, c).value for c in range(1, sheet.max_column + 1)]
    # Headed 連携町数（計算値） where the document declared other counts.
    counts = (vision.labels.count, vision.labels.count + COMPUTED)
    count_column = next(i for i, h in enumerate(heads) if h in counts) + 1
    first_mark = heads.index(vision.municipalities[0].display) + 1
    projects: dict[int, int] = {}
    for r in range(header + 1, sheet.max_row + 1):
        value = sheet.cell(r, 1).value
        if isinstance(value, int):
            projects[value] = r
    totals = next(r for r in range(header + 1, sheet.max_row + 1) if sheet.cell(r, 1).value == vision.labels.totals)
    return Layout(sheet, count_column, first_mark, projects, totals)


@pytest.fixture(scope="module")
def sample() -> Reading:
    return read_sample()


@pytest.fixture(scope="module")
def exported(sample: Reading) -> bytes:
    return render(sample.vision, "xlsx")


def test_counts_and_totals_are_formulas_without_values(exported: bytes, sample: Reading) -> None:
    vision = sample.vision
    found = layout(exported, vision)
    assert list(found.project_rows) == [p.number for p in vision.projects]
    for number, row in found.project_rows.items():
        formula = found.sheet.cell(row, found.count_column).value
        assert isinstance(formula, str) and formula.startswith("=COUNTIF"), number
    for i, _ in enumerate(vision.municipalities):
        formula = found.sheet.cell(found.totals_row, found.first_mark + i).value
        assert isinstance(formula, str) and formula.startswith("=COUNTIF")
    grand = found.sheet.cell(found.totals_row, found.count_column).value
    assert isinstance(grand, str) and grand.startswith("=SUM")
    cached = load_workbook(io.BytesIO(exported), data_only=True).worksheets[0]
    assert all(cached.cell(row, found.count_column).value is None for row in found.project_rows.values())
    # Read back without a spreadsheet program: one finding says that the formulas hold no figures yet; the
    # metadata row says that the counts are what the marks give, and the fragment's declared totals are there.
    reading = read_bytes(exported)
    assert [p.declared_count for p in reading.vision.projects] == [p.declared_count for p in vision.projects]
    assert [f.code for f in reading.findings if f.code == "formula-uncalculated"] == ["formula-uncalculated"]
    assert reading.vision.declared_totals == vision.declared_totals != vision.present_totals()
    assert reading.vision.declared_grand_total == vision.declared_grand_total


def test_libreoffice_computes_renkeis_figures(
    soffice: str, profile: Path, tmp_path: Path, exported: bytes, sample: Reading
) -> None:
    calculated = recalculate(soffice, profile, exported, tmp_path)
    reading = read_bytes(calculated, "recalculated.xlsx")
    vision, original = reading.vision, sample.vision
    assert vision.content() == original.content()
    assert [p.declared_count for p in vision.projects] == [p.count for p in original.projects]
    # The formulas computed the present rows' totals; the fragment's declared ones came through beside them.
    found = layout(calculated, original)
    values = load_workbook(io.BytesIO(calculated), data_only=True).worksheets[0]
    present = original.present_totals()
    for i, m in enumerate(original.municipalities):
        assert values.cell(found.totals_row, found.first_mark + i).value == present[m.name]
    assert vision.declared_totals == original.declared_totals
    assert vision.declared_grand_total == original.declared_grand_total
    assert "formula-uncalculated" not in [f.code for f in reading.findings]
    assert [f for f in check_reading(reading).findings if f.severity is Severity.ERROR] == []
    # The formulas are still there after LibreOffice saved the values beside them.
    found = layout(calculated, original)
    row = next(iter(found.project_rows.values()))
    assert str(found.sheet.cell(row, found.count_column).value).upper().startswith("=COUNTIF")


def test_a_mark_added_in_the_workbook_moves_the_figures(
    soffice: str, profile: Path, tmp_path: Path, sample: Reading
) -> None:
    # A whole vision (declared figures as the marks give them): every figure is a formula that follows the marks.
    original = sample.vision.with_computed_figures()
    exported = render(original, "xlsx")
    # The first project that a town does not take part in: that cell gets a ○.
    project, town_at = next(
        (p, i) for p in original.projects for i, m in enumerate(original.municipalities) if m.name not in p.participants
    )
    town = original.municipalities[town_at].name
    found = layout(exported, original)
    workbook = load_workbook(io.BytesIO(exported))
    workbook.worksheets[0].cell(found.project_rows[project.number], found.first_mark + town_at, "○")
    edited = io.BytesIO()
    workbook.save(edited)

    reading = read_bytes(recalculate(soffice, profile, edited.getvalue(), tmp_path), "edited.xlsx")
    vision = reading.vision
    after = next(p for p in vision.projects if p.number == project.number)
    assert town in after.participants
    assert after.declared_count == project.count + 1 == after.count
    before_totals = original.present_totals()
    assert vision.declared_totals[town] == before_totals[town] + 1
    assert {k: v for k, v in vision.declared_totals.items() if k != town} == {
        k: v for k, v in before_totals.items() if k != town
    }
    assert vision.declared_grand_total == original.present_links() + 1
    assert [f for f in check_reading(reading).findings if f.severity is Severity.ERROR] == []


def test_a_figure_declared_otherwise_is_red_with_the_declared_one_in_its_note(sample: Reading) -> None:
    """The workbook's reader sees what the document declared where the live figure differs (a wrong 連携町数,
    the fragment's totals): the declared figure in the cell's note, red while the figures differ; a figure
    that agrees carries neither. Reading the workbook back gives the same table."""
    text = read_sample_text()
    project = sample.vision.projects[0]
    wrong = project.count + 1
    lines = text.splitlines(keepends=True)
    at = next(i for i, line in enumerate(lines) if line.split()[:1] == [str(project.number)])  # 11 創業支援…
    cells = lines[at].rstrip("\n").split("\t")
    cells[-1] = str(wrong)
    lines[at] = "\t".join(cells) + "\n"
    vision = read_bytes("".join(lines).encode("utf-8"), "wrong.txt").vision
    exported = render(vision, "xlsx")
    found = layout(exported, vision)
    sheet = found.sheet
    rules = {str(r.sqref): rule.formula for r in sheet.conditional_formatting for rule in r.rules}
    for p in vision.projects:
        cell = sheet.cell(found.project_rows[p.number], found.count_column)
        if p.number == project.number:
            assert cell.comment is not None and f"文書の記載: {wrong}" in cell.comment.text
            assert rules[cell.coordinate] == [f"{cell.coordinate}<>{wrong}"]
        else:
            assert cell.comment is None and cell.coordinate not in rules, p.number
    present = vision.present_totals()
    for i, m in enumerate(vision.municipalities):
        cell = sheet.cell(found.totals_row, found.first_mark + i)
        declared = vision.declared_totals[m.name]
        assert declared != present[m.name]  # the sample is a fragment: its totals count its missing rows
        assert cell.comment is not None and f"文書の記載: {declared}" in cell.comment.text
    back = read_bytes(exported, "wrong.xlsx").vision
    assert back.content() == vision.content()
    assert [p.declared_count for p in back.projects] == [p.declared_count for p in vision.projects]


def read_sample_text() -> str:
    from renkei.core.sample import sample_bytes

    return sample_bytes().decode("utf-8")
