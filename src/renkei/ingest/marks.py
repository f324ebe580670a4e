"""Marks and blanks as documents write them under a municipality's column.

Taking part: ○ 〇 ◯ (one mark in three spellings), ● and ◎ (a lead role where a legend says so, otherwise a
plain mark), ✓ ✔ ☑ ☒ (one mark: ☒ is Word's checked box), レ (the tick typed from the katakana), the words 参加
and 実施, 有 (あり) where 無 says the opposite, 1 in open-data CSV and TRUE (a workbook's check box). Not taking
part: an empty cell, dashes (－ ― - ー), × ✗, 0, なし, 無, the empty box ☐, FALSE, also in brackets (「－」). ■ and □
are no marks of their own (a heading's bullet as often): the counts decide them (``RowStage.counted_marks``).
A mark may carry a reference to a note of the table (○※1, ○（注1）: ``with_note``). Anything else is an unknown
mark that the reader reports at its cell.

Each mark that takes part has a *kind* (○ for all three circles, ✓ for the ticks): a table that uses two
kinds without a legend saying what they mean is ambiguous (is ◎ a lead or a typo?), which the reader reports.
"""

from __future__ import annotations

import re
import unicodedata

# Spelling → kind. ⭕ is the emoji circle that some word processors substitute.
_KINDS = {
    "○": "○",
    "〇": "○",
    "◯": "○",
    "⭕": "○",
    "●": "●",
    "◎": "◎",
    "✓": "✓",
    "✔": "✓",
    "☑": "✓",
    "☒": "✓",  # Word's checked check box (a content control draws ☒ for checked, ☐ for not)
    "レ": "レ",
    "参加": "参加",
    "実施": "実施",
    "有": "有",
    "あり": "有",
    "有り": "有",
    "1": "1",
    "TRUE": "TRUE",  # a workbook's check box (a cell formatted as one, or a form control's linked cell): its value
}
# Symbols that mark a row as holding marks even before its layout is known (a header never holds them).
SYMBOLS = frozenset(t for t in _KINDS if not t.isalnum() or t == "レ")
_BLANKS = frozenset(
    {
        "",
        "-",
        "ー",
        "―",
        "‐",
        "—",
        "–",
        "─",
        "×",
        "✕",
        "✖",
        "✗",
        "✘",
        "x",
        "X",
        "なし",
        "無",
        "無し",
        "0",
        "不参加",
        "/",
        "／",
    }
    | {"☐", "FALSE"}  # the empty check box beside ☒, and a workbook's unchecked box
)
_BRACKETS = re.compile(r"^[「『(（\[［](?P<inner>.*)[」』)）\]］]$")
# Spaces, and the variation selectors that ask for a mark's emoji or text look (✔️ is ✔ and U+FE0F): not the mark.
_SPACES = re.compile(r"[\s\ufe00-\ufe0f]+")


def _plain(text: str) -> str:
    """A cell's text without spaces, folded by NFKC (－ is -, １ is 1), and out of its brackets (「－」)."""
    plain = _SPACES.sub("", unicodedata.normalize("NFKC", text))
    match = _BRACKETS.match(plain)
    return match["inner"] if match else plain


def kind_of(text: str) -> str | None:
    """The kind of a mark that takes part (○, ●, ◎, ✓, レ, 参加, 実施, 1), or None."""
    stripped = text.strip()
    return _KINDS.get(stripped) or _KINDS.get(_plain(stripped))


# A mark followed by a reference to a note of the table: ○※, ○※1, ◎*2, ○注1, ○(注1), ○（※1）.
_NOTED = re.compile(
    r"^(?P<mark>\S+?)[\s\u3000]*(?P<note>[※＊*][0-9０-９]{0,2}|注[0-9０-９]{0,2}|[(（][※＊*注]?[0-9０-９]{0,2}[)）])$"
)


# A mark with the time of its taking part written beside it: ○（R7～）, ○ R7から, ◎(令和6年度～), ○(H30まで).
_YEAR = r"(?:[RＲHＨ]|令和|平成)?[0-9０-９元]{1,4}(?:年度|年)?"
_PERIOD = rf"{_YEAR}(?:[～〜~ー－-]|から|以降|より)(?:{_YEAR}(?:まで)?)?|{_YEAR}まで"
_PERIODED = re.compile(rf"^(?P<mark>\S+?)[\s\u3000]*(?P<note>[(（](?:{_PERIOD})[)）]|(?:{_PERIOD}))$")


def with_note(text: str) -> tuple[str, str] | None:
    """A mark and the note it refers to (○※1 → ("○", "※1")) or the time of its taking part written beside it
    (○（R7～） → ("○", "（R7～）"): ``is_period``), or None where the text is no mark with a note (the mark itself is
    not checked here)."""
    stripped = text.strip()
    match = _NOTED.match(stripped) or _PERIODED.match(stripped)
    if match is None or match["note"] in ("()", "（）", "(）", "（)"):
        return None
    return match["mark"], match["note"]


def is_period(note: str) -> bool:
    """Whether a mark's note (``with_note``) is the time of its taking part (R7～), not a reference to a note."""
    return _NOTED.match("○" + note) is None


def takes_part(text: str) -> bool:
    """Whether a cell holds a mark that takes part, with or without a reference to a note (○, ○※1)."""
    if kind_of(text) is not None:
        return True
    noted = with_note(text)
    return noted is not None and kind_of(noted[0]) is not None


def is_blank(text: str) -> bool:
    """Whether a cell says the municipality does not take part."""
    return _plain(text) in _BLANKS


def town_cell(text: str) -> bool:
    """A municipality's cell of a row copied as text: a mark, or a sign that it does not take part (a mark with
    a note too); never a digit (a number there is a project's number or count: a copy lost a cell, or a line of
    words is no row of marks)."""
    plain = text.strip()
    if any(c.isdigit() for c in plain):
        return False
    noted = with_note(plain)
    return (
        kind_of(plain) is not None
        or is_blank(plain)
        or plain in SYMBOLS
        or (noted is not None and bool(kind_of(noted[0])))
    )


# The letters that symbol fonts draw as marks (Excel shows ✓ where the cell holds ü in Wingdings; Word's 記号と
# 特殊文字 writes <w:sym w:font="Wingdings" w:char="F0A1"/> for ○): what a reader sees is the mark shown, never
# the letter. Read by the XLSX reader (a cell's single letter in such a font) and the DOCX reader (a symbol).
SYMBOL_FONTS = {
    "wingdings": {"l": "●", "¡": "○", "¥": "◎", "ü": "✓", "þ": "☑", "n": "■", "û": "×", "ý": "×"},
    "wingdings 2": {"P": "✓", "R": "☑", "O": "×", "Q": "×", "T": "×"},
    "webdings": {"a": "✓", "n": "●", "r": "×"},
}
SYMBOL_LETTERS = frozenset(letter for letters in SYMBOL_FONTS.values() for letter in letters)


def symbol_mark(font: str, letter: str) -> str | None:
    """The mark a symbol font draws for a letter (Wingdings' ¡ is ○), or None."""
    return SYMBOL_FONTS.get(font.strip().lower(), {}).get(letter)
