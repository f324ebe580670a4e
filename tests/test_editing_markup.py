"""Markup in every editable field is shown escaped on every page and drawn as text in the PDF."""

from __future__ import annotations

import contextlib
import io
import shutil
import subprocess
from urllib.parse import quote

from markupsafe import escape

from conftest import require
from editing_support import KEY, Registry, send

pytest_plugins = ["editing_support"]  # the shared fixtures


# Markup in every editable field ----------------------------------------------------------------------------


INJECTED = "<script>alert(1)</script>"
MARKUP = f"{INJECTED} \"引用\" 'single' <b>x</b>"
LABEL = "<script>\"'<b>x</b>"  # a label holds at most 20 characters


def assert_escaped(page: str, where: str) -> None:
    """The markup is there as text: never as a tag, always escaped."""
    assert "<script>" not in page, where
    assert "<b>x</b>" not in page, where
    escaped = ("&lt;script&gt;", "\\u003cscript\\u003e")  # as HTML text, or inside JSON (the audit's before/after)
    assert any(e in page for e in escaped), f"{where}: the text is not shown at all"


def pdf_text(data: bytes) -> str:
    """The PDF's text, by pypdf and by pdftotext where they are installed."""
    texts = []
    with contextlib.suppress(ImportError):
        import pypdf

        texts += [page.extract_text() for page in pypdf.PdfReader(io.BytesIO(data)).pages]
    pdftotext = shutil.which("pdftotext")
    if pdftotext:
        done = subprocess.run([pdftotext, "-layout", "-", "-"], input=data, capture_output=True, check=True, timeout=60)
        texts.append(done.stdout.decode("utf-8"))
    require(bool(texts), "neither pypdf nor pdftotext is installed")
    return "\n".join(texts)


def test_markup_in_every_editable_field_is_shown_escaped_everywhere(reg: Registry) -> None:
    secretariat = reg.people["secretariat"]
    client = secretariat.client
    n = next(reg.numbers)
    body = {
        "number": n,
        "name": f"{MARKUP} 事業",
        "description": f"{MARKUP} 説明",
        "pillar": {"label": LABEL, "title": f"{MARKUP} 柱"},
        "field": {"label": LABEL, "title": f"{MARKUP} 分野"},
    }
    added = send(reg, secretariat, "bearer", "POST", f"/api/spheres/{KEY}/draft/projects", body=body)
    assert added.status_code == 201, added.text
    serial = added.json()["serial"]
    version = added.json()["version"]
    mark = send(
        reg,
        secretariat,
        "bearer",
        "PUT",
        f"/api/spheres/{KEY}/draft/projects/{serial}/marks/{reg.own.code}",
        body={"role": "member"},
        if_match=version,
    )
    assert mark.status_code == 200
    note = send(
        reg,
        secretariat,
        "bearer",
        "PUT",
        f"/api/spheres/{KEY}/draft/projects/{serial}/notes/{reg.own.code}",
        body={"note": f"{MARKUP} 備考"},
        if_match=version + 1,
    )
    assert note.status_code == 200
    assert note.json()["notes"][reg.own.name] == f"{MARKUP} 備考"  # kept as typed
    # A heading relabelled through the page's form.
    relabel = {
        "level": "field",
        "old": f"{LABEL}\t{MARKUP} 分野",
        "label": LABEL,
        "title": f"{MARKUP} 分野二",
        "version": reg.store.drafts.get(KEY).version,
    }
    assert send(reg, secretariat, "page", "POST", f"/spheres/{KEY}/draft/headings", form=relabel).status_code == 303
    stored = reg.project(serial).as_dict()
    assert stored["name"] == f"{MARKUP} 事業" and stored["field"]["title"] == f"{MARKUP} 分野二"

    draft_pages = {
        "draft": f"/spheres/{KEY}/draft",
        "edit form": f"/spheres/{KEY}/draft/projects/{serial}",
        "publish preview": f"/spheres/{KEY}/draft/publish",
        "audit": f"/spheres/{KEY}/audit",
    }
    for where, url in draft_pages.items():
        response = client.get(url)
        assert response.status_code == 200, where
        assert_escaped(response.text, where)
    edit_form = client.get(draft_pages["edit form"]).text
    for value in (f"{MARKUP} 事業", f"{MARKUP} 説明", LABEL, f"{MARKUP} 柱", f"{MARKUP} 分野二"):
        assert str(escape(value)) in edit_form, value  # every field's value, escaped, in its input
    # The note is shown nowhere but in the audit trail, as the difference it made (escaped for HTML).
    assert f'<ins class="diff-after">{escape(f"{MARKUP} 備考")}</ins>' in client.get(draft_pages["audit"]).text

    published = send(
        reg, secretariat, "bearer", "POST", f"/api/spheres/{KEY}/draft/publish", body={"message": f"{MARKUP} 公開"}
    )
    assert published.status_code == 201, published.text
    revision = published.json()["revision"]
    public_pages = {
        "sphere": f"/spheres/{KEY}",
        "sphere at the revision": f"/spheres/{KEY}?rev={revision}",
        "project": f"/spheres/{KEY}/projects/{n}",
        "search": f"/search?q={quote('alert')}",
        "municipality": f"/municipalities/{reg.own.code}",
        "revisions": f"/spheres/{KEY}/revisions",
        "amendments": f"/spheres/{KEY}/diff?from={revision - 1}&to={revision}",
        "audit": f"/spheres/{KEY}/audit",
    }
    for where, url in public_pages.items():
        response = (client if where == "audit" else reg.public).get(url)
        assert response.status_code == 200, (where, response.text[:300])
        assert_escaped(response.text, where)
    project_page = reg.public.get(public_pages["project"]).text
    assert str(escape(f"{MARKUP} 事業")) in project_page and str(escape(f"{MARKUP} 説明")) in project_page

    from renkei.render import renderers as registry

    require(any(r.name == "pdf" for r in registry()), "the PDF renderer is not available")
    pdf = reg.public.get(f"/spheres/{KEY}/export/pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF-")
    extracted = pdf_text(pdf.content)
    assert "<script>" in extracted  # drawn as text, not taken for markup
    assert "<b>x</b>" in extracted or "<b>" in extracted
