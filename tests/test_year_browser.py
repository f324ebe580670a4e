"""The whole year in Japanese in a real browser (issue 21's Done-when): Debian's chromium under Playwright against
``renkei serve``.

An administrator creates a sphere from a table with a known fault (a declared count that disagrees with its marks):
refused with the finding shown and the form kept, then forced, with its 適用日 chosen; gives the secretariat and the
first town's editor their roles. The secretariat lands on the sphere's draft at sign-in, imports a changed version
(a project retired and another renumbered into its number) whose 適用日 the page proposes from the table's
「令和7年4月1日現在」. The town editor and the secretariat tick different cells of one project at the same time:
both are saved. A colleague changes a description the secretariat is editing: the save is refused with both
values and keeps what was typed, then saved. The secretariat publishes, reads the audit trail back in words and
the town's annex with its 旧番号 and 適用日. Every page kind is checked at 1366 px and at 390 px (no sideways
scroll: document.scrollingElement.scrollWidth <= innerWidth) and with axe-core (no serious or critical
violation), including a sphere read from a PDF.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from conftest import require
from renkei.core.messages import t
from renkei.ingest import read_bytes, read_sample
from renkei.render import get
from renkei.store import SphereSpec, Store
from seedfacts import SeedFacts
from test_web_annex import renumbered_over_a_retired_one
from webserver import ROOT, Scenario, Server, chromium_in_a_thread, free_port, running_server, screenshot, sign_in

KEY = "year"
PDF_KEY = "hachinohe"
PDF = ROOT / "tests" / "corpus" / "pdf" / "hachinohe_chromium_ruled.pdf"
PASSWORD = "a long enough password 1234"
ADMIN, SECRETARIAT, COLLEAGUE, TOWN = "kanri", "jimukyoku", "doryo", "town-editor"
AXE = ROOT / "tests" / "vendor" / "axe.min.js"
AXE_RUN = """async () => {
  const result = await axe.run(document, { resultTypes: ["violations"] });
  return result.violations.filter(v => v.impact === "serious" || v.impact === "critical")
    .map(v => ({ id: v.id, impact: v.impact, nodes: v.nodes.slice(0, 3).map(n => n.target.join(" ")) }));
}"""
WIDE, PHONE = {"width": 1366, "height": 900}, {"width": 390, "height": 844}
SIDEWAYS = """() => { const s = document.scrollingElement;
  const wide = [...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > innerWidth + 1)
    .slice(0, 5).map(e => e.tagName + '.' + e.className);
  return { scroll: s.scrollWidth, width: innerWidth, wide }; }"""


def faulty_table() -> bytes:
    """The sample with its first project's declared count off by one (a count-mismatch error)."""
    vision = read_sample().vision
    vision.projects[0].declared_count = (vision.projects[0].declared_count or 0) + 1
    return get("official").render(vision)


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """``renkei serve`` over SQLite holding a sphere read from a PDF and four accounts without roles."""
    where = tmp_path_factory.mktemp("year-browser")
    db = f"sqlite:///{where / 'registry.db'}"
    with Store.open(db) as store:
        store.import_reading(read_bytes(PDF.read_bytes(), PDF.name), SphereSpec(key=PDF_KEY), message="PDF")
        store.accounts.add(ADMIN, PASSWORD, "管理者", is_admin=True)
        for name in (SECRETARIAT, COLLEAGUE, TOWN):
            store.accounts.add(name, PASSWORD)
    port = free_port()
    with running_server(where / "serve.log", "--db", db, "--port", str(port), port=port) as server:
        yield server


@pytest.fixture(scope="module")
def chromium() -> Iterator[Callable[[Scenario], None]]:
    with chromium_in_a_thread("year-browser") as run:
        yield run


def open_as(browser: Any, server: Server, username: str) -> Any:
    """A page in a context of its own, signed in through the login form with no page to return to."""
    context = browser.new_context(
        locale="ja-JP", base_url=server.url, viewport=WIDE, accept_downloads=True, bypass_csp=True
    )
    context.set_default_timeout(20_000)
    page = context.new_page()
    sign_in(page, username, PASSWORD)
    return page


def checked(page: Any, name: str, kinds: set[str]) -> None:
    """axe-core finds nothing serious or critical, at 1366 px and at 390 px; at 390 px nothing scrolls sideways."""
    require(AXE.exists(), f"axe-core is not vendored at {AXE}")
    for viewport in (WIDE, PHONE):
        page.set_viewport_size(viewport)
        if page.evaluate("() => typeof axe") == "undefined":
            page.add_script_tag(path=str(AXE))
        violations = page.evaluate(AXE_RUN)
        assert not violations, (name, viewport["width"], violations)
        sideways = page.evaluate(SIDEWAYS)
        assert sideways["scroll"] <= sideways["width"], (name, viewport["width"], sideways)
    screenshot(page, f"year-390-{name}")
    page.set_viewport_size(WIDE)
    kinds.add(name)


def submit(page: Any, selector: str) -> Any:
    with page.expect_navigation() as navigation:
        page.click(selector)
    return navigation.value


def api(page: Any, path: str) -> Any:
    response = page.request.get(path)
    assert response.ok, (path, response.status)
    return response.json()


def test_the_year_in_the_browser(chromium: Callable[[Scenario], None], served: Server, facts: SeedFacts) -> None:
    kinds: set[str] = set()
    sample = read_sample().vision
    changed, town_y, number, old_number, renumbered = renumbered_over_a_retired_one(sample)
    changed_bytes = "上川中部定住自立圏 連携事業一覧（令和7年4月1日現在）\n".encode() + get("official").render(changed)
    first_town = facts.towns[0]
    state: dict[str, Any] = {}

    def administrator(browser: Any) -> None:
        page = open_as(browser, served, ADMIN)
        assert page.url.endswith("/admin")  # an administrator without a sphere of their own lands here
        console: list[str] = []
        page.on("console", lambda message: console.append(message.text) if message.type == "error" else None)
        page.reload()
        assert not console, console  # the key's pattern compiles in chromium (it once did not, on every load)
        checked(page, "admin", kinds)
        page.fill("#s-name", sample.sphere.name)
        page.select_option("#s-kind", sample.sphere.kind.value)
        page.fill("#s-central", "旭川市 012041")
        page.fill("#s-key", KEY)
        page.fill("#s-effective", "2024-04-01")
        page.set_input_files(
            "#s-file", files=[{"name": "faulty.txt", "mimeType": "text/plain", "buffer": faulty_table()}]
        )
        response = submit(page, "form.new-sphere button[type=submit]")
        assert response.status == 422
        assert t("ui.admin_refused_findings", "ja", n=1) in page.locator("form.new-sphere div.error").inner_text()
        assert page.input_value("#s-name") == sample.sphere.name and page.input_value("#s-effective") == "2024-04-01"
        assert "faulty.txt" in page.locator(".held-file").inner_text()
        checked(page, "admin-refused", kinds)
        page.check("input[name=force]")
        submit(page, "form.new-sphere button[type=submit]")
        assert t("ui.admin_done_sphere", "ja") in page.locator(".notice").inner_text()
        latest = api(page, f"/api/spheres/{KEY}")
        assert latest["revision"] == 1
        # Roles: the secretariat and a colleague, and the first town's editor.
        for username, role, town in (
            (SECRETARIAT, "secretariat", ""),
            (COLLEAGUE, "secretariat", ""),
            (TOWN, "municipality", first_town),
        ):
            card = page.locator("article.account-card", has_text=f"({username})")
            card.locator("select[name=sphere]").select_option(KEY)
            card.locator("select[name=role]").select_option(role)
            if town:
                card.locator("input[name=municipality]").fill(town)
            with page.expect_navigation():
                card.locator("form.admin-grant button[type=submit]").click()
            assert t("ui.admin_done_role", "ja") in page.locator(".notice").inner_text()
        town_card = page.locator("article.account-card", has_text=f"({TOWN})").locator("ul.grants").inner_text()
        assert first_town in town_card and not re.search(r"\d{6}", town_card)  # the town by its name
        page.context.close()

    def secretariat_imports(browser: Any) -> None:
        page = open_as(browser, served, SECRETARIAT)
        assert page.url.endswith(f"/spheres/{KEY}/draft")  # sign-in lands on the sphere's draft
        checked(page, "draft", kinds)
        page.goto(f"/check?sphere={KEY}")
        checked(page, "check-form", kinds)
        page.set_input_files("#file", files=[{"name": "r7.txt", "mimeType": "text/plain", "buffer": changed_bytes}])
        submit(page, "form.upload button[type=submit]")
        assert page.input_value("#import-effective") == "2025-04-01"  # from 「令和7年4月1日現在」
        table = page.locator("table.findings-table").inner_text()
        assert "line-unrecognised" not in table and "--pages" not in page.locator("main").inner_text()
        checked(page, "check-result", kinds)
        page.fill("#import-message", "令和7年度の表")
        submit(page, "form.import-form button[type=submit]")
        assert page.url.endswith(f"/spheres/{KEY}/revisions?imported=2")
        checked(page, "revisions", kinds)
        page.context.close()

    def different_cells(browser: Any) -> None:
        page = open_as(browser, served, SECRETARIAT)
        draft = api(page, f"/api/spheres/{KEY}/draft")
        codes = {m["name"]: m["code"] for m in api(page, f"/api/spheres/{KEY}/vision")["municipalities"]}
        other = next(name for name in codes if name != first_town)
        target = next(p for p in draft["projects"] if first_town not in p["marks"] and other not in p["marks"])
        state["target"] = target
        page.goto(f"/spheres/{KEY}/draft")  # read before the town's tick
        town = open_as(browser, served, TOWN)
        assert town.url.endswith(f"/spheres/{KEY}/draft")
        for who, code in ((town, codes[first_town]), (page, codes[other])):
            button = who.locator(f"#project-{target['serial']} form[action$='/marks/{code}'] button.toggle")
            with who.expect_response(lambda r: r.request.method == "POST" and "/marks/" in r.url) as answer:
                button.click()
            assert answer.value.status == 200
            who.wait_for_load_state("networkidle")
        marks = api(page, f"/api/spheres/{KEY}/draft/projects/{target['serial']}")["marks"]
        assert marks.get(first_town) == "member" and marks.get(other) == "member"  # both saved
        town.context.close()
        page.context.close()

    def same_cell(browser: Any) -> None:
        target = state["target"]
        page = open_as(browser, served, SECRETARIAT)
        page.goto(f"/spheres/{KEY}/draft/projects/{target['serial']}")
        checked(page, "project-form", kinds)
        mine = target["description"] + "（事務局の追記）"
        page.fill("#f-description", mine)
        colleague = open_as(browser, served, COLLEAGUE)
        colleague.goto(f"/spheres/{KEY}/draft/projects/{target['serial']}")
        theirs = target["description"] + "（同僚の追記）"
        colleague.fill("#f-description", theirs)
        submit(colleague, "form.project-form button[type=submit]")
        colleague.context.close()
        response = submit(page, "form.project-form button[type=submit]")
        assert response.status == 409
        said = page.locator("main .error").inner_text()
        assert t("store.stale-version", "ja", number=target["number"], name=target["name"]) in said
        cell = t("ui.conflict_cell", "ja", cell=t("ui.conflict_field_description", "ja"), theirs=theirs, yours=mine)
        assert cell in said
        assert page.input_value("#f-description") == mine  # what was typed is kept
        checked(page, "conflict", kinds)
        submit(page, "form.project-form button[type=submit]")
        assert api(page, f"/api/spheres/{KEY}/draft/projects/{target['serial']}")["description"] == mine
        page.context.close()

    def publish_and_read(browser: Any) -> None:
        page = open_as(browser, served, SECRETARIAT)
        page.goto(f"/spheres/{KEY}/draft/publish")
        assert page.locator(".stale-base").count() == 0
        checked(page, "publish", kinds)
        page.fill("#message", "令和7年度の変更")
        submit(page, "form.publish button[type=submit]")
        assert page.url.endswith(f"/spheres/{KEY}/revisions?published=3")
        page.goto(f"/spheres/{KEY}/audit")
        audit = page.locator("table.audit").inner_text()
        for story in (
            t("audit.story.publish", "ja", n=3),
            t("audit.story.import", "ja", n=2),
            t("audit.story.sphere_create", "ja", name=sample.sphere.name),
            t("audit.story.grant-add", "ja", role=t("audit.town_role", "ja", municipality=first_town)),
            t("audit.project", "ja", number=state["target"]["number"], name=state["target"]["name"]),
        ):
            assert story in audit, story
        for internal in ("serial", "version", "sha256", "r2", "municipality"):
            assert internal not in audit, internal
        checked(page, "audit", kinds)
        # The annex of revision 2 for the town whose project was renumbered over a retired one.
        page.goto(f"/spheres/{KEY}/diff?from=1&to=2")
        heading = page.locator("h3", has_text=re.compile(rf"^{re.escape(town_y)}\s"))
        section = page.locator("section.town-changes", has=heading)
        numbers = section.locator("td.no").all_inner_texts()
        assert t("doc.renumbered_from", "ja", number=number, old=old_number) in numbers and str(number) in numbers
        date = t("doc.effective_on", "ja", year=2025, month=4, day=1)
        assert date in section.inner_text()
        checked(page, "diff", kinds)
        # In English the words are longer (Municipality, renumbered): the tables scroll in their frames, the page not.
        page.goto(f"/spheres/{KEY}/diff?from=1&to=2&lang=en")
        checked(page, "diff-en", kinds)
        page.goto(f"/spheres/{KEY}/diff?from=1&to=2&lang=ja")
        with page.expect_download() as download:
            section.locator("a[href*='/export/xlsx']").click()
        book = openpyxl.load_workbook(io.BytesIO(Path(download.value.path()).read_bytes()))
        assert date in str(book.worksheets[0].cell(1, 1).value)
        cells = {str(c) for sheet in book.worksheets for row in sheet.iter_rows(values_only=True) for c in row}
        assert t("doc.renumbered_from", "ja", number=number, old=old_number) in cells and renumbered in cells
        for path, name in (
            (f"/spheres/{KEY}", "sphere"),
            (f"/spheres/{PDF_KEY}", "sphere-from-pdf"),
            ("/", "home"),
            ("/account/password", "password"),
            ("/mine", "mine"),
            (f"/spheres/{KEY}/draft/rebase", "rebase"),
            ("/check", "check-empty"),
        ):
            page.goto(path)
            checked(page, name, kinds)
        page.context.close()

    for step in (administrator, secretariat_imports, different_cells, same_cell, publish_and_read):
        chromium(step)
    seen = {"admin", "check-result", "draft", "conflict", "publish", "audit", "diff", "diff-en", "sphere-from-pdf"}
    assert seen <= kinds
