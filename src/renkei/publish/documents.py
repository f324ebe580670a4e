"""The documents a secretariat hands out, built as plain tables for the renderers' ``document`` functions:
the amendment list (変更内容一覧), by project or by municipality, and one municipality's agreement schedule."""

from __future__ import annotations

import datetime

from renkei.core.messages import DEFAULT, t
from renkei.publish.fiscal import figure_cells
from renkei.render import Document, Sheet
from renkei.vision.diff import Amendments, Change, ChangeKind, Entry, Shift
from renkei.vision.model import Role, Vision


def _role(value: str | None, lang: str) -> str | None:
    return t(f"role.{value}", lang) if value in {r.value for r in Role} else value


def _cells(change: Change, lang: str) -> tuple[str | None, str | None]:
    if change.figure is not None:  # 「事業費 R7: 1,200」 → 「1,500千円」
        what, shown_before, shown_after = figure_cells(change, lang)
        return f"{what}: {shown_before}", shown_after
    before, after = change.before, change.after
    if change.kind.value in ("municipality-joined", "municipality-left", "role-changed"):
        before, after = _role(before, lang), _role(after, lang)
    if change.detail:
        before = f"{change.detail}: {before}" if before is not None else change.detail
    return before, after


def _kind(change: Change, lang: str) -> str:
    return t(f"change.{change.kind.value}", lang)


def shift_text(shift: Shift, lang: str = DEFAULT) -> str:
    """「事業5〜77を1つ繰り下げ」: one line for a run of projects renumbered by the same amount."""
    key = "doc.shift_down" if shift.by > 0 else "doc.shift_up"
    numbers = str(shift.first) if shift.first == shift.last else f"{shift.first}〜{shift.last}"
    return t(key, lang, numbers=numbers, by=abs(shift.by))


def number_text(entry: Entry, amendments: Amendments, lang: str = DEFAULT) -> int | str | None:
    """The project's number as its document writes it, with its former one where it was renumbered too
    (「43（旧41）」); a retired project's is its number in the old revision."""
    retired = bool(entry.changes) and all(c.kind is ChangeKind.PROJECT_REMOVED for c in entry.changes)
    number = amendments.written(entry.number, old=retired)
    if entry.old_number is None:
        return number
    return t("doc.renumbered_from", lang, number=number, old=amendments.written(entry.old_number, old=True))


def summary_rows(amendments: Amendments, lang: str = DEFAULT) -> tuple[tuple[object, ...], ...]:
    return tuple((t(f"doc.summary_{name}", lang), count) for name, count in amendments.summary().items())


def unchanged_towns(amendments: Amendments) -> list[str]:
    """The members (old or new) whose agreement does not change."""
    names = [m.name for m in amendments.new.municipalities]
    names += [m.name for m in amendments.old.municipalities if m.name not in names]
    return [name for name in names if not amendments.affecting(name)]


def amendments_document(amendments: Amendments, title: str, by: str = "project", lang: str = DEFAULT) -> Document:
    """The amendment list as officials write it: summary counts first; then, by project, the members' changes
    and each changed project once (with its former number if it moved too), the runs of renumbered projects
    collapsed into one line each and listed last; or, by municipality, a page per town with only what changes
    in its agreement, the towns without a change named in the summary."""
    summary = Sheet(t("doc.summary", lang), (t("doc.item", lang), t("doc.count", lang)), summary_rows(amendments, lang))
    if by == "municipality":
        unchanged = unchanged_towns(amendments)
        if unchanged:
            extra = ((t("doc.unchanged_towns", lang), "、".join(unchanged)),)
            summary = Sheet(summary.title, summary.columns, summary.rows + extra)
        towns = [town_sheet(amendments, name, lang) for name in _changed_towns(amendments)]
        note = t("doc.changes_count", lang, count=len(amendments.changes))
        return Document(title, (summary, *towns), (note, *effective_note(amendments, lang)))
    members, entries, shifts = amendments.entries()
    columns = tuple(t(f"doc.{k}", lang) for k in ("number", "project", "change", "municipality", "before", "after"))
    rows: list[tuple[object, ...]] = [(None, None, _kind(c, lang), c.municipality, *_cells(c, lang)) for c in members]
    for entry in entries:
        number = number_text(entry, amendments, lang)
        rows += [(number, entry.project, _kind(c, lang), c.municipality, *_cells(c, lang)) for c in entry.changes]
    renumbered = t("change.renumbered", lang)
    for shift in shifts:
        span = (shift.first, shift.last)
        before = "〜".join(str(n) for n in dict.fromkeys(span))
        after = "〜".join(str(n + shift.by) for n in dict.fromkeys(span))
        rows.append((before, shift_text(shift, lang), renumbered, None, before, after))
    note = t("doc.changes_count", lang, count=len(amendments.changes))
    return Document(title, (summary, Sheet(t("doc.by_project", lang), columns, tuple(rows))), (note,))


def _changed_towns(amendments: Amendments) -> list[str]:
    return list(amendments.by_municipality())


def town_number(amendments: Amendments, change: Change, lang: str = DEFAULT) -> int | str | None:
    """A change's project number in a town's annex, with its former number where the project was renumbered
    (「31（旧29）」): a renumbered project and a retired one may share a number, and the annex tells them apart."""
    if change.number is None or change.kind is ChangeKind.PROJECT_REMOVED:
        return amendments.written(change.number, old=True)
    number = amendments.written(change.number)
    for c in amendments.changes:
        if c.kind is ChangeKind.RENUMBERED and c.number == change.number and c.project == change.project and c.before:
            old = amendments.written(int(c.before), old=True) if c.before.isdigit() else c.before
            return t("doc.renumbered_from", lang, number=number, old=old)
    return number


def effective_note(amendments: Amendments, lang: str = DEFAULT) -> tuple[str, ...]:
    """「適用日：2025年4月1日」 of the revision the amendments lead to, where it has one (a draft has none)."""
    when = amendments.new.edition.effective_on
    if not when:
        return ()
    date = datetime.date.fromisoformat(when)
    return (t("doc.effective_on", lang, year=date.year, month=date.month, day=date.day),)


def town_sheet(amendments: Amendments, municipality: str, lang: str = DEFAULT) -> Sheet:
    """One town's changes (its 変更協定's annex) on a page of its own; one line where nothing changes."""
    columns = tuple(t(f"doc.{k}", lang) for k in ("number", "project", "change", "before", "after"))
    changes = amendments.affecting(municipality)
    rows: tuple[tuple[object, ...], ...] = tuple(
        (town_number(amendments, c, lang), c.project, _kind(c, lang), *_cells(c, lang)) for c in changes
    ) or ((None, t("doc.no_change", lang), None, None, None),)
    return Sheet(municipality, columns, rows, new_page=True)


def town_document(amendments: Amendments, municipality: str, title: str, lang: str = DEFAULT) -> Document:
    """One town's annex to its 変更協定: the changes to its agreement alone, and the date they take effect."""
    sheet = town_sheet(amendments, municipality, lang)
    return Document(title, (Sheet(sheet.title, sheet.columns, sheet.rows),), effective_note(amendments, lang))


def agreement_document(vision: Vision, municipality: str, title: str, lang: str = DEFAULT) -> Document:
    """The projects one municipality takes part in (its agreement's schedule), with roles and extra columns."""
    projects = vision.projects_of(municipality)
    attributes = [a for a in vision.attribute_names() if any(a in p.attributes for p in projects)]
    keys = ("number", "pillar", "field", "project", "description", "role")
    columns = (*(t(f"doc.{k}", lang) for k in keys), *attributes)
    rows = tuple(
        (
            p.number,
            str(p.pillar) if p.pillar else "",
            str(p.field) if p.field else "",
            p.name,
            p.description,
            t(f"role.{p.participants[municipality].value}", lang),
            *(p.attributes.get(a, "") for a in attributes),
        )
        for p in projects
    )
    note = t("doc.projects_count", lang, count=len(projects))
    return Document(title, (Sheet(t("doc.schedule", lang), columns, rows),), (note,))
