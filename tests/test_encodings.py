"""The encodings Japanese tables arrive in, detected without being told: UTF-8 (with or without BOM), CP932 (what
Excel writes), UTF-16 with its BOM (Excel's 「Unicode テキスト」), and EUC-JP (an old Unix system's export or web
page), each read the same and said (``encoding-detected``) where it is not UTF-8. EUC-JP was read as something else
by the last guess, and the table was not found.

The table is 鳥取中部's, written here; each encoding of it must read as the UTF-8 one does."""

from __future__ import annotations

import pytest

from renkei.ingest import read_bytes
from renkei.ingest.report import check_reading

TOWNS = ("倉吉市", "三朝町", "湯梨浜町", "琴浦町", "北栄町")
ROWS = [
    ("1", "救急医療体制の確保", "xxxxx"),
    ("2", "広域観光の推進", "x-xx-"),
    ("3", "図書館の相互利用（鳥取中部）", "xx--x"),
]


def text(newline: str = "\n") -> str:
    lines = [
        "鳥取中部ふるさと広域連携定住自立圏（中心市：倉吉市）",
        "\t".join(("番号", "事業名", *TOWNS, "連携市町数")),
    ]
    lines += [
        "\t".join((n, name, *("○" if m == "x" else "" for m in marks), str(marks.count("x"))))
        for n, name, marks in ROWS
    ]
    return newline.join(lines) + newline


def reading(data: bytes) -> tuple[list[tuple[int, str, list[str]]], list[str], str | None]:
    report = check_reading(read_bytes(data, "table.txt"))
    projects = [(p.number, p.name, list(p.participants)) for p in report.reading.vision.projects]
    detected = next((f.params["encoding"] for f in report.findings if f.code == "encoding-detected"), None)
    return projects, [f.code for f in report.findings if f.severity.value == "error"], detected


@pytest.mark.parametrize(
    ("encoding", "newline", "said"),
    [("utf-8-sig", "\n", None), ("cp932", "\r\n", "cp932"), ("utf-16", "\r\n", "utf-16"), ("euc_jp", "\n", "euc_jp")],
)
def test_each_encoding_reads_as_utf8_does(encoding: str, newline: str, said: str | None) -> None:
    expected, errors, _ = reading(text().encode("utf-8"))
    assert errors == [] and len(expected) == len(ROWS)
    projects, errors, detected = reading(text(newline).encode(encoding))
    assert projects == expected
    assert errors == []
    assert detected == said
