"""Editing with accounts and roles, through the web app in process (TestClient), on SQLite and PostgreSQL.

The registry holds the bundled sample, and accounts for an administrator, the secretariat, the editor of the
seed's first town, a viewer and an account without any role; each signs in through the login form and has an
API token. Every write action is tried by every role through every channel (the page's form with the
session's CSRF token, the API with a Bearer token, the API with the session cookie and X-CSRF-Token): what the
role allows succeeds and is audited once; everything else is refused (403; 401 or a redirect to the sign-in
page for nobody) and changes nothing: not the draft, not the published revisions, not the audit trail.

Then: crafted requests for another town's column, CSRF, field-level messages for bad input, stale versions,
markup in every editable field shown escaped on every page and drawn as text in the PDF, argon2 passwords,
the login rate limit, disabled accounts, password resets, revoked tokens, and the append-only audit trail.
"""

from __future__ import annotations

import contextlib
import csv
import dataclasses
import datetime
import html
import io
import itertools
import json
import re
import shutil
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from markupsafe import escape
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from conftest import postgres_schema, require
from renkei import editrules
from renkei.ingest import read_sample
from renkei.messages import t
from renkei.model import Municipality
from renkei.permissions import RoleName
from renkei.sample import sample_bytes
from renkei.store import SphereSpec, Store
from renkei.store.accounts import Actor
from renkei.store.drafts import DraftProject
from renkei.web.app import create_app
from renkei.web.imports import hold
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

# Write actions and reads, as each channel offers them. The pages have no form for notes and the API has no
# call for relabelling a heading (a project's pillar and field are set by PATCH, which is "move").
PAGE_ACTIONS = (
    "add",
    "edit",
    "renumber",
    "move",
    "retire",
    "mark-own",
    "mark-own-by-name",
    "mark-other",
    "mark-other-by-name",
    "relabel",
    "publish",
    "import",
    "read-draft",
    "read-audit",
)
API_ACTIONS = (
    "add",
    "edit",
    "renumber",
    "move",
    "retire",
    "mark-own",
    "mark-own-by-name",
    "mark-other",
    "mark-other-by-name",
    "note-own",
    "note-own-by-name",
    "note-other",
    "note-other-by-name",
    "publish",
    "import",
    "read-draft",
    "read-audit",
)
EVERYTHING = set(PAGE_ACTIONS) | set(API_ACTIONS)
ALLOWED: dict[str, set[str]] = {
    "admin": EVERYTHING,
    "secretariat": EVERYTHING,
    "town": {"mark-own", "mark-own-by-name", "note-own", "note-own-by-name", "read-draft"},
    "viewer": {"read-draft"},
    "norole": set(),
    "anonymous": set(),
}
READS = {"read-draft", "read-audit"}


# The registry ----------------------------------------------------------------------------------------------


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


# What "nothing changed" means ------------------------------------------------------------------------------


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


# Sending a request the way each channel sends it -----------------------------------------------------------


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


@dataclasses.dataclass
class Prepared:
    request: Callable[[], httpx.Response]  # the attempt itself, not yet sent
    success: int  # the status a successful attempt answers with
    done: Callable[[], bool]  # whether the action's effect is there
    shows: str | None = None  # for a read: text the answer must hold


def municipality_in_url(m: Municipality, by_name: bool) -> str:
    return quote(m.name) if by_name else (m.code or quote(m.name))


def prepare(reg: Registry, role: str, channel: str, action: str) -> Prepared:
    """Set up what ``action`` needs (as the secretariat: a new project of its own), and the request that
    tries it as ``role`` through ``channel``."""
    who = reg.person(role)
    page = channel == "page"
    base = f"/spheres/{KEY}/draft" if page else f"/api/spheres/{KEY}/draft"
    draft = reg.store.drafts.get(KEY)
    if draft.exists and draft.base_revision != reg.store.revision(KEY).number:
        # An import since the draft was opened left it behind the newest revision: start a new one.
        reg.store.drafts.discard(KEY, reg.setup)
        reg.victim_serial = None
    target = reg.fresh() if action in ALLOWED[role] else reg.victim()
    serial = target.serial
    n = next(reg.numbers)

    def do(method: str, url: str, **kwargs: Any) -> Callable[[], httpx.Response]:
        return lambda: send(reg, who, channel, method, url, **kwargs)

    if action == "add":
        name = f"追加事業{n}"
        if page:
            form = {"number": n, "name": name, "description": "", "field_label": "", "field_title": ""}
            request = do("POST", f"{base}/new", form=form)
        else:
            request = do("POST", f"{base}/projects", body={"number": n, "name": name})

        def added() -> bool:
            return any(p.project.name == name for p in reg.store.drafts.get(KEY).projects)

        return Prepared(request, 303 if page else 201, added)
    if action in ("edit", "renumber", "move"):
        options: dict[str, dict[str, Any]] = {
            "edit": {"name": f"新しい名前{n}", "description": f"新しい説明{n}"},
            "renumber": {"number": n},
            "move": {"field": {"label": "移", "title": f"移動先{n}"}},
        }
        changes = options[action]
        if page:
            form_changes = dict(changes)
            if "field" in form_changes:
                heading = form_changes.pop("field")
                form_changes.update(field_label=heading["label"], field_title=heading["title"])
            request = do("POST", f"{base}/projects/{serial}", form=project_form(target, **form_changes))
        else:
            body = {**changes, "position": 0} if action == "move" else changes
            request = do("PATCH", f"{base}/projects/{serial}", body=body, if_match=target.version)

        def edited() -> bool:
            now = reg.project(serial).as_dict()
            return all(now[k] == v for k, v in changes.items())

        return Prepared(request, 303 if page else 200, edited)
    if action == "retire":
        if page:
            request = do("POST", f"{base}/projects/{serial}/retire", form={"version": target.version})
        else:
            request = do("DELETE", f"{base}/projects/{serial}", if_match=target.version)
        return Prepared(request, 303 if page else 200, lambda: reg.project(serial).retired)
    if action.startswith(("mark-", "note-")):
        town = reg.own if "-own" in action else reg.other
        where = municipality_in_url(town, action.endswith("-by-name"))
        if action.startswith("mark-"):
            url = f"{base}/projects/{serial}/marks/{where}"
            if page:
                request = do("POST", url, form={"version": target.version, "role": "member"})
            else:
                request = do("PUT", url, body={"role": "member"}, if_match=target.version)
            return Prepared(request, 200, lambda: reg.project(serial).as_dict()["marks"].get(town.name) == "member")
        note = f"備考{n}"
        request = do("PUT", f"{base}/projects/{serial}/notes/{where}", body={"note": note}, if_match=target.version)
        return Prepared(request, 200, lambda: reg.project(serial).notes.get(town.name) == note)
    if action == "relabel":
        field = target.project.field
        assert field is not None
        form = {
            "level": "field",
            "old": f"{field.label}\t{field.title}",
            "label": "改",
            "title": f"改名{n}",
            "version": reg.store.drafts.get(KEY).version,
        }

        def relabelled() -> bool:
            heading = reg.project(serial).project.field
            return heading is not None and heading.title == f"改名{n}"

        return Prepared(do("POST", f"{base}/headings", form=form), 303, relabelled)
    if action == "publish":
        latest = reg.store.revision(KEY).number
        message = f"公開{n}"
        body = {"message": message}
        request = do("POST", f"{base}/publish", form=body) if page else do("POST", f"{base}/publish", body=body)
        return Prepared(request, 303 if page else 201, lambda: reg.store.revision(KEY).number == latest + 1)
    if action == "import":
        return prepare_import(reg, who, channel, n)
    if action == "read-draft":
        request = do("GET", base)
        return Prepared(request, 200, lambda: True, shows=target.project.name)
    if action == "read-audit":
        request = do("GET", f"/spheres/{KEY}/audit" if page else f"/api/spheres/{KEY}/audit")
        # The page names the project by its number and name; the API keeps the raw target.
        shows = t("audit.project", "ja", number=target.project.number, name=target.project.name)
        return Prepared(request, 200, lambda: True, shows=str(escape(shows)) if page else f"project:{serial}")
    raise AssertionError(action)


def changed_sample(n: int) -> bytes:
    """The bundled sample with one project renamed: a table whose import makes a new revision."""
    facts_text = sample_bytes().decode("utf-8")
    name = read_sample().vision.projects[0].name
    return facts_text.replace(name, f"{name}{n}", 1).encode("utf-8")


def prepare_import(reg: Registry, who: Person | None, channel: str, n: int) -> Prepared:
    """Import a changed table: on the page, the confirmation of a table held after the check page read it; on
    the API, the multipart upload."""
    data = changed_sample(n)
    latest = reg.store.revision(KEY).number
    message = f"取込{n}"
    if channel == "page":
        client = who.client if who else reg.public
        sha = hold(data, "sample.txt")
        form = {"csrf": who.csrf if who else "", "sha256": sha, "message": message}

        def request() -> httpx.Response:
            posted: httpx.Response = client.post(f"/spheres/{KEY}/import", data=form, follow_redirects=False)
            return posted

    else:
        headers: dict[str, str] = {}
        if channel == "bearer":
            client = reg.public
            if who is not None:
                headers["Authorization"] = f"Bearer {who.token}"
        else:
            assert who is not None
            client, headers["X-CSRF-Token"] = who.client, who.csrf

        def request() -> httpx.Response:
            files = {"file": ("sample.txt", data, "text/plain")}
            url = f"/api/spheres/{KEY}/revisions"
            posted: httpx.Response = client.post(url, files=files, data={"message": message}, headers=headers)
            return posted

    def imported() -> bool:
        revision = reg.store.revision(KEY)
        return revision.number == latest + 1 and revision.message == message

    return Prepared(request, 303 if channel == "page" else 201, imported)


def assert_refused(response: httpx.Response, role: str, channel: str) -> None:
    """403 for a signed-in person; 401 (API) or a redirect to the sign-in page (pages) for nobody."""
    if role != "anonymous":
        assert response.status_code == 403, response.text[:500]
        if channel == "page":
            assert response.headers["content-type"].startswith("text/html")
        else:
            assert response.json()["error"]["code"] == "forbidden"
    elif channel == "page":
        assert response.status_code == 303, response.text[:500]
        assert response.headers["location"].startswith("/login?next=")
    else:
        assert response.status_code == 401, response.text[:500]
        assert response.json()["error"]["code"] == "sign-in-needed"


CASES = [
    pytest.param(role, channel, action, id=f"{role}-{channel}-{action}")
    for role in ROLES
    for channel in CHANNELS
    for action in (PAGE_ACTIONS if channel == "page" else API_ACTIONS)
    # Naming a town by its name rather than its code matters to the town editor; for the other roles it is
    # the same request twice. Anonymous requests have no session to send a CSRF header with.
    if not (action.endswith("-by-name") and role != "town") and not (role == "anonymous" and channel == "session")
]


@pytest.mark.parametrize(("role", "channel", "action"), CASES)
def test_role_action_matrix(reg: Registry, role: str, channel: str, action: str) -> None:
    """Allowed: succeeds, has its effect, and adds exactly one audit entry naming who did it (reads add none).
    Refused: 403 (401 / sign-in redirect for nobody), and the draft, revisions and audit trail stay as they
    were."""
    prepared = prepare(reg, role, channel, action)
    before = snapshot(reg)
    audit_before = reg.audit_count()
    response = prepared.request()
    if action in ALLOWED[role]:
        assert response.status_code == prepared.success, response.text[:1000]
        assert prepared.done(), f"{action} answered {response.status_code} but did not happen"
        if prepared.shows is not None:
            assert prepared.shows in response.text
        entries = reg.newest_audit(reg.audit_count() - audit_before or 1)
        if action in READS:
            assert reg.audit_count() == audit_before
        else:
            assert reg.audit_count() == audit_before + 1, [e.action for e in entries]
            assert entries[0].username == USERNAMES[role]
            assert entries[0].address == ADDRESS
    else:
        assert_refused(response, role, channel)
        assert snapshot(reg) == before, f"{role} {action} by {channel} changed something"
        assert not prepared.done() or action in READS
        if prepared.shows is not None:
            assert prepared.shows not in response.text


# A town editor crafting requests for another town's column -------------------------------------------------


def test_a_town_editor_cannot_touch_another_towns_column(reg: Registry, facts: SeedFacts) -> None:
    """Every other town, by code and by name, through the page form and both API channels: to mark it, to
    make it the lead, to unmark it, to add a note. All 403, and nothing changes. The own town, by code and by
    name, works through each channel."""
    town = reg.people["town"]
    members = reg.store.vision(KEY).municipalities
    others = [m for m in members if m.name != reg.own.name]
    assert [m.name for m in members] == facts.towns
    # A project of the sample where every other town takes part, so that unmarking is possible for each.
    row = next(r for r in facts.rows if all(r.marks[1:]))
    target = next(p for p in reg.store.drafts.get(KEY).projects if p.project.number == row.number)
    assert all(m.name in target.project.participants for m in others)
    before = snapshot(reg)
    tried = 0
    for m in others:
        for where in filter(None, (m.code, quote(m.name))):
            for channel in CHANNELS:
                base = f"/spheres/{KEY}/draft" if channel == "page" else f"/api/spheres/{KEY}/draft"
                marks = f"{base}/projects/{target.serial}/marks/{where}"
                tries: list[tuple[str, str, dict[str, Any]]]
                if channel == "page":
                    tries = [("POST", marks, {"form": {"version": target.version, "role": r}}) for r in ROLE_VALUES]
                else:
                    notes = f"{base}/projects/{target.serial}/notes/{where}"
                    tries = [
                        ("PUT", marks, {"body": {"role": "lead"}, "if_match": target.version}),
                        ("PUT", marks, {"body": {"role": None}, "if_match": target.version}),
                        ("PUT", notes, {"body": {"note": "他町の備考"}, "if_match": target.version}),
                    ]
                for method, url, kwargs in tries:
                    response = send(reg, town, channel, method, url, **kwargs)
                    assert response.status_code == 403, (channel, method, url, response.text[:300])
                    tried += 1
    assert tried == len(others) * 2 * 9
    assert snapshot(reg) == before
    # The own column, by code and by name, through each channel.
    fresh = reg.fresh()
    for where in (municipality_in_url(reg.own, False), municipality_in_url(reg.own, True)):
        for channel in CHANNELS:
            current = reg.project(fresh.serial)
            role = None if reg.own.name in current.project.participants else "member"
            base = f"/spheres/{KEY}/draft" if channel == "page" else f"/api/spheres/{KEY}/draft"
            url = f"{base}/projects/{fresh.serial}/marks/{where}"
            if channel == "page":
                form = {"version": current.version, "role": role or "none"}
                response = send(reg, town, channel, "POST", url, form=form)
            else:
                response = send(reg, town, channel, "PUT", url, body={"role": role}, if_match=current.version)
            assert response.status_code == 200, response.text[:300]
            assert reg.project(fresh.serial).as_dict()["marks"].get(reg.own.name) == role


ROLE_VALUES = ("member", "lead", "none")


def test_the_town_editor_sees_toggles_only_in_its_own_column(reg: Registry) -> None:
    """The draft page gives the town editor a toggle form in its own column only; the secretariat gets one in
    every column; the viewer none."""
    members = reg.store.vision(KEY).municipalities
    rows = sum(1 for p in reg.store.drafts.get(KEY).projects if not p.retired)

    def forms_per_column(role: str) -> dict[str, int]:
        page = reg.people[role].client.get(f"/spheres/{KEY}/draft").text
        found = {}
        for m in members:
            where = re.escape(municipality_in_url(m, False))
            found[m.name] = len(re.findall(rf'<form hx-post="/spheres/{KEY}/draft/projects/\d+/marks/{where}"', page))
        return found

    town = forms_per_column("town")
    assert town[reg.own.name] == rows
    assert all(count == 0 for name, count in town.items() if name != reg.own.name), town
    assert set(forms_per_column("secretariat").values()) == {rows}
    assert set(forms_per_column("viewer").values()) == {0}


# CSRF ------------------------------------------------------------------------------------------------------


def page_writes(reg: Registry) -> list[tuple[str, dict[str, Any]]]:
    """Every form the secretariat can post, filled in correctly except for the CSRF token."""
    p = reg.fresh()
    n = next(reg.numbers)
    field = p.project.field
    assert field is not None
    base = f"/spheres/{KEY}/draft"
    return [
        (f"{base}/new", {"number": n, "name": f"CSRF{n}"}),
        (f"{base}/projects/{p.serial}", project_form(p, name=f"CSRF{n}")),
        (f"{base}/projects/{p.serial}/retire", {"version": p.version}),
        (f"{base}/projects/{p.serial}/marks/{reg.own.code}", {"version": p.version, "role": "member"}),
        (
            f"{base}/headings",
            {
                "level": "field",
                "old": f"{field.label}\t{field.title}",
                "label": "x",
                "title": f"CSRF{n}",
                "version": reg.store.drafts.get(KEY).version,
            },
        ),
        (f"{base}/publish", {"message": f"CSRF{n}"}),
    ]


@pytest.mark.parametrize("token", ["missing", "empty", "wrong", "another-session"])
def test_a_form_without_its_csrf_token_is_refused(reg: Registry, token: str) -> None:
    secretariat = reg.people["secretariat"]
    given = {"missing": None, "empty": "", "wrong": "x" * 43, "another-session": reg.people["town"].csrf}[token]
    for url, form in page_writes(reg):
        data = {k: str(v) for k, v in form.items()}
        if given is not None:
            data["csrf"] = given
        before = snapshot(reg)
        response = secretariat.client.post(url, data=data, follow_redirects=False)
        assert response.status_code == 403, (url, response.text[:300])
        assert str(escape(t("ui.csrf_failed", "ja"))) in response.text
        assert snapshot(reg) == before, url
        # The same form with the session's token goes through: the refusal was the token's doing.
    url, form = page_writes(reg)[1]
    response = secretariat.client.post(url, data={**form, "csrf": secretariat.csrf}, follow_redirects=False)
    assert response.status_code == 303


def test_an_api_write_with_the_session_cookie_needs_the_csrf_header(reg: Registry) -> None:
    secretariat = reg.people["secretariat"]
    p = reg.fresh()
    url = f"/api/spheres/{KEY}/draft/projects/{p.serial}"
    for headers in ({}, {"X-CSRF-Token": "forged"}, {"X-CSRF-Token": reg.people["town"].csrf}):
        before = snapshot(reg)
        response = secretariat.client.patch(url, json={"name": "x"}, headers={"If-Match": f'"{p.version}"', **headers})
        assert response.status_code == 403, response.text
        assert snapshot(reg) == before
    ok = secretariat.client.patch(
        url, json={"name": "ヘッダーあり"}, headers={"If-Match": f'"{p.version}"', "X-CSRF-Token": secretariat.csrf}
    )
    assert ok.status_code == 200, ok.text


def test_sign_out_needs_the_csrf_token(reg: Registry) -> None:
    client = TestClient(reg.app)
    account = reg.store.accounts.principal(reg.store.accounts.get(USERNAMES["viewer"]).id)
    assert account is not None
    cookie, _ = reg.store.accounts.open_session(account)
    client.cookies.set("renkei_session", cookie)
    assert client.post("/logout", follow_redirects=False).status_code == 403
    assert client.get("/api/me").status_code == 200
    response = client.post("/logout", data={"csrf": session_csrf(client)}, follow_redirects=False)
    assert response.status_code == 303
    assert TestClient(reg.app, cookies={"renkei_session": cookie}).get("/api/me").status_code == 401


def test_the_login_form_needs_its_login_csrf_cookie(reg: Registry) -> None:
    audit = reg.audit_count()
    client = TestClient(reg.app, client=("192.0.2.10", 50000))
    form = client.get("/login")
    token = CSRF_FIELD.search(form.text)
    assert token is not None and client.cookies.get("renkei_login_csrf") == token[1]
    data = {"username": USERNAMES["viewer"], "password": PASSWORD, "csrf": token[1], "next": "/"}
    # Posted from elsewhere: the field without the cookie, the cookie with another field, neither.
    bare = TestClient(reg.app, client=("192.0.2.10", 50000))
    assert bare.post("/login", data=data, follow_redirects=False).status_code == 403
    assert client.post("/login", data={**data, "csrf": "forged"}, follow_redirects=False).status_code == 403
    assert bare.post("/login", data={**data, "csrf": ""}, follow_redirects=False).status_code == 403
    assert not client.cookies.get("renkei_session") and not bare.cookies.get("renkei_session")
    assert reg.audit_count() == audit  # refused before any password was checked


# Bad input -------------------------------------------------------------------------------------------------

LONG = "長" * 20_000
WHOLE: dict[str, object] = {"min": editrules.NUMBER_MIN, "max": editrules.NUMBER_MAX}
# (form field, value, the store's problem code, its parameters): what the form must show beside the field.
FORM_CASES: list[tuple[str, str, str, dict[str, object]]] = [
    ("name", "", "required", {}),
    ("name", "   ", "required", {}),
    ("number", "0", "whole-number", WHOLE),
    ("number", "-3", "whole-number", WHOLE),
    ("number", "abc", "whole-number", WHOLE),
    ("number", "1.5", "whole-number", WHOLE),
    ("number", "USED", "number-taken", {}),
    ("name", LONG, "too-long", {"max": 500}),
    ("description", "説" * 10_001, "too-long", {"max": 10_000}),
    ("pillar_label", "長" * 21, "too-long", {"max": 20}),
    ("field_label", "長" * 21, "too-long", {"max": 20}),
]


def field_message(page: str, field: str) -> str | None:
    """The message shown beside a form field, if the field is marked invalid."""
    invalid = re.search(rf'id="f-{field}"[^>]*aria-invalid="true"[^>]*aria-describedby="e-{field}"', page)
    message = re.search(rf'<span id="e-{field}" class="field-error">([^<]*)</span>', page)
    return html.unescape(message[1]) if invalid and message else None


@pytest.mark.parametrize("form_name", ["edit", "new"])
@pytest.mark.parametrize(
    ("field", "value", "problem", "params"), FORM_CASES, ids=[f"{c[0]}-{c[2]}" for c in FORM_CASES]
)
def test_bad_input_in_a_form_is_shown_beside_its_field(
    reg: Registry, form_name: str, field: str, value: str, problem: str, params: dict[str, object]
) -> None:
    secretariat = reg.people["secretariat"]
    p = reg.fresh()
    used = reg.fresh().project.number
    value = str(used) if value == "USED" else value
    # A heading's label counts only with its title: give the pillar one.
    if form_name == "edit":
        url = f"/spheres/{KEY}/draft/projects/{p.serial}"
        form = project_form(p, pillar_title="柱", **{field: value})
    else:
        url = f"/spheres/{KEY}/draft/new"
        form = {"number": next(reg.numbers), "name": "新しい事業", "pillar_title": "柱", "field_title": "分野"}
        form[field] = value
    before = snapshot(reg)
    response = send(reg, secretariat, "page", "POST", url, form=form)
    assert response.status_code == 422, response.text[:500]
    message = field_message(response.text, field)
    assert message is not None, f"{field} is not marked invalid"
    assert message == t(f"invalid.{problem}", "ja", **params)
    assert str(params.get("max", "")) in message
    assert snapshot(reg) == before


def test_unknown_fields_in_a_form_write_nothing(reg: Registry) -> None:
    """A crafted form post with fields the form does not have: only the form's own fields are saved."""
    p = reg.fresh()
    marks = p.as_dict()["marks"]
    form = project_form(p, name="名前だけ変わる")
    form.update(retired="true", marks="鷹栖町", serial="1", notes="x", position="0", sphere="other")
    response = send(
        reg, reg.people["secretariat"], "page", "POST", f"/spheres/{KEY}/draft/projects/{p.serial}", form=form
    )
    assert response.status_code == 303
    after = reg.project(p.serial)
    assert after.project.name == "名前だけ変わる"
    assert not after.retired and after.as_dict()["marks"] == marks and after.notes == {}
    assert [q.serial for q in reg.store.drafts.get(KEY).projects].count(p.serial) == 1


# (path, method, body, the field the message must name)
def api_cases(reg: Registry) -> list[tuple[str, str, Any, str]]:
    p = reg.fresh()
    used = reg.fresh().project.number
    project = f"/api/spheres/{KEY}/draft/projects/{p.serial}"
    new = f"/api/spheres/{KEY}/draft/projects"
    n = next(reg.numbers)
    mark = f"{project}/marks/{reg.own.code}"
    note = f"{project}/notes/{reg.own.code}"
    return [
        (project, "PATCH", {"name": ""}, "name"),
        (project, "PATCH", {"name": "   "}, "name"),
        (project, "PATCH", {"number": 0}, "number"),
        (project, "PATCH", {"number": used}, "number"),
        (project, "PATCH", {"number": "abc"}, "number"),
        (project, "PATCH", {"number": 1.5}, "number"),
        (project, "PATCH", {"name": LONG}, "name"),
        (project, "PATCH", {"description": "説" * 10_001}, "description"),
        (project, "PATCH", {"pillar": {"label": "長" * 21, "title": "柱"}}, "label"),
        (project, "PATCH", {"field": {"label": "エ"}}, "title"),
        (project, "PATCH", {"position": -1}, "position"),
        (project, "PATCH", {"colour": "red"}, "colour"),
        (project, "PATCH", {"name": "正しい名前", "colour": "red"}, "colour"),
        (project, "PATCH", {}, "body"),
        (project, "PATCH", [1, 2], "body"),
        (new, "POST", {"name": "番号なし"}, "number"),
        (new, "POST", {"number": n, "name": ""}, "name"),
        (new, "POST", {"number": used, "name": "重複"}, "number"),
        (new, "POST", {"number": n, "name": "未知の項目", "retired": True}, "retired"),
        (mark, "PUT", {"role": "boss"}, "role"),
        (mark, "PUT", {"role": "member", "note": "x"}, "note"),
        (note, "PUT", {"note": "備" * 2001}, "note"),
        (note, "PUT", {"text": "x"}, "note"),
        (f"/api/spheres/{KEY}/draft/publish", "POST", {"message": ""}, "message"),
        (f"/api/spheres/{KEY}/draft/publish", "POST", {"message": "公開", "force": True}, "force"),
    ]


def test_bad_input_in_the_api_gets_422_with_details(reg: Registry) -> None:
    secretariat = reg.people["secretariat"]
    for path, method, body, field in api_cases(reg):
        version = None
        if "/projects/" in path:
            version = reg.project(int(path.split("/projects/")[1].split("/")[0])).version
        before = snapshot(reg)
        response = send(reg, secretariat, "bearer", method, path, body=body, if_match=version)
        assert response.status_code == 422, (method, path, body, response.text[:500])
        error = response.json()["error"]
        assert error["details"], (body, error)
        assert any(field in d["where"] for d in error["details"]), (body, error["details"])
        assert all(d["message"] for d in error["details"])
        assert snapshot(reg) == before, (method, path, body)


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_the_stores_refusal_in_the_api_carries_its_code_and_parameters_in_words(reg: Registry, lang: str) -> None:
    """A value the store refuses: each detail keeps where and message, and adds the problem's code and
    parameters; the message is the catalogue's text in the reader's language."""
    p = reg.fresh()
    used = reg.fresh().project.number
    headers = {
        "Authorization": f"Bearer {reg.people['secretariat'].token}",
        "If-Match": f'"{p.version}"',
        "Accept-Language": lang,
    }
    url = f"/api/spheres/{KEY}/draft/projects/{p.serial}"
    body = {"number": used, "name": "制御\x07文字"}
    response = reg.public.request("PATCH", url, json=body, headers=headers)
    assert response.status_code == 422, response.text[:500]
    details = {d["where"]: d for d in response.json()["error"]["details"]}
    assert details["number"] == {
        "where": "number",
        "code": "number-taken",
        "params": {"number": used},
        "message": t("invalid.number-taken", lang, number=used),
    }
    assert (details["name"]["code"], details["name"]["message"]) == (
        "control-character",
        t("invalid.control-character", lang),
    )


# Stale versions --------------------------------------------------------------------------------------------


def test_a_stale_form_is_refused_with_the_current_value_shown(reg: Registry) -> None:
    secretariat = reg.people["secretariat"]
    p = reg.fresh()
    form = secretariat.client.get(f"/spheres/{KEY}/draft/projects/{p.serial}")
    version = re.search(r'name="version" value="(\d+)"', form.text)
    assert version is not None and int(version[1]) == p.version
    # Someone else saves first.
    theirs = f'他の人が先に保存した名前 "{p.serial}" <i>'
    reg.store.drafts.update_project(KEY, p.serial, {"name": theirs}, p.version, reg.setup)
    before = snapshot(reg)
    mine = project_form(p, name="私の名前")
    response = send(reg, secretariat, "page", "POST", f"/spheres/{KEY}/draft/projects/{p.serial}", form=mine)
    assert response.status_code == 409, response.text[:500]
    assert snapshot(reg) == before
    stale = t("store.stale-version", "ja", serial=p.serial, expected=p.version, version=p.version + 1)
    assert str(escape(stale)) in response.text
    name_input = re.search(r'<input id="f-name" name="name" value="([^"]*)"', response.text)
    assert name_input is not None and html.unescape(name_input[1]) == theirs
    assert f'name="version" value="{p.version + 1}"' in response.text
    # Sent again from the page as now shown, it is saved.
    again = send(
        reg,
        secretariat,
        "page",
        "POST",
        f"/spheres/{KEY}/draft/projects/{p.serial}",
        form=project_form(reg.project(p.serial), name="私の名前"),
    )
    assert again.status_code == 303
    assert reg.project(p.serial).project.name == "私の名前"


def test_stale_page_toggles_retire_and_relabel_are_refused(reg: Registry) -> None:
    secretariat = reg.people["secretariat"]
    p = reg.fresh()
    field = p.project.field
    assert field is not None
    draft_version = reg.store.drafts.get(KEY).version
    reg.store.drafts.update_project(KEY, p.serial, {"description": "先に"}, p.version, reg.setup)
    reg.fresh()  # the draft's own version moves on too
    base = f"/spheres/{KEY}/draft"
    stale: list[tuple[str, dict[str, Any]]] = [
        (f"{base}/projects/{p.serial}/marks/{reg.own.code}", {"version": p.version, "role": "member"}),
        (f"{base}/projects/{p.serial}/retire", {"version": p.version}),
        (
            f"{base}/headings",
            {
                "level": "field",
                "old": f"{field.label}\t{field.title}",
                "label": "x",
                "title": "y",
                "version": draft_version,
            },
        ),
    ]
    for url, form in stale:
        before = snapshot(reg)
        response = send(reg, secretariat, "page", "POST", url, form=form)
        assert response.status_code == 409, (url, response.text[:300])
        assert snapshot(reg) == before, url
    # The toggle answers with the row as it now is, and the message.
    response = send(
        reg,
        secretariat,
        "page",
        "POST",
        f"{base}/projects/{p.serial}/marks/{reg.own.code}",
        form={"version": p.version, "role": "member"},
    )
    assert f'id="project-{p.serial}"' in response.text and f'data-version="{p.version + 1}"' in response.text
    assert 'role="alert"' in response.text


def test_a_stale_api_write_gets_412_with_the_current_project(reg: Registry) -> None:
    p = reg.fresh()
    reg.store.drafts.update_project(KEY, p.serial, {"name": "現在の名前"}, p.version, reg.setup)
    url = f"/api/spheres/{KEY}/draft/projects/{p.serial}"
    for channel in ("bearer", "session"):
        for method, path, body in [
            ("PATCH", url, {"name": "古い版からの名前"}),
            ("DELETE", url, None),
            ("PUT", f"{url}/marks/{reg.own.code}", {"role": "member"}),
            ("PUT", f"{url}/notes/{reg.own.code}", {"note": "古い版"}),
        ]:
            before = snapshot(reg)
            response = send(reg, reg.people["secretariat"], channel, method, path, body=body, if_match=p.version)
            assert response.status_code == 412, (method, path, response.text[:300])
            error = response.json()["error"]
            assert error["code"] == "stale-version"
            assert error["current"]["name"] == "現在の名前"
            assert error["current"]["version"] == p.version + 1
            assert error["current"]["serial"] == p.serial
            assert snapshot(reg) == before
    # With the version it was told, the write goes through, and the ETag names the next one.
    ok = send(reg, reg.people["secretariat"], "bearer", "PATCH", url, body={"name": "新"}, if_match=p.version + 1)
    assert ok.status_code == 200 and ok.headers["etag"] == f'"{p.version + 2}"'
    fetched = send(reg, reg.people["secretariat"], "bearer", "GET", url)
    assert fetched.headers["etag"] == f'"{p.version + 2}"'


def test_an_api_write_without_if_match_gets_428(reg: Registry) -> None:
    p = reg.fresh()
    url = f"/api/spheres/{KEY}/draft/projects/{p.serial}"
    for method, path, body in [
        ("PATCH", url, {"name": "版なし"}),
        ("DELETE", url, None),
        ("PUT", f"{url}/marks/{reg.own.code}", {"role": "member"}),
        ("PUT", f"{url}/notes/{reg.own.code}", {"note": "版なし"}),
    ]:
        before = snapshot(reg)
        response = send(reg, reg.people["secretariat"], "bearer", method, path, body=body)
        assert response.status_code == 428, response.text
        assert response.json()["error"]["code"] == "if-match-needed"
        assert snapshot(reg) == before
        for garbage in ("*", "abc", '"1.5"'):
            headers = {"Authorization": f"Bearer {reg.people['secretariat'].token}", "If-Match": garbage}
            response = reg.public.request(method, path, json=body, headers=headers)
            assert response.status_code == 412, (garbage, response.text)
            assert snapshot(reg) == before


# Markup in every editable field ----------------------------------------------------------------------------

INJECTED = "<script>alert(1)</script>"
MARKUP = f"{INJECTED} \"引用\" 'single' <b>x</b>"
LABEL = "<script>\"'<b>x</b>"  # a label holds at most 20 characters


def assert_escaped(page: str, where: str) -> None:
    """The markup is there as text: never as a tag, always escaped."""
    assert "<script>" not in page, where
    assert "<b>x</b>" not in page, where
    escaped = ("&lt;script&gt;", "\\u003cscript\\u003e")  # as HTML text, or inside JSON (the audit's before/after)
    assert any(e in page for e in escaped), f"{where}: the text is not shown at all"


def pdf_text(data: bytes) -> str:
    """The PDF's text, by pypdf and by pdftotext where they are installed."""
    texts = []
    with contextlib.suppress(ImportError):
        import pypdf

        texts += [page.extract_text() for page in pypdf.PdfReader(io.BytesIO(data)).pages]
    pdftotext = shutil.which("pdftotext")
    if pdftotext:
        done = subprocess.run([pdftotext, "-layout", "-", "-"], input=data, capture_output=True, check=True, timeout=60)
        texts.append(done.stdout.decode("utf-8"))
    require(bool(texts), "neither pypdf nor pdftotext is installed")
    return "\n".join(texts)


def test_markup_in_every_editable_field_is_shown_escaped_everywhere(reg: Registry) -> None:
    secretariat = reg.people["secretariat"]
    client = secretariat.client
    n = next(reg.numbers)
    body = {
        "number": n,
        "name": f"{MARKUP} 事業",
        "description": f"{MARKUP} 説明",
        "pillar": {"label": LABEL, "title": f"{MARKUP} 柱"},
        "field": {"label": LABEL, "title": f"{MARKUP} 分野"},
    }
    added = send(reg, secretariat, "bearer", "POST", f"/api/spheres/{KEY}/draft/projects", body=body)
    assert added.status_code == 201, added.text
    serial = added.json()["serial"]
    version = added.json()["version"]
    mark = send(
        reg,
        secretariat,
        "bearer",
        "PUT",
        f"/api/spheres/{KEY}/draft/projects/{serial}/marks/{reg.own.code}",
        body={"role": "member"},
        if_match=version,
    )
    assert mark.status_code == 200
    note = send(
        reg,
        secretariat,
        "bearer",
        "PUT",
        f"/api/spheres/{KEY}/draft/projects/{serial}/notes/{reg.own.code}",
        body={"note": f"{MARKUP} 備考"},
        if_match=version + 1,
    )
    assert note.status_code == 200
    assert note.json()["notes"][reg.own.name] == f"{MARKUP} 備考"  # kept as typed
    # A heading relabelled through the page's form.
    relabel = {
        "level": "field",
        "old": f"{LABEL}\t{MARKUP} 分野",
        "label": LABEL,
        "title": f"{MARKUP} 分野二",
        "version": reg.store.drafts.get(KEY).version,
    }
    assert send(reg, secretariat, "page", "POST", f"/spheres/{KEY}/draft/headings", form=relabel).status_code == 303
    stored = reg.project(serial).as_dict()
    assert stored["name"] == f"{MARKUP} 事業" and stored["field"]["title"] == f"{MARKUP} 分野二"

    draft_pages = {
        "draft": f"/spheres/{KEY}/draft",
        "edit form": f"/spheres/{KEY}/draft/projects/{serial}",
        "publish preview": f"/spheres/{KEY}/draft/publish",
        "audit": f"/spheres/{KEY}/audit",
    }
    for where, url in draft_pages.items():
        response = client.get(url)
        assert response.status_code == 200, where
        assert_escaped(response.text, where)
    edit_form = client.get(draft_pages["edit form"]).text
    for value in (f"{MARKUP} 事業", f"{MARKUP} 説明", LABEL, f"{MARKUP} 柱", f"{MARKUP} 分野二"):
        assert str(escape(value)) in edit_form, value  # every field's value, escaped, in its input
    # The note is shown nowhere but in the audit trail, as the difference it made (escaped for HTML).
    assert f'<ins class="diff-after">{escape(f"{MARKUP} 備考")}</ins>' in client.get(draft_pages["audit"]).text

    published = send(
        reg, secretariat, "bearer", "POST", f"/api/spheres/{KEY}/draft/publish", body={"message": f"{MARKUP} 公開"}
    )
    assert published.status_code == 201, published.text
    revision = published.json()["revision"]
    public_pages = {
        "sphere": f"/spheres/{KEY}",
        "sphere at the revision": f"/spheres/{KEY}?rev={revision}",
        "project": f"/spheres/{KEY}/projects/{n}",
        "search": f"/search?q={quote('alert')}",
        "municipality": f"/municipalities/{reg.own.code}",
        "revisions": f"/spheres/{KEY}/revisions",
        "amendments": f"/spheres/{KEY}/diff?from={revision - 1}&to={revision}",
        "audit": f"/spheres/{KEY}/audit",
    }
    for where, url in public_pages.items():
        response = (client if where == "audit" else reg.public).get(url)
        assert response.status_code == 200, (where, response.text[:300])
        assert_escaped(response.text, where)
    project_page = reg.public.get(public_pages["project"]).text
    assert str(escape(f"{MARKUP} 事業")) in project_page and str(escape(f"{MARKUP} 説明")) in project_page

    from renkei.render import renderers as registry

    require(any(r.name == "pdf" for r in registry()), "the PDF renderer is not available")
    pdf = reg.public.get(f"/spheres/{KEY}/export/pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF-")
    extracted = pdf_text(pdf.content)
    assert "<script>" in extracted  # drawn as text, not taken for markup
    assert "<b>x</b>" in extracted or "<b>" in extracted


# Accounts --------------------------------------------------------------------------------------------------


def test_passwords_sessions_and_tokens_are_stored_only_as_hashes(reg: Registry) -> None:
    with reg.store.engine.connect() as connection:
        hashes: dict[str, str] = {
            u: h for u, h in connection.execute(text("SELECT username, password_hash FROM account"))
        }
        sessions = [tuple(r) for r in connection.execute(text("SELECT * FROM web_session"))]
        tokens = [tuple(r) for r in connection.execute(text("SELECT * FROM api_token"))]
    assert set(USERNAMES.values()) <= set(hashes)
    for username, hashed in hashes.items():
        assert hashed.startswith("$argon2"), username
        assert PASSWORD not in hashed
    secrets = [p.token for p in reg.people.values()] + [p.client.cookies["renkei_session"] for p in reg.people.values()]
    stored = repr(sessions) + repr(tokens)
    for secret in secrets:
        assert secret not in stored
    if reg.url.startswith("sqlite:///"):
        # Not in the database file or its write-ahead log either.
        path = reg.url.removeprefix("sqlite:///")
        data = b"".join(Path(path + suffix).read_bytes() for suffix in ("", "-wal") if Path(path + suffix).exists())
        assert PASSWORD.encode() not in data
        for secret in secrets:
            assert secret.encode() not in data


def test_the_login_is_rate_limited(reg: Registry) -> None:
    """Five failures within 15 minutes for a name from an address: the sixth attempt from there is refused with
    429 and Retry-After, even with the right password, and audited once as login-refused; each checked failure is
    login-failed with the address it came from. The limit is fair: the same name signs in from another address,
    and another name from the same address (see test_signin_limits.py for bursts and delays)."""
    accounts = reg.store.accounts
    accounts.add("limited", PASSWORD)
    address = "192.0.2.50"
    client = TestClient(reg.app, client=(address, 50000))
    for _ in range(5):
        response = sign_in(client, "limited", "a wrong password 000")
        assert response.status_code == 401, response.text[:300]
        assert str(escape(t("ui.login_failed", "ja"))) in response.text
    sixth = sign_in(client, "limited", PASSWORD)
    assert sixth.status_code == 429
    wait = int(sixth.headers["retry-after"])
    assert 0 < wait <= 30
    assert str(escape(t("ui.login_wait", "ja", seconds=wait))) in sixth.text
    assert not client.cookies.get("renkei_session")
    mine = [e for e in reg.newest_audit(50) if e.username == "limited"]
    assert [e.action for e in mine] == ["login-refused"] + ["login-failed"] * 5
    assert mine[0].after == {"retry_after": wait}
    recent = datetime.datetime.now(datetime.UTC) - datetime.timedelta(minutes=5)
    assert all(e.address == address and e.at > recent for e in mine)
    elsewhere = TestClient(reg.app, client=("192.0.2.51", 50000))
    assert sign_in(elsewhere, "limited", PASSWORD).status_code == 303
    assert sign_in(TestClient(reg.app, client=(address, 50001)), USERNAMES["viewer"], PASSWORD).status_code == 303


def test_a_disabled_account_cannot_sign_in_and_its_sessions_end(reg: Registry) -> None:
    accounts = reg.store.accounts
    accounts.add("leaver", PASSWORD)
    accounts.grant("leaver", KEY, RoleName.VIEWER)
    client = signed_in(reg.app, "leaver", address="192.0.2.60")
    _, token = accounts.create_token("leaver", "script")
    bearer = {"Authorization": f"Bearer {token}"}
    assert client.get("/api/me").json()["username"] == "leaver"
    assert reg.public.get("/api/me", headers=bearer).status_code == 200
    admin = accounts.principal(accounts.get(USERNAMES["admin"]).id)
    accounts.disable("leaver", actor=Actor(admin, "192.0.2.1"))
    assert client.get("/api/me").status_code == 401
    page = client.get(f"/spheres/{KEY}/draft", follow_redirects=False)
    assert page.status_code == 303 and page.headers["location"].startswith("/login")
    assert reg.public.get("/api/me", headers=bearer).status_code == 401
    with reg.store.engine.connect() as connection:
        left = connection.execute(
            text("SELECT count(*) FROM web_session s JOIN account a ON a.id = s.account_id WHERE a.username = 'leaver'")
        ).scalar()
    assert left == 0
    again = TestClient(reg.app, client=("192.0.2.61", 50000))
    refused = sign_in(again, "leaver")
    assert refused.status_code == 401 and not again.cookies.get("renkei_session")
    entry = reg.newest_audit()[0]
    assert (entry.action, entry.username, entry.address) == ("login-failed", "leaver", "192.0.2.61")
    disabled = next(e for e in reg.newest_audit(10) if e.action == "account-disable")
    assert (disabled.username, disabled.target, disabled.before, disabled.after) == (
        USERNAMES["admin"],
        "leaver",
        {"disabled": False},
        {"disabled": True},
    )
    accounts.disable("leaver", disabled=False)
    assert sign_in(TestClient(reg.app, client=("192.0.2.62", 50000)), "leaver").status_code == 303


def test_a_password_reset_by_an_administrator_works_and_ends_sessions(reg: Registry) -> None:
    accounts = reg.store.accounts
    accounts.add("forgetful", PASSWORD)
    client = signed_in(reg.app, "forgetful", address="192.0.2.70")
    assert client.get("/api/me").status_code == 200
    admin = accounts.principal(accounts.get(USERNAMES["admin"]).id)
    new_password = "another long password 5678"
    accounts.set_password("forgetful", new_password, actor=Actor(admin, "192.0.2.1"))
    assert client.get("/api/me").status_code == 401
    assert sign_in(TestClient(reg.app, client=("192.0.2.71", 50000)), "forgetful", PASSWORD).status_code == 401
    fresh = signed_in(reg.app, "forgetful", new_password, address="192.0.2.72")
    assert fresh.get("/api/me").json()["username"] == "forgetful"
    reset = next(e for e in reg.newest_audit(10) if e.action == "password-reset")
    assert (reset.username, reset.target, reset.address) == (USERNAMES["admin"], "forgetful", "192.0.2.1")
    with reg.store.engine.connect() as connection:
        hashed = connection.execute(text("SELECT password_hash FROM account WHERE username = 'forgetful'")).scalar()
    assert isinstance(hashed, str) and hashed.startswith("$argon2") and new_password not in hashed


def test_a_revoked_token_is_refused(reg: Registry) -> None:
    accounts = reg.store.accounts
    token_id, secret = accounts.create_token(USERNAMES["secretariat"], "to be revoked")
    headers = {"Authorization": f"Bearer {secret}"}
    assert reg.public.get("/api/me", headers=headers).json()["username"] == USERNAMES["secretariat"]
    p = reg.fresh()
    accounts.revoke_token(token_id)
    before = snapshot(reg)
    assert reg.public.get("/api/me", headers=headers).status_code == 401
    url = f"/api/spheres/{KEY}/draft/projects/{p.serial}"
    response = reg.public.patch(url, json={"name": "取り消し後"}, headers={**headers, "If-Match": f'"{p.version}"'})
    assert response.status_code == 401
    assert snapshot(reg) == before
    # The account's other token still works.
    assert send(reg, reg.people["secretariat"], "bearer", "GET", "/api/me").status_code == 200


def test_the_audit_trail_says_who_did_what_when_from_where_before_and_after(reg: Registry) -> None:
    secretariat = reg.people["secretariat"]
    p = reg.fresh()
    url = f"/api/spheres/{KEY}/draft/projects/{p.serial}"
    headers = {
        "Authorization": f"Bearer {secretariat.token}",
        "If-Match": f'"{p.version}"',
        "User-Agent": "audit-test/1",
    }
    started = datetime.datetime.now(datetime.UTC)
    response = reg.public.patch(url, json={"name": "監査の名前", "number": next(reg.numbers)}, headers=headers)
    assert response.status_code == 200
    changed = response.json()
    entries = send(reg, secretariat, "bearer", "GET", f"/api/spheres/{KEY}/audit?limit=5").json()["entries"]
    entry = entries[0]
    assert entry["username"] == USERNAMES["secretariat"]
    assert entry["action"] == "project-edit"
    assert entry["sphere"] == KEY and entry["target"] == f"project:{p.serial}"
    assert entry["before"] == {"name": p.project.name, "number": p.project.number}
    assert entry["after"] == {"name": "監査の名前", "number": changed["number"]}
    assert entry["address"] == ADDRESS and entry["user_agent"] == "audit-test/1"
    at = datetime.datetime.fromisoformat(entry["at"])
    assert started - datetime.timedelta(seconds=5) <= at <= datetime.datetime.now(datetime.UTC)
    # The same entry as CSV, with before and after as JSON.
    download = send(reg, secretariat, "bearer", "GET", f"/api/spheres/{KEY}/audit?format=csv&limit=5")
    assert download.status_code == 200 and download.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(download.content.decode("utf-8-sig"))))
    row = next(r for r in rows if r["id"] == str(entry["id"]))
    assert (row["user"], row["action"], row["target"], row["address"]) == (
        USERNAMES["secretariat"],
        "project-edit",
        f"project:{p.serial}",
        ADDRESS,
    )
    assert json.loads(row["before"]) == entry["before"] and json.loads(row["after"]) == entry["after"]
    assert datetime.datetime.fromisoformat(row["at"]) == at
    # And on the page, for the secretariat.
    page = secretariat.client.get(f"/spheres/{KEY}/audit").text
    # The action in Japanese, the project by its number and name, before and after as a difference.
    assert t("audit.project-edit", "ja") in page and "project-edit" not in page
    assert str(escape(t("audit.project", "ja", number=changed["number"], name="監査の名前"))) in page
    assert f"project:{p.serial}" not in page
    assert f'<del class="diff-before">{escape(p.project.name)}</del> → <ins class="diff-after">監査の名前</ins>' in page
    assert f'<ins class="diff-after">{changed["number"]}</ins>' in page
    # Every sign-in is there too (not tied to a sphere), with its address.
    logins = [e for e in reg.store.accounts.audit(None, limit=10_000)[0] if e.action == "login"]
    assert {USERNAMES["secretariat"], USERNAMES["town"]} <= {e.username for e in logins}
    assert all(e.address for e in logins)


def test_the_audit_table_refuses_update_and_delete(reg: Registry) -> None:
    count = reg.audit_count()
    newest = reg.newest_audit()[0]
    for statement in (
        "UPDATE audit SET username = 'someone else'",
        f"UPDATE audit SET after = NULL WHERE id = {newest.id}",
        "DELETE FROM audit",
        f"DELETE FROM audit WHERE id = {newest.id}",
    ):
        with pytest.raises(DBAPIError, match="append-only"), reg.store.engine.begin() as connection:
            connection.execute(text(statement))
    assert reg.audit_count() == count
    assert reg.newest_audit()[0] == newest


def test_a_relabel_with_bad_input_writes_nothing(reg: Registry) -> None:
    p = reg.fresh()
    field = p.project.field
    assert field is not None
    for label, title in (("長" * 21, "題"), ("ア", ""), ("ア", "   ")):
        form = {
            "level": "field",
            "old": f"{field.label}\t{field.title}",
            "label": label,
            "title": title,
            "version": reg.store.drafts.get(KEY).version,
        }
        before = snapshot(reg)
        response = send(reg, reg.people["secretariat"], "page", "POST", f"/spheres/{KEY}/draft/headings", form=form)
        assert response.status_code == 422, (label, title, response.text[:300])
        assert snapshot(reg) == before


# Moving ----------------------------------------------------------------------------------------------------


def test_moving_a_project_puts_it_where_it_was_asked_to_go(reg: Registry) -> None:
    """PATCH position: the project takes that place in the draft's order; the others keep theirs in turn."""
    order = [p.serial for p in reg.store.drafts.get(KEY).projects]
    moved = reg.fresh()
    order = [p.serial for p in reg.store.drafts.get(KEY).projects]
    assert order[-1] != moved.serial or len(order) > 1
    for position in (0, 3, len(order) - 1):
        current = reg.project(moved.serial)
        response = send(
            reg,
            reg.people["secretariat"],
            "bearer",
            "PATCH",
            f"/api/spheres/{KEY}/draft/projects/{moved.serial}",
            body={"position": position},
            if_match=current.version,
        )
        assert response.status_code == 200, response.text
        now = [p.serial for p in reg.store.drafts.get(KEY).projects]
        expected = [s for s in order if s != moved.serial]
        expected.insert(position, moved.serial)
        assert now == expected, position
        order = now


# Administration (the /admin pages): administrators only ----------------------------------------------------

ADMIN_ACTIONS = (
    "add-user",
    "give-role",
    "take-role",
    "disable",
    "reset-password",
    "create-token",
    "revoke-token",
    "create-sphere",
)
ADMIN_SNAPSHOT = (
    "SELECT id, username, password_hash, is_admin, disabled FROM account ORDER BY id",
    "SELECT * FROM role_grant ORDER BY id",
    "SELECT id, account_id, revoked_at FROM api_token ORDER BY id",
    "SELECT id, key FROM sphere ORDER BY id",
    "SELECT count(*) FROM revision",
    "SELECT count(*) FROM audit",
)


def admin_snapshot(reg: Registry) -> list[list[Any]]:
    with reg.store.engine.connect() as connection:
        return [[tuple(row) for row in connection.execute(text(query))] for query in ADMIN_SNAPSHOT]


def prepare_admin(reg: Registry, action: str, n: int) -> tuple[str, dict[str, Any], dict[str, Any], Callable[[], bool]]:
    """(url, form, files, done) for one administration action, on an account made for it."""
    accounts = reg.store.accounts
    subject = f"subject{n}"
    if action not in ("add-user", "create-sphere"):
        accounts.add(subject, PASSWORD)
    base = f"/admin/users/{subject}"
    grants = lambda: {(g.sphere, g.role) for g in accounts.get(subject).grants}  # noqa: E731
    if action == "add-user":
        return "/admin/users", {"username": f"new{n}"}, {}, lambda: f"new{n}" in {a.username for a in accounts.all()}
    if action == "give-role":
        form = {"sphere": KEY, "role": "viewer"}
        return f"{base}/roles", form, {}, lambda: (KEY, RoleName.VIEWER) in grants()
    if action == "take-role":
        accounts.grant(subject, KEY, RoleName.VIEWER)
        form = {"sphere": KEY, "role": "viewer", "remove": "1"}
        return f"{base}/roles", form, {}, lambda: not grants()
    if action == "disable":
        return f"{base}/disable", {"disabled": "1"}, {}, lambda: accounts.get(subject).disabled
    if action == "reset-password":
        # The stored hash changes (compared directly: a sign-in attempt would be audited, and slowed down).
        def password_hash() -> str:
            with reg.store.engine.connect() as connection:
                query = text("SELECT password_hash FROM account WHERE username = :name")
                return str(connection.execute(query, {"name": subject}).scalar_one())

        old_hash = password_hash()
        return f"{base}/password", {}, {}, lambda: password_hash() != old_hash
    if action == "create-token":
        return f"{base}/tokens", {"name": "script"}, {}, lambda: bool(accounts.tokens(subject))
    if action == "revoke-token":
        token_id, _ = accounts.create_token(subject, "script")
        return f"/admin/tokens/{token_id}/revoke", {}, {}, lambda: accounts.tokens(subject)[0][3] is not None
    assert action == "create-sphere"
    key = f"new-sphere-{n}"
    form = {"name": f"新圏域{n}", "kind": "定住自立圏", "central_city": "旭川市 012041", "key": key}
    files = {"file": ("sample.txt", sample_bytes(), "text/plain")}
    return "/admin/spheres", form, files, lambda: key in {s.key for s in reg.store.spheres()}


ADMIN_CASES = [pytest.param(role, action, id=f"{role}-{action}") for role in ROLES for action in ADMIN_ACTIONS]


@pytest.mark.parametrize(("role", "action"), ADMIN_CASES)
def test_administration_is_for_administrators(reg: Registry, role: str, action: str) -> None:
    """An administrator's action succeeds, has its effect and is audited; anyone else gets 403 (a sign-in
    redirect for nobody) in their language, and accounts, roles, tokens, spheres and the audit trail stay."""
    n = next(reg.numbers)
    url, form, files, done = prepare_admin(reg, action, n)
    who = reg.person(role)
    client = who.client if who else reg.public
    before = admin_snapshot(reg)
    audit_before = reg.audit_count()
    data = {"csrf": who.csrf if who else "", **form}
    response = client.post(url, data=data, files=files or None, follow_redirects=False)
    if role == "admin":
        assert response.status_code in (200, 201, 303), response.text[:1000]
        assert reg.audit_count() > audit_before
        assert reg.newest_audit()[0].username == USERNAMES["admin"]
        assert done(), f"{action} answered {response.status_code} but did not happen"
        if action in ("add-user", "reset-password", "create-token"):
            assert "shown-" in response.text  # the generated secret, shown once
    else:
        if who is None:
            assert response.status_code == 303 and response.headers["location"].startswith("/login?next=")
        else:
            assert response.status_code == 403, response.text[:500]
            assert str(escape(t("store.forbidden", "ja"))) in response.text
            assert "manage" not in response.text.split("<main", 1)[1]  # no internal code shown
        assert admin_snapshot(reg) == before
        assert not done()


def test_adding_a_project_with_its_towns_and_an_existing_field(reg: Registry) -> None:
    """The add form offers the vision's headings and the towns as checkboxes: the new project stands under the
    field chosen and the towns ticked take part from the start. The edit form preselects the project's field."""
    secretariat = reg.people["secretariat"]
    form_page = secretariat.client.get(f"/spheres/{KEY}/draft/new").text
    first = reg.store.drafts.get(KEY).projects[0].project
    assert first.field is not None and first.pillar is not None
    choice = f"{first.field.label}\t{first.field.title}"
    assert f'<option value="{escape(first.field.label)}&#9;{escape(first.field.title)}"' in form_page
    assert form_page.count('name="towns"') == len(reg.store.vision(KEY).municipalities)
    n = next(reg.numbers)
    form = {
        "number": n,
        "name": f"町を選んで追加{n}",
        "pillar_choice": f"{first.pillar.label}\t{first.pillar.title}",
        "field_choice": choice,
        "towns": [reg.own.code, reg.other.code],
    }
    data = {"csrf": secretariat.csrf, **form}
    response = secretariat.client.post(f"/spheres/{KEY}/draft/new", data=data, follow_redirects=False)
    assert response.status_code == 303, response.text[:500]
    added = next(p for p in reg.store.drafts.get(KEY).projects if p.project.number == n)
    assert added.project.field == first.field and added.project.pillar == first.pillar
    assert set(added.project.participants) == {reg.own.name, reg.other.name}
    edit = secretariat.client.get(f"/spheres/{KEY}/draft/projects/{added.serial}").text
    assert re.search(r'<option value="[^"]*" selected>' + re.escape(f"{first.field.label} {first.field.title}"), edit)


def test_forms_a_role_cannot_submit_are_not_shown(reg: Registry) -> None:
    """The add and edit forms and the retire confirmation are for editors of projects: a town editor or a viewer
    gets 403 in Japanese, and the draft page offers them no link to those forms."""
    serial = reg.store.drafts.get(KEY).projects[0].serial
    for role in ("town", "viewer"):
        client = reg.people[role].client
        draft = client.get(f"/spheres/{KEY}/draft").text
        assert f"/spheres/{KEY}/draft/new" not in draft and f'/draft/projects/{serial}"' not in draft
        for url in (
            f"/spheres/{KEY}/draft/new",
            f"/spheres/{KEY}/draft/projects/{serial}",
            f"/spheres/{KEY}/draft/projects/{serial}/retire",
        ):
            response = client.get(url)
            assert response.status_code == 403, (role, url)
            assert t("store.forbidden", "ja") in response.text
