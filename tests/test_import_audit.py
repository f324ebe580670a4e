"""A change and its audit entry are one transaction, on SQLite and on PostgreSQL: a web import whose audit entry
cannot be written leaves no revision, a new sphere whose entry fails is not made, and a project added on the
draft page with the towns ticked is written with their marks and its entries or not at all. A normal web import
has exactly one audit entry."""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

import renkei.core.sample
import renkei.ingest
import renkei.store.drafts
import renkei.web.imports
from renkei.store import SphereSpec, Store, record
from renkei.store.schema import RevisionRow
from renkei.web.app import create_app
from seedfacts import SeedFacts
from webdata import ADMIN, ESCAPE_KEY, KEY, fill

PASSWORD = "a long enough password 1234"  # the administrator's, as webdata.fill makes it
CSRF_FIELD = re.compile(r'name="csrf" value="([^"]*)"')
LOGOUT_CSRF = re.compile(r'action="/logout"[^>]*>\s*<input type="hidden" name="csrf" value="([^"]+)"')


class AuditFailed(RuntimeError):
    pass


@pytest.fixture
def store(db_url: str, seed_path: Path, facts: SeedFacts) -> Iterator[Store]:
    fill(db_url, seed_path, facts)
    with contextlib.closing(Store.open(db_url)) as opened:
        yield opened


@pytest.fixture
def client(store: Store) -> Iterator[TestClient]:
    with TestClient(create_app(store), raise_server_exceptions=False) as client:
        yield client


def bearer(store: Store) -> dict[str, str]:
    _, token = store.accounts.create_token(ADMIN, "tests")
    return {"Authorization": f"Bearer {token}"}


def changed_table(client: TestClient) -> bytes:
    """The escape sphere's current table with one mark fewer: its counts disagree, so only a forced import takes it."""
    current = client.get(f"/spheres/{ESCAPE_KEY}/export/official").content
    changed = current.decode("utf-8-sig").replace("\t○", "\t", 1).encode("utf-8")
    assert changed != current
    return bytes(changed)


def entries(store: Store, sphere: str, action: str) -> list[Any]:
    return [e for e in store.accounts.audit(sphere, limit=1000)[0] if e.action == action]


def failing_record(action: str, seen: list[int]) -> Any:
    """``record`` that adds the entry and then fails, for ``action``; it notes how many revisions the
    transaction held at that moment (the new one among them)."""

    def fake(session: Session, actor: Any, what: str, *args: Any, **kwargs: Any) -> None:
        record(session, actor, what, *args, **kwargs)
        if what == action:
            session.flush()
            seen.append(session.scalar(select(func.count()).select_from(RevisionRow)) or 0)
            raise AuditFailed(what)

    return fake


def revision_count(store: Store) -> int:
    with store.read() as session:
        return session.scalar(select(func.count()).select_from(RevisionRow)) or 0


def test_an_import_whose_audit_entry_fails_leaves_no_revision(
    store: Store, client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = f"/api/spheres/{ESCAPE_KEY}/revisions"
    files = {"file": ("changed.txt", changed_table(client), "text/plain")}
    form = {"message": "監査が書けない取り込み", "force": "true"}
    headers = bearer(store)
    before, latest = revision_count(store), store.sphere(ESCAPE_KEY).latest
    assert latest is not None
    seen: list[int] = []
    with monkeypatch.context() as patched:
        patched.setattr(renkei.web.imports, "record", failing_record("revision-import", seen))
        failed = client.post(url, files=files, data=form, headers=headers)
    assert failed.status_code == 500, failed.text
    assert seen == [before + 1]  # the revision was written in the transaction when its entry failed
    assert revision_count(store) == before
    assert store.sphere(ESCAPE_KEY).latest == latest
    assert entries(store, ESCAPE_KEY, "revision-import") == []

    created = client.post(url, files=files, data=form, headers=headers)
    assert created.status_code == 201, created.text
    number = created.json()["revision"]
    assert number == latest.number + 1 and revision_count(store) == before + 1
    audited = entries(store, ESCAPE_KEY, "revision-import")
    assert [(e.target, e.after["revision"], e.after["created"]) for e in audited] == [(f"r{number}", number, True)]


def test_an_unchanged_import_makes_no_revision_and_one_entry(store: Store, client: TestClient) -> None:
    """As before the change: the attempt is on record (created false), and nothing else is written."""
    current = client.get(f"/spheres/{ESCAPE_KEY}/export/official").content
    before = revision_count(store)
    files = {"file": ("same.txt", current, "text/plain")}
    response = client.post(f"/api/spheres/{ESCAPE_KEY}/revisions", files=files, headers=bearer(store))
    assert response.status_code == 200, response.text
    assert revision_count(store) == before
    audited = entries(store, ESCAPE_KEY, "revision-import")
    assert [(e.after["created"], e.after["file"]) for e in audited] == [(False, "same.txt")]


def test_a_refused_import_writes_neither_revision_nor_entry(store: Store, client: TestClient) -> None:
    before = revision_count(store)
    files = {"file": ("changed.txt", changed_table(client), "text/plain")}
    refused = client.post(f"/api/spheres/{ESCAPE_KEY}/revisions", files=files, headers=bearer(store))
    assert refused.status_code == 422, refused.text
    assert revision_count(store) == before
    assert entries(store, ESCAPE_KEY, "revision-import") == []


def test_a_new_sphere_whose_entry_fails_is_not_made(store: Store, seed_path: Path) -> None:
    """What the administrator's sphere form runs: the import with its ``sphere-create`` entry as ``audit``."""
    reading = renkei.ingest.read_bytes(
        seed_path.read_bytes(), seed_path.name, sphere=renkei.core.sample.sample_sphere()
    )
    keys = {s.key for s in store.spheres()}

    def audit(session: Session, result: Any) -> None:
        raise AuditFailed(result.sphere)

    with pytest.raises(AuditFailed):
        store.import_reading(reading, SphereSpec(key="new-sphere", name="新しい圏域"), audit=audit, new_sphere=True)
    assert {s.key for s in store.spheres()} == keys


# The draft page's new project with its towns ---------------------------------------------------------------


def signed_in(client: TestClient) -> str:
    """Sign the client in as the administrator; the session's CSRF token."""
    token = CSRF_FIELD.search(client.get("/login").text)
    assert token is not None
    data = {"username": ADMIN, "password": PASSWORD, "csrf": token[1], "next": "/"}
    assert client.post("/login", data=data, follow_redirects=False).status_code == 303
    found = LOGOUT_CSRF.search(client.get("/").text)
    assert found is not None
    return found[1]


def new_project_form(store: Store, csrf: str, towns: list[str]) -> dict[str, Any]:
    vision = store.vision(KEY)
    first = vision.projects[0]
    assert first.pillar is not None and first.field is not None
    return {
        "csrf": csrf,
        "number": str(max(p.number for p in vision.projects) + 1),
        "name": "監査試験の新しい事業",
        "description": "説明",
        "pillar_choice": f"{first.pillar.label}\t{first.pillar.title}",
        "field_choice": f"{first.field.label}\t{first.field.title}",
        "towns": towns,
    }


def draft_names(store: Store) -> list[str]:
    return [p.project.name for p in store.drafts.get(KEY).projects]


def test_a_project_added_with_its_towns_is_one_write(
    store: Store, client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    csrf = signed_in(client)
    towns = [m.name for m in store.vision(KEY).municipalities][:3]
    assert len(towns) == 3
    form = new_project_form(store, csrf, towns)
    url = f"/spheres/{KEY}/draft/new"
    names = draft_names(store)
    with monkeypatch.context() as patched:
        patched.setattr(renkei.store.drafts, "record", failing_record("mark", []))
        failed = client.post(url, data=form, follow_redirects=False)
    assert failed.status_code == 500, failed.text
    assert draft_names(store) == names  # neither the project nor any of its marks
    assert entries(store, KEY, "project-add") == [] and entries(store, KEY, "mark") == []

    added = client.post(url, data=form, follow_redirects=False)
    assert added.status_code == 303, added.text
    project = next(p for p in store.drafts.get(KEY).projects if p.project.name == form["name"])
    assert list(project.project.participants) == towns
    assert {r.value for r in project.project.participants.values()} == {"member"}
    assert len(entries(store, KEY, "project-add")) == 1
    marks = entries(store, KEY, "mark")
    assert sorted(e.target for e in marks) == sorted(f"project:{project.serial}/{town}" for town in towns)
