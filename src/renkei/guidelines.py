"""The national wording of the policy pillars (政策分野) and their fields, from the ministry's guidelines.

定住自立圏構想推進要綱 and 連携中枢都市圏構想推進要綱 name the pillars under which every vision groups its projects.
A fragment may lack a pillar heading (the seed starts at field エ 産業振興 with no ① above it); the field's title
then tells which pillar it belongs to. Matching is by keywords of the title, never by the document's labels.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from renkei.model import Heading, SphereKind


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
