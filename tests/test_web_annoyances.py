"""What annoyed a new user in the browser (issue 21, "Annoying"): the check page's command-line hints, finding
codes and label; jargon; a stale base said only after 公開する; grants shown as codes and roles in English on
/admin."""

from __future__ import annotations

import copy
import html
import json
import re

from editing_support import KEY, Registry
from renkei.core.messages import t
from renkei.core.sample import sample_bytes
from renkei.ingest import read_sample
from renkei.ingest.registry import BUILTIN_FORMATS
from renkei.store import SphereSpec
from webserver import ROOT

pytest_plugins = ["editing_support"]
PROSE = ROOT / "tests" / "corpus" / "pdf" / "prose.pdf"


def text_of(page: str) -> str:
    main = re.search(r"<main[^>]*>(.*)</main>", page, re.S)
    assert main is not None
    return html.unescape(re.sub(r"<[^>]+>", " ", main[1]))


# How the check page's label names what each built-in reader reads ("aligned" and "long" read text and CSV).
NAMED = {"text": "テキスト", "aligned": "テキスト", "csv": "CSV", "long": "CSV", "markdown": "Markdown", "json": "JSON"}
NAMED |= {"xlsx": "XLSX", "ods": "ODS", "docx": "DOCX", "html": "HTML", "pdf": "PDF", "datapackage": "ZIP"}


def test_the_check_page_names_every_format_renkei_reads() -> None:
    """A newcomer picks a file by the label: an ODS or Word file it leaves out looks unreadable."""
    assert NAMED.keys() >= BUILTIN_FORMATS, "a reader the label does not name"
    for fmt in BUILTIN_FORMATS:
        assert NAMED[fmt] in t("ui.check_file", "ja"), fmt
        assert NAMED[fmt].replace("テキスト", "text") in t("ui.check_file", "en"), fmt


def test_the_check_page_speaks_to_a_browser_user(reg: Registry) -> None:
    client = reg.people["secretariat"].client
    form = client.get("/check").text
    assert "PDF" in t("ui.check_file", "ja") and html.escape(t("ui.check_file", "ja"), quote=False) in form
    # A PDF without a table: what to do, said with the page's own fields, not --pages.
    refused = client.post("/check", files={"file": ("prose.pdf", PROSE.read_bytes(), "application/pdf")})
    said = text_of(refused.text)
    assert "--pages" not in said and t("webhint.pdf-no-table", "ja") in said
    # Findings in words, without their codes; the severity column does not wrap.
    data = "表の前の一行\n".encode() + sample_bytes()
    checked = client.post("/check", files={"file": ("t.txt", data, "text/plain")}).text
    assert 'data-code="line-before-table"' in checked
    assert "line-before-table" not in text_of(checked)
    assert '<td class="severity">' in checked


def test_no_jargon_in_the_japanese_catalogue() -> None:
    values = json.loads((ROOT / "src" / "renkei" / "locale" / "ja.json").read_text(encoding="utf-8")).values()
    assert not [v for v in values if "リベース" in v]


def test_the_publish_page_warns_of_a_stale_base_before_publishing(reg: Registry) -> None:
    secretariat = reg.people["secretariat"]
    reg.fresh()  # the draft is open, on the newest revision
    assert "stale-base" not in secretariat.client.get(f"/spheres/{KEY}/draft/publish").text
    changed = copy.deepcopy(read_sample())
    changed.vision.projects[0].name += "（取り込み）"
    imported = reg.store.import_reading(changed, SphereSpec(key=KEY))
    page = secretariat.client.get(f"/spheres/{KEY}/draft/publish").text
    base = reg.store.drafts.get(KEY).base_revision
    expected = t("ui.publish_stale_base", "ja", base=base, latest=imported.revision.number)
    assert expected in html.unescape(page)
    assert 'class="publish"' not in page and f"/spheres/{KEY}/draft/rebase" in page


def test_admin_names_towns_and_roles_in_japanese(reg: Registry) -> None:
    admin = reg.people["admin"]
    page = html.unescape(admin.client.get("/admin").text)
    grants = re.findall(r'<ul class="grants"><li>([^<]*)<', page)
    town_grant = next(g for g in grants if t("ui.role_name_municipality", "ja") in g)
    assert reg.own.name in town_grant and (reg.own.code or "") not in town_grant
    # A town editor's role without its town: the error names the role in Japanese.
    response = admin.client.post(
        "/admin/users/no-role/roles",
        data={"csrf": admin.csrf, "sphere": KEY, "role": "municipality", "municipality": ""},
    )
    said = html.unescape(response.text)
    assert response.status_code == 422
    assert t("ui.role_name_municipality", "ja") in said and "（municipality）" not in said
