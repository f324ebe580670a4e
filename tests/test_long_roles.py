"""The long form's roles: 主体, 代表, 幹事, ◎ lead; 参加, 連携, 協力, ○ take part; 不参加, －, なし do not; a role in
other words takes part and is said (``long-role-unknown``), never silently read as a member."""

from __future__ import annotations

import pytest

from renkei.ingest import read_bytes
from renkei.ingest.report import Report, check_reading
from renkei.places.municipalities import Registry
from renkei.vision.model import Role

TOWNS = ("山口市", "宇部市", "津和野町")


def read(roles: tuple[str, str, str]) -> Report:
    rows = ["事業番号,事業名,市町村名,役割"]
    rows += [f"1,県央観光の推進,{town},{role}" for town, role in zip(TOWNS, roles, strict=True)]
    rows += ["2,高次医療の連携,山口市,参加"]
    return check_reading(read_bytes("\n".join(rows).encode("utf-8"), "long.csv"))


@pytest.mark.parametrize("lead", ["主体", "代表", "幹事", "◎", "主導"])
def test_a_lead_in_any_of_its_words_is_the_lead(lead: str) -> None:
    report = read((lead, "参加", "協力"))
    assert report.reading.vision.projects[0].participants == {
        "山口市": Role.LEAD,
        "宇部市": Role.MEMBER,
        "津和野町": Role.MEMBER,
    }
    assert "long-role-unknown" not in [f.code for f in report.findings]


def test_a_town_that_does_not_take_part_is_left_out() -> None:
    report = read(("主体", "不参加", "参加"))
    assert set(report.reading.vision.projects[0].participants) == {"山口市", "津和野町"}


def test_a_role_in_other_words_takes_part_and_is_said_at_its_cell() -> None:
    report = read(("主体", "支援", "参加"))
    assert report.reading.vision.projects[0].participants["宇部市"] is Role.MEMBER
    said = [f for f in report.findings if f.code == "long-role-unknown"]
    assert len(said) == 1 and said[0].params["role"] == "支援"
    assert said[0].location is not None and (said[0].location.line, said[0].location.column) == (3, 4)


def test_open_datas_one_and_zero_flags_and_its_two_heading_columns() -> None:
    """The long form as open data writes it (南砺 and its neighbours: 砺波市, 南砺市, 小矢部市): 参加 as 1 or 0, a
    row for every pair; 政策分野 and 分野 both headed as fields. 1 takes part and 0 does not, neither said; the
    column whose titles group the other's is the pillar (its own wording, not the guidelines'), and the
    municipality's name column is read, not skipped."""
    registry = Registry.default()
    towns = {registry.resolve(name, "富山県").entry.code: name for name in ("砺波市", "小矢部市", "南砺市")}  # type: ignore[union-attr]
    projects = (
        (1, "救急医療の連携", "安心のくらし", "医療", "110"),
        (2, "子育て支援の連携", "安心のくらし", "子育て", "011"),
        (3, "広域観光の推進", "にぎわいの創出", "観光", "111"),
    )
    rows = ["全国地方公共団体コード,地方公共団体名,事業番号,事業名,政策分野,分野,参加"]
    for number, name, pillar, heading, flags in projects:
        for (code, town), flag in zip(towns.items(), flags, strict=True):
            rows.append(f"{code},{town},{number},{name},{pillar},{heading},{flag}")
    report = check_reading(read_bytes("\n".join(rows).encode("utf-8"), "open.csv"))
    vision = report.reading.vision
    for project, (_, _, pillar, heading, flags) in zip(vision.projects, projects, strict=True):
        assert project.pillar is not None and project.pillar.title == pillar
        assert project.field is not None and project.field.title == heading
        assert list(project.participants) == [t for t, f in zip(towns.values(), flags, strict=True) if f == "1"]
    assert [f.code for f in report.findings if f.code.startswith("long-")] == []


@pytest.mark.parametrize("town_codes", [True, False], ids=["town-codes", "names-only"])
def test_the_publishers_code_on_every_row_is_not_the_towns(town_codes: bool) -> None:
    """Open data's recommended layout opens each row with the publisher's code (全国地方公共団体コード: 長野市's
    on every row of 長野地域's file) and gives each town's own in 構成市町村コード, or its name alone; the sphere's
    name repeated in 圏域名. The towns are the rows' towns, the publisher's code is a column skipped (said), and
    the sphere's name is the table's. Before, every row was 長野市 by its code, the names said to differ."""
    registry = Registry.default()
    towns = ["長野市", "須坂市", "千曲市", "小布施町"]
    code = {t: registry.resolve(t, "長野県").entry.code for t in towns}  # type: ignore[union-attr]
    rows = [("1", "地域医療の確保", "長野市", "主体"), ("1", "地域医療の確保", "須坂市", "連携")]
    second = (("千曲市", "連携"), ("小布施町", "連携"), ("長野市", "主体"))
    rows += [("2", "移住促進", town, role) for town, role in second]
    codes = "構成市町村コード," if town_codes else ""
    head = f"全国地方公共団体コード,圏域名,事業番号,事業名,{codes}構成市町村名,参加区分"
    lines = [head] + [
        ",".join([code["長野市"], "長野地域連携中枢都市圏", n, name, *([code[t]] if town_codes else []), t, role])
        for n, name, t, role in rows
    ]
    report = check_reading(read_bytes("\n".join(lines).encode("utf-8"), "open.csv"))
    vision = report.reading.vision
    assert [list(p.participants) for p in vision.projects] == [["長野市", "須坂市"], ["長野市", "千曲市", "小布施町"]]
    assert vision.projects[0].participants["長野市"] is Role.LEAD
    assert vision.sphere.name == "長野地域連携中枢都市圏"
    said = {f.code: f.params for f in report.findings}
    assert "long-code-name-differ" not in said
    assert said["long-columns-skipped"] == {"columns": "全国地方公共団体コード"}
