"""PDF through the web app: the upload page and ``POST /api/check`` read a PDF like any other table and locate
its findings by page; a scan is refused with its own message, not a server error."""

from __future__ import annotations

import importlib.util
import io
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from conftest import require
from renkei import render as renderers
from renkei.ingest import read_sample
from renkei.store import Store
from renkei.web.app import create_app


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    url = f"sqlite:///{tmp_path_factory.mktemp('pdf-web') / 'registry.db'}"
    with Store.open(url) as store, TestClient(create_app(store)) as client:
        yield client


@pytest.fixture(scope="module")
def sample_pdf() -> bytes:
    require(importlib.util.find_spec("weasyprint") is not None, "weasyprint is not installed")
    require(importlib.util.find_spec("pdfplumber") is not None, "pdfplumber is not installed")
    return renderers.render(read_sample().vision, "pdf")


def test_api_check_reads_a_pdf_with_pages(client: TestClient, sample_pdf: bytes) -> None:
    response = client.post("/api/check", files={"file": ("vision.pdf", sample_pdf, "application/pdf")})
    assert response.status_code == 200, response.text
    report = response.json()
    assert report["source"]["format"] == "pdf"
    assert [p["number"] for p in report["projects"]] == [p.number for p in read_sample().vision.projects]
    assert report["findings"] and all("page" in f for f in report["findings"])
    assert {f["page"] for f in report["findings"]} >= {1, 2}
    second = client.post(
        "/api/check", files={"file": ("vision.pdf", sample_pdf, "application/pdf")}, data={"pages": "2"}
    ).json()
    assert 0 < len(second["projects"]) < len(report["projects"])


def test_upload_page_shows_page_locations(client: TestClient, sample_pdf: bytes) -> None:
    page = client.get("/check").text
    assert ".pdf" in page and 'name="pages"' in page
    response = client.post("/check", files={"file": ("vision.pdf", sample_pdf, "application/pdf")})
    assert response.status_code == 200, response.text
    assert "2ページ" in response.text


def test_a_scan_is_refused_with_its_message(client: TestClient, tmp_path: Path) -> None:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (600, 400), "white").save(out, "PDF")
    response = client.post("/api/check", files={"file": ("scan.pdf", out.getvalue(), "application/pdf")})
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "pdf-no-text"
    page = client.post("/check", files={"file": ("scan.pdf", out.getvalue(), "application/pdf")})
    assert page.status_code == 422 and "OCR" in page.text
