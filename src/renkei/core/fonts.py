"""A Japanese font for every drawing renkei makes (PDF through WeasyPrint, charts through vl-convert).

Without a CJK font both draw Japanese as empty boxes (tofu) and say nothing. Debian's ``fonts-noto-cjk`` gives
"Noto Sans CJK JP"; where the system has no Japanese font, the Noto Sans JP of the Python package
``pylopdf-fonts-jp`` (a dependency: SIL Open Font License 1.1, data only, about 10 MB) is used instead. Where
neither is there, a drawing is refused with a message naming what to install, never made with boxes.
"""

from __future__ import annotations

import functools
import shutil
import subprocess
from pathlib import Path

PACKAGE = "pylopdf-fonts-jp"
FAMILY = "Noto Sans JP"  # the packaged font's family, named in the renderers' font lists after Noto Sans CJK JP


@functools.cache
def packaged_font() -> Path | None:
    """The packaged Noto Sans JP, or None where the package is not installed."""
    try:
        from pylopdf_fonts_jp import sans_path
    except ImportError:
        return None
    path = Path(sans_path())
    return path if path.is_file() else None


@functools.cache
def system_has_japanese() -> bool:
    """Whether fontconfig (which WeasyPrint's Pango asks) knows a font covering Japanese."""
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        return False
    try:
        found = subprocess.run([fc_list, ":lang=ja", "family"], capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.SubprocessError):
        return False
    return bool(found.stdout.strip())


def missing() -> str | None:
    """None when Japanese can be drawn; otherwise the package to install, for the refusal's message."""
    return None if packaged_font() is not None or system_has_japanese() else PACKAGE


def font_face_css() -> str:
    """An @font-face rule for the packaged font (empty without it): Pango falls back to it glyph by glyph
    where the font list's first families are not installed."""
    path = packaged_font()
    if path is None:
        return ""
    return f'@font-face {{ font-family: "{FAMILY}"; src: url("{path.as_uri()}"); }}'
