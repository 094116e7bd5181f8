"""Deterministic demo credit subjects: 120 natural persons and 80 organisations, pure data, no database.

R-CAT-8 (HL 19): persons carry a resident identity card number with the GB 11643 check digit; organisations
their 18-character unified social credit code with the GB 32100 check character. Both are computed with
python-stdnum and validated again before use. R-REC-2 (HN 25): every organisation gets its legal
representative, some a principal responsible person and an actual controller.

Everything comes from ``random.Random(SEED)`` drawn in a fixed order: the same seed gives the same 200
subjects on every machine, never the global random state.
"""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass

from stdnum.cn import ric, uscc

from subjects.choices import IdentifierType, Ownership, RelatedRole, SubjectKind

SEED = 20261122
PERSON_COUNT = 120
ORGANISATION_COUNT = 80

SURNAMES = (
    "王",
    "陈",
    "李",
    "林",
    "吴",
    "符",
    "黄",
    "张",
    "刘",
    "郑",
    "周",
    "邢",
    "蔡",
    "冯",
    "韩",
    "云",
    "梁",
    "杨",
    "何",
    "羊",
    "钟",
    "唐",
    "许",
    "曾",
    "莫",
    "潘",
    "谢",
    "卢",
    "麦",
    "文",
)
MALE_GIVEN = (
    "建国",
    "志强",
    "海明",
    "国栋",
    "振华",
    "家豪",
    "俊峰",
    "文杰",
    "永福",
    "德胜",
    "明辉",
    "少龙",
    "伟",
    "强",
    "斌",
    "涛",
    "浩然",
    "子轩",
    "宇航",
    "天佑",
    "世雄",
    "春生",
    "泽民",
    "晓东",
    "立军",
    "锦华",
)
FEMALE_GIVEN = (
    "丽娟",
    "海燕",
    "秀英",
    "美玲",
    "晓红",
    "婷婷",
    "雪梅",
    "丽华",
    "玉兰",
    "慧敏",
    "佳怡",
    "欣怡",
    "静",
    "敏",
    "芳",
    "琳",
    "小燕",
    "春梅",
    "月娥",
    "梦瑶",
    "思琪",
    "诗涵",
    "桂芳",
    "雅琴",
    "翠萍",
)

#: Region codes valid in the birth year, as python-stdnum checks (R-CAT-8): Haikou and Sanya were under
#: Guangdong (44xxxx) until Hainan became a province in 1988, so earlier births carry those codes.
PERSON_REGIONS = {
    "HK": (
        (1960, 1986, ("442101",)),
        (1987, 1987, ("441000",)),
        (1988, 1989, ("460100",)),
        (1990, 2000, ("460102", "460103", "460104")),
    ),
    "SY": ((1960, 1983, ("442221",)), (1984, 1987, ("442201",)), (1988, 2000, ("460200",))),
}
#: Registration region of organisations' codes (digits 3-8 of a USCC).
ORGANISATION_REGIONS = {"HK": "460100", "SY": "460200", "HN": "460000"}
CITY_NAMES = {"HK": "海口", "SY": "三亚", "HN": "海南"}
STREETS = {
    "HK": (
        ("龙华区", ("滨海大道", "国贸路", "龙昆南路", "金贸西路", "海垦路")),
        ("美兰区", ("海府路", "和平大道", "白龙南路", "海甸五西路")),
        ("秀英区", ("南海大道", "长滨路", "粤海大道")),
        ("琼山区", ("椰海大道", "府城大道", "高登西街")),
    ),
    "SY": (
        ("吉阳区", ("迎宾路", "榆亚路", "河东路")),
        ("天涯区", ("解放路", "三亚湾路", "凤凰路")),
        ("海棠区", ("海棠北路", "林旺中路")),
        ("崖州区", ("崖州湾大道", "创意新城路")),
    ),
}

#: ``(industry, sector tag)``: the tag decides which catalog items fit an organisation's records.
INDUSTRIES = (
    ("食品", "food"),
    ("餐饮管理", "food"),
    ("水产品", "food"),
    ("饮品", "food"),
    ("大药房连锁", "drugs"),
    ("医药", "drugs"),
    ("商贸", "general"),
    ("建筑工程", "general"),
    ("科技", "general"),
    ("物业服务", "general"),
    ("旅游开发", "general"),
    ("酒店管理", "general"),
    ("汽车服务", "general"),
    ("装饰工程", "general"),
    ("房地产开发", "general"),
    ("农业开发", "general"),
)
BRANDS = (
    "椰风",
    "海瑞",
    "琼鑫",
    "南洋",
    "椰城",
    "鹿回头",
    "天涯",
    "海棠",
    "万绿",
    "蓝湾",
    "金椰",
    "新埠",
    "椰林",
    "南国",
    "瑞丰",
    "海汇",
    "兴琼",
    "宝岛",
    "恒兴",
    "嘉禾",
    "亚龙",
    "凤凰",
    "红树林",
    "旭升",
    "鸿运",
    "琼洲",
    "椰韵",
    "海之南",
    "德信",
    "永昌",
    "港湾",
    "碧海",
    "鼎盛",
    "和顺",
    "百汇",
    "盛世",
)
SHOPS = ("便利店", "水果店", "五金店", "文印店", "汽车修理厂")
STATE_OWNED = ("海口市水务集团有限公司", "三亚市公共交通集团有限公司", "海南省农垦投资控股集团有限公司")
PUBLIC_INSTITUTIONS = ("海口市椰城职业技术学校", "三亚市海棠湾卫生院", "海南省热带作物检测中心")

_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # GB 32100: no I, O, S, V, Z
_ORG_CODE_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)  # GB 11714


@dataclass(frozen=True)
class SubjectSpec:
    key: int
    kind: str
    name: str
    id_type: str
    id_number: str
    department: str
    address: str
    ownership: str = Ownership.PRIVATE
    sector: str = "general"
    established_on: datetime.date | None = None


@dataclass(frozen=True)
class RelatedSpec:
    organisation: SubjectSpec
    person: SubjectSpec
    role: str
    since: datetime.date


def _department_of(index: int) -> str:
    """Most subjects in the Haikou and Sanya bureaus, one in twenty with the provincial bureau."""
    slot = index % 20
    return "HN-SAMR" if slot == 19 else ("HK-SAMR" if slot < 11 else "SY-SAMR")


def _city(department: str) -> str:
    return department.split("-")[0]


def resident_id(*, region: str, birth: datetime.date, sequence: int) -> str:
    """An 18-character resident identity card number (GB 11643); odd 17th digit for men."""
    first17 = f"{region}{birth:%Y%m%d}{sequence:03d}"
    # calc_check_digit ignores the last character it is given: pass a placeholder for the check digit.
    return ric.validate(first17 + ric.calc_check_digit(first17 + "0"))


def organisation_code(body: str) -> str:
    """An organisation code (GB 11714): eight characters and their check character."""
    total = sum(
        _ALPHABET.index(c) * w if c.isdigit() else (ord(c) - 55) * w
        for c, w in zip(body, _ORG_CODE_WEIGHTS, strict=True)
    )
    check = 11 - total % 11
    return body + {10: "X", 11: "0"}.get(check, str(check))


def social_credit_code(*, authority_and_type: str, region: str, org_code: str) -> str:
    """An 18-character unified social credit code (GB 32100) with its check character."""
    first17 = f"{authority_and_type}{region}{org_code}"
    return uscc.validate(first17 + uscc.calc_check_digit(first17))


def _address(rng: random.Random, city: str) -> str:
    city = city if city in STREETS else rng.choice(("HK", "SY"))
    district, streets = rng.choice(STREETS[city])
    return f"{CITY_NAMES[city]}市{district}{rng.choice(streets)}{rng.randint(1, 288)}号"


def _persons(rng: random.Random) -> list[SubjectSpec]:
    """Natural persons born 1960-2000 in Haikou or Sanya, with distinct names and ID numbers (R-CAT-8)."""
    persons, names = [], set()
    for index in range(PERSON_COUNT):
        department = _department_of(index)
        city = _city(department) if _city(department) in PERSON_REGIONS else rng.choice(("HK", "SY"))
        male = rng.random() < 0.5
        name = ""
        while not name or name in names:
            name = rng.choice(SURNAMES) + rng.choice(MALE_GIVEN if male else FEMALE_GIVEN)
        names.add(name)
        birth = datetime.date(1960, 1, 1) + datetime.timedelta(days=rng.randrange(14976))  # to 2000-12-31
        region = next(rng.choice(codes) for first, last, codes in PERSON_REGIONS[city] if first <= birth.year <= last)
        # 2 * index keeps every number unique; the parity of the 17th digit gives the sex.
        number = resident_id(region=region, birth=birth, sequence=10 + 2 * index + (1 if male else 0))
        persons.append(
            SubjectSpec(
                key=index,
                kind=SubjectKind.NATURAL_PERSON,
                name=name,
                id_type=IdentifierType.RESIDENT_ID,
                id_number=number,
                department=department,
                address=_address(rng, city),
            )
        )
    return persons


def _organisation_name(
    rng: random.Random, *, index: int, city: str, brand: str, industry: str
) -> tuple[str, SubjectKind]:
    """``(name, subject kind)``: companies mostly; one in ten a partnership, sole proprietorship or branch."""
    place = CITY_NAMES[city]
    if index % 10 == 7:
        return rng.choice(
            (
                f"{place}{brand}投资管理合伙企业（有限合伙）",
                f"{place}{'市' if city != 'HN' else ''}{brand}{rng.choice(SHOPS)}（个人独资企业）",
                f"海南{brand}{industry}有限公司{'三亚' if city == 'HK' else '海口'}分公司",
            )
        ), SubjectKind.UNINCORPORATED
    suffix = "股份有限公司" if city == "HN" else "有限公司"
    return f"{place}{brand}{industry}{suffix}", SubjectKind.LEGAL_PERSON


def _organisations(rng: random.Random) -> list[SubjectSpec]:
    organisations, names, codes = [], set(), set()
    # Indexes chosen so each lands in its own city (see _department_of).
    special = {
        3: STATE_OWNED[0],
        32: STATE_OWNED[1],
        59: STATE_OWNED[2],
        25: PUBLIC_INSTITUTIONS[0],
        56: PUBLIC_INSTITUTIONS[1],
        79: PUBLIC_INSTITUTIONS[2],
    }
    for index in range(ORGANISATION_COUNT):
        department = _department_of(index)
        city = _city(department)
        industry, sector = rng.choice(INDUSTRIES)
        kind, ownership, authority_and_type = SubjectKind.LEGAL_PERSON, Ownership.PRIVATE, "91"
        if index in special:
            name, sector = special[index], "general"
            if name in STATE_OWNED:
                ownership = Ownership.STATE_OWNED
            else:  # registered by the establishment-administration authority (1), public institution (2)
                ownership, authority_and_type = Ownership.PUBLIC_INSTITUTION, "12"
        else:
            name = ""
            while not name or name in names:
                name, kind = _organisation_name(
                    rng, index=index, city=city, brand=rng.choice(BRANDS), industry=industry
                )
        names.add(name)
        code = ""
        while not code or code in codes:
            if authority_and_type == "12":
                code = organisation_code("4" + "".join(rng.choice("0123456789") for _ in range(7)))
            else:  # codes given since 2015 begin with MA
                code = organisation_code("MA5" + "".join(rng.choice(_ALPHABET[10:]) for _ in range(5)))
        codes.add(code)
        established = datetime.date(2003, 1, 1) + datetime.timedelta(days=rng.randrange(7300))  # to 2022
        organisations.append(
            SubjectSpec(
                key=PERSON_COUNT + index,
                kind=kind,
                name=name,
                id_type=IdentifierType.USCC,
                id_number=social_credit_code(
                    authority_and_type=authority_and_type, region=ORGANISATION_REGIONS[city], org_code=code
                ),
                department=department,
                address=_address(rng, city),
                ownership=ownership,
                sector=sector,
                established_on=established,
            )
        )
    return organisations


def _related(rng: random.Random, persons: list[SubjectSpec], organisations: list[SubjectSpec]) -> list[RelatedSpec]:
    """Legal representative for every organisation (R-REC-2); a principal for one in three, a controller for
    one in four. People come from the organisation's own department, in turn, so nobody represents many."""
    pools = {code: [p for p in persons if p.department == code] for code in {p.department for p in persons}}
    turn = {code: rng.randrange(len(pool)) for code, pool in sorted(pools.items())}
    links = []
    for organisation in organisations:
        assert organisation.established_on is not None  # noqa: S101 — every organisation has its founding date
        pool = pools[organisation.department]
        roles = [RelatedRole.LEGAL_REPRESENTATIVE]
        if organisation.key % 3 == 0:
            roles.append(RelatedRole.PRINCIPAL)
        if organisation.key % 4 == 1:
            roles.append(RelatedRole.ACTUAL_CONTROLLER)
        for role in roles:
            person = pool[turn[organisation.department] % len(pool)]
            turn[organisation.department] += 1
            since = organisation.established_on + datetime.timedelta(days=rng.randrange(0, 900))
            links.append(
                RelatedSpec(
                    organisation=organisation, person=person, role=role, since=min(since, datetime.date(2024, 12, 31))
                )
            )
    return links


def build_subjects(*, seed: int = SEED) -> tuple[list[SubjectSpec], list[SubjectSpec], list[RelatedSpec]]:
    """``(persons, organisations, related persons)``; identifiers unique and valid (R-CAT-8)."""
    rng = random.Random(seed)
    persons = _persons(rng)
    organisations = _organisations(rng)
    identifiers = [(s.id_type, s.id_number) for s in persons + organisations]
    if len(set(identifiers)) != len(identifiers):  # a duplicate would fail on the unique constraint
        raise AssertionError("Demo identifiers are not unique.")
    return persons, organisations, _related(rng, persons, organisations)
