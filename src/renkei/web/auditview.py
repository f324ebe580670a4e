"""The audit trail as people read it (監査記録): who did what to which project, by its number and name rather than
an internal id, the action named in the reader's language, and before/after as a readable difference. The CSV
download keeps the raw values."""

from __future__ import annotations

import io
import json
from dataclasses import dataclass
from typing import Any

from fastapi.responses import Response

from renkei.messages import catalogue, t
from renkei.model import Role
from renkei.render.neutral import NeutralWriter
from renkei.store import Store, StoreError
from renkei.store.accounts import AuditEntry
from renkei.web.files import ascii_filename, content_disposition


@dataclass(frozen=True)
class Difference:
    field: str
    before: str
    after: str


@dataclass(frozen=True)
class Row:
    entry: AuditEntry
    action: str
    target: str
    differences: list[Difference]


def _label(prefix: str, key: str, lang: str) -> str:
    full = f"{prefix}.{key}"
    return t(full, lang) if full in catalogue(lang) or full in catalogue("ja") else key


def _text(value: Any, lang: str) -> str:
    """One value as a person reads it: a heading as its label and title, a role as its name, lists joined."""
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return t("audit.yes" if value else "audit.no", lang)
    if isinstance(value, dict):
        if set(value) <= {"label", "title"}:
            return " ".join(str(v) for v in (value.get("label"), value.get("title")) if v)
        return "、".join(f"{k}: {_text(v, lang)}" for k, v in value.items())
    if isinstance(value, list | tuple):
        return "、".join(_text(v, lang) for v in value) or "—"
    if value in {r.value for r in Role}:
        return t(f"role.{value}", lang)
    return str(value)


def differences(before: Any, after: Any, lang: str) -> list[Difference]:
    """The fields that differ between before and after (either may be missing), each as text."""
    old = before if isinstance(before, dict) else ({} if before is None else {"value": before})
    new = after if isinstance(after, dict) else ({} if after is None else {"value": after})
    keys = list(dict.fromkeys([*old, *new]))
    return [
        Difference(_label("audit.field", k, lang), _text(old.get(k), lang), _text(new.get(k), lang))
        for k in keys
        if old.get(k) != new.get(k)
    ]


def readable(store: Store, sphere: str, entries: list[AuditEntry], lang: str) -> list[Row]:
    """Each entry with its action named, its project as number and name, and its difference."""
    try:
        names = {p.serial: (p.project.number, p.project.name) for p in store.drafts.get(sphere).projects}
    except StoreError:  # a sphere without a revision: targets stay as they are
        names = {}
    return [
        Row(e, _label("audit", e.action, lang), _target(e.target, names, lang), differences(e.before, e.after, lang))
        for e in entries
    ]


def _target(target: str | None, names: dict[int, tuple[int, str]], lang: str) -> str:
    if not target or not target.startswith("project:"):
        return target or ""
    serial_text, _, town = target.removeprefix("project:").partition("/")
    if not serial_text.isdigit():
        return target
    known = names.get(int(serial_text))
    project = t("audit.project", lang, number=known[0], name=known[1]) if known else t("audit.project_gone", lang)
    return f"{project} · {town}" if town else project


def audit_csv(entries: list[AuditEntry], key: str) -> Response:
    """The entries as CSV with their raw values, before and after as JSON."""
    out = io.StringIO()
    writer = NeutralWriter(out)  # a user name or user agent starting with = must not run as a formula in Excel
    writer.writerow(["id", "at", "user", "action", "sphere", "target", "before", "after", "address", "user_agent"])
    for e in entries:
        writer.writerow(
            [
                e.id,
                e.at.isoformat(),
                e.username,
                e.action,
                e.sphere,
                e.target,
                _json_cell(e.before),
                _json_cell(e.after),
                e.address,
                e.user_agent,
            ]
        )
    name = f"{key}-audit.csv"  # a key may be Japanese: an ASCII fallback, and the name itself as UTF-8
    disposition = content_disposition(name, ascii_filename(name))
    return Response(
        out.getvalue().encode("utf-8-sig"),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": disposition},
    )


def _json_cell(value: Any) -> str:
    """Before and after as JSON (not Python's repr), empty when there is none."""
    return "" if value is None else json.dumps(value, ensure_ascii=False, sort_keys=True)
