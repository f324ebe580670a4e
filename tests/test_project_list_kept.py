"""The project list kept as the API's JSON (issue 24, ``renkei.store.projectlist``): what
``GET /api/spheres/{key}/projects`` answers from it is byte for byte what the revision read whole answers, after
every path that writes a revision, and older revisions and filtered lists are answered the long way. On SQLite
and on PostgreSQL."""

from __future__ import annotations

import io

from fastapi.testclient import TestClient
from sqlalchemy import delete

from conftest import DbFactory
from renkei.core.permissions import RoleName
from renkei.ingest import Reading
from renkei.store import Actor, SphereSpec, Store, dump, load_into, restore
from renkei.store.projectlist import backfill
from renkei.store.schema import ProjectListRow
from renkei.synthetic.synth import synthesize
from renkei.web import views
from renkei.web.api import ProjectPage, _project
from renkei.web.app import create_app

pytest_plugins = ["store_support"]  # the shared fixtures

KEY = "kamikawa-chubu"
PAGES = ((100, 0), (2, 1), (1000, 0), (3, 10_000))


def long_way(store: Store, key: str, number: int | None, limit: int, offset: int) -> str:
    """The page as the revision read whole makes it (the API's answer before the list was kept)."""
    vision = store.vision(key, number)
    projects = views.select_projects(vision, None, None)
    items = [_project(p) for p in projects[offset : offset + limit]]
    revision = vision.edition.revision
    assert revision is not None
    page = ProjectPage(items=items, total=len(projects), limit=limit, offset=offset, revision=revision)
    return page.model_dump_json()


def assert_answers_alike(store: Store) -> None:
    """Every sphere's list, as the API answers it, is the long way's, and comes from the kept list."""
    client = TestClient(create_app(store))
    for info in store.spheres():
        if info.latest is None:
            continue
        assert store.project_list(info.key) is not None, info.key
        for limit, offset in PAGES:
            answer = client.get(f"/api/spheres/{info.key}/projects", params={"limit": limit, "offset": offset})
            assert answer.status_code == 200
            assert answer.text == long_way(store, info.key, None, limit, offset)


def test_an_import_keeps_the_newest_list_and_older_revisions_answer_the_long_way(two_revisions: Store) -> None:
    store = two_revisions
    kept = store.project_list(KEY)
    assert kept is not None and kept[0] == 2
    assert store.project_list(KEY, 1) is None  # the first revision's list was replaced by the second's
    assert_answers_alike(store)
    client = TestClient(create_app(store))
    first = client.get(f"/api/spheres/{KEY}/projects", params={"rev": 1}).json()
    assert first["revision"] == 1
    assert first["total"] == len(store.vision(KEY, 1).projects) != store.project_list(KEY)[1]  # type: ignore[index]
    assert first["items"] == [_project(p).model_dump(mode="json") for p in store.vision(KEY, 1).projects][:100]
    # A filter is answered the long way, from the same revision.
    field = store.vision(KEY).projects[0].field
    assert field is not None
    filtered = client.get(f"/api/spheres/{KEY}/projects", params={"field": views.field_key(field)}).json()
    assert 0 < filtered["total"] < kept[1]
    # A sphere asked by its name, or unknown, is answered as before.
    name = store.sphere(KEY).name
    assert client.get(f"/api/spheres/{name}/projects").json() == client.get(f"/api/spheres/{KEY}/projects").json()
    assert client.get("/api/spheres/nowhere/projects").status_code == 404


def test_a_bulk_import_and_a_restore_keep_the_lists_as_the_api_answers(db_factory: DbFactory) -> None:
    spheres = synthesize(4, 11)
    with Store.open(db_factory()) as bulk:
        load_into(bulk, spheres)
        assert_answers_alike(bulk)
        backup = io.StringIO()
        dump(bulk, backup)
    with Store.open(db_factory()) as restored:
        restore(restored, io.StringIO(backup.getvalue()))
        assert_answers_alike(restored)


def test_the_migration_backfills_the_newest_lists(two_revisions: Store) -> None:
    store = two_revisions
    before = store.project_list(KEY)
    with store.engine.begin() as connection:
        connection.execute(delete(ProjectListRow))
    assert store.project_list(KEY) is None
    with store.engine.begin() as connection:
        backfill(connection)
    assert store.project_list(KEY) == before
    assert store.project_list(KEY, 1) is None


def test_a_published_draft_and_a_rebased_one_replace_the_kept_list(
    store: Store, seed_reading: Reading, edited_reading: Reading
) -> None:
    store.import_reading(seed_reading, SphereSpec(key=KEY), message="seed")
    store.accounts.add("sec", "a long enough password 1234")
    store.accounts.grant("sec", KEY, RoleName.SECRETARIAT)
    actor = Actor(store.accounts.principal(store.accounts.get("sec").id), "test")
    reader = TestClient(create_app(store))  # anonymous: the kept answers and the kept list
    before = reader.get(f"/api/spheres/{KEY}/projects").json()
    # A draft published: the list is the new revision's, its rename in it.
    project = store.drafts.get(KEY).projects[0]
    store.drafts.update_project(KEY, project.serial, {"name": "公開した名前"}, project.version, actor)
    store.drafts.publish(KEY, "公開", actor)
    published = reader.get(f"/api/spheres/{KEY}/projects").json()
    assert (published["revision"], published["items"][0]["name"]) == (2, "公開した名前")
    assert published["items"][1:] == before["items"][1:]
    assert_answers_alike(store)
    # A draft made stale by an import, rebased onto it and published: the list is the rebased revision's.
    project = store.drafts.get(KEY).projects[-1]
    store.drafts.update_project(KEY, project.serial, {"name": "再適用した名前"}, project.version, actor)
    store.import_reading(edited_reading, SphereSpec(key=KEY), message="edited")
    assert store.drafts.rebase(KEY, actor) == []
    store.drafts.publish(KEY, "再適用", actor)
    rebased = reader.get(f"/api/spheres/{KEY}/projects", params={"limit": 1000}).json()
    assert rebased["revision"] == 4
    assert "再適用した名前" in [p["name"] for p in rebased["items"]]
    assert_answers_alike(store)
    assert [store.project_list(KEY, n) is None for n in (1, 2, 3, 4)] == [True, True, True, False]
