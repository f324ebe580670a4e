"""The text formats: decoded once, then told apart by structure — renkei's JSON by its opening brace (an open-data
portal's JSON records, a flat object a row, read as the table they make), a
Markdown pipe table by its separator line, columns aligned by spaces, else delimited text (tab-separated as
copied out of a PDF, or CSV with its delimiter sniffed). The long form is told from the rows afterwards, as it
is in a workbook (``reading.layout_reading``)."""

from __future__ import annotations

import json
from typing import Any

from renkei.ingest.aligned import looks_aligned, rows_from_aligned
from renkei.ingest.decode import decode
from renkei.ingest.errors import TableReadError
from renkei.ingest.grid import Row, text_cells, text_location
from renkei.ingest.limits import Limits, check_json
from renkei.ingest.reading import Options, Reading, layout_reading
from renkei.ingest.text import (
    looks_like_markdown,
    looks_spaced,
    rows_from_markdown,
    rows_from_spaced,
    rows_from_text,
    sniff_delimiter,
)
from renkei.ingest.vertical import restacked, rows_from_vertical
from renkei.vision.model import Finding, Severity, Vision


def read_text(data: bytes, options: Options) -> Reading:
    decoded = decode(data, options.encoding)
    findings = list(decoded.findings)
    text = decoded.text
    if text.lstrip().startswith(("{", "[")):
        data = _json(text, options.limits)
        records = json_records(data)
        if records is not None:  # an open-data portal's records (CKAN, a city's API): a row each, read as a table
            findings.append(Finding(Severity.INFO, "json-records", {"records": len(records) - 1}, None))
            return layout_reading(records, options.source("json-records", decoded.encoding), findings, options)
        vision = _vision(data)
        return Reading(vision, options.source("json", decoded.encoding), findings)
    if looks_like_markdown(text):
        source = options.source("markdown", decoded.encoding)
        return layout_reading(rows_from_markdown(text), source, findings, options)
    stacked = restacked(text, options.registry)
    if stacked is not None:  # the header's names one character to a line: made one header line again, and said
        text = stacked[0]
        # Certain where the characters part into names one way only; else the fewest names, and a warning.
        severity = Severity.INFO if stacked[2] else Severity.WARNING
        findings.append(Finding(severity, "names-restacked", {"names": "、".join(stacked[1])}, None))
    delimiter = sniff_delimiter(text)
    rows = rows_from_text(text, delimiter)
    fmt = "text" if delimiter == "\t" else "csv"
    split = sum(1 for row in rows if len(row.cells) >= 3)
    if looks_aligned(text, split):
        rows, fmt = rows_from_aligned(text, options.registry), "aligned"
    elif split == 0 and (vertical := rows_from_vertical(text, options.registry)) is not None:
        rows = vertical[0]  # a copy one cell to a line that kept every cell: rebuilt, and said
        findings.append(Finding(Severity.WARNING, "text-one-cell-per-line", {"columns": vertical[1]}, None))
    elif looks_spaced(text, split):  # a copy whose cells single spaces part: read word by word, and said
        rows = rows_from_spaced(text)
        findings.append(Finding(Severity.WARNING, "text-space-separated", {}, None))
    return layout_reading(rows, options.source(fmt, decoded.encoding), findings, options)


def from_json(text: str, limits: Limits) -> Vision:
    return _vision(_json(text, limits))


def _json(text: str, limits: Limits) -> Any:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise TableReadError("json-invalid", reason=f"line {error.lineno}: {error.msg}") from None
    except RecursionError:
        raise TableReadError(
            "limit-exceeded", limit="max_json_depth", value="> 900", allowed=limits.max_json_depth
        ) from None
    except ValueError as error:  # a number of more digits than Python converts
        raise TableReadError("json-invalid", reason=str(error)) from None
    check_json(data, limits)
    return data


def _vision(data: Any) -> Vision:
    from renkei.vision.serialize import vision_from_dict

    try:
        return vision_from_dict(data)
    except (KeyError, TypeError, ValueError, AttributeError, OverflowError) as error:
        raise TableReadError("json-invalid", reason=f"{type(error).__name__}: {error}") from None


# Where a portal's answer keeps its records: the top level, or under one of these keys (CKAN's datastore_search
# answers {"result": {"records": [...]}}; other APIs {"data": [...]}, {"items": [...]}).
_RECORD_KEYS = ("records", "data", "items", "rows", "result")


def json_records(data: Any) -> list[Row] | None:
    """A list of flat records (an object a row, the same keys throughout: an open-data portal's JSON) as rows, the
    keys in the order first met as the header; None where the JSON is no such list (renkei's own JSON)."""
    found: Any = data
    for _ in range(3):  # {"result": {"records": [...]}} at most
        if isinstance(found, dict) and not isinstance(found.get("municipalities"), list):
            found = next((found[k] for k in _RECORD_KEYS if isinstance(found.get(k), list | dict)), None)
        else:
            break
    if not isinstance(found, list) or len(found) < 2 or not all(isinstance(r, dict) for r in found):
        return None
    if not all(isinstance(v, str | int | float | bool) or v is None for r in found for v in r.values()):
        return None
    keys = list(dict.fromkeys(k for record in found for k in record))
    if len(keys) < 3:
        return None
    texts = [keys] + [[_cell(record.get(k)) for k in keys] for record in found]
    return [Row(text_cells(line, row), text_location(line)) for line, row in enumerate(texts, start=1)]


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
