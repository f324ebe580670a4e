"""Stale versions in editing: forms, page toggles and API writes made against an older version are refused
with the current value shown; an API write without If-Match is refused."""

from __future__ import annotations

import html
import re
from typing import Any

from markupsafe import escape

from editing_support import KEY, Registry, project_form, send, snapshot
from renkei.core.messages import t
from renkei.vision.model import Role

pytest_plugins = ["editing_support"]  # the shared fixtures


# Stale versions --------------------------------------------------------------------------------------------


def read_form(reg: Registry, who: Any, serial: int) -> dict[str, str]:
    """The edit form's fields as the page gives them (hidden ones too: the version and the values read)."""
    page = who.client.get(f"/spheres/{KEY}/draft/projects/{serial}").text
    fields = dict(re.findall(r'<input type="hidden" name="((?:was_|version)[a-z_]*)" value="([^"]*)"', page))
    return {k: html.unescape(v) for k, v in fields.items()}


def test_a_stale_form_on_the_same_field_is_refused_with_both_values_and_keeps_what_was_typed(reg: Registry) -> None:
    secretariat = reg.people["secretariat"]
    p = reg.fresh()
    read = read_form(reg, secretariat, p.serial)
    assert int(read["version"]) == p.version and read["was_name"] == p.project.name
    # Someone else saves the name first.
    theirs = f'他の人が先に保存した名前 "{p.project.number}" <i>'
    reg.store.drafts.update_project(KEY, p.serial, {"name": theirs}, p.version, reg.setup)
    before = snapshot(reg)
    mine = {**project_form(p, name="私の名前"), **read}
    response = send(reg, secretariat, "page", "POST", f"/spheres/{KEY}/draft/projects/{p.serial}", form=mine)
    assert response.status_code == 409, response.text[:500]
    assert snapshot(reg) == before
    stale = t("store.stale-version", "ja", number=p.project.number, name=theirs)
    assert str(escape(stale)) in response.text
    assert f"（{p.serial}）" not in response.text and "版 " not in response.text  # no internal serial, no 版
    both = t("ui.conflict_cell", "ja", cell=t("ui.conflict_field_name", "ja"), theirs=theirs, yours="私の名前")
    assert str(escape(both)) in response.text
    name_input = re.search(r'<input id="f-name" name="name" value="([^"]*)"', response.text)
    assert name_input is not None and html.unescape(name_input[1]) == "私の名前"  # what was typed is kept
    assert f'name="version" value="{p.version + 1}"' in response.text
    # Sent again from the page as now shown, it is saved: the person has seen the other value.
    again_fields = dict(
        re.findall(r'<input type="hidden" name="((?:was_|version)[a-z_]*)" value="([^"]*)"', response.text)
    )
    again = {
        **project_form(reg.project(p.serial), name="私の名前"),
        **{k: html.unescape(v) for k, v in again_fields.items()},
    }
    saved = send(reg, secretariat, "page", "POST", f"/spheres/{KEY}/draft/projects/{p.serial}", form=again)
    assert saved.status_code == 303
    assert reg.project(p.serial).project.name == "私の名前"


def test_a_stale_form_on_another_field_merges(reg: Registry) -> None:
    """The secretariat edits the name while someone else changed the description: both are kept."""
    secretariat = reg.people["secretariat"]
    p = reg.fresh()
    read = read_form(reg, secretariat, p.serial)
    reg.store.drafts.update_project(KEY, p.serial, {"description": "他の人の説明"}, p.version, reg.setup)
    mine = {**project_form(p, name="私の名前"), **read}
    response = send(reg, secretariat, "page", "POST", f"/spheres/{KEY}/draft/projects/{p.serial}", form=mine)
    assert response.status_code == 303, response.text[:500]
    now = reg.project(p.serial).project
    assert (now.name, now.description) == ("私の名前", "他の人の説明")


def test_stale_page_toggles_retire_and_relabel_are_refused(reg: Registry) -> None:
    secretariat = reg.people["secretariat"]
    p = reg.fresh()
    field = p.project.field
    assert field is not None
    draft_version = reg.store.drafts.get(KEY).version
    # Someone else makes the town a lead (◎) meanwhile: the same cell as the toggle below.
    reg.store.drafts.set_mark(KEY, p.serial, reg.own.name, Role.LEAD, p.version, reg.setup)
    reg.fresh()  # the draft's own version moves on too
    base = f"/spheres/{KEY}/draft"
    stale: list[tuple[str, dict[str, Any]]] = [
        (f"{base}/projects/{p.serial}/marks/{reg.own.code}", {"version": p.version, "role": "member"}),
        # A version older than the project itself matches nothing.
        (f"{base}/projects/{p.serial}/retire", {"version": p.version - 1}),
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
    # The toggle answers with the row as it now is, and the message with both values.
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
    cell = t("ui.conflict_mark", "ja", municipality=reg.own.name)
    assert str(escape(t("ui.conflict_cell", "ja", cell=cell, theirs="◎", yours="○"))) in response.text
    # Another town's cell, from the same stale version, is saved beside it.
    other = send(
        reg,
        secretariat,
        "page",
        "POST",
        f"{base}/projects/{p.serial}/marks/{reg.other.code}",
        form={"version": p.version, "role": "member"},
    )
    assert other.status_code == 200, other.text[:300]
    marks = reg.project(p.serial).project.participants
    assert (marks[reg.own.name], marks[reg.other.name]) == (Role.LEAD, Role.MEMBER)


def test_a_stale_api_write_gets_412_with_both_values_only_on_the_same_cell(reg: Registry) -> None:
    p = reg.fresh()
    reg.store.drafts.update_project(KEY, p.serial, {"name": "現在の名前"}, p.version, reg.setup)
    url = f"/api/spheres/{KEY}/draft/projects/{p.serial}"
    for channel in ("bearer", "session"):
        before = snapshot(reg)
        response = send(
            reg, reg.people["secretariat"], channel, "PATCH", url, body={"name": "古い版からの名前"}, if_match=p.version
        )
        assert response.status_code == 412, response.text[:300]
        error = response.json()["error"]
        assert error["code"] == "stale-version"
        assert error["cells"] == [{"cell": "name", "theirs": "現在の名前", "yours": "古い版からの名前"}]
        assert error["current"]["name"] == "現在の名前"
        assert error["current"]["version"] == p.version + 1
        assert error["current"]["serial"] == p.serial
        assert snapshot(reg) == before
        # A version older than the project itself: refused as a whole.
        gone = send(reg, reg.people["secretariat"], channel, "DELETE", url, if_match=p.version - 1)
        assert gone.status_code == 412 and gone.json()["error"]["cells"] == []
        assert snapshot(reg) == before
    # A stale If-Match on other cells merges: the mark and the note are saved, the name stays.
    mark = send(
        reg,
        reg.people["secretariat"],
        "bearer",
        "PUT",
        f"{url}/marks/{reg.own.code}",
        body={"role": "member"},
        if_match=p.version,
    )
    assert mark.status_code == 200, mark.text[:300]
    note = send(
        reg,
        reg.people["secretariat"],
        "bearer",
        "PUT",
        f"{url}/notes/{reg.own.code}",
        body={"note": "古い版から"},
        if_match=p.version,
    )
    assert note.status_code == 200 and note.headers["etag"] == f'"{p.version + 3}"'
    now = reg.project(p.serial)
    assert (now.project.name, now.project.participants[reg.own.name], now.notes[reg.own.name]) == (
        "現在の名前",
        Role.MEMBER,
        "古い版から",
    )
    # With the version it was told, the write goes through, and the ETag names the next one.
    ok = send(reg, reg.people["secretariat"], "bearer", "PATCH", url, body={"name": "新"}, if_match=p.version + 3)
    assert ok.status_code == 200 and ok.headers["etag"] == f'"{p.version + 4}"'
    fetched = send(reg, reg.people["secretariat"], "bearer", "GET", url)
    assert fetched.headers["etag"] == f'"{p.version + 4}"'


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
