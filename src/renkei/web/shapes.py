"""Answers the API's routers share: an amendment as JSON (the published diff's and the draft's)."""

from __future__ import annotations

from pydantic import BaseModel

from renkei.diff import Change


class ChangeOut(BaseModel):
    kind: str
    number: int | None
    project: str | None
    municipality: str | None
    before: str | None
    after: str | None
    detail: str | None


def change_out(c: Change) -> ChangeOut:
    return ChangeOut(
        kind=c.kind.value,
        number=c.number,
        project=c.project,
        municipality=c.municipality,
        before=c.before,
        after=c.after,
        detail=c.detail,
    )
