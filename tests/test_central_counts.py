"""The central city's own column and the counts beside it: a legend that says which mark is the central city's
(◎：中心市) makes its column the central city's; counts that leave that column out are read as the document
counts them (said, and checked so), where their header does not say so; a title's central city with a column of
its own is the central city's column, so that 連携町数（中心市を除く） leaves it out; and every format renkei
writes reads back with the same counts, label and no error.

The tables are other spheres' (八戸圏域, 鳥取因幡, 備後圏域, 上川中部 with its central city's column), in text,
CSV (Shift_JIS), XLSX and a web page; the names resolve by the national list."""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence

import pytest
from openpyxl import Workbook

from renkei.ingest import read_bytes
from renkei.ingest.report import Report, check_reading
from renkei.render import Renderer, renderers
from renkei.vision.model import Role, Severity

READABLE = [r for r in renderers() if r.readable]
Table = tuple[str, str, list[str], list[tuple[str, list[str], str]], str]  # title, count label, towns, rows, legend

# 八戸圏域: the central city's column first, marked ◎ in every row; the counts are the partner towns'.
HACHINOHE: Table = (
    "八戸圏域連携中枢都市圏 連携事業一覧",
    "連携市町村数",
    ["八戸", "三戸", "五戸", "田子", "南部", "階上"],
    [
        ("ドクターカー運行事業", ["◎", "○", "○", "○", "○", "○"], "5"),
        ("広域観光推進事業", ["◎", "○", "", "○", "○", ""], "3"),
        ("公共交通確保事業", ["◎", "", "○", "○", "", "○"], "3"),
    ],
    "◎：中心市　○：連携市町村",
)
# 鳥取因幡: the central city's column last, ● for it (連携中枢都市 in the legend); it sits out one project.
INABA: Table = (
    "因幡・但馬麒麟のまち連携中枢都市圏 連携事業",
    "参加市町数",
    ["岩美町", "若桜町", "智頭町", "八頭町", "鳥取市"],
    [
        ("移住定住の促進", ["○", "○", "○", "", "●"], "3"),
        ("観光ルートの造成", ["○", "", "○", "○", "●"], "3"),
        ("鳥獣被害対策", ["○", "○", "", "○", ""], "3"),
    ],
    "●＝連携中枢都市　○＝連携市町",
)


def text_table(table: Table) -> bytes:
    title, label, towns, rows, legend = table
    lines = [title, "", "\t".join(["番号", "事業名", *towns, label])]
    lines += ["\t".join([str(n), name, *marks, count]) for n, (name, marks, count) in enumerate(rows, 1)]
    return "\n".join([*lines, "", legend]).encode("utf-8")


def csv_table(table: Table) -> bytes:
    title, label, towns, rows, legend = table
    lines = [title, ",".join(["No.", "事業名", *towns, label])]
    lines += [",".join([str(n), name, *marks, count]) for n, (name, marks, count) in enumerate(rows, 1)]
    return "\r\n".join([*lines, legend]).encode("cp932")


def xlsx_table(table: Table) -> bytes:
    title, label, towns, rows, legend = table
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append([title])
    sheet.append(["番号", "事業名", *towns, label])
    for n, (name, marks, count) in enumerate(rows, 1):
        sheet.append([n, name, *[m or None for m in marks], int(count)])
    sheet.append([legend])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def html_table(table: Table) -> bytes:
    title, label, towns, rows, legend = table
    head = "".join(f"<th>{t}</th>" for t in ["番号", "事業名", *towns, label])
    body = "".join(
        "<tr>" + "".join(f"<td>{c}</td>" for c in [str(n), name, *marks, count]) + "</tr>"
        for n, (name, marks, count) in enumerate(rows, 1)
    )
    page = f"<html><head><title>{title}</title></head><body><h1>{title}</h1>"
    page += f"<table><tr>{head}</tr>{body}</table><p>{legend}</p></body></html>"
    return page.encode("utf-8")


FORMATS: dict[str, tuple[str, Callable[[Table], bytes]]] = {
    "text": ("t.txt", text_table),
    "csv": ("t.csv", csv_table),
    "xlsx": ("t.xlsx", xlsx_table),
    "html": ("t.html", html_table),
}


def checked(table: Table, form: str) -> Report:
    name, make = FORMATS[form]
    return check_reading(read_bytes(make(table), name))


def codes(report: Report, severity: Severity | None = None) -> list[str]:
    return [f.code for f in report.findings if severity is None or f.severity is severity]


@pytest.mark.parametrize("form", FORMATS)
@pytest.mark.parametrize(("table", "central"), [(HACHINOHE, "八戸市"), (INABA, "鳥取市")], ids=["hachinohe", "inaba"])
def test_the_legends_central_mark_makes_the_column_the_central_citys(table: Table, central: str, form: str) -> None:
    report = checked(table, form)
    vision = report.reading.vision
    assert [m.name for m in vision.municipalities if m.central] == [central]
    assert vision.sphere.central_city is not None and vision.sphere.central_city.name == central
    # The central city takes part where its mark stands, as a member: the legend names who it is, not a lead.
    marked = [
        p
        for p, (_, marks, _) in zip(vision.projects, table[3], strict=True)
        if marks[table[2].index(next(t for t in table[2] if central.startswith(t)))]
    ]
    assert all(p.participants.get(central) is Role.MEMBER for p in marked) and marked
    # The counts leave the central city out, as every row's figures show: said once, and checked so.
    assert vision.labels.count.endswith("（中心市を除く）")
    assert codes(report).count("count-excludes-central") == 1
    assert codes(report, Severity.ERROR) == []
    assert [p.declared_count for p in vision.projects] == [int(count) for _, _, count in table[3]]


def with_counts(table: Table, counts: Sequence[str]) -> Table:
    title, label, towns, rows, legend = table
    return title, label, towns, [(n, m, c) for (n, m, _), c in zip(rows, counts, strict=True)], legend


def test_counts_that_include_the_central_city_are_read_as_they_are() -> None:
    # The same table whose counts include the central city's mark: nothing to infer, nothing said.
    report = checked(with_counts(HACHINOHE, ["6", "4", "4"]), "text")
    assert "count-excludes-central" not in codes(report)
    assert codes(report, Severity.ERROR) == []
    assert report.reading.vision.labels.count == HACHINOHE[1]


def test_counts_that_agree_neither_way_stay_errors() -> None:
    # One row counts the central city, another does not: no reading fits them all, so each wrong one is said.
    report = checked(with_counts(HACHINOHE, ["6", "3", "4"]), "text")
    assert "count-excludes-central" not in codes(report)
    assert codes(report, Severity.ERROR) == ["count-mismatch"]


def test_a_legend_that_names_no_central_city_leaves_the_columns_alone() -> None:
    title, label, towns, rows, _ = HACHINOHE
    report = checked((title, label, towns, rows, "◎：主体となって実施　○：連携して実施"), "text")
    vision = report.reading.vision
    assert not any(m.central for m in vision.municipalities)
    assert vision.projects[0].participants["八戸市"] is Role.LEAD
    assert codes(report, Severity.ERROR) == ["count-mismatch"] * 3  # the figures leave out a column it cannot tell


# 上川中部 with its central city's own column, which the title names; the header says the counts leave it out.
TITLED = "\n".join(
    [
        "上川中部定住自立圏共生ビジョン（中心市：旭川市）",
        "項目\t事業内容\t旭川市\t鷹栖町\t東神楽町\t当麻町\t連携町数（中心市を除く）",
        "1 地域医療連携事業\t救急医療を確保する。\t○\t○\t○\t\t2",
        "2 広域観光推進事業\t観光を振興する。\t○\t\t○\t○\t2",
    ]
).encode("utf-8")


def test_the_title_names_the_central_city_whose_column_a_count_leaves_out() -> None:
    report = check_reading(read_bytes(TITLED, "t.txt"))
    assert [m.name for m in report.reading.vision.municipalities if m.central] == ["旭川市"]
    assert codes(report, Severity.ERROR) == []  # before, each count was said wrong by the central city's mark


@pytest.mark.parametrize("renderer", READABLE, ids=lambda r: r.name)
@pytest.mark.parametrize(
    "source",
    [("t.txt", text_table(HACHINOHE)), ("t.xlsx", xlsx_table(INABA)), ("t.txt", TITLED)],
    ids=["hachinohe", "inaba", "kamikawa-titled"],
)
def test_every_format_reads_back_the_counts_as_the_document_counts_them(
    renderer: Renderer, source: tuple[str, bytes]
) -> None:
    original = check_reading(read_bytes(source[1], source[0]))
    vision = original.reading.vision
    back = check_reading(read_bytes(renderer.render(vision), f"back.{renderer.extension}"))
    again = back.reading.vision
    assert again.labels.count == vision.labels.count
    assert [p.declared_count for p in again.projects] == [p.declared_count for p in vision.projects]
    assert [m.name for m in again.municipalities if m.central] == [m.name for m in vision.municipalities if m.central]
    assert codes(back, Severity.ERROR) == []
