"""renkei's own metadata row: the identity and declared figures that an exported table carries.

A table renkei writes (official layout, Markdown, CSV, XLSX) opens with one row whose first cell is the marker
``renkei.vision/1`` and whose other cells are ``名前：値`` fields:

- the sphere's identity: 圏域キー (the registry's key), 圏域名, 種類, 中心市 (code and name), 都道府県, and the
  edition it was exported from: 版 (revision number) and 適用日 (effective date), and 抜粋 (what a part of
  the table was filtered by: such a file is not a whole revision, and an import refuses it);
- where the table's own figures are computed (the XLSX writes live formulas), the declared figures that differ
  from them: 記載の連携町数 (number:count for each project whose declared count differs, empty where none was
  declared) and, when any total differs (a fragment's totals count its missing rows), the whole declared row:
  記載の連携事業数計 (municipality:total) and 記載の総計. A ○ added in the workbook then moves every figure
  that agreed with the marks, while those the marks cannot give stay as the document declared them. 数値：計算式
  says that the other figures are the formulas' results: a workbook that no spreadsheet program has calculated
  yet (written by a program) holds none, and the reader takes the figures the marks give;
- 数式無効化：' where cells that Excel would take for a formula (starting with = + - @, a tab or a carriage
  return, OWASP's list) were written with a leading apostrophe, which reading removes again.

A Markdown table carries the same fields in an HTML comment (``<!-- renkei.vision/1<TAB>…<TAB>… -->``), which a
Markdown viewer does not show. The long-form CSV (one row per link) opens with ``renkei.links/1`` and the same
fields (``ingest.long`` reads it back); met by the layout itself (a long form whose columns were lost), that row
is a read error.

``read_meta`` takes the row off the rows before the layout reads them; ``Meta.begin`` gives the reader the
sphere the row names, ``Meta.finish`` the declared figures and the edition.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field

from renkei.ingest.errors import TableReadError
from renkei.ingest.grid import Cell, Row
from renkei.model import Edition, Finding, Municipality, Sphere, SphereKind, Vision
from renkei.municipalities import Registry

MARKER = "renkei.vision/1"
LINKS_MARKER = "renkei.links/1"
COMPUTED = "（計算値）"
# Characters that make a spreadsheet read a cell as a formula (OWASP, CSV injection). The Japanese long
# vowel ー and the full-width minus － are text, not formula characters.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_QUOTE = "'"
_SEPARATOR = "："
# How far down a table the row is looked for: a title line and a blank line may come first.
_SEARCHED = 4

KEY, NAME, KIND, CENTRAL, PREFECTURE = "圏域キー", "圏域名", "種類", "中心市", "都道府県"
REVISION, EFFECTIVE, EXCERPT = "版", "適用日", "抜粋"
COUNTS, TOTALS, GRAND = "記載の連携町数", "記載の連携事業数計", "記載の総計"
FIGURES, FORMULAS = "数値", "計算式"
NEUTRALISED = "数式無効化"


# Writing ----------------------------------------------------------------------------------------------------


def meta_fields(vision: Vision, *, declared: bool = False, neutralised: bool = False) -> list[str]:
    """The metadata row's cells. ``declared`` adds the declared figures, for a format whose table holds
    computed ones; ``neutralised`` says that cells were written with ``neutralise``."""
    sphere, edition = vision.sphere, vision.edition
    central = sphere.central_city
    values: list[tuple[str, object]] = [
        (KEY, edition.sphere_key),
        (NAME, sphere.name or None),
        (KIND, sphere.kind.value),
        (CENTRAL, f"{central.code or ''} {central.name}".strip() if central else None),
        (PREFECTURE, sphere.prefecture),
        (REVISION, edition.revision),
        (EFFECTIVE, edition.effective_on),
        (EXCERPT, edition.excerpt),
    ]
    if declared:
        values += declared_fields(vision)
    if neutralised:
        values.append((NEUTRALISED, _QUOTE))
    return [MARKER, *(f"{name}{_SEPARATOR}{value}" for name, value in values if value is not None)]


def declared_fields(vision: Vision) -> list[tuple[str, object]]:
    """The declared figures that differ from the computed ones, for a table whose cells hold computed figures:
    each 連携町数 that differs (empty where the document declared none), and the whole 連携事業数計 row with
    its grand total when any of it differs (a fragment's totals count its missing rows)."""
    counts = ",".join(f"{p.number}:{_figure(p.declared_count)}" for p in vision.projects if p.declared_count != p.count)
    fields: list[tuple[str, object]] = [(FIGURES, FORMULAS)]
    fields += [(COUNTS, counts)] if counts else []
    present = vision.present_totals()
    declared = {m.name: vision.declared_totals.get(m.name) for m in vision.municipalities}
    if declared != present or vision.declared_grand_total != vision.present_links():
        totals = ",".join(f"{name}:{n}" for name, n in declared.items() if n is not None)
        fields += [(TOTALS, totals), (GRAND, _figure(vision.declared_grand_total))]
    return fields


def computed_differs(vision: Vision) -> tuple[bool, bool]:
    """Whether a table of computed figures writes counts, and totals, other than those the document declared."""
    fields = dict(declared_fields(vision))
    return COUNTS in fields, TOTALS in fields


def _figure(value: int | None) -> str:
    return "" if value is None else str(value)


def links_notice(vision: Vision, order: list[str]) -> list[str]:
    """The closing record of the long-form CSV: what it is, the sphere and the declared figures (as the wide
    forms carry them), and the columns' order (``列順``), so that reading it back gives the table it came from."""
    fields = meta_fields(vision, declared=True, neutralised=True)[1:]
    return [LINKS_MARKER, "縦長形式（1行に1つの参加）", *fields, f"列順{_SEPARATOR}{','.join(order)}"]


def neutralise(text: str) -> str:
    """A cell's text that no spreadsheet runs as a formula: a leading apostrophe where it starts with a
    formula character (or with an apostrophe, so that ``unneutralise`` restores every text exactly)."""
    return _QUOTE + text if text.startswith((*FORMULA_STARTS, _QUOTE)) else text


def unneutralise(text: str) -> str:
    if text.startswith(_QUOTE) and text[1:].startswith((*FORMULA_STARTS, _QUOTE)):
        return text[1:]
    return text


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
            name, separator, value = text.partition(_SEPARATOR)
            if separator:
                meta.fields.setdefault(name.strip(), value.strip())
        rest = rows[:index] + rows[index + 1 :]
        if meta.fields.get(NEUTRALISED) == _QUOTE:
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
    return Row(cells, row.location) if cells != row.cells else row
