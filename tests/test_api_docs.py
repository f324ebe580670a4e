"""The API's documentation in the reader's language: /openapi.json (and swagger-ui over it) in Japanese by
default and in English when asked, every text of the document translated, no translation left for a text the
code no longer has."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from renkei.ingest import read_sample
from renkei.store import SphereSpec, Store
from renkei.web.apidocs import folded, texts_of, translations
from renkei.web.app import create_app


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    store = Store.open(f"sqlite:///{tmp_path_factory.mktemp('docs') / 'registry.db'}")
    store.import_reading(read_sample(), SphereSpec(key="kamikawa-chubu"), message="sample")
    with TestClient(create_app(store)) as opened:
        yield opened
    store.close()


def bare(schema: dict[str, object]) -> dict[str, object]:
    """A parameter's schema without its words."""
    return {k: v for k, v in schema.items() if k not in ("description", "title")}


def test_every_text_of_the_document_has_its_japanese_and_none_is_stale(client: TestClient) -> None:
    english = client.get("/openapi.json", params={"lang": "en"}).json()
    texts = {folded(text) for text in texts_of(english)}
    table = translations("ja")
    assert sorted(texts - set(table)) == [], "texts without a Japanese translation in locale/openapi.ja.json"
    assert sorted(set(table) - texts) == [], "translations of texts the API no longer has"
    assert all(any("\u3040" <= c <= "\u30ff" or "\u4e00" <= c <= "\u9fff" for c in ja) for ja in table.values())


def test_the_document_is_japanese_by_default_and_english_when_asked(client: TestClient) -> None:
    client.cookies.clear()  # no language chosen before (?lang= is remembered in a cookie)
    japanese = client.get("/openapi.json")
    english = client.get("/openapi.json", params={"lang": "en"})
    client.cookies.clear()
    assert japanese.headers["content-language"] == "ja" and english.headers["content-language"] == "en"
    assert "Accept-Language" in japanese.headers["vary"]
    en, ja = english.json(), japanese.json()
    # The same operations, parameters and schemas: only the words differ.
    assert en["paths"].keys() == ja["paths"].keys()
    assert en["components"]["schemas"].keys() == ja["components"]["schemas"].keys()
    table = translations("ja")
    for path, item in en["paths"].items():
        for method, operation in item.items():
            shown = ja["paths"][path][method]
            assert shown["summary"] == table[folded(operation["summary"])], (path, method)
            for mine, theirs in zip(operation.get("parameters", []), shown.get("parameters", []), strict=True):
                assert mine["name"] == theirs["name"] and bare(mine["schema"]) == bare(theirs["schema"])
                if "description" in mine:
                    assert theirs["description"] == table[folded(mine["description"])]
    # An English reader (by the header) gets the English without asking.
    by_header = client.get("/openapi.json", headers={"Accept-Language": "en-US,en;q=0.9"}).json()
    assert by_header == en
    assert json.dumps(ja, ensure_ascii=False) != json.dumps(en, ensure_ascii=False)


def test_the_docs_page_reads_the_document_of_its_language(client: TestClient) -> None:
    client.cookies.clear()
    assert 'data-url="/openapi.json?lang=ja"' in client.get("/api/docs").text
    assert 'data-url="/openapi.json?lang=en"' in client.get("/api/docs", params={"lang": "en"}).text


def test_the_apps_icon_is_served_where_browsers_ask_for_it(client: TestClient) -> None:
    """A browser asks for /favicon.ico before it reads a page (a 404 in its console on every first visit): the
    app's icon answers there, and every page names it."""
    icon = client.get("/favicon.ico")
    assert icon.status_code == 200 and icon.headers["content-type"].startswith("image/svg+xml")
    assert icon.content.lstrip().startswith(b"<svg")
    linked = re.search(r'<link rel="icon" href="([^"]+)"', client.get("/").text)
    assert linked is not None and client.get(linked.group(1)).content == icon.content
