"""A layout copy (``pdftotext -layout``) of a table whose cells are centred from top to bottom, as Word and Excel
centre them: a project's number and marks stand on the middle line of its row, its wrapped name and description
on lines above as well as below (``aligned._centred_rows``). Each row is read whole; a top-aligned table reads
as before."""

from __future__ import annotations

from renkei.ingest import read_bytes
from renkei.ingest.report import check_reading
from renkei.vision.model import Severity

# 南信州定住自立圏 (飯田市 and its neighbours): the name and description of each project wrap over two to four
# lines around the line of its number and marks; a sentence's end (。) tells where one row's lines give way to
# the next's (project 1's description ends on its marked line, its name one line below).
CENTRED = """南信州定住自立圏共生ビジョン 具体的取組
番 事業名              事業内容                             飯田市 松川町 高森町 阿南町 連携市町村数
号
(1) 生活機能の強化
ア 医療
         圏域の病院と診療所が連携し、休日と夜間の
    救急医療 診療を輪番で確保するとともに、情報を共有
1 体制の確 して住民の安心を高める。                            ○      ○      ○      ○         4
    保
         圏域の子育て支援センターを相互に利用できる
    子育て支 ようにし、保護者の交流と相談の場を広げる。
2 援施設の                                                     ○             ○                2
    相互利用
イ 交通
    地域公共 路線バスと予約型乗合交通を結び、通院と通学の
3 交通の確 足を確保する。                                             ○      ○      ○         3
    保
"""

EXPECTED = [
    (1, "救急医療体制の確保", ["飯田市", "松川町", "高森町", "阿南町"], "ア 医療"),
    (2, "子育て支援施設の相互利用", ["飯田市", "高森町"], "ア 医療"),
    (3, "地域公共交通の確保", ["松川町", "高森町", "阿南町"], "イ 交通"),
]

DESCRIPTIONS = [
    "圏域の病院と診療所が連携し、休日と夜間の診療を輪番で確保するとともに、情報を共有して住民の安心を高める。",
    "圏域の子育て支援センターを相互に利用できるようにし、保護者の交流と相談の場を広げる。",
    "路線バスと予約型乗合交通を結び、通院と通学の足を確保する。",
]


def _read(text: str) -> tuple[list[tuple[int, str, list[str], str]], list[str], list[str]]:
    report = check_reading(read_bytes(text.encode("utf-8"), "minamishinshu.txt"))
    projects = report.reading.vision.projects
    read = [(int(p.number), p.name, list(p.participants), f"{p.field.label} {p.field.title}") for p in projects]
    loud = [f.code for f in report.findings if f.severity is not Severity.INFO]
    return read, [p.description for p in projects], loud


def test_a_centred_tables_rows_are_read_whole() -> None:
    read, descriptions, loud = _read(CENTRED)
    assert read == EXPECTED
    assert descriptions == DESCRIPTIONS
    assert loud == []


TOP_ALIGNED = """南信州定住自立圏共生ビジョン 具体的取組
番 事業名              事業内容                             飯田市 松川町 高森町 阿南町 連携市町村数
号
(1) 生活機能の強化
ア 医療
1 救急医療 圏域の病院と診療所が連携し、休日と夜間の            ○      ○      ○      ○         4
    体制の確 診療を輪番で確保するとともに、情報を共有
    保       して住民の安心を高める。
2 子育て支 圏域の子育て支援センターを相互に利用できる          ○             ○                2
    援施設の ようにし、保護者の交流と相談の場を広げる。
    相互利用
イ 交通
3 地域公共 路線バスと予約型乗合交通を結び、通院と通学の               ○      ○      ○         3
    交通の確 足を確保する。
    保
"""


def test_the_same_table_top_aligned_reads_alike() -> None:
    # Each row's number and marks on its first line, the rest of its name and description below it.
    read, descriptions, loud = _read(TOP_ALIGNED)
    assert read == EXPECTED
    assert descriptions == DESCRIPTIONS
    assert loud == []
