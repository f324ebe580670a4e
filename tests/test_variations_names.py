"""Variations of real cooperation tables (domain.md, "Variations to expect in other spheres' tables"):
municipality names in headers, and a message and hint for every finding code."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pytest

from renkei.ingest import read_bytes
from renkei.ingest.report import check_reading
from renkei.vision.model import Location, Severity, Sphere
from variations_support import TOWNS, codes, project, read, row, the, tsv

# Municipality names in headers -------------------------------------------------------------------------------


def names_table(towns: Sequence[str]) -> bytes:
    return tsv(("項目", "事業内容", *towns, "連携町数"), row("1", "事業", ["○"] * len(towns)))


def test_codes_of_the_seed_towns_pass_their_check_digit() -> None:
    from renkei.places.municipalities import is_valid_code

    vision = read(names_table(TOWNS)).reading.vision
    assert [m.code for m in vision.municipalities] == ["014524", "014532", "014541"]
    assert all(m.code is not None and is_valid_code(m.code) for m in vision.municipalities)


def test_ambiguous_name_resolved_by_the_given_prefecture() -> None:
    report = read(names_table(["池田町", "松川町"]), sphere=Sphere(prefecture="長野県"))
    assert [m.code for m in report.reading.vision.municipalities] == ["204811", "204021"]
    assert the(report, "municipality-by-prefecture").params["prefecture"] == "長野県"


def test_ambiguous_name_resolved_by_the_other_members() -> None:
    report = read(names_table(["本別町", "池田町", "足寄町"]))
    vision = report.reading.vision
    assert vision.municipalities[1].code == "016446"
    assert vision.sphere.prefecture == "北海道"
    assert "municipality-ambiguous" not in codes(report)


def test_ambiguous_name_alone_is_a_warning() -> None:
    report = read(names_table(["池田町", "森町"]))
    warnings = [f for f in report.findings if f.code == "municipality-ambiguous"]
    assert [f.params["name"] for f in warnings] == ["池田町", "森町"]
    assert all(f.severity is Severity.WARNING for f in warnings)
    assert warnings[0].location == Location(line=1, column=3)
    assert [m.code for m in report.reading.vision.municipalities] == [None, None]
    assert project(report, 1).count == 2


@pytest.mark.parametrize("written", ["北海道鷹栖町", "上川郡鷹栖町", "北海道上川郡鷹栖町", "鷹栖町"])
def test_name_with_prefecture_or_district_in_front(written: str) -> None:
    report = read(names_table([written, "東神楽町"]))
    first = report.reading.vision.municipalities[0]
    assert (first.name, first.code, first.label) == ("鷹栖町", "014524", written)
    assert list(project(report, 1).participants) == ["鷹栖町", "東神楽町"]


def test_unknown_name_is_a_warning_not_a_crash() -> None:
    report = read(names_table(["鷹栖町", "架空町"]))
    finding = the(report, "municipality-unknown")
    assert finding.severity is Severity.WARNING
    assert finding.location == Location(line=1, column=4)
    assert [m.code for m in report.reading.vision.municipalities] == ["014524", None]
    assert list(project(report, 1).participants) == ["鷹栖町", "架空町"]
    assert report.to_dict()["municipalities"][1]["code"] is None


@pytest.mark.parametrize(
    ("written", "official", "code"),
    [("鶴ケ島市", "鶴ヶ島市", "112411"), ("龍ヶ崎市", "龍ケ崎市", "082082"), ("茅ケ崎市", "茅ヶ崎市", "142077")],
)
def test_small_ke_variants_match(written: str, official: str, code: str) -> None:
    vision = read(names_table([written, "川越市"])).reading.vision
    assert (vision.municipalities[0].name, vision.municipalities[0].code) == (official, code)


# Messages ----------------------------------------------------------------------------------------------------


def finding_codes() -> list[str]:
    """Every finding code that ingest and the checks can make, found in their source."""
    import re

    import renkei

    root = Path(renkei.__file__).parent
    sources = [*(root / "ingest").glob("*.py"), root / "vision" / "checks.py"]
    pattern = re.compile(r'Severity\.[A-Z]+,\s*"([a-z-]+)"')
    return sorted({code for path in sources for code in pattern.findall(path.read_text(encoding="utf-8"))})


def test_finding_codes_are_found() -> None:
    assert {"unknown-mark", "header-mismatch", "label-repaired", "row-continued", "municipality-unknown"} <= set(
        finding_codes()
    )


@pytest.mark.parametrize("code", finding_codes())
def test_every_finding_code_has_a_message_and_hint_in_both_catalogues(code: str) -> None:
    from renkei.core.messages import catalogue

    for lang in ("ja", "en"):
        assert f"finding.{code}" in catalogue(lang), (lang, code)
        assert f"hint.{code}" in catalogue(lang), (lang, code)


def test_town_names_written_without_their_kind_are_read_where_marks_stand_under_them() -> None:
    """A dense table may head its columns 大仙 | 仙北 | 美郷: columns of marks under a municipality's name without its
    市, 町 or 村 are those municipalities' (美郷 decided by the prefecture the others share), the header's spelling
    kept as the label; a column of marks under another word (新規) stays the document's."""
    rows = [
        ("番号", "事業名", "大仙", "仙北", "美郷", "新規", "計"),
        ("1", "病院事業", "○", "○", "", "○", "2"),
        ("2", "救急事業", "○", "", "○", "", "2"),
        ("合計", "", "2", "1", "1", "", "4"),
    ]
    report = check_reading(read_bytes(tsv(*rows), "stems.txt"))
    vision = report.reading.vision
    assert [(m.name, m.code, m.display) for m in vision.municipalities] == [
        ("大仙市", "052124", "大仙"),
        ("仙北市", "052159", "仙北"),
        ("美郷町", "054348", "美郷"),
    ]
    assert [(list(p.participants), p.declared_count, p.attributes) for p in vision.projects] == [
        (["大仙市", "仙北市"], 2, {"新規": "○"}),
        (["大仙市", "美郷町"], 2, {}),
    ]
    stems = [
        (f.params["name"], f.params["official"], f.severity) for f in report.findings if f.code == "municipality-stem"
    ]
    assert stems == [
        ("大仙", "大仙市", Severity.INFO),
        ("仙北", "仙北市", Severity.INFO),
        ("美郷", "美郷町", Severity.INFO),
    ]
    assert [f.code for f in report.findings if f.severity is not Severity.INFO] == []


def test_a_stem_over_words_is_no_town() -> None:
    text = "番号\t事業名\t大仙市\t仙北市\t中央\t連携町数\n1\t病院事業\t○\t○\t本庁で実施\t2\n"
    vision = check_reading(read_bytes(text.encode("utf-8"), "words.txt")).reading.vision
    assert [m.name for m in vision.municipalities] == ["大仙市", "仙北市"]
    assert vision.projects[0].attributes == {"中央": "本庁で実施"}


def test_a_town_without_its_kind_is_told_by_marks_with_notes_too() -> None:
    rows = [
        ("番号", "事業名", "大仙", "仙北", "計"),
        ("1", "病院事業", "○※1", "○", "2"),
        ("2", "救急事業", "○", "", "1"),
    ]
    vision = check_reading(read_bytes(tsv(*rows), "stems.txt")).reading.vision
    assert [list(p.participants) for p in vision.projects] == [["大仙市", "仙北市"], ["大仙市"]]
