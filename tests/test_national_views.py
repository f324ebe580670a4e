"""The national views in process, over a small synthetic registry: the tile map and the sphere list, the
comparison tables, downloads named and filtered as the page shows them, the wide CSV's names, the chart tables,
gzip, and static files at versioned addresses."""

from __future__ import annotations

import csv
import gzip
import io
import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import unquote

import pytest
from fastapi.testclient import TestClient

from renkei.core.messages import t
from renkei.ingest import read_bytes
from renkei.national.country import shipped
from renkei.publish.charts import DENSE, STRONGEST, shared_projects, strongest_links
from renkei.render import render, renderers
from renkei.store import Store, load_into
from renkei.synthetic.synth import synthesize
from renkei.web.app import create_app
from renkei.web.charttables import chart_tables
from renkei.web.national import PREFECTURES, TILES, SphereFilter, Table, tiles
from renkei.web.views import field_key

SEED = 20261129


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    opened = Store.open(f"sqlite:///{tmp_path_factory.mktemp('national') / 'registry.db'}")
    load_into(opened, synthesize(6, SEED, years=2))
    try:
        yield opened
    finally:
        opened.close()


@pytest.fixture(scope="module")
def client(store: Store) -> Iterator[TestClient]:
    with TestClient(create_app(store)) as opened:
        yield opened


def test_every_prefecture_has_one_tile_of_its_own() -> None:
    assert sorted(TILES) == sorted(PREFECTURES) and len(PREFECTURES) == 47
    assert len(set(TILES.values())) == 47


def test_tiles_count_the_spheres_of_their_prefecture(store: Store) -> None:
    spheres = store.spheres()
    drawn = {tile.prefecture: tile for tile in tiles(spheres)}
    for prefecture in PREFECTURES:
        assert drawn[prefecture].spheres == sum(1 for s in spheres if s.prefecture == prefecture)
        assert (drawn[prefecture].level == 0) == (drawn[prefecture].spheres == 0)
    assert max(t.level for t in drawn.values()) == 4


def test_the_sphere_list_filters_and_sorts(store: Store) -> None:
    spheres = store.spheres()
    kind = spheres[0].kind.value
    chosen = SphereFilter(kind=kind, sort="projects").apply(spheres)
    assert [s.key for s in chosen] == [
        s.key for s in sorted(spheres, key=lambda s: (-s.projects, s.name)) if s.kind.value == kind
    ]
    by_name = SphereFilter(prefecture=spheres[0].prefecture or "", sort="name").apply(spheres)
    assert [s.name for s in by_name] == sorted(s.name for s in spheres if s.prefecture == spheres[0].prefecture)


def test_the_sphere_list_is_in_the_countrys_order_by_default(tmp_path: Path) -> None:
    """北海道 first and 沖縄県 last, as the national lists are printed; within a prefecture by the central city's
    code (the same order of towns), whatever the spheres' names. Over the country's list renkei ships."""
    with Store.open(f"sqlite:///{tmp_path / 'country.db'}") as country:
        country.country.merge(shipped(), source="country.csv")
        listed = SphereFilter().apply(country.spheres())
    placed = [s for s in listed if s.prefecture]
    assert len({s.prefecture for s in placed}) > 5, "the registry must span several prefectures"
    order = [PREFECTURES.index(s.prefecture or "") for s in placed]
    assert order == sorted(order) and listed[: len(placed)] == placed  # a sphere without a prefecture after
    for prefecture in {s.prefecture for s in placed}:
        codes = [s.central_city.code for s in placed if s.prefecture == prefecture and s.central_city]
        known = [c for c in codes if c]
        assert known == sorted(known), prefecture
    names = [s.name for s in listed]
    assert names != sorted(names)  # not the names' order of characters
    assert listed[0].prefecture == "北海道" and listed[len(placed) - 1].prefecture == PREFECTURES[max(order)]


def test_a_table_sorts_with_missing_values_last() -> None:
    from renkei.web.national import Column

    table = Table("t", [Column("a", "A"), Column("n", "N", numeric=True)], [["x", 2], ["y", None], ["z", 5]])
    table.links = ["/x", "/y", "/z"]
    table.sort("n", descending=True)
    assert [r[0] for r in table.rows] == ["z", "x", "y"] and table.links == ["/z", "/x", "/y"]
    table.sort("n", descending=False)
    assert [r[0] for r in table.rows] == ["x", "z", "y"]


def test_the_home_page_shows_the_map_and_the_filtered_list(client: TestClient, store: Store) -> None:
    spheres = store.spheres()
    prefecture = spheres[0].prefecture or ""
    page = client.get("/", params={"prefecture": prefecture})
    assert page.status_code == 200
    assert page.text.count('class="tile ') == 47
    listed = re.findall(r'<th scope="row"><a href="/spheres/([^"]+)">', page.text)
    assert sorted(listed) == sorted(s.key for s in spheres if s.prefecture == prefecture)


def test_the_home_page_lists_a_page_at_a_time_with_the_map_over_all(
    client: TestClient, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    from renkei.web import pages

    spheres = [s for s in store.spheres() if not s.abolished or s.latest]
    size = max(1, len(spheres) // 3)
    monkeypatch.setattr(pages, "HOME_PAGE", size)
    client.app.state.responses.clear()  # type: ignore[attr-defined]
    seen: list[str] = []
    count = (len(spheres) + size - 1) // size
    for number in range(1, count + 1):
        page = client.get("/", params={"page": number, "sort": "projects"}).text
        listed = re.findall(r'<th scope="row"><a href="/spheres/([^"]+)">', page)
        assert 0 < len(listed) <= size
        seen += listed
        # The map counts every sphere on every page.
        drawn = dict(re.findall(r'<li><a href="/\?prefecture=[^"]+">([^<]+)</a> (\d+)', page))
        assert sum(int(n) for n in drawn.values()) == sum(1 for s in spheres if s.prefecture and not s.abolished)
        assert ('rel="next"' in page) == (number < count) and ('rel="prev"' in page) == (number > 1)
    assert seen == [s.key for s in SphereFilter(sort="projects").apply(spheres)]


def test_downloads_follow_the_filters_and_name_the_revision(client: TestClient, store: Store) -> None:
    info = max(store.spheres(), key=lambda s: s.projects)
    assert info.latest is not None
    vision = store.vision(info.key)
    names = set()
    for r in renderers():
        response = client.get(f"/spheres/{info.key}/export/{r.name}")
        assert response.status_code == 200
        name = unquote(response.headers["content-disposition"].split("filename*=UTF-8''")[1])
        assert name.startswith(f"{info.name}_第{info.latest.number}版_{info.latest.effective_on.isoformat()}")
        names.add(name)
    assert len(names) == len(renderers()), "each format and CSV variant its own file name"
    field = field_key(vision.projects[-1].field)
    expected = [p.number for p in vision.projects if field_key(p.field) == field]
    response = client.get(f"/spheres/{info.key}/export/csv", params={"field": field})
    back = read_bytes(response.content, "filtered.csv").vision
    assert [p.number for p in back.projects] == expected
    assert back.declared_grand_total is None and not any(back.declared_totals.values())
    page = client.get(f"/spheres/{info.key}", params={"field": field})
    footer = page.text.split("<tfoot>")[1]
    assert t("ui.filtered_totals", "ja") in footer and f">{vision.labels.totals}</th>" not in footer
    assert page.text.count('<td class="desc">') == 0
    described = client.get(f"/spheres/{info.key}", params={"field": field, "description": "1"})
    assert described.text.count('<td class="desc">') == len(expected)


def test_the_wide_csv_is_headed_by_names_with_codes_and_reads_back(store: Store) -> None:
    """Tidy (issue 25): one header row, each town as 「鷹栖町 (014524)」, no codes row under it."""
    for info in store.spheres():
        vision = store.vision(info.key)
        data = render(vision, "csv")
        rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
        towns = slice(5, 5 + len(vision.municipalities))
        assert rows[0][towns] == [f"{m.display} ({m.code})" for m in vision.municipalities]
        assert [r[0] for r in rows[1 : 1 + len(vision.projects)]] == [str(p.number) for p in vision.projects]
        back = read_bytes(data, "wide.csv").vision
        assert back.projects == vision.projects
        assert [m.code for m in back.municipalities] == [m.code for m in vision.municipalities]


def test_chart_tables_hold_what_the_charts_draw(store: Store) -> None:
    vision = max((store.vision(s.key) for s in store.spheres()), key=lambda v: len(v.municipalities))
    tables = chart_tables(vision)
    present = vision.present_totals()
    assert [row[1] for row in tables["projects"].rows] == [present[m.name] for m in vision.municipalities]
    assert sum(sum(row[1:]) for row in tables["heatmap"].rows) == vision.present_links()  # type: ignore[misc]
    shared = shared_projects(vision)
    kept = strongest_links(shared, len(vision.municipalities))
    if len(vision.municipalities) > DENSE:
        assert len(kept) < len([n for n in shared.values() if n])
        for m in vision.municipalities:
            mine = sorted((n for pair, n in shared.items() if m.name in pair and n), reverse=True)[:STRONGEST]
            assert sorted((n for pair, n in kept.items() if m.name in pair), reverse=True)[: len(mine)] == mine
    else:
        assert kept == shared


def test_pages_and_json_are_compressed(client: TestClient, store: Store) -> None:
    key = store.spheres()[0].key
    for url in (f"/spheres/{key}", "/api/spheres", "/compare"):
        response = client.get(url, headers={"Accept-Encoding": "gzip"})
        assert response.headers.get("content-encoding") == "gzip", url
    raw = client.get(f"/spheres/{key}", headers={"Accept-Encoding": "gzip"})
    assert len(gzip.compress(raw.content)) < len(raw.content) / 3


def test_static_files_are_cached_for_a_year_at_their_versioned_address(client: TestClient) -> None:
    page = client.get("/").text
    css = re.search(r'href="(/static/renkei\.css\?v=[0-9a-f]+)"', page)
    assert css is not None
    versioned = client.get(css.group(1))
    assert versioned.status_code == 200 and "immutable" in versioned.headers["cache-control"]
    assert "max-age=31536000" in versioned.headers["cache-control"]
    stale = client.get("/static/renkei.css?v=0000")
    assert "immutable" not in stale.headers["cache-control"]


def test_the_api_docs_need_nothing_from_outside(client: TestClient) -> None:
    page = client.get("/api/docs")
    assert page.status_code == 200
    sources = re.findall(r'(?:src|href)="([^"]+)"', page.text)
    assert sources and all(s.startswith("/") for s in sources), sources
    for source in sources:
        assert client.get(source).status_code == 200, source
    vendored = Path(__file__).resolve().parents[1] / "src" / "renkei" / "web" / "static" / "vendor"
    assert "swagger-ui-dist" in (vendored / "VERSIONS").read_text(encoding="utf-8")
    assert (vendored / "LICENSE.swagger-ui-dist").is_file()


def test_grouped_comparisons_add_up_the_spheres(client: TestClient) -> None:
    overview = client.get("/api/compare").json()
    title = max(overview["rows"], key=lambda r: r["spheres_running"])["field"]
    spheres = client.get("/api/compare", params={"field": title}).json()["rows"]
    for group in ("prefecture", "kind"):
        rows = client.get("/api/compare", params={"field": title, "group": group}).json()["rows"]
        assert sum(r["spheres"] for r in rows) == len(spheres)
        assert sum(r["projects"] for r in rows) == sum(r["projects"] for r in spheres)
        assert sum(r["spheres_running"] for r in rows) == sum(1 for r in spheres if r["projects"])
        for r in rows:
            mine = [s for s in spheres if s[group] == r[group]]
            assert r["towns_taking_part"] == sum(s["towns_taking_part"] for s in mine)
            assert r["members"] == sum(s["members"] for s in mine)


def test_one_character_finds_what_the_label_promises(client: TestClient, store: Store) -> None:
    page = client.get("/search")
    label = t("ui.search_label", "ja")
    assert label in page.text and "1" in label
    word = store.vision(store.spheres()[0].key).projects[0].name[0]
    found = client.get("/api/search", params={"q": word}).json()["total"]
    assert found > 0
    assert f"{found}" in client.get("/search", params={"q": word}).text


def test_every_chart_has_its_table_in_the_page(client: TestClient, store: Store) -> None:
    from renkei.publish.charts import CHARTS

    key = store.spheres()[0].key
    page = client.get(f"/spheres/{key}").text
    charts = page.split('<section class="charts"')[1]
    assert charts.count('<details class="chart-table">') == len(CHARTS)
    assert 'role="img"' not in charts and charts.count('aria-hidden="true"></div>') == len(CHARTS)
    assert "vega.min.js" not in page.split("<main")[0], "Vega is loaded when a chart is near, not with the page"


def test_the_heatmap_turns_its_names_when_towns_are_many(store: Store) -> None:
    from renkei.publish.charts import field_heatmap

    visions = sorted((store.vision(s.key) for s in store.spheres()), key=lambda v: len(v.municipalities))
    small, large = visions[0], visions[-1]
    assert len(small.municipalities) <= 10 < len(large.municipalities)
    few, many = field_heatmap(small), field_heatmap(large)

    def x_axis(spec: dict[str, object]) -> dict[str, object]:
        body = spec.get("spec", spec)
        assert isinstance(body, dict)
        axis = body["encoding"]["x"]["axis"]
        assert isinstance(axis, dict)
        return axis

    assert x_axis(few)["labelAngle"] == 0
    assert x_axis(many)["labelAngle"] != 0 and x_axis(many)["labelLimit"] == 0, "turned, never cut"


def test_documents_are_named_with_the_revision_and_its_date(client: TestClient, store: Store) -> None:
    info = next(s for s in store.spheres() if s.latest and s.latest.number > 1)
    assert info.latest is not None
    vision = store.vision(info.key)
    town = vision.municipalities[0].code
    date = info.latest.effective_on.isoformat()
    for url in (
        f"/spheres/{info.key}/agreements/{town}/export/xlsx",
        f"/spheres/{info.key}/diff/export/xlsx?from={info.latest.number - 1}&to={info.latest.number}",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        name = unquote(response.headers["content-disposition"].split("filename*=UTF-8''")[1])
        assert info.name in name and f"第{info.latest.number}版" in name and date in name, name
