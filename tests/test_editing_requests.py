"""Crafted editing requests: a town editor's requests for another town's column, CSRF on forms and on API
writes with the session cookie, and field-level messages for bad input in forms and in the API."""

from __future__ import annotations

import html
import re
from typing import Any
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient
from markupsafe import escape

from editing_support import (
    CHANNELS,
    CSRF_FIELD,
    KEY,
    PASSWORD,
    USERNAMES,
    Registry,
    municipality_in_url,
    project_form,
    send,
    session_csrf,
    snapshot,
)
from renkei.core.messages import t
from renkei.vision import editrules
from seedfacts import SeedFacts

pytest_plugins = ["editing_support"]  # the shared fixtures


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
