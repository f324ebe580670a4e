"""PDF: the official table on A4 landscape, and plain documents (amendment lists, agreement schedules).

HTML is built with Jinja2 (every value escaped: a project named ``<script>`` prints as those characters) and laid
out by WeasyPrint in Debian's Noto Sans CJK JP, so the ○ and the Japanese text are glyphs, not boxes. The header
row repeats on every page (WeasyPrint repeats a ``thead``), rows do not split across pages, and the footer
carries the title and ``page / pages``.

Like every renderer, the table's counts (連携町数) and the 連携事業数計 row are computed from the marks; a figure
the document declared otherwise is printed beside it in red, with a note saying so. WeasyPrint is imported inside
the render functions: it takes about a second to import, and the CLI starts without it.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import TYPE_CHECKING

from renkei.core.fonts import font_face_css
from renkei.core.fonts import missing as fonts_missing
from renkei.core.messages import DEFAULT, t
from renkei.render.base import Document, Renderer, RenderUnavailable, register
from renkei.render.layout import LEGEND, plan_line, title
from renkei.vision.model import Vision
from renkei.vision.table import format_ranges, table_view

if TYPE_CHECKING:
    from jinja2 import Template
    from markupsafe import Markup

FONT = '"Noto Sans CJK JP", "Noto Sans JP", "IPAexGothic", sans-serif'

_CSS = """
@page {
  size: A4 landscape;
  margin: 12mm 10mm 14mm 10mm;
  @bottom-left { content: string(doc-title); font-size: 7.5pt; color: #555; }
  @bottom-right { content: counter(page) " / " counter(pages); font-size: 8pt; color: #333; }
}
html { font-family: FONT; font-size: 8.5pt; line-height: 1.35; color: #111; }
h1 { font-size: 13pt; margin: 0 0 2mm 0; string-set: doc-title content(); }
h2 { font-size: 11pt; margin: 5mm 0 2mm 0; break-after: avoid; }
h2.new-page { break-before: page; }
p { margin: 1mm 0; }
.legend { font-size: 8pt; }
table { width: 100%; border-collapse: collapse; }
th, td { border: 0.4pt solid #777; padding: 0.8mm 1mm; vertical-align: top; overflow-wrap: anywhere; }
thead th { background: #dde7f0; font-weight: bold; text-align: center; vertical-align: middle; }
thead { display: table-header-group; }
tr { break-inside: avoid; }
table.vision { table-layout: fixed; }
/* Spaces kept as written, also where a line wraps: the PDF reads back to the same text (ingest/pdf.py). */
table.vision tr:not(.totals) td:not(.number):not(.mark):not(.count), table.vision tr.pillar th,
table.vision tr.field th { white-space: pre-wrap; }
table.vision td.number, table.vision td.mark, table.vision td.count { text-align: center; }
table.vision th.vertical { line-height: 1.1; padding: 1mm 0; }
table.vision td.mark { font-size: 10pt; padding: 0.5mm 0; }
tr.pillar th, tr.field th { text-align: left; border-left: none; border-right: none; break-after: avoid; }
tr.pillar th { font-size: 10pt; background: #f0f0f0; padding-top: 1.5mm; }
tr.field th { font-size: 9pt; font-weight: bold; }
tr.totals td, tr.totals th { font-weight: bold; background: #f7f7f7; text-align: center; }
.declared { color: #c00000; font-weight: bold; white-space: nowrap; }
.notes { margin-top: 3mm; font-size: 8pt; }
.notes .declared { white-space: normal; }
table.document td.int { text-align: right; white-space: nowrap; }
table.figures { margin-top: 4mm; page-break-before: auto; }
th.figure { font-size: 7pt; }
td.figure { text-align: right; font-size: 7.5pt; }
""".replace("FONT", FONT)

_VISION = """<!DOCTYPE html>
<html lang="{{ lang }}">
<head><meta charset="utf-8"><title>{{ heading }}</title><style>{{ css }}</style></head>
<body>
<h1>{{ heading }}</h1>
{% if period %}<p class="legend">{{ period }}</p>{% endif %}
{% if legend %}<p class="legend">{{ legend }}</p>{% endif %}
<table class="vision">
<colgroup>
<col style="width: 9mm"><col style="width: {{ name_width }}mm"><col>
{% for _ in attributes %}<col style="width: 28mm">{% endfor %}
{% for _ in municipalities %}<col style="width: 7.5mm">{% endfor %}
<col style="width: 11mm">
</colgroup>
<thead><tr>
<th scope="col">{{ labels.number }}</th><th scope="col">{{ labels.name }}</th>
<th scope="col">{{ labels.description }}</th>
{% for a in attributes %}<th scope="col">{{ a }}</th>{% endfor %}
{% for m in municipalities %}<th scope="col" class="vertical">{% for c in m %}{{ c }}<br>{% endfor %}</th>{% endfor %}
<th scope="col" class="vertical">{% for c in labels.count %}{{ c }}<br>{% endfor %}</th>
</tr></thead>
<tbody>
{% for row in view.rows %}
{% if row.kind == "heading" %}
<tr class="{{ row.level }}"><th colspan="{{ width }}" scope="colgroup">{{ row.text }}</th></tr>
{% else %}
<tr>
<td class="number">{{ row.number }}</td><td>{{ row.name }}</td><td>{{ row.project.description }}</td>
{% for a in attributes %}<td>{{ row.project.attributes.get(a, "") }}</td>{% endfor %}
{% for mark in row.marks %}<td class="mark">{{ mark }}</td>{% endfor %}
<td class="count">{{ row.count.computed }}{% if row.count.differs %}<br>
<span class="declared">{{ row.count.declared }}</span>{% endif %}</td>
</tr>
{% endif %}
{% endfor %}
<tr class="totals">
<th colspan="{{ 3 + attributes|length }}" scope="row">{{ labels.totals }}</th>
{% for figure in totals %}<td>{{ figure.computed }}{% if figure.differs %}<br>
<span class="declared">{{ figure.declared }}</span>{% endif %}</td>{% endfor %}
</tr>
</tbody>
</table>
{% if view.figures %}
<table class="vision figures">
<thead><tr><th scope="col">{{ labels.number }}</th><th scope="col">{{ labels.name }}</th>
{% for f in view.figures %}<th scope="col" class="figure">{{ f.label }}</th>{% endfor %}</tr></thead>
<tbody>
{% for row in view.project_rows %}<tr><td class="number">{{ row.number }}</td><td>{{ row.name }}</td>
{% for f in view.figures %}<td class="figure">{{ f.shown(row.project) }}</td>{% endfor %}</tr>
{% endfor %}
</tbody>
</table>
{% endif %}
{% if notes %}<div class="notes">{% for note in notes %}
<p{% if note.red %} class="declared"{% endif %}>※ {{ note.text }}</p>{% endfor %}
</div>{% endif %}
</body>
</html>
"""

_DOCUMENT = """<!DOCTYPE html>
<html lang="{{ lang }}">
<head><meta charset="utf-8"><title>{{ document.title }}</title><style>{{ css }}</style></head>
<body>
<h1>{{ document.title }}</h1>
{% for sheet in sheets %}
<h2{% if sheet.new_page %} class="new-page"{% endif %}>{{ sheet.title }}</h2>
<table class="document">
<thead><tr>{% for column in sheet.columns %}<th scope="col">{{ column }}</th>{% endfor %}</tr></thead>
<tbody>
{% for row in sheet.rows %}<tr>{% for cell in row %}<td{% if cell.number %} class="int"{% endif %}>{{ cell.text }}</td>
{% endfor %}</tr>
{% endfor %}
</tbody>
</table>
{% endfor %}
{% if document.notes %}<div class="notes">{% for note in document.notes %}<p>{{ note }}</p>{% endfor %}</div>{% endif %}
</body>
</html>
"""


@functools.cache
def _template(source: str) -> Template:
    from jinja2 import Environment, StrictUndefined

    # autoescape=True: every value is HTML-escaped; nothing from a vision is trusted as markup.
    return Environment(autoescape=True, undefined=StrictUndefined).from_string(source)


def _css() -> Markup:
    """The style sheet, ours and trusted: marked safe so that autoescaping leaves its quotes alone."""
    from markupsafe import Markup

    return Markup(_CSS)


@dataclass(frozen=True)
class _Note:
    text: str
    red: bool = False


def vision_html(vision: Vision, lang: str = DEFAULT) -> str:
    """The official table as an HTML page for print: what ``render_pdf`` lays out."""
    view = table_view(vision)
    attributes = view.attributes
    notes: list[_Note] = []
    if view.differs:
        notes.append(_Note(t("pdf.declared_note", lang), red=True))
        missing = vision.missing_ranges()
        if missing:
            count = vision.missing_count()
            notes.append(_Note(t("pdf.missing_note", lang, numbers=format_ranges(missing), count=count)))
    central = vision.sphere.central_city
    if central is not None and vision.municipality(central.name) is None:
        notes.append(_Note(t("pdf.central_city_note", lang, city=central.display)))
    labels = vision.labels
    heading = title(vision) or t("pdf.untitled", lang)
    return _template(_VISION).render(
        lang=lang,
        css=_css(),
        heading=heading,
        legend=LEGEND if view.leads else None,
        period=plan_line(vision),
        labels={
            "number": t("doc.number", lang),
            "name": labels.name,
            "description": labels.description,
            "count": labels.count,
            "totals": labels.totals,
        },
        attributes=attributes,
        municipalities=[m.display for m in view.columns],
        name_width=48 if len(view.columns) <= 12 else 38,
        width=4 + len(attributes) + len(view.columns),
        view=view,
        totals=[*view.totals, view.grand_total],
        notes=notes,
    )


def document_html(document: Document, lang: str = DEFAULT) -> str:
    """A plain document (title, one table per sheet, notes) as an HTML page for print."""
    sheets = [
        {
            "title": sheet.title,
            "new_page": sheet.new_page,
            "columns": sheet.columns,
            "rows": [
                [
                    {"text": "" if value is None else str(value), "number": isinstance(value, int | float)}
                    for value in row
                ]
                for row in sheet.rows
            ],
        }
        for sheet in document.sheets
    ]
    return _template(_DOCUMENT).render(lang=lang, css=_css(), document=document, sheets=sheets)


def html_to_pdf(html: str) -> bytes:
    """Lay out a page with WeasyPrint (imported here: it is slow to import) and return the PDF's bytes.
    RenderUnavailable where Pango or a Japanese font is missing: a PDF of boxes is never written."""
    problem = unavailable()
    if problem is not None:
        raise problem
    from weasyprint import CSS, HTML  # type: ignore[import-untyped]
    from weasyprint.text.fonts import FontConfiguration  # type: ignore[import-untyped]

    fonts = FontConfiguration()
    faces = [CSS(string=face, font_config=fonts)] if (face := font_face_css()) else []
    data: bytes = HTML(string=html).write_pdf(stylesheets=faces, font_config=fonts)
    return data


@functools.cache
def _weasyprint_problem() -> str | None:
    try:
        import weasyprint  # noqa: F401
    except (OSError, ImportError) as error:  # OSError: cannot load library 'libpango-1.0-0' (cffi)
        return str(error).splitlines()[0] if str(error) else type(error).__name__
    return None


def unavailable() -> RenderUnavailable | None:
    """Why this machine cannot write a PDF (Pango, a Japanese font), or None."""
    reason = _weasyprint_problem()
    if reason is not None:
        return RenderUnavailable("pdf-pango-missing", reason=reason)
    package = fonts_missing()
    if package is not None:
        return RenderUnavailable("pdf-font-missing", package=package)
    return None


def render_pdf(vision: Vision, lang: str = DEFAULT) -> bytes:
    return html_to_pdf(vision_html(vision, lang))


def document_pdf(document: Document, lang: str = DEFAULT) -> bytes:
    return html_to_pdf(document_html(document, lang))


register(
    Renderer(
        "pdf",
        "pdf",
        "application/pdf",
        "format.pdf",
        render_pdf,
        readable=False,
        document=document_pdf,
        unavailable=unavailable,
    )
)
