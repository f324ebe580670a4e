"""Synthetic budgets (事業費) and KPIs (成果指標) for ``renkei.synthetic.synth``, when it is asked for them
(``--budgets``).

A project's money and indicators are a ``Plan`` made once, when the project is, and kept across the revisions
as a secretariat keeps them: every fiscal year of the plan period has its 事業費 in 千円 (a few projects in 円),
some projects give the 総事業費 beside the years or instead of them, some give each town's share (各市町負担:
the central city bears half, the rest is split evenly among the towns taking part, 均等割). A revision in a
later fiscal year revises some of the coming years' amounts (事業費とスケジュールの時点修正) and enters the
results (実績) of the years that have ended, for the KPIs whose results are reported.

Magnitudes follow what visions print: a few hundred 千円 to some hundred million yen a year, log-normally
spread around about 3 million yen (a 連携中枢都市圏's projects larger); one or two KPIs for most projects, some
to lower (待機児童数, a travel time) with a target below the baseline. Every draw comes from the ``random.Random``
given (its own stream, so that a registry's participation does not change with ``--budgets``): deterministic.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, field

from renkei.vision.model import Budget, BudgetUnit, Kpi, KpiResult

# (name, unit, lower it?, baseline range, decimals) per topic of ``synth_words.TOPICS``.
KpiWords = tuple[str, str, bool, tuple[float, float], int]
_COMMON: tuple[KpiWords, ...] = (
    ("事業の参加者数", "人", False, (50, 3000), 0),
    ("連携事業の実施件数", "件", False, (2, 40), 0),
)
KPI_WORDS: dict[str, tuple[KpiWords, ...]] = {
    "医療": (
        ("休日夜間急患センターの受診者数", "人", False, (2000, 15000), 0),
        ("救急搬送の平均所要時間", "分", True, (35, 60), 1),
        ("がん検診受診率", "%", False, (10, 40), 1),
    ),
    "福祉": (
        ("認知症サポーター養成数", "人", False, (200, 4000), 0),
        ("介護予防教室の参加者数", "人", False, (300, 5000), 0),
    ),
    "子育て": (
        ("待機児童数", "人", True, (5, 60), 0),
        ("病児保育の利用者数", "人", False, (100, 2500), 0),
        ("子育て支援センターの利用者数", "人", False, (2000, 30000), 0),
    ),
    "教育": (
        ("図書館の相互利用冊数", "冊", False, (2000, 60000), 0),
        ("研修に参加した教職員数", "人", False, (50, 800), 0),
    ),
    "土地利用": (("空き家バンクの登録件数", "件", False, (10, 200), 0),),
    "産業": (
        ("商談会での成約件数", "件", False, (5, 120), 0),
        ("圏域内での新規雇用者数", "人", False, (20, 400), 0),
        ("農産物の販売額", "千円", False, (20000, 500000), 0),
    ),
    "環境": (
        ("1人1日当たりのごみ排出量", "g", True, (850, 1100), 0),
        ("リサイクル率", "%", False, (12, 30), 1),
    ),
    "防災": (
        ("合同防災訓練の参加者数", "人", False, (300, 5000), 0),
        ("自主防災組織の活動カバー率", "%", False, (50, 90), 1),
    ),
    "交通": (
        ("地域公共交通の利用者数", "人", False, (20000, 400000), 0),
        ("デマンド交通の登録者数", "人", False, (200, 3000), 0),
    ),
    "デジタル": (
        ("オンライン申請の利用件数", "件", False, (500, 20000), 0),
        ("共同利用システムの運用経費", "千円", True, (30000, 200000), 0),
    ),
    "道路": (("中心市までの所要時間", "分", True, (40, 90), 0),),
    "地産地消": (
        ("学校給食での地場産品の使用割合", "%", False, (20, 45), 1),
        ("直売所の売上額", "千円", False, (30000, 300000), 0),
    ),
    "交流": (
        ("交流イベントの参加者数", "人", False, (500, 20000), 0),
        ("移住相談の件数", "件", False, (30, 600), 0),
        ("圏域への移住者数", "人", False, (10, 300), 0),
    ),
    "観光": (
        ("観光入込客数", "千人", False, (300, 6000), 0),
        ("宿泊者数", "人", False, (20000, 600000), 0),
    ),
    "創業": (("創業支援による創業件数", "件", False, (5, 80), 0),),
    "人材": (("合同企業説明会の参加者数", "人", False, (100, 2000), 0),),
    "外部人材": (("地域おこし協力隊員の定着率", "%", False, (40, 70), 1),),
    "職員": (("合同研修の受講職員数", "人", False, (50, 600), 0),),
}

SHARE_OF_CENTRE = 0.5  # what the central city bears of a shared project; the towns split the rest evenly


@dataclass
class KpiPlan:
    name: str
    unit: str
    baseline: float
    baseline_year: int
    target: float
    target_year: int
    decimals: int
    reported: bool  # whether its results are entered, year after year
    pace: float  # how fast the results move towards the target (1.0: on plan)
    results: dict[int, float | None] = field(default_factory=dict)


@dataclass
class Plan:
    """A project's 事業費 per fiscal year and its KPIs, as revised year by year."""

    amounts: dict[int, int]  # fiscal year → amount in ``unit``
    unit: str
    years_given: bool  # the amounts per year are given
    total_given: bool  # the 総事業費 is given
    shared: bool  # each town's share is given
    kpis: list[KpiPlan] = field(default_factory=list)


def _round(value: float, decimals: int) -> float:
    return round(value, decimals) if decimals else float(round(value))


def _amount(rng: random.Random, median: float) -> int:
    """An amount in 千円: log-normal around ``median``, rounded as budgets are (to 10 千円 above 1,000)."""
    value = min(max(math.exp(rng.gauss(math.log(median), 1.1)), 100.0), 500_000.0)
    return int(round(value, -1)) if value >= 1000 else int(value)


def new_plan(rng: random.Random, topic: str, years: range, metropolitan: bool) -> Plan | None:
    """A new project's plan over the fiscal ``years`` (None for the one project in ten that costs nothing)."""
    if rng.random() < 0.1:
        return None
    base = _amount(rng, 8000.0 if metropolitan else 3000.0)
    amounts = {year: int(round(base * rng.uniform(0.6, 1.4), -1 if base >= 1000 else 0)) for year in years}
    unit = BudgetUnit.THOUSAND_YEN.value
    if rng.random() < 0.05:  # a document that counts in 円
        unit = BudgetUnit.YEN.value
        amounts = {year: a * 1000 + rng.randrange(0, 1000) for year, a in amounts.items()}
    shape = rng.random()
    years_given, total_given = (False, True) if shape < 0.15 else (True, shape < 0.3)
    plan = Plan(amounts, unit, years_given, total_given, shared=years_given and rng.random() < 0.05)
    words = KPI_WORDS.get(topic, ()) + _COMMON
    for name, kpi_unit, lower, (low, high), decimals in rng.sample(words, rng.choice((0, 1, 1, 1, 2))):
        baseline = _round(rng.uniform(low, high), decimals)
        change = rng.uniform(0.05, 0.4) if lower else rng.uniform(0.05, 0.3)
        target = _round(baseline * (1 - change if lower else 1 + change), decimals)
        if kpi_unit == "%":
            target = min(target, 100.0)
        reported = rng.random() < 0.7
        pace = rng.uniform(0.3, 1.4)
        plan.kpis.append(KpiPlan(name, kpi_unit, baseline, years[0] - 1, target, years[-1], decimals, reported, pace))
    return plan


def revise(rng: random.Random, plan: Plan, fiscal_year: int) -> None:
    """A revision in ``fiscal_year``: some coming years' amounts revised, the ended years' results entered."""
    for year in sorted(plan.amounts):
        if year >= fiscal_year and rng.random() < 0.25:
            step = 1000 if plan.unit == BudgetUnit.YEN.value else 1
            plan.amounts[year] = max(0, round(plan.amounts[year] * rng.uniform(0.7, 1.3) / step / 10) * step * 10)
    for kpi in plan.kpis:
        if not kpi.reported:
            continue
        for year in range(kpi.baseline_year + 1, min(fiscal_year, kpi.target_year + 1)):
            if year in kpi.results:
                continue
            if rng.random() < 0.05:  # listed, not measured yet
                kpi.results[year] = None
                continue
            share = (year - kpi.baseline_year) / (kpi.target_year - kpi.baseline_year)
            value = kpi.baseline + (kpi.target - kpi.baseline) * share * kpi.pace * rng.uniform(0.8, 1.2)
            value = max(value, 0.0)
            kpi.results[year] = _round(min(value, 100.0) if kpi.unit == "%" else value, kpi.decimals)


def budgets(plan: Plan | None, towns: list[str]) -> list[Budget]:
    """The project's 事業費 as a document gives it: per year (and each town's share), the 総事業費."""
    if plan is None:
        return []
    found: list[Budget] = []
    for year, amount in sorted(plan.amounts.items()):
        if not plan.years_given:
            break
        found.append(Budget(year, amount, plan.unit))
        if plan.shared and towns:
            share = int(amount * (1 - SHARE_OF_CENTRE) / len(towns))
            found += [Budget(year, share, plan.unit, town) for town in towns]
    if plan.total_given:
        found.append(Budget(None, sum(plan.amounts.values()), plan.unit))
    return found


def kpis(plan: Plan | None) -> list[Kpi]:
    if plan is None:
        return []
    return [
        Kpi(
            k.name,
            k.unit,
            k.baseline,
            k.baseline_year,
            k.target,
            k.target_year,
            tuple(KpiResult(year, value) for year, value in sorted(k.results.items())),
        )
        for k in plan.kpis
    ]
