"""A sphere from its first table in the browser (issue 21, items 1–3): an administrator forces a table whose
error findings are shown, a refused form keeps what was entered and the file (held on the server), the first
revision's 適用日 is chosen or proposed from the table's 「…現在」 (never forced to today), and the check page
refuses another sphere's table as the chosen sphere's next revision, as the CLI's identity rule does."""

from __future__ import annotations

import datetime
import html
import re
from typing import Any

import httpx

from editing_support import KEY, Registry
from renkei.core.messages import t
from renkei.core.sample import sample_bytes
from renkei.ingest import read_bytes, read_sample
from renkei.ingest.report import check_reading
from renkei.places.municipalities import Registry as Towns
from renkei.render import get
from renkei.store import SphereSpec
from renkei.vision.model import Municipality
from renkei.web.imports import hold

pytest_plugins = ["editing_support"]

CENTRAL = "旭川市 012041"


def faulty_table() -> bytes:
    """The sample with one project's declared count off by one: a count-mismatch error."""
    vision = read_sample().vision
    vision.projects[0].declared_count = (vision.projects[0].declared_count or 0) + 1
    data = get("official").render(vision)
    assert any(f.severity.value == "error" for f in check_reading(read_bytes(data, "f.txt")).findings)
    return data


def post_sphere(reg: Registry, form: dict[str, str], file: tuple[str, bytes] | None) -> httpx.Response:
    admin = reg.people["admin"]
    files = {"file": (file[0], file[1], "text/plain")} if file else None
    data = {"csrf": admin.csrf, "kind": "定住自立圏", "central_city": CENTRAL, **form}
    response: httpx.Response = admin.client.post("/admin/spheres", data=data, files=files, follow_redirects=False)
    return response


def value(page: str, field: str) -> str | None:
    found = re.search(rf'name="{field}"[^>]*value="([^"]*)"', page)
    return html.unescape(found[1]) if found else None


def test_a_table_with_errors_is_refused_with_its_findings_and_the_form_kept_then_forced(reg: Registry) -> None:
    form = {"name": "試験の定住自立圏", "key": "faulty", "plan_start": "2024-04-01", "message": "最初の表"}
    refused = post_sphere(reg, form, ("faulty.txt", faulty_table()))
    assert refused.status_code == 422, refused.text[:300]
    assert "faulty" not in {s.key for s in reg.store.spheres()}
    page = refused.text
    assert t("ui.admin_refused_findings", "ja", n=1) in page
    assert t("ui.admin_file_held", "ja", file="faulty.txt") in html.unescape(page)
    for field, entered in form.items():
        assert value(page, field) == entered, field
    assert value(page, "central_city") == CENTRAL
    assert 'name="force"' in page
    held = value(page, "held")
    assert held is not None and len(held) == 64
    # Sent again with the box ticked and a 適用日 in the past, without choosing the file again.
    forced = post_sphere(reg, {**form, "held": held, "force": "1", "effective_on": "2024-04-01"}, None)
    assert forced.status_code == 303, forced.text[:500]
    revision = reg.store.sphere("faulty").latest
    assert revision is not None and revision.effective_on == datetime.date(2024, 4, 1)
    assert any(f["code"] == "count-mismatch" for f in revision.findings)  # kept with the revision


def test_the_first_revisions_date_is_proposed_from_the_table(reg: Registry) -> None:
    for said, expected in [
        ("令和6年4月1日現在", datetime.date(2024, 4, 1)),
        ("R5.10.1時点", datetime.date(2023, 10, 1)),
        ("平成31年4月1日現在", datetime.date(2019, 4, 1)),
    ]:
        text = f"上川中部定住自立圏 連携事業一覧（{said}）\n".encode() + sample_bytes()
        key = f"dated-{expected.isoformat()}"
        response = post_sphere(reg, {"name": f"日付の試験{expected}", "key": key}, ("dated.txt", text))
        assert response.status_code == 303, response.text[:500]
        latest = reg.store.sphere(key).latest
        assert latest is not None and latest.effective_on == expected, said


def test_a_key_the_form_refuses_the_server_refuses_too(reg: Registry) -> None:
    response = post_sphere(reg, {"name": "鍵の試験", "key": "圏域"}, ("s.txt", sample_bytes()))
    assert response.status_code == 422
    assert t("ui.admin_key_invalid", "ja", key="圏域") in html.unescape(response.text)
    assert value(response.text, "name") == "鍵の試験" and value(response.text, "held")
    assert 'pattern="[A-Za-z0-9_\\-]*"' in reg.people["admin"].client.get("/admin").text


def test_the_check_page_offers_an_administrator_a_new_sphere_from_a_faulty_table(reg: Registry) -> None:
    admin = reg.people["admin"]
    text = "（令和6年4月1日現在）\n".encode() + faulty_table()
    page = admin.client.post("/check", files={"file": ("faulty.txt", text, "text/plain")}).text
    assert t("ui.check_new_sphere", "ja") in page
    assert value(page, "name") == read_sample().vision.sphere.name
    assert value(page, "effective_on") == "2024-04-01"
    assert 'name="force"' in page
    held = value(page, "held")
    assert held is not None
    created = post_sphere(reg, {"name": "確認画面からの圏域", "key": "from-check", "held": held, "force": "1"}, None)
    assert created.status_code == 303, created.text[:300]
    latest = reg.store.sphere("from-check").latest
    assert latest is not None and latest.effective_on == datetime.date(2024, 4, 1)
    # Nobody else is offered it.
    secretariat = reg.people["secretariat"]
    other = secretariat.client.post("/check", files={"file": ("faulty.txt", text, "text/plain")}).text
    assert t("ui.check_new_sphere", "ja") not in other


def other_sphere_table(reg: Registry, carry_key: bool) -> bytes:
    """A table of another stored sphere (another name and central city), as an export of it."""
    vision = read_sample().vision
    entry = Towns.default().resolve("名寄市", "北海道").entry
    assert entry is not None
    vision.sphere.name = "北・北海道中央定住自立圏"
    vision.sphere.central_city = Municipality(entry.name, entry.code, entry.prefecture)
    if "other-sphere" not in {s.key for s in reg.store.spheres()}:
        reg.store.import_reading(read_bytes(get("official").render(vision), "o.txt"), SphereSpec(key="other-sphere"))
    text = get("official").render(reg.store.vision("other-sphere")).decode("utf-8")
    if not carry_key:
        text = "\n".join(line for line in text.splitlines() if not line.startswith("renkei.vision/1"))
    return text.encode("utf-8")


def test_the_check_page_refuses_another_spheres_table_as_the_next_revision(reg: Registry) -> None:
    secretariat = reg.people["secretariat"]
    for carry_key in (True, False):
        data = other_sphere_table(reg, carry_key)
        page = secretariat.client.post(
            "/check", data={"sphere": KEY}, files={"file": ("other.txt", data, "text/plain")}
        ).text
        said = t(
            "store.import-other-sphere",
            "ja",
            sphere=reg.store.sphere(KEY).name,
            other="北・北海道中央定住自立圏",
            city="名寄市",
        )
        assert said in html.unescape(page), carry_key
        assert "import-form" not in page
        # Confirmed anyway (a crafted post of the held file): refused, nothing written.
        before = reg.store.sphere(KEY).latest
        sha = hold(data, "other.txt")
        posted: Any = secretariat.client.post(
            f"/spheres/{KEY}/import", data={"csrf": secretariat.csrf, "sha256": sha, "message": "x"}
        )
        assert posted.status_code == 422, posted.text[:300]
        assert reg.store.sphere(KEY).latest == before
    # Its own table is offered as before.
    own = get("official").render(reg.store.vision(KEY))
    page = secretariat.client.post("/check", data={"sphere": KEY}, files={"file": ("own.txt", own, "text/plain")}).text
    assert (
        "import-other-sphere" not in page
        and t("ui.import_unchanged", "ja", n=reg.store.sphere(KEY).latest.number) in page
    )  # type: ignore[union-attr]


def test_the_import_api_refuses_another_spheres_table_too(reg: Registry) -> None:
    secretariat = reg.people["secretariat"]
    before = reg.store.sphere(KEY).latest
    response = reg.public.post(
        f"/api/spheres/{KEY}/revisions",
        files={"file": ("other.txt", other_sphere_table(reg, True), "text/plain")},
        headers={"Authorization": f"Bearer {secretariat.token}"},
    )
    assert response.status_code == 422, response.text[:300]
    assert response.json()["error"]["code"] == "import-other-sphere"
    assert reg.store.sphere(KEY).latest == before
