"""A budget annex (別冊) in the web's import (issue 26): the check page takes the table and, optionally, its annex,
merges the annex's budgets into the table's projects as ``renkei import --annex`` does, shows the annex's findings
with the table's, and the confirmed import stores the annex's budgets; an annex that names a project the table
lacks refuses the import, nothing written. The API's import takes the annex too."""

from __future__ import annotations

import html
import re
from pathlib import Path

from editing_support import Registry, snapshot
from renkei.core.messages import t
from renkei.ingest import read_path
from renkei.store import SphereSpec
from renkei.vision.model import SphereKind

pytest_plugins = ["editing_support"]

CORPUS = Path(__file__).resolve().parent / "corpus" / "budgets"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _sphere(reg: Registry, key: str, table: Path) -> None:
    """The table's sphere, its first revision the table alone (no budgets from the annex)."""
    if key not in {s.key for s in reg.store.spheres()}:
        reading = read_path(table)
        central = reading.vision.municipalities[0]
        spec = SphereSpec(key=key, name=f"{central.name}の圏域", kind=SphereKind.SETTLEMENT, central_city=central.code)
        reg.store.import_reading(reading, spec, message="the table alone")


def _field(page: str, name: str) -> str | None:
    found = re.search(rf'name="{name}" value="([^"]*)"', page)
    return html.unescape(found[1]) if found else None


def _budgets(reg: Registry, key: str, number: int) -> dict[int | None, int | None]:
    project = next(p for p in reg.store.vision(key).projects if p.number == number)
    return {b.fiscal_year: b.amount for b in project.budgets}


def test_the_annex_read_with_the_table_is_checked_and_its_budgets_imported(reg: Registry) -> None:
    table, annex = CORPUS / "csv_shimonoseki_kpis.csv", CORPUS / "csv_shimonoseki_kpis_annex.xlsx"
    _sphere(reg, "shimonoseki", table)
    assert _budgets(reg, "shimonoseki", 1) == {}
    admin = reg.people["admin"]
    files = {"file": (table.name, table.read_bytes(), "text/csv"), "annex": (annex.name, annex.read_bytes(), XLSX)}
    checked = admin.client.post("/check", data={"sphere": "shimonoseki"}, files=files)
    assert checked.status_code == 200, checked.text[:500]
    page = html.unescape(checked.text)
    assert t("ui.check_annex_read", "ja", file=annex.name) in page
    # The annex names project 2 otherwise (広域救急搬送体制の強化): a warning shown with the table's findings.
    assert 'data-code="annex-name-differs"' in checked.text
    assert "広域救急搬送体制の強化" in page
    sha, held_annex = _field(checked.text, "sha256"), _field(checked.text, "annex_sha256")
    assert sha and held_annex and sha != held_annex
    before = reg.store.sphere("shimonoseki").latest
    assert before is not None
    form = {"csrf": admin.csrf, "sha256": sha, "annex_sha256": held_annex, "message": "別冊の事業費", "force": ""}
    done = admin.client.post("/spheres/shimonoseki/import", data=form, follow_redirects=False)
    assert done.status_code == 303, done.text[:500]
    latest = reg.store.sphere("shimonoseki").latest
    assert latest is not None and latest.number == before.number + 1
    assert _budgets(reg, "shimonoseki", 1) == {2024: 15_000_000, 2025: 16_000_000}
    assert _budgets(reg, "shimonoseki", 2) == {2024: 8_000_000, 2025: 8_000_000}
    # What the API lists of the stored revision: the annex's amounts, in 円 as the annex gives them.
    rows = admin.client.get("/api/spheres/shimonoseki/budgets").json()["items"]
    assert {(r["number"], r["fiscal_year"], r["amount"], r["unit"]) for r in rows} >= {
        (1, 2024, 15_000_000, "円"),
        (2, 2025, 8_000_000, "円"),
    }
    audit = reg.newest_audit()[0]
    assert audit.after["annex"] == annex.name


def test_an_annex_naming_a_project_the_table_lacks_refuses_the_import(reg: Registry) -> None:
    table, annex = CORPUS / "xlsx_kurume_shares.xlsx", CORPUS / "xlsx_kurume_shares_annex.csv"
    _sphere(reg, "kurume", table)
    secretariat = reg.people["admin"]  # the sphere's secretariat: any administrator
    files = {"file": (table.name, table.read_bytes(), XLSX), "annex": (annex.name, annex.read_bytes(), "text/csv")}
    checked = secretariat.client.post("/check", data={"sphere": "kurume"}, files=files)
    assert checked.status_code == 200
    page = html.unescape(checked.text)
    # Project 3 (圏域移住相談窓口) is in the annex only: an error on the annex's line 5, shown on the page.
    row = re.search(r'<tr class="sev-error" data-code="annex-project-unknown">(.*?)</tr>', page, re.S)
    assert row is not None and "圏域移住相談窓口" in row[1] and annex.name in row[1]
    before = snapshot(reg)
    sha, held_annex = _field(checked.text, "sha256"), _field(checked.text, "annex_sha256")
    assert sha and held_annex
    # Confirmed anyway (an administrator's form has the box that forces it; left unticked): refused, nothing written.
    form = {"csrf": secretariat.csrf, "sha256": sha, "annex_sha256": held_annex, "message": "別冊"}
    refused = secretariat.client.post("/spheres/kurume/import", data=form, follow_redirects=False)
    assert refused.status_code == 422, refused.text[:500]
    assert "圏域移住相談窓口" in html.unescape(refused.text)
    assert snapshot(reg) == before
    # The API's import refuses it likewise, naming the finding.
    answer = reg.public.post(
        "/api/spheres/kurume/revisions", files=files, headers={"Authorization": f"Bearer {secretariat.token}"}
    )
    assert answer.status_code == 422, answer.text[:500]
    assert "annex-project-unknown" in {d["code"] for d in answer.json()["error"]["details"]}
    assert snapshot(reg) == before


def test_an_annex_that_is_no_table_is_named_as_the_files_error(reg: Registry) -> None:
    table = CORPUS / "xlsx_kurume_shares.xlsx"
    admin = reg.people["admin"]
    files = {
        "file": (table.name, table.read_bytes(), XLSX),
        "annex": ("memo.csv", "別冊ではありません。\n".encode(), "text/csv"),
    }
    checked = admin.client.post("/check", files=files)
    assert checked.status_code == 422
    assert "<strong>memo.csv</strong>" in checked.text


def test_a_new_sphere_from_the_check_page_takes_the_annex_held_with_the_table(reg: Registry) -> None:
    table, annex = CORPUS / "xlsx_kurume_shares.xlsx", CORPUS / "xlsx_kurume_shares_annex.csv"
    admin = reg.people["admin"]
    files = {"file": (table.name, table.read_bytes(), XLSX), "annex": (annex.name, annex.read_bytes(), "text/csv")}
    page = admin.client.post("/check", files=files).text
    assert t("ui.check_new_sphere", "ja") in page
    held, held_annex = _field(page, "held"), _field(page, "held_annex")
    assert held and held_annex
    assert t("ui.admin_annex_held", "ja", file=annex.name) in html.unescape(page)
    form = {"csrf": admin.csrf, "name": "久留米の新しい圏域", "kind": "連携中枢都市圏", "key": "kurume-annex"}
    form |= {"central_city": "久留米市 402036", "held": held, "held_annex": held_annex}
    # The annex's project 3 is not in the table: refused, the annex still held in the form that comes back.
    refused = admin.client.post("/admin/spheres", data=form, follow_redirects=False)
    assert refused.status_code == 422, refused.text[:500]
    assert "kurume-annex" not in {s.key for s in reg.store.spheres()}
    assert "圏域移住相談窓口" in html.unescape(refused.text)
    assert _field(refused.text, "held_annex") == held_annex
    forced = admin.client.post("/admin/spheres", data={**form, "force": "1"}, follow_redirects=False)
    assert forced.status_code == 303, forced.text[:500]
    assert _budgets(reg, "kurume-annex", 1)[2026] == 9800
    assert reg.newest_audit()[0].after["annex"] == annex.name


def test_the_check_api_takes_the_annex_too(reg: Registry) -> None:
    table, annex = CORPUS / "xlsx_kurume_shares.xlsx", CORPUS / "xlsx_kurume_shares_annex.csv"
    files = {"file": (table.name, table.read_bytes(), XLSX), "annex": (annex.name, annex.read_bytes(), "text/csv")}
    answer = reg.public.post("/api/check", files=files)
    assert answer.status_code == 200, answer.text[:300]
    findings = answer.json()["findings"]
    assert [(f["params"]["number"], f["line"]) for f in findings if f["code"] == "annex-project-unknown"] == [(3, 5)]
    # The same annex in Shift_JIS: its encoding told as the CLI tells it.
    sjis = annex.read_text(encoding="utf-8").encode("cp932")
    again = reg.public.post("/api/check", files={**files, "annex": (annex.name, sjis, "text/csv")})
    assert again.json()["findings"] == findings
    memo = {**files, "annex": ("memo.csv", "別冊ではありません。\n".encode(), "text/csv")}
    refused = reg.public.post("/api/check", files=memo)
    assert refused.status_code == 422 and refused.json()["error"]["file"] == "memo.csv"
