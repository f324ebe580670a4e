"""Recognising the lines of a table that are not rows: pillar and field headings, a title, a legend of marks.

Pillars are written ①, (1), 1., Ⅰ; fields ア, (ア), ア．; a pillar and its field may share a line. Text copied
out of a PDF sometimes carries a kanji that looks like the katakana label (工 for エ, 力 for カ): such a label is
read as the katakana and the repair is returned so that it can be reported.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass

from renkei.vision.model import Heading, Role, SphereKind

# 第1 may label a pillar; 第2次 and 第3期 are the edition of a vision in its title.
_PILLAR = re.compile(
    r"^\s*(?P<label>[①-⑳]|[(（][0-9０-９]{1,2}[)）]|[0-9０-９]{1,2}[.．]|[Ⅰ-Ⅹ]"
    r"|第[0-9０-９一二三四五]+(?![0-9０-９一二三四五次期版]))"
    r"[\s\u3000.．、:：]*(?P<title>\S.*?)\s*$"
)
_KATAKANA = "アイウエオカキクケコサシスセソタチツテトナニヌネノハヒフヘホマミムメモヤユヨラリルレロワヲン"
# Kanji and hiragana that OCR and PDF text extraction return for katakana labels of the same shape.
CONFUSABLES = {
    "工": "エ",
    "力": "カ",
    "夕": "タ",
    "二": "ニ",
    "口": "ロ",
    "八": "ハ",
    "卜": "ト",
    "才": "オ",
    "へ": "ヘ",
}
_FIELD = re.compile(
    r"^\s*(?:(?P<open>[(（])(?P<plabel>.)[)）]|(?P<label>.))(?P<sep>[\s\u3000.．、:：]*)(?P<title>\S.*?)\s*$"
)
_PILLAR_WITH_FIELD = re.compile(r"^(?P<pillar>.+?)[\s\u3000]+(?P<field>(?:[(（].[)）]|.)[\s\u3000.．、:：].+)$")
MARKS = "◎○●〇◯△□■☆★✓✔"  # the marks a legend may explain
# A legend entry stands at the start of the text or after a space, punctuation, a bracket or a note's mark (※◎：…).
_LEGEND = re.compile(
    r"(?<![^\s\u3000、,，:：()（）「」【】\[\]※＊*])(?P<mark>[◎○●〇◯△□■☆★✓✔])"
    r"(?P<qualifier>[(（][^()（）:：\s\u3000]{1,4}[)）])?[\s\u3000]*(?:[:：=＝…‥・･]+|は)?"
    r"[\s\u3000]*(?P<meaning>[^◎○●〇◯△□■☆★✓✔\s\u3000、,，]+)"
)
# A legend entry is a mark that starts a word (not the 〇 of 〇〇市) and a meaning that names a way of taking
# part; 不参加 and 検討中 do not: a mark they explain does not take part (``legend_not_taking_part``, said at each
# cell where it stands). That also keeps a short project row
# (1 事業 ◎ 1) from reading as a legend.
_LEAD_WORDS = ("主体", "主担当", "主導", "中心", "幹事", "代表", "主に", "主た", "取りまとめ", "とりまとめ")
_LEAD_SHAPES = frozenset("◎●◉★☆")  # the marks a legend sets beside ○ for a lead
_MEMBER_WORDS = ("連携", "参加", "協力", "実施", "関係", "関与", "構成")
_NOT_TAKING_PART = ("不参加", "しない", "なし", "無し", "対象外", "検討", "予定")
# What stands before the sphere's name in a title: brackets, and the edition of the vision (第2次, 第3期).
_EDITION = re.compile(r"^[\s\u3000【\[「『]*(?:第[0-9０-９一二三四五六七八九十]+[次期][\s\u3000]*)?")
_TITLE_KINDS = {"連携中枢都市圏": SphereKind.METROPOLITAN, "定住自立圏": SphereKind.SETTLEMENT}
# A title that names an area without its framework: 播磨圏域, 広島広域都市圏, 〇〇都市圏ビジョン. It must end there
# or with a short subtitle set off by a space (西九州させぼ広域都市圏　連携事業一覧): a sentence naming 圏域 is none.
_AREA_TITLE = re.compile(
    r"^(?P<name>[^\s\u3000、。,.:：]{1,20}?(?:広域都市圏|都市圏|圏域|広域圏))[\s\u3000]*(?P<vision>共生ビジョン|ビジョン)?"
    r"[\s\u3000]*(?:[(（][^()（）]{1,20}[)）])?[\s\u3000]*[】\]」』]?(?:[\s\u3000]+[^\s\u3000、。]{1,20})?$"
)
# The central city a title or a line names in brackets: （中心市：旭川市）, with a role or note after the name
# (（中心市：飯塚市（甲））, （中心市：弘前市　※弘前市は全ての事業に参加）).
_CENTRAL = re.compile(
    r"[(（](?:中心市|連携中枢都市|中心都市)?[:：\s\u3000]*(?P<city>[^()（）:：\s\u3000]+?[市区町村])"
    r"(?:[(（][^()（）]{1,4}[)）])?(?:[\s\u3000※＊*][^()（）]*)?[)）]"
)
# A line that only names the central city in brackets, below the title.
_CENTRAL_LINE = re.compile(r"^[\s\u3000]*[(（](?:中心市|連携中枢都市|中心都市)[:：]")


# The same without brackets: 連携中枢都市：広島市, 【中心市】弘前市.
_CENTRAL_PLAIN = re.compile(
    r"^[\s\u3000]*(?:[【\[](?:中心市|連携中枢都市|中心都市)[】\]][\s\u3000]*[:：]?"
    r"|(?:中心市|連携中枢都市|中心都市)(?:[\s\u3000]*[:：]|[\s\u3000]+))[\s\u3000]*"
    r"(?P<city>[^\s\u3000:：、,，()（）]+?[市区町村])[\s\u3000]*$"
)


def central_line(text: str) -> str | None:
    """The central city a line of its own names (（中心市：弘前市　※…）, 連携中枢都市：広島市), or None."""
    plain = _CENTRAL_PLAIN.match(text)
    if plain is not None:
        return plain["city"]
    match = _CENTRAL.search(text) if _CENTRAL_LINE.match(text) else None
    return match["city"].strip() if match else None


@dataclass(frozen=True)
class FieldHeading:
    heading: Heading
    repaired_from: str | None = None


def parse_field(text: str) -> FieldHeading | None:
    """A field heading (ア 地域公共交通), with the label repaired where a look-alike kanji was written."""
    match = _FIELD.match(_one_line(text))
    if match is None:
        return None
    label = match["plabel"] or match["label"]
    bracketed = match["open"] is not None
    separated = bool(match["sep"]) or bracketed
    title = match["title"]
    if label in _KATAKANA:
        # Without a separator the label must not run into more katakana: エコツーリズム is a title, not エ + コ….
        if not separated and unicodedata.name(title[0], "").startswith("KATAKANA"):
            return None
        return FieldHeading(Heading(_bracket(label, match), title))
    if label in CONFUSABLES and separated:
        return FieldHeading(Heading(_bracket(CONFUSABLES[label], match), title), repaired_from=label)
    return None


def _bracket(label: str, match: re.Match[str]) -> str:
    return f"({label})" if match["open"] else label


def parse_pillar(text: str) -> tuple[Heading, FieldHeading | None] | None:
    """A pillar heading (② 結びつきやネットワークの強化), and the field heading if it shares the line."""
    match = _PILLAR.match(_one_line(text))
    if match is None:
        return None
    title = match["title"]
    both = _PILLAR_WITH_FIELD.match(title)
    if both is not None:
        field = parse_field(both["field"])
        if field is not None:
            return Heading(match["label"], both["pillar"]), field
    return Heading(match["label"], title), None


# A heading written wholly in brackets, without a label (【医療】, ［生活機能の強化］, 〔観光〕, ＜交通＞).
_BRACKETED = re.compile(
    r"^\s*(?P<open>[【［〔《＜\[])\s*(?P<title>[^【】［］〔〕《》＜＞\[\]。]{1,30}?)\s*[】］〕》＞\]]\s*$"
)


def parse_bracketed(text: str) -> tuple[str, str] | None:
    """A heading written in brackets without a label: its opening bracket and its title; None for any other
    text. Whether it is a pillar or a field the lines around it tell (``layout``)."""
    match = _BRACKETED.match(_one_line(text))
    return (match["open"], match["title"]) if match else None


def label_style(label: str) -> str:
    """The style a heading's label is numbered in (① ②, (1) (2), 1. 2., １ ２, Ⅰ Ⅱ, 第1 第2, 【】): two headings
    of different styles in a row are two levels."""
    folded = unicodedata.normalize("NFKC", label)
    folded = re.sub(r"[①-⑳]", "①", re.sub(r"[Ⅰ-Ⅹ]", "Ⅰ", folded))
    return re.sub(r"[0-9]+|[一二三四五六七八九十]+", "9", folded)


def parse_headings(text: str) -> tuple[Heading | None, FieldHeading | None]:
    """The pillar and the field a text names, either of them None where it names none."""
    pillar = parse_pillar(text)
    if pillar is not None:
        return pillar
    return None, parse_field(text)


# Labels that neither a project number (1, 1., (1)) nor a project name (イベント…, 第2期…) can start with.
_UNNUMBERED_PILLAR = re.compile(r"^\s*[①-⑳Ⅰ-Ⅹ]")
_SET_OFF_FIELD = re.compile(r"^\s*(?:[(（].[)）]|.[\s\u3000.．、:：])")


@functools.lru_cache(maxsize=4096)  # asked of every project row's number and name: tables repeat them
def names_a_heading(text: str) -> bool:
    """Whether a cell beside a project's number and name is a heading rather than part of the name.

    A field column merged down its projects (ア 医療) may sit under an empty or shared header cell, so only
    the cell's text can tell. It is taken for a heading only when its label cannot begin a number or a name.
    """
    pillar, field = parse_headings(text)
    if pillar is not None:
        return bool(_UNNUMBERED_PILLAR.match(text))
    return field is not None and bool(_SET_OFF_FIELD.match(text))


def _one_line(text: str) -> str:
    """A heading broken over lines inside a cell (ア\\n医療) reads as if written on one line."""
    return re.sub(r"[ \t\u3000]*[\r\n]+[ \t\u3000]*", " ", text.strip())


def parse_legend(text: str) -> dict[str, Role]:
    """Marks explained by a legend line (◎：主体となって実施　○：連携して実施), a mark with a word in brackets
    among them (○（主）：事業の主体となる市町, beside ○：連携して取り組む市町): ``legend_key`` spells each."""
    legend: dict[str, Role] = {}
    unknown: list[str] = []  # marks whose meaning names no way of taking part that the words tell
    for match in _LEGEND.finditer(text):
        meaning = match["meaning"]
        role = _role(meaning)
        mark = legend_key(match["mark"] + (match["qualifier"] or ""))
        if role is not None:
            legend[mark] = role
        elif not any(word in meaning for word in _NOT_TAKING_PART) and mark[:1] in _LEAD_SHAPES:
            unknown.append(mark)
    # A legend that tells two ways of taking part apart, one of them the plain member's (○：連携する市町村), makes
    # its other mark the lead's, whatever its words (◎：事業を主に担う市町村).
    if len(unknown) == 1 and list(legend.values()) == [Role.MEMBER]:
        legend[unknown[0]] = Role.LEAD
    return legend


def legend_key(text: str) -> str:
    """A mark as a legend and a cell both spell it: ○ for 〇 and ◯, a bracketed word after it in one width
    (○（主） and ○(主) are ○(主))."""
    text = _VARIATION.sub("", text).strip()  # ✔️ (✔ asked to look like an emoji) is ✔
    return normalize_mark(text[:1]) + unicodedata.normalize("NFKC", text[1:]) if text else text


_VARIATION = re.compile("[\ufe00-\ufe0f]")


def legend_not_taking_part(text: str) -> dict[str, str]:
    """Marks a legend line explains as not taking part (△：今後実施を検討, ×：不参加), with what it says of them."""
    return {
        legend_key(match["mark"] + (match["qualifier"] or "")): match["meaning"]
        for match in _LEGEND.finditer(text)
        if any(word in match["meaning"] for word in _NOT_TAKING_PART)
    }


def legend_central(text: str) -> set[str]:
    """The marks a legend line explains as the central city's (◎：中心市, ●＝連携中枢都市): the column they stand in
    is the central city's, as a 中心市 group over it would say (``layout_rows.RowStage.central_by_legend``)."""
    return {
        legend_key(match["mark"] + (match["qualifier"] or ""))
        for match in _LEGEND.finditer(text)
        if _CENTRAL_MEANING.fullmatch(match["meaning"])
    }


# A legend's meaning that is the central city itself (中心市, 中心都市, 連携中枢都市, 中心市（旭川市）), not a way of
# taking part that names it (中心市と連携して実施): its mark is the central city's taking part, not a lead.
_CENTRAL_MEANING = re.compile(r"(?:連携)?(?:中心市|中心都市|中枢都市)(?:等)?(?:[(（][^()（）]*[)）])?[。.]?")


def _role(meaning: str) -> Role | None:
    if any(word in meaning for word in _NOT_TAKING_PART):
        return None
    if _CENTRAL_MEANING.fullmatch(meaning):
        return Role.MEMBER
    if any(word in meaning for word in _LEAD_WORDS):
        return Role.LEAD
    return Role.MEMBER if any(word in meaning for word in _MEMBER_WORDS) else None


# The separators of a web page's breadcrumb trail, copied into a document with the page (ホーム > 市政情報 > …).
_BREADCRUMBS = re.compile(r"\s+[>＞›»]\s+|\s*[＞›»]\s*")


def parse_title(text: str) -> tuple[str, SphereKind, str | None, bool] | None:
    """A title line naming the sphere (〇〇定住自立圏共生ビジョン（中心市：〇〇市）): name, kind, central city, and
    whether the kind is only guessed.

    The name of the framework in the title decides the kind; so does the vision's own name (共生ビジョン is a
    定住自立圏's, 都市圏ビジョン a 連携中枢都市圏's). A title that ends in 都市圏, 広域都市圏 or 圏域 alone names a
    sphere without saying which framework: the kind is a guess, to be told from the pillars' wording."""
    parts = _BREADCRUMBS.split(text)
    if len(parts) > 1:  # a page's trail (ホーム > 市政情報 > 北はりま定住自立圏): its last part that names a sphere
        return next((found for part in reversed(parts) if (found := parse_title(part)) is not None), None)
    central = _CENTRAL.search(text)
    city = central["city"].strip() if central else None
    for word, kind in _TITLE_KINDS.items():
        position = text.find(word)
        if position >= 0:
            return _EDITION.sub("", text[: position + len(word)]), kind, city, False
    match = _AREA_TITLE.match(_CENTRAL.sub("", text).strip())
    if match is None:
        return None
    name = _EDITION.sub("", match["name"])
    if match["vision"] == "共生ビジョン":
        return name, SphereKind.SETTLEMENT, city, False
    if match["vision"] and name.endswith("都市圏"):
        return name, SphereKind.METROPOLITAN, city, False
    return name, SphereKind.METROPOLITAN if name.endswith("都市圏") else SphereKind.SETTLEMENT, city, True


def names_sphere(text: str) -> bool:
    """Whether a paragraph or line beside a table is its title (置賜定住自立圏共生ビジョン　別表): it names a sphere
    as a title does, short, and no sentence (prose that mentions 定住自立圏 is none)."""
    return len(text) <= 80 and "。" not in text and parse_title(text) is not None


_CIRCLES = {"〇": "○", "◯": "○", "⭕": "○"}


def normalize_mark(mark: str) -> str:
    """One spelling per mark: 〇 (U+3007) and ◯ (U+25EF) are written ○ (U+25CB)."""
    return _CIRCLES.get(mark, mark)
