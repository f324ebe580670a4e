"""/compare by the guidelines' policy fields (issue 21): spheres word their fields their own way (医療, 地域医療,
高度医療; 産業振興, 創業支援, 広域観光), and the comparison sets them side by side under the national policy
field, each sphere's own title beside it; a field the guidelines do not name keeps its own row, marked. The page,
/api/compare (the JSON) and the CSV and XLSX downloads show the same."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook

from renkei.core.messages import t
from renkei.ingest import read_bytes
from renkei.store import SphereSpec, Store
from renkei.vision.guidelines import POLICY_FIELDS, policy_field
from renkei.vision.model import Sphere
from renkei.web.app import create_app
from seedfacts import MARK, SeedFacts

# Three synthetic spheres, each with its own wording of the same fields, and one field of its own.
SPHERES = {
    "policy-a": ("第一定住自立圏", {"医療": 2, "産業振興": 1}),
    "policy-b": ("第二定住自立圏", {"地域医療": 1, "広域観光": 2, "地域内外の住民との交流・移住促進": 1}),
    "policy-c": ("第三定住自立圏", {"医療・救急体制の充実": 1, "創業支援": 1, "圏域の魅力発信": 1}),
}
OWN_FIELD = "圏域の魅力発信"


def table(fields: dict[str, int], towns: list[str]) -> str:
    """A table in the seed's layout: a field heading, then its projects, each joined by the first town."""
    lines = ["① 生活機能の強化", "\t".join(["", "項目", "事業内容", *towns, "連携町数"])]
    number = 0
    for letter, (title, projects) in zip("アイウエオ", fields.items(), strict=False):
        lines.append(f"{letter} {title}")
        for _ in range(projects):
            number += 1
            lines.append("\t".join([str(number), f"{title}事業{number}", "説明", MARK, *[""] * (len(towns) - 1), "1"]))
    return "\n".join(lines) + "\n"


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory, facts: SeedFacts) -> Iterator[TestClient]:
    store = Store.open(f"sqlite:///{tmp_path_factory.mktemp('policy') / 'registry.db'}")
    towns = facts.towns[:3]
    for key, (name, fields) in SPHERES.items():
        sphere = Sphere(name=name, prefecture="北海道")
        reading = read_bytes(table(fields, towns).encode("utf-8"), f"{key}.txt", sphere=sphere)
        store.import_reading(reading, SphereSpec(key=key, name=name), new_sphere=True, force=True, message="t")
    with TestClient(create_app(store)) as opened:
        yield opened
    store.close()


def test_every_wording_finds_its_policy_field() -> None:
    expected = {
        "医療": "医療",
        "地域医療": "医療",
        "高度医療": "医療",
        "医療・救急体制の充実": "医療",
        "創業支援": "産業振興",
        "広域観光": "産業振興",
        "地域の生産者や消費者等の連携による地産地消": "地産地消",
        "職員の相互人事交流": "人材育成",
        "地域内外の住民との交流・移住促進": "交流・移住",
        "ＩＣＴの活用": "ICT・デジタル",
        "交通インフラ整備": "交通インフラ",
        "地域公共交通": "地域公共交通",
    }
    for title, name in expected.items():
        found = policy_field(title)
        assert found is not None and found.name == name, (title, found)
    assert policy_field(OWN_FIELD) is None
    # Every policy field is found by its own name.
    assert all(policy_field(p.name) == p for p in POLICY_FIELDS)


def test_the_overview_has_one_row_per_policy_field_and_marks_the_unmapped(client: TestClient) -> None:
    rows = {r["field"]: r for r in client.get("/api/compare").json()["rows"]}
    assert rows["医療"]["spheres_running"] == 3 and rows["医療"]["projects"] == 4
    assert rows["産業振興"]["spheres_running"] == 3 and rows["産業振興"]["projects"] == 4
    for wording in ("地域医療", "医療・救急体制の充実", "広域観光", "創業支援"):
        assert wording not in rows  # no row of its own: compared under its policy field
    assert rows[OWN_FIELD]["spheres_running"] == 1
    assert rows[OWN_FIELD]["field_source"] == t("ui.compare_unmapped_field", "ja")
    assert rows["医療"]["field_source"] == t("ui.compare_policy_field", "ja")


def test_one_policy_field_shows_each_spheres_own_title(client: TestClient) -> None:
    for asked in ("医療", "地域医療"):  # a sphere's own wording leads to the same comparison
        shown = client.get("/api/compare", params={"field": asked}).json()
        assert shown["title"] == "医療"
        own = {r["sphere"]: r["own_titles"] for r in shown["rows"]}
        assert own == {"第一定住自立圏": "医療", "第二定住自立圏": "地域医療", "第三定住自立圏": "医療・救急体制の充実"}
    page = client.get("/compare", params={"field": "医療"}).text
    assert all(wording in page for wording in ("地域医療", "医療・救急体制の充実", t("ui.col_own_titles", "ja")))


def test_the_downloads_compare_by_policy_field_too(client: TestClient) -> None:
    params = {"field": "産業振興"}
    shown = client.get("/api/compare", params=params).json()
    wanted = {r["sphere"]: r["own_titles"] for r in shown["rows"]}
    assert wanted["第二定住自立圏"] == "広域観光" and wanted["第三定住自立圏"] == "創業支援"
    rows = list(csv.reader(io.StringIO(client.get("/compare/export/csv", params=params).content.decode("utf-8-sig"))))
    column = rows[0].index(t("ui.col_own_titles", "ja"))
    assert {r[0]: r[column] for r in rows[1:]} == wanted
    book = load_workbook(io.BytesIO(client.get("/compare/export/xlsx", params=params).content))
    sheet = book.active
    assert sheet is not None
    cells = [[c.value for c in row] for row in sheet.iter_rows()]
    assert any(row[0] == "第二定住自立圏" and "広域観光" in row for row in cells)


def test_a_comparison_with_no_row_says_why_and_where_to_bring_a_table(client: TestClient) -> None:
    """Filters that match no sphere with a table (no table in 沖縄県 here) give an empty table and say why: how
    many spheres have a table, how many of them are abolished, and a way to bring one."""
    page = client.get("/compare", params={"prefecture": "沖縄県"}).text
    assert t("ui.compare_empty", "ja", tables=len(SPHERES), abolished=0) in page
    assert '<a href="/check">' + t("ui.compare_empty_check", "ja") + "</a>" in page
    full = client.get("/compare").text
    assert t("ui.compare_empty", "ja", tables=len(SPHERES), abolished=0) not in full
