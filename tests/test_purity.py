"""The pure core imports no web or database framework, even after reading, checking and rendering everything.

Run in a fresh interpreter, so that what other tests imported does not count.
"""

from __future__ import annotations

import json
import subprocess
import sys

FRAMEWORKS = ("fastapi", "sqlalchemy", "uvicorn", "starlette", "psycopg", "alembic")

PROGRAM = """
import json, sys
import renkei.vision.model, renkei.ingest, renkei.vision.checks, renkei.render
import renkei.places.municipalities, renkei.vision.guidelines
import renkei.vision.serialize, renkei.ingest.report, renkei.core.messages
from renkei.ingest import read_bytes, read_sample
from renkei.ingest.report import check_reading

reading = read_sample()
check_reading(reading).to_dict("ja")
rendered = {}
for renderer in renkei.render.renderers():
    data = renderer.render(reading.vision)
    rendered[renderer.name] = len(data)
    if renderer.readable:
        read_bytes(data, "x." + renderer.extension)
frameworks = json.loads(sys.argv[1])
print(json.dumps({
    "rendered": rendered,
    "loaded": sorted({name.split(".")[0] for name in sys.modules} & set(frameworks)),
}))
"""


def run_fresh() -> dict[str, object]:
    result = subprocess.run(
        [sys.executable, "-c", PROGRAM, json.dumps(FRAMEWORKS)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    data: dict[str, object] = json.loads(result.stdout.strip().splitlines()[-1])
    return data


def test_core_imports_no_framework() -> None:
    data = run_fresh()
    from renkei.render import renderers

    rendered = data["rendered"]
    assert isinstance(rendered, dict)
    assert set(rendered) == {r.name for r in renderers()}, "every format was rendered"
    assert all(size > 0 for size in rendered.values())
    assert data["loaded"] == []


def test_the_check_is_able_to_see_a_framework() -> None:
    """The same probe reports a framework once one is imported (else the test above proves nothing)."""
    probe = "import json, sys, sqlalchemy; print(json.dumps('sqlalchemy' in sys.modules))"
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=60, check=False)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) is True
