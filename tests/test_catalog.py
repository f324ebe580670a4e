"""Open data on the web (issue 25): the DCAT catalogue as a harvester reads it (rdflib), each distribution at its
stable address answering with the media type it declares, the sphere page's Dataset JSON-LD, and the whole
registry in one download (SQLite, data packages), made again after a publish. On SQLite and PostgreSQL.
"""

from __future__ import annotations

import copy
import datetime
import io
import json
import re
import sqlite3
import zipfile
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from fastapi.testclient import TestClient
from rdflib import Graph, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, RDF

from renkei.ingest import read_path, read_sample
from renkei.store import SphereSpec, Store
from renkei.store.schema import PUBLIC_TABLES
from renkei.web.app import create_app
from renkei.web.catalog import DISTRIBUTED, embedded

KEY, OTHER = "kamikawa-chubu", "another"
BASE = "http://testserver"
OWL = Namespace("http://www.w3.org/2002/07/owl#")


@pytest.fixture
def store(db_url: str) -> Store:
    opened = Store.open(db_url)
    sample = read_sample()
    opened.import_reading(sample, SphereSpec(key=KEY), effective_on=datetime.date(2021, 4, 1))
    edited = copy.deepcopy(sample)
    edited.vision.projects[0].name += "（拡充）"
    opened.import_reading(edited, SphereSpec(key=KEY), effective_on=datetime.date(2022, 4, 1))
    other = copy.deepcopy(sample)
    other.vision.sphere.name = "別の定住自立圏"
    opened.import_reading(other, SphereSpec(key=OTHER), new_sphere=True, effective_on=datetime.date(2023, 4, 1))
    return opened


@pytest.fixture
def client(store: Store) -> Iterator[TestClient]:
    with TestClient(create_app(store)) as made:
        yield made


def graph_of(client: TestClient, path: str = "/catalog") -> Graph:
    response = client.get(path)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/ld+json")
    return Graph().parse(data=response.text, format="json-ld", base=BASE)


def test_the_catalogue_lists_every_sphere_and_revision_as_a_harvester_reads_it(
    client: TestClient, store: Store
) -> None:
    graph = graph_of(client)
    catalogs = list(graph.subjects(RDF.type, DCAT.Catalog))
    assert catalogs == [URIRef(f"{BASE}/catalog")]
    datasets = set(graph.subjects(RDF.type, DCAT.Dataset))
    assert datasets == {URIRef(f"{BASE}/spheres/{s.key}") for s in store.spheres()}
    assert set(graph.objects(catalogs[0], DCAT.dataset)) == datasets
    for info in store.spheres():
        node = URIRef(f"{BASE}/spheres/{info.key}")
        assert str(graph.value(node, DCTERMS.title)) == info.name
        assert graph.value(node, DCTERMS.license) == URIRef("https://creativecommons.org/licenses/by/4.0/")
        assert graph.value(node, DCTERMS.publisher) is not None
        assert info.latest is not None and str(graph.value(node, OWL.versionInfo)) == str(info.latest.number)
        distributions = set(graph.objects(node, DCAT.distribution))
        history = store.history(info.key)
        assert len(distributions) == len(history) * len(DISTRIBUTED)
        urls = {str(graph.value(d, DCAT.accessURL)) for d in distributions}
        wanted = {f"{BASE}/spheres/{info.key}/revisions/{r.number}/" for r in history}
        assert {u.rsplit("/", 1)[0] + "/" for u in urls} == wanted
        for d in distributions:
            assert graph.value(d, RDF.type) == DCAT.Distribution
            assert graph.value(d, DCAT.downloadURL) == graph.value(d, DCAT.accessURL)
    assert graph_of(client, "/catalog.jsonld").isomorphic(graph)


def test_every_distribution_answers_with_the_media_type_it_declares(client: TestClient) -> None:
    graph = graph_of(client)
    distributions = list(graph.subjects(RDF.type, DCAT.Distribution))
    assert distributions
    for d in distributions:
        url, media = str(graph.value(d, DCAT.accessURL)), str(graph.value(d, DCAT.mediaType))
        response = client.get(urlsplit(url).path)
        assert response.status_code == 200, url
        assert response.headers["content-type"].split(";")[0] == media, url
        assert "immutable" in response.headers["cache-control"]


def test_a_revisions_address_gives_that_revision_whole(client: TestClient, store: Store, tmp_path: Path) -> None:
    first = client.get(f"/spheres/{KEY}/revisions/1/datapackage.zip")
    with zipfile.ZipFile(io.BytesIO(first.content)) as archive:
        archive.extractall(tmp_path)
        package = json.loads(archive.read("datapackage.json"))
    back = read_path(tmp_path)
    assert back.vision.content() == store.vision(KEY, 1).content()
    assert (package["renkei"]["edition"]["revision"], package["version"]) == (1, "1")
    assert package["sources"] == [{"title": store.revision(KEY, 1).source_name}]
    assert client.get(f"/spheres/{KEY}/revisions/1/xlsx.csv").status_code == 404
    assert client.get(f"/spheres/{KEY}/revisions/9/csv.csv").status_code == 404
    assert client.get(f"/spheres/{KEY}/revisions/1/nothing.zip").status_code in (404, 422)


def test_the_sphere_page_embeds_its_dataset(client: TestClient) -> None:
    response = client.get(f"/spheres/{KEY}")
    found = re.findall(r'<script type="application/ld\+json">(.*?)</script>', response.text, re.S)
    assert len(found) == 1
    graph = Graph().parse(data=found[0], format="json-ld", base=BASE)
    assert (URIRef(f"{BASE}/spheres/{KEY}"), RDF.type, DCAT.Dataset) in graph
    # A data block: the CSP that allows only the app's own scripts is unchanged, and nothing closes the element.
    assert "'unsafe-inline'" not in response.headers["content-security-policy"].split("script-src")[1].split(";")[0]
    hostile = embedded({"dct:title": "</script><script>alert(1)</script>&"})
    assert "</" not in hostile and "<script" not in hostile and json.loads(hostile)["dct:title"].startswith("</script>")


def test_the_registry_in_one_sqlite_file_is_public_and_made_again_after_a_publish(
    client: TestClient, store: Store, tmp_path: Path
) -> None:
    def tables_and_revisions() -> tuple[set[str], int]:
        path = tmp_path / "registry.sqlite"
        response = client.get("/downloads/registry.sqlite")
        assert response.status_code == 200 and response.headers["content-type"] == "application/vnd.sqlite3"
        path.write_bytes(response.content)
        with sqlite3.connect(path) as db:
            names = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
            count = db.execute("SELECT count(*) FROM revision").fetchone()[0]
        return names, count

    names, count = tables_and_revisions()
    assert names == set(PUBLIC_TABLES)  # no accounts, sessions, tokens, audit or drafts
    assert count == sum(len(store.history(s.key)) for s in store.spheres())
    changed = copy.deepcopy(read_sample())
    changed.vision.projects[1].name += "（改）"
    store.import_reading(changed, SphereSpec(key=OTHER), effective_on=datetime.date(2024, 4, 1))
    assert tables_and_revisions()[1] == count + 1


def test_every_spheres_package_in_one_zip_and_the_downloads_page(
    client: TestClient, store: Store, tmp_path: Path
) -> None:
    response = client.get("/downloads/registry-datapackage.zip")
    assert response.status_code == 200
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        archive.extractall(tmp_path)
    for info in store.spheres():
        assert read_path(tmp_path / info.key).vision.content() == store.vision(info.key).content()
    page = client.get("/downloads")
    assert page.status_code == 200
    sqlite_size = len(client.get("/downloads/registry.sqlite").content)
    assert f"{sqlite_size:,}" in page.text and f"{len(response.content):,}" in page.text
    assert 'href="/downloads"' in client.get("/").text


def test_a_comparison_and_a_search_download_as_valid_data_packages(client: TestClient, tmp_path: Path) -> None:
    """The rows the page shows (as its CSV gives them), in a package that Frictionless validates."""
    from frictionless import validate

    word = read_sample().vision.projects[0].name[:2]
    for path, csv_path in (
        ("/compare/datapackage.zip", "/compare/export/csv"),
        (f"/search/datapackage.zip?q={word}", f"/search/export/csv?q={word}"),
    ):
        response = client.get(path)
        assert response.status_code == 200 and response.headers["content-type"] == "application/zip", path
        folder = tmp_path / path.split("/")[1]
        with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
            archive.extractall(folder)
        report = validate(str(folder / "datapackage.json"))
        assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
        shown = client.get(csv_path).content.decode("utf-8-sig").splitlines()
        packaged = (folder / "table.csv").read_text(encoding="utf-8").splitlines()
        assert packaged[0] == shown[0] and len(packaged) == len(shown) > 1, path


def test_the_pages_csvs_load_in_pandas_with_no_options(client: TestClient, store: Store) -> None:
    """Every CSV the pages offer: a sphere's table (one row per project and the documented record), the
    comparison (one row per sphere) and the search hits (one row per hit), the header in row 1."""
    import pandas as pd

    vision = store.vision(KEY)
    table = pd.read_csv(io.BytesIO(client.get(f"/spheres/{KEY}/export/csv").content))
    assert table.columns[0] == "番号" and len(table) == len(vision.projects) + 1
    compared = client.get("/api/compare").json()
    frame = pd.read_csv(io.BytesIO(client.get("/compare/export/csv").content))
    assert list(frame.columns) == [c["label"] for c in compared["columns"]]
    assert len(frame) == len(compared["rows"])
    word = vision.projects[0].name[:2]
    hits = client.get(f"/search/export/json?q={word}").json()["hits"]
    frame = pd.read_csv(io.BytesIO(client.get(f"/search/export/csv?q={word}").content))
    assert len(frame) == len(hits) > 0
