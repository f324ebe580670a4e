"""What a person chose about a reading that the file cannot say: the name column (`--name-column`, the check
page's field, the API's ``name_column``), as a column's position from 1 or its header's text.

It is set around one reading (``chosen``) rather than passed through every reader's signature, so that each
format's reader (built-in or a plugin's) hands its rows to the layout reader unchanged and the choice still
reaches it.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

NAME_COLUMN: ContextVar[str | None] = ContextVar("renkei_name_column", default=None)


@contextmanager
def chosen(name_column: str | None) -> Iterator[None]:
    """The name column chosen for the readings made inside the block (None: the table's own columns)."""
    token = NAME_COLUMN.set(name_column.strip() if name_column and name_column.strip() else None)
    try:
        yield
    finally:
        NAME_COLUMN.reset(token)
