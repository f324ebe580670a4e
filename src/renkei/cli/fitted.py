"""Tables that fit the terminal without cutting what the next command needs.

Rich shrinks a table that is too wide by cutting every column alike, keys and dates too, and Japanese names,
which have no spaces to wrap at, end up a character or two wide. A fitted table keeps its key, number and date
columns whole (a key is what the next command takes), and shares the width left among its text columns in
proportion to their length, folding them where they must.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import Enum

from rich import box
from rich.cells import cell_len
from rich.console import Group, JustifyMethod, RenderableType
from rich.table import Table
from rich.text import Text


class Kind(Enum):
    KEY = "key"  # never cut, never folded
    NUMBER = "number"  # whole, to the right
    DATE = "date"  # whole
    TEXT = "text"  # folded to the width left


@dataclass(frozen=True)
class Column:
    header: str
    kind: Kind


# A table without edges: a divider between columns and a space beside it (the columns' paddings collapsed).
def _overhead(columns: int) -> int:
    return 2 * (columns - 1)


_NARROWEST_TEXT = 4
_USABLE_TEXT = 8  # four kanji a line: what a folded name keeps before the columns beside it fold too


def fitted_table(columns: Sequence[Column], rows: Sequence[Sequence[str]], width: int) -> RenderableType:
    """A table of ``rows`` that fits ``width`` cells, the whole columns whole."""
    natural = [max([cell_len(row[i]) for row in rows] + [1]) for i in range(len(columns))]
    # A number's header (構成市町村) folds over the number's width, but not to one character a line.
    natural = [
        max(n, min(cell_len(c.header), _NARROWEST_TEXT)) if c.kind is Kind.NUMBER else n
        for n, c in zip(natural, columns, strict=True)
    ]
    whole = [i for i, c in enumerate(columns) if c.kind is not Kind.TEXT]
    texts = [i for i, c in enumerate(columns) if c.kind is Kind.TEXT]
    # A text column is as wide as its longest value or header where the width allows.
    wanted = {i: max(natural[i], cell_len(columns[i].header)) for i in texts}
    left = width - _overhead(len(columns)) - sum(natural[i] for i in whole)
    if left < _NARROWEST_TEXT * len(texts):
        return _records(columns, rows)
    shares = _shared(wanted, left)
    table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, collapse_padding=True)
    # Where even the whole columns do not fit, Rich narrows every column: folded, a key loses no character.
    for i, column in enumerate(columns):
        justify: JustifyMethod = "right" if column.kind is Kind.NUMBER else "left"
        table.add_column(column.header, width=shares.get(i, natural[i]), overflow="fold", justify=justify)
    for row in rows:
        table.add_row(*row)
    return table


def _shared(wanted: dict[int, int], left: int) -> dict[int, int]:
    """The width left shared among the text columns: the narrower ones whole, narrowest first, while the wider
    ones keep a usable width each; what is left split among these, so that the long column folds (the names)
    and not every column a little (定住自立圏 over two lines beside them)."""
    shares: dict[int, int] = {}
    waiting = sorted(wanted, key=lambda i: wanted[i])
    while waiting:
        i = waiting[0]
        if wanted[i] + _USABLE_TEXT * (len(waiting) - 1) > left:
            break
        shares[i] = wanted[i]
        left -= wanted[i]
        waiting.pop(0)
    for n, i in enumerate(waiting):  # fairly (max-min) among the rest
        shares[i] = max(_NARROWEST_TEXT, min(wanted[i], left // (len(waiting) - n)))
        left -= shares[i]
    return shares


def _records(columns: Sequence[Column], rows: Sequence[Sequence[str]]) -> Group:
    """Too narrow for the columns side by side: each row as a record, its key on a line of its own (as wide as
    the terminal allows), then each other value under its header."""
    parts: list[RenderableType] = []
    for row in rows:
        fields = Table(box=None, show_header=False, pad_edge=False, padding=(0, 2, 0, 2))
        fields.add_column(no_wrap=True)
        fields.add_column(overflow="fold")
        for column, value in zip(columns, row, strict=True):
            if column.kind is Kind.KEY:
                parts.append(Text(value, style="bold", overflow="fold"))
            else:
                fields.add_row(column.header, value)
        parts += [fields, Text("")]
    return Group(*parts)
