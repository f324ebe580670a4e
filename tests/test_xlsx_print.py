"""XLSX downloads print well (issue 21): LibreOffice headless prints each workbook as an office without Excel
would, and the PDF holds every name and description whole, the title without renkei's metadata row, the header
on every page, and as many pages as the workbook should take: the amendment list's summary on one page and each
town's part on a page of its own. openpyxl reads back the page setup behind it."""

from __future__ import annotations

import dataclasses
import io
import re
import subprocess
from pathlib import Path

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from conftest import require_command
from renkei.ingest import read_sample
from renkei.publish.documents import amendments_document, town_document
from renkei.render import render, render_document
from renkei.vision.diff import diff
from renkei.vision.model import Vision
from renkei.vision.ownformat import MARKER
from test_print_libreoffice import to_pdf


def pdf_text(pdf: bytes, work: Path) -> str:
    """The PDF's text in the order it was drawn (a wrapped cell's lines together), without spaces or breaks."""
    source = work / "printed.pdf"
    source.write_bytes(pdf)
    done = subprocess.run(
        [require_command("pdftotext"), "-raw", str(source), "-"], capture_output=True, text=True, check=True
    )
    return "".join(done.stdout.split())


def flat(text: str) -> str:
    return "".join(text.split())


def pages(pdf: bytes) -> int:
    return len(PdfReader(io.BytesIO(pdf)).pages)


@pytest.fixture(scope="module")
def sample() -> Vision:
    return read_sample().vision


@pytest.fixture(scope="module")
def revised(sample: Vision) -> tuple[Vision, Vision]:
    """The sample before and after a revision: its first project added, its last one's description rewritten."""
    last = sample.projects[-1]
    reworded = dataclasses.replace(last, description=last.description + "（令和6年度から対象を拡大）")
    return dataclasses.replace(sample, projects=sample.projects[1:]), dataclasses.replace(
        sample, projects=(*sample.projects[:-1], reworded)
    )


def test_the_table_prints_every_name_and_description_whole(sample: Vision, tmp_path: Path) -> None:
    data = render(sample, "xlsx")
    sheet = load_workbook(io.BytesIO(data)).active
    assert sheet is not None
    header = next(r for r in range(1, 10) if sheet.cell(r, 1).value == "番号")
    # The metadata row is in the sheet (the reader takes it back) but out of the print area.
    assert sheet.cell(1, 1).value == MARKER
    assert re.fullmatch(r"\$?A\$?2:\$?[A-Z]+\$?\d+", str(sheet.print_area).split("!")[-1]), sheet.print_area
    setup = sheet.page_setup
    assert setup.orientation == "landscape" and setup.fitToWidth == 1 and setup.fitToHeight == 0
    assert str(setup.paperSize) in (sheet.PAPERSIZE_A4, sheet.PAPERSIZE_A3)
    assert sheet.print_title_rows == f"${header}:${header}"
    printed = to_pdf(data, "table.xlsx", tmp_path)
    text = pdf_text(printed, tmp_path)
    assert MARKER not in text and flat(sample.sphere.name) in text
    for project in sample.projects:
        assert flat(project.name) in text, project.name
        assert flat(project.description) in text, project.number
    assert flat(sample.labels.totals) in text  # the totals row's label, not cut to its first characters
    # The header row on every page.
    for page in PdfReader(io.BytesIO(printed)).pages:
        assert "事業内容" in flat(page.extract_text())
    assert read_sample().vision == sample  # the sample is read, not changed


def test_the_amendment_list_by_town_prints_a_summary_page_and_a_page_per_town(
    revised: tuple[Vision, Vision], tmp_path: Path
) -> None:
    before, after = revised
    amendments = diff(before, after)
    document = amendments_document(amendments, "上川中部定住自立圏 変更内容一覧（第1版→第2版）", "municipality")
    data = render_document(document, "xlsx")
    book = load_workbook(io.BytesIO(data))
    assert len(book.worksheets) == len(document.sheets) >= 3
    for sheet, part in zip(book.worksheets, document.sheets, strict=True):
        assert sheet.print_title_rows == "$2:$2" and sheet.page_setup.fitToWidth == 1
        assert sheet.sheet_properties.pageSetUpPr is not None and sheet.sheet_properties.pageSetUpPr.fitToPage
        assert sheet.page_setup.orientation in ("landscape", "portrait") and sheet.page_setup.paperSize is not None
        assert all(sheet.cell(2, c + 1).alignment.wrap_text for c in range(len(part.columns)))
    assert book.worksheets[0].page_setup.fitToHeight == 1  # the summary fits one page
    printed = to_pdf(data, "amendments.xlsx", tmp_path)
    # The summary on one page, each town's part on one page of its own: no sheet splits.
    assert pages(printed) == len(document.sheets)
    text = pdf_text(printed, tmp_path)
    for part in document.sheets:
        for row in part.rows:
            for value in row:
                if isinstance(value, str) and value:
                    assert flat(value) in text, value


def test_a_towns_annex_has_its_page_set_up(revised: tuple[Vision, Vision], tmp_path: Path) -> None:
    before, after = revised
    town = after.municipalities[0].name
    amendments = diff(before, after)
    document = town_document(amendments, town, f"{town} 変更協定 別表（第1版→第2版）")
    data = render_document(document, "xlsx")
    sheet = load_workbook(io.BytesIO(data)).active
    assert sheet is not None
    assert sheet.print_title_rows == "$2:$2" and sheet.page_setup.fitToWidth == 1
    assert sheet.page_setup.orientation in ("landscape", "portrait")
    assert "$A$1:" in str(sheet.print_area)
    printed = to_pdf(data, "annex.xlsx", tmp_path)
    assert pages(printed) == 1
    text = pdf_text(printed, tmp_path)
    assert flat(document.title) in text
    for row in document.sheets[0].rows:
        for value in row:
            if isinstance(value, str) and value:
                assert flat(value) in text, value
