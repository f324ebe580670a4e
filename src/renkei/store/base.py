"""``StoreBase``: the store's published reads and imports over one database, without its accounts and drafts,
which build on it (so that they need not import the package, which makes them)."""

from __future__ import annotations

from renkei.store.imports import Imports
from renkei.store.reads import PublishedReads


class StoreBase(PublishedReads, Imports):
    """The registry's reads (``reads.PublishedReads``) and imports (``imports.Imports``), over one database
    (``core.Database``): everything of ``Store`` but its accounts and drafts."""
