"""The web app's kept answers, per sphere: a revision of one sphere leaves every other sphere's pages, API answers
and downloads served from memory, while its own show the new revision at once, also in a worker that did not
write it; the routes kept are those marked cacheable, with ETags and 304 as before."""

from __future__ import annotations

import asyncio
import concurrent.futures
import dataclasses
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, cast

import httpx
import pytest
from fastapi.testclient import TestClient

from renkei.core.cache import Answers
from renkei.ingest import read_sample
from renkei.store import SphereSpec, Store
from renkei.web.app import create_app

A, B = "sphere-a", "sphere-b"
# What a reader asks of a sphere: its page, its history, the API and the downloads.
READS = [
    "/spheres/{key}",
    "/spheres/{key}/revisions",
    "/api/spheres/{key}",
    "/api/spheres/{key}/revisions",
    "/api/spheres/{key}/projects",
    "/api/spheres/{key}/charts/heatmap",
    "/spheres/{key}/export/csv",
    "/spheres/{key}/export/xlsx",
]
# The store's reads a page or an answer is made from.
STORE_READS = ("sphere", "spheres", "history", "revision", "vision", "diff", "project_history", "search")


class Workers:
    """Two apps over two stores of one SQLite database: two worker processes of ``renkei serve``, as it were."""

    def __init__(self, db: str) -> None:
        self.stores = [Store.open(db), Store.open(db)]
        self.clients = [TestClient(create_app(store)) for store in self.stores]
        self.calls: list[str] = []

    def spy(self, worker: int, monkeypatch: pytest.MonkeyPatch) -> None:
        """Record every read of the store that a worker's app makes: a kept answer makes none."""
        store = self.stores[worker]
        for name in STORE_READS:
            method = getattr(store, name)

            def spied(*args: Any, _name: str = name, _method: Callable[..., Any] = method, **kwargs: Any) -> Any:
                self.calls.append(_name)
                return _method(*args, **kwargs)

            monkeypatch.setattr(store, name, spied)

    def close(self) -> None:
        for client in self.clients:
            client.close()
        for store in self.stores:
            store.close()


@pytest.fixture
def workers(tmp_path: Path) -> Iterator[Workers]:
    db = f"sqlite:///{tmp_path / 'registry.db'}"
    with Store.open(db) as store:
        for key in (A, B):
            store.import_reading(read_sample(), SphereSpec(key=key), message="sample")
    opened = Workers(db)
    yield opened
    opened.close()


def _bodies(client: TestClient, key: str) -> dict[str, bytes]:
    bodies = {}
    for read in READS:
        response = client.get(read.format(key=key))
        assert response.status_code == 200, read
        bodies[read] = response.content
    return bodies


def _new_revision(store: Store, key: str, name: str) -> None:
    sample = read_sample().vision
    first = dataclasses.replace(sample.projects[0], name=name)
    store.import_vision(dataclasses.replace(sample, projects=[first, *sample.projects[1:]]), SphereSpec(key=key))


def test_a_revision_of_one_sphere_leaves_the_others_answers_kept(
    workers: Workers, monkeypatch: pytest.MonkeyPatch
) -> None:
    reader = workers.clients[0]
    kept_b, kept_a = _bodies(reader, B), _bodies(reader, A)
    workers.spy(0, monkeypatch)
    assert _bodies(reader, B) == kept_b
    assert workers.calls == [], "a second reading of the same answers went to the store"

    renamed = read_sample().vision.projects[0].name + "（第2版）"
    _new_revision(workers.stores[1], A, renamed)  # the other worker, or another process, writes

    assert _bodies(reader, B) == kept_b
    assert workers.calls == [], "B's answers were made again after a revision of A"
    # A's answers show the new revision at once, in the worker that did not write it.
    assert reader.get(f"/api/spheres/{A}").json()["revision"] == 2
    assert [r["number"] for r in reader.get(f"/api/spheres/{A}/revisions").json()] == [1, 2]
    assert renamed in reader.get(f"/spheres/{A}").text
    assert renamed in [p["name"] for p in reader.get(f"/api/spheres/{A}/projects").json()["items"]]
    assert reader.get(f"/spheres/{A}/export/csv").content != kept_a["/spheres/{key}/export/csv"]
    assert workers.calls, "A's answers came from memory after its revision"


def test_the_registry_wide_reads_show_any_spheres_revision(workers: Workers) -> None:
    reader = workers.clients[0]
    before = {s["key"]: s["revision"] for s in reader.get("/api/spheres").json()["items"]}
    renamed = "どこにもない名前の事業"
    assert reader.get("/api/search", params={"q": renamed}).json()["total"] == 0
    _new_revision(workers.stores[1], B, renamed)
    after = {s["key"]: s["revision"] for s in reader.get("/api/spheres").json()["items"]}
    assert after == {**before, B: before[B] + 1}
    found = reader.get("/api/search", params={"q": renamed}).json()
    assert (found["total"], [h["sphere"] for h in found["hits"]]) == (1, [B])


def test_a_kept_download_keeps_its_etag_and_answers_304(workers: Workers, monkeypatch: pytest.MonkeyPatch) -> None:
    reader = workers.clients[0]
    first = reader.get(f"/spheres/{B}/export/xlsx")
    workers.spy(0, monkeypatch)
    again = reader.get(f"/spheres/{B}/export/xlsx")
    assert workers.calls == []
    assert (again.content, again.headers["etag"]) == (first.content, first.headers["etag"])
    assert again.headers["content-disposition"] == first.headers["content-disposition"]
    assert again.headers["cache-control"] == "public, max-age=60"
    unchanged = reader.get(f"/spheres/{B}/export/xlsx", headers={"If-None-Match": first.headers["etag"]})
    assert (unchanged.status_code, unchanged.content) == (304, b"")


def test_only_routes_marked_cacheable_are_kept(workers: Workers) -> None:
    reader = workers.clients[0]
    responses: Answers[Any] = reader.app.state.responses  # type: ignore[attr-defined]
    for path in ("/api/docs", "/check", f"/spheres/{B}/revisions", "/api/formats"):
        assert reader.get(path).status_code == 200
    keys = cast(list[tuple[str, str, str]], responses.kept_keys())
    kept = {url.removeprefix("http://testserver") for url, _, _ in keys}
    assert kept == {f"/spheres/{B}/revisions", "/api/formats"}
    assert reader.get("/spheres/no-such-sphere").status_code == 404
    assert len(responses) == 2, "an error was kept"


def test_concurrent_requests_for_one_answer_make_it_once(workers: Workers, monkeypatch: pytest.MonkeyPatch) -> None:
    """Right after a revision many readers ask for the same page at once: one request makes it, the others wait
    for it (without holding a thread) instead of each making it again."""
    store = workers.stores[0]
    app = create_app(store)
    made = 0
    sphere = store.sphere

    def slow(key: str) -> Any:
        nonlocal made
        made += 1
        time.sleep(0.3)  # long enough for every request below to ask meanwhile
        return sphere(key)

    monkeypatch.setattr(store, "sphere", slow)

    async def ask_together() -> list[httpx.Response]:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
            return await asyncio.gather(*(client.get(f"/api/spheres/{B}") for _ in range(6)))

    # In a thread of its own: a browser test's Playwright may hold a running event loop in this thread.
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        answers = pool.submit(asyncio.run, ask_together()).result()
    assert [a.status_code for a in answers] == [200] * 6
    assert len({a.content for a in answers}) == 1
    assert made == 1
