"""Editing in a real browser (Debian's chromium under Playwright) against ``renkei serve`` on SQLite.

The secretariat signs in, adds a project through the form, toggles ○ in the draft matrix (htmx redraws the
row and its count), reviews the amendment list (exactly the changes made), publishes, and sees the new
revision on the sphere's page. The editor of the seed's first town, in a browser context of its own, finds
toggle buttons in its own column only and toggles its own mark. A form whose CSRF token has been removed from
the page is refused, through a plain form post and through htmx. Screenshots go to test-artifacts/screenshots/.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from renkei.core.messages import t
from renkei.core.permissions import RoleName
from renkei.ingest import read_sample
from renkei.store import SphereSpec, Store
from seedfacts import SeedFacts
from webserver import (
    Scenario,
    Server,
    chromium_in_a_thread,
    free_port,
    new_page,
    running_server,
    screenshot,
)

KEY = "kamikawa-chubu"
PASSWORD = "a long enough password 1234"
SECRETARIAT = "jimukyoku"
TOWN = "town-editor"


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory, facts: SeedFacts) -> Iterator[Server]:
    """``renkei serve`` over a SQLite file holding the sample, the secretariat and the first town's editor."""
    where = tmp_path_factory.mktemp("editing-browser")
    db = f"sqlite:///{where / 'registry.db'}"
    with Store.open(db) as store:
        store.import_reading(read_sample(), SphereSpec(key=KEY), message="sample")
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
    with chromium_in_a_thread("editing-browser") as run:
        yield run


@contextlib.contextmanager
def signed_in(browser: Any, server: Server, username: str) -> Iterator[Any]:
    """A page in a browser context of its own, signed in through the login form."""
    page = new_page(browser, server)
    try:
        page.goto(f"/login?next=/spheres/{KEY}/draft")
        page.fill("#username", username)
        page.fill("#password", PASSWORD)
        page.click("form.login button[type=submit]")
        page.wait_for_url(f"**/spheres/{KEY}/draft")
        assert page.locator(".account span").inner_text() == username
        yield page
    finally:
        page.context.close()


def api(page: Any, path: str) -> Any:
    """A JSON read through the page's own session (GET needs no CSRF token)."""
    response = page.request.get(path)
    assert response.ok, (path, response.status)
    return response.json()


def codes(page: Any) -> dict[str, str]:
    return {m["name"]: m["code"] for m in api(page, f"/api/spheres/{KEY}/vision")["municipalities"]}


def serial_of(page: Any, number: int) -> int:
    draft = api(page, f"/api/spheres/{KEY}/draft")
    return int(next(p["serial"] for p in draft["projects"] if p["number"] == number))


def toggle(page: Any, serial: int, code: str) -> Any:
    return page.locator(f"#project-{serial} form[hx-post$='/marks/{code}'] button.toggle")


def click_toggle(page: Any, serial: int, code: str, count: int) -> None:
    """Click a ○ and wait until htmx has swapped in the row with its new count."""
    button = toggle(page, serial, code)
    pressed = button.get_attribute("aria-pressed")
    with page.expect_response(lambda r: r.request.method == "POST" and "/marks/" in r.url) as answer:
        button.click()
    assert answer.value.status == 200
    flipped = "false" if pressed == "true" else "true"
    page.wait_for_function(
        "([sel, want]) => document.querySelector(sel)?.getAttribute('aria-pressed') === want",
        arg=[f"#project-{serial} form[hx-post$='/marks/{code}'] button.toggle", flipped],
    )
    assert page.locator(f"#project-{serial} td.count").inner_text().strip() == str(count)


def change_rows(page: Any) -> list[tuple[str, str, str, str]]:
    """The amendment list on the page: (change, number, project, municipality) per row."""
    rows = []
    number = project = ""
    for row in page.locator("table.changes.by-project tbody tr").all():
        cells = [c.inner_text().strip() for c in row.locator("td").all()]
        if row.locator("th").count():  # a project's first change: its number and name span its rows
            number, project, cells = row.locator("th").inner_text().strip(), cells[0], cells[1:]
        change, municipality = cells[0], cells[1]
        rows.append((change.split(" (")[0], number, project, municipality))
    return rows


def test_the_secretariat_adds_toggles_reviews_and_publishes(
    chromium: Callable[[Scenario], None], served: Server, facts: SeedFacts
) -> None:
    chromium(lambda browser: secretariat_scenario(browser, served, facts))


def secretariat_scenario(browser: Any, served: Server, facts: SeedFacts) -> None:
    towns = facts.towns
    new_number = max(facts.numbers) + 1
    new_name = "ブラウザで追加した連携事業"
    joined_row = next(r for r in facts.rows if not r.marks[2])  # a project the third town does not take part in
    left_row = next(r for r in facts.rows if r.marks[3] and r.number != joined_row.number)
    with signed_in(browser, served, SECRETARIAT) as page:
        code = codes(page)
        # Add a project through the form, under the field of the sample's first project.
        first = api(page, f"/api/spheres/{KEY}/draft")["projects"][0]
        page.click(f"a[href='/spheres/{KEY}/draft/new']")
        page.wait_for_url(f"**/spheres/{KEY}/draft/new")
        page.fill("#f-number", str(new_number))
        page.fill("#f-name", new_name)
        page.fill("#f-description", "ブラウザのフォームから追加した事業の説明")
        # The pillar and field chosen from the vision's own headings.
        for level in ("pillar", "field"):
            page.select_option(f"#f-{level}_choice", f"{first[level]['label']}\t{first[level]['title']}")
        page.click("form.project-form button[type=submit]")
        page.wait_for_url(re.compile(rf"/spheres/{KEY}/draft#project-\d+$"))
        serial = int(page.url.rsplit("#project-", 1)[1])
        assert page.locator(f"#project-{serial} th.name").inner_text().strip() == new_name
        assert page.locator(f"#project-{serial} td.count").inner_text().strip() == "0"

        # Toggle ○: two towns join the new project, the third joins a project, the fourth leaves one.
        click_toggle(page, serial, code[towns[0]], 1)
        click_toggle(page, serial, code[towns[1]], 2)
        joined_serial, left_serial = serial_of(page, joined_row.number), serial_of(page, left_row.number)
        click_toggle(page, joined_serial, code[towns[2]], joined_row.declared_count + 1)
        click_toggle(page, left_serial, code[towns[3]], left_row.declared_count - 1)
        # What htmx swapped in is what the server now holds.
        page.reload()
        assert page.locator(f"#project-{serial} td.count").inner_text().strip() == "2"
        assert toggle(page, left_serial, code[towns[3]]).get_attribute("aria-pressed") == "false"
        screenshot(page, "editing-draft")

        # Review: the amendment list lists exactly those changes.
        page.click(f"a[href='/spheres/{KEY}/draft/publish']")
        page.wait_for_url(f"**/spheres/{KEY}/draft/publish")
        shown = sorted(change_rows(page))
        expected = sorted(
            [
                (t("change.project-added", "ja"), str(new_number), new_name, ""),
                (t("change.municipality-joined", "ja"), str(joined_row.number), joined_row.name, towns[2]),
                (t("change.municipality-left", "ja"), str(left_row.number), left_row.name, towns[3]),
            ]
        )
        assert shown == expected
        added = page.locator("table.changes.by-project tr.project-added td.after").inner_text()
        assert added.strip() == f"{towns[0]}、{towns[1]}"
        screenshot(page, "editing-publish-preview")

        # Publish, and see the new revision on the sphere's page.
        page.fill("#message", "ブラウザからの公開")
        page.click("form.publish button[type=submit]")
        page.wait_for_url(f"**/spheres/{KEY}/revisions?published=2")
        assert t("ui.published", "ja", n=2) in page.locator(".notice").inner_text()
        assert "ブラウザからの公開" in page.locator("main").inner_text()
        page.click(f".notice a[href='/spheres/{KEY}/diff?from=1&to=2']")  # its amendment list
        page.wait_for_url(f"**/spheres/{KEY}/diff?from=1&to=2")
        assert sorted(change_rows(page)) == expected
        page.goto(f"{served.url}/spheres/{KEY}?rev=2")
        assert t("ui.revision_n", "ja", n=2) in page.locator("main").inner_text()
        assert page.get_by_text(new_name).count() >= 1
        assert api(page, f"/api/spheres/{KEY}")["revision"] == 2
        assert "ブラウザからの公開" in page.locator("main").inner_text()


def test_a_town_editor_edits_only_its_own_column(
    chromium: Callable[[Scenario], None], served: Server, facts: SeedFacts
) -> None:
    chromium(lambda browser: town_editor_scenario(browser, served, facts))


def town_editor_scenario(browser: Any, served: Server, facts: SeedFacts) -> None:
    with signed_in(browser, served, TOWN) as page:
        code = codes(page)
        draft = api(page, f"/api/spheres/{KEY}/draft")
        rows = [p for p in draft["projects"] if not p["retired"]]
        buttons = {name: page.locator(f"form[hx-post$='/marks/{c}'] button.toggle").count() for name, c in code.items()}
        assert buttons[facts.towns[0]] == len(rows)
        assert all(n == 0 for name, n in buttons.items() if name != facts.towns[0]), buttons
        assert page.locator("button.toggle").count() == len(rows)
        # No link to add, edit, publish or relabel.
        assert page.locator(f"a[href='/spheres/{KEY}/draft/new']").count() == 0
        assert page.locator(f"a[href='/spheres/{KEY}/draft/publish']").count() == 0
        assert page.locator("form[action$='/draft/headings']").count() == 0
        # The page says which column is the editor's own, by the town's name.
        assert t("ui.draft_own", "ja", names=facts.towns[0]) in page.locator("p.lead").inner_text()
        screenshot(page, "editing-town-editor")

        target = rows[0]
        count = sum(1 for _ in target["marks"])
        own = facts.towns[0] in target["marks"]
        click_toggle(page, target["serial"], code[facts.towns[0]], count - 1 if own else count + 1)
        after = api(page, f"/api/spheres/{KEY}/draft/projects/{target['serial']}")
        assert (facts.towns[0] in after["marks"]) is not own

        # The same toggle with its CSRF token taken out of the page: refused, the row stays as it is.
        serial = target["serial"]
        form = f"#project-{serial} form[hx-post$='/marks/{code[facts.towns[0]]}']"
        page.evaluate(f'document.querySelector("{form} input[name=csrf]").remove()')
        before = api(page, f"/api/spheres/{KEY}/draft/projects/{serial}")
        with page.expect_response(lambda r: r.request.method == "POST" and "/marks/" in r.url) as answer:
            toggle(page, serial, code[facts.towns[0]]).click()
        assert answer.value.status == 403
        assert api(page, f"/api/spheres/{KEY}/draft/projects/{serial}") == before


def test_a_form_without_its_csrf_token_is_refused(chromium: Callable[[Scenario], None], served: Server) -> None:
    chromium(lambda browser: csrf_scenario(browser, served))


def csrf_scenario(browser: Any, served: Server) -> None:
    with signed_in(browser, served, SECRETARIAT) as page:
        project = api(page, f"/api/spheres/{KEY}/draft")["projects"][0]
        page.goto(f"/spheres/{KEY}/draft/projects/{project['serial']}")
        page.fill("#f-name", "CSRF なしで送った名前")
        page.evaluate("document.querySelector('form.project-form input[name=csrf]').remove()")
        assert page.locator("form.project-form input[name=csrf]").count() == 0
        with page.expect_response(lambda r: r.request.method == "POST") as answer:
            page.click("form.project-form button[type=submit]")
        assert answer.value.status == 403
        page.wait_for_load_state()
        assert t("ui.csrf_failed", "ja") in page.locator("main").inner_text()
        assert api(page, f"/api/spheres/{KEY}/draft/projects/{project['serial']}")["name"] == project["name"]


def test_screenshots_were_kept() -> None:
    from webserver import SCREENSHOTS

    for name in ("editing-draft", "editing-publish-preview", "editing-town-editor"):
        path = Path(SCREENSHOTS) / f"{name}.png"
        if not path.exists():
            pytest.skip("the browser tests did not run")
        assert path.stat().st_size > 1000
