"""Hostile requests get 4xx, never 500, on SQLite and PostgreSQL: NUL and other control characters in paths,
queries, headers, tokens, cookies and sign-in names. Every response carries the security headers, and no
absolute link is built from the Host header."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from renkei.ingest import read_sample
from renkei.store import SphereSpec, Store
from renkei.web.app import create_app

KEY = "kamikawa-chubu"


@pytest.fixture
def client(db_url: str) -> Iterator[TestClient]:
    store = Store.open(db_url)
    store.import_reading(read_sample(), SphereSpec(key=KEY), message="sample")
    store.accounts.add("someone", "a long enough password 1234")
    try:
        yield TestClient(create_app(store), raise_server_exceptions=False)
    finally:
        store.close()


HOSTILE_PATHS = [
    "/spheres/%00",
    "/municipalities/%00",
    "/api/spheres/%00",
    "/api/municipalities/%00",
    f"/spheres/{KEY}/projects/%00",
    "/spheres/a%01b",
    "/search?q=%00",
    "/api/search?q=a%00b",
    "/api/search?q=%1b%5b31m",
    f"/spheres/{KEY}?rev=%00",
    "/%00",
]


@pytest.mark.parametrize("path", HOSTILE_PATHS)
def test_control_characters_in_paths_and_queries_are_400(client: TestClient, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 400, (path, response.status_code, response.text[:200])
    assert response.json()["error"]["code"] == "bad-characters"


@pytest.mark.parametrize(
    "headers",
    [
        {"Authorization": "Bearer rk_\x00abc"},
        {"Cookie": "renkei_session=a\x00b"},
        {"User-Agent": "agent\x01"},
        {"Accept-Language": "ja\x00"},
        {"X-Anything": "\x7f"},
    ],
)
def test_control_characters_in_headers_tokens_and_cookies_are_400(client: TestClient, headers: dict[str, str]) -> None:
    response = client.get("/api/me", headers=headers)
    assert response.status_code == 400, response.text[:200]


@pytest.mark.parametrize("username", ["a\x00b", "\x00", "x\x1by"])
def test_a_sign_in_name_with_control_characters_is_refused_not_a_server_error(
    client: TestClient, username: str
) -> None:
    form = client.get("/login")
    csrf = form.text.split('name="csrf" value="', 1)[1].split('"', 1)[0]
    data = {"username": username, "password": "whatever it is 1234", "csrf": csrf, "next": "/"}
    response = client.post("/login", data=data, follow_redirects=False)
    assert 400 <= response.status_code < 500, response.status_code


@pytest.mark.parametrize("path", ["/", f"/spheres/{KEY}", "/api/spheres", "/login", "/nowhere", "/spheres/%00"])
def test_every_response_carries_the_security_headers(client: TestClient, path: str) -> None:
    response = client.get(path)
    csp = response.headers["content-security-policy"]
    assert "frame-ancestors 'none'" in csp and "script-src 'self'" in csp and "'unsafe-inline'" not in csp
    assert response.headers["x-frame-options"] == "DENY"
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["referrer-policy"] == "same-origin"


def test_the_host_header_is_not_reflected_into_links(client: TestClient) -> None:
    response = client.get(f"/spheres/{KEY}", headers={"Host": "evil.example"})
    assert response.status_code == 200
    assert "evil.example" not in response.text
