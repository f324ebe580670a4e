"""Pages for people, not for the command line: a past revision says so and links to the current one, an ended
plan period is flagged, error pages say what to do in the browser (never a command to run), and a revision
published from the draft says its totals were computed from the marks. On SQLite and PostgreSQL."""

from __future__ import annotations

import datetime
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from markupsafe import escape

from renkei.core.messages import t
from renkei.core.permissions import Principal
from renkei.core.sample import sample_bytes
from renkei.ingest import read_bytes, read_sample
from renkei.store import Actor, SphereSpec, Store
from renkei.web.app import create_app
from renkei.web.i18n import format_date

KEY = "kamikawa-chubu"
ENDED = datetime.date(2024, 3, 31)


@pytest.fixture
def client(db_url: str) -> Iterator[tuple[TestClient, Store]]:
    store = Store.open(db_url)
    spec = SphereSpec(key=KEY, plan_start=datetime.date(2019, 4, 1), plan_end=ENDED)
    store.import_reading(read_sample(), spec, message="第1版", effective_on=datetime.date(2020, 4, 1))
    name = read_sample().vision.projects[0].name
    changed = sample_bytes().decode("utf-8").replace(name, name + "（拡充）", 1).encode("utf-8")
    store.import_reading(read_bytes(changed, "t.txt"), SphereSpec(key=KEY), effective_on=datetime.date(2021, 4, 1))
    try:
        yield TestClient(create_app(store)), store
    finally:
        store.close()


def test_a_past_revision_says_so_and_links_to_the_current_one(client: tuple[TestClient, Store]) -> None:
    web, _ = client
    past = web.get(f"/spheres/{KEY}?rev=1").text
    shown = format_date(datetime.date(2020, 4, 1), "ja")
    assert str(escape(t("ui.past_revision", "ja", n=1, date=shown))) in past
    assert f'<a href="/spheres/{KEY}">{t("ui.current_revision_link", "ja", n=2)}</a>' in past
    assert t("ui.current_revision_link", "ja", n=2) not in web.get(f"/spheres/{KEY}").text


def test_an_ended_plan_period_is_flagged(client: tuple[TestClient, Store]) -> None:
    web, _ = client
    assert str(escape(t("ui.plan_ended", "ja", end=format_date(ENDED, "ja")))) in web.get(f"/spheres/{KEY}").text


def test_error_pages_never_tell_a_web_reader_to_run_a_command(client: tuple[TestClient, Store]) -> None:
    web, _ = client
    for url, status in [
        (f"/spheres/{KEY}?rev=99", 404),
        ("/spheres/no-such-sphere", 404),
        (f"/spheres/{KEY}/diff/towns/{'存在しない町'}/export/json?from=1&to=2", 404),
    ]:
        response = web.get(url)
        assert response.status_code == status, url
        main = response.text.split("<main", 1)[1].split("</main>", 1)[0]
        assert "renkei " not in main and "--" not in main, (url, main[:400])
    page = web.get(f"/spheres/{KEY}?rev=99").text
    assert t("webhint.store.revision-unknown", "ja") in page
    # The sphere by its name, not its key.
    assert t("store.revision-unknown", "ja", sphere=read_sample().vision.sphere.name, revision=99) in page


def test_a_published_revision_says_its_totals_were_computed(client: tuple[TestClient, Store]) -> None:
    web, store = client
    assert t("ui.computed_totals", "ja") not in web.get(f"/spheres/{KEY}").text  # read from a file
    store.accounts.add("admin", "a long enough password 1234", is_admin=True)
    admin = Actor(Principal(store.accounts.get("admin").id, "admin", is_admin=True), "test")
    first = store.drafts.get(KEY).projects[0]
    store.drafts.update_project(KEY, first.serial, {"description": "変更"}, first.version, admin)
    store.drafts.publish(KEY, "公開", admin)
    page = web.get(f"/spheres/{KEY}").text
    assert t("ui.computed_totals", "ja") in page and t("ui.computed_links", "ja") in page
    assert f'<span class="label">{t("ui.declared_links", "ja")}</span>' not in page
