"""The national wording of the policy pillars (政策分野) and their fields, from the ministry's guidelines.

定住自立圏構想推進要綱 and 連携中枢都市圏構想推進要綱 name the pillars under which every vision groups its projects.
A fragment may lack a pillar heading (the seed starts at field エ 産業振興 with no ① above it); the field's title
then tells which pillar it belongs to. Matching is by keywords of the title, never by the document's labels.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from renkei.vision.model import Heading, SphereKind


@dataclass(frozen=True)
class Pillar:
    label: str
    title: str
    field_keywords: tuple[str, ...]

    @property
    def heading(self) -> Heading:
        return Heading(self.label, self.title)


PILLARS: dict[SphereKind, tuple[Pillar, ...]] = {
    SphereKind.SETTLEMENT: (
        Pillar(
            "①",
            "生活機能の強化",
            ("医療", "福祉", "子育て", "教育", "土地利用", "産業振興", "環境", "防災", "消費生活", "文化"),
        ),
        Pillar(
            "②",
            "結びつきやネットワークの強化",
            ("公共交通", "ICT", "デジタル", "情報通信", "道路", "交通インフラ", "地産地消", "交流", "移住"),
        ),
        Pillar(
            "③",
            "圏域マネジメント能力の強化",
            ("人材育成", "人材の育成", "外部", "人材の確保", "職員", "人事交流", "マネジメント"),
        ),
    ),
    SphereKind.METROPOLITAN: (
        Pillar("(1)", "圏域全体の経済成長のけん引", ("経済成長", "産業", "創業", "観光", "地域資源", "雇用")),
        Pillar("(2)", "高次の都市機能の集積・強化", ("高次", "高度な医療", "高等教育", "交通結節", "都市機能")),
        Pillar(
            "(3)",
            "圏域全体の生活関連機能サービスの向上",
            ("生活機能", "生活関連", "結びつき", "ネットワーク", "マネジメント", "福祉", "教育", "公共交通"),
        ),
    ),
}


def pillar_for_field(title: str, kind: SphereKind = SphereKind.SETTLEMENT) -> Heading | None:
    """The pillar a field belongs to by the national wording, or None when the title is not conclusive."""
    text = unicodedata.normalize("NFKC", title)
    matches = [p for p in PILLARS.get(kind, ()) if any(k in text for k in p.field_keywords)]
    return matches[0].heading if len(matches) == 1 else None


def is_pillar_title(text: str) -> bool:
    """Whether a text is worded as one of the national pillars (生活機能の強化), of either kind of sphere."""
    key = unicodedata.normalize("NFKC", text).replace(" ", "")
    return any(p.title in key for pillars in PILLARS.values() for p in pillars)


def kind_of_pillar(title: str) -> SphereKind | None:
    """The framework whose national pillar a title is worded as, or None."""
    key = unicodedata.normalize("NFKC", title).replace(" ", "")
    kinds = {kind for kind, pillars in PILLARS.items() for p in pillars if p.title in key}
    return kinds.pop() if len(kinds) == 1 else None


# The fields of policy (政策分野) the guidelines name under the pillars, each with the sub-fields they list under
# it. Visions word their fields in their own way (医療, 地域医療, 高度医療, 医療・救急体制の充実): a field is
# compared with other spheres' under the policy field whose name or sub-field its title contains.
@dataclass(frozen=True)
class PolicyField:
    name: str
    terms: tuple[str, ...]


POLICY_FIELDS: tuple[PolicyField, ...] = (
    PolicyField("医療", ("医療", "救急", "病院", "診療", "周産期", "看護", "保健")),
    PolicyField("福祉", ("福祉", "介護", "子育て", "保育", "児童", "高齢者", "障害", "障がい", "健康")),
    PolicyField("教育・文化", ("教育", "学校", "図書館", "生涯学習", "文化", "スポーツ", "芸術")),
    PolicyField("土地利用", ("土地利用", "都市計画", "まちづくり")),
    PolicyField(
        "産業振興",
        ("産業", "創業", "起業", "企業", "観光", "農業", "林業", "水産", "商工", "雇用", "就業", "就労", "経済"),
    ),
    PolicyField("環境", ("環境", "ごみ", "廃棄物", "エネルギー", "脱炭素")),
    PolicyField("防災・安全", ("防災", "災害", "消防", "防犯", "安全")),
    PolicyField("消費生活", ("消費生活", "消費者")),
    PolicyField("地域公共交通", ("公共交通", "交通", "バス", "鉄道")),
    PolicyField("ICT・デジタル", ("ICT", "デジタル", "情報通信", "DX")),
    PolicyField("交通インフラ", ("交通インフラ", "道路", "港湾", "空港")),
    PolicyField("地産地消", ("地産地消",)),
    PolicyField("交流・移住", ("交流", "移住", "定住", "関係人口")),
    PolicyField("人材育成", ("人材育成", "人材の育成", "職員", "人事交流", "研修")),
    PolicyField("外部人材の確保", ("外部人材", "人材の確保", "外部")),
    PolicyField("圏域マネジメント", ("マネジメント", "圏域経営")),
)


def _policy_key(text: str) -> str:
    """A title for matching: NFKC, case folded, without spaces and the marks that join words (・、)."""
    return "".join(c for c in unicodedata.normalize("NFKC", text).casefold() if not c.isspace() and c not in "・、,")


def policy_field(title: str) -> PolicyField | None:
    """The guidelines' policy field a vision's field title belongs to: the one whose longest sub-field name the
    title contains (the earlier in the title where two are as long), or None where it contains none."""
    key = _policy_key(title)
    best: tuple[int, int, PolicyField] | None = None
    for candidate in POLICY_FIELDS:
        for term in (candidate.name, *candidate.terms):
            at = key.find(_policy_key(term))
            if at >= 0:
                rank = (-len(_policy_key(term)), at)
                if best is None or rank < best[:2]:
                    best = (*rank, candidate)
    return best[2] if best is not None else None


def names_policy_field(title: str) -> bool:
    """Whether a title is itself the name of a policy field of the guidelines or of one of its sub-fields
    (医療, 観光, 交流・移住, 地域公共交通), as a field heading is, rather than a phrase that mentions one."""
    key = _policy_key(title)
    return any(key == _policy_key(term) for field in POLICY_FIELDS for term in (field.name, *field.terms))
