"""Results (実績) entered into the draft, and a sphere's grade thresholds (評価基準).

Entering a year's result is an edit of the project's ``kpis`` field in the draft: it goes through the drafts'
own save (``drafts.save_row``: the project's version checked and raised, cell by cell, in one conditional UPDATE),
is validated by the field's rules (``renkei.vision.record.Kpis`` through ``renkei.vision.editrules``), audited
(``kpi-results``), and published with the rest of the draft as a new revision. Several entries are written all
or nothing, in one transaction under the sphere's row lock.

Who: the secretariat enters any result; a town's editor only its own share (a result whose ``town`` is its town)
of a KPI that has town shares (``renkei.publish.progress.has_shares``) in a project it takes part in. Anything else is
``Forbidden`` and nothing is written.

The thresholds are the sphere's own (``sphere.grades``, migration 0008), set by its secretariat or an
administrator, checked by ``renkei.vision.grades.Thresholds``, audited (``grade-thresholds``); renkei's default where
none is set. They grade every figure of the sphere at once: the visions the store reads carry them
(``Sphere.grade_thresholds``, read by ``renkei.vision.budgetfigures.thresholds_of``), a change refreshes the sphere's
national aggregates in its own transaction, and its audit entry moves the sphere's and the registry's generation
(``renkei.store.reads``), so that no answer kept in memory, in any process, grades with the old ones.
"""

from __future__ import annotations

import datetime
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from renkei.core.permissions import Action, allowed
from renkei.publish import progress
from renkei.store import aggregates
from renkei.store.accounts import Actor, Forbidden, record
from renkei.store.core import Database
from renkei.store.draftrows import DraftProject, draft_project, lock_sphere, open_draft
from renkei.store.drafts import Drafts, Invalid, current_row, save_row
from renkei.store.errors import StoreError
from renkei.store.reads import THRESHOLDS_SET, PublishedReads
from renkei.store.records import RevisionInfo
from renkei.store.rows import grade_thresholds, sphere_row
from renkei.vision import budgetfigures, editrules
from renkei.vision.diff import Amendments
from renkei.vision.grades import DEFAULT, Thresholds
from renkei.vision.model import Project, Vision
from renkei.vision.record import FIELDS, FISCAL_YEAR_MAX, FISCAL_YEAR_MIN
from renkei.vision.textrules import Problem

VALUE_MAX = 1e15  # the largest magnitude of a result (beyond it a typing slip, not a measurement)
THRESHOLD_MAX = 10.0  # 1,000 %: the highest threshold a sphere may set


@dataclass(frozen=True)
class ResultEntry:
    """One result to enter: the draft project (``serial``) at the version it was read (``version``), its
    ``kpi``-th KPI (from 0), the fiscal year, the value (None: listed, not measured) and the town whose share it
    is ("" for the whole KPI; a member's name or code)."""

    serial: int
    version: int
    kpi: int
    fiscal_year: int
    value: float | None
    town: str = ""


@dataclass(frozen=True)
class ReportBasis:
    """What a fiscal year's 取組状況 report is made of: the revision reported (the newest unless asked), the
    previous fiscal year's revision (the newest in force on 31 March of the year; None where the sphere has none)
    with the amendments from it, and the sphere's thresholds."""

    vision: Vision
    revision: RevisionInfo
    previous: RevisionInfo | None
    amendments: Amendments | None
    thresholds: Thresholds


class Results:
    def __init__(self, database: Database, reads: PublishedReads, drafts: Drafts) -> None:
        self.database = database
        self.reads = reads
        self.drafts = drafts

    # Thresholds ----------------------------------------------------------------------------------------

    def thresholds(self, sphere: str) -> Thresholds:
        """The sphere's grade thresholds; renkei's default where its secretariat set none."""
        with self.database.read() as session:
            row = sphere_row(session, sphere)
            return _thresholds(row.grades)

    def set_thresholds(self, sphere: str, thresholds: dict[str, float] | None, actor: Actor | None) -> Thresholds:
        """Set the sphere's thresholds ({"a", "b", "c"} as fractions), or back to the default with None. ``actor``
        None is the command line's operator, who holds the database (as ``renkei user`` does); anyone else needs
        the right to set them (the sphere's secretariat, an administrator)."""
        if actor is not None and not allowed(actor.principal, Action.GRADES, sphere):
            raise Forbidden(Action.GRADES, sphere)
        chosen = DEFAULT if thresholds is None else checked_thresholds(thresholds)
        with self.database.write() as session:
            row = sphere_row(session, sphere)
            before = _as_dict(_thresholds(row.grades))
            row.grades = None if thresholds is None else _as_dict(chosen)
            # The audit entry is what moves the generations (reads.THRESHOLDS_SET): in the same transaction.
            record(session, actor or Actor(None), THRESHOLDS_SET, row.key, None, before, _as_dict(chosen))
            session.flush()
            aggregates.refresh(session, [row.id])  # the national comparison's grade counts, regraded
        return chosen

    def basis(self, sphere: str, fiscal_year: int, number: int | None = None) -> ReportBasis:
        """The report's revision, the previous fiscal year's and the amendments between them, the thresholds."""
        revision = self.reads.revision(sphere, number)
        end = datetime.date(fiscal_year, 3, 31)  # the last day of the previous fiscal year
        earlier = [r for r in self.reads.history(sphere) if r.number <= revision.number and r.effective_on <= end]
        previous = earlier[-1] if earlier else None
        amendments = self.reads.diff(sphere, previous.number, revision.number) if previous else None
        vision = self.reads.vision(sphere, revision.number)  # carries the thresholds it is graded with
        return ReportBasis(vision, revision, previous, amendments, budgetfigures.thresholds_of(vision))

    # Results -------------------------------------------------------------------------------------------

    def enter(self, sphere: str, entries: Sequence[ResultEntry], actor: Actor) -> list[DraftProject]:
        """Enter the results, all or nothing; the projects as they now stand in the draft."""
        if not entries:
            raise Invalid({"entries": Problem("nothing-to-change")})
        vision = self.reads.vision(sphere)  # the members, read before the write (a connection of its own)
        towns: dict[str, tuple[str, ...]] = {"": ()}
        problems: dict[str, Problem] = {}
        for i, e in enumerate(entries):
            problems |= _entry_problems(i, e)
            if e.town and e.town not in towns:
                member = vision.find_municipality(e.town)
                if member is None:
                    raise StoreError("not-a-member", sphere=sphere, municipality=e.town)
                towns[e.town] = (member.name, *filter(None, (member.code,)))
        if problems:
            raise Invalid(problems)
        versions: dict[int, int] = {}
        for e in entries:
            if versions.setdefault(e.serial, e.version) != e.version:
                raise Invalid({f"serial {e.serial}": Problem("version-mixed")})
            if not allowed(actor.principal, Action.RESULT, sphere, towns[e.town]):
                raise Forbidden(Action.RESULT, sphere)
        wide = allowed(actor.principal, Action.RESULT, sphere)  # the secretariat's, not a town's own
        with self.database.write() as session:
            row = sphere_row(session, sphere)
            lock_sphere(session, row)
            open_draft(session, row)
            for serial, expected in versions.items():
                project = draft_project(current_row(session, row, serial), {}).project
                mine = [e for e in entries if e.serial == serial]
                kpis, before, after = _applied(project, mine, towns, wide, sphere)
                changes = {"kpis": FIELDS["kpis"].kind.json(kpis)}
                values, errors = editrules.validate(changes, lambda _: False)
                if errors:
                    raise Invalid(errors)
                save_row(session, row, serial, expected, values, changes)
                record(session, actor, "kpi-results", row.key, f"project:{serial}", before, after)
        draft = self.drafts.get(sphere)
        return [p for p in draft.projects if p.serial in versions]


def _applied(
    project: Project, entries: Sequence[ResultEntry], towns: dict[str, tuple[str, ...]], wide: bool, sphere: str
) -> tuple[list[Any], dict[str, Any], dict[str, Any]]:
    """The project's KPIs with the entries applied, and the audit's before and after (a line per result)."""
    kpis = list(project.kpis)
    before: dict[str, Any] = {}
    after: dict[str, Any] = {}
    for e in entries:
        if not 0 <= e.kpi < len(kpis):
            raise Invalid({f"serial {e.serial}.kpi": Problem("kpi-unknown", {"kpi": e.kpi})})
        town = towns[e.town][0] if e.town else ""
        kpi = kpis[e.kpi]
        if town and not wide and (town not in project.participants or not progress.has_shares(project, kpi)):
            raise Forbidden(Action.RESULT, sphere)  # a town's own share of a KPI it has no share in
        label = " / ".join(filter(None, (kpi.name, str(e.fiscal_year), town)))
        old = next((r.value for r in kpi.results if (r.fiscal_year, r.town) == (e.fiscal_year, town)), None)
        before.setdefault(label, old)
        after[label] = e.value
        kpis[e.kpi] = progress.entered(kpi, e.fiscal_year, e.value, town)
    return kpis, before, after


def _entry_problems(i: int, e: ResultEntry) -> dict[str, Problem]:
    where = f"entries.{i}"
    problems: dict[str, Problem] = {}
    if not FISCAL_YEAR_MIN <= e.fiscal_year <= FISCAL_YEAR_MAX:
        problems[f"{where}.fiscal_year"] = Problem("fiscal-year", {"min": FISCAL_YEAR_MIN, "max": FISCAL_YEAR_MAX})
    if e.value is not None and (not math.isfinite(e.value) or abs(e.value) > VALUE_MAX):
        problems[f"{where}.value"] = Problem("result-value", {"max": f"{VALUE_MAX:.0e}"})
    return problems


def checked_thresholds(values: dict[str, float]) -> Thresholds:
    """Thresholds from {"a", "b", "c"} (fractions), or Invalid: each finite, from 0 to 10, falling A ≥ B ≥ C."""
    try:
        a, b, c = (float(values[k]) for k in ("a", "b", "c"))
    except (KeyError, TypeError, ValueError):
        raise Invalid({"grades": Problem("grade-thresholds", {"max": int(THRESHOLD_MAX * 100)})}) from None
    if not all(math.isfinite(x) and 0 <= x <= THRESHOLD_MAX for x in (a, b, c)):
        raise Invalid({"grades": Problem("grade-thresholds", {"max": int(THRESHOLD_MAX * 100)})})
    try:
        return Thresholds(a, b, c)
    except ValueError:
        raise Invalid({"grades": Problem("grade-thresholds", {"max": int(THRESHOLD_MAX * 100)})}) from None


def _thresholds(stored: dict[str, float] | None) -> Thresholds:
    own = grade_thresholds(stored)
    return DEFAULT if own is None else Thresholds(*own)


def _as_dict(thresholds: Thresholds) -> dict[str, float]:
    return {"a": thresholds.a, "b": thresholds.b, "c": thresholds.c}
