"""Members lines that name the roles before the towns, and counts by kind written in a participants cell: read
as membership and as a count, never as a municipality."""

from __future__ import annotations

import pytest

from renkei.ingest import participants, read_bytes
from renkei.ingest.members import split_label
from renkei.ingest.report import check_reading

# 八戸圏域連携中枢都市圏's central city and four of its towns (a real sphere; names resolved by the national list).
CENTRAL, TOWNS = "八戸市", ["三戸町", "五戸町", "田子町", "南部町"]


@pytest.mark.parametrize(
    "line",
    [
        f"中心市：{CENTRAL}　連携市町村：{'、'.join(TOWNS)}",
        f"連携中枢都市：{CENTRAL}／連携市町村：{'・'.join(TOWNS)}",
        f"連携市町村：{'、'.join(TOWNS)}　中心市：{CENTRAL}",
        f"【中心市】{CENTRAL}　【連携町】{' '.join(TOWNS)}",
        f"中心市:{CENTRAL};連携町村:{','.join(TOWNS)}",
    ],
)
def test_roles_before_the_names(line: str) -> None:
    names = participants.members_line(line)
    assert names is not None
    assert sorted(split_label(n).name for n in names) == sorted([CENTRAL, *TOWNS])
    assert [split_label(n).name for n in names if split_label(n).central] == [CENTRAL]
    data = "\n".join(
        [
            line,
            "番号\t事業名\t事業内容\t連携市町村",
            f"1\t救急医療体制の確保\t救急医療体制を確保する。\t{CENTRAL}、{TOWNS[0]}",
            "2\t地域公共交通の充実\t路線バスを維持する。\t全市町",
        ]
    ).encode()
    report = check_reading(read_bytes(data, "t.txt"))
    vision = report.reading.vision
    assert {m.name for m in vision.municipalities} == {CENTRAL, *TOWNS}
    assert [m.name for m in vision.municipalities if m.central] == [CENTRAL]
    assert vision.sphere.central_city is not None and vision.sphere.central_city.name == CENTRAL
    assert len(vision.projects[1].participants) == 5
    assert report.ok, [f.code for f in report.findings]


def test_a_line_of_other_labels_is_no_members_line() -> None:
    # The words after the labels are no municipalities: the layout does not take the line for members.
    data = "\n".join(
        ["ア：医療　イ：福祉", "番号\t事業名\t事業内容\t連携市町村", f"1\t救急医療\t確保する。\t{CENTRAL}、{TOWNS[0]}"]
    ).encode()
    vision = read_bytes(data, "t.txt").vision
    assert [m.name for m in vision.municipalities] == [CENTRAL, TOWNS[0]]


def table(cells: list[str]) -> bytes:
    lines = [f"構成市町村：{'、'.join([CENTRAL, *TOWNS])}", "番号\t事業名\t事業内容\t連携市町村"]
    lines += [f"{i}\t事業{i}\t内容{i}を行う。\t{cell}" for i, cell in enumerate(cells, start=1)]
    return "\n".join(lines).encode()


def test_counts_by_kind_in_a_participants_cell_are_counts() -> None:
    data = table(
        [
            f"{CENTRAL}、{TOWNS[0]}（1市1町）",
            "全市町（1市4町）",
            f"{TOWNS[0]}・{TOWNS[1]}　2町",
            f"{CENTRAL}、{TOWNS[2]}、{TOWNS[3]} 3市町",
        ]
    )
    report = check_reading(read_bytes(data, "t.txt"))
    vision = report.reading.vision
    assert [m.name for m in vision.municipalities] == [CENTRAL, *TOWNS]
    assert [p.declared_count for p in vision.projects] == [2, 5, 2, 3]
    assert [p.count for p in vision.projects] == [2, 5, 2, 3]
    assert report.ok, [(f.code, f.params) for f in report.findings]


def test_a_wrong_count_by_kind_is_an_error_at_its_cell() -> None:
    report = check_reading(read_bytes(table([f"{CENTRAL}、{TOWNS[0]}（2町）", f"{TOWNS[0]} 3市町"]), "t.txt"))
    wrong = [f for f in report.findings if f.code == "count-kinds-mismatch"]
    assert sorted((f.params["number"], f.location.line) for f in wrong) == [(1, 3), (2, 4)]  # type: ignore[union-attr]
    assert all(f.params["declared"] != "" for f in wrong)
    assert not any(f.code == "municipality-unknown" for f in report.findings)
