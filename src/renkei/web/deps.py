"""What every router needs and nothing else: the store of the request, the bounds of what a request may name,
and the mark that makes a public read of published data cacheable (read by ``renkei.web.caching``)."""

from __future__ import annotations

import enum
from collections.abc import Callable
from typing import Any, TypeVar

from fastapi import Request

from renkei.store import Store

# The largest revision or project number a request may name: what the database's INTEGER columns hold
# (PostgreSQL's int4). A larger one is an invalid request (422), not a database overflow (500).
NUMBER_MAX = 2**31 - 1
# The largest upload read (check page, API check, web import, a new sphere's file): far above any real table,
# far below what could hurt the server.
MAX_UPLOAD = 20 * 1024 * 1024
# The upload forms' and APIs' choice of the names' column (renkei.ingest.choices).
NAME_COLUMN_HELP = "The column of the projects' names, by position (from 1) or header, where renkei cannot tell it"
ANNEX_HELP = "A budget annex (別冊: 事業番号, 事業名 and 事業費 per year; CSV or XLSX) merged into the table's projects"

F = TypeVar("F", bound=Callable[..., Any])
_MARK = "_renkei_cacheable"


def store_of(request: Request) -> Store:
    store: Store = request.app.state.store
    return store


class Scope(enum.Enum):
    """What a cacheable answer is made of: one sphere's published revisions (the route's ``key``), or the
    registry's (every sphere's)."""

    SPHERE = "sphere"
    REGISTRY = "registry"


def cacheable(scope: Scope) -> Callable[[F], F]:
    """Mark a route's function as a public read of published data: its answers to anyone not signed in are kept
    in memory while the generation of ``scope`` (``Store.generation``) stays the same."""

    def mark(endpoint: F) -> F:
        setattr(endpoint, _MARK, scope)
        return endpoint

    return mark


def scope_of(endpoint: object) -> Scope | None:
    """The scope a route's function was marked cacheable with; None when it was not."""
    scope = getattr(endpoint, _MARK, None)
    return scope if isinstance(scope, Scope) else None
