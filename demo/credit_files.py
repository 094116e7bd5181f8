"""Demo credit files: subjects, their related persons, basis documents and credit records.

R-CAT-1: every record points at an item of the published catalog. R-REC-1 (HN 24): untrustworthy conduct is
recorded only on a legally effective basis document (a punishment decision, an administrative ruling, a
judgment); commendations need none. R-REC-2 (HN 25): organisations carry their legal representative.
R-DIS-1 (HN 27): disclosure runs from the determination, or from the end of ongoing conduct, for the item's
display maximum (at most 60 months for untrustworthiness): ``subjects.services.record_create`` computes it.
Records are generated from ``random.Random(SEED + 1)``.

Everything is written through ``subjects.services`` by the caseworker of the subject's department, as a person
entering it on the forms would: subjects by ``subject_create``, related persons by ``related_person_add``,
records (and their basis documents) by ``record_create``, which runs the lawful-data guard
(``catalog/guard.py``) before anything is saved.
"""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass

from subjects import services
from subjects.choices import BasisType, Ownership, RecordKind, RelatedRole, SubjectKind
from subjects.models import BasisDocument, CreditRecord, CreditSubject, RelatedPerson

from .helpers import REASON, Tally
from .identities import SEED, RelatedSpec, SubjectSpec
from .reference import CATALOG_ITEMS

RECORDED_SUBJECTS = 100
SECOND_RECORD_EVERY = 8
#: Determinations fall between 3 February 2025 and May 2026; nothing in the demo is dated after LAST_DAY.
FIRST_DAY = datetime.date(2025, 2, 3)
LAST_DAY = datetime.date(2026, 10, 31)

ITEMS = {spec["code"]: spec for spec in CATALOG_ITEMS}
SAMR_NAMES = {"HK-SAMR": "海口市市场监督管理局", "SY-SAMR": "三亚市市场监督管理局", "HN-SAMR": "海南省市场监督管理局"}
PLACE = {"HK-SAMR": "海口", "SY-SAMR": "三亚", "HN-SAMR": "琼"}
TAX_OFFICES = {
    "HK-SAMR": "国家税务总局海口市税务局",
    "SY-SAMR": "国家税务总局三亚市税务局",
    "HN-SAMR": "国家税务总局海南省税务局",
}
HR_OFFICES = {
    "HK-SAMR": "海口市人力资源和社会保障局",
    "SY-SAMR": "三亚市人力资源和社会保障局",
    "HN-SAMR": "海南省人力资源和社会保障厅",
}
#: ``(court, case-number code)`` by the subject's department.
COURTS = {
    "HK-SAMR": (("海口市龙华区人民法院", "琼0106"), ("海口市美兰区人民法院", "琼0108"), ("海口市中级人民法院", "琼01")),
    "SY-SAMR": (("三亚市城郊人民法院", "琼0271"), ("三亚市中级人民法院", "琼02")),
    "HN-SAMR": (("海南省第一中级人民法院", "琼96"), ("海口市中级人民法院", "琼01")),
}

#: Catalog items that fit a subject, with weights: what kind of conduct each kind of subject shows.
CHOICES = {
    "person": (("HN-NPF-001", 3), ("HN-PUB-001", 2), ("HN-COM-002", 3), ("HN-JUD-001", 1)),
    "food": (("HN-ADM-003", 6), ("HN-ADM-002", 1), ("HN-OTH-001", 1), ("HN-COM-001", 1), ("HN-PLG-001", 1)),
    "drugs": (("HN-ADM-004", 5), ("HN-ADM-002", 1), ("HN-PLG-001", 1)),
    "general": (
        ("HN-ADM-002", 3),
        ("HN-ARR-001", 2),
        ("HN-ARR-002", 2),
        ("HN-OTH-001", 2),
        ("HN-DEC-001", 1),
        ("HN-NPF-001", 1),
        ("HN-JUD-001", 1),
        ("HN-COM-001", 2),
        ("HN-PLG-001", 2),
    ),
    "public": (("HN-COM-001", 3), ("HN-PLG-001", 2), ("HN-ARR-002", 1)),
}

VIOLATIONS = {
    "HN-ADM-002": (
        "在经营活动中发布虚假广告",
        "销售不符合强制性国家标准的产品",
        "实施价格欺诈行为",
        "销售侵犯注册商标专用权的商品",
        "未经登记擅自使用特种设备（电梯）",
    ),
    "HN-ADM-003": (
        "经营超过保质期的食品",
        "未按规定对餐具、饮具进行清洗消毒",
        "生产经营标签不符合规定的预包装食品",
        "使用不符合食品安全标准的食品原料",
        "销售农药残留超标的蔬菜",
    ),
    "HN-ADM-004": ("未凭处方销售处方药", "销售劣药", "未按规定冷藏储存药品", "执业药师不在岗时销售处方药"),
    "HN-DEC-001": (
        "在办理变更登记时提交虚假的股东会决议",
        "在办理设立登记时提交虚假的住所使用证明",
        "冒用他人身份信息办理设立登记",
    ),
}
AMOUNTS = (5000, 8000, 10000, 20000, 30000, 50000, 80000, 100000, 150000, 200000)
#: Provincial honours for anyone; a city's own honours for its subjects.
HONOURS = (
    ("海南省人民政府", "海南省守合同重信用企业"),
    ("海南省市场监督管理局", "海南省放心消费示范单位"),
    ("国家税务总局海南省税务局", "纳税信用A级纳税人"),
)
CITY_HONOURS = {
    "HK-SAMR": (("海口市人民政府", "海口市文明单位"),),
    "SY-SAMR": (("三亚市人民政府", "三亚市诚信经营示范单位"),),
    "HN-SAMR": (),
}
PLEDGED_PERMITS = ("食品经营许可", "公共场所卫生许可", "建筑工程施工许可", "道路运输经营许可", "药品经营许可")


@dataclass(frozen=True)
class BasisSpec:
    basis_type: str
    number: str
    issuing_authority: str
    effective_on: datetime.date
    #: Always False in the demo: the guard refuses a punishment under the simplified procedure (R-CAT-3).
    simplified_procedure: bool = False


@dataclass(frozen=True)
class RecordSpec:
    subject: SubjectSpec
    item: str
    kind: str
    summary: str
    determined_on: datetime.date
    conduct_ended_on: datetime.date | None = None
    basis: BasisSpec | None = None


class _Numbers:
    """Document numbers per authority, format and year: increasing, so (authority, number) is unique."""

    def __init__(self, rng: random.Random) -> None:
        self._rng = rng
        self._last: dict[tuple[str, str, int], int] = {}

    def next(self, authority: str, template: str, year: int) -> str:
        key = (authority, template, year)
        self._last[key] = self._last.get(key, self._rng.randint(20, 180)) + self._rng.randint(1, 17)
        return template.format(year=year, n=self._last[key])


def _profile(subject: SubjectSpec) -> str:
    if subject.kind == SubjectKind.NATURAL_PERSON:
        return "person"
    return "public" if subject.ownership != Ownership.PRIVATE else subject.sector


def _basis(
    rng: random.Random, numbers: _Numbers, *, item: str, subject: SubjectSpec, effective_on: datetime.date
) -> BasisSpec:
    """The effective document an untrustworthy record stands on (R-REC-1; HN 24)."""
    dept, year = subject.department, effective_on.year
    if item in {"HN-ADM-002", "HN-ADM-003", "HN-ADM-004", "HN-DEC-001"}:
        authority, basis_type = SAMR_NAMES[dept], BasisType.PUNISHMENT_DECISION
        template = PLACE[dept] + "市监罚〔{year}〕{n}号"
    elif item == "HN-OTH-001":
        authority, basis_type = SAMR_NAMES[dept], BasisType.ADMINISTRATIVE_RULING
        template = PLACE[dept] + "市监异〔{year}〕{n}号"
    elif item == "HN-ARR-001":
        authority, basis_type = TAX_OFFICES[dept], BasisType.ADMINISTRATIVE_RULING
        template = PLACE[dept] + "税通〔{year}〕{n}号"
    elif item == "HN-ARR-002":
        authority, basis_type = HR_OFFICES[dept], BasisType.ADMINISTRATIVE_RULING
        template = PLACE[dept] + "人社限缴〔{year}〕{n}号"
    else:  # judicial: a ruling on the Judgment Defaulters List, or a civil judgment
        authority, code = rng.choice(COURTS[dept])
        basis_type = BasisType.JUDGMENT
        template = "（{year}）" + code + ("执{n}号" if item == "HN-NPF-001" else "民初{n}号")
    return BasisSpec(
        basis_type=basis_type,
        number=numbers.next(authority, template, year),
        issuing_authority=authority,
        effective_on=effective_on,
    )


def _summary(
    rng: random.Random,
    *,
    item: str,
    subject: SubjectSpec,
    basis: BasisSpec | None,
    day: datetime.date,
    ended: datetime.date | None,
) -> str:
    name, amount = subject.name, rng.choice(AMOUNTS)
    # An untrustworthy record's summary cites its basis document; a trustworthy one has none (R-REC-1).
    issuer, number = (basis.issuing_authority, basis.number) if basis else ("", "")
    if item in VIOLATIONS:
        penalty = (
            "撤销相关登记，并处罚款"
            if item == "HN-DEC-001"
            else rng.choice(("警告，并处罚款", "没收违法所得，并处罚款", "罚款"))
        )
        return (
            f"{name}{rng.choice(VIOLATIONS[item])}，{issuer}依法作出行政处罚决定"
            f"（{number}）：{penalty}人民币{amount}元。"
        )
    if item == "HN-OTH-001":
        reason = rng.choice((f"未按规定期限公示{day.year - 1}年度报告", "通过登记的住所或者经营场所无法联系"))
        return f"{name}{reason}，{issuer}决定将其列入经营异常名录（{number}）。"
    if item in {"HN-ARR-001", "HN-ARR-002"}:
        what = (
            rng.choice(("增值税", "企业所得税", "城镇土地使用税"))
            if item == "HN-ARR-001"
            else f"{day.year - 1}年度职工社会保险费"
        )
        text = f"{name}欠缴{what}人民币{amount}元，经{issuer}责令限期缴纳（{number}），逾期仍未缴纳。"
        return text + (f"已于{ended.year}年{ended.month}月{ended.day}日缴清。" if ended else "")
    if item == "HN-NPF-001":
        return (
            f"{name}有履行能力而拒不履行{issuer}{number}执行案件中生效法律文书确定的"
            f"给付义务（执行标的人民币{amount}元），被依法纳入失信被执行人名单。"
        )
    if item == "HN-PUB-001":
        return (
            f"{name}拖欠{rng.choice(('供水', '供电', '管道燃气'))}费用共计人民币{amount // 10}元，"
            f"经{issuer}{number}民事判决确认后仍未支付。"
        )
    if item == "HN-JUD-001":
        dispute = rng.choice(("买卖合同纠纷", "房屋租赁合同纠纷", "建设工程施工合同纠纷", "民间借贷纠纷"))
        return (
            f"{name}因{dispute}经{issuer}{number}民事判决认定承担违约责任，应支付人民币{amount}元，判决已发生法律效力。"
        )
    if item == "HN-COM-001":
        authority, title = rng.choice(HONOURS + CITY_HONOURS[subject.department])
        return f"{name}于{day.year}年{day.month}月被{authority}认定为“{title}”。"
    if item == "HN-COM-002":
        return (
            f"{name}累计参加志愿服务{rng.randint(120, 900)}小时，于{day.year}年{day.month}月被认定为"
            f"{rng.choice(('三', '四', '五'))}星级志愿者。"
        )
    return f"{name}在申请{rng.choice(PLEDGED_PERMITS)}时作出信用承诺，已在承诺期限内全部履行。"


def _record(rng: random.Random, numbers: _Numbers, *, subject: SubjectSpec, item: str) -> RecordSpec:
    spec = ITEMS[item]
    effective_on = FIRST_DAY + datetime.timedelta(days=rng.randrange(470))  # to mid-May 2026
    determined_on = effective_on + datetime.timedelta(days=rng.randrange(8))
    if not spec.get("is_untrustworthy"):  # trustworthy: no basis document needed (R-REC-1, R-REC-5)
        return RecordSpec(
            subject=subject,
            item=item,
            kind=RecordKind.TRUSTWORTHY,
            determined_on=determined_on,
            summary=_summary(rng, item=item, subject=subject, basis=None, day=determined_on, ended=None),
        )
    basis = _basis(rng, numbers, item=item, subject=subject, effective_on=effective_on)
    # Arrears paid later: ongoing conduct, counted from the day it ended (R-DIS-1; HN 27). Never after
    # LAST_DAY, so the demo holds no payment dated in the future of when it was written.
    ended = None
    if item in {"HN-ARR-001", "HN-ARR-002"} and rng.random() < 0.5:
        ended = min(determined_on + datetime.timedelta(days=rng.randrange(30, 200)), LAST_DAY)
    return RecordSpec(
        subject=subject,
        item=item,
        kind=RecordKind.UNTRUSTWORTHY,
        determined_on=determined_on,
        conduct_ended_on=ended,
        basis=basis,
        summary=_summary(rng, item=item, subject=subject, basis=basis, day=determined_on, ended=ended),
    )


def build_records(*, subjects: list[SubjectSpec], seed: int = SEED + 1) -> list[RecordSpec]:
    """Records for ``RECORDED_SUBJECTS`` subjects, half persons, half organisations; every eighth gets two."""
    rng = random.Random(seed)
    numbers = _Numbers(rng)
    records = []
    persons = [s for s in subjects if s.kind == SubjectKind.NATURAL_PERSON]
    organisations = [s for s in subjects if s.kind != SubjectKind.NATURAL_PERSON]
    half = RECORDED_SUBJECTS // 2
    chosen = sorted(
        rng.sample(persons, half) + rng.sample(organisations, RECORDED_SUBJECTS - half), key=lambda s: s.key
    )
    for position, subject in enumerate(chosen):
        options = CHOICES[_profile(subject)]
        codes, weights = [code for code, _w in options], [w for _code, w in options]
        first = rng.choices(codes, weights=weights)[0]
        records.append(_record(rng, numbers, subject=subject, item=first))
        if position % SECOND_RECORD_EVERY == 0 and len(codes) > 1:
            second = rng.choice([code for code in codes if code != first])
            records.append(_record(rng, numbers, subject=subject, item=second))
    return records


def seed_subjects(
    *, subjects: list[SubjectSpec], departments: dict, recorders: dict, tally: Tally
) -> dict[int, CreditSubject]:
    """The credit subjects by spec key, registered by the caseworker of their department through
    ``subject_create``, which checks the identifier (R-CAT-8) and the caseworker's department."""
    digests = {spec.key: CreditSubject.digest_of(spec.id_number) for spec in subjects}
    existing = {(s.id_type, s.id_digest): s for s in CreditSubject.objects.filter(id_digest__in=list(digests.values()))}
    rows = {}
    for spec in subjects:
        row = existing.get((spec.id_type, digests[spec.key]))
        tally.add(CreditSubject, created=row is None)
        if row is None:
            row = services.subject_create(
                actor=recorders[spec.department],
                department=departments[spec.department],
                reason=REASON,
                kind=spec.kind,
                name=spec.name,
                id_type=spec.id_type,
                id_number=spec.id_number,
                ownership=spec.ownership,
                address=spec.address,
            )
        rows[spec.key] = row
    return rows


def seed_related_persons(
    *, links: list[RelatedSpec], rows: dict[int, CreditSubject], recorders: dict, tally: Tally
) -> None:
    """Legal representatives and other responsible persons of the organisations (R-REC-2; HN 25), noted by
    the caseworker of the organisation's department through ``related_person_add`` (scoped, dated)."""
    existing = set(
        RelatedPerson.objects.filter(
            organisation__in=[rows[link.organisation.key] for link in links], until__isnull=True
        ).values_list("organisation_id", "person_id", "role")
    )
    for link in links:
        organisation, person = rows[link.organisation.key], rows[link.person.key]
        created = (organisation.pk, person.pk, link.role) not in existing
        if created:
            services.related_person_add(
                organisation=organisation,
                person=person,
                role=link.role,
                since=link.since,
                actor=recorders[link.organisation.department],
                reason=REASON,
            )
        tally.add(RelatedPerson, created=created)


def _record_key(*, subject_id: int, item_id: int, basis: tuple[str, str] | None, determined_on) -> tuple:
    """A record's natural key: (subject, item, basis document), or (subject, item, date) without a basis."""
    return (subject_id, item_id, basis) if basis else (subject_id, item_id, determined_on)


def seed_records(
    *, records: list[RecordSpec], rows: dict[int, CreditSubject], items: dict, recorders: dict, tally: Tally
) -> None:
    """Records entered by the caseworker of the subject's department through ``record_create``, so each
    passes the lawful-data guard (R-CAT-1 published item, R-CAT-3, R-CAT-4, R-REC-1 basis document) and the
    date checks, and its disclosure period is the service's (R-DIS-1). Dates are all before ``LAST_DAY``.
    """
    existing = set()
    for record in CreditRecord.objects.filter(subject__in=list(rows.values())).select_related("basis_document"):
        document = record.basis_document
        existing.add(
            _record_key(
                subject_id=record.subject_id,
                item_id=record.catalog_item_id,
                basis=(document.issuing_authority, document.number) if document else None,
                determined_on=record.determined_on,
            )
        )
    for spec in records:
        subject, item = rows[spec.subject.key], items[spec.item]
        key = _record_key(
            subject_id=subject.pk,
            item_id=item.pk,
            determined_on=spec.determined_on,
            basis=(spec.basis.issuing_authority, spec.basis.number) if spec.basis else None,
        )
        created = key not in existing
        if created:
            basis = None
            if spec.basis is not None:
                basis = {
                    "basis_type": spec.basis.basis_type,
                    "number": spec.basis.number,
                    "issuing_authority": spec.basis.issuing_authority,
                    "effective_on": spec.basis.effective_on,
                    "simplified_procedure": spec.basis.simplified_procedure,
                }
            services.record_create(
                actor=recorders[spec.subject.department],
                subject=subject,
                catalog_item=item,
                summary=spec.summary,
                determined_on=spec.determined_on,
                conduct_ended_on=spec.conduct_ended_on,
                basis=basis,
                reason=REASON,
            )
        if spec.basis is not None:  # written by record_create with its record (R-REC-1)
            tally.add(BasisDocument, created=created)
        tally.add(CreditRecord, created=created)


#: How many legal representatives in Haikou sign a confirmation of electronic service in the demo (issue 22): they
#: can sign in to the subject portal, for themselves and for their company, with the code printed on the console.
DEMO_CONSENTS = 3


def seed_service_consents(*, links: list[RelatedSpec], rows: dict[int, CreditSubject], recorders: dict, tally: Tally):
    """The first legal representatives of Haikou companies consent to electronic service (APL art. 61), recorded as
    the caseworker would, with a one-page signed confirmation, at ``demo-<number's last four>@example.cn``."""
    from django.core.files.base import ContentFile

    from subjects.models import ServiceConsent

    chosen = [
        link
        for link in links
        if link.role == RelatedRole.LEGAL_REPRESENTATIVE and link.organisation.department == "HK-SAMR"
    ][:DEMO_CONSENTS]
    for link in chosen:
        person = rows[link.person.key]
        created = not ServiceConsent.objects.filter(subject=person, withdrawn_at__isnull=True).exists()
        if created:
            services.service_consent_register(
                subject=person,
                actor=recorders["HK-SAMR"],
                reason=REASON,
                address=f"demo-{link.person.id_number[-4:].lower()}@example.cn",
                consented_on=link.since,
                confirmation=ContentFile(b"%PDF-1.4\n% demo confirmation\n", name="送达地址确认书.pdf"),
            )
        tally.add(ServiceConsent, created=created)
