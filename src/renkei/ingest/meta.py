"""renkei's own metadata row read back: the identity and declared figures that an exported table carries.

The row's format, and how renkei writes it, is ``renkei.vision.ownformat``'s (shared with the renderers). Met by the
layout itself (a long form whose columns were lost), the long form's row is a read error.

``read_meta`` takes the row off the rows before the layout reads them; ``Meta.begin`` gives the reader the
sphere the row names, ``Meta.finish`` the declared figures and the edition.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field

from renkei.ingest.errors import TableReadError
from renkei.ingest.grid import Cell, Row
from renkei.places.municipalities import Registry
from renkei.vision.model import Edition, Finding, Municipality, Sphere, SphereKind, Vision
from renkei.vision.ownformat import (
    CENTRAL,
    COMPUTED,
    COUNTS,
    EFFECTIVE,
    EXCERPT,
    FIGURES,
    FORMULAS,
    GRAND,
    KEY,
    KIND,
    LINKS_MARKER,
    MARKER,
    NAME,
    NEUTRALISED,
    PREFECTURE,
    QUOTE,
    REVISION,
    SEPARATOR,
    TOTALS,
    unneutralise,
)

# How far down a table the row is looked for: a title line and a blank line may come first.
_SEARCHED = 4


# Reading ----------------------------------------------------------------------------------------------------


@dataclass
class Meta:
    """What a metadata row says."""

    fields: dict[str, str] = field(default_factory=dict)
    notes: list[Finding] = field(default_factory=list)  # what the reader says of the row (ingest/tidy.py)

    def begin(self, given: Sphere, registry: Registry) -> Sphere:
        """The sphere to read the table with: what the caller gave, completed by what the row names."""
        sphere = dataclasses.replace(given)
        if not sphere.name and self.fields.get(NAME):
            sphere.name = self.fields[NAME]
            kind = self.fields.get(KIND, "")
            sphere.kind = SphereKind(kind) if kind in SphereKind._value2member_map_ else sphere.kind
        sphere.prefecture = sphere.prefecture or self.fields.get(PREFECTURE) or None
        if sphere.central_city is None and self.fields.get(CENTRAL):
            sphere.central_city = _central(self.fields[CENTRAL], sphere.prefecture, registry)
        return sphere

    def finish(self, vision: Vision) -> None:
        """The edition, and the declared figures where the row carries them (in place of computed ones)."""
        revision = self.fields.get(REVISION, "")
        vision.edition = Edition(
            self.fields.get(KEY) or None,
            int(revision) if revision.isdigit() else None,
            self.fields.get(EFFECTIVE) or None,
            self.fields.get(EXCERPT) or None,
        )
        vision.labels.count = vision.labels.count.removesuffix(COMPUTED)
        # Formulas that no spreadsheet program has calculated yet (a workbook written by a program) hold no
        # figure; the row says that the document's figures are what they compute, where it lists no other.
        formulas = self.fields.get(FIGURES) == FORMULAS
        counts = _pairs(self.fields.get(COUNTS, ""))
        for project in vision.projects:
            if str(project.number) in counts:
                project.declared_count = counts.pop(str(project.number))
            elif formulas and project.declared_count is None:
                project.declared_count = project.count
        if TOTALS in self.fields:
            totals = {name: n for name, n in _pairs(self.fields[TOTALS]).items() if n is not None}
            vision.declared_totals = {m.name: totals[m.name] for m in vision.municipalities if m.name in totals}
            grand = self.fields.get(GRAND, "")
            vision.declared_grand_total = int(grand) if grand.isdigit() else None
        elif formulas and not vision.declared_totals and vision.declared_grand_total is None:
            vision.declared_totals = dict(vision.present_totals())
            vision.declared_grand_total = vision.present_links()


def _pairs(text: str) -> dict[str, int | None]:
    """``name:figure`` pairs; an empty figure is a figure the document did not declare."""
    pairs: dict[str, int | None] = {}
    for item in text.split(","):
        name, _, value = item.rpartition(":")
        if name:
            pairs.setdefault(name, int(value) if value.isdigit() else None)
    return pairs


def _central(text: str, prefecture: str | None, registry: Registry) -> Municipality:
    code, _, name = text.partition(" ")
    entry = registry.by_code(code) if code.isdigit() else None
    if entry is None:
        name = text if not code.isdigit() else name
        entry = registry.resolve(name, prefecture).entry
    if entry is None:
        return Municipality(name)
    return Municipality(entry.name, entry.code, entry.prefecture)


def read_meta(rows: list[Row]) -> tuple[list[Row], Meta | None]:
    """The rows without the metadata row, and what it says (None when the table has none)."""
    for index, row in enumerate(rows[:_SEARCHED]):
        cells = _meta_cells(row)
        if cells is None:
            continue
        if cells[0] == LINKS_MARKER:
            raise TableReadError("long-form-not-table", row.location)
        meta = Meta()
        for text in cells[1:]:
            name, separator, value = text.partition(SEPARATOR)
            if separator:
                meta.fields.setdefault(name.strip(), value.strip())
        rest = rows[:index] + rows[index + 1 :]
        if meta.fields.get(NEUTRALISED) == QUOTE:
            rest = [_unneutralised(r) for r in rest]
        return rest, meta
    return rows, None


def _meta_cells(row: Row) -> list[str] | None:
    if not row.filled:
        return None
    first = row.filled[0].text.strip()
    if first.startswith("<!--") and first.endswith("-->"):  # the Markdown form: one cell, fields by tabs
        parts = [p.strip() for p in first.removeprefix("<!--").removesuffix("-->").split("\t")]
        return parts if parts[0] in (MARKER, LINKS_MARKER) else None
    if first in (MARKER, LINKS_MARKER):
        return [c.text.strip() for c in row.filled]
    return None


def _unneutralised(row: Row) -> Row:
    cells = tuple(Cell(unneutralise(c.text), c.location, c.merged) for c in row.cells)
    return Row(cells, row.location, row.spans) if cells != row.cells else row
