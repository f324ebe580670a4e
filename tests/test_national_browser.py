"""The national registry in a browser, as the people who compare spheres use it: ``renkei synth`` loads the
whole synthetic country (170 spheres) into a new SQLite file, ``renkei serve`` serves it, Debian's chromium
reads it. Filters, the comparison, search facets, downloads as shown, the API docs with no internet, and
axe-core (vendored from the npm registry in tests/vendor) on every page kind at a laptop's and a phone's size."""

from __future__ import annotations

import csv
import io
import json
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

import pytest

from clirun import run
from renkei.store import Store
from renkei.web.pages import HOME_PAGE
from webserver import ROOT, Server, browser, free_port, running_server, screenshot

__all__ = ["browser"]  # a fixture, imported to be used

AXE = ROOT / "tests" / "vendor" / "axe.min.js"
VIEWPORTS = {"laptop": {"width": 1366, "height": 768}, "phone": {"width": 390, "height": 844}}
SEARCHED = "観光"
ADMIN, PASSWORD = "national-admin", "a long enough password for the national registry"


@pytest.fixture(scope="module")
def national(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """The default synthetic country (two years of revisions) behind one ``renkei serve``."""
    where = tmp_path_factory.mktemp("national")
    database = where / "national.db"
    result = run("synth", "--years", "2", "--db", str(database))
    assert result.returncode == 0, result.stderr
    with Store.open(str(database)) as store:
        store.accounts.add(ADMIN, PASSWORD, is_admin=True)
    port = free_port()
    with running_server(where / "serve.log", "--db", database, "--port", str(port), port=port) as server:
        yield server


def api(server: Server, path: str) -> Any:
    with urllib.request.urlopen(server.url + path, timeout=30) as response:
        return json.load(response)


@pytest.fixture(scope="module")
def spheres(national: Server) -> list[dict[str, Any]]:
    """The current spheres (the synthetic ones and the country's list that serve loads beside them): the home
    page leaves abolished ones out."""
    items: list[dict[str, Any]] = api(national, "/api/spheres?limit=1000")["items"]
    return [s for s in items if not s["abolished"]]


@pytest.fixture(scope="module")
def largest(spheres: list[dict[str, Any]]) -> dict[str, Any]:
    # Of the spheres with a table (one known by its members only counts the country's list's members).
    return max((s for s in spheres if s["has_table"]), key=lambda s: (s["members"], s["projects"]))


def open_page(browser: Any, server: Server, viewport: str = "laptop", **options: Any) -> Any:
    # bypass_csp: axe is injected as a script of the test's own, which the app's Content-Security-Policy refuses.
    context = browser.new_context(
        locale="ja-JP",
        base_url=server.url,
        viewport=VIEWPORTS[viewport],
        accept_downloads=True,
        bypass_csp=True,
        **options,
    )
    context.set_default_timeout(20_000)
    return context.new_page()


def rows_of_list(page: Any) -> list[str]:
    return [text.strip() for text in page.locator("table.list tbody th[scope=row] a").all_inner_texts()]


def test_the_home_page_filters_by_prefecture(browser: Any, national: Server, spheres: list[dict[str, Any]]) -> None:
    busiest = max({s["prefecture"] for s in spheres}, key=lambda p: sum(1 for s in spheres if s["prefecture"] == p))
    expected = sorted(s["name"] for s in spheres if s["prefecture"] == busiest)
    page = open_page(browser, national)
    try:
        page.goto("/")
        # The list comes a page at a time (the map and counts cover every sphere): following "next" shows each
        # sphere once.
        listed = rows_of_list(page)
        assert 0 < len(listed) <= HOME_PAGE
        while page.locator("nav.pages a[rel=next]").count():
            shown = len(listed) // HOME_PAGE + 1
            page.click("nav.pages a[rel=next]")
            page.wait_for_url(f"**page={shown}**")
            listed += rows_of_list(page)
        assert len(listed) == len(spheres)
        page.select_option("select[name=prefecture]", busiest)
        page.click(".sphere-list form button[type=submit]")
        page.wait_for_url("**prefecture=**")
        assert sorted(rows_of_list(page)) == expected
        assert f"{len(expected)}" in page.locator(".sphere-list .shown").inner_text()
        # The tile of the prefecture leads to the same list.
        page.goto("/")
        page.locator(f"svg.tiles a[aria-label*='（{busiest}の']").click()
        page.wait_for_url("**prefecture=**")
        assert sorted(rows_of_list(page)) == expected
        page.select_option("select[name=sort]", "projects")
        page.click(".sphere-list form button[type=submit]")
        page.wait_for_url("**sort=projects**")
        texts = [x.strip() for x in page.locator("table.list tbody td.num:nth-of-type(5)").all_inner_texts()]
        counts = [int(x) for x in texts if x != "–"]  # a sphere without a table has no count (a dash), and comes last
        assert counts == sorted(counts, reverse=True) and len(texts) == len(expected)
        assert texts[len(counts) :] == ["–"] * (len(texts) - len(counts))
        screenshot(page, "national-home-filtered")
    finally:
        page.context.close()


def test_a_comparison_of_one_field_across_spheres(browser: Any, national: Server) -> None:
    page = open_page(browser, national)
    try:
        page.goto("/compare")
        first = page.locator("table.comparison tbody th a").first
        title = first.inner_text().strip()
        running = int(page.locator("table.comparison tbody tr").first.locator("td").first.inner_text())
        first.click()
        page.wait_for_url("**field=**")
        assert page.locator("#compare-title").inner_text().strip() == title
        rows = page.locator("table.comparison tbody tr")
        projects = [int(x) for x in rows.locator("td:nth-of-type(3)").all_inner_texts()]
        assert sum(1 for n in projects if n > 0) == running
        page.locator("table.comparison thead a", has_text="事業数").click()
        page.wait_for_url("**sort=projects**")
        ordered = [int(x) for x in page.locator("table.comparison tbody tr td:nth-of-type(3)").all_inner_texts()]
        assert ordered == sorted(ordered, reverse=True)
        screenshot(page, "national-compare")
    finally:
        page.context.close()


def hits_on_screen(page: Any) -> list[tuple[str, int]]:
    """(sphere address, project number) of every hit, following the result pages."""
    out = []
    while True:
        for href in page.locator("ol.hits > li > a").evaluate_all("els => els.map(e => e.getAttribute('href'))"):
            parts = href.split("/")
            out.append((parts[2], int(parts[4])))
        following = page.locator("nav.pages a[rel=next]")
        if not following.count():
            return out
        following.click()
        page.wait_for_load_state()


def test_search_narrowed_by_a_facet_downloads_what_it_shows(browser: Any, national: Server) -> None:
    page = open_page(browser, national)
    try:
        page.goto(f"/search?q={quote(SEARCHED)}")
        everything = api(national, f"/api/search?q={quote(SEARCHED)}&limit=1")["total"]
        assert f"{everything}" in page.locator(".hits-list .shown").inner_text()
        facet = page.locator(".facet").nth(1).locator("li").first  # the prefecture with the most hits
        count = int(facet.locator(".n").inner_text())
        facet.locator("a").click()
        page.wait_for_url("**prefecture=**")
        assert f"{count}" in page.locator(".hits-list .shown").inner_text()
        with page.expect_download() as waiting:
            page.locator(".hits-list .shown a[data-format=csv]").click()
        download = waiting.value
        assert download.suggested_filename.endswith(".csv") and SEARCHED in download.suggested_filename
        text = Path(download.path()).read_bytes().decode("utf-8-sig")
        rows = list(csv.DictReader(io.StringIO(text)))
        shown = hits_on_screen(page)
        assert len(shown) == count == len(rows)
        assert [(r["圏域"], int(r["番号"])) for r in rows] == shown
    finally:
        page.context.close()


def test_the_sphere_page_downloads_its_filtered_matrix(browser: Any, national: Server, largest: dict[str, Any]) -> None:
    import renkei.ingest

    page = open_page(browser, national)
    try:
        page.goto(f"/spheres/{largest['key']}")
        options = page.locator("select[name=field] option").evaluate_all("os => os.map(o => o.value)")
        page.select_option("select[name=field]", options[1])
        page.wait_for_url("**field=**")
        page.wait_for_selector("#matrix tfoot th:has-text('絞り込んだ表示の計')")
        on_screen = [int(x) for x in page.locator("#matrix tbody td.no").all_inner_texts()]
        with page.expect_download() as waiting:
            page.locator("#matrix .downloads-inline a[data-format=csv]").click()
        download = waiting.value
        name = download.suggested_filename
        assert name.startswith(f"{largest['name']}_第{largest['revision']}版_{largest['effective_on']}")
        reading = renkei.ingest.read_bytes(Path(download.path()).read_bytes(), name)
        assert [p.number for p in reading.vision.projects] == on_screen
    finally:
        page.context.close()


def test_on_a_phone_the_matrix_keeps_its_header_and_first_column(
    browser: Any, national: Server, largest: dict[str, Any]
) -> None:
    page = open_page(browser, national, "phone")
    try:
        page.goto(f"/spheres/{largest['key']}")
        box = page.locator("#matrix").bounding_box()
        page.locator("#matrix").evaluate("el => el.scrollTo(400, 600)")
        page.wait_for_timeout(100)
        assert page.locator("#matrix").evaluate("el => [el.scrollLeft, el.scrollTop]") != [0, 0]
        town = page.locator("#matrix thead th.town").nth(5).bounding_box()
        assert abs(town["y"] - box["y"]) < 2, "the header row stays at the top of the scrolled table"
        rows = page.locator("#matrix tbody tr:not(.heading)")
        visible = next(i for i in range(rows.count()) if rows.nth(i).bounding_box()["y"] > box["y"] + town["height"])
        number = rows.nth(visible).locator("td.no").bounding_box()
        assert abs(number["x"] - box["x"]) < 2, "the number column stays at the left"
        skip = page.locator("a.skip-table")
        assert skip.count() == 1 and skip.get_attribute("href") == "#after-matrix"
        assert page.locator("#after-matrix").count() == 1
    finally:
        page.context.close()


def test_the_api_docs_work_with_no_internet(browser: Any, national: Server) -> None:
    page = open_page(browser, national)
    outside: list[str] = []

    def only_loopback(route: Any) -> None:
        host = urlsplit(route.request.url).hostname
        if host in ("127.0.0.1", "localhost", "::1"):
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    try:
        page.context.route("**/*", only_loopback)
        page.goto("/api/docs")
        page.wait_for_selector(".opblock")
        document = api(national, "/openapi.json")
        operations = sum(1 for item in document["paths"].values() for method in item if method != "parameters")
        assert page.locator(".opblock").count() == operations
        assert page.locator(".opblock-summary-path", has_text="/api/compare").count() == 1
        assert outside == []
    finally:
        page.context.close()


def page_kinds(largest: dict[str, Any], spheres: list[dict[str, Any]]) -> dict[str, str]:
    key = largest["key"]
    central = largest["central_city"]["code"]
    revisions = largest["revision"]
    return {
        "home": "/",
        "home-filtered": f"/?prefecture={quote(largest['prefecture'])}&sort=projects",
        "sphere": f"/spheres/{key}",
        "sphere-filtered": f"/spheres/{key}?municipality={central}&description=1",
        "project": f"/spheres/{key}/projects/1",
        "revisions": f"/spheres/{key}/revisions",
        "diff": f"/spheres/{key}/diff?from={max(1, revisions - 1)}&to={revisions}",
        "municipality": f"/municipalities/{central}",
        "search": f"/search?q={quote(SEARCHED)}",
        "search-none": f"/search?q={quote('存在しない語句')}",
        "compare": "/compare",
        "compare-field": f"/compare?field={quote('医療')}&group=prefecture",
        "compare-town": f"/compare?municipality={central}",
        "check": "/check",
        "login": "/login",
        "not-found": "/spheres/no-such-sphere",
        "api-docs": "/api/docs",
        "country": "/country?date=2024-04-01",
        "downloads": "/downloads",
    }


def signed_in_kinds(spheres: list[dict[str, Any]]) -> dict[str, str]:
    """The secretariat's pages (an administrator's view of them), over the smallest sphere: the largest one's
    draft, a button per mark, takes axe twenty seconds and shows no other kind of element."""
    key = min((s for s in spheres if s["has_table"]), key=lambda s: (s["members"], s["projects"]))["key"]
    return {
        "draft": f"/spheres/{key}/draft",
        "draft-project": f"/spheres/{key}/draft/projects/1",
        "draft-new": f"/spheres/{key}/draft/new",
        "publish": f"/spheres/{key}/draft/publish",
        "audit": f"/spheres/{key}/audit",
        "admin": "/admin",
        "admin-country": "/admin/country",
        "mine": "/mine",
        "password": "/account/password",
    }


def sign_in(page: Any) -> None:
    """The administrator signed in through the login form, the answer's page waited for (a load state alone can
    be the login page's own, before the form is sent)."""
    page.goto("/login")
    page.fill("#username", ADMIN)
    page.fill("#password", PASSWORD)
    with page.expect_navigation():
        page.click("form.login button[type=submit]")


AXE_RUN = """async () => {
  const result = await axe.run(document, { resultTypes: ["violations"] });
  return result.violations.filter(v => v.impact === "serious" || v.impact === "critical")
    .map(v => ({ id: v.id, impact: v.impact, nodes: v.nodes.slice(0, 3).map(n => n.target.join(" ")) }));
}"""

# Wider than the viewport only inside an element that scrolls (a table's wrapper): anything else is a page the
# reader must scroll sideways.
OVERFLOW = """() => {
  const width = document.documentElement.clientWidth;
  const wide = [];
  for (const el of document.body.querySelectorAll("*")) {
    const box = el.getBoundingClientRect();
    if (box.right <= width + 1 || box.width === 0) continue;
    let p = el.parentElement, inside = false;
    while (p && p !== document.body) {
      const style = getComputedStyle(p);
      const scrolls = /(auto|scroll|hidden)/.test(style.overflowX);
      if (scrolls && p.getBoundingClientRect().right <= width + 1) { inside = true; break; }
      p = p.parentElement;
    }
    if (!inside && getComputedStyle(el).position !== "absolute") wide.push(el.tagName + "." + el.className);
  }
  return { page: document.documentElement.scrollWidth, width, wide: wide.slice(0, 5) };
}"""


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
def test_every_page_kind_passes_axe_and_fits(
    browser: Any, national: Server, largest: dict[str, Any], spheres: list[dict[str, Any]], viewport: str
) -> None:
    page = open_page(browser, national, viewport)
    problems: dict[str, Any] = {}
    try:
        kinds = page_kinds(largest, spheres)
        for name, url in [*kinds.items(), ("sign-in", ""), *signed_in_kinds(spheres).items()]:
            if name == "sign-in":
                sign_in(page)
                continue
            page.goto(url)
            page.wait_for_load_state("load")
            if name == "api-docs":
                page.wait_for_selector(".opblock")
            page.add_script_tag(path=str(AXE))
            violations = page.evaluate(AXE_RUN)
            overflow = page.evaluate(OVERFLOW)
            if violations:
                problems[f"{name} axe"] = violations
            if overflow["page"] > overflow["width"] or overflow["wide"]:
                problems[f"{name} width"] = overflow
        assert problems == {}, json.dumps(problems, ensure_ascii=False, indent=1)
    finally:
        page.context.close()


# The country's overlapping memberships and an administrator's edit, in the browser ------------------------


def country_rows() -> list[dict[str, str]]:
    import importlib.resources

    text = (importlib.resources.files("renkei") / "data" / "country.csv").read_text(encoding="utf-8")
    return list(csv.DictReader(io.StringIO(text, newline="")))


def country_towns(row: dict[str, str]) -> set[str]:
    import re

    return set(re.findall(r":(\d{6})", row["central_city"] + row["members"]))


def test_a_tile_names_its_towns_in_several_spheres_on_hover_and_focus(browser: Any, national: Server) -> None:
    """The map's spheres are the synthetic ones (tables only) and the list's current ones: the towns in two of
    the list's spheres at once are marked on their prefecture's tile, named when it is pointed at or focused."""
    from renkei.national.country import shown_name
    from renkei.places.municipalities import Registry

    rows = [r for r in country_rows() if not r["abolished"]]
    where: dict[str, list[dict[str, str]]] = {}
    for r in rows:
        for code in country_towns(r):
            where.setdefault(code, []).append(r)
    shared = {c: rs for c, rs in where.items() if len(rs) > 1}
    per: dict[str, list[str]] = {}
    for code in shared:
        entry = Registry.default().by_code(code)
        assert entry is not None
        per.setdefault(entry.prefecture, []).append(code)
    busiest, second = sorted(per, key=lambda p: (-len(per[p]), p))[:2]
    page = open_page(browser, national)
    try:
        page.goto("/")
        marked = page.locator("svg.tiles a.tile.shared")
        assert marked.count() == len(per)
        tile = page.locator(f'svg.tiles a.tile[data-detail^="{busiest}:"]')
        # The mark is drawn beside the tile's link, not inside it, so the link's name stays its visible text.
        mark = page.locator(f'svg.tiles a.tile[data-detail^="{busiest}:"] + g.shared-mark')
        assert mark.locator("text").text_content() == str(len(per[busiest]))
        assert mark.bounding_box() is not None  # drawn, not only in the markup
        detail = page.locator("#tile-detail")
        tile.focus()
        shown = detail.text_content() or ""
        for code in per[busiest]:
            town = Registry.default().by_code(code)
            assert town is not None and town.name in shown, (town, shown)
            assert all(shown_name(r["name"]).split("（")[0] in shown for r in shared[code])
        assert str(len(per[busiest])) in (tile.get_attribute("aria-label") or "")
        page.locator(f'svg.tiles a.tile[data-detail^="{second}:"]').hover()
        hovered = detail.text_content() or ""
        assert hovered.startswith(second) and hovered != shown
        # The text alternative holds the same names without a pointer.
        page.click("details.tile-list summary")
        listing = page.locator("details.tile-list").inner_text()
        assert all(Registry.default().by_code(c).name in listing for c in per[second])  # type: ignore[union-attr]
        screenshot(page, "national-tiles-shared", full_page=False)
    finally:
        page.context.close()


def test_an_administrator_ends_a_membership_in_the_browser(browser: Any, national: Server) -> None:
    """/admin/country: a member's membership ended on a chosen date; the town's page and the sphere's audit
    say so. (Last in this module: it changes the served registry.)"""
    rows = [r for r in country_rows() if not r["abolished"]]
    counted: dict[str, int] = {}
    for r in rows:
        for code in country_towns(r):
            counted[code] = counted.get(code, 0) + 1
    sphere = next(r for r in rows if r["prefecture"] != "北海道" and len(country_towns(r)) > 3)
    code = next(c for c in sorted(country_towns(sphere) - set(re_codes(sphere["central_city"]))) if counted[c] == 1)
    page = open_page(browser, national)
    try:
        sign_in(page)
        page.goto("/admin/country")
        form = page.locator('form[action="/admin/country/ends"]')
        form.locator('input[name="sphere"]').fill(sphere["key"])
        form.locator('input[name="municipality"]').fill(code)
        form.locator('input[name="end"]').fill("2025-03-31")
        form.locator("button[type=submit]").click()
        page.wait_for_url("**/admin/country?done=end")
        assert "所属を終了しました" in page.locator('[role="status"]').inner_text()
        page.goto(f"/municipalities/{code}")
        dates = " ".join(page.locator("ul.membership-dates").all_inner_texts())
        assert "2025-03-31" in dates
        page.goto(f"/spheres/{sphere['key']}/audit")
        assert "構成市町村の脱退・終了" in page.locator("main").inner_text()
    finally:
        page.context.close()


def re_codes(cell: str) -> list[str]:
    import re

    return re.findall(r":(\d{6})", cell)
