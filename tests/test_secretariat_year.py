"""The secretariat's year in a real browser (Debian's chromium under Playwright) against ``renkei serve``.

Once with JavaScript and once without (every step then a plain form post with a whole page back): the
secretariat signs in, checks a changed table and sees its findings and the amendment list against the current
revision, imports it, edits a project; the first town's editor, in a browser context of its own, toggles its ○;
the secretariat's page, now stale, hits the conflict and sees it in the row, redrawn; the secretariat publishes,
lands on the revisions page with the new revision's number and follows it to the amendment list, and downloads a
town's 変更協定 annex. An administrator creates a sphere and an account and gives it a role; the new account signs
in with the password shown once. The new pages are checked with axe-core: no serious or critical violation.
"""

from __future__ import annotations

import contextlib
import io
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from conftest import require
from renkei.core.messages import t
from renkei.core.permissions import RoleName
from renkei.core.sample import sample_bytes
from renkei.ingest import read_sample
from renkei.store import SphereSpec, Store
from seedfacts import SeedFacts
from webserver import (
    ROOT,
    Scenario,
    Server,
    chromium_in_a_thread,
    free_port,
    running_server,
    screenshot,
    sign_in,
)

KEY = "kamikawa-chubu"
PASSWORD = "a long enough password 1234"
ADMIN = "kanri"
SECRETARIAT = "jimukyoku"
TOWN = "town-editor"
AXE = ROOT / "tests" / "vendor" / "axe.min.js"
AXE_RUN = """async () => {
  const result = await axe.run(document, { resultTypes: ["violations"] });
  return result.violations.filter(v => v.impact === "serious" || v.impact === "critical")
    .map(v => ({ id: v.id, impact: v.impact, nodes: v.nodes.slice(0, 3).map(n => n.target.join(" ")) }));
}"""


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory, facts: SeedFacts) -> Iterator[Server]:
    """``renkei serve`` over a SQLite file holding the sample, an administrator, the secretariat and the first
    town's editor."""
    where = tmp_path_factory.mktemp("secretariat-year")
    db = f"sqlite:///{where / 'registry.db'}"
    with Store.open(db) as store:
        store.import_reading(read_sample(), SphereSpec(key=KEY), message="sample")
        store.accounts.add(ADMIN, PASSWORD, "管理者", is_admin=True)
        store.accounts.add(SECRETARIAT, PASSWORD, "事務局")
        store.accounts.grant(SECRETARIAT, KEY, RoleName.SECRETARIAT)
        store.accounts.add(TOWN, PASSWORD, facts.towns[0])
        store.accounts.grant(TOWN, KEY, RoleName.MUNICIPALITY, facts.towns[0])
    port = free_port()
    with running_server(where / "serve.log", "--db", db, "--port", str(port), port=port) as server:
        yield server


@pytest.fixture(scope="module")
def chromium() -> Iterator[Callable[[Scenario], None]]:
    """Debian's chromium in a thread of this module's own (see webserver.chromium_in_a_thread)."""
    with chromium_in_a_thread("secretariat-year") as run:
        yield run


@contextlib.contextmanager
def signed_in(browser: Any, server: Server, username: str, js: bool, password: str = PASSWORD) -> Iterator[Any]:
    """A page in a browser context of its own, signed in through the login form. axe is injected as a script of
    the test's own, which the app's Content-Security-Policy refuses: hence bypass_csp."""
    context = browser.new_context(
        locale="ja-JP",
        base_url=server.url,
        viewport={"width": 1280, "height": 900},
        accept_downloads=True,
        java_script_enabled=js,
        bypass_csp=True,
    )
    context.set_default_timeout(20_000)
    page = context.new_page()
    try:
        sign_in(page, username, password, "/")
        if "/account/password" in page.url:  # a password an administrator handed out is changed first
            page.fill("#current", password)
            page.fill("#new", PASSWORD)
            page.fill("#confirm", PASSWORD)
            with page.expect_navigation():
                page.click("form.password-form button[type=submit]")
        page.wait_for_url(f"{server.url}/")
        assert page.locator(".account span").inner_text() == username
        yield page
    finally:
        context.close()


def no_serious_violations(page: Any, name: str, js: bool = True) -> None:
    """axe-core (from the npm registry, vendored in tests/vendor) finds nothing serious or critical. A page
    without JavaScript runs no script, axe's neither: the same pages are checked in the JavaScript run."""
    if not js:
        return
    require(AXE.exists(), f"axe-core is not vendored at {AXE}")
    if page.evaluate("() => typeof axe") == "undefined":
        page.add_script_tag(path=str(AXE))
    violations = page.evaluate(AXE_RUN)
    assert not violations, (name, violations)


def api(page: Any, path: str) -> Any:
    response = page.request.get(path)
    assert response.ok, (path, response.status)
    return response.json()


def changed_table(suffix: str) -> tuple[bytes, str, str]:
    """The sample with its first project renamed: (bytes, old name, new name)."""
    name = read_sample().vision.projects[0].name
    return sample_bytes().decode("utf-8").replace(name, name + suffix, 1).encode("utf-8"), name, name + suffix


def submit(page: Any, selector: str, js: bool) -> Any:
    """Click a submit button and wait for the page that answers (a navigation, with or without JavaScript)."""
    with page.expect_navigation():
        page.click(selector)
    return page


def toggle(page: Any, serial: int, code: str) -> Any:
    return page.locator(f"#project-{serial} form[action$='/marks/{code}'] button.toggle")


def press(page: Any, serial: int, code: str, js: bool) -> int:
    """Press one ○ toggle: htmx swaps the row in place, or without JavaScript the form posts and the whole page
    comes back. The status of the answer."""
    button = toggle(page, serial, code)
    if js:
        with page.expect_response(lambda r: r.request.method == "POST" and "/marks/" in r.url) as answer:
            button.click()
        page.wait_for_load_state("networkidle")
        status: int = answer.value.status
        return status
    with page.expect_navigation() as navigation:
        button.click()
    response = navigation.value
    assert response is not None
    return int(response.status)


def year(browser: Any, server: Server, facts: SeedFacts, js: bool) -> None:
    suffix = "（拡充）" if js else "（見直し）"
    data, old_name, new_name = changed_table(suffix)
    before = None
    with signed_in(browser, server, SECRETARIAT, js) as page:
        before = api(page, f"/api/spheres/{KEY}")["revision"]
        codes = {m["name"]: m["code"] for m in api(page, f"/api/spheres/{KEY}/vision")["municipalities"]}

        # Check the changed table, for import into the sphere: findings, then the amendment list.
        page.goto(f"/check?sphere={KEY}")
        page.set_input_files("#file", files=[{"name": "changed.txt", "mimeType": "text/plain", "buffer": data}])
        assert page.locator("#import-sphere").input_value() == KEY
        submit(page, "form.upload button[type=submit]", js)
        assert page.locator("p.summary").count() == 1
        offer = page.locator("section.import")
        renamed = offer.locator("table.changes.by-project tr.renamed")
        assert renamed.count() == 1 and new_name in renamed.inner_text() and old_name in renamed.inner_text()
        assert t("ui.import_button", "ja") in offer.inner_text()
        no_serious_violations(page, "check-with-import", js)
        screenshot(page, f"year-check-{'js' if js else 'nojs'}")
        page.fill("#import-message", "令和7年度の表を取り込み")
        submit(page, "form.import-form button[type=submit]", js)
        imported = before + 1
        assert page.url.endswith(f"/spheres/{KEY}/revisions?imported={imported}")
        assert t("ui.imported", "ja", n=imported) in page.locator(".notice").inner_text()
        no_serious_violations(page, "revisions-imported", js)

        # Edit a project in the draft.
        draft = api(page, f"/api/spheres/{KEY}/draft")
        first = draft["projects"][0]
        page.goto(f"/spheres/{KEY}/draft/projects/{first['serial']}")
        page.fill("#f-description", first["description"] + "（令和7年度から拡充）")
        submit(page, "form.project-form button[type=submit]", js)
        assert f"/spheres/{KEY}/draft" in page.url
        assert page.locator(f"#project-{first['serial']} th.name.changed").count() == 1
        assert t("ui.draft_changes", "ja", n=1) in page.locator("p.draft-changes").inner_text()
        no_serious_violations(page, "draft", js)

        # The town editor toggles its own ○ in a browser of its own, on a project where the town takes no part.
        own, other = codes[facts.towns[0]], codes[facts.towns[1]]
        target = next(p for p in api(page, f"/api/spheres/{KEY}/draft")["projects"] if facts.towns[0] not in p["marks"])
        serial = target["serial"]
        page.goto(f"/spheres/{KEY}/draft")  # the secretariat's page, about to go stale
        with signed_in(browser, server, TOWN, js) as town:
            town.goto(f"/spheres/{KEY}/draft")
            assert toggle(town, serial, other).count() == 0  # not its column: no form
            assert press(town, serial, own, js) == 200
            assert toggle(town, serial, own).get_attribute("aria-pressed") == "true"
        # The secretariat's toggle of another town on the same project, from its page read before, is saved
        # beside the town's: different cells never conflict. The row comes back with both marks.
        assert press(page, serial, other, js) == 200
        assert toggle(page, serial, own).get_attribute("aria-pressed") == "true"
        assert toggle(page, serial, other).get_attribute("aria-pressed") == "true"
        # The same cell does: the town changes its mark again, and the secretariat's page, now stale, is refused
        # with both values in the row, redrawn as it now is.
        with signed_in(browser, server, TOWN, js) as town:
            town.goto(f"/spheres/{KEY}/draft")
            assert press(town, serial, own, js) == 200  # twice: a value other than the one the secretariat sends
            assert press(town, serial, own, js) == 200
        role = api(page, f"/api/spheres/{KEY}/draft/projects/{serial}")["marks"].get(facts.towns[0])
        theirs = {"member": "○", "lead": "◎", None: t("ui.conflict_empty", "ja")}[role]
        mine = toggle(page, serial, own).inner_text().strip()
        assert mine == "○"
        assert press(page, serial, own, js) == 409
        row = page.locator(f"#project-{serial}")
        said = row.locator("[role=alert]").inner_text()
        assert t("store.stale-version", "ja", number=target["number"], name=target["name"]) in said
        cell = t("ui.conflict_mark", "ja", municipality=facts.towns[0])
        either = [
            t("ui.conflict_cell", "ja", cell=cell, theirs=theirs, yours=y) for y in ("◎", t("ui.conflict_empty", "ja"))
        ]
        assert any(line in said for line in either), said
        screenshot(page, f"year-conflict-{'js' if js else 'nojs'}")
        # Sent again from the row as now shown, it is saved: pressed until the town takes part (○) again.
        for _ in range(3):
            if toggle(page, serial, own).inner_text().strip() == "○":
                break
            assert press(page, serial, own, js) == 200
        assert toggle(page, serial, own).inner_text().strip() == "○"
        assert page.locator(f"#project-{serial} td.mark.changed").count() == 2

        # Publish, and follow the new revision to its amendment list and a town's annex.
        page.goto(f"/spheres/{KEY}/draft/publish")
        no_serious_violations(page, "publish", js)
        page.fill("#message", "令和7年度の変更")
        submit(page, "form.publish button[type=submit]", js)
        published = imported + 1
        assert page.url.endswith(f"/spheres/{KEY}/revisions?published={published}")
        assert t("ui.published", "ja", n=published) in page.locator(".notice").inner_text()
        submit(page, ".notice a", js)
        assert page.url.endswith(f"/diff?from={imported}&to={published}")
        town_section = page.locator("section.town-changes", has_text=facts.towns[0])
        assert town_section.count() == 1
        no_serious_violations(page, "diff", js)
        with page.expect_download() as download:
            town_section.locator("a[href*='/export/xlsx']").click()
        saved = Path(download.value.path())
        assert facts.towns[0] in download.value.suggested_filename
        book = openpyxl.load_workbook(io.BytesIO(saved.read_bytes()))
        cells = {str(c) for sheet in book.worksheets for row in sheet.iter_rows(values_only=True) for c in row}
        assert target["name"] in cells and t("change.municipality-joined", "ja") in cells

        # The no-JavaScript import held the bytes on the server: nothing was trusted from the page.
        assert api(page, f"/api/spheres/{KEY}")["revision"] == published


def administration(browser: Any, server: Server, js: bool) -> None:
    suffix = "js" if js else "nojs"
    username = f"suzuki-{suffix}"
    with signed_in(browser, server, ADMIN, js) as page:
        page.goto("/admin")
        no_serious_violations(page, "admin", js)
        # A new sphere with its first table; the central city from the national list's suggestions.
        page.fill("#s-name", f"試験定住自立圏（{suffix}）")
        page.select_option("#s-kind", "定住自立圏")
        page.fill("#s-central", "旭川市 012041")
        page.fill("#s-key", f"trial-{suffix}")
        page.fill("#s-start", "2025-04-01")
        page.fill("#s-end", "2030-03-31")
        page.set_input_files("#s-file", files=[{"name": "t.txt", "mimeType": "text/plain", "buffer": sample_bytes()}])
        submit(page, "form[action='/admin/spheres'] button[type=submit]", js)
        assert t("ui.admin_done_sphere", "ja") in page.locator(".notice").inner_text()
        assert api(page, f"/api/spheres/trial-{suffix}")["name"] == f"試験定住自立圏（{suffix}）"
        # A new account, its password shown once, and a role on the new sphere.
        page.fill("#u-name", username)
        submit(page, "form[action='/admin/users'] button[type=submit]", js)
        password = page.locator("#shown-password").inner_text().strip()
        assert len(password) >= 16
        no_serious_violations(page, "admin-shown", js)
        page.goto("/admin")
        card = page.locator("article.account-card", has_text=username)
        card.locator("select[name=sphere]").select_option(f"trial-{suffix}")
        card.locator("select[name=role]").select_option("secretariat")
        with page.expect_navigation():
            card.locator("form.admin-grant button[type=submit]").click()
        assert t("ui.admin_done_role", "ja") in page.locator(".notice").inner_text()
    with signed_in(browser, server, username, js, password) as page:
        me = api(page, "/api/me")
        assert me["grants"] == [{"sphere": f"trial-{suffix}", "role": "secretariat", "municipality": None}]
        page.goto(f"/check?sphere=trial-{suffix}")
        assert page.locator("#import-sphere").input_value() == f"trial-{suffix}"


@pytest.mark.parametrize("js", [True, False], ids=["javascript", "no-javascript"])
def test_the_secretariats_year(
    chromium: Callable[[Scenario], None], served: Server, facts: SeedFacts, js: bool
) -> None:
    chromium(lambda browser: year(browser, served, facts, js))


@pytest.mark.parametrize("js", [True, False], ids=["javascript", "no-javascript"])
def test_an_administrator_creates_a_sphere_and_an_account(
    chromium: Callable[[Scenario], None], served: Server, js: bool
) -> None:
    chromium(lambda browser: administration(browser, served, js))


def test_the_retire_confirmation_and_error_pages_are_accessible(
    chromium: Callable[[Scenario], None], served: Server
) -> None:
    def scenario(browser: Any) -> None:
        with signed_in(browser, served, SECRETARIAT, True) as page:
            serial = api(page, f"/api/spheres/{KEY}/draft")["projects"][0]["serial"]
            page.goto(f"/spheres/{KEY}/draft/projects/{serial}")
            submit(page, "p.retire a", True)
            assert re.search(rf"/draft/projects/{serial}/retire$", page.url)
            no_serious_violations(page, "retire")
            response = page.goto(f"/spheres/{KEY}?rev=999")
            assert response is not None and response.status == 404
            assert "renkei " not in page.locator("main").inner_text()  # no command for a web reader
            no_serious_violations(page, "error")

    chromium(scenario)
