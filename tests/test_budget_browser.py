"""A sphere's budgets and KPIs in a real browser (Debian's chromium under Playwright, against ``renkei serve``): the
sphere page at phone width (390 px) draws the stacked bars and the bullet charts, scrolls nothing sideways and
passes axe-core (no serious or critical violation), its chart tables open; and the project page likewise."""

from __future__ import annotations

import socket
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from budgetdata import KEY, second_revision, store_figures
from conftest import require
from renkei.store import Store
from webserver import ROOT, Scenario, Server, chromium_in_a_thread, running_server, screenshot

AXE = ROOT / "tests" / "vendor" / "axe.min.js"
AXE_RUN = """async () => {
  const result = await axe.run(document, { resultTypes: ["violations"] });
  return result.violations.filter(v => v.impact === "serious" || v.impact === "critical")
    .map(v => ({ id: v.id, impact: v.impact, nodes: v.nodes.slice(0, 3).map(n => n.target.join(" ")) }));
}"""
PHONE = {"width": 390, "height": 844}
SIDEWAYS = """() => { const s = document.scrollingElement;
  const wide = [...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > innerWidth + 1)
    .slice(0, 5).map(e => e.tagName + '.' + e.className);
  return { scroll: s.scrollWidth, width: innerWidth, wide }; }"""


def _port() -> int:
    """A free port of this test's range (18300–18399)."""
    for port in range(18300, 18400):
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError("no free port in 18300–18399")


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    where = tmp_path_factory.mktemp("budget-browser")
    db = f"sqlite:///{where / 'registry.db'}"
    with Store.open(db) as store:
        store_figures(store)
    port = _port()
    with running_server(where / "serve.log", "--db", db, "--port", str(port), port=port) as server:
        yield server


@pytest.fixture(scope="module")
def chromium() -> Iterator[Callable[[Scenario], None]]:
    with chromium_in_a_thread("budget-browser") as run:
        yield run


def _checked(page: Any, name: str) -> None:
    require(AXE.exists(), f"axe-core is not vendored at {AXE}")
    page.add_script_tag(path=str(AXE))
    violations = page.evaluate(AXE_RUN)
    assert not violations, (name, violations)
    sideways = page.evaluate(SIDEWAYS)
    assert sideways["scroll"] <= sideways["width"], (name, sideways)
    screenshot(page, f"budgets-390-{name}")


def test_budgets_at_phone_width(chromium: Callable[[Scenario], None], served: Server) -> None:
    vision = second_revision()
    kpis = [k for p in vision.projects for k in p.kpis if k.target]
    measured = [k for k in kpis if any(r.value is not None for r in k.results)]

    def scenario(browser: Any) -> None:
        context = browser.new_context(
            locale="ja-JP", base_url=served.url, viewport=PHONE, bypass_csp=True
        )  # axe injected
        context.set_default_timeout(20_000)
        page = context.new_page()
        page.goto(f"/spheres/{KEY}")
        for kind in ("budgets", "kpis"):
            page.locator(f"#chart-{kind}").scroll_into_view_if_needed()
            page.wait_for_selector(f'#chart-{kind} div.vega[data-rendered="true"]')
        # The drawn bars: one per (year, field) with an amount; per KPI with a target, the target and, once
        # measured, the latest result.
        years_fields = page.locator('#chart-budgets path[aria-roledescription="bar"]').count()
        expected = {
            (b.fiscal_year, str(p.field)) for p in vision.projects for b in p.budgets if b.fiscal_year and not b.town
        }
        assert years_fields == len(expected)
        assert page.locator('#chart-kpis path[aria-roledescription="bar"]').count() == len(kpis) + len(measured)
        for summary in page.locator("#figures-title ~ figure details summary").all():
            summary.click()
        _checked(page, "sphere")
        page.goto(f"/spheres/{KEY}/projects/{vision.projects[1].number}")
        _checked(page, "project")
        context.close()

    chromium(scenario)
