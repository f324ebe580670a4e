"""Notes that the central city (which has no column) takes part in every project: in any wording, above or
under the table, they make the declared counts include it where the note or the counts say so."""

from __future__ import annotations

import pytest

from renkei.ingest import read_bytes
from renkei.ingest.notes import central_note
from renkei.ingest.report import check_reading
from seedfacts import SeedFacts

MARKS = [("○", "○", ""), ("○", "", "○"), ("", "", "○")]


def table(facts: SeedFacts, note: str, *, plus: int, above: bool = False) -> bytes:
    towns = facts.towns[:3]
    lines = [["番号", "事業名", "事業内容", *towns, "連携町数"]]
    for i, marks in enumerate(MARKS, start=1):
        lines.append([str(i), f"事業{i}", f"事業{i}を行う。", *marks, str(sum(1 for m in marks if m) + plus)])
    text = ["\t".join(line) for line in lines]
    text = [note, *text] if above else [*text, note]
    return "\n".join(text).encode("utf-8")


@pytest.mark.parametrize(
    ("note", "above"),
    [
        ("※連携町数には中心市を含む", False),
        ("中心市（旭川市）は全ての事業に参加", False),
        ("※旭川市は全事業に参加しています", False),
        ("各事業には中心市が参加するものとする", True),
        ("注：連携市町村数は中心市を含めた数です", True),
        ("＊中心市はすべての取組に参画します。", False),
    ],
)
def test_a_note_makes_the_counts_include_the_central_city(facts: SeedFacts, note: str, above: bool) -> None:
    report = check_reading(read_bytes(table(facts, note, plus=1, above=above), "t.txt"))
    codes = [f.code for f in report.findings]
    assert "count-mismatch" not in codes
    applied = [f for f in report.findings if f.code == "central-note-applied"]
    assert len(applied) == 1 and applied[0].params["note"] == note
    assert applied[0].location is not None and applied[0].location.line == (1 if above else len(MARKS) + 2)
    assert report.reading.vision.projects[0].declared_count == 3  # as printed, never changed


def test_without_the_note_the_counts_disagree(facts: SeedFacts) -> None:
    codes = [f.code for f in check_reading(read_bytes(table(facts, "", plus=1), "t.txt")).findings]
    assert codes.count("count-mismatch") == len(MARKS)


def test_a_note_that_it_takes_part_leaves_counts_that_exclude_it(facts: SeedFacts) -> None:
    report = check_reading(read_bytes(table(facts, "中心市（旭川市）は全ての事業に参加", plus=0), "t.txt"))
    assert report.ok
    assert "central-note-applied" not in [f.code for f in report.findings]


def test_a_note_that_the_counts_include_it_is_checked(facts: SeedFacts) -> None:
    # The note says the counts include the central city, but they do not: every count disagrees.
    report = check_reading(read_bytes(table(facts, "※連携町数には中心市を含む", plus=0), "t.txt"))
    assert [f.code for f in report.findings].count("count-mismatch") == len(MARKS)


@pytest.mark.parametrize(
    "text",
    ["※連携町数に中心市は含まない", "※中心市は連携町数に含めていません", "※創業支援事業は旭川市が実施", "ア 医療"],
)
def test_other_notes_are_not_central_notes(text: str) -> None:
    assert central_note(text) is None


def test_a_town_with_a_column_is_not_the_central_city(facts: SeedFacts) -> None:
    note = f"※{facts.towns[0]}は全事業に参加しています"
    report = check_reading(read_bytes(table(facts, note, plus=1), "t.txt"))
    assert "central-note-applied" not in [f.code for f in report.findings]
