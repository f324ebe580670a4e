"""Who may do what: roles granted per sphere, and the actions each role allows. Pure, no I/O.

- **secretariat** (事務局): edits everything in its sphere's draft and publishes revisions, enters each KPI's
  実績 and sets the sphere's grade thresholds;
- **municipality** (市町村の担当者), for one municipality: marks or unmarks that municipality's own
  participation, adds a note to it and enters its own share of a KPI's 実績; nothing else;
- **viewer**: reads drafts;
- an **administrator** manages spheres and accounts and may do anything;
- the public reads published revisions only.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum


class RoleName(StrEnum):
    SECRETARIAT = "secretariat"
    MUNICIPALITY = "municipality"
    VIEWER = "viewer"


class Action(StrEnum):
    READ_DRAFT = "read-draft"
    EDIT_PROJECT = "edit-project"  # add, edit, renumber, move, retire; pillar and field labels
    MARK = "mark"  # set or clear one municipality's mark on a project
    NOTE = "note"  # a note on one municipality's participation
    PUBLISH = "publish"
    RESULT = "result"  # enter a KPI's 実績 for a fiscal year (a town: only its own share)
    GRADES = "grades"  # set the sphere's grade thresholds (評価基準)
    READ_AUDIT = "read-audit"
    MANAGE = "manage"  # spheres and accounts


@dataclass(frozen=True)
class Grant:
    """A role on a sphere; ``municipality`` (a code, or the name where there is none) for municipality editors."""

    sphere: str
    role: RoleName
    municipality: str | None = None


@dataclass(frozen=True)
class Principal:
    """Someone acting: an account (through a session or an API token) with its grants."""

    id: int
    username: str
    is_admin: bool = False
    grants: tuple[Grant, ...] = ()


_SPHERE_WIDE = {
    RoleName.SECRETARIAT: {
        Action.READ_DRAFT,
        Action.EDIT_PROJECT,
        Action.MARK,
        Action.NOTE,
        Action.PUBLISH,
        Action.READ_AUDIT,
        Action.RESULT,
        Action.GRADES,
    },
    RoleName.VIEWER: {Action.READ_DRAFT},
    RoleName.MUNICIPALITY: {Action.READ_DRAFT},
}
_OWN_MUNICIPALITY = {Action.MARK, Action.NOTE, Action.RESULT}


def allowed(
    principal: Principal | None, action: Action, sphere: str | None = None, municipality: Iterable[str] = ()
) -> bool:
    """Whether ``principal`` may do ``action`` on ``sphere``; for MARK and NOTE, on the municipality known by
    any of the names in ``municipality`` (its code and its name); for RESULT, on that municipality's own share
    (without ``municipality``, the whole sphere's figure: the secretariat's)."""
    if principal is None:
        return False
    if principal.is_admin:
        return True
    names = set(municipality)
    for grant in principal.grants:
        if grant.sphere != sphere:
            continue
        if action in _SPHERE_WIDE[grant.role]:
            return True
        if grant.role is RoleName.MUNICIPALITY and action in _OWN_MUNICIPALITY and grant.municipality in names:
            return True
    return False


def own_municipalities(principal: Principal | None, sphere: str) -> set[str]:
    """The municipalities whose marks a municipality editor may change in a sphere."""
    if principal is None:
        return set()
    return {
        g.municipality
        for g in principal.grants
        if g.sphere == sphere and g.role is RoleName.MUNICIPALITY and g.municipality
    }
