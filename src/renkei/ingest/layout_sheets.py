"""A workbook's totals rows (``layout.py``), settled once every sheet is read.

Offices keep a vision as one sheet per pillar or per role, and some put a 計 row under each sheet that sums
only that sheet's projects, with the whole's totals on a summary sheet of their own (or in a last row labelled
合計 under the last sheet's). One totals row in the whole workbook is the table's, as in a text file. Where
several sheets each hold projects and a totals row, each of those rows is checked against its own sheet's rows
(``sheet-total-mismatch``), and only a totals row that sums the whole (on a sheet without projects of its own,
or a second totals row under a sheet's) is the table's declared totals, checked against every row.
"""

from __future__ import annotations

from renkei.ingest.layout_blocks import LayoutState, SheetTotal
from renkei.ingest.layout_rows import RowStage
from renkei.vision.model import Severity


class SheetStage:
    """The totals rows of a workbook read sheet by sheet, settled by the row stage's rules for a totals row."""

    def __init__(self, state: LayoutState, rows: RowStage) -> None:
        self.state = state
        self.rows = rows

    def settle(self) -> None:
        records = self.state.sheet_totals
        # A second totals row under a sheet's own (合計 under 計) sums the whole, not the sheet.
        per_sheet = [
            r for i, r in enumerate(records) if r.last > r.first and all(q.sheet != r.sheet for q in records[:i])
        ]
        if len(records) == 1 or len(per_sheet) < 2:
            per_sheet = []
        whole = [r for r in records if r not in per_sheet]
        for i, record in enumerate(whole):
            if i:
                self.state.find(Severity.WARNING, "totals-repeated", record.location)
                continue
            self.state.vision.totals_location = record.location
            self.rows.assign_totals(record.towns, record.grand)
        for record in per_sheet:
            self._check_sheet(record)
        if per_sheet:
            sheets = "、".join(r.sheet for r in per_sheet)
            self.state.find(Severity.INFO, "sheet-totals", per_sheet[0].location, sheets=sheets)
            self.state.understood.notes.append({"code": "sheet-totals", "text": sheets})

    def _check_sheet(self, record: SheetTotal) -> None:
        """A sheet's totals against that sheet's own rows: each municipality's, then the sheet's grand total."""
        projects = self.state.vision.projects[record.first : record.last]
        links = 0
        for name, cell in record.towns.items():
            declared = self.rows.total(cell)
            count = sum(1 for p in projects if name in p.participants)
            links += count
            if declared is not None and declared != count:
                self.state.find(
                    Severity.ERROR,
                    "sheet-total-mismatch",
                    cell.location,
                    sheet=record.sheet,
                    name=name,
                    declared=declared,
                    count=count,
                )
        grand = self.rows.total(record.grand) if record.grand is not None else None
        if grand is not None and grand != links and record.grand is not None:
            self.state.find(
                Severity.ERROR,
                "sheet-total-mismatch",
                record.grand.location,
                sheet=record.sheet,
                name="計",
                declared=grand,
                count=links,
            )
