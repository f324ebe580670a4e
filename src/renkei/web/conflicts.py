"""A conflict in words: which project (its number and name, never the internal serial), and for each cell both
values, the one saved meanwhile and the one sent, as a person compares them (○/◎, a heading's label and title).
"""

from __future__ import annotations

from typing import Any

from renkei.core.messages import t
from renkei.store import Clash, Conflict
from renkei.vision import record

_FIELDS = {"number", "name", "description", "pillar", "field", "attributes", "position", "retired"}


def conflict_message(conflict: Conflict, lang: str) -> str:
    return t("store.stale-version", lang, **conflict.params)


def clash_lines(conflict: Conflict, lang: str) -> list[str]:
    """One line per cell: 「鷹栖町の参加：他の人の値「○」、あなたの値「（空欄）」」."""
    return [
        t(
            "ui.conflict_cell",
            lang,
            cell=cell_name(c.cell, lang),
            theirs=shown(c, c.theirs, lang),
            yours=shown(c, c.yours, lang),
        )
        for c in conflict.clashes
    ]


def conflict_text(conflict: Conflict, lang: str) -> str:
    return " ".join([conflict_message(conflict, lang), *clash_lines(conflict, lang)])


def cell_name(cell: str, lang: str) -> str:
    kind, _, town = cell.partition(":")
    if kind in ("mark", "note") and town:
        return t(f"ui.conflict_{kind}", lang, municipality=town)
    if cell in _FIELDS:
        return t(f"ui.conflict_field_{cell}", lang)
    declared = record.FIELDS.get(cell)  # a field declared since: by its declared label
    return t(declared.label_key, lang) if declared else cell


def shown(clash: Clash, value: Any, lang: str) -> str:
    if value is None or value == "" or value == {}:
        return t("ui.conflict_empty", lang)
    if clash.cell.startswith("mark:"):
        return "◎" if value == "lead" else "○"
    if isinstance(value, bool):
        return t("ui.yes" if value else "ui.no", lang)
    if isinstance(value, dict) and "title" in value:
        return f"{value.get('label') or ''} {value['title']}".strip()
    if isinstance(value, dict):
        return "、".join(f"{k}: {v}" for k, v in value.items())
    return str(value)
