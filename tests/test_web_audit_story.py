"""The audit trail tells the year's story in words (issue 21, item 6): a retired project by its number and name
even once it is published away, a publish as 「第N版を公開」, a sphere's name not labelled 事業名, a role grant as
「鷹栖町の担当者に任命」, and none of the store's internal keys (serial, version, notes, r2) on the Japanese page."""

from __future__ import annotations

import html
import re

from editing_support import KEY, Registry, send
from renkei.core.messages import t
from renkei.core.sample import sample_bytes
from renkei.vision.model import Role

pytest_plugins = ["editing_support"]


def page_text(reg: Registry, key: str = KEY) -> str:
    page = reg.people["secretariat" if key == KEY else "admin"].client.get(f"/spheres/{key}/audit").text
    table = re.search(r'<table class="list audit[^"]*">.*?</table>', page, re.S)
    assert table is not None
    return html.unescape(re.sub(r"<[^>]+>", " ", table[0]))


def test_the_audit_trail_reads_as_a_story(reg: Registry) -> None:
    secretariat = reg.people["secretariat"]
    p = reg.fresh()
    reg.store.drafts.set_mark(KEY, p.serial, reg.other.name, Role.MEMBER, p.version, reg.setup)
    retired = reg.store.drafts.get(KEY).projects[0]
    reg.store.drafts.retire_project(KEY, retired.serial, retired.version, reg.setup)
    base = reg.store.sphere(KEY).latest
    assert base is not None
    published = send(
        reg,
        secretariat,
        "page",
        "POST",
        f"/spheres/{KEY}/draft/publish",
        form={"message": "令和7年度の変更", "version": reg.store.drafts.get(KEY).version},
    )
    assert published.status_code == 303, published.text[:300]
    text = page_text(reg)
    assert t("audit.story.publish", "ja", n=base.number + 1) in text
    # The retired project, gone from the draft now, still by its number and name.
    assert t("audit.project", "ja", number=retired.project.number, name=retired.project.name) in text
    assert t("audit.project_gone", "ja") not in text
    assert "削除: いいえ → はい" not in text.replace("  ", " ")
    # The town editor's grant (set up for the first town) in words.
    town = reg.own.name
    assert t("audit.story.grant-add", "ja", role=t("audit.town_role", "ja", municipality=town)) in text
    assert "→ municipality" not in text and "municipality" not in text
    # A mark as ○, not as a role code.
    assert f"{t('audit.no_mark', 'ja')} → ○" in re.sub(r"\s+", " ", text)
    for internal in ("serial", "version", "notes", "sha256", f"r{base.number}", "版:", "版 :"):
        assert internal not in text, internal


def test_a_sphere_created_in_the_browser_reads_by_its_name(reg: Registry) -> None:
    admin = reg.people["admin"]
    data = {"csrf": admin.csrf, "name": "物語の定住自立圏", "kind": "定住自立圏", "central_city": "旭川市 012041"}
    data |= {"key": "story", "effective_on": "2024-04-01"}
    files = {"file": ("story.txt", sample_bytes(), "text/plain")}
    assert admin.client.post("/admin/spheres", data=data, files=files, follow_redirects=False).status_code == 303
    text = page_text(reg, "story")
    assert t("audit.story.sphere_create", "ja", name="物語の定住自立圏") in text
    assert t("ui.project", "ja") + ":" not in text.replace(" ", "")  # 事業名 does not label a sphere's name
    assert "旭川市" in text and "012041" not in text
