"""Backup: the whole registry as one portable file of JSON lines, and back.

The dump names things by their natural keys (sphere key, revision number, project serial), never by database
ids, and writes them in a fixed order with fixed formatting, so that a dump of a restore is byte-identical to
the original dump, whichever backend each side ran on. A restore is one transaction into an empty registry.
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Iterable, Iterator
from typing import IO, Any

from sqlalchemy import func, select

from renkei.store import writes
from renkei.store.clock import utc
from renkei.store.core import Transactions
from renkei.store.errors import StoreError
from renkei.store.lifecycle import life_record, restore_life
from renkei.store.rows import load
from renkei.store.schema import MunicipalityRow, RevisionRow, SphereRow
from renkei.vision.serialize import vision_from_dict, vision_to_dict

FORMAT = "renkei.dump/1"


def _line(record: dict[str, Any]) -> str:
    return json.dumps(record, ensure_ascii=False, sort_keys=True, separators=(",", ":")) + "\n"


def _date(value: datetime.date | None) -> str | None:
    return value.isoformat() if value else None


def _time(value: datetime.datetime) -> str:
    return utc(value).isoformat(timespec="microseconds")


def dump_lines(store: Transactions) -> Iterator[str]:
    """Every line of the dump, in order: the header, the spheres by key, their revisions by number."""
    yield _line({"format": FORMAT})
    with store.read() as session:
        spheres = session.scalars(select(SphereRow).order_by(SphereRow.key)).all()
        keys = {s.id: s.key for s in spheres}
        for sphere in spheres:
            central = session.get(MunicipalityRow, sphere.central_city_id) if sphere.central_city_id else None
            yield _line(
                {
                    "type": "sphere",
                    "key": sphere.key,
                    "name": sphere.name,
                    "kind": sphere.kind,
                    "prefecture": sphere.prefecture,
                    "central_city": {"name": central.name, "code": central.code, "prefecture": central.prefecture}
                    if central
                    else None,
                    "plan_start": _date(sphere.plan_start),
                    "plan_end": _date(sphere.plan_end),
                    "replaces": keys.get(sphere.replaces_id) if sphere.replaces_id else None,
                    "created_at": _time(sphere.created_at),
                    **life_record(session, sphere),
                    **({"grades": sphere.grades} if sphere.grades else {}),  # its own thresholds, where it set them
                }
            )
        for sphere in spheres:
            revisions = session.scalars(
                select(RevisionRow).where(RevisionRow.sphere_id == sphere.id).order_by(RevisionRow.number)
            )
            for revision in revisions:
                vision, serials = load(session, sphere, revision)
                yield _line(
                    {
                        "type": "revision",
                        "sphere": sphere.key,
                        "number": revision.number,
                        "author": revision.author,
                        "created_at": _time(revision.created_at),
                        "effective_on": _date(revision.effective_on),
                        "message": revision.message,
                        "source_name": revision.source_name,
                        "source_sha256": revision.source_sha256,
                        "content_hash": revision.content_hash,
                        "findings": revision.findings,
                        "serials": serials,
                        "vision": vision_to_dict(vision),
                    }
                )


def dump(store: Transactions, out: IO[str]) -> int:
    """Write the dump; the number of lines written."""
    count = 0
    for line in dump_lines(store):
        out.write(line)
        count += 1
    return count


def restore(store: Transactions, lines: Iterable[str]) -> tuple[int, int]:
    """Restore a dump into an empty registry, all or nothing; the numbers of spheres and revisions restored."""
    records = [json.loads(line) for line in lines if line.strip()]
    if not records or records[0].get("format") != FORMAT:
        raise StoreError("restore-format", expected=FORMAT)
    spheres = revisions = 0
    with store.write() as session:
        if session.scalar(select(func.count()).select_from(SphereRow)):
            raise StoreError("restore-not-empty")
        rows: dict[str, SphereRow] = {}
        replaces: dict[str, str] = {}
        for record in records[1:]:
            if record["type"] == "sphere":
                rows[record["key"]] = _sphere(store, session, record)
                if record.get("replaces"):
                    replaces[record["key"]] = record["replaces"]
                spheres += 1
            elif record["type"] == "revision":
                _revision(store, session, rows[record["sphere"]], record)
                revisions += 1
        for key, old in replaces.items():
            rows[key].replaces_id = rows[old].id
    return spheres, revisions


def _sphere(store: Transactions, session: Any, record: dict[str, Any]) -> SphereRow:
    from renkei.vision.model import Municipality

    central = record.get("central_city")
    city = (
        writes.municipality(session, Municipality(central["name"], central["code"], central["prefecture"]))
        if central
        else None
    )
    row = SphereRow(
        key=record["key"],
        name=record["name"],
        kind=record["kind"],
        prefecture=record.get("prefecture"),
        central_city_id=city.id if city else None,
        plan_start=_parse_date(record.get("plan_start")),
        plan_end=_parse_date(record.get("plan_end")),
        created_at=datetime.datetime.fromisoformat(record["created_at"]),
        grades=record.get("grades"),
    )
    session.add(row)
    session.flush()
    restore_life(session, row, record)
    return row


def _revision(store: Transactions, session: Any, sphere: SphereRow, record: dict[str, Any]) -> None:
    vision = vision_from_dict(record["vision"])
    if writes.content_hash(vision) != record["content_hash"]:
        raise StoreError("restore-corrupt", sphere=sphere.key, revision=record["number"])
    row = RevisionRow(
        number=record["number"],
        author=record["author"],
        created_at=datetime.datetime.fromisoformat(record["created_at"]),
        effective_on=_parse_date(record["effective_on"]),
        message=record["message"],
        source_name=record.get("source_name"),
        source_sha256=record.get("source_sha256"),
        content_hash=record["content_hash"],
        findings=record.get("findings", []),
    )
    writes.add_revision(session, sphere, row, vision, record["serials"])


def _parse_date(value: str | None) -> datetime.date | None:
    return datetime.date.fromisoformat(value) if value else None
