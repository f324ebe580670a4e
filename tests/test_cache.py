"""Kept answers (renkei.core.cache) and the store's scoped generations: bounded, single-flight, and per sphere, so
that a publish in one sphere leaves every other sphere's answers in memory while its own show the new revision
at once, in every process reading the database."""

from __future__ import annotations

import asyncio
import dataclasses
import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import event

from renkei.core.cache import Answers
from renkei.ingest import read_sample
from renkei.store import SphereSpec, Store
from renkei.vision.model import Vision

A, B = "sphere-a", "sphere-b"


# Answers -----------------------------------------------------------------------------------------------------


def test_an_answer_is_served_only_at_the_generation_it_was_computed_at() -> None:
    answers: Answers[str] = Answers(10)
    answers.put("k", (1, 1), "one")
    assert answers.get("k", (1, 1)) == "one"
    assert answers.get("k", (2, 2)) is None
    answers.put("k", (2, 2), "two")
    assert (answers.get("k", (2, 2)), answers.get("k", (1, 1)), len(answers)) == ("two", None, 1)


def test_the_least_recently_used_go_first_past_the_count() -> None:
    answers: Answers[str] = Answers(2)
    answers.put("a", 0, "a")
    answers.put("b", 0, "b")
    assert answers.get("a", 0) == "a"  # now b is the least recently used
    answers.put("c", 0, "c")
    assert [answers.get(k, 0) for k in "abc"] == ["a", None, "c"]


def test_bytes_bound_the_answers_together_and_one_too_large_is_never_kept() -> None:
    answers: Answers[bytes] = Answers(100, total=10, largest=6, size=len)
    answers.put("big", 0, b"x" * 7)
    assert answers.get("big", 0) is None
    for key in "abc":
        answers.put(key, 0, b"x" * 4)
    assert [answers.get(k, 0) is not None for k in "abc"] == [False, True, True]
    assert answers.bytes == 8
    answers.put("b", 0, b"x")  # a replacement counts its own size only
    assert answers.bytes == 5


def test_concurrent_misses_of_one_key_compute_it_once() -> None:
    answers: Answers[str] = Answers(10)
    calls = 0
    release = threading.Event()

    def compute() -> str:
        nonlocal calls
        calls += 1
        release.wait(5)
        return "answer"

    got: list[str] = []
    threads = [threading.Thread(target=lambda: got.append(answers.get_or_compute("k", 1, compute))) for _ in range(8)]
    for thread in threads:
        thread.start()
    time.sleep(0.2)  # every thread has asked by now: one computes, seven wait
    release.set()
    for thread in threads:
        thread.join(5)
    assert (calls, got) == (1, ["answer"] * 8)
    assert answers.get("k", 1) == "answer"


def test_waiters_compute_their_own_when_the_leader_fails_and_an_unkept_answer_still_reaches_them() -> None:
    answers: Answers[str] = Answers(10)
    asked = answers.ask("k", 1)
    follower = answers.ask("k", 1)
    assert (asked.leader, follower.leader, follower.flight is asked.flight) == (True, False, True)
    assert asked.flight is not None and follower.flight is not None
    answers.land(asked.flight, None)  # the leader failed
    assert follower.flight.wait(1) is None
    assert answers.get_or_compute("k", 1, lambda: "own") == "own"

    again = answers.ask("j", 1)
    waiting = answers.ask("j", 1)
    assert again.flight is not None and waiting.flight is not None
    answers.land(again.flight, "fresh", keep=False)
    assert (waiting.flight.wait(1), answers.get("j", 1)) == ("fresh", None)


def test_a_coroutine_waits_for_a_flight_without_holding_a_thread() -> None:
    answers: Answers[str] = Answers(10)
    leader = answers.ask("k", 1)
    follower = answers.ask("k", 1)
    assert leader.flight is not None and follower.flight is not None
    flight = follower.flight

    async def wait() -> str | None:
        return await flight.wait_async(5)

    threading.Timer(0.1, lambda: answers.land(leader.flight, "answer")).start()  # type: ignore[arg-type]
    assert asyncio.run(wait()) == "answer"


# Scoped generations ----------------------------------------------------------------------------------------


def _renamed(vision: Vision, name: str) -> Vision:
    first = dataclasses.replace(vision.projects[0], name=name)
    return dataclasses.replace(vision, projects=[first, *vision.projects[1:]])


@pytest.fixture
def two_spheres(db_url: str) -> Iterator[tuple[Store, Store]]:
    """Two spheres of the sample, and two stores over the database (two worker processes, as it were)."""
    with Store.open(db_url) as writer, Store.open(db_url) as reader:
        for key in (A, B):
            writer.import_reading(read_sample(), SphereSpec(key=key), message="sample")
        yield writer, reader


class Statements:
    """The statements a store's engine runs: a read answered from memory runs none (the generation is asked on a
    connection of its own on SQLite, and is excluded here on PostgreSQL)."""

    def __init__(self, store: Store) -> None:
        self.seen: list[str] = []

        def before(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
            # The generation, asked as text.
            if not statement.startswith("SELECT max(id), count(id),"):
                self.seen.append(statement)

        event.listen(store.engine, "before_cursor_execute", before)


def _read_all(store: Store, key: str) -> tuple[object, ...]:
    newest = store.sphere(key).latest
    assert newest is not None
    return (
        store.sphere(key),
        store.history(key),
        store.revision(key),
        store.vision(key).projects[0].name,
        store.project_history(key, store.vision(key).projects[0].number),
        store.diff(key, 1, newest.number),
    )


def test_a_publish_in_one_sphere_leaves_the_others_answers_in_memory(two_spheres: tuple[Store, Store]) -> None:
    writer, reader = two_spheres
    before = _read_all(reader, B), _read_all(reader, A)
    statements = Statements(reader)
    assert (_read_all(reader, B), _read_all(reader, A)) == before
    assert statements.seen == []

    sample = read_sample().vision
    renamed = _renamed(sample, sample.projects[0].name + "（改）")
    writer.import_vision(renamed, SphereSpec(key=A), message="another process's publish")

    assert _read_all(reader, B) == before[0]
    assert statements.seen == [], "B's answers were read again after a revision of A"
    # A's own answers show the new revision at once, in the process that did not write it.
    latest = reader.sphere(A).latest
    assert latest is not None and latest.number == 2
    assert [r.number for r in reader.history(A)] == [1, 2]
    assert reader.vision(A).projects[0].name == renamed.projects[0].name
    assert statements.seen, "A's answers came from memory after its revision"


def test_a_new_sphere_replacing_another_shows_on_the_replaced_one_at_once(two_spheres: tuple[Store, Store]) -> None:
    writer, reader = two_spheres
    assert reader.sphere(B).replaced_by is None
    writer.import_reading(read_sample(), SphereSpec(key="sphere-c", name="後継圏", replaces=B), message="successor")
    assert reader.sphere(B).replaced_by == "sphere-c"


def test_the_registry_wide_reads_move_with_any_sphere(two_spheres: tuple[Store, Store]) -> None:
    writer, reader = two_spheres
    found = {s.key: s.latest.number if s.latest else 0 for s in reader.spheres()}
    sample = read_sample().vision
    writer.import_vision(_renamed(sample, "全く新しい名前の事業"), SphereSpec(key=A), message="renamed")
    assert {s.key: s.latest.number if s.latest else 0 for s in reader.spheres()} == {**found, A: found[A] + 1}
    hits, total = reader.search("全く新しい名前の事業")
    assert (total, [h.sphere for h in hits]) == (1, [A])
