"""Every readable format reads back into the vision it was rendered from: the seed, then random visions.

The comparison is on ``Vision.content()`` and, apart, on the declared figures, which every readable format carries
as the document declared them. The formats come from the
renderer registry, never from a list typed here.
"""

from __future__ import annotations

import copy
import dataclasses
import os
import unicodedata
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import pytest
from hypothesis import HealthCheck, given, note, settings
from hypothesis import strategies as st

from renkei.ingest import Reading, read_bytes, read_path, read_sample
from renkei.ingest.report import check_reading
from renkei.places.municipalities import Entry, Registry
from renkei.render import Renderer, RenderError, get, renderers
from renkei.vision.checks import check
from renkei.vision.guidelines import PILLARS
from renkei.vision.model import Heading, Municipality, Project, Role, Severity, Sphere, SphereKind, Vision

T = TypeVar("T")

READABLE = [r for r in renderers() if r.readable]
# Examples per format; RENKEI_EXAMPLES=1000 for a longer hunt.
EXAMPLES = int(os.environ.get("RENKEI_EXAMPLES", "60"))


def is_csv(renderer: Renderer) -> bool:
    return renderer.extension == "csv"


def read_back(renderer: Renderer, original: Vision) -> Reading:
    """Read with no sphere given: every format carries the sphere's identity itself (a CSV in its metadata row)."""
    return read_bytes(renderer.render(original), f"roundtrip.{renderer.extension}")


def assert_same_content(back: Vision, original: Vision) -> None:
    """Field by field first, so that a failure says what differs, then the whole."""
    assert back.sphere == original.sphere
    assert back.municipalities == original.municipalities
    assert [p.number for p in back.projects] == [p.number for p in original.projects]
    for got, want in zip(back.projects, original.projects, strict=True):
        got, want = dataclasses.replace(got, declared_count=None), dataclasses.replace(want, declared_count=None)
        assert got == want, want.number
        assert list(got.participants) == list(want.participants), want.number
    assert back.content() == original.content()


def assert_declared_survive(reading: Reading, original: Vision) -> None:
    """The figures the document declared (連携町数, 連携事業数計, the grand total) read back as they were, wrong or
    blank ones included: a fragment's totals cannot be recomputed from its rows, and a wrong count must stay
    visible to the checks. (Until issue 11 the renderers wrote computed figures instead.) An XLSX holds formulas
    that no spreadsheet program has calculated here; its metadata row says which figures they give."""
    back = reading.vision
    assert [p.declared_count for p in back.projects] == [p.declared_count for p in original.projects]
    assert back.declared_totals == {k: v for k, v in original.declared_totals.items() if v is not None}
    assert back.declared_grand_total == original.declared_grand_total


# The seed through every readable format ---------------------------------------------------------------------


@pytest.fixture(scope="module", params=["sample", "seed-file"])
def seed_reading(request: pytest.FixtureRequest, seed_path: Path) -> Reading:
    """The bundled sample (with its sphere: title line, central city) and the seed file as it is (no title)."""
    return read_sample() if request.param == "sample" else read_path(seed_path)


@pytest.mark.parametrize("renderer", READABLE, ids=lambda r: r.name)
def test_seed_round_trip(renderer: Renderer, seed_reading: Reading) -> None:
    original = seed_reading.vision
    back = read_back(renderer, original)
    assert_same_content(back.vision, original)
    assert_declared_survive(back, original)
    report = check_reading(back)
    assert [f.code for f in report.findings if f.severity is Severity.ERROR] == []


@pytest.mark.parametrize("renderer", READABLE, ids=lambda r: r.name)
def test_seed_round_trip_is_stable(renderer: Renderer, seed_reading: Reading) -> None:
    """Rendering what was read back gives the same bytes again (XLSX compared by its cells)."""
    first = read_back(renderer, seed_reading.vision).vision
    second = read_back(renderer, first).vision
    assert second.content() == first.content()
    if renderer.extension != "xlsx":
        assert renderer.render(first) == renderer.render(second)


def test_formats_that_write_counts_write_them_all(seed_reading: Reading) -> None:
    original = seed_reading.vision
    for renderer in READABLE:
        back = read_back(renderer, original).vision
        declared = [p.declared_count for p in back.projects]
        if renderer.name in ("official", "markdown") or is_csv(renderer):
            assert None not in declared, renderer.name


@pytest.mark.parametrize(
    ("name", "encoding", "bom"),
    [("csv", "utf-8-sig", True), ("csv-utf8", "utf-8", False), ("csv-cp932", "cp932", False)],
)
def test_csv_encodings(name: str, encoding: str, bom: bool, seed_reading: Reading) -> None:
    renderer = get(name)
    data = renderer.render(seed_reading.vision)
    assert data.startswith(b"\xef\xbb\xbf") is bom
    data.decode(encoding)  # raises if the bytes are not in that encoding
    if encoding == "cp932":
        with pytest.raises(UnicodeDecodeError):
            data.decode("utf-8")
    back = read_back(renderer, seed_reading.vision)
    assert back.source.encoding == encoding
    assert back.source.format == "csv"
    assert_same_content(back.vision, seed_reading.vision)


def test_cp932_refuses_what_shift_jis_cannot_write(seed_reading: Reading) -> None:
    vision = copy.deepcopy(seed_reading.vision)
    vision.projects[0].name = "𠮷野家" + vision.projects[0].name  # U+20BB7 is not in CP932
    with pytest.raises(RenderError, match="cp932"):
        get("csv-cp932").render(vision)
    for renderer in READABLE:
        if renderer.name != "csv-cp932":
            assert read_back(renderer, vision).vision.projects[0].name == vision.projects[0].name


def _lead(vision: Vision) -> None:
    first = vision.projects[0]
    name = next(iter(first.participants))
    first.participants[name] = Role.LEAD


def _name_like_a_label(vision: Vision) -> None:
    vision.projects[0].name = "ア " + vision.projects[0].name


def _roles_naming_towns(vision: Vision) -> None:
    names = [m.name for m in vision.municipalities]
    vision.projects[0].attributes = {"甲の役割": "旭川市", "乙の役割": names[0]}
    vision.projects[1].attributes = {"乙の役割": "各町"}


def _formula_like_text(vision: Vision) -> None:
    vision.projects[0].name = "=SUM(A1:A3)"
    vision.projects[1].description = "=とえ"


def _awkward_cells(vision: Vision) -> None:
    vision.projects[0].name = 'A "quoted", | piped\tname'
    vision.projects[1].description = "line one\nline two\twith a tab, a comma | and a pipe"
    vision.projects[2].name = "**強調** と <br> と \\| と *"


# Each of these once read back wrong in some format; see the commits that fixed them.
EDITS: dict[str, Callable[[Vision], None]] = {
    "lead-role": _lead,
    "name-like-a-field-label": _name_like_a_label,
    "roles-naming-towns": _roles_naming_towns,
    "text-starting-with-equals": _formula_like_text,
    "quotes-tabs-newlines-pipes": _awkward_cells,
}


@pytest.mark.parametrize("edit", list(EDITS), ids=list(EDITS))
@pytest.mark.parametrize("renderer", READABLE, ids=lambda r: r.name)
def test_awkward_seed_round_trip(renderer: Renderer, edit: str) -> None:
    vision = copy.deepcopy(read_sample().vision)
    EDITS[edit](vision)
    back = read_back(renderer, vision)
    assert_same_content(back.vision, vision)
    assert [f.code for f in check_reading(back).findings if f.severity is Severity.ERROR] == []


# Random visions ---------------------------------------------------------------------------------------------

REGISTRY = Registry.default()
BY_PREFECTURE: dict[str, list[Entry]] = {}
for _entry in REGISTRY.entries:
    BY_PREFECTURE.setdefault(_entry.prefecture, []).append(_entry)
NAME_COUNT: dict[str, int] = {}
for _entry in REGISTRY.entries:
    NAME_COUNT[_entry.name] = NAME_COUNT.get(_entry.name, 0) + 1

HIRAGANA = [chr(c) for c in range(0x3041, 0x3097)]
KATAKANA = [chr(c) for c in range(0x30A1, 0x30F7)] + ["ー"]
KANJI = list("圏域市町村連携事業推進支援観光交流移住定住地域産業振興医療福祉教育公共交通情報通信人材育成環境防災文化")
OUTSIDE_CP932 = ["𠮷", "😀", "ⓐ"]
SPECIAL = ['"', "'", ",", "\t", "\n", "|", "\u3000", "\\", "*", "#", "=", "-", "○", "・", "、", "。"]
JAPANESE = HIRAGANA + KATAKANA + KANJI
FIELD_LABELS = list("アイウエオ")
ATTRIBUTE_KEYS = ["甲の役割", "乙の役割", "成果指標"]
SPHERE_KANJI = list("上川中部北南東西央広大小山海森花宮松本")

characters = st.one_of(
    st.sampled_from(JAPANESE),
    st.characters(min_codepoint=0x20, max_codepoint=0x7E),
    st.sampled_from(SPECIAL),
    st.sampled_from(OUTSIDE_CP932),
)


# Pieces of text that mean something to one reader or another: Markdown's escapes and bold, marks, headings'
# labels, a legend's colon, notes, formulas.
TOKENS = ["<br>", "**", "\\|", "○", "◎", "ア ", "① ", "(1)", "1.", "：", "※", "=", "#", "---", "市", "町"]


def cell_text(max_size: int = 40) -> st.SearchStrategy[str]:
    """A cell's text: Japanese, ASCII, quotes, commas, tabs, line breaks, pipes; never blank, and no
    whitespace at either end (every reader strips its cells)."""
    pieces = st.lists(st.one_of(characters, characters, characters, st.sampled_from(TOKENS)), min_size=1)
    return pieces.map("".join).map(lambda text: text[:max_size].strip()).filter(bool)


heading_title = st.builds(
    lambda first, rest: (first + rest).strip(),
    st.sampled_from(JAPANESE),
    st.text(st.one_of(st.sampled_from(JAPANESE), st.sampled_from(list("ABCxyz0123 ・"))), max_size=20),
)
fields = st.builds(Heading, st.sampled_from(FIELD_LABELS), heading_title)


def shuffled_subset(items: list[T]) -> st.SearchStrategy[list[T]]:
    return st.lists(st.sampled_from(items), unique=True) if items else st.just([])


def sorted_as(items: list[T], order: list[T]) -> list[T]:
    return [x for x in order if x in items]


# What a sphere's kind may be where only its title can say it (a PDF, a page): 定住自立圏 and 連携中枢都市圏 end
# their names with their kind; a sphere of another kind (その他の広域連携) has no such word, and its kind comes back
# only from a format that carries the metadata row.
TITLED_KINDS = [k for k in SphereKind if k is not SphereKind.OTHER]


@st.composite
def visions(draw: st.DrawFn, kinds: list[SphereKind] | None = None) -> Vision:
    prefecture = draw(st.sampled_from(sorted(BY_PREFECTURE)))
    entries = BY_PREFECTURE[prefecture]
    chosen: list[Entry] = draw(
        st.lists(st.sampled_from(entries), min_size=1, max_size=min(12, len(entries)), unique_by=lambda e: e.name)
    )
    # A table must say its prefecture somehow: a column name found in one prefecture only. (A table of
    # nothing but 池田町s and 伊達市s is ambiguous on paper too; the reader asks for --prefecture then.)
    if all(NAME_COUNT[e.name] > 1 for e in chosen):
        chosen.append(draw(st.sampled_from([e for e in entries if NAME_COUNT[e.name] == 1 and e not in chosen])))
    municipalities = [Municipality(e.name, e.code, e.prefecture, e.name) for e in chosen]

    kind = draw(st.sampled_from(kinds or list(SphereKind)))
    if draw(st.booleans()):
        cities = [e for e in entries if e.name.endswith("市")]
        central_entry = draw(st.none() | st.sampled_from(cities)) if cities else None
        central = (
            Municipality(central_entry.name, central_entry.code, central_entry.prefecture, central_entry.name)
            if central_entry
            else None
        )
        name = "".join(draw(st.lists(st.sampled_from(SPHERE_KANJI), min_size=2, max_size=5))) + kind.value
        sphere = Sphere(name=name, kind=kind, central_city=central, prefecture=prefecture)
    else:
        sphere = Sphere(prefecture=prefecture)

    # A sphere of another kind (その他の広域連携) has no national pillars of its own; it may write the guidelines'.
    pillars = [p.heading for p in PILLARS.get(sphere.kind, PILLARS[SphereKind.SETTLEMENT])]
    numbers = sorted(draw(st.sets(st.integers(1, 300), min_size=1, max_size=12)))
    attribute_keys = draw(shuffled_subset(ATTRIBUTE_KEYS))
    projects = []
    for number in numbers:
        participants = sorted_as(
            draw(shuffled_subset([m.name for m in municipalities])), [m.name for m in municipalities]
        )
        roles = {name: draw(st.sampled_from([Role.MEMBER, Role.MEMBER, Role.LEAD])) for name in participants}
        attributes = {k: draw(cell_text(30)) for k in attribute_keys if draw(st.booleans())}
        projects.append(
            Project(
                number=number,
                name=draw(cell_text()),
                description=draw(st.just("") | cell_text(80)),
                pillar=draw(st.sampled_from(pillars)),
                field=draw(fields),
                participants=roles,
                attributes=attributes,
                # What a document declared, right or wrong: renderers write the computed counts instead.
                declared_count=draw(st.none() | st.just(len(roles)) | st.integers(0, 20)),
            )
        )
    vision = Vision(sphere=sphere, municipalities=municipalities, projects=projects)
    if draw(st.booleans()):
        # A blank total is an absent entry, as every reader records it.
        totals = {m.name: draw(st.none() | st.integers(0, 40)) for m in municipalities}
        vision.declared_totals = {name: n for name, n in totals.items() if n is not None}
        vision.declared_grand_total = draw(st.none() | st.integers(0, 400))
    return vision


def cp932_texts(vision: Vision) -> list[str]:
    """The text a wide CSV writes (municipalities go by code)."""
    texts = [*vision.attribute_names()]
    for p in vision.projects:
        texts += [p.name, p.description, str(p.pillar or ""), str(p.field or ""), *p.attributes.values()]
    return texts


def encodable(texts: list[str], encoding: str) -> bool:
    try:
        "".join(texts).encode(encoding)
    except UnicodeEncodeError:
        return False
    return True


@pytest.mark.parametrize("renderer", READABLE, ids=lambda r: r.name)
@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(vision=visions())
def test_random_vision_round_trip(renderer: Renderer, vision: Vision) -> None:
    note(f"{renderer.name}: {vision}")
    if renderer.media_type.endswith("shift_jis") and not encodable(cp932_texts(vision), "cp932"):
        with pytest.raises(RenderError):
            renderer.render(vision)
        return
    back = read_back(renderer, vision)
    note(f"findings: {back.findings}")
    assert_same_content(back.vision, vision)
    assert_declared_survive(back, vision)
    errors = [f.code for f in check_reading(back).findings if f.severity is Severity.ERROR]
    # The declared figures came through as they were: so do the errors they cause, and only those.
    assert errors == [f.code for f in check(vision) if f.severity is Severity.ERROR]


def test_strategy_makes_what_the_round_trip_needs() -> None:
    """The generated text really holds the awkward characters (else the property test proves little)."""
    seen: set[str] = set()

    @settings(max_examples=200, deadline=None)
    @given(vision=visions())
    def collect(vision: Vision) -> None:
        for p in vision.projects:
            seen.update(p.name + p.description)
            assert p.name == p.name.strip() and p.name
            assert all(unicodedata.category(ch) != "Cc" or ch in "\t\n" for ch in p.name)

    collect()
    assert {"\t", "\n", "|", '"', ","} <= seen
    assert seen & set(HIRAGANA) and seen & set(KANJI)


@pytest.mark.parametrize("renderer", READABLE, ids=lambda r: r.name)
def test_an_attribute_worded_as_a_field_heading_round_trips(renderer: Renderer) -> None:
    # Found by the random round trip: a column of the document's own (甲の役割) whose repeated cells read as a
    # field heading (ア 地域医療), beside the field heading lines renkei writes, was taken for the fields' column.
    heading = Heading("ア", "医療")
    vision = Vision(
        sphere=Sphere(prefecture="三重県"),
        municipalities=[Municipality("津市", "242012", "三重県", "津市")],
        projects=[
            Project(
                1,
                "救急医療",
                pillar=Heading("①", "生活機能の強化"),
                field=heading,
                attributes={"甲の役割": "ア 地域医療"},
            ),
            Project(2, "病児保育", pillar=Heading("①", "生活機能の強化"), field=heading),
            Project(
                3,
                "休日診療",
                pillar=Heading("①", "生活機能の強化"),
                field=heading,
                attributes={"甲の役割": "ア 地域医療"},
            ),
        ],
    )
    assert_same_content(read_back(renderer, vision).vision, vision)
