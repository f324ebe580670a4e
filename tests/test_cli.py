"""The console command as a user runs it (``python -m renkei …`` in a subprocess): exit status, output, files."""

from __future__ import annotations

import csv
import io
import json
import re
import unicodedata
from pathlib import Path
from typing import Any

import pytest
import typer

from clirun import check_json, run, without
from renkei.cli import app
from renkei.core.messages import t
from renkei.ingest import read_bytes, read_sample
from renkei.render import Renderer, renderers
from seedfacts import SeedFacts

ROOT = Path(__file__).resolve().parents[1]
WIDE = {"COLUMNS": "200"}

CONTRACT_PROJECT_KEYS = {"number", "name", "pillar", "field", "participants", "declared_count", "count"}
CONTRACT_TOTALS_KEYS = {"declared", "declared_grand_total", "present", "missing_numbers", "in_missing_rows"}
CONTRACT_FINDING_KEYS = {"severity", "code", "message", "line"}


def has_kana(text: str) -> bool:
    return any(unicodedata.name(ch, "").startswith(("HIRAGANA", "KATAKANA")) for ch in text)


def no_traceback(result: Any) -> None:
    assert "Traceback" not in result.stderr, result.stderr
    assert "Traceback" not in result.stdout


# check --json: the contract of design.md ---------------------------------------------------------------


def test_check_json_is_one_object_with_the_contract_keys(seed_path: Path, facts: SeedFacts) -> None:
    result = run("check", seed_path, "--json")
    no_traceback(result)
    assert result.returncode == 0
    data = json.loads(result.stdout)  # one JSON document, nothing else on stdout
    assert isinstance(data, dict)

    municipalities = data["municipalities"]
    assert [m["name"] for m in municipalities] == facts.towns
    assert all({"name", "code"} <= set(m) for m in municipalities)

    assert len(data["projects"]) == len(facts.rows)
    for project in data["projects"]:
        assert set(project) >= CONTRACT_PROJECT_KEYS
        assert isinstance(project["number"], int)
        assert isinstance(project["participants"], list)
        assert all(isinstance(name, str) for name in project["participants"])
        assert isinstance(project["count"], int)

    totals = data["totals"]
    assert set(totals) >= CONTRACT_TOTALS_KEYS
    for key in ("declared", "present", "in_missing_rows"):
        assert list(totals[key]) == facts.towns, key
    assert isinstance(totals["declared_grand_total"], int)
    assert isinstance(totals["missing_numbers"], list)

    assert data["findings"], "the seed has its repairs reported"
    for finding in data["findings"]:
        assert set(finding) >= CONTRACT_FINDING_KEYS
        assert finding["severity"] in {"error", "warning", "info"}


def test_check_readable_output_has_the_findings_table(seed_path: Path, facts: SeedFacts) -> None:
    status, data, _ = check_json(seed_path)
    result = run("check", seed_path, **WIDE)
    no_traceback(result)
    assert result.returncode == status == 0
    out = result.stdout
    assert "指摘" in out  # the table's title
    for heading in ("種別", "場所", "内容"):
        assert heading in out
    for finding in data["findings"]:
        assert f"[{finding['code']}]" in out
    assert f"{facts.headings[0][0]}行目" in out  # where the label repair points
    assert str(len(facts.rows)) in out.splitlines()[0]  # the summary line counts the projects


def test_default_language_is_japanese(seed_path: Path) -> None:
    _, data, _ = check_json(seed_path)
    assert all(has_kana(f["message"]) for f in data["findings"])


@pytest.mark.parametrize(
    ("args", "env"),
    [
        (["--lang", "en"], {}),
        ([], {"RENKEI_LANG": "en"}),
        ([], {"LANG": "en_US.UTF-8"}),
    ],
    ids=["--lang", "RENKEI_LANG", "LANG"],
)
def test_english_messages(seed_path: Path, args: list[str], env: dict[str, str]) -> None:
    result = run(*args, "check", seed_path, "--json", **env)
    no_traceback(result)
    assert result.returncode == 0
    data = json.loads(result.stdout)
    for finding in data["findings"]:
        # Headings and names quoted ('…') or bracketed ((…)) are the document's own words.
        prose = re.sub(r"'[^']*'|\([^)]*\)", "", finding["message"])
        assert not has_kana(prose), finding["message"]
        assert re.search(r"[A-Za-z]{3,}", finding["message"]), finding["message"]
    readable = run(*args, "check", seed_path, **env, **WIDE)
    assert "Findings" in readable.stdout


def test_lang_japanese_overrides_an_english_locale(seed_path: Path) -> None:
    result = run("--lang", "ja", "check", seed_path, "--json", LANG="en_US.UTF-8")
    data = json.loads(result.stdout)
    assert all(has_kana(f["message"]) for f in data["findings"])


# show -------------------------------------------------------------------------------------------------------


def test_show_sample_prints_every_project_and_the_totals(facts: SeedFacts) -> None:
    result = run("show", "--sample", **WIDE)
    no_traceback(result)
    assert result.returncode == 0
    lines = result.stdout.splitlines()
    numbers = [int(m[1]) for line in lines if (m := re.match(r"^│\s*(\d+)\s*│", line))]
    assert numbers == facts.numbers
    totals_at = next(i for i, line in enumerate(lines) if "連携事業数計" in line and line.startswith("│"))
    computed = [int(n) for n in re.findall(r"\d+", lines[totals_at])]
    assert computed == [*facts.present_totals, sum(facts.present_totals)]
    # The declared figures differ from those of the fragment's rows, so they are shown under them.
    declared = [int(n) for n in re.findall(r"\d+", lines[totals_at + 1])]
    assert declared == [*facts.declared_totals, facts.declared_grand_total]


def test_show_marks_match_the_seed(facts: SeedFacts) -> None:
    result = run("show", "--sample", **WIDE)
    rows = {int(m[1]): line for line in result.stdout.splitlines() if (m := re.match(r"^│\s*(\d+)\s*│", line))}
    for row in facts.rows:
        cells = [c.strip() for c in rows[row.number].split("│")[3:-2]]
        assert [c == "○" for c in cells] == row.marks, row.number


# formats ----------------------------------------------------------------------------------------------------


def test_formats_lists_every_renderer() -> None:
    names = [r.name for r in renderers()]
    assert names, "the registry has renderers"
    result = run("formats", **WIDE)
    no_traceback(result)
    assert result.returncode == 0
    written = result.stdout.split(t("cli.formats_read", "ja"))[0]  # the readers' table follows
    listed = [m[1] for line in written.splitlines() if (m := re.match(r"^│\s*(\S+)\s*│", line))]
    assert listed == names
    as_json = json.loads(run("formats", "--json").stdout)
    assert [f["name"] for f in as_json] == names
    assert [f["readable"] for f in as_json] == [r.readable for r in renderers()]


# export -----------------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def sample_json() -> dict[str, Any]:
    _, data, _ = check_json("--sample")
    return data


@pytest.mark.parametrize("renderer", renderers(), ids=lambda r: r.name)
def test_export_every_format(renderer: Renderer, tmp_path: Path, sample_json: dict[str, Any]) -> None:
    target = tmp_path / f"sample.{renderer.extension}"
    result = run("export", "--sample", "--to", renderer.name, "-o", target)
    no_traceback(result)
    assert result.returncode == 0, result.stderr
    data = target.read_bytes()
    assert data
    assert str(target) in result.stderr  # says where it wrote
    if not renderer.readable:
        return
    status, back, stderr = check_json(target)
    assert status == 0, (stderr, [f for f in back["findings"] if f["severity"] == "error"])
    assert [m["code"] for m in back["municipalities"]] == [m["code"] for m in sample_json["municipalities"]]
    keep = ("number", "name", "pillar", "field", "participants", "count")
    assert [{k: p[k] for k in keep} for p in back["projects"]] == [
        {k: p[k] for k in keep} for p in sample_json["projects"]
    ]
    assert back["totals"]["present"] == sample_json["totals"]["present"]


def test_export_to_stdout_equals_the_file(tmp_path: Path) -> None:
    target = tmp_path / "sample.txt"
    run("export", "--sample", "--to", "official", "-o", target)
    result = run("export", "--sample", "--to", "official")
    assert result.returncode == 0
    assert result.stdout.encode("utf-8") == target.read_bytes()


def test_export_long_csv_has_a_row_per_link(tmp_path: Path) -> None:
    target = tmp_path / "long.csv"
    assert run("export", "--sample", "--to", "csv-long", "-o", target).returncode == 0
    records = list(csv.reader(io.StringIO(target.read_bytes().decode("utf-8-sig"))))
    sample = read_sample().vision
    # Tidy: the header in row 1, a row per link, then the record that names the sphere and the declared figures.
    assert len(records) == sample.present_links() + 2
    assert records[0] == ["番号", "事業名", "柱", "分野", "団体コード", "市町村名", "役割"]
    assert records[-1][0] == "renkei.links/1" and "縦長形式" in records[-1][1]
    assert all(len(r) <= len(records[0]) for r in records)
    status, report, _ = check_json(target)
    assert status == 0
    assert [p["participants"] for p in report["projects"]] == [list(p.participants) for p in sample.projects]


def test_export_json_reads_back_whole(tmp_path: Path) -> None:
    target = tmp_path / "sample.json"
    assert run("export", "--sample", "--to", "json", "-o", target).returncode == 0
    assert read_bytes(target.read_bytes()).vision == read_sample().vision


def test_unknown_format_exits_2_and_lists_the_formats() -> None:
    result = run("export", "--sample", "--to", "no-such-format")
    no_traceback(result)
    assert result.returncode == 2
    assert "no-such-format" in result.stderr
    for r in renderers():
        assert r.name in result.stderr
    assert result.stdout == ""


@pytest.mark.parametrize("args", [[], ["check"], ["show"], ["export"]], ids=["nothing", "check", "show", "export"])
def test_no_argument_exits_2(args: list[str]) -> None:
    result = run(*args)
    no_traceback(result)
    assert result.returncode == 2
    assert (result.stdout + result.stderr).strip(), "says what to do"


def test_check_json_sample_and_file_agree_on_the_table(seed_path: Path) -> None:
    _, by_file, _ = check_json(seed_path)
    _, by_sample, _ = check_json("--sample")
    assert without(by_file, "source", "sphere") == without(by_sample, "source", "sphere")


# The README documents every command -------------------------------------------------------------------------


def command_names() -> list[str]:
    group = typer.main.get_command(app)
    assert hasattr(group, "commands")
    names: list[str] = sorted(group.commands)
    return names


def test_every_command_is_in_the_readme() -> None:
    names = command_names()
    assert {"check", "show", "export", "formats"} <= set(names)
    readme = ROOT / "README.md"
    assert readme.exists(), "README.md is missing"
    text = readme.read_text(encoding="utf-8")
    missing = [name for name in names if not re.search(rf"renkei(\s+--\S+(\s+\w+)?)*\s+{re.escape(name)}\b", text)]
    assert missing == [], f"commands not shown in README.md as `renkei <command>`: {missing}"
