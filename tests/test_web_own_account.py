"""Each person's own account (issue 21, item 8): a password changed by its owner (the current one first, the
minimum length said before the confirmation is compared, audited), required at the first sign-in after an
administrator set it; and a sign-in that lands on the person's own sphere, not the national list."""

from __future__ import annotations

import html
import re

import httpx
from fastapi.testclient import TestClient

from editing_support import CSRF_FIELD, KEY, PASSWORD, Registry, session_csrf
from renkei.core.messages import t
from renkei.core.permissions import RoleName
from renkei.ingest import read_sample
from renkei.store import MIN_PASSWORD, SphereSpec
from renkei.web.app import create_app

pytest_plugins = ["editing_support"]


def login(client: TestClient, username: str, password: str, next_page: str | None = None) -> httpx.Response:
    form = client.get("/login")
    token = CSRF_FIELD.search(form.text)
    assert token is not None
    data = {"username": username, "password": password, "csrf": token[1]}
    if next_page is not None:
        data["next"] = next_page
    response: httpx.Response = client.post("/login", data=data, follow_redirects=False)
    return response


def test_sign_in_lands_on_the_persons_own_sphere(reg: Registry) -> None:
    app = create_app(reg.store)
    for who, expected in [
        ("secretariat", f"/spheres/{KEY}/draft"),
        ("town-editor", f"/spheres/{KEY}/draft"),
        ("viewer", "/mine"),
        ("admin", "/admin"),
        ("no-role", "/"),
    ]:
        response = login(TestClient(app), who, PASSWORD)
        assert response.status_code == 303 and response.headers["location"] == expected, who
    # A page asked for is still where one goes.
    assert login(TestClient(app), "secretariat", PASSWORD, "/check").headers["location"] == "/check"
    # Several spheres: the list of them, each with its role in words.
    reg.store.accounts.add("two-spheres", PASSWORD)
    reg.store.accounts.grant("two-spheres", KEY, RoleName.MUNICIPALITY, reg.own.name)
    other = "second-sphere"
    reg.store.import_reading(read_sample(), SphereSpec(key=other, name="二つ目の定住自立圏"))
    reg.store.accounts.grant("two-spheres", other, RoleName.SECRETARIAT)
    client = TestClient(app)
    assert login(client, "two-spheres", PASSWORD).headers["location"] == "/mine"
    page = html.unescape(client.get("/mine").text)
    assert t("audit.town_role", "ja", municipality=reg.own.name) in page
    assert t("ui.role_name_secretariat", "ja") in page and f"/spheres/{other}/draft" in page


def change(client: TestClient, current: str, new: str, confirm: str, next_page: str = "") -> httpx.Response:
    data = {"csrf": session_csrf(client), "current": current, "new": new, "confirm": confirm, "next": next_page}
    response: httpx.Response = client.post("/account/password", data=data, follow_redirects=False)
    return response


def test_a_password_set_by_an_administrator_must_be_changed_at_first_sign_in(reg: Registry) -> None:
    admin = reg.people["admin"]
    created = admin.client.post("/admin/users", data={"csrf": admin.csrf, "username": "sato"})
    shown = re.search(r'id="shown-password">([^<]+)<', created.text)
    assert shown is not None
    given = html.unescape(shown[1])
    reg.store.accounts.grant("sato", KEY, RoleName.SECRETARIAT)
    client = TestClient(create_app(reg.store))
    signed = login(client, "sato", given)
    assert signed.status_code == 303
    assert signed.headers["location"].startswith("/account/password?next=")
    page = client.get(signed.headers["location"]).text
    assert t("ui.password_change_required", "ja") in page
    assert f'minlength="{MIN_PASSWORD}"' in page
    # Too short: said before the confirmation is compared (the two differ here too).
    short = change(client, given, "short", "other")
    assert short.status_code == 422
    assert t("store.password-short", "ja", minimum=MIN_PASSWORD) in html.unescape(short.text)
    mismatch = change(client, given, "a new long password", "a new long passwort")
    assert t("ui.password_mismatch", "ja") in html.unescape(mismatch.text)
    wrong = change(client, "not the password", "a new long password", "a new long password")
    assert t("store.password-wrong", "ja") in html.unescape(wrong.text)
    assert reg.store.accounts.must_change_password("sato")
    done = change(client, given, "a new long password", "a new long password", f"/spheres/{KEY}/draft")
    assert done.status_code == 303 and done.headers["location"] == f"/spheres/{KEY}/draft"
    assert not reg.store.accounts.must_change_password("sato")
    entries, _ = reg.store.accounts.audit(None, limit=50)
    assert any(e.action == "password-change" and e.target == "sato" for e in entries)
    # The new password signs in, straight to the sphere; the old one no longer does.
    again = TestClient(create_app(reg.store))
    assert login(again, "sato", "a new long password").headers["location"] == f"/spheres/{KEY}/draft"
    assert login(TestClient(create_app(reg.store)), "sato", given).status_code == 401
    # An administrator's reset asks for a change again.
    reset = admin.client.post("/admin/users/sato/password", data={"csrf": admin.csrf})
    assert reset.status_code == 200 and reg.store.accounts.must_change_password("sato")
