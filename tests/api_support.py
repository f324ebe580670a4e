"""The registry the in-process web tests read (FastAPI's TestClient), once on SQLite and once on PostgreSQL,
and the helpers they share. It holds the seed's sphere in two revisions and a small sphere whose project name
is an attempt at script injection; every expectation about the seed is derived from the seed's text."""

from __future__ import annotations

import contextlib
import dataclasses
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from conftest import postgres_schema
from renkei.store import Store
from renkei.web.app import create_app
from seedfacts import SeedFacts, SeedRow
from webdata import ADMIN, KEY, fill


@dataclasses.dataclass
class Registry:
    url: str
    app: FastAPI
    client: TestClient
    token: str

    def auth(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def registry(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, seed_path: Path, facts: SeedFacts
) -> Iterator[Registry]:
    """The filled registry behind an app, for the whole module on each backend (read-mostly tests). The
    databases are made like conftest's ``db_url``: a SQLite file, or an isolated PostgreSQL schema."""
    with contextlib.ExitStack() as stack:
        if request.param == "sqlite":
            url = f"sqlite:///{tmp_path_factory.mktemp('web-api') / 'registry.db'}"
        else:
            url = stack.enter_context(postgres_schema())
        fill(url, seed_path, facts)
        store = Store.open(url)
        stack.callback(store.close)
        _, token = store.accounts.create_token(ADMIN, "tests")
        app = create_app(store)
        client = stack.enter_context(TestClient(app))
        yield Registry(url, app, client, token)


@pytest.fixture
def client(registry: Registry) -> TestClient:
    registry.client.cookies.clear()
    return registry.client


def descriptions(seed_text: str, facts: SeedFacts) -> dict[int, str]:
    lines = seed_text.splitlines()
    return {r.number: lines[r.line - 1].split("\t")[-2 - len(facts.towns)] for r in facts.rows}


def participants(facts: SeedFacts, row: SeedRow) -> list[str]:
    return [town for town, on in zip(facts.towns, row.marks, strict=True) if on]


def fields_of(facts: SeedFacts) -> dict[int, str]:
    """Each present project's field title: the last heading above its line that is not a pillar (①②③)."""
    out = {}
    for r in facts.rows:
        heading = [h for line, h in facts.headings if line < r.line and h[0] not in "①②③④⑤"][-1]
        out[r.number] = heading.split(maxsplit=1)[1]
    return out


def ok_json(client: TestClient, url: str, **kwargs: Any) -> Any:
    response = client.get(url, **kwargs)
    assert response.status_code == 200, (url, response.text)
    assert response.headers["content-type"].startswith("application/json")
    return response.json()


def assert_error(response: Any, status: int, code: str | None = None) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    error = response.json()["error"]
    assert isinstance(error["code"], str) and error["code"]
    assert isinstance(error["message"], str) and error["message"]
    if code is not None:
        assert error["code"] == code
    return dict(error)


def codes(client: TestClient) -> dict[str, str]:
    """The seed's towns' codes as the registry resolved them (names checked against the seed)."""
    vision = ok_json(client, f"/api/spheres/{KEY}/vision")
    return {m["name"]: m["code"] for m in vision["municipalities"]}


def _seed_field_counts(facts: SeedFacts) -> dict[str, int]:
    counts: dict[str, int] = {}
    for title in fields_of(facts).values():
        counts[title] = counts.get(title, 0) + 1
    return counts


def filename_star(disposition: str) -> str:
    """The UTF-8 file name of a Content-Disposition (RFC 6266 / 5987 ``filename*``)."""
    match = re.search(r"filename\*=UTF-8''([^;\s]+)", disposition)
    assert match, disposition
    return unquote(match.group(1), encoding="utf-8", errors="strict")
