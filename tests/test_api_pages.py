"""Every page of the web app, in Japanese and in English, its error pages, and table text escaped on them."""

from __future__ import annotations

import html
import re
from pathlib import Path
from typing import Any
from urllib.parse import quote

from fastapi import FastAPI
from fastapi.testclient import TestClient

from api_support import Registry, codes, ok_json
from renkei.core.messages import t
from seedfacts import SeedFacts
from webdata import ESCAPE_KEY, ESCAPE_NAME, INJECTED, KEY, SEARCHED, escape_table

pytest_plugins = ["api_support"]  # the shared fixtures


HTML_TYPE = "text/html; charset=utf-8"


# Pages ---------------------------------------------------------------------------------------------------


NOT_PAGES = ("/api/", "/openapi", "/docs", "/favicon")  # the API, its document, the app's icon


def page_routes(app: FastAPI) -> set[tuple[str, str]]:
    """(method, path) of every HTML page: routes outside the OpenAPI document, the API and static files."""
    found = set()
    stack: list[Any] = list(app.router.routes)
    while stack:
        route = stack.pop()
        inner = getattr(route, "original_router", None)
        if inner is not None:
            stack.extend(inner.routes)
            continue
        path = getattr(route, "path", "")
        if not getattr(route, "include_in_schema", True) and not path.startswith(NOT_PAGES):
            for method in getattr(route, "methods", ()) or ():
                if method in ("GET", "POST"):
                    found.add((method, path))
    return found


def page_urls(client: TestClient, facts: SeedFacts) -> dict[str, str]:
    """A real address for each page route's path."""
    code = codes(client)[facts.towns[0]]
    return {
        "/": "/",
        "/spheres/{key}": f"/spheres/{KEY}",
        "/spheres/{key}/projects/{number}": f"/spheres/{KEY}/projects/{facts.numbers[0]}",
        "/spheres/{key}/revisions": f"/spheres/{KEY}/revisions",
        "/spheres/{key}/diff": f"/spheres/{KEY}/diff?from=1&to=2",
        "/municipalities/{code}": f"/municipalities/{code}",
        "/search": f"/search?q={quote(SEARCHED)}",
        "/compare": "/compare",
        "/check": "/check",
        "/login": "/login",
        "/spheres/{key}/draft": f"/spheres/{KEY}/draft",
        "/spheres/{key}/draft/projects/{serial}": f"/spheres/{KEY}/draft/projects/1",
        "/spheres/{key}/draft/projects/{serial}/retire": f"/spheres/{KEY}/draft/projects/1/retire",
        "/admin": "/admin",
        "/mine": "/mine",
        "/account/password": "/account/password",
        "/spheres/{key}/draft/new": f"/spheres/{KEY}/draft/new",
        "/spheres/{key}/draft/publish": f"/spheres/{KEY}/draft/publish",
        "/spheres/{key}/draft/rebase": f"/spheres/{KEY}/draft/rebase",
        "/spheres/{key}/audit": f"/spheres/{KEY}/audit",
        "/spheres/{key}/results": f"/spheres/{KEY}/results?year=2025",
        "/country": "/country?date=2024-04-01",
        "/admin/country": "/admin/country",
    }


def test_every_page_renders(registry: Registry, client: TestClient, facts: SeedFacts) -> None:
    urls = page_urls(client, facts)
    pages = {path for method, path in page_routes(registry.app) if method == "GET"}
    assert not pages - set(urls), f"pages without an address to test: {sorted(pages - set(urls))}"
    for path in sorted(pages):
        response = client.get(urls[path], headers=registry.auth())
        assert response.status_code == 200, (path, response.text[:500])
        assert response.headers["content-type"] == HTML_TYPE, path
        assert response.headers["content-language"] == "ja"
        assert response.text.lstrip().lower().startswith("<!doctype html>")
        assert '<html lang="ja">' in response.text


def test_pages_in_english_and_the_cookie_that_keeps_it(client: TestClient) -> None:
    english = client.get(f"/spheres/{KEY}", params={"lang": "en"})
    assert english.headers["content-language"] == "en" and t("ui.matrix", "en") in english.text
    assert client.cookies.get("renkei_lang") == "en"
    cookie = english.headers["set-cookie"]  # kept a year, out of scripts' reach, not sent by other sites' forms
    assert "Max-Age=31536000" in cookie and "HttpOnly" in cookie and "SameSite=lax" in cookie
    # Caches keep a page per language: by the header and the cookie that choose it.
    assert {"accept-language", "cookie"} <= {v.strip().lower() for v in english.headers["vary"].split(",")}
    kept = client.get("/", headers={"Accept-Language": "ja"})
    assert kept.headers["content-language"] == "en" and t("ui.spheres_title", "en") in kept.text
    client.cookies.clear()
    by_header = client.get("/", headers={"Accept-Language": "en-GB,en;q=0.9"})
    assert by_header.headers["content-language"] == "en"
    assert client.get("/").headers["content-language"] == "ja"


def test_page_errors_are_pages(client: TestClient) -> None:
    for url, status in [
        ("/spheres/no-such-sphere", 404),
        ("/municipalities/000000", 404),
        ("/no-such-page", 404),
        (f"/spheres/{KEY}?rev=0", 422),
        (f"/spheres/{KEY}?rev=9", 404),
    ]:
        response = client.get(url)
        assert response.status_code == status, url
        assert response.headers["content-type"] == HTML_TYPE, url


def test_check_page_reads_an_upload_without_storing_it(client: TestClient, seed_path: Path, facts: SeedFacts) -> None:
    response = client.post("/check", files={"file": (seed_path.name, seed_path.read_bytes(), "text/plain")})
    assert response.status_code == 200 and response.headers["content-type"] == HTML_TYPE
    assert t("location.line", "ja", line=facts.totals_line) in response.text
    for r in facts.rows:
        assert html.escape(r.name) in response.text
    junk = client.post("/check", files={"file": ("junk.bin", bytes(range(256)) * 8)})
    assert junk.status_code == 422 and junk.headers["content-type"] == HTML_TYPE
    assert ok_json(client, "/api/spheres")["total"] == 2


def test_table_text_is_escaped_on_the_pages(client: TestClient) -> None:
    for url in (f"/spheres/{ESCAPE_KEY}", f"/spheres/{ESCAPE_KEY}/projects/1", "/search?q=script"):
        body = client.get(url).text
        assert INJECTED not in body, url
        assert "<b>太字</b>" not in body, url
        # Read as text (the search page's <mark> tags taken out), the page says exactly what the table says.
        assert ESCAPE_NAME in html.unescape(re.sub(r"</?mark>", "", body)), url
    # The search page marks the hit inside the escaped text, and nothing else becomes markup.
    found = client.get("/search", params={"q": "script"}).text
    assert "&lt;<mark>script</mark>&gt;" in found
    # The check page shows an uploaded table's text escaped too.
    table = escape_table(["鷹栖町", "東神楽町"]).encode("utf-8")
    checked = client.post("/check", files={"file": ("<script>x</script>.txt", table, "text/plain")}).text
    assert INJECTED not in checked and "<script>x</script>" not in checked


def test_a_revisions_findings_on_its_page_say_where_in_the_workbook(tmp_path: Path) -> None:
    """The findings a revision keeps are listed on its page with where they point: a workbook's sheet and cell,
    not only a text file's line."""
    from renkei.core.messages import explain
    from renkei.ingest import read_bytes, read_sample
    from renkei.render import get
    from renkei.store import SphereSpec, Store
    from renkei.web.app import create_app

    reading = read_bytes(get("xlsx").render(read_sample().vision), "sample.xlsx")
    located = [f for f in reading.findings if f.location is not None and f.location.cell]
    assert located, "the workbook's own findings point at cells"
    with Store.open(f"sqlite:///{tmp_path / 'registry.db'}") as store:
        assert store.import_reading(reading, SphereSpec(key="from-a-workbook"), message="xlsx").created
        page = TestClient(create_app(store)).get("/spheres/from-a-workbook").text
    for finding in located:
        where = explain(finding, "ja").where
        assert where.endswith(finding.location.cell) and f'<span class="where">({html.escape(where)})</span>' in page
