"""A PDF whose pages someone turned in a viewer and saved so (a quarter either way, or upside down): its text runs
down, up or leftwards as shown, and was read as no table at all. The pages are read turned back to where their
text reads left to right, and that is said (``pdf-pages-turned``); a PDF shown upright is read as before.

The tables are the corpus's PDFs of two spheres (八戸, printed by chromium; 備後, printed by LibreOffice), turned here
with pypdf; each must read as its upright original does."""

from __future__ import annotations

import io
from pathlib import Path

import pypdf
import pytest

from renkei.ingest import read_bytes
from renkei.ingest.report import check_reading

PDFS = Path(__file__).parent / "corpus" / "pdf"


def turned(data: bytes, degrees: int) -> bytes:
    reader = pypdf.PdfReader(io.BytesIO(data))
    writer = pypdf.PdfWriter()
    for page in reader.pages:
        writer.add_page(page.rotate(degrees))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def reading(data: bytes) -> tuple[list[tuple[int, str, list[str]]], list[str]]:
    report = check_reading(read_bytes(data, "table.pdf"))
    projects = [(p.number, p.name, list(p.participants)) for p in report.reading.vision.projects]
    return projects, [f.code for f in report.findings]


@pytest.mark.parametrize("name", ["hachinohe_chromium_ruled.pdf", "bingo_libreoffice_ruled.pdf"])
@pytest.mark.parametrize("degrees", [90, 180, 270])
def test_a_turned_pdf_reads_as_its_upright_original(name: str, degrees: int) -> None:
    original = (PDFS / name).read_bytes()
    upright, upright_codes = reading(original)
    assert upright and "pdf-pages-turned" not in upright_codes
    projects, codes = reading(turned(original, degrees))
    assert projects == upright
    assert "pdf-pages-turned" in codes
    assert [c for c in codes if c != "pdf-pages-turned"] == upright_codes
