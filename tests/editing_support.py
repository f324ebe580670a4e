"""The registry the editing tests share, through the web app in process (TestClient), on SQLite and PostgreSQL:
the bundled sample, and accounts for an administrator, the secretariat, the editor of the seed's first town, a
viewer and an account without any role; each signs in through the login form and has an API token. With the
helpers that send a request the way each channel sends it and that tell what "nothing changed" means."""

from __future__ import annotations

import contextlib
import dataclasses
import itertools
import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import quote

import httpx
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import text

from conftest import postgres_schema
from renkei.core.permissions import RoleName
from renkei.ingest import read_sample
from renkei.store import Actor, DraftProject, SphereSpec, Store
from renkei.vision.model import Municipality
from renkei.web.app import create_app
from seedfacts import SeedFacts

KEY = "kamikawa-chubu"
PASSWORD = "a long enough password 1234"
ADDRESS = "testclient"  # the address TestClient reports unless told otherwise
CSRF_FIELD = re.compile(r'name="csrf" value="([^"]*)"')
LOGOUT_CSRF = re.compile(r'action="/logout"[^>]*>\s*<input type="hidden" name="csrf" value="([^"]+)"')

ROLES = ("admin", "secretariat", "town", "viewer", "norole", "anonymous")
USERNAMES = {
    "admin": "admin",
    "secretariat": "secretariat",
    "town": "town-editor",
    "viewer": "viewer",
    "norole": "no-role",
}
CHANNELS = ("page", "bearer", "session")


@dataclasses.dataclass
class Person:
    role: str
    username: str
    client: TestClient  # holds a session cookie (signed in through the login form, or a session opened alike)
    csrf: str  # the session's CSRF token, as the pages carry it
    token: str  # an API token of the same account


@dataclasses.dataclass
class Registry:
    url: str
    store: Store
    app: FastAPI
    people: dict[str, Person]
    public: TestClient  # no cookies: for anonymous requests and Bearer tokens
    own: Municipality  # the town editor's town (the seed's first town)
    other: Municipality  # another town of the sphere
    setup: Actor  # the secretariat, for preparing what a test then tries
    numbers: Iterator[int]
    victim_serial: int | None = None

    def victim(self) -> DraftProject:
        """The project refused attempts aim at: one of the draft's, never touched by an allowed attempt."""
        if self.victim_serial is None:
            self.victim_serial = self.fresh().serial
        return self.project(self.victim_serial)

    def person(self, role: str) -> Person | None:
        return self.people.get(role)

    def fresh(self, **extra: Any) -> DraftProject:
        """A new project in the draft, under a field of its own, added by the secretariat."""
        n = next(self.numbers)
        data = {
            "number": n,
            "name": f"試験事業{n}",
            "description": f"試験の説明{n}",
            "field": {"label": "試", "title": f"試験分野{n}"},
            **extra,
        }
        return self.store.drafts.add_project(KEY, data, self.setup)

    def project(self, serial: int) -> DraftProject:
        return self.store.drafts.project(KEY, serial)

    def audit_count(self) -> int:
        return self.store.accounts.audit(None, limit=1)[1]

    def newest_audit(self, n: int = 1) -> list[Any]:
        return self.store.accounts.audit(None, limit=n)[0]


def sign_in(client: TestClient, username: str, password: str = PASSWORD) -> httpx.Response:
    """The login form as a browser uses it: GET (which sets the login-CSRF cookie), then POST."""
    form = client.get("/login")
    assert form.status_code == 200, form.text
    token = CSRF_FIELD.search(form.text)
    assert token is not None
    data = {"username": username, "password": password, "csrf": token[1], "next": "/"}
    response: httpx.Response = client.post("/login", data=data, follow_redirects=False)
    return response


def session_csrf(client: TestClient) -> str:
    """The session's CSRF token, read from the sign-out form every page carries for a signed-in person."""
    found = LOGOUT_CSRF.search(client.get("/").text)
    assert found is not None, "not signed in"
    return found[1]


def signed_in(app: FastAPI, username: str, password: str = PASSWORD, address: str = ADDRESS) -> TestClient:
    client = TestClient(app, client=(address, 50000))
    response = sign_in(client, username, password)
    assert response.status_code == 303, response.text
    assert client.cookies.get("renkei_session")
    return client


def build(url: str, facts: SeedFacts) -> Registry:
    store = Store.open(url)
    store.import_reading(read_sample(), SphereSpec(key=KEY), message="sample")
    accounts = store.accounts
    accounts.add(USERNAMES["admin"], PASSWORD, is_admin=True)
    for role in ("secretariat", "town", "viewer", "norole"):
        accounts.add(USERNAMES[role], PASSWORD)
    accounts.grant(USERNAMES["secretariat"], KEY, RoleName.SECRETARIAT)
    accounts.grant(USERNAMES["town"], KEY, RoleName.MUNICIPALITY, facts.towns[0])
    accounts.grant(USERNAMES["viewer"], KEY, RoleName.VIEWER)
    app = create_app(store)
    people = {}
    for role, username in USERNAMES.items():
        if role in ("secretariat", "town"):
            client = signed_in(app, username)
        else:
            # A session opened as the login form opens it, without a second argon2 check (slow by design):
            # the form itself is tested with the secretariat and the town editor, and in the tests below.
            client = TestClient(app)
            principal = accounts.principal(accounts.get(username).id)
            assert principal is not None
            cookie, _ = accounts.open_session(principal)
            client.cookies.set("renkei_session", cookie)
        _, token = accounts.create_token(username, "tests")
        people[role] = Person(role, username, client, session_csrf(client), token)
    members = {m.name: m for m in store.vision(KEY).municipalities}
    secretariat = accounts.principal(accounts.get(USERNAMES["secretariat"]).id)
    return Registry(
        url=url,
        store=store,
        app=app,
        people=people,
        public=TestClient(app),
        own=members[facts.towns[0]],
        other=members[facts.towns[1]],
        setup=Actor(secretariat, "setup"),
        numbers=itertools.count(1001),
    )


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def reg(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, facts: SeedFacts
) -> Iterator[Registry]:
    """The registry behind an app, for the whole module on each backend; databases made as conftest's
    ``db_url`` makes them (a SQLite file, or an isolated PostgreSQL schema)."""
    with contextlib.ExitStack() as stack:
        if request.param == "sqlite":
            url = f"sqlite:///{tmp_path_factory.mktemp('editing') / 'registry.db'}"
        else:
            url = stack.enter_context(postgres_schema())
        registry = build(url, facts)
        stack.callback(registry.store.close)
        yield registry


SNAPSHOT = (
    "SELECT * FROM draft ORDER BY sphere_id",
    "SELECT * FROM draft_project ORDER BY sphere_id, serial",
    "SELECT id, sphere_id, number, content_hash FROM revision ORDER BY id",
    "SELECT count(*) FROM revision_project",
    "SELECT count(*) FROM audit",
)


def snapshot(reg: Registry) -> list[list[Any]]:
    """The rows that hold the draft (every project with its version, position, marks and notes), the published
    revisions and the number of audit entries."""
    with reg.store.engine.connect() as connection:
        return [[tuple(row) for row in connection.execute(text(query))] for query in SNAPSHOT]


def send(
    reg: Registry,
    who: Person | None,
    channel: str,
    method: str,
    url: str,
    *,
    form: dict[str, Any] | None = None,
    body: Any = None,
    if_match: int | None = None,
) -> httpx.Response:
    headers: dict[str, str] = {}
    if channel == "page":
        client = who.client if who else reg.public
        data = None if form is None else {"csrf": who.csrf if who else "", **{k: str(v) for k, v in form.items()}}
        posted: httpx.Response = client.request(method, url, data=data, follow_redirects=False)
        return posted
    if channel == "bearer":
        client = reg.public
        if who is not None:
            headers["Authorization"] = f"Bearer {who.token}"
    else:
        assert who is not None
        client = who.client
        headers["X-CSRF-Token"] = who.csrf
    if if_match is not None:
        headers["If-Match"] = f'"{if_match}"'
    sent: httpx.Response = client.request(method, url, json=body, headers=headers, follow_redirects=False)
    return sent


def project_form(p: DraftProject, **changes: Any) -> dict[str, Any]:
    """The edit form's fields as the page fills them in for project ``p``, with ``changes``."""
    pr = p.project
    values = {
        "version": p.version,
        "number": pr.number,
        "name": pr.name,
        "description": pr.description,
        "pillar_label": pr.pillar.label if pr.pillar else "",
        "pillar_title": pr.pillar.title if pr.pillar else "",
        "field_label": pr.field.label if pr.field else "",
        "field_title": pr.field.title if pr.field else "",
    }
    values.update(changes)
    return values


def municipality_in_url(m: Municipality, by_name: bool) -> str:
    return quote(m.name) if by_name else (m.code or quote(m.name))
