"""renkei's own format: what its writers put into a table so that its readers can take it back whole. The
renderers (``renkei.render``) write it and the readers (``renkei.ingest``) read it, so it lives beside both,
in neither (``tests/test_import_graph.py`` keeps the renderers from importing the readers).

The metadata row: a table renkei writes (official layout, Markdown, CSV, XLSX) opens with one row whose first
cell is the marker ``renkei.vision/1`` and whose other cells are ``名前：値`` fields:

- the sphere's identity: 圏域キー (the registry's key), 圏域名, 種類, 中心市 (code and name), 都道府県, and the
  edition it was exported from: 版 (revision number) and 適用日 (effective date), and 抜粋 (what a part of
  the table was filtered by: such a file is not a whole revision, and an import refuses it);
- where the table's own figures are computed (the XLSX writes live formulas), the declared figures that differ
  from them: 記載の連携町数 (number:count for each project whose declared count differs, empty where none was
  declared) and, when any total differs (a fragment's totals count its missing rows), the whole declared row:
  記載の連携事業数計 (municipality:total) and 記載の総計. A ○ added in the workbook then moves every figure
  that agreed with the marks, while those the marks cannot give stay as the document declared them. 数値：計算式
  says that the other figures are the formulas' results: a workbook that no spreadsheet program has calculated
  yet (written by a program) holds none, and the reader takes the figures the marks give;
- 数式無効化：' where cells that Excel would take for a formula (starting with = + - @, a tab or a carriage
  return, OWASP's list) were written with a leading apostrophe (``neutralise``), which reading removes again
  (``unneutralise``).

A Markdown table carries the same fields in an HTML comment (``<!-- renkei.vision/1<TAB>…<TAB>… -->``), which a
Markdown viewer does not show, and escapes its cells (``escape_markdown``, undone by ``unescape_markdown``). The
long-form CSV (one row per link) opens with ``renkei.links/1`` and the same fields (``links_notice``); the tidy
CSV has its header (``NUMBER`` first; ``LONG_HEADER`` for the long form) and one closing record,
``TOTALS_RECORD``. ``ingest.meta`` reads the row back, ``ingest.tidy`` the tidy CSV, ``ingest.long`` the long
form.
"""

from __future__ import annotations

import re

from renkei.vision.model import Vision

MARKER = "renkei.vision/1"
LINKS_MARKER = "renkei.links/1"
COMPUTED = "（計算値）"
# Characters that make a spreadsheet read a cell as a formula (OWASP, CSV injection). The Japanese long
# vowel ー and the full-width minus － are text, not formula characters.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
QUOTE = "'"
SEPARATOR = "："

KEY, NAME, KIND, CENTRAL, PREFECTURE = "圏域キー", "圏域名", "種類", "中心市", "都道府県"
REVISION, EFFECTIVE, EXCERPT = "版", "適用日", "抜粋"
COUNTS, TOTALS, GRAND = "記載の連携町数", "記載の連携事業数計", "記載の総計"
FIGURES, FORMULAS = "数値", "計算式"
NEUTRALISED = "数式無効化"


# The metadata row ---------------------------------------------------------------------------------------------


def meta_fields(vision: Vision, *, declared: bool = False, neutralised: bool = False) -> list[str]:
    """The metadata row's cells. ``declared`` adds the declared figures, for a format whose table holds
    computed ones; ``neutralised`` says that cells were written with ``neutralise``."""
    sphere, edition = vision.sphere, vision.edition
    central = sphere.central_city
    values: list[tuple[str, object]] = [
        (KEY, edition.sphere_key),
        (NAME, sphere.name or None),
        (KIND, sphere.kind.value),
        (CENTRAL, f"{central.code or ''} {central.name}".strip() if central else None),
        (PREFECTURE, sphere.prefecture),
        (REVISION, edition.revision),
        (EFFECTIVE, edition.effective_on),
        (EXCERPT, edition.excerpt),
    ]
    if declared:
        values += declared_fields(vision)
    if neutralised:
        values.append((NEUTRALISED, QUOTE))
    return [MARKER, *(f"{name}{SEPARATOR}{value}" for name, value in values if value is not None)]


def declared_fields(vision: Vision) -> list[tuple[str, object]]:
    """The declared figures that differ from the computed ones, for a table whose cells hold computed figures:
    each 連携町数 that differs (empty where the document declared none), and the whole 連携事業数計 row with
    its grand total when any of it differs (a fragment's totals count its missing rows)."""
    counts = ",".join(f"{p.number}:{_figure(p.declared_count)}" for p in vision.projects if p.declared_count != p.count)
    fields: list[tuple[str, object]] = [(FIGURES, FORMULAS)]
    fields += [(COUNTS, counts)] if counts else []
    present = vision.present_totals()
    declared = {m.name: vision.declared_totals.get(m.name) for m in vision.municipalities}
    if declared != present or vision.declared_grand_total != vision.present_links():
        totals = ",".join(f"{name}:{n}" for name, n in declared.items() if n is not None)
        fields += [(TOTALS, totals), (GRAND, _figure(vision.declared_grand_total))]
    return fields


def computed_differs(vision: Vision) -> tuple[bool, bool]:
    """Whether a table of computed figures writes counts, and totals, other than those the document declared."""
    fields = dict(declared_fields(vision))
    return COUNTS in fields, TOTALS in fields


def _figure(value: int | None) -> str:
    return "" if value is None else str(value)


def links_notice(vision: Vision, order: list[str]) -> list[str]:
    """The closing record of the long-form CSV: what it is, the sphere and the declared figures (as the wide
    forms carry them), and the columns' order (``列順``), so that reading it back gives the table it came from."""
    fields = meta_fields(vision, declared=True, neutralised=True)[1:]
    return [LINKS_MARKER, "縦長形式（1行に1つの参加）", *fields, f"列順{SEPARATOR}{','.join(order)}"]


def neutralise(text: str) -> str:
    """A cell's text that no spreadsheet runs as a formula: a leading apostrophe where it starts with a
    formula character (or with an apostrophe, so that ``unneutralise`` restores every text exactly)."""
    return QUOTE + text if text.startswith((*FORMULA_STARTS, QUOTE)) else text


def unneutralise(text: str) -> str:
    if text.startswith(QUOTE) and text[1:].startswith((*FORMULA_STARTS, QUOTE)):
        return text[1:]
    return text


# The tidy CSV (``render/csv.py`` writes it, ``ingest/tidy.py`` reads it) ------------------------------------

TOTALS_RECORD = "連携事業数計（記載値）"
NUMBER = "番号"
LONG_HEADER = ["番号", "事業名", "柱", "分野", "団体コード", "市町村名", "役割"]


# A Markdown pipe table's cells --------------------------------------------------------------------------------

_MD_SPECIAL = re.compile(r"([\\|*<])")
_MD_UNESCAPE = re.compile(r"\\(.)|<br>", re.S)


def escape_markdown(text: str) -> str:
    """A cell's text for a pipe table: backslash, pipe, asterisk and < escaped, line breaks as <br>."""
    return _MD_SPECIAL.sub(r"\\\1", text).replace("\r\n", "\n").replace("\n", "<br>")


def unescape_markdown(text: str) -> str:
    """The inverse of escape_markdown, in one pass; a cell in bold (**連携事業数計**) loses its asterisks."""
    text = text.removeprefix("**").removesuffix("**") if text.startswith("**") else text
    return _MD_UNESCAPE.sub(lambda m: "\n" if m[1] is None else m[1], text)
