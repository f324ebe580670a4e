"""Build ``src/renkei/data/country.csv`` from the gathered list of spheres (``spheres.csv``).

The package copy keeps every column of the gathered list as it is and adds four:
- ``seen``: when the row's pages were read (the list's README: gathered in December 2026);
- ``abolished``, ``abolished_as_seen``, ``successor``: a sphere's end and the sphere it went on as, only where
  the row's own notes state it (``LIFECYCLE`` below cites each note); nothing is read from notes by guesswork.

Usage: ``python scripts/build_country.py ../shared/data/spheres.csv [SEEN]``
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "src" / "renkei" / "data" / "country.csv"
EXTRA = ("seen", "abolished", "abolished_as_seen", "successor")

# key: (abolished (ISO, as precise as the note), as the note writes it, successor's key or "")
LIFECYCLE = {
    # 「廃止 R4.3.31 (旭川大雪圏域連携中枢都市圏へ移行)」
    "kamikawa-chubu": ("2022-03-31", "廃止 R4.3.31", "asahikawa-taisetsu"),
    # 「平成29年3月 連携中枢都市圏へ移行」 (the row hachinohe-r is that 連携中枢都市圏)
    "hachinohe-t": ("2017-03", "平成29年3月 連携中枢都市圏へ移行", "hachinohe-r"),
    # 「協定 R4.3.31 廃止・中心市宣言取消; R4年度から連携中枢都市圏」 (that 連携中枢都市圏 is not in the list)
    "ibaraki-kenou": ("2022-03-31", "協定 R4.3.31 廃止", ""),
}


def main(source: Path, seen: str = "2026-12") -> None:
    with source.open(encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        fields = list(reader.fieldnames or [])
        rows = list(reader)
    for row in rows:
        abolished, as_seen, successor = LIFECYCLE.get(row["key"], ("", "", ""))
        row.update(seen=seen, abolished=abolished, abolished_as_seen=as_seen, successor=successor)
    with OUT.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, [*fields, *EXTRA], lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    print(f"{len(rows)} spheres → {OUT}")


if __name__ == "__main__":
    main(Path(sys.argv[1]), *sys.argv[2:3])
