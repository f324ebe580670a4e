"""Shared helpers for the tester3 corpus (tables of 20 real spheres)."""
import json
import os
import random

HERE = os.path.dirname(os.path.abspath(__file__))

FW = str.maketrans("0123456789", "０１２３４５６７８９")
CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"


def fw(n):
    return str(n).translate(FW)


def marks(seed, names, n_projects, p=0.6, always=(), lead=None, min_marks=2):
    """Deterministic participation: list of {name: mark}.

    always: names marked in every project; lead: (lead_mark, member_mark) or None.
    """
    rng = random.Random(seed)
    out = []
    for i in range(n_projects):
        while True:
            part = [n for n in names if n in always or rng.random() < p]
            if len(part) >= min_marks:
                break
        row = {}
        if lead:
            lm, mm = lead
            leader = rng.choice(part)
            for n in part:
                row[n] = lm if n == leader else mm
        else:
            for n in part:
                row[n] = "○"
        out.append(row)
    return out


def budget(fy, amount, town=""):
    return {"fiscal_year": fy, "amount": amount, "unit": "千円", "town": town}


def kpi(name, unit, base, by, target, ty):
    return {"name": name, "unit": unit, "baseline": base, "baseline_year": by,
            "target": target, "target_year": ty, "results": []}


def project(number, name, participants_marks, order, label=None, pillar=None, field=None,
            lead_marks=(), budgets=None, kpis=None):
    p = {"number": number}
    if label is not None and label != str(number):
        p["number_as_written"] = label
    p["name"] = name
    if pillar:
        p["pillar"] = pillar
    if field:
        p["field"] = field
    p["participants"] = [n for n in order if n in participants_marks]
    if lead_marks:
        p["roles"] = {n: ("lead" if participants_marks[n] in lead_marks else "member")
                      for n in order if n in participants_marks}
    if budgets is not None:
        p["budgets"] = budgets
    if kpis is not None:
        p["kpis"] = kpis
    return p


def write_expect(fname, about, sphere, kind, municipalities, projects, exit_code,
                 faults=(), findings=(), annex=None, args=()):
    d = {
        "file": fname,
        "about": about,
        "sphere": {"name": sphere, "kind": kind},
        "args": list(args) if args else (["--annex", annex] if annex else []),
        "annex": annex,
        "exit": exit_code,
        "municipalities": municipalities,
        "projects": projects,
        "deliberate_faults": list(faults),
    }
    if findings:
        d["expected_findings"] = list(findings)
    with open(os.path.join(HERE, fname + ".expect.json"), "w", encoding="utf-8") as f:
        json.dump(d, f, ensure_ascii=False, indent=1)
