"""Tables fitted to the terminal (``renkei.cli.fitted``): the key, numbers and dates whole, and where the text
columns must fold, the long one folds, not every column a little."""

from __future__ import annotations

import io

import pytest
from rich.cells import cell_len
from rich.console import Console

from renkei.cli.fitted import Column, Kind, fitted_table

COLUMNS = [
    Column("キー", Kind.KEY),
    Column("名称", Kind.TEXT),
    Column("種類", Kind.TEXT),
    Column("中心市", Kind.TEXT),
    Column("構成市町村", Kind.NUMBER),
    Column("適用日", Kind.DATE),
]
ROWS = [
    ["kamikawa-chubu", "上川中部定住自立圏", "定住自立圏", "旭川市", "8", "2026-04-01"],
    ["bingo", "備後圏域連携中枢都市圏", "連携中枢都市圏", "福山市", "6", "2025-04-01"],
]


def shown(width: int) -> list[str]:
    out = io.StringIO()
    Console(file=out, width=width, color_system=None).print(fitted_table(COLUMNS, ROWS, width))
    return out.getvalue().splitlines()


@pytest.mark.parametrize("width", [72, 80, 100])
def test_the_short_text_columns_stay_whole_while_the_names_fold(width: int) -> None:
    lines = shown(width)
    assert max(cell_len(line.rstrip()) for line in lines) <= width
    for key, _, kind, city, _, day in ROWS:
        row = next(line for line in lines if line.startswith(key))
        assert kind in row and city in row and day in row, (width, lines)


def test_with_room_enough_nothing_folds() -> None:
    lines = shown(120)
    for key, name, *_ in ROWS:
        assert name in next(line for line in lines if line.startswith(key))
