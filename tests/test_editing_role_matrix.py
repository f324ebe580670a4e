"""Every write action tried by every role through every channel (the page's form with the session's CSRF token,
the API with a Bearer token, the API with the session cookie and X-CSRF-Token), through the web app in process,
on SQLite and PostgreSQL: what the role allows succeeds and is audited once; everything else is refused (403;
401 or a redirect to the sign-in page for nobody) and changes nothing: not the draft, not the published
revisions, not the audit trail."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

import httpx
import pytest
from markupsafe import escape

from editing_support import (
    ADDRESS,
    CHANNELS,
    KEY,
    ROLES,
    USERNAMES,
    Person,
    Registry,
    municipality_in_url,
    project_form,
    send,
    snapshot,
)
from renkei.core.messages import t
from renkei.core.sample import sample_bytes
from renkei.ingest import read_sample
from renkei.web.imports import hold

pytest_plugins = ["editing_support"]  # the shared fixtures


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


# Sending a request the way each channel sends it -----------------------------------------------------------


@dataclasses.dataclass
class Prepared:
    request: Callable[[], httpx.Response]  # the attempt itself, not yet sent
    success: int  # the status a successful attempt answers with
    done: Callable[[], bool]  # whether the action's effect is there
    shows: str | None = None  # for a read: text the answer must hold


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
