"""Shapes drawn over a workbook's cells, written into an XLSX as Excel writes them (a drawing part anchored to
cells, related to its sheet), for the tests and corpus files of marks drawn as circles (``ingest.drawn``).

openpyxl writes the cells and drops shapes, so ``with_shapes`` adds the drawing to the bytes openpyxl made:
``xl/drawings/drawing1.xml`` with a ``twoCellAnchor`` per shape (or a group of them), the sheet's relationship
to it and its content type.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass
from xml.sax.saxutils import escape

XDR = "http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing"
A = "http://schemas.openxmlformats.org/drawingml/2006/main"
EMU_COLUMN = 609_600  # a column of the default width (64 px)
EMU_ROW = 190_500  # a row of the default height (15 pt)


# A web page's marks drawn by CSS (round borders, no character): a ring, and a ring in a ring (◎), on a page printed
# landscape in the Noto CJK font, for the PDFs WeasyPrint prints of it.
RING = '<span class="ring"></span>'
DOUBLE_RING = '<span class="ring big"><span class="ring small"></span></span>'
RING_CSS = """
  @page { size: A4 landscape; margin: 15mm }
  body { font-family: 'Noto Sans CJK JP'; font-size: 10pt }
  td, th { border: 0.5pt solid #000; padding: 3pt 6pt; text-align: center }
  .ring { display: inline-block; width: 8pt; height: 8pt; border: 1pt solid #000; border-radius: 50%;
          position: relative }
  .big { width: 10pt; height: 10pt }
  .small { position: absolute; left: 2pt; top: 2pt; width: 4pt; height: 4pt }
  .page { page-break-before: always }
"""


@dataclass(frozen=True)
class Drawn:
    """A shape over the cell at (row, column), 1-based, of the default size: drawn ``inset`` EMU inside it, or
    shifted by ``shift`` columns' fraction (a circle drawn across a border, its centre in the next cell)."""

    row: int
    column: int
    geometry: str = "ellipse"
    text: str = ""
    shift: float = 0.0
    hidden: bool = False
    scale: float = 1.0  # of the circle's size (a ◎ drawn as a circle in a larger one)


def _marker(tag: str, column: int, column_off: int, row: int, row_off: int) -> str:
    return (
        f"<xdr:{tag}><xdr:col>{column}</xdr:col><xdr:colOff>{column_off}</xdr:colOff>"
        f"<xdr:row>{row}</xdr:row><xdr:rowOff>{row_off}</xdr:rowOff></xdr:{tag}>"
    )


def _sp(shape: Drawn, index: int, xfrm: str = "") -> str:
    body = ""
    if shape.text:
        body = (
            '<xdr:txBody><a:bodyPr vertOverflow="clip" rtlCol="0" anchor="ctr"/><a:lstStyle/>'
            '<a:p><a:pPr algn="ctr"/><a:r><a:rPr lang="ja-JP" altLang="en-US" sz="1100"/>'
            f"<a:t>{escape(shape.text)}</a:t></a:r></a:p>"
            "</xdr:txBody>"
        )
    hidden = ' hidden="1"' if shape.hidden else ""
    return (
        f'<xdr:sp macro="" textlink=""><xdr:nvSpPr><xdr:cNvPr id="{index + 2}" name="楕円 {index + 1}"{hidden}/>'
        f"<xdr:cNvSpPr/></xdr:nvSpPr><xdr:spPr>{xfrm}"
        f'<a:prstGeom prst="{shape.geometry}"><a:avLst/></a:prstGeom><a:noFill/>'
        '<a:ln w="12700"><a:solidFill><a:srgbClr val="000000"/></a:solidFill></a:ln></xdr:spPr>'
        f"{body}</xdr:sp>"
    )


def _anchor(shape: Drawn, index: int, widths: dict[int, int] | None = None) -> str:
    """A circle 2/3 of the row's height, in the cell's middle (or shifted by a fraction of a column), anchored to
    cells; with ``widths`` (EMU of the columns not of the default width) anchored by its position on the sheet
    instead (an absoluteAnchor), which the reader places by the columns' widths."""
    size = int(EMU_ROW * 2 // 3 * shape.scale)
    if widths is not None:
        starts = [0]
        for c in range(1, shape.column + 1):
            starts.append(starts[-1] + widths.get(c, EMU_COLUMN))
        cell = widths.get(shape.column, EMU_COLUMN)
        left = starts[shape.column - 1] + (cell - size) // 2 + int(shape.shift * cell)
        top = (shape.row - 1) * EMU_ROW + (EMU_ROW - size) // 2
        xfrm = f'<a:xfrm><a:off x="{left}" y="{top}"/><a:ext cx="{size}" cy="{size}"/></a:xfrm>'
        position = f'<xdr:pos x="{left}" y="{top}"/><xdr:ext cx="{size}" cy="{size}"/>'
        return f"<xdr:absoluteAnchor>{position}{_sp(shape, index, xfrm)}<xdr:clientData/></xdr:absoluteAnchor>"
    left = (shape.column - 1) * EMU_COLUMN + (EMU_COLUMN - size) // 2 + int(shape.shift * EMU_COLUMN)
    top = (shape.row - 1) * EMU_ROW + (EMU_ROW - size) // 2
    start = _marker("from", left // EMU_COLUMN, left % EMU_COLUMN, top // EMU_ROW, top % EMU_ROW)
    right, bottom = left + size, top + size
    end = _marker("to", right // EMU_COLUMN, right % EMU_COLUMN, bottom // EMU_ROW, bottom % EMU_ROW)
    xfrm = f'<a:xfrm><a:off x="{left}" y="{top}"/><a:ext cx="{size}" cy="{size}"/></a:xfrm>'
    shape_xml = _sp(shape, index, xfrm)
    return f'<xdr:twoCellAnchor editAs="oneCell">{start}{end}{shape_xml}<xdr:clientData/></xdr:twoCellAnchor>'


def _group(shapes: list[Drawn], first: int) -> str:
    """The shapes as one group (Excel's グループ化), anchored over their cells, each placed in the group's child
    coordinates at half scale (a group's children may use any coordinates: its chOff/chExt map them)."""
    size = EMU_ROW * 2 // 3
    boxes = []
    for shape in shapes:
        left = (shape.column - 1) * EMU_COLUMN + (EMU_COLUMN - size) // 2
        top = (shape.row - 1) * EMU_ROW + (EMU_ROW - size) // 2
        boxes.append((left, top, left + size, top + size))
    x0, y0 = min(b[0] for b in boxes), min(b[1] for b in boxes)
    x1, y1 = max(b[2] for b in boxes), max(b[3] for b in boxes)
    start = _marker("from", x0 // EMU_COLUMN, x0 % EMU_COLUMN, y0 // EMU_ROW, y0 % EMU_ROW)
    end = _marker("to", x1 // EMU_COLUMN, x1 % EMU_COLUMN, y1 // EMU_ROW, y1 % EMU_ROW)
    children = ""
    for i, (shape, (left, top, right, bottom)) in enumerate(zip(shapes, boxes, strict=True)):
        cx, cy = (left - x0) // 2, (top - y0) // 2
        xfrm = (
            f'<a:xfrm><a:off x="{cx}" y="{cy}"/><a:ext cx="{(right - left) // 2}" cy="{(bottom - top) // 2}"/></a:xfrm>'
        )
        children += _sp(shape, first + i, xfrm)
    group = (
        f'<xdr:grpSp><xdr:nvGrpSpPr><xdr:cNvPr id="{first + 100}" name="グループ化 1"/>'
        "<xdr:cNvGrpSpPr/></xdr:nvGrpSpPr>"
        f'<xdr:grpSpPr><a:xfrm><a:off x="{x0}" y="{y0}"/><a:ext cx="{x1 - x0}" cy="{y1 - y0}"/>'
        f'<a:chOff x="0" y="0"/><a:chExt cx="{(x1 - x0) // 2}" cy="{(y1 - y0) // 2}"/></a:xfrm></xdr:grpSpPr>'
        f"{children}</xdr:grpSp>"
    )
    return f"<xdr:twoCellAnchor>{start}{end}{group}<xdr:clientData/></xdr:twoCellAnchor>"


def with_shapes(
    xlsx: bytes, shapes: list[Drawn], grouped: list[Drawn] | None = None, widths: dict[int, int] | None = None
) -> bytes:
    """The workbook's bytes with ``shapes`` drawn over its first sheet (and ``grouped`` drawn as one group);
    with ``widths`` (the sheet's columns set wider, in EMU) the shapes are anchored by position."""
    anchors = "".join(_anchor(s, i, widths) for i, s in enumerate(shapes))
    if grouped:
        anchors += _group(grouped, len(shapes))
    drawing = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    drawing += f'<xdr:wsDr xmlns:xdr="{XDR}" xmlns:a="{A}">{anchors}</xdr:wsDr>'
    rels = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rIdShapes" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/drawing"'
        ' Target="../drawings/drawing1.xml"/></Relationships>'
    )
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(xlsx)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "[Content_Types].xml":
                override = (
                    '<Override PartName="/xl/drawings/drawing1.xml"'
                    ' ContentType="application/vnd.openxmlformats-officedocument.drawing+xml"/>'
                )
                data = data.replace(b"</Types>", override.encode() + b"</Types>")
            elif item.filename == "xl/worksheets/sheet1.xml":
                text = data.decode("utf-8")
                if "xmlns:r=" not in text[:500]:
                    text = re.sub(
                        r"<worksheet ",
                        '<worksheet xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" ',
                        text,
                        count=1,
                    )
                text = text.replace("</worksheet>", '<drawing r:id="rIdShapes"/></worksheet>')
                data = text.encode("utf-8")
            target.writestr(item, data)
        target.writestr("xl/worksheets/_rels/sheet1.xml.rels", rels)
        target.writestr("xl/drawings/drawing1.xml", drawing)
    return out.getvalue()


# Word: a shape drawn over a table cell, anchored to the cell's paragraph, as Word writes it (DrawingML inside
# mc:AlternateContent, with a VML copy for older readers); VML alone (a document of Word 2007); a picture.
_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
_WP = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
_WPS = "http://schemas.microsoft.com/office/word/2010/wordprocessingShape"
_VML = "urn:schemas-microsoft-com:vml"
_PIC = "http://schemas.openxmlformats.org/drawingml/2006/picture"


def word_shape(geometry: str = "ellipse", text: str = "", vml: bool = True, index: int = 1) -> str:
    """A run holding a shape anchored in the cell's paragraph: DrawingML (wps) with its VML fallback."""
    body = (
        f"<wps:txbx><w:txbxContent><w:p><w:r><w:t>{escape(text)}</w:t></w:r></w:p></w:txbxContent></wps:txbx>"
        if text
        else ""
    )
    fallback = (
        '<mc:Fallback><w:pict><v:oval style="position:absolute;width:11.35pt;height:11.35pt" filled="f"/></w:pict>'
        "</mc:Fallback>"
        if vml
        else ""
    )
    return (
        f'<w:r xmlns:w="{_W}" xmlns:mc="{_MC}" xmlns:wp="{_WP}" xmlns:wps="{_WPS}" xmlns:v="{_VML}" xmlns:a="{A}">'
        '<mc:AlternateContent><mc:Choice Requires="wps"><w:drawing>'
        '<wp:anchor distT="0" distB="0" distL="0" distR="0" simplePos="0" relativeHeight="1" behindDoc="0" locked="0"'
        ' layoutInCell="1" allowOverlap="1"><wp:simplePos x="0" y="0"/>'
        '<wp:positionH relativeFrom="column"><wp:posOffset>36000</wp:posOffset></wp:positionH>'
        '<wp:positionV relativeFrom="paragraph"><wp:posOffset>0</wp:posOffset></wp:positionV>'
        f'<wp:extent cx="144000" cy="144000"/><wp:wrapNone/><wp:docPr id="{index}" name="楕円 {index}"/>'
        '<a:graphic><a:graphicData uri="http://schemas.microsoft.com/office/word/2010/wordprocessingShape">'
        '<wps:wsp><wps:cNvSpPr/><wps:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="144000" cy="144000"/></a:xfrm>'
        f'<a:prstGeom prst="{geometry}"><a:avLst/></a:prstGeom><a:noFill/></wps:spPr>{body}<wps:bodyPr/></wps:wsp>'
        f"</a:graphicData></a:graphic></wp:anchor></w:drawing></mc:Choice>{fallback}</mc:AlternateContent></w:r>"
    )


def vml_oval() -> str:
    """A run holding VML's oval alone, as Word 2007 wrote a drawn circle."""
    return (
        f'<w:r xmlns:w="{_W}" xmlns:v="{_VML}"><w:pict>'
        '<v:oval style="position:absolute;margin-left:3pt;width:11.35pt;height:11.35pt" filled="f"/></w:pict></w:r>'
    )


def word_picture(description: str, index: int = 50) -> str:
    """A run holding an inline picture with its alternative text (the picture itself is not needed to say it)."""
    return (
        f'<w:r xmlns:w="{_W}" xmlns:wp="{_WP}" xmlns:a="{A}" xmlns:pic="{_PIC}"><w:drawing>'
        '<wp:inline><wp:extent cx="144000" cy="144000"/>'
        f'<wp:docPr id="{index}" name="図 {index}" descr="{escape(description)}"/>'
        f'<a:graphic><a:graphicData uri="{_PIC}"><pic:pic><pic:nvPicPr><pic:cNvPr id="{index}" name="circle.png"/>'
        "<pic:cNvPicPr/></pic:nvPicPr><pic:blipFill/><pic:spPr/></pic:pic></a:graphicData></a:graphic>"
        "</wp:inline></w:drawing></w:r>"
    )
