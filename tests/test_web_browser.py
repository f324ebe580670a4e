"""The web registry in a real browser: Debian's chromium, driven by Playwright, against ``renkei serve``.

A reader's path through the pages (home, sphere, matrix, filter, language, downloads, charts, check, search),
with the keyboard and on a phone. Every expectation about the seed is derived from the seed's text
(``facts``) or from the message catalogues, never pasted. Screenshots of each page visited are kept under
``test-artifacts/screenshots/``; the README's picture, ``docs/images/sphere.png``, is refreshed only by
``scripts/readme_picture.py``, so a test run leaves the tree as it found it.
"""

from __future__ import annotations

import io
import os
import re
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import openpyxl
import pytest
from pypdf import PdfReader

import renkei.core.sample
import renkei.ingest
from renkei.core.messages import t
from seedfacts import MARK, SeedFacts, SeedRow
from webserver import ROOT, SCREENSHOTS, Server, browser, new_page, page, screenshot, server

__all__ = ["browser", "page", "server"]  # fixtures, imported to be used

SPHERE_NAME = renkei.core.sample.sample_sphere().name
README_PICTURE = ROOT / "docs" / "images" / "sphere.png"
# The picture is written under test-artifacts/ by every run; scripts/readme_picture.py names the README's instead.
PICTURE_ENV = "RENKEI_README_PICTURE"
PICTURE_LIMIT = 600 * 1024
PROJECT_ROWS = "table.matrix tbody tr:not(.heading)"
SEARCHED = "観光"  # the brief's query; which projects contain it is derived from the seed


def squeeze(text: str) -> str:
    """Text without any white space, to compare names that a PDF table cell wrapped over lines."""
    return "".join(text.split())


def descriptions(seed_text: str, facts: SeedFacts) -> dict[int, str]:
    """Each present project's 事業内容: the cell just before the towns' marks on its line."""
    lines = seed_text.splitlines()
    return {r.number: lines[r.line - 1].split("\t")[-2 - len(facts.towns)] for r in facts.rows}


def row_numbers(page: Any) -> list[int]:
    return [int(text) for text in page.locator(f"{PROJECT_ROWS} td.no").all_inner_texts()]


def open_sphere(page: Any) -> None:
    """The seed's sphere from the home page, by its link, as a reader gets there."""
    page.goto("/")
    page.get_by_role("link", name=SPHERE_NAME, exact=True).click()
    page.wait_for_selector("table.matrix")
    # The page's scripts (htmx for the filters) have run once the load event has passed.
    page.wait_for_load_state("load")
    page.wait_for_function("() => window.htmx !== undefined")


def taking_part(facts: SeedFacts, town: str) -> list[SeedRow]:
    index = facts.towns.index(town)
    return [r for r in facts.rows if r.marks[index]]


# Home, sphere and the matrix -------------------------------------------------------------------------------


def test_home_lists_the_sphere_and_its_page_shows_the_matrix(page: Any, facts: SeedFacts) -> None:
    page.goto("/")
    assert page.locator("html").get_attribute("lang") == "ja"
    assert page.get_by_role("heading", level=1).inner_text() == t("ui.spheres_title", "ja")
    screenshot(page, "home")
    link = page.get_by_role("link", name=SPHERE_NAME, exact=True)
    assert link.count() == 1
    link.click()
    page.wait_for_selector("table.matrix")
    assert urlsplit(page.url).path.startswith("/spheres/")
    assert page.get_by_role("heading", level=1).inner_text() == SPHERE_NAME

    rows = page.locator(PROJECT_ROWS)
    assert rows.count() == len(facts.rows)
    assert row_numbers(page) == facts.numbers
    names = [squeeze(n) for n in page.locator(f"{PROJECT_ROWS} th.name").all_inner_texts()]
    assert names == [squeeze(r.name) for r in facts.rows]
    counts = [int(c.split()[0]) for c in page.locator(f"{PROJECT_ROWS} td.count").all_inner_texts()]
    assert counts == [sum(r.marks) for r in facts.rows]
    assert page.locator(f"{PROJECT_ROWS} td.count.differs").count() == sum(
        r.declared_count != sum(r.marks) for r in facts.rows
    )
    for i, row in enumerate(facts.rows):
        marks = rows.nth(i).locator("td.mark")
        assert [("on" in (marks.nth(j).get_attribute("class") or "")) for j in range(marks.count())] == row.marks

    # The totals row: computed from the marks; the declared figure beside it where the two differ, flagged as a
    # contradiction unless the rows the fragment lacks can hold the difference (then marked as explained).
    totals = page.locator("table.matrix tfoot td.total")
    present = [*facts.present_totals, sum(facts.present_totals)]
    declared = [*facts.declared_totals, facts.declared_grand_total]
    lacking = len(facts.missing_numbers)
    rooms = [lacking] * len(facts.present_totals) + [lacking * len(facts.present_totals)]
    assert totals.count() == len(present)
    for i, (computed, printed, room) in enumerate(zip(present, declared, rooms, strict=True)):
        cell = totals.nth(i)
        assert cell.inner_text().split()[0] == str(computed)
        classes = cell.get_attribute("class") or ""
        explained = 0 < printed - computed <= room
        assert ("explained" in classes) == explained, (i, computed, printed, room)
        assert ("differs" in classes) == (computed != printed and not explained), (i, computed, printed)
        if computed != printed:
            assert cell.locator(".declared").inner_text() == str(printed)
    screenshot(page, "sphere")


def test_readme_picture_of_the_japanese_sphere_page(browser: Any, server: Server) -> None:
    # Tall enough a window that the matrix (at most 80% of the window's height) shows every row and its totals.
    page = new_page(browser, server, viewport={"width": 1280, "height": 1600})
    open_sphere(page)
    # Charts are drawn when they come near the window (Vega is loaded then): bring each into view first.
    for chart in page.locator("div.vega").all():
        chart.scroll_into_view_if_needed()
    page.wait_for_function(
        "() => [...document.querySelectorAll('div.vega')].every(el => el.dataset.rendered === 'true')"
    )
    page.evaluate("window.scrollTo(0, 0)")
    picture = Path(os.environ.get(PICTURE_ENV) or SCREENSHOTS / "readme-sphere.png")
    picture.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(picture), full_page=True, type="png")
    size = picture.stat().st_size
    width = int.from_bytes(picture.read_bytes()[16:20], "big")  # the PNG's IHDR width
    assert width == 1280
    assert size < PICTURE_LIMIT, f"{picture} is {size} bytes"
    page.context.close()


# Filters -------------------------------------------------------------------------------------------------


def test_filter_to_a_town_swaps_the_matrix_and_the_address_can_be_bookmarked(
    page: Any, browser: Any, server: Server, facts: SeedFacts
) -> None:
    town = facts.towns[0]
    expected = taking_part(facts, town)
    open_sphere(page)
    sphere_path = urlsplit(page.url).path
    page.evaluate("window.__notReloaded = true")  # gone if the filter reloaded the whole page
    with page.expect_response(lambda r: urlsplit(r.url).path == sphere_path and "municipality=" in r.url) as answer:
        page.locator("form.filters select[name=municipality]").select_option(label=town)
    assert answer.value.request.headers.get("hx-request") == "true"
    page.wait_for_function(
        "n => document.querySelectorAll('table.matrix tbody tr:not(.heading)').length === n", arg=len(expected)
    )
    page.wait_for_url(re.compile(r"municipality="))
    assert page.evaluate("window.__notReloaded") is True
    assert row_numbers(page) == [r.number for r in expected]
    assert t("ui.filtered_to", "ja", name=town) in page.locator("#matrix p.shown").inner_text()
    # Every row shown has the town's mark, in the highlighted column.
    assert page.locator(f"{PROJECT_ROWS} td.mark.selected.on").count() == len(expected)
    screenshot(page, "sphere-filtered")

    bookmarked = page.url
    assert parse_qs(urlsplit(bookmarked).query).get("municipality")
    page.reload()
    page.wait_for_selector("table.matrix")
    assert row_numbers(page) == [r.number for r in expected]
    chosen = page.locator("form.filters select[name=municipality]")
    assert chosen.locator("option:checked").inner_text() == town

    other = new_page(browser, server)
    try:
        other.goto(bookmarked)
        assert row_numbers(other) == [r.number for r in expected]
    finally:
        other.context.close()


# Language ------------------------------------------------------------------------------------------------


def test_english_by_the_header_link_sticks_on_other_pages(page: Any) -> None:
    open_sphere(page)
    assert page.get_by_role("heading", name=t("ui.matrix", "ja"), exact=True).count() == 1
    page.locator("header .lang a[hreflang=en]").click()
    page.wait_for_selector("html[lang=en]")
    assert page.get_by_role("heading", name=t("ui.matrix", "en"), exact=True).count() == 1
    assert t("ui.download_as_shown", "en") in page.locator("#matrix .downloads-inline").inner_text()
    assert t("ui.skip", "en") in page.locator("a.skip").inner_text()
    screenshot(page, "sphere-en")

    # The browser still asks for Japanese (locale ja-JP); the cookie keeps English on a page without ?lang.
    page.locator("header nav").get_by_role("link", name=t("ui.search", "en"), exact=True).click()
    page.wait_for_url(re.compile(r"/search$"))
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_role("heading", level=1).inner_text() == t("ui.search", "en")
    page.goto("/")
    assert page.get_by_role("heading", level=1).inner_text() == t("ui.spheres_title", "en")


# Downloads -----------------------------------------------------------------------------------------------


def download(page: Any, name: str) -> tuple[str, bytes]:
    """Click the sphere page's download link of a format (above the matrix, following its filters): the file's
    suggested name and its bytes."""
    with page.expect_download() as started:
        page.locator(f"#matrix .downloads-inline a[data-format='{name}']").click()
    got = started.value
    assert got.failure() is None
    return got.suggested_filename, Path(got.path()).read_bytes()


def test_downloads_of_the_sphere_page_hold_the_projects(page: Any, facts: SeedFacts) -> None:
    open_sphere(page)

    filename, data = download(page, "csv")
    assert filename.endswith(".csv") and SPHERE_NAME in filename
    vision = renkei.ingest.read_bytes(data, filename).vision
    assert [p.number for p in vision.projects] == facts.numbers
    assert [squeeze(p.name) for p in vision.projects] == [squeeze(r.name) for r in facts.rows]
    for p, r in zip(vision.projects, facts.rows, strict=True):
        assert list(p.participants) == [town for town, on in zip(facts.towns, r.marks, strict=True) if on]

    filename, data = download(page, "xlsx")
    assert filename.endswith(".xlsx")
    book = openpyxl.load_workbook(io.BytesIO(data), read_only=True)
    values = {str(v) for sheet in book.worksheets for row in sheet.iter_rows(values_only=True) for v in row if v}
    for r in facts.rows:
        assert any(r.name in v for v in values), r.name

    filename, data = download(page, "pdf")
    assert filename.endswith(".pdf") and data.startswith(b"%PDF")
    text = squeeze("\n".join(p.extract_text() or "" for p in PdfReader(io.BytesIO(data)).pages))
    for r in facts.rows:
        assert squeeze(r.name) in text, r.name
    assert MARK in text


# Charts --------------------------------------------------------------------------------------------------


def test_network_chart_is_drawn_with_the_town_names(page: Any, facts: SeedFacts) -> None:
    open_sphere(page)
    chart = page.locator("#chart-network div.vega")
    chart.scroll_into_view_if_needed()
    page.wait_for_selector("#chart-network div.vega[data-rendered=true] svg", timeout=30_000)
    svg_text = chart.locator("svg").first.text_content() or ""
    for town in facts.towns:
        assert town in svg_text, town
    assert chart.locator("svg").first.bounding_box()["width"] > 100


# Accessibility -------------------------------------------------------------------------------------------


def focused(page: Any) -> dict[str, str]:
    return dict(
        page.evaluate(
            "() => { const e = document.activeElement;"
            " return {tag: e.tagName.toLowerCase(), name: e.getAttribute('name') || '',"
            " cls: e.className || '', text: (e.innerText || '').trim()}; }"
        )
    )


def test_keyboard_reaches_the_skip_link_and_the_filters(page: Any) -> None:
    open_sphere(page)
    page.goto(page.url)  # a fresh load: the keyboard starts at the top of the document
    page.bring_to_front()
    page.keyboard.press("Tab")
    first = focused(page)
    assert first["tag"] == "a" and "skip" in first["cls"], first
    assert first["text"] == t("ui.skip", "ja")

    reached = []
    for _ in range(60):
        page.keyboard.press("Tab")
        now = focused(page)
        if now["tag"] == "select":
            reached.append(now["name"])
        if reached == ["field", "municipality"]:
            break
    assert reached == ["field", "municipality"]

    # The skip link takes the reader past the header, to the page's content.
    page.goto(page.url)
    page.keyboard.press("Tab")
    assert "skip" in focused(page)["cls"]
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"#main$"))
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.closest('header') === null")


def test_every_mark_cell_has_screen_reader_text(page: Any, facts: SeedFacts) -> None:
    open_sphere(page)
    on = page.locator(f"{PROJECT_ROWS} td.mark.on")
    off = page.locator(f"{PROJECT_ROWS} td.mark:not(.on)")
    links = sum(sum(r.marks) for r in facts.rows)
    assert on.count() == links
    assert off.count() == len(facts.rows) * len(facts.towns) - links
    assert set(on.locator(".sr").all_text_contents()) == {t("ui.role_member", "ja")}
    assert set(off.locator(".sr").all_text_contents()) == {t("ui.not_taking_part", "ja")}
    assert on.locator(".sr").count() == on.count() and off.locator(".sr").count() == off.count()
    # The ○ itself is hidden from screen readers, so a mark is read once, in words.
    assert set(on.locator("[aria-hidden=true]").all_text_contents()) == {MARK}
    assert page.locator("table.matrix thead th[scope=col]").count() == len(facts.towns) + 3


# Project, municipality, revisions ------------------------------------------------------------------------


def test_project_municipality_and_revisions_pages(page: Any, facts: SeedFacts) -> None:
    open_sphere(page)
    first = facts.rows[0]
    page.locator(PROJECT_ROWS).first.locator("th.name a").click()
    page.wait_for_url(re.compile(rf"/projects/{first.number}$"))
    assert squeeze(first.name) in squeeze(page.get_by_role("heading", level=1).inner_text())
    joined = [town for town, on in zip(facts.towns, first.marks, strict=True) if on]
    taking = page.locator("tr.on th[scope=row]").all_inner_texts()
    assert [name.strip() for name in taking] == joined
    screenshot(page, "project")

    town = joined[0]
    page.get_by_role("link", name=town, exact=True).click()
    page.wait_for_url(re.compile(r"/municipalities/"))
    assert town in page.get_by_role("heading", level=1).inner_text()
    count = len(taking_part(facts, town))
    assert page.get_by_role("heading", name=t("ui.agreement_schedule_n", "ja", n=count)).count() == 1
    assert page.locator("section.membership tbody tr").count() == count
    screenshot(page, "municipality")

    page.get_by_role("link", name=SPHERE_NAME, exact=True).first.click()
    page.get_by_role("link", name=t("ui.all_revisions", "ja"), exact=True).click()
    page.wait_for_url(re.compile(r"/revisions$"))
    assert page.get_by_role("heading", level=1).inner_text() == t("ui.revisions_of", "ja", name=SPHERE_NAME)
    assert page.locator("table.list tbody tr").count() == 1
    screenshot(page, "revisions")


# Check ---------------------------------------------------------------------------------------------------


def upload(page: Any, files: Any) -> None:
    page.goto("/check")
    page.locator("#file").set_input_files(files)
    page.get_by_role("button", name=t("ui.check_button", "ja"), exact=True).click()
    page.wait_for_load_state()


def test_check_page_shows_findings_with_their_lines(page: Any, seed_path: Path, facts: SeedFacts) -> None:
    upload(page, str(seed_path))
    rows = page.locator("table.findings-table tbody tr")
    assert rows.count() > 0
    assert page.locator("table.findings-table tr.sev-error").count() == 0
    places = page.locator("table.findings-table td.where").all_inner_texts()
    # The importer's repair of the mistyped heading (工 for エ) and the fragment's totals are found where they are.
    repaired = next(line for line, heading in facts.headings if heading.startswith("工"))
    for line in (repaired, facts.totals_line):
        assert any(t("location.line", "ja", line=line) in place for place in places), (line, places)
    # The preview matrix: the file's projects, nothing stored; a file that names no sphere is named by its file.
    assert page.locator(PROJECT_ROWS).count() == len(facts.rows)
    assert page.locator("table.matrix caption").inner_text().startswith(seed_path.name)
    screenshot(page, "check")

    page.goto("/")
    assert page.locator("table.list tbody tr").count() == 1


def test_check_page_shows_an_error_in_a_broken_copy(page: Any, seed_path: Path, facts: SeedFacts) -> None:
    broken = facts.rows[0]
    lines = seed_path.read_text(encoding="utf-8").splitlines(keepends=True)
    cells = lines[broken.line - 1].rstrip("\r\n").split("\t")
    cells[-1] = str(broken.declared_count + 1)  # a 連携町数 that its ○ marks do not give
    lines[broken.line - 1] = "\t".join(cells) + "\n"
    data = "".join(lines).encode("utf-8")
    upload(page, {"name": "broken.txt", "mimeType": "text/plain", "buffer": data})
    errors = page.locator("table.findings-table tr.sev-error")
    assert errors.count() >= 1
    assert t("location.line", "ja", line=broken.line) in " ".join(errors.locator("td.where").all_inner_texts())
    screenshot(page, "check-error")


# Search --------------------------------------------------------------------------------------------------


def test_search_highlights_the_projects_that_contain_the_words(page: Any, seed_path: Path, facts: SeedFacts) -> None:
    texts = descriptions(seed_path.read_text(encoding="utf-8"), facts)
    expected = [r.number for r in facts.rows if SEARCHED in r.name or SEARCHED in texts[r.number]]
    assert expected, "the seed should hold the searched word"
    page.goto("/search")
    page.get_by_label(t("ui.search_label", "ja"), exact=True).fill(SEARCHED)
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/search\?q="))
    hits = page.locator("ol.hits > li")
    numbers = [
        int(urlsplit(h).path.rsplit("/", 1)[1]) for h in hits.locator("a").evaluate_all("a => a.map(e => e.href)")
    ]
    assert sorted(numbers) == sorted(expected)
    for i in range(hits.count()):
        marked = hits.nth(i).locator("mark").all_inner_texts()
        assert marked and set(marked) == {SEARCHED}
    screenshot(page, "search")


# A phone -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("size", [(375, 812)])
def test_phone_scrolls_the_matrix_not_the_page(browser: Any, server: Server, size: tuple[int, int]) -> None:
    width, height = size
    phone = new_page(browser, server, viewport={"width": width, "height": height}, is_mobile=True, has_touch=True)
    try:
        phone.goto("/")
        phone.get_by_role("link", name=SPHERE_NAME, exact=True).click()
        phone.wait_for_selector("table.matrix")
        assert phone.evaluate("document.documentElement.scrollWidth") <= width + 1
        wrap = phone.evaluate(
            "() => { const e = document.getElementById('matrix');"
            " return {scroll: e.scrollWidth, client: e.clientWidth, overflow: getComputedStyle(e).overflowX}; }"
        )
        assert wrap["scroll"] > wrap["client"], wrap
        assert wrap["overflow"] in ("auto", "scroll"), wrap
        screenshot(phone, "sphere-phone")
    finally:
        phone.context.close()


def test_phone_reads_each_finding_as_a_card(browser: Any, server: Server, seed_path: Path) -> None:
    """On a phone the check's findings are cards, what a finding says as wide as the screen allows (as four
    table columns each was a strip a few characters wide), and the page does not scroll sideways."""
    width = 390
    phone = new_page(browser, server, viewport={"width": width, "height": 844}, is_mobile=True, has_touch=True)
    try:
        upload(phone, str(seed_path))
        rows = phone.locator("table.findings-table tbody tr")
        assert rows.count() > 0
        assert phone.evaluate("document.documentElement.scrollWidth") <= width + 1
        for i in range(rows.count()):
            said = rows.nth(i).locator("td").nth(2).bounding_box()
            assert said is not None and said["width"] > width * 0.75, said
        screenshot(phone, "check-phone")
    finally:
        phone.context.close()


def test_phone_page_of_a_long_file_name_does_not_scroll_sideways(browser: Any, server: Server, seed_path: Path) -> None:
    """A file named as offices name them (no space, no hyphen to break at) wraps in the check's heading and summary
    instead of widening a phone's page."""
    width = 390
    phone = new_page(browser, server, viewport={"width": width, "height": 844}, is_mobile=True, has_touch=True)
    try:
        name = "kamikawa_chubu_teijujiritsuken_kyoseivision_renkeijigyo_ichiran_r7_kaitei_final2.txt"
        upload(phone, {"name": name, "mimeType": "text/plain", "buffer": seed_path.read_bytes()})
        assert phone.locator("h2", has_text=name).count() == 1
        assert phone.evaluate("document.documentElement.scrollWidth") <= width + 1
    finally:
        phone.context.close()
