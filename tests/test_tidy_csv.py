"""Tidy CSV as data users load it (issue 25): pandas and the csv module with no options, and a spreadsheet's
round trip. Every CSV renkei offers has its header in row 1 and one row per project (the long form: per link),
the wide form closing with one documented record, 「連携事業数計（記載値）」 (number empty), that carries the
declared totals and the sphere's identity. Opened and saved by LibreOffice (headless) as CSV and as XLSX, every
CSV and XLSX renkei writes reads back with the same projects, participants, codes and declared figures.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import subprocess
import zipfile
from pathlib import Path

import pandas as pd
import pytest

from conftest import require_command
from renkei.ingest import Reading, read_bytes, read_path, read_sample
from renkei.ingest.members import split_code
from renkei.render import get, renderers
from renkei.synthetic.synth import synthesize
from renkei.vision.model import Vision
from renkei.vision.ownformat import TOTALS_RECORD

CSVS = [r for r in renderers() if r.extension == "csv"]
WIDE = [r for r in CSVS if r.name != "csv-long"]
ENCODINGS = {"csv": "utf-8-sig", "csv-utf8": "utf-8", "csv-cp932": "cp932", "csv-long": "utf-8-sig"}
# LibreOffice's CSV filter: separator, quote, character set (76 UTF-8, 64 Shift_JIS), first line.
LO_CHARSET = {"utf-8-sig": 76, "utf-8": 76, "cp932": 64}
SAVE_CSV = "csv:Text - txt - csv (StarCalc):44,34,76,1"


def visions() -> list[Vision]:
    synth = synthesize(2, seed=7)
    return [read_sample().vision, *(s.revisions[-1].vision for s in synth)]


def test_every_csv_renkei_offers_is_one_header_and_a_row_per_project() -> None:
    assert {r.name for r in CSVS} >= {"csv", "csv-utf8", "csv-cp932", "csv-long"}
    for vision in visions():
        for renderer in CSVS:
            data = renderer.render(vision)
            encoding = ENCODINGS[renderer.name]
            text = data.decode(encoding)
            rows = list(csv.reader(io.StringIO(text)))
            frame = pd.read_csv(io.BytesIO(data), **({"encoding": "cp932"} if encoding == "cp932" else {}))
            assert list(frame.columns) == rows[0], renderer.name
            assert rows[0][0] == "番号", renderer.name
            if renderer.name == "csv-long":
                # A row per link, then the record that names the sphere and its declared figures (renkei.links/1).
                assert len(frame) == len(rows) - 1 == vision.present_links() + 1
                assert frame["番号"].iloc[-1] == "renkei.links/1"
                continue
            # One row per project, then the documented record (number empty, its name in the name column).
            assert len(frame) == len(rows) - 1 == len(vision.projects) + 1, renderer.name
            numbers = [int(n) for n in frame["番号"].iloc[:-1]]
            assert numbers == [p.number for p in vision.projects]
            assert pd.isna(frame["番号"].iloc[-1]) and frame[vision.labels.name].iloc[-1] == TOTALS_RECORD
            towns = [c for c in rows[0] if split_code(c)[1] is not None]
            assert [split_code(c)[1] for c in towns] == [m.code for m in vision.municipalities]
            for m in vision.municipalities:
                column = f"{m.display} ({m.code})"
                declared = vision.declared_totals.get(m.name)
                cell = frame[column].iloc[-1]  # a column of marks: the figure is text there
                assert (None if pd.isna(cell) else int(cell)) == declared, (renderer.name, m.name)


def test_a_header_with_its_code_resolves_by_the_code() -> None:
    """「name (code)」: the code wins over the name (a town spelt another way still gets its code)."""
    vision = read_sample().vision
    data = get("csv-utf8").render(vision).decode("utf-8")
    first = vision.municipalities[0]
    renamed = data.replace(f"{first.display} ({first.code})", f"上川郡{first.name}町役場 ({first.code})", 1)
    back = read_bytes(renamed.encode("utf-8"), "t.csv").vision
    assert back.municipalities[0].code == first.code and back.municipalities[0].name == first.name
    assert back.municipalities[0].display == f"上川郡{first.name}町役場"
    assert split_code("鷹栖町（０１４５２４）") == ("鷹栖町", "014524")
    assert split_code("旭川市（中心市）") == ("旭川市（中心市）", None)


def test_the_record_keeps_identity_and_an_excerpt_is_still_refused() -> None:
    vision = read_sample().vision
    back = read_bytes(get("csv").render(vision), "t.csv")
    assert back.vision.sphere == vision.sphere
    assert "tidy-no-identity" not in [f.code for f in back.findings]
    vision.edition = dataclasses.replace(vision.edition, sphere_key="k", excerpt="エ 産業振興")
    again = read_bytes(get("csv").render(vision), "t.csv").vision.edition
    assert (again.sphere_key, again.excerpt) == ("k", "エ 産業振興")


# Spreadsheet round trips -------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def soffice() -> str:
    return require_command("soffice")


def convert(
    soffice: str, work: Path, files: dict[str, bytes], to: str, infilter: str | None = None
) -> dict[str, bytes]:
    """Open the files in LibreOffice headless and save them (all in one start: a start takes seconds)."""
    source, out = work / f"in-{abs(hash(to))}", work / f"out-{abs(hash(to))}"
    source.mkdir(exist_ok=True)
    out.mkdir(exist_ok=True)
    for name, data in files.items():
        (source / name).write_bytes(data)
    command = [soffice, "--headless", "--norestore", f"-env:UserInstallation={(work / 'profile').as_uri()}"]
    command += [f"--infilter={infilter}"] if infilter else []
    command += ["--convert-to", to, "--outdir", str(out), *(str(source / n) for n in files)]
    result = subprocess.run(command, capture_output=True, text=True, timeout=300, check=False)
    extension = to.split(":")[0]
    saved = {n: out / f"{Path(n).stem}.{extension}" for n in files}
    missing = [n for n, p in saved.items() if not p.exists()]
    assert not missing, f"LibreOffice wrote nothing for {missing}: {result.stdout} {result.stderr}"
    return {n: p.read_bytes() for n, p in saved.items()}


def assert_same(back: Reading, original: Vision, what: str) -> None:
    vision = back.vision
    assert [(m.name, m.code) for m in vision.municipalities] == [(m.name, m.code) for m in original.municipalities]
    assert vision.projects == original.projects, what
    assert vision.declared_totals == {k: v for k, v in original.declared_totals.items() if v is not None}, what
    assert vision.declared_grand_total == original.declared_grand_total, what


def test_every_csv_and_xlsx_survives_a_spreadsheet(soffice: str, tmp_path: Path) -> None:
    original = read_sample().vision
    files = {f"{r.name}.csv": r.render(original) for r in WIDE}
    files["xlsx.xlsx"] = get("xlsx").render(original)
    by_charset: dict[int, dict[str, bytes]] = {}
    for name, data in files.items():
        if name.endswith(".csv"):
            by_charset.setdefault(LO_CHARSET[ENCODINGS[name[:-4]]], {})[name] = data
    saved: dict[str, bytes] = {}
    for charset, group in by_charset.items():
        infilter = f"CSV:44,34,{charset},1"
        for to in ("xlsx", SAVE_CSV):
            for name, data in convert(soffice, tmp_path, group, to, infilter).items():
                saved[f"{name}→{to[:4]}"] = data
    for to in ("xlsx", SAVE_CSV):
        saved[f"xlsx→{to[:4]}"] = convert(soffice, tmp_path, {"xlsx.xlsx": files["xlsx.xlsx"]}, to)["xlsx.xlsx"]
    assert len(saved) == 2 * len(files)
    for what, data in saved.items():
        back = read_bytes(data, "saved.xlsx" if what.endswith("xlsx") else "saved.csv")
        assert_same(back, original, what)
        if what.endswith("xlsx"):  # the header in row 1 of the sheet, for Excel's filters
            from openpyxl import load_workbook

            sheet = load_workbook(io.BytesIO(data)).worksheets[0]
            if not what.startswith("xlsx"):
                assert sheet.cell(1, 1).value == "番号", what


def test_a_data_package_survives_a_spreadsheet_and_codes_come_back(soffice: str, tmp_path: Path) -> None:
    """Its CSVs opened and saved by LibreOffice: the codes become numbers (014524 → 14524), and renkei
    restores them by their check digit and name, saying so."""
    original = read_sample().vision
    folder = tmp_path / "package"
    with zipfile.ZipFile(io.BytesIO(get("datapackage").render(original))) as archive:
        archive.extractall(folder)
    csvs = {p.name: p.read_bytes() for p in folder.glob("*.csv")}
    saved = convert(soffice, tmp_path, csvs, SAVE_CSV, "CSV:44,34,76,1")
    for name, data in saved.items():
        (folder / name).write_bytes(data)
    assert b",14524," in (folder / "participation.csv").read_bytes()  # the spreadsheet did mangle them
    back = read_path(folder)
    assert_same(back, original, "datapackage")
    assert back.vision.sphere == original.sphere
    assert {f.params["fixed"] for f in back.findings if f.code == "code-recovered"} == {
        m.code for m in original.municipalities
    }


def test_the_pandas_example_of_the_open_data_docs_runs(tmp_path: Path) -> None:
    """docs/open-data.md's pandas block, on the files its commands make."""
    import sys

    docs = (Path(__file__).resolve().parents[1] / "docs" / "open-data.md").read_text(encoding="utf-8")
    code = docs.split("## pandas", 1)[1].split("```python\n", 1)[1].split("```", 1)[0]
    vision = read_sample().vision
    (tmp_path / "table.csv").write_bytes(get("csv").render(vision))
    (tmp_path / "table_sjis.csv").write_bytes(get("csv-cp932").render(vision))
    with zipfile.ZipFile(io.BytesIO(get("datapackage").render(vision))) as archive:
        archive.extractall(tmp_path / "table")
    script = tmp_path / "example.py"
    script.write_text(code + "\nprint(len(projects), len(links), len(sj))\n", encoding="utf-8")
    done = subprocess.run([sys.executable, str(script)], cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == [
        str(len(vision.projects)),
        str(vision.present_links()),
        str(len(vision.projects) + 1),
    ]
