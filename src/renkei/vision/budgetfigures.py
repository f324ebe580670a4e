"""The figures the budget and KPI pages, charts and downloads show, computed once here from a vision (pure).

Declared and computed figures are kept apart: a project's 総事業費 is shown as declared beside the sum of its
years, computed here; the sums per fiscal year and field (the stacked bars) are computed. Sums are in 千円: an
amount declared in 円 is divided by 1,000 for a sum (the declared figure itself is shown as declared).
A project's amount for a year is the whole project's where the document gives it, else the sum of the towns'
shares given for that year. KPI rates and grades come from ``renkei.vision.grades`` only, with ``thresholds_of``.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from renkei.vision import grades
from renkei.vision.model import Budget, BudgetUnit, Kpi, Project, Vision

UNGRADED = "-"
GRADE_KEYS = (*grades.GRADES, UNGRADED)


def thresholds_of(vision: Vision | None = None) -> grades.Thresholds:
    """The grade thresholds a sphere's KPIs are graded with: its own, as the registry keeps them and carries
    them on the visions it reads (``Sphere.grade_thresholds``), else the defaults (100 %, 80 %, 50 %)."""
    own = vision.sphere.grade_thresholds if vision is not None else None
    return grades.Thresholds(*own) if own is not None else grades.DEFAULT


# How many 円 one of a document's units is: amounts compared across units exactly, in 円.
YEN_PER_UNIT = {BudgetUnit.THOUSAND_YEN.value: 1000, BudgetUnit.YEN.value: 1}


def thousands(budget: Budget) -> float:
    """The amount in 千円, for sums."""
    return float(budget.amount) if budget.unit == BudgetUnit.THOUSAND_YEN.value else budget.amount / 1000


def year_amounts(project: Project, town: str = "") -> dict[int, float]:
    """The project's amount (千円) per fiscal year: the whole project's (``town`` empty; the towns' shares summed
    where a year has no whole amount), or one town's share."""
    own = {b.fiscal_year: thousands(b) for b in project.budgets if b.fiscal_year is not None and b.town == town}
    if town:
        return own
    shares: dict[int, float] = {}
    for b in project.budgets:
        if b.fiscal_year is not None and b.town and b.fiscal_year not in own:
            shares[b.fiscal_year] = shares.get(b.fiscal_year, 0.0) + thousands(b)
    return dict(sorted({**shares, **own}.items()))


def field_name(project: Project) -> str:
    return str(project.field) if project.field is not None else ""


@dataclass(frozen=True)
class BudgetGrid:
    """The sums (千円) per fiscal year and field: the stacked bars and their table."""

    years: list[int]
    fields: list[str]
    amounts: dict[tuple[str, int], float]

    def total(self, year: int) -> float:
        return sum(self.amounts.get((f, year), 0.0) for f in self.fields)

    def field_total(self, field: str) -> float:
        return sum(self.amounts.get((field, y), 0.0) for y in self.years)


def budget_grid(vision: Vision) -> BudgetGrid:
    amounts: dict[tuple[str, int], float] = {}
    fields: list[str] = []
    for p in vision.counted():  # a project listed again (再掲) restating its budget is summed once
        for year, amount in year_amounts(p).items():
            name = field_name(p)
            if name not in fields:
                fields.append(name)
            amounts[name, year] = amounts.get((name, year), 0.0) + amount
    years = sorted({year for _, year in amounts})
    return BudgetGrid(years, fields, amounts)


@dataclass(frozen=True)
class ProjectBudget:
    """A project's budget table: each year's whole amount and towns' shares as declared, the declared 総事業費
    and the sum of the years (computed, 千円)."""

    years: list[int]
    whole: dict[int, Budget]
    shares: dict[tuple[str, int], Budget]
    towns: list[str]
    declared_total: Budget | None
    computed_total: float


def project_budget(project: Project) -> ProjectBudget:
    years = sorted({b.fiscal_year for b in project.budgets if b.fiscal_year is not None})
    whole = {b.fiscal_year: b for b in project.budgets if b.fiscal_year is not None and not b.town}
    shares = {(b.town, b.fiscal_year): b for b in project.budgets if b.fiscal_year is not None and b.town}
    towns = list(dict.fromkeys(b.town for b in project.budgets if b.town))
    declared = next((b for b in project.budgets if b.fiscal_year is None and not b.town), None)
    return ProjectBudget(years, whole, shares, towns, declared, sum(year_amounts(project).values()))


@dataclass(frozen=True)
class KpiRow:
    """A KPI with its latest result, graded: what the KPI table, the bullet charts and their CSV show."""

    project: Project
    kpi: Kpi
    graded: grades.Graded | None  # None where no result is measured yet

    @property
    def grade(self) -> str:
        return self.graded.grade if self.graded is not None and self.graded.grade else UNGRADED


def _graded(kpi: Kpi, thresholds: grades.Thresholds, town: str = "") -> grades.Graded | None:
    last = grades.latest(kpi, town=town)
    return grades.graded(kpi, last.fiscal_year, thresholds, town) if last is not None else None


def project_figures(project: Project, thresholds: grades.Thresholds | None = None) -> tuple[float | None, list[int]]:
    """What the national comparison sums per field: the project's budget over every fiscal year (千円; None
    where it gives none) and its KPIs counted per grade, in ``GRADE_KEYS`` order, on their latest result."""
    amounts = year_amounts(project)
    counts = Counter(KpiRow(project, k, _graded(k, thresholds or thresholds_of())).grade for k in project.kpis)
    return (sum(amounts.values()) if amounts else None), [counts[g] for g in GRADE_KEYS]


def kpi_rows(vision: Vision, town: str = "") -> list[KpiRow]:
    """Every KPI of the vision's projects, graded on its latest result (the whole sphere's, or a town's)."""
    thresholds = thresholds_of(vision)
    rows = []
    for p in vision.counted():  # a project listed again (再掲) restating its KPIs is graded once
        for k in p.kpis:
            rows.append(KpiRow(p, k, _graded(k, thresholds, town)))
    return rows


def grade_counts(vision: Vision) -> dict[str, Counter[str]]:
    """Per field, how many KPIs have each grade (A–D) or none yet (``UNGRADED``)."""
    counts: dict[str, Counter[str]] = {}
    for row in kpi_rows(vision):
        counts.setdefault(field_name(row.project), Counter())[row.grade] += 1
    return counts


def has_figures(vision: Vision) -> bool:
    return any(p.budgets or p.kpis for p in vision.projects)


@dataclass(frozen=True)
class TownBudget:
    """One project's amounts for a town's page: the town's own share where the project gives shares (``own``),
    else the whole project's."""

    project: Project
    amounts: dict[int, float]
    own: bool


def town_budgets(vision: Vision, town: str) -> list[TownBudget]:
    rows = []
    for p in vision.projects_of(town):
        if not p.budgets:
            continue
        shares = year_amounts(p, town)
        given = any(b.town for b in p.budgets)
        rows.append(TownBudget(p, shares if given else year_amounts(p), given))
    return rows
