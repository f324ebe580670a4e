"""A national set as files and a manifest, loaded in one transaction (``renkei import --manifest``).

The manifest is JSON Lines, one line per sphere: its key, name, kind, central city, prefecture and plan period,
and its revisions in order, each the path of a table (relative to the manifest) with its message and the date
it takes effect. ``renkei synth -o DIR`` writes one beside its files. The tables are read and checked in
worker processes (``--jobs``) while the main process writes what is read, in order; the whole set is one
transaction: a file that cannot be read, or that has error findings without ``--force``, leaves the registry as
it was.

The workers are started (spawned, not forked: they hold none of the parent's database connections) and given
their files before the transaction opens, and they die with the main process (``renkei.core.lifeline``: a
parent-death signal on Linux and a watchdog thread everywhere), so a killed import leaves no worker behind and
no session of its own open.

This module is the manifest's format and the reading of its files; the import into a store is
``renkei.store.manifest_import``.
"""

from __future__ import annotations

import collections
import contextlib
import datetime
import json
import multiprocessing
import os
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from renkei.core import lifeline
from renkei.core.errorkinds import CodedError, Family
from renkei.ingest import Reading, TableReadError, read_path
from renkei.ingest.report import check_reading
from renkei.vision.model import Finding, SphereKind, Vision

MANIFEST = "manifest.jsonl"
_REQUIRED = ("key", "name", "kind", "revisions")


@dataclass
class SphereSpec:
    """What a store creates a sphere with when an import names one that does not exist yet: what its files'
    titles do not say. A manifest's line gives one, and so does a synthetic sphere (``renkei.synthetic.synth``); the
    store takes it (``renkei.store.records`` re-exports it)."""

    key: str | None = None
    name: str | None = None
    kind: SphereKind | None = None
    central_city: str | None = None
    prefecture: str | None = None
    plan_start: datetime.date | None = None
    plan_end: datetime.date | None = None
    replaces: str | None = None


class InMemoryRevision(Protocol):
    """A revision held in memory rather than in a file (a synthetic one): its vision and when it applies."""

    @property
    def vision(self) -> Vision: ...
    @property
    def message(self) -> str: ...
    @property
    def effective_on(self) -> datetime.date: ...
    @property
    def file_name(self) -> str: ...


class InMemorySphere(Protocol):
    """A sphere held in memory with its revisions, as the store's ``load_into`` takes it."""

    @property
    def key(self) -> str: ...
    @property
    def revisions(self) -> Sequence[InMemoryRevision]: ...
    def spec(self) -> SphereSpec: ...


@dataclass(frozen=True)
class ManifestRevision:
    path: Path
    message: str = ""
    effective_on: datetime.date | None = None


@dataclass(frozen=True)
class ManifestSphere:
    """A sphere's line: what its files' titles do not say, and its revisions' files in order."""

    key: str
    name: str
    kind: SphereKind
    revisions: tuple[ManifestRevision, ...]
    central_city: str | None = None
    prefecture: str | None = None
    plan_start: datetime.date | None = None
    plan_end: datetime.date | None = None
    replaces: str | None = None

    def spec(self) -> SphereSpec:
        return SphereSpec(
            self.key,
            self.name,
            self.kind,
            self.central_city,
            self.prefecture,
            self.plan_start,
            self.plan_end,
            self.replaces,
        )


class ManifestError(CodedError):
    """A manifest that cannot be used: missing, not JSON Lines, a line without what a sphere needs, or a file
    that differs from the revision stored in its place. A catalogue code and parameters (``store.<code>``),
    as the store's errors have (declared in ``renkei.core.errorkinds``)."""

    FAMILY = Family.STORE


def manifest_path(path: Path) -> Path:
    """The manifest itself, given its path or the directory that holds it."""
    return path / MANIFEST if path.is_dir() else path


def read_manifest(path: Path) -> list[ManifestSphere]:
    """Every sphere of a manifest, its files resolved against the manifest's directory."""
    path = manifest_path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (FileNotFoundError, IsADirectoryError, PermissionError):
        raise ManifestError("manifest-missing", path=str(path)) from None
    except UnicodeDecodeError:
        raise ManifestError("manifest-invalid", path=str(path), line=1, reason="not UTF-8") from None
    spheres = []
    for number, line in enumerate(text.splitlines(), start=1):
        if line.strip():
            spheres.append(_sphere(line, path, number))
    if not spheres:
        raise ManifestError("manifest-invalid", path=str(path), line=1, reason="no spheres")
    return spheres


def _sphere(line: str, path: Path, number: int) -> ManifestSphere:
    def invalid(reason: str) -> ManifestError:
        return ManifestError("manifest-invalid", path=str(path), line=number, reason=reason)

    try:
        data = json.loads(line)
    except json.JSONDecodeError as error:
        raise invalid(f"JSON: {error.msg} (column {error.colno})") from None
    if not isinstance(data, dict):
        raise invalid("a line is one JSON object")
    missing = [name for name in _REQUIRED if not data.get(name)]
    if missing:
        raise invalid(f"missing {', '.join(missing)}")
    try:
        # The sphere's fields checked before its revisions', in this order.
        key, name, kind = str(data["key"]), str(data["name"]), SphereKind(data["kind"])
        central_city, prefecture = _text(data.get("central_city")), _text(data.get("prefecture"))
        plan_start, plan_end = _date(data.get("plan_start")), _date(data.get("plan_end"))
        replaces = _text(data.get("replaces"))
        revisions = tuple(
            ManifestRevision(
                path=path.parent / str(revision["file"]),
                message=str(revision.get("message", "")),
                effective_on=_date(revision.get("effective_on")),
            )
            for revision in data["revisions"]
        )
    except (KeyError, TypeError, AttributeError) as error:
        raise invalid(f"{type(error).__name__}: {error}") from None
    except ValueError as error:
        raise invalid(str(error)) from None
    return ManifestSphere(key, name, kind, revisions, central_city, prefecture, plan_start, plan_end, replaces)


def _text(value: Any) -> str | None:
    return None if value is None else str(value)


def _date(value: Any) -> datetime.date | None:
    return None if value is None else datetime.date.fromisoformat(str(value))


# Reading, in worker processes ------------------------------------------------------------------------------


@dataclass
class Read:
    """What a worker sends back: the reading, its findings and hashes, or why the file is not a table."""

    reading: Reading | None
    findings: list[Finding]
    content_hash: str | None = None
    error: tuple[str, Any, dict[str, object]] | None = None
    meaning_hash: str | None = None
    project_rows: list[dict[str, Any]] | None = None  # each project's row as the store writes it


# What a worker computes of each vision for the store: its content and meaning hashes and its projects' rows.
Prepare = Callable[[Vision], tuple[str, str, list[dict[str, Any]]]]


def _read(path: Path, prepare: Prepare | None = None) -> Read:
    try:
        reading = read_path(path)
    except TableReadError as error:  # sent back as data: the exception's constructor does not pickle
        return Read(None, [], error=(error.code, error.location, error.params))
    report = check_reading(reading)
    if report.ok:
        # The findings hold their own locations; the cells' locations (a dozen per project) are not sent back.
        vision = reading.vision
        for project in vision.projects:
            project.location, project.cells = None, {}
        vision.totals_location, vision.totals_cells, vision.grand_total_cell = None, {}, None
    if prepare is None:
        return Read(reading, report.findings)
    content, meaning, rows = prepare(reading.vision)
    return Read(reading, report.findings, content, meaning_hash=meaning, project_rows=rows)


def _read_some(paths: Sequence[Path], prepare: Prepare | None) -> list[Read]:
    return [_read(path, prepare) for path in paths]


def default_jobs() -> int:
    return max(1, min(os.cpu_count() or 1, 8))


# Files handed to a worker at a time, and how many such parcels may wait read ahead of the writer, per worker:
# the readings waiting are what the import holds in memory beside the rows it writes, whatever the set's size.
PARCEL = 4
AHEAD = 3


@contextlib.contextmanager
def readings(paths: Sequence[Path], jobs: int, prepare: Prepare | None = None) -> Iterator[Iterator[tuple[Path, Read]]]:
    """Each file read and checked, in order; by ``jobs`` worker processes when more than one, each vision
    prepared there for the store by ``prepare`` (its hashes and its projects' rows: a module-level function,
    sent to the workers by name). The
    workers start and get their first files on entering, so the caller can open its transaction after; they
    read a few parcels of files ahead of the caller, never the whole set; they end on leaving."""

    def unpacked(results: Iterator[Read]) -> Iterator[tuple[Path, Read]]:
        for path, result in zip(paths, results, strict=True):
            if result.error is not None:
                code, location, params = result.error
                raise TableReadError(code, location, **{**params, "path": str(path)})
            yield path, result

    if jobs <= 1 or len(paths) < 2:
        yield unpacked(_read(path, prepare) for path in paths)
        return
    pool = ProcessPoolExecutor(
        max_workers=jobs,
        mp_context=multiprocessing.get_context("spawn"),
        initializer=lifeline.die_with,
        initargs=(os.getpid(),),
    )
    parcels = [paths[start : start + PARCEL] for start in range(0, len(paths), PARCEL)]
    waiting: collections.deque[Future[list[Read]]] = collections.deque()
    following = iter(parcels)

    def submit() -> None:
        parcel = next(following, None)
        if parcel is not None:
            waiting.append(pool.submit(_read_some, parcel, prepare))

    def in_order() -> Iterator[Read]:
        while waiting:
            done = waiting.popleft().result()
            submit()
            yield from done

    try:
        for _ in range(jobs * AHEAD):  # submitted now: the workers start here
            submit()
        yield unpacked(in_order())
    finally:  # a refused or unreadable file ends the import: the files not yet read are not read
        pool.shutdown(wait=True, cancel_futures=True)
