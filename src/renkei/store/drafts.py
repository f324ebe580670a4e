"""Drafts: the working copy of a sphere's next revision, edited safely by several people at once.

A draft starts as a copy of the newest published revision. Each of its projects carries a version; every save
names the version it was made against and is refused when the project has moved on since (``Conflict``, with
the current value), so no one silently overwrites another's work. The check and the write are one conditional
UPDATE, atomic on SQLite and PostgreSQL alike. Every save is checked for permission here, whatever the caller,
and written to the audit trail in the same transaction. Publishing turns the draft into a new revision.

Versions never repeat in a sphere's life, so a stale version can never match again (no ABA): every save raises
the draft's own version too, a project's version never passes its draft's, and a closed draft (published or
discarded) keeps its row, with ``base_revision`` 0 and the highest version it gave out, so the next draft's
projects start above it. Every write locks the sphere's row first (PostgreSQL; SQLite's ``BEGIN IMMEDIATE``
already serialises writers), so saves, the opening of a draft and its publishing happen one after another.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from renkei.core.permissions import Action, allowed
from renkei.store import cells
from renkei.store.accounts import Actor, Forbidden, record
from renkei.store.cells import Clash
from renkei.store.clock import now, today_jst
from renkei.store.core import Database
from renkei.store.draftrows import (
    CLOSED,
    Draft,
    DraftProject,
    cell_values,
    close_draft,
    draft_project,
    draft_row,
    heading_dict,
    lock_sphere,
    next_serial,
    open_draft,
    project_row,
    read_draft,
    snapshot,
    start_version,
)
from renkei.store.errors import StoreError
from renkei.store.faults import checkpoint
from renkei.store.imports import Imports
from renkei.store.reads import PublishedReads
from renkei.store.rebase import CellConflict, DraftSide, merge
from renkei.store.records import RevisionInfo, SphereSpec
from renkei.store.rows import latest_revision, load, revision_row, sphere_row
from renkei.store.schema import DraftProjectRow, DraftRow, SphereRow
from renkei.vision import editrules, textrules
from renkei.vision.diff import Amendments, diff
from renkei.vision.editrules import EDITABLE
from renkei.vision.model import Heading, Project, Role, Vision
from renkei.vision.reposts import is_marked
from renkei.vision.textrules import Problem

__all__ = ["Clash", "Conflict", "Draft", "DraftProject", "Drafts", "Invalid", "current_row", "save_row"]

VERSION_MAX = 2**31 - 1  # what the version columns hold (PostgreSQL's int4): a larger one matches nothing


class Conflict(StoreError):
    """A save that would overwrite what someone else saved since it was read: carries the current project and,
    cell by cell, both values (``clashes``; empty when the version read cannot be matched at all). The message
    names the project by its number and name, never by its internal serial."""

    def __init__(self, sphere: str, current: DraftProject, expected: int, clashes: Sequence[Clash] = ()) -> None:
        p = current.project
        super().__init__(
            "stale-version",
            sphere=sphere,
            number=p.number,
            name=p.name,
            serial=current.serial,
            expected=expected,
            version=current.version,
        )
        self.current = current
        self.clashes = list(clashes)


class Invalid(StoreError):
    """Values that cannot be saved, with a problem (code and parameters) per field; nothing was written."""

    def __init__(self, errors: dict[str, Problem]) -> None:
        super().__init__("invalid", fields=", ".join(errors))
        self.errors = errors


class Drafts:
    """The working copies of spheres' next revisions (a room of ``Store``), in its database: read against the
    published revisions (``reads``) and published as the next one (``imports``)."""

    def __init__(self, database: Database, reads: PublishedReads, imports: Imports) -> None:
        self.database = database
        self.reads = reads
        self.imports = imports

    # Reading -------------------------------------------------------------------------------------------

    def get(self, sphere: str) -> Draft:
        """The sphere's draft; where none is open, the newest revision as a draft that nobody edited yet."""
        with self.database.read() as session:
            snapshot(session)
            row = sphere_row(session, sphere)
            draft = session.get(DraftRow, row.id)
            if draft is None or draft.base_revision == CLOSED:
                latest = latest_revision(session, row.id)
                if latest is None:
                    raise StoreError("revision-unknown", sphere=row.key, revision="")
                vision, serials = load(session, row, latest)
                start = start_version(draft)  # the version the first save will open the draft at
                projects = [DraftProject(s, start, False, p) for p, s in zip(vision.projects, serials, strict=True)]
                return Draft(row.key, latest.number, start, vision, projects, exists=False)
            return read_draft(session, row, draft)

    def project(self, sphere: str, serial: int) -> DraftProject:
        found = next((p for p in self.get(sphere).projects if p.serial == serial), None)
        if found is None:
            raise StoreError("draft-project-unknown", sphere=sphere, serial=serial)
        return found

    def amendments(self, sphere: str) -> Amendments:
        """What publishing the draft would change against the newest revision: shown before publishing."""
        draft = self.get(sphere)
        published = self.reads.vision(sphere, draft.base_revision)
        with self.database.read() as session:
            row = sphere_row(session, sphere)
            _, serials = load(session, row, revision_row(session, row, draft.base_revision))
        by_serial = dict(zip(serials, published.projects, strict=True))
        live = [dp for dp in draft.projects if not dp.retired]
        pairs: list[tuple[Project | None, Project | None]] = [
            (by_serial.pop(dp.serial, None), dp.project) for dp in live
        ]
        pairs += [(p, None) for p in by_serial.values()]
        return diff(published, draft.vision, pairs)

    # Writing -------------------------------------------------------------------------------------------

    @contextmanager
    def _writing(self, sphere: str) -> Iterator[tuple[Session, SphereRow]]:
        """A write transaction on the sphere's draft, holding the sphere's row lock."""
        with self.database.write() as session:
            row = sphere_row(session, sphere)
            lock_sphere(session, row)
            yield session, row

    def _guard(self, actor: Actor, action: Action, sphere: str, municipality: tuple[str, ...] = ()) -> None:
        if not allowed(actor.principal, action, sphere, municipality):
            raise Forbidden(action, sphere)

    def update_project(
        self, sphere: str, serial: int, changes: dict[str, Any], expected: int, actor: Actor
    ) -> DraftProject:
        """Edit, renumber or move a project (secretariat)."""
        self._guard(actor, Action.EDIT_PROJECT, sphere)
        unknown = set(changes) - set(EDITABLE)
        if unknown:
            raise Invalid({name: Problem("not-editable") for name in sorted(unknown)})
        with self._writing(sphere) as (session, row):
            open_draft(session, row)
            current = current_row(session, row, serial)
            before = draft_project(current, {}).as_dict()
            values = self._validated(session, row, changes, serial)
            if "position" in values:
                values["position"] = self._make_room(session, row, serial, values["position"])
            save_row(session, row, serial, expected, values, changes)
            after = self._as_dict(session, row, serial)
            record(
                session,
                actor,
                "project-edit",
                row.key,
                f"project:{serial}",
                _subset(before, changes),
                _subset(after, changes),
            )
        return self.project(sphere, serial)

    def add_project(self, sphere: str, data: dict[str, Any], actor: Actor, members: Sequence[str] = ()) -> DraftProject:
        """Add a project at the end of its field (secretariat); its number must be free. ``members`` take part
        from the start (○), each one save of the new project with its own audit entry, all in the same
        transaction as the project: an unknown town adds nothing."""
        self._guard(actor, Action.EDIT_PROJECT, sphere)
        towns = [self._member(sphere, town) for town in dict.fromkeys(members)]  # read before the write
        for town in towns:
            self._guard(actor, Action.MARK, sphere, tuple(filter(None, (town.code, town.name))))
        with self._writing(sphere) as (session, row):
            draft = open_draft(session, row)
            values = self._validated(session, row, {k: v for k, v in data.items() if k in EDITABLE}, None, require=True)
            serial = next_serial(session, row)
            position = values.pop("position", None)
            if position is None:
                position = self._position_for(session, row, values)
            version = draft.version  # above any version this serial had in a discarded draft
            session.execute(
                update(DraftProjectRow)
                .where(DraftProjectRow.sphere_id == row.id, DraftProjectRow.position >= position)
                .values(position=DraftProjectRow.position + 1)
                .execution_options(synchronize_session=False)
            )
            # The fields given, over the declared empty values of the others.
            made = project_row(row.id, serial, position, Project(values["number"], values["name"]), version)
            made.payload = {**made.payload, **values.pop("payload", {})}
            for column, value in values.items():
                setattr(made, column, value)
            session.add(made)
            draft.version += 1
            session.flush()
            record(
                session, actor, "project-add", row.key, f"project:{serial}", None, self._as_dict(session, row, serial)
            )
            marks: dict[str, str] = {}
            for town in towns:
                marks[town.name] = Role.MEMBER.value
                cell = {f"mark:{town.name}": Role.MEMBER.value}
                version = save_row(session, row, serial, version, {"marks": dict(marks)}, cell)
                where = f"project:{serial}/{town.name}"
                record(session, actor, "mark", row.key, where, {"role": None}, {"role": Role.MEMBER.value})
        return self.project(sphere, serial)

    def retire_project(self, sphere: str, serial: int, expected: int, actor: Actor) -> DraftProject:
        """Retire a project (secretariat): it leaves the next revision; its history stays."""
        self._guard(actor, Action.EDIT_PROJECT, sphere)
        with self._writing(sphere) as (session, row):
            open_draft(session, row)
            current = current_row(session, row, serial)
            named = {"number": current.number, "name": current.name}  # the audit names it once it is gone
            save_row(session, row, serial, expected, {"retired": True}, {"retired": True})
            after = {"retired": True, **named}
            record(session, actor, "project-retire", row.key, f"project:{serial}", {"retired": False}, after)
        return self.project(sphere, serial)

    def set_mark(
        self, sphere: str, serial: int, municipality: str, role: Role | None, expected: int, actor: Actor
    ) -> DraftProject:
        """Mark (member or lead) or unmark one municipality on one project: the secretariat, or that
        municipality's own editor."""
        member = self._member(sphere, municipality)  # before the write: it reads through a connection of its own
        self._guard(actor, Action.MARK, sphere, tuple(filter(None, (member.code, member.name))))
        with self._writing(sphere) as (session, row):
            open_draft(session, row)
            current = current_row(session, row, serial)
            marks = dict(current.marks)
            before = marks.get(member.name)
            if role is None:
                marks.pop(member.name, None)
            else:
                marks[member.name] = role.value
            cell = {f"mark:{member.name}": role.value if role else None}
            save_row(session, row, serial, expected, {"marks": marks}, cell)
            record(
                session,
                actor,
                "mark",
                row.key,
                f"project:{serial}/{member.name}",
                {"role": before},
                {"role": role.value if role else None},
            )
        return self.project(sphere, serial)

    def set_note(
        self, sphere: str, serial: int, municipality: str, note: str, expected: int, actor: Actor
    ) -> DraftProject:
        """A note on one municipality's participation in a project (the secretariat, or that municipality)."""
        if (trouble := textrules.problem("note", note)) is not None:
            raise Invalid({"note": trouble})
        member = self._member(sphere, municipality)  # before the write: it reads through a connection of its own
        self._guard(actor, Action.NOTE, sphere, tuple(filter(None, (member.code, member.name))))
        with self._writing(sphere) as (session, row):
            open_draft(session, row)
            current = current_row(session, row, serial)
            notes = dict(current.notes)
            before = notes.get(member.name)
            if note.strip():
                notes[member.name] = note.strip()
            else:
                notes.pop(member.name, None)
            save_row(session, row, serial, expected, {"notes": notes}, {f"note:{member.name}": notes.get(member.name)})
            record(
                session,
                actor,
                "note",
                row.key,
                f"project:{serial}/{member.name}",
                {"note": before},
                {"note": notes.get(member.name)},
            )
        return self.project(sphere, serial)

    def relabel(self, sphere: str, level: str, old: Heading, new: Heading, expected: int, actor: Actor) -> Draft:
        """Change a pillar or field heading's label and title on every project under it (secretariat);
        ``expected`` is the draft's version."""
        self._guard(actor, Action.EDIT_PROJECT, sphere)
        if level not in ("pillar", "field"):
            raise Invalid({"level": Problem("heading-level")})
        if not new.title.strip():
            raise Invalid({"title": editrules.REQUIRED})
        if troubles := editrules.heading_problems(new):
            raise Invalid(troubles)
        with self._writing(sphere) as (session, row):
            draft = open_draft(session, row)
            if expected != draft.version:
                raise StoreError("stale-draft", sphere=row.key, expected=expected, version=draft.version)
            label, title = getattr(DraftProjectRow, f"{level}_label"), getattr(DraftProjectRow, f"{level}_title")
            under = session.scalars(
                select(DraftProjectRow).where(
                    DraftProjectRow.sphere_id == row.id, label == old.label, title == old.title
                )
            ).all()
            for project in under:  # each project's heading cell changes: a save against an older version of it clashes
                setattr(project, f"{level}_label", new.label)
                setattr(project, f"{level}_title", new.title)
                project.version += 1
                project.cells = cells.touched(project.cells or {}, [level], project.version)
            changed = len(under)
            if not changed:
                raise StoreError("heading-unknown", heading=str(old))
            draft.version += 1
            record(session, actor, f"{level}-relabel", row.key, str(old), heading_dict(old), heading_dict(new))
        return self.get(sphere)

    def publish(
        self,
        sphere: str,
        message: str,
        actor: Actor,
        effective_on: datetime.date | None = None,
        reviewed: int | None = None,
    ) -> RevisionInfo:
        """Make the draft the sphere's next revision (secretariat) and close it. ``reviewed`` is the draft's
        version the publisher looked at (the review page carries it): a draft changed since is refused
        (``stale-draft``), and so is a draft whose base is no longer the newest revision (``stale-base``: an
        import came in meanwhile; rebase first), since publishing it would silently undo that import."""
        self._guard(actor, Action.PUBLISH, sphere)
        if not message.strip():
            raise Invalid({"message": editrules.REQUIRED})
        if (trouble := textrules.problem("message", message)) is not None:
            raise Invalid({"message": trouble})
        draft = self.get(sphere)  # what the sphere is matched by; the draft itself is read under the lock
        if not draft.exists:
            raise StoreError("draft-empty", sphere=sphere)
        base: list[int] = []

        def read(session: Session, row: SphereRow) -> tuple[Vision, list[int]]:
            # Under the sphere's lock, in the publishing transaction: no save comes in between this read and the
            # commit, so what is published is exactly the draft as it stands (or as the publisher reviewed it).
            lock_sphere(session, row)
            current = draft_row(session, row)
            if reviewed is not None and current.version != reviewed:
                raise StoreError("stale-draft", sphere=row.key, expected=reviewed, version=current.version)
            latest = latest_revision(session, row.id)
            if latest is not None and latest.number != current.base_revision:
                raise StoreError("stale-base", sphere=row.key, base=current.base_revision, latest=latest.number)
            now_draft = read_draft(session, row, current)
            live = [dp for dp in now_draft.projects if not dp.retired]
            numbers = [dp.project.number for dp in live if not is_marked(dp.project)]  # a 再掲 keeps its project's
            if len(set(numbers)) != len(numbers):
                raise Invalid({"number": Problem("number-duplicate")})
            base.append(current.base_revision)
            return now_draft.vision, [dp.serial for dp in live]

        def close(session: Session, row: SphereRow) -> None:
            close_draft(session, row)
            record(session, actor, "publish", row.key, None, {"revision": base[0]}, {"message": message.strip()})

        result = self.imports.import_vision(
            draft.vision,
            SphereSpec(key=sphere),
            author=actor.username,
            message=message.strip(),
            effective_on=effective_on or today_jst(),
            on_sphere=read,
            before_commit=close,
        )
        if not result.created:
            raise StoreError("draft-unchanged", sphere=sphere)
        return result.revision

    def rebase(self, sphere: str, actor: Actor, reviewed: int | None = None) -> list[CellConflict]:
        """Move the draft onto the newest revision (secretariat): its changes applied to it cell by cell
        (``renkei.store.rebase``); the conflicts, where the draft's value was kept, are returned and audited.
        Every project gets a new version, so a save made against the old base is refused."""
        self._guard(actor, Action.EDIT_PROJECT, sphere)
        with self._writing(sphere) as (session, row):
            draft = draft_row(session, row)
            if reviewed is not None and reviewed != draft.version:
                raise StoreError("stale-draft", sphere=row.key, expected=reviewed, version=draft.version)
            latest = latest_revision(session, row.id)
            if latest is None or latest.number == draft.base_revision:
                return []
            base_vision, base_serials = load(session, row, revision_row(session, row, draft.base_revision))
            newest, newest_serials = load(session, row, latest)
            current = read_draft(session, row, draft)
            sides = [DraftSide(dp.serial, dp.project, dp.retired, dp.notes) for dp in current.projects]
            merged, conflicts = merge(
                dict(zip(base_serials, base_vision.projects, strict=True)),
                newest,
                newest_serials,
                sides,
                next_serial(session, row),
            )
            version = draft.version + 1
            session.execute(delete(DraftProjectRow).where(DraftProjectRow.sphere_id == row.id))
            session.flush()
            for position, m in enumerate(merged):
                drafted = project_row(row.id, m.serial, position, m.project, version)
                drafted.retired, drafted.notes = m.retired, m.notes
                session.add(drafted)
            before = draft.base_revision
            draft.base_revision, draft.version, draft.updated_at = latest.number, version, now()
            record(
                session,
                actor,
                "draft-rebase",
                row.key,
                None,
                {"revision": before},
                {"revision": latest.number, "conflicts": [c.as_dict() for c in conflicts]},
            )
            checkpoint("commit")  # the kill sweep's point inside the rebase's writes (renkei.store.faults)
        return conflicts

    def three_way(self, sphere: str) -> tuple[int, int, Amendments, Amendments]:
        """For a draft whose base is no longer the newest revision: base, newest, and the amendments from the
        base to the newest revision and from the base to the draft."""
        draft = self.get(sphere)
        latest = self.reads.history(sphere)[-1].number
        return (
            draft.base_revision,
            latest,
            self.reads.diff(sphere, draft.base_revision, latest),
            self.amendments(sphere),
        )

    def discard(self, sphere: str, actor: Actor) -> None:
        self._guard(actor, Action.EDIT_PROJECT, sphere)
        with self._writing(sphere) as (session, row):
            close_draft(session, row)
            record(session, actor, "draft-discard", row.key)

    # Helpers -------------------------------------------------------------------------------------------

    def _member(self, sphere: str, wanted: str) -> Any:
        vision = self.reads.vision(sphere)
        member = vision.find_municipality(wanted)
        if member is None:
            raise StoreError("not-a-member", sphere=sphere, municipality=wanted)
        return member

    def _as_dict(self, session: Session, sphere: SphereRow, serial: int) -> dict[str, Any]:
        session.expire_all()
        return draft_project(current_row(session, sphere, serial), {}).as_dict()

    def _make_room(self, session: Session, sphere: SphereRow, serial: int, index: int) -> int:
        """Number the other projects around place ``index`` of the draft's order (0 is the first), so that
        the project moved there takes it alone; the position to give it (``index``, or the end)."""
        others = session.execute(
            select(DraftProjectRow.id, DraftProjectRow.position)
            .where(DraftProjectRow.sphere_id == sphere.id, DraftProjectRow.serial != serial)
            .order_by(DraftProjectRow.position, DraftProjectRow.serial)
        ).all()
        index = min(index, len(others))
        for i, (row_id, position) in enumerate(others):
            wanted = i if i < index else i + 1
            if position != wanted:
                session.execute(
                    update(DraftProjectRow)
                    .where(DraftProjectRow.id == row_id)
                    .values(position=wanted)
                    .execution_options(synchronize_session=False)
                )
        return index

    def _position_for(self, session: Session, sphere: SphereRow, values: dict[str, Any]) -> int:
        """After the last project of the same field, or at the end."""
        rows = session.scalars(
            select(DraftProjectRow).where(DraftProjectRow.sphere_id == sphere.id).order_by(DraftProjectRow.position)
        ).all()
        same = [
            r.position
            for r in rows
            if (r.field_label, r.field_title) == (values.get("field_label"), values.get("field_title"))
        ]
        return max(same) + 1 if same else (max((r.position for r in rows), default=-1) + 1)

    def _validated(
        self, session: Session, sphere: SphereRow, changes: dict[str, Any], serial: int | None, require: bool = False
    ) -> dict[str, Any]:
        """Column values from user input under ``renkei.vision.editrules``, or Invalid; nothing is written on error."""

        def taken(number: int) -> bool:
            holder = session.scalar(
                select(DraftProjectRow.serial).where(
                    DraftProjectRow.sphere_id == sphere.id,
                    DraftProjectRow.number == number,
                    DraftProjectRow.retired.is_(False),
                )
            )
            return holder is not None and holder != serial

        values, errors = editrules.validate(changes, taken, require)
        if errors:
            raise Invalid(errors)
        return values


def _subset(values: dict[str, Any], changes: dict[str, Any]) -> dict[str, Any]:
    """Only the fields a save touched, for the audit trail."""
    return {k: values[k] for k in changes if k in values}


def current_row(session: Session, sphere: SphereRow, serial: int) -> DraftProjectRow:
    """A draft project's row, in the caller's transaction."""
    # populate_existing: the row as the database holds it now, not as an object this session still holds
    # (the saves update rows with Core statements, which leave such an object's version behind).
    row = session.scalar(
        select(DraftProjectRow)
        .where(DraftProjectRow.sphere_id == sphere.id, DraftProjectRow.serial == serial)
        .execution_options(populate_existing=True)
    )
    if row is None:
        raise StoreError("draft-project-unknown", sphere=sphere.key, serial=serial)
    return row


def save_row(
    session: Session,
    sphere: SphereRow,
    serial: int,
    expected: int,
    values: dict[str, Any],
    yours: Mapping[str, Any] | None = None,
) -> int:
    """Write ``values`` (columns) that change the cells ``yours`` names (cell → the value sent), made against
    version ``expected``: merged into the project as it stands when none of those cells changed since, else
    ``Conflict`` with both values of each cell (``renkei.store.cells``). The project's new version. In the caller's
    transaction, which holds the sphere's row lock (``Drafts`` and ``Results`` save through it alike)."""
    yours = dict(yours or {})
    current = current_row(session, sphere, serial)
    recorded = dict(current.cells or {})
    known = 0 <= expected < VERSION_MAX  # no larger version is out there: the database need not be asked
    stale = cells.changed_since(recorded, current.version, expected, yours) if known else None
    if stale is None:
        raise Conflict(sphere.key, draft_project(current, {}), expected)
    if found := cells.clashes(stale, cell_values(current, stale), yours):
        raise Conflict(sphere.key, draft_project(current, {}), expected, found)
    if "payload" in values:  # a payload field changed: the others kept as they stand
        values = {**values, "payload": {**(current.payload or {}), **values["payload"]}}
    version = current.version
    result = session.execute(
        update(DraftProjectRow)
        .where(
            DraftProjectRow.sphere_id == sphere.id,
            DraftProjectRow.serial == serial,
            DraftProjectRow.version == version,
        )
        .values(**values, version=version + 1, cells=cells.touched(recorded, yours, version + 1))
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:  # type: ignore[attr-defined]
        # Every write holds the sphere's lock, so this is a guard, not a path: read in this transaction (a
        # second connection here can exhaust the pool when many saves collide).
        session.expire_all()
        raise Conflict(sphere.key, draft_project(current_row(session, sphere, serial), {}), expected)
    session.execute(
        update(DraftRow)
        .where(DraftRow.sphere_id == sphere.id)
        .values(updated_at=now(), version=DraftRow.version + 1)
        .execution_options(synchronize_session=False)
    )
    return version + 1
