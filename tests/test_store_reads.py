"""Reading the store back: revisions, visions, dates in force, history, identities, and search."""

from __future__ import annotations

import datetime

import pytest

from renkei.ingest import Reading
from renkei.store import SphereSpec, Store, StoreError, highlight
from seedfacts import SeedFacts
from store_support import FIRST, KEY, OKAYAMA, OKAYAMA_ROWS, SECOND, SUCCESSOR
from storedata import (
    REMOVED,
    RENAMED,
    Edited,
    description_of,
)

pytest_plugins = ["store_support"]  # the shared fixtures


# 5. Reading revisions back ----------------------------------------------------------------------------------


def test_vision_reads_back_equal(two_revisions: Store, seed_reading: Reading, edited_reading: Reading) -> None:
    one, two = two_revisions.vision(KEY, 1), two_revisions.vision(KEY, 2)
    assert one == seed_reading.vision
    assert two == edited_reading.vision
    assert two_revisions.vision(KEY) == two
    # Declared figures, which equality covers, spelled out: they are what the document printed.
    assert one.declared_grand_total == seed_reading.vision.declared_grand_total
    assert one.declared_totals == seed_reading.vision.declared_totals
    assert [p.declared_count for p in one.projects] == [p.declared_count for p in seed_reading.vision.projects]


def test_as_of_a_date_picks_the_revision_in_force(
    two_revisions: Store, seed_reading: Reading, edited_reading: Reading
) -> None:
    day = datetime.timedelta(days=1)
    assert two_revisions.vision(KEY, as_of=FIRST) == seed_reading.vision
    assert two_revisions.vision(KEY, as_of=SECOND - day) == seed_reading.vision
    assert two_revisions.vision(KEY, as_of=SECOND) == edited_reading.vision
    assert two_revisions.vision(KEY, as_of=SECOND + 3650 * day) == edited_reading.vision
    assert two_revisions.revision(KEY, as_of=SECOND - day).number == 1
    with pytest.raises(StoreError) as before_any:
        two_revisions.vision(KEY, as_of=FIRST - day)
    assert before_any.value.code == "revision-unknown"


def test_history_records_who_when_why_and_from_what(two_revisions: Store, seed_bytes: bytes) -> None:
    import hashlib

    first, second = two_revisions.history(KEY)
    assert (first.message, second.message) == ("seed", "edited")
    assert (first.effective_on, second.effective_on) == (FIRST, SECOND)
    assert first.source_sha256 == hashlib.sha256(seed_bytes).hexdigest()
    assert second.source_name == "edited.txt"
    assert first.created_at.tzinfo is not None and first.created_at <= second.created_at
    assert first.author and first.content_hash != second.content_hash


def test_a_renamed_project_keeps_its_identity(two_revisions: Store, edited: Edited) -> None:
    history = two_revisions.project_history(KEY, RENAMED, 2)
    assert [(info.number, p.name) for info, p in history] == [(1, edited.old_name), (2, edited.new_name)]
    (only,) = two_revisions.project_history(KEY, REMOVED, 1)
    assert only[0].number == 1


def test_unknown_sphere_and_revision(two_revisions: Store) -> None:
    for call in (lambda: two_revisions.history("nowhere"), lambda: two_revisions.vision(KEY, 99)):
        with pytest.raises(StoreError) as error:
            call()
        assert error.value.code in {"sphere-unknown", "revision-unknown"}


# 8. Search --------------------------------------------------------------------------------------------------


def containing(seed_text: str, facts: SeedFacts, word: str) -> set[int]:
    """The present projects whose name or description contains ``word``, read from the seed's text."""
    return {r.number for r in facts.rows if word in r.name or word in description_of(seed_text, facts, r.number)}


def hit_numbers(store: Store, query: str) -> list[int]:
    hits, total = store.search(query)
    assert total == len(hits)
    assert all(h.sphere == KEY for h in hits)
    return [h.number for h in hits]


@pytest.fixture
def seeded(store: Store, seed_reading: Reading) -> Store:
    store.import_reading(seed_reading, SphereSpec(key=KEY))
    return store


@pytest.mark.parametrize("word", ["観光", "交流"])
def test_search_finds_exactly_the_projects_containing_a_two_character_word(
    seeded: Store, seed_text: str, facts: SeedFacts, word: str
) -> None:
    assert len(word) == 2
    expected = containing(seed_text, facts, word)
    assert expected, f"the seed should contain {word}"
    found = hit_numbers(seeded, word)
    assert sorted(found) == sorted(expected)
    hits, _ = seeded.search(word)
    # Ranked: a project naming the word comes before those that only describe it.
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)
    named = [h.number for h in hits if word in h.name]
    assert found[: len(named)] == named
    for h in hits:
        assert (h.name, h.revision) == (facts.row(h.number).name, 1)
        assert h.description == description_of(seed_text, facts, h.number)


def test_search_folds_full_width_and_case(seeded: Store, seed_text: str, facts: SeedFacts) -> None:
    expected = containing(seed_text, facts, "ICT")
    assert expected and "ＩＣＴ" not in seed_text
    for query in ("ＩＣＴ", "ict", "ICT", "ｉｃｔ"):
        assert sorted(hit_numbers(seeded, query)) == sorted(expected), query


def test_search_with_one_character_falls_back(seeded: Store, seed_text: str, facts: SeedFacts) -> None:
    expected = containing(seed_text, facts, "農")
    assert expected
    assert sorted(hit_numbers(seeded, "農")) == sorted(expected)


def test_search_without_a_match_finds_nothing(seeded: Store, seed_text: str) -> None:
    for query in ("潜水艦", "艦", "観光船", " "):
        assert query.strip() not in seed_text or not query.strip()
        assert seeded.search(query) == ([], 0)


def test_search_sees_only_the_newest_revision(two_revisions: Store, edited: Edited, facts: SeedFacts) -> None:
    removed = facts.row(REMOVED).name
    assert two_revisions.search(removed) == ([], 0)
    hits, _ = two_revisions.search(edited.new_name)
    assert [(h.number, h.revision) for h in hits] == [(RENAMED, 2)]


def test_search_spans_spheres(populated: Store, seed_text: str, facts: SeedFacts) -> None:
    hits, _ = populated.search("観光")
    by_sphere: dict[str, set[int]] = {}
    for h in hits:
        by_sphere.setdefault(h.sphere, set()).add(h.number)
    okayama = {r.number for r in OKAYAMA_ROWS if "観光" in r.name + r.description}
    assert by_sphere[OKAYAMA.key or ""] == okayama
    assert set(by_sphere) == {KEY, OKAYAMA.key, SUCCESSOR}


def marked_positions(text: str, query: str) -> set[int]:
    positions, at = set(), 0
    for piece, hit in highlight(text, query):
        if hit:
            positions |= set(range(at, at + len(piece)))
        at += len(piece)
    return positions


def occurrences(text: str, word: str) -> set[int]:
    positions, start = set(), text.find(word)
    while start >= 0:
        positions |= set(range(start, start + len(word)))
        start = text.find(word, start + 1)
    return positions


def test_highlight_marks_exactly_the_occurrences(seed_text: str, facts: SeedFacts) -> None:
    checked = 0
    for r in facts.rows:
        for text in (r.name, description_of(seed_text, facts, r.number)):
            for word in ("観光", "交流", "ICT", "圏域"):
                pieces = highlight(text, word)
                assert "".join(p for p, _ in pieces) == text
                assert marked_positions(text, word) == occurrences(text, word)
                checked += bool(occurrences(text, word))
    assert checked
    text = next(d for r in facts.rows if "ICT" in (d := description_of(seed_text, facts, r.number)))
    assert marked_positions(text, "ＩＣＴ") == occurrences(text, "ICT") != set()
    wide = "ＩＣＴパークとICT"
    assert marked_positions(wide, "ict") == {0, 1, 2, 7, 8, 9}
    assert highlight("観光", "") == [("観光", False)]


# The list of spheres after a publish: brought up to date, equal to one read afresh ----------------------------


def test_the_list_of_spheres_after_a_publish_is_the_one_read_afresh(
    populated: Store, db_url: str, seed_reading: Reading, facts: SeedFacts
) -> None:
    before = {info.key: info for info in populated.spheres()}
    # Another process publishes a revision of one sphere, then a sphere of its own (the list grows).
    with Store.open(db_url) as other:
        assert other.import_reading(seed_reading, OKAYAMA, message="another table", force=True).created
        published = populated.spheres()
        with Store.open(db_url) as fresh:
            assert published == fresh.spheres()
        changed = {info.key: info for info in published}
        assert changed[OKAYAMA.key].latest is not None and before[OKAYAMA.key].latest is not None
        assert changed[OKAYAMA.key].latest.number == before[OKAYAMA.key].latest.number + 1
        assert {k: v for k, v in changed.items() if k != OKAYAMA.key} == {
            k: v for k, v in before.items() if k != OKAYAMA.key
        }
        other.import_reading(seed_reading, SphereSpec(key="another-sphere", name="別の圏域"))
        grown = populated.spheres()
        with Store.open(db_url) as fresh:
            assert grown == fresh.spheres()
        assert [info.key for info in grown] == sorted([*before, "another-sphere"])


def test_within_one_generation_a_read_stands_for_the_generation_asked_first(
    two_revisions: Store, db_url: str, seed_reading: Reading
) -> None:
    """A GET of published data asks each generation once (``one_generation``): a revision that another process
    publishes meanwhile is seen by the next read, not half-way through this one, and never after a stale one."""
    from renkei.store import one_generation

    with one_generation():
        asked = two_revisions.generation(KEY), two_revisions.generation()
        assert two_revisions.vision(KEY).edition.revision == 2
        with Store.open(db_url) as other:
            assert other.import_reading(seed_reading, SphereSpec(key=KEY), message="third", force=True).created
        # Within it: the generations asked first, and the answers kept at them.
        assert (two_revisions.generation(KEY), two_revisions.generation()) == asked
        assert two_revisions.vision(KEY).edition.revision == 2
    # The next read asks again and sees the new revision, in the process that read before and in a fresh one.
    assert two_revisions.generation(KEY) != asked[0] and two_revisions.generation() != asked[1]
    assert two_revisions.vision(KEY).edition.revision == 3
    with Store.open(db_url) as fresh:
        assert fresh.vision(KEY) == two_revisions.vision(KEY)
