"""Japanese substring search over project names and descriptions, the same on SQLite and PostgreSQL.

renkei keeps one row per project of each sphere's newest revision (``search_doc``), its name and description
normalised (NFKC, case folded); a query (normalised the same way) finds exactly the projects whose normalised
name or description contains it, ranked by its occurrences (a name's counted ten times), then by row.

Matching is decided in SQL by an exact substring test (``instr`` on SQLite, ``LIKE`` with the query escaped on
PostgreSQL, both case-sensitive over the folded text), and served by a trigram index where one applies: an
FTS5 table with the ``trigram`` tokenizer on SQLite (``search_fts``, kept by triggers; its matches narrowed by
the exact test), ``pg_trgm`` GIN indexes on PostgreSQL (migration 0007). Japanese has no spaces between words
and its common words are two characters long (観光, 医療, 交流), which trigrams cannot serve: a query of one or
two characters scans the rows instead (about ten thousand for the real country, a hundred thousand at ten
times its size). Ranking and the facets' counts are computed by the database too.
The original text is kept for display.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import ColumnElement, Connection, Integer, column, delete, func, insert, select, text, type_coerce
from sqlalchemy.orm import Session

from renkei.store.records import SearchHit
from renkei.store.schema import RevisionProjectRow, RevisionRow, SearchDocRow, SphereRow


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


# The trigram index -------------------------------------------------------------------------------------

_FTS_TRIGGERS = {
    "search_doc_fts_insert": "AFTER INSERT ON search_doc BEGIN INSERT INTO search_fts(rowid, name_key, "
    "description_key) VALUES (new.revision_project_id, new.name_key, new.description_key); END",
    "search_doc_fts_delete": "AFTER DELETE ON search_doc BEGIN INSERT INTO search_fts(search_fts, rowid, name_key, "
    "description_key) VALUES ('delete', old.revision_project_id, old.name_key, old.description_key); END",
    "search_doc_fts_update": "AFTER UPDATE ON search_doc BEGIN INSERT INTO search_fts(search_fts, rowid, name_key, "
    "description_key) VALUES ('delete', old.revision_project_id, old.name_key, old.description_key); "
    "INSERT INTO search_fts(rowid, name_key, description_key) "
    "VALUES (new.revision_project_id, new.name_key, new.description_key); END",
}
# What the index adds beside the models (``schema``): left out of the comparison of models and migrations.
INDEX_NAMES = ("search_fts", "ix_search_doc_name_trgm", "ix_search_doc_description_trgm")


def include_name(name: str | None, type_: str, parent_names: object) -> bool:
    """Alembic's filter: the trigram index (FTS5's tables, the GIN indexes) is made by migration 0007 alone."""
    return not (name and name.startswith(INDEX_NAMES))


def create_index(connection: Connection) -> bool:
    """Make the trigram index and fill it from the rows there are; False where the database cannot (a
    PostgreSQL server without ``pg_trgm``), when the search scans."""
    if connection.dialect.name == "sqlite":
        connection.exec_driver_sql(
            "CREATE VIRTUAL TABLE search_fts USING fts5(name_key, description_key, content='search_doc', "
            "content_rowid='revision_project_id', tokenize='trigram')"
        )
        for name, body in _FTS_TRIGGERS.items():
            connection.exec_driver_sql(f"CREATE TRIGGER {name} {body}")
        connection.exec_driver_sql("INSERT INTO search_fts(search_fts) VALUES ('rebuild')")
        return True
    if connection.dialect.name != "postgresql":
        return False
    schema = _trgm_schema(connection)
    if schema is None:
        try:
            with connection.begin_nested():
                connection.exec_driver_sql("CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA public")
        except Exception:  # not installed on the server, or not allowed: the search scans
            return False
        schema = _trgm_schema(connection)
    for name, key in zip(INDEX_NAMES[1:], ("name_key", "description_key"), strict=True):
        connection.exec_driver_sql(f'CREATE INDEX {name} ON search_doc USING gin ({key} "{schema}".gin_trgm_ops)')
    return True


def drop_index(connection: Connection) -> None:
    if connection.dialect.name == "sqlite":
        for name in _FTS_TRIGGERS:
            connection.exec_driver_sql(f"DROP TRIGGER IF EXISTS {name}")
        connection.exec_driver_sql("DROP TABLE IF EXISTS search_fts")
    elif connection.dialect.name == "postgresql":
        for name in INDEX_NAMES[1:]:
            connection.exec_driver_sql(f"DROP INDEX IF EXISTS {name}")


def _trgm_schema(connection: Connection) -> str | None:
    found = connection.exec_driver_sql(
        "SELECT n.nspname FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace WHERE e.extname = 'pg_trgm'"
    ).scalar()
    return str(found) if found is not None else None


def has_fts(connection: Connection) -> bool:
    """Whether this SQLite database has the trigram table (a snapshot file, made from the models, has not)."""
    if connection.dialect.name != "sqlite":
        return False
    found = connection.exec_driver_sql("SELECT 1 FROM sqlite_master WHERE name = 'search_fts'").scalar()
    return found is not None


# Matching and ranking in SQL ---------------------------------------------------------------------------


def matches(dialect: str, query: str, fts: bool) -> ColumnElement[bool] | None:
    """The condition on ``search_doc`` of the rows whose text contains the (normalised) query; None for an
    empty query. Exact on both backends; a trigram index narrows it where the query has three characters."""
    q = normalize(query).strip()
    if not q:
        return None
    docs = SearchDocRow.__table__.c
    if dialect == "postgresql":
        pattern = "%" + q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        return docs.name_key.like(pattern, escape="\\") | docs.description_key.like(pattern, escape="\\")
    exact = (func.instr(docs.name_key, q) > 0) | (func.instr(docs.description_key, q) > 0)
    if fts and len(q) >= 3:
        phrase = '"' + q.replace('"', '""') + '"'
        narrowed = text("SELECT rowid FROM search_fts WHERE search_fts MATCH :phrase").bindparams(phrase=phrase)
        return docs.revision_project_id.in_(narrowed.columns(column("rowid", Integer))) & exact
    return exact


def score(query: str) -> ColumnElement[int]:
    """How often the query occurs in the name (ten times) and the description: Python's ``str.count``."""
    q = normalize(query).strip()
    docs = SearchDocRow.__table__.c

    def count(key: ColumnElement[str]) -> ColumnElement[int]:
        return type_coerce((func.length(key) - func.length(func.replace(key, q, ""))) / len(q), Integer)

    return 10 * count(docs.name_key) + count(docs.description_key)


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


# Reads ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Found:
    """A hit with what the search's facets count it under: its sphere's kind and prefecture, its field's title
    (empty where there is none)."""

    hit: SearchHit
    kind: str
    prefecture: str
    field: str


@dataclass(frozen=True)
class Faceted:
    """The hits of a query narrowed by the chosen facets (the page asked for), how many in all, and each facet's
    counts over the hits the other facets leave."""

    hits: list[Found]
    total: int
    kinds: dict[str, int]
    prefectures: dict[str, int]
    fields: dict[str, int]


def faceted(
    session: Session,
    query: str,
    fts: bool,
    kind: str = "",
    prefecture: str = "",
    field: str = "",
    limit: int | None = 50,
    offset: int = 0,
) -> Faceted:
    """One grouped count for the facets and one ranked page of hits, both decided by the database."""
    condition = matches(session.get_bind().dialect.name, query, fts)
    if condition is None:
        return Faceted([], 0, {}, {}, {})
    docs, rp, sphere = SearchDocRow, RevisionProjectRow, SphereRow
    groups = session.execute(
        select(sphere.kind, sphere.prefecture, rp.field_title, func.count())
        .select_from(docs)
        .join(rp, rp.id == docs.revision_project_id)
        .join(sphere, sphere.id == docs.sphere_id)
        .where(condition)
        .group_by(sphere.kind, sphere.prefecture, rp.field_title)
    ).all()
    chosen = {"kind": kind, "prefecture": prefecture, "field": field}
    counts: dict[str, dict[str, int]] = {"kind": {}, "prefecture": {}, "field": {}}
    total = 0
    for k, p, f, n in groups:
        values = {"kind": k or "", "prefecture": p or "", "field": f or ""}
        passing = {name: not chosen[name] or values[name] == chosen[name] for name in values}
        if all(passing.values()):
            total += n
        for name, value in values.items():
            if value and all(ok for other, ok in passing.items() if other != name):
                counts[name][value] = counts[name].get(value, 0) + n
    if total == 0:
        return Faceted([], 0, counts["kind"], counts["prefecture"], counts["field"])
    rank_of = score(query).label("score")
    page = (
        select(sphere.key, sphere.name, RevisionRow.number, rp.number, rp.name, rp.description, rank_of, sphere.kind)
        .add_columns(sphere.prefecture, rp.field_title, rp.payload)
        .select_from(docs)
        .join(rp, rp.id == docs.revision_project_id)
        .join(RevisionRow, RevisionRow.id == rp.revision_id)
        .join(sphere, sphere.id == docs.sphere_id)
        .where(condition)
        .order_by(rank_of.desc(), docs.revision_project_id)
        .offset(offset)
    )
    if kind:
        page = page.where(sphere.kind == kind)
    if prefecture:
        page = page.where(sphere.prefecture == prefecture)
    if field:
        page = page.where(rp.field_title == field)
    if limit is not None:
        page = page.limit(limit)
    hits = [
        Found(
            SearchHit(key, name, revision, number, title, text, int(points), (payload or {}).get("number_label", "")),
            k,
            p or "",
            f or "",
        )
        for key, name, revision, number, title, text, points, k, p, f, payload in session.execute(page)
    ]
    return Faceted(hits, total, counts["kind"], counts["prefecture"], counts["field"])
