"""The registry of readers and the formats it added: a Word document, an OpenDocument sheet, a web page and
the long form read through every door (``renkei check``, ``renkei import``, ``/api/check``, the check page),
each equal to the seed as the text reader reads it; a zip or a document that is no table says which it is."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from openpyxl import Workbook

from clirun import check_json, run
from readers_support import docx_bytes, html_page, ods_bytes
from renkei.core.messages import where
from renkei.ingest import read_bytes, read_path
from renkei.ingest.errors import TableReadError
from renkei.ingest.limits import Limits
from renkei.ingest.registry import BUILTIN, accept, choose
from renkei.ingest.report import check_reading
from renkei.store import Store
from renkei.vision.model import Severity, Vision
from renkei.web.app import create_app


@pytest.fixture(scope="module")
def seed_vision(seed_path: Path) -> Vision:
    return read_path(seed_path).vision


@pytest.fixture(scope="module")
def seed_report(seed_path: Path) -> dict[str, Any]:
    return check_json(seed_path)[1]


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory, seed_vision: Vision) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("readers")
    page = html_page(seed_vision)
    made = {
        "docx": ("vision.docx", docx_bytes(seed_vision)),
        "ods": ("vision.ods", ods_bytes(seed_vision)),
        "html": ("vision.html", page.replace("{charset}", "utf-8").encode("utf-8")),
        "html-sjis": ("vision-sjis.htm", page.replace("{charset}", "Shift_JIS").encode("cp932")),
    }
    paths = {}
    for kind, (name, data) in made.items():
        paths[kind] = folder / name
        paths[kind].write_bytes(data)
    return paths


def table_of(report: dict[str, Any]) -> dict[str, Any]:
    """What a reading must keep: municipalities, projects (without descriptions) and the totals."""
    projects = [{k: v for k, v in p.items() if k != "description"} for p in report["projects"]]
    # A town's header written over two lines (鷹栖<br>町) keeps its label as written; its name is one.
    towns = [(m["name"], m["code"]) for m in report["municipalities"]]
    return {"municipalities": towns, "projects": projects, "totals": report["totals"]}


# The registry ---------------------------------------------------------------------------------------------


def test_every_builtin_format_is_a_reader_of_the_registry_and_listed() -> None:
    names = [r.name for r in BUILTIN]
    for name in ("text", "csv", "aligned", "markdown", "json", "long", "xlsx", "ods", "docx", "html", "pdf"):
        assert name in names
    listed = json.loads(run("formats", "--readers", "--json").stdout)
    assert [r["name"] for r in listed] == names
    assert all(r["description"] and not r["plugin"] for r in listed)
    table = run("formats", COLUMNS="200").stdout
    assert "docx" in table and "Word" in table and "ods" in table
    for extension in (".docx", ".ods", ".html", ".xlsx", ".pdf", ".csv"):
        assert extension in accept().split(",")


@pytest.mark.parametrize("kind", ["docx", "ods", "html", "html-sjis"])
def test_a_new_format_reads_like_the_seed(kind: str, files: dict[str, Path], seed_report: dict[str, Any]) -> None:
    status, report, _ = check_json(files[kind])
    assert status == 0, report
    assert table_of(report) == table_of(seed_report)
    assert [p["description"] for p in report["projects"]] == [p["description"] for p in seed_report["projects"]]
    assert not [f for f in report["findings"] if f["severity"] != "info"], report["findings"]
    # The title is the heading before the table (in a Word heading style; on the page inside the layout table).
    assert report["sphere"]["name"] == "上川中部定住自立圏"


def test_the_format_is_told_by_content_not_by_name(files: dict[str, Path], tmp_path: Path) -> None:
    for kind, name in (("docx", "table.xlsx"), ("ods", "table.zip"), ("html", "table.txt")):
        data = files[kind].read_bytes()
        assert choose(data, name).name == kind.split("-")[0]
        assert read_bytes(data, name).source.format == kind.split("-")[0]


def test_ods_hidden_sheet_and_repeats_are_bounded(files: dict[str, Path]) -> None:
    reading = read_path(files["ods"])
    assert reading.source.sheet == "連携事業"
    assert ("sheet-hidden", "作業用") in {(f.code, f.location.sheet if f.location else None) for f in reading.findings}
    # The 1,000 empty cells and 100,000 empty rows repeated at the end make no cells; a table wider than the
    # column limit is refused.
    with pytest.raises(TableReadError) as refused:
        read_path(files["ods"], limits=Limits(max_columns=5))
    assert refused.value.code == "limit-exceeded"


def test_docx_wider_than_the_limit_is_refused(files: dict[str, Path]) -> None:
    with pytest.raises(TableReadError) as refused:
        read_path(files["docx"], limits=Limits(max_columns=5))
    assert refused.value.code == "limit-exceeded" and refused.value.params["limit"] == "max_columns"


def test_docx_points_at_table_and_cell(files: dict[str, Path], seed_vision: Vision) -> None:
    reading = read_path(files["docx"])
    assert reading.source.format == "docx"
    first = reading.vision.projects[0]
    assert first.location is not None and first.location.sheet == "表2", "the second table is the project table"
    position = first.location.table_position()  # the project's row of that table, said as a table's
    assert position is not None and position[0] > 1, first.location
    assert where(first.location, "ja") == f"表2 の {position[0]}行目・{position[1]}列目"
    only = read_path(files["docx"], sheet="2")
    assert [p.name for p in only.vision.projects] == [p.name for p in seed_vision.projects]
    with pytest.raises(TableReadError) as refused:
        read_path(files["docx"], sheet="1")
    assert refused.value.code == "no-table"


def _zip(parts: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return out.getvalue()


@pytest.mark.parametrize(
    ("name", "data", "code"),
    [
        ("photos.zip", _zip({"a.jpg": b"\xff\xd8\xff", "b.txt": b"x"}), "zip-not-table"),
        ("book.xlsx", _zip({"a.jpg": b"\xff\xd8\xff"}), "zip-not-table"),
        ("minutes.odt", _zip({"mimetype": b"application/vnd.oasis.opendocument.text"}), "odf-not-spreadsheet"),
        (
            "letter.docx",
            _zip(
                {
                    "word/document.xml": b"<w:document xmlns:w='http://schemas.openxmlformats.org/"
                    b"wordprocessingml/2006/main'><w:body><w:p/></w:body>"
                    b"</w:document>"
                }
            ),
            "docx-no-table",
        ),
        ("broken.docx", _zip({"word/document.xml": b"<w:document"}), "docx-unreadable"),
        ("cut.docx", b"PK\x03\x04" + bytes(300), "docx-unreadable"),
        ("cut.zip", b"PK\x03\x04" + bytes(300), "zip-unreadable"),
        (
            "bomb.ods",
            _zip({"mimetype": b"application/vnd.oasis.opendocument.spreadsheet" + bytes(10**4)}),
            "zip-not-table",
        ),
        ("page.html", b"<!DOCTYPE html><html><body><p>\xe3\x81\x82</p></body></html>", "html-no-table"),
    ],
)
def test_a_recognised_file_that_is_no_table_says_which_format(
    tmp_path: Path, name: str, data: bytes, code: str
) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    status, report, _ = check_json(path)
    assert status == 2
    assert report["error"]["code"] == code
    plain = run("check", path)
    assert plain.returncode == 2 and "Traceback" not in plain.stderr


def test_docx_entities_are_not_expanded(tmp_path: Path) -> None:
    """An entity defined in the document's DTD is neither expanded nor fetched: a billion laughs stays small."""
    laughs = (
        b"<?xml version='1.0'?><!DOCTYPE w [<!ENTITY a 'aaaaaaaaaa'><!ENTITY b '&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;'>"
        b"<!ENTITY c '&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;'><!ENTITY x SYSTEM 'http://127.0.0.1:9/x'>]>"
        b"<w:document xmlns:w='http://schemas.openxmlformats.org/wordprocessingml/2006/main'><w:body>"
        b"<w:tbl><w:tr><w:tc><w:p><w:r><w:t>&c;&x;</w:t></w:r></w:p></w:tc></w:tr></w:tbl></w:body></w:document>"
    )
    with pytest.raises(TableReadError) as refused:
        read_bytes(_zip({"word/document.xml": laughs}), "x.docx")
    assert refused.value.code in ("no-table", "docx-unreadable")


# The long form --------------------------------------------------------------------------------------------


def test_the_csv_long_export_reads_back_as_the_table(
    seed_path: Path, tmp_path: Path, seed_report: dict[str, Any]
) -> None:
    exported = run("export", seed_path, "--to", "csv-long")
    assert exported.returncode == 0
    path = tmp_path / "long.csv"
    path.write_text(exported.stdout, encoding="utf-8")
    status, report, _ = check_json(path)
    assert status == 0, report
    assert table_of(report) == table_of(seed_report)


def test_the_long_form_of_open_data_in_cp932_xlsx_codes_or_names(
    tmp_path: Path, seed_vision: Vision, seed_report: dict[str, Any]
) -> None:
    def rows(with_codes: bool, with_names: bool) -> list[list[str]]:
        head = [
            "事業番号",
            "事業名",
            *(["全国地方公共団体コード"] if with_codes else []),
            *(["市町村名"] if with_names else []),
        ]
        body = [[*head, "役割"]]
        for p in seed_vision.projects:
            for m in seed_vision.municipalities:
                if m.name in p.participants:
                    member = ([m.code or ""] if with_codes else []) + ([m.name] if with_names else [])
                    body.append([str(p.number), p.name, *member, "連携"])
        return body

    def participants(report: dict[str, Any]) -> list[tuple[int, str, list[str]]]:
        return [(p["number"], p["name"], p["participants"]) for p in report["projects"]]

    expected = participants(seed_report)
    for with_codes, with_names in ((True, True), (True, False), (False, True)):
        text = "\r\n".join(",".join(r) for r in rows(with_codes, with_names))
        path = tmp_path / f"open-{with_codes}-{with_names}.csv"
        path.write_bytes(text.encode("cp932"))
        status, report, _ = check_json(path)
        assert status == 0, report
        assert participants(report) == expected
        assert table_of(report)["municipalities"] == table_of(seed_report)["municipalities"]
    workbook = Workbook()
    for row in rows(True, True):
        workbook.active.append(row)
    out = io.BytesIO()
    workbook.save(out)
    reading = read_bytes(out.getvalue(), "long.xlsx")
    assert reading.source.format == "long-xlsx"
    assert [(p.number, p.name, list(p.participants)) for p in reading.vision.projects] == [
        (n, name, towns) for n, name, towns in expected
    ]


def test_a_wide_table_is_never_taken_for_a_long_one(seed_vision: Vision) -> None:
    from renkei.render import render

    for fmt in ("csv", "csv-cp932", "official", "xlsx", "markdown"):
        reading = read_bytes(render(seed_vision, fmt), f"wide.{fmt}")
        assert not reading.source.format.startswith("long"), fmt
        assert len(reading.vision.projects) == len(seed_vision.projects)


def test_participants_in_one_cell_are_not_the_long_form() -> None:
    """A table whose participants column names one town on most rows is still a wide table of one-cell lists."""
    text = "番号,事業名,市町村名\n1,医療,鷹栖町\n2,観光,鷹栖町\n3,交通,鷹栖町、当麻町\n4,教育,東神楽町\n"
    reading = read_bytes(text.encode(), "onecell.csv")
    assert reading.source.format == "csv"


@pytest.mark.parametrize(
    "headings",
    [
        ("No.", "連携する取組", "構成団体", "関わり方"),
        ("施策番号", "連携施策名", "団体名称", "参加形態"),
        ("id", "project", "municipality", "role"),
    ],
    ids=["torikumi", "shisaku", "english"],
)
def test_the_long_form_under_headings_in_other_words_is_told_by_its_columns(
    headings: tuple[str, str, str, str], seed_vision: Vision
) -> None:
    """Open data that heads its columns in words renkei has no list for: the municipalities' column is told by
    its names, the number by whole numbers that repeat, the name by text repeating beside it, the role by its
    marks; what was told is said once (``long-columns-inferred``)."""
    lines = [",".join(headings)]
    for p in seed_vision.projects:
        for town, role in p.participants.items():
            lines.append(f"{p.number},{p.name},{town},{'◎' if role.value == 'lead' else '○'}")
    lines.append(
        f"{seed_vision.projects[0].number},{seed_vision.projects[0].name},{seed_vision.municipalities[0].name},－"
    )
    report = check_reading(read_bytes("\n".join(lines).encode("utf-8"), "open.csv"))
    assert report.reading.source.format == "long-csv"
    got = [(p.number, p.name, {t: r.value for t, r in p.participants.items()}) for p in report.reading.vision.projects]
    expected = [(p.number, p.name, {t: r.value for t, r in p.participants.items()}) for p in seed_vision.projects]
    assert got == expected
    (said,) = [f for f in report.findings if f.code == "long-columns-inferred"]
    assert said.severity is Severity.INFO and all(h in said.params["columns"] for h in headings)


def test_a_list_of_towns_and_their_data_is_not_a_long_form() -> None:
    """Towns one a row with figures beside them (a members list) have no project column: not a table."""
    text = "団体,人口,面積\n鷹栖町,6500,139\n当麻町,6100,204\n東神楽町,10000,68\n"
    with pytest.raises(TableReadError):
        read_bytes(text.encode(), "members.csv")


def test_a_code_wins_over_a_name_that_contradicts_it(tmp_path: Path) -> None:
    text = "番号,事業名,団体コード,市町村名\n1,医療,014524,鷹栖町\n1,医療,014532,当麻町\n2,観光,014532,東神楽町\n"
    reading = read_bytes(text.encode(), "open.csv")
    assert [m.name for m in reading.vision.municipalities] == ["鷹栖町", "東神楽町"]
    differ = [f for f in reading.findings if f.code == "long-code-name-differ"]
    assert differ and differ[0].params["name"] == "当麻町" and differ[0].location is not None
    assert differ[0].location.line == 3


# The other doors ------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Any:
    url = f"sqlite:///{tmp_path_factory.mktemp('readers-web') / 'registry.db'}"
    store = Store.open(url)
    with TestClient(create_app(store)) as client:
        yield client
    store.close()


@pytest.mark.parametrize("kind", ["docx", "ods", "html"])
def test_api_check_reads_the_new_formats(
    kind: str, client: TestClient, files: dict[str, Path], seed_report: dict[str, Any]
) -> None:
    path = files[kind]
    response = client.post("/api/check", files={"file": (path.name, path.read_bytes(), "application/octet-stream")})
    assert response.status_code == 200, response.text
    assert table_of(response.json()) == table_of(seed_report)


def test_api_lists_the_readers_and_the_page_offers_them(client: TestClient, files: dict[str, Path]) -> None:
    listed = client.get("/api/readers").json()
    assert {"docx", "ods", "html", "long"} <= {r["name"] for r in listed}
    page = client.get("/check").text
    assert ".docx" in page and ".ods" in page and "application/vnd.oasis.opendocument.spreadsheet" in page
    path = files["docx"]
    checked = client.post("/check", files={"file": (path.name, path.read_bytes(), "application/octet-stream")})
    assert checked.status_code == 200 and "創業支援事業" in checked.text


def test_renkei_import_of_a_word_document(files: dict[str, Path], tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'r.db'}"
    assert run("import", "--sample", "--db", db).returncode == 0
    result = run("import", files["docx"], "--sphere", "kamikawa-chubu", "--db", db)
    assert result.returncode == 0, result.stderr
