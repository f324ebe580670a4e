"""A PDF is read under bounds checked while pdfminer reads (renkei.ingest.pdfguard), under an address-space
limit, and under a time limit that no library's wrapping hides (issue 22, failures 2 and 3).

Each hostile file is built by scripts/hostile.py; each test gives the limit it is about and asserts the refusal
that names it. In-process: the bounds are the reader's own, the same in the CLI and in the web's readers."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

import pytest

from renkei.ingest import TableReadError, read_bytes
from renkei.ingest.limits import Limits

ROOT = Path(__file__).resolve().parents[1]


def _hostile() -> ModuleType:
    spec = importlib.util.spec_from_file_location("hostile", ROOT / "scripts" / "hostile.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


HOSTILE = _hostile()


def refusal(data: bytes, limits: Limits) -> str:
    with pytest.raises(TableReadError) as refused:
        read_bytes(data, "hostile.pdf", limits=limits)
    assert refused.value.code == "limit-exceeded", (refused.value.code, refused.value.params)
    return str(refused.value.params["limit"])


def test_a_deflate_bomb_stops_at_the_stream_bound() -> None:
    assert refusal(HOSTILE.deflate_bomb(), Limits()) == "max_stream_bytes"


def test_a_deflate_bomb_past_the_address_space_is_too_large_to_read() -> None:
    """With the stream bounds out of the way, the address-space limit ends the reading, not the machine."""
    limits = Limits(max_stream_bytes=2**40, max_decoded_bytes=2**40, max_memory=256 * 2**20)
    assert refusal(HOSTILE.deflate_bomb(), limits) == "max_memory"


def test_a_tounicode_range_of_every_code_stops_at_the_map_bound() -> None:
    assert refusal(HOSTILE.tounicode_range(), Limits()) == "max_cmap_entries"


def test_twenty_thousand_pages_are_refused_before_any_is_read() -> None:
    assert refusal(HOSTILE.many_pages(), Limits()) == "max_pages"


def test_a_million_text_objects_stop_at_the_page_bound() -> None:
    assert refusal(HOSTILE.text_objects(), Limits()) == "max_page_objects"


def test_exponential_xobjects_stop_at_the_page_bound() -> None:
    assert refusal(HOSTILE.xobject_tree(), Limits()) == "max_page_objects"


def test_the_time_limit_met_inside_pdfplumber_is_too_long_not_broken() -> None:
    """The timer fires while pdfplumber walks the pages: its PdfminerException wraps the timer's exception,
    which used to come out as "cannot open: broken or encrypted" (or a 500 on /check)."""
    limits = Limits(max_seconds=0.2, max_pages=10**6, max_page_objects=10**9)
    assert refusal(HOSTILE.many_pages(), limits) == "max_seconds"


def test_an_encrypted_pdf_is_refused_as_unopenable() -> None:
    with pytest.raises(TableReadError) as refused:
        read_bytes(HOSTILE.encrypted(), "x.pdf")
    assert refused.value.code == "pdf-unreadable"
