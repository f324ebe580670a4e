"""The store: every sphere and every revision of its vision, in SQLite (embedded) or PostgreSQL."""

from renkei.store.store import (
    Batched,
    ImportRefused,
    ImportResult,
    RevisionInfo,
    SearchHit,
    SphereInfo,
    SphereSpec,
    Store,
    StoreError,
)

__all__ = [
    "Batched",
    "ImportRefused",
    "ImportResult",
    "RevisionInfo",
    "SearchHit",
    "SphereInfo",
    "SphereSpec",
    "Store",
    "StoreError",
]
