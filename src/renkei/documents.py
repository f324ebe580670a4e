"""The documents a secretariat hands out, built as plain tables for the renderers' ``document`` functions:
the amendment list (変更内容一覧), by project or by municipality, and one municipality's agreement schedule."""

from __future__ import annotations

from renkei.diff import Amendments, Change
from renkei.messages import DEFAULT, t
from renkei.model import Role, Vision
from renkei.render import Document, Sheet


def _role(value: str | None, lang: str) -> str | None:
    return t(f"role.{value}", lang) if value in {r.value for r in Role} else value


def _cells(change: Change, lang: str) -> tuple[str | None, str | None]:
    before, after = change.before, change.after
    if change.kind.value in ("municipality-joined", "municipality-left", "role-changed"):
        before, after = _role(before, lang), _role(after, lang)
    if change.detail:
        before = f"{change.detail}: {before}" if before is not None else change.detail
    return before, after


def amendments_document(amendments: Amendments, title: str, by: str = "project", lang: str = DEFAULT) -> Document:
    """The amendment list: one row per change, grouped by project (document order) or by municipality."""

    def kind(change: Change) -> str:
        return t(f"change.{change.kind.value}", lang)

    rows: tuple[tuple[object, ...], ...]
    if by == "municipality":
        columns = tuple(t(f"doc.{k}", lang) for k in ("municipality", "number", "project", "change", "before", "after"))
        rows = tuple(
            (name, c.number, c.project, kind(c), *_cells(c, lang))
            for name, changes in amendments.by_municipality().items()
            for c in changes
        )
    else:
        columns = tuple(t(f"doc.{k}", lang) for k in ("number", "project", "change", "municipality", "before", "after"))
        rows = tuple((c.number, c.project, kind(c), c.municipality, *_cells(c, lang)) for c in amendments.changes)
    sheet_title = t(f"doc.by_{by}", lang)
    note = t("doc.changes_count", lang, count=len(amendments.changes))
    return Document(title, (Sheet(sheet_title, columns, rows),), (note,))


def agreement_document(vision: Vision, municipality: str, title: str, lang: str = DEFAULT) -> Document:
    """The projects one municipality takes part in (its agreement's schedule), with roles and extra columns."""
    projects = vision.projects_of(municipality)
    attributes = [a for a in vision.attribute_names() if any(a in p.attributes for p in projects)]
    keys = ("number", "pillar", "field", "project", "description", "role")
    columns = (*(t(f"doc.{k}", lang) for k in keys), *attributes)
    rows = tuple(
        (
            p.number,
            str(p.pillar) if p.pillar else "",
            str(p.field) if p.field else "",
            p.name,
            p.description,
            t(f"role.{p.participants[municipality].value}", lang),
            *(p.attributes.get(a, "") for a in attributes),
        )
        for p in projects
    )
    note = t("doc.projects_count", lang, count=len(projects))
    return Document(title, (Sheet(t("doc.schedule", lang), columns, rows),), (note,))
