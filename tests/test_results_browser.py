"""Entering a result (実績) on the results page in a real browser (Debian's chromium under Playwright) against
``renkei serve`` on SQLite: the secretariat types one figure, saves, and the page shows it with its achievement
and grade computed; the draft holds it. The first town's editor finds an input on its own share only. The page
passes axe's serious and critical rules."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from conftest import require
from renkei.core.messages import t
from results_support import INDICATORS, KEY, PASSWORD, SECRETARIAT, TOWN, expected_grade, expected_rate, filled
from seedfacts import SeedFacts
from webserver import ROOT, Scenario, Server, chromium_in_a_thread, free_port, new_page, running_server, screenshot

AXE = ROOT / "tests" / "vendor" / "axe.min.js"
AXE_RUN = """async () => {
  const result = await axe.run(document, { resultTypes: ["violations"] });
  return result.violations.filter(v => v.impact === "serious" || v.impact === "critical")
    .map(v => ({ id: v.id, impact: v.impact, nodes: v.nodes.slice(0, 3).map(n => n.target.join(" ")) }));
}"""
YEAR = 2025


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory, facts: SeedFacts) -> Iterator[tuple[Server, list[Any]]]:
    where: Path = tmp_path_factory.mktemp("results-browser")
    db = f"sqlite:///{where / 'registry.db'}"
    store, chosen = filled(db, facts.towns[0])
    store.close()
    port = free_port()
    with running_server(where / "serve.log", "--db", db, "--port", str(port), "--no-country", port=port) as server:
        yield server, chosen


@pytest.fixture(scope="module")
def chromium() -> Iterator[Callable[[Scenario], None]]:
    with chromium_in_a_thread("results-browser") as run:
        yield run


@contextlib.contextmanager
def signed_in(browser: Any, server: Server, username: str) -> Iterator[Any]:
    # bypass_csp: axe is injected as a script of the test's own, which the app's Content-Security-Policy refuses.
    page = new_page(browser, server, bypass_csp=True)
    try:
        page.goto(f"/login?next=/spheres/{KEY}/results")
        page.fill("#username", username)
        page.fill("#password", PASSWORD)
        page.click("form.login button[type=submit]")
        page.wait_for_url(f"**/spheres/{KEY}/results")
        yield page
    finally:
        page.context.close()


def test_the_secretariat_enters_one_result_on_the_page(
    chromium: Callable[[Scenario], None], served: tuple[Server, list[Any]], facts: SeedFacts
) -> None:
    server, chosen = served
    chromium(lambda browser: scenario(browser, server, chosen, facts))


def scenario(browser: Any, server: Server, chosen: list[Any], facts: SeedFacts) -> None:
    indicator, project = INDICATORS[0], chosen[0]
    value = 17_500.0
    rate = expected_rate(indicator, value)
    with signed_in(browser, server, SECRETARIAT) as page:
        page.goto(f"/spheres/{KEY}/results?year={YEAR}")
        row = page.locator("tr[data-kpi='0'][data-town='']").filter(has_text=indicator.name)
        assert row.count() == 1
        row.locator("input.result").fill("17,500")
        page.click("form.results-form button[type=submit]")
        page.wait_for_url(f"**/spheres/{KEY}/results?year={YEAR}&saved=1")
        assert t("ui.results_saved", "ja", n=1) in page.locator(".notice").inner_text()
        row = page.locator("tr[data-kpi='0'][data-town='']").filter(has_text=indicator.name)
        assert row.locator("input.result").input_value() == "17500"
        assert row.locator("td.rate").inner_text().strip() == f"{round(rate * 100, 1)}%"
        assert row.locator("td.grade").inner_text().strip() == expected_grade(rate)
        draft = page.request.get(f"/api/spheres/{KEY}/draft").json()
        saved = next(p for p in draft["projects"] if p["number"] == project.number)
        assert saved["kpis"][0]["results"] == [{"fiscal_year": YEAR, "value": value, "town": ""}]
        # The download links of the report are on the page.
        assert page.locator(f"a[href='/spheres/{KEY}/report/export/pdf?year={YEAR}']").count() == 1
        require(AXE.exists(), f"axe-core is not vendored at {AXE}")
        page.add_script_tag(path=str(AXE))
        assert page.evaluate(AXE_RUN) == []
        screenshot(page, "results-secretariat")
    with signed_in(browser, server, TOWN) as page:
        page.goto(f"/spheres/{KEY}/results?year={YEAR}")
        inputs = page.locator("input.result")
        towns = {inputs.nth(i).locator("xpath=ancestor::tr").get_attribute("data-town") for i in range(inputs.count())}
        assert towns == {facts.towns[0]}  # its own share of the KPI measured per town, nothing else
        assert page.locator("form.grades-form").count() == 0
