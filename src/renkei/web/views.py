"""What the pages show, computed from the model: the matrix (``renkei.vision.table``), its filters and figures.

Kept apart from the routes so that the same view serves a sphere's page, the check page's preview and the
API's filtered project lists.
"""

from __future__ import annotations

import dataclasses

from renkei.vision.model import Municipality, Vision
from renkei.vision.table import TableView, field_key, select_projects, table_view

__all__ = ["field_key", "fields", "filtered", "matrix", "municipality_key", "select_projects"]


def municipality_key(m: Municipality) -> str:
    """How a municipality is named in a URL: its code, or its name where it has none."""
    return m.code or m.name


def filtered(vision: Vision, field: str | None = None, municipality: str | None = None) -> Vision:
    """The vision as a filtered page shows it: only the chosen projects, every municipality's column kept, and
    no declared totals (the document declared them for the whole table, not for this part)."""
    projects = select_projects(vision, field, municipality)
    # Named as an excerpt (抜粋) in its metadata row, so that importing it back is refused (it is not the whole).
    excerpt = " ".join(f for f in (field, municipality) if f)
    edition = dataclasses.replace(vision.edition, excerpt=excerpt or None)
    return dataclasses.replace(
        vision, projects=projects, declared_totals={}, declared_grand_total=None, edition=edition
    )


def matrix(vision: Vision, field: str | None = None, municipality: str | None = None) -> TableView:
    """The ○ matrix as the pages show it (``renkei.vision.table``): headings, marks, computed counts and totals, the
    declared figures beside them so the page can flag a difference; filtered to a field and/or municipality."""
    return table_view(vision, field=field, municipality=municipality)


def fields(vision: Vision) -> list[tuple[str, str]]:
    """(key, label) of every field, for the filter's choices."""
    return [(field_key(f), f"{field_key(p)} / {field_key(f)}" if p else field_key(f)) for p, f in vision.fields()]
