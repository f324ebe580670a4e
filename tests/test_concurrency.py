"""No lost update: 20 clients save the same project at once through the API of a real ``renkei serve``.

On SQLite and on PostgreSQL (an isolated schema), the server runs in its own process, and 20 threads each
with their own HTTP connection PATCH the same draft project with the same If-Match. Exactly one succeeds
per version and the others get 412 with the current project; then, round after round, every client retries
with what it got back (the ETag of its success, or the current version its 412 named), and again exactly one
wins. At the end the project is the accepted writes applied in order (the last winner's name, version 1 + the
number of accepted writes), and the audit trail lists each accepted write exactly once, in order, each one's
"before" the previous one's "after", and nothing of a refused write.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from conftest import postgres_schema
from renkei.core.permissions import RoleName
from renkei.ingest import read_sample
from renkei.store import Actor, SphereSpec, Store
from webserver import Server, free_port, running_server

KEY = "kamikawa-chubu"
CLIENTS = 20
ROUNDS = 5  # the first, and four rounds of retries
TIMEOUT = 30.0  # seconds: for one request, and for the clients to line up at the start of a round
PASSWORD = "a long enough password 1234"


@dataclass
class Served:
    server: Server
    token: str
    serial: int
    url: str  # the project's address in the API


def prepare(db: str) -> tuple[str, int]:
    """The sample, an account of the secretariat with an API token, and a new project to fight over."""
    store = Store.open(db)
    try:
        store.import_reading(read_sample(), SphereSpec(key=KEY), message="sample")
        store.accounts.add("editor", PASSWORD)
        store.accounts.grant("editor", KEY, RoleName.SECRETARIAT)
        _, token = store.accounts.create_token("editor", "concurrency")
        principal = store.accounts.principal(store.accounts.get("editor").id)
        added = store.drafts.add_project(KEY, {"number": 900, "name": "競合試験事業"}, Actor(principal, "setup"))
        assert added.version == 1
        return token, added.serial
    finally:
        store.close()


@pytest.fixture(params=["sqlite", "postgresql"])
def served(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Served]:
    with contextlib.ExitStack() as stack:
        if request.param == "sqlite":
            db = f"sqlite:///{tmp_path / 'registry.db'}"
        else:
            db = stack.enter_context(postgres_schema())
        token, serial = prepare(db)
        port = free_port()
        server = stack.enter_context(running_server(tmp_path / "serve.log", "--db", db, "--port", str(port), port=port))
        yield Served(server, token, serial, f"{server.url}/api/spheres/{KEY}/draft/projects/{serial}")


@dataclass
class Outcome:
    client: int
    name: str
    sent: int  # the version named in If-Match
    status: int
    etag: str | None
    body: dict[str, Any]


def one_round(clients: list[httpx.Client], url: str, versions: list[int], round_number: int) -> list[Outcome]:
    """Every client PATCHes the project's name at the same moment, each with its own If-Match."""
    start = threading.Barrier(len(clients), timeout=TIMEOUT)

    def save(i: int) -> Outcome:
        name = f"第{round_number}回の名前-{i:02d}"
        start.wait()
        response = clients[i].patch(url, json={"name": name}, headers={"If-Match": f'"{versions[i]}"'})
        return Outcome(i, name, versions[i], response.status_code, response.headers.get("etag"), response.json())

    with ThreadPoolExecutor(len(clients)) as pool:
        futures = [pool.submit(save, i) for i in range(len(clients))]
        return [f.result(timeout=TIMEOUT * 3) for f in futures]


def test_twenty_clients_one_winner_per_version_and_nothing_lost(served: Served) -> None:
    headers = {"Authorization": f"Bearer {served.token}"}
    with contextlib.ExitStack() as stack:
        clients = [stack.enter_context(httpx.Client(headers=headers, timeout=TIMEOUT)) for _ in range(CLIENTS)]
        first = clients[0].get(served.url)
        assert first.status_code == 200 and first.headers["etag"] == '"1"', first.text
        versions = [1] * CLIENTS
        accepted: list[str] = []
        refused: list[str] = []
        for round_number in range(1, ROUNDS + 1):
            outcomes = one_round(clients, served.url, versions, round_number)
            context = f"round {round_number}: {[(o.client, o.status) for o in outcomes]}\n{served.server.output()}"
            assert {o.status for o in outcomes} <= {200, 412}, context
            winners = [o for o in outcomes if o.status == 200]
            # Everyone sent the same version, so exactly one of them may win.
            assert len(set(versions)) == 1
            assert len(winners) == 1, context
            winner = winners[0]
            version = versions[0] + 1
            assert winner.etag == f'"{version}"'
            assert winner.body["version"] == version and winner.body["name"] == winner.name
            for o in outcomes:
                if o is winner:
                    continue
                error = o.body["error"]
                assert error["code"] == "stale-version", o.body
                # The current project, as the winner left it: the loser sees what it would have overwritten.
                assert error["current"]["version"] == version, (o.client, error["current"])
                assert error["current"]["name"] == winner.name
                refused.append(o.name)
            accepted.append(winner.name)
            # Each client retries with what it got back: the ETag of its success, or the version its 412 named.
            versions = [
                int(o.etag.strip('"')) if o.status == 200 and o.etag else o.body["error"]["current"]["version"]
                for o in outcomes
            ]
        final = clients[0].get(served.url)
        assert final.status_code == 200
        assert final.json()["name"] == accepted[-1]
        assert final.json()["version"] == 1 + len(accepted) == 1 + ROUNDS
        assert final.headers["etag"] == f'"{1 + len(accepted)}"'

        audit = clients[0].get(f"{served.server.url}/api/spheres/{KEY}/audit", params={"limit": 10_000})
        assert audit.status_code == 200
        entries = sorted(
            (e for e in audit.json()["entries"] if e["target"] == f"project:{served.serial}"), key=lambda e: e["id"]
        )
        edits = [e for e in entries if e["action"] == "project-edit"]
        assert [e["after"]["name"] for e in edits] == accepted
        assert [e["before"]["name"] for e in edits] == ["競合試験事業", *accepted[:-1]]
        assert all(e["username"] == "editor" and e["address"] == "127.0.0.1" for e in edits)
        written = {str(e["before"]) + str(e["after"]) for e in entries}
        assert not any(name in text for name in refused for text in written)
