"""Bulk import (Store.import_many, ``renkei import --manifest``): the registry it leaves is the one that importing
each revision in its own transaction leaves, on SQLite and PostgreSQL; and the whole set is all or nothing."""

from __future__ import annotations

import dataclasses
import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from clirun import run
from conftest import DbFactory, rows_of
from renkei.ingest import read_path
from renkei.national.manifest import MANIFEST, read_manifest
from renkei.store import Batched, Store, load_into, sphere_spec
from renkei.synthetic.synth import SynthRevision, SynthSphere, synthesize, write_files

SEED = 77


@pytest.fixture(scope="module")
def spheres() -> list[SynthSphere]:
    return synthesize(3, SEED)


@pytest.fixture(scope="module")
def files(spheres: list[SynthSphere], tmp_path_factory: pytest.TempPathFactory) -> Path:
    directory = tmp_path_factory.mktemp("manifest")
    write_files(spheres, directory)
    return directory


def as_synth_writes(sphere: SynthSphere, revision: SynthRevision) -> Batched:
    """A revision with what ``renkei synth --db`` stores with it."""
    return Batched(
        revision.vision,
        sphere_spec(sphere),
        author="renkei synth",
        message=revision.message,
        effective_on=revision.effective_on,
        source_name=f"{sphere.key}/{revision.file_name}",
    )


def import_one(store: Store, item: Batched) -> None:
    """One revision in a transaction of its own, as ``renkei import FILE`` does."""
    store.import_vision(
        item.vision,
        item.spec,
        author=item.author,
        message=item.message,
        effective_on=item.effective_on,
        source_name=item.source_name,
    )


def one_by_one(store: Store, spheres: list[SynthSphere]) -> None:
    for sphere in spheres:
        for revision in sphere.revisions:
            import_one(store, as_synth_writes(sphere, revision))


def snapshot(store: Store) -> dict[str, Any]:
    """What a reader of the registry sees, creation times aside: spheres, every revision's metadata and table,
    each project's identity through the revisions (its history), and a search."""
    seen: dict[str, Any] = {}
    for info in store.spheres():
        history = store.history(info.key)
        revisions = [dataclasses.replace(r, created_at=None) for r in history]
        visions = [store.vision(info.key, r.number) for r in history]
        newest = visions[-1]
        identities = {
            p.number: [(r.number, q.number, q.name) for r, q in store.project_history(info.key, p.number)]
            for p in newest.projects
        }
        sphere = dataclasses.replace(info, latest=None)
        # The newest revision's project list kept as the API's JSON (store.projectlist), the older ones' not.
        kept = [store.project_list(info.key, r.number) for r in history]
        assert [k is not None for k in kept] == [r.number == history[-1].number for r in history]
        seen[info.key] = (sphere, revisions, visions, identities, kept)
    hits, total = store.search("観光", limit=1000)
    seen["search"] = (sorted((h.sphere, h.revision, h.number, h.score) for h in hits), total)
    return seen


def test_bulk_import_leaves_the_registry_of_one_transaction_each(
    spheres: list[SynthSphere], db_factory: DbFactory
) -> None:
    with Store.open(db_factory()) as each, Store.open(db_factory()) as bulk:
        one_by_one(each, spheres)
        assert load_into(bulk, spheres) == sum(len(s.revisions) for s in spheres)
        expected, got = snapshot(each), snapshot(bulk)
    assert got == expected
    # The synthetic registry renumbers and renames projects: identities must have been carried over.
    renamed = [
        ids
        for _, _, _, identities, _ in (v for k, v in expected.items() if k != "search")
        for ids in identities.values()
        if len({(n, name) for _, n, name in ids}) > 1
    ]
    assert renamed, "the fixture should exercise renumbering or renaming"


def test_a_bulk_import_written_a_sphere_at_a_time_leaves_the_same_registry(
    spheres: list[SynthSphere], db_factory: DbFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The rows written at every sphere's end (the smallest flush), and the spheres' revisions interleaved, so
    that a sphere met again after its rows were written (and forgotten) goes on from what the database holds."""
    monkeypatch.setattr("renkei.store.bulk.FLUSH_ROWS", 1)
    interleaved = [
        as_synth_writes(sphere, sphere.revisions[k])
        for k in range(max(len(s.revisions) for s in spheres))
        for sphere in spheres
        if k < len(sphere.revisions)
    ]
    assert len({item.spec.key for item in interleaved[: len(spheres)]}) == len(spheres)
    with Store.open(db_factory()) as each, Store.open(db_factory()) as bulk:
        one_by_one(each, spheres)
        results = bulk.import_many(interleaved)
        assert all(r.created for r in results) and len(results) == sum(len(s.revisions) for s in spheres)
        assert snapshot(bulk) == snapshot(each)


def test_bulk_import_continues_a_sphere_and_skips_unchanged_content(
    spheres: list[SynthSphere], db_factory: DbFactory
) -> None:
    sphere = spheres[0]
    first, *rest = sphere.revisions
    with Store.open(db_factory()) as each, Store.open(db_factory()) as bulk:
        one_by_one(each, [sphere])
        import_one(bulk, as_synth_writes(sphere, first))
        items = [as_synth_writes(sphere, r) for r in rest]
        # The newest content again, at the end: no revision for it.
        results = bulk.import_many([*items, dataclasses.replace(items[-1], message="again")])
        assert [r.created for r in results] == [True] * len(rest) + [False]
        assert results[-1].revision.number == len(sphere.revisions)
        assert snapshot(bulk) == snapshot(each)
        # The store goes on from where the bulk import left it.
        changed = dataclasses.replace(first.vision, projects=first.vision.projects[:-1])
        after = bulk.import_vision(changed, sphere_spec(sphere), message="after")
        assert after.created and after.revision.number == len(sphere.revisions) + 1


def test_manifest_import_reads_the_files_as_import_does(
    spheres: list[SynthSphere], files: Path, db_factory: DbFactory
) -> None:
    each_url, bulk_url = db_factory(), db_factory()
    with Store.open(each_url) as each:
        for sphere, line in zip(spheres, read_manifest(files), strict=True):
            for revision in line.revisions:
                each.import_reading(
                    read_path(revision.path),
                    sphere_spec(sphere),
                    author="tester",
                    message=revision.message,
                    effective_on=revision.effective_on,
                )
        expected = snapshot(each)
    result = run("import", "--manifest", files, "--jobs", "2", "--author", "tester", "--db", bulk_url)
    assert result.returncode == 0, result.stderr
    revisions = sum(len(s.revisions) for s in spheres)
    assert f"{len(spheres)} 圏域の {revisions} 版を一つのトランザクションで取り込みました" in result.stdout
    with Store.open(bulk_url) as bulk:
        assert snapshot(bulk) == expected
    again = run("--lang", "en", "import", "--manifest", files / MANIFEST, "--db", bulk_url)
    assert again.returncode == 0, again.stderr
    assert f"Imported 0 revisions of 0 spheres in one transaction ({revisions} unchanged)" in " ".join(
        again.stdout.split()
    )


def broken_copy(files: Path, tmp_path: Path, spheres: list[SynthSphere]) -> tuple[Path, Path]:
    """A copy of the set whose last sphere's last file has one ○ fewer than its counts say."""
    copy = tmp_path / "set"
    shutil.copytree(files, copy)
    target = copy / spheres[-1].key / spheres[-1].revisions[-1].file_name
    lines = target.read_text(encoding="utf-8").splitlines(keepends=True)
    row = next(i for i, line in enumerate(lines) if line.split("\t")[0].strip().isdigit() and "○" in line)
    lines[row] = lines[row].replace("○", "", 1)
    target.write_text("".join(lines), encoding="utf-8")
    return copy, target


def test_a_file_with_errors_refuses_the_whole_manifest(
    spheres: list[SynthSphere], files: Path, tmp_path: Path, db_url: str
) -> None:
    copy, target = broken_copy(files, tmp_path, spheres)
    refused = run("--lang", "en", "import", "--manifest", copy, "--db", db_url)
    assert refused.returncode == 1
    said = " ".join(refused.stderr.split())
    assert target.name in said and "Nothing of the manifest was imported" in said
    assert "count" in refused.stdout  # the file's findings are shown
    with Store.open(db_url) as store:
        assert store.spheres() == []
    forced = run("import", "--manifest", copy, "--db", db_url, "--force")
    assert forced.returncode == 0, forced.stderr
    with Store.open(db_url) as store:
        newest = store.history(spheres[-1].key)[-1]
        assert any(f["severity"] == "error" for f in newest.findings)
        assert len(store.spheres()) == len(spheres)


def test_an_unreadable_file_or_manifest_writes_nothing(
    spheres: list[SynthSphere], files: Path, tmp_path: Path, db_url: str
) -> None:
    copy, target = broken_copy(files, tmp_path, spheres)
    target.write_bytes(b"\x00\x01\x02PK\x03junk" * 50)
    result = run("--lang", "en", "import", "--manifest", copy, "--db", db_url)
    assert result.returncode == 2
    said = "".join(result.stderr.split())
    assert f"renkei:{target}:Thisisabinaryfile" in said, said
    with Store.open(db_url) as store:
        assert store.spheres() == []

    manifest = copy / MANIFEST
    lines = manifest.read_text(encoding="utf-8").splitlines()
    lines[1] = lines[1][:-5]
    manifest.write_text("\n".join(lines) + "\n", encoding="utf-8")
    bad = run("--lang", "en", "import", "--manifest", copy, "--db", db_url)
    assert bad.returncode == 2
    assert "Line 2 of the manifest" in " ".join(bad.stderr.split())

    data = json.loads(lines[0])
    del data["kind"]
    manifest.write_text(json.dumps(data, ensure_ascii=False) + "\n", encoding="utf-8")
    missing = run("--lang", "en", "import", "--manifest", copy, "--db", db_url)
    assert missing.returncode == 2 and "missing kind" in " ".join(missing.stderr.split())

    absent = run("--lang", "en", "import", "--manifest", tmp_path / "nowhere", "--db", db_url)
    assert absent.returncode == 2 and "There is no manifest" in " ".join(absent.stderr.split())
    with_files = run("--lang", "en", "import", "--manifest", copy, target, "--db", db_url)
    assert with_files.returncode == 2 and "--manifest is given alone" in " ".join(with_files.stderr.split())
    with Store.open(db_url) as store:
        assert store.spheres() == []


def test_a_manifest_imports_again_as_it_grows(
    spheres: list[SynthSphere], files: Path, tmp_path: Path, db_url: str
) -> None:
    copy = tmp_path / "set"
    shutil.copytree(files, copy)
    manifest = copy / MANIFEST
    lines = manifest.read_text(encoding="utf-8").splitlines()
    first = json.loads(lines[0])
    grown = first["revisions"]
    first["revisions"] = grown[:-1]  # the first sphere's newest revision is not listed yet
    manifest.write_text("\n".join([json.dumps(first, ensure_ascii=False), *lines[1:]]) + "\n", encoding="utf-8")
    assert run("import", "--manifest", copy, "--db", db_url).returncode == 0

    first["revisions"] = grown
    manifest.write_text("\n".join([json.dumps(first, ensure_ascii=False), *lines[1:]]) + "\n", encoding="utf-8")
    total = sum(len(s.revisions) for s in spheres)
    result = run("--lang", "en", "import", "--manifest", copy, "--db", db_url)
    assert result.returncode == 0, result.stderr
    assert f"Imported 1 revisions of 1 spheres in one transaction ({total - 1} unchanged)" in " ".join(
        result.stdout.split()
    )
    with Store.open(db_url) as store:
        assert [r.number for r in store.history(spheres[0].key)] == list(range(1, len(grown) + 1))

    # A file listed in the place of a stored revision but with other content: refused, nothing written.
    changed = copy / grown[0]["file"]
    text = changed.read_text(encoding="utf-8")
    changed.write_text(text.replace("。", "．", 1), encoding="utf-8")
    diverged = run("--lang", "en", "import", "--manifest", copy, "--db", db_url)
    assert diverged.returncode == 2
    said = " ".join(diverged.stderr.split())
    assert f"differs from revision 1 of {spheres[0].key}" in said, said
    with Store.open(db_url) as store:
        assert len(store.history(spheres[0].key)) == len(grown)


def field_use_rows(store: Store) -> list[tuple[Any, ...]]:
    """The compared fields kept on write (``field_use``), every column but the row's id, in a stable order."""
    from sqlalchemy import select

    from renkei.store.schema import FieldUseRow

    columns = [c for c in FieldUseRow.__table__.columns if c.name != "id"]
    with store.engine.connect() as connection:
        rows = connection.execute(select(*columns)).all()
    return sorted((tuple(r) for r in rows), key=repr)


def test_a_bulk_import_with_budgets_and_kpis_leaves_the_registry_of_one_transaction_each(
    db_factory: DbFactory,
) -> None:
    """With budgets and KPIs (their payloads written as text once, their figures summed from memory), the
    registry is the one that single imports leave: the same tables, budgets and KPIs read back, the same
    identities, and the same compared fields as recomputed from the stored payloads."""
    from renkei.store import aggregates

    spheres = synthesize(3, SEED, with_budgets=True)
    assert any(p.budgets and p.kpis for s in spheres for r in s.revisions for p in r.vision.projects)
    with Store.open(db_factory()) as each, Store.open(db_factory()) as bulk:
        one_by_one(each, spheres)
        load_into(bulk, spheres)
        assert snapshot(bulk) == snapshot(each)
        for sphere in spheres:
            newest = bulk.vision(sphere.key, len(sphere.revisions))
            want = sphere.revisions[-1].vision.projects
            assert [(p.budgets, p.kpis) for p in newest.projects] == [(p.budgets, p.kpis) for p in want]
        kept = field_use_rows(bulk)
        assert kept == field_use_rows(each)
        assert any(row for row in kept if None not in row)  # a field with a budget sum among them
        with bulk.engine.begin() as connection:
            aggregates.backfill(connection)  # the figures read back from the payloads, not from memory
        assert field_use_rows(bulk) == kept


def _keys_of_marks(url: str) -> list[tuple[str, str]]:
    """The foreign keys of the table of marks as PostgreSQL holds them: (name, definition)."""
    sql = (
        "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint"
        " WHERE conrelid = to_regclass('participation') AND contype = 'f' ORDER BY conname"
    )
    return [(str(name), str(definition)) for name, definition in rows_of(url, sql)]


def test_a_first_load_on_postgresql_checks_every_mark_and_keeps_the_keys(
    postgres_url: str, spheres: list[SynthSphere]
) -> None:
    """A registry's first load on PostgreSQL sets the marks' foreign keys aside and checks every mark at once at
    the end: afterwards the keys are the ones the schema made, and they hold (a mark of no municipality is
    refused); a load that fails half-way leaves them too, and writes nothing."""
    from sqlalchemy.exc import IntegrityError

    with Store.open(postgres_url) as store:
        made = _keys_of_marks(postgres_url)
        assert {definition.split(" REFERENCES ")[1].split("(")[0] for _, definition in made} == {
            "municipality",
            "revision_project",
        }

        def failing() -> Any:
            yield as_synth_writes(spheres[0], spheres[0].revisions[0])
            yield as_synth_writes(spheres[1], spheres[1].revisions[0])
            raise RuntimeError("the reader failed half-way")

        with pytest.raises(RuntimeError):
            store.import_many(failing())
        assert _keys_of_marks(postgres_url) == made
        assert store.spheres() == []

        load_into(store, spheres)
        assert _keys_of_marks(postgres_url) == made
        with store.write() as session, pytest.raises(IntegrityError):
            session.connection().exec_driver_sql(
                "INSERT INTO participation (revision_project_id, municipality_id, role)"
                " SELECT min(id), -1, 'member' FROM revision_project"
            )
