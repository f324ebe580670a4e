"""The largest synthetic sphere printed: its XLSX download, as the registry serves it, converted to PDF by
LibreOffice headless (as an office without Excel prints it), and its PDF download. The header's stacked
municipality names get a row tall enough and wrapped text; the sheet prints landscape, one page wide, with its
header row on every page and its panes frozen; the title of both says the sphere, the revision and the date
it takes effect."""

from __future__ import annotations

import io
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from conftest import require_command
from renkei.render import render
from renkei.render.xlsx import header_height
from renkei.store import Store, load_into
from renkei.synthetic.synth import synthesize
from renkei.vision.model import Vision


@pytest.fixture(scope="module")
def largest(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Vision, str, int, str]]:
    """The sphere with the most towns (then projects) of the default synthetic country, read from a registry:
    its vision, name, revision number and effective date."""
    spheres = synthesize(seed=0, years=1)
    chosen = max(
        spheres, key=lambda s: (len(s.revisions[-1].vision.municipalities), len(s.revisions[-1].vision.projects))
    )
    store = Store.open(f"sqlite:///{tmp_path_factory.mktemp('print') / 'registry.db'}")
    try:
        load_into(store, [chosen])
        revision = store.revision(chosen.key)
        yield (
            store.vision(chosen.key),
            chosen.revisions[-1].vision.sphere.name,
            revision.number,
            str(revision.effective_on),
        )
    finally:
        store.close()


def to_pdf(data: bytes, name: str, work: Path) -> bytes:
    soffice = require_command("soffice")
    (work / "in").mkdir(parents=True, exist_ok=True)
    source = work / "in" / name
    source.write_bytes(data)
    command = [
        soffice,
        "--headless",
        "--norestore",
        f"-env:UserInstallation={(work / 'profile').as_uri()}",
        "--convert-to",
        "pdf",
        "--outdir",
        str(work / "out"),
        str(source),
    ]
    result = subprocess.run(command, capture_output=True, text=True, timeout=240, check=False)
    converted = work / "out" / (source.stem + ".pdf")
    assert converted.exists(), f"LibreOffice wrote nothing: {result.returncode} {result.stdout} {result.stderr}"
    return converted.read_bytes()


def first_page_text(pdf: bytes) -> str:
    reader = PdfReader(io.BytesIO(pdf))
    return reader.pages[0].extract_text()


def test_the_xlsx_prints_its_header_whole(largest: tuple[Vision, str, int, str]) -> None:
    vision, name, number, date = largest
    sheet = load_workbook(io.BytesIO(render(vision, "xlsx"))).active
    assert sheet is not None
    header = next(r for r in range(1, 10) if sheet.cell(r, 1).value == "番号")
    towns = [m.display for m in vision.municipalities]
    assert len(towns) >= 15
    cells = [c for c in sheet[header] if c.value in towns]
    assert [c.value for c in cells] == towns
    assert all(c.alignment.text_rotation == 255 and c.alignment.wrap_text for c in cells)
    height = sheet.row_dimensions[header].height
    assert height is not None and height >= header_height(max(map(len, towns))) >= 14 * max(map(len, towns))
    descriptions = [sheet.cell(r, 3) for r in range(header + 1, sheet.max_row) if sheet.cell(r, 3).value]
    assert descriptions and all(c.alignment.wrap_text for c in descriptions)
    setup = sheet.page_setup
    assert setup.orientation == "landscape" and setup.fitToWidth == 1 and setup.fitToHeight == 0
    # As wide as this sphere's table is, it goes on A3, where fitting to the width keeps it readable.
    assert str(setup.paperSize) == sheet.PAPERSIZE_A3
    assert sheet.sheet_properties.pageSetUpPr is not None and sheet.sheet_properties.pageSetUpPr.fitToPage
    assert sheet.print_title_rows == f"${header}:${header}"
    assert sheet.freeze_panes == f"C{header + 1}"
    # The title under the metadata row, where the print area starts.
    title = str(sheet.cell(2, 1).value)
    assert title.startswith(name) and f"第{number}版" in title and date in title
    assert str(sheet.print_area).split("!")[-1].startswith("$A$2:")


def test_libreoffice_prints_the_xlsx_and_the_pdf_says_the_same(
    largest: tuple[Vision, str, int, str], tmp_path: Path
) -> None:
    """The XLSX through LibreOffice's printing; the PDF download as it is (this machine's LibreOffice is Calc
    only, which cannot open a PDF): both landscape, both titled with the sphere, 第N版 and the date."""
    vision, name, number, date = largest
    printed = {
        "xlsx": to_pdf(render(vision, "xlsx"), "table.xlsx", tmp_path),
        "pdf": render(vision, "pdf"),
    }
    for kind, pdf in printed.items():
        flat = "".join(first_page_text(pdf).split())
        assert name in flat and f"第{number}版" in flat and date in flat, (kind, flat[:300])
        page = PdfReader(io.BytesIO(pdf)).pages[0]
        assert float(page.mediabox.width) > float(page.mediabox.height), f"{kind} is not landscape"
