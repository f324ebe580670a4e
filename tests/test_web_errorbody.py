"""One error body (renkei.core.errorbody) for the command line and the web: a file that is not a table at all reads
the same to ``renkei check --json`` and to ``POST /api/check``, and an API error has the same shape."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from clirun import check_json
from renkei.store import Store
from renkei.web.app import create_app

# NULs and bytes no text encoding reads: not a table in any format.
JUNK = bytes(range(256)) * 8


@pytest.fixture
def client(tmp_path: Path) -> Iterator[TestClient]:
    with Store.open(f"sqlite:///{tmp_path / 'registry.db'}") as store, TestClient(create_app(store)) as opened:
        yield opened


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_a_read_error_has_one_body_on_the_command_line_and_the_api(
    client: TestClient, tmp_path: Path, lang: str
) -> None:
    junk = tmp_path / "junk.bin"
    junk.write_bytes(JUNK)
    status, cli_body, _ = check_json(junk, RENKEI_LANG=lang)
    response = client.post("/api/check", files={"file": ("junk.bin", JUNK)}, headers={"Accept-Language": lang})
    assert (status, response.status_code) == (2, 422)
    assert response.json() == cli_body
    assert set(cli_body["error"]) == {"code", "message", "hint"} and cli_body["error"]["message"]


def test_an_api_error_has_the_same_shape(client: TestClient) -> None:
    body = client.get("/api/spheres/no-such-sphere").json()
    assert set(body) == {"error"} and set(body["error"]) == {"code", "message", "hint"}
    assert body["error"]["code"] == "sphere-unknown"
