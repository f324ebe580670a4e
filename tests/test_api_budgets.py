"""The JSON API's budgets and KPIs (``/api/spheres/{key}/budgets``, ``/kpis`` and their CSV twins), on SQLite and
PostgreSQL: a synthetic registry with budgets loaded, and every row compared with the synthesized projects'
own budgets and KPIs, walked here without renkei's row code."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from api_support import assert_error
from renkei.store import Store, load_into
from renkei.synthetic.synth import SynthSphere, synthesize
from renkei.vision.model import Vision


@pytest.fixture
def served(db_url: str) -> Iterator[tuple[TestClient, list[SynthSphere]]]:
    from renkei.web.app import create_app

    spheres = synthesize(2, 11, years=4, with_budgets=True)
    store = Store.open(db_url)
    load_into(store, spheres)
    with TestClient(create_app(store)) as client:
        yield client, spheres
    store.close()


def expected_budgets(key: str, revision: int, vision: Vision) -> list[dict[str, Any]]:
    rows = []
    for order, p in enumerate(vision.projects, start=1):
        for b in p.budgets:
            row = {"sphere": key, "revision": revision, "order": order, "number": p.number, "project": p.name}
            rows.append(row | {"fiscal_year": b.fiscal_year, "town": b.town, "amount": b.amount, "unit": b.unit})
    return rows


def expected_kpis(key: str, revision: int, vision: Vision) -> list[dict[str, Any]]:
    rows = []
    for order, p in enumerate(vision.projects, start=1):
        for index, k in enumerate(p.kpis, start=1):
            kpi = {"sphere": key, "revision": revision, "order": order, "number": p.number, "project": p.name}
            kpi |= {"kpi": index, "name": k.name, "unit": k.unit, "baseline": k.baseline}
            kpi |= {"baseline_year": k.baseline_year, "target": k.target, "target_year": k.target_year}
            results = [(r.fiscal_year, r.town, r.value) for r in k.results] or [(None, "", None)]
            rows += [kpi | {"fiscal_year": y, "town": t, "value": v} for y, t, v in results]
    return rows


def _all(client: TestClient, path: str, **params: object) -> list[dict[str, Any]]:
    """Every item of a paginated list, page by page (50 at a time)."""
    items: list[dict[str, Any]] = []
    while True:
        page = client.get(path, params={**params, "limit": 50, "offset": len(items)})
        assert page.status_code == 200, page.text
        body = page.json()
        items += body["items"]
        if len(items) >= body["total"] or not body["items"]:
            assert len(items) == body["total"]
            return items


def test_the_budget_and_kpi_rows_are_the_projects_own(served: tuple[TestClient, list[SynthSphere]]) -> None:
    client, spheres = served
    for sphere in spheres:
        first, last = sphere.revisions[0], sphere.revisions[-1]
        assert last.number > 1, "a later revision to ask for by default"
        want = expected_budgets(sphere.key, last.number, last.vision)
        assert want and _all(client, f"/api/spheres/{sphere.key}/budgets") == want
        kpis = expected_kpis(sphere.key, last.number, last.vision)
        assert kpis and _all(client, f"/api/spheres/{sphere.key}/kpis") == kpis
        older = _all(client, f"/api/spheres/{sphere.key}/budgets", rev=1)
        assert older == expected_budgets(sphere.key, 1, first.vision)


def test_a_year_selects_its_rows(served: tuple[TestClient, list[SynthSphere]]) -> None:
    client, spheres = served
    sphere = spheres[0]
    last = sphere.revisions[-1]
    year = sphere.plan_start.year + 1
    budgets = _all(client, f"/api/spheres/{sphere.key}/budgets", year=year)
    want = [r for r in expected_budgets(sphere.key, last.number, last.vision) if r["fiscal_year"] == year]
    assert want and budgets == want
    kpis = _all(client, f"/api/spheres/{sphere.key}/kpis", year=sphere.plan_start.year)
    want = [
        r for r in expected_kpis(sphere.key, last.number, last.vision) if r["fiscal_year"] == sphere.plan_start.year
    ]
    assert want and kpis == want


def test_the_csv_holds_the_same_rows(served: tuple[TestClient, list[SynthSphere]]) -> None:
    client, spheres = served
    sphere = spheres[1]
    last = sphere.revisions[-1]
    for kind, want in (
        ("budgets", expected_budgets(sphere.key, last.number, last.vision)),
        ("kpis", expected_kpis(sphere.key, last.number, last.vision)),
    ):
        response = client.get(f"/api/spheres/{sphere.key}/{kind}.csv")
        assert response.status_code == 200 and response.headers["content-type"].startswith("text/csv")
        assert f"{sphere.key}-r{last.number}-{kind}.csv" in response.headers["content-disposition"]
        rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
        assert list(rows[0]) == list(want[0])
        as_text = [{k: "" if v is None else str(v) for k, v in r.items()} for r in want]
        assert rows == as_text


def test_errors_follow_the_apis_conventions(served: tuple[TestClient, list[SynthSphere]]) -> None:
    client, spheres = served
    key = spheres[0].key
    assert_error(client.get("/api/spheres/no-such-sphere/budgets"), 404)
    assert_error(client.get(f"/api/spheres/{key}/kpis", params={"rev": 99}), 404, "revision-unknown")
    assert_error(client.get(f"/api/spheres/{key}/budgets", params={"year": 1800}), 422)
    assert_error(client.get(f"/api/spheres/{key}/budgets.csv", params={"year": "R7"}), 422)
    paths = client.get("/openapi.json").json()["paths"]
    for path in ("budgets", "kpis", "budgets.csv", "kpis.csv"):
        assert "year" in {p["name"] for p in paths[f"/api/spheres/{{key}}/{path}"]["get"]["parameters"]}
