"""Japanese substring search over project names and descriptions, the same on SQLite and PostgreSQL.

Japanese has no spaces between words and its common words are two characters long (観光, 医療, 交流), which a
trigram index (FTS5 ``trigram``, ``pg_trgm``) cannot match. renkei keeps its own bigram index instead: every
two-character substring of a project's normalised text is a posting. A query of two or more characters is
looked up by its rarest bigrams, and every candidate is confirmed by a real substring test, so a hit always
contains the query. A one-character query has no bigram; it falls back to a bounded scan.
Text is normalised with NFKC and case folding (ＩＣＴ finds ICT), and the original text is kept for display.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import Select, delete, func, insert, select
from sqlalchemy.orm import Session

from renkei.store.schema import SearchDocRow, SearchGramRow

# How many of the query's rarest bigrams to intersect before confirming candidates by substring.
_GRAMS_USED = 3
_SCAN_LIMIT = 2000


def normalize(text: str) -> str:
    return unicodedata.normalize("NFKC", text).casefold()


def grams(text: str) -> set[str]:
    return {text[i : i + 2] for i in range(len(text) - 1) if not text[i : i + 2].isspace()}


@dataclass(frozen=True)
class Doc:
    """A project of the revision being indexed: its row, its identity (``project.id``) and its text."""

    revision_project_id: int
    project_id: int
    name: str
    description: str


def reindex(session: Session, sphere_id: int, projects: Iterable[Doc]) -> None:
    """Make the sphere's newest revision the one searched: drop its old postings, add the new."""
    connection = session.connection()
    old = select(SearchDocRow.revision_project_id).where(SearchDocRow.sphere_id == sphere_id)
    connection.execute(delete(SearchGramRow).where(SearchGramRow.revision_project_id.in_(old)))
    connection.execute(delete(SearchDocRow).where(SearchDocRow.sphere_id == sphere_id))
    docs, postings = [], []
    for p in projects:
        name, description = normalize(p.name), normalize(p.description)
        docs.append(
            {
                "revision_project_id": p.revision_project_id,
                "sphere_id": sphere_id,
                "name_key": name,
                "description_key": description,
            }
        )
        postings += [
            {"gram": g, "revision_project_id": p.revision_project_id} for g in grams(name) | grams(description)
        ]
    if docs:
        connection.execute(insert(SearchDocRow), docs)
    if postings:
        connection.execute(insert(SearchGramRow), postings)


@dataclass(frozen=True)
class Hit:
    revision_project_id: int
    score: int


def find(session: Session, query: str, limit: int = 50, offset: int = 0) -> tuple[list[Hit], int]:
    """Hits ranked by matches in the name (weighted) and the description; and how many hits in all."""
    q = normalize(query).strip()
    if not q:
        return [], 0
    candidates = _candidates(session, q)
    rows = session.execute(
        select(SearchDocRow.revision_project_id, SearchDocRow.name_key, SearchDocRow.description_key).where(
            SearchDocRow.revision_project_id.in_(candidates)
        )
    )
    hits = [
        Hit(rid, 10 * name.count(q) + description.count(q))
        for rid, name, description in rows
        if q in name or q in description
    ]
    hits.sort(key=lambda h: (-h.score, h.revision_project_id))
    return hits[offset : offset + limit], len(hits)


def _candidates(session: Session, q: str) -> Select[int]:
    """A subquery of the projects that may contain the query, confirmed afterwards by substring."""
    wanted = grams(q)
    if not wanted:
        docs = SearchDocRow
        found = docs.name_key.contains(q, autoescape=True) | docs.description_key.contains(q, autoescape=True)
        return select(docs.revision_project_id).where(found).limit(_SCAN_LIMIT)
    frequency = dict(
        session.execute(
            select(SearchGramRow.gram, func.count()).where(SearchGramRow.gram.in_(wanted)).group_by(SearchGramRow.gram)
        ).all()
    )
    # A bigram of the query that occurs nowhere leaves no candidate: the IN list below is then empty.
    rarest = sorted(wanted, key=lambda g: frequency.get(g, 0))[:_GRAMS_USED] if len(frequency) == len(wanted) else []
    return (
        select(SearchGramRow.revision_project_id)
        .where(SearchGramRow.gram.in_(rarest))
        .group_by(SearchGramRow.revision_project_id)
        .having(func.count() == len(rarest))
    )


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
