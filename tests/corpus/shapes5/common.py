"""Shared helpers for the fifth tester corpus (tests/corpus/shapes5): 16 more real spheres, written from how
secretariats publish their tables, each with what a correct reading yields (NAME.expect.json)."""
import json
import os
import shutil
import subprocess
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))

PILLAR_T = ("生活機能の強化に係る政策分野", "結びつきやネットワークの強化に係る政策分野",
            "圏域マネジメント能力の強化に係る政策分野")
PILLAR_R = ("圏域全体の経済成長のけん引", "高次の都市機能の集積・強化", "圏域全体の生活関連機能サービスの向上")

FW = str.maketrans("0123456789()", "０１２３４５６７８９（）")


def fw(s):
    return str(s).translate(FW)


def path(name):
    return os.path.join(HERE, name)


class Proj:
    """One project row as the document writes it.

    marks: one character per municipality column of the table, in table order:
      'o' takes part, 'L' takes part and leads (where the legend says so), '-' does not take part,
      'X' a mark under a column that names no municipality (only used where a table has such a column).
    """

    def __init__(self, label, name, marks, desc="", pillar=None, field=None, number=None, declared=None,
                 budgets=None):
        self.label = label
        self.name = name
        self.marks = marks
        self.desc = desc
        self.pillar = pillar
        self.field = field
        self.number = number
        self.declared = declared  # the count as the document declares it (None: the true count)
        self.budgets = budgets

    def count(self):
        return sum(1 for ch in self.marks if ch in "oL")

    def declared_count(self):
        return self.count() if self.declared is None else self.declared


def totals(projects, n):
    return [sum(1 for p in projects if p.marks[i] in "oL") for i in range(n)]


def expect_project(p, order, number, lead_legend=False, with_pillar=True, with_field=True, as_written=None):
    parts = [m for m, ch in zip(order, p.marks) if ch in "oL"]
    d = {"number": number}
    if as_written is not None:
        d["number_as_written"] = as_written
    d["name"] = p.name
    if with_pillar and p.pillar is not None:
        d["pillar"] = p.pillar
    if with_field and p.field is not None:
        d["field"] = p.field
    d["participants"] = parts
    if lead_legend:
        d["roles"] = {m: ("lead" if ch == "L" else "member") for m, ch in zip(order, p.marks) if ch in "oL"}
    if p.budgets:
        d["budgets"] = p.budgets
    return d


def B(fy, amount, unit="千円", town=""):
    return {"fiscal_year": fy, "amount": amount, "unit": unit, "town": town}


def write_expect(fname, about, sphere, kind, municipalities, projects, exit_code, faults=(), findings=(),
                 annex=None, why_sphere=None):
    sph = {"name": sphere, "kind": kind}
    if why_sphere:
        sph["why"] = why_sphere
    d = {
        "file": fname,
        "about": about,
        "sphere": sph,
        "args": ["--annex", annex] if annex else [],
        "annex": annex,
        "exit": exit_code,
        "municipalities": municipalities,
        "projects": projects,
        "deliberate_faults": list(faults),
        "expected_findings": list(findings),
    }
    with open(path(fname + ".expect.json"), "w", encoding="utf-8") as f:
        json.dump(d, f, ensure_ascii=False, indent=1)
        f.write("\n")


def soffice_convert(src, fmt, dest):
    """Convert src with LibreOffice (which also recalculates formulas) and move the result to dest."""
    with tempfile.TemporaryDirectory() as td:
        prof = "file://" + os.path.join(td, "profile")
        subprocess.run(["soffice", f"-env:UserInstallation={prof}", "--headless", "--convert-to", fmt,
                        "--outdir", os.path.join(td, "out"), src], check=True, capture_output=True)
        outs = os.listdir(os.path.join(td, "out"))
        assert len(outs) == 1, outs
        shutil.move(os.path.join(td, "out", outs[0]), dest)


def chromium_pdf(html, pdf):
    subprocess.run(["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer",
                    f"--print-to-pdf={pdf}", "file://" + html], check=True, capture_output=True)
