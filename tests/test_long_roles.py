"""The long form's roles: 主体, 代表, 幹事, ◎ lead; 参加, 連携, 協力, ○ take part; 不参加, －, なし do not; a role in
other words takes part and is said (``long-role-unknown``), never silently read as a member."""

from __future__ import annotations

import pytest

from renkei.ingest import read_bytes
from renkei.ingest.report import Report, check_reading
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
