"""The registry that remembers: spheres, every revision of their visions, amendments and agreements.

``Store`` is the library's face of the database; the CLI and the web app only call it. Every write runs in one
transaction (an import is all or nothing, a killed process leaves the previous revision intact), and every
change of a vision is a new revision: nothing is updated in place.
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING

from renkei.store.base import StoreBase
from renkei.store.clock import today_jst, utc
from renkei.store.errors import ImportRefused, StoreError
from renkei.store.records import Batched, ImportResult, RevisionInfo, SearchHit, SphereInfo, SphereSpec
from renkei.store.writes import content_hash

if TYPE_CHECKING:
    from renkei.store.accounts import Accounts
    from renkei.store.country import Country
    from renkei.store.drafts import Drafts

# What other modules import from here, some of it now defined in the store's other rooms.
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
    "content_hash",
    "today_jst",
    "utc",
]


class Store(StoreBase):
    """The registry: its published reads and imports (``base.StoreBase``), its drafts and its accounts."""

    @functools.cached_property
    def accounts(self) -> Accounts:
        """Accounts, roles, sessions, API tokens and the audit trail."""
        from renkei.store.accounts import Accounts

        return Accounts(self)

    @functools.cached_property
    def country(self) -> Country:
        """The country's list: every known sphere's lifecycle and dated membership (``store.country``)."""
        from renkei.store.country import Country

        return Country(self)

    @functools.cached_property
    def drafts(self) -> Drafts:
        """The working copies of spheres' next revisions."""
        from renkei.store.drafts import Drafts

        return Drafts(self)
