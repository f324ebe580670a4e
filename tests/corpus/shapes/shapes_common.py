import json
import os
import random

OUT = os.path.dirname(os.path.abspath(__file__))


class T:
    """A table spec: towns [(written, canonical)], projects [dict]."""

    def __init__(self, file, sphere, towns, projects, faults=(), exit=0, about="", roles=None, extra=None):
        self.file, self.sphere, self.towns, self.projects = file, sphere, towns, projects
        self.faults, self.exit, self.about = list(faults), exit, about
        self.extra = extra or {}

    def counts(self):
        return [sum(1 for m in p["marks"] if m) for p in self.projects]

    def col_totals(self):
        return [sum(1 for p in self.projects if p["marks"][i]) for i in range(len(self.towns))]

    def write_expect(self):
        e = {
            "file": self.file,
            "about": self.about,
            "sphere": self.sphere,
            "exit": self.exit,
            "municipalities": [{"written": w, "name": c} for w, c in self.towns],
            "projects": [],
            "deliberate_faults": self.faults,
        }
        for p in self.projects:
            e["projects"].append(
                {
                    "number": p["number"],
                    "number_as_written": p.get("label", str(p["number"])),
                    "name": p["name"],
                    "pillar": p.get("pillar"),
                    "field": p.get("field"),
                    "participants": {
                        w: m
                        for (w, c), m in zip(self.towns, p["marks"], strict=False)
                        if m and not p.get("nonpart", {}).get(c)
                    },
                    "not_participating_marks": {
                        w: m
                        for (w, c), m in zip(self.towns, p["marks"], strict=False)
                        if m and p.get("nonpart", {}).get(c)
                    },
                    "participants_canonical": [
                        c
                        for (w, c), m in zip(self.towns, p["marks"], strict=False)
                        if m and not p.get("nonpart", {}).get(c)
                    ],
                    "roles": p.get("roles"),
                }
            )
        e.update(self.extra)
        with open(os.path.join(OUT, self.file + ".expect.json"), "w") as f:
            json.dump(e, f, ensure_ascii=False, indent=1)


NAMES = {
    "med": ["休日夜間急患センターの運営", "救急医療体制の確保", "地域医療連携の推進", "病院群輪番制の維持"],
    "wel": [
        "病児保育の広域利用",
        "成年後見センターの共同運営",
        "障がい者相談支援の共同実施",
        "高齢者見守りネットワーク",
    ],
    "edu": ["図書館の相互利用", "児童生徒の交流事業", "公共施設の相互利用"],
    "ind": ["創業支援事業", "企業誘致の共同推進", "地場産品の販路拡大", "広域観光の推進", "インバウンド誘客"],
    "net": ["地域公共交通の維持確保", "移住定住の促進", "ICTを活用した情報発信", "道路網の整備促進"],
    "gov": ["合同職員研修", "職員の人事交流", "外部人材の共同活用"],
}


def marks(rng, n, p=0.6, mark="○"):
    row = [mark if rng.random() < p else "" for _ in range(n)]
    if not any(row):
        row[rng.randrange(n)] = mark
    return row


def simple_projects(seed, ntowns, plan, mark="○", p=0.6):
    """plan: list of (pillar, field, [names])"""
    rng = random.Random(seed)
    out = []
    n = 0
    for pillar, field, names in plan:
        for nm in names:
            n += 1
            out.append(dict(number=n, name=nm, pillar=pillar, field=field, marks=marks(rng, ntowns, p, mark)))
    return out
