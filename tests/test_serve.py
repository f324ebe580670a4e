"""``renkei serve`` as a user starts it: a subprocess on a new database, the sample loaded on the first start
only, the address printed, several workers, and the contract's defaults (127.0.0.1:8000, the embedded file)."""

from __future__ import annotations

import json
import socket
import urllib.request
from pathlib import Path
from typing import Any

import pytest

import renkei.core.sample
from renkei.core.messages import t
from renkei.national.country import shipped
from webserver import free_port, running_server

SPHERE_NAME = renkei.core.sample.sample_sphere().name
DEFAULT_PORT = 8000


def get(url: str) -> tuple[int, str, dict[str, str]]:
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.status, response.read().decode("utf-8"), dict(response.headers)


def get_json(url: str) -> Any:
    return json.loads(get(url)[1])


def flat(text: str) -> str:
    """The server's output with the console's line wrapping undone (it wraps at the terminal's width)."""
    return "".join(text.split())


def test_first_start_loads_the_sample_and_the_second_does_not(tmp_path: Path) -> None:
    db = tmp_path / "registry.db"
    port = free_port()
    narrow = {"COLUMNS": "80"}  # a terminal's usual width, which the announcement's line is longer than
    with running_server(tmp_path / "first.log", "--db", db, "--port", str(port), port=port, env=narrow) as server:
        status, home, headers = get(server.url + "/")
        assert status == 200 and headers["content-type"] == "text/html; charset=utf-8"
        assert SPHERE_NAME in home
        spheres = get_json(server.url + "/api/spheres?limit=1000")
        # The sample's sphere, the one with a table, beside the country's list that the first start loads.
        assert spheres["total"] == len(shipped())
        key = next(s["key"] for s in spheres["items"] if s["has_table"])
        assert len(get_json(f"{server.url}/api/spheres/{key}/revisions")) == 1
        first = server.output()
    assert server.url in first, first
    assert flat(t("cli.sample_loaded", "ja")) in flat(first)
    # On one line, whatever the terminal's width: the address and the database's path are copied from it.
    assert t("cli.serving", "ja", db=f"sqlite:///{db}", url=server.url) in first.splitlines()

    port = free_port()
    with running_server(tmp_path / "second.log", "--db", db, "--port", str(port), port=port) as server:
        assert SPHERE_NAME in get(server.url + "/")[1]
        assert get_json(server.url + "/api/spheres")["total"] == len(shipped())  # nothing loaded twice
        assert len(get_json(f"{server.url}/api/spheres/{key}/revisions")) == 1
        second = server.output()
    assert server.url in second
    assert flat(t("cli.sample_loaded", "ja")) not in flat(second)


def test_two_workers_serve(tmp_path: Path) -> None:
    port = free_port()
    options = ("--db", tmp_path / "registry.db", "--port", str(port), "--workers", "2")
    with running_server(tmp_path / "workers.log", *options, port=port) as server:
        for _ in range(10):
            assert SPHERE_NAME in get(server.url + "/")[1]
            # The sample's sphere is one of the country's list, which the first start loads beside it.
            assert get_json(server.url + "/api/spheres")["total"] == len(shipped())
        assert server.url in server.output()
    assert server.process.returncode is not None


def port_is_free(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            return False
        return True


def test_no_options_serve_the_embedded_database_on_port_8000(tmp_path: Path) -> None:
    """The contract: ``renkei serve`` alone, on 127.0.0.1:8000 over the embedded file in the user's data
    directory (here a fresh one), the sample loaded."""
    if not port_is_free(DEFAULT_PORT):  # a busy port is the machine's state, not a missing dependency
        pytest.skip(f"port {DEFAULT_PORT} is in use on this machine")
    data = tmp_path / "data"
    env: dict[str, str | None] = {"XDG_DATA_HOME": str(data), "RENKEI_DB": None}
    with running_server(tmp_path / "default.log", port=DEFAULT_PORT, env=env) as server:
        assert server.url == f"http://127.0.0.1:{DEFAULT_PORT}"
        assert SPHERE_NAME in get(server.url + "/")[1]
        assert get(server.url + "/openapi.json")[0] == 200
        output = server.output()
    assert server.url in output
    assert (data / "renkei" / "renkei.db").is_file()
