"""The date a table says it stands at (「令和6年4月1日現在」, 「2024年4月1日現在」, 「R6.4.1時点」): what the first
revision's 適用日 is proposed as, for the person to confirm. Pure, apart from ``head_text``, which gathers the first
lines of a file's text (a text file decoded, a workbook's first rows, a PDF's first page).

Eras are read in full (令和, 平成, 昭和) and by their initials (R, H, S), with 元年 for the first year, Arabic,
full-width and kanji numerals alike. Only a date followed by 現在, 時点 or 適用 counts: a plan period or a date
in a project's description is not the date the table stands at.
"""

from __future__ import annotations

import datetime
import io
import re
import unicodedata

ERAS = {"令和": 2018, "R": 2018, "平成": 1988, "H": 1988, "昭和": 1925, "S": 1925}
_KANJI = {"〇": 0, "零": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_NUMBER = r"(?:\d{1,4}|[〇零一二三四五六七八九十]{1,4}|元)"
_MARK = r"\s*[)）]?\s*(?:現在|時点|適用)"
_ERA = "|".join(sorted(ERAS, key=len, reverse=True))
PATTERNS = (
    # 令和6年4月1日現在, R6年4月1日時点, 2024年4月1日現在
    re.compile(
        rf"(?P<era>{_ERA})?\s*(?P<y>{_NUMBER})\s*年\s*(?P<m>{_NUMBER})\s*月\s*(?P<d>{_NUMBER})\s*日{_MARK}",
        re.IGNORECASE,
    ),
    # R6.4.1時点, H31/4/1現在, 2024-04-01現在
    re.compile(
        rf"(?P<era>{_ERA})?\s*(?P<y>\d{{1,4}})\s*[./\-]\s*(?P<m>\d{{1,2}})\s*[./\-]\s*(?P<d>\d{{1,2}}){_MARK}",
        re.IGNORECASE,
    ),
)
HEAD_CHARACTERS = 20_000  # what is searched: the title and the lines around it, not the whole table


def number(text: str) -> int:
    """6, 元 (1), 十二 (12), 三十一 (31), 〇六 (6)."""
    if text == "元":
        return 1
    if text.isdigit():
        return int(text)
    if "十" in text:
        tens, _, ones = text.partition("十")
        return (_KANJI[tens] if tens else 1) * 10 + (_KANJI[ones] if ones else 0)
    value = 0
    for character in text:
        value = value * 10 + _KANJI[character]
    return value


def as_of(text: str) -> datetime.date | None:
    """The first date in ``text`` said to be the one the table stands at, or None."""
    normal = unicodedata.normalize("NFKC", text[:HEAD_CHARACTERS])
    found: list[tuple[int, datetime.date]] = []
    for pattern in PATTERNS:
        for match in pattern.finditer(normal):
            era = match["era"]
            year = number(match["y"])
            if era:
                year += ERAS[era.upper()] if era.isascii() else ERAS[era]
            elif year < 1000:
                continue  # a year without its era cannot be placed
            try:
                found.append((match.start(), datetime.date(year, number(match["m"]), number(match["d"]))))
            except (ValueError, KeyError):
                continue
    return min(found)[1] if found else None


def head_text(data: bytes, name: str) -> str:
    """The first lines of a file as text, where its title and 「…現在」 stand: a text file decoded, a workbook's
    first rows, a PDF's first page. Empty where none can be had (the date is then left for the person)."""
    suffix = name.lower().rsplit(".", 1)[-1] if "." in name else ""
    try:
        if data.startswith(b"%PDF") or suffix == "pdf":
            return _pdf_head(data)
        if data.startswith(b"PK") or suffix == "xlsx":
            return _xlsx_head(data)
    except Exception:  # a proposal only: a file its reader read but this cannot gives no date
        return ""
    head = data[: HEAD_CHARACTERS * 3]
    for encoding in ("utf-8-sig", "cp932"):
        try:
            return head.decode(encoding)
        except UnicodeDecodeError:
            continue
    return head.decode("utf-8", errors="replace")


def _xlsx_head(data: bytes) -> str:
    import openpyxl

    book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    try:
        lines = []
        for sheet in book.worksheets[:3]:
            for row in sheet.iter_rows(max_row=12, values_only=True):
                lines.append(" ".join(str(c) for c in row if c is not None))
        return "\n".join(lines)
    finally:
        book.close()


def _pdf_head(data: bytes) -> str:
    import pdfplumber

    with pdfplumber.open(io.BytesIO(data)) as pdf:
        return "\n".join((page.extract_text() or "") for page in pdf.pages[:2])
