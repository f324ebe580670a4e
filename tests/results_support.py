"""What the results tests share: the sample with KPIs and budgets of the test's own on three of its projects,
accounts for the secretariat and the first town's editor, and an independent recomputation of every grade
(from the values and targets written here, never through ``renkei.vision.grades``)."""

from __future__ import annotations

import dataclasses
import datetime
from dataclasses import dataclass

from renkei.core.permissions import RoleName
from renkei.ingest import read_sample
from renkei.store import SphereSpec, Store
from renkei.vision.model import Budget, Kpi, Project, Vision

KEY = "kamikawa-chubu"
PASSWORD = "a long enough password 1234"
SECRETARIAT = "jimukyoku"
TOWN = "town-editor"
FIRST = datetime.date(2024, 4, 1)  # revision 1 takes effect: fiscal year 2024 begins


@dataclass(frozen=True)
class Indicator:
    """A KPI as the test declares it: its project's place among the sample's projects with two towns or more."""

    at: int
    name: str
    unit: str
    baseline: float | None
    target: float
    shares: bool  # measured per town (its project's budget names town shares)


INDICATORS = (
    Indicator(0, "観光入込客数", "人", 10_000.0, 20_000.0, False),  # raised
    Indicator(1, "待機児童数", "人", 50.0, 10.0, True),  # lowered, per town
    Indicator(2, "研修参加者数", "人", None, 300.0, False),  # raised, no baseline
)


def chosen_projects(vision: Vision, own: str) -> list[Project]:
    """Three projects with two towns or more; the second one (town shares) has the own town among them."""
    shared = next(p for p in vision.projects if len(p.participants) >= 2 and own in p.participants)
    others = [p for p in vision.projects if len(p.participants) >= 2 and p is not shared]
    return [others[0], shared, others[1]]


def with_kpis(own: str) -> tuple[Vision, list[Project]]:
    """The sample with the test's KPIs and budgets (事業費 R6/R7 and, for the shared KPI, town shares)."""
    vision = read_sample().vision
    chosen = chosen_projects(vision, own)
    changed: dict[int, Project] = {}
    for indicator, project in zip(INDICATORS, chosen, strict=True):
        kpi = Kpi(indicator.name, indicator.unit, indicator.baseline, 2023, indicator.target, 2027)
        budgets = [Budget(2024, 1200), Budget(2025, 1500), Budget(None, 6000)]
        if indicator.shares:
            budgets += [Budget(2024, 600, town=town) for town in project.participants]
        changed[project.number] = dataclasses.replace(project, kpis=[kpi], budgets=budgets)
    projects = [changed.get(p.number, p) for p in vision.projects]
    return dataclasses.replace(vision, projects=projects), [changed[p.number] for p in chosen]


def filled(url: str, own: str) -> tuple[Store, list[Project]]:
    """A registry holding the sample with KPIs (revision 1, from FIRST), the secretariat and the own town's editor."""
    store = Store.open(url)
    vision, chosen = with_kpis(own)
    result = store.import_vision(vision, SphereSpec(key=KEY), message="with KPIs", effective_on=FIRST)
    assert result.created
    store.accounts.add(SECRETARIAT, PASSWORD, "事務局")
    store.accounts.grant(SECRETARIAT, KEY, RoleName.SECRETARIAT)
    store.accounts.add(TOWN, PASSWORD, own)
    store.accounts.grant(TOWN, KEY, RoleName.MUNICIPALITY, own)
    return store, chosen


def expected_rate(indicator: Indicator, value: float) -> float:
    """Achievement by the guideline's arithmetic, written out here: 実績/目標 to raise; to lower, the share of
    the reduction from the baseline to the target that was made."""
    if indicator.baseline is not None and indicator.target < indicator.baseline:
        return (indicator.baseline - value) / (indicator.baseline - indicator.target)
    return value / indicator.target


def expected_grade(rate: float, a: float = 1.0, b: float = 0.8, c: float = 0.5) -> str:
    if rate >= a:
        return "A"
    if rate >= b:
        return "B"
    return "C" if rate >= c else "D"
