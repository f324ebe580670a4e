"""One rule for every editable text field (renkei.vision.textrules): control characters, unpaired surrogates and
noncharacters are refused in names, descriptions, headings, attributes, notes and publish messages, writing
nothing; every allowed edge case, once published, goes through every renderer of the registry and every chart
kind (SVG through vl-convert) on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from renkei.core.permissions import RoleName
from renkei.ingest import read_sample
from renkei.publish import chartfile, charts
from renkei.render import RenderError, renderers
from renkei.store import Actor, Invalid, SphereSpec, Store
from renkei.vision.textrules import RULES

KEY = "kamikawa-chubu"
REFUSED = ["a\x00b", "\x1b[31m赤", "x\x7fy", "改\x85行", "\ud800", "\ufffe", "\U0001fffe"]
# Texts a person may type: long, astral, combining, zero-width, right-to-left, formula-looking, markup, quotes.
ALLOWED = [
    "😀🏯 事業",
    "ｶﾞｷﾞｸﾞ が゙ e\u0301",
    "連携\u200d事業\u200b",
    "\u202eعربي\u202c",
    "=1+1",
    "-2+3",
    "@SUM(A1)",
    "<script>alert(1)</script>",
    "\"'\\`;--",
    "\u3000全角空白\u3000",
]


@pytest.fixture
def store(db_url: str) -> Iterator[Store]:
    opened = Store.open(db_url)
    opened.import_reading(read_sample(), SphereSpec(key=KEY), message="sample")
    try:
        yield opened
    finally:
        opened.close()


def secretariat(store: Store) -> Actor:
    store.accounts.add("sec", "a long enough password 1234")
    store.accounts.grant("sec", KEY, RoleName.SECRETARIAT)
    return Actor(store.accounts.principal(store.accounts.get("sec").id), "test")


@pytest.mark.parametrize("bad", REFUSED)
def test_forbidden_characters_are_refused_in_every_field_and_nothing_is_written(store: Store, bad: str) -> None:
    who = secretariat(store)
    drafts = store.drafts
    project = drafts.get(KEY).projects[0]
    town = store.vision(KEY).municipalities[0].name
    before = drafts.get(KEY)
    attempts: list[tuple[str, Any]] = [
        ("name", lambda: drafts.update_project(KEY, project.serial, {"name": bad}, project.version, who)),
        ("description", lambda: drafts.update_project(KEY, project.serial, {"description": bad}, project.version, who)),
        (
            "field_title",
            lambda: drafts.update_project(
                KEY, project.serial, {"field": {"label": "ア", "title": bad}}, project.version, who
            ),
        ),
        (
            "pillar_label",
            lambda: drafts.update_project(
                KEY, project.serial, {"pillar": {"label": bad, "title": "柱"}}, project.version, who
            ),
        ),
        (
            "attributes.担当",
            lambda: drafts.update_project(KEY, project.serial, {"attributes": {"担当": bad}}, project.version, who),
        ),
        (
            f"attributes.{bad}",
            lambda: drafts.update_project(KEY, project.serial, {"attributes": {bad: "x"}}, project.version, who),
        ),
        ("note", lambda: drafts.set_note(KEY, project.serial, town, bad, project.version, who)),
        ("number", lambda: drafts.add_project(KEY, {"number": 900, "name": bad}, who)),
    ]
    for field, attempt in attempts:
        with pytest.raises(Invalid) as refused:
            attempt()
        assert set(refused.value.errors) & {field, "name"}, (field, refused.value.errors)
    after = drafts.get(KEY)
    assert (after.version, [p.version for p in after.projects]) == (
        before.version,
        [p.version for p in before.projects],
    )


def test_the_limits_are_the_rules(store: Store) -> None:
    who = secretariat(store)
    project = store.drafts.get(KEY).projects[0]
    for field, rule in (("name", RULES["name"]), ("description", RULES["description"])):
        with pytest.raises(Invalid):
            store.drafts.update_project(KEY, project.serial, {field: "あ" * (rule.limit + 1)}, project.version, who)
        project = store.drafts.update_project(KEY, project.serial, {field: "あ" * rule.limit}, project.version, who)


def test_every_allowed_edge_case_goes_through_every_renderer_and_chart(store: Store) -> None:
    who = secretariat(store)
    drafts = store.drafts
    town = store.vision(KEY).municipalities[0].name
    for i, (dp, text) in enumerate(zip(drafts.get(KEY).projects, ALLOWED, strict=False)):
        changes = {
            "name": f"{text}{i}",
            "description": f"{text}\n二行目\t{text}",
            "field": {"label": text[:20], "title": f"{text}分野{i}"},
            "attributes": {f"{text}属性": text},
        }
        saved = drafts.update_project(KEY, dp.serial, changes, dp.version, who)
        drafts.set_note(KEY, dp.serial, town, f"{text}\nメモ", saved.version, who)
    drafts.publish(KEY, f"公開 {ALLOWED[0]}\n{ALLOWED[4]}", who)
    vision = store.vision(KEY)
    assert {p.name for p in vision.projects} >= {f"{t}{i}".strip() for i, t in enumerate(ALLOWED)}
    for renderer in renderers():
        unavailable = renderer.unavailable() if renderer.unavailable else None
        if unavailable is not None:
            continue
        try:
            data = renderer.render(vision)
        except RenderError:
            # Only an encoding that cannot hold the characters may refuse, and it says so.
            assert renderer.name == "csv-cp932", renderer.name
            continue
        assert data, renderer.name
    for kind in charts.CHARTS:
        svg = chartfile.convert(charts.build(vision, kind), "svg")
        assert svg.startswith(b"<svg") or b"<svg" in svg[:200], kind


def test_every_code_point_is_refused_or_taken_as_the_character_rule_says() -> None:
    """``problem`` searches a text with one regular expression; over every code point of Unicode, in a field with
    lines and one without, it refuses exactly the characters ``forbidden`` names (a CR before a LF is a line
    break, not a control character)."""
    from renkei.vision.textrules import forbidden, problem

    for kind, lines in (("name", False), ("description", True)):
        wrong = [c for c in range(0x110000) if (problem(kind, f"a{chr(c)}b") is None) == forbidden(chr(c), lines)]
        assert wrong == [], (kind, [hex(c) for c in wrong[:5]])
    assert problem("description", "一行目\r\n二行目") is None
    assert problem("description", "一行目\r二行目") is not None
    assert problem("name", "一行目\r\n二行目") is not None
