"""Every finding code, each from a small input built here (a text table, a workbook, a copy of the seed with one
thing changed): the finding comes with its severity, a message in Japanese and in English with its parameters
filled in, and a location that points at the offending line or cell. A code found in the sources without a case
here fails ``test_every_finding_code_has_a_case``.
"""

from __future__ import annotations

import csv
import datetime
import io
import json
import re
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook
from openpyxl.styles import Font

from conftest import require
from drawings import Drawn, with_shapes
from findings_figures import FIGURE_CASES
from renkei.core.messages import LANGUAGES, catalogue, explain, where
from renkei.ingest import read_bytes
from renkei.ingest.limits import Limits
from renkei.ingest.report import check_reading
from renkei.places.variants import table as variant_table
from renkei.render import get
from renkei.store.identity import backdated
from renkei.vision.model import Finding, Location, Severity
from seedfacts import SeedFacts

SRC = Path(__file__).resolve().parents[1] / "src" / "renkei"
# Where a finding is made: Finding(Severity.X, "code", …) or a helper's (severity, "code", …).
_MADE = re.compile(r'(?:Severity\.(ERROR|WARNING|INFO)|\bseverity)\s*,\s*"([a-z][a-z0-9-]+)"')


def source_codes() -> dict[str, set[str]]:
    """Every finding code written in the sources, with the severities it is made with (when literal)."""
    found: dict[str, set[str]] = {}
    for path in sorted(SRC.rglob("*.py")):
        for severity, code in _MADE.findall(path.read_text(encoding="utf-8")):
            found.setdefault(code, set()).update({severity.lower()} if severity else set())
    return found


# Inputs ------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Made:
    """What an input produced, and where its finding must point (None: the finding is about the whole file)."""

    findings: list[Finding]
    at: Location | None


def tsv(*rows: Sequence[str]) -> bytes:
    return "\n".join("\t".join(row) for row in rows).encode("utf-8")


def check(data: bytes, name: str = "table", limits: Limits | None = None) -> list[Finding]:
    return check_reading(read_bytes(data, name, limits=limits)).findings


def towns(facts: SeedFacts, n: int = 3) -> list[str]:
    return facts.towns[:n]


def header(facts: SeedFacts, n: int = 3) -> tuple[str, ...]:
    return ("項目", "事業内容", *towns(facts, n), "連携町数")


def row(number: int | str, name: str, marks: Sequence[str], count: str | None = None) -> tuple[str, ...]:
    """A project row as the seed's first block writes it: the number in front of the name."""
    declared = count if count is not None else str(sum(1 for m in marks if m.strip()))
    return (f"{number} {name}".strip(), f"{name}を行う。", *marks, declared)


def town_column(i: int) -> int:
    return 3 + i  # 項目, 事業内容, then the towns


def simple(facts: SeedFacts, *rows: Sequence[str]) -> Made:
    """A header and ``rows``; the finding points at the last row."""
    return Made(check(tsv(header(facts), *rows)), Location(line=1 + len(rows)))


def seed_with_totals(facts: SeedFacts, seed: bytes, change: Callable[[list[str]], None]) -> bytes:
    lines = seed.decode("utf-8").split("\n")
    cells = lines[facts.totals_line - 1].split("\t")
    change(cells)
    lines[facts.totals_line - 1] = "\t".join(cells)
    return "\n".join(lines).encode("utf-8")


def fragment_total(facts: SeedFacts, seed: bytes, town: int, declared: int) -> Made:
    """The seed (a fragment) with one town's declared total changed: the finding is at that total's cell."""

    def change(cells: list[str]) -> None:
        cells[1 + town] = str(declared)

    data = seed_with_totals(facts, seed, change)
    return Made(check(data), Location(line=facts.totals_line, column=2 + town))


def workbook_bytes(workbook: Workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def sheet_of(workbook: Workbook, facts: SeedFacts, title: str, names: Sequence[str] | None = None) -> None:
    sheet = workbook.create_sheet(title)
    sheet.append(list(header(facts)) if names is None else ["項目", "事業内容", *names, "連携町数"])
    sheet.append(["1 創業支援事業", "起業を支援する。", "○", "○", None, 2])


def book(facts: SeedFacts) -> Workbook:
    workbook = Workbook()
    workbook.remove(workbook.active)  # type: ignore[arg-type]
    sheet_of(workbook, facts, "表")
    return workbook


# One builder per code ------------------------------------------------------------------------------------------


def no_projects(facts: SeedFacts, seed: bytes) -> Made:
    return Made(check(tsv(header(facts), ("",))), Location(line=1))


def no_totals(facts: SeedFacts, seed: bytes) -> Made:
    return Made(check(tsv(header(facts), row(1, "創業支援事業", ["○", "○", ""]))), None)


def line_unrecognised(facts: SeedFacts, seed: bytes) -> Made:
    sentence = "これは表の途中に置かれた長い文章で、見出しでも事業の行でもありません。"
    rows = [header(facts), row(1, "創業支援事業", ["○", "○", ""]), (sentence,), row(2, "観光事業", ["○", "", ""])]
    return Made(check(tsv(*rows)), Location(line=3, column=1))


def line_before_table(facts: SeedFacts, seed: bytes) -> Made:
    # A caption above the table that names no sphere: passed over, said as info.
    rows = [("市町村別の連携事業への参加状況",), header(facts), row(1, "創業支援事業", ["○", "○", ""])]
    return Made(check(tsv(*rows)), Location(line=1, column=1))


def note_skipped(facts: SeedFacts, seed: bytes) -> Made:
    rows = [header(facts), row(1, "創業支援事業", ["○", "○", ""]), ("※ 連携町数は中心市を含まない。",)]
    return Made(check(tsv(*rows)), Location(line=3))


def label_repaired(facts: SeedFacts, seed: bytes) -> Made:
    heading = next(text for _, text in facts.headings if text.startswith("工"))
    rows = [("① 生活機能の強化",), (heading,), header(facts), row(1, "創業支援事業", ["○", "○", ""])]
    return Made(check(tsv(*rows)), Location(line=2))


def pillar_inferred(facts: SeedFacts, seed: bytes) -> Made:
    return Made(check(tsv(("ア 産業振興",), header(facts), row(1, "創業支援事業", ["○", "○", ""]))), Location(line=1))


def pillar_missing(facts: SeedFacts, seed: bytes) -> Made:
    rows = [header(facts), ("ア 雪だるまの保全",), row(1, "雪像事業", ["○", "○", ""])]
    return Made(check(tsv(*rows)), Location(line=2))


def header_mismatch(facts: SeedFacts, seed: bytes) -> Made:
    first = towns(facts)
    other = ("項目", "事業内容", first[0], facts.towns[3], first[2], "連携町数")
    rows = [header(facts), row(1, "創業支援事業", ["○", "○", ""]), other, row(2, "観光事業", ["○", "○", ""])]
    return Made(check(tsv(*rows)), Location(line=3, column=town_column(1)))


def municipality_duplicate(facts: SeedFacts, seed: bytes) -> Made:
    first = towns(facts)
    names = ("項目", "事業内容", first[0], first[1], first[0], "連携町数")
    return Made(check(tsv(names, row(1, "創業支援事業", ["○", "○", ""]))), Location(line=1, column=town_column(2)))


def municipality_unknown(facts: SeedFacts, seed: bytes) -> Made:
    names = ("項目", "事業内容", *towns(facts, 2), "架空町", "連携町数")
    return Made(check(tsv(names, row(1, "創業支援事業", ["○", "○", ""]))), Location(line=1, column=town_column(2)))


def municipality_ambiguous(facts: SeedFacts, seed: bytes) -> Made:
    names = ("項目", "事業内容", "府中市", "連携町数")
    return Made(check(tsv(names, row(1, "創業支援事業", ["○"]))), Location(line=1, column=town_column(0)))


def municipality_by_prefecture(facts: SeedFacts, seed: bytes) -> Made:
    names = ("項目", "事業内容", *towns(facts, 2), "池田町", "連携町数")
    return Made(check(tsv(names, row(1, "創業支援事業", ["○", "○", ""]))), Location(line=1, column=town_column(2)))


def row_width(facts: SeedFacts, seed: bytes) -> Made:
    return simple(facts, row(1, "創業支援事業", ["○", "○", ""]), (*row(2, "観光事業", ["○", "○", ""]), "余分"))


def row_unnumbered(facts: SeedFacts, seed: bytes) -> Made:
    return simple(facts, row(1, "創業支援事業", ["○", "○", ""]), row("", "番号のない事業", ["○", "", "○"]))


def row_continued(facts: SeedFacts, seed: bytes) -> Made:
    rows = [header(facts), row(1, "創業支援事業", ["○", "○", ""]), ("", "説明の続き。", "", "", "", "")]
    return Made(check(tsv(*rows)), Location(line=3, column=2))


def subtotal_skipped(facts: SeedFacts, seed: bytes) -> Made:
    return simple(facts, row(1, "創業支援事業", ["○", "○", ""]), ("小計", "", "1", "1", "0", "2"))


def count_not_number(facts: SeedFacts, seed: bytes) -> Made:
    rows = [header(facts), row(1, "創業支援事業", ["○", "○", ""], count="多数")]
    return Made(check(tsv(*rows)), Location(line=2, column=town_column(3)))


def lead_without_legend(facts: SeedFacts, seed: bytes) -> Made:
    rows = [header(facts), row(1, "創業支援事業", ["○", "◎", ""])]
    return Made(check(tsv(*rows)), Location(line=2, column=town_column(1)))


def unknown_mark(facts: SeedFacts, seed: bytes) -> Made:
    rows = [header(facts), row(1, "創業支援事業", ["○", "", "△"], count="1")]
    return Made(check(tsv(*rows)), Location(line=2, column=town_column(2)))


def mark_legend_missing(facts: SeedFacts, seed: bytes) -> Made:
    rows = [header(facts), row(1, "創業支援事業", ["○", "○", ""]), row(2, "観光事業", ["", "✓", "○"])]
    return Made(check(tsv(*rows)), Location(line=3, column=town_column(1)))


def mark_without_municipality(facts: SeedFacts, seed: bytes) -> Made:
    names = ("項目", "事業内容", *towns(facts, 2), "", "連携町数")
    rows = [names, row(1, "創業支援事業", ["○", "", "○"], count="1")]
    return Made(check(tsv(*rows)), Location(line=2, column=town_column(2)))


def member_unused(facts: SeedFacts, seed: bytes) -> Made:
    rows = [header(facts), row(1, "創業支援事業", ["○", "○", ""]), row(2, "観光事業", ["○", "", ""])]
    return Made(check(tsv(*rows)), Location(line=1, column=town_column(2)))


def project_duplicate(facts: SeedFacts, seed: bytes) -> Made:
    return simple(facts, row(1, "創業支援事業", ["○", "○", ""]), row(2, "創業支援事業", ["○", "", "○"]))


def reposts_read(facts: SeedFacts, seed: bytes) -> Made:
    # 創業支援事業 listed again under another field, its name marked （再掲）.
    rows = [row(1, "創業支援事業", ["○", "○", ""]), row(2, "観光事業", ["○", "", "○"])]
    return simple(facts, *rows, row(3, "創業支援事業（再掲）", ["○", "○", ""]))


def repost_differs(facts: SeedFacts, seed: bytes) -> Made:
    rows = [row(1, "創業支援事業", ["○", "○", ""]), row(2, "観光事業", ["○", "", "○"])]
    return simple(facts, *rows, row(3, "【再掲】創業支援事業", ["○", "○", "○"]))


def repost_unmatched(facts: SeedFacts, seed: bytes) -> Made:
    rows = [row(1, "創業支援事業", ["○", "○", ""]), row(2, "観光事業", ["○", "", "○"])]
    return simple(facts, *rows, row(3, "（再掲）移住促進事業", ["○", "○", ""]))


def reposts_counted(facts: SeedFacts, seed: bytes) -> Made:
    # The totals row counts the repost as a project of its own.
    rows = titled(facts, row(1, "創業支援事業", ["○", "○", ""]), row(2, "観光事業", ["○", "", "○"]))
    rows += [row(3, "創業支援事業（再掲）", ["○", "○", ""]), ("連携事業数計", "", "3", "2", "1", "6")]
    return Made(check(tsv(*rows)), Location(line=6))


def header_notes(facts: SeedFacts, seed: bytes) -> Made:
    # Each town's population on the row under the header: the header's notes, not a project.
    rows = [header(facts), ("", "", "人口3.1万", "人口1.0万", "人口0.6万", ""), row(1, "創業支援事業", ["○", "○", ""])]
    return Made(check(tsv(*rows)), Location(line=2, column=3))


def titled(facts: SeedFacts, *rows: Sequence[str]) -> list[Sequence[str]]:
    return [("上川中部定住自立圏共生ビジョン",), header(facts), *rows]


def row_missing(facts: SeedFacts, seed: bytes) -> Made:
    rows = titled(facts, row(1, "創業支援事業", ["○", "○", ""]), row(3, "観光事業", ["○", "", "○"]))
    rows.append(("連携事業数計", "", "3", "2", "1", "6"))  # counts a row 2 that is not there
    return Made(check(tsv(*rows)), Location(line=4))


def numbers_skipped(facts: SeedFacts, seed: bytes) -> Made:
    rows = titled(facts, row(1, "創業支援事業", ["○", "○", ""]), row(3, "観光事業", ["○", "", "○"]))
    rows.append(("連携事業数計", "", "2", "1", "1", "4"))  # counts only the rows present: 2 was left out
    return Made(check(tsv(*rows)), Location(line=5))


def sphere_kind_guessed(facts: SeedFacts, seed: bytes) -> Made:
    rows = [("上川中部圏域",), ("① 生活機能の強化",), header(facts), row(1, "創業支援事業", ["○", "○", ""])]
    return Made(check(tsv(*rows)), Location(line=1, column=1))


def whole(facts: SeedFacts, totals: Sequence[str]) -> list[Sequence[str]]:
    return [header(facts), row(1, "創業支援事業", ["○", "○", ""]), row(2, "観光事業", ["○", "", "○"]), totals]


def totals_repeated(facts: SeedFacts, seed: bytes) -> Made:
    rows = whole(facts, ("連携事業数計", "", "2", "1", "1", "4"))
    rows.append(("連携事業数計", "", "2", "1", "1", "4"))
    return Made(check(tsv(*rows)), Location(line=5))


def totals_misaligned(facts: SeedFacts, seed: bytes) -> Made:
    return Made(check(tsv(*whole(facts, ("連携事業数計", "2", "1", "1", "4", "9", "9", "9")))), Location(line=4))


def total_not_number(facts: SeedFacts, seed: bytes) -> Made:
    rows = whole(facts, ("連携事業数計", "", "2", "二", "1", "4"))
    return Made(check(tsv(*rows)), Location(line=4, column=town_column(1)))


def count_mismatch(facts: SeedFacts, seed: bytes) -> Made:
    rows = [header(facts), row(1, "創業支援事業", ["○", "○", ""], count="3")]
    return Made(check(tsv(*rows)), Location(line=2, column=town_column(3)))


def grand_total_mismatch(facts: SeedFacts, seed: bytes) -> Made:
    rows = whole(facts, ("連携事業数計", "", "2", "1", "1", "5"))
    return Made(check(tsv(*rows)), Location(line=4, column=town_column(3)))


def grand_total_rows_mismatch(facts: SeedFacts, seed: bytes) -> Made:
    rows = whole(facts, ("連携事業数計", "", "3", "1", "1", "5"))  # adds up, but the rows hold 4 marks
    return Made(check(tsv(*rows)), Location(line=4, column=town_column(3)))


def total_mismatch(facts: SeedFacts, seed: bytes) -> Made:
    rows = whole(facts, ("連携事業数計", "", "3", "1", "1", "5"))
    return Made(check(tsv(*rows)), Location(line=4, column=town_column(0)))


def fragment(facts: SeedFacts, seed: bytes) -> Made:
    return Made(check(seed), Location(line=facts.totals_line))


def fragment_negative(facts: SeedFacts, seed: bytes) -> Made:
    return fragment_total(facts, seed, 1, facts.present_totals[1] - 1)


def fragment_overflow(facts: SeedFacts, seed: bytes) -> Made:
    rows = len(facts.missing_numbers)
    return fragment_total(facts, seed, 1, facts.present_totals[1] + rows + 1)


def fragment_all(facts: SeedFacts, seed: bytes) -> Made:
    return fragment_total(facts, seed, 1, facts.present_totals[1] + len(facts.missing_numbers))


def fragment_none(facts: SeedFacts, seed: bytes) -> Made:
    return fragment_total(facts, seed, 1, facts.present_totals[1])


def fragment_grand_impossible(facts: SeedFacts, seed: bytes) -> Made:
    capacity = len(facts.missing_numbers) * len(facts.towns)

    def change(cells: list[str]) -> None:
        cells[1 + len(facts.towns)] = str(sum(facts.present_totals) + capacity + 1)

    data = seed_with_totals(facts, seed, change)
    return Made(check(data), Location(line=facts.totals_line, column=2 + len(facts.towns)))


def number_duplicate(facts: SeedFacts, seed: bytes) -> Made:
    rows = [header(facts), row(1, "創業支援事業", ["○", "○", ""]), row(1, "観光事業", ["○", "", "○"])]
    return Made(check(tsv(*rows)), Location(line=2))


def number_order(facts: SeedFacts, seed: bytes) -> Made:
    return simple(facts, row(2, "創業支援事業", ["○", "○", ""]), row(1, "観光事業", ["○", "", "○"]))


def no_participant(facts: SeedFacts, seed: bytes) -> Made:
    return simple(facts, row(1, "創業支援事業", ["○", "○", ""]), row(2, "観光事業", ["", "", ""]))


def code_invalid(facts: SeedFacts, seed: bytes) -> Made:
    """The seed as renkei JSON with one municipality's code given a wrong check digit (JSON has no lines)."""
    exported = json.loads(get("json").render(read_bytes(seed, "seed.txt").vision))
    town = exported["municipalities"][1]
    code = town["code"]
    town["code"] = code[:-1] + str((int(code[-1]) + 1) % 10)
    findings = check(json.dumps(exported, ensure_ascii=False).encode("utf-8"), "seed.json")
    return Made(findings, None)


def members_count_mismatch(facts: SeedFacts, seed: bytes) -> Made:
    rows = [
        ("構成市町村（3市）：姫路市、相生市、福崎町",),
        ("番号", "事業名", "事業内容", "連携市町村", "連携市町数"),
        ("1", "観光", "観光を振興する。", "全市町", "3"),
    ]
    return Made(check(tsv(*rows)), Location(line=1, column=1))


def count_kinds_mismatch(facts: SeedFacts, seed: bytes) -> Made:
    rows = [
        ("構成市町：姫路市、相生市、福崎町",),
        ("番号", "事業名", "事業内容", "連携市町村", "連携市町数"),
        ("1", "観光", "観光を振興する。", "姫路市、相生市", "1市1町"),
    ]
    return Made(check(tsv(*rows)), Location(line=3, column=5))


def participant_not_member(facts: SeedFacts, seed: bytes) -> Made:
    rows = [
        ("構成市町：姫路市、相生市",),
        ("番号", "事業名", "事業内容", "連携市町村", "連携市町数"),
        ("1", "観光", "観光を振興する。", "姫路市、福崎町", "2"),
    ]
    return Made(check(tsv(*rows)), Location(line=3, column=4))


def column_not_member(facts: SeedFacts, seed: bytes) -> Made:
    # The members line names the seed's first two towns; the table has a column for its third too.
    a, b, c = facts.towns[:3]
    rows = [
        (f"構成市町村：{a}、{b}",),
        ("番号", "事業名", a, b, c, "連携町数"),
        ("1", "観光", "○", "○", "○", "3"),
    ]
    return Made(check(tsv(*rows)), Location(line=2, column=5))


def sheet_hidden(facts: SeedFacts, seed: bytes) -> Made:
    workbook = book(facts)
    sheet_of(workbook, facts, "作業用")
    workbook["作業用"].sheet_state = "hidden"
    return Made(check(workbook_bytes(workbook), "table.xlsx"), Location(sheet="作業用"))


def sheet_skipped(facts: SeedFacts, seed: bytes) -> Made:
    workbook = book(facts)
    workbook.create_sheet("表紙").append(["令和6年4月"])
    return Made(check(workbook_bytes(workbook), "table.xlsx"), Location(sheet="表紙"))


def sheet_other_table(facts: SeedFacts, seed: bytes) -> Made:
    workbook = book(facts)
    sheet_of(workbook, facts, "他圏域", names=("本別町", "足寄町", "陸別町"))
    return Made(check(workbook_bytes(workbook), "table.xlsx"), Location(sheet="他圏域"))


def row_hidden(facts: SeedFacts, seed: bytes) -> Made:
    workbook = book(facts)
    workbook["表"].row_dimensions[2].hidden = True
    return Made(check(workbook_bytes(workbook), "table.xlsx"), Location(line=2, sheet="表", cell="A2"))


def formula_uncalculated(facts: SeedFacts, seed: bytes) -> Made:
    workbook = book(facts)
    workbook["表"]["F2"] = '=COUNTIF(C2:E2,"○")'  # written by openpyxl: a formula with no cached value
    return Made(check(workbook_bytes(workbook), "table.xlsx"), Location(sheet="表", cell="F2"))


def number_too_long(facts: SeedFacts, seed: bytes) -> Made:
    rows = [header(facts), row(1, "創業支援事業", ["○", "○", ""], count="9" * 30)]
    return Made(check(tsv(*rows)), Location(line=2, column=town_column(3)))


def project_number_beyond_limit(facts: SeedFacts, seed: bytes) -> Made:
    limits = Limits(max_project_number=100)
    rows = [header(facts), row(1, "創業支援事業", ["○", "○", ""]), row(101, "観光事業", ["○", "", "○"])]
    return Made(check(tsv(*rows), limits=limits), Location(line=3))


def figure_beyond_limit(facts: SeedFacts, seed: bytes) -> Made:
    limits = Limits(max_figure=100)
    rows = [header(facts), row(1, "創業支援事業", ["○", "○", ""], count="101")]
    return Made(check(tsv(*rows), limits=limits), Location(line=2))  # the row whose figure it is


def truncated_character(facts: SeedFacts, seed: bytes) -> Made:
    text = seed.rstrip(b"\n")
    cut = text[: text.rindex("町".encode()) + 1]  # the last line's last 町, cut after its first byte
    return Made(check(cut), Location(line=cut.count(b"\n") + 1))


def encoding_detected(facts: SeedFacts, seed: bytes) -> Made:
    return Made(check(seed.decode("utf-8").encode("cp932")), None)


def pdf_pages(facts: SeedFacts, seed: bytes) -> Made:
    renderer = get("pdf")
    unavailable = renderer.unavailable() if renderer.unavailable else None
    require(unavailable is None, f"PDF cannot be written here: {unavailable}")
    return Made(check(renderer.render(read_bytes(seed, "seed.txt").vision), "table.pdf"), Location(page=1))


def pdf_pages_turned(facts: SeedFacts, seed: bytes) -> Made:
    # renkei's PDF of the seed with its page turned a quarter in a viewer and saved so.
    import pypdf

    renderer = get("pdf")
    unavailable = renderer.unavailable() if renderer.unavailable else None
    require(unavailable is None, f"PDF cannot be written here: {unavailable}")
    reader = pypdf.PdfReader(io.BytesIO(renderer.render(read_bytes(seed, "seed.txt").vision)))
    writer = pypdf.PdfWriter()
    for page in reader.pages:
        writer.add_page(page.rotate(90))
    out = io.BytesIO()
    writer.write(out)
    return Made(check(out.getvalue(), "table.pdf"), Location(page=1))


def effective_backwards(facts: SeedFacts, seed: bytes) -> Made:
    # A revision-level finding, kept with a revision forced in with an earlier date: it points at no line.
    return Made([backdated(datetime.date(2020, 4, 1), datetime.date(2024, 4, 1))], None)


def effective_after_abolition(facts: SeedFacts, seed: bytes) -> Made:
    # A revision-level finding, kept with a revision dated after its sphere's abolition: it points at no line.
    from renkei.store.lifecycle import after_abolition

    return Made([after_abolition(datetime.date(2026, 4, 1), "2022-03-31")], None)


def long_code_name_differ(facts: SeedFacts, seed: bytes) -> Made:
    # The long form (one row per participation): the code of the second town under the name of the third.
    a, b, c = facts.towns[:3]
    codes = {m.name: m.code for m in read_bytes(seed, "seed.txt").vision.municipalities}
    lines = [
        "番号,事業名,団体コード,市町村名",
        f"1,医療,{codes[a]},{a}",
        f"1,医療,{codes[b]},{c}",
        f"2,観光,{codes[b]},{b}",
    ]
    return Made(check("\n".join(lines).encode(), "open.csv"), Location(line=3, column=4))


def structure_table(facts: SeedFacts, headers: Sequence[str], names: bool = True) -> bytes:
    """Three projects under ``headers`` (number, text, text, three towns, count): the second column names when
    ``names``, otherwise it holds sentences too."""
    lines: list[Sequence[str]] = [(*headers, *towns(facts), "連携町数")]
    for i, title in enumerate(["救急医療体制の確保", "地域公共交通の充実", "職員研修の共同実施"], start=1):
        name = title if names else f"{title}のため、圏域の市町が共同で事業を実施する。"
        lines.append((str(i), name, f"{title}を圏域の市町が共同で行う。", "○", "○", "", "2"))
    return tsv(*lines)


def name_column_missing(facts: SeedFacts, seed: bytes) -> Made:
    return Made(check(structure_table(facts, ("番号", "取組の方向", "取組の概要"), names=False)), Location(line=1))


def name_column_unknown(facts: SeedFacts, seed: bytes) -> Made:
    data = structure_table(facts, ("番号", "主な取組", "取組の概要"))
    return Made(check_reading(read_bytes(data, "t.txt", name_column="取組名")).findings, Location(line=1))


def name_column_inferred(facts: SeedFacts, seed: bytes) -> Made:
    return Made(check(structure_table(facts, ("番号", "主な取組", "取組の概要"))), Location(line=1, column=2))


def description_column_inferred(facts: SeedFacts, seed: bytes) -> Made:
    return Made(check(structure_table(facts, ("番号", "主な取組", "説明"))), Location(line=1, column=3))


def count_column_inferred(facts: SeedFacts, seed: bytes) -> Made:
    lines = [
        ("項目", "事業内容", *towns(facts), "該当数"),
        row(1, "創業支援", ["○", "○", ""]),
        row(2, "観光", ["○", "", ""]),
    ]
    return Made(check(tsv(*lines)), Location(line=1, column=6))


def number_column_inferred(facts: SeedFacts, seed: bytes) -> Made:
    return Made(check(structure_table(facts, ("整理", "主な取組", "取組の概要"))), Location(line=1, column=1))


def number_label(facts: SeedFacts, seed: bytes) -> Made:
    # Numbers written as paths (柱-事業): kept as written, said once at the first.
    rows = [
        ("番号", "事業名", *towns(facts), "連携町数"),
        ("1-1", "創業支援", "○", "○", "", "2"),
        ("1-2", "観光", "○", "", "", "1"),
    ]
    return Made(check(tsv(*rows)), Location(line=2, column=1))


def numbered_by_place(facts: SeedFacts, seed: bytes) -> Made:
    # A table that lists its projects by name alone: numbered by their place, said once at the first.
    rows = [
        ("取組名", *towns(facts), "連携町数"),
        ("創業支援", "○", "○", "", "2"),
        ("観光", "○", "", "", "1"),
    ]
    return Made(check(tsv(*rows)), Location(line=2, column=1))


def text_space_separated(facts: SeedFacts, seed: bytes) -> Made:
    # A copy whose cells single spaces part, every cell written: read word by word, said of the whole file.
    rows = [("番号", "事業名", *towns(facts), "連携町数"), ("1", "創業支援", "○", "○", "－", "2")]
    rows += [("2", "観光", "○", "－", "－", "1"), ("3", "交通", "－", "○", "○", "2")]
    return Made(check("\n".join(" ".join(r) for r in rows).encode("utf-8"), "copy.txt"), None)


def totals_by_content(facts: SeedFacts, seed: bytes) -> Made:
    # The seed's totals row under a label no list holds: told by its whole numbers under the towns.
    def change(cells: list[str]) -> None:
        cells[0] = "参加事業数"

    return Made(check(seed_with_totals(facts, seed, change)), Location(line=facts.totals_line))


def rates_rows(facts: SeedFacts, rates: Sequence[str]) -> bytes:
    # Two projects, then a row of each town's share of them: 100% of two, 50%, 0%.
    rows = [header(facts), row(1, "創業支援", ["○", "○", ""]), row(2, "観光", ["○", "", ""]), ("参加率", "", *rates)]
    return tsv(*rows)


def rates_row(facts: SeedFacts, seed: bytes) -> Made:
    return Made(check(rates_rows(facts, ["100%", "50%", "0%"])), Location(line=4))


def rate_mismatch(facts: SeedFacts, seed: bytes) -> Made:
    # The second town takes part in one project of two: 50%, written 100%.
    return Made(check(rates_rows(facts, ["100%", "100%", "0%"])), Location(line=4, column=town_column(1)))


def rates_unchecked(facts: SeedFacts, seed: bytes) -> Made:
    # Projects 1 and 3 of a table that lacks 2: each town's share of three cannot be counted here.
    rows = [header(facts), row(1, "創業支援", ["○", "○", ""]), row(3, "観光", ["○", "", ""])]
    return Made(check(tsv(*rows, ("参加率", "", "67%", "33%", "0%"))), Location(line=4))


def rates_column(facts: SeedFacts, seed: bytes) -> Made:
    # 参加率 beside the count: each project's marks over the three towns.
    rows = [
        (*header(facts), "参加率"),
        (*row(1, "創業支援", ["○", "○", "○"]), "100%"),
        (*row(2, "観光", ["○", "", ""]), "33%"),
    ]
    return Made(check(tsv(*rows)), Location(line=2, column=7))


def role_rows(label: str) -> list[tuple[str, ...]]:
    # 鳥取県東部's table with a column headed by a role or a prefecture before its towns, marked in both projects.
    return [
        ("番号", "事業名", label, "岩美町", "若桜町", "連携市町数"),
        ("1", "図書館の相互利用", "○", "○", "", "2"),
        ("2", "広域観光の推進", "○", "", "○", "2"),
    ]


def central_column_by_role(facts: SeedFacts, seed: bytes) -> Made:
    title = ("鳥取県東部定住自立圏（中心市：鳥取市）",)
    return Made(check(tsv(title, *role_rows("中心市"))), Location(line=2, column=3))


def central_column_unnamed(facts: SeedFacts, seed: bytes) -> Made:
    return Made(check(tsv(*role_rows("中心市"))), Location(line=1, column=3))


def group_column_kept(facts: SeedFacts, seed: bytes) -> Made:
    return Made(check(tsv(*role_rows("鳥取県"))), Location(line=1, column=3))


def count_all(facts: SeedFacts, seed: bytes) -> Made:
    # 全 in the count of a project every town takes part in.
    rows = [row(1, "創業支援", ["○", "○", "○"], "全"), row(2, "観光", ["○", "", ""])]
    return Made(check(tsv(header(facts), *rows)), Location(line=2, column=6))


def invisible_removed(facts: SeedFacts, seed: bytes) -> Made:
    # A zero-width space after a mark, as a web page leaves it.
    return Made(check(tsv(header(facts), row(1, "創業支援", ["○\u200b", "○", ""]))), Location(line=2, column=3))


def blank_by_counts(facts: SeedFacts, seed: bytes) -> Made:
    # いいえ beside はい: each project's count leaves it out.
    rows = [row(1, "創業支援", ["はい", "いいえ", "はい"], "2"), row(2, "観光", ["いいえ", "はい", "はい"], "2")]
    return Made(check(tsv(header(facts), *rows)), Location(line=2, column=town_column(1)))


def mark_merged(facts: SeedFacts, seed: bytes) -> Made:
    # A ○ merged across the three towns' cells of a workbook's row.
    workbook, sheet = one_project_workbook(facts, ["○", None, None], 3)
    sheet.merge_cells("C2:E2")
    return Made(check(workbook_bytes(workbook), "table.xlsx"), Location(line=2, column=3))


def others_rows(others: str) -> bytes:
    # 鳥取県東部's members line, then participants in one cell: the central city and some others by number.
    lines = ["構成市町：鳥取市、岩美町、若桜町、智頭町、八頭町", "番号\t事業名\t連携市町\t連携市町数"]
    lines += ["1\t図書館の相互利用\t鳥取市、岩美町\t2", f"2\t救急医療\t{others}\t5"]
    return "\n".join(lines).encode("utf-8")


def others_by_count(facts: SeedFacts, seed: bytes) -> Made:
    return Made(check(others_rows("鳥取市ほか4町")), Location(line=4, column=3))


def others_unresolved(facts: SeedFacts, seed: bytes) -> Made:
    return Made(check(others_rows("鳥取市ほか2町")), Location(line=4, column=3))


def participants_column_inferred(facts: SeedFacts, seed: bytes) -> Made:
    # The towns that take part listed under 実施主体, a header no list reads as the participants'.
    lines = [("番号", "事業名", "実施主体", "連携数"), ("1", "創業支援", "、".join(towns(facts, 2)), "2")]
    lines.append(("2", "観光", towns(facts, 1)[0], "1"))
    return Made(check(tsv(*lines)), Location(line=1, column=3))


def json_records(facts: SeedFacts, seed: bytes) -> Made:
    # A portal's records: an object a project, the towns' marks under their names.
    records = [
        {"番号": n, "事業名": name, **dict(zip(towns(facts), marks, strict=True)), "連携町数": sum(map(bool, marks))}
        for n, name, marks in ((1, "創業支援", ["○", "○", ""]), (2, "観光", ["○", "", ""]))
    ]
    return Made(check(json.dumps({"result": {"records": records}}, ensure_ascii=False).encode("utf-8")), None)


def mark_by_counts(facts: SeedFacts, seed: bytes) -> Made:
    # 該当, a word no list holds, in the towns' cells: each project's count counts it.
    rows = [row(1, "創業支援", ["該当", "該当", ""]), row(2, "観光", ["該当", "", "該当"])]
    return Made(check(tsv(header(facts), *rows)), Location(line=2, column=town_column(0)))


def name_column_regrouped(facts: SeedFacts, seed: bytes) -> Made:
    # 取組項目 (a names' heading) over values that run over several projects, beside distinct titles.
    rows = [("番号", "取組項目", "具体的取組", *towns(facts), "連携町数")]
    rows += [("1", "産業振興", "創業支援", "○", "○", "", "2"), ("2", "産業振興", "企業誘致", "○", "", "", "1")]
    rows += [("3", "観光", "広域観光", "", "○", "○", "2"), ("4", "観光", "観光案内", "○", "○", "○", "3")]
    return Made(check(tsv(*rows)), Location(line=1, column=3))


def mark_not_taking_part(facts: SeedFacts, seed: bytes) -> Made:
    # △ where the legend says it is only being considered: not counted, said at its cell.
    rows = [header(facts), row(1, "創業支援", ["○", "△", ""], "1"), ("○：連携して実施　△：今後実施を検討",)]
    return Made(check(tsv(*rows)), Location(line=2, column=town_column(1)))


def page_furniture_skipped(facts: SeedFacts, seed: bytes) -> Made:
    # A PDF copy's page number between two pages of the table.
    rows = [header(facts), row(1, "創業支援", ["○", "", ""]), ("－ 23 －",), row(2, "観光", ["", "○", ""])]
    return Made(check(tsv(*rows)), Location(line=3, column=1))


def one_project_workbook(facts: SeedFacts, marks: Sequence[str | None], count: int) -> tuple[Workbook, Any]:
    """A workbook of the header and one project row (創業支援) with ``marks`` under the towns, and its sheet."""
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(list(header(facts)))
    sheet.append(["1 創業支援", "創業を支援する。", *marks, count])
    return workbook, sheet


def symbol_font_mark(facts: SeedFacts, seed: bytes) -> Made:
    # A workbook whose marks are ü in Wingdings (Excel shows ✓).
    workbook, sheet = one_project_workbook(facts, ["ü", None, None], 1)
    sheet.cell(2, 3).font = Font(name="Wingdings")
    return Made(check(workbook_bytes(workbook), "table.xlsx"), Location(line=2, column=3))


def shape_mark(facts: SeedFacts, seed: bytes) -> Made:
    # A workbook whose mark is a circle drawn over the town's cell, the cell itself empty.
    workbook, _ = one_project_workbook(facts, [None, None, None], 1)
    return Made(check(with_shapes(workbook_bytes(workbook), [Drawn(2, 3)]), "table.xlsx"), Location(line=2, column=3))


def table_transposed(facts: SeedFacts, seed: bytes) -> Made:
    # A row per town, the projects across: turned into a row per project.
    rows = [("番号", "1", "2"), ("市町村名", "創業支援", "観光"), *[(t, "○", "") for t in towns(facts)]]
    return Made(check(tsv(*rows)), None)


def long_role_unknown(facts: SeedFacts, seed: bytes) -> Made:
    # The long form with a role in words that say neither lead nor member.
    rows = [("事業番号", "事業名", "市町村名", "役割")]
    rows += [("1", "創業支援", towns(facts)[0], "主体"), ("1", "創業支援", towns(facts)[1], "支援")]
    rows += [("2", "観光", towns(facts)[0], "参加")]
    return Made(check("\n".join(",".join(r) for r in rows).encode("utf-8"), "long.csv"), Location(line=3, column=4))


def long_columns_skipped(facts: SeedFacts, seed: bytes) -> Made:
    # The long form with a column its participation does not hold (the source): said, not dropped unsaid.
    rows = [("事業番号", "事業名", "市町村名", "出典")]
    rows += [("1", "創業支援", towns(facts)[0], "ビジョン"), ("1", "創業支援", towns(facts)[1], "ビジョン")]
    rows += [("2", "観光", towns(facts)[0], "ビジョン")]
    return Made(check("\n".join(",".join(r) for r in rows).encode("utf-8"), "long.csv"), Location(line=1))


def long_amount_differs(facts: SeedFacts, seed: bytes) -> Made:
    # The long form whose project amount (事業費, one per project) differs between two of the project's rows.
    rows = [("事業番号", "事業名", "市町村名", "事業費（千円）")]
    rows += [("1", "創業支援", towns(facts)[0], "300"), ("1", "創業支援", towns(facts)[1], "200")]
    rows += [("2", "観光", towns(facts)[0], "100")]
    return Made(check("\n".join(",".join(r) for r in rows).encode("utf-8"), "long.csv"), Location(line=3, column=4))


def text_one_cell_per_line(facts: SeedFacts, seed: bytes) -> Made:
    # A copy one cell to a line that kept every cell (－ where a town does not take part): rebuilt into rows.
    rows = [("番号", "事業名", *towns(facts), "連携町数"), ("1", "創業支援", "○", "○", "－", "2")]
    rows += [("2", "観光", "○", "－", "－", "1"), ("3", "交通", "－", "○", "○", "2")]
    return Made(check("\n".join(v for r in rows for v in r).encode("utf-8"), "copy.txt"), None)


def names_restacked(facts: SeedFacts, seed: bytes) -> Made:
    # A viewer's copy that wrote the header's names one character to a line (鷹/栖/町), the rows one line each.
    stacked = [ch for town in towns(facts) for ch in town]
    lines = ["番号 事業名", *stacked, "連携町数", "1 創業支援 ○ ○ － 2", "2 観光 ○ － － 1", "3 交通 － ○ ○ 2"]
    return Made(check("\n".join(lines).encode("utf-8"), "copy.txt"), None)


def long_columns_inferred(facts: SeedFacts, seed: bytes) -> Made:
    # Open data's long form under headings in other words: its columns told by what they hold.
    rows = [("No.", "連携する取組", "構成団体", "関わり方")]
    rows += [("1", "創業支援", town, "○") for town in towns(facts, 2)] + [("2", "観光", towns(facts)[2], "○")]
    return Made(check("\n".join(",".join(r) for r in rows).encode("utf-8"), "open.csv"), Location(line=1))


def mark_with_period(facts: SeedFacts, seed: bytes) -> Made:
    # ○（R7～）: the mark, and when the town takes part, kept at its cell.
    return simple(facts, row(1, "創業支援事業", ["○", "○（R7～）", ""]))


def mark_with_note(facts: SeedFacts, seed: bytes) -> Made:
    # ○※1: the mark, with a reference to a note of the table.
    return simple(facts, row(1, "創業支援事業", ["○", "○※1", ""]))


def municipality_stem(facts: SeedFacts, seed: bytes) -> Made:
    # 東神楽 for 東神楽町: a municipality's name without its kind, over a column of marks.
    rows = [("番号", "事業名", facts.towns[0], "東神楽", "連携町数"), ("1", "創業支援", "○", "○", "2")]
    return Made(check(tsv(*rows)), Location(line=1, column=4))


def heading_column_inferred(facts: SeedFacts, seed: bytes) -> Made:
    # Each row's pillar in a column whose header names no heading (施策), standing over two projects.
    rows = [
        ("番号", "施策", "事業名", *towns(facts), "連携町数"),
        ("1", "1. 生活機能の強化", "創業支援事業", "○", "○", "", "2"),
        ("2", "1. 生活機能の強化", "観光事業", "○", "", "○", "2"),
        ("3", "2. 結びつきやネットワークの強化", "交通事業", "", "○", "○", "2"),
    ]
    return Made(check(tsv(*rows)), Location(line=1, column=2))


def central_note_applied(facts: SeedFacts, seed: bytes) -> Made:
    # Every count includes the central city, as the note under the table says.
    note = "※連携町数には中心市を含む"
    return Made(check(tsv(header(facts), row(1, "創業支援", ["○", "", "○"], "3"), (note,))), Location(line=3))


def count_excludes_central(facts: SeedFacts, seed: bytes) -> Made:
    # The central city's column marked ◎, which the legend says is the central city's; every count leaves it out.
    names = ("項目", "事業内容", "旭川市", *towns(facts, 2), "連携町数")
    rows = [row(1, "創業支援", ["◎", "○", ""], "1"), row(2, "観光振興", ["◎", "○", "○"], "2")]
    return Made(check(tsv(names, *rows, ("◎：中心市　○：連携町",))), Location(line=1, column=6))


def sheet_totals_book(facts: SeedFacts, wrong: int) -> bytes:
    """Two sheets, each with its own 計 row (the first sheet's first town ``wrong`` off)."""
    workbook = Workbook()
    workbook.remove(workbook.active)  # type: ignore[arg-type]
    for n, title in enumerate(["① 生活機能の強化", "② 結びつきやネットワークの強化"]):
        sheet = workbook.create_sheet(title)
        sheet.append(list(header(facts)))
        sheet.append([f"{n + 1} 創業支援事業", "起業を支援する。", "○", "○", None, 2])
        sheet.append(["計", None, 1 + (wrong if n == 0 else 0), 1, 0, 2])
    return workbook_bytes(workbook)


def sheet_totals(facts: SeedFacts, seed: bytes) -> Made:
    return Made(check(sheet_totals_book(facts, 0), "t.xlsx"), Location(sheet="① 生活機能の強化", cell="A3"))


def sheet_total_mismatch(facts: SeedFacts, seed: bytes) -> Made:
    return Made(check(sheet_totals_book(facts, 2), "t.xlsx"), Location(sheet="① 生活機能の強化", cell="C3"))


def variant_folded(facts: SeedFacts, seed: bytes) -> Made:
    # The first town written with a variant character where it has one to fold (德 for 徳, 髙 for 高 …).
    plain = {v: k for k, v in variant_table().items()}
    town = next((t for t in facts.towns if any(c in plain for c in t)), None)
    written = "".join(plain.get(c, c) for c in town) if town else "髙島市"
    rows = [("項目", "事業内容", written, "連携町数"), ("1 創業支援事業", "起業を支援する。", "○", "1")]
    return Made(check(tsv(*rows)), Location(line=1, column=3))


def members_differ(facts: SeedFacts, seed: bytes) -> Made:
    # A revision-level finding: the seed's table against a membership that lacks its first town and holds
    # another; the table's columns come from the seed itself.
    from renkei.national.country import members_differ as differ

    columns = read_bytes(seed, "seed.txt").vision.municipalities
    first, *rest = [m for m in columns if m.code]
    members = {m.code or "": m.name for m in rest} | {"014699": "美深町"}
    finding = differ(columns, members, [], datetime.date(2021, 4, 1))
    assert finding is not None
    assert finding.params["joined"] == first.name and finding.params["left"] == "美深町", finding.params
    return Made([finding], None)


def _tidy_csv(seed: bytes) -> list[list[str]]:
    text = get("csv-utf8").render(read_bytes(seed, "seed.txt").vision).decode("utf-8")
    return list(csv.reader(io.StringIO(text)))


def _csv_bytes(rows: list[list[str]]) -> bytes:
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return out.getvalue().encode("utf-8")


def tidy_no_identity(facts: SeedFacts, seed: bytes) -> Made:
    # renkei's tidy CSV with its closing record (the identity and declared totals) deleted, as a filter would.
    rows = _tidy_csv(seed)
    kept = [r for r in rows if r[3] != "連携事業数計（記載値）"]
    assert len(kept) == len(rows) - 1
    return Made(check(_csv_bytes(kept), "table.csv"), Location(line=1))


def municipality_code_invalid(facts: SeedFacts, seed: bytes) -> Made:
    # A header 「鷹栖町 (014525)」 whose code fails its check digit: the name decides, with a warning.
    rows = _tidy_csv(seed)
    column = next(i for i, cell in enumerate(rows[0]) if cell.startswith(facts.towns[0] + " ("))
    code = rows[0][column][-7:-1]
    rows[0][column] = f"{facts.towns[0]} ({code[:5]}{(int(code[5]) + 1) % 10})"
    return Made(check(_csv_bytes(rows), "table.csv"), Location(line=1, column=column + 1))


def code_recovered(facts: SeedFacts, seed: bytes) -> Made:
    # A data package whose municipalities.csv a spreadsheet saved with the codes as numbers (014524 → 14524).
    data = get("datapackage").render(read_bytes(seed, "seed.txt").vision)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as archive:
        for name in source.namelist():
            content = source.read(name)
            if name == "municipalities.csv":
                content = content.replace(b",01", b",1")
            archive.writestr(name, content)
    return Made(check(out.getvalue(), "package.zip"), Location(line=2, sheet="municipalities.csv"))


Build = Callable[[SeedFacts, bytes], Made]
CASES: dict[str, tuple[Severity, Build]] = {
    "no-projects": (Severity.ERROR, no_projects),
    "no-totals": (Severity.INFO, no_totals),
    "line-unrecognised": (Severity.WARNING, line_unrecognised),
    "line-before-table": (Severity.INFO, line_before_table),
    "note-skipped": (Severity.INFO, note_skipped),
    "label-repaired": (Severity.INFO, label_repaired),
    "pillar-inferred": (Severity.INFO, pillar_inferred),
    "pillar-missing": (Severity.WARNING, pillar_missing),
    "header-mismatch": (Severity.ERROR, header_mismatch),
    "municipality-duplicate": (Severity.ERROR, municipality_duplicate),
    "municipality-unknown": (Severity.WARNING, municipality_unknown),
    "municipality-ambiguous": (Severity.WARNING, municipality_ambiguous),
    "municipality-by-prefecture": (Severity.INFO, municipality_by_prefecture),
    "row-width": (Severity.ERROR, row_width),
    "row-unnumbered": (Severity.ERROR, row_unnumbered),
    "row-continued": (Severity.INFO, row_continued),
    "subtotal-skipped": (Severity.INFO, subtotal_skipped),
    "count-not-number": (Severity.ERROR, count_not_number),
    "lead-without-legend": (Severity.INFO, lead_without_legend),
    "unknown-mark": (Severity.ERROR, unknown_mark),
    "mark-legend-missing": (Severity.WARNING, mark_legend_missing),
    "mark-without-municipality": (Severity.ERROR, mark_without_municipality),
    "member-unused": (Severity.WARNING, member_unused),
    "project-duplicate": (Severity.WARNING, project_duplicate),
    "reposts-read": (Severity.INFO, reposts_read),
    "header-notes": (Severity.INFO, header_notes),
    "repost-differs": (Severity.WARNING, repost_differs),
    "repost-unmatched": (Severity.WARNING, repost_unmatched),
    "reposts-counted": (Severity.WARNING, reposts_counted),
    "row-missing": (Severity.ERROR, row_missing),
    "numbers-skipped": (Severity.INFO, numbers_skipped),
    "sphere-kind-guessed": (Severity.INFO, sphere_kind_guessed),
    "totals-repeated": (Severity.WARNING, totals_repeated),
    "totals-misaligned": (Severity.ERROR, totals_misaligned),
    "total-not-number": (Severity.ERROR, total_not_number),
    "count-mismatch": (Severity.ERROR, count_mismatch),
    "grand-total-mismatch": (Severity.ERROR, grand_total_mismatch),
    "grand-total-rows-mismatch": (Severity.ERROR, grand_total_rows_mismatch),
    "total-mismatch": (Severity.ERROR, total_mismatch),
    "fragment": (Severity.INFO, fragment),
    "fragment-negative": (Severity.ERROR, fragment_negative),
    "fragment-overflow": (Severity.ERROR, fragment_overflow),
    "fragment-all": (Severity.INFO, fragment_all),
    "fragment-none": (Severity.INFO, fragment_none),
    "fragment-grand-impossible": (Severity.ERROR, fragment_grand_impossible),
    "number-duplicate": (Severity.ERROR, number_duplicate),
    "number-order": (Severity.WARNING, number_order),
    "no-participant": (Severity.WARNING, no_participant),
    "code-invalid": (Severity.ERROR, code_invalid),
    "members-count-mismatch": (Severity.ERROR, members_count_mismatch),
    "count-kinds-mismatch": (Severity.ERROR, count_kinds_mismatch),
    "participant-not-member": (Severity.WARNING, participant_not_member),
    "column-not-member": (Severity.WARNING, column_not_member),
    "sheet-hidden": (Severity.INFO, sheet_hidden),
    "sheet-skipped": (Severity.INFO, sheet_skipped),
    "sheet-other-table": (Severity.INFO, sheet_other_table),
    "row-hidden": (Severity.INFO, row_hidden),
    "formula-uncalculated": (Severity.INFO, formula_uncalculated),
    "number-too-long": (Severity.ERROR, number_too_long),
    "project-number-beyond-limit": (Severity.ERROR, project_number_beyond_limit),
    "figure-beyond-limit": (Severity.ERROR, figure_beyond_limit),
    "truncated-character": (Severity.WARNING, truncated_character),
    "encoding-detected": (Severity.INFO, encoding_detected),
    "pdf-pages": (Severity.INFO, pdf_pages),
    "long-code-name-differ": (Severity.WARNING, long_code_name_differ),
    "effective-backwards": (Severity.WARNING, effective_backwards),
    "effective-after-abolition": (Severity.WARNING, effective_after_abolition),
    "name-column-missing": (Severity.ERROR, name_column_missing),
    "name-column-unknown": (Severity.ERROR, name_column_unknown),
    "name-column-inferred": (Severity.INFO, name_column_inferred),
    "description-column-inferred": (Severity.INFO, description_column_inferred),
    "number-column-inferred": (Severity.INFO, number_column_inferred),
    "heading-column-inferred": (Severity.INFO, heading_column_inferred),
    "municipality-stem": (Severity.INFO, municipality_stem),
    "mark-with-note": (Severity.INFO, mark_with_note),
    "number-label": (Severity.INFO, number_label),
    "numbered-by-place": (Severity.WARNING, numbered_by_place),
    "text-space-separated": (Severity.WARNING, text_space_separated),
    "text-one-cell-per-line": (Severity.WARNING, text_one_cell_per_line),
    "names-restacked": (Severity.INFO, names_restacked),
    "totals-by-content": (Severity.INFO, totals_by_content),
    "name-column-regrouped": (Severity.INFO, name_column_regrouped),
    "mark-not-taking-part": (Severity.INFO, mark_not_taking_part),
    "page-furniture-skipped": (Severity.INFO, page_furniture_skipped),
    "symbol-font-mark": (Severity.INFO, symbol_font_mark),
    "shape-mark": (Severity.WARNING, shape_mark),
    "table-transposed": (Severity.INFO, table_transposed),
    "long-role-unknown": (Severity.WARNING, long_role_unknown),
    "long-columns-skipped": (Severity.INFO, long_columns_skipped),
    "long-amount-differs": (Severity.ERROR, long_amount_differs),
    "long-columns-inferred": (Severity.INFO, long_columns_inferred),
    "mark-with-period": (Severity.INFO, mark_with_period),
    "count-column-inferred": (Severity.INFO, count_column_inferred),
    "central-note-applied": (Severity.INFO, central_note_applied),
    "count-excludes-central": (Severity.INFO, count_excludes_central),
    "sheet-totals": (Severity.INFO, sheet_totals),
    "sheet-total-mismatch": (Severity.ERROR, sheet_total_mismatch),
    "variant-folded": (Severity.INFO, variant_folded),
    "members-differ": (Severity.WARNING, members_differ),
    "tidy-no-identity": (Severity.INFO, tidy_no_identity),
    "municipality-code-invalid": (Severity.WARNING, municipality_code_invalid),
    "code-recovered": (Severity.INFO, code_recovered),
    "rates-row": (Severity.INFO, rates_row),
    "rate-mismatch": (Severity.ERROR, rate_mismatch),
    "rates-unchecked": (Severity.WARNING, rates_unchecked),
    "mark-by-counts": (Severity.WARNING, mark_by_counts),
    "rates-column": (Severity.INFO, rates_column),
    "central-column-by-role": (Severity.INFO, central_column_by_role),
    "central-column-unnamed": (Severity.WARNING, central_column_unnamed),
    "group-column-kept": (Severity.INFO, group_column_kept),
    "count-all": (Severity.INFO, count_all),
    "invisible-removed": (Severity.INFO, invisible_removed),
    "blank-by-counts": (Severity.WARNING, blank_by_counts),
    "mark-merged": (Severity.INFO, mark_merged),
    "others-by-count": (Severity.INFO, others_by_count),
    "others-unresolved": (Severity.WARNING, others_unresolved),
    "pdf-pages-turned": (Severity.INFO, pdf_pages_turned),
    "participants-column-inferred": (Severity.INFO, participants_column_inferred),
    "json-records": (Severity.INFO, json_records),
}


def _figure_case(build: Callable[[SeedFacts], tuple[list[Finding], Location]]) -> Build:
    def made(facts: SeedFacts, seed: bytes) -> Made:
        return Made(*build(facts))

    return made


# The budget and KPI columns' findings (tests/findings_figures.py).
CASES |= {code: (Severity(severity), _figure_case(build)) for code, (severity, build) in FIGURE_CASES.items()}


def test_every_finding_code_has_a_case() -> None:
    codes = source_codes()
    assert len(codes) > 40, "the scan of the sources found too few finding codes to be reading them"
    uncovered, stale = sorted(codes.keys() - CASES.keys()), sorted(CASES.keys() - codes.keys())
    assert not uncovered, f"finding codes without a case here: {uncovered}"
    assert not stale, f"cases for codes the sources no longer make: {stale}"
    for code, severities in codes.items():
        assert severities <= {CASES[code][0].value}, (code, severities, "the source makes it with another severity")


@pytest.mark.parametrize("code", sorted(CASES))
def test_the_finding(code: str, facts: SeedFacts, seed_bytes: bytes) -> None:
    severity, build = CASES[code]
    made = build(facts, seed_bytes)
    found = [f for f in made.findings if f.code == code]
    assert found, f"no {code} among {[(f.code, str(f.location)) for f in made.findings]}"
    if made.at is None:
        finding = found[0]
        assert finding.location is None or (finding.location.line, finding.location.cell) == (None, None)
    else:
        # The input may hold the code elsewhere too (the seed's own fragment findings): one is where it must be.
        wanted = {k: v for k, v in vars(made.at).items() if v is not None}
        here = [f for f in found if f.location and {k: getattr(f.location, k) for k in wanted} == wanted]
        assert here, f"{code} at {[str(f.location) for f in found]}, not at {made.at}"
        finding = here[0]
    assert finding.severity is severity
    texts = {}
    for lang in LANGUAGES:
        explained = explain(finding, lang)
        assert explained.message.strip(), (code, lang)
        assert "{" not in explained.message and "{" not in explained.hint, (code, lang, explained)
        # Every parameter the text names is there, as the finding carries it.
        for name in re.findall(r"\{(\w+)\}", catalogue(lang)[f"finding.{code}"]):
            assert str(finding.params[name]) in explained.message, (code, lang, name, explained.message)
        located = finding.location
        if located is not None and (located.line, located.cell, located.page) != (None, None, None):
            assert where(located, lang), (code, lang)
        texts[lang] = explained.message
    assert texts["ja"] != texts["en"]
    assert re.search(r"[\u3040-\u30ff\u3400-\u9fff]", texts["ja"]), texts["ja"]
