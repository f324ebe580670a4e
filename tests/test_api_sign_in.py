"""The editing API's sign-in gate: no sign-in, reads with a token, writes that need If-Match (what editing does is
tested with that feature)."""

from __future__ import annotations

from urllib.parse import quote

from fastapi.testclient import TestClient

from api_support import Registry, assert_error, filename_star, ok_json
from renkei.core.messages import t
from seedfacts import SeedFacts
from webdata import ADMIN, ESCAPE_KEY, KEY

pytest_plugins = ["api_support"]  # the shared fixtures


# Requests of the editing API without a sign-in (a body where the operation needs one).
EDITING = [
    ("post", "/api/spheres/{key}/draft/projects", {"number": 99, "name": "x"}),
    ("patch", "/api/spheres/{key}/draft/projects/1", {"name": "x"}),
    ("delete", "/api/spheres/{key}/draft/projects/1", None),
    ("put", "/api/spheres/{key}/draft/projects/1/marks/{town}", {"role": "member"}),
    ("put", "/api/spheres/{key}/draft/projects/1/notes/{town}", {"note": "x"}),
    ("post", "/api/spheres/{key}/draft/publish", {"message": "x"}),
    ("post", "/api/spheres/{key}/draft/rebase", {}),
    ("get", "/api/spheres/{key}/draft", None),
    ("get", "/api/spheres/{key}/draft/projects/1", None),
    ("get", "/api/spheres/{key}/draft/amendments", None),
    ("get", "/api/spheres/{key}/audit", None),
    ("get", "/api/me", None),
]


# Editing: the sign-in gate (what editing does is tested with that feature) ----------------------------------


def test_editing_needs_a_sign_in(client: TestClient, facts: SeedFacts) -> None:
    for method, template, body in EDITING:
        url = template.format(key=KEY, town=quote(facts.towns[0]))
        response = client.request(method.upper(), url, json=body)
        error = assert_error(response, 401)
        assert error["message"] == t("ui.sign_in_needed", "ja"), url
        assert response.headers.get("www-authenticate", "").lower().startswith("bearer")
    wrong = client.get("/api/me", headers={"Authorization": "Bearer not-a-token"})
    assert_error(wrong, 401)


def test_editing_reads_with_a_token(registry: Registry, client: TestClient, facts: SeedFacts) -> None:
    me = ok_json(client, "/api/me", headers=registry.auth())
    assert me["username"] == ADMIN and me["admin"] is True
    draft = ok_json(client, f"/api/spheres/{KEY}/draft", headers=registry.auth())
    assert draft["sphere"] == KEY
    assert sorted(p["number"] for p in draft["projects"]) == sorted(facts.numbers)
    serial = draft["projects"][0]["serial"]
    one = client.get(f"/api/spheres/{KEY}/draft/projects/{serial}", headers=registry.auth())
    assert one.status_code == 200 and one.headers.get("etag")
    ok_json(client, f"/api/spheres/{KEY}/draft/amendments", headers=registry.auth())
    ok_json(client, f"/api/spheres/{KEY}/audit", headers=registry.auth())
    # The audit as CSV, of a sphere whose key is Japanese (its file name was a server error).
    audit = client.get(f"/api/spheres/{quote(ESCAPE_KEY)}/audit", params={"format": "csv"}, headers=registry.auth())
    assert audit.status_code == 200 and audit.headers["content-type"].startswith("text/csv")
    assert filename_star(audit.headers["content-disposition"]).startswith(ESCAPE_KEY)


def test_editing_writes_need_if_match(registry: Registry, client: TestClient, facts: SeedFacts) -> None:
    serial = ok_json(client, f"/api/spheres/{KEY}/draft", headers=registry.auth())["projects"][0]["serial"]
    town = quote(facts.towns[0])
    for method, url, body in [
        ("PATCH", f"/api/spheres/{KEY}/draft/projects/{serial}", {"name": "x"}),
        ("DELETE", f"/api/spheres/{KEY}/draft/projects/{serial}", None),
        ("PUT", f"/api/spheres/{KEY}/draft/projects/{serial}/marks/{town}", {"role": "member"}),
        ("PUT", f"/api/spheres/{KEY}/draft/projects/{serial}/notes/{town}", {"note": "x"}),
    ]:
        response = client.request(method, url, json=body, headers=registry.auth())
        assert_error(response, 428)
    # Nothing was published by these requests.
    assert ok_json(client, f"/api/spheres/{KEY}")["revision"] == 2


def test_editing_numbers_beyond_the_databases_integers_are_invalid(registry: Registry, client: TestClient) -> None:
    """Found by schemathesis: these were server errors (SQLite OverflowError, PostgreSQL int4 out of range)."""
    for method, url in [
        ("GET", f"/api/spheres/{KEY}/audit?offset={2**63}"),
        ("GET", f"/api/spheres/{KEY}/draft/projects/{2**63}"),
        ("PATCH", f"/api/spheres/{KEY}/draft/projects/{2**31}"),
        ("DELETE", f"/api/spheres/{KEY}/draft/projects/{2**31}"),
        ("PUT", f"/api/spheres/{KEY}/draft/projects/{2**31}/marks/x"),
        ("PUT", f"/api/spheres/{KEY}/draft/projects/{2**31}/notes/x"),
    ]:
        headers = {**registry.auth(), "If-Match": '"1"'}
        response = client.request(method, url, headers=headers, json={"name": "x", "role": "member", "note": "x"})
        assert_error(response, 422, "invalid-request")
    for url in (f"/spheres/{KEY}/audit?page={2**63}", f"/spheres/{KEY}/draft/projects/{2**31}"):
        assert client.get(url, headers=registry.auth()).status_code == 422, url
