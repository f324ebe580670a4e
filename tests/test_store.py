"""The registry (renkei.store), run once on SQLite and once on PostgreSQL: revisions, amendments, agreements,
gated and atomic imports, kill safety, backup, search, migrations and many spheres.

Every expectation about the seed is derived from the seed's text (``facts``, ``storedata``), never pasted.
"""

from __future__ import annotations

import csv
import datetime
import io
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import openpyxl
import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import func, inspect, select
from sqlalchemy.engine import make_url

import renkei.ingest
import renkei.report
import renkei.sample
from clirun import cli_env
from renkei.diff import Change, ChangeKind
from renkei.documents import agreement_document, amendments_document
from renkei.ingest import Reading
from renkei.model import Severity, Sphere, SphereKind
from renkei.municipalities import Registry
from renkei.render import render_document
from renkei.store import ImportRefused, SphereSpec, Store, StoreError
from renkei.store.backup import dump, restore
from renkei.store.faults import POINTS
from renkei.store.schema import Base, MunicipalityRow
from renkei.store.search import highlight
from seedfacts import SeedFacts
from storedata import (
    JOINED,
    REMOVED,
    RENAMED,
    Edited,
    TableRow,
    description_of,
    edited_seed,
    table_text,
    with_count_changed,
)

KEY = "kamikawa-chubu"
FIRST = datetime.date(2021, 4, 1)
SECOND = datetime.date(2022, 4, 1)
KILL_WAIT = 60.0

DbFactory = Callable[[], str]  # the db_factory fixture of conftest.py: a new, empty database of the backend


# Readings ---------------------------------------------------------------------------------------------------


def read_text(text: str, name: str) -> Reading:
    return renkei.ingest.read_bytes(text.encode("utf-8"), name, sphere=renkei.sample.sample_sphere())


@pytest.fixture(scope="module")
def seed_text(seed_bytes: bytes) -> str:
    return seed_bytes.decode("utf-8")


@pytest.fixture
def seed_reading(seed_path: Path) -> Reading:
    return renkei.ingest.read_path(seed_path, sphere=renkei.sample.sample_sphere())


@pytest.fixture(scope="module")
def edited(seed_text: str, facts: SeedFacts) -> Edited:
    return edited_seed(seed_text, facts)


@pytest.fixture
def edited_reading(edited: Edited) -> Reading:
    return read_text(edited.text, "edited.txt")


@pytest.fixture
def broken_reading(seed_text: str, facts: SeedFacts) -> Reading:
    """The seed with one declared 連携町数 that its marks contradict: an error finding."""
    reading = read_text(with_count_changed(seed_text, facts, facts.numbers[1]), "broken.txt")
    assert any(f.severity is Severity.ERROR for f in renkei.report.check_reading(reading).findings)
    return reading


def errors_of(reading: Reading) -> list[str]:
    return [f.code for f in renkei.report.check_reading(reading).findings if f.severity is Severity.ERROR]


# Stores -----------------------------------------------------------------------------------------------------


@pytest.fixture
def store(db_url: str) -> Iterator[Store]:
    with Store.open(db_url) as opened:
        yield opened


@pytest.fixture
def two_revisions(store: Store, seed_reading: Reading, edited_reading: Reading) -> Store:
    """The seed as revision 1 (in force from FIRST) and the edited copy as revision 2 (from SECOND)."""
    assert errors_of(edited_reading) == [], "the edited copy must stay free of errors"
    first = store.import_reading(seed_reading, SphereSpec(key=KEY), effective_on=FIRST, message="seed")
    second = store.import_reading(edited_reading, SphereSpec(key=KEY), effective_on=SECOND, message="edited")
    assert (first.created, second.created) == (True, True)
    assert (first.revision.number, second.revision.number) == (1, 2)
    return store


def row_counts(store: Store) -> dict[str, int]:
    """How many rows every table of the schema holds: 'writes nothing' means none of these moved."""
    with store.engine.connect() as connection:
        return {
            t.name: connection.scalar(select(func.count()).select_from(t)) or 0 for t in Base.metadata.sorted_tables
        }


def dump_text(store: Store) -> str:
    out = io.StringIO()
    dump(store, out)
    return out.getvalue()


def change_keys(changes: list[Change] | tuple[Change, ...]) -> list[tuple[ChangeKind, int | None, str | None]]:
    return sorted((c.kind, c.number, c.municipality) for c in changes)


def participants(facts: SeedFacts, number: int) -> list[str]:
    return [t for t, m in zip(facts.towns, facts.row(number).marks, strict=True) if m]


# 1. Amendments ----------------------------------------------------------------------------------------------


def test_diff_lists_exactly_the_three_changes(two_revisions: Store, edited: Edited, facts: SeedFacts) -> None:
    amendments = two_revisions.diff(KEY, 1, 2)
    assert change_keys(amendments.changes) == sorted(
        [
            (ChangeKind.JOINED, JOINED, edited.town),
            (ChangeKind.PROJECT_REMOVED, REMOVED, None),
            (ChangeKind.RENAMED, RENAMED, None),
        ]
    )
    by_kind = {c.kind: c for c in amendments.changes}
    assert by_kind[ChangeKind.JOINED].project == facts.row(JOINED).name
    assert by_kind[ChangeKind.PROJECT_REMOVED].project == facts.row(REMOVED).name
    renamed = by_kind[ChangeKind.RENAMED]
    assert (renamed.before, renamed.after) == (edited.old_name, edited.new_name)
    # The opposite direction undoes each of them; a revision against itself has nothing to say.
    assert change_keys(two_revisions.diff(KEY, 2, 1).changes) == sorted(
        [
            (ChangeKind.LEFT, JOINED, edited.town),
            (ChangeKind.PROJECT_ADDED, REMOVED, None),
            (ChangeKind.RENAMED, RENAMED, None),
        ]
    )
    assert not two_revisions.diff(KEY, 2, 2)


def expected_by_municipality(edited: Edited, facts: SeedFacts) -> set[tuple[str, int, ChangeKind]]:
    """Each town sees its own join, and the changes to every project it takes part in (its 変更協定)."""
    rows = {(edited.town, JOINED, ChangeKind.JOINED)}
    rows |= {(t, REMOVED, ChangeKind.PROJECT_REMOVED) for t in participants(facts, REMOVED)}
    rows |= {(t, RENAMED, ChangeKind.RENAMED) for t in participants(facts, RENAMED)}
    return rows


def table_rows(data: bytes, fmt: str) -> list[list[str]]:
    """Every table row of a rendered document, each cell as text ('' for empty)."""
    if fmt == "csv":
        return [row for row in csv.reader(io.StringIO(data.decode("utf-8-sig"))) if row]
    if fmt == "xlsx":
        book = openpyxl.load_workbook(io.BytesIO(data))
        return [
            ["" if v is None else str(v) for v in row]
            for sheet in book.worksheets
            for row in sheet.iter_rows(values_only=True)
        ]
    assert fmt == "markdown"
    return [
        [cell.strip() for cell in line.strip().strip("|").split(" | ")]
        for line in data.decode("utf-8").splitlines()
        if line.startswith("| ")
    ]


def as_text(row: tuple[object, ...]) -> list[str]:
    return ["" if v is None else str(v) for v in row]


@pytest.mark.parametrize("by", ["project", "municipality"])
def test_amendment_documents_render_the_changes(
    two_revisions: Store, edited: Edited, facts: SeedFacts, by: str
) -> None:
    amendments = two_revisions.diff(KEY, 1, 2)
    document = amendments_document(amendments, "変更内容一覧", by=by)
    summary, *sheets = document.sheets
    rows = [row for sheet in sheets for row in sheet.rows]
    assert len(rows) == (3 if by == "project" else len(expected_by_municipality(edited, facts)))
    if by == "municipality":
        grouped = amendments.by_municipality()
        seen = {(name, c.number, c.kind) for name, changes in grouped.items() for c in changes}
        assert seen == expected_by_municipality(edited, facts)
        # A page per town with changes, under the town's name.
        assert [sheet.title for sheet in sheets] == list(grouped)
    texts = " ".join(str(v) for row in rows for v in row if v is not None)
    for needle in (edited.old_name, edited.new_name, facts.row(REMOVED).name):
        assert needle in texts
    assert edited.town in texts or edited.town in [sheet.title for sheet in sheets]
    for fmt in ("markdown", "csv", "xlsx"):
        rendered = table_rows(render_document(document, fmt), fmt)
        for sheet in (summary, *sheets):
            assert as_text(sheet.columns) in rendered, fmt
            for row in sheet.rows:
                assert as_text(row) in rendered, (fmt, row)


def test_agreement_document_renders(two_revisions: Store, facts: SeedFacts) -> None:
    vision, member = two_revisions.agreement(KEY, facts.towns[0], 1)
    document = agreement_document(vision, member.name, "協定")
    expected = [r for r in facts.rows if r.marks[0]]
    assert [row[0] for row in document.sheets[0].rows] == [r.number for r in expected]
    for fmt in ("markdown", "csv", "xlsx"):
        rows = table_rows(render_document(document, fmt), fmt)
        names = {cell for row in rows for cell in row}
        assert {r.name for r in expected} <= names, fmt


# 2. Agreements ----------------------------------------------------------------------------------------------


def test_first_towns_agreement_lists_its_present_projects(two_revisions: Store, facts: SeedFacts) -> None:
    town = facts.towns[0]
    expected = [r.number for r in facts.rows if r.marks[0]]
    vision, member = two_revisions.agreement(KEY, town, 1)
    assert member.name == town
    assert [p.number for p in vision.projects_of(member.name)] == expected
    # The same municipality by its 全国地方公共団体コード.
    entry = Registry.default().resolve(town, vision.sphere.prefecture).entry
    assert entry is not None and member.code == entry.code
    by_code, same = two_revisions.agreement(KEY, entry.code, 1)
    assert same == member
    assert [p.number for p in by_code.projects_of(same.name)] == expected


def test_agreement_follows_the_revision(two_revisions: Store, edited: Edited, facts: SeedFacts) -> None:
    index = facts.towns.index(edited.town)
    before = [r.number for r in facts.rows if r.marks[index] and r.number != REMOVED]
    vision, member = two_revisions.agreement(KEY, edited.town, 1)
    assert JOINED not in [p.number for p in vision.projects_of(member.name)]
    vision, member = two_revisions.agreement(KEY, edited.town, 2)
    assert [p.number for p in vision.projects_of(member.name)] == sorted([*before, JOINED])
    # The newest revision when none is named.
    assert two_revisions.agreement(KEY, edited.town)[0] == vision


def test_agreement_of_a_stranger_is_refused(two_revisions: Store) -> None:
    with pytest.raises(StoreError) as refused:
        two_revisions.agreement(KEY, "岡山市", 1)
    assert refused.value.code == "not-a-member"


# 3. Re-import -----------------------------------------------------------------------------------------------


def test_reimporting_the_same_file_adds_no_revision(store: Store, seed_path: Path) -> None:
    first = store.import_reading(renkei.ingest.read_path(seed_path, sphere=renkei.sample.sample_sphere()))
    assert first.created
    counts = row_counts(store)
    again = store.import_reading(
        renkei.ingest.read_path(seed_path, sphere=renkei.sample.sample_sphere()), SphereSpec(key=first.sphere)
    )
    assert again.created is False
    assert again.revision == first.revision
    assert len(store.history(first.sphere)) == 1
    assert row_counts(store) == counts


# 4. Gated imports -------------------------------------------------------------------------------------------


def test_a_file_with_errors_is_refused_and_writes_nothing(
    store: Store, seed_reading: Reading, broken_reading: Reading
) -> None:
    # Into an empty registry: no sphere appears.
    empty = row_counts(store)
    with pytest.raises(ImportRefused) as refused:
        store.import_reading(broken_reading, SphereSpec(key="new-sphere"))
    assert any(f.severity is Severity.ERROR for f in refused.value.findings)
    assert store.spheres() == []
    assert row_counts(store) == empty
    # Into an existing sphere: its history stays as it was.
    store.import_reading(seed_reading, SphereSpec(key=KEY))
    history, counts, before = store.history(KEY), row_counts(store), dump_text(store)
    with pytest.raises(ImportRefused):
        store.import_reading(broken_reading, SphereSpec(key=KEY))
    assert store.history(KEY) == history
    assert row_counts(store) == counts
    assert dump_text(store) == before


def test_forced_import_keeps_its_findings(store: Store, seed_reading: Reading, broken_reading: Reading) -> None:
    store.import_reading(seed_reading, SphereSpec(key=KEY))
    result = store.import_reading(broken_reading, SphereSpec(key=KEY), force=True, message="forced")
    assert result.created and result.revision.number == 2
    expected = renkei.report.check_reading(broken_reading).findings
    stored = store.revision(KEY, 2).findings
    assert [(f["severity"], f["code"], f["line"]) for f in stored] == [
        (f.severity.value, f.code, f.line) for f in expected
    ]
    assert "error" in {f["severity"] for f in stored}
    assert store.history(KEY)[-1].findings == stored
    assert store.vision(KEY, 2) == broken_reading.vision


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


# 6. Killed imports ------------------------------------------------------------------------------------------


def integrity(url: str) -> list[tuple[str, ...]]:
    path = make_url(url).database
    assert path
    connection = sqlite3.connect(path)
    try:
        return connection.execute("PRAGMA integrity_check").fetchall()
    finally:
        connection.close()


@pytest.mark.parametrize("point", POINTS)
def test_a_killed_import_leaves_the_previous_revision(
    db_url: str, point: str, seed_reading: Reading, edited: Edited, edited_reading: Reading, tmp_path: Path
) -> None:
    with Store.open(db_url) as before_kill:
        before_kill.import_reading(seed_reading, SphereSpec(key=KEY))
        before_dump, before_counts = dump_text(before_kill), row_counts(before_kill)
    table = tmp_path / "edited.txt"
    table.write_text(edited.text, encoding="utf-8")
    reached = tmp_path / "checkpoint"
    env = cli_env(RENKEI_CHECKPOINT=point, RENKEI_CHECKPOINT_FILE=str(reached))
    command_line = [sys.executable, "-m", "renkei", "import", str(table), "--db", db_url, "--sphere", KEY]
    with (tmp_path / "out").open("w") as out, (tmp_path / "err").open("w") as err:
        process = subprocess.Popen(command_line, env=env, stdout=out, stderr=err)
        try:
            deadline = time.monotonic() + KILL_WAIT
            # The file appears before its content does: wait for the point's name in it.
            while not (reached.exists() and reached.read_text(encoding="utf-8") == point):
                assert process.poll() is None, f"the import ended before {point}: {(tmp_path / 'err').read_text()}"
                assert time.monotonic() < deadline, f"the import never reached {point}"
                time.sleep(0.05)
            os.kill(process.pid, signal.SIGKILL)
            assert process.wait(timeout=30) == -signal.SIGKILL
        finally:
            if process.poll() is None:
                process.kill()
                process.wait()

    if make_url(db_url).get_backend_name() == "sqlite":
        assert integrity(db_url) == [("ok",)]
    with Store.open(db_url) as after:
        assert after.schema_state() == "current"
        assert len(after.history(KEY)) == 1
        assert after.vision(KEY) == seed_reading.vision
        assert row_counts(after) == before_counts
        assert dump_text(after) == before_dump
        # Nothing is left locked or half written: the same import now goes through.
        assert after.import_reading(edited_reading, SphereSpec(key=KEY)).revision.number == 2
    if make_url(db_url).get_backend_name() == "sqlite":
        assert integrity(db_url) == [("ok",)]


# 7. Backup --------------------------------------------------------------------------------------------------

OKAYAMA_TOWNS = ["玉野市", "総社市", "備前市", "瀬戸内市", "赤磐市"]
OKAYAMA_ROWS = [
    TableRow(
        1, "企業誘致推進事業", "圏域への企業の立地を促進するため、共同で企業誘致活動を行う。", tuple(OKAYAMA_TOWNS)
    ),
    TableRow(
        2,
        "広域観光推進事業",
        "圏域の観光資源を結ぶ周遊ルートを整え、観光客の誘致を図る。",
        ("玉野市", "備前市", "瀬戸内市"),
    ),
    TableRow(
        3,
        "救急医療体制の確保",
        "圏域の救急医療体制を維持するため、病院群輪番制を共同で運営する。",
        ("総社市", "赤磐市"),
    ),
]
OKAYAMA = SphereSpec(
    key="okayama-renkei-chusu",
    name="岡山連携中枢都市圏",
    kind=SphereKind.METROPOLITAN,
    central_city="岡山市",
    prefecture="岡山県",
    plan_start=datetime.date(2019, 4, 1),
    plan_end=datetime.date(2024, 3, 31),
)
SUCCESSOR = "asahikawa-renkei-chusu"


def okayama_reading() -> Reading:
    """A small table of real 岡山県 municipalities (the projects are the test's own)."""
    text = table_text(OKAYAMA_TOWNS, OKAYAMA_ROWS, pillar="① 圏域全体の経済成長のけん引", field="ア 産業振興")
    return renkei.ingest.read_bytes(text.encode("utf-8"), "okayama.txt")


def successor_reading(facts: SeedFacts) -> Reading:
    """The 連携中枢都市圏 that replaced the seed's sphere, over the seed's own towns (the projects are the test's).
    Its first town is in both spheres."""
    towns = facts.towns[:3]
    rows = [
        TableRow(1, "広域観光推進事業", "圏域の観光資源を結ぶ周遊ルートを整え、観光客の誘致を図る。", tuple(towns)),
        TableRow(2, "職員の合同研修", "圏域の市町職員の合同研修を実施する。", tuple(towns[:2])),
    ]
    text = table_text(towns, rows, pillar="③ 圏域全体の生活関連機能サービスの向上", field="ア 人材育成")
    return renkei.ingest.read_bytes(text.encode("utf-8"), "successor.txt")


def successor_spec() -> SphereSpec:
    return SphereSpec(
        key=SUCCESSOR,
        name="旭川市を中心とする連携中枢都市圏（試験用）",
        kind=SphereKind.METROPOLITAN,
        central_city="旭川市",
        prefecture="北海道",
        plan_start=datetime.date(2022, 4, 1),
        replaces=KEY,
    )


def populate(store: Store, seed: Reading, edited: Reading, broken: Reading, facts: SeedFacts) -> None:
    """A registry with something of everything: three spheres of both kinds, a replacement, three revisions,
    a forced import with its findings."""
    store.import_reading(seed, SphereSpec(key=KEY), effective_on=FIRST, message="seed", author="secretariat")
    store.import_reading(edited, SphereSpec(key=KEY), effective_on=SECOND, message="edited", author="secretariat")
    store.import_reading(broken, SphereSpec(key=KEY), force=True, message="forced")
    store.import_reading(okayama_reading(), OKAYAMA)
    store.import_reading(successor_reading(facts), successor_spec())


@pytest.fixture
def populated(
    store: Store, seed_reading: Reading, edited_reading: Reading, broken_reading: Reading, facts: SeedFacts
) -> Store:
    populate(store, seed_reading, edited_reading, broken_reading, facts)
    return store


def test_dump_restore_dump_is_identical(populated: Store, db_factory: DbFactory) -> None:
    first = dump_text(populated)
    assert first.count("\n") == 1 + 3 + 5  # header, spheres, revisions
    with Store.open(db_factory()) as copy:
        assert restore(copy, io.StringIO(first)) == (3, 5)
        assert dump_text(copy) == first
        assert copy.spheres() == populated.spheres()
        assert copy.diff(KEY, 1, 2) == populated.diff(KEY, 1, 2)
        # Equal scores are ordered by internal row ids, which a restore does not keep: compare as sets.
        assert set(copy.search("観光")[0]) == set(populated.search("観光")[0])


def test_sqlite_to_postgresql_to_sqlite_is_identical(
    tmp_path: Path,
    postgres_url: str,
    seed_reading: Reading,
    edited_reading: Reading,
    broken_reading: Reading,
    facts: SeedFacts,
) -> None:
    with Store.open(f"sqlite:///{tmp_path / 'a.db'}") as original:
        populate(original, seed_reading, edited_reading, broken_reading, facts)
        first = dump_text(original)
    with Store.open(postgres_url) as middle:
        restore(middle, io.StringIO(first))
        second = dump_text(middle)
    assert second == first
    with Store.open(f"sqlite:///{tmp_path / 'b.db'}") as back:
        restore(back, io.StringIO(second))
        assert dump_text(back) == first


def test_restore_into_a_non_empty_registry_is_refused(populated: Store, seed_reading: Reading) -> None:
    text = dump_text(populated)
    counts = row_counts(populated)
    with pytest.raises(StoreError) as refused:
        restore(populated, io.StringIO(text))
    assert refused.value.code == "restore-not-empty"
    assert row_counts(populated) == counts
    assert dump_text(populated) == text


def corrupted(text: str) -> str:
    """The dump with one project's name edited inside the last revision line, its hash left as it was."""
    lines = text.splitlines(keepends=True)
    index = max(i for i, line in enumerate(lines) if json.loads(line).get("type") == "revision")
    record = json.loads(lines[index])
    record["vision"]["projects"][0]["name"] += "（改ざん）"
    lines[index] = json.dumps(record, ensure_ascii=False, sort_keys=True, separators=(",", ":")) + "\n"
    return "".join(lines)


def test_a_corrupted_dump_is_refused_and_writes_nothing(populated: Store, db_factory: DbFactory) -> None:
    text = corrupted(dump_text(populated))
    with Store.open(db_factory()) as target:
        empty = row_counts(target)
        with pytest.raises(StoreError) as refused:
            restore(target, io.StringIO(text))
        assert refused.value.code == "restore-corrupt"
        assert row_counts(target) == empty
        assert set(empty.values()) == {0}
        assert target.spheres() == []


def test_a_file_that_is_no_dump_is_refused(store: Store) -> None:
    with pytest.raises(StoreError) as refused:
        restore(store, io.StringIO('{"format":"something else"}\n'))
    assert refused.value.code == "restore-format"
    assert store.spheres() == []


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


# 9. Migrations ----------------------------------------------------------------------------------------------


def test_upgrade_from_empty_through_the_store(db_url: str) -> None:
    with Store.open(db_url, create=False) as store:
        assert store.schema_state() == "empty"
        store.upgrade()
        assert store.schema_state() == "current"
        with store.engine.connect() as connection:
            assert set(Base.metadata.tables) < set(inspect(connection).get_table_names())
        store.upgrade()  # idempotent
        assert store.schema_state() == "current"


def test_upgrade_from_empty_with_the_alembic_command(db_url: str) -> None:
    with Store.open(db_url, create=False) as store:
        assert store.schema_state() == "empty"
        config = store.alembic_config()
        command.upgrade(config, "head")
        assert store.schema_state() == "current"
        heads = ScriptDirectory.from_config(config).get_heads()
        with store.engine.connect() as connection:
            assert set(MigrationContext.configure(connection).get_current_heads()) == set(heads)
        command.check(config)  # autogenerate would find no new upgrade operations
    with Store.open(db_url) as reopened:  # and the store accepts the database as its own
        assert reopened.spheres() == []


def test_models_and_migrations_agree(db_url: str) -> None:
    with Store.open(db_url) as store, store.engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    assert differences == []


def test_an_outdated_database_is_refused_until_upgraded(db_url: str) -> None:
    with Store.open(db_url, create=False) as store:
        command.upgrade(store.alembic_config(), "head")
        command.downgrade(store.alembic_config(), "base")
        with store.engine.connect() as connection:
            assert inspect(connection).get_table_names() == ["alembic_version"]
        assert store.schema_state() == "outdated"
    with pytest.raises(StoreError) as refused:
        Store.open(db_url)
    assert refused.value.code == "db-outdated"


# 10. Many spheres -------------------------------------------------------------------------------------------


def test_many_spheres_in_one_registry(populated: Store, facts: SeedFacts) -> None:
    registry = Registry.default()
    spheres = {s.key: s for s in populated.spheres()}
    assert set(spheres) == {KEY, OKAYAMA.key, SUCCESSOR}
    assert [s.key for s in populated.spheres()] == sorted(spheres)

    seed = spheres[KEY]
    sample = renkei.sample.sample_sphere()
    assert (seed.kind, seed.name) == (SphereKind.SETTLEMENT, sample.name)
    assert seed.central_city is not None and sample.central_city is not None
    assert seed.central_city.code == sample.central_city.code
    assert (seed.members, seed.projects) == (len(facts.towns), len(facts.rows))  # revision 3: the forced one
    assert seed.latest is not None and seed.latest.number == 3

    okayama = spheres[OKAYAMA.key or ""]
    central = registry.resolve("岡山市", "岡山県").entry
    assert central is not None
    assert okayama.kind is SphereKind.METROPOLITAN and okayama.prefecture == "岡山県"
    assert okayama.central_city is not None and okayama.central_city.code == central.code
    assert (okayama.members, okayama.projects) == (len(OKAYAMA_TOWNS), len(OKAYAMA_ROWS))
    assert (okayama.plan_start, okayama.plan_end) == (OKAYAMA.plan_start, OKAYAMA.plan_end)
    vision = populated.vision(OKAYAMA.key or "")
    assert [m.code for m in vision.municipalities] == [
        getattr(registry.resolve(name, "岡山県").entry, "code", None) for name in OKAYAMA_TOWNS
    ]
    assert all(m.code for m in vision.municipalities)

    # The successor replaces the seed's sphere, and the link reads both ways.
    successor = spheres[SUCCESSOR]
    assert successor.kind is SphereKind.METROPOLITAN
    assert (successor.replaces, seed.replaced_by) == (KEY, SUCCESSOR)
    assert (seed.replaces, successor.replaced_by, okayama.replaces, okayama.replaced_by) == (None,) * 4
    assert populated.sphere(SUCCESSOR) == successor
    assert populated.sphere(seed.name) == seed  # by its Japanese name as well

    # A municipality in both spheres: one row of the registry, a member of each.
    town = facts.towns[0]
    in_seed = populated.vision(KEY).municipality(town)
    in_successor = populated.vision(SUCCESSOR).municipality(town)
    assert in_seed is not None and in_successor is not None and in_seed.code == in_successor.code
    with populated.read() as session:
        rows = session.scalar(select(func.count()).where(MunicipalityRow.code == in_seed.code))
    assert rows == 1
    assert populated.agreement(SUCCESSOR, town)[1] == populated.agreement(KEY, town)[1]
    assert [s.key for s in populated.memberships(in_seed.code or "")] == sorted([KEY, SUCCESSOR])
    # The central city takes part through its role, not a column: both of its spheres know it.
    assert seed.central_city.code
    assert [s.key for s in populated.memberships(seed.central_city.code)] == sorted([KEY, SUCCESSOR])
    assert [s.key for s in populated.memberships(central.code)] == [OKAYAMA.key]


def test_a_sphere_is_named_by_its_central_city_when_no_key_is_given(store: Store, seed_reading: Reading) -> None:
    result = store.import_reading(seed_reading)
    sample = renkei.sample.sample_sphere()
    assert sample.central_city is not None
    assert result.sphere.startswith(str(sample.central_city.code))
    assert store.sphere(result.sphere).kind is sample.kind


def test_a_new_sphere_without_a_name_or_key_is_refused(store: Store) -> None:
    bare = okayama_reading()
    assert bare.vision.sphere == Sphere(prefecture=bare.vision.sphere.prefecture)
    with pytest.raises(StoreError) as no_key:
        store.import_reading(bare)
    assert no_key.value.code == "sphere-key-needed"
    with pytest.raises(StoreError) as no_name:
        store.import_reading(bare, SphereSpec(key="nameless"))
    assert no_name.value.code == "sphere-name-needed"
    with pytest.raises(StoreError) as unknown:
        store.import_reading(bare, SphereSpec(key="k", name="n", central_city="存在しない市"))
    assert unknown.value.code == "municipality-unknown"
    assert store.spheres() == []
