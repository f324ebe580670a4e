"""Participants written in one cell, joined as Japanese joins a list: 及び, 並びに, and と where the names on each side
are municipalities' (ときがわ町 stays whole); and a town with its others by number (鳥取市ほか4町, 八戸市外7町村),
which are the members left where exactly so many are (``others-by-count``), and said unresolved where not.

Tables of several spheres in text, CSV (CP932) and XLSX; what each should yield is worked out here."""

from __future__ import annotations

import io

from openpyxl import Workbook

from renkei.ingest import read_bytes
from renkei.ingest.report import Report, check_reading

INABA = ["鳥取市", "岩美町", "若桜町", "智頭町", "八頭町"]
HACHINOHE = ["八戸市", "三戸町", "五戸町", "田子町", "南部町", "階上町", "新郷村", "おいらせ町"]
HIKI = ["東松山市", "ときがわ町", "小川町", "嵐山町"]  # 比企: a name with と in it


def read(data: bytes, name: str) -> Report:
    return check_reading(read_bytes(data, name))


def table(members: list[str], rows: list[tuple[str, str, str, int]], delimiter: str = "\t") -> str:
    lines = ["構成市町村：" + "、".join(members), delimiter.join(("番号", "事業名", "連携市町村", "連携市町村数"))]
    lines += [delimiter.join((number, name, named, str(count))) for number, name, named, count in rows]
    return "\n".join(lines) + "\n"


def errors(report: Report) -> list[str]:
    return [f.code for f in report.findings if f.severity.value == "error"]


def test_names_joined_by_conjunctions() -> None:
    rows = [
        ("1", "図書館の相互利用", "鳥取市、智頭町及び八頭町", 3),
        ("2", "救急医療の確保", "鳥取市と岩美町", 2),
        ("3", "広域観光の推進", "鳥取市、若桜町並びに八頭町", 3),
    ]
    report = read(table(INABA, rows).encode("utf-8"), "inaba.txt")
    assert [list(p.participants) for p in report.reading.vision.projects] == [
        ["鳥取市", "智頭町", "八頭町"],
        ["鳥取市", "岩美町"],
        ["鳥取市", "若桜町", "八頭町"],
    ]
    assert errors(report) == [] and "participant-not-member" not in [f.code for f in report.findings]


def test_a_name_with_to_in_it_stays_whole() -> None:
    rows = [
        ("1", "観光振興", "ときがわ町", 1),
        ("2", "救急医療", "東松山市とときがわ町", 2),
        ("3", "消防", "小川町と嵐山町", 2),
    ]
    report = read(table(HIKI, rows).encode("utf-8"), "hiki.txt")
    assert [list(p.participants) for p in report.reading.vision.projects] == [
        ["ときがわ町"],
        ["東松山市", "ときがわ町"],
        ["小川町", "嵐山町"],
    ]
    assert errors(report) == []


def test_a_town_and_its_others_by_number() -> None:
    rows = [
        ("1", "救急医療", "八戸市外7町村", 8),
        ("2", "観光", "八戸市、三戸町", 2),
        ("3", "交通", "三戸町ほか2町", 3),
    ]
    report = read(table(HACHINOHE, rows, ",").encode("cp932"), "hachinohe.csv")
    vision = report.reading.vision
    assert list(vision.projects[0].participants) == HACHINOHE
    said = [f for f in report.findings if f.code == "others-by-count"]
    assert len(said) == 1 and said[0].params["names"] == "、".join(HACHINOHE[1:])
    # 三戸町ほか2町: six towns are left, not two: which two cannot be told, and it is said.
    assert "others-unresolved" in [f.code for f in report.findings]
    assert list(vision.projects[2].participants) == ["三戸町"]
    assert "count-mismatch" in errors(report)  # the count then says the marks are short


def test_a_workbooks_others_by_number() -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["構成市町：" + "、".join(INABA)])
    sheet.append(["番号", "事業名", "連携市町", "連携市町数"])
    sheet.append([1, "図書館の相互利用", "鳥取市他4町", 5])
    sheet.append([2, "救急医療", "鳥取市及び岩美町", 2])
    buffer = io.BytesIO()
    book.save(buffer)
    report = read(buffer.getvalue(), "inaba.xlsx")
    assert [list(p.participants) for p in report.reading.vision.projects] == [INABA, ["鳥取市", "岩美町"]]
    assert errors(report) == []


def test_a_column_of_names_under_other_words_is_the_participants() -> None:
    # 実施主体 (a header no list reads as the participants') and 取組市町 (read as a town's name that is none).
    for header, members, rows in (
        ("実施主体", INABA, [("1", "図書館の相互利用", "鳥取市、岩美町", 2), ("2", "救急医療", "全市町", 5)]),
        ("取組市町", HIKI, [("1", "観光振興", "東松山市、小川町", 2), ("2", "消防", "ときがわ町、嵐山町", 2)]),
    ):
        text = table(members, rows).replace("連携市町村\t", f"{header}\t", 1)
        report = read(text.encode("utf-8"), "table.txt")
        assert [len(p.participants) for p in report.reading.vision.projects] == [r[3] for r in rows], header
        assert errors(report) == [], header
        assert "participants-column-inferred" in [f.code for f in report.findings], header


def test_a_workbooks_column_of_names_under_other_words() -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["構成市町村：" + "、".join(HACHINOHE)])
    sheet.append(["番号", "事業名", "関係団体", "団体数"])
    sheet.append([1, "救急医療", "八戸市、三戸町、五戸町", 3])
    sheet.append([2, "観光", "全構成市町村", 8])
    buffer = io.BytesIO()
    book.save(buffer)
    report = read(buffer.getvalue(), "hachinohe.xlsx")
    assert [list(p.participants) for p in report.reading.vision.projects] == [HACHINOHE[:3], HACHINOHE]
    assert errors(report) == []


def test_names_and_their_others_by_number() -> None:
    rows = [("1", "救急医療", "八戸市、三戸町ほか6町村", 8), ("2", "観光", "八戸市・五戸町外1町", 3)]
    report = read(table(HACHINOHE, rows).encode("utf-8"), "hachinohe.txt")
    # 五戸町外1町: the towns left are five, not one: unresolved, and the count then finds the marks short.
    assert [list(p.participants) for p in report.reading.vision.projects] == [HACHINOHE, ["八戸市", "五戸町"]]
    assert [f.code for f in report.findings if f.code.startswith("others")] == ["others-by-count", "others-unresolved"]
