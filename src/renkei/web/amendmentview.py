"""The amendment list on a page (変更内容一覧): summary counts, the changed projects, the collapsed renumbering, and
a section per town that doubles as its 変更協定 annex, with a download per town (``renkei.web.amendments``)."""

from __future__ import annotations

from typing import Any

from renkei.publish.documents import effective_note, number_text, shift_text, summary_rows, town_number, unchanged_towns
from renkei.vision.diff import Amendments
from renkei.web import views


def view(amendments: Amendments, lang: str) -> dict[str, Any]:
    """What ``_amendments.html`` shows, worked out once."""
    members, entries, shifts = amendments.entries()
    unchanged = unchanged_towns(amendments)
    return {
        "summary": summary_rows(amendments, lang),
        "members": members,
        "entries": [(number_text(e, amendments, lang), e) for e in entries],
        "shifts": [shift_text(s, lang) for s in shifts],
        # Each town's changes with the number its annex shows: 「31（旧29）」 for a renumbered project.
        "towns": [
            (name, [(town_number(amendments, c, lang), c) for c in changes])
            for name, changes in amendments.by_municipality().items()
        ],
        "effective": " ".join(effective_note(amendments, lang)),
        "unchanged": unchanged,
        "total": len(amendments.changes),
        "town_keys": {
            m.name: views.municipality_key(m) for m in (*amendments.old.municipalities, *amendments.new.municipalities)
        },
    }
