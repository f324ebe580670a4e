"""The store's amendment and agreement documents, rendered from two revisions of the seed's sphere."""

from __future__ import annotations

import csv
import io

import openpyxl
import pytest

from renkei.places.municipalities import Registry
from renkei.publish.documents import agreement_document, amendments_document
from renkei.render import render_document
from renkei.store import Store, StoreError
from renkei.vision.diff import Change, ChangeKind
from seedfacts import SeedFacts
from store_support import KEY
from storedata import (
    JOINED,
    REMOVED,
    RENAMED,
    Edited,
)

pytest_plugins = ["store_support"]  # the shared fixtures


def change_keys(changes: list[Change] | tuple[Change, ...]) -> list[tuple[ChangeKind, int | None, str | None]]:
    return sorted((c.kind, c.number, c.municipality) for c in changes)


def participants(facts: SeedFacts, number: int) -> list[str]:
    return [t for t, m in zip(facts.towns, facts.row(number).marks, strict=True) if m]


# 1. Amendments ----------------------------------------------------------------------------------------------


def test_diff_lists_exactly_the_three_changes(two_revisions: Store, edited: Edited, facts: SeedFacts) -> None:
    amendments = two_revisions.diff(KEY, 1, 2)
    assert change_keys(amendments.changes) == sorted(
        [
            (ChangeKind.JOINED, JOINED, edited.town),
            (ChangeKind.PROJECT_REMOVED, REMOVED, None),
            (ChangeKind.RENAMED, RENAMED, None),
        ]
    )
    by_kind = {c.kind: c for c in amendments.changes}
    assert by_kind[ChangeKind.JOINED].project == facts.row(JOINED).name
    assert by_kind[ChangeKind.PROJECT_REMOVED].project == facts.row(REMOVED).name
    renamed = by_kind[ChangeKind.RENAMED]
    assert (renamed.before, renamed.after) == (edited.old_name, edited.new_name)
    # The opposite direction undoes each of them; a revision against itself has nothing to say.
    assert change_keys(two_revisions.diff(KEY, 2, 1).changes) == sorted(
        [
            (ChangeKind.LEFT, JOINED, edited.town),
            (ChangeKind.PROJECT_ADDED, REMOVED, None),
            (ChangeKind.RENAMED, RENAMED, None),
        ]
    )
    assert not two_revisions.diff(KEY, 2, 2)


def expected_by_municipality(edited: Edited, facts: SeedFacts) -> set[tuple[str, int, ChangeKind]]:
    """Each town sees its own join, and the changes to every project it takes part in (its 変更協定)."""
    rows = {(edited.town, JOINED, ChangeKind.JOINED)}
    rows |= {(t, REMOVED, ChangeKind.PROJECT_REMOVED) for t in participants(facts, REMOVED)}
    rows |= {(t, RENAMED, ChangeKind.RENAMED) for t in participants(facts, RENAMED)}
    return rows


def table_rows(data: bytes, fmt: str) -> list[list[str]]:
    """Every table row of a rendered document, each cell as text ('' for empty)."""
    if fmt == "csv":
        return [row for row in csv.reader(io.StringIO(data.decode("utf-8-sig"))) if row]
    if fmt == "xlsx":
        book = openpyxl.load_workbook(io.BytesIO(data))
        return [
            ["" if v is None else str(v) for v in row]
            for sheet in book.worksheets
            for row in sheet.iter_rows(values_only=True)
        ]
    assert fmt == "markdown"
    return [
        [cell.strip() for cell in line.strip().strip("|").split(" | ")]
        for line in data.decode("utf-8").splitlines()
        if line.startswith("| ")
    ]


def as_text(row: tuple[object, ...]) -> list[str]:
    return ["" if v is None else str(v) for v in row]


@pytest.mark.parametrize("by", ["project", "municipality"])
def test_amendment_documents_render_the_changes(
    two_revisions: Store, edited: Edited, facts: SeedFacts, by: str
) -> None:
    amendments = two_revisions.diff(KEY, 1, 2)
    document = amendments_document(amendments, "変更内容一覧", by=by)
    summary, *sheets = document.sheets
    rows = [row for sheet in sheets for row in sheet.rows]
    assert len(rows) == (3 if by == "project" else len(expected_by_municipality(edited, facts)))
    if by == "municipality":
        grouped = amendments.by_municipality()
        seen = {(name, c.number, c.kind) for name, changes in grouped.items() for c in changes}
        assert seen == expected_by_municipality(edited, facts)
        # A page per town with changes, under the town's name.
        assert [sheet.title for sheet in sheets] == list(grouped)
    texts = " ".join(str(v) for row in rows for v in row if v is not None)
    for needle in (edited.old_name, edited.new_name, facts.row(REMOVED).name):
        assert needle in texts
    assert edited.town in texts or edited.town in [sheet.title for sheet in sheets]
    for fmt in ("markdown", "csv", "xlsx"):
        rendered = table_rows(render_document(document, fmt), fmt)
        for sheet in (summary, *sheets):
            assert as_text(sheet.columns) in rendered, fmt
            for row in sheet.rows:
                assert as_text(row) in rendered, (fmt, row)


def test_agreement_document_renders(two_revisions: Store, facts: SeedFacts) -> None:
    vision, member = two_revisions.agreement(KEY, facts.towns[0], 1)
    document = agreement_document(vision, member.name, "協定")
    expected = [r for r in facts.rows if r.marks[0]]
    assert [row[0] for row in document.sheets[0].rows] == [r.number for r in expected]
    for fmt in ("markdown", "csv", "xlsx"):
        rows = table_rows(render_document(document, fmt), fmt)
        names = {cell for row in rows for cell in row}
        assert {r.name for r in expected} <= names, fmt


# 2. Agreements ----------------------------------------------------------------------------------------------


def test_first_towns_agreement_lists_its_present_projects(two_revisions: Store, facts: SeedFacts) -> None:
    town = facts.towns[0]
    expected = [r.number for r in facts.rows if r.marks[0]]
    vision, member = two_revisions.agreement(KEY, town, 1)
    assert member.name == town
    assert [p.number for p in vision.projects_of(member.name)] == expected
    # The same municipality by its 全国地方公共団体コード.
    entry = Registry.default().resolve(town, vision.sphere.prefecture).entry
    assert entry is not None and member.code == entry.code
    by_code, same = two_revisions.agreement(KEY, entry.code, 1)
    assert same == member
    assert [p.number for p in by_code.projects_of(same.name)] == expected


def test_agreement_follows_the_revision(two_revisions: Store, edited: Edited, facts: SeedFacts) -> None:
    index = facts.towns.index(edited.town)
    before = [r.number for r in facts.rows if r.marks[index] and r.number != REMOVED]
    vision, member = two_revisions.agreement(KEY, edited.town, 1)
    assert JOINED not in [p.number for p in vision.projects_of(member.name)]
    vision, member = two_revisions.agreement(KEY, edited.town, 2)
    assert [p.number for p in vision.projects_of(member.name)] == sorted([*before, JOINED])
    # The newest revision when none is named.
    assert two_revisions.agreement(KEY, edited.town)[0] == vision


def test_agreement_of_a_stranger_is_refused(two_revisions: Store) -> None:
    with pytest.raises(StoreError) as refused:
        two_revisions.agreement(KEY, "岡山市", 1)
    assert refused.value.code == "not-a-member"
