"""Score a reading of a corpus table against its truth file (see README.md beside this file).

Used by tests/test_corpus.py and from the command line: ``python tests/corpus/score.py [NAME ...]``.
"""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
_PROJECT_KEYS = ("field", "pillar", "roles", "declared_count", "number_label")
# Budgets and KPIs (issue 26), scored where a truth gives them: in any order, as what they say is not ordered.
FIGURE_KEYS = ("budgets", "kpis")
_FINDING_KEYS = ("code", "severity", "line", "page", "sheet", "cell", "column")


@dataclass
class Score:
    name: str
    points: int = 0
    total: int = 0
    lost: list[str] = field(default_factory=list)

    def award(self, ok: bool, what: str) -> None:
        self.total += 1
        if ok:
            self.points += 1
        else:
            self.lost.append(what)

    @property
    def perfect(self) -> bool:
        return self.points == self.total

    def __str__(self) -> str:
        head = f"{self.name}: {self.points}/{self.total}"
        return "\n  ".join([head, *self.lost])


def truths() -> list[Path]:
    """Every truth file of the corpus, in name order."""
    return sorted(HERE.rglob("*.truth.json"))


def load(truth_path: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(truth_path.read_text(encoding="utf-8"))
    return data


def run_check(truth_path: Path, truth: dict[str, Any]) -> tuple[int, dict[str, Any]]:
    """``renkei check FILE ARGS --json`` as a user runs it: exit status and the JSON object printed."""
    table = truth_path.parent / truth["file"]
    result = subprocess.run(
        [sys.executable, "-m", "renkei", "check", str(table), *truth.get("args", []), "--json"],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env={"PATH": "/usr/bin:/bin", "LANG": "C.UTF-8", "PYTHONIOENCODING": "utf-8"},
        timeout=120,
        check=False,
        cwd=truth_path.parent,  # an argument naming a file beside the table (--annex) is found there
    )
    if "Traceback" in result.stderr:
        raise AssertionError(f"{table.name}: traceback\n{result.stderr}")
    try:
        answer: dict[str, Any] = json.loads(result.stdout)
    except json.JSONDecodeError:
        answer = {"error": {"code": None, "message": result.stdout + result.stderr}}
    return result.returncode, answer


def score(name: str, truth: dict[str, Any], status: int, answer: dict[str, Any]) -> Score:
    """Compare one answer of ``check --json`` with its truth; every point lost is named."""
    s = Score(name)
    s.award(status == truth["exit"], f"exit {status}, expected {truth['exit']}")
    if truth["exit"] == 2:
        expected = (truth.get("findings") or [{}])[0].get("code")
        got = answer.get("error", {}).get("code")
        if expected is not None:
            s.award(got == expected, f"error code {got!r}, expected {expected!r}")
        return s
    if status == 2:
        s.lost.append(f"not read: {answer.get('error')}")
        s.total += 1
        return s
    _score_sphere(s, truth, answer)
    _score_municipalities(s, truth, answer)
    _score_projects(s, truth, answer)
    _score_totals(s, truth, answer)
    _score_findings(s, truth, answer)
    return s


def _score_sphere(s: Score, truth: dict[str, Any], answer: dict[str, Any]) -> None:
    sphere = answer.get("sphere") or {}
    for key, value in (truth.get("sphere") or {}).items():
        s.award(sphere.get(key) == value, f"sphere {key}: {sphere.get(key)!r}, expected {value!r}")


def _score_municipalities(s: Score, truth: dict[str, Any], answer: dict[str, Any]) -> None:
    got = answer.get("municipalities", [])
    want = truth["municipalities"]
    s.award(len(got) == len(want), f"{len(got)} municipality columns, expected {len(want)}")
    for i, m in enumerate(want):
        g = got[i] if i < len(got) else {}
        ok = g.get("name") == m["name"] and g.get("code") == m.get("code")
        s.award(
            ok, f"municipality {i + 1}: {g.get('name')!r} {g.get('code')!r}, expected {m['name']!r} {m.get('code')!r}"
        )


def _score_projects(s: Score, truth: dict[str, Any], answer: dict[str, Any]) -> None:
    got = answer.get("projects", [])
    want = truth["projects"]
    if len(got) != len(want):
        s.lost.append(f"{len(got)} projects read, expected {len(want)}")
    for i, p in enumerate(want):
        g = got[i] if i < len(got) else {}
        problems = [
            f"{key} {g.get(key)!r}, expected {p[key]!r}"
            for key in ("number", "participants", *_PROJECT_KEYS)
            if key in p and g.get(key) != p[key]
        ]
        problems += [
            f"{key} {g.get(key)!r}, expected {p[key]!r}"
            for key in FIGURE_KEYS
            if key in p and figures(key, g.get(key)) != figures(key, p[key])
        ]
        s.award(not problems, f"project {i + 1} ({p.get('number')} {p.get('name')}): " + "; ".join(problems))
        # The name is a point of its own: a reading that loses every name (an unfamiliar heading) must show.
        if "name" in p:
            s.award(g.get("name") == p["name"], f"project {i + 1} name {g.get('name')!r}, expected {p['name']!r}")


def figures(key: str, value: Any) -> list[str] | None:
    """Budgets or KPIs in a comparable form: each record as sorted JSON (a KPI's results sorted too; numbers as
    floats, since 1200 and 1200.0 are one figure), the records sorted."""
    if not isinstance(value, list):
        return None
    records = []
    for item in value:
        record = {
            k: (float(v) if isinstance(v, int) and not isinstance(v, bool) and "year" not in k else v)
            for k, v in item.items()
        }
        if key == "kpis":
            record["results"] = sorted(
                json.dumps({**r, "value": None if r.get("value") is None else float(r["value"])}, sort_keys=True)
                for r in item.get("results", [])
            )
        records.append(json.dumps(record, sort_keys=True, ensure_ascii=False))
    return sorted(records)


def _score_totals(s: Score, truth: dict[str, Any], answer: dict[str, Any]) -> None:
    totals = answer.get("totals") or {}
    for key, value in (truth.get("totals") or {}).items():
        s.award(totals.get(key) == value, f"totals {key}: {totals.get(key)!r}, expected {value!r}")


def _matches(finding: dict[str, Any], expected: dict[str, Any]) -> bool:
    return all(finding.get(key) == value for key, value in expected.items() if key in _FINDING_KEYS)


def _score_findings(s: Score, truth: dict[str, Any], answer: dict[str, Any]) -> None:
    found = answer.get("findings", [])
    expected = truth.get("findings", [])
    for e in expected:
        s.award(any(_matches(f, e) for f in found), f"finding not reported: {e}")
    known = {e["code"] for e in expected} | set(truth.get("allow", []))
    for f in found:
        if f.get("severity") in ("error", "warning") and f.get("code") not in known:
            s.points -= 1
            s.lost.append(f"unexpected {f['severity']} {f['code']} at line {f.get('line')}: {f.get('message')}")


def main(names: list[str]) -> int:
    paths = [p for p in truths() if not names or p.name.removesuffix(".truth.json") in names]
    scores = []
    for path in paths:
        truth = load(path)
        status, answer = run_check(path, truth)
        scores.append(score(path.name.removesuffix(".truth.json"), truth, status, answer))
        print(scores[-1])
    perfect = sum(1 for s in scores if s.perfect)
    print(
        f"{perfect}/{len(scores)} tables perfect; {sum(s.points for s in scores)}/{sum(s.total for s in scores)} points"
    )
    return 0 if perfect == len(scores) else 1


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
