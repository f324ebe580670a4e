"""Importing: a file's reading or a vision as its sphere's next revision, and many revisions at once.

Every import runs in one transaction (all or nothing; a killed process leaves the previous revision intact), and
every change of a vision is a new revision: nothing is updated in place.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable, Sequence

from sqlalchemy.orm import Session

from renkei.ingest import Reading
from renkei.ingest.report import check_reading, finding_record
from renkei.store import identity, rows, writes
from renkei.store.bulk import Bulk, analyze, collector_paused
from renkei.store.clock import UTC, today_jst
from renkei.store.core import Database
from renkei.store.errors import ImportRefused, StoreError
from renkei.store.faults import checkpoint
from renkei.store.lifecycle import membership_findings
from renkei.store.records import Batched, ImportResult, SphereSpec
from renkei.store.schema import RevisionRow, SphereRow
from renkei.vision.model import Finding, Severity, Vision


class Imports:
    """The store's imports (a room of ``Store``), into its database."""

    def __init__(self, database: Database) -> None:
        self.database = database

    def import_reading(
        self,
        reading: Reading,
        spec: SphereSpec | None = None,
        *,
        author: str | None = None,
        message: str = "",
        effective_on: datetime.date | None = None,
        force: bool = False,
        new_sphere: bool = True,
        audit: Callable[[Session, ImportResult], None] | None = None,
    ) -> ImportResult:
        """Import a file's reading as a new revision of its sphere. Refused, writing nothing, when the file has
        error findings, unless ``force`` (the findings are then kept with the revision). The same content as
        the newest revision creates nothing. Which sphere, and the effective date: see ``import_vision``."""
        findings = check_reading(reading).findings
        if not force and any(f.severity is Severity.ERROR for f in findings):
            raise ImportRefused(findings)
        source = reading.source
        return self.import_vision(
            reading.vision,
            spec,
            author=author,
            message=message,
            effective_on=effective_on,
            findings=findings,
            source_name=source.name,
            source_sha256=source.sha256,
            force=force,
            new_sphere=new_sphere,
            audit=audit,
        )

    def import_vision(
        self,
        vision: Vision,
        spec: SphereSpec | None = None,
        *,
        author: str | None = None,
        message: str = "",
        effective_on: datetime.date | None = None,
        findings: Sequence[Finding] = (),
        source_name: str | None = None,
        source_sha256: str | None = None,
        serials: Sequence[int] | None = None,
        before_commit: Callable[[Session, SphereRow], None] | None = None,
        on_sphere: Callable[[Session, SphereRow], tuple[Vision, Sequence[int]] | None] | None = None,
        force: bool = False,
        new_sphere: bool = True,
        audit: Callable[[Session, ImportResult], None] | None = None,
    ) -> ImportResult:
        """Store a vision as the sphere's next revision. ``serials`` gives its projects' identities where the
        caller knows them (a published draft); ``on_sphere`` runs in the same transaction as soon as the sphere
        is known, before its newest revision is read, and may return the vision and serials to store instead
        (a publish locks its draft there and reads it in this transaction); ``before_commit`` runs at its end.

        The sphere is the one the vision matches (``store.identity``); an unmatched vision makes a new sphere
        only with ``new_sphere``, else ``StoreError('sphere-unmatched')`` lists the look-alikes. A vision that
        says what the newest revision says (``meaning_hash``), in whatever format, makes no revision. An
        effective date before the newest revision's is refused (``effective-backwards``) unless ``force``,
        which keeps a finding about it with the revision.

        ``audit`` writes the audit entry in the same transaction, given the result: when a revision is written
        and when the content is unchanged (no revision, but the attempt is on record), never when refused."""
        if vision.edition.excerpt and not force:
            raise StoreError("import-excerpt", excerpt=vision.edition.excerpt)
        digest = writes.content_hash(vision)
        with self.database.write() as session:
            sphere = writes.sphere_for(session, vision, spec or SphereSpec(), new_sphere)
            checkpoint("sphere")
            if on_sphere is not None and (instead := on_sphere(session, sphere)) is not None:
                vision, serials = instead
                digest = writes.content_hash(vision)
            latest = rows.latest_revision(session, sphere.id)
            if latest is not None and writes.unchanged(session, sphere, latest, vision, digest):
                same = ImportResult(sphere.key, rows.revision_info(sphere, latest), False, list(findings))
                if audit is not None:
                    audit(session, same)
                return same
            effective, backwards = identity.effective_date(
                effective_on, latest.effective_on if latest else None, today_jst()
            )
            if backwards and latest is not None:
                if not force:
                    raise StoreError(
                        "effective-backwards",
                        sphere=sphere.key,
                        effective=effective.isoformat(),
                        latest=latest.effective_on.isoformat(),
                        revision=latest.number,
                    )
                findings = [*findings, identity.backdated(effective, latest.effective_on)]
            findings = [*findings, *membership_findings(session, sphere, vision, effective)]
            row = RevisionRow(
                sphere_id=sphere.id,
                number=(latest.number if latest else 0) + 1,
                author=author or writes.user(),
                created_at=datetime.datetime.now(UTC),
                effective_on=effective,
                message=message,
                source_name=source_name,
                source_sha256=source_sha256,
                content_hash=digest,
                findings=[finding_record(f) for f in findings],
            )
            if serials is None:
                serials = writes.serials_for(session, sphere, latest, vision)
            writes.add_revision(session, sphere, row, vision, serials)
            if before_commit is not None:
                before_commit(session, sphere)
            info = rows.revision_info(sphere, row)
            result = ImportResult(info.sphere, info, True, list(findings))
            if audit is not None:
                audit(session, result)
            checkpoint("commit")
        return result

    def home_of(self, vision: Vision) -> str | None:
        """The stored sphere a file says it belongs to, by the rule an import without a key applies
        (``store.identity``: the key it carries, its name, central city and kind): None where it names none."""
        city = vision.sphere.central_city
        kind = vision.sphere.kind
        derived = f"{city.code}-{writes.KIND_KEYS[kind]}" if city is not None and city.code else None
        with self.database.read() as session:
            try:
                row = identity.find_sphere(session, vision, None, kind.value, derived)
            except identity.SphereAmbiguous:
                return None
            return row.key if row is not None else None

    def import_many(
        self, items: Iterable[Batched], on_result: Callable[[ImportResult], None] | None = None
    ) -> list[ImportResult]:
        """Many revisions, of one sphere or of many, in one transaction: all of them are written or none.

        Each item is stored as ``import_vision`` stores it (same rows, identities, hashes and findings; the
        same content as the sphere's newest revision creates nothing), but what a revision needs from the ones
        before it (its sphere, the newest revision's projects and their identities, the municipalities' rows)
        is kept in memory instead of read back, and the rows are written a few spheres at a time, a statement
        (a ``COPY`` on PostgreSQL) per table (``store.bulk``). This is what loading a national set from a
        manifest runs on. Items are consumed as they come, so a caller may still be reading files while the
        first revisions are written, and memory stays flat in the number of spheres. The planner's statistics
        are taken afresh after a load that wrote revisions (``ANALYZE``)."""
        results: list[ImportResult] = []
        with collector_paused(), self.database.write() as session:
            bulk = Bulk(session)
            for item in items:
                result = bulk.add(item)
                results.append(result)
                if on_result is not None:
                    on_result(result)
            bulk.finish()
            checkpoint("commit")
        if any(result.created for result in results):
            analyze(self.database.engine)
        return results
