"""The store: every sphere and every revision of its vision, in SQLite (embedded) or PostgreSQL."""

from renkei.store.aggregates import FieldTotal, FieldUse
from renkei.store.errors import ImportRefused, StoreError
from renkei.store.records import Batched, ImportResult, RevisionInfo, SearchHit, SphereInfo, SphereSpec
from renkei.store.search import Faceted, Found
from renkei.store.store import Store

__all__ = [
    "Batched",
    "Faceted",
    "FieldTotal",
    "FieldUse",
    "Found",
    "ImportRefused",
    "ImportResult",
    "RevisionInfo",
    "SearchHit",
    "SphereInfo",
    "SphereSpec",
    "Store",
    "StoreError",
]
