"""A synthetic national registry: every sphere of a made-up but realistic Japan, deterministic from a seed.

``synthesize(spheres=N, seed=S)`` gives about 130 定住自立圏 and 40 連携中枢都市圏 by default (the real country's
proportions), each around a real city of the shipped national list, with 5–20 real member municipalities of
the central city's prefecture (towns, villages and cities; never a ward), 20–80 projects under the national
pillars, and a revision a year over the plan period with the amendments a yearly review brings: a few projects
added, removed, renamed or rewritten (numbers shift with them), towns joining and leaving projects, now and
then a town joining or leaving the sphere. Every declared figure equals the computed one: a whole, correct table.

How many towns take part in a project follows the seed's own marks, read at run time: the share of its rows
that every town joins, the share that few (three or fewer) join, and the fractions of the rows in between.

Everything comes from one ``random.Random`` per sphere, seeded from the seed and the sphere's index, so the
same seed gives the same registry (byte-identical files), and the first spheres of a large N are those of a
small one. The generation is pure; ``write_files`` and ``load_into`` at the end do the I/O.
"""

from __future__ import annotations

import dataclasses
import datetime
import functools
import json
import random
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from renkei.guidelines import PILLARS
from renkei.model import Heading, Labels, Municipality, Project, Role, Sphere, SphereKind, Vision
from renkei.municipalities import Entry, Registry

if TYPE_CHECKING:
    from renkei.store import ImportResult, SphereSpec, Store

DEFAULT_SPHERES = 170
# The country's proportions: about 40 連携中枢都市圏 among some 170 spheres.
METROPOLITAN_SHARE = 40 / 170
KIND_KEYS = {SphereKind.SETTLEMENT: "teiju", SphereKind.METROPOLITAN: "renkei-chusu"}
MIN_MEMBERS, MAX_MEMBERS = 5, 20
MIN_PROJECTS, MAX_PROJECTS = 20, 80
FIELD_LABELS = "アイウエオカキクケコサシスセソ"
MANIFEST = "manifest.jsonl"

# Field titles under each pillar, in the guidelines' order, with the topic whose words fill their projects.
_SETTLEMENT_FIELDS: tuple[tuple[tuple[str, str], ...], ...] = (
    (
        ("医療", "医療"),
        ("福祉", "福祉"),
        ("子育て支援", "子育て"),
        ("教育", "教育"),
        ("土地利用", "土地利用"),
        ("産業振興", "産業"),
        ("環境", "環境"),
        ("防災", "防災"),
    ),
    (
        ("地域公共交通", "交通"),
        ("デジタル化の推進", "デジタル"),
        ("道路等の交通インフラの整備", "道路"),
        ("地域の生産者や消費者等の連携による地産地消", "地産地消"),
        ("地域内外の住民との交流・移住促進", "交流"),
    ),
    (
        ("人材育成", "人材"),
        ("外部からの行政及び民間人材の確保", "外部人材"),
        ("圏域内市町村の職員等の交流", "職員"),
    ),
)
_METROPOLITAN_FIELDS: tuple[tuple[tuple[str, str], ...], ...] = (
    (
        ("産業クラスターの形成・イノベーションの実現", "産業"),
        ("地域資源を活用した地域経済の裾野拡大", "地産地消"),
        ("戦略的な観光施策", "観光"),
        ("創業支援・雇用の確保", "創業"),
    ),
    (
        ("高度な医療サービスの提供", "医療"),
        ("高等教育・研究開発の環境整備", "教育"),
        ("交通結節機能の強化", "道路"),
    ),
    (
        ("地域医療", "医療"),
        ("介護・福祉", "福祉"),
        ("子育て支援", "子育て"),
        ("環境保全", "環境"),
        ("防災・減災", "防災"),
        ("地域公共交通", "交通"),
        ("デジタル化の推進", "デジタル"),
        ("交流・移住の促進", "交流"),
        ("人材育成", "人材"),
        ("職員の交流", "職員"),
    ),
)
# How many of a pillar's fields a vision uses, and how heavily each pillar is populated with projects.
_FIELDS_USED = {SphereKind.SETTLEMENT: ((3, 7), (2, 5), (1, 3)), SphereKind.METROPOLITAN: ((2, 4), (1, 3), (3, 8))}
_PILLAR_WEIGHT = {SphereKind.SETTLEMENT: (3.0, 2.0, 0.6), SphereKind.METROPOLITAN: (2.0, 1.5, 1.5)}


@dataclass(frozen=True)
class Topic:
    """The words a field's projects are made of: name cores, suffixes, purposes, partners and actions."""

    cores: tuple[str, ...]
    purposes: tuple[str, ...]
    actions: tuple[str, ...]
    partners: tuple[str, ...] = ()


_SUFFIXES = ("事業", "推進事業", "の推進", "支援事業", "の充実", "強化事業", "連携事業", "")
_PREFIXES = ("", "", "", "", "圏域", "広域", "{stem}圏域")
_PARTNERS = ("関係機関", "圏域の市町村", "民間事業者", "関係団体", "地域の大学", "NPO法人")

TOPICS: dict[str, Topic] = {
    "医療": Topic(
        (
            "救急医療体制",
            "休日夜間急患診療",
            "地域医療連携",
            "医療人材確保",
            "小児救急医療",
            "在宅医療・介護連携",
            "周産期医療体制",
            "病院群輪番制",
            "医療情報ネットワーク",
            "がん検診受診促進",
        ),
        (
            "圏域住民が安心して医療を受けられる体制の確保",
            "救急医療体制の維持",
            "医療機関の機能分担と連携の強化",
            "医師・看護師等の医療人材の確保",
            "地域医療の充実",
        ),
        (
            "休日及び夜間の急病患者に対応する診療体制を中心市の医療機関に確保する",
            "二次救急医療を担う病院の運営を共同で支援する",
            "医療機関の間で患者の診療情報を共有する仕組みを運営する",
            "医学生や看護学生に対する修学資金の貸付けを行う",
            "在宅医療と介護の関係者が参加する研修会を開催する",
            "地域医療を守るための住民向け講演会を開催する",
        ),
        ("圏域の医師会", "中心市の医療機関", "県の保健所"),
    ),
    "福祉": Topic(
        (
            "高齢者見守りネットワーク",
            "障がい者相談支援",
            "成年後見制度利用促進",
            "介護人材確保",
            "地域包括ケア",
            "認知症高齢者等支援",
            "生活困窮者自立支援",
        ),
        (
            "高齢者が住み慣れた地域で暮らし続けられる環境の整備",
            "障がいのある人の自立と社会参加の促進",
            "福祉人材の確保と定着",
            "支援を必要とする住民の早期発見",
        ),
        (
            "相談窓口を共同で設置し、専門職による相談支援を行う",
            "介護職員の資格取得や研修の受講に要する費用を助成する",
            "見守り協定を結んだ事業者と情報を共有し、異変を早期に把握する",
            "成年後見制度に関する中核機関を共同で運営する",
        ),
        ("社会福祉協議会", "地域包括支援センター"),
    ),
    "子育て": Topic(
        (
            "病児・病後児保育",
            "子育て支援センター",
            "ファミリー・サポート・センター",
            "子ども医療費助成",
            "発達支援",
            "結婚支援",
        ),
        ("安心して子どもを産み育てられる環境の整備", "子育て世帯の負担の軽減", "仕事と子育ての両立の支援"),
        (
            "病気の子どもを一時的に預かる施設を圏域の住民が利用できるようにする",
            "子育てに関する相談や親子の交流の場を提供する",
            "発達に支援が必要な子どもと保護者への相談支援を行う",
            "出会いの場となるイベントを共同で開催する",
        ),
        ("保育所", "子育て支援団体"),
    ),
    "教育": Topic(
        (
            "図書館相互利用",
            "生涯学習講座",
            "学校教育連携",
            "文化ホール共同利用",
            "スポーツ施設相互利用",
            "郷土学習",
            "高等教育機関連携",
        ),
        ("圏域住民の学習機会の充実", "児童生徒の学力の向上", "文化・スポーツ施設の効率的な活用"),
        (
            "圏域の図書館を相互に利用できるようにし、資料の貸出しと返却を共同で行う",
            "教職員の合同研修を実施する",
            "公共施設の利用料金を圏域の住民に同額で提供する",
            "大学と連携した公開講座を開催する",
        ),
        ("地域の大学", "教育委員会"),
    ),
    "土地利用": Topic(
        ("空き家対策", "公共施設マネジメント", "地籍調査", "景観形成", "都市計画連携"),
        ("圏域の適正な土地利用の推進", "空き家の有効活用", "公共施設の最適な配置"),
        (
            "空き家の情報を一元化し、移住希望者等に提供する",
            "公共施設の配置について共同で調査研究を行う",
            "景観に関するガイドラインを共同で策定する",
        ),
    ),
    "産業": Topic(
        (
            "企業誘致",
            "創業支援",
            "就業マッチング",
            "地場産業振興",
            "販路拡大",
            "事業承継支援",
            "ものづくり産業振興",
            "農業担い手育成",
            "林業振興",
            "商店街活性化",
        ),
        ("圏域における経済の活性化と雇用の確保", "地域産業の競争力の強化", "産業の担い手不足の解消"),
        (
            "首都圏での企業誘致活動を共同で実施する",
            "創業希望者に対する窓口相談や創業セミナーを実施する",
            "求職者と企業のマッチングの機会を提供する",
            "展示会や商談会への出展を支援する",
            "事業承継に関する相談窓口を設置する",
            "新規就農者に対する研修を実施する",
        ),
        ("商工会議所", "産業支援機関", "金融機関"),
    ),
    "環境": Topic(
        ("ごみ処理広域化", "地球温暖化対策", "再生可能エネルギー導入", "環境学習", "森林保全", "し尿処理施設共同運営"),
        ("循環型社会の形成", "脱炭素社会の実現", "豊かな自然環境の保全"),
        (
            "ごみ処理施設を共同で整備し、運営する",
            "再生可能エネルギーの導入可能性について共同で調査する",
            "子どもを対象とした環境学習講座を開催する",
            "森林の間伐や植樹活動を共同で実施する",
        ),
    ),
    "防災": Topic(
        ("災害時相互応援", "消防指令業務共同運用", "防災訓練", "備蓄物資共同管理", "避難所相互利用", "防災情報共有"),
        ("災害に強い圏域づくり", "大規模災害時の応援体制の確立", "消防・救急体制の充実"),
        (
            "災害時の相互応援協定に基づき、物資の提供や職員の派遣を行う",
            "消防の指令業務を共同で運用する",
            "合同防災訓練を実施する",
            "防災情報を共有するシステムを運用する",
        ),
    ),
    "交通": Topic(
        (
            "地域公共交通確保維持",
            "路線バス運行支援",
            "デマンド交通",
            "公共交通利用促進",
            "鉄道利用促進",
            "交通空白地域対策",
        ),
        ("圏域内の移動手段の確保", "公共交通の利便性の向上", "通院や通学の足の確保"),
        (
            "隣接市町村間を結ぶ路線バスの運行を支援する",
            "公共交通の利用実態調査を実施する",
            "予約制の乗合交通を共同で運行する",
            "公共交通マップを作成し、利用を促進する",
        ),
        ("交通事業者", "地域公共交通会議"),
    ),
    "デジタル": Topic(
        ("行政手続オンライン化", "情報システム共同利用", "デジタル人材育成", "公衆無線LAN整備", "ICT利活用"),
        ("行政サービスの利便性の向上", "情報システムの運用経費の削減", "地域のデジタル化の推進"),
        (
            "住民情報システムを共同で調達し、運用する",
            "行政手続のオンライン化を共同で進める",
            "デジタル技術に関する講習会を開催する",
            "観光施設等に公衆無線LANを整備する",
        ),
    ),
    "道路": Topic(
        ("広域道路網整備", "幹線道路整備促進", "橋梁長寿命化", "除雪体制", "交通結節点整備"),
        ("圏域内の交通ネットワークの強化", "安全で円滑な道路交通の確保"),
        (
            "広域的な幹線道路の整備について国や県に共同で要望する",
            "除雪作業の相互応援を行う",
            "道路施設の点検を共同で発注する",
        ),
    ),
    "地産地消": Topic(
        ("地場産品発掘普及", "農産物ブランド化", "学校給食地場産品活用", "六次産業化支援", "直売所連携"),
        ("地産地消の推進", "地場産品の振興", "農林水産物の付加価値の向上"),
        (
            "圏域の事業者による新商品の開発を支援する",
            "地場産品の販売イベントを開催する",
            "学校給食への地場産品の供給を拡大する",
            "ホームページで地場産品の情報を発信する",
        ),
        ("農業協同組合", "漁業協同組合"),
    ),
    "交流": Topic(
        (
            "移住定住促進",
            "広域観光ネットワーク",
            "スポーツ合宿誘致",
            "国際交流",
            "地域間交流",
            "関係人口創出",
            "インバウンド観光",
            "観光ルート整備",
        ),
        ("圏域への人口流入の促進", "圏域内外の住民の交流の促進", "滞在型観光の推進"),
        (
            "移住相談会を首都圏で共同開催する",
            "観光客に向けて圏域の観光情報を一元的に発信する",
            "スポーツ合宿の受入体制を整備する",
            "海外からの留学生や研修生との交流事業を行う",
            "都市住民との交流イベントを開催する",
        ),
        ("観光協会", "地域おこし協力隊"),
    ),
    "観光": Topic(
        ("広域観光振興", "観光プロモーション", "インバウンド誘客", "観光DX", "周遊観光", "MICE誘致"),
        ("圏域全体の観光振興", "観光客の周遊と滞在の促進", "外国人観光客の誘致"),
        (
            "圏域の観光資源を結ぶ周遊ルートを造成する",
            "旅行会社への観光プロモーションを共同で実施する",
            "多言語の観光案内を整備する",
            "観光データを分析し、施策に活用する",
        ),
        ("観光協会", "地域連携DMO"),
    ),
    "創業": Topic(
        ("創業支援", "雇用促進", "UIJターン就職支援", "女性活躍推進", "インキュベーション施設運営"),
        ("新たな産業と雇用の創出", "若者の地元定着"),
        (
            "創業希望者に対する相談やセミナーを実施する",
            "合同企業説明会を開催する",
            "インターンシップを通じて地元企業の魅力を伝える",
        ),
        ("商工会議所", "ハローワーク"),
    ),
    "人材": Topic(
        ("職員合同研修", "まちづくり人材育成", "地域リーダー育成", "専門職員育成"),
        ("圏域の将来を担う人材の育成", "職員の資質の向上"),
        ("圏域の市町村職員を対象とした合同研修を実施する", "地域づくりを担う住民の研修会を開催する"),
    ),
    "外部人材": Topic(
        ("外部専門人材活用", "地域おこし協力隊連携", "民間人材登用"),
        ("専門的な知見を持つ人材の確保",),
        ("外部の専門家を招へいし、圏域の課題について助言を受ける", "地域おこし協力隊の合同研修を実施する"),
    ),
    "職員": Topic(
        ("職員の相互人事交流", "職員派遣", "圏域連携会議運営"),
        ("圏域内市町村の連携の強化", "職員の資質の向上"),
        ("圏域内市町村の職員の相互派遣を行う", "圏域の連携事業の進捗を管理する会議を運営する"),
    ),
}


# The shape of participation, taken from the seed -------------------------------------------------------


@dataclass(frozen=True)
class Densities:
    """How many towns take part in a project, as the seed's rows show it: the shares of rows joined by every
    town and by few (up to ``FEW``), the counts of the few rows, and the fractions of the rows in between."""

    every: float
    few: float
    few_counts: tuple[int, ...]
    fractions: tuple[float, ...]

    FEW = 3


@functools.cache
def seed_densities() -> Densities:
    """The seed's own densities, read from the bundled sample at run time."""
    from renkei.ingest import read_sample

    vision = read_sample().vision
    towns = len(vision.municipalities)
    counts = [p.count for p in vision.projects]
    every = [c for c in counts if c == towns]
    few = [c for c in counts if c <= Densities.FEW and c != towns]
    between = [c / towns for c in counts if Densities.FEW < c < towns]
    return Densities(len(every) / len(counts), len(few) / len(counts), tuple(few), tuple(between))


# The registry ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SynthRevision:
    number: int
    effective_on: datetime.date
    message: str
    vision: Vision

    @property
    def file_name(self) -> str:
        return f"r{self.number}.txt"


@dataclass
class SynthSphere:
    key: str
    name: str
    kind: SphereKind
    central_city: Municipality
    prefecture: str
    plan_start: datetime.date
    plan_end: datetime.date
    revisions: list[SynthRevision] = field(default_factory=list)

    def spec(self) -> SphereSpec:
        """What the store creates the sphere with: what its files' titles do not say."""
        from renkei.store import SphereSpec

        return SphereSpec(
            key=self.key,
            name=self.name,
            kind=self.kind,
            central_city=self.central_city.code,
            prefecture=self.prefecture,
            plan_start=self.plan_start,
            plan_end=self.plan_end,
        )

    def manifest(self) -> dict[str, Any]:
        """The sphere's line of the manifest: what a file's title does not say, and when each file applies."""
        return {
            "key": self.key,
            "name": self.name,
            "kind": self.kind.value,
            "central_city": self.central_city.code,
            "central_city_name": self.central_city.name,
            "prefecture": self.prefecture,
            "plan_start": self.plan_start.isoformat(),
            "plan_end": self.plan_end.isoformat(),
            "revisions": [
                {
                    "number": r.number,
                    "file": f"{self.key}/{r.file_name}",
                    "effective_on": r.effective_on.isoformat(),
                    "message": r.message,
                    "projects": len(r.vision.projects),
                    "municipalities": len(r.vision.municipalities),
                }
                for r in self.revisions
            ],
        }


def synthesize(spheres: int = DEFAULT_SPHERES, seed: int = 0, years: int = 5) -> list[SynthSphere]:
    """``spheres`` synthetic spheres, each with a revision for most years of its ``years``-year plan."""
    if spheres < 0:
        raise ValueError("spheres must be zero or more")
    if years < 1:
        raise ValueError("years must be one or more")
    registry = Registry.default()
    kinds = [_kind(i) for i in range(spheres)]
    centrals = _central_cities(registry, kinds, random.Random(f"renkei.synth/{seed}/centrals"))
    return [
        _Sphere(registry, kind, city, random.Random(f"renkei.synth/{seed}/{index}"), years).build()
        for index, (kind, city) in enumerate(zip(kinds, centrals, strict=True))
    ]


def _kind(index: int) -> SphereKind:
    """Spread the metropolitan spheres evenly, rounding so that even three spheres hold one of each kind."""
    before = int(index * METROPOLITAN_SHARE + 0.5)
    after = int((index + 1) * METROPOLITAN_SHARE + 0.5)
    return SphereKind.METROPOLITAN if after > before else SphereKind.SETTLEMENT


def is_ward(entry: Entry) -> bool:
    """A ward (区) of a designated city or of Tokyo: never a member of a sphere."""
    return entry.name.endswith("区")


def member_candidates(registry: Registry, prefecture: str) -> list[Entry]:
    return [e for e in registry.entries if e.prefecture == prefecture and not is_ward(e)]


def _central_cities(registry: Registry, kinds: Sequence[SphereKind], rng: random.Random) -> list[Entry]:
    """A distinct city for each sphere: designated cities (those with wards) first for the metropolitan ones,
    then cities taken from the two ends of one shuffled list, so that the first spheres do not depend on N."""
    cities = [e for e in registry.entries if e.name.endswith("市")]
    wards = [e.name for e in registry.entries if is_ward(e)]
    designated = [c for c in cities if any(w.startswith(c.name) and w != c.name for w in wards)]
    others = [c for c in cities if c not in designated]
    rng.shuffle(designated)
    rng.shuffle(others)
    if len(kinds) > len(cities):
        raise ValueError(f"at most {len(cities)} spheres: one per city of the national list")
    chosen, settlement, metropolitan = [], 0, 0
    for kind in kinds:
        if kind is SphereKind.METROPOLITAN:
            index = metropolitan
            metropolitan += 1
            chosen.append(designated[index] if index < len(designated) else others[-1 - (index - len(designated))])
        else:
            chosen.append(others[settlement])
            settlement += 1
    return chosen


def _municipality(entry: Entry) -> Municipality:
    return Municipality(entry.name, entry.code, entry.prefecture, label=entry.name)


@dataclass
class _ProjectState:
    name: str
    description: str
    participants: list[str]


@dataclass
class _FieldState:
    pillar: Heading
    title: str
    topic: str
    projects: list[_ProjectState] = field(default_factory=list)


class _Sphere:
    """One sphere's generation: its members, its first vision, then a revision for most later years."""

    def __init__(self, registry: Registry, kind: SphereKind, city: Entry, rng: random.Random, years: int) -> None:
        self.registry = registry
        self.kind = kind
        self.city = city
        self.rng = rng
        self.years = years
        self.stem = city.name.removesuffix("市")
        self.densities = seed_densities()
        self.used_names: set[str] = set()
        self.candidates = [e for e in member_candidates(registry, city.prefecture) if e.code != city.code]
        self.activity: dict[str, float] = {}

    # The sphere and its first vision ------------------------------------------------------------------

    def build(self) -> SynthSphere:
        rng = self.rng
        word = self.kind.value
        name = rng.choice(
            (f"{self.stem}{word}", f"{self.stem}{word}", f"{self.stem}圏域{word}", f"{self.stem}地域{word}")
        )
        start_year = rng.randint(2019, 2021)
        start = datetime.date(start_year, 4, 1)
        end = datetime.date(start_year + self.years, 3, 31)
        central = _municipality(self.city)
        sphere = SynthSphere(
            key=f"{self.city.code}-{KIND_KEYS[self.kind]}",
            name=name,
            kind=self.kind,
            central_city=central,
            prefecture=self.city.prefecture,
            plan_start=start,
            plan_end=end,
        )
        self.meta = Sphere(name, self.kind, central, self.city.prefecture)
        upper = min(MAX_MEMBERS, len(self.candidates))
        count = rng.randint(min(MIN_MEMBERS, upper), upper)
        self.members = sorted(rng.sample(self.candidates, count), key=lambda e: e.code)
        for m in self.members:
            self._activate(m)
        self.fields = self._first_fields()
        vision_word = "共生ビジョン" if self.kind is SphereKind.SETTLEMENT else "連携中枢都市圏ビジョン"
        sphere.revisions.append(SynthRevision(1, start, f"{_era(start_year)}年度 {vision_word}策定", self._vision()))
        for year in range(start_year + 1, start_year + self.years):
            if rng.random() < 0.2:
                continue  # no amendment that year
            self._amend()
            effective = datetime.date(year, 4, 1) + datetime.timedelta(days=rng.randint(0, 150))
            number = len(sphere.revisions) + 1
            message = f"{_era(year)}年度 {vision_word}変更"
            sphere.revisions.append(SynthRevision(number, effective, message, self._vision()))
        return sphere

    def _activate(self, entry: Entry) -> None:
        self.activity[entry.name] = self.rng.uniform(0.3, 1.7)

    def _first_fields(self) -> list[_FieldState]:
        rng = self.rng
        catalogue = _SETTLEMENT_FIELDS if self.kind is SphereKind.SETTLEMENT else _METROPOLITAN_FIELDS
        fields: list[_FieldState] = []
        weights: list[float] = []
        for pillar, choices, (low, high), weight in zip(
            PILLARS[self.kind], catalogue, _FIELDS_USED[self.kind], _PILLAR_WEIGHT[self.kind], strict=True
        ):
            count = rng.randint(low, min(high, len(choices)))
            picked = sorted(rng.sample(range(len(choices)), count))
            for title, topic in (choices[i] for i in picked):
                fields.append(_FieldState(pillar.heading, title, topic))
                weights.append(weight)
        total = rng.randint(MIN_PROJECTS, MAX_PROJECTS)
        sizes = [1] * len(fields)
        for index in rng.choices(range(len(fields)), weights, k=total - len(fields)):
            sizes[index] += 1
        for state, size in zip(fields, sizes, strict=True):
            state.projects = [self._new_project(state.topic) for _ in range(size)]
        return fields

    # Words --------------------------------------------------------------------------------------------

    def _name(self, topic: str) -> str:
        rng, words = self.rng, TOPICS[topic]
        for _ in range(200):
            prefix = rng.choice(_PREFIXES).format(stem=self.stem)
            core = rng.choice(words.cores)
            name = f"{prefix}{core}{rng.choice(_SUFFIXES)}"
            if name not in self.used_names:
                self.used_names.add(name)
                return name
        serial = 2
        while f"{name}（第{serial}期）" in self.used_names:
            serial += 1
        name = f"{name}（第{serial}期）"
        self.used_names.add(name)
        return name

    def _description(self, topic: str) -> str:
        rng, words = self.rng, TOPICS[topic]
        purpose = rng.choice(words.purposes)
        first, second = rng.sample(words.actions, 2) if len(words.actions) > 1 else (words.actions[0], "")
        partner = rng.choice(words.partners + _PARTNERS)
        shape = rng.randrange(4)
        if shape == 0 or not second:
            return f"{purpose}を図るため、{first}。"
        if shape == 1:
            return f"{purpose}を図るため、{partner}と連携し、{first}。"
        if shape == 2:
            return f"{purpose}を図るため、{first}とともに、{second}。"
        return f"{purpose}に向けて、{partner}と連携し、{first}。あわせて、{second}。"

    # Participation ------------------------------------------------------------------------------------

    def _participants(self) -> list[str]:
        rng, d = self.rng, self.densities
        names = [m.name for m in self.members]
        size = len(names)
        draw = rng.random()
        if draw < d.every or size <= 1:
            count = size
        elif draw < d.every + d.few and d.few_counts:
            count = min(rng.choice(d.few_counts), size - 1)
        else:
            fraction = rng.choice(d.fractions) if d.fractions else 0.5
            count = max(min(Densities.FEW + 1, size - 1), min(size - 1, round(fraction * size)))
        chosen = self._weighted_sample(names, count)
        return [n for n in names if n in chosen]

    def _weighted_sample(self, names: list[str], count: int) -> set[str]:
        pool = list(names)
        chosen: set[str] = set()
        while len(chosen) < count and pool:
            pick = self.rng.choices(pool, [self.activity[n] for n in pool])[0]
            pool.remove(pick)
            chosen.add(pick)
        return chosen

    def _new_project(self, topic: str) -> _ProjectState:
        return _ProjectState(self._name(topic), self._description(topic), self._participants())

    # Revisions ----------------------------------------------------------------------------------------

    def _projects(self) -> list[tuple[_FieldState, _ProjectState]]:
        return [(f, p) for f in self.fields for p in f.projects]

    def _amend(self) -> None:
        """One year's amendments, in the order a secretariat makes them."""
        rng = self.rng
        if rng.random() < 0.1:
            self._member_joins()
        if rng.random() < 0.05:
            self._member_leaves()
        total = len(self._projects())
        for _ in range(rng.choice((0, 0, 1, 1, 2))):
            removable = [(f, p) for f, p in self._projects() if len(f.projects) > 1]
            if total > MIN_PROJECTS and removable:
                state, project = rng.choice(removable)
                state.projects.remove(project)
                total -= 1
        touched: set[int] = set()
        for _ in range(rng.choice((0, 1, 1, 2))):
            state, project = rng.choice(self._projects())
            if id(project) not in touched:
                project.name = self._name(state.topic)
                touched.add(id(project))
        for _ in range(rng.choice((0, 1, 2))):
            state, project = rng.choice(self._projects())
            if id(project) not in touched:
                project.description = self._description(state.topic)
                touched.add(id(project))
        for _ in range(rng.randint(1, 6)):
            self._toggle(rng.choice(self._projects())[1])
        for _ in range(rng.choice((0, 1, 1, 2, 3))):
            if total < MAX_PROJECTS:
                state = rng.choice(self.fields)
                state.projects.insert(rng.randint(0, len(state.projects)), self._new_project(state.topic))
                total += 1

    def _toggle(self, project: _ProjectState) -> None:
        """A town joins the project, or one leaves it (never its last)."""
        names = [m.name for m in self.members]
        outside = [n for n in names if n not in project.participants]
        if outside and (len(project.participants) <= 1 or self.rng.random() < 0.6):
            joined = self.rng.choice(outside)
            project.participants = [n for n in names if n in project.participants or n == joined]
        elif len(project.participants) > 1:
            project.participants.remove(self.rng.choice(project.participants))

    def _member_joins(self) -> None:
        """A town joins the sphere: it signs the agreement and takes part in the projects every town joins."""
        outside = [e for e in self.candidates if e not in self.members]
        if len(self.members) >= MAX_MEMBERS or not outside:
            return
        entry = self.rng.choice(outside)
        everyone = {m.name for m in self.members}
        self.members = sorted([*self.members, entry], key=lambda e: e.code)
        self._activate(entry)
        names = [m.name for m in self.members]
        for _, project in self._projects():
            if set(project.participants) == everyone or self.rng.random() < 0.2:
                project.participants = [n for n in names if n in project.participants or n == entry.name]

    def _member_leaves(self) -> None:
        if len(self.members) <= MIN_MEMBERS:
            return
        entry = self.rng.choice(self.members)
        self.members = [m for m in self.members if m != entry]
        for _, project in self._projects():
            if entry.name in project.participants:
                project.participants.remove(entry.name)
                if not project.participants:
                    project.participants.append(self.rng.choice(self.members).name)

    # The vision ---------------------------------------------------------------------------------------

    def _vision(self) -> Vision:
        projects: list[Project] = []
        labels: dict[tuple[str, str], str] = {}
        for state in self.fields:
            if not state.projects:
                continue
            used = sum(1 for pillar, _ in labels if pillar == state.pillar.label)
            label = labels.setdefault((state.pillar.label, state.title), FIELD_LABELS[used])
            heading = Heading(label, state.title)
            for p in state.projects:
                participants = dict.fromkeys(p.participants, Role.MEMBER)
                projects.append(Project(len(projects) + 1, p.name, p.description, state.pillar, heading, participants))
        towns_only = all(m.name.endswith("町") for m in self.members)
        count_label = "連携町数" if towns_only and self.kind is SphereKind.SETTLEMENT else "連携市町村数"
        vision = Vision(
            sphere=dataclasses.replace(self.meta),
            municipalities=[_municipality(m) for m in self.members],
            projects=projects,
            labels=Labels(count=count_label),
        )
        return vision.with_computed_figures()


def _era(year: int) -> str:
    """令和 n (fiscal year ``year``), the way a secretariat dates its revisions."""
    return f"令和{year - 2018}" if year > 2019 else "令和元" if year == 2019 else f"平成{year - 1988}"


# I/O: files and the store ----------------------------------------------------------------------------------


def render_revision(revision: SynthRevision) -> bytes:
    from renkei.render import render

    return render(revision.vision, "official")


def manifest_text(spheres: Sequence[SynthSphere]) -> str:
    return "".join(json.dumps(s.manifest(), ensure_ascii=False, sort_keys=True) + "\n" for s in spheres)


def write_files(
    spheres: Sequence[SynthSphere], directory: Path, on_file: Callable[[Path], None] | None = None
) -> list[Path]:
    """Each revision as an official-layout file ``DIR/<key>/r<k>.txt``, and ``DIR/manifest.jsonl``."""
    written = []
    for sphere in spheres:
        folder = directory / sphere.key
        folder.mkdir(parents=True, exist_ok=True)
        for revision in sphere.revisions:
            path = folder / revision.file_name
            path.write_bytes(render_revision(revision))
            written.append(path)
            if on_file is not None:
                on_file(path)
    (directory / MANIFEST).write_text(manifest_text(spheres), encoding="utf-8", newline="\n")
    return written


def load_into(
    store: Store,
    spheres: Sequence[SynthSphere],
    on_revision: Callable[[ImportResult], None] | None = None,
    author: str = "renkei synth",
) -> int:
    """Import every revision into the store with its effective date, all in one transaction
    (``Store.import_many``); returns how many."""
    from renkei.store import Batched

    def items() -> Iterator[Batched]:
        for sphere in spheres:
            spec = sphere.spec()
            for revision in sphere.revisions:
                yield Batched(
                    revision.vision,
                    spec,
                    author=author,
                    message=revision.message,
                    effective_on=revision.effective_on,
                    source_name=f"{sphere.key}/{revision.file_name}",
                )

    return len(store.import_many(items(), on_revision))
