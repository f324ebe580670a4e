"""The import's floor: the same manifest and files as ``renkei import --manifest`` reads, parsed with the ``csv``
module and inserted with ``executemany`` in one transaction into an equivalent SQLite schema (the same tables,
keys and indexes as renkei's store), with none of renkei's checks, identities or hashes.

    python bench/floor.py DIR DB     # prints {"seconds": …, "cpu_seconds": …, "peak_mb": …, "rows": …}

What no import can beat on this machine with Python and SQLite: ``bench/bench_scale.py`` quotes renkei's import
as a multiple of it, measured in the same run.
"""

from __future__ import annotations

import csv
import datetime
import json
import resource
import sqlite3
import sys
import time
from pathlib import Path
from typing import Any

SCHEMA = """
CREATE TABLE municipality (id INTEGER PRIMARY KEY, code VARCHAR(6) UNIQUE, name VARCHAR(100) NOT NULL,
  prefecture VARCHAR(10));
CREATE TABLE sphere (id INTEGER PRIMARY KEY, key VARCHAR(100) NOT NULL UNIQUE, name VARCHAR(200) NOT NULL,
  kind VARCHAR(20) NOT NULL, prefecture VARCHAR(10), created_at TEXT NOT NULL);
CREATE TABLE revision (id INTEGER PRIMARY KEY, sphere_id INTEGER NOT NULL REFERENCES sphere(id),
  number INTEGER NOT NULL, author VARCHAR(200) NOT NULL, created_at TEXT NOT NULL, effective_on DATE NOT NULL,
  message TEXT NOT NULL, source_name VARCHAR(500), content_hash VARCHAR(64) NOT NULL);
CREATE INDEX ix_revision_sphere_id ON revision (sphere_id);
CREATE TABLE revision_municipality (revision_id INTEGER NOT NULL REFERENCES revision(id) ON DELETE CASCADE,
  position INTEGER NOT NULL, municipality_id INTEGER NOT NULL REFERENCES municipality(id),
  label VARCHAR(100) NOT NULL, declared_total INTEGER, PRIMARY KEY (revision_id, position));
CREATE INDEX ix_revision_municipality_municipality_id ON revision_municipality (municipality_id);
CREATE TABLE project (id INTEGER PRIMARY KEY, sphere_id INTEGER NOT NULL REFERENCES sphere(id),
  serial INTEGER NOT NULL, UNIQUE (sphere_id, serial));
CREATE TABLE revision_project (id INTEGER PRIMARY KEY,
  revision_id INTEGER NOT NULL REFERENCES revision(id) ON DELETE CASCADE,
  project_id INTEGER NOT NULL REFERENCES project(id), position INTEGER NOT NULL, number INTEGER NOT NULL,
  name TEXT NOT NULL, description TEXT NOT NULL, field_label VARCHAR(20), field_title TEXT,
  declared_count INTEGER, attributes JSON NOT NULL);
CREATE INDEX ix_revision_project_project_id ON revision_project (project_id);
CREATE TABLE participation (revision_project_id INTEGER NOT NULL REFERENCES revision_project(id)
  ON DELETE CASCADE, municipality_id INTEGER NOT NULL REFERENCES municipality(id), role VARCHAR(10) NOT NULL,
  PRIMARY KEY (revision_project_id, municipality_id));
CREATE INDEX ix_participation_municipality_id ON participation (municipality_id);
CREATE TABLE search_doc (revision_project_id INTEGER PRIMARY KEY REFERENCES revision_project(id)
  ON DELETE CASCADE, sphere_id INTEGER NOT NULL REFERENCES sphere(id), name_key TEXT NOT NULL,
  description_key TEXT NOT NULL);
CREATE INDEX ix_search_doc_sphere_id ON search_doc (sphere_id);
"""
MARKS = {"○": "member", "◎": "lead"}
TOWN_ENDS = ("市", "町", "村", "区")


def load(directory: Path, db: Path) -> int:
    """Every sphere and revision of the manifest in ``directory`` into ``db``, in one transaction; the rows written."""
    connection = sqlite3.connect(db, isolation_level=None)
    connection.execute("PRAGMA journal_mode=WAL")
    connection.executescript(SCHEMA)
    now = datetime.datetime.now(datetime.UTC).isoformat()
    towns: dict[str, int] = {}
    written = 0
    connection.execute("BEGIN")
    with (directory / "manifest.jsonl").open(encoding="utf-8") as manifest:
        for line in manifest:
            sphere = json.loads(line)
            sphere_id = connection.execute(
                "INSERT INTO sphere (key, name, kind, prefecture, created_at) VALUES (?, ?, ?, ?, ?)",
                (sphere["key"], sphere["name"], sphere["kind"], sphere.get("prefecture"), now),
            ).lastrowid
            serials: dict[str, int] = {}
            for number, revision in enumerate(sphere["revisions"], start=1):
                written += _revision(connection, sphere_id, number, revision, directory, towns, serials, now)
    connection.execute("COMMIT")
    connection.close()
    return written


def _revision(
    connection: sqlite3.Connection,
    sphere_id: int,
    number: int,
    revision: dict[str, Any],
    directory: Path,
    towns: dict[str, int],
    serials: dict[str, int],
    now: str,
) -> int:
    path = directory / revision["file"]
    with path.open(encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f, delimiter="\t"))
    revision_id = connection.execute(
        "INSERT INTO revision (sphere_id, number, author, created_at, effective_on, message, source_name,"
        " content_hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (
            sphere_id,
            number,
            "floor",
            now,
            revision.get("effective_on") or now[:10],
            revision.get("message", ""),
            path.name,
            "",
        ),
    ).lastrowid
    header: list[str] = []
    columns: list[tuple[int, int]] = []  # cell index, municipality row
    field: str | None = None
    projects: list[tuple[Any, ...]] = []
    marks: list[list[tuple[int, str]]] = []
    for row in rows:
        if not row or not any(row):
            continue
        if row[0] == "" and len(row) > 3:  # a block's header row
            header = row
            columns = []
            for index, label in enumerate(row[3:-1], start=3):
                if label.endswith(TOWN_ENDS):
                    if label not in towns:
                        towns[label] = (
                            connection.execute("INSERT INTO municipality (name) VALUES (?)", (label,)).lastrowid or 0
                        )
                    columns.append((index, towns[label]))
            continue
        if len(row) == 1:
            field = row[0]
            continue
        if header and row[0].isdigit():
            name, description = row[1], row[2]
            attributes = {header[i]: row[i] for i in range(3, len(row) - 1) if not header[i].endswith(TOWN_ENDS)}
            count = row[-1]
            projects.append(
                (
                    int(row[0]),
                    name,
                    description,
                    field,
                    int(count) if count.isdigit() else None,
                    json.dumps(attributes, ensure_ascii=False),
                )
            )
            marks.append([(town, MARKS[row[i]]) for i, town in columns if row[i] in MARKS])
    if header:
        connection.executemany(
            "INSERT INTO revision_municipality (revision_id, position, municipality_id, label) VALUES (?, ?, ?, ?)",
            [(revision_id, position, town, header[i]) for position, (i, town) in enumerate(columns)],
        )
    for p in projects:
        if p[1] not in serials:  # a project's identity: its name within the sphere
            serials[p[1]] = (
                connection.execute(
                    "INSERT INTO project (sphere_id, serial) VALUES (?, ?)", (sphere_id, len(serials) + 1)
                ).lastrowid
                or 0
            )
    written = 0
    participation: list[tuple[int, int, str]] = []
    docs: list[tuple[int, int, str, str]] = []
    for position, (p, links) in enumerate(zip(projects, marks, strict=True)):
        row_id = (
            connection.execute(
                "INSERT INTO revision_project (revision_id, project_id, position, number, name, description,"
                " field_title, declared_count, attributes) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (revision_id, serials[p[1]], position, *p),
            ).lastrowid
            or 0
        )
        participation.extend((row_id, town, role) for town, role in links)
        docs.append((row_id, sphere_id, p[1].casefold(), p[2].casefold()))
    connection.executemany("INSERT INTO participation VALUES (?, ?, ?)", participation)
    connection.execute("DELETE FROM search_doc WHERE sphere_id = ?", (sphere_id,))
    connection.executemany("INSERT INTO search_doc VALUES (?, ?, ?, ?)", docs)
    written += 1 + len(columns) + len(projects) + len(participation) + len(docs)
    return written


def main() -> None:
    directory, db = Path(sys.argv[1]), Path(sys.argv[2])
    start, cpu = time.perf_counter(), time.process_time()
    rows = load(directory, db)
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"seconds": seconds, "cpu_seconds": cpu, "peak_mb": peak, "rows": rows}))


if __name__ == "__main__":
    main()
