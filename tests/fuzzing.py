"""Fuzz cases for every reader, shared by tests/test_fuzz.py (a few hundred, derandomised, in CI) and
scripts/fuzz.py (for minutes, each case in a subprocess under time and memory limits).

A case is the bytes of a file and the ``--encoding`` given with it (or none). The cases are:
- **mutations of renkei's own exports** of the sample, in every format of the renderer registry: bytes flipped,
  cut, repeated or spliced with hostile tokens (huge numbers, marks, delimiters, quotes, NUL); for XLSX also
  inside one part of the zip, so that the XML parser rather than the zip layer meets the damage;
- **mutations of the sample as a DOCX, an ODS and an HTML table** (``documents``): the table a secretariat
  may send in a word processor's, a spreadsheet's or a web page's format, made here from the sample's rows;
- **random bytes**, with and without the signatures the format sniffing looks at;
- **hostile files built on purpose**: a zip bomb, far-away cell references, a huge merged range, a workbook
  without its parts, nested and huge JSON, projects numbered beyond any vision, counts beyond 64 bits, a
  5,000-digit number, and encodings that are not text encodings.

What must hold for every case (``outcome``): the reader gives a Reading or a TableReadError, nothing else, and
the check and its JSON report complete.
"""

from __future__ import annotations

import csv
import functools
import html
import io
import json
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape

from hypothesis import strategies as st

from renkei import render
from renkei.ingest import Reading, TableReadError, read_bytes, read_sample
from renkei.ingest.report import check_reading

ENCODINGS = [None, "utf-8", "cp932", "shift_jis", "utf-16", "latin-1", "hex", "base64", "rot13", "zlib",
             "bogus-codec", "utf-8\x00", "idna", "punycode", "uu", ""]  # fmt: skip

TOKENS = [
    b"99999999999999999999999999",
    b"1" * 5000,
    b"10000000",
    b"18446744073709551616",
    b"1e400",
    b"NaN",
    b"\xe2\x97\x8b",  # ○
    b"\xe2\x97\x8e",  # ◎
    b"\t",
    b",",
    b'"',
    b"\n",
    b"\r",
    b"\x00",
    b"|",
    b"---",
    b"\xe9\x80\xa3\xe6\x90\xba\xe4\xba\x8b\xe6\xa5\xad\xe6\x95\xb0\xe8\xa8\x88",  # 連携事業数計
    b"\xe9\xb7\xb9\xe6\xa0\x96\xe7\x94\xba",  # 鷹栖町
    b"{",
    b"[" * 100,
    b"\xef\xbb\xbf",
    b"\xff\xfe",
]


@dataclass(frozen=True)
class Case:
    data: bytes
    encoding: str | None = None
    origin: str = ""

    def suffix(self) -> str:
        return self.origin.split(":", 1)[0] or "bin"


@functools.cache
def exports() -> dict[str, bytes]:
    """The sample in every format of the renderer registry that renders without a missing system library."""
    vision = read_sample().vision
    out: dict[str, bytes] = {}
    for renderer in render.renderers():
        try:
            out[renderer.name] = renderer.render(vision)
        except Exception:  # a format whose system library is absent (WeasyPrint without Pango)
            continue
    return out


@functools.cache
def documents() -> dict[str, bytes]:
    """The sample's table as a DOCX, an ODS and an HTML page (minimal, valid files of each format)."""
    rows = list(csv.reader(io.StringIO(exports()["csv-utf8"].decode("utf-8"), newline="")))
    return {"docx": _docx(rows), "ods": _ods(rows), "html": _html(rows)}


def _zipped(members: dict[str, bytes], stored_first: str | None = None) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data, zipfile.ZIP_STORED if name == stored_first else zipfile.ZIP_DEFLATED)
    return out.getvalue()


def _docx(rows: list[list[str]]) -> bytes:
    w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    cells = "".join(
        "<w:tr>" + "".join(f"<w:tc><w:p><w:r><w:t>{escape(c)}</w:t></w:r></w:p></w:tc>" for c in row) + "</w:tr>"
        for row in rows
    )
    body = f"<w:body><w:tbl>{cells}</w:tbl></w:body>"
    document = f'<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="{w}">{body}</w:document>'
    types = (
        '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>'
    )
    rels = (
        '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Target="word/document.xml" '
        'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"/></Relationships>'
    )
    members = {"[Content_Types].xml": types, "_rels/.rels": rels, "word/document.xml": document}
    return _zipped({name: text.encode() for name, text in members.items()})


def _ods(rows: list[list[str]]) -> bytes:
    ns = (
        'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2"'
    )
    cells = "".join(
        "<table:table-row>"
        + "".join(
            f'<table:table-cell office:value-type="string"><text:p>{escape(c)}</text:p></table:table-cell>' for c in row
        )
        + "</table:table-row>"
        for row in rows
    )
    content = (
        f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {ns}><office:body><office:spreadsheet>'
        f'<table:table table:name="事業">{cells}</table:table>'
        "</office:spreadsheet></office:body></office:document-content>"
    )
    manifest = (
        '<?xml version="1.0"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0">'
        '<manifest:file-entry manifest:full-path="/" '
        'manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>'
    )
    members = {
        "mimetype": b"application/vnd.oasis.opendocument.spreadsheet",
        "META-INF/manifest.xml": manifest.encode(),
        "content.xml": content.encode(),
    }
    return _zipped(members, stored_first="mimetype")


def _html(rows: list[list[str]]) -> bytes:
    body = "".join("<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in row) + "</tr>" for row in rows)
    head = '<head><meta charset="utf-8"><title>連携事業</title></head>'
    page = f'<!doctype html><html lang="ja">{head}<body><table>{body}</table></body></html>'
    return page.encode("utf-8")


# Mutations ----------------------------------------------------------------------------------------------------


@st.composite
def mutated(draw: st.DrawFn, data: bytes) -> bytes:
    for _ in range(draw(st.integers(1, 6))):
        if not data:
            data = draw(st.sampled_from(TOKENS))
        at = draw(st.integers(0, len(data)))
        span = draw(st.integers(0, min(64, len(data) - at)))
        kind = draw(st.sampled_from(["flip", "cut", "repeat", "splice", "insert", "truncate"]))
        if kind == "flip" and at < len(data):
            data = data[:at] + bytes([data[at] ^ (1 << draw(st.integers(0, 7)))]) + data[at + 1 :]
        elif kind == "cut":
            data = data[:at] + data[at + span :]
        elif kind == "repeat":
            data = data[:at] + data[at : at + span] * draw(st.integers(2, 50)) + data[at:]
        elif kind == "splice":
            data = data[:at] + draw(st.sampled_from(TOKENS)) + data[at + span :]
        elif kind == "insert":
            data = data[:at] + draw(st.binary(max_size=16)) + data[at:]
        else:
            data = data[:at]
    return data


@st.composite
def mutated_zip_part(draw: st.DrawFn, data: bytes) -> bytes:
    """One part of a workbook changed, the zip itself whole."""
    source = zipfile.ZipFile(io.BytesIO(data))
    names = source.namelist()
    target = draw(st.sampled_from(names))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in names:
            part = source.read(name)
            if name == target:
                part = draw(mutated(part))
            if name != target or draw(st.integers(0, 9)):  # now and then the part is left out altogether
                archive.writestr(name, part)
    return out.getvalue()


def export_mutations() -> st.SearchStrategy[Case]:
    seeds = {**exports(), **documents()}

    def one(name: str) -> st.SearchStrategy[Case]:
        data = seeds[name]
        options = [mutated(data)]
        if data.startswith(b"PK"):
            options.append(mutated_zip_part(data))
        return st.builds(Case, st.one_of(*options), st.sampled_from(ENCODINGS[:4]), st.just(f"{name}:mutated"))

    return st.sampled_from(sorted(seeds)).flatmap(one)


def random_bytes() -> st.SearchStrategy[Case]:
    prefixes = st.sampled_from(
        [b"", b"PK\x03\x04", b"{", b"%PDF-1.7\n", b"\xef\xbb\xbf", b"\xff\xfe", b"|a|b|\n|-|-|\n"]
    )
    data = st.builds(lambda p, b: p + b, prefixes, st.binary(max_size=2048))
    return st.builds(Case, data, st.sampled_from(ENCODINGS), st.just("bin:random"))


# Hostile files built on purpose -------------------------------------------------------------------------------


def _workbook(sheet_xml: str, extra: dict[str, bytes] | None = None) -> bytes:
    """A minimal workbook around one sheet's XML."""
    parts = {
        "[Content_Types].xml": b'<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
        b'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
        b'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/'
        b'workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        b'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-'
        b'officedocument.spreadsheetml.worksheet+xml"/></Types>',
        "_rels/.rels": b'<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
        b'relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        b'relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        "xl/workbook.xml": b'<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/'
        b'2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>'
        b'<sheet name="s" sheetId="1" r:id="rId1"/></sheets></workbook>',
        "xl/_rels/workbook.xml.rels": b'<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/'
        b'package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
        b'officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>',
        "xl/worksheets/sheet1.xml": sheet_xml.encode(),
        **(extra or {}),
    }
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, part in parts.items():
            archive.writestr(name, part)
    return out.getvalue()


def _sheet(cells: str, after: str = "") -> str:
    ns = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    return f'<?xml version="1.0"?><worksheet xmlns="{ns}"><sheetData>{cells}</sheetData>{after}</worksheet>'


def _inline(ref: str, text: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'


def _bomb() -> bytes:
    """A worksheet of 64 MB of blanks in 64 kB: within the expanded size, far beyond any honest ratio."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive,
        archive.open("xl/worksheets/sheet1.xml", "w") as part,
    ):
        for _ in range(64):
            part.write(b" " * 1_000_000)
    return out.getvalue()


def _sample_text(number: str = "11", count: str = "7") -> bytes:
    header = "\t".join(["番号", "事業名", "鷹栖町", "東神楽町", "連携町数"])
    row = "\t".join([number, "創業支援事業", "○", "○", count])
    return f"ア 産業振興\n{header}\n{row}\n連携事業数計\t\t{count}\t1\t2\n".encode()


def _nested(depth: int) -> bytes:
    return b'{"projects": ' + b"[" * depth + b"]" * depth + b', "municipalities": []}'


@functools.cache
def hostile() -> list[Case]:
    far = _sheet(_inline("A1", "番号") + _inline("XFD1048576", "x"))
    merged = _sheet(_inline("A1", "番号"), '<mergeCells count="1"><mergeCell ref="A1:XFD1048576"/></mergeCells>')
    many_merges = "".join(f'<mergeCell ref="A{i}:ZZ{i}"/>' for i in range(1, 3000))
    merges = _sheet(_inline("A1", "番号"), f"<mergeCells>{many_merges}</mergeCells>")
    dimension = _sheet(_inline("A1", "番号")).replace("<sheetData>", '<dimension ref="A1:XFD1048576"/><sheetData>')
    entity = (
        '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
        '<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">'
        '<!ENTITY e "&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;"><!ENTITY f "&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;">]>'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
        '<row r="1"><c r="A1" t="inlineStr"><is><t>&f;&f;&f;&f;&f;&f;&f;&f;</t></is></c></row></sheetData></worksheet>'
    )
    items = ",".join(['{"name": "x"}'] * 300_000)
    huge_list = ('{"municipalities": [' + items + '], "projects": []}').encode()
    project = {"number": 10**30, "name": "x", "participants": ["鷹栖町"], "declared_count": 2**70}
    projects = {"municipalities": [{"name": "鷹栖町"}], "projects": [project]}
    return [
        Case(_bomb(), None, "xlsx:zip-bomb"),
        Case(_workbook(far), None, "xlsx:far-away-cell"),
        Case(_workbook(merged), None, "xlsx:huge-merge"),
        Case(_workbook(merges), None, "xlsx:many-merges"),
        Case(_workbook(dimension), None, "xlsx:huge-dimension"),
        Case(_workbook(entity), None, "xlsx:entity-expansion"),
        Case(_workbook("<worksheet"), None, "xlsx:broken-xml"),
        Case(_workbook(_sheet(_inline("A1", "1" * 5000))), None, "xlsx:5000-digits"),
        Case(b"PK\x03\x04" + b"\x00" * 100, None, "zip:truncated"),
        Case(_nested(100_000), None, "json:nested"),
        Case(_nested(50), None, "json:nested-50"),
        Case(huge_list, None, "json:huge-list"),
        Case(json.dumps(projects).encode(), None, "json:number-10e30"),
        Case(
            b'{"municipalities": [], "projects": [{"number": 1e400, "name": "x", "participants": []}]}',
            None,
            "json:inf",
        ),
        Case(b'{"municipalities": [], "projects": [{"number": ' + b"9" * 5000 + b', "name": "x"}]}', None, "json:5000"),
        Case(_sample_text(number="10000000"), None, "txt:number-10e7"),
        Case(_sample_text(number="1000000000"), None, "txt:number-10e9"),
        Case(_sample_text(count="18446744073709551616"), None, "txt:count-2e64"),
        Case(_sample_text(number="9" * 5000), None, "txt:5000-digits"),
        Case(_sample_text(), "hex", "txt:hex-codec"),
        Case(_sample_text(), "rot13", "txt:rot13-codec"),
        Case(_sample_text(), "no-such-codec", "txt:unknown-codec"),
        Case(_sample_text() * 2000, None, "txt:many-rows"),
        Case(b"\t".join([b"x"] * 5000) + b"\n", None, "txt:many-columns"),
    ]


def cases(extra: Sequence[Case] = ()) -> st.SearchStrategy[Case]:
    """Every kind of case; ``extra`` hostile files join those built here (scripts/fuzz.py adds the files of
    scripts/hostile.py)."""
    return st.one_of(export_mutations(), random_bytes(), st.sampled_from([*hostile(), *extra]))


# What must hold ---------------------------------------------------------------------------------------------


def outcome(case: Case) -> str:
    """Read and check a case as ``renkei check --json`` does: "read" or "refused:CODE". Anything else raises."""
    try:
        reading: Reading = read_bytes(case.data, f"case.{case.suffix()}", encoding=case.encoding)
    except TableReadError as error:
        return f"refused:{error.code}"
    report = check_reading(reading)
    json.dumps(report.to_dict("ja"), ensure_ascii=False)
    return "read"
