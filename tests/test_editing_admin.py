"""Moving a project, the administration pages (/admin) for administrators only, adding a project with its
towns, and the forms a role cannot submit not shown."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from markupsafe import escape
from sqlalchemy import text

from editing_support import KEY, PASSWORD, ROLES, USERNAMES, Registry, send
from renkei.core.messages import t
from renkei.core.permissions import RoleName
from renkei.core.sample import sample_bytes

pytest_plugins = ["editing_support"]  # the shared fixtures


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
