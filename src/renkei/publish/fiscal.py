"""Fiscal years, amounts and KPI figures as a reader sees them, in the catalogue's words.

A fiscal year (年度, kept as the Western year it begins in) is shown in the Japanese era in Japanese, 「R7」 for
令和7年度 (「H30」 for 平成30年度), and as 「FY2025」 in English: the catalogue's ``fy.style`` says which a language
writes (``fy.reiwa``/``fy.heisei`` or ``fy.western``). Amounts keep
the unit the document declares (千円 or 円, never converted) and are written with thousands separators.
A budget or KPI change (``renkei.vision.budgetdiff``) is worded here: 「事業費 R7: 1,200 → 1,500千円」.
"""

from __future__ import annotations

from renkei.core.messages import DEFAULT, t
from renkei.vision.diff import Change

_REIWA = 2018  # 令和1年度 is 2019
_HEISEI = 1988
BLANK = "—"


def year_text(year: int, lang: str = DEFAULT) -> str:
    """「R7」 (ja) or 「FY2025」 (en) for the fiscal year beginning in 2025: the catalogue's ``fy.style`` says
    whether its language writes the era (``era``) or the Western year (``western``)."""
    if t("fy.style", lang) == "era" and year > _HEISEI:
        return t("fy.reiwa", lang, n=year - _REIWA) if year > _REIWA else t("fy.heisei", lang, n=year - _HEISEI)
    return t("fy.western", lang, year=year)


def number_text(value: float | str | None) -> str:
    """1,200 or 12.5 (an integral float as an integer); — for a blank figure."""
    if value is None or value == "":
        return BLANK
    number = float(value) if isinstance(value, str) else value
    if isinstance(number, float) and number.is_integer():
        return f"{int(number):,}"
    return f"{number:,}"


def with_unit(value: float | str | None, unit: str) -> str:
    """「1,500千円」, 「180人」; — alone for a blank figure."""
    text = number_text(value)
    return text if text == BLANK else f"{text}{unit}"


def _at(text: str, year: int | None, lang: str) -> str:
    return t("fig.at_year", lang, value=text, year=year_text(year, lang)) if year is not None else text


def figure_cells(change: Change, lang: str = DEFAULT) -> tuple[str, str, str]:
    """A budget or KPI change as (what, before, after): 「事業費 R7」, 「1,200」, 「1,500千円」. The unit is written
    once, after the new figure, unless the two differ; a year is written in ``what`` unless it changed too."""
    figure = change.figure
    assert figure is not None
    before_unit = figure.before_unit if figure.before_unit != figure.unit or change.after is None else ""
    if figure.aspect == "budget":
        if figure.fiscal_year is None:
            what = t("fig.budget_total", lang)
        else:
            what = t("fig.budget", lang, year=year_text(figure.fiscal_year, lang))
        return what, with_unit(change.before, before_unit), with_unit(change.after, figure.unit)
    name = figure.kpi
    if figure.aspect == "kpi":  # a KPI added or removed: its target
        target = _at(with_unit(change.after or change.before, figure.unit), figure.fiscal_year, lang)
        shown = t("fig.kpi_target_value", lang, value=target)
        what = t("fig.kpi", lang, name=name)
        return (what, BLANK, shown) if change.before is None else (what, shown, BLANK)
    if figure.aspect == "unit":
        return t("fig.kpi_unit", lang, name=name), change.before or BLANK, change.after or BLANK
    if figure.aspect == "result":
        year = year_text(figure.fiscal_year, lang) if figure.fiscal_year is not None else ""
        return (
            t("fig.kpi_result", lang, name=name, year=year),
            with_unit(change.before, before_unit),
            with_unit(change.after, figure.unit),
        )
    label = t(f"fig.kpi_{figure.aspect}", lang, name=name)  # baseline or target: value and year
    if figure.before_year == figure.fiscal_year:
        what = _at(label, figure.fiscal_year, lang)
        return what, with_unit(change.before, before_unit), with_unit(change.after, figure.unit)
    before = _at(with_unit(change.before, figure.before_unit), figure.before_year, lang)
    return label, before, _at(with_unit(change.after, figure.unit), figure.fiscal_year, lang)


def figure_line(change: Change, lang: str = DEFAULT) -> str:
    """The change on one line: 「事業費 R7: 1,200 → 1,500千円」."""
    what, before, after = figure_cells(change, lang)
    return t("fig.line", lang, what=what, before=before, after=after)
