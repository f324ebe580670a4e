"""Projects listed again (再掲): a vision lists a project that serves two fields under each, the second time
marked 再掲 (in its name, 【再掲】地域医療連携の推進, 地域医療連携の推進（再掲） or the short 【再】; in its
number cell, 再掲 or 1（再掲）; in a note column, 再掲（No.1）). It is one project: a town that takes part in it
has one project more, not two, and its two rows share a number without being two projects of one number.

A row marked so is the repost of the project it names: the one its marker numbers (再掲（No.1）, （再掲1-2）), else
the one of the same name without the marker, among the rows not marked; where there is none (a fragment without
the first listing, a name reworded), it stays a project of its own and the check says so. The marker stays where
the document wrote it (the name, the number as written, the note), so every format keeps it and a repost reads
back as one. ``Vision.counted`` leaves the reposts out of what is counted per town and of the links.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from typing import Protocol

# 再掲 in brackets anywhere, or opening the text (再掲：, 再掲 ), as a marker of its own: 再掲載 is no marker.
# 【再】 and （再） too, the short form of a table short of room.
_BRACKETED = re.compile(r"[（(【［\[〔〈《<]\s*再\s*(?:掲(?P<inside>[^）)】］\]〕〉》>]*))?[）)】］\]〕〉》>]")
_OPENING = re.compile(
    r"^\s*[※＊*]?\s*再掲(?![載示])"
    r"(?P<inside>[\s:：.．（(]*(?:No\.?|Ｎｏ．?|番号|事業)?\s*[0-9０-９][0-9０-９\-－‐.．]*[）)]?)?"
)
_REFERENCE = re.compile(r"(?:No\.?|Ｎｏ．?|番号|事業)?\s*(?P<number>[0-9０-９]+(?:[-－‐.．][0-9０-９()（）ア-ン]+)*)")
_SPACES = re.compile(r"[\s\u3000]+")


class Listed(Protocol):
    """What a repost is told from: a project's name, its number as written and its note columns."""

    @property
    def name(self) -> str: ...

    @property
    def number_label(self) -> str: ...

    @property
    def attributes(self) -> Mapping[str, str]: ...

    @property
    def written_number(self) -> int | str: ...


def marker(text: str) -> re.Match[str] | None:
    """The 再掲 marker a text carries, bracketed anywhere or opening it; None where it has none."""
    return _BRACKETED.search(text) or _OPENING.match(text)


def is_marked(project: Listed) -> bool:
    """Whether the document marks the row as a repost, in its name, its number or a note column."""
    return any("再" in text and marker(text) is not None for text in _texts(project))


def plain_name(name: str) -> str:
    """The name without its 再掲 marker, folded for matching (NFKC, no spaces)."""
    found = marker(name)
    if found is not None:
        name = name[: found.start()] + name[found.end() :]
    return _SPACES.sub("", unicodedata.normalize("NFKC", name)).strip("・:：")


def reposts(projects: Sequence[Listed]) -> dict[int, int]:
    """The reposts found: the index of each row marked 再掲 → the index of the project it lists again (a row
    not marked, named by the marker's number, else of the same name). A marked row with no such project is
    not among them."""
    unmarked = [i for i, p in enumerate(projects) if not is_marked(p)]
    if len(unmarked) == len(projects):
        return {}
    by_number: dict[str, list[int]] = {}
    by_name: dict[str, list[int]] = {}
    for i in unmarked:
        by_number.setdefault(_number_key(str(projects[i].written_number)), []).append(i)
        by_name.setdefault(plain_name(projects[i].name), []).append(i)
    found: dict[int, int] = {}
    for i, p in enumerate(projects):
        if i in unmarked:
            continue
        named = _referenced(p)
        candidates = by_number.get(_number_key(named), []) if named else []
        same_name = by_name.get(plain_name(p.name), [])
        if named and len(candidates) == 1:
            found[i] = candidates[0]
        elif len(same_name) == 1:
            found[i] = same_name[0]
        elif (
            not named
            and len(candidates := by_number.get(_number_key(str(p.written_number)), [])) == 1
            and plain_name(projects[candidates[0]].name) == plain_name(p.name)
        ):
            found[i] = candidates[0]
    return found


def _texts(project: Listed) -> list[str]:
    return [project.name, project.number_label, *project.attributes.values()]


def _referenced(project: Listed) -> str:
    """The number a marker names (再掲（No.1）, （再掲1-2）, 再掲 3), or the number written beside it in the number
    cell (1（再掲））: the project it lists again; "" for none."""
    texts = [(project.number_label, True), (project.name, False), *((v, False) for v in project.attributes.values())]
    for text, in_number in texts:
        found = marker(text)
        if found is None:
            continue
        reference = _REFERENCE.search(found["inside"] or "")
        if reference is not None:
            return reference["number"]
        rest = (text[: found.start()] + text[found.end() :]).strip()
        beside = _REFERENCE.fullmatch(rest) if in_number else None
        if beside is not None:
            return beside["number"]
    return ""


def _number_key(text: str) -> str:
    return unicodedata.normalize("NFKC", text).replace("－", "-").replace("‐", "-").strip()
