"""Shared helpers for the tester4 corpus (budgets and KPIs of 16 real spheres)."""
import json
import os
import shutil
import subprocess
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))


def path(name):
    return os.path.join(HERE, name)


def c(n):
    """Thousands separators as offices print them."""
    if isinstance(n, float):
        return f"{n:,.1f}"
    return f"{n:,}"


def B(fy, amount, unit="千円", town=""):
    return {"fiscal_year": fy, "amount": amount, "unit": unit, "town": town}


def K(name, unit, base, by, target, ty, results=(), grade=None):
    k = {"name": name, "unit": unit, "baseline": base, "baseline_year": by,
         "target": target, "target_year": ty,
         "results": [{"fiscal_year": fy, "value": v, "town": t} for fy, v, t in results]}
    if grade is not None:
        k["grade"] = grade
    return k


def P(number, name, participants, order, budgets=None, kpis=None, roles=None):
    p = {"number": number, "name": name, "participants": [m for m in order if m in participants]}
    if roles:
        p["roles"] = roles
    if budgets is not None:
        p["budgets"] = budgets
    if kpis is not None:
        p["kpis"] = kpis
    return p


def write_expect(fname, about, sphere, kind, municipalities, projects, exit_code, faults=(), findings=(),
                 annex=None):
    d = {
        "file": fname,
        "about": about,
        "sphere": {"name": sphere, "kind": kind},
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


def soffice_convert(src, fmt, dest):
    """Convert src with LibreOffice (recalculates formulas) and move the result to dest."""
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


HTML_HEAD = """<!DOCTYPE html>
<html lang="ja"><head><meta charset="utf-8"><title>{title}</title>
<style>
@page {{ size: A4 landscape; margin: 12mm; }}
body {{ font-family: 'Noto Sans CJK JP', 'IPAexGothic', sans-serif; font-size: 10pt; }}
table {{ border-collapse: collapse; }}
th, td {{ border: 1px solid #333; padding: 2px 4px; }}
td.n {{ text-align: right; }}
td.m {{ text-align: center; }}
{extra}
</style></head><body>
"""
