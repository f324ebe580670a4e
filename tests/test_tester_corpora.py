"""The tester corpora of other spheres' tables (tests/corpus/shapes3: 20 tables of 20 spheres; shapes4: 16 tables
of 16 more spheres with their budgets and indicators; shapes5: 18 more), each written by a tester from what
secretariats publish without looking at the readers, and shapes6 (10 tables of 10 more spheres in the shapes found
misread and mended later, built by its script from their specification), with what a correct reading yields beside
each table. Each table is read (with its budget annex) and compared (``corpus_support``): the municipalities in
table order, every project's number, name, participants and roles, its pillar and field where given, budgets and
indicators, the exit status, the faults planted on purpose, and no other warning or error; the sphere's name and
kind apart."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from corpus_support import check_sphere, check_table

CORPORA = Path(__file__).resolve().parent / "corpus"
# Each corpus, and how many tables it holds at least.
SIZES = {"shapes3": 20, "shapes4": 16, "shapes5": 18, "shapes6": 10, "shapes7": 11}
EXPECTED = sorted(path for name in SIZES for path in (CORPORA / name).glob("*.expect.json"))
# Tables not read as expected yet, each a strict xfail with its reason (the test fails once one reads).
NOT_YET: dict[str, str] = {
    "t01_layout_two_pages_header_repeated_imari.txt": "the second page of a layout copy: names run into the field",
}
# Tables whose sphere (name, kind) is not read as expected yet.
SPHERE_NOT_YET: dict[str, str] = {}


def _id(path: Path) -> str:
    return f"{path.parent.name}/{path.name.removesuffix('.expect.json')}"


def _expected(path: Path) -> dict[str, Any]:
    expected: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return expected


@pytest.mark.parametrize("name", sorted(SIZES))
def test_the_corpus_is_all_there(name: str) -> None:
    paths = [p for p in EXPECTED if p.parent.name == name]
    assert len(paths) >= SIZES[name]
    for path in paths:
        expected = _expected(path)
        assert (path.parent / expected["file"]).exists(), path.name
        assert not expected.get("annex") or (path.parent / expected["annex"]).exists(), path.name


@pytest.mark.parametrize("path", EXPECTED, ids=_id)
def test_the_table_reads_as_its_expectation(path: Path, request: pytest.FixtureRequest) -> None:
    expected = _expected(path)
    if expected["file"] in NOT_YET:
        request.applymarker(pytest.mark.xfail(reason=NOT_YET[expected["file"]], strict=True))
    check_table(path.parent, expected)


@pytest.mark.parametrize("path", EXPECTED, ids=_id)
def test_the_sphere_reads_as_its_expectation(path: Path, request: pytest.FixtureRequest) -> None:
    expected = _expected(path)
    if expected["file"] in SPHERE_NOT_YET:
        request.applymarker(pytest.mark.xfail(reason=SPHERE_NOT_YET[expected["file"]], strict=True))
    check_sphere(path.parent, expected)
