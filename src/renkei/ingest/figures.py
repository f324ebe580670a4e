"""Budget (事業費) and KPI (成果指標) columns, told by their structure rather than by one sphere's words.

A budget column is a header that names an amount (事業費, 概算事業費, 予算額, 総事業費, 負担額) in its own cell or in
the cell of an upper header row standing over it, with a fiscal year (R6, 令和６年度, H30, 平成30年度, 2024年度,
FY2024, 6年度), a total (合計, 総事業費, 計) or a town (各市町負担 over the towns, 旭川市負担) beside it; its unit is
the header's (千円, 円, 単位：千円) or a note line's above the table (（単位：千円）). A KPI column names a part of an
indicator: its name (成果指標, KPI, 重要業績評価指標, 指標名), unit (単位), baseline (基準値, 現状値) and target
(目標値) with their years (目標値（R10）, or a 基準年度 / 目標年度 column), and a year's result (実績 R6). A second
indicator of a row is numbered (成果指標2, 目標値2). Years are the Western year the 年度 begins in.

The cells under them are read as written: a blank cell is nothing, a number is kept in its declared unit, and
anything else (未定, －) is a finding pointing at the cell, never a silent 0. Pure: no reader state.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass
from typing import TypeVar

from renkei.ingest.grid import Cell
from renkei.places.variants import fold
from renkei.vision.model import Budget, BudgetUnit, Kpi, KpiResult, Location, Severity

K = TypeVar("K")
_ERAS = {"令和": 2018, "R": 2018, "平成": 1988, "H": 1988}
# A fiscal year as written: an era and its year (令和6年度, R6, H30, 令和元年度), a Western year (2024年度, FY2024,
# 2024), or a bare year of the era (6年度) whose era the header's other years give.
_YEAR = re.compile(
    r"(?:(?P<era>令和|平成|R|H)(?P<n>[0-9]{1,2}|元)(?:年度|年)?"
    r"|(?:FY)?(?P<west>(?:19|20)[0-9]{2})(?:年度|年)?"
    r"|(?P<bare>[0-9]{1,2})年度)"
)
_BUDGET_WORDS = ("総事業費", "概算事業費", "事業費", "予算額", "予算", "負担額", "負担")
_TOTAL_WORDS = ("総事業費", "合計", "総額", "計")
_KPI_PARTS = (  # the longest word first: 基準年度 before 基準
    ("name", ("重要業績評価指標", "成果指標名", "成果指標", "指標名", "評価指標", "KPI", "指標")),
    ("baseline_year", ("基準年度", "現状年度", "基準年")),
    ("target_year", ("目標年度", "目標年")),
    ("baseline", ("基準値", "現状値", "基準", "現状")),
    ("target", ("目標値", "目標")),
    ("result", ("実績値", "実績")),
    ("unit", ("単位",)),
)
_UNIT = re.compile(r"単位[:：]?(?P<u>千円|円)|[(（\[［](?P<b>千円|円)[)）\]］]")
_NOISE = re.compile(r"[()（）\[\]［］【】・:：/／、,，\-－―~～〜\s]")
_NUMBER = re.compile(r"^(?P<sign>[-△▲]?)(?P<digits>[0-9][0-9,]*(?:\.[0-9]+)?)(?P<suffix>[^0-9]{0,6})$")
# A cell that says "none" under a 実績 year (－, ―, -, ‐): the indicator has no result for that year, where a blank
# cell is a year listed but not yet measured (``KpiResult(year, None)``).
_DASH = re.compile(r"[-‐―－—–ー]+")
# 計画期間 令和6年度～令和10年度, …から令和10年度まで, R6～R10; a Western year bracketed after an era's
# (令和7（2025）年度) is left out first.
_PERIOD = re.compile(
    r"計画期間[^0-9RH令平F]*(?P<first>[^\s~～〜\-－―]+?)(?:[~～〜\-－―]+|から)"
    r"(?P<last>[^\s(（]+?(?:年度?|(?=まで|[\s(（]|$)))"
)
_WESTERN_BRACKETED = re.compile(r"(?<=[0-9])[(（][0-9]{4}[)）]")
# 計画期間 令和7年度から5年間: a start and a length.
_PERIOD_YEARS = re.compile(
    r"計画期間[^0-9RH令平F]*(?P<first>[^\s~～〜\-－―]+?年度?)から(?:の)?(?P<years>[0-9]{1,2})(?:か|ヵ|ヶ|ケ)?年間"
)
_UNIT_NOTE = re.compile(r"^[(（]?単位[:：](?P<u>千円|円)[)）]?$|[(（]単位[:：](?P<n>千円|円)[)）]")
# Whether a budget annex (別冊) is being read (``renkei.ingest.annex``): a file of budgets alone, whose year columns
# (令和6年度, 合計) are amounts without a word saying so.
ANNEX: ContextVar[bool] = ContextVar("annex", default=False)


@functools.lru_cache(maxsize=8192)
def norm(text: str) -> str:
    """The matching form: NFKC (full-width digits and letters halved), no spaces, variant characters folded.
    Kept for the texts seen last: a table's header words and marks come back on every block and row."""
    return fold(re.sub(r"\s+", "", unicodedata.normalize("NFKC", text)))


def is_dash(text: str) -> bool:
    """Whether a cell says "none" with a dash (－, ―, -): under a 実績 year, no result for that year."""
    if text[:1].isdigit():  # a figure (most cells asked): no dash, told without normalising
        return False
    return _DASH.fullmatch(unicodedata.normalize("NFKC", text).strip()) is not None


def fiscal_year(text: str, era: str | None = None) -> int | None:
    """The Western fiscal year a label names (令和６年度 → 2024, H30 → 2018, FY2024 → 2024), or None."""
    match = _YEAR.search(norm(text))
    if match is None:
        return None
    if match["era"]:
        n = 1 if match["n"] == "元" else int(match["n"])
        return _ERAS[match["era"]] + n
    if match["west"]:
        return int(match["west"])
    return _ERAS[era or "令和"] + int(match["bare"])


def era_of(texts: list[str]) -> str | None:
    """The era the header's labels write their years in, for a bare 6年度 beside them."""
    for text in texts:
        match = _YEAR.search(norm(text))
        if match is not None and match["era"]:
            return "令和" if match["era"] in ("令和", "R") else "平成"
    return None


def unit_of(text: str) -> str | None:
    match = _UNIT.search(norm(text))
    return (match["u"] or match["b"]) if match else None


def unit_note(text: str) -> str | None:
    """The unit a note declares for the table's amounts: a line of its own （単位：千円）, or the note bracketed in a
    title line (事業費一覧（単位：千円）)."""
    match = _UNIT_NOTE.search(norm(text))
    return (match["u"] or match["n"]) if match else None


def plan_period(text: str) -> tuple[int, int] | None:
    """The plan period a title or note line states: 計画期間 令和6年度～令和10年度 (…から…まで, R6～R10) → (2024,
    2028); 計画期間 令和6年度から5年間 → the same."""
    plain = _WESTERN_BRACKETED.sub("", norm(text))
    lasting = _PERIOD_YEARS.search(plain)
    if lasting is not None and (start := fiscal_year(lasting["first"])) is not None and int(lasting["years"]) > 0:
        return start, start + int(lasting["years"]) - 1
    match = _PERIOD.search(plain)
    if match is None:
        return None
    era = era_of([match["first"], match["last"]])
    first, last = fiscal_year(match["first"], era), fiscal_year(match["last"], era)
    return (first, last) if first is not None and last is not None and first <= last else None


@dataclass(frozen=True)
class FigureColumn:
    """What one header column holds: a budget amount (``part`` "amount": a year, or None for a total, a unit and
    a town's label for a share), or a part of the ``index``-th KPI of a row, with its year where it has one."""

    what: str  # "budget" | "kpi"
    part: str
    year: int | None = None
    unit: str | None = None
    town: str = ""
    index: int = 0
    header: str = ""
    total: bool = False

    @property
    def blank_read(self) -> bool:
        """Whether a blank cell under this column says something: under an indicator's 実績 year, the year listed
        but not yet measured (``read_figures``); under every other figure column, nothing."""
        return self.what == "kpi" and self.part == "result" and self.year is not None


def _kpi_part(text: str) -> tuple[str, int, str] | None:
    """The KPI part a text names, its index (成果指標2 → 1) and the text left after the word. The word that ends
    last decides (KPI単位 is a unit, 指標の目標値 a target), the longest where two end alike (基準年度, not 基準)."""
    best: tuple[int, int, str, str, int] | None = None
    for part, words in _KPI_PARTS:
        for word in words:
            at = text.rfind(word)
            if at >= 0 and (best is None or (at + len(word), len(word)) > (best[0], best[1])):
                best = (at + len(word), len(word), part, word, at)
    if best is None:
        return None
    end, _, part, _, at = best
    rest = text[end:]
    digit = re.match(r"[0-9](?![0-9]*年)", rest)
    index = int(digit.group()) - 1 if digit and digit.group() != "0" else 0
    return part, index, text[:at] + rest[1 if digit else 0 :]


def _is_budget(text: str) -> bool:
    return any(w in text for w in _BUDGET_WORDS)


def is_amount_heading(text: str) -> bool:
    """Whether a heading names an amount of money (事業費, 予算額, 負担額, 負担金): the long form's amount columns."""
    t = norm(text)
    return _is_budget(t) and _kpi_part(t) is None


# Words one of which every figure header holds (事業費, 予算額, 負担, 成果指標, KPI, 基準値, 現状値, 目標値, 実績, 単位,
# 合計, 総額, a unit in 円): a header without any of them is told at once to hold none.
_FIGURE_WORDS = (
    "費",
    "予算",
    "負担",
    "指標",
    "KPI",
    "ＫＰＩ",
    "基準",
    "現状",
    "目標",
    "実績",
    "単位",
    "計",
    "額",
    "円",
)


def may_hold_figures(text: str) -> bool:
    """Whether a header's text may name a budget or KPI column (in an annex, any header may: its years alone)."""
    return ANNEX.get() or any(word in text for word in _FIGURE_WORDS)


def is_figure_group(text: str) -> bool:
    """Whether an upper header cell names a budget or indicator group (事業費（千円）, 成果指標（KPI）)."""
    t = norm(text)
    return _is_budget(t) or _kpi_part(t) is not None


def names_indicator_part(text: str) -> bool:
    """Whether a header cell's own words name a part of an indicator (指標名, 単位, 目標値, 実績 …)."""
    return _kpi_part(norm(text)) is not None


def is_sub_label(text: str) -> bool:
    """Whether a header cell is one of the labels a budget or KPI group stands over (R6, 合計, 目標値, 単位):
    two of them and nothing else make a row the lower half of a header."""
    t = _UNIT.sub("", norm(text))
    if not t or len(t) > 16:
        return False
    if fiscal_year(t) is not None and len(_YEAR.sub("", t)) <= 2:
        return True
    return t in _TOTAL_WORDS or _is_budget(t) or _kpi_part(t) is not None


def classify(
    own: str, group: str | None, era: str | None, town_of: Callable[[str], str | None], default_unit: str | None
) -> FigureColumn | None:
    """The figure a header column holds, from its own text and the text of the upper header cell over it.

    Told once per process for the same words (a national import meets 事業費（千円）令和6年度 in every file): what
    the telling depends on beyond them is the town a leftover word names (旭川市 of 旭川市負担), which ``town_of``
    is asked again each time; the kept answer is used only where the town it names is the same."""
    key = (own, group, era, default_unit, ANNEX.get())
    kept = _CLASSIFIED.get(key)
    if kept is not None:
        column, asked = kept
        if all(town_of(text) == found for text, found in asked):
            return column
    asking: list[tuple[str, str | None]] = []

    def told_town(text: str) -> str | None:
        found = town_of(text)
        asking.append((text, found))
        return found

    column = _classify(own, group, era, told_town, default_unit)
    if len(_CLASSIFIED) >= _CLASSIFIED_KEPT:
        _CLASSIFIED.clear()
    _CLASSIFIED[key] = (column, tuple(asking))
    return column


# Header columns told (``classify``): their words → the column, and the towns asked for with their answers.
_CLASSIFIED: dict[
    tuple[str, str | None, str | None, str | None, bool], tuple[FigureColumn | None, tuple[tuple[str, str | None], ...]]
] = {}
_CLASSIFIED_KEPT = 4096


# Words that say which budget an amount is (当初予算, 補正後予算, 事業費見込, 概算事業費), never a town's share: an
# amount heading's leftover words are a town's name or these. (決算, what was spent, is not a budget: left as the
# document's own column.)
_QUALIFIERS = ("当初", "補正後", "補正", "見込み", "見込", "予定", "計画", "概算", "要求", "所要", "見積")
# Two years joined as a period (R7～R9, 令和7年度-令和9年度): an amount over the period.
_PERIOD_RANGE = re.compile(
    r"(?:令和|平成|R|H|FY)?[0-9]{1,4}(?:年度|年)?[\s\u3000]*[～~〜\-－ー―][\s\u3000]*(?:令和|平成|R|H|FY)?[0-9]{1,4}(?:年度|年)?"
)


def _classify(
    own: str, group: str | None, era: str | None, town_of: Callable[[str], str | None], default_unit: str | None
) -> FigureColumn | None:
    t, g = norm(own), norm(group or "")
    if g == t:
        g = ""
    header = f"{(group or '').strip()} {own.strip()}" if g else own.strip()
    own_kpi = _kpi_part(t)
    kpi = own_kpi or (_kpi_part(g) if g and not _is_budget(t) else None)
    if own_kpi is None and kpi is not None and kpi[0] == "name" and fiscal_year(t, era) is not None:
        return None  # a year under the indicator's name group says neither a result nor a target
    if kpi is not None and not (_is_budget(t) and kpi[0] not in ("unit",)):
        part, index, rest = kpi
        if part == "unit" and (unit_of(t) or unit_of(g)) and (_is_budget(t) or _is_budget(g)):
            kpi = None  # （単位：千円） beside an amount is the amount's unit, not an indicator's
        else:
            year = fiscal_year(t, era) if part not in ("name", "unit") else None
            if year is None and part in ("baseline", "target", "result") and g:
                year = fiscal_year(g, era)
            if part == "result" and year is None:
                return None  # a result without its year cannot be placed
            town = ""
            left = _NOISE.sub("", _YEAR.sub("", rest)) if own_kpi is not None and part == "result" else ""
            if left:  # a town's result: 旭川市実績（令和6年度）
                town = town_of(left) or ""
                if not town:
                    return None
            return FigureColumn("kpi", part, year, town=town, index=index, header=header)
    # A fiscal year with a money unit (R6（千円）) is an amount however it is worded, as 事業費 would make it; so
    # is a bare year (R6, 令和6年度) in a table whose note states the unit of its amounts (（単位：千円）).
    bare_year = default_unit is not None and len(_YEAR.sub("", _UNIT.sub("", t))) <= 2
    priced = bool(unit_of(t) or unit_of(g) or bare_year) and fiscal_year(t, era) is not None
    if not (_is_budget(t) or _is_budget(g) or priced or (ANNEX.get() and (is_sub_label(t) or is_sub_label(g)))):
        return None
    unit = unit_of(t) or unit_of(g) or default_unit
    year = fiscal_year(t, era)
    if year is None and g and fiscal_year(g, era) is not None and not _YEAR.search(t):
        year = fiscal_year(g, era)
    period = _PERIOD_RANGE.search(t) is not None  # R7～R9事業費: the amount of the years together, no one year's
    if period:
        year = None
    rest = _NOISE.sub("", _YEAR.sub("", _UNIT.sub("", t)))
    for word in (*_BUDGET_WORDS, *_TOTAL_WORDS, *_QUALIFIERS, "各市町村", "各市町", "年度", "額", "分", "単位"):
        rest = rest.replace(word, "")
    total = year is None and ("総事業費" in t or any(w in t for w in _TOTAL_WORDS) or not rest or period)
    town = ""
    if rest:
        found = town_of(rest)
        if found is None:
            return None
        town = found
    if year is None and not total and not town:
        return None
    return FigureColumn("budget", "amount", year, unit, town, header=header, total=year is None)


def paired(columns: dict[K, FigureColumn]) -> dict[K, FigureColumn]:
    """The columns that make indicators: an indicator's name and unit only beside one of its figures, its figures
    only beside its name (a lone 成果指標 or 目標 column is the document's own); amounts always."""
    figures = {c.index for c in columns.values() if c.what == "kpi" and c.part not in ("name", "unit")}
    names = {c.index for c in columns.values() if c.what == "kpi" and c.part == "name"}
    return {
        k: c
        for k, c in columns.items()
        if c.what == "budget" or (c.index in figures if c.part in ("name", "unit") else c.index in names)
    }


@dataclass(frozen=True)
class Figure:
    """A figure read from a cell: the number (None for a blank), and the text when it is no number."""

    value: float | None
    unreadable: bool = False
    suffix: str = ""


_TWO_FIGURES = re.compile(r"\d[ \u3000]+\d")


def read_number(text: str) -> Figure:
    if text.isascii() and text.isdigit():  # most cells: plain digits, as the normalising below would leave them
        return Figure(float(text))
    t = unicodedata.normalize("NFKC", text).strip()
    if _TWO_FIGURES.search(t):  # 9,000 26,500: two amounts a copy ran together, never one of 900,026,500
        return Figure(None, unreadable=True)
    t = t.replace(" ", "")
    if not t:
        return Figure(None)
    match = _NUMBER.match(t)
    if match is None:
        return Figure(None, unreadable=True)
    value = float(match["digits"].replace(",", ""))
    if match["sign"]:
        value = -value
    return Figure(value, suffix=match["suffix"])


def amount(value: float) -> int | float:
    return int(value) if value.is_integer() else value


Find = Callable[..., None]  # LayoutState.find: (severity, code, location, **params)


@dataclass
class KpiParts:
    """The cells of one indicator of a row, gathered before it is made."""

    name: str = ""
    unit: str = ""
    baseline: float | None = None
    baseline_year: int | None = None
    target: float | None = None
    target_year: int | None = None
    results: dict[tuple[int, str], float | None] | None = None
    filled: Location | None = None

    def kpi(self, unit_column: bool = True) -> Kpi:
        ordered = sorted((self.results or {}).items(), key=lambda r: (r[0][1] != "", r[0][1], r[0][0]))
        results = tuple(KpiResult(year, value, town) for (year, town), value in ordered)
        name, unit = self.name, self.unit
        if not unit_column and (bracketed := _UNIT_IN_NAME.search(name)) is not None:
            # 観光入込客数（千人） in a table without a unit column: the unit the name brackets at its end, the name
            # without it (the two give the text back whole; a table with a unit column keeps the name as written).
            name, unit = name[: bracketed.start()].rstrip(), bracketed["unit"]
        return Kpi(name, unit, self.baseline, self.baseline_year, self.target, self.target_year, results)


# A unit an indicator's name brackets at its end: a count's word or a measure's symbol, with 千 or 万 before it,
# never a year or a qualifier (（R5）, （累計）, （年間）).
KPI_UNIT = (
    r"[千万]?(?:人|円|件|回|個|社|校|戸|台|冊|本|泊|人日|人泊|世帯|団体|施設|箇所|か所|ヶ所|時間|店舗|事業所|品目"
    r"|分|名|点|%|％|t|トン|km|ha|kWh)"
)
_UNIT_IN_NAME = re.compile(rf"[(（](?P<unit>{KPI_UNIT})[)）]$")


def as_budget_unit(unit: str | None) -> str:
    return BudgetUnit(unit).value if unit else BudgetUnit.THOUSAND_YEN.value


def read_figures(
    cells: list[tuple[FigureColumn, Cell]], number: int, find: Find, units: frozenset[int] = frozenset()
) -> tuple[list[Budget], list[Kpi]]:
    """A row's budgets and indicators from its cells under figure columns; every cell that is not a number (or,
    under a year column of an indicator, a year) is a finding at the cell, and a 合計 that disagrees with the
    sum of the years is one too (declared and computed both shown). ``units``: the indicators (by index) that
    the table gives a unit column."""
    budgets: dict[tuple[int | None, str], Budget] = {}
    total_cells: dict[tuple[str, str], Cell] = {}
    parts: dict[int, KpiParts] = {}
    listed: dict[int, list[tuple[int, str]]] = {}  # an indicator's 実績 years whose cells are blank
    for column, cell in cells:
        text = cell.text.strip()
        if column.what == "budget":  # an amount (most cells): none of an indicator's parts below
            if text.isascii() and text.isdigit() and column.unit is not None:  # plain digits: most amounts
                key = (column.year, column.town)
                if key not in budgets:
                    budgets[key] = Budget(column.year, amount(float(text)), column.unit, column.town)
                    if column.year is None:
                        total_cells[column.town, column.unit] = cell
                continue
            if not text or is_dash(text):  # a dash (－) is no amount, as a blank cell is
                continue
            figure = read_number(text)
            if figure.value is None or figure.suffix not in ("", "千円", "円"):
                find(Severity.WARNING, "figure-unreadable", cell.location, column=column.header, value=text[:20])
                continue
            if column.unit is None:
                continue  # the header's finding (budget-unit-missing) says why: an amount without a unit is not kept
            unit = figure.suffix or column.unit
            key = (column.year, column.town)
            if key not in budgets:
                budgets[key] = Budget(column.year, amount(figure.value), unit, column.town)
                if column.year is None:
                    total_cells[column.town, unit] = cell
            continue
        result = column.blank_read  # a 実績 year
        if result and (not text or is_dash(text)):
            if not text:  # listed, not yet measured; a dash (－) is no result for the year at all
                listed.setdefault(column.index, []).append((column.year or 0, column.town))
            continue
        if not text:
            continue
        if column.what == "kpi" and column.part in ("name", "unit"):
            kpi = parts.setdefault(column.index, KpiParts())
            setattr(kpi, column.part, text)
            kpi.filled = kpi.filled or cell.location
            continue
        if column.what == "kpi" and column.part in ("baseline_year", "target_year"):
            year = fiscal_year(text)
            if year is None:
                find(Severity.WARNING, "figure-unreadable", cell.location, column=column.header, value=text[:20])
                continue
            kpi = parts.setdefault(column.index, KpiParts())
            setattr(kpi, column.part, year)
            kpi.filled = kpi.filled or cell.location
            continue
        figure = read_number(text)
        if figure.value is None:
            find(Severity.WARNING, "figure-unreadable", cell.location, column=column.header, value=text[:20])
            continue
        kpi = parts.setdefault(column.index, KpiParts())
        kpi.filled = kpi.filled or cell.location
        if figure.suffix and not kpi.unit:
            kpi.unit = figure.suffix
        if column.part == "result" and column.year is not None:
            kpi.results = {**(kpi.results or {}), (column.year, column.town): figure.value}
        elif column.part in ("baseline", "target"):
            setattr(kpi, column.part, figure.value)
            if column.year is not None:
                setattr(kpi, f"{column.part}_year", column.year)
    for (town, unit), cell in total_cells.items():
        years = [b.amount for b in budgets.values() if b.town == town and b.unit == unit and b.fiscal_year is not None]
        declared = budgets[None, town].amount
        computed = amount(float(sum(years)))
        if years and abs(declared - computed) > 1e-9:
            find(
                Severity.ERROR,
                "budget-total-mismatch",
                cell.location,
                number=number,
                declared=f"{declared:,}",
                computed=f"{computed:,}",
                unit=unit,
            )
    for index, blanks in listed.items():
        if index in parts and parts[index].name:  # a blank row has no indicator whose years are listed
            named = parts[index]
            named.results = {**dict.fromkeys(blanks), **(named.results or {})}
    kpis = []
    for index in sorted(parts):
        kpi = parts[index]
        if not kpi.name:
            find(Severity.WARNING, "kpi-name-missing", kpi.filled, number=number)
            continue
        kpis.append(kpi.kpi(unit_column=index in units))
    return list(budgets.values()), kpis
