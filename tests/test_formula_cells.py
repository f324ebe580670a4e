"""No download runs a formula: cells that a spreadsheet would take for one are neutralised (OWASP CSV injection).

Every CSV cell starting with = + - @, a tab or a carriage return gets a leading apostrophe, which renkei's reader
removes again; XLSX text is never written as a formula, so the only formulas in a workbook are renkei's own
counts. Parametrised over the renderer registry, for visions and for documents (amendment lists, agreements),
and the audit trail's CSV.
"""

from __future__ import annotations

import copy
import csv
import datetime
import io
from dataclasses import dataclass
from typing import Any

import pytest
from openpyxl import load_workbook

from renkei.ingest import read_bytes, read_sample
from renkei.render import Document, Renderer, Sheet, renderers
from renkei.vision.model import Vision
from renkei.vision.ownformat import FORMULA_STARTS

HOSTILE = ['=HYPERLINK("http://x","y")', "+1", "-1+2", "@SUM(A1)", "\tTAB", "\rCR"]
# Japanese text starting with a long vowel or a full-width minus is not a formula: written as it is.
JAPANESE = ["ー（長音）で始まる説明", "－（全角）で始まる説明"]
SPREADSHEETS = [r for r in renderers() if r.extension in ("csv", "xlsx")]


def hostile_vision() -> Vision:
    vision = copy.deepcopy(read_sample().vision)
    for project, name in zip(vision.projects, HOSTILE, strict=False):
        project.name = name
    vision.projects[-1].description = JAPANESE[0]
    vision.projects[-2].description = JAPANESE[1]
    vision.projects[-3].attributes = {"=備考": "=1+1"}
    return vision


def hostile_document() -> Document:
    rows = tuple((text, -3, text) for text in [*HOSTILE, *JAPANESE])
    return Document("=変更内容一覧", (Sheet("@一覧", ("=列", "差", "内容"), rows),), notes=("-注",))


def csv_cells(renderer: Renderer, data: bytes) -> list[str]:
    encoding = "cp932" if "shift_jis" in renderer.media_type else "utf-8-sig"
    return [cell for row in csv.reader(io.StringIO(data.decode(encoding), newline="")) for cell in row]


def assert_csv_neutral(cells: list[str]) -> None:
    starting = [c for c in cells if c.startswith(FORMULA_STARTS) and not c.lstrip("-").isdigit()]
    assert starting == []
    for text in HOSTILE:
        assert "'" + text in cells
    assert set(JAPANESE) <= set(cells)


def assert_xlsx_neutral(data: bytes) -> None:
    texts: list[str] = []
    for sheet in load_workbook(io.BytesIO(data)).worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.data_type == "f":  # renkei's own counts only
                    assert str(cell.value).startswith(("=COUNTIF(", "=SUM(")), cell.coordinate
                    assert "HYPERLINK" not in str(cell.value) and "A1)" not in str(cell.value)
                elif isinstance(cell.value, str):
                    texts.append(cell.value)
    for text in [*HOSTILE, *JAPANESE]:
        assert any(text.strip() in t for t in texts), text


@pytest.mark.parametrize("renderer", SPREADSHEETS, ids=lambda r: r.name)
def test_no_vision_download_runs_a_formula(renderer: Renderer) -> None:
    vision = hostile_vision()
    data = renderer.render(vision)
    if renderer.extension == "csv":
        cells = csv_cells(renderer, data)
        if renderer.readable:
            assert_csv_neutral(cells)
        else:  # the long form has names but no descriptions
            assert [c for c in cells if c.startswith(FORMULA_STARTS)] == []
    else:
        assert_xlsx_neutral(data)
    if renderer.readable:  # and renkei reads back what it wrote, apostrophes removed (cells stripped, as always)
        back = read_bytes(data, f"hostile.{renderer.extension}").vision
        assert [p.name for p in back.projects] == [p.name.strip() for p in vision.projects]
        assert [p.description for p in back.projects] == [p.description for p in vision.projects]
        assert back.projects[-3].attributes == {"=備考": "=1+1"}


@pytest.mark.parametrize("renderer", [r for r in SPREADSHEETS if r.document is not None], ids=lambda r: r.name)
def test_no_document_download_runs_a_formula(renderer: Renderer) -> None:
    assert renderer.document is not None
    data = renderer.document(hostile_document())
    if renderer.extension == "csv":
        cells = csv_cells(renderer, data)
        assert_csv_neutral(cells)
        assert "-3" in cells  # a number stays a number
    else:
        assert_xlsx_neutral(data)


def test_text_that_starts_with_an_apostrophe_reads_back_exactly() -> None:
    vision = copy.deepcopy(read_sample().vision)
    vision.projects[0].name, vision.projects[1].name = "'=quoted", "'plain"
    for renderer in SPREADSHEETS:
        if renderer.readable:
            back = read_bytes(renderer.render(vision), f"q.{renderer.extension}").vision
            assert [p.name for p in back.projects[:2]] == ["'=quoted", "'plain"], renderer.name


@dataclass
class _Entry:
    id: int
    at: datetime.datetime
    username: str
    action: str
    sphere: str
    target: str
    before: Any
    after: Any
    address: str
    user_agent: str


def test_the_audit_trail_csv_runs_no_formula() -> None:
    from renkei.web.auditview import audit_csv as _audit_csv

    entry = _Entry(1, datetime.datetime(2026, 1, 1), "=cmd", "edit", "k", "+1", None, "@x", "-1", HOSTILE[0])
    body = bytes(_audit_csv([entry], "k").body)
    cells = [c for row in csv.reader(io.StringIO(body.decode("utf-8-sig"), newline="")) for c in row]
    assert [c for c in cells if c.startswith(FORMULA_STARTS)] == []
    assert {"'=cmd", "'+1", "'-1", "'" + HOSTILE[0]} <= set(cells)
