"""A PDF checked with some of its pages is imported with the same pages: the check page carries them through the
confirmation, and ``POST /api/spheres/{key}/revisions`` takes them as ``/api/check`` does."""

from __future__ import annotations

import importlib.util
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from conftest import require
from renkei import render as renderers
from renkei.ingest import read_sample
from renkei.store import SphereSpec, Store
from renkei.web.app import create_app

KEY = "pdf-pages"
ADMIN, PASSWORD = "pdf-admin", "a long enough password 1234"
FIELD = r'name="{}" value="([^"]*)"'
LOGOUT_CSRF = re.compile(r'action="/logout"[^>]*>\s*<input type="hidden" name="csrf" value="([^"]+)"')


@pytest.fixture(scope="module")
def sample_pdf() -> bytes:
    require(importlib.util.find_spec("weasyprint") is not None, "weasyprint is not installed")
    require(importlib.util.find_spec("pdfplumber") is not None, "pdfplumber is not installed")
    return renderers.render(read_sample().vision, "pdf")


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with Store.open(f"sqlite:///{tmp_path / 'registry.db'}") as store:
        store.import_reading(read_sample(), SphereSpec(key=KEY), message="first")
        store.accounts.add(ADMIN, PASSWORD, is_admin=True)
        yield store


@pytest.fixture
def client(store: Store) -> Iterator[TestClient]:
    with TestClient(create_app(store)) as client:
        yield client


def field(page: str, name: str) -> str:
    found = re.search(FIELD.format(name), page)
    assert found is not None, name
    return found[1]


def checked_numbers(client: TestClient, pdf: bytes, pages: str) -> list[int]:
    response = client.post("/api/check", files={"file": ("vision.pdf", pdf, "application/pdf")}, data={"pages": pages})
    assert response.status_code == 200, response.text
    return [p["number"] for p in response.json()["projects"]]


def stored_numbers(store: Store) -> list[int]:
    return [p.number for p in store.vision(KEY).projects]


def test_the_confirmation_imports_the_pages_that_were_checked(
    store: Store, client: TestClient, sample_pdf: bytes
) -> None:
    everything = checked_numbers(client, sample_pdf, "")
    second = checked_numbers(client, sample_pdf, "2")
    assert 0 < len(second) < len(everything)  # the table runs over more than one page

    login = client.get("/login").text
    form = {"username": ADMIN, "password": PASSWORD, "csrf": field(login, "csrf"), "next": "/"}
    assert client.post("/login", data=form, follow_redirects=False).status_code == 303
    files = {"file": ("vision.pdf", sample_pdf, "application/pdf")}
    page = client.post("/check", files=files, data={"sphere": KEY, "pages": "2"})
    assert page.status_code == 200, page.text
    assert field(page.text, "pages") == "2"
    csrf = LOGOUT_CSRF.search(page.text)
    assert csrf is not None
    confirm = {"csrf": csrf[1], "sha256": field(page.text, "sha256"), "pages": "2", "message": "2ページだけ"}
    if 'name="force"' in page.text:  # the part of the table on one page may disagree with its totals
        confirm["force"] = "1"
    imported = client.post(f"/spheres/{KEY}/import", data=confirm, follow_redirects=False)
    assert imported.status_code == 303, imported.text
    assert "imported=2" in imported.headers["location"]
    assert stored_numbers(store) == second


def test_the_api_import_takes_the_pages(store: Store, client: TestClient, sample_pdf: bytes) -> None:
    second = checked_numbers(client, sample_pdf, "2")
    _, token = store.accounts.create_token(ADMIN, "tests")
    files = {"file": ("vision.pdf", sample_pdf, "application/pdf")}
    response = client.post(
        f"/api/spheres/{KEY}/revisions",
        files=files,
        data={"pages": "2", "force": "true"},
        headers={"Authorization": f"Bearer {token}"},
    )
    assert response.status_code == 201, response.text
    assert stored_numbers(store) == second
