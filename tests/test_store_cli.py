"""The registry's commands as a user runs them (``python -m renkei …`` in a subprocess): db init, import, spheres,
history, diff, agreement, search, dump and restore, with ``--db`` a SQLite file (and one run on PostgreSQL).

Expectations about the seed come from the seed's text (``facts``, ``storedata``), never pasted.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from clirun import run
from renkei.core.messages import t
from renkei.national.country import shipped
from renkei.publish.documents import amendments_document
from renkei.store import Store
from renkei.vision.diff import ChangeKind
from seedfacts import SeedFacts, derive
from storedata import JOINED, REMOVED, RENAMED, Edited, description_of, edited_seed, with_count_changed

NAME = "上川中部定住自立圏（複製）"
COPY = "kamikawa-copy"


def ok(result: Any) -> Any:
    assert "Traceback" not in result.stderr + result.stdout, result.stderr
    assert result.returncode == 0, result.stderr
    return result


def json_of(*args: str | Path) -> Any:
    return json.loads(ok(run(*args)).stdout)


def one_line_error(result: Any, status: int) -> str:
    """A refusal as the contract wants it: the status, one line on stderr, no traceback."""
    assert result.returncode == status, (result.stdout, result.stderr)
    assert "Traceback" not in result.stderr + result.stdout
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    return lines[0]


@dataclass(frozen=True)
class Registry:
    db: str
    key: str  # the sphere of `import --sample`, with the edited copy as its revision 2
    edited: Edited
    edited_path: Path
    seed_text: str


def build(db: str, tmp: Path, seed_path: Path, facts: SeedFacts) -> Registry:
    """A registry made through the CLI only: db init, the sample, the edited copy, the seed under a new key."""
    seed_text = seed_path.read_text(encoding="utf-8")
    edited = edited_seed(seed_text, facts)
    edited_path = tmp / "edited.txt"
    edited_path.write_text(edited.text, encoding="utf-8")
    # The registry's commands over the sample alone: the country's list is left out (tests/test_country.py).
    ok(run("db", "init", "--no-country", "--db", db))
    ok(run("import", "--sample", "--db", db, "-m", "sample", "--effective", "2021-04-01"))
    (sphere,) = json_of("spheres", "--json", "--db", db)
    key = sphere["key"]
    ok(run("import", edited_path, "--sphere", key, "--db", db, "--effective", "2022-04-01"))
    ok(run("import", seed_path, "--sphere", COPY, "--name", NAME, "--new-sphere", "--db", db))
    return Registry(db, key, edited, edited_path, seed_text)


@pytest.fixture(scope="module")
def registry(tmp_path_factory: pytest.TempPathFactory, seed_path: Path, facts: SeedFacts) -> Registry:
    """One SQLite registry shared by the read-only tests of this module."""
    tmp = tmp_path_factory.mktemp("cli-registry")
    return build(str(tmp / "registry.db"), tmp, seed_path, facts)


def test_db_init_makes_a_current_database(tmp_path: Path) -> None:
    db = tmp_path / "new" / "renkei.db"
    first = ok(run("db", "init", "--db", db))
    assert first.stdout.strip()
    ok(run("db", "init", "--db", db))  # again: nothing to do, still fine
    ok(run("db", "upgrade", "--db", db))
    with Store.open(str(db), create=False) as store:
        assert store.schema_state() == "current"
        # With the country's list, loaded once (no table yet), as renkei.national.country ships it.
        assert sorted(s.key for s in store.spheres()) == sorted(s.key for s in shipped())
        assert not any(s.latest for s in store.spheres())
        assert [e.action for e in store.accounts.audit()[0]] == ["country-update"]
    bare = tmp_path / "bare" / "renkei.db"
    ok(run("db", "init", "--no-country", "--db", bare))
    with Store.open(str(bare), create=False) as store:
        assert store.spheres() == []


def test_spheres_json(registry: Registry, facts: SeedFacts) -> None:
    spheres = {s["key"]: s for s in json_of("spheres", "--json", "--db", registry.db)}
    assert set(spheres) == {registry.key, COPY}
    main, copy = spheres[registry.key], spheres[COPY]
    assert main["revision"] == 2 and copy["revision"] == 1
    assert (main["members"], main["projects"]) == (len(facts.towns), len(facts.rows) - 1)
    assert (copy["members"], copy["projects"]) == (len(facts.towns), len(facts.rows))
    assert copy["name"] == NAME
    assert main["kind"] == copy["kind"] == "定住自立圏"
    assert main["central_city"]["code"] and main["central_city"]["name"]
    assert (main["replaces"], main["replaced_by"]) == (None, None)
    # The table form says the same in Rich.
    table = ok(run("spheres", "--db", registry.db, COLUMNS="200")).stdout
    assert registry.key in table and COPY in table


def test_history_json(registry: Registry, seed_path: Path) -> None:
    history = json_of("history", registry.key, "--json", "--db", registry.db)
    assert [r["number"] for r in history] == [1, 2]
    assert [r["effective_on"] for r in history] == ["2021-04-01", "2022-04-01"]
    assert history[0]["message"] == "sample"
    assert history[1]["source_name"] == registry.edited_path.name
    assert all(r["findings"] and {f["severity"] for f in r["findings"]} <= {"info", "warning"} for r in history)
    copy = json_of("history", COPY, "--json", "--db", registry.db)
    assert [r["source_name"] for r in copy] == [seed_path.name]
    assert ok(run("history", registry.key, "--db", registry.db, COLUMNS="200")).stdout.count("2022-04-01") == 1


def test_reimport_adds_no_revision(registry: Registry, seed_path: Path) -> None:
    before = json_of("history", registry.key, "--json", "--db", registry.db)
    ok(run("import", registry.edited_path, "--sphere", registry.key, "--db", registry.db))
    ok(run("import", seed_path, "--sphere", COPY, "--db", registry.db))
    assert json_of("history", registry.key, "--json", "--db", registry.db) == before
    assert len(json_of("history", COPY, "--json", "--db", registry.db)) == 1


def expected_rows(registry: Registry) -> list[list[Any]]:
    with Store.open(registry.db) as store:
        document = amendments_document(store.diff(registry.key, 1, 2), "")
    return [list(row) for row in document.sheets[-1].rows]


def test_diff_to_csv_and_json(registry: Registry, tmp_path: Path, facts: SeedFacts) -> None:
    out = tmp_path / "changes.csv"
    ok(run("diff", registry.key, "1", "2", "--to", "csv", "-o", out, "--db", registry.db))
    rows = list(csv.reader(io.StringIO(out.read_bytes().decode("utf-8-sig"))))
    # The summary comes first, then the changes under their own title.
    assert rows[0] == [t("doc.summary", "ja")]
    start = rows.index([t("doc.by_project", "ja")])
    header, body = rows[start + 1], [r for r in rows[start + 2 :] if r]
    assert len(body) == 3
    assert sorted(int(r[0]) for r in body) == sorted([JOINED, REMOVED, RENAMED])
    text = out.read_text(encoding="utf-8-sig")
    for needle in (registry.edited.town, registry.edited.old_name, registry.edited.new_name, facts.row(REMOVED).name):
        assert needle in text
    assert body == [["" if v is None else str(v) for v in row] for row in expected_rows(registry)]

    data = json_of("diff", registry.key, "1", "2", "--json", "--db", registry.db)
    summary, sheet = data["sheets"]
    assert dict(tuple(r.values()) for r in summary["rows"])[t("doc.summary_retired", "ja")] == 1
    assert list(sheet["rows"][0]) == header
    assert [list(r.values()) for r in sheet["rows"]] == expected_rows(registry)
    assert str(len(body)) in data["notes"][0]

    by_town = json_of("diff", registry.key, "1", "2", "--by", "municipality", "--json", "--db", registry.db)
    towns = {sheet["title"] for sheet in by_town["sheets"][1:]}
    assert registry.edited.town in towns and towns <= set(facts.towns)


def test_diff_kinds_are_the_issue_s_three(registry: Registry) -> None:
    with Store.open(registry.db) as store:
        kinds = sorted(c.kind for c in store.diff(registry.key, 1, 2).changes)
    assert kinds == sorted([ChangeKind.JOINED, ChangeKind.PROJECT_REMOVED, ChangeKind.RENAMED])


def containing(text: str, word: str) -> set[int]:
    """The projects of a table's text whose name or description contains ``word``."""
    facts = derive(text)
    return {r.number for r in facts.rows if word in r.name or word in description_of(text, facts, r.number)}


def markdown_rows(text: str) -> list[list[str]]:
    return [[c.strip() for c in line.strip("| ").split(" | ")] for line in text.splitlines() if line.startswith("| ")]


def test_agreement_to_markdown(registry: Registry, facts: SeedFacts) -> None:
    town = facts.towns[0]
    expected = [r for r in facts.rows if r.marks[0]]
    text = ok(run("agreement", registry.key, town, "--rev", "1", "--to", "markdown", "--db", registry.db)).stdout
    rows = markdown_rows(text)[1:]  # after the header
    assert [int(r[0]) for r in rows] == [r.number for r in expected]
    assert [r[3] for r in rows] == [r.name for r in expected]
    assert town in text.splitlines()[0]
    assert str(len(expected)) in text
    # The newest revision by default; the sphere also by its Japanese name.
    newest = markdown_rows(ok(run("agreement", NAME, town, "--to", "markdown", "--db", registry.db)).stdout)
    assert [int(r[0]) for r in newest[1:]] == [r.number for r in expected]


def test_search_json(registry: Registry, facts: SeedFacts) -> None:
    data = json_of("search", "観光", "--json", "--db", registry.db)
    newest, copy = containing(registry.edited.text, "観光"), containing(registry.seed_text, "観光")
    assert newest and copy
    # Both spheres hold the projects: each is found once per sphere, at its newest revision.
    found = {(h["sphere"], h["number"], h["revision"]) for h in data["hits"]}
    assert found == {(registry.key, n, 2) for n in newest} | {(COPY, n, 1) for n in copy}
    assert data["total"] == len(data["hits"]) == len(newest) + len(copy)
    assert data["query"] == "観光"
    nothing = json_of("search", "潜水艦", "--json", "--db", registry.db)
    assert (nothing["total"], nothing["hits"]) == (0, [])
    assert ok(run("search", "観光", "--db", registry.db, COLUMNS="200")).stdout.strip()


def test_dump_and_restore(registry: Registry, tmp_path: Path) -> None:
    first, second = tmp_path / "first.jsonl", tmp_path / "second.jsonl"
    ok(run("dump", "-o", first, "--db", registry.db))
    new = tmp_path / "restored.db"
    ok(run("restore", first, "--db", new))
    ok(run("dump", "-o", second, "--db", new))
    assert second.read_bytes() == first.read_bytes()
    assert ok(run("dump", "--db", new)).stdout.encode("utf-8") == first.read_bytes()
    # Restoring into a registry that holds something is refused, and changes nothing.
    one_line_error(run("restore", first, "--db", new), 2)
    ok(run("dump", "-o", second, "--db", new))
    assert second.read_bytes() == first.read_bytes()
    # A file that is not a dump.
    not_a_dump = tmp_path / "x.jsonl"
    not_a_dump.write_text("hello\n", encoding="utf-8")
    one_line_error(run("restore", not_a_dump, "--db", tmp_path / "other.db"), 2)


def test_refused_import_exits_1_and_writes_nothing(
    registry: Registry, tmp_path: Path, facts: SeedFacts, seed_path: Path
) -> None:
    broken = tmp_path / "broken.txt"
    broken.write_text(with_count_changed(registry.seed_text, facts, facts.numbers[0]), encoding="utf-8")
    before = ok(run("dump", "--db", registry.db)).stdout
    refused = run("import", broken, "--sphere", registry.key, "--db", registry.db)
    assert refused.returncode == 1
    assert "Traceback" not in refused.stderr
    refused_new = run("import", broken, "--sphere", "another", "--name", "別の圏域", "--db", registry.db)
    assert refused_new.returncode == 1
    assert ok(run("dump", "--db", registry.db)).stdout == before


def test_forced_import_keeps_findings(tmp_path: Path, seed_path: Path, facts: SeedFacts) -> None:
    db = str(tmp_path / "forced.db")
    broken = tmp_path / "broken.txt"
    broken.write_text(with_count_changed(seed_path.read_text(encoding="utf-8"), facts, facts.numbers[0]), "utf-8")
    ok(run("import", broken, "--sphere", "forced", "--name", NAME, "--new-sphere", "--force", "--db", db))
    (revision,) = json_of("history", "forced", "--json", "--db", db)
    assert "error" in {f["severity"] for f in revision["findings"]}


@pytest.mark.parametrize(
    "args",
    [
        ("history", "nowhere"),
        ("diff", "nowhere", "1", "2"),
        ("agreement", "nowhere", "x"),
        ("diff", "{key}", "1", "99"),
        ("agreement", "{key}", "岡山市"),
        ("agreement", "{key}", "存在しない町"),
    ],
)
def test_unknown_things_exit_2_with_one_line(registry: Registry, args: tuple[str, ...]) -> None:
    line = one_line_error(run(*(a.format(key=registry.key) for a in args), "--db", registry.db), 2)
    assert line.startswith("renkei:")


def test_the_whole_flow_on_postgresql(postgres_url: str, tmp_path: Path, seed_path: Path, facts: SeedFacts) -> None:
    pg = build(postgres_url, tmp_path, seed_path, facts)
    assert [r["number"] for r in json_of("history", pg.key, "--json", "--db", pg.db)] == [1, 2]
    data = json_of("diff", pg.key, "1", "2", "--json", "--db", pg.db)
    summary, changes = data["sheets"]  # the summary counts, then the changes
    assert len(changes["rows"]) == 3 and sum(row[t("doc.count", "ja")] for row in summary["rows"]) == 3
    first = tmp_path / "pg.jsonl"
    ok(run("dump", "-o", first, "--db", pg.db))
    # Into SQLite: the same dump comes back.
    lite = tmp_path / "from-pg.db"
    ok(run("restore", first, "--db", lite))
    assert ok(run("dump", "--db", lite)).stdout.encode("utf-8") == first.read_bytes()
    hits = json_of("search", "交流", "--json", "--db", pg.db)["hits"]
    newest, copy = containing(pg.edited.text, "交流"), containing(pg.seed_text, "交流")
    assert REMOVED in copy - newest  # the removed project was found by 交流 before
    assert {(h["sphere"], h["number"]) for h in hits} == {(pg.key, n) for n in newest} | {(COPY, n) for n in copy}
    one_line_error(run("history", "nowhere", "--db", pg.db), 2)
