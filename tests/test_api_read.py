"""The JSON API's reads, once on SQLite and once on PostgreSQL: every operation of the OpenAPI document has a
test, spheres, revisions, visions, projects, filters, search, the comparison and the formats."""

from __future__ import annotations

import importlib
import inspect
from urllib.parse import quote

from fastapi.testclient import TestClient

import renkei.core.sample
import renkei.ingest
from api_support import (
    Registry,
    _seed_field_counts,
    assert_error,
    codes,
    descriptions,
    fields_of,
    ok_json,
    participants,
)
from renkei.core.messages import t
from renkei.publish.charts import CHARTS
from renkei.render import renderers
from renkei.web.national import compared_field
from seedfacts import SeedFacts
from webdata import ESCAPE_KEY, ESCAPE_NAME, FIRST, KEY, SEARCHED, SECOND

pytest_plugins = ["api_support"]  # the shared fixtures


# Every operation of the OpenAPI document is exercised by a test of the API's modules ----------------------

API_MODULES = (
    "test_api_read",
    "test_api_check",
    "test_api_downloads",
    "test_api_pages",
    "test_api_sign_in",
    "test_country",
    "test_catalog",
    "test_budget_pages",
    "test_api_budgets",
    "test_results_report",
)


COVERED: dict[tuple[str, str], str] = {
    ("get", "/api/spheres"): "test_spheres_are_listed_page_by_page",
    ("get", "/api/spheres/{key}"): "test_one_sphere_and_its_revisions",
    ("get", "/api/spheres/{key}/revisions"): "test_one_sphere_and_its_revisions",
    ("get", "/api/spheres/{key}/vision"): "test_the_vision_as_check_json_shapes_it",
    ("get", "/api/spheres/{key}/projects"): "test_projects_page_by_page",
    ("get", "/api/spheres/{key}/projects/{number}"): "test_each_project_with_its_history",
    ("get", "/api/spheres/{key}/diff"): "test_amendments_between_the_revisions",
    ("get", "/api/spheres/{key}/agreements/{municipality}"): "test_each_towns_agreement",
    ("get", "/api/spheres/{key}/charts/{kind}"): "test_every_chart_kind",
    ("get", "/api/municipalities/{code}"): "test_a_municipality_and_its_spheres",
    ("get", "/api/search"): "test_search_finds_the_projects_that_contain_the_words",
    ("get", "/api/formats"): "test_formats_are_the_renderer_registry",
    ("get", "/api/readers"): "test_readers_are_the_registry_of_readers",
    ("post", "/api/check"): "test_check_of_the_seed_and_of_junk",
    ("get", "/api/compare"): "test_the_comparison_counts_each_field_by_its_title",
    ("get", "/compare/export/{format}"): "test_the_comparison_downloads_the_rows_it_shows",
    ("get", "/search/export/{format}"): "test_search_hits_download_as_filtered",
    ("get", "/spheres/{key}/export/{format}"): "test_every_renderer_downloads_the_sphere",
    ("get", "/spheres/{key}/diff/export/{format}"): "test_amendment_and_agreement_documents_download",
    ("get", "/spheres/{key}/agreements/{municipality}/export/{format}"): (
        "test_amendment_and_agreement_documents_download"
    ),
    ("get", "/spheres/{key}/diff/towns/{municipality}/export/{format}"): "test_each_towns_annex_downloads",
    ("get", "/spheres/{key}/charts/{kind}/export/{format}"): "test_the_charts_numbers_download_as_shown",
    ("post", "/api/spheres/{key}/revisions"): "test_import_a_table_through_the_api",
    # Editing (its behaviour is tested with the editing feature): the sign-in gate, and reads with a token.
    ("get", "/api/spheres/{key}/draft"): "test_editing_reads_with_a_token",
    ("get", "/api/spheres/{key}/draft/projects/{serial}"): "test_editing_reads_with_a_token",
    ("get", "/api/spheres/{key}/draft/amendments"): "test_editing_reads_with_a_token",
    ("get", "/api/spheres/{key}/audit"): "test_editing_reads_with_a_token",
    ("get", "/api/me"): "test_editing_reads_with_a_token",
    ("post", "/api/spheres/{key}/draft/projects"): "test_editing_needs_a_sign_in",
    ("patch", "/api/spheres/{key}/draft/projects/{serial}"): "test_editing_writes_need_if_match",
    ("delete", "/api/spheres/{key}/draft/projects/{serial}"): "test_editing_writes_need_if_match",
    ("put", "/api/spheres/{key}/draft/projects/{serial}/marks/{municipality}"): "test_editing_writes_need_if_match",
    ("put", "/api/spheres/{key}/draft/projects/{serial}/notes/{municipality}"): "test_editing_writes_need_if_match",
    ("post", "/api/spheres/{key}/draft/publish"): "test_editing_needs_a_sign_in",
    ("post", "/api/spheres/{key}/draft/rebase"): "test_editing_needs_a_sign_in",
    # The country's list (tests/test_country.py).
    ("get", "/api/country"): "test_the_counts_of_a_date_are_the_lists",
    ("get", "/api/country/chart"): "test_the_counts_of_a_date_are_the_lists",
    ("post", "/api/country/edits"): "test_edits_through_the_api_are_checked_and_audited",
    ("get", "/catalog"): "test_the_catalogue_lists_every_sphere_and_revision_as_a_harvester_reads_it",
    ("get", "/catalog.jsonld"): "test_the_catalogue_lists_every_sphere_and_revision_as_a_harvester_reads_it",
    ("get", "/spheres/{key}/revisions/{number}/{file}"): "test_a_revisions_address_gives_that_revision_whole",
    ("get", "/downloads"): "test_every_spheres_package_in_one_zip_and_the_downloads_page",
    ("get", "/downloads/{name}"): "test_the_registry_in_one_sqlite_file_is_public_and_made_again_after_a_publish",
    ("get", "/compare/datapackage.zip"): "test_a_comparison_and_a_search_download_as_valid_data_packages",
    ("get", "/search/datapackage.zip"): "test_a_comparison_and_a_search_download_as_valid_data_packages",
    # Budgets, KPIs and their yearly results (tests/test_api_budgets.py, tests/test_results_report.py).
    ("get", "/api/spheres/{key}/budgets"): "test_the_budget_and_kpi_rows_are_the_projects_own",
    ("get", "/api/spheres/{key}/kpis"): "test_the_budget_and_kpi_rows_are_the_projects_own",
    ("get", "/api/spheres/{key}/budgets.csv"): "test_the_csv_holds_the_same_rows",
    ("get", "/api/spheres/{key}/kpis.csv"): "test_the_csv_holds_the_same_rows",
    ("post", "/api/spheres/{key}/draft/results"): "test_two_years_of_results_give_a_report_whose_grades_recompute",
    ("get", "/spheres/{key}/report/export/{format}"): "test_two_years_of_results_give_a_report_whose_grades_recompute",
    ("get", "/api/spheres/{key}/results"): "test_a_threshold_change_regrades",
    ("get", "/api/spheres/{key}/grades"): "test_a_threshold_change_regrades",
    ("put", "/api/spheres/{key}/grades"): "test_a_threshold_change_regrades",
}


def test_every_operation_of_the_openapi_document_has_a_test(registry: Registry) -> None:
    document = registry.client.get("/openapi.json").json()
    operations = {
        (method, path)
        for path, item in document["paths"].items()
        for method in item
        if method in ("get", "post", "put", "patch", "delete")
    }
    untested = sorted(operations - set(COVERED))
    assert not untested, f"operations without a test in {API_MODULES}: {untested}"
    assert not set(COVERED) - operations, "the mapping names operations the API no longer has"
    modules = [importlib.import_module(module) for module in API_MODULES]
    for name in set(COVERED.values()):
        assert any(inspect.isfunction(getattr(module, name, None)) for module in modules), name


# Spheres, revisions, visions -----------------------------------------------------------------------------


def test_spheres_are_listed_page_by_page(client: TestClient, facts: SeedFacts) -> None:
    whole = ok_json(client, "/api/spheres")
    assert whole["total"] == 2 and whole["offset"] == 0 and len(whole["items"]) == 2
    keys = [s["key"] for s in whole["items"]]
    assert set(keys) == {KEY, ESCAPE_KEY}
    seen = []
    for offset in range(3):
        page = ok_json(client, "/api/spheres", params={"limit": 1, "offset": offset})
        assert page["total"] == 2 and page["limit"] == 1 and page["offset"] == offset
        seen += [s["key"] for s in page["items"]]
    assert seen == keys
    seed = next(s for s in whole["items"] if s["key"] == KEY)
    expected = renkei.core.sample.sample_sphere()
    assert seed["name"] == expected.name and seed["kind"] == expected.kind.value
    assert seed["central_city"]["name"] == expected.central_city.name  # type: ignore[union-attr]
    assert seed["members"] == len(facts.towns) and seed["projects"] == len(facts.rows)
    assert seed["revision"] == 2 and seed["effective_on"] == SECOND.isoformat()


def test_one_sphere_and_its_revisions(client: TestClient, facts: SeedFacts) -> None:
    sphere = ok_json(client, f"/api/spheres/{KEY}")
    assert sphere["key"] == KEY and sphere["projects"] == len(facts.rows)
    revisions = ok_json(client, f"/api/spheres/{KEY}/revisions")
    assert [r["number"] for r in revisions] == [1, 2]
    assert [r["effective_on"] for r in revisions] == [FIRST.isoformat(), SECOND.isoformat()]
    assert [r["message"] for r in revisions] == ["first", "second"]


def test_the_vision_as_check_json_shapes_it(client: TestClient, facts: SeedFacts) -> None:
    vision = ok_json(client, f"/api/spheres/{KEY}/vision")
    assert [m["name"] for m in vision["municipalities"]] == facts.towns
    assert [p["number"] for p in vision["projects"]] == facts.numbers
    assert [p["count"] for p in vision["projects"]] == [sum(r.marks) for r in facts.rows]
    assert [p["participants"] for p in vision["projects"]] == [participants(facts, r) for r in facts.rows]
    totals = vision["totals"]
    assert totals["declared_grand_total"] == facts.declared_grand_total
    assert [totals["declared"][town] for town in facts.towns] == facts.declared_totals
    assert totals["missing_numbers"] == facts.missing_numbers
    assert vision["revision"]["number"] == 2
    older = ok_json(client, f"/api/spheres/{KEY}/vision", params={"rev": 1})
    assert [p["number"] for p in older["projects"]] == facts.numbers[1:]


# Projects --------------------------------------------------------------------------------------------------


def test_projects_page_by_page(client: TestClient, facts: SeedFacts) -> None:
    numbers: list[int] = []
    for offset in range(0, len(facts.rows) + 5, 5):
        page = ok_json(client, f"/api/spheres/{KEY}/projects", params={"limit": 5, "offset": offset})
        assert page["total"] == len(facts.rows) and page["limit"] == 5 and page["offset"] == offset
        assert page["revision"] == 2
        assert len(page["items"]) == max(0, min(5, len(facts.rows) - offset))
        numbers += [p["number"] for p in page["items"]]
    assert numbers == facts.numbers
    older = ok_json(client, f"/api/spheres/{KEY}/projects", params={"rev": 1})
    assert older["revision"] == 1 and older["total"] == len(facts.rows) - 1


def test_projects_of_one_municipality_by_name_and_by_code(client: TestClient, facts: SeedFacts) -> None:
    code = codes(client)
    for i, town in enumerate(facts.towns):
        expected = [r.number for r in facts.rows if r.marks[i]]
        for wanted in (town, code[town]):
            page = ok_json(client, f"/api/spheres/{KEY}/projects", params={"municipality": wanted})
            assert [p["number"] for p in page["items"]] == expected, wanted
            assert page["total"] == len(expected)
    nobody = ok_json(client, f"/api/spheres/{KEY}/projects", params={"municipality": "どこにもない町"})
    assert nobody["total"] == 0


def test_projects_of_one_field(client: TestClient, facts: SeedFacts) -> None:
    field_of = fields_of(facts)
    every = ok_json(client, f"/api/spheres/{KEY}/projects")["items"]
    keys = list(dict.fromkeys(p["field"] for p in every))
    assert [k.split(maxsplit=1)[1] for k in keys] == list(dict.fromkeys(field_of.values()))
    for key in keys:
        page = ok_json(client, f"/api/spheres/{KEY}/projects", params={"field": key})
        title = key.split(maxsplit=1)[1]
        assert [p["number"] for p in page["items"]] == [n for n, f in field_of.items() if f == title], key
    both = ok_json(client, f"/api/spheres/{KEY}/projects", params={"field": keys[0], "municipality": facts.towns[0]})
    title = keys[0].split(maxsplit=1)[1]
    assert [p["number"] for p in both["items"]] == [
        r.number for r in facts.rows if r.marks[0] and field_of[r.number] == title
    ]


def test_each_project_with_its_history(client: TestClient, facts: SeedFacts, seed_text: str) -> None:
    texts = descriptions(seed_text, facts)
    for row in facts.rows:
        detail = ok_json(client, f"/api/spheres/{KEY}/projects/{row.number}")
        project = detail["project"]
        assert detail["sphere"] == KEY and detail["revision"] == 2
        assert project["number"] == row.number and project["name"] == row.name
        assert project["description"] == texts[row.number].strip()
        assert project["participants"] == participants(facts, row)
        assert project["count"] == sum(row.marks) and project["declared_count"] == row.declared_count
        expected_history = [2] if row is facts.rows[0] else [1, 2]
        assert [v["revision"] for v in detail["history"]] == expected_history
    gone = client.get(f"/api/spheres/{KEY}/projects/{facts.rows[0].number}", params={"rev": 1})
    assert_error(gone, 404, "project-unknown")


def test_amendments_between_the_revisions(client: TestClient, facts: SeedFacts) -> None:
    diff = ok_json(client, f"/api/spheres/{KEY}/diff", params={"from": 1, "to": 2})
    assert diff["sphere"] == KEY and diff["old"] == 1 and diff["new"] == 2
    added = [c for c in diff["changes"] if c["kind"] == "project-added"]
    assert [c["number"] for c in added] == [facts.rows[0].number]
    assert added[0]["project"] == facts.rows[0].name
    same = ok_json(client, f"/api/spheres/{KEY}/diff", params={"from": 2, "to": 2})
    assert same["changes"] == []
    assert_error(client.get(f"/api/spheres/{KEY}/diff", params={"from": 1, "to": 9}), 404, "revision-unknown")


def test_each_towns_agreement(client: TestClient, facts: SeedFacts) -> None:
    code = codes(client)
    for i, town in enumerate(facts.towns):
        for wanted in (code[town], town):
            agreement = ok_json(client, f"/api/spheres/{KEY}/agreements/{quote(wanted)}")
            assert agreement["municipality"]["name"] == town and agreement["municipality"]["code"] == code[town]
            assert agreement["count"] == facts.present_totals[i]
            assert [p["number"] for p in agreement["projects"]] == [r.number for r in facts.rows if r.marks[i]]
    older = ok_json(client, f"/api/spheres/{KEY}/agreements/{code[facts.towns[0]]}", params={"rev": 1})
    assert older["revision"] == 1
    assert older["count"] == facts.present_totals[0] - facts.rows[0].marks[0]


def test_every_chart_kind(client: TestClient, facts: SeedFacts) -> None:
    for kind in CHARTS:
        spec = ok_json(client, f"/api/spheres/{KEY}/charts/{kind}")
        assert "vega-lite" in spec["$schema"], kind
        text = str(spec)
        for town in facts.towns:
            assert town in text, (kind, town)
    english = ok_json(client, f"/api/spheres/{KEY}/charts/{next(iter(CHARTS))}", headers={"Accept-Language": "en"})
    japanese = ok_json(client, f"/api/spheres/{KEY}/charts/{next(iter(CHARTS))}")
    assert english != japanese
    assert_error(client.get(f"/api/spheres/{KEY}/charts/no-such-chart"), 404)


def test_a_municipality_and_its_spheres(client: TestClient, facts: SeedFacts) -> None:
    code = codes(client)
    first = ok_json(client, f"/api/municipalities/{code[facts.towns[0]]}")
    assert first["code"] == code[facts.towns[0]] and first["name"] == facts.towns[0]
    spheres = {m["sphere"]["key"]: m for m in first["spheres"]}
    assert set(spheres) == {KEY, ESCAPE_KEY}  # the escape table's first town is the seed's first town
    assert spheres[KEY]["count"] == facts.present_totals[0]
    assert [p["number"] for p in spheres[KEY]["projects"]] == [r.number for r in facts.rows if r.marks[0]]
    last = ok_json(client, f"/api/municipalities/{code[facts.towns[-1]]}")
    assert [m["sphere"]["key"] for m in last["spheres"]] == [KEY]
    central = renkei.core.sample.sample_sphere().central_city
    assert central is not None and central.code is not None
    hub = ok_json(client, f"/api/municipalities/{central.code}")
    assert hub["name"] == central.name and {m["sphere"]["key"] for m in hub["spheres"]} == {KEY, ESCAPE_KEY}


def test_search_finds_the_projects_that_contain_the_words(client: TestClient, facts: SeedFacts, seed_text: str) -> None:
    texts = descriptions(seed_text, facts)
    expected = sorted(r.number for r in facts.rows if SEARCHED in r.name or SEARCHED in texts[r.number])
    assert expected
    found = ok_json(client, "/api/search", params={"q": SEARCHED})
    assert found["query"] == SEARCHED and found["total"] == len(expected)
    assert sorted(h["number"] for h in found["hits"]) == expected
    assert {h["sphere"] for h in found["hits"]} == {KEY}
    assert all(h["revision"] == 2 for h in found["hits"])
    paged = [
        ok_json(client, "/api/search", params={"q": SEARCHED, "limit": 1, "offset": i}) for i in range(len(expected))
    ]
    assert [p["hits"][0]["number"] for p in paged] == [h["number"] for h in found["hits"]]
    assert all(p["total"] == len(expected) for p in paged)
    escaped = ok_json(client, "/api/search", params={"q": "script"})
    assert [(h["sphere"], h["name"]) for h in escaped["hits"]] == [(ESCAPE_KEY, ESCAPE_NAME)]


def test_the_comparison_counts_each_field_by_its_title(client: TestClient, facts: SeedFacts) -> None:
    # Fields are compared by the guidelines' policy field their title names (issue 21), not by label.
    expected: dict[str, int] = {}
    for title, n in _seed_field_counts(facts).items():
        expected[compared_field(title)[0]] = expected.get(compared_field(title)[0], 0) + n
    everywhere = dict(expected)
    for p in ok_json(client, f"/api/spheres/{ESCAPE_KEY}/projects")["items"]:
        title = compared_field(p["field"].split(maxsplit=1)[1])[0]  # "ア 産業振興": by title, not by label
        everywhere[title] = everywhere.get(title, 0) + 1
    overview = ok_json(client, "/api/compare")
    assert {row["field"]: row["projects"] for row in overview["rows"]} == everywhere
    title, count = max(expected.items(), key=lambda item: item[1])
    one = ok_json(client, "/api/compare", params={"field": title})
    name = ok_json(client, f"/api/spheres/{KEY}")["name"]
    row = next(r for r in one["rows"] if r["sphere"] == name)
    assert row["projects"] == count and row["members"] == len(facts.towns)
    assert 0 < row["towns_taking_part"] <= len(facts.towns)
    assert row["share"] == round(100 * row["towns_taking_part"] / len(facts.towns), 1)
    ordered = ok_json(client, "/api/compare", params={"sort": "projects", "order": "asc"})
    assert [r["projects"] for r in ordered["rows"]] == sorted(r["projects"] for r in ordered["rows"])
    town = codes(client)[facts.towns[0]]
    mine = ok_json(client, "/api/compare", params={"municipality": town})
    assert KEY in [c["key"] for c in mine["columns"][1:]]
    joined = {r["field"]: r[KEY] for r in mine["rows"]}
    assert sum(v for v in joined.values() if v) == sum(1 for r in facts.rows if r.marks[0])
    assert_error(client.get("/api/compare", params={"group": "nonsense"}), 422)


def test_readers_are_the_registry_of_readers(client: TestClient) -> None:
    from renkei.ingest.registry import all_readers

    listed = ok_json(client, "/api/readers")
    assert [r["name"] for r in listed] == [r.name for r in all_readers()]
    for got, reader in zip(listed, all_readers(), strict=True):
        assert got["extensions"] == list(reader.extensions) and got["media_types"] == list(reader.media_types)
        assert got["description"] == t(reader.title, "ja") and got["plugin"] is False
    english = ok_json(client, "/api/readers", headers={"Accept-Language": "en"})
    assert [r["description"] for r in english] == [t(r.title, "en") for r in all_readers()]


def test_formats_are_the_renderer_registry(client: TestClient) -> None:
    listed = ok_json(client, "/api/formats")
    assert [f["name"] for f in listed] == [r.name for r in renderers()]
    for f, r in zip(listed, renderers(), strict=True):
        assert f["media_type"] == r.media_type and f["extension"] == r.extension
        assert f["documents"] == (r.document is not None)
        assert f["description"] == t(r.title, "ja")
    english = ok_json(client, "/api/formats", headers={"Accept-Language": "en"})
    assert [f["description"] for f in english] == [t(r.title, "en") for r in renderers()]
