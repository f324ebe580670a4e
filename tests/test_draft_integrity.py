"""Edits never lost: versions that never repeat (no ABA), publish serialised against saves and refused when the
draft changed since it was reviewed or its base is no longer the newest revision, a stale draft rebased cell by
cell, and out-of-range versions refused cleanly. On SQLite and PostgreSQL, through the API as a script uses it."""

from __future__ import annotations

import dataclasses
import threading
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient

import renkei.core.sample
import renkei.ingest
from renkei.core.permissions import RoleName
from renkei.store import Actor, SphereSpec, Store
from renkei.web.app import create_app
from seedfacts import SeedFacts
from storedata import NEW_NAME, RENAMED, with_project_renamed

KEY = "kamikawa-chubu"
PASSWORD = "a long enough password 1234"


@dataclasses.dataclass
class Site:
    store: Store
    client: TestClient  # carries the secretariat's API token
    actor: Actor
    seed_text: str

    def read(self, serial: int) -> httpx.Response:
        return self.client.get(f"/api/spheres/{KEY}/draft/projects/{serial}")

    def patch(self, serial: int, etag: str, **changes: object) -> httpx.Response:
        url = f"/api/spheres/{KEY}/draft/projects/{serial}"
        return self.client.patch(url, json=changes, headers={"If-Match": etag})

    def publish(self, message: str = "公開", **extra: object) -> httpx.Response:
        return self.client.post(f"/api/spheres/{KEY}/draft/publish", json={"message": message, **extra})


@pytest.fixture
def site(db_url: str, seed_path: Path) -> Iterator[Site]:
    store = Store.open(db_url)
    text = seed_path.read_text(encoding="utf-8")
    reading = renkei.ingest.read_bytes(text.encode(), seed_path.name, sphere=renkei.core.sample.sample_sphere())
    store.import_reading(reading, SphereSpec(key=KEY), message="first")
    store.accounts.add("sec", PASSWORD)
    store.accounts.grant("sec", KEY, RoleName.SECRETARIAT)
    _, token = store.accounts.create_token("sec", "tests")
    principal = store.accounts.principal(store.accounts.get("sec").id)
    client = TestClient(create_app(store), headers={"Authorization": f"Bearer {token}"})
    try:
        yield Site(store, client, Actor(principal, "test"), text)
    finally:
        store.close()


def first_serial(site: Site) -> int:
    return site.store.drafts.get(KEY).projects[0].serial


def test_a_stale_etag_never_matches_again_after_a_publish(site: Site) -> None:
    """The ABA sequence: A reads, B renames and publishes, A's If-Match must not match the next draft."""
    serial = first_serial(site)
    a = site.read(serial)
    assert a.status_code == 200
    stale = a.headers["etag"]
    b = site.read(serial)
    renamed = site.patch(serial, b.headers["etag"], name="Bの名前")
    assert renamed.status_code == 200, renamed.text
    assert site.publish().status_code == 201
    # A's write, made against what it read before B's rename: refused, and B's name stays.
    late = site.patch(serial, stale, name="Aの名前")
    assert late.status_code == 412, late.text
    assert late.json()["error"]["current"]["name"] == "Bの名前"
    assert site.read(serial).json()["name"] == "Bの名前"
    assert site.store.vision(KEY).projects[0].name == "Bの名前"


def test_versions_never_repeat_across_discards_and_publishes(site: Site) -> None:
    serial = first_serial(site)
    seen: list[int] = []
    for round_number in range(3):
        current = site.read(serial)
        seen.append(int(current.headers["etag"].strip('"')))
        saved = site.patch(serial, current.headers["etag"], name=f"名前{round_number}")
        assert saved.status_code == 200, saved.text
        seen.append(int(saved.headers["etag"].strip('"')))
        if round_number % 2:
            site.store.drafts.discard(KEY, site.actor)
        else:
            assert site.publish(f"公開{round_number}").status_code == 201
    assert seen == sorted(seen) and len(set(seen)) == len(seen), seen


@pytest.mark.parametrize("tag", ['"2147483648"', '"99999999999999999999999"', '"-1"', '"1.5"', "*x"])
def test_an_out_of_range_if_match_is_412(site: Site, tag: str) -> None:
    response = site.patch(first_serial(site), tag, name="x")
    assert response.status_code == 412, response.text


def test_a_form_version_beyond_the_database_integer_is_refused_not_a_server_error(site: Site) -> None:
    project = site.store.drafts.project(KEY, first_serial(site))
    form = {"version": str(2**31 + 5), "number": str(project.project.number), "name": "x", "csrf": ""}
    response = site.client.post(f"/spheres/{KEY}/draft/projects/{project.serial}", data=form)
    assert response.status_code in (409, 412, 422), response.text


def test_publish_refuses_a_draft_changed_since_it_was_reviewed(site: Site) -> None:
    serial = first_serial(site)
    site.patch(serial, site.read(serial).headers["etag"], name="見た後")
    reviewed = site.client.get(f"/api/spheres/{KEY}/draft").json()["version"]
    site.patch(serial, site.read(serial).headers["etag"], name="見た後にもう一度")
    refused = site.publish(version=reviewed)
    assert refused.status_code in (409, 412), refused.text
    assert len(site.store.history(KEY)) == 1
    current = site.client.get(f"/api/spheres/{KEY}/draft").json()["version"]
    assert site.publish(version=current).status_code == 201
    assert site.store.vision(KEY).projects[0].name == "見た後にもう一度"


def test_a_stale_base_is_refused_then_rebased_with_conflicts_per_cell_and_published(
    site: Site, facts: SeedFacts, seed_path: Path
) -> None:
    drafts = site.store.drafts
    renamed = next(p for p in drafts.get(KEY).projects if p.project.number == RENAMED)
    first = drafts.get(KEY).projects[0]
    # The draft changes the renamed project's name too (a conflict) and another project's description.
    site.patch(renamed.serial, site.read(renamed.serial).headers["etag"], name="下書きの名前")
    site.patch(first.serial, site.read(first.serial).headers["etag"], description="下書きの説明")
    # Meanwhile an import makes revision 2, renaming project RENAMED.
    text = with_project_renamed(site.seed_text, facts, RENAMED, NEW_NAME)
    reading = renkei.ingest.read_bytes(text.encode(), seed_path.name, sphere=renkei.core.sample.sample_sphere())
    site.store.import_reading(reading, SphereSpec(key=KEY), message="import")
    refused = site.publish()
    assert refused.status_code == 409, refused.text
    assert refused.json()["error"]["code"] == "stale-base"
    assert len(site.store.history(KEY)) == 2
    # The page shows both differences and offers the rebase.
    page = site.client.get(f"/spheres/{KEY}/draft/rebase")
    assert page.status_code == 200, page.text
    assert NEW_NAME in page.text and "下書きの名前" in page.text and "下書きの説明" in page.text
    rebased = site.client.post(f"/api/spheres/{KEY}/draft/rebase", json={})
    assert rebased.status_code == 200, rebased.text
    conflicts = rebased.json()["conflicts"]
    assert [(c["serial"], c["cell"], c["latest"], c["draft"]) for c in conflicts] == [
        (renamed.serial, "name", NEW_NAME, "下書きの名前")
    ]
    assert site.client.get(f"/api/spheres/{KEY}/draft").json()["base_revision"] == 2
    assert site.publish().status_code == 201
    published = {p.number: p for p in site.store.vision(KEY).projects}
    assert published[RENAMED].name == "下書きの名前"  # the draft's value kept where both changed the cell
    assert published[first.project.number].description == "下書きの説明"
    assert len(site.store.history(KEY)) == 3


def test_parallel_first_saves_and_a_publish_never_fail_with_a_server_error(site: Site) -> None:
    """Eight clients save different projects while no draft is open, then again around a publish: each answer is
    200, 201 or a refusal (409/412), never 5xx, and every accepted save is in the published revision or the draft."""
    serials = [p.serial for p in site.store.drafts.get(KEY).projects[:8]]
    statuses: list[int] = []
    accepted: dict[int, str] = {}
    lock = threading.Lock()

    def save(serial: int, name: str) -> None:
        response = site.patch(serial, site.read(serial).headers["etag"], name=name)
        with lock:
            statuses.append(response.status_code)
            if response.status_code == 200:
                assert response.json()["name"] == name
                accepted[serial] = name

    for round_number in range(2):
        threads = [threading.Thread(target=save, args=(s, f"並行{round_number}-{s}")) for s in serials]
        threads.append(threading.Thread(target=lambda: statuses.append(site.publish().status_code)))
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert all(s < 500 for s in statuses), statuses
    draft = {p.serial: p.project.name for p in site.store.drafts.get(KEY).projects}
    assert all(draft[serial] == name for serial, name in accepted.items())
