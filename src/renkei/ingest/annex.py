"""A budget annex (別冊): a file apart from the table listing each project's number and name (事業番号, 事業名)
with its 事業費 per fiscal year (and indicators, where it has them), merged into the vision the table gives.

The annex is read by the same readers as a table (its header's 事業番号 and 事業名 make it one; its budget and KPI
columns are read as ``ingest/figures.py`` reads them in a table), then matched to the table's projects by
number, and by normalised name where the number matches none. What does not fit is a finding, never a guess: a
project the table lacks (``annex-project-unknown``), a number whose name differs (``annex-name-differs``: merged
by its number), an amount the table already gives (``annex-budget-duplicate``: the table's is kept), a year
outside the plan period the table states (``budget-year-outside-plan``), and a 合計 (総事業費) that disagrees with the
sum of the years, where the one comes from the table and the others from the annex or the annex's own 合計
column disagrees with its years (``annex-total-mismatch``, at the annex's row or cell). The merge is all or
nothing: a copy of the vision with every budget of the annex, or, when the annex cannot be read, none.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

from renkei.core.messages import IN_FILE
from renkei.ingest import read_bytes, read_path
from renkei.ingest.figures import ANNEX, amount, norm
from renkei.ingest.reading import Reading
from renkei.vision.model import Budget, BudgetUnit, Finding, Project, Severity

# The annex's own reading findings that concern its figures: the rest (no municipalities, no totals) are what
# an annex is, not faults of it.
# Yen per unit: a 合計 in 千円 checked against years in 円.
_YEN = {BudgetUnit.THOUSAND_YEN.value: 1000, BudgetUnit.YEN.value: 1}
_KEPT = {"figure-unreadable", "budget-total-mismatch", "budget-unit-missing", "kpi-name-missing", "row-unnumbered"}


def read_annex(path: Path, encoding: str | None = None, sheet: str | None = None) -> Reading:
    """The annex as a reading (raises ``TableReadError`` when it is not a table at all): its year columns are
    amounts even where no header word says 事業費."""
    token = ANNEX.set(True)
    try:
        return read_path(path, encoding=encoding, sheet=sheet)
    finally:
        ANNEX.reset(token)


def read_annex_bytes(data: bytes, name: str, encoding: str | None = None) -> Reading:
    """The annex's bytes (an upload: CSV in UTF-8 or Shift_JIS, XLSX, …) as a reading, as ``read_annex`` reads
    a file."""
    token = ANNEX.set(True)
    try:
        return read_bytes(data, name, encoding=encoding)
    finally:
        ANNEX.reset(token)


def _key(name: str) -> str:
    return norm(name).replace("事業", "") or norm(name)


def merge(table: Reading, annex: Reading) -> Reading:
    """The table's reading with the annex's budgets and indicators merged into a copy of its vision, and the
    findings of the merge (and of the annex's figures) added to its own."""
    vision = table.vision
    findings: list[Finding] = [_named(f, annex.source.name) for f in annex.findings if f.code in _KEPT]
    projects = [dataclasses.replace(p, budgets=list(p.budgets), kpis=list(p.kpis)) for p in vision.projects]
    # By the number as each file writes it: a path (1-1) where the projects are numbered so, each file's place
    # numbers being its own.
    by_number = {p.written_number: p for p in projects}
    by_name = {_key(p.name): p for p in projects}
    period = vision.plan_period
    for row in annex.vision.projects:
        found = by_number.get(row.written_number)
        if found is None:
            found = by_name.get(_key(row.name))
            if found is None:
                params: dict[str, object] = {"file": annex.source.name, "number": row.written_number, "name": row.name}
                findings.append(Finding(Severity.ERROR, "annex-project-unknown", params, row.location))
                continue
        if found.written_number != row.written_number or _key(found.name) != _key(row.name):
            params = {"file": annex.source.name, "number": row.written_number, "annex": row.name}
            params["table"] = f"{found.written_number} {found.name}"
            findings.append(Finding(Severity.WARNING, "annex-name-differs", params, row.location))
        table_budgets = list(found.budgets)
        findings += _take(found, row, period, annex.source.name)
        findings += _totals(found, table_budgets, row, annex.source.name)
    merged = dataclasses.replace(vision, projects=projects)
    return dataclasses.replace(table, vision=merged, findings=[*table.findings, *findings])


def _take(project: Project, row: Project, period: tuple[int, int] | None, file: str) -> list[Finding]:
    """The annex row's budgets and indicators added to the table's project."""
    findings: list[Finding] = []
    have = {(b.fiscal_year, b.town) for b in project.budgets}
    for budget in row.budgets:
        year = budget.fiscal_year
        if (year, budget.town) in have:
            params: dict[str, object] = {"file": file, "number": project.number}
            params["year"] = f"{year}年度" if year is not None else "合計"
            findings.append(Finding(Severity.WARNING, "annex-budget-duplicate", params, row.location))
            continue
        if period is not None and year is not None and not period[0] <= year <= period[1]:
            params = {"column": f"{file}: {row.number} {row.name}", "year": year, "first": period[0], "last": period[1]}
            findings.append(Finding(Severity.WARNING, "budget-year-outside-plan", params, row.location))
        project.budgets.append(budget)
    names = {k.name for k in project.kpis}
    project.kpis += [k for k in row.kpis if k.name not in names]
    return findings


def _named(finding: Finding, file: str) -> Finding:
    """An annex's own finding as the merge reports it: a 合計 of the annex that disagrees with its years is
    ``annex-total-mismatch``, naming the annex (its cell is the annex's, not the table's); any other names the
    annex as the file its location is in (``IN_FILE``: "annex.csv の12行目"), since it points at the annex's
    rows and cells, not the table's."""
    if finding.code != "budget-total-mismatch":
        return dataclasses.replace(finding, params={**finding.params, IN_FILE: file})
    return dataclasses.replace(finding, code="annex-total-mismatch", params={**finding.params, "file": file})


def _totals(project: Project, table: list[Budget], row: Project, file: str) -> list[Finding]:
    """The merged project's 合計 (総事業費) against the sum of its years, for each whole or town's amount the annex
    added to, where the 合計 and the years do not all come from one file: the table's 合計 with the annex's
    years, or the annex's 合計 with the table's years (a file's own 合計 is checked as the file is read). The
    amounts are compared in yen, the sum shown in the 合計's unit; the finding points at the annex's row."""
    findings: list[Finding] = []
    added = [b for b in project.budgets if b not in table]
    for town in sorted({b.town for b in added}):
        mine = [(b, b in added) for b in project.budgets if b.town == town]
        total = next(((b, a) for b, a in mine if b.fiscal_year is None), None)
        years = [(b, a) for b, a in mine if b.fiscal_year is not None]
        if total is None or not years or {a for _, a in [total, *years]} != {True, False}:
            continue
        if total[0].unit not in _YEN or any(b.unit not in _YEN for b, _ in years):
            continue
        # The annex's own 合計 over all these years, the table's in amount: its disagreement was said at its cell
        # when the annex was read, and the table's 合計 is said here only where it differs from the annex's.
        own = next((b for b in row.budgets if b.town == town and b.fiscal_year is None), None)
        same = own is not None and own.unit in _YEN and all(a for _, a in years)
        if same and own and abs(own.amount * _YEN[own.unit] - total[0].amount * _YEN[total[0].unit]) < 1e-6:
            continue
        declared, scale = total[0].amount, _YEN[total[0].unit]
        computed = sum(b.amount * _YEN[b.unit] for b, _ in years)
        if abs(declared * scale - computed) > 1e-6:
            params: dict[str, object] = {"file": file, "number": project.number, "unit": total[0].unit}
            params |= {"declared": f"{declared:,}", "computed": f"{amount(computed / scale):,}"}
            findings.append(Finding(Severity.ERROR, "annex-total-mismatch", params, row.location))
    return findings
