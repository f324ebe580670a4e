"""Answers the API's routers share: an amendment as JSON (the published diff's and the draft's), and the
summary an amendment list opens with."""

from __future__ import annotations

import dataclasses

from pydantic import BaseModel, Field

from renkei.publish.documents import unchanged_towns
from renkei.vision.diff import Amendments, Change


class FigureOut(BaseModel):
    """What a budget or KPI change is about (``renkei.vision.diff.Figure``); ``before``/``after`` hold its plain
    figures."""

    aspect: str = Field(
        description="budget (事業費), kpi (one added or removed), or a KPI's unit, baseline, target, result"
    )
    fiscal_year: int | None = Field(description="The fiscal year (the Western year it begins in); None: 総事業費")
    unit: str
    kpi: str
    before_year: int | None
    before_unit: str


class ChangeOut(BaseModel):
    kind: str
    number: int | None
    project: str | None
    municipality: str | None
    before: str | None
    after: str | None
    detail: str | None
    figure: FigureOut | None = None


def change_out(c: Change) -> ChangeOut:
    return ChangeOut(
        kind=c.kind.value,
        number=c.number,
        project=c.project,
        municipality=c.municipality,
        before=c.before,
        after=c.after,
        detail=c.detail,
        figure=FigureOut.model_validate(dataclasses.asdict(c.figure), from_attributes=False) if c.figure else None,
    )


class TownChanges(BaseModel):
    name: str
    changes: int = Field(description="The changes to this municipality's agreement (its 変更協定)")


class AmendmentSummary(BaseModel):
    """The counts the amendment list opens with, as the page and the documents show them."""

    added: int = Field(description="Projects added")
    retired: int = Field(description="Projects retired")
    joined: int = Field(description="Municipalities that joined the sphere")
    left: int = Field(description="Municipalities that left the sphere")
    reworded: int = Field(description="Projects renamed or described anew (each project once)")
    renumbered: int = Field(description="Projects renumbered")
    total: int = Field(description="All changes listed")
    municipalities: list[TownChanges] = Field(description="Each municipality whose agreement changes, in order")
    unchanged: list[str] = Field(description="The municipalities whose agreement does not change")


def summary_out(amendments: Amendments) -> AmendmentSummary:
    counts = amendments.summary()
    towns = [TownChanges(name=name, changes=len(c)) for name, c in amendments.by_municipality().items()]
    return AmendmentSummary(
        **{name: n for name, n in counts.items() if name != "figures"},  # the contract's counts (design.md)
        total=len(amendments.changes),
        municipalities=towns,
        unchanged=unchanged_towns(amendments),
    )
