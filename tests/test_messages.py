"""The message catalogues and the Japanese calendar: every text a user reads exists in both languages.

A key used in the code or in a template but missing from a catalogue would show the bare key (or Japanese in an
English page); these tests find such a key by reading the sources, as a translator would.
"""

from __future__ import annotations

import datetime
import logging
import re
from pathlib import Path

import pytest

from renkei.core.messages import LANGUAGES, STRICT, MissingMessage, catalogue, t, where
from renkei.vision.model import Location, table_cell
from renkei.web.i18n import era_year, format_date
from test_findings import source_codes

SRC = Path(__file__).resolve().parents[1] / "src" / "renkei"
# A literal key passed to t(...) in Python or to _(...) in a template; keys built at run time are not literals.
# A key followed by more text ("ui.role_" ~ role) is a prefix, not a key.
_PYTHON_KEY = re.compile(r"""\bt\(\s*["']([a-z][a-z0-9_]*\.[a-z0-9_.-]+)["']\s*[,)]""")
_TEMPLATE_KEY = re.compile(r"""\b_\(\s*["']([a-z][a-z0-9_]*\.[a-z0-9_.-]+)["']\s*[,)]""")


def literal_keys() -> dict[str, str]:
    """Every key written as a literal in the sources, with the first file that uses it."""
    keys: dict[str, str] = {}
    for path in sorted(SRC.rglob("*.py")):
        for key in _PYTHON_KEY.findall(path.read_text(encoding="utf-8")):
            keys.setdefault(key, str(path.relative_to(SRC)))
    for path in sorted((SRC / "web" / "templates").rglob("*.html")):
        for key in _TEMPLATE_KEY.findall(path.read_text(encoding="utf-8")):
            keys.setdefault(key, str(path.relative_to(SRC)))
    return keys


def coded(pattern: str) -> dict[str, str]:
    """Every code the sources raise with ``pattern`` (a regex whose group is the code), with the file."""
    found: dict[str, str] = {}
    for path in sorted(SRC.rglob("*.py")):
        for code in re.findall(pattern, path.read_text(encoding="utf-8")):
            found.setdefault(code, str(path.relative_to(SRC)))
    return found


def test_both_catalogues_have_the_same_keys() -> None:
    ja, en = (set(catalogue(lang)) for lang in LANGUAGES)
    assert not ja - en, f"only in ja.json: {sorted(ja - en)}"
    assert not en - ja, f"only in en.json: {sorted(en - ja)}"


def test_the_sources_use_keys_and_every_literal_key_is_in_both_catalogues() -> None:
    keys = literal_keys()
    assert len(keys) > 100, "the scan of the sources found too few keys to be reading them"
    for lang in LANGUAGES:
        missing = {key: where for key, where in keys.items() if key not in catalogue(lang)}
        assert not missing, f"keys used but missing from {lang}.json: {missing}"


def test_no_catalogue_entry_is_empty_and_the_japanese_one_is_japanese() -> None:
    for lang in LANGUAGES:
        # A hint may be empty: a finding of severity info often has nothing for the user to do.
        empty = [key for key, text in catalogue(lang).items() if not text.strip() and not key.startswith("hint.")]
        assert not empty, (lang, empty)
    # A Japanese entry with no kana or kanji at all is usually an English text pasted into the wrong file.
    japanese = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uff01-\uff5e]")
    suspicious = [
        key
        for key, text in catalogue("ja").items()
        if not japanese.search(text) and re.search(r"[A-Za-z]{4,} [A-Za-z]{4,} [A-Za-z]{4,}", text)
    ]
    assert not suspicious, suspicious


@pytest.mark.parametrize(
    ("date", "ja", "en"),
    [
        (datetime.date(2019, 4, 30), "平成31年", "Heisei 31"),  # the last day of Heisei
        (datetime.date(2019, 5, 1), "令和元年", "Reiwa 1"),  # the first day of Reiwa: 元年, never 1年
        (datetime.date(2019, 12, 31), "令和元年", "Reiwa 1"),
        (datetime.date(2020, 1, 1), "令和2年", "Reiwa 2"),
        (datetime.date(1989, 1, 7), "昭和64年", "Showa 64"),  # the last day of Showa
        (datetime.date(1989, 1, 8), "平成元年", "Heisei 1"),
        (datetime.date(2024, 4, 1), "令和6年", "Reiwa 6"),
    ],
)
def test_era_years_at_the_boundaries(date: datetime.date, ja: str, en: str) -> None:
    assert era_year(date, "ja") == ja
    assert era_year(date, "en") == en


def test_dates_in_both_languages() -> None:
    day = datetime.date(2019, 5, 1)
    assert format_date(day, "ja") == "2019年5月1日（令和元年）"
    assert format_date(day, "en") == "1 May 2019 (Reiwa 1)"
    assert format_date(None, "ja") == ""


# Codes: every one the sources can raise has its text (and hint) in both languages ---------------------------

_CODE = r'\(\s*"([a-z][a-z0-9-]+)"'


@pytest.mark.parametrize(
    ("what", "codes", "prefixes"),
    [
        ("finding", lambda: dict.fromkeys(source_codes(), "ingest/checks"), ("finding.", "hint.")),
        ("store error", lambda: coded(r"(?:StoreError|super\(\)\.__init__)" + _CODE), ("store.", "hint.store.")),
        ("read error", lambda: coded(r"TableReadError" + _CODE), ("error.", "hint.")),
        ("refused value", lambda: coded(r"Problem" + _CODE), ("invalid.",)),
        ("unavailable renderer", lambda: coded(r"RenderUnavailable" + _CODE), ("render.", "hint.")),
    ],
    ids=["finding", "store", "read", "invalid", "render"],
)
def test_every_code_has_its_texts_in_both_catalogues(what: str, codes: object, prefixes: tuple[str, ...]) -> None:
    assert callable(codes)
    found: dict[str, str] = codes()
    assert found, f"the scan of the sources found no {what} codes"
    for lang in LANGUAGES:
        missing = {
            f"{p}{code}": where
            for code, where in found.items()
            for p in prefixes
            if f"{p}{code}" not in catalogue(lang)
        }
        assert not missing, f"{what} codes without their text in {lang}.json: {missing}"


def test_a_text_names_the_same_parameters_in_both_languages() -> None:
    names = re.compile(r"\{(\w*)[^}]*\}")
    ja, en = catalogue("ja"), catalogue("en")
    differ = {key: (names.findall(ja[key]), names.findall(en[key])) for key in ja.keys() & en.keys()}
    differ = {key: pair for key, pair in differ.items() if set(pair[0]) != set(pair[1])}
    assert not differ, differ


def test_no_sentence_is_used_as_a_key() -> None:
    """A key names a text (``ui.error``, ``invalid.too-long``); an English sentence passed as a key loses its
    translation the day it is reworded. Literal first arguments of t(...) and _(...) must look like keys."""
    call = re.compile(r"""(?<![\w.])(?:t|_)\(\s*(["'])(.*?)\1""")
    key = re.compile(r"[a-z][a-z0-9_]*\.[a-z0-9_.-]*")
    sentences = []
    for path in [*SRC.rglob("*.py"), *(SRC / "web" / "templates").rglob("*.html")]:
        for _, first in call.findall(path.read_text(encoding="utf-8")):
            if not key.fullmatch(first):
                sentences.append((str(path.relative_to(SRC)), first))
    assert not sentences, sentences
    # Nor is a key made from a message at run time ("ui.error_" ~ message|replace(" ", "_")).
    made = re.compile(r"""_\([^\n]*\|\s*replace\(\s*["'] ["']""")
    built = [str(p.relative_to(SRC)) for p in (SRC / "web" / "templates").rglob("*.html") if made.search(p.read_text())]
    assert not built, built


def test_a_missing_key_or_parameter_raises_under_the_tests(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(STRICT, "1")
    with pytest.raises(MissingMessage, match=re.escape("ui.no-such-key")):
        t("ui.no-such-key", "en")
    with pytest.raises(MissingMessage, match="too-long"):
        t("invalid.too-long", "ja")  # {max} not given
    assert t("invalid.too-long", "en", max=20) == "At most 20 characters."


def test_outside_the_tests_a_gap_is_logged_and_shown(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.delenv(STRICT, raising=False)
    with caplog.at_level(logging.WARNING, logger="renkei.core.messages"):
        assert t("ui.gap-for-the-log", "en") == "ui.gap-for-the-log"
    assert "ui.gap-for-the-log is missing from en.json" in caplog.text


def test_an_english_count_takes_the_number_of_its_word() -> None:
    params = {"name": "x", "projects": 1, "municipalities": 3, "warnings": 0, "infos": 2}
    assert t("cli.summary", "en", errors=1, **params) == "x: 1 project, 3 municipalities, 1 error, 0 warnings, 2 info"
    assert "2 errors" in t("cli.summary", "en", errors=2, **params)
    assert t("cli.summary", "ja", errors=1, **params).startswith("x: 事業 1 件")


def test_a_place_is_said_as_its_file_kind_has_it() -> None:
    """A workbook's cell by its sheet and A1 name; a Word or web page's table, which has no column letters, by
    its row and column (the testers' words: "table row 8, column 9"); a PDF by page and line."""
    assert where(Location(sheet="ビジョン", cell="C2"), "ja") == "シート「ビジョン」C2"
    assert where(Location(line=9, sheet="表1", cell=table_cell(8, 9)), "ja") == "表1 の 8行目・9列目"
    assert where(Location(line=9, sheet="表1", cell=table_cell(8, 9)), "en") == "表1, row 8, column 9"
    assert Location(sheet="表1", cell="R8C9").table_position() == (8, 9)
    # A workbook's sheet may well be named 表1: its cells are still A1 names (R8 is one), never a table's.
    assert Location(sheet="表1", cell="R8").table_position() is None
    assert where(Location(sheet="表1", cell="R8"), "ja") == "シート「表1」R8"
    assert where(Location(sheet="表1", cell="AB12"), "ja") == "シート「表1」AB12"
    assert where(Location(page=3, line=4, column=2), "ja") == "3ページ 4行目 2列"
