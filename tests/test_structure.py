"""Structure before vocabulary: the name, number and description columns told by what they hold when their
headers are worded in ways renkei's word lists do not know (or not at all), and a table whose names cannot be
found refused as an error in every door (CLI, check page, ``/api/check``, the import API), with the choice of
the column (``--name-column``, the form's field, ``name_column``) reading it."""

from __future__ import annotations

import copy
import importlib.util
import json
import re
import subprocess
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from conftest import require
from renkei import render as renderers
from renkei.ingest import read_bytes, read_sample
from renkei.ingest.report import check_reading
from renkei.store import SphereSpec, Store
from renkei.web.app import create_app
from seedfacts import SeedFacts

NAMES = ["救急医療体制の確保", "地域公共交通の充実", "職員研修の共同実施", "移住定住の促進"]
DESCRIPTIONS = [
    "休日夜間の救急医療体制を圏域で確保する。",
    "圏域を結ぶバス路線を維持し、利便性を高める。",
    "各市町の職員を対象とした研修を合同で行う。",
    "移住相談会を共同で開催し、圏域への移住を促進する。",
]
MARKS = [("○", "○", ""), ("○", "", "○"), ("", "○", "○"), ("○", "○", "○")]
KEY = "structure"
ADMIN, PASSWORD = "structure-admin", "a long enough password 1234"


def table(
    facts: SeedFacts, name_header: str, description_header: str = "取組の概要", number_header: str = "番号"
) -> bytes:
    towns = facts.towns[:3]
    lines = [[number_header, name_header, description_header, *towns, "連携町数"]]
    for i, (name, text, marks) in enumerate(zip(NAMES, DESCRIPTIONS, MARKS, strict=True), start=1):
        lines.append([str(i), name, text, *marks, str(sum(1 for m in marks if m))])
    return "\n".join("\t".join(cells) for cells in lines).encode("utf-8")


def codes(data: bytes, **options: str) -> list[str]:
    return [f.code for f in check_reading(read_bytes(data, "table.txt", **options)).findings]  # type: ignore[arg-type]


def names(data: bytes, **options: str) -> list[str]:
    return [p.name for p in read_bytes(data, "table.txt", **options).vision.projects]  # type: ignore[arg-type]


# Headings outside every word list: the column is told by its cells -----------------------------------------


@pytest.mark.parametrize(
    "heading",
    [
        "取組名",
        "事業の名称",
        "主な取組",
        "連携する取組",
        "具体的な取組",
        "取組事項",
        "施策名",
        "連携事業",
        "プロジェクト",
    ],
)
def test_an_unfamiliar_name_heading_gives_the_names(facts: SeedFacts, heading: str) -> None:
    data = table(facts, heading)
    assert names(data) == NAMES
    found = codes(data)
    assert "name-column-missing" not in found
    vision = read_bytes(data, "table.txt").vision
    assert [p.description for p in vision.projects] == DESCRIPTIONS
    assert all(heading not in p.attributes for p in vision.projects)


@pytest.mark.parametrize("heading", ["内容", "具体的内容", "取組の概要", "説明", "詳細"])
def test_an_unfamiliar_description_heading_gives_the_descriptions(facts: SeedFacts, heading: str) -> None:
    data = table(facts, "主な取組", heading)
    vision = read_bytes(data, "table.txt").vision
    assert [p.name for p in vision.projects] == NAMES
    assert [p.description for p in vision.projects] == DESCRIPTIONS


def test_a_known_word_is_a_hint_the_content_does_not_overrule(facts: SeedFacts) -> None:
    data = table(facts, "事業名")
    assert names(data) == NAMES
    assert "name-column-inferred" not in codes(data)


def test_no_heading_at_all_is_read_by_the_cells(facts: SeedFacts) -> None:
    data = table(facts, "", "", "")
    vision = read_bytes(data, "table.txt").vision
    assert [p.number for p in vision.projects] == [1, 2, 3, 4]
    assert [p.name for p in vision.projects] == NAMES
    assert [p.description for p in vision.projects] == DESCRIPTIONS
    assert {"name-column-inferred", "description-column-inferred"} <= set(codes(data))


def test_the_inferred_column_is_said_once_with_its_position_and_header(facts: SeedFacts) -> None:
    findings = check_reading(read_bytes(table(facts, "主な取組"), "t.txt")).findings
    inferred = [f for f in findings if f.code == "name-column-inferred"]
    assert len(inferred) == 1
    assert inferred[0].params["column"] == "2:「主な取組」"
    assert (inferred[0].location.line, inferred[0].location.column) == (1, 2)  # type: ignore[union-attr]


# Names that cannot be found ---------------------------------------------------------------------------------


def nameless(facts: SeedFacts) -> bytes:
    """A table whose only text column holds sentences: no column holds names, under any heading."""
    towns = facts.towns[:3]
    lines = [["番号", "取組の方向", *towns, "連携町数"]]
    for i, (text, marks) in enumerate(zip(DESCRIPTIONS, MARKS, strict=True), start=1):
        lines.append([str(i), text, *marks, str(sum(1 for m in marks if m))])
    return "\n".join("\t".join(cells) for cells in lines).encode("utf-8")


def test_names_not_found_is_an_error_naming_the_candidates(facts: SeedFacts) -> None:
    report = check_reading(read_bytes(nameless(facts), "t.txt"))
    missing = [f for f in report.findings if f.code == "name-column-missing"]
    assert len(missing) == 1 and not report.ok
    assert missing[0].params["candidates"] == "2:「取組の方向」"
    assert missing[0].location is not None and missing[0].location.line == 1


def test_the_chosen_column_reads_the_names(facts: SeedFacts) -> None:
    for choice in ("2", "取組の方向", " 取組の方向 "):
        report = check_reading(read_bytes(nameless(facts), "t.txt", name_column=choice))
        assert [p.name for p in report.reading.vision.projects] == DESCRIPTIONS
        assert "name-column-missing" not in [f.code for f in report.findings]
    # A choice overrides even a header word: the person knows the table.
    assert names(table(facts, "事業名"), name_column="3") == DESCRIPTIONS


def test_a_choice_naming_no_column_is_an_error(facts: SeedFacts) -> None:
    found = codes(nameless(facts), name_column="取組名")
    assert "name-column-unknown" in found


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "renkei", *args], capture_output=True, text=True, encoding="utf-8", check=False
    )


def test_the_cli_exits_1_and_takes_name_column(facts: SeedFacts, tmp_path: Path) -> None:
    path = tmp_path / "nameless.txt"
    path.write_bytes(nameless(facts))
    refused = run("check", str(path), "--json")
    assert refused.returncode == 1, refused.stderr
    report = json.loads(refused.stdout)
    assert "name-column-missing" in [f["code"] for f in report["findings"]]
    plain = run("check", str(path))
    assert plain.returncode == 1 and "--name-column" in plain.stdout + plain.stderr
    chosen = run("check", str(path), "--name-column", "2", "--json")
    assert chosen.returncode == 0, chosen.stdout
    assert [p["name"] for p in json.loads(chosen.stdout)["projects"]] == DESCRIPTIONS


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


def post_check(client: TestClient, data: bytes, **form: str) -> dict[str, object]:
    response = client.post("/api/check", files={"file": ("t.txt", data, "text/plain")}, data=form)
    assert response.status_code == 200, response.text
    answer: dict[str, object] = response.json()
    return answer


def finding_codes(answer: dict[str, object]) -> list[str]:
    return [f["code"] for f in answer["findings"]]  # type: ignore[attr-defined, index]


def test_the_api_reports_and_takes_name_column(client: TestClient, facts: SeedFacts) -> None:
    refused = post_check(client, nameless(facts))
    assert "name-column-missing" in finding_codes(refused)
    assert refused["summary"]["error"] >= 1  # type: ignore[index]
    chosen = post_check(client, nameless(facts), name_column="取組の方向")
    assert [p["name"] for p in chosen["projects"]] == DESCRIPTIONS  # type: ignore[attr-defined, index]


def test_the_check_page_has_the_field_and_uses_it(client: TestClient, facts: SeedFacts) -> None:
    form = client.get("/check").text
    assert 'name="name_column"' in form
    files = {"file": ("t.txt", nameless(facts), "text/plain")}
    page = client.post("/check", files=files).text
    assert "name-column-missing" in page and "事業名の列" in page
    chosen = client.post("/check", files=files, data={"name_column": "2"}).text
    assert "name-column-missing" not in chosen and DESCRIPTIONS[0] in chosen
    assert re.search(r'name="name_column"[^>]*value="2"', chosen)


def test_the_import_api_refuses_then_takes_name_column(client: TestClient, store: Store, facts: SeedFacts) -> None:
    _, token = store.accounts.create_token(ADMIN, "tests")
    headers = {"Authorization": f"Bearer {token}"}
    files = {"file": ("t.txt", nameless(facts), "text/plain")}
    refused = client.post(f"/api/spheres/{KEY}/revisions", files=files, headers=headers)
    assert refused.status_code == 422, refused.text
    assert "name-column-missing" in refused.text
    taken = client.post(f"/api/spheres/{KEY}/revisions", files=files, data={"name_column": "2"}, headers=headers)
    assert taken.status_code == 201, taken.text
    assert [p.name for p in store.vision(KEY).projects] == DESCRIPTIONS


def rows(*lines: Sequence[str]) -> bytes:
    return "\n".join("\t".join(line) for line in lines).encode("utf-8")


def test_a_participants_table_with_an_unfamiliar_heading(facts: SeedFacts) -> None:
    towns = facts.towns[:3]
    data = rows(
        ("No.", "連携する取組", "連携市町村"),
        ("1", NAMES[0], "、".join(towns[:2])),
        ("2", NAMES[1], "、".join(towns)),
        ("3", NAMES[2], towns[2]),
    )
    assert names(data) == NAMES[:3]


def test_a_pdf_with_an_unfamiliar_name_heading_keeps_its_names() -> None:
    """The issue's case: a vision PDF whose name column is headed 主な取組 was read with every name empty."""
    require(importlib.util.find_spec("weasyprint") is not None, "weasyprint is not installed")
    require(importlib.util.find_spec("pdfplumber") is not None, "pdfplumber is not installed")
    sample = read_sample().vision
    printed = copy.deepcopy(sample)
    printed.labels.name, printed.labels.description = "主な取組", "具体的内容"
    reading = read_bytes(renderers.render(printed, "pdf"), "vision.pdf")
    assert [p.name for p in reading.vision.projects] == [p.name for p in sample.projects]
    assert "name-column-inferred" in [f.code for f in reading.findings]


# Group labels over the towns, in any wording --------------------------------------------------------------


def two_row_header(facts: SeedFacts, central: str, members: str, central_below: str | None = None) -> bytes:
    """A header over two rows: the groups' labels above, the central city and three towns below (the central
    city's name above an empty cell when ``central_below`` is ``""``)."""
    towns = facts.towns[:3]
    below = "旭川市" if central_below is None else central_below  # the towns' central city, a column here
    return rows(
        ("番号", "事業名", "事業内容", central, members, "", "", "連携町数"),
        ("", "", "", below, *towns, ""),
        ("1", NAMES[0], DESCRIPTIONS[0], "○", "○", "○", "", "3"),
        ("2", NAMES[1], DESCRIPTIONS[1], "○", "", "○", "○", "3"),
    )


@pytest.mark.parametrize(
    ("central", "members"),
    [
        ("中心市", "連携町村"),
        ("中心市", "圏域市町村"),
        ("中心市", "参加団体"),
        ("中心都市", "周辺の町"),
        ("圏域の中心", "構成町"),
        ("連携中枢都市", "近隣町村"),
        ("中心市", "北海道"),
        ("中心市等", "関係する町"),
    ],
)
def test_a_group_label_is_never_a_town(facts: SeedFacts, central: str, members: str) -> None:
    report = check_reading(read_bytes(two_row_header(facts, central, members), "t.txt"))
    vision = report.reading.vision
    assert [m.name for m in vision.municipalities] == ["旭川市", *facts.towns[:3]]
    assert [m.central for m in vision.municipalities] == [True, False, False, False]
    assert not [f.code for f in report.findings if f.severity.value != "info"]


def test_a_town_over_an_empty_cell_stays_a_town(facts: SeedFacts) -> None:
    vision = read_bytes(two_row_header(facts, "旭川市", "連携町村", central_below=""), "t.txt").vision
    assert [m.name for m in vision.municipalities] == ["旭川市", *facts.towns[:3]]


# What was understood, said back ---------------------------------------------------------------------------


def test_check_json_says_which_column_is_which(facts: SeedFacts, tmp_path: Path) -> None:
    path = tmp_path / "t.txt"
    path.write_bytes(table(facts, "主な取組"))
    answer = json.loads(run("check", str(path), "--json").stdout)
    assert {"municipalities", "projects", "totals", "findings"} <= answer.keys()  # the contract, unchanged
    (block,) = answer["understood"]["blocks"]
    taken = {c["position"]: (c["as"], c["how"]) for c in block["columns"]}
    assert taken[1] == ("number", "header") and taken[2] == ("name", "content") and taken[3][0] == "description"
    members = [c for c in block["columns"] if c["as"] == "municipality"]
    assert [c["municipality"] for c in members] == facts.towns[:3] and all(c["code"] for c in members)
    assert taken[4 + len(members) - 1 + 1] == ("count", "header")
    chosen = json.loads(run("check", str(path), "--name-column", "主な取組", "--json").stdout)
    assert [c["how"] for c in chosen["understood"]["blocks"][0]["columns"] if c["as"] == "name"] == ["choice"]


def test_check_text_and_page_say_it_too(client: TestClient, facts: SeedFacts, tmp_path: Path) -> None:
    path = tmp_path / "t.txt"
    path.write_bytes(table(facts, "主な取組"))
    text = run("check", str(path)).stdout
    assert "読み取った表の形" in text and "2列目「主な取組」（中身から判断）" in text
    page = client.post("/check", files={"file": ("t.txt", table(facts, "主な取組"), "text/plain")}).text
    assert "読み取った表の形" in page and "2列目「主な取組」（中身から判断）" in page
    answer = post_check(client, table(facts, "主な取組"))
    assert answer["understood"]["blocks"][0]["columns"][1]["as"] == "name"  # type: ignore[index]


def test_the_notes_applied_are_said(facts: SeedFacts) -> None:
    data = table(facts, "事業名").decode() + "\n※連携町数には中心市を含む"
    reading = read_bytes(data.encode(), "t.txt")
    assert reading.understood is not None
    assert reading.understood.notes == [{"code": "central-note-applied", "text": "※連携町数には中心市を含む"}]


def test_the_check_page_import_carries_the_chosen_column(client: TestClient, store: Store, facts: SeedFacts) -> None:
    login = client.get("/login").text
    csrf = re.search(r'name="csrf" value="([^"]+)"', login)
    assert csrf is not None
    form = {"username": ADMIN, "password": PASSWORD, "csrf": csrf[1], "next": "/"}
    assert client.post("/login", data=form, follow_redirects=False).status_code == 303
    files = {"file": ("t.txt", nameless(facts), "text/plain")}
    page = client.post("/check", files=files, data={"sphere": KEY, "name_column": "2"}).text
    sha = re.search(r'name="sha256" value="([^"]+)"', page)
    kept = re.search(r'type="hidden" name="name_column" value="([^"]*)"', page)
    token = re.search(r'action="/logout"[^>]*>\s*<input type="hidden" name="csrf" value="([^"]+)"', page)
    assert sha is not None and kept is not None and token is not None
    assert kept[1] == "2"
    confirm = {"csrf": token[1], "sha256": sha[1], "name_column": kept[1], "message": "名称の列を指定"}
    imported = client.post(f"/spheres/{KEY}/import", data=confirm, follow_redirects=False)
    assert imported.status_code == 303, imported.text
    assert [p.name for p in store.vision(KEY).projects] == DESCRIPTIONS


def test_a_count_column_under_an_unfamiliar_header_is_told_by_its_numbers(facts: SeedFacts) -> None:
    towns = facts.towns[:3]
    data = rows(
        ("番号", "事業名", "事業内容", *towns, "該当数", "担当課"),
        ("1", NAMES[0], DESCRIPTIONS[0], "○", "○", "", "2", "企画課"),
        ("2", NAMES[1], DESCRIPTIONS[1], "○", "", "○", "3", "企画課"),
        ("3", NAMES[2], DESCRIPTIONS[2], "", "", "○", "1", "総務課"),
    )
    report = check_reading(read_bytes(data, "t.txt"))
    assert [p.declared_count for p in report.reading.vision.projects] == [2, 3, 1]
    codes = [f.code for f in report.findings]
    assert "count-column-inferred" in codes
    assert codes.count("count-mismatch") == 1  # project 2 declares 3 for its 2 marks: now checked
    assert report.reading.vision.projects[0].attributes == {"担当課": "企画課"}
