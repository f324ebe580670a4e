"""Static files under versioned addresses: ``/static/renkei.css?v=<hash>``.

A page names each file with a hash of its content, so a browser may keep it for a year: a changed file gets a
new address. The same file asked for without the matching hash is served with a short lifetime.
"""

from __future__ import annotations

import functools
import hashlib
from pathlib import Path

from starlette.responses import Response
from starlette.staticfiles import StaticFiles
from starlette.types import Scope

YEAR = 365 * 24 * 3600
_SHORT = "public, max-age=300"
_LONG = f"public, max-age={YEAR}, immutable"


@functools.cache
def _hash(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()[:12]


@functools.lru_cache(maxsize=256)
def _url(root: Path, name: str) -> str:
    path = root / name
    return f"/static/{name}?v={_hash(path)}" if path.is_file() else f"/static/{name}"


class VersionedStatic(StaticFiles):
    """StaticFiles whose answers are cached for a year when asked for at their versioned address."""

    def __init__(self, directory: Path) -> None:
        super().__init__(directory=str(directory))
        self.root = directory

    def url(self, name: str) -> str:
        # Asked many times by every page: the address is made once per name (the hash is kept anyway).
        return _url(self.root, name)

    async def get_response(self, path: str, scope: Scope) -> Response:
        response = await super().get_response(path, scope)
        if response.status_code in (200, 304):
            asked = dict(_query(scope)).get("v")
            file = self.root / path
            versioned = asked is not None and file.is_file() and asked == _hash(file)
            response.headers["Cache-Control"] = _LONG if versioned else _SHORT
        return response


def _query(scope: Scope) -> list[tuple[str, str]]:
    from urllib.parse import parse_qsl

    return parse_qsl(scope.get("query_string", b"").decode("latin-1"))
