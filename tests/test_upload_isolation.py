"""One slow upload never stalls the other requests: uploads are read in worker processes, off the event loop.

Measured relative to the slow upload itself (the machine may be busy): while a large table is being read for
/api/check, other requests are answered in a small fraction of that time.
"""

from __future__ import annotations

import threading
import time
from pathlib import Path

import httpx

from webserver import free_port, running_server


def test_a_slow_upload_leaves_the_server_answering(tmp_path: Path, seed_bytes: bytes) -> None:
    port = free_port()
    with (
        running_server(
            tmp_path / "serve.log", "--db", tmp_path / "registry.db", "--port", str(port), port=port
        ) as server,
        httpx.Client(base_url=server.url, timeout=120) as client,
    ):
        warm = client.post("/api/check", files={"file": ("seed.txt", seed_bytes)})  # the readers start
        assert warm.status_code == 200, warm.text
        # A first answer may be slow for reasons of its own (the registry's first read); that is not a stall.
        assert client.get("/api/spheres").status_code == 200
        slow: dict[str, float | int] = {}

        def upload() -> None:
            start = time.monotonic()
            with httpx.Client(base_url=server.url, timeout=120) as own:
                answer = own.post("/api/check", files={"file": ("big.txt", seed_bytes * 600)})
            slow.update(status=answer.status_code, seconds=time.monotonic() - start)

        thread = threading.Thread(target=upload)
        thread.start()
        time.sleep(0.5)  # the upload is being read
        others = []
        for _ in range(5):
            start = time.monotonic()
            assert client.get("/api/spheres").status_code == 200
            others.append(time.monotonic() - start)
        still_reading = thread.is_alive()
        thread.join(120)
    assert slow["status"] in (200, 422), slow
    assert still_reading, f"the upload took {slow['seconds']:.1f}s: too quick to show anything"
    assert max(others) < slow["seconds"] / 4, (others, slow)
