"""Japanese substring search over project names and descriptions, the same on SQLite and PostgreSQL.

Japanese has no spaces between words and its common words are two characters long (観光, 医療, 交流), which a
trigram index (FTS5 ``trigram``, ``pg_trgm``) cannot match. renkei keeps one row per project of each sphere's
newest revision (``search_doc``), its name and description normalised (NFKC, case folded), and finds a query
by a substring scan of those rows, confirmed and ranked in Python: any query of one character or more matches
exactly the projects that contain it. The whole country is about ten thousand such rows (under a megabyte of
text), which the database scans in milliseconds; a bigram posting index was tried first and dropped because
keeping it (about seventy postings per project, rewritten with every revision) cost far more at import than it
saved in queries at this scale (measured in docs/benchmarks.md).
The original text is kept for display.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session

from renkei.store.schema import SearchDocRow


def normalize(text: str) -> str:
    return unicodedata.normalize("NFKC", text).casefold()


@dataclass(frozen=True)
class Doc:
    """A project of the revision being indexed: its row and its text."""

    revision_project_id: int
    name: str
    description: str


def reindex(session: Session, sphere_id: int, projects: Iterable[Doc]) -> None:
    """Make the sphere's newest revision the one searched: its projects' rows replace the previous ones."""
    connection = session.connection()
    connection.execute(delete(SearchDocRow).where(SearchDocRow.sphere_id == sphere_id))
    docs = [
        {
            "revision_project_id": p.revision_project_id,
            "sphere_id": sphere_id,
            "name_key": normalize(p.name),
            "description_key": normalize(p.description),
        }
        for p in projects
    ]
    if docs:
        connection.execute(insert(SearchDocRow), docs)


@dataclass(frozen=True)
class Hit:
    revision_project_id: int
    score: int


def load(session: Session) -> list[tuple[int, str, str]]:
    """Every searchable project's row id and normalised text: the whole country fits in a few megabytes."""
    query = select(SearchDocRow.revision_project_id, SearchDocRow.name_key, SearchDocRow.description_key)
    return [(row_id, name, description) for row_id, name, description in session.execute(query).all()]


def rank(docs: Iterable[tuple[int, str, str]], query: str, limit: int = 50, offset: int = 0) -> tuple[list[Hit], int]:
    """Hits ranked by matches in the name (weighted) and the description; and how many hits in all."""
    q = normalize(query).strip()
    if not q:
        return [], 0
    hits = [
        Hit(row_id, 10 * name.count(q) + description.count(q))
        for row_id, name, description in docs
        if q in name or q in description
    ]
    hits.sort(key=lambda h: (-h.score, h.revision_project_id))
    return hits[offset : offset + limit], len(hits)


def find(session: Session, query: str, limit: int = 50, offset: int = 0) -> tuple[list[Hit], int]:
    """The same as ``rank`` over ``load``, the scan done by the database: for one query without a cache."""
    q = normalize(query).strip()
    if not q:
        return [], 0
    docs = SearchDocRow
    found = docs.name_key.contains(q, autoescape=True) | docs.description_key.contains(q, autoescape=True)
    rows = session.execute(select(docs.revision_project_id, docs.name_key, docs.description_key).where(found))
    # LIKE folds ASCII case on SQLite and not on PostgreSQL: the substring test decides, the same on both.
    return rank(((row_id, name, description) for row_id, name, description in rows), query, limit, offset)


def highlight(text: str, query: str) -> list[tuple[str, bool]]:
    """The text cut into pieces, those matching the query (as normalised) marked True, for display."""
    q = normalize(query).strip()
    if not q:
        return [(text, False)]
    # Normalise character by character, to map a match in the normalised text back to the original.
    pieces = [normalize(ch) for ch in text]
    folded = "".join(pieces)
    starts, position = [], 0
    for piece in pieces:
        starts.append(position)
        position += len(piece)
    marked = [False] * len(text)
    index = folded.find(q)
    while index >= 0:
        for i, start in enumerate(starts):
            if index <= start < index + len(q) or (start <= index < start + len(pieces[i])):
                marked[i] = True
        index = folded.find(q, index + 1)
    out: list[tuple[str, bool]] = []
    for ch, flag in zip(text, marked, strict=True):
        if out and out[-1][1] == flag:
            out[-1] = (out[-1][0] + ch, flag)
        else:
            out.append((ch, flag))
    return out
