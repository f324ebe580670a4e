"""Hostile files, made on purpose: each names a way a file can cost a reader more than it is worth.

    .venv/bin/python scripts/hostile.py OUT_DIR        # writes every file into OUT_DIR and lists them

PDFs (written object by object, with a cross-reference table, so that each is exactly the attack it names):
a deflate bomb (1 GiB of zeros in about a megabyte), a ToUnicode map whose ``bfrange`` spans 2³² codes,
20,000 pages, a page of 10⁶ text objects, form XObjects each drawing the one below twice (2³⁰ draws), a broken
cross-reference table, an encryption dictionary without a key, a document that runs JavaScript when opened,
and a PDF that is also a zip. Zip-based and markup formats: an XLSX and a DOCX whose XML expands entities a
billion times ("billion laughs"), an XLSX, an ODS and a DOCX whose one member inflates to 1 GiB, XML nested
100,000 elements deep, and HTML nested as deep with a table inside.

tests/test_hostile_files.py reads each through the command line, ``/api/check`` and the check page, and
asserts a clean refusal or a reading within the limits (docs/reliability.md).
"""

# ruff: noqa: E501  (the files are literal XML and PDF objects, kept whole on their lines to be read as such)
from __future__ import annotations

import functools
import io
import sys
import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path

GIB = 1 << 30


# PDF ----------------------------------------------------------------------------------------------------------


def pdf(objects: list[bytes], root: int = 1, trailer_extra: bytes = b"") -> bytes:
    """A PDF of the numbered objects (1-based, in order) with a correct cross-reference table."""
    out = io.BytesIO()
    out.write(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(
        b"trailer\n<< /Size %d /Root %d 0 R %s>>\nstartxref\n%d\n%%%%EOF\n"
        % (len(objects) + 1, root, trailer_extra, xref)
    )
    return out.getvalue()


def stream(content: bytes, extra: bytes = b"", compress: bool = False) -> bytes:
    if compress:
        content = zlib.compress(content, 9)
        extra += b" /Filter /FlateDecode"
    return b"<< /Length %d%s >>\nstream\n" % (len(content), extra) + content + b"\nendstream"


FONT = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"
TEXT = b"BT /F1 12 Tf 72 720 Td (renkei) Tj ET"


def _one_page(
    content: bytes, resources: bytes = b"<< /Font << /F1 4 0 R >> >>", extra: list[bytes] | None = None
) -> bytes:
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources %s /Contents 5 0 R >>" % resources,
        FONT,
        content,
    ]
    return pdf(objects + (extra or []))


@functools.cache
def _spaces() -> tuple[bytes, int]:
    """1 GiB of spaces as raw deflate (made once), and its Adler-32."""
    squeezer = zlib.compressobj(9, zlib.DEFLATED, -15)
    chunk = b" " * (1 << 20)
    adler = 1
    parts = []
    for _ in range(GIB // len(chunk)):
        parts.append(squeezer.compress(chunk))
        adler = zlib.adler32(chunk, adler)
    return b"".join(parts) + squeezer.flush(), adler


def deflate_bomb() -> bytes:
    """One content stream of 1 GiB of spaces, deflated to about a megabyte."""
    raw, adler = _spaces()
    body = b"\x78\xda" + raw + adler.to_bytes(4, "big")
    content = b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(body) + body + b"\nendstream"
    return _one_page(content)


def tounicode_range() -> bytes:
    """A font whose ToUnicode map gives a character to each of 2³² codes, in a few hundred bytes."""
    cmap = (
        b"/CIDInit /ProcSet findresource begin 12 dict begin begincmap\n"
        b"1 begincodespacerange <00000000> <FFFFFFFF> endcodespacerange\n"
        b"1 beginbfrange <00000000> <FFFFFFFF> <0041> endbfrange\n"
        b"endcmap CMapName currentdict /CMap defineresource pop end end"
    )
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /ToUnicode 6 0 R >>",
        stream(TEXT),
        stream(cmap),
    ]
    return pdf(objects)


def many_pages(count: int = 20_000) -> bytes:
    """``count`` pages sharing one content stream."""
    first = 4
    kids = b" ".join(b"%d 0 R" % (first + i) for i in range(count))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, count),
        stream(TEXT),
    ]
    page = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 %d 0 R >> >> /Contents 3 0 R >>"
    objects += [page % (first + count) for _ in range(count)]
    objects.append(FONT)
    return pdf(objects)


def text_objects(count: int = 1_000_000) -> bytes:
    """One page of ``count`` text objects, deflated."""
    content = b"BT /F1 1 Tf 10 10 Td (a) Tj ET\n" * count
    return _one_page(stream(content, compress=True))


def xobject_tree(depth: int = 30) -> bytes:
    """Form XObjects each drawing the one below twice: 2**depth draws of one line from a small file."""
    base = 6
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /XObject << /X 4 0 R >> >> /Contents 5 0 R >>",
        b"",  # 4: the top form, set below
        stream(b"/X Do"),
    ]
    forms = [stream(b"0 0 m 1 1 l S", b" /Type /XObject /Subtype /Form /BBox [0 0 10 10]")]
    for level in range(1, depth + 1):
        below = base + level - 1
        forms.append(
            stream(
                b"/Y Do /Y Do",
                b" /Type /XObject /Subtype /Form /BBox [0 0 10 10] /Resources << /XObject << /Y %d 0 R >> >>" % below,
            )
        )
    objects += forms
    objects[3] = forms[-1]  # the page's /X is the top of the tree (an object of its own, same body)
    return pdf(objects)


def broken_xref() -> bytes:
    """A table PDF whose cross-reference offsets all point at the wrong places and whose startxref is garbage."""
    good = _one_page(stream(TEXT))
    head, _, _ = good.partition(b"xref\n")
    return (
        head
        + b"xref\n0 6\n"
        + b"9999999999 00000 n \n" * 6
        + b"trailer\n<< /Size 6 /Root 1 0 R >>\nstartxref\n77777777\n%%EOF\n"
    )


def encrypted() -> bytes:
    """A PDF that says it is encrypted (standard handler, revision 3) with keys that open nothing."""
    encrypt = b"<< /Filter /Standard /V 2 /R 3 /Length 128 /P -4 /O <%s> /U <%s> >>" % (b"00" * 32, b"11" * 32)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        FONT,
        stream(TEXT),
        encrypt,
    ]
    return pdf(objects, trailer_extra=b"/Encrypt 6 0 R /ID [<%s> <%s>] " % (b"ab" * 16, b"ab" * 16))


def javascript() -> bytes:
    """A one-page PDF that asks a viewer to run JavaScript when it is opened."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R /OpenAction 6 0 R /Names << /JavaScript << /Names [(x) 6 0 R] >> >> >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        FONT,
        stream(TEXT),
        b"<< /Type /Action /S /JavaScript /JS (app.alert\\('renkei'\\); this.exportDataObject\\({cName: 'x'}\\);) >>",
    ]
    return pdf(objects)


def polyglot() -> bytes:
    """A PDF followed by a zip (an XLSX's members): both a PDF and, to a zip reader, an archive."""
    return _one_page(stream(TEXT)) + _zip({"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<workbook/>"})


# Zip-based and markup -----------------------------------------------------------------------------------------


def _zip(members: dict[str, bytes], level: int = 9) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return out.getvalue()


LAUGHS = (
    b'<?xml version="1.0"?>\n<!DOCTYPE lolz [\n<!ENTITY lol "lol">\n'
    + b"".join(
        b'<!ENTITY lol%d "%s">\n' % (i, (b"&lol%d;" % (i - 1) if i > 1 else b"&lol;") * 10) for i in range(1, 10)
    )
    + b"]>\n"
)


def _xlsx(sheet: bytes, shared: bytes | None = None) -> dict[str, bytes]:
    members = {
        "[Content_Types].xml": b'<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        b'<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        b'<Default Extension="xml" ContentType="application/xml"/>'
        b'<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        b'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        b"</Types>",
        "_rels/.rels": b'<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        b'<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
        b"</Relationships>",
        "xl/workbook.xml": b'<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        b'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>',
        "xl/_rels/workbook.xml.rels": b'<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        b'<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
        b"</Relationships>",
        "xl/worksheets/sheet1.xml": sheet,
    }
    if shared is not None:
        members["xl/sharedStrings.xml"] = shared
    return members


SHEET = b'<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>%s</sheetData></worksheet>'


def xlsx_laughs() -> bytes:
    body = (
        LAUGHS
        + b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&lol9;</t></is></c></row></sheetData></worksheet>'
    )
    return _zip(_xlsx(body))


def xlsx_bomb() -> bytes:
    """An XLSX whose sheet inflates to 1 GiB (spaces inside the sheet's XML)."""
    return _raw_zip(_xlsx(b""), "xl/worksheets/sheet1.xml", _spaces()[0], GIB, 0)


def _raw_zip(members: dict[str, bytes], name: str, deflated: bytes, size: int, crc: int) -> bytes:
    """A zip of the members, one of them replaced by already-deflated bytes (the CRC need not be right: a
    reader that inflates the member to check it has already spent what the bomb costs)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for member, data in members.items():
            if member != name:
                archive.writestr(member, data)
    entries = out.getvalue()
    # Append the bomb by hand: a local header, the data, then rebuild the central directory with zipfile.
    archive = zipfile.ZipFile(io.BytesIO(entries))
    result = io.BytesIO()
    with zipfile.ZipFile(result, "w", zipfile.ZIP_DEFLATED) as rebuilt:
        for info in archive.infolist():
            rebuilt.writestr(info, archive.read(info))
        info = zipfile.ZipInfo(name, (2026, 1, 1, 0, 0, 0))
        info.compress_type = zipfile.ZIP_DEFLATED
        info.header_offset = result.tell()
        info.CRC, info.compress_size, info.file_size = crc, len(deflated), size
        rebuilt.fp.write(info.FileHeader(zip64=size > 0xFFFFFFFF))  # type: ignore[union-attr]
        rebuilt.fp.write(deflated)  # type: ignore[union-attr]
        rebuilt.filelist.append(info)
        rebuilt.NameToInfo[name] = info
        rebuilt.start_dir = result.tell()
    return result.getvalue()


def xlsx_deep() -> bytes:
    body = SHEET % (b'<row r="1">' + b"<x>" * 100_000 + b"</x>" * 100_000 + b"</row>")
    return _zip(_xlsx(body))


DOCX_TYPES = (
    b'<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    b'<Default Extension="xml" ContentType="application/xml"/>'
    b'<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>'
)
DOCX_RELS = (
    b'<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    b'<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>'
)
W = b'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def docx_laughs() -> bytes:
    document = (
        LAUGHS
        + b"<w:document %s><w:body><w:tbl><w:tr><w:tc><w:p><w:r><w:t>&lol9;</w:t></w:r></w:p></w:tc></w:tr></w:tbl></w:body></w:document>"
        % W
    )
    return _zip({"[Content_Types].xml": DOCX_TYPES, "_rels/.rels": DOCX_RELS, "word/document.xml": document})


def docx_bomb() -> bytes:
    members = {"[Content_Types].xml": DOCX_TYPES, "_rels/.rels": DOCX_RELS, "word/document.xml": b""}
    return _raw_zip(members, "word/document.xml", _spaces()[0], GIB, 0)


def docx_deep() -> bytes:
    body = (
        b"<w:document %s><w:body>" % W
        + b"<w:tbl><w:tr><w:tc>" * 30_000
        + b"</w:tc></w:tr></w:tbl>" * 30_000
        + b"</w:body></w:document>"
    )
    return _zip({"[Content_Types].xml": DOCX_TYPES, "_rels/.rels": DOCX_RELS, "word/document.xml": body})


ODS_MANIFEST = (
    b'<?xml version="1.0"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0">'
    b'<manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
    b'<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>'
)
ODS_NS = b'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"'


def _ods(content: bytes) -> dict[str, bytes]:
    return {
        "mimetype": b"application/vnd.oasis.opendocument.spreadsheet",
        "META-INF/manifest.xml": ODS_MANIFEST,
        "content.xml": content,
    }


def ods_laughs() -> bytes:
    content = (
        LAUGHS
        + b"<office:document-content %s><office:body><office:spreadsheet><table:table><table:table-row><table:table-cell><text:p>&lol9;</text:p></table:table-cell></table:table-row></table:table></office:spreadsheet></office:body></office:document-content>"
        % ODS_NS
    )
    return _zip(_ods(content))


def ods_repeat() -> bytes:
    """An ODS cell repeated 2³¹ times by one attribute (a spreadsheet's own compression)."""
    content = (
        b'<office:document-content %s><office:body><office:spreadsheet><table:table><table:table-row table:number-rows-repeated="1048576"><table:table-cell table:number-columns-repeated="16384"><text:p>x</text:p></table:table-cell></table:table-row></table:table></office:spreadsheet></office:body></office:document-content>'
        % ODS_NS
    )
    return _zip(_ods(content))


def ods_bomb() -> bytes:
    return _raw_zip(_ods(b""), "content.xml", _spaces()[0], GIB, 0)


def html_deep() -> bytes:
    return (
        b"<!doctype html><html><body>"
        + b"<div>" * 200_000
        + b"<table><tr><td>1</td><td>x</td></tr></table>"
        + b"</div>" * 200_000
        + b"</body></html>"
    )


def html_laughs() -> bytes:
    return LAUGHS.replace(b"lolz", b"html") + b"<html><body><table><tr><td>&lol9;</td></tr></table></body></html>"


def html_wide() -> bytes:
    """A table of 500 rows × 2,000 columns of empty cells: 9 MB of markup."""
    row = b"<tr>" + b"<td></td>" * 2_000 + b"</tr>"
    return b"<!doctype html><table>" + row * 500 + b"</table>"


FILES: dict[str, Callable[[], bytes]] = {
    "deflate_bomb.pdf": deflate_bomb,
    "tounicode_range.pdf": tounicode_range,
    "pages_20000.pdf": many_pages,
    "text_objects_1e6.pdf": text_objects,
    "xobject_tree.pdf": xobject_tree,
    "broken_xref.pdf": broken_xref,
    "encrypted.pdf": encrypted,
    "javascript.pdf": javascript,
    "polyglot.pdf": polyglot,
    "laughs.xlsx": xlsx_laughs,
    "zip_bomb.xlsx": xlsx_bomb,
    "deep.xlsx": xlsx_deep,
    "laughs.docx": docx_laughs,
    "zip_bomb.docx": docx_bomb,
    "deep.docx": docx_deep,
    "laughs.ods": ods_laughs,
    "repeat.ods": ods_repeat,
    "zip_bomb.ods": ods_bomb,
    "deep.html": html_deep,
    "laughs.html": html_laughs,
    "wide.html": html_wide,
}


def write(out: Path, names: list[str] | None = None) -> list[Path]:
    """Write the hostile files (all, or those named) into ``out``; the paths written."""
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name in names or list(FILES):
        path = out / name
        if not path.exists():
            path.write_bytes(FILES[name]())
        written.append(path)
    return written


def main() -> None:
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    for path in write(Path(sys.argv[1])):
        print(f"{path.stat().st_size:>10,}  {path}")


if __name__ == "__main__":
    main()
