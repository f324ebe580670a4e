"""What the zip-based readers (DOCX, ODS) share: a part of the zip parsed as XML without entity expansion,
network access or huge trees, after ``limits.check_zip`` has bounded the archive."""

from __future__ import annotations

import io
import zipfile

from lxml import etree

from renkei.ingest.errors import TableReadError
from renkei.ingest.headings import parse_legend
from renkei.ingest.limits import Limits, check_zip

_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, load_dtd=False)


def parse_xml(xml: bytes) -> etree._Element:
    """A part's XML parsed without entity expansion, network access or huge trees."""
    return etree.fromstring(xml, _PARSER)


def read_part(data: bytes, part: str, limits: Limits, kind: str) -> etree._Element:
    """The root element of one XML part; a part missing or broken is ``{kind}-unreadable``."""
    check_zip(data, limits)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            xml = archive.read(part)
        return parse_xml(xml)
    except Exception as error:  # zipfile, zlib and lxml raise many kinds on a broken part
        raise TableReadError(f"{kind}-unreadable", reason=f"{part}: {type(error).__name__}: {error}") from None


def pick(names: list[str], sheet: str | None) -> list[int]:
    """The indexes of the sheets (or tables) to read: all of them, or the one named or numbered (1-based)."""
    if sheet is None:
        return list(range(len(names)))
    if sheet in names:
        return [names.index(sheet)]
    if sheet.isdigit() and 1 <= int(sheet) <= len(names):
        return [int(sheet) - 1]
    raise TableReadError("sheet-missing", sheet=sheet, available="、".join(names))


def column_letters(number: int) -> str:
    letters = ""
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def is_note(text: str) -> bool:
    """A paragraph beside a table that says what its marks and counts mean (a legend, a note: ※, 注, ◎ …, and a
    legend under a label, 凡例　●：幹事市町), read with the table; other paragraphs (prose) are not."""
    stripped = text.strip()
    return stripped.startswith(("※", "注", "（注", "(注", "＊", "*", "◎", "○", "〇", "●")) or bool(
        parse_legend(stripped)
    )
