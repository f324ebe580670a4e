"""The national comparison's budget and KPI-grade columns, kept on write (``store.aggregates``), on both backends:
per field the sum of every fiscal year's budget and the KPIs per grade of the newest revision, checked against
sums and grades computed here from the model objects the sphere was stored from."""

from __future__ import annotations

from collections import Counter, defaultdict

from fastapi.testclient import TestClient

from budgetdata import latest_grade, sample_vision, second_revision
from renkei.store import SphereSpec, Store
from renkei.vision.guidelines import policy_field
from renkei.web.app import create_app

pytest_plugins = ["budgetdata"]


def _compared(title: str) -> str:
    policy = policy_field(title)
    return policy.name if policy is not None else title


def _expected() -> tuple[dict[str, int], dict[str, Counter[str]]]:
    budgets: dict[str, int] = defaultdict(int)
    grades: dict[str, Counter[str]] = defaultdict(Counter)
    for p in second_revision().projects:
        assert p.field is not None
        field = _compared(p.field.title)
        budgets[field] += sum(int(b.amount) for b in p.budgets if b.fiscal_year is not None and not b.town)
        for k in p.kpis:
            grades[field][latest_grade(k) or "-"] += 1
    return budgets, grades


def _figures(row: dict[str, object]) -> tuple[object, ...]:
    return tuple(row[k] for k in ("budget", "grade_a", "grade_b", "grade_c", "grade_d", "ungraded"))


def test_the_overview_sums_budgets_and_counts_grades_per_field(figures_client: TestClient) -> None:
    answer = figures_client.get("/api/compare").json()
    keys = [c["key"] for c in answer["columns"]]
    assert keys[-6:] == ["budget", "grade_a", "grade_b", "grade_c", "grade_d", "ungraded"]
    budgets, grades = _expected()
    rows = {row["field"]: row for row in answer["rows"]}
    assert set(rows) == set(budgets)
    for field, budget in budgets.items():
        g = grades[field]
        assert _figures(rows[field]) == (budget, g["A"], g["B"], g["C"], g["D"], g["-"])
    assert sum(sum(g.values()) for g in grades.values()) == sum(len(p.kpis) for p in second_revision().projects)


def test_a_fields_row_per_sphere_has_the_same_figures(figures_client: TestClient) -> None:
    budgets, grades = _expected()
    field = max(budgets, key=lambda f: budgets[f])
    answer = figures_client.get("/api/compare", params={"field": field}).json()
    (row,) = [r for r in answer["rows"] if r["sphere"] == second_revision().sphere.name]
    g = grades[field]
    assert _figures(row) == (budgets[field], g["A"], g["B"], g["C"], g["D"], g["-"])
    page = figures_client.get("/compare", params={"field": field}).text
    assert f"{budgets[field]:,}" in page


def test_the_rows_per_prefecture_sum_the_same_figures(figures_client: TestClient) -> None:
    budgets, grades = _expected()
    field = max(budgets, key=lambda f: budgets[f])
    answer = figures_client.get("/api/compare", params={"field": field, "group": "prefecture"}).json()
    (row,) = [r for r in answer["rows"] if r["prefecture"] == second_revision().sphere.prefecture]
    g = grades[field]
    assert _figures(row) == (budgets[field], g["A"], g["B"], g["C"], g["D"], g["-"])


def test_a_registry_without_budgets_keeps_its_comparison_as_it_was(db_url: str) -> None:
    with Store.open(db_url) as store:
        store.import_vision(sample_vision(), SphereSpec(key="plain"))
        with TestClient(create_app(store)) as client:
            keys = [c["key"] for c in client.get("/api/compare").json()["columns"]]
            field = client.get("/api/compare").json()["rows"][0]["field"]
            by_sphere = [c["key"] for c in client.get("/api/compare", params={"field": field}).json()["columns"]]
    assert keys == ["field", "spheres_running", "projects", "share", "field_source"]
    assert "budget" not in by_sphere and "grade_a" not in by_sphere
