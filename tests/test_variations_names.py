"""Variations of real cooperation tables (domain.md, "Variations to expect in other spheres' tables"):
municipality names in headers, and a message and hint for every finding code."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pytest

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
