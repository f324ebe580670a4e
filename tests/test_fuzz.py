"""Hostile and broken input: every reader ends in a Reading or a read error, never in an exception, a hang or
a gigabyte; each limit is named when it refuses; the failures that scripts/fuzz.py found stay fixed.

The long run is ``scripts/fuzz.py --minutes N`` (docs/reliability.md); here a few hundred cases with a fixed
seed, every hostile file built on purpose, and the regression files replayed through the command line.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings

from clirun import run
from fuzzing import Case, cases, hostile, outcome
from renkei.ingest import Limits, TableReadError, read_bytes
from renkei.vision.model import Project, Vision

REGRESSIONS = Path(__file__).parent / "fuzz_regressions"


@settings(
    max_examples=300,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(cases())
def test_every_reader_gives_a_reading_or_a_read_error(case: Case) -> None:
    outcome(case)


@pytest.mark.parametrize("case", hostile(), ids=lambda c: c.origin)
def test_hostile_files_end_quickly_in_a_reading_or_a_read_error(case: Case) -> None:
    outcome(case)


def _regressions() -> list[Path]:
    return sorted(p for p in REGRESSIONS.glob("*") if p.suffix != ".json" and p.name != "README.md")


def _case(path: Path) -> Case:
    meta = path.with_suffix(path.suffix + ".json")
    encoding = json.loads(meta.read_text(encoding="utf-8")).get("encoding") if meta.exists() else None
    return Case(path.read_bytes(), encoding, path.suffix.lstrip("."))


@pytest.mark.parametrize("path", _regressions(), ids=lambda p: p.name)
def test_a_fuzz_regression_is_read_or_refused_by_the_command(path: Path) -> None:
    case = _case(path)
    outcome(case)
    options = ["--encoding", case.encoding] if case.encoding is not None else []
    result = run("check", path, "--json", *options)
    assert result.returncode in (0, 1, 2), result.stderr
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr, result.stderr


# Each limit refuses by name ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("origin", "limit"),
    [
        ("xlsx:zip-bomb", "max_ratio"),
        ("xlsx:far-away-cell", "max_rows"),
        ("xlsx:huge-merge", "max_rows"),
        ("xlsx:many-merges", "max_merged_cells"),
        ("json:nested", "max_json_depth"),
        ("json:huge-list", "max_json_items"),
        ("txt:many-columns", "max_columns"),
    ],
)
def test_the_command_names_the_limit_a_hostile_file_exceeds(origin: str, limit: str, tmp_path: Path) -> None:
    (case,) = [c for c in hostile() if c.origin == origin]
    path = tmp_path / f"hostile.{case.suffix()}"
    path.write_bytes(case.data)
    result = run("--lang", "en", "check", path)
    assert result.returncode == 2
    assert limit in result.stderr and "Traceback" not in result.stderr


def test_a_file_over_the_size_limit_is_refused_before_it_is_read(tmp_path: Path) -> None:
    limits = Limits(max_bytes=1000)
    with pytest.raises(TableReadError) as error:
        read_bytes(b"x\ty\n" * 1000, limits=limits)
    assert error.value.params == {"limit": "max_bytes", "value": 4000, "allowed": 1000}


def test_a_reading_over_its_time_is_refused(seed_bytes: bytes) -> None:
    slow = seed_bytes * 400  # the seed's blocks over and over: a read of seconds, not a hang
    with pytest.raises(TableReadError) as error:
        read_bytes(slow, limits=Limits(max_seconds=0.05))
    assert error.value.params["limit"] == "max_seconds"


@pytest.mark.parametrize(
    ("encoding", "code"),
    [
        ("hex", "encoding-not-text"),
        ("rot13", "encoding-not-text"),
        ("no-such", "unknown-encoding"),
        ("utf-8\x00", "unknown-encoding"),
    ],
)
def test_only_text_encodings_are_accepted(seed_bytes: bytes, encoding: str, code: str) -> None:
    with pytest.raises(TableReadError) as error:
        read_bytes(seed_bytes, encoding=encoding)
    assert error.value.code == code


def test_the_command_refuses_a_codec_that_is_not_a_text_encoding(seed_path: Path) -> None:
    result = run("--lang", "en", "check", seed_path, "--encoding", "base64")
    assert result.returncode == 2
    assert "'base64' is not a text encoding" in result.stderr


# Numbers beyond what a table means or the database holds -----------------------------------------------------


@pytest.mark.parametrize(("origin", "code"), [("txt:number-10e9", "project-number-beyond-limit"),
                                              ("txt:count-2e64", "number-too-long"),
                                              ("txt:5000-digits", "number-too-long"),
                                              ("json:number-10e30", "project-number-beyond-limit")])  # fmt: skip
def test_a_number_beyond_the_limits_is_an_error_finding(origin: str, code: str, tmp_path: Path) -> None:
    (case,) = [c for c in hostile() if c.origin == origin]
    path = tmp_path / f"numbers.{case.suffix()}"
    path.write_bytes(case.data)
    result = run("check", path, "--json")
    assert result.returncode == 1, result.stderr
    report = json.loads(result.stdout)
    assert code in {f["code"] for f in report["findings"] if f["severity"] == "error"}
    assert all(0 <= p["number"] <= Limits().max_project_number for p in report["projects"])


def test_missing_numbers_of_a_far_number_are_ranges_not_a_list_of_millions() -> None:
    vision = Vision(projects=[Project(n, f"事業{n}") for n in (11, 12, 17, 999_999)])
    assert vision.missing_ranges() == [(1, 10), (13, 16), (18, 999_998)]
    assert vision.missing_count() == 10 + 4 + (999_998 - 17)
    listed = vision.missing_numbers()
    assert len(listed) == 10_000 and listed[:12] == [*range(1, 11), 13, 14]
