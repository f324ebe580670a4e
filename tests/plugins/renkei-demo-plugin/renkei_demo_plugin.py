"""renkei-demo-plugin: a format renkei does not know, written and read through renkei's entry points.

"Bars" text is renkei's official tab-separated layout with the cells parted by ¦ (U+00A6) instead of tabs,
under a first line ``#renkei-bars``. The renderer writes it from a vision; the reader turns it back into the
official layout and lets renkei's own reader read that, so the reading carries the same findings.
"""

from __future__ import annotations

import dataclasses
import hashlib

from renkei.ingest import Limits, Reader, Reading, read_bytes
from renkei.render import Renderer, RenderError, render
from renkei.vision.model import Vision

MAGIC = "#renkei-bars"
BAR = "\u00a6"


def write_bars(vision: Vision) -> bytes:
    text = render(vision, "official").decode("utf-8")
    if BAR in text:
        raise RenderError(f"a cell holds {BAR}, which parts the cells of bars text")
    return f"{MAGIC}\n{text.replace(chr(9), BAR)}".encode()


def read_bars(data: bytes, name: str) -> Reading:
    first, _, rest = data.decode("utf-8").partition("\n")
    if first.strip() != MAGIC:
        raise ValueError(f"the first line is not {MAGIC}")
    # An empty first line in place of the magic one keeps the findings' line numbers those of the file. The
    # reading around this one keeps renkei's time limit, so this inner one sets none (max_seconds=0).
    tabbed = "\n" + rest.replace(BAR, "\t")
    reading = read_bytes(tabbed.encode("utf-8"), "", limits=Limits(max_seconds=0))
    source = dataclasses.replace(
        reading.source, name=name, format="bars", sha256=hashlib.sha256(data).hexdigest(), size=len(data)
    )
    return dataclasses.replace(reading, source=source)


RENDERER = Renderer(
    name="bars",
    extension="bars",
    media_type="text/plain; charset=utf-8",
    title="Bars",
    render=write_bars,
    labels={"ja": "縦棒区切りテキスト（デモ用プラグイン）", "en": "Bar-separated text (demo plugin)"},
)


def reader() -> Reader:
    """The reader, made when renkei first needs it (an entry point may name a function of no arguments)."""
    return Reader(
        name="bars",
        read=read_bars,
        extensions=("bars",),
        sniff=lambda data: data.startswith(MAGIC.encode()),
        labels={"ja": "縦棒区切りテキスト", "en": "Bar-separated text"},
    )
