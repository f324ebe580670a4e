"""Regenerate src/renkei/data/municipalities.csv from the list that the PyPI package japancode carries.

The source is code4fukui/localgovjp (CC0), shipped in japancode 0.1.0 as japancode/data/municipalities.json.
Its ``lgcode`` is the six-digit 全国地方公共団体コード with the leading zero stripped; ward rows of
designated cities name the city and the ward separated by a space. Usage:

    pip install japancode==0.1.0 && python scripts/build_municipalities.py
"""

from __future__ import annotations

import csv
import importlib.resources
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
from renkei.places.municipalities import is_valid_code

OUT = Path(__file__).resolve().parents[1] / "src" / "renkei" / "data" / "municipalities.csv"


def main() -> None:
    source = importlib.resources.files("japancode") / "data" / "municipalities.json"
    rows = []
    for entry in json.loads(source.read_text(encoding="utf-8")):
        code = entry["lgcode"].zfill(6)
        if not is_valid_code(code):
            raise SystemExit(f"{code} {entry['city']}: check digit does not match")
        name = entry["city"].replace(" ", "")
        kana = entry["citykana"].replace(" ", "")
        rows.append((code, entry["pref"], name, kana))
    rows.sort()
    with OUT.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(["code", "prefecture", "name", "kana"])
        writer.writerows(rows)
    print(f"wrote {len(rows)} municipalities to {OUT}")


if __name__ == "__main__":
    main()
