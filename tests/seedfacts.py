"""What the seed says, derived by the simplest reading that works for this one file.

This is deliberately not renkei's reader: the tests compare renkei's reading of the seed with facts found
here by plain string handling, so that neither can hide the other's mistake. Nothing is pasted from the file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

COUNT_HEADER = "連携町数"
DESCRIPTION_HEADER = "事業内容"
TOTALS_LABEL = "連携事業数計"
MARK = "○"


@dataclass
class SeedRow:
    line: int
    number: int
    name: str
    marks: list[bool]
    declared_count: int


@dataclass
class SeedFacts:
    towns: list[str] = field(default_factory=list)
    rows: list[SeedRow] = field(default_factory=list)
    declared_totals: list[int] = field(default_factory=list)
    declared_grand_total: int = 0
    totals_line: int = 0
    headings: list[tuple[int, str]] = field(default_factory=list)

    @property
    def numbers(self) -> list[int]:
        return [r.number for r in self.rows]

    @property
    def present_totals(self) -> list[int]:
        return [sum(r.marks[i] for r in self.rows) for i in range(len(self.towns))]

    @property
    def missing_numbers(self) -> list[int]:
        return [n for n in range(1, max(self.numbers) + 1) if n not in self.numbers]

    @property
    def owed(self) -> list[int]:
        return [d - p for d, p in zip(self.declared_totals, self.present_totals, strict=True)]

    def row(self, number: int) -> SeedRow:
        return next(r for r in self.rows if r.number == number)


def derive(text: str) -> SeedFacts:
    facts = SeedFacts()
    width = 0
    for line_number, line in enumerate(text.splitlines(), start=1):
        cells = line.split("\t")
        if COUNT_HEADER in cells:
            count_at = cells.index(COUNT_HEADER)
            first_town = cells.index(DESCRIPTION_HEADER) + 1
            facts.towns = facts.towns or cells[first_town:count_at]
            width = len(cells)
        elif cells[0] == TOTALS_LABEL:
            figures = [int(c) for c in cells[1:] if c.strip()]
            facts.declared_totals, facts.declared_grand_total = figures[:-1], figures[-1]
            facts.totals_line = line_number
        elif len(cells) == width and width:
            # Number and name are the cells left of the description: one cell ("11 創業支援事業") or two.
            head = " ".join(c for c in cells[: first_town - 1] if c).strip()
            number, name = re.match(r"(\d+)\s*(.*)", head).groups()  # type: ignore[union-attr]
            marks = [c == MARK for c in cells[first_town:count_at]]
            facts.rows.append(SeedRow(line_number, int(number), name, marks, int(cells[-1])))
        elif line.strip() and "\t" not in line:
            facts.headings.append((line_number, line.strip()))
    return facts
