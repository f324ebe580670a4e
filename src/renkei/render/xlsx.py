"""XLSX: the official table as an Excel workbook whose counts stay correct when the secretariat edits it.

The 連携町数 column and the 連携事業数計 row are live formulas (COUNTIF over the marks, SUM of the totals), so
a ○ added in Excel updates every figure. Where the document declared other figures (a fragment's totals count
its missing rows; a wrong count), the formulas say that they are computed (連携町数（計算値）, （計算値） beside
the totals) and the declared figures are written as values in renkei's metadata row under the title, with the
sphere's identity (``renkei.vision.ownformat``); the reader takes them from there. For the workbook's reader, each
figure the document declared otherwise carries the declared one in its note and is red while the live figure
differs from it (conditional formatting). No text is written as a formula.
The header row is frozen and repeats on every printed page (landscape, A4 or A3 as the width needs, fitted to
the width, ``renkei.render.printing``); rows are as tall as their wrapped names and descriptions; the metadata row
comes first and stays out of the print area, so the page starts with the title; mark cells offer ○ and ◎ from a
list. A document (amendment list, annex, agreement schedule) prints the same way, each sheet on its own pages,
a short sheet (the summary) on one.
"""

from __future__ import annotations

import contextlib
import io
import re
from collections.abc import Iterator, Sequence
from typing import Any

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.formatting.rule import FormulaRule
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import IllegalCharacterError
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from renkei.render.base import Document, Renderer, RenderError, Sheet, register
from renkei.render.layout import LEGEND, OFFICIAL, cells, plan_line, title
from renkei.render.neutral import sheet_name, text_cell
from renkei.render.printing import page_points, row_height, set_up_page, text_units
from renkei.vision.model import Municipality, Vision
from renkei.vision.ownformat import COMPUTED, computed_differs, meta_fields
from renkei.vision.table import table_view

# Every spelling of a participation mark a hand in Excel may type: the counts must not depend on which.
COUNTED_MARKS = ("○", "〇", "◯", "◎", "●")
SHEET = "連携事業"
_THIN = Side(style="thin", color="808080")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_HEAD_FILL = PatternFill("solid", fgColor="DDE7F0")
_HEADING_FONT = Font(bold=True, size=12)
_META_FONT = Font(size=8, color="606060")
# A computed figure the document declared otherwise: shown in red with a note holding the declared one, so that
# the workbook's reader sees the document's own figure, not only the metadata row (which a reader rarely opens).
_DIFFERS_FILL = PatternFill("solid", fgColor="F8D7DA")
_DIFFERS_FONT = Font(bold=True, color="9C0006")


def _differs(sheet: Worksheet, cell: Any, declared: int) -> None:
    """Red while the live figure differs from the declared one (a ○ added in the workbook may make them agree),
    with the declared figure in the cell's note."""
    rule = FormulaRule(  # type: ignore[no-untyped-call]
        formula=[f"{cell.coordinate}<>{declared}"], fill=_DIFFERS_FILL, font=_DIFFERS_FONT
    )
    sheet.conditional_formatting.add(cell.coordinate, rule)
    cell.comment = Comment(f"文書の記載: {declared}（○から数えた値と異なります）", "renkei", width=220, height=60)


@contextlib.contextmanager
def _cells_of_text() -> Iterator[None]:
    """XLSX cannot hold control characters: say which text has one instead of failing inside openpyxl."""
    try:
        yield
    except IllegalCharacterError as error:
        raise RenderError(f"text with a control character cannot be written in XLSX: {error}") from None


def count_formula(cells: str) -> str:
    """=COUNTIF(r,"○")+COUNTIF(r,"〇")+…: the number of participation marks in a range."""
    return "=" + "+".join(f'COUNTIF({cells},"{mark}")' for mark in COUNTED_MARKS)


def render_xlsx(vision: Vision) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = SHEET
    with _cells_of_text():
        _write(sheet, vision)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _write(sheet: Worksheet, vision: Vision) -> None:
    view = table_view(vision)
    columns = view.select(*OFFICIAL)
    attributes = view.attributes
    head = ["番号" if c.kind == "number" else c.label for c, _ in columns]
    count_at = next(i for i, (c, _) in enumerate(columns) if c.kind == "count")
    head[count_at] += COMPUTED if computed_differs(vision)[0] else ""
    first_mark = 4 + len(attributes)
    last_mark = first_mark + len(view.columns) - 1
    count_col = last_mark + 1
    last_col = count_col + len(view.figures)  # the budget and KPI columns stand right of the count
    # The metadata row first, for the reader, and out of the print area: the printed page starts at the title.
    for col, text in enumerate(meta_fields(vision, declared=True), start=1):
        text_cell(sheet.cell(1, col, text)).font = _META_FONT
    row = 2
    sphere_title = title(vision)
    if sphere_title:
        text_cell(sheet.cell(row, 1, sphere_title)).font = _HEADING_FONT
        row += 1
    period = plan_line(vision)
    if period:
        sheet.cell(row, 1, period)
        row += 1
    if view.leads:
        sheet.cell(row, 1, LEGEND)
        row += 1
    header_row = row
    for col, text in enumerate(head, start=1):
        cell = text_cell(sheet.cell(row, col, text))
        cell.font, cell.fill, cell.border = Font(bold=True), _HEAD_FILL, _BORDER
        vertical = first_mark <= col <= last_mark
        cell.alignment = Alignment(
            horizontal="center", vertical="center", wrap_text=True, text_rotation=255 if vertical else 0
        )
    # Stacked names need a row as tall as the longest name, or a spreadsheet and its printout cut them.
    longest = max((len(m.display) for m in view.columns), default=0)
    sheet.row_dimensions[header_row].height = header_height(longest)
    row += 1
    first_project = row
    # The view's cells up to the marks; the count is the live formula over them, not a value.
    shown = tuple(k for k in OFFICIAL if k not in ("count", "figure"))
    for block in view.blocks:
        for heading in block.headings:
            text_cell(sheet.cell(row, 1, heading.text)).font = Font(bold=True)
            row += 1
        for project in block.projects:
            values = cells(project, view, shown)
            for col, value in enumerate(values, start=1):
                cell = text_cell(sheet.cell(row, col, value if value != "" else None))
                cell.border = _BORDER
                cell.alignment = Alignment(
                    vertical="top",
                    wrap_text=col <= 3 + len(attributes),
                    horizontal="center" if col >= first_mark else None,
                )
            texts = zip(values[: 3 + len(attributes)], _text_widths(len(attributes)), strict=True)
            sheet.row_dimensions[row].height = row_height(texts)
            marks_range = f"{get_column_letter(first_mark)}{row}:{get_column_letter(last_mark)}{row}"
            counted = sheet.cell(row, count_col, count_formula(marks_range) if view.columns else 0)
            counted.border, counted.alignment = _BORDER, Alignment(horizontal="center", vertical="top")
            declared = project.project.declared_count
            if declared is not None and declared != project.project.count:
                _differs(sheet, counted, declared)
            for col, figure in enumerate(view.figures, start=count_col + 1):
                _figure_cell(sheet, row, col, figure.cell(project.project))
            row += 1
    last_project = row - 1
    _totals(sheet, vision, row, (first_project, last_project), (first_mark, last_mark), view.columns)
    _finish(sheet, header_row, (first_mark, last_mark), (first_project, last_project), len(attributes))
    # The number column holds the totals row's label too (連携事業数計), which must not be cut.
    sheet.column_dimensions["A"].width = max(_NUMBER_WIDTH, text_units(vision.labels.totals) + 1)
    widths = [sheet.column_dimensions[get_column_letter(c)].width for c in range(1, last_col + 1)]
    set_up_page(sheet, sum(widths), (header_row, header_row))
    sheet.print_area = f"A2:{get_column_letter(last_col)}{row}"


_FIGURE = re.compile(r"-?[0-9]+(?:\.[0-9]+)?")


def _figure_cell(sheet: Worksheet, row: int, col: int, text: str) -> None:
    """A budget or KPI cell: an amount or value as a number a spreadsheet sums, a name or unit as text."""
    # Only digits are a number: a KPI's name "inf" or "1e3" stays the text it is.
    number = float(text) if _FIGURE.fullmatch(text) else None
    value: int | float | str | None = text or None
    if number is not None:
        value = int(number) if number.is_integer() else number
    cell = text_cell(sheet.cell(row, col, value))
    cell.border, cell.alignment = _BORDER, Alignment(vertical="top", wrap_text=True)


_NUMBER_WIDTH, _NAME_WIDTH, _DESCRIPTION_WIDTH, _ATTRIBUTE_WIDTH = 6.0, 28.0, 60.0, 24.0


def _text_widths(attributes: int) -> list[float]:
    """The widths of a project row's text columns: number, name, description, then its attributes."""
    return [_NUMBER_WIDTH, _NAME_WIDTH, _DESCRIPTION_WIDTH, *([_ATTRIBUTE_WIDTH] * attributes)]


# Points per stacked character at the sheet's 11-point font, and the cell's padding.
STACKED_POINTS, HEADER_PADDING = 14.5, 10.0


def header_height(characters: int) -> float:
    """The header row's height in points for municipality names of up to ``characters`` stacked characters."""
    return max(30.0, characters * STACKED_POINTS + HEADER_PADDING)


def _totals(
    sheet: Worksheet,
    vision: Vision,
    row: int,
    rows: tuple[int, int],
    columns: tuple[int, int],
    towns: Sequence[Municipality],
) -> None:
    text_cell(sheet.cell(row, 1, vision.labels.totals)).font = Font(bold=True)
    if computed_differs(vision)[1]:
        sheet.cell(row, 2, COMPUTED).font = _META_FONT
    first, last = columns
    present = vision.present_totals()
    for col, town in zip(range(first, last + 1), towns, strict=True):
        letter = get_column_letter(col)
        cell = sheet.cell(row, col, count_formula(f"{letter}{rows[0]}:{letter}{rows[1]}"))
        cell.font, cell.border, cell.alignment = Font(bold=True), _BORDER, Alignment(horizontal="center")
        declared = vision.declared_totals.get(town.name)
        if declared is not None and declared != present.get(town.name):
            _differs(sheet, cell, declared)
    if last >= first:
        grand = sheet.cell(row, last + 1, f"=SUM({get_column_letter(first)}{row}:{get_column_letter(last)}{row})")
        grand.font, grand.border, grand.alignment = Font(bold=True), _BORDER, Alignment(horizontal="center")
        declared = vision.declared_grand_total
        if declared is not None and declared != vision.present_links():
            _differs(sheet, grand, declared)


def _finish(
    sheet: Worksheet,
    header_row: int,
    marks_at: tuple[int, int],
    projects_at: tuple[int, int],
    attributes: int,
) -> None:
    for col, width in enumerate(_text_widths(attributes), start=1):
        sheet.column_dimensions[get_column_letter(col)].width = width
    for col in range(marks_at[0], marks_at[1] + 2):
        sheet.column_dimensions[get_column_letter(col)].width = 5.5
    sheet.freeze_panes = f"C{header_row + 1}"
    if marks_at[1] >= marks_at[0] and projects_at[1] >= projects_at[0]:
        choice = DataValidation(type="list", formula1='"○,◎"', allow_blank=True)
        sheet.add_data_validation(choice)
        first, last = get_column_letter(marks_at[0]), get_column_letter(marks_at[1])
        choice.add(f"{first}{projects_at[0]}:{last}{projects_at[1]}")


def document_xlsx(document: Document) -> bytes:
    """One worksheet per sheet: the document's title, a bold header repeated on every printed page, wrapped text
    in columns as wide as their text needs (within reason) and rows as tall as it wraps."""
    workbook = Workbook()
    workbook.remove(workbook.worksheets[0])
    with _cells_of_text():
        for number, part in enumerate(document.sheets, start=1):
            sheet = workbook.create_sheet(sheet_name(part.title, number, workbook.sheetnames))
            _document_sheet(sheet, document.title, part)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


# A document's column is as wide as its longest line, between these (a longer text wraps).
_DOCUMENT_NARROWEST, _DOCUMENT_WIDEST = 6.0, 48.0


def _document_sheet(sheet: Worksheet, title_text: str, part: Sheet) -> None:
    values = [[v if isinstance(v, int | float | str) else _plain(v) for v in row] for row in part.rows]
    widths = [
        min(_DOCUMENT_WIDEST, max(_DOCUMENT_NARROWEST, *(_longest_line(v) + 2 for v in (head, *column))))
        for head, column in zip(
            part.columns, zip(*values, strict=True) if values else [()] * len(part.columns), strict=True
        )
    ]
    last = get_column_letter(max(len(part.columns), 1))
    title_cell = text_cell(sheet.cell(1, 1, title_text))
    title_cell.font, title_cell.alignment = _HEADING_FONT, Alignment(wrap_text=True, vertical="top")
    if len(part.columns) > 1:  # the title wraps within the printed width instead of running off the page
        sheet.merge_cells(f"A1:{last}1")
    sheet.row_dimensions[1].height = row_height([(title_text, sum(widths) * 0.9)]) * 1.1
    for col, (text, width) in enumerate(zip(part.columns, widths, strict=True), start=1):
        cell = text_cell(sheet.cell(2, col, text))
        cell.font, cell.fill, cell.border = Font(bold=True), _HEAD_FILL, _BORDER
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        sheet.column_dimensions[get_column_letter(col)].width = width
    sheet.row_dimensions[2].height = row_height(zip(part.columns, widths, strict=True))
    for r, row in enumerate(values, start=3):
        for col, value in enumerate(row, start=1):
            cell = text_cell(sheet.cell(r, col, value))
            cell.border, cell.alignment = _BORDER, Alignment(vertical="top", wrap_text=True)
        sheet.row_dimensions[r].height = row_height(zip(row, widths, strict=False))
    sheet.freeze_panes = "A3"
    height = sum(sheet.row_dimensions[r].height or 0 for r in range(1, len(values) + 3))
    # A short sheet (the summary, a town's few changes) prints on one page; a long one page after page.
    set_up_page(sheet, sum(widths), (2, 2), one_page=height <= page_points(sum(widths)) * 1.3)
    sheet.print_area = f"A1:{last}{len(values) + 2}"


def _longest_line(value: object) -> float:
    return max((text_units(line) for line in str(value if value is not None else "").split("\n")), default=0.0)


def _plain(value: object) -> str | None:
    return None if value is None else str(value)


register(
    Renderer(
        "xlsx",
        "xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "format.xlsx",
        render_xlsx,
        document=document_xlsx,
    )
)
