"""What the reader understood of a table, worded for people (``renkei check`` and the check page): one line per
header layout naming the column taken for each role, and one per note applied."""

from __future__ import annotations

from renkei.core.messages import t
from renkei.ingest.understood import BY_HEADER, BlockReading, ColumnReading, Understood
from renkei.vision.model import Location

# The roles a line names, in this order; municipality columns are named together.
_ORDER = (
    "number",
    "name",
    "description",
    "municipality",
    "participants",
    "count",
    "pillar",
    "field",
    "attribute",
    "figure",
)


def understood_lines(understood: Understood | None, lang: str) -> list[str]:
    if understood is None:
        return []
    lines = [_block_line(block, lang) for block in understood.blocks]
    lines += [t(f"understood.note.{note['code']}", lang, text=note["text"]) for note in understood.notes]
    return lines


def _where(block: BlockReading, lang: str) -> str:
    if block.cell is not None:
        position = Location(sheet=block.sheet, cell=block.cell).table_position()
        if position is not None:  # a document's table (Word, a web page): its row
            return t("understood.at_table_row", lang, table=block.sheet or "", row=position[0])
        return t("understood.at_cell", lang, sheet=block.sheet or "", cell=block.cell)
    if block.page is not None:
        return t("understood.at_page", lang, page=block.page, line=block.line or "")
    return t("understood.at_line", lang, line=block.line or "")


def _column(column: ColumnReading, lang: str) -> str:
    text = t("understood.column", lang, position=column.position, header=column.header)
    if column.how != BY_HEADER:
        text += t(f"understood.how.{column.how}", lang)
    return text


def _block_line(block: BlockReading, lang: str) -> str:
    parts = []
    for role in _ORDER:
        columns = [c for c in block.columns if c.taken_as == role]
        if not columns:
            continue
        if role == "municipality":
            names = "、".join(c.municipality or c.header for c in columns)
            span = t("understood.span", lang, first=columns[0].position, last=columns[-1].position, names=names)
            parts.append(f"{t('understood.as.municipality', lang)}: {span}")
        else:
            parts.append(f"{t(f'understood.as.{role}', lang)}: " + "、".join(_column(c, lang) for c in columns))
    missing = [] if any(c.taken_as == "name" for c in block.columns) else [t("understood.no_name", lang)]
    return f"{_where(block, lang)} — " + " ／ ".join([*parts, *missing])
