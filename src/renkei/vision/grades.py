"""KPI achievement (達成率) and its grade (評価 A–D), computed from a KPI's declared target and its results.

Computed figures, never stored as if a document had declared them. The rate of a result:

- an indicator to raise (its target at or above its baseline, or no baseline): ``実績 / 目標値``;
- an indicator to lower (its target below its baseline, 待機児童数 or a travel time): the share of the planned
  reduction made, ``(基準値 − 実績) / (基準値 − 目標値)`` (a target of 0 has no ratio of its own to take).

A rate that cannot be computed (no target, a target of 0 to raise, no result for the year) is None, and so is
its grade: renkei never guesses one. The grade is the first of A, B, C whose threshold the rate reaches, else D;
the thresholds are a sphere's own (``Thresholds``), 100 %, 80 % and 50 % unless it sets others. Pure: no I/O.
"""

from __future__ import annotations

from dataclasses import dataclass

from renkei.vision.model import Kpi, KpiResult

GRADES = ("A", "B", "C", "D")


@dataclass(frozen=True)
class Thresholds:
    """The lowest rate of each grade above D, as fractions (1.0 is 100 %), from high to low."""

    a: float = 1.0
    b: float = 0.8
    c: float = 0.5

    def __post_init__(self) -> None:
        if not self.a >= self.b >= self.c >= 0:
            raise ValueError(f"thresholds must fall from A to C and stay at or above 0: {self}")

    def grade(self, rate: float | None) -> str | None:
        """The grade of ``rate``; None where the rate is unknown."""
        if rate is None:
            return None
        for letter, low in zip(GRADES, (self.a, self.b, self.c), strict=False):
            if rate >= low:
                return letter
        return GRADES[-1]


DEFAULT = Thresholds()


def lowering(kpi: Kpi) -> bool:
    """Whether the indicator is one to lower: its target is below its baseline."""
    return kpi.baseline is not None and kpi.target is not None and kpi.target < kpi.baseline


def rate(kpi: Kpi, value: float | None) -> float | None:
    """The achievement of one measured ``value`` against the KPI's target, or None where it cannot be computed."""
    if value is None or kpi.target is None:
        return None
    if lowering(kpi):
        assert kpi.baseline is not None  # lowering() says so
        return (kpi.baseline - value) / (kpi.baseline - kpi.target)
    return value / kpi.target if kpi.target > 0 else None


def result(kpi: Kpi, fiscal_year: int, town: str = "") -> KpiResult | None:
    """The KPI's result for a fiscal year (the whole sphere's, or one town's share), if entered."""
    return next((r for r in kpi.results if r.fiscal_year == fiscal_year and r.town == town), None)


def latest(kpi: Kpi, up_to: int | None = None, town: str = "") -> KpiResult | None:
    """The newest measured result (a value, not a blank year) up to ``up_to`` (every year where None)."""
    measured = [
        r for r in kpi.results if r.town == town and r.value is not None and (up_to is None or r.fiscal_year <= up_to)
    ]
    return max(measured, key=lambda r: r.fiscal_year, default=None)


@dataclass(frozen=True)
class Graded:
    """A KPI's standing in a fiscal year: the result it is graded on, its rate and its grade (None where unknown)."""

    kpi: Kpi
    fiscal_year: int
    value: float | None
    rate: float | None
    grade: str | None


def graded(kpi: Kpi, fiscal_year: int, thresholds: Thresholds = DEFAULT, town: str = "") -> Graded:
    """The KPI graded on its result for ``fiscal_year`` (that year's only: a year without a result is ungraded)."""
    found = result(kpi, fiscal_year, town)
    value = found.value if found else None
    achieved = rate(kpi, value)
    return Graded(kpi, fiscal_year, value, achieved, thresholds.grade(achieved))
