"""Budgets and KPIs on the pages, on both backends: the sphere page's budgets per fiscal year and field and its KPI
table, the project page's budget and KPI tables, a town's share, the downloads, and the amendment list; every
figure checked against one computed here from the model objects the sphere was stored from, by another route."""

from __future__ import annotations

import csv
import dataclasses
import io
from collections import defaultdict

import lxml.html
from fastapi.testclient import TestClient

from budgetdata import KEY, expected_grade, second_revision
from renkei.vision.model import Budget
from renkei.web.budgetpages import figures_context

pytest_plugins = ["budgetdata"]


def _table(page: str, selector: str) -> list[list[str]]:
    """The rows (header included) of the first table matching a CSS class, as the text of their cells."""
    tree = lxml.html.fromstring(page)
    table = tree.find_class(selector)[0]
    return [[cell.text_content().strip() for cell in row] for row in table.iter("tr")]


def _yen(value: float) -> str:
    return f"{round(value):,}"


def _expected_grid() -> dict[str, dict[int, int]]:
    """Sums per field and year of the whole projects' amounts (all given in 千円), from the model objects."""
    sums: dict[str, dict[int, int]] = defaultdict(lambda: defaultdict(int))
    for p in second_revision().projects:
        for b in p.budgets:
            if b.fiscal_year is not None and not b.town:
                sums[str(p.field)][b.fiscal_year] += int(b.amount)
    return sums


def test_sphere_page_shows_budgets_per_year_and_field(figures_client: TestClient) -> None:
    page = figures_client.get(f"/spheres/{KEY}").text
    rows = _table(page, "figures-budgets")
    assert rows[0][1:4] == ["R6", "R7", "R8"]
    expected = _expected_grid()
    shown = {row[0]: row[1:] for row in rows[1:]}
    for field, years in expected.items():
        amounts = [years[y] for y in (2024, 2025, 2026)]
        assert shown[field] == [*map(_yen, amounts), _yen(sum(amounts))]
    totals = [sum(years[y] for years in expected.values()) for y in (2024, 2025, 2026)]
    assert rows[-1][1:] == [*map(_yen, totals), _yen(sum(totals))]
    assert 'id="chart-budgets"' in page and 'id="chart-kpis"' in page


def test_sphere_page_grades_each_kpi_on_its_latest_result(figures_client: TestClient) -> None:
    rows = _table(figures_client.get(f"/spheres/{KEY}").text, "figures-kpis")[1:]
    vision = second_revision()
    kpis = [(p, k) for p in vision.projects for k in p.kpis]
    assert len(rows) == len(kpis)
    for row, (p, k) in zip(rows, kpis, strict=True):
        assert row[:3] == [str(p.number), p.name, k.name]
        measured = [r for r in k.results if r.value is not None]
        if not measured:
            assert row[-2:] == ["—", "-"]
            continue
        last = max(measured, key=lambda r: r.fiscal_year)
        assert last.value is not None
        rate, grade = expected_grade(k, last.value)
        assert row[-2:] == [f"{round(rate * 100, 1):g}", grade]


def test_project_page_shows_declared_and_computed_totals(figures_client: TestClient) -> None:
    vision = second_revision()
    first = vision.projects[0]
    page = figures_client.get(f"/spheres/{KEY}/projects/{first.number}").text
    rows = _table(page, "budgets")
    by_year = {b.fiscal_year: b for b in first.budgets if not b.town}
    assert [r[1] for r in rows[1:]] == [f"{_yen(by_year[y].amount)}千円" for y in (2024, 2025, 2026)]
    declared = by_year[None]
    computed = sum(b.amount for y, b in by_year.items() if y is not None)
    assert declared.amount != computed  # the sample declares a 総事業費 that disagrees: both are shown
    tree = lxml.html.fromstring(page)
    shown_declared = tree.find_class("budget-declared")[0]
    assert shown_declared.text_content().endswith(f"{_yen(declared.amount)}千円")
    assert "differs" in shown_declared.classes  # marked as disagreeing with the sum
    assert tree.find_class("budget-computed")[0].text_content().endswith(f"{_yen(computed)}千円")
    kpi = _table(page, "kpis")
    assert kpi[0][4:6] == ["実績 R6", "実績 R7"]
    k = first.kpis[0]
    rate, grade = expected_grade(k, 120.0)
    assert kpi[1][0] == k.name and kpi[1][-2:] == [f"{round(rate * 100, 1):g}%", grade]


def test_project_page_lists_the_towns_shares(figures_client: TestClient) -> None:
    second = second_revision().projects[1]
    rows = _table(figures_client.get(f"/spheres/{KEY}/projects/{second.number}").text, "budgets")
    shares: list[Budget] = [b for b in second.budgets if b.town]
    assert rows[0][2:] == [b.town for b in shares]
    r7 = next(r for r in rows if r[0] == "R7")
    assert r7[2:] == [f"{_yen(b.amount)}千円" for b in shares]


def test_a_towns_page_shows_its_own_share_where_given(figures_client: TestClient) -> None:
    vision = second_revision()
    second = vision.projects[1]
    town = next(b.town for b in second.budgets if b.town)
    member = vision.find_municipality(town)
    assert member is not None and member.code
    rows = _table(figures_client.get(f"/municipalities/{member.code}").text, "town-budgets")
    assert rows[0][3:] == ["R6", "R7", "R8"]
    mine = {row[1]: row for row in rows[1:]}
    share = next(b for b in second.budgets if b.town == town)
    assert mine[second.name][2] == "負担分" and mine[second.name][3:] == ["—", _yen(share.amount), "—"]
    others = [p for p in vision.projects_of(town) if p is not second]
    for p in others:
        whole = [b.amount for y in (2024, 2025, 2026) for b in p.budgets if b.fiscal_year == y and not b.town]
        assert mine[p.name][2] == "事業全体" and mine[p.name][3:] == list(map(_yen, whole))


def test_the_charts_numbers_download_as_shown(figures_client: TestClient) -> None:
    response = figures_client.get(f"/spheres/{KEY}/charts/budgets/export/csv")
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    expected = _expected_grid()
    for row in rows[1:-1]:
        assert [int(float(v)) for v in row[1:4]] == [expected[row[0]][y] for y in (2024, 2025, 2026)]
    svg = figures_client.get(f"/spheres/{KEY}/charts/budgets/export/svg")
    assert svg.status_code == 200 and svg.headers["content-type"] == "image/svg+xml"
    assert svg.text.count('aria-roledescription="bar"') == sum(len(years) for years in expected.values())
    assert figures_client.get(f"/spheres/{KEY}/charts/projects/export/csv").status_code == 404
    spec = figures_client.get(f"/api/spheres/{KEY}/charts/kpis").json()
    assert spec["layer"] and len(spec["data"]["values"]) == sum(len(p.kpis) for p in second_revision().projects)


def test_the_amendment_page_shows_the_budget_change(figures_client: TestClient) -> None:
    page = figures_client.get(f"/spheres/{KEY}/diff?from=1&to=2").text
    first = second_revision().projects[0]
    before = next(b.amount for b in first.budgets if b.fiscal_year == 2025 and not b.town) - 300
    rows = _table(page, "by-project")
    found = [r for r in rows if any("事業費 R7" in cell for cell in r)]
    assert found and found[0][-2:] == [_yen(before), f"{_yen(before + 300)}千円"]
    assert any("成果指標 利用者数0 目標値（R9）" in cell for r in rows for cell in r)
    english = figures_client.get(f"/spheres/{KEY}/diff?from=1&to=2", headers={"Accept-Language": "en"}).text
    assert "Budget FY2025" in english


def test_project_page_grades_each_towns_share_of_a_result(figures_client: TestClient) -> None:
    second = second_revision().projects[1]
    k = second.kpis[0]
    rows = _table(figures_client.get(f"/spheres/{KEY}/projects/{second.number}").text, "kpis")
    shares = [r for r in k.results if r.town]
    assert shares
    for share in shares:
        assert share.value is not None
        row = next(r for r in rows if r[0] == f"{k.name}（{share.town}分）")
        rate, grade = expected_grade(k, share.value)
        assert row[-2:] == [f"{round(rate * 100, 1):g}%", grade] and f"{share.value:g}" in row


def test_a_sphere_with_kpis_alone_shows_no_empty_budget_chart() -> None:
    vision = second_revision()
    kpis_only = dataclasses.replace(vision, projects=[dataclasses.replace(p, budgets=[]) for p in vision.projects])
    shown = figures_context(kpis_only, "ja")
    assert shown is not None and [table.kind for table in shown["tables"]] == ["kpis"] and shown["grading"]
    budgets_only = dataclasses.replace(vision, projects=[dataclasses.replace(p, kpis=[]) for p in vision.projects])
    shown = figures_context(budgets_only, "ja")
    assert shown is not None and [table.kind for table in shown["tables"]] == ["budgets"] and not shown["grading"]
    bare = dataclasses.replace(vision, projects=[dataclasses.replace(p, budgets=[], kpis=[]) for p in vision.projects])
    assert figures_context(bare, "ja") is None  # no section at all
