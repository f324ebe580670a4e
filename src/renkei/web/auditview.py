"""The audit trail as people read it (監査記録): who did what to which project, by its number and name rather than
an internal id, the action named in the reader's language, and before/after as a readable difference. The CSV
download keeps the raw values."""

from __future__ import annotations

import io
import json
from dataclasses import dataclass
from typing import Any

from fastapi.responses import Response

from renkei.core.messages import catalogue, t
from renkei.places.municipalities import Registry
from renkei.render.neutral import NeutralWriter
from renkei.store import AuditEntry, Store, StoreError
from renkei.vision.model import Role
from renkei.web.files import ascii_filename, content_disposition


@dataclass(frozen=True)
class Difference:
    field: str
    before: str
    after: str


@dataclass(frozen=True)
class Row:
    entry: AuditEntry
    action: str  # what was done, in words: 「第3版を公開」, 「鷹栖町の担当者に任命」
    target: str
    differences: list[Difference]


# Keys the store keeps for machines (identities, versions, hashes): in the CSV, never on the page.
HIDDEN = {"serial", "version", "notes", "sha256", "revision", "created", "marks", "position_before"}
_MARKS = {"member": "○", "lead": "◎"}


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


def differences(before: Any, after: Any, lang: str, prefix: str = "audit.field") -> list[Difference]:
    """The fields that differ between before and after (either may be missing), each as text; the store's
    internal keys left out."""
    old = before if isinstance(before, dict) else ({} if before is None else {"value": before})
    new = after if isinstance(after, dict) else ({} if after is None else {"value": after})
    keys = [k for k in dict.fromkeys([*old, *new]) if k not in HIDDEN]
    return [
        Difference(_label(prefix, k, lang), _text(old.get(k), lang), _text(new.get(k), lang))
        for k in keys
        if old.get(k) != new.get(k)
    ]


def readable(store: Store, sphere: str, entries: list[AuditEntry], lang: str) -> list[Row]:
    """Each entry told in words: its action as a sentence, its project as number and name (a retired one too,
    by what its own entries recorded), its difference without the store's internal keys."""
    try:
        names = {p.serial: (p.project.number, p.project.name) for p in store.drafts.get(sphere).projects}
    except StoreError:  # a sphere without a revision: targets stay as they are
        names = {}
    for e in entries:  # projects no longer in the draft (retired and published), by what their entries say
        for side in (e.after, e.before):
            serial = _serial(e.target)
            if serial is not None and isinstance(side, dict) and {"number", "name"} <= set(side):
                names.setdefault(serial, (side["number"], side["name"]))
    return [_row(e, names, lang) for e in entries]


def _serial(target: str | None) -> int | None:
    if not target or not target.startswith("project:"):
        return None
    text = target.removeprefix("project:").partition("/")[0]
    return int(text) if text.isdigit() else None


def _row(e: AuditEntry, names: dict[int, tuple[int, str]], lang: str) -> Row:
    before = e.before if isinstance(e.before, dict) else {}
    after = e.after if isinstance(e.after, dict) else {}
    action, target = _label("audit", e.action, lang), _target(e.target, names, lang)
    changes = differences(e.before, e.after, lang)
    if e.action == "publish":
        action = t("audit.story.publish", lang, n=int(before.get("revision") or 0) + 1)
        changes = differences(None, {"message": after.get("message")}, lang)
    elif e.action == "revision-import":
        n = after.get("revision", "")
        action = t("audit.story.import" if after.get("created", True) else "audit.story.import_same", lang, n=n)
        target = str(after.get("file") or "")
        shown = {k: after[k] for k in ("errors", "forced") if after.get(k)}
        changes = differences(None, shown, lang) if shown else []
    elif e.action == "sphere-create":
        action = t("audit.story.sphere_create", lang, name=after.get("name", e.sphere or ""))
        target = ""
        city = _town_name(after.get("central_city"))
        shown = {k: after[k] for k in ("kind", "file", "effective_on", "forced") if after.get(k)}
        changes = differences(None, {**shown, "central_city": city} if city else shown, lang, "audit.sphere")
    elif e.action in ("grant-add", "grant-remove"):
        change = after or before
        action = t(f"audit.story.{e.action}", lang, role=_role(change, lang))
        target, changes = (e.target or "").partition("@")[0], []
    elif e.action in ("project-retire", "project-add"):
        changes = []
    elif e.action == "mark":
        old, new = str(before.get("role") or ""), str(after.get("role") or "")
        empty = t("audit.no_mark", lang)
        changes = [Difference(_label("audit.field", "role", lang), _MARKS.get(old, empty), _MARKS.get(new, empty))]
    elif e.action == "draft-rebase":
        action = t("audit.story.rebase", lang, n=after.get("revision", ""))
        conflicts = after.get("conflicts") or []
        changes = differences(None, {"conflicts": len(conflicts)}, lang) if conflicts else []
    return Row(e, action, target, changes)


def _role(change: dict[str, Any], lang: str) -> str:
    """「鷹栖町の担当者」 for a municipality's editor, else the role's name: 「事務局」."""
    role = str(change.get("role") or "")
    name = _label("ui", f"role_name_{role}", lang) if role else "—"
    town = _town_name(change.get("municipality"))
    return t("audit.town_role", lang, municipality=town) if town and role == "municipality" else name


def _town_name(value: Any) -> str | None:
    """A municipality as its name: a code (342050) looked up in the national list."""
    if not value:
        return None
    text = str(value)
    entry = Registry.default().by_code(text) if text.isdigit() else None
    return entry.name if entry else text


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
