"""Accounts in editing: passwords, sessions and tokens stored only as hashes, the login rate limit, disabled
accounts, password resets, revoked tokens, and the append-only audit trail."""

from __future__ import annotations

import csv
import datetime
import io
import json
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from markupsafe import escape
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from editing_support import ADDRESS, KEY, PASSWORD, USERNAMES, Registry, send, sign_in, signed_in, snapshot
from renkei.core.messages import t
from renkei.core.permissions import RoleName
from renkei.store import Actor

pytest_plugins = ["editing_support"]  # the shared fixtures


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
