"""A column headed in a names' word (取組項目, 事業) whose values run over several projects, merged down or written
again, groups the projects: where another column beside it holds short titles that differ row by row, those are
the names, the grouping column is each project's field (and a heading column left of it their pillar), and that
is said (``name-column-regrouped``). Before, every project was named after its group, with only warnings."""

from __future__ import annotations

import io

from openpyxl import Workbook

from renkei.ingest import read_bytes
from renkei.ingest.report import Report, check_reading

TOWNS = ("津山市", "玉野市", "総社市", "備前市")
# (pillar, group, number, name, marks): two levels of headings over the projects, as 岡山's list has them.
ROWS = [
    ("圏域全体の経済成長のけん引", "産業振興", 1, "創業支援事業", "○○－－"),
    ("圏域全体の経済成長のけん引", "産業振興", 2, "企業誘致の共同推進", "－○○○"),
    ("圏域全体の経済成長のけん引", "観光振興", 3, "広域観光の推進", "○－○－"),
    ("圏域全体の経済成長のけん引", "観光振興", 4, "インバウンド誘客", "○○－○"),
    ("圏域全体の生活関連機能サービスの向上", "福祉", 5, "病児保育の広域利用", "○－○○"),
    ("圏域全体の生活関連機能サービスの向上", "福祉", 6, "成年後見センターの共同運営", "○－○－"),
]
HEADER = ("政策分野", "取組項目", "No.", "具体的取組", *TOWNS, "連携市町数")


def marks(text: str) -> list[str]:
    return ["○" if m == "○" else "" for m in text]


def workbook(merged: bool) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(list(HEADER))
    for pillar, group, number, name, marked in ROWS:
        sheet.append([pillar, group, number, name, *marks(marked), marked.count("○")])
    if merged:  # each group's and each pillar's cell merged down its projects, as the workbook draws them
        for column in (1, 2):
            start = 2
            values = [r[column - 1] for r in ROWS]
            for i in range(1, len(values) + 1):
                if i == len(values) or values[i] != values[start - 2]:
                    if i + 1 > start:
                        sheet.merge_cells(start_row=start, end_row=i + 1, start_column=column, end_column=column)
                    start = i + 2
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def csv_bytes() -> bytes:
    lines = [",".join(HEADER)]
    for pillar, group, number, name, marked in ROWS:
        lines.append(",".join([pillar, group, str(number), name, *marks(marked), str(marked.count("○"))]))
    return "\n".join(lines).encode("utf-8")


def read(data: bytes, name: str, name_column: str | None = None) -> Report:
    return check_reading(read_bytes(data, name, name_column=name_column))


def assert_read_right(report: Report) -> None:
    got = [
        (p.number, p.name, p.field and p.field.title, p.pillar and p.pillar.title, sorted(p.participants))
        for p in report.reading.vision.projects
    ]
    want = [
        (n, name, group, pillar, sorted(t for t, m in zip(TOWNS, marks(marked), strict=True) if m))
        for pillar, group, n, name, marked in ROWS
    ]
    assert got == want
    codes = [f.code for f in report.findings]
    assert codes.count("name-column-regrouped") == 1
    assert "project-duplicate" not in codes
    assert not [f for f in report.findings if f.severity.value == "error"]


def test_a_merged_group_column_under_a_names_word_gives_fields_and_the_titles_give_names() -> None:
    assert_read_right(read(workbook(merged=True), "list.xlsx"))


def test_the_group_written_again_on_each_row_is_read_so_too() -> None:
    assert_read_right(read(workbook(merged=False), "list.xlsx"))
    assert_read_right(read(csv_bytes(), "list.csv"))


def test_a_persons_choice_of_the_name_column_stands() -> None:
    report = read(csv_bytes(), "list.csv", name_column="取組項目")
    assert [p.name for p in report.reading.vision.projects] == [r[1] for r in ROWS]
    assert "name-column-regrouped" not in [f.code for f in report.findings]


def test_a_names_column_with_one_name_written_twice_stays_the_names() -> None:
    rows = [("番号", "事業名", "担当課", *TOWNS, "連携市町数")]
    names = ["創業支援", "企業誘致", "広域観光", "創業支援", "病児保育", "成年後見"]
    for n, name in enumerate(names, start=1):
        rows.append((str(n), name, f"{n}課", "○", "○", "", "", "2"))
    report = read("\n".join(",".join(r) for r in rows).encode("utf-8"), "list.csv")
    assert [p.name for p in report.reading.vision.projects] == names
    assert "name-column-regrouped" not in [f.code for f in report.findings]
