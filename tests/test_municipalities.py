"""Municipality codes (全国地方公共団体コード) and the shipped national list."""

from __future__ import annotations

import pytest

from renkei.places.municipalities import Registry, Status, check_digit, is_valid_code, normalize_name

# The seed's municipalities as domain.md lists them: documented facts, code and official name.
DOMAIN_TABLE = {
    "012041": "旭川市",
    "014524": "鷹栖町",
    "014532": "東神楽町",
    "014541": "当麻町",
    "014559": "比布町",
    "014567": "愛別町",
    "014575": "上川町",
    "014583": "東川町",
    "014591": "美瑛町",
}


@pytest.mark.parametrize("code", sorted(DOMAIN_TABLE))
def test_check_digit_of_the_documented_codes(code: str) -> None:
    assert check_digit(code[:5]) == int(code[5])
    assert is_valid_code(code)


def test_check_digit_worked_by_hand() -> None:
    # 01204: 6·0 + 5·1 + 4·2 + 3·0 + 2·4 = 21; 21 mod 11 = 10; 11 − 10 = 1.
    assert check_digit("01204") == 1
    # A remainder of 0 or 1 gives 11 or 10, whose last digit is the check digit: 00000 sums to 0, 00006 to 12.
    assert check_digit("00000") == 1
    assert check_digit("00006") == 0


@pytest.mark.parametrize("code", ["012042", "01204", "0120411", "O12041", "０１２０４１", ""])
def test_invalid_codes(code: str) -> None:
    assert not is_valid_code(code)


def test_every_shipped_entry_passes_its_check_digit_and_is_unique() -> None:
    entries = Registry.default().entries
    assert len(entries) > 1700
    assert all(is_valid_code(e.code) for e in entries), [e for e in entries if not is_valid_code(e.code)]
    codes = [e.code for e in entries]
    assert len(set(codes)) == len(codes)


def test_every_shipped_entry_has_a_prefecture_a_name_and_a_reading() -> None:
    registry = Registry.default()
    assert len(registry.prefectures) == 47
    assert all(e.name and e.kana and e.prefecture in registry.prefectures for e in registry.entries)
    # The first two digits are the prefecture's number, in the order of the official list.
    numbers = {e.prefecture: e.code[:2] for e in registry.entries}
    assert [numbers[p] for p in registry.prefectures] == [f"{n:02d}" for n in range(1, 48)]


@pytest.mark.parametrize(("code", "name"), sorted(DOMAIN_TABLE.items()))
def test_the_documented_codes_name_the_documented_municipalities(code: str, name: str) -> None:
    entry = Registry.default().by_code(code)
    assert entry is not None
    assert (entry.name, entry.prefecture) == (name, "北海道")
    resolution = Registry.default().resolve(name)
    assert resolution.status is Status.EXACT
    assert resolution.entry == entry


def test_ambiguous_name_and_the_prefecture_that_decides() -> None:
    registry = Registry.default()
    ikeda = registry.resolve("池田町")
    assert ikeda.status is Status.AMBIGUOUS and ikeda.entry is None
    assert {e.prefecture for e in ikeda.candidates} == {"北海道", "福井県", "長野県", "岐阜県"}
    for prefecture in ("北海道", "福井県", "長野県", "岐阜県"):
        resolution = registry.resolve("池田町", prefecture)
        assert resolution.status is Status.BY_PREFECTURE
        assert resolution.entry is not None and resolution.entry.prefecture == prefecture
        assert is_valid_code(resolution.entry.code)
    assert registry.resolve("池田町", "沖縄県").status is Status.AMBIGUOUS


def test_the_other_members_decide_an_ambiguous_name() -> None:
    resolutions = Registry.default().resolve_all(["揖斐川町", "池田町", "大野町"])
    assert [r.entry.prefecture if r.entry else None for r in resolutions] == ["岐阜県"] * 3


@pytest.mark.parametrize(
    "written", ["北海道鷹栖町", "上川郡鷹栖町", "北海道上川郡鷹栖町", "鷹栖町", "鷹栖町 ", "鷹 栖 町"]
)
def test_names_with_prefecture_district_or_spaces(written: str) -> None:
    resolution = Registry.default().resolve(written)
    assert resolution.entry is not None and resolution.entry.code == "014524"


def test_prefecture_in_front_decides_an_ambiguous_name() -> None:
    resolution = Registry.default().resolve("岐阜県池田町")
    assert resolution.entry is not None and resolution.entry.code == "214043"


def test_unknown_name() -> None:
    resolution = Registry.default().resolve("架空町")
    assert (resolution.status, resolution.entry, resolution.candidates) == (Status.UNKNOWN, None, ())


@pytest.mark.parametrize(("a", "b"), [("鶴ヶ島市", "鶴ケ島市"), ("龍ケ崎市", "龍ヶ崎市"), ("鰺ヶ沢町", "鰺ヵ沢町")])
def test_small_ke_spellings_share_a_key(a: str, b: str) -> None:
    assert normalize_name(a) == normalize_name(b)
    assert Registry.default().resolve(b).entry == Registry.default().resolve(a).entry


def test_designated_city_wards_are_listed_with_their_city() -> None:
    entry = Registry.default().resolve("札幌市中央区").entry
    assert entry is not None and entry.code == "011011"
