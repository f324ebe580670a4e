"""The synthetic national registry (renkei synth): deterministic, shaped like the real one, every figure right,
files that read back to the same visions, and a web app that serves every page and endpoint over it."""

from __future__ import annotations

import dataclasses
import filecmp
import itertools
import json
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from clirun import run
from renkei.ingest import read_path, read_sample
from renkei.ingest.report import check_reading
from renkei.national.manifest import MANIFEST, read_manifest
from renkei.places.municipalities import Registry, is_valid_code
from renkei.synthetic.synth import (
    MAX_MEMBERS,
    MAX_PROJECTS,
    MIN_MEMBERS,
    MIN_PROJECTS,
    SynthSphere,
    synthesize,
    write_files,
)
from renkei.vision.model import Role, SphereKind

if TYPE_CHECKING:
    import httpx
    from fastapi.testclient import TestClient

N = 3
SEED = 20261128


@pytest.fixture(scope="module")
def spheres() -> list[SynthSphere]:
    return synthesize(N, SEED)


@pytest.fixture(scope="module")
def files(spheres: list[SynthSphere], tmp_path_factory: pytest.TempPathFactory) -> Path:
    directory = tmp_path_factory.mktemp("synth")
    write_files(spheres, directory)
    return directory


def test_same_seed_same_registry(spheres: list[SynthSphere], files: Path, tmp_path: Path) -> None:
    again = synthesize(N, SEED)
    assert again == spheres
    write_files(again, tmp_path)
    names = sorted(p.relative_to(files).as_posix() for p in files.rglob("*") if p.is_file())
    assert names == sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*") if p.is_file())
    match, mismatch, trouble = filecmp.cmpfiles(files, tmp_path, names, shallow=False)
    assert (mismatch, trouble) == ([], [])
    assert len(match) == len(names)


def test_another_seed_another_registry(spheres: list[SynthSphere]) -> None:
    assert synthesize(N, SEED + 1) != spheres


def test_a_larger_registry_starts_with_the_smaller(spheres: list[SynthSphere]) -> None:
    assert synthesize(N + 2, SEED)[:N] == spheres


def test_the_default_has_the_country_s_proportions() -> None:
    kinds = [s.kind for s in synthesize(seed=SEED, years=1)]
    assert len(kinds) == 170
    assert kinds.count(SphereKind.METROPOLITAN) == 40
    assert kinds.count(SphereKind.SETTLEMENT) == 130


def test_both_kinds_even_in_a_small_registry(spheres: list[SynthSphere]) -> None:
    # The two kinds the national frameworks define (a sphere of another kind is in the country's list only).
    assert {s.kind for s in spheres} == {SphereKind.SETTLEMENT, SphereKind.METROPOLITAN}


def test_spheres_are_made_of_real_municipalities(spheres: list[SynthSphere]) -> None:
    registry = Registry.default()
    assert len({s.key for s in spheres}) == len(spheres)
    for sphere in spheres:
        central = sphere.central_city
        assert central.code is not None and is_valid_code(central.code)
        entry = registry.by_code(central.code)
        assert entry is not None and entry.name == central.name and entry.name.endswith("市")
        assert entry.prefecture == sphere.prefecture
        assert sphere.name.startswith(central.name.removesuffix("市"))
        assert sphere.name.endswith(sphere.kind.value)
        assert sphere.key == f"{central.code}-{'teiju' if sphere.kind is SphereKind.SETTLEMENT else 'renkei-chusu'}"
        for revision in sphere.revisions:
            vision = revision.vision
            assert vision.sphere.name == sphere.name and vision.sphere.central_city == central
            assert MIN_MEMBERS <= len(vision.municipalities) <= MAX_MEMBERS
            codes = [m.code for m in vision.municipalities]
            assert central.code not in codes
            assert len(set(codes)) == len(codes)
            for m in vision.municipalities:
                assert m.code is not None and is_valid_code(m.code), m
                member = registry.by_code(m.code)
                assert member is not None and member.name == m.name
                assert member.prefecture == sphere.prefecture
                assert member.name[-1] in "市町村", "wards (区) are never members"


def test_projects_under_the_three_pillars(spheres: list[SynthSphere]) -> None:
    for sphere in spheres:
        for revision in sphere.revisions:
            vision = revision.vision
            assert MIN_PROJECTS <= len(vision.projects) <= MAX_PROJECTS
            assert [p.number for p in vision.projects] == list(range(1, len(vision.projects) + 1))
            assert len(vision.pillars()) == 3
            assert all(p.pillar is not None and p.field is not None for p in vision.projects)
            for pillar, group in itertools.groupby(vision.fields(), key=lambda pair: pair[0]):
                labels = [f.label for _, f in group]
                assert labels == list("アイウエオカキクケコ"[: len(labels)]), (pillar, labels)
            assert len({p.name for p in vision.projects}) == len(vision.projects)
            assert all(p.participants and p.description for p in vision.projects)
            assert all(role is Role.MEMBER for p in vision.projects for role in p.participants.values())


def test_participation_is_dense_like_the_seed(spheres: list[SynthSphere]) -> None:
    seed = read_sample().vision
    towns = len(seed.municipalities)
    seed_every = sum(p.count == towns for p in seed.projects) / len(seed.projects)
    seed_few = sum(p.count <= 3 for p in seed.projects) / len(seed.projects)
    rows = [(p.count, len(r.vision.municipalities)) for s in spheres for r in s.revisions for p in r.vision.projects]
    every = sum(count == size for count, size in rows) / len(rows)
    few = sum(count <= 3 for count, _ in rows) / len(rows)
    # Amendments move rows between the shapes; the proportions stay near the seed's.
    assert abs(every - seed_every) < 0.15, (every, seed_every)
    assert abs(few - seed_few) < 0.15, (few, seed_few)


def test_revisions_amend_over_the_years(spheres: list[SynthSphere]) -> None:
    from renkei.vision.diff import ChangeKind, diff

    kinds: set[ChangeKind] = set()
    for sphere in spheres:
        dates = [r.effective_on for r in sphere.revisions]
        assert [r.number for r in sphere.revisions] == list(range(1, len(dates) + 1))
        assert dates == sorted(dates) and len(set(dates)) == len(dates)
        assert sphere.plan_start == dates[0] and dates[-1] <= sphere.plan_end
        assert (sphere.plan_end - sphere.plan_start).days > 4 * 365
        for before, after in itertools.pairwise(sphere.revisions):
            changes = diff(before.vision, after.vision).changes
            assert changes, "every revision changes something"
            kinds |= {c.kind for c in changes}
    for wanted in (ChangeKind.PROJECT_ADDED, ChangeKind.RENUMBERED, ChangeKind.RENAMED, ChangeKind.JOINED):
        assert wanted in kinds


def test_search_words_occur(spheres: list[SynthSphere]) -> None:
    text = "".join(p.name + p.description for s in spheres for p in s.revisions[-1].vision.projects)
    for word in ("観光", "医療", "交流"):
        assert word in text


def test_every_declared_figure_is_the_computed_one(spheres: list[SynthSphere]) -> None:
    for sphere in spheres:
        for revision in sphere.revisions:
            vision = revision.vision
            assert all(p.declared_count == p.count for p in vision.projects)
            assert vision.declared_totals == vision.present_totals()
            assert vision.declared_grand_total == vision.present_links()


def test_files_check_clean_and_read_back(spheres: list[SynthSphere], files: Path) -> None:
    for sphere in spheres:
        for revision in sphere.revisions:
            reading = read_path(files / sphere.key / revision.file_name)
            report = check_reading(reading)
            assert report.ok, [f for f in report.findings if f.severity.value == "error"]
            assert not [f for f in report.findings if f.severity.value == "warning"]
            assert reading.vision.content() == revision.vision.content()
            assert reading.vision.sphere.kind is sphere.kind
            read = reading.vision
            assert [p.declared_count for p in read.projects] == [p.count for p in read.projects]
            assert read.declared_totals == read.present_totals()


def test_renkei_check_on_a_file(spheres: list[SynthSphere], files: Path) -> None:
    result = run("check", files / spheres[0].key / "r1.txt")
    assert result.returncode == 0, result.stdout + result.stderr


def test_manifest(spheres: list[SynthSphere], files: Path) -> None:
    lines = read_manifest(files)
    assert [line.key for line in lines] == [s.key for s in spheres]
    for line, sphere in zip(lines, spheres, strict=True):
        assert line.central_city == sphere.central_city.code
        assert line.kind == sphere.kind and line.prefecture == sphere.prefecture
        assert line.plan_start == sphere.plan_start and line.plan_end == sphere.plan_end
        assert [r.effective_on for r in line.revisions] == [r.effective_on for r in sphere.revisions]
        assert all(r.path.is_file() for r in line.revisions)


def test_cli_writes_the_same_bytes_twice(tmp_path: Path) -> None:
    for name in ("a", "b"):
        result = run("synth", "--spheres", "2", "--seed", "5", "--years", "3", "-o", tmp_path / name)
        assert result.returncode == 0, result.stderr
    names = sorted(p.relative_to(tmp_path / "a").as_posix() for p in (tmp_path / "a").rglob("*") if p.is_file())
    assert MANIFEST in names and len(names) > 2
    assert filecmp.cmpfiles(tmp_path / "a", tmp_path / "b", names, shallow=False)[1:] == ([], [])


def test_cli_needs_a_target() -> None:
    result = run("synth", "--spheres", "1")
    assert result.returncode == 2
    assert "-o" in result.stderr and "Traceback" not in result.stderr


def test_cli_loads_a_database(tmp_path: Path) -> None:
    db = tmp_path / "synth.db"
    result = run("synth", "--spheres", "2", "--seed", "5", "--years", "3", "--db", db)
    assert result.returncode == 0, result.stderr
    made = synthesize(2, 5, years=3)
    listed = json.loads(run("spheres", "--db", db, "--json").stdout)
    assert [s["key"] for s in listed] == sorted(s.key for s in made)
    again = run("synth", "--spheres", "2", "--seed", "5", "--years", "3", "--db", db)
    assert again.returncode == 2, "a second load into the same database is refused, not appended"


# The registry loaded and served -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def client(spheres: list[SynthSphere], tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    from fastapi.testclient import TestClient

    from renkei.store import Store, load_into
    from renkei.web.app import create_app

    store = Store.open(str(tmp_path_factory.mktemp("synthdb") / "registry.db"))
    assert load_into(store, spheres) == sum(len(s.revisions) for s in spheres)
    with TestClient(create_app(store)) as test_client:
        yield test_client
    store.close()


def _ok(client: TestClient, path: str) -> httpx.Response:
    response: httpx.Response = client.get(path)
    assert response.status_code == 200, (path, response.status_code, response.text[:300])
    return response


def test_the_store_holds_every_revision(client: TestClient, spheres: list[SynthSphere]) -> None:
    store = client.app.state.store  # type: ignore[attr-defined]
    for sphere in spheres:
        history = store.history(sphere.key)
        assert [(r.number, r.effective_on) for r in history] == [(r.number, r.effective_on) for r in sphere.revisions]
        for revision in sphere.revisions:
            stored = store.vision(sphere.key, revision.number)
            assert stored.content() == revision.vision.content()
            assert dataclasses.replace(stored, sphere=revision.vision.sphere) == revision.vision
        info = store.sphere(sphere.key)
        assert (info.plan_start, info.plan_end, info.prefecture) == (
            sphere.plan_start,
            sphere.plan_end,
            sphere.prefecture,
        )


def test_every_page_serves(client: TestClient, spheres: list[SynthSphere]) -> None:
    _ok(client, "/")
    for sphere in spheres:
        last = sphere.revisions[-1]
        _ok(client, f"/spheres/{sphere.key}")
        _ok(client, f"/spheres/{sphere.key}?rev=1")
        _ok(client, f"/spheres/{sphere.key}/revisions")
        _ok(client, f"/spheres/{sphere.key}/projects/{last.vision.projects[-1].number}")
        if len(sphere.revisions) > 1:
            _ok(client, f"/spheres/{sphere.key}/diff?from=1&to={last.number}")
        member = last.vision.municipalities[0]
        page = _ok(client, f"/municipalities/{member.code}")
        assert sphere.name in page.text
        _ok(client, f"/municipalities/{sphere.central_city.code}")
    page = _ok(client, "/search?q=観光")
    assert "観光" in page.text
    _ok(client, "/check")


def test_every_api_endpoint_serves(client: TestClient, spheres: list[SynthSphere]) -> None:
    listed = _ok(client, "/api/spheres").json()
    assert listed["total"] == len(spheres)
    for sphere in spheres:
        key, last = sphere.key, sphere.revisions[-1]
        assert _ok(client, f"/api/spheres/{key}").json()["revision"] == last.number
        assert len(_ok(client, f"/api/spheres/{key}/revisions").json()) == len(sphere.revisions)
        projects = _ok(client, f"/api/spheres/{key}/projects?limit=1000").json()
        assert projects["total"] == len(last.vision.projects)
        assert [p["count"] for p in projects["items"]] == [p.count for p in last.vision.projects]
        _ok(client, f"/api/spheres/{key}/projects?rev=1")
        _ok(client, f"/api/spheres/{key}/vision")
        _ok(client, f"/api/spheres/{key}/projects/1")
        member = last.vision.municipalities[-1]
        agreement = _ok(client, f"/api/spheres/{key}/agreements/{member.code}").json()
        assert agreement["count"] == len(last.vision.projects_of(member.name))
        if len(sphere.revisions) > 1:
            changes = _ok(client, f"/api/spheres/{key}/diff?from=1&to={last.number}").json()
            assert changes["changes"]
        municipality = _ok(client, f"/api/municipalities/{member.code}").json()
        assert key in [m["sphere"]["key"] for m in municipality["spheres"]]
    hits = _ok(client, "/api/search?q=医療").json()
    assert hits["total"] > 0 and all("医療" in h["name"] + h["description"] for h in hits["hits"])
    _ok(client, "/api/formats")
    _ok(client, "/openapi.json")


def test_a_download_per_format(client: TestClient, spheres: list[SynthSphere]) -> None:
    from renkei.render import renderers

    sphere = spheres[0]
    for renderer in renderers():
        response = _ok(client, f"/spheres/{sphere.key}/export/{renderer.name}")
        assert response.content
        if renderer.document is not None:
            member = sphere.revisions[-1].vision.municipalities[0]
            _ok(client, f"/spheres/{sphere.key}/agreements/{member.code}/export/{renderer.name}")
            if len(sphere.revisions) > 1:
                _ok(client, f"/spheres/{sphere.key}/diff/export/{renderer.name}?from=1&to=2")
    official = client.get(f"/spheres/{sphere.key}/export/official")
    assert official.content.decode("utf-8").startswith(sphere.name)
