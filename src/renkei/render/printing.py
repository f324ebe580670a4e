"""How a workbook prints: every sheet's page set up (paper, orientation, fitted to the width, the header rows
on every page, page numbers), and rows as tall as their wrapped text.

A spreadsheet program sizes a row to its wrapped text only when it edits the row; a workbook written by a
program opens (and prints, in LibreOffice too) with every row one line tall, names and descriptions cut. So the
writer sets each row's height from its text: a column's width is counted in Excel's units (the width of a digit;
a Japanese character takes about two), and a row is as tall as its cell with the most lines.
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Iterable

from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet

# Points per line of 11-point text, with the cell's padding once.
LINE_POINTS, PADDING_POINTS = 15.0, 3.0
# The widths (in Excel's units) that one sheet of A4 holds at full size, less the margins, and the height in
# points; beyond about 1.15 times the A4 width a table goes on A3, which fitting to the width would otherwise
# shrink to an unreadable size.
A4_LANDSCAPE_UNITS, A4_PORTRAIT_UNITS = 150.0, 100.0
A4_LANDSCAPE_POINTS, A4_PORTRAIT_POINTS = 480.0, 720.0
A3_ABOVE = 1.15


def text_units(text: str) -> float:
    """The width of a line of text in Excel's column units: a wide (Japanese) character about two, others one."""
    return sum(1.9 if unicodedata.east_asian_width(c) in "WF" else 1.1 for c in text)


def lines(text: object, width: float) -> int:
    """How many lines ``text`` takes, wrapped in a column ``width`` units wide (each line break kept)."""
    if text is None or text == "":
        return 1
    usable = max(width - 1.0, 1.0)
    return sum(max(1, math.ceil(text_units(part) / usable)) for part in str(text).split("\n"))


def row_height(cells: Iterable[tuple[object, float]]) -> float:
    """The height in points of a row whose cells (text, column width) wrap."""
    most = max((lines(text, width) for text, width in cells), default=1)
    return most * LINE_POINTS + PADDING_POINTS


def set_up_page(sheet: Worksheet, width_units: float, title_rows: tuple[int, int], *, one_page: bool = False) -> None:
    """Landscape where the table is wider than A4 upright holds, A3 where A4 would shrink it much; fitted to one
    page wide (and to one page high where ``one_page``); ``title_rows`` repeated on every page; page numbers."""
    landscape = width_units > A4_PORTRAIT_UNITS
    sheet.page_setup.orientation = "landscape" if landscape else "portrait"
    a3 = width_units > A4_LANDSCAPE_UNITS * A3_ABOVE
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A3 if a3 else sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 1 if one_page else 0
    sheet.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    sheet.print_title_rows = f"{title_rows[0]}:{title_rows[1]}"
    sheet.print_options.horizontalCentered = True
    if sheet.oddFooter is not None and sheet.oddFooter.center is not None:
        sheet.oddFooter.center.text = "&P / &N"


def page_points(width_units: float) -> float:
    """The printable height of the page ``set_up_page`` chooses for a table this wide, at full size."""
    return A4_LANDSCAPE_POINTS if width_units > A4_PORTRAIT_UNITS else A4_PORTRAIT_POINTS
