"""A long name that a PDF copy wraps onto the next line (the rest alone in the name column, nothing else on the
line) is the rest of that name: joined without a space, said at the line (``row-continued``). A heading, a note,
a sentence or a mark on such a line is not a name's rest."""

from __future__ import annotations

import pytest

from renkei.ingest import read_bytes
from renkei.ingest.report import Report, check_reading

TOWNS = ("美濃加茂市", "坂祝町", "富加町", "川辺町")
NAMES = [
    "中濃地域における救急医療体制の確保と医療従事者の確保",
    "図書館の相互利用",
    "病児・病後児保育施設の広域利用の推進",
]
MARKS = ["○○－○", "○○○○", "－○○－"]


def copy(cut: int, extra: list[str] | None = None) -> bytes:
    """The table as a PDF copy gives it, each name longer than ``cut`` wrapped after ``cut`` characters."""
    lines = ["\t".join(["番号", "事業名", *TOWNS, "連携市町村数"])]
    for number, (name, marks) in enumerate(zip(NAMES, MARKS, strict=True), start=1):
        cells = ["" if m == "－" else m for m in marks]
        lines.append("\t".join([str(number), name[:cut], *cells, str(sum(m == "○" for m in marks))]))
        if len(name) > cut:
            lines.append("\t" + name[cut:])
    return "\n".join(lines + (extra or [])).encode("utf-8")


def read(data: bytes) -> Report:
    return check_reading(read_bytes(data, "copy.txt"))


@pytest.mark.parametrize("cut", [8, 12, 20])
def test_a_wrapped_name_is_joined_whole(cut: int) -> None:
    report = read(copy(cut))
    assert [p.name for p in report.reading.vision.projects] == NAMES
    wrapped = [n for n in NAMES if len(n) > cut]
    assert [f.code for f in report.findings].count("row-continued") == len(wrapped)
    assert "line-unrecognised" not in [f.code for f in report.findings]
    assert not [f for f in report.findings if f.severity.value == "error"]


def test_a_heading_or_a_sentence_under_a_project_is_not_its_name() -> None:
    report = read(copy(40, extra=["\tイ 地域公共交通", "\t上記の事業は、必要に応じて見直す。"]))
    assert [p.name for p in report.reading.vision.projects] == NAMES


def test_a_line_alone_in_the_first_column_stays_a_heading_not_a_names_rest(seed_bytes: bytes) -> None:
    # Where the number and the name share the first column (the seed's 項目), a line alone there is a heading or
    # a title, as the seed's own field lines are: the projects read as the seed's.
    seed = check_reading(read_bytes(seed_bytes, "seed.txt"))
    lines = seed_bytes.decode("utf-8").split("\n")
    first = seed.reading.vision.projects[0]
    at = next(i for i, line in enumerate(lines) if line.startswith(f"{first.number} {first.name}"))
    lines.insert(at + 1, "力強い地域づくり")
    changed = check_reading(read_bytes("\n".join(lines).encode("utf-8"), "seed.txt"))
    assert [(p.number, p.name) for p in changed.reading.vision.projects] == [
        (p.number, p.name) for p in seed.reading.vision.projects
    ]
