"""PDF: the official table and plain documents on A4 landscape through WeasyPrint, Japanese in Noto Sans CJK JP.

Text is read back out of the PDF (pdftotext and pypdf) and compared with what an independent reading of the seed
finds; the fonts embedded are inspected, so that a fallback drawing boxes cannot pass unnoticed.
"""

from __future__ import annotations

import dataclasses
import importlib.util
import io
import re
import subprocess
from pathlib import Path
from typing import Any

import pytest

from conftest import require, require_command
from renkei import render as renderers
from renkei.core.messages import t
from renkei.ingest import read_path, read_sample
from renkei.publish.documents import amendments_document
from renkei.render import Document, Sheet
from renkei.vision.diff import diff
from renkei.vision.model import Vision
from seedfacts import SeedFacts

HOSTILE = "<script>alert('x')</script>"


def flat(text: str) -> str:
    """Text without white space: a cell's lines wrapped inside the table join again."""
    return re.sub(r"\s+", "", text)


def need_weasyprint() -> None:
    require(importlib.util.find_spec("weasyprint") is not None, "weasyprint is not installed")


def need_pypdf() -> Any:
    require(importlib.util.find_spec("pypdf") is not None, "pypdf is not installed")
    import pypdf

    return pypdf


def pdftotext(data: bytes, *pages: int) -> str:
    command = require_command("pdftotext")
    span = ["-f", str(pages[0]), "-l", str(pages[-1])] if pages else []
    result = subprocess.run([command, *span, "-", "-"], input=data, capture_output=True, check=True, timeout=60)
    return result.stdout.decode("utf-8")


def page_texts(data: bytes) -> list[str]:
    pypdf = need_pypdf()
    return [page.extract_text() for page in pypdf.PdfReader(io.BytesIO(data)).pages]


def fonts(data: bytes) -> set[str]:
    pypdf = need_pypdf()
    names: set[str] = set()
    for page in pypdf.PdfReader(io.BytesIO(data)).pages:
        for font in (page["/Resources"].get("/Font") or {}).values():
            names.add(str(font.get_object()["/BaseFont"]))
    return names


@pytest.fixture(scope="module")
def seed_vision(seed_path: Path) -> Vision:
    # The seed names no sphere; the bundled sample is the same table with its sphere.
    return dataclasses.replace(read_path(seed_path).vision, sphere=read_sample().vision.sphere)


@pytest.fixture(scope="module")
def seed_pdf(seed_vision: Vision) -> bytes:
    need_weasyprint()
    return renderers.render(seed_vision, "pdf")


def test_pdf_is_registered() -> None:
    renderer = renderers.get("pdf")
    assert (renderer.extension, renderer.media_type, renderer.readable) == ("pdf", "application/pdf", False)
    assert renderer.document is not None
    assert renderer in renderers.document_renderers()


def test_pdf_is_a4_landscape(seed_pdf: bytes) -> None:
    assert seed_pdf.startswith(b"%PDF-")
    pypdf = need_pypdf()
    for page in pypdf.PdfReader(io.BytesIO(seed_pdf)).pages:
        width, height = float(page.mediabox.width), float(page.mediabox.height)
        # A4 is 297 × 210 mm: 841.9 × 595.3 points.
        assert (round(width), round(height)) == (842, 595)


def test_pdftotext_finds_the_japanese_the_marks_and_every_project(seed_pdf: bytes, facts: SeedFacts) -> None:
    text = pdftotext(seed_pdf)
    assert "創業支援事業" in text
    assert "○" in text
    joined = flat(text)
    for row in facts.rows:
        assert flat(row.name) in joined, row.name
    marks = text.count("○") - t("pdf.declared_note").count("○")  # the note on red figures names the mark
    assert marks == sum(sum(row.marks) for row in facts.rows)


def test_pypdf_finds_every_project_name_and_town(seed_pdf: bytes, facts: SeedFacts) -> None:
    joined = flat("".join(page_texts(seed_pdf)))
    for row in facts.rows:
        assert flat(row.name) in joined, row.name
    for town in facts.towns:
        assert town in joined


def test_fonts_are_noto_sans_cjk_jp_embedded(seed_pdf: bytes) -> None:
    names = fonts(seed_pdf)
    assert names, "fonts are embedded"
    assert all("Noto-Sans-CJK-JP" in name for name in names), names


def test_counts_are_computed_and_declared_figures_shown_apart(seed_pdf: bytes, facts: SeedFacts) -> None:
    text = pdftotext(seed_pdf)
    note = t("pdf.declared_note")
    # The totals row: after its label, per town the computed total with the declared one under it (they differ in
    # the seed, a fragment), then the grand totals; the note on the figures in red follows the table. (pdftotext
    # may put the last project's count, centred beside the label, in between.)
    lines = [line.strip() for line in text.splitlines()]
    label = max(i for i, line in enumerate(lines) if line == read_sample().vision.labels.totals)
    row = "\n".join(lines[label + 1 :]).split(note[:6])[0]
    expected = [n for pair in zip(facts.present_totals, facts.declared_totals, strict=True) for n in pair]
    expected += [sum(facts.present_totals), facts.declared_grand_total]
    found = [int(n) for n in re.findall(r"\d+", row)]
    assert any(found[i : i + len(expected)] == expected for i in range(len(found))), (found, expected)
    assert flat(note) in flat(text)
    html = _vision_html(read_sample().vision)
    assert html.count('class="declared"') >= len(facts.towns) + 1


def test_every_page_repeats_the_header_and_is_numbered(seed_vision: Vision, facts: SeedFacts) -> None:
    need_weasyprint()
    # Four copies of the seed's projects: enough rows for several pages.
    top = max(p.number for p in seed_vision.projects)
    copies = [dataclasses.replace(p, number=p.number + k * top) for k in range(4) for p in seed_vision.projects]
    data = renderers.render(dataclasses.replace(seed_vision, projects=copies), "pdf")
    pages = page_texts(data)
    assert len(pages) >= 3
    header = flat(seed_vision.labels.count)
    for number, text in enumerate(pages, start=1):
        page = flat(text)
        assert header in page, number
        assert all(town in page for town in facts.towns), number
        assert f"{number}/{len(pages)}" in page, number


def _vision_html(vision: Vision) -> str:
    from renkei.render.pdf import vision_html

    return vision_html(vision)


def test_html_escapes_every_value(seed_vision: Vision) -> None:
    first = seed_vision.projects[0]
    hostile = dataclasses.replace(first, name=HOSTILE, description="<b>太字</b> & <img src=x onerror=alert(1)>")
    vision = dataclasses.replace(seed_vision, projects=[hostile, *seed_vision.projects[1:]])
    html = _vision_html(vision)
    assert "<script>" not in html and "<img" not in html and "<b>" not in html
    assert "&lt;script&gt;" in html
    need_weasyprint()
    text = pdftotext(renderers.render(vision, "pdf"))
    assert HOSTILE in text
    assert "<b>太字</b> & <img" in text


def test_a_page_renders_to_an_image(seed_pdf: bytes, tmp_path: Path) -> None:
    command = require_command("pdftoppm")
    source = tmp_path / "table.pdf"
    source.write_bytes(seed_pdf)
    subprocess.run([command, "-r", "60", "-f", "1", "-l", "1", "-png", source, tmp_path / "page"], check=True)
    (image,) = tmp_path.glob("page*.png")
    assert image.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


# Documents ----------------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def amendments(seed_vision: Vision) -> Document:
    """変更内容一覧 between the seed and a copy where the first project is renamed and its first town leaves."""
    first = seed_vision.projects[0]
    leaving = next(iter(first.participants))
    participants = {k: v for k, v in first.participants.items() if k != leaving}
    changed = dataclasses.replace(first, name=first.name + "（改）", participants=participants)
    after = dataclasses.replace(seed_vision, projects=[changed, *seed_vision.projects[1:]])
    title = t("doc.amendments_title", sphere=seed_vision.sphere.name, old=1, new=2)
    return amendments_document(diff(seed_vision, after), title)


def test_document_pdf_has_title_columns_rows_and_notes(amendments: Document) -> None:
    need_weasyprint()
    data = renderers.render_document(amendments, "pdf")
    assert data.startswith(b"%PDF-")
    text = flat(pdftotext(data))
    assert flat(amendments.title) in text
    for sheet in amendments.sheets:
        assert flat(sheet.title) in text
        assert all(flat(column) in text for column in sheet.columns)
        assert sheet.rows
        for row in sheet.rows:
            for value in row:
                if value is not None:
                    assert flat(str(value)) in text, value
    for note in amendments.notes:
        assert flat(note) in text
    assert all("Noto-Sans-CJK-JP" in name for name in fonts(data))


def test_document_pdf_escapes_and_keeps_empty_cells() -> None:
    need_weasyprint()
    from renkei.render.pdf import document_html

    document = Document(
        HOSTILE,
        (Sheet("表", ("番号", "内容"), ((1, HOSTILE), (2, None))),),
        ("注 <i>記</i>",),
    )
    html = document_html(document)
    assert "<script>" not in html and "<i>" not in html
    text = pdftotext(renderers.render_document(document, "pdf"))
    assert text.count(HOSTILE) >= 2
    assert "注 <i>記</i>" in text
    assert "None" not in text
