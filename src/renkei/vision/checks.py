"""Checks: pure functions from a Vision to findings. None of them changes the vision.

Each check compares what the document declared with what its marks say, or tests the numbering. The fragment
check reasons about rows that are absent: when the totals row counts the whole vision but only some rows are
present, the declared total of each municipality minus its present links is what the missing rows must hold.
That gap can prove things (a town must be in every missing project, or in none) or prove the table wrong
(a gap below zero or above the number of missing rows).
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterator

from renkei.places.municipalities import is_valid_code
from renkei.vision.budgetfigures import YEN_PER_UNIT
from renkei.vision.model import Finding, Location, Project, Severity, Vision
from renkei.vision.reposts import is_marked, reposts
from renkei.vision.table import format_ranges

Check = Callable[[Vision], Iterator[Finding]]
_SPACES = re.compile(r"\s+")


def counts(vision: Vision) -> Iterator[Finding]:
    """Every declared 連携町数 equals the number of marks in its row, counted as its header says: a header
    that excludes the central city (中心市を除く) leaves out the marks of the central cities' columns, and one
    that includes it (中心市を含む) counts the central city where it has no column (it takes part in all)."""
    counted = _count_rule(vision)
    for p in vision.projects:
        if p.declared_count is None:
            continue
        expected = counted(p)
        if p.declared_count != expected:
            yield Finding(
                Severity.ERROR,
                "count-mismatch",
                {"number": p.number, "declared": p.declared_count, "count": expected},
                p.cells.get("count", p.location),
            )


def _count_rule(vision: Vision) -> Callable[[Project], int]:
    label = unicodedata.normalize("NFKC", vision.labels.count).replace(" ", "")
    central = [m.name for m in vision.municipalities if m.central]
    if "中心市を除" in label or "中心市除" in label:
        return lambda p: p.count - sum(1 for name in central if name in p.participants)
    if ("中心市を含" in label or "中心市含" in label) and not central:
        return lambda p: p.count + 1
    return lambda p: p.count


def grand_total(vision: Vision) -> Iterator[Finding]:
    """The declared town totals add up to the declared grand total."""
    declared = vision.declared_totals
    if vision.declared_grand_total is None or len(declared) < len(vision.municipalities):
        return
    total = sum(v for v in declared.values() if v is not None)
    if total != vision.declared_grand_total:
        yield Finding(
            Severity.ERROR,
            "grand-total-mismatch",
            {"declared": vision.declared_grand_total, "sum": total},
            vision.grand_total_cell or vision.totals_location,
        )


def totals(vision: Vision) -> Iterator[Finding]:
    """Declared town totals against the rows present: equal for a whole table, a provable gap for a fragment."""
    if not vision.declared_totals:
        return
    missing = vision.missing_ranges()
    if not missing:
        yield from _whole_table_totals(vision)
    elif _whole_with_holes(vision, missing) and _counted(vision):
        yield from _rows_missing(vision, missing)
        yield from _fragment(vision, missing, whole=True)
    elif _whole_with_holes(vision, missing):
        # The totals count only the rows present: the numbers are left out on purpose (欠番, a project retired
        # without renumbering), and the table is checked as whole.
        yield Finding(Severity.INFO, "numbers-skipped", {"missing": format_ranges(missing)}, vision.totals_location)
        yield from _whole_table_totals(vision)
    else:
        yield from _fragment(vision, missing)


def _whole_with_holes(vision: Vision, missing: list[tuple[int, int]]) -> bool:
    """A table that presents itself whole (its title, its numbering from 1) yet lacks rows its totals count: a
    row was lost, not cut off as a fragment's rows are (the seed starts at 11 and has no title)."""
    return vision.titled and any(p.number == 1 for p in vision.projects) and missing[0][0] > 1


def _counted(vision: Vision) -> bool:
    """Whether the totals row counts links that the rows present do not hold: rows it counts are missing."""
    owed = [gap for gap in vision.in_missing_rows().values() if gap is not None]
    grand = vision.declared_grand_total
    return any(owed) or (grand is not None and grand != vision.present_links())


def _rows_missing(vision: Vision, missing: list[tuple[int, int]]) -> Iterator[Finding]:
    """Each hole in the numbering, at the row that follows it."""
    after = {p.number: p for p in vision.projects}
    for first, last in missing:
        following = after.get(last + 1)
        yield Finding(
            Severity.ERROR,
            "row-missing",
            {"missing": format_ranges([(first, last)]), "rows": last - first + 1},
            following.location if following else vision.totals_location,
        )


def _whole_table_totals(vision: Vision) -> Iterator[Finding]:
    present = vision.present_totals()
    if _reposts_counted(vision, present):
        counted: dict[str, object] = {"count": len(reposts(vision.projects))}
        yield Finding(Severity.WARNING, "reposts-counted", counted, vision.totals_location)
        return
    for name, declared in vision.declared_totals.items():
        if name in present and declared != present[name]:
            yield Finding(
                Severity.ERROR,
                "total-mismatch",
                {"municipality": name, "declared": declared, "count": present[name]},
                _total_cell(vision, name),
            )
    grand = vision.declared_grand_total
    if grand is not None and grand != vision.present_links():
        yield Finding(
            Severity.ERROR,
            "grand-total-rows-mismatch",
            {"declared": grand, "count": vision.present_links()},
            vision.grand_total_cell or vision.totals_location,
        )


def _reposts_counted(vision: Vision, present: dict[str, int]) -> bool:
    """Whether the totals row counts the rows listed again (再掲) as projects of their own: it disagrees with the
    projects counted once and agrees, town by town and in its grand total, with every row counted."""
    if not reposts(vision.projects):
        return False
    declared = {name: n for name, n in vision.declared_totals.items() if name in present}
    every = Counter(name for p in vision.projects for name in p.participants)
    grand = vision.declared_grand_total
    rows_agree = all(n == every[name] for name, n in declared.items()) and (
        grand is None or grand == sum(p.count for p in vision.projects)
    )
    return rows_agree and (any(n != present[name] for name, n in declared.items()) or grand != vision.present_links())


def _fragment(vision: Vision, missing: list[tuple[int, int]], whole: bool = False) -> Iterator[Finding]:
    owed = {name: gap for name, gap in vision.in_missing_rows().items() if gap is not None}
    rows = vision.missing_count()
    if not whole:
        yield Finding(
            Severity.INFO,
            "fragment",
            {
                "missing": format_ranges(missing),
                "rows": rows,
                "links": sum(owed.values()),
                "present": len(vision.projects),
            },
            vision.totals_location,
        )
    for name, gap in owed.items():
        where = _total_cell(vision, name)
        params: dict[str, object] = {"municipality": name, "gap": gap, "rows": rows}
        if gap < 0:
            yield Finding(Severity.ERROR, "fragment-negative", params, where)
        elif gap > rows:
            yield Finding(Severity.ERROR, "fragment-overflow", params, where)
        elif gap == rows:
            yield Finding(Severity.INFO, "fragment-all", {**params, "missing": format_ranges(missing)}, where)
        elif gap == 0:
            yield Finding(Severity.INFO, "fragment-none", params, where)
    grand = vision.declared_grand_total
    if grand is not None:
        gap = grand - vision.present_links()
        capacity = rows * len(vision.municipalities)
        if not 0 <= gap <= capacity:
            yield Finding(
                Severity.ERROR,
                "fragment-grand-impossible",
                {"gap": gap, "capacity": capacity, "rows": rows},
                vision.grand_total_cell or vision.totals_location,
            )


def _total_cell(vision: Vision, name: str) -> Location | None:
    return vision.totals_cells.get(name, vision.totals_location)


def numbering(vision: Vision) -> Iterator[Finding]:
    """Project numbers are unique and increase down the table; a row listed again (再掲) keeps the number of the
    project it repeats, or none of its own, and is left out."""
    listed = [p for p in vision.projects if not is_marked(p)]
    seen = Counter(p.number for p in listed)
    paths = Counter(p.number_label for p in listed if p.number_label)  # 1-1 twice: numbered by place
    previous = None
    for p in listed:
        if seen[p.number] > 1 or paths[p.number_label] > 1:
            yield Finding(Severity.ERROR, "number-duplicate", {"number": p.written_number}, p.location)
        elif previous is not None and p.number < previous:
            yield Finding(Severity.WARNING, "number-order", {"number": p.number, "previous": previous}, p.location)
        previous = p.number


def participants(vision: Vision) -> Iterator[Finding]:
    """Every project has at least one municipality taking part."""
    for p in vision.projects:
        if not p.participants:
            yield Finding(Severity.WARNING, "no-participant", {"number": p.number}, p.location)


def unused_members(vision: Vision) -> Iterator[Finding]:
    """A member column in which nobody takes part in anything: a town that joins no project is not a member,
    or its marks were lost. Only in a whole table of several projects: a fragment's column may be empty where
    the missing rows hold it, and a single project need not concern every member."""
    if len(vision.projects) < 2 or vision.missing_ranges():
        return
    present = vision.present_totals()
    for m in vision.municipalities:
        if present.get(m.name) == 0 and not vision.declared_totals.get(m.name):
            yield Finding(Severity.WARNING, "member-unused", {"municipality": m.name}, m.location)


def duplicates(vision: Vision) -> Iterator[Finding]:
    """The same project listed twice (under two fields, or on two sheets of a workbook): the same name, at the
    later of the two rows."""
    first: dict[str, Project] = {}
    for p in vision.projects:
        if is_marked(p):  # a repost (再掲) is the same project listed again: ``reposted`` checks it
            continue
        name = _SPACES.sub("", unicodedata.normalize("NFKC", p.name))
        if not name:
            continue
        earlier = first.setdefault(name, p)
        if earlier is not p:
            yield Finding(
                Severity.WARNING,
                "project-duplicate",
                {"number": p.number, "first": earlier.number, "name": p.name},
                p.location,
            )


def reposted(vision: Vision) -> Iterator[Finding]:
    """The rows listed again (再掲): each read as the project it repeats, counted once, and said; a repost whose
    marks differ from that project's (the marks of the project counted are those of its first listing), and a
    row marked 再掲 that repeats no project of the table (counted as a project of its own), are warnings."""
    found = reposts(vision.projects)
    projects = vision.projects
    for i, p in enumerate(projects):
        if i in found:
            original = projects[found[i]]
            differ = [
                m.name for m in vision.municipalities if p.participants.get(m.name) != original.participants.get(m.name)
            ]
            if differ:
                params: dict[str, object] = {"number": p.written_number, "original": original.written_number}
                params["municipalities"] = "、".join(differ)
                yield Finding(Severity.WARNING, "repost-differs", params, p.location)
        elif is_marked(p):
            params = {"number": p.written_number, "name": p.name}
            yield Finding(Severity.WARNING, "repost-unmatched", params, p.location)
    if found:
        pairs = "、".join(f"{projects[i].written_number}→{projects[j].written_number}" for i, j in found.items())
        where = projects[min(found)].location
        yield Finding(Severity.INFO, "reposts-read", {"count": len(found), "pairs": pairs}, where)


def codes(vision: Vision) -> Iterator[Finding]:
    """Every municipality code present passes its check digit."""
    for m in vision.municipalities:
        if m.code is not None and not is_valid_code(m.code):
            yield Finding(Severity.ERROR, "code-invalid", {"code": m.code, "name": m.name}, m.location)


def shares(vision: Vision) -> Iterator[Finding]:
    """Towns' shares of a project's amount (各市町負担, うち盛岡市) that add up to more than the amount itself, for a
    year or for the whole plan: a share cannot exceed its whole (less is usual: a grant, a central city without a
    share column). Compared in yen where the units differ."""
    for project in vision.projects:
        wholes = {b.fiscal_year: b for b in project.budgets if not b.town and b.unit in YEN_PER_UNIT}
        parts: dict[int | None, list[int | float]] = {}
        for b in project.budgets:
            if b.town and b.unit in YEN_PER_UNIT and b.fiscal_year in wholes:
                parts.setdefault(b.fiscal_year, []).append(b.amount * YEN_PER_UNIT[b.unit])
        for year, amounts in parts.items():
            whole = wholes[year]
            unit = YEN_PER_UNIT[whole.unit]
            if sum(amounts) > whole.amount * unit + 1e-6:
                shown = sum(amounts) / unit
                yield Finding(
                    Severity.ERROR,
                    "budget-shares-exceed",
                    {
                        "number": project.number,
                        "year": f"{year}年度" if year is not None else "総事業費",
                        "shares": f"{int(shown) if float(shown).is_integer() else shown:,}",
                        "amount": f"{whole.amount:,}",
                        "unit": whole.unit,
                    },
                    project.location,
                )


CHECKS: tuple[Check, ...] = (
    counts,
    grand_total,
    totals,
    numbering,
    participants,
    unused_members,
    duplicates,
    reposted,
    codes,
    shares,
)


def check(vision: Vision) -> list[Finding]:
    """Every check, in a stable order."""
    return [finding for run in CHECKS for finding in run(vision)]
