"""Stale versions in editing: forms, page toggles and API writes made against an older version are refused
with the current value shown; an API write without If-Match is refused."""

from __future__ import annotations

import html
import re
from typing import Any

from markupsafe import escape

from editing_support import KEY, Registry, project_form, send, snapshot
from renkei.messages import t

pytest_plugins = ["editing_support"]  # the shared fixtures


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
