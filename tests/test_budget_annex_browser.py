"""A budget annex (別冊) imported with its table in a real browser (Debian's chromium under Playwright, against
``renkei serve``): the check page's second file input, the annex's finding shown with the table's, the import
confirmed, and the annex's budgets on the new revision."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from renkei.core.messages import t
from renkei.ingest import read_path
from renkei.store import SphereSpec, Store
from renkei.vision.model import SphereKind
from webserver import Server, chromium_in_a_thread, running_server, screenshot, sign_in

CORPUS = Path(__file__).resolve().parent / "corpus" / "budgets"
TABLE, ANNEX = CORPUS / "csv_shimonoseki_kpis.csv", CORPUS / "csv_shimonoseki_kpis_annex.xlsx"
KEY, ADMIN, PASSWORD = "shimonoseki", "kanri", "a long enough password 1234"
PORT = 18410


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """``renkei serve`` over SQLite holding the table's sphere (its first revision without the annex) and an
    administrator."""
    where = tmp_path_factory.mktemp("annex-browser")
    db = f"sqlite:///{where / 'registry.db'}"
    with Store.open(db) as store:
        spec = SphereSpec(key=KEY, name="下関市の圏域", kind=SphereKind.SETTLEMENT, central_city="352012")
        store.import_reading(read_path(TABLE), spec, message="表のみ")
        store.accounts.add(ADMIN, PASSWORD, "管理者", is_admin=True)
    with running_server(where / "serve.log", "--db", db, "--port", str(PORT), "--no-country", port=PORT) as server:
        yield server


def test_the_annex_is_uploaded_checked_and_imported(served: Server) -> None:
    # In a thread of its own: the session-wide browser would keep Playwright's event loop running in the main
    # thread for the rest of the run, where later tests run their own (asyncio.run).
    with chromium_in_a_thread("annex-browser") as run:
        run(lambda browser: _upload_check_and_import(browser, served))


def _upload_check_and_import(browser: Any, served: Server) -> None:
    context = browser.new_context(locale="ja-JP", base_url=served.url, viewport={"width": 1280, "height": 900})
    context.set_default_timeout(20_000)
    page = context.new_page()
    try:
        sign_in(page, ADMIN, PASSWORD)
        page.goto(f"/check?sphere={KEY}")
        assert page.get_by_label(t("ui.check_annex", "ja")).count() == 1
        page.set_input_files("#file", str(TABLE))
        page.set_input_files("#annex", str(ANNEX))
        with page.expect_navigation():
            page.click("form.upload button[type=submit]")
        assert page.locator("p.annex-read").inner_text() == t("ui.check_annex_read", "ja", file=ANNEX.name)
        differs = page.locator('table.findings-table tr[data-code="annex-name-differs"]').inner_text()
        assert "広域救急搬送体制の強化" in differs
        screenshot(page, "check-annex")
        page.fill("#import-message", "別冊の事業費")
        with page.expect_navigation():
            page.click("form.import-form button[type=submit]")
        assert page.url.endswith(f"/spheres/{KEY}/revisions?imported=2")
        rows = page.request.get(f"/api/spheres/{KEY}/budgets").json()["items"]
        assert {(r["number"], r["fiscal_year"], r["amount"]) for r in rows} == {
            (1, 2024, 15_000_000),
            (1, 2025, 16_000_000),
            (2, 2024, 8_000_000),
            (2, 2025, 8_000_000),
        }
    finally:
        context.close()
