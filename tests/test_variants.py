"""Variant characters (異体字) folded for matching municipality names and headings, the spelling kept for display
and each folding reported; a name that matches as written is never folded into another (鹿嶋市 ≠ 鹿島市)."""

from __future__ import annotations

import pytest

from renkei.ingest import read_bytes
from renkei.ingest.report import check_reading
from renkei.places.municipalities import Registry, normalize_name
from renkei.places.variants import fold, table


@pytest.mark.parametrize(
    ("written", "official"),
    [
        ("髙島市", "高島市"),
        ("長﨑市", "長崎市"),
        ("德島市", "徳島市"),
        ("田邊市", "田辺市"),
        ("田邉市", "田辺市"),
        ("長濵市", "長浜市"),
        ("福嶋市", "福島市"),
        ("函舘市", "函館市"),
        ("竜ケ崎市", "龍ケ崎市"),
    ],
)
def test_a_variant_resolves_to_the_official_name(written: str, official: str) -> None:
    resolution = Registry.default().resolve(written)
    assert resolution.entry is not None and resolution.entry.name == official


def test_names_written_as_they_are_never_fold_into_another() -> None:
    registry = Registry.default()
    ibaraki, saga = registry.resolve("鹿嶋市").entry, registry.resolve("鹿島市").entry
    assert ibaraki is not None and saga is not None
    assert (ibaraki.prefecture, saga.prefecture) == ("茨城県", "佐賀県")
    assert registry.resolve("飯舘村").entry is not None  # the official name keeps its 舘


def test_the_table_folds_to_standard_forms_only() -> None:
    pairs = table()
    assert len(pairs) > 200
    assert all(standard not in pairs for standard in pairs.values()), "a standard form is itself folded"
    for variant, standard in [("髙", "高"), ("﨑", "崎"), ("德", "徳"), ("邊", "辺"), ("邉", "辺"), ("濵", "浜")]:
        assert fold(variant) == standard
    assert fold("齋藤") == "斎藤" and fold("嶋") == "島" and fold("舘") == "館"
    # No two municipalities of one prefecture become one name.
    seen: dict[tuple[str, str], str] = {}
    for entry in Registry.default().entries:
        folded = (entry.prefecture, fold(normalize_name(entry.name)))
        assert seen.setdefault(folded, entry.code) == entry.code, folded


def test_a_table_with_variants_reads_and_says_each_folding() -> None:
    data = "\n".join(
        [
            "番号\t事業名\t事業內容\t髙島市\t長濵市\t米原市\t連携市町数",
            "1\t観光振興\t観光を振興する。\t○\t○\t\t2",
            "2\t防災連携\t防災で連携する。\t○\t○\t○\t3",
        ]
    ).encode("utf-8")
    report = check_reading(read_bytes(data, "t.txt"))
    vision = report.reading.vision
    assert [m.name for m in vision.municipalities] == ["高島市", "長浜市", "米原市"]
    assert [m.label for m in vision.municipalities] == ["髙島市", "長濵市", "米原市"]
    assert [p.description for p in vision.projects] == ["観光を振興する。", "防災で連携する。"]
    folded = [f for f in report.findings if f.code == "variant-folded"]
    assert [(f.params["name"], f.params["official"], f.location.column) for f in folded] == [  # type: ignore[union-attr]
        ("髙島市", "高島市", 4),
        ("長濵市", "長浜市", 5),
    ]
    assert report.ok
