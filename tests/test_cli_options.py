"""The reading options of ``renkei check`` and ``renkei import`` as a user gives them: ``--sheet`` chooses one
table of a workbook that keeps two, ``--prefecture`` decides names that several prefectures have.

The towns come from the shipped national list, chosen by what the list says of them (a name found in one
prefecture only, or in several), not written out here.
"""

from __future__ import annotations

import itertools
import json
from collections import defaultdict
from pathlib import Path

import pytest
from openpyxl import Workbook

from clirun import check_json, run
from renkei.places.municipalities import Entry, Registry

REGISTRY = Registry.default()
TOWNS = [e for e in REGISTRY.entries if not e.name.endswith("区")]
PREFECTURES: dict[str, set[str]] = defaultdict(set)
for _entry in TOWNS:
    PREFECTURES[_entry.name].add(_entry.prefecture)


def unambiguous(prefecture: str, count: int) -> list[Entry]:
    """The first ``count`` towns of a prefecture whose names no other prefecture has."""
    found = [e for e in TOWNS if e.prefecture == prefecture and len(PREFECTURES[e.name]) == 1]
    return sorted(found, key=lambda e: e.code)[:count]


def table(towns: list[Entry], projects: list[str]) -> list[list[object]]:
    """A small table as a secretariat keeps it: header, a project row per name (every town takes part), totals."""
    names = [e.name for e in towns]
    rows: list[list[object]] = [["番号", "事業名", *names, "連携町数"]]
    for number, project in enumerate(projects, start=1):
        rows.append([number, project, *["○"] * len(names), len(names)])
    rows.append(["連携事業数計", "", *[len(projects)] * len(names), len(projects) * len(names)])
    return rows


# --sheet ----------------------------------------------------------------------------------------------

FIRST, SECOND = REGISTRY.prefectures[0], REGISTRY.prefectures[-1]
FIRST_TOWNS, SECOND_TOWNS = unambiguous(FIRST, 3), unambiguous(SECOND, 4)
FIRST_PROJECTS = ["観光振興事業", "救急医療体制の確保"]
SECOND_PROJECTS = ["地域公共交通の確保", "移住促進事業", "職員の合同研修"]


@pytest.fixture(scope="module")
def book(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A workbook with two tables of two spheres, one a sheet: 表A first, 表B second."""
    workbook = Workbook()
    first = workbook.active
    assert first is not None
    first.title = "表A"
    second = workbook.create_sheet("表B")
    for sheet, rows in ((first, table(FIRST_TOWNS, FIRST_PROJECTS)), (second, table(SECOND_TOWNS, SECOND_PROJECTS))):
        for row in rows:
            sheet.append(row)
    path = tmp_path_factory.mktemp("sheets") / "two-tables.xlsx"
    workbook.save(path)
    return path


def read_as(data: dict[str, object]) -> tuple[list[str | None], list[str]]:
    municipalities = data["municipalities"]
    projects = data["projects"]
    assert isinstance(municipalities, list) and isinstance(projects, list)
    return [m["code"] for m in municipalities], [p["name"] for p in projects]


def test_check_reads_the_first_table_and_names_the_other_sheet(book: Path) -> None:
    status, data, _ = check_json(book)
    assert status == 0
    assert read_as(data) == ([e.code for e in FIRST_TOWNS], FIRST_PROJECTS)
    assert [f["code"] for f in data["findings"] if f.get("sheet") == "表B"] == ["sheet-other-table"]


@pytest.mark.parametrize("sheet", ["2", "表B"])
def test_check_sheet_chooses_the_second_table_by_number_or_name(book: Path, sheet: str) -> None:
    status, data, _ = check_json(book, "--sheet", sheet)
    assert status == 0
    assert read_as(data) == ([e.code for e in SECOND_TOWNS], SECOND_PROJECTS)
    assert {f.get("sheet") for f in data["findings"]} <= {"表B", None}


def test_check_sheet_that_does_not_exist_is_a_read_error(book: Path) -> None:
    result = run("check", book, "--sheet", "表C")
    assert result.returncode == 2
    assert "表C" in result.stderr and "Traceback" not in result.stderr


def test_import_sheet_imports_the_table_chosen(book: Path, tmp_path: Path) -> None:
    db = tmp_path / "registry.db"
    imported = run(
        "import", book, "--sheet", "表B", "--sphere", "second", "--name", "第二圏域", "--new-sphere", "--db", db
    )
    assert imported.returncode == 0, imported.stderr
    listed = run("spheres", "--json", "--db", db)
    assert listed.returncode == 0, listed.stderr
    (sphere,) = json.loads(listed.stdout)
    assert (sphere["key"], sphere["members"], sphere["projects"]) == ("second", 4, len(SECOND_PROJECTS))
    found = run("search", SECOND_PROJECTS[1], "--json", "--db", db)
    assert json.loads(found.stdout)["total"] == 1
    assert json.loads(run("search", FIRST_PROJECTS[0], "--json", "--db", db).stdout)["total"] == 0


# --prefecture -----------------------------------------------------------------------------------------


def shared_ambiguity() -> tuple[str, list[str]]:
    """Two names that several prefectures each have, both found in one prefecture: a table of only these two
    cannot say where it is."""
    ambiguous = sorted(name for name, found in PREFECTURES.items() if len(found) > 1)
    for first, second in itertools.combinations(ambiguous, 2):
        shared = PREFECTURES[first] & PREFECTURES[second]
        if shared:
            return sorted(shared)[0], [first, second]
    raise AssertionError("the national list has no two ambiguous names in one prefecture")


def test_prefecture_decides_names_that_several_prefectures_have(tmp_path: Path) -> None:
    prefecture, names = shared_ambiguity()
    path = tmp_path / "ambiguous.tsv"
    rows = [["番号", "事業名", *names, "連携町数"], [1, "観光振興事業", "○", "○", 2], ["連携事業数計", "", 1, 1, 2]]
    path.write_text("".join("\t".join(map(str, row)) + "\n" for row in rows), encoding="utf-8")

    status, undecided, _ = check_json(path)
    assert status == 0, "an undecided name is a warning"
    assert [m["code"] for m in undecided["municipalities"]] == [None, None]
    ambiguous = [f for f in undecided["findings"] if f["code"] == "municipality-ambiguous"]
    assert len(ambiguous) == 2 and all(f["severity"] == "warning" for f in ambiguous)

    status, decided, _ = check_json(path, "--prefecture", prefecture)
    assert status == 0
    expected = [next(e.code for e in TOWNS if e.name == n and e.prefecture == prefecture) for n in names]
    assert [m["code"] for m in decided["municipalities"]] == expected
    assert not [f for f in decided["findings"] if f["code"] == "municipality-ambiguous"]


def test_serve_on_a_port_in_use_says_so_first_and_loads_nothing(tmp_path: Path) -> None:
    import socket

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = run("serve", "--port", str(port), "--db", tmp_path / "r.db", RENKEI_LANG="ja")
    assert result.returncode == 2
    assert f"ポート {port} は他のプログラムが使っています" in result.stderr and "--port" in result.stderr
    assert "公開しています" not in result.stdout  # never announced as served
    assert not (tmp_path / "r.db").exists()  # nothing opened or loaded
