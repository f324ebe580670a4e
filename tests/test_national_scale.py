"""What makes the national reads scale (issue 24), on both backends: the compared fields kept on write equal what
the comparison computed from every sphere's vision, a new revision rewrites only its sphere's rows, a database
made before them is backfilled, and the search served by the trigram index (or by a scan for one or two
characters) finds exactly what a substring test over every project finds, ranked and faceted the same."""

from __future__ import annotations

import copy
import datetime
import random
from collections import Counter

import pytest
from alembic import command
from sqlalchemy import select, text

from renkei.store import FieldUse, Store
from renkei.store.manifest_import import load_into, sphere_spec
from renkei.store.schema import FieldUseRow
from renkei.store.search import load, normalize, rank
from renkei.synthetic.synth import SynthSphere, synthesize
from renkei.web.national import facet_search, field_uses

pytest_plugins = ["store_support"]  # the shared fixtures

SEED = 24


@pytest.fixture(scope="module")
def spheres() -> list[SynthSphere]:
    return synthesize(8, SEED, years=2)


@pytest.fixture
def store(db_url: str, spheres: list[SynthSphere]) -> Store:
    opened = Store.open(db_url)
    load_into(opened, spheres)
    return opened


def kept(store: Store) -> dict[str, dict[str, FieldUse]]:
    """Every sphere's compared fields as the store keeps them."""
    out: dict[str, dict[str, FieldUse]] = {}
    for title, _ in store.field_titles():
        for key, use in store.field_uses(title).items():
            out.setdefault(key, {})[title] = use
    return out


def computed(store: Store) -> dict[str, dict[str, FieldUse]]:
    """The same, computed from each sphere's newest vision as the comparison did before."""
    return {s.key: uses for s in store.spheres() if s.latest and (uses := field_uses(store.vision(s.key)))}


def test_the_kept_fields_are_those_of_each_newest_vision(store: Store) -> None:
    with store:
        assert kept(store) == computed(store)
        totals = {t.field: t for t in store.field_overview()}
        per_field = Counter(title for uses in computed(store).values() for title in uses)
        assert {title: t.spheres for title, t in totals.items()} == dict(per_field)
        for title, total in totals.items():
            uses = [u[title] for u in computed(store).values() if title in u]
            assert total.projects == sum(u.projects for u in uses)
            assert total.towns == sum(u.towns for u in uses)


def test_a_new_revision_rewrites_only_its_sphere(store: Store, spheres: list[SynthSphere]) -> None:
    with store:
        sphere = spheres[3]
        before = others(store, sphere.key)
        was = kept(store)[sphere.key]
        vision = copy.deepcopy(sphere.revisions[-1].vision)
        moved = vision.projects[0]
        # Its first project moves to a field another sphere uses and this one may not, and loses its towns.
        other = next(p.field for s in spheres for p in s.revisions[-1].vision.projects if p.field != moved.field)
        moved.field = other
        store.import_vision(
            vision,
            sphere_spec(sphere),
            author="test",
            message="moved",
            effective_on=store.revision(sphere.key).effective_on + datetime.timedelta(days=1),
        )
        after = others(store, sphere.key)
        assert after == before
        assert kept(store) == computed(store)
        assert kept(store)[sphere.key] == field_uses(vision) != was


def test_an_older_database_is_backfilled(store: Store) -> None:
    with store:
        expected = kept(store)
        hits = store.search("観光", limit=1000)
        command.downgrade(store.alembic_config(), "0005")
        command.upgrade(store.alembic_config(), "head")
    with Store.open(store.url) as reopened:
        assert kept(reopened) == expected
        assert reopened.search("観光", limit=1000) == hits


def others(store: Store, key: str) -> dict[tuple[int, str], tuple[int, int]]:
    """The kept rows of every sphere but one, with the revision each was written for."""
    with store.read() as session:
        rows = session.scalars(select(FieldUseRow).where(FieldUseRow.sphere_id != _id(store, key)))
        return {(r.sphere_id, r.field): (r.revision_id, r.projects) for r in rows}


def _id(store: Store, key: str) -> int:
    with store.read() as session:
        return int(session.execute(text("SELECT id FROM sphere WHERE key = :k"), {"k": key}).scalar_one())


def queries(store: Store) -> list[str]:
    """Words of every length taken from the projects' own text, in other cases and widths, and queries that
    LIKE or FTS5 would read as syntax."""
    rng = random.Random(SEED)
    texts = [p.name for s in store.spheres() if s.latest for p in store.vision(s.key).projects]
    texts += [p.description for s in store.spheres() if s.latest for p in store.vision(s.key).projects][:50]
    chosen: list[str] = []
    for length in (1, 1, 2, 2, 2, 3, 3, 4, 6):
        source = rng.choice([t for t in texts if len(t) >= length])
        start = rng.randrange(len(source) - length + 1)
        chosen.append(source[start : start + length])
    return [*chosen, "観光", "交流", "市", "ＩＣＴ", "ict", "%", "_", '"', "a%b", "AND", "存在しない語句ですね"]


def test_search_finds_what_a_substring_test_finds(store: Store) -> None:
    with store:
        with store.read() as session:
            docs = load(session)
        for query in queries(store):
            expected, total = rank(docs, query, limit=10_000)
            hits, found = store.search(query, limit=10_000)
            assert found == total, query
            assert [h.score for h in hits] == [h.score for h in expected], query
            assert len(hits) == len({(h.sphere, h.number) for h in hits})
            # Each hit contains the query, and every project containing it is a hit.
            q = normalize(query).strip()
            assert all(q in normalize(h.name) or q in normalize(h.description) for h in hits), query
            page, _ = store.search(query, limit=3, offset=2)
            assert page == hits[2:5], query


def test_facets_count_the_hits_the_other_facets_leave(store: Store) -> None:
    with store:
        for query in ("市", "交流", "観光", queries(store)[5]):
            every = facet_search(store, query)
            assert every.total == len(every.hits)
            assert sum(n for _, n in every.kinds) == every.total
            assert sum(n for _, n in every.prefectures) == every.total
            assert sum(n for _, n in every.fields) == sum(1 for h in every.hits if h.field)
            if not every.hits:
                continue
            kind, prefecture = every.hits[-1].kind, every.hits[-1].prefecture
            narrowed = facet_search(store, query, kind, prefecture)
            assert [h.hit for h in narrowed.hits] == [
                h.hit for h in every.hits if h.kind == kind and h.prefecture == prefecture
            ]
            # The kind facet counts over the hits of that prefecture, whatever kind is chosen.
            assert dict(narrowed.kinds) == dict(Counter(h.kind for h in every.hits if h.prefecture == prefecture))
            page = facet_search(store, query, kind, prefecture, limit=2, offset=1)
            assert page.hits == narrowed.hits[1:3] and page.total == narrowed.total


def test_the_search_has_its_trigram_index(store: Store) -> None:
    with store, store.engine.connect() as connection:
        if connection.dialect.name == "sqlite":
            # The FTS5 table holds a row per searchable project, and a three-character query goes through it.
            docs = connection.exec_driver_sql("SELECT count(*) FROM search_doc").scalar_one()
            indexed = connection.exec_driver_sql("SELECT count(*) FROM search_fts").scalar_one()
            assert docs == indexed > 0
            plan = connection.exec_driver_sql(
                "EXPLAIN QUERY PLAN SELECT rowid FROM search_fts WHERE search_fts MATCH '\"観光振\"'"
            ).all()
            assert any("VIRTUAL TABLE INDEX" in str(row) for row in plan)
        else:
            found = connection.execute(
                text(
                    "SELECT indexdef FROM pg_indexes WHERE tablename = 'search_doc' AND indexdef LIKE :opclass"
                    " AND schemaname = current_schema()"
                ),
                {"opclass": "%gin_trgm_ops%"},
            ).all()
            assert len(found) == 2
