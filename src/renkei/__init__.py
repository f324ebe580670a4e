"""renkei (連携): the registry of Japan's inter-municipal cooperation projects.

Read a cooperation table as it really arrives (``renkei.ingest``), check every figure (``renkei.vision.checks``),
render it in the official layout and other formats (``renkei.render``), keep every revision
(``renkei.store``) and publish it (``renkei.web``). The core (model, ingest, checks, render) needs no web or
database framework.
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("renkei")
except PackageNotFoundError:  # running from a source tree that was not installed
    __version__ = "0.0.0"
