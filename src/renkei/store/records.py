"""What the store takes and answers with: plain records, no database rows. ``SphereSpec`` lives with the
manifest (``renkei.national.manifest``), whose lines give one."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from renkei.national.manifest import SphereSpec as SphereSpec
from renkei.vision.model import Finding, Municipality, SphereKind, Vision


@dataclass(frozen=True)
class RevisionInfo:
    sphere: str
    number: int
    author: str
    created_at: datetime.datetime
    effective_on: datetime.date
    message: str
    source_name: str | None
    source_sha256: str | None
    content_hash: str
    findings: list[dict[str, Any]] = field(default_factory=list)


@dataclass(frozen=True)
class SphereInfo:
    key: str
    name: str
    kind: SphereKind
    prefecture: str | None
    central_city: Municipality | None
    plan_start: datetime.date | None
    plan_end: datetime.date | None
    replaces: str | None
    replaced_by: str | None
    members: int
    projects: int
    latest: RevisionInfo | None
    # The lifecycle (migration 0004): dates of 宣言/協定/ビジョン/廃止 as precise as known, whether the
    # country's list names the sphere, and how many municipalities its membership holds now.
    dates: dict[str, str] = field(default_factory=dict)
    listed: bool = False
    members_now: int = 0
    # A 複眼型 sphere's central cities beside ``central_city`` (its row names one), by the country's membership.
    other_centrals: tuple[Municipality, ...] = ()

    @property
    def central_cities(self) -> tuple[Municipality, ...]:
        """Every central city: the one the sphere's row names, then a 複眼型 sphere's others (by code)."""
        return (self.central_city, *self.other_centrals) if self.central_city else self.other_centrals

    @property
    def abolished(self) -> str | None:
        return self.dates.get("abolished")

    @property
    def has_table(self) -> bool:
        return self.latest is not None

    @property
    def members_shown(self) -> int:
        """The members a reader is shown: its newest table's columns, else the country's list's members now (a
        sphere known by its members only)."""
        return self.members if self.latest is not None else self.members_now


@dataclass(frozen=True)
class ImportResult:
    sphere: str
    revision: RevisionInfo
    created: bool
    findings: list[Finding]


@dataclass(frozen=True)
class SearchHit:
    sphere: str
    sphere_name: str
    revision: int
    number: int
    name: str
    description: str
    score: int
    number_label: str = ""  # the number as the document writes it, where not a whole number (1-1: 枝番号)

    @property
    def written_number(self) -> int | str:
        """The number as the page shows it: the document's path (1-1) where it wrote one, else the number."""
        return self.number_label or self.number


@dataclass
class Batched:
    """One revision of a bulk import (``Store.import_many``): what ``import_vision`` takes for one."""

    vision: Vision
    spec: SphereSpec
    author: str | None = None
    message: str = ""
    effective_on: datetime.date | None = None
    findings: Sequence[Finding] = ()
    source_name: str | None = None
    source_sha256: str | None = None
    content_hash: str | None = None  # content_hash(vision), where the caller computed it already
    meaning_hash: str | None = None  # identity.meaning_hash(vision), likewise
    # writes.project_values of each project in order, likewise (an import's workers compute them)
    project_rows: list[dict[str, Any]] | None = None
    force: bool = False  # an effective date before the newest revision's is kept, with a finding
