"""The yearly cycle of a vision's KPIs: entering a 実績 into a KPI, which towns hold a share of it, and the
取組状況 report of a fiscal year (the 懇談会 packet) as a plain ``Document`` that every document renderer writes.

The report has, in this order: the participation table (the one table view, ``renkei.vision.table``), the budgets per
fiscal year as declared, the KPIs with baseline, target and results and, for the report's year, the achievement
and grade (computed by ``renkei.vision.grades`` only, and labelled 計算値), the grades per town (each member's KPIs
graded A–D and the share of each grade) and the amendment list since the previous fiscal year's revision
(``renkei.publish.documents.amendments_document`` over ``renkei.vision.diff``). Pure: no I/O.

A KPI has **town shares** where any of its results, or any of its project's budgets, names a town: each town
taking part in the project then has its own figure, entered by that town's editor, and is graded on it.
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from renkei.core.messages import DEFAULT, t
from renkei.publish.documents import amendments_document
from renkei.render.base import Document, Sheet
from renkei.vision import grades
from renkei.vision.diff import Amendments
from renkei.vision.grades import GRADES, Thresholds
from renkei.vision.model import Kpi, KpiResult, Project, Vision
from renkei.vision.table import Figure, table_view

UNGRADED = "-"  # the share table's column of KPIs without a grade (no result, no target)


def has_shares(project: Project, kpi: Kpi) -> bool:
    """Whether the KPI is measured per town: a result of its own, or a budget of its project, names a town."""
    return any(r.town for r in kpi.results) or any(b.town for b in project.budgets)


def entered(kpi: Kpi, fiscal_year: int, value: float | None, town: str = "") -> Kpi:
    """The KPI with its result for ``fiscal_year`` (the whole's, or ``town``'s share) set to ``value``; the other
    results kept, in fiscal year order. A value None keeps the year as listed but not measured."""
    kept = [r for r in kpi.results if (r.fiscal_year, r.town) != (fiscal_year, town)]
    results = sorted([*kept, KpiResult(fiscal_year, value, town)], key=lambda r: (r.fiscal_year, r.town))
    return dataclasses.replace(kpi, results=tuple(results))


@dataclass(frozen=True)
class TownGrades:
    """One member's KPIs graded for a fiscal year: how many of each grade, and how many could not be graded."""

    town: str
    counts: dict[str, int]
    ungraded: int

    @property
    def graded(self) -> int:
        return sum(self.counts.values())

    def share(self, grade: str) -> float | None:
        """The share of ``grade`` among the graded KPIs, as a fraction; None where none is graded."""
        return self.counts.get(grade, 0) / self.graded if self.graded else None


def town_grades(vision: Vision, fiscal_year: int, thresholds: Thresholds = grades.DEFAULT) -> list[TownGrades]:
    """Each member's KPIs (those of the projects it takes part in) graded for the year: on its own share where
    the KPI has town shares, else on the whole KPI's result."""
    out = []
    for town in vision.municipalities:
        found: Counter[str] = Counter()
        ungraded = 0
        for project in vision.projects:
            if town.name not in project.participants:
                continue
            for kpi in project.kpis:
                share = town.name if has_shares(project, kpi) else ""
                grade = grades.graded(kpi, fiscal_year, thresholds, share).grade
                if grade is None:
                    ungraded += 1
                else:
                    found[grade] += 1
        out.append(TownGrades(town.name, {g: found[g] for g in GRADES}, ungraded))
    return out


def percent(fraction: float | None) -> float | None:
    """A computed fraction as a percentage to one decimal (85.0), as the report prints it."""
    return None if fraction is None else round(fraction * 100, 1)


def _plain(value: float | None) -> float | int | None:
    """A declared figure as printed: 50.0 as 50, 12.5 as it is."""
    return int(value) if isinstance(value, float) and value.is_integer() and abs(value) < 2**53 else value


def _figure(value: int | str | Figure) -> int | str:
    return value.computed if isinstance(value, Figure) else value


def participation_sheet(vision: Vision, lang: str = DEFAULT) -> Sheet:
    """The participation table as the one table view has it: number, field, name, a mark per town, the count
    computed from the marks and, apart, the count the document declared."""
    view = table_view(vision)
    chosen = view.select("number", "field", "name", "municipality", "count")
    columns: list[str] = []
    for column, _ in chosen:
        if column.kind == "municipality" and column.municipality is not None:
            columns.append(column.municipality.display)
        elif column.kind == "count":
            columns += [t("progress.count_computed", lang), t("progress.count_declared", lang)]
        else:
            columns.append(t(f"progress.col_{column.kind}", lang))
    rows: list[tuple[object, ...]] = []
    for row in view.project_rows:
        cells: list[object] = []
        for column, at in chosen:
            value = row.value(column, at)
            cells += [row.count.computed, row.count.declared] if column.kind == "count" else [_figure(value)]
        rows.append(tuple(cells))
    return Sheet(t("progress.sheet_table", lang), tuple(columns), tuple(rows))


def budget_sheet(vision: Vision, lang: str = DEFAULT) -> Sheet:
    """事業費 as declared: a row per project, town (or the whole) and unit, a column per fiscal year, 総事業費 last."""
    years = sorted({b.fiscal_year for p in vision.projects for b in p.budgets if b.fiscal_year is not None})
    columns = (
        t("progress.col_number", lang),
        t("progress.col_name", lang),
        t("progress.col_share", lang),
        t("progress.col_unit", lang),
        *(t("progress.fiscal_year", lang, year=y) for y in years),
        t("progress.col_total_budget", lang),
    )
    rows: list[tuple[object, ...]] = []
    for p in vision.projects:
        keys = list(dict.fromkeys((b.town, b.unit) for b in p.budgets))
        for town, unit in keys:
            amounts = {b.fiscal_year: b.amount for b in p.budgets if (b.town, b.unit) == (town, unit)}
            whole = town or t("progress.whole", lang)
            rows.append((p.number, p.name, whole, unit, *(amounts.get(y) for y in years), amounts.get(None)))
    return Sheet(t("progress.sheet_budgets", lang), columns, tuple(rows))


def kpi_sheet(vision: Vision, fiscal_year: int, thresholds: Thresholds, lang: str = DEFAULT) -> Sheet:
    """Each KPI as declared (baseline, target, results per year up to the report's) and, for the report's year,
    its achievement and grade (計算値): a row for the whole and one per town share."""
    years = sorted(
        {r.fiscal_year for p in vision.projects for k in p.kpis for r in k.results if r.fiscal_year <= fiscal_year}
    )
    columns = (
        t("progress.col_number", lang),
        t("progress.col_name", lang),
        t("progress.col_kpi", lang),
        t("progress.col_unit", lang),
        t("progress.col_share", lang),
        t("progress.col_baseline", lang),
        t("progress.col_baseline_year", lang),
        t("progress.col_target", lang),
        t("progress.col_target_year", lang),
        *(t("progress.result_year", lang, year=y) for y in years),
        t("progress.col_rate", lang, year=fiscal_year),
        t("progress.col_grade", lang, year=fiscal_year),
    )
    rows: list[tuple[object, ...]] = []
    for p in vision.projects:
        for kpi in p.kpis:
            shares = [""] + ([town for town in p.participants] if has_shares(p, kpi) else [])
            for town in shares:
                values = {r.fiscal_year: r.value for r in kpi.results if r.town == town}
                if town and not values:
                    continue  # a town without any figure of its own: nothing to show but blanks
                standing = grades.graded(kpi, fiscal_year, thresholds, town)
                rows.append(
                    (
                        p.number,
                        p.name,
                        kpi.name,
                        kpi.unit,
                        town or t("progress.whole", lang),
                        _plain(kpi.baseline),
                        kpi.baseline_year,
                        _plain(kpi.target),
                        kpi.target_year,
                        *(_plain(values.get(y)) for y in years),
                        percent(standing.rate),
                        standing.grade,
                    )
                )
    return Sheet(t("progress.sheet_kpis", lang), columns, tuple(rows))


def grade_sheet(vision: Vision, fiscal_year: int, thresholds: Thresholds, lang: str = DEFAULT) -> Sheet:
    """Each member's KPIs by grade for the year: counts, the ungraded, and each grade's share (計算値, %)."""
    columns = (
        t("progress.col_town", lang),
        *(t("progress.grade_count", lang, grade=g) for g in GRADES),
        t("progress.ungraded_count", lang),
        *(t("progress.grade_share", lang, grade=g) for g in GRADES),
    )
    rows = tuple(
        (
            found.town,
            *(found.counts[g] for g in GRADES),
            found.ungraded,
            *(percent(found.share(g)) for g in GRADES),
        )
        for found in town_grades(vision, fiscal_year, thresholds)
    )
    return Sheet(t("progress.sheet_grades", lang, year=fiscal_year), columns, rows, new_page=True)


def thresholds_text(thresholds: Thresholds, lang: str = DEFAULT) -> str:
    """「評価基準：A 100%以上、B 80%以上、C 50%以上、D それ未満」."""
    return t(
        "progress.thresholds_note",
        lang,
        a=_pct_text(thresholds.a),
        b=_pct_text(thresholds.b),
        c=_pct_text(thresholds.c),
    )


def _pct_text(fraction: float) -> str:
    return f"{round(fraction * 100, 1):g}"


def report_title(sphere_name: str, fiscal_year: int, lang: str = DEFAULT) -> str:
    """「上川中部定住自立圏 取組状況 2025年度（令和7年度）」."""
    return t("progress.title", lang, sphere=sphere_name, year=fiscal_year, reiwa=fiscal_year - 2018)


def basis_notes(revision: tuple[int, str], previous: tuple[int, str] | None, lang: str = DEFAULT) -> list[str]:
    """What a report is made of: its revision (number, effective date) and the one its amendments run from."""
    said = [t("progress.revision_note", lang, n=revision[0], date=revision[1])]
    if previous is not None:
        said.append(t("progress.previous_note", lang, n=previous[0], date=previous[1]))
    return said


def report_document(
    vision: Vision,
    fiscal_year: int,
    thresholds: Thresholds,
    title: str,
    amendments: Amendments | None,
    notes: Sequence[str] = (),
    lang: str = DEFAULT,
) -> Document:
    """The 取組状況 report of one fiscal year. ``amendments`` runs from the previous fiscal year's revision to the
    one reported (None where the sphere has no revision before the year: the notes say so)."""
    sheets = [
        participation_sheet(vision, lang),
        budget_sheet(vision, lang),
        kpi_sheet(vision, fiscal_year, thresholds, lang),
        grade_sheet(vision, fiscal_year, thresholds, lang),
    ]
    said = [*notes, thresholds_text(thresholds, lang), t("progress.computed_note", lang)]
    if amendments is None:
        said.append(t("progress.no_previous", lang, year=fiscal_year - 1))
    else:
        listed = amendments_document(amendments, "", "project", lang)
        first = True
        for sheet in listed.sheets:
            name = t("progress.sheet_amendments", lang, title=sheet.title)
            sheets.append(Sheet(name, sheet.columns, sheet.rows, new_page=first))
            first = False
        said += list(listed.notes)
    # The notes open the document as a sheet of their own, so that every format (a workbook too) carries them.
    about = Sheet(
        t("progress.sheet_about", lang),
        (t("progress.col_item", lang), t("progress.col_text", lang)),
        tuple((t("progress.note_n", lang, n=i), text) for i, text in enumerate(said, start=1)),
    )
    return Document(title, (about, *sheets))
