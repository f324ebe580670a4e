"""The API's check of an upload, its ETag and Cache-Control on every read, and its errors as JSON in the
reader's language."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient

from api_support import assert_error, codes, ok_json, participants
from renkei.core.messages import t
from renkei.publish.charts import CHARTS
from seedfacts import SeedFacts
from webdata import KEY, SEARCHED

pytest_plugins = ["api_support"]  # the shared fixtures


# Projects --------------------------------------------------------------------------------------------------


def test_check_of_the_seed_and_of_junk(client: TestClient, seed_path: Path, facts: SeedFacts) -> None:
    response = client.post("/api/check", files={"file": (seed_path.name, seed_path.read_bytes(), "text/plain")})
    assert response.status_code == 200, response.text
    report = response.json()
    assert [m["name"] for m in report["municipalities"]] == facts.towns
    assert all(re.fullmatch(r"\d{6}", m["code"]) for m in report["municipalities"])
    projects = report["projects"]
    assert [p["number"] for p in projects] == facts.numbers
    assert [p["name"] for p in projects] == [r.name for r in facts.rows]
    assert [p["participants"] for p in projects] == [participants(facts, r) for r in facts.rows]
    assert [p["declared_count"] for p in projects] == [r.declared_count for r in facts.rows]
    assert [p["count"] for p in projects] == [sum(r.marks) for r in facts.rows]
    assert all({"pillar", "field"} <= set(p) for p in projects)
    totals = report["totals"]
    assert totals["declared"] == dict(zip(facts.towns, facts.declared_totals, strict=True))
    assert totals["declared_grand_total"] == facts.declared_grand_total
    assert totals["present"] == dict(zip(facts.towns, facts.present_totals, strict=True))
    assert totals["missing_numbers"] == facts.missing_numbers
    assert totals["in_missing_rows"] == dict(zip(facts.towns, facts.owed, strict=True))
    assert report["findings"]
    for finding in report["findings"]:
        assert finding["severity"] in ("error", "warning", "info")
        assert {"code", "message", "line"} <= set(finding)
    assert not [f for f in report["findings"] if f["severity"] == "error"]
    lines = {f["line"] for f in report["findings"]}
    assert facts.totals_line in lines
    assert next(line for line, h in facts.headings if h.startswith("工")) in lines
    assert ok_json(client, "/api/spheres")["total"] == 2  # nothing was stored

    junk = bytes(range(256)) * 8
    for lang in ("ja", "en"):
        response = client.post(
            "/api/check",
            files={"file": ("junk.bin", junk, "application/octet-stream")},
            headers={"Accept-Language": lang},
        )
        assert_error(response, 422)
    english = client.post("/api/check", files={"file": ("junk.bin", junk)}, headers={"Accept-Language": "en"})
    japanese = client.post("/api/check", files={"file": ("junk.bin", junk)}, headers={"Accept-Language": "ja"})
    assert english.json()["error"]["message"] != japanese.json()["error"]["message"]
    assert_error(client.post("/api/check"), 422, "invalid-request")


# Caching -------------------------------------------------------------------------------------------------


def read_urls(client: TestClient, facts: SeedFacts) -> list[str]:
    code = codes(client)[facts.towns[0]]
    first = facts.numbers[0]
    return [
        "/api/spheres",
        f"/api/spheres/{KEY}",
        f"/api/spheres/{KEY}/revisions",
        f"/api/spheres/{KEY}/vision",
        f"/api/spheres/{KEY}/projects",
        f"/api/spheres/{KEY}/projects/{first}",
        f"/api/spheres/{KEY}/diff?from=1&to=2",
        f"/api/spheres/{KEY}/agreements/{code}",
        *(f"/api/spheres/{KEY}/charts/{kind}" for kind in CHARTS),
        f"/api/municipalities/{code}",
        f"/api/search?q={quote(SEARCHED)}",
        "/api/formats",
        f"/spheres/{KEY}/export/csv",
    ]


def test_etag_and_cache_control_on_every_read(client: TestClient, facts: SeedFacts) -> None:
    for url in read_urls(client, facts):
        response = client.get(url)
        assert response.status_code == 200, url
        etag = response.headers.get("etag")
        assert etag and etag.startswith('"') and etag.endswith('"'), url
        assert response.headers.get("cache-control"), url
        again = client.get(url)
        assert again.headers["etag"] == etag, url  # the same content has the same tag
        cached = client.get(url, headers={"If-None-Match": etag})
        assert cached.status_code == 304, url
        assert cached.content == b"", url
        assert cached.headers["etag"] == etag
        listed = client.get(url, headers={"If-None-Match": f'"other", {etag}'})
        assert listed.status_code == 304, url
        stale = client.get(url, headers={"If-None-Match": '"not-this-one"'})
        assert stale.status_code == 200 and stale.content == response.content, url


def test_different_content_has_a_different_etag(client: TestClient) -> None:
    newest = client.get(f"/api/spheres/{KEY}/vision")
    older = client.get(f"/api/spheres/{KEY}/vision", params={"rev": 1})
    assert newest.headers["etag"] != older.headers["etag"]
    english = client.get("/api/formats", headers={"Accept-Language": "en"})
    japanese = client.get("/api/formats", headers={"Accept-Language": "ja"})
    assert english.headers["etag"] != japanese.headers["etag"]


# Errors --------------------------------------------------------------------------------------------------


def test_unknown_things_are_404_json(client: TestClient, facts: SeedFacts) -> None:
    assert_error(client.get("/api/spheres/no-such-sphere"), 404, "sphere-unknown")
    assert_error(client.get("/api/spheres/no-such-sphere/projects"), 404, "sphere-unknown")
    assert_error(client.get(f"/api/spheres/{KEY}/projects/{max(facts.numbers) + 1}"), 404, "project-unknown")
    missing = facts.missing_numbers[0]
    assert_error(client.get(f"/api/spheres/{KEY}/projects/{missing}"), 404, "project-unknown")
    assert_error(client.get(f"/api/spheres/{KEY}/vision", params={"rev": 3}), 404, "revision-unknown")
    assert_error(client.get("/api/municipalities/000000"), 404)
    assert_error(client.get(f"/api/spheres/{KEY}/agreements/どこにもない町"), 404)
    assert_error(client.get("/api/no-such-endpoint"), 404, "not-found")
    page = client.get(f"/spheres/{KEY}/export/no-such-format")
    assert page.status_code == 404


@pytest.mark.parametrize(
    "url",
    [
        f"/api/spheres/{KEY}/vision?rev=0",
        f"/api/spheres/{KEY}/projects?rev=0",
        "/api/spheres?limit=0",
        "/api/spheres?limit=1001",
        "/api/spheres?offset=-1",
        "/api/spheres?limit=many",
        f"/api/spheres/{KEY}/projects?limit=0",
        f"/api/spheres/{KEY}/projects/eleven",
        f"/api/spheres/{KEY}/diff?from=1",
        f"/api/spheres/{KEY}/diff?from=0&to=1",
        "/api/search",
        "/api/search?q=",
        "/api/search?q=" + "長" * 201,
        f"/spheres/{KEY}/export/csv?rev=0",
        f"/spheres/{KEY}/diff/export/csv?from=1&to=2&by=town",
        # Numbers beyond what the database's integers hold (found by schemathesis: they were server errors).
        f"/api/spheres/{KEY}/vision?rev={2**31}",
        f"/api/spheres/{KEY}/agreements/x?rev={2**63}",
        f"/api/spheres/{KEY}/projects/{2**63}",
        f"/api/spheres/{KEY}/projects/-1",
        f"/api/spheres/{KEY}/diff?from=1&to={2**31}",
        f"/spheres/{KEY}?rev={2**63}",
        f"/spheres/{KEY}/projects/{2**31}",
        f"/spheres/{KEY}/diff?from={2**31}&to=1",
        f"/spheres/{KEY}/export/csv?rev={2**31}",
        f"/spheres/{KEY}/agreements/x/export/csv?rev={2**63}",
    ],
)
def test_bad_parameters_are_422_json(client: TestClient, url: str) -> None:
    response = client.get(url)
    if url.startswith("/api/"):
        error = assert_error(response, 422, "invalid-request")
        assert error["message"] == t("ui.invalid_request", "ja")
        assert response.json()["error"]["details"]
    else:
        assert response.status_code == 422


def test_errors_speak_the_readers_language(client: TestClient) -> None:
    for lang in ("ja", "en"):
        headers = {"Accept-Language": lang}
        unknown = assert_error(client.get("/api/spheres/no-such-sphere", headers=headers), 404)
        assert unknown["message"] == t("store.sphere-unknown", lang, sphere="no-such-sphere")
        invalid = assert_error(client.get("/api/spheres?limit=0", headers=headers), 422)
        assert invalid["message"] == t("ui.invalid_request", lang)
    # A quality list: English preferred over Japanese.
    preferred = client.get("/api/spheres/x", headers={"Accept-Language": "ja;q=0.5, en;q=0.9"})
    assert preferred.json()["error"]["message"] == t("store.sphere-unknown", "en", sphere="x")
    unknown_language = client.get("/api/spheres/x", headers={"Accept-Language": "fr"})
    assert unknown_language.json()["error"]["message"] == t("store.sphere-unknown", "ja", sphere="x")
    asked = client.get("/api/spheres/x", params={"lang": "en"}, headers={"Accept-Language": "ja"})
    assert asked.json()["error"]["message"] == t("store.sphere-unknown", "en", sphere="x")
