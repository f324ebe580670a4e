"""The seed table read through the library and through ``renkei check``: every fact a user would check.

Every expected value comes from ``facts`` (tests/seedfacts.py), a plain string reading of the seed file that
shares no code with renkei; nothing about the seed is pasted here.
"""

from __future__ import annotations

import unicodedata
from pathlib import Path
from typing import Any

import pytest

from clirun import check_json, run, without
from renkei.core.sample import sample_bytes
from renkei.ingest import Reading, read_path, read_sample
from renkei.ingest.report import Report, check_reading
from renkei.places.municipalities import Registry, is_valid_code
from renkei.vision.guidelines import PILLARS
from renkei.vision.model import Severity, SphereKind
from seedfacts import SeedFacts

ROOT = Path(__file__).resolve().parents[1]
SHARED_SEED = ROOT.parent / "shared" / "seeds" / "000_b04363f4c5aa68b9.txt"
PACKAGED_SEED = ROOT / "src" / "renkei" / "data" / "sample.txt"

KANJI_KO = "\u5de5"  # 工, what the PDF copy has where the katakana エ was meant
KATAKANA_E = "\u30a8"  # エ


def _is_pillar_heading(text: str) -> bool:
    return unicodedata.name(text[0], "").startswith("CIRCLED DIGIT")


def expected_headings(facts: SeedFacts) -> dict[int, tuple[str, str]]:
    """(pillar, field) of every row by number, from the heading lines above it in the file.

    The first heading is the field 工 産業振興 with the kanji, reported as エ 産業振興; it has no pillar heading
    above it, so its pillar is the one whose national wording names that field.
    """
    first_line, first_text = facts.headings[0]
    corrected = {first_line: KATAKANA_E + first_text[1:]}
    expected: dict[int, tuple[str, str]] = {}
    for row in facts.rows:
        above = [(line, text) for line, text in facts.headings if line < row.line]
        pillars = [text for _, text in above if _is_pillar_heading(text)]
        field_line, field_text = next(h for h in reversed(above) if not _is_pillar_heading(h[1]))
        field = corrected.get(field_line, field_text)
        if pillars:
            # A pillar heading prints as its label and title with one space (the seed writes ②結びつき…).
            pillar = f"{pillars[-1][0]} {pillars[-1][1:].strip()}"
        else:
            title = field.split(" ", 1)[1]
            matches = [p for p in PILLARS[SphereKind.SETTLEMENT] if any(k in title for k in p.field_keywords)]
            assert len(matches) == 1, f"the national wording places {title} in one pillar"
            pillar = f"{matches[0].label} {matches[0].title}"
        expected[row.number] = (pillar, field)
    return expected


@pytest.fixture(scope="module")
def reading(seed_path: Path) -> Reading:
    return read_path(seed_path)


@pytest.fixture(scope="module")
def report(reading: Reading) -> Report:
    return check_reading(reading)


@pytest.fixture(scope="module")
def library_json(report: Report) -> dict[str, Any]:
    return report.to_dict("ja")


@pytest.fixture(scope="module")
def cli_json(seed_path: Path) -> dict[str, Any]:
    status, data, _ = check_json(seed_path)
    assert status == 0
    return data


@pytest.fixture(params=["library", "cli"])
def result(request: pytest.FixtureRequest) -> dict[str, Any]:
    """The same contract checked twice: the library's report as a dict, and ``renkei check --json``."""
    data: dict[str, Any] = request.getfixturevalue(f"{request.param}_json")
    return data


# The seed's own faults, as the facts show them (so that the tests below test something) -------------------


def test_the_seed_has_the_faults_the_reader_must_cope_with(facts: SeedFacts) -> None:
    assert facts.headings[0][1][0] == KANJI_KO
    assert facts.missing_numbers, "the seed is a fragment"
    assert facts.declared_grand_total == sum(facts.declared_totals)
    assert len(facts.towns) == len(facts.declared_totals)


# Municipalities ---------------------------------------------------------------------------------------------


def test_towns_in_column_order(result: dict[str, Any], facts: SeedFacts) -> None:
    assert [m["name"] for m in result["municipalities"]] == facts.towns


def test_town_codes_are_valid_and_resolved_from_the_national_list(result: dict[str, Any], facts: SeedFacts) -> None:
    registry = Registry.default()
    for town, municipality in zip(facts.towns, result["municipalities"], strict=True):
        code = municipality["code"]
        assert code is not None, town
        assert is_valid_code(code), (town, code)
        resolved = registry.resolve(town).entry
        assert resolved is not None, town
        assert code == resolved.code, town


def test_library_municipalities_carry_prefecture_of_their_code(reading: Reading, facts: SeedFacts) -> None:
    registry = Registry.default()
    for m in reading.vision.municipalities:
        assert m.code is not None
        entry = registry.by_code(m.code)
        assert entry is not None and entry.name == m.name and entry.prefecture == m.prefecture
    assert reading.vision.sphere.prefecture == reading.vision.municipalities[0].prefecture


# Projects ---------------------------------------------------------------------------------------------------


def test_projects_numbers_and_names(result: dict[str, Any], facts: SeedFacts) -> None:
    assert len(result["projects"]) == len(facts.rows)
    assert [p["number"] for p in result["projects"]] == facts.numbers
    assert [p["name"] for p in result["projects"]] == [r.name for r in facts.rows]


def test_projects_participants_in_column_order(result: dict[str, Any], facts: SeedFacts) -> None:
    for project, row in zip(result["projects"], facts.rows, strict=True):
        expected = [town for town, mark in zip(facts.towns, row.marks, strict=True) if mark]
        assert project["participants"] == expected, row.number


def test_first_field_label_is_corrected_to_katakana(result: dict[str, Any], facts: SeedFacts) -> None:
    written = facts.headings[0][1]
    corrected = KATAKANA_E + written[1:]
    first_rows = [r.number for r in facts.rows if r.line > facts.headings[0][0]]
    first = next(p for p in result["projects"] if p["number"] == first_rows[0])
    assert first["field"] == corrected
    assert all(KANJI_KO not in (p["field"] or "") for p in result["projects"])


def test_every_project_has_the_pillar_and_field_of_the_headings_above_it(
    result: dict[str, Any], facts: SeedFacts
) -> None:
    expected = expected_headings(facts)
    got = {p["number"]: (p["pillar"], p["field"]) for p in result["projects"]}
    assert got == expected


def test_declared_counts_equal_the_marks(result: dict[str, Any], facts: SeedFacts) -> None:
    for project, row in zip(result["projects"], facts.rows, strict=True):
        assert project["declared_count"] == row.declared_count, row.number
        assert project["count"] == sum(row.marks), row.number
        assert project["declared_count"] == project["count"], row.number


# Totals -----------------------------------------------------------------------------------------------------


def test_declared_totals_and_grand_total(result: dict[str, Any], facts: SeedFacts) -> None:
    totals = result["totals"]
    assert totals["declared"] == dict(zip(facts.towns, facts.declared_totals, strict=True))
    assert list(totals["declared"]) == facts.towns
    assert totals["declared_grand_total"] == facts.declared_grand_total


def test_present_totals(result: dict[str, Any], facts: SeedFacts) -> None:
    assert result["totals"]["present"] == dict(zip(facts.towns, facts.present_totals, strict=True))


def test_missing_numbers(result: dict[str, Any], facts: SeedFacts) -> None:
    assert result["totals"]["missing_numbers"] == facts.missing_numbers


def test_links_owed_by_the_missing_rows(result: dict[str, Any], facts: SeedFacts) -> None:
    assert result["totals"]["in_missing_rows"] == dict(zip(facts.towns, facts.owed, strict=True))


# Findings ---------------------------------------------------------------------------------------------------


def findings_of(result: dict[str, Any], code: str) -> list[dict[str, Any]]:
    return [f for f in result["findings"] if f["code"] == code]


def test_no_errors(result: dict[str, Any]) -> None:
    errors = [f for f in result["findings"] if f["severity"] == "error"]
    assert errors == []


def test_finding_shape(result: dict[str, Any]) -> None:
    for finding in result["findings"]:
        assert finding["severity"] in {"error", "warning", "info"}
        assert isinstance(finding["code"], str) and finding["code"]
        assert isinstance(finding["message"], str) and finding["message"].strip()
        assert finding["line"] is None or isinstance(finding["line"], int)


def test_label_repair_is_reported_at_the_heading(result: dict[str, Any], facts: SeedFacts) -> None:
    repaired = findings_of(result, "label-repaired")
    assert len(repaired) == 1
    assert repaired[0]["severity"] == "info"
    assert repaired[0]["line"] == facts.headings[0][0]
    assert KANJI_KO in repaired[0]["message"] and KATAKANA_E in repaired[0]["message"]


def test_fragment_all_names_the_town_in_every_missing_row(result: dict[str, Any], facts: SeedFacts) -> None:
    rows = len(facts.missing_numbers)
    in_every = [town for town, owed in zip(facts.towns, facts.owed, strict=True) if owed == rows]
    assert in_every, "the seed proves some town takes part in every missing project"
    found = findings_of(result, "fragment-all")
    assert all(f["severity"] == "info" for f in found)
    named = [f["params"]["municipality"] for f in found]
    assert named == in_every
    for f, town in zip(found, in_every, strict=True):
        assert town in f["message"]
        assert f["line"] == facts.totals_line
    others = set(facts.towns) - set(in_every)
    assert not any(town in f["message"] for f in found for town in others)


def test_no_fragment_contradiction(result: dict[str, Any]) -> None:
    codes = {f["code"] for f in result["findings"]}
    assert not codes & {"fragment-negative", "fragment-overflow", "fragment-grand-impossible", "count-mismatch"}


def test_library_report_is_ok(report: Report) -> None:
    assert report.ok
    assert report.count(Severity.ERROR) == 0


# The CLI and the bundled sample -----------------------------------------------------------------------------


def test_cli_json_equals_library_report(cli_json: dict[str, Any], library_json: dict[str, Any]) -> None:
    assert cli_json == library_json


def test_check_sample_equals_check_of_the_seed_file(cli_json: dict[str, Any]) -> None:
    """``--sample`` reads the same bytes; it only adds the sphere (name, central city) that the seed lacks."""
    status, sample, _ = check_json("--sample")
    assert status == 0
    assert without(sample, "source", "sphere") == without(cli_json, "source", "sphere")
    assert sample["source"]["sha256"] == cli_json["source"]["sha256"]
    seed_sphere, sample_sphere = cli_json["sphere"], sample["sphere"]
    assert seed_sphere["prefecture"] == sample_sphere["prefecture"]
    assert seed_sphere["kind"] == sample_sphere["kind"]
    central = sample_sphere["central_city"]
    assert central is not None and is_valid_code(central["code"])
    assert central["name"] not in [m["name"] for m in cli_json["municipalities"]]
    assert sample_sphere["name"].endswith(sample_sphere["kind"])


def test_check_without_json_exits_zero(seed_path: Path) -> None:
    result = run("check", seed_path)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr


def test_packaged_sample_is_the_seed_byte_for_byte() -> None:
    if not SHARED_SEED.exists():
        pytest.skip("../shared/seeds is not beside this checkout")
    seed = SHARED_SEED.read_bytes()
    assert PACKAGED_SEED.read_bytes() == seed
    assert sample_bytes() == seed
    assert read_sample().source.sha256 == read_path(SHARED_SEED).source.sha256
