"""Named points inside a write where a test may stop the process, to prove that a kill leaves no half write.

Set ``RENKEI_CHECKPOINT`` to a point's name and ``RENKEI_CHECKPOINT_FILE`` to a path: on reaching that point
the process writes the name to the file and waits, so that the test can kill it there (SIGKILL). Without the
variables a checkpoint does nothing.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

POINTS = ("sphere", "revision", "projects", "search", "commit")


def checkpoint(name: str) -> None:
    if os.environ.get("RENKEI_CHECKPOINT") != name:
        return
    Path(os.environ.get("RENKEI_CHECKPOINT_FILE", "renkei-checkpoint")).write_text(name, encoding="utf-8")
    time.sleep(3600)
