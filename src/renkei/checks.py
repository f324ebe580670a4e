"""Checks: pure functions from a Vision to findings. None of them changes the vision.

Each check compares what the document declared with what its marks say, or tests the numbering. The fragment
check reasons about rows that are absent: when the totals row counts the whole vision but only some rows are
present, the declared total of each municipality minus its present links is what the missing rows must hold.
That gap can prove things (a town must be in every missing project, or in none) or prove the table wrong
(a gap below zero or above the number of missing rows).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator

from renkei.model import Finding, Location, Severity, Vision
from renkei.municipalities import is_valid_code

Check = Callable[[Vision], Iterator[Finding]]


def counts(vision: Vision) -> Iterator[Finding]:
    """Every declared 連携町数 equals the number of marks in its row."""
    for p in vision.projects:
        if p.declared_count is not None and p.declared_count != p.count:
            yield Finding(
                Severity.ERROR,
                "count-mismatch",
                {"number": p.number, "declared": p.declared_count, "count": p.count},
                p.cells.get("count", p.location),
            )


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
    else:
        yield from _fragment(vision, missing)


def _whole_table_totals(vision: Vision) -> Iterator[Finding]:
    present = vision.present_totals()
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


def _fragment(vision: Vision, missing: list[tuple[int, int]]) -> Iterator[Finding]:
    owed = {name: gap for name, gap in vision.in_missing_rows().items() if gap is not None}
    rows = vision.missing_count()
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
    """Project numbers are unique and increase down the table."""
    seen = Counter(p.number for p in vision.projects)
    previous = None
    for p in vision.projects:
        if seen[p.number] > 1:
            yield Finding(Severity.ERROR, "number-duplicate", {"number": p.number}, p.location)
        elif previous is not None and p.number < previous:
            yield Finding(Severity.WARNING, "number-order", {"number": p.number, "previous": previous}, p.location)
        previous = p.number


def participants(vision: Vision) -> Iterator[Finding]:
    """Every project has at least one municipality taking part."""
    for p in vision.projects:
        if not p.participants:
            yield Finding(Severity.WARNING, "no-participant", {"number": p.number}, p.location)


def codes(vision: Vision) -> Iterator[Finding]:
    """Every municipality code present passes its check digit."""
    for m in vision.municipalities:
        if m.code is not None and not is_valid_code(m.code):
            yield Finding(Severity.ERROR, "code-invalid", {"code": m.code, "name": m.name}, m.location)


CHECKS: tuple[Check, ...] = (counts, grand_total, totals, numbering, participants, codes)


def check(vision: Vision) -> list[Finding]:
    """Every check, in a stable order."""
    return [finding for run in CHECKS for finding in run(vision)]


def format_ranges(ranges: list[tuple[int, int]]) -> str:
    """(1, 3), (5, 5) → "1–3, 5"."""
    return ", ".join(str(first) if first == last else f"{first}–{last}" for first, last in ranges)
