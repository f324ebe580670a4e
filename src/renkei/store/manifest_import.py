"""Whole sets into a store in one transaction (``Store.import_many``): a manifest's files as
``renkei import --manifest`` reads them (``renkei.national.manifest``), and a registry held in memory (a synthetic one
as ``renkei synth --db`` writes it). The store knows nothing of ``renkei.synthetic.synth``: a sphere in memory is what
``renkei.national.manifest.InMemorySphere`` says."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import Protocol

from renkei.ingest import Reading
from renkei.national.manifest import InMemorySphere, ManifestError, ManifestSphere, Read, readings
from renkei.store.errors import ImportRefused
from renkei.store.records import Batched, ImportResult, RevisionInfo, SphereInfo, SphereSpec
from renkei.store.writes import prepared
from renkei.vision.model import Finding, Severity


class Importer(Protocol):
    """What a whole set is imported into: the ``Store`` (its published reads tell what it holds already)."""

    def spheres(self) -> list[SphereInfo]: ...

    def history(self, sphere: str) -> list[RevisionInfo]: ...

    def import_many(
        self, items: Iterable[Batched], on_result: Callable[[ImportResult], None] | None = None
    ) -> list[ImportResult]: ...


class ManifestRefused(ImportRefused):
    """A file of the manifest with error findings: nothing of the whole set was written."""

    def __init__(self, path: Path, reading: Reading, findings: list[Finding]) -> None:
        super().__init__(findings)
        self.path = path
        self.reading = reading


def sphere_spec(sphere: ManifestSphere | InMemorySphere) -> SphereSpec:
    """What the store creates a sphere with: what its files' titles do not say."""
    return sphere.spec()


def import_manifest(
    store: Importer,
    spheres: Sequence[ManifestSphere],
    *,
    jobs: int = 1,
    force: bool = False,
    author: str | None = None,
    on_result: Callable[[ImportResult], None] | None = None,
) -> list[ImportResult]:
    """Every revision of every sphere of the manifest, in one transaction (``Store.import_many``).

    A manifest lists each sphere's revisions from the first, so it can be imported again as it grows: where the
    registry holds a sphere's first k revisions already, the manifest's first k files must have the same
    content (they are reported unchanged) and only the files after them become revisions. A file that differs
    from the revision stored in its place is refused (``manifest-diverges``), writing nothing."""
    known = {info.key for info in store.spheres()}
    stored = {s.key: store.history(s.key) for s in spheres if s.key in known}
    specs = [(sphere, sphere_spec(sphere)) for sphere in spheres]
    entries = [(sphere, spec, k, revision) for sphere, spec in specs for k, revision in enumerate(sphere.revisions)]
    unchanged: list[ImportResult] = []

    def items(read: Iterator[tuple[Path, Read]]) -> Iterator[Batched]:
        for (sphere, spec, k, revision), (path, result) in zip(entries, read, strict=True):
            reading, findings = result.reading, result.findings
            assert reading is not None
            history = stored.get(sphere.key or "", [])
            if k < len(history):
                if history[k].content_hash != result.content_hash:
                    raise ManifestError("manifest-diverges", sphere=sphere.key, revision=k + 1, path=str(path))
                unchanged.append(ImportResult(history[k].sphere, history[k], False, findings))
                if on_result is not None:
                    on_result(unchanged[-1])
                continue
            if not force and any(f.severity is Severity.ERROR for f in findings):
                raise ManifestRefused(path, reading, findings)
            yield Batched(
                reading.vision,
                spec,
                author=author,
                message=revision.message,
                effective_on=revision.effective_on,
                findings=findings,
                source_name=reading.source.name,
                source_sha256=reading.source.sha256,
                content_hash=result.content_hash,
                meaning_hash=result.meaning_hash,
                project_rows=result.project_rows,
                force=force,
            )

    with readings([revision.path for *_, revision in entries], jobs, prepared) as read:
        return unchanged + store.import_many(items(read), on_result)


def load_into(
    store: Importer,
    spheres: Sequence[InMemorySphere],
    on_revision: Callable[[ImportResult], None] | None = None,
    author: str = "renkei synth",
) -> int:
    """Import every revision of a synthetic registry into the store with its effective date, all in one
    transaction (``Store.import_many``); returns how many."""

    def items() -> Iterator[Batched]:
        for sphere in spheres:
            spec = sphere_spec(sphere)
            for revision in sphere.revisions:
                yield Batched(
                    revision.vision,
                    spec,
                    author=author,
                    message=revision.message,
                    effective_on=revision.effective_on,
                    source_name=f"{sphere.key}/{revision.file_name}",
                )

    return len(store.import_many(items(), on_revision))
