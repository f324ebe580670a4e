"""The reading corpus (tests/corpus): every table, read by ``renkei check --json`` as a user runs it, scores 100%."""

from __future__ import annotations

import copy
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent / "corpus"))

import score as scorer

TRUTHS = scorer.truths()


@pytest.mark.parametrize("truth_path", TRUTHS, ids=[p.name.removesuffix(".truth.json") for p in TRUTHS])
def test_corpus_table_reads_as_its_truth_says(truth_path: Path) -> None:
    truth = scorer.load(truth_path)
    status, answer = scorer.run_check(truth_path, truth)
    result = scorer.score(truth_path.name, truth, status, answer)
    assert result.perfect, str(result)


def test_the_corpus_is_large_enough() -> None:
    assert len(TRUTHS) >= 30, f"the corpus holds {len(TRUTHS)} tables; the issue asks for at least 30"


def test_the_scorer_can_fail(seed_path: Path) -> None:
    """A wrong reading loses points: a participant dropped, a code changed, a finding invented, an exit wrong."""
    truth = {
        "file": seed_path.name,
        "exit": 0,
        "municipalities": [],
        "projects": [],
    }
    status, answer = scorer.run_check(seed_path.parent / "x.truth.json", truth)
    truth["municipalities"] = [{"name": m["name"], "code": m["code"]} for m in answer["municipalities"]]
    truth["projects"] = [
        {"number": p["number"], "name": p["name"], "participants": p["participants"]} for p in answer["projects"]
    ]
    truth["allow"] = [f["code"] for f in answer["findings"]]
    assert scorer.score("seed", truth, status, answer).perfect

    wrong = copy.deepcopy(answer)
    wrong["projects"][0]["participants"] = wrong["projects"][0]["participants"][1:]
    wrong["municipalities"][0]["code"] = "000000"
    wrong["findings"].append({"severity": "error", "code": "invented", "line": 1})
    result = scorer.score("seed", truth, 1, wrong)
    assert result.points <= result.total - 4, str(result)
    assert not result.perfect


def test_the_structure_shapes_are_there() -> None:
    """Issue 19's shapes (tests/corpus/structure): at least 11 tables, one of them refused for its names."""
    structure = [p for p in TRUTHS if p.parent.name == "structure"]
    assert len(structure) >= 11
    assert any(scorer.load(p)["exit"] == 1 for p in structure)


def test_names_are_a_point_of_their_own(seed_path: Path) -> None:
    """A reading that loses every name (an unfamiliar name heading) loses a point per project, even with every
    number and mark right."""
    truth = {"file": seed_path.name, "exit": 0, "municipalities": [], "projects": []}
    status, answer = scorer.run_check(seed_path.parent / "x.truth.json", truth)
    truth["municipalities"] = [{"name": m["name"], "code": m["code"]} for m in answer["municipalities"]]
    truth["projects"] = [
        {"number": p["number"], "name": p["name"], "participants": p["participants"]} for p in answer["projects"]
    ]
    truth["allow"] = [f["code"] for f in answer["findings"]]
    nameless = copy.deepcopy(answer)
    for project in nameless["projects"]:
        project["name"] = ""
    result = scorer.score("seed", truth, status, nameless)
    assert result.total - result.points == len(answer["projects"]), str(result)
