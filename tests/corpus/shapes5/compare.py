"""Read each shapes5 table as corpus_support does and say exactly what differs from its expectation.

    cd /work/main && .venv/bin/python tests/corpus/shapes5/compare.py [NAME-prefix ...]
"""
import json
import subprocess
import sys
import traceback
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent.parent))

from corpus_support import _kpis, _reading, _title, budget_rows, check_sphere, check_table  # noqa: E402
from renkei.vision.model import Severity  # noqa: E402


def squash(s):
    return s.replace(" ", "").replace("\u3000", "")


def details(expected):
    out = []
    report = _reading(HERE, expected)
    v = report.reading.vision
    got_m = [m.name for m in v.municipalities]
    if got_m != expected["municipalities"]:
        out.append(f"municipalities: got {got_m} want {expected['municipalities']}")
    if len(v.projects) != len(expected["projects"]):
        out.append(f"projects: got {len(v.projects)} want {len(expected['projects'])}: got numbers "
                   f"{[p.number for p in v.projects]}")
    for got, want in zip(v.projects, expected["projects"]):
        tag = f"project #{want['number']}"
        if got.number != want["number"]:
            out.append(f"{tag}: number got {got.number}")
        if squash(got.name) != squash(want["name"]):
            out.append(f"{tag}: name got {got.name!r} want {want['name']!r}")
        if list(got.participants) != want["participants"]:
            out.append(f"{tag}: participants got {list(got.participants)} want {want['participants']}")
        if "roles" in want:
            roles = {t: r.value for t, r in got.participants.items()}
            if roles != want["roles"]:
                diff = {t: (roles.get(t), want["roles"].get(t)) for t in set(roles) | set(want["roles"])
                        if roles.get(t) != want["roles"].get(t)}
                out.append(f"{tag}: roles differ (got, want) {diff}")
        for level in ("pillar", "field"):
            if level in want and _title(getattr(got, level)) != want[level]:
                out.append(f"{tag}: {level} got {_title(getattr(got, level))!r} want {want[level]!r}")
        if budget_rows(got.budgets) != budget_rows(want.get("budgets", [])):
            out.append(f"{tag}: budgets got {budget_rows(got.budgets)} want {budget_rows(want.get('budgets', []))}")
        if _kpis(got.kpis) != _kpis(want.get("kpis", [])):
            out.append(f"{tag}: kpis got {_kpis(got.kpis)}")
    loud = [f for f in report.findings if f.severity is not Severity.INFO]
    errors = [f for f in loud if f.severity is Severity.ERROR]
    if bool(errors) != (expected["exit"] == 1):
        out.append(f"exit: errors {[(f.code, str(f.location)) for f in errors]} but expected exit {expected['exit']}")
    planted = [f["what"] for f in expected.get("deliberate_faults", [])]
    named = planted + [f["code"] for f in expected.get("expected_findings", [])]
    for code in planted:
        if code not in [f.code for f in loud]:
            out.append(f"planted {code} not found")
    extra = [(f.code, f.severity.value, str(f.location), str(f.message) if hasattr(f, "message") else "")
             for f in loud if f.code not in named]
    if extra:
        out.append(f"extra findings: {extra}")
    sph = v.sphere
    want_s = expected["sphere"]
    if want_s["name"] is None:
        if sph.name != "":
            out.append(f"sphere: got {sph.name!r} want none")
    elif (sph.name, sph.kind.value) != (want_s["name"], want_s["kind"]):
        out.append(f"sphere: got ({sph.name!r}, {sph.kind.value!r}) want ({want_s['name']!r}, {want_s['kind']!r})")
    return out, report


def main(prefixes):
    results = {}
    for path in sorted(HERE.glob("*.expect.json")):
        if prefixes and not any(path.name.startswith(p) for p in prefixes):
            continue
        expected = json.loads(path.read_text(encoding="utf-8"))
        name = expected["file"]
        verdict = {}
        for fn in (check_table, check_sphere):
            try:
                fn(HERE, expected)
                verdict[fn.__name__] = "PASS"
            except AssertionError as e:
                verdict[fn.__name__] = f"FAIL: {e}"
            except Exception as e:  # noqa: BLE001
                verdict[fn.__name__] = f"ERROR: {type(e).__name__}: {e}"
        try:
            diffs, report = details(expected)
        except Exception:  # noqa: BLE001
            diffs = ["details: " + traceback.format_exc(limit=3)]
        cmd = [str(HERE.parents[2] / ".venv/bin/renkei"), "check", str(HERE / name), "--json"] + [
            str(HERE / a) if not a.startswith("--") else a for a in expected["args"]]
        cli = subprocess.run(cmd, capture_output=True, text=True)
        if cli.returncode != expected["exit"]:
            diffs.append(f"CLI exit {cli.returncode} want {expected['exit']}")
        try:
            js = json.loads(cli.stdout)
            fnd = [(f.get("code"), f.get("severity"), f.get("location"), f.get("message")) for f in js.get("findings", [])]
        except Exception:  # noqa: BLE001
            fnd = [cli.stdout[:500], cli.stderr[:500]]
        results[name] = {"verdict": verdict, "diffs": diffs, "cli_exit": cli.returncode, "cli_findings": fnd}
        ok = all(x == "PASS" for x in verdict.values()) and not diffs
        print(("PASS " if ok else "FAIL ") + name)
        for k, x in verdict.items():
            if x != "PASS":
                print(f"   {k}: {x[:400]}")
        for d in diffs:
            print("   - " + d[:1500])
        print(f"   cli exit {cli.returncode}; findings: " + "; ".join(
            f"{c}/{s}@{l}: {m}" for c, s, l, m in fnd if isinstance(c, str) or c)[:2500] if fnd else "   (none)")


if __name__ == "__main__":
    main(sys.argv[1:])
