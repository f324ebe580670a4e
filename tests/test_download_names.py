"""No two downloads share a file name (issue 21): the amendment list by project and by municipality, a town's
annex, the revisions compared and the CSV variants each show in the name a browser saves, in Japanese and in its
ASCII fallback."""

from __future__ import annotations

import dataclasses
import datetime
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api_support import filename_star
from renkei.ingest import read_sample
from renkei.render import document_renderers
from renkei.store import SphereSpec, Store
from renkei.web.app import create_app

KEY = "kamikawa-chubu"
DATES = (datetime.date(2022, 4, 1), datetime.date(2023, 4, 1), datetime.date(2024, 4, 1))


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    """The sample in three revisions: the first lacks its first project, the third its last."""
    vision = read_sample().vision
    revisions = (
        dataclasses.replace(vision, projects=vision.projects[1:]),
        vision,
        dataclasses.replace(vision, projects=vision.projects[:-1]),
    )
    store = Store.open(f"sqlite:///{tmp_path_factory.mktemp('names') / 'registry.db'}")
    for number, (revision, date) in enumerate(zip(revisions, DATES, strict=True), start=1):
        store.import_vision(revision, SphereSpec(key=KEY), effective_on=date, message=f"r{number}")
    with TestClient(create_app(store)) as test_client:
        yield test_client
    store.close()


def names(client: TestClient, url: str) -> tuple[str, str]:
    response = client.get(url)
    assert response.status_code == 200, (url, response.text[:300])
    disposition = response.headers["content-disposition"]
    plain = re.search(r'filename="([^"]*)"', disposition)
    assert plain is not None, disposition
    return filename_star(disposition), plain.group(1)


def test_every_compared_document_has_a_name_of_its_own(client: TestClient) -> None:
    town = read_sample().vision.municipalities[0]
    seen: dict[str, str] = {}
    seen_ascii: dict[str, str] = {}
    for renderer in document_renderers():
        for old, new in ((1, 2), (2, 3)):
            urls = {
                f"list by {by}": f"/spheres/{KEY}/diff/export/{renderer.name}?from={old}&to={new}&by={by}"
                for by in ("project", "municipality")
            }
            urls["annex"] = f"/spheres/{KEY}/diff/towns/{town.code}/export/{renderer.name}?from={old}&to={new}"
            for what, url in urls.items():
                name, plain = names(client, url)
                assert name.endswith(f".{renderer.extension}") and plain.endswith(f".{renderer.extension}")
                assert f"第{old}版-第{new}版" in name and f"r{old}-r{new}" in plain, name
                assert DATES[new - 1].isoformat() in name, name  # the date the later revision takes effect
                assert (town.name in name) == (what == "annex"), name
                assert name not in seen, f"{what} {renderer.name} {old}→{new} and {seen.get(name)}: {name}"
                assert plain not in seen_ascii, f"{what} {renderer.name} {old}→{new} and {seen_ascii.get(plain)}"
                seen[name] = seen_ascii[plain] = f"{what} {renderer.name} {old}→{new}"
    assert len(seen) == len(document_renderers()) * 2 * 3


def test_the_two_lists_say_how_they_are_grouped(client: TestClient) -> None:
    by_project, _ = names(client, f"/spheres/{KEY}/diff/export/pdf?from=1&to=2&by=project")
    by_town, _ = names(client, f"/spheres/{KEY}/diff/export/pdf?from=1&to=2&by=municipality")
    assert "事業別" in by_project and "市町村別" in by_town
    assert Path(by_project).stem.startswith(read_sample().vision.sphere.name)
