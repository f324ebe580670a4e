"""``GET /api/spheres/{key}/diff`` opens with the summary the page and the documents open with: counts by kind,
each municipality's number of changes and the municipalities without one. The counts are derived here from the
listed changes (and, per municipality, from the projects each takes part in before and after), never pasted."""

from __future__ import annotations

import contextlib
import dataclasses
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from renkei.store import SphereSpec, Store
from renkei.web.app import create_app
from seedfacts import SeedFacts
from webdata import KEY, fill

# What a municipality's agreement is concerned by, besides its own changes (diff.Amendments.affecting).
PROJECT_KINDS_AFTER = {"project-added", "renamed", "description-changed"}


@pytest.fixture
def client(db_url: str, seed_path: Path, facts: SeedFacts) -> Iterator[TestClient]:
    """The seed's sphere in three revisions: without its first project, the seed, then the seed with its last
    project retired, its second renamed and described anew, and one mark of its third removed."""
    fill(db_url, seed_path, facts)
    with contextlib.closing(Store.open(db_url)) as store:
        vision = store.vision(KEY)
        second, third = vision.projects[1], vision.projects[2]
        town = next(iter(third.participants))
        changed = dict(third.participants)
        changed.pop(town)
        projects = [
            *vision.projects[:1],
            dataclasses.replace(second, name=f"{second.name}（改）", description=f"{second.description}を拡充"),
            dataclasses.replace(third, participants=changed, declared_count=None),
            *vision.projects[3:-1],
        ]
        store.import_vision(dataclasses.replace(vision, projects=projects), SphereSpec(key=KEY), force=True)
        with TestClient(create_app(store)) as client:
            yield client


def get(client: TestClient, url: str, **params: Any) -> Any:
    response = client.get(url, params=params)
    assert response.status_code == 200, response.text
    return response.json()


def expected_counts(changes: list[dict[str, Any]]) -> dict[str, int]:
    kinds = Counter(c["kind"] for c in changes)
    reworded = {(c["number"], c["project"]) for c in changes if c["kind"] in {"renamed", "description-changed"}}
    return {
        "added": kinds["project-added"],
        "retired": kinds["project-removed"],
        "joined": kinds["municipality-joined"],
        "left": kinds["municipality-left"],
        "reworded": len(reworded),
        "renumbered": kinds["renumbered"],
        "total": len(changes),
    }


def numbers_of(client: TestClient, town: str, revision: int) -> set[int]:
    response = client.get(f"/api/spheres/{KEY}/agreements/{town}", params={"rev": revision})
    if response.status_code == 404:  # not a member in that revision
        return set()
    assert response.status_code == 200, response.text
    return {p["number"] for p in response.json()["projects"]}


def expected_towns(client: TestClient, old: int, new: int, changes: list[dict[str, Any]]) -> dict[str, int]:
    names = [m["name"] for m in get(client, f"/api/spheres/{KEY}/vision", rev=new)["municipalities"]]
    names += [m["name"] for m in get(client, f"/api/spheres/{KEY}/vision", rev=old)["municipalities"]]
    counts: dict[str, int] = {}
    for name in dict.fromkeys(names):
        before, after = numbers_of(client, name, old), numbers_of(client, name, new)
        counts[name] = sum(
            1
            for c in changes
            if c["municipality"] == name
            or (c["municipality"] is None and c["kind"] == "project-removed" and c["number"] in before)
            or (c["municipality"] is None and c["kind"] in PROJECT_KINDS_AFTER and c["number"] in after)
        )
    return counts


@pytest.mark.parametrize(("old", "new"), [(1, 2), (2, 3), (1, 3), (3, 1), (2, 2)])
def test_the_summary_counts_the_listed_changes(client: TestClient, old: int, new: int) -> None:
    diff = get(client, f"/api/spheres/{KEY}/diff", **{"from": old, "to": new})
    assert {"sphere", "old", "new", "changes", "summary"} <= set(diff)  # nothing removed or renamed
    changes, summary = diff["changes"], diff["summary"]
    assert (old == new) == (changes == [])
    assert {k: summary[k] for k in expected_counts(changes)} == expected_counts(changes)
    towns = expected_towns(client, old, new, changes)
    assert [(t["name"], t["changes"]) for t in summary["municipalities"]] == [(n, c) for n, c in towns.items() if c]
    assert summary["unchanged"] == [n for n, c in towns.items() if not c]


def test_the_revisions_differ_as_built(client: TestClient) -> None:
    """The fixture's third revision makes each kind of change the summary counts that it meant to make."""
    summary = get(client, f"/api/spheres/{KEY}/diff", **{"from": 2, "to": 3})["summary"]
    assert (summary["retired"], summary["reworded"], summary["added"]) == (1, 1, 0)
    assert summary["total"] >= 4  # retired, renamed, described anew, one mark fewer
    assert summary["municipalities"]


def test_the_openapi_document_describes_the_summary(client: TestClient) -> None:
    schemas = get(client, "/openapi.json")["components"]["schemas"]
    assert "summary" in schemas["Amendments"]["required"]
    assert set(schemas["AmendmentSummary"]["properties"]) == {
        "added",
        "retired",
        "joined",
        "left",
        "reworded",
        "renumbered",
        "total",
        "municipalities",
        "unchanged",
    }
