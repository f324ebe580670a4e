"""Charts as files: a Vega-Lite spec (``renkei.publish.charts``) drawn as SVG or PNG by vl-convert, without a browser.

vl-convert bundles the Vega and Vega-Lite JavaScript libraries and its own font database. Debian's Noto CJK
fonts and the Noto Sans JP of the pylopdf-fonts-jp package (``renkei.core.fonts``) are registered with it before the
first drawing, so that Japanese is drawn in glyphs rather than boxes; with neither, no chart is drawn.
The specs are Vega-Lite v5; they are compiled with the newest v5 library the installed vl-convert carries.
"""

from __future__ import annotations

import functools
import json
from pathlib import Path
from typing import Any

from renkei.core.fonts import PACKAGE, packaged_font

FORMATS = ("svg", "png", "json")
MEDIA_TYPES = {"svg": "image/svg+xml", "png": "image/png", "json": "application/json"}
# fonts-noto-cjk puts its collections here (NotoSansCJK-Regular.ttc holds "Noto Sans CJK JP").
FONT_DIRECTORIES = ("/usr/share/fonts/opentype/noto", "/usr/share/fonts/truetype/noto")


class ChartError(Exception):
    """A chart that cannot be drawn (vl-convert missing, or refusing the spec), with the reason."""


def format_for(path: Path) -> str | None:
    """The output format a file name asks for (``.svg``, ``.png``, ``.json``), None for any other."""
    suffix = path.suffix.lower().lstrip(".")
    return suffix if suffix in FORMATS else None


@functools.cache
def _prepared() -> str:
    """Register the CJK fonts once and choose the Vega-Lite version: the newest 5.x vl-convert has."""
    try:
        import vl_convert
    except ImportError as error:  # pragma: no cover - a dependency; the message says what to install
        raise ChartError(f"vl-convert-python is not installed ({error})") from None
    for directory in FONT_DIRECTORIES:
        if Path(directory).is_dir():
            vl_convert.register_font_directory(directory)
    packaged = packaged_font()
    if packaged is not None:  # Noto Sans JP of pylopdf-fonts-jp: the charts' font list names it second
        vl_convert.register_font_directory(str(packaged.parent))
    elif not any(Path(directory).is_dir() for directory in FONT_DIRECTORIES):
        raise ChartError(f"no Japanese font: pip install {PACKAGE} (or apt-get install fonts-noto-cjk)")
    versions = [v for v in vl_convert.get_vegalite_versions() if v.split(".")[0] == "5"]
    if not versions:
        raise ChartError("vl-convert carries no Vega-Lite 5 library")
    return max(versions, key=lambda v: tuple(int(part) for part in v.split(".")))


def convert(spec: dict[str, Any], fmt: str, scale: float = 2.0) -> bytes:
    """The chart in one of ``FORMATS``: SVG text (UTF-8), PNG at ``scale`` × the spec's size, or the spec."""
    if fmt == "json":
        return (json.dumps(spec, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
    if fmt not in FORMATS:
        raise ChartError(f"unknown chart format {fmt!r}")
    version = _prepared()
    import vl_convert

    try:
        if fmt == "svg":
            return vl_convert.vegalite_to_svg(spec, vl_version=version).encode("utf-8")
        return vl_convert.vegalite_to_png(spec, vl_version=version, scale=scale)
    except (ValueError, RuntimeError) as error:
        # vl-convert's message opens with "… conversion failed:" and the JavaScript error on the next line.
        lines = [line.strip() for line in str(error).splitlines() if line.strip()]
        raise ChartError(" ".join(lines[:2]) or type(error).__name__) from None
