"""A row of rates under the towns (参加率 100% 67% …, 構成比, 参加割合): each town's share of the projects (or of
every mark), which a workbook computes beside its totals. It is read as what it is, not as a project, and each rate
is checked against the marks as the totals are: a rate that disagrees is an error at its cell.

The rates are not kept as data of their own: the table's projects and marks give them again (and its totals row,
where it has one, is kept as declared). What the row said and how it was checked stays in the reading's findings.
This module reads rates; ``layout_rates`` checks them at the end of the layout reader's reading.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from renkei.ingest.grid import Cell
from renkei.places.variants import key
from renkei.vision.model import Location

# A rate as a workbook shows it: 67%, 66.7％, or (under a label that says it is a rate) a fraction 0.67.
_PERCENT = re.compile(r"(?P<value>\d{1,3}(?:\.(?P<decimals>\d{1,4}))?)\s*%")
_FRACTION = re.compile(r"(?P<value>[01](?:\.(?P<decimals>\d{1,4}))?)")
# A label that names a rate of taking part: 参加率, 連携率, 構成比, 参加割合, 比率; never one of what a project
# achieves, spends or shares (達成率, 執行率, 負担割合, 補助率), which are no count of marks.
_RATE_LABEL = re.compile(r"率|割合|構成比")
_OTHER_RATE = re.compile(r"達成|執行|進捗|成果|目標|実績|予算|負担|補助|利用|充足|増加|減少|指標|KPI", re.IGNORECASE)


@dataclass(frozen=True)
class Rate:
    """A rate as written: its value in percent and how far a rounded figure may stand from the exact one (one unit
    of its last digit shown: 67% of two projects in three, 66.7% too, whether rounded or cut)."""

    percent: float
    slack: float


def rate_of(text: str, label_names_rate: bool) -> Rate | None:
    """A cell's rate, or None where it holds none (an empty cell is no rate either)."""
    value = key(text)
    percent = _PERCENT.fullmatch(value)
    if percent is not None:
        decimals = len(percent["decimals"] or "")
        return Rate(float(percent["value"]), 10.0**-decimals)
    fraction = _FRACTION.fullmatch(value) if label_names_rate else None
    if fraction is not None and fraction["decimals"] and float(fraction["value"]) <= 1:
        decimals = len(fraction["decimals"])
        return Rate(float(fraction["value"]) * 100, 100 * 10.0**-decimals)
    return None


def names_rate(label: str) -> bool:
    """Whether a label names a rate of taking part (参加率), not of what a project achieves or spends (達成率)."""
    folded = key(label)
    return _RATE_LABEL.search(folded) is not None and _OTHER_RATE.search(folded) is None


@dataclass
class RatesRow:
    """A row of rates read under the towns: its label, each town's cell, and the cell under the count column."""

    label: str
    location: Location
    towns: dict[str, tuple[Cell, Rate]]
    whole: tuple[Cell, Rate] | None


def read_rates(label: Cell, towns: dict[str, Cell], whole: Cell | None, location: Location) -> RatesRow | None:
    """The row as rates where every town's cell that is not empty holds one (two at least, a percent sign among
    them or a label that says rate); None otherwise."""
    says_rate = names_rate(label.text)
    if not says_rate and _OTHER_RATE.search(key(label.text)):
        return None  # 達成率 under the towns: no share of the marks
    read: dict[str, tuple[Cell, Rate]] = {}
    for name, cell in towns.items():
        if not cell.text.strip():
            continue
        rate = rate_of(cell.text, says_rate)
        if rate is None:
            return None
        read[name] = (cell, rate)
    if len(read) < 2 or not (says_rate or any("%" in key(c.text) for c, _ in read.values())):
        return None
    overall = rate_of(whole.text, True) if whole is not None and whole.text.strip() else None
    return RatesRow(label.text.strip(), location, read, (whole, overall) if whole is not None and overall else None)


def disagrees(rate: Rate, count: int, denominator: int) -> float | None:
    """The rate ``count`` over ``denominator`` gives, in percent, where the rate written stands a unit of its last
    digit or more from it; None where the two agree."""
    computed = 100 * count / denominator if denominator else 0.0
    return computed if abs(rate.percent - computed) >= rate.slack else None
