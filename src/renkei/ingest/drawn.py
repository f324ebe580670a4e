"""Marks drawn as shapes over a sheet's cells: a circle (楕円) drawn with the drawing tools over a town's cell
instead of a ○ typed into it, as an office marks a printed form, and as Excel and Calc keep it: not in the cell
but in the sheet's drawing, anchored to cells by position.

Each shape's centre is found on the sheet's grid (the columns' widths and the rows' heights, as the workbook
gives them, else the defaults) and the shape is read as the mark it draws in the cell under its centre: an
ellipse or a flow chart's connector is ○, a donut or two circles drawn one in the other ◎, a triangle △, an
inverted triangle ▽; a text box or a shape holding a short text (○, 済) is that text. Only a cell with no text
of its own takes a drawn mark (a circle around a written word chooses it, and is no mark of a town); hidden
shapes, lines, arrows, pictures, freeforms and long texts (a note in a box) are not read. The readers say what
they read so (``shape-mark``): the cells are where the shapes' centres fall, which a shape straddling two cells
makes a guess worth a look.

``xlsx_anchors`` and ``xlsx_place`` read a workbook's drawings (openpyxl drops the shapes when it loads a
workbook); ``ods_shapes`` reads Calc's, which sit in the cells they are anchored to (or on the page); both are
placed with ``place`` on a ``Grid``. A Word table's shapes stand in the paragraph of their cell (``docx_mark``); a
PDF prints the circles as paths (``pdf_marks``); a web page may draw them as inline SVG (``svg_mark``).
"""

from __future__ import annotations

import bisect
import io
import math
import posixpath
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from lxml import etree

from renkei.ingest.xmlparts import column_letters, parse_xml
from renkei.ingest.zipped import ZIP_ERRORS
from renkei.vision.model import Finding, Location, Severity

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG = "http://schemas.openxmlformats.org/package/2006/relationships"
_XDR = "http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing"
_A = "http://schemas.openxmlformats.org/drawingml/2006/main"

# A preset geometry (DrawingML's prstGeom, OpenDocument's enhanced geometry type) → the mark it draws.
GEOMETRY_MARKS = {
    "ellipse": "○",
    "circle": "○",
    "flowchartconnector": "○",
    "flowchart-connector": "○",
    "donut": "◎",
    "ring": "◎",
    "triangle": "△",
    "isosceles-triangle": "△",
    "flowchartextract": "△",
    "flowchart-extract": "△",
    "flowchartmerge": "▽",
    "flowchart-merge": "▽",
}
_TEXT_MOST = 3  # a shape's text read as a cell's: a mark or a short word (済); a longer one is a note in a box
_EMU_PER_POINT = 12_700
_EMU_PER_PIXEL = 9_525
_MAX_DIGIT_PIXELS = 7  # Excel's column widths are in the width of a digit of the default font (Calibri 11: 7 px)
_DEFAULT_COLUMN_PIXELS = 64  # a column of the default width (8.43 digits)
_DEFAULT_ROW_POINTS = 15.0
_FARTHEST = 1e13  # EMU: some 270 km, far beyond any sheet's last cell (and no infinity, no NaN)
_CELLS_MOST = 1 << 20  # a sheet's rows (and more than its columns): an anchor beyond is on no cell
_SHAPES_MOST = 20_000  # shapes a sheet's drawing may hold before the rest are left unread (a hostile file)


@dataclass(frozen=True)
class Shape:
    """A shape drawn on a sheet: its box in EMU from the sheet's top-left corner, and the mark it draws."""

    left: float
    top: float
    right: float
    bottom: float
    mark: str  # "○", "△", …, or its short text

    @property
    def centre(self) -> tuple[float, float]:
        return (self.left + self.right) / 2, (self.top + self.bottom) / 2


def mark_of(geometry: str | None, text: str) -> str | None:
    """The mark a shape draws: its short text where it has one, else what its geometry is; None for any other
    shape (a line, an arrow, a rectangle without text, a note in a box)."""
    text = "".join(text.split())
    if text:
        return text if len(text) <= _TEXT_MOST else None
    return GEOMETRY_MARKS.get((geometry or "").lower())


class Grid:
    """A sheet's column edges and row edges in EMU, from its widths and heights (1-based columns and rows): each
    axis kept as its sized indexes in order with the extra length before each, so that a shape is placed in
    logarithmic time however many columns a workbook sizes (a ``<col max="16384">``)."""

    def __init__(
        self,
        column_widths: dict[int, float],
        row_heights: dict[int, float],
        default_width: float,
        default_height: float,
    ) -> None:
        self._columns = _Axis(column_widths, default_width)
        self._rows = _Axis(row_heights, default_height)

    def column_start(self, column: int) -> float:
        """The left edge of a column (1-based)."""
        return self._columns.start(column)

    def row_start(self, row: int) -> float:
        return self._rows.start(row)

    def cell_at(self, x: float, y: float) -> tuple[int, int]:
        """The (row, column) a point of the sheet falls in."""
        return self._rows.index(y), self._columns.index(x)


class _Axis:
    """One axis of a grid: the indexes of a size of their own, their sizes, where each starts, and the length
    they add over the default before each."""

    def __init__(self, sizes: dict[int, float], default: float) -> None:
        self.default = default
        self.keys = sorted(k for k in sizes if k >= 1)
        self.sizes = [sizes[k] for k in self.keys]
        self.extra = [0.0]  # the length the sized indexes before the k-th add over the default
        for size in self.sizes:
            self.extra.append(self.extra[-1] + size - default)
        self.edges = [(k - 1) * default + self.extra[i] for i, k in enumerate(self.keys)]

    def start(self, index: int) -> float:
        return (index - 1) * self.default + self.extra[bisect.bisect_left(self.keys, index)]

    def index(self, at: float) -> int:
        k = bisect.bisect_right(self.edges, at) - 1
        if k < 0:
            return 1 + int(at // self.default)
        end = self.edges[k] + self.sizes[k]
        if at < end:
            return self.keys[k]
        return self.keys[k] + 1 + int((at - end) // self.default)


def place(shapes: Iterable[Shape], grid: Grid, has_text: Iterable[tuple[int, int]]) -> dict[tuple[int, int], str]:
    """The marks the shapes draw, by the (row, column) of each shape's centre, where that cell has no text: two
    circles in one cell (one drawn in the other) are ◎."""
    written = set(has_text)
    found: dict[tuple[int, int], list[str]] = {}
    for shape in shapes:
        x, y = shape.centre
        if not (0 <= x < _FARTHEST and 0 <= y < _FARTHEST):  # off the sheet, or a hostile file's 1e400
            continue
        where = grid.cell_at(x, y)
        if where not in written:
            found.setdefault(where, []).append(shape.mark)
    return {where: _one(marks) for where, marks in found.items()}


def _one(marks: Sequence[str]) -> str:
    if len(marks) == 2 and set(marks) == {"○"}:
        return "◎"
    return next((m for m in marks if m not in GEOMETRY_MARKS.values()), marks[0])


# XLSX ------------------------------------------------------------------------------------------------------


def column_pixels(width: float) -> float:
    """A column's width in pixels from the width a workbook stores (in digits, padding included)."""
    return int(((256 * width + int(128 / _MAX_DIGIT_PIXELS)) / 256) * _MAX_DIGIT_PIXELS)


def xlsx_grid(
    column_widths: dict[int, float],
    row_heights: dict[int, float],
    default_width: float | None,
    default_height: float | None,
) -> Grid:
    """A workbook sheet's grid: widths in stored digits, heights in points."""
    default_w = column_pixels(default_width) if default_width else _DEFAULT_COLUMN_PIXELS
    widths = {c: column_pixels(w) * _EMU_PER_PIXEL for c, w in column_widths.items()}
    heights = {r: h * _EMU_PER_POINT for r, h in row_heights.items()}
    return Grid(widths, heights, default_w * _EMU_PER_PIXEL, (default_height or _DEFAULT_ROW_POINTS) * _EMU_PER_POINT)


def xlsx_anchors(data: bytes) -> dict[str, list[etree._Element]]:
    """Each sheet's drawing anchors (where its shapes stand), by the sheet's name; nothing for a sheet without a
    drawing or a workbook whose parts cannot be followed (its cells are read all the same). The anchors are
    placed on the sheet's grid by ``xlsx_place``."""
    found: dict[str, list[etree._Element]] = {}
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            book = _xml(archive, "xl/workbook.xml")
            targets = _targets(archive, "xl/workbook.xml", names)
            for sheet in book.iter(f"{{{_MAIN}}}sheet"):
                part = targets.get(sheet.get(f"{{{_REL}}}id") or "")
                if part is None:
                    continue
                drawings = [t for t in _targets(archive, part, names, "/drawing").values()]
                anchors = [a for d in drawings if d in names for a in _anchors(_xml(archive, d))]
                if anchors:
                    found[sheet.get("name") or ""] = anchors[:_SHAPES_MOST]
    except (*ZIP_ERRORS, etree.XMLSyntaxError):
        return {}
    return found


def xlsx_place(anchors: list[etree._Element], grid: Grid) -> list[Shape]:
    """The shapes of a sheet's anchors, each box on the sheet's grid, those that draw a mark only."""
    shapes: list[Shape] = []
    for anchor in anchors:
        box = _anchor_box(anchor, grid)
        if box is None:
            continue
        for child in anchor:
            shapes += _shapes(child, box, None)
    return shapes


def _xml(archive: zipfile.ZipFile, part: str) -> etree._Element:
    return parse_xml(archive.read(part))


def _targets(archive: zipfile.ZipFile, part: str, names: set[str], kind: str = "") -> dict[str, str]:
    """The parts a part's relationships point at, by relationship id (those whose type ends with ``kind``)."""
    folder, base = posixpath.split(part)
    rels = posixpath.join(folder, "_rels", f"{base}.rels")
    if rels not in names:
        return {}
    found = {}
    for rel in _xml(archive, rels).iter(f"{{{_PKG}}}Relationship"):
        target, rel_type = rel.get("Target") or "", rel.get("Type") or ""
        if rel.get("TargetMode") == "External" or not rel_type.endswith(kind):
            continue
        path = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join(folder, target))
        found[rel.get("Id") or ""] = path
    return found


def _anchors(drawing: etree._Element) -> list[etree._Element]:
    kinds = {f"{{{_XDR}}}{k}" for k in ("twoCellAnchor", "oneCellAnchor", "absoluteAnchor")}
    return [a for a in drawing if a.tag in kinds]


def _number(element: etree._Element | None, name: str) -> float:
    if element is None:
        return 0.0
    found = element.find(f"{{{_XDR}}}{name}")
    try:
        return float(found.text or 0) if found is not None else float(element.get(name) or 0)
    except ValueError:
        return 0.0


def _point(marker: etree._Element, grid: Grid) -> tuple[float, float]:
    """A cell anchor's point: its cell's corner (0-based column and row) and the offsets into it, in EMU; a
    cell beyond a sheet's last (a hostile file's 1e400) is off the sheet."""
    column, row = _number(marker, "col"), _number(marker, "row")
    if not (0 <= column < _CELLS_MOST and 0 <= row < _CELLS_MOST):
        return math.inf, math.inf
    x = grid.column_start(int(column) + 1) + _number(marker, "colOff")
    return x, grid.row_start(int(row) + 1) + _number(marker, "rowOff")


Box = tuple[float, float, float, float]


def _anchor_box(anchor: etree._Element, grid: Grid) -> Box | None:
    start = anchor.find(f"{{{_XDR}}}from")
    ext = anchor.find(f"{{{_XDR}}}ext")
    if anchor.tag == f"{{{_XDR}}}absoluteAnchor":
        pos = anchor.find(f"{{{_XDR}}}pos")
        if pos is None or ext is None:
            return None
        x, y = _number(pos, "x"), _number(pos, "y")
        return x, y, x + _number(ext, "cx"), y + _number(ext, "cy")
    if start is None:
        return None
    x, y = _point(start, grid)
    end = anchor.find(f"{{{_XDR}}}to")
    if end is not None:
        right, bottom = _point(end, grid)
        return x, y, right, bottom
    if ext is None:
        return None
    return x, y, x + _number(ext, "cx"), y + _number(ext, "cy")


def _shapes(element: etree._Element, box: Box, group: tuple[Box, Box] | None) -> list[Shape]:
    """The shapes an anchor's element draws (a shape, or a group of them, each placed inside the group's box by
    its own offset and extent in the group's coordinates)."""
    tag = etree.QName(element).localname if isinstance(element.tag, str) else ""
    if tag == "grpSp":
        properties = element.find(f"{{{_XDR}}}grpSpPr/{{{_A}}}xfrm")
        inner = _frame(properties, "chOff", "chExt")
        outer = _placed(_frame(properties), box, group) if properties is not None else box
        found = []
        for child in element:
            found += _shapes(child, outer, (inner, outer) if inner is not None else None)
        return found
    if tag != "sp" or _hidden(element):
        return []
    geometry = element.find(f"{{{_XDR}}}spPr/{{{_A}}}prstGeom")
    text = "".join(t.text or "" for t in element.iter(f"{{{_A}}}t"))
    mark = mark_of(geometry.get("prst") if geometry is not None else None, text)
    if mark is None:
        return []
    own = _frame(element.find(f"{{{_XDR}}}spPr/{{{_A}}}xfrm"))
    placed = _placed(own, box, group) if group is not None and own is not None else box
    return [Shape(*placed, mark)]


def _hidden(element: etree._Element) -> bool:
    properties = element.find(f"{{{_XDR}}}nvSpPr/{{{_XDR}}}cNvPr")
    return properties is not None and properties.get("hidden") in ("1", "true")


def _frame(xfrm: etree._Element | None, offset: str = "off", extent: str = "ext") -> Box | None:
    """An a:xfrm's box: its offset and extent, or (``chOff``, ``chExt``) a group's child coordinates, the box its
    shapes' offsets are given in."""
    if xfrm is None:
        return None
    off, ext = xfrm.find(f"{{{_A}}}{offset}"), xfrm.find(f"{{{_A}}}{extent}")
    if off is None or ext is None:
        return None
    x, y = float(off.get("x") or 0), float(off.get("y") or 0)
    return x, y, x + float(ext.get("cx") or 0), y + float(ext.get("cy") or 0)


def _placed(own: Box | None, box: Box, group: tuple[Box, Box] | None) -> Box:
    """A box given in a group's child coordinates, mapped onto where the group stands (``box`` where there is
    no group to map through)."""
    if own is None or group is None:
        return box
    (cx0, cy0, cx1, cy1), (gx0, gy0, gx1, gy1) = group
    sx = (gx1 - gx0) / (cx1 - cx0) if cx1 > cx0 else 1.0
    sy = (gy1 - gy0) / (cy1 - cy0) if cy1 > cy0 else 1.0
    x0, y0, x1, y1 = own
    return gx0 + (x0 - cx0) * sx, gy0 + (y0 - cy0) * sy, gx0 + (x1 - cx0) * sx, gy0 + (y1 - cy0) * sy


def findings(marks: dict[tuple[int, int], str], sheet: str) -> list[Finding]:
    """What was read from a sheet's shapes (``said``), the cells by (line, column)."""
    by_mark: dict[str, list[Location]] = {}
    for (r, c), mark in sorted(marks.items()):
        at = Location(line=r, column=c, sheet=sheet or None, cell=f"{column_letters(c)}{r}")
        by_mark.setdefault(mark, []).append(at)
    return said(by_mark)


def said(by_mark: dict[str, list[Location]]) -> list[Finding]:
    """What was read from shapes, once per mark they draw (``shape-mark``), at the first place that took it:
    every reader's (a sheet's cells, a Word table's, a PDF's pages) the same words."""
    return [
        Finding(Severity.WARNING, "shape-mark", {"mark": mark, "cells": len(places)}, places[0])
        for mark, places in by_mark.items()
    ]


# ODS -------------------------------------------------------------------------------------------------------

_DRAW = "urn:oasis:names:tc:opendocument:xmlns:drawing:1.0"
_SVG = "urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0"
_TEXT = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
_EMU_PER = {"in": 914_400, "cm": 360_000, "mm": 36_000, "pt": 12_700, "pc": 152_400, "px": 9_525}
ODS_COLUMN = 0.889 * 914_400  # Calc's default column width (2.258 cm)
ODS_ROW = 0.178 * 914_400  # and row height (0.452 cm)
# The drawing elements that may draw a mark: what Calc's drawing tools make, and what it makes of a workbook's.
_ODS_SHAPES = frozenset(f"{{{_DRAW}}}{k}" for k in ("ellipse", "circle", "custom-shape", "rect", "frame"))


def length(value: str | None) -> float:
    """An OpenDocument length (0.26in, 0.67cm, 19pt) in EMU; 0 for none or one not understood."""
    if not value:
        return 0.0
    for unit, emu in _EMU_PER.items():
        if value.endswith(unit):
            try:
                return float(value[: -len(unit)]) * emu
            except ValueError:
                return 0.0
    return 0.0


def ods_shapes(element: etree._Element) -> list[tuple[str, Box]]:
    """The marks a cell's (or a sheet's) drawing elements draw, each with its box as written (svg:x, svg:y and
    its size: from the cell's corner where the shape is anchored to a cell, from the sheet's where not)."""
    found = []
    for shape in element:
        if shape.tag not in _ODS_SHAPES:
            continue
        kind = etree.QName(shape).localname
        if kind == "custom-shape":
            geometry = shape.find(f"{{{_DRAW}}}enhanced-geometry")
            kind = (geometry.get(f"{{{_DRAW}}}type") or "") if geometry is not None else ""
            kind = kind.removeprefix("ooxml-")
        text = "".join(str(t) for p in shape.iter(f"{{{_TEXT}}}p") for t in p.itertext())
        mark = mark_of(kind, text)
        if mark is None:
            continue
        x, y = length(shape.get(f"{{{_SVG}}}x")), length(shape.get(f"{{{_SVG}}}y"))
        found.append(
            (mark, (x, y, x + length(shape.get(f"{{{_SVG}}}width")), y + length(shape.get(f"{{{_SVG}}}height"))))
        )
    return found


# PDF -------------------------------------------------------------------------------------------------------

_CIRCLE_SIZE = (3.0, 40.0)  # points: a mark's circle, not a rounded box or a dot of a dotted rule
WIDEST_CIRCLE = _CIRCLE_SIZE[1]
_ROUND = (0.75, 1.34)  # its width over its height
_CONCENTRIC = 1.5  # points between the centres of two circles drawn one in the other (◎)
_CIRCLES_MOST = 5_000  # circles on one page: more than a table's cells (a map, a pattern) are no marks
_BUCKET = 20.0  # points: the squares of a page the circles and characters are looked up in
_LINE_BUCKETS = 3  # squares above and below a circle where the characters of its line may have their middle
_ANNULUS = 0.7  # the inner edge of a ring drawn filled is at least this fraction of its outer edge's size


def pdf_marks(curves: Iterable[dict[str, Any]], chars: Sequence[dict[str, Any]], height: float) -> list[dict[str, Any]]:
    """The circles a PDF page draws as paths (a word processor's or a spreadsheet's drawn shapes, a web page's
    round borders, printed), as characters of the page where they stand: ○ for a ring, ◎ for two rings one in
    the other, ● for a filled disc. A ring is a stroked circle, or two filled ones close in size one in the other
    (a border drawn as the area between its edges); a circle around a character (a written word circled) is no
    mark, nor a curve that is no closed, round, small path of curves. Each character takes the baseline of the
    page's character beside it on its line (pdfplumber's text matrix), so that it joins that line. The circles
    and characters are found by where they stand (buckets of the page), so a page of many stays cheap; a page
    with more circles than a table has cells (a map, a pattern) gives none."""
    circles = sorted((c for c in curves if _is_circle(c)), key=lambda c: -(c["x1"] - c["x0"]))
    if len(circles) > _CIRCLES_MOST:
        return []
    groups: dict[tuple[int, int], list[list[dict[str, Any]]]] = {}  # circles about one centre, the largest first
    ordered: list[list[dict[str, Any]]] = []
    for c in circles:
        x, y = _middle(c)
        bucket = (int(x // _CONCENTRIC), int(y // _CONCENTRIC))
        near = [g for dx in (-1, 0, 1) for dy in (-1, 0, 1) for g in groups.get((bucket[0] + dx, bucket[1] + dy), [])]
        group = next((g for g in near if _concentric(_middle(g[0]), (x, y))), None)
        if group is None:
            groups.setdefault(bucket, []).append([c])
            ordered.append(groups[bucket][-1])
        else:
            group.append(c)
    by_place: dict[tuple[int, int], list[dict[str, Any]]] = {}
    by_line: dict[int, list[dict[str, Any]]] = {}
    for t in chars:
        x, y = _middle(t)
        by_place.setdefault((int(x // _BUCKET), int(y // _BUCKET)), []).append(t)
        by_line.setdefault(int(y // _BUCKET), []).append(t)
    found = []
    for group in ordered:
        outer = group[0]
        covered = (
            t
            for bx in range(int(outer["x0"] // _BUCKET), int(outer["x1"] // _BUCKET) + 1)
            for by in range(int(outer["top"] // _BUCKET), int(outer["bottom"] // _BUCKET) + 1)
            for t in by_place.get((bx, by), ())
        )
        if any(_within(t, outer) for t in covered):
            continue
        mark = _mark_of_circles(group)
        if mark is not None:
            middle = int(_middle(outer)[1] // _BUCKET)
            nearby = [t for b in range(middle - _LINE_BUCKETS, middle + _LINE_BUCKETS + 1) for t in by_line.get(b, ())]
            found.append(_char(mark, outer, nearby, height))
    return found


def _concentric(a: tuple[float, float], b: tuple[float, float]) -> bool:
    return abs(a[0] - b[0]) <= _CONCENTRIC and abs(a[1] - b[1]) <= _CONCENTRIC


def _middle(c: dict[str, Any]) -> tuple[float, float]:
    return (c["x0"] + c["x1"]) / 2, (c["top"] + c["bottom"]) / 2


def _within(char: dict[str, Any], circle: dict[str, Any]) -> bool:
    x, y = _middle(char)
    return bool(circle["x0"] <= x <= circle["x1"] and circle["top"] <= y <= circle["bottom"])


def _mark_of_circles(group: list[dict[str, Any]]) -> str | None:
    """○, ◎ or ● from the circles drawn about one centre (the largest first)."""
    rings = discs = 0
    i = 0
    while i < len(group):
        c = group[i]
        filled = bool(c.get("fill")) and not _white(c.get("non_stroking_color"))
        if not filled:
            rings += bool(c.get("stroke"))
            i += 1
            continue
        partner = group[i + 1] if i + 1 < len(group) else None
        if (
            partner is not None
            and partner.get("fill")
            and (partner["x1"] - partner["x0"]) >= _ANNULUS * (c["x1"] - c["x0"])
        ):
            rings += 1  # the outer and inner edges of a ring, filled between them
            i += 2
            continue
        if (
            c.get("stroke")
            and c.get("stroking_color") != c.get("non_stroking_color")
            and _white(c.get("non_stroking_color"))
        ):
            rings += 1
        else:
            discs += 1
        i += 1
    if rings >= 2:
        return "◎"
    if rings == 1:
        return "◎" if discs else "○"
    return "●" if discs else None


def _white(colour: object) -> bool:
    values = colour if isinstance(colour, tuple | list) else (colour,)
    return bool(values) and all(isinstance(v, int | float) and v >= 0.99 for v in values) and len(values) in (1, 3)


def _is_circle(curve: dict[str, Any]) -> bool:
    width, tall = curve["x1"] - curve["x0"], curve["bottom"] - curve["top"]
    if not (_CIRCLE_SIZE[0] <= width <= _CIRCLE_SIZE[1] and _CIRCLE_SIZE[0] <= tall <= _CIRCLE_SIZE[1]):
        return False
    if not _ROUND[0] <= width / tall <= _ROUND[1]:
        return False
    path = curve.get("path") or []
    bends = sum(1 for step in path if step[0] == "c")
    points = curve.get("pts") or []
    closed = len(points) > 2 and abs(points[0][0] - points[-1][0]) < 1 and abs(points[0][1] - points[-1][1]) < 1
    return bends >= 4 and (closed or any(step[0] == "h" for step in path))


def _char(text: str, curve: dict[str, Any], chars: Sequence[dict[str, Any]], height: float) -> dict[str, Any]:
    top, bottom = curve["top"], curve["bottom"]
    middle = (top + bottom) / 2
    beside = [c for c in chars if c["top"] <= middle <= c["bottom"] and c.get("matrix")]
    near = min(beside, key=lambda c: abs((c["top"] + c["bottom"]) / 2 - middle), default=None)
    matrix = near["matrix"] if near is not None else (1, 0, 0, 1, curve["x0"], height - bottom)
    size = near["size"] if near is not None else bottom - top
    return {
        "text": text,
        "x0": curve["x0"],
        "x1": curve["x1"],
        "top": top,
        "bottom": bottom,
        "size": size,
        "matrix": (*matrix[:4], curve["x0"], matrix[5]),
        "upright": True,
        "drawn": True,
    }


# DOCX ------------------------------------------------------------------------------------------------------

_WPS = "http://schemas.microsoft.com/office/word/2010/wordprocessingShape"
_VML = "urn:schemas-microsoft-com:vml"
_WP = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
_WORD = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
_VML_OVAL = "#_x0000_t3"  # the shape type of VML's oval, where a v:shape names it


def docx_mark(cell: etree._Element) -> str | None:
    """The mark the shapes drawn in a Word table cell draw (a circle inserted over the cell, anchored to its
    paragraph): a DrawingML shape by its geometry or short text, VML's oval (the fallback older Word reads) ○, a
    picture by its short alternative text (○ as the description of a picture of a circle); two circles ◎. A
    shape and its fallback copy count once. None where the cell draws no mark."""
    marks: list[str] = []
    for element in cell.iter(f"{{{_WPS}}}wsp", f"{{{_VML}}}oval", f"{{{_VML}}}shape", f"{{{_WP}}}docPr"):
        if any(a.tag == _FALLBACK for a in element.iterancestors()):
            continue
        mark = _word_shape(element)
        if mark is not None:
            marks.append(mark)
    return _one(marks) if marks else None


def _word_shape(element: etree._Element) -> str | None:
    text = "".join(t.text or "" for t in element.iter(f"{{{_WORD}}}t"))
    tag = etree.QName(element).localname
    if tag == "wsp":
        geometry = element.find(f"{{{_WPS}}}spPr/{{{_A}}}prstGeom")
        return mark_of(geometry.get("prst") if geometry is not None else None, text)
    if tag == "oval":
        return mark_of("ellipse", text)
    if tag == "shape":
        return mark_of("ellipse", text) if element.get("type") == _VML_OVAL else (mark_of(None, text) if text else None)
    # A picture's description (wp:docPr of a drawing that is no shape of its own): its alternative text.
    drawing = next((a for a in element.iterancestors() if a.tag in (f"{{{_WP}}}inline", f"{{{_WP}}}anchor")), None)
    if drawing is None or drawing.find(f".//{{{_WPS}}}wsp") is not None:
        return None
    described = (element.get("descr") or element.get("title") or "").strip()
    return described if described and len(described) <= _TEXT_MOST and not described.isascii() else None


# A web page's inline SVG --------------------------------------------------------------------------------------

_SVG_DRAWN = frozenset({"circle", "ellipse"})
_SVG_OTHER = frozenset({"path", "rect", "line", "polyline", "polygon", "text", "image", "use"})


def svg_mark(svg: etree._Element) -> str:
    """What an inline SVG in a web page's cell says: its name (``aria-label``, a ``<title>``), else the mark it
    draws where it draws only circles: one ○ (● filled), two about one centre ◎; "" for any other drawing."""
    named = svg.get("aria-label")
    title = next((e for e in svg.iter() if isinstance(e.tag, str) and etree.QName(e).localname == "title"), None)
    if named or (title is not None and (title.text or "").strip()):
        return (named or (title.text if title is not None else "") or "").strip()
    kinds = [etree.QName(e).localname for e in svg.iter() if isinstance(e.tag, str)]
    circles = [e for e in svg.iter() if isinstance(e.tag, str) and etree.QName(e).localname in _SVG_DRAWN]
    if not circles or len(circles) > 2 or any(k in _SVG_OTHER for k in kinds):
        return ""
    if len(circles) == 2:
        return "◎"
    fill = (circles[0].get("fill") or _style(circles[0], "fill") or "black").strip().lower()
    return "○" if fill in ("none", "transparent", "white", "#fff", "#ffffff") else "●"


def _style(element: etree._Element, name: str) -> str | None:
    for part in (element.get("style") or "").split(";"):
        key, _, value = part.partition(":")
        if key.strip().lower() == name:
            return value
    return None
