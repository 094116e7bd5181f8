"""The published reference data records stand on: the catalog, measure lists and designation standards.

R-CAT-1 (a record only against a published item; drafted, approved by someone else, published), R-CAT-2 (each
item states conduct, provider, source, character, openness, display period, update frequency), R-CAT-6
(standards published after a comment period of at least 30 days, with removal conditions, procedure and
remedies), R-CAT-7 (measures only from the published national basic or local supplemental list, each with its
legal clause and duration), R-DIS-1 (untrustworthiness shown for at most 60 months in HN).

Everything here is written through ``catalog.services`` by the people who would do it: ``hn-caseworker`` of
the provincial credit authority drafts, ``hn-supervisor`` approves and publishes (four eyes). The services'
workflow guards run on the real past dates of each act (``now=``), so nothing is published without its
approval or its comment period.
"""

from __future__ import annotations

import datetime

from catalog import services
from catalog.choices import (
    CatalogCategory,
    Character,
    DisclosureMode,
    InfoClass,
    MeasureListKind,
    MeasureScope,
    Sector,
    SeriousCategory,
)
from catalog.models import (
    CatalogItem,
    CatalogVersion,
    DesignationStandard,
    MeasureList,
    PunishmentMeasure,
    RewardMeasure,
)
from creditportal.choices import Jurisdiction

from .helpers import REASON, Tally, aware

JURISDICTION = Jurisdiction.HN
REGULATION = "《海南自由贸易港社会信用条例》"
CATALOG_BASIS = f"{REGULATION}第十一条、第十二条"
#: The demo catalog version's title: its natural key (the number is the service's to give).
CATALOG_TITLE = "海南自由贸易港公共信用信息补充目录（2025年版）"

#: Drafted, approved by another person, then published (R-CAT-1).
APPROVED_AT = aware(2025, 1, 10, 15, 30)
PUBLISHED_AT = aware(2025, 1, 15, 9, 0)

#: Classed as the sectors classify them (R-NAT-1): penalties and arrears general; a judgment establishing unlawful
#: conduct serious. Records determined from 2026-04-01 are shown within their class's period (R-NAT-2).
_UNTRUSTWORTHY = {
    "is_untrustworthy": True,
    "info_class": InfoClass.GENERAL,
    "character": Character.PUBLIC,
    "disclosure_mode": DisclosureMode.PUBLIC_ANNOUNCEMENT,
}
_PUNISHMENT = {**_UNTRUSTWORTHY, "is_administrative_punishment": True, "update_frequency": "作出决定后7个工作日内"}

#: ``provider`` is a department code. Untrustworthiness is shown for at most 60 months (R-DIS-1; HN 27).
CATALOG_ITEMS: tuple[dict, ...] = (
    {
        "code": "HN-REG-001",
        "name": "市场主体登记注册信息",
        "category": CatalogCategory.REGISTRATION,
        "conduct": "企业、农民专业合作社等市场主体的设立、变更、注销登记及年度报告公示信息。",
        "provider": "HN-SAMR",
        "data_source": "海南省市场主体登记管理系统",
        "character": Character.PUBLIC,
        "disclosure_mode": DisclosureMode.PUBLIC_ANNOUNCEMENT,
        "display_max_months": 120,
        "update_frequency": "实时",
        "legal_basis": f"《中华人民共和国市场主体登记管理条例》第三条；{CATALOG_BASIS}",
    },
    {
        "code": "HN-REG-002",
        "name": "个体工商户登记信息",
        "category": CatalogCategory.REGISTRATION,
        "conduct": "个体工商户的登记事项及经营者信息（经营者身份信息脱敏展示）。",
        "provider": "HN-SAMR",
        "data_source": "海南省市场主体登记管理系统",
        "character": Character.PUBLIC,
        "disclosure_mode": DisclosureMode.PUBLIC_ANNOUNCEMENT,
        "display_max_months": 120,
        "personal_information": True,
        "update_frequency": "实时",
        "legal_basis": f"《促进个体工商户发展条例》第十条；{CATALOG_BASIS}",
    },
    {
        "code": "HN-COM-001",
        "name": "表彰奖励信息",
        "category": CatalogCategory.COMMENDATION,
        "conduct": "市场主体受到县级以上人民政府及其部门表彰、奖励的信息。",
        "provider": "HN-DRC",
        "data_source": "作出表彰奖励的人民政府及其部门",
        "character": Character.PUBLIC,
        "disclosure_mode": DisclosureMode.PUBLIC_ANNOUNCEMENT,
        "display_max_months": 120,
        "update_frequency": "作出决定后20个工作日内",
        "legal_basis": f"{REGULATION}第十八条、第十九条；{CATALOG_BASIS}",
    },
    {
        "code": "HN-COM-002",
        "name": "志愿服务及慈善捐赠信息",
        "category": CatalogCategory.COMMENDATION,
        "conduct": "自然人参加志愿服务的时长、星级认定及慈善捐赠信息（本人申请后可隐藏或删除）。",
        "provider": "HN-DRC",
        "data_source": "海南志愿服务信息系统、慈善组织",
        "character": Character.NON_PUBLIC,
        "disclosure_mode": DisclosureMode.AUTHORISED_INQUIRY,
        "display_max_months": 120,
        "personal_information": True,
        "update_frequency": "每季度",
        "legal_basis": f"《志愿服务条例》第二十二条；{REGULATION}第十九条；{CATALOG_BASIS}",
    },
    {
        "code": "HN-PLG-001",
        "name": "信用承诺及履约信息",
        "category": CatalogCategory.PLEDGE,
        "conduct": "市场主体在办理行政许可等事项中作出的信用承诺及其履行情况。",
        "provider": "HN-DRC",
        "data_source": "海南省信用信息共享平台信用承诺系统",
        "character": Character.PUBLIC,
        "disclosure_mode": DisclosureMode.PUBLIC_ANNOUNCEMENT,
        "display_max_months": 36,
        "update_frequency": "每月",
        "legal_basis": f"{REGULATION}第十三条；{CATALOG_BASIS}",
    },
    {
        "code": "HN-ADM-001",
        "name": "行政许可信息",
        "category": CatalogCategory.ADMINISTRATIVE,
        "conduct": "行政机关依法作出的行政许可决定信息（许可证件名称、编号、有效期）。",
        "provider": "HN-SAMR",
        "data_source": "各级行政许可实施机关",
        "character": Character.PUBLIC,
        "disclosure_mode": DisclosureMode.PUBLIC_ANNOUNCEMENT,
        "display_max_months": 60,
        "update_frequency": "作出决定后7个工作日内",
        "legal_basis": f"《中华人民共和国行政许可法》第四十条；{CATALOG_BASIS}",
    },
    {
        "code": "HN-ADM-002",
        "name": "行政处罚信息（一般程序）",
        "category": CatalogCategory.ADMINISTRATIVE,
        "conduct": "市场监管部门按照一般程序作出的行政处罚决定信息（适用简易程序的不予归集）。",
        "provider": "HN-SAMR",
        "data_source": "市场监管部门行政处罚案件办理系统",
        **_PUNISHMENT,
        "display_min_months": 6,
        "display_max_months": 36,
        "legal_basis": f"《中华人民共和国行政处罚法》第四十八条；{REGULATION}第二十四条、第二十七条；{CATALOG_BASIS}",
    },
    {
        "code": "HN-ADM-003",
        "name": "食品安全行政处罚信息",
        "category": CatalogCategory.ADMINISTRATIVE,
        "conduct": "食品生产经营者违反食品安全法律法规被处以行政处罚的信息。",
        "provider": "HN-SAMR",
        "data_source": "市场监管部门行政处罚案件办理系统",
        **_PUNISHMENT,
        "sector": Sector.FOOD,
        "display_min_months": 12,
        "display_max_months": 36,
        "legal_basis": f"《中华人民共和国食品安全法》第一百二十二条至第一百二十六条；{REGULATION}第二十四条；{CATALOG_BASIS}",
    },
    {
        "code": "HN-ADM-004",
        "name": "药品安全行政处罚信息",
        "category": CatalogCategory.ADMINISTRATIVE,
        "conduct": "药品经营者违反药品管理法律法规被处以行政处罚的信息。",
        "provider": "HN-SAMR",
        "data_source": "药品监管部门行政处罚案件办理系统",
        **_PUNISHMENT,
        "sector": Sector.DRUGS,
        "display_min_months": 12,
        "display_max_months": 36,
        "legal_basis": f"《中华人民共和国药品管理法》第一百一十七条、第一百二十六条；{REGULATION}第二十四条；{CATALOG_BASIS}",
    },
    {
        "code": "HN-PUB-001",
        "name": "公用事业费用欠缴信息",
        "category": CatalogCategory.PUBLIC_SERVICE,
        "conduct": "经生效判决确认，恶意拖欠供水、供电、供气费用的信息。",
        "provider": "HN-DRC",
        "data_source": "供水、供电、供气企业",
        "is_untrustworthy": True,
        "info_class": InfoClass.GENERAL,
        "character": Character.NON_PUBLIC,
        "disclosure_mode": DisclosureMode.AUTHORISED_INQUIRY,
        "display_max_months": 36,
        "personal_information": True,
        "update_frequency": "每月",
        "legal_basis": f"{REGULATION}第十二条、第二十四条第一项；{CATALOG_BASIS}",
    },
    {
        "code": "HN-JUD-001",
        "name": "生效裁判文书和仲裁裁决信息",
        "category": CatalogCategory.JUDICIAL,
        "conduct": "认定市场主体违约、侵权等违法事实的生效民事判决书、仲裁裁决书信息。",
        "provider": "HN-COURT",
        "data_source": "人民法院、仲裁机构",
        "is_untrustworthy": True,
        "info_class": InfoClass.SERIOUS,
        "character": Character.PUBLIC,
        "disclosure_mode": DisclosureMode.GOVERNMENT_SHARING,
        "display_max_months": 60,
        "update_frequency": "每月",
        "legal_basis": f"{REGULATION}第二十四条第一项；{CATALOG_BASIS}",
    },
    {
        "code": "HN-ARR-001",
        "name": "欠缴税款信息",
        "category": CatalogCategory.ARREARS,
        "conduct": "纳税人逾期未缴纳税款，经税务机关责令限期缴纳后仍未缴纳的信息。",
        "provider": "HN-DRC",
        "data_source": "国家税务总局海南省税务局",
        **_UNTRUSTWORTHY,
        "display_max_months": 60,
        "update_frequency": "每季度",
        "legal_basis": f"《中华人民共和国税收征收管理法》第四十五条；{REGULATION}第二十四条；{CATALOG_BASIS}",
    },
    {
        "code": "HN-ARR-002",
        "name": "欠缴社会保险费信息",
        "category": CatalogCategory.ARREARS,
        "conduct": "用人单位未按时足额缴纳社会保险费，经责令限期缴纳后仍未缴纳的信息。",
        "provider": "HN-DRC",
        "data_source": "海南省社会保险服务中心",
        **_UNTRUSTWORTHY,
        "display_max_months": 36,
        "update_frequency": "每月",
        "legal_basis": f"《中华人民共和国社会保险法》第八十六条；{REGULATION}第二十四条；{CATALOG_BASIS}",
    },
    {
        "code": "HN-NPF-001",
        "name": "失信被执行人信息",
        "category": CatalogCategory.NON_PERFORMANCE,
        "conduct": "有履行能力而拒不履行生效法律文书确定义务，被人民法院纳入失信被执行人名单的信息。",
        "provider": "HN-COURT",
        "data_source": "最高人民法院失信被执行人名单",
        **_UNTRUSTWORTHY,
        "display_max_months": 60,
        "personal_information": True,
        "update_frequency": "每日",
        "legal_basis": (
            "《中华人民共和国民事诉讼法》第二百六十六条；《最高人民法院关于公布失信被执行人名单信息的若干规定》"
            f"第一条；{REGULATION}第二十四条第一项；{CATALOG_BASIS}"
        ),
    },
    {
        "code": "HN-DEC-001",
        "name": "提供虚假材料骗取登记信息",
        "category": CatalogCategory.DECEPTION,
        "conduct": "提交虚假材料或者采取其他欺诈手段隐瞒重要事实取得市场主体登记的信息。",
        "provider": "HN-SAMR",
        "data_source": "市场监管部门行政处罚案件办理系统",
        **_PUNISHMENT,
        "display_min_months": 6,
        "display_max_months": 36,
        "legal_basis": f"《中华人民共和国市场主体登记管理条例》第四十四条；{REGULATION}第二十四条；{CATALOG_BASIS}",
    },
    {
        "code": "HN-OTH-001",
        "name": "列入经营异常名录信息",
        "category": CatalogCategory.OTHER,
        "conduct": "市场主体未按规定报送年度报告或者通过登记的住所无法联系，被列入经营异常名录的信息。",
        "provider": "HN-SAMR",
        "data_source": "国家企业信用信息公示系统（海南）",
        **_UNTRUSTWORTHY,
        "display_max_months": 36,
        "update_frequency": "作出决定后20个工作日内",
        "legal_basis": f"《企业信息公示暂行条例》第十七条；《经营异常名录管理办法》第四条；{CATALOG_BASIS}",
    },
)

MEASURE_LISTS: tuple[dict, ...] = (
    {
        "kind": MeasureListKind.PUNISHMENT,
        "scope": MeasureScope.NATIONAL,
        "title": "全国失信惩戒措施基础清单（海南自由贸易港实施版）",
        "measures": (
            ("NB-01", "依法限制参加政府采购活动", "《中华人民共和国政府采购法》第二十二条第一款第五项、第七十七条", 36),
            ("NB-02", "依法限制参与招标投标活动", "《中华人民共和国招标投标法》第五十四条", 36),
            (
                "NB-03",
                "限制高消费及非生活和工作必需的消费（含乘坐飞机、列车软卧）",
                "《中华人民共和国民事诉讼法》第二百六十六条；《最高人民法院关于限制被执行人高消费及有关消费的若干规定》第三条",
                60,
            ),
            (
                "NB-04",
                "限制担任公司的法定代表人、董事、监事、高级管理人员",
                "《中华人民共和国公司法》第一百七十八条第一款第五项",
                60,
            ),
            (
                "NB-05",
                "限制申请政府补贴资金和社会保障资金支持",
                "《国务院关于建立完善守信联合激励和失信联合惩戒制度加快推进社会诚信建设的指导意见》（国发〔2016〕33号）",
                36,
            ),
            (
                "NB-06",
                "依法禁止从事食品生产经营管理工作，禁止担任食品生产经营企业食品安全管理人员",
                "《中华人民共和国食品安全法》第一百三十五条第一款",
                60,
            ),
        ),
    },
    {
        "kind": MeasureListKind.PUNISHMENT,
        "scope": MeasureScope.LOCAL,
        "title": "海南自由贸易港失信惩戒措施补充清单",
        "measures": (
            ("LS-01", "在日常监管中列为重点监管对象，提高抽查比例和频次", f"{REGULATION}第二十二条第一款第二项", 36),
            ("LS-02", "限制享受政府优惠政策支持，限制申报政府投资项目", f"{REGULATION}第二十二条第一款第五项", 36),
            ("LS-03", "限制参加评先评优，撤销相关荣誉称号", f"{REGULATION}第二十二条第一款第六项", 36),
        ),
    },
    {
        "kind": MeasureListKind.REWARD,
        "scope": MeasureScope.LOCAL,
        "title": "海南自由贸易港守信激励措施清单",
        "measures": (
            ("RW-01", "在行政管理和公共服务中给予优先办理、简化程序等便利服务", f"{REGULATION}第十九条第一项"),
            ("RW-02", "在日常监管中降低抽查比例和频次，更多采用非现场检查方式", f"{REGULATION}第十九条第三项"),
            ("RW-03", "同等条件下在实施财政性资金项目和政府优惠政策中列为优先选择对象", f"{REGULATION}第十九条第四项"),
        ),
    },
)

#: Under the revised Administrative Reconsideration Law (in force 2024-01-01) a department's decision is
#: reviewed by the people's government at the department's level.
REMEDIES = (
    "当事人对列入决定不服的，可以自收到决定书之日起六十日内依法向作出决定的部门的本级人民政府申请行政复议，"
    "或者自知道或者应当知道作出决定之日起六个月内依法向人民法院提起行政诉讼。"
)

#: Comment periods end at least 30 days after they start, long before publication (R-CAT-6; NDRC 7).
STANDARDS: tuple[dict, ...] = (
    {
        "code": "HN-DS-2025-01",
        "title": "食品药品安全领域严重失信主体名单认定标准",
        "sector": "食品药品安全",
        "serious_category": SeriousCategory.PUBLIC_SAFETY,
        "conduct_criteria": (
            "有下列情形之一的，列入严重失信主体名单：（一）因食品安全违法行为被处以责令停产停业、吊销许可证件、"
            "较大数额罚款等较重行政处罚，严重危害人民群众身体健康的；（二）生产、销售假药、劣药，被处以较重行政处罚的；"
            "（三）因食品、药品安全违法行为一年内受到两次以上行政处罚的。"
        ),
        "legal_basis": (
            "《中华人民共和国食品安全法》第一百二十二条、第一百三十四条；《中华人民共和国药品管理法》第一百一十七条；"
            f"《市场监督管理严重违法失信名单管理办法》第五条、第六条；{REGULATION}第二十条、第二十一条"
        ),
        "measures": ("NB-01", "NB-05", "NB-06", "LS-01", "LS-02", "LS-03"),
        "removal_conditions": (
            "列入名单满三年且未再发生同类违法行为的，移出名单；已履行行政处罚决定规定的义务，"
            "纠正违法行为、消除不良影响并经信用修复审核同意的，可以提前移出。"
        ),
        "listing_max_months": 36,
        "removal_procedure": (
            "当事人向认定部门提交书面申请及履行义务的证明材料；认定部门在受理时承诺的办理期限内核实，"
            "作出是否移出的决定并书面告知当事人；决定移出的，三个工作日内更新信用信息共享平台并停止惩戒措施。"
        ),
        "comment_starts_on": datetime.date(2025, 2, 10),
        "comment_ends_on": datetime.date(2025, 3, 14),
        "published_at": aware(2025, 4, 1, 10, 0),
    },
    {
        "code": "HN-DS-2025-02",
        "title": "拒不履行生效法律文书严重失信主体名单认定标准",
        "sector": "司法执行",
        "serious_category": SeriousCategory.NON_PERFORMANCE,
        "conduct_criteria": (
            "有履行能力而拒不履行人民法院生效判决、裁定确定的义务，被人民法院依法纳入失信被执行人名单的，"
            "列入严重失信主体名单；以伪造证据、暴力、威胁等方法妨碍、抗拒执行的，从重认定。"
        ),
        "legal_basis": (
            "《中华人民共和国民事诉讼法》第二百六十六条；《最高人民法院关于公布失信被执行人名单信息的若干规定》"
            f"第一条、第二条；{REGULATION}第二十条、第二十一条"
        ),
        "measures": ("NB-02", "NB-03", "NB-04", "LS-02", "LS-03"),
        "removal_conditions": (
            "已全部履行生效法律文书确定的义务，或者与申请执行人达成执行和解协议并经申请执行人确认履行完毕，"
            "或者人民法院依法删除失信被执行人名单信息的，移出名单。"
        ),
        "removal_procedure": (
            "人民法院删除失信被执行人名单信息后，认定部门自收到信息之日起三个工作日内移出名单，"
            "停止惩戒措施并书面告知当事人。"
        ),
        "comment_starts_on": datetime.date(2025, 2, 10),
        "comment_ends_on": datetime.date(2025, 3, 14),
        "published_at": aware(2025, 4, 1, 10, 0),
    },
)


def _aware_on(day: datetime.date) -> datetime.datetime:
    """The moment a person acted on ``day``: 09:00 in Asia/Shanghai."""
    return aware(day.year, day.month, day.day)


def seed_catalog(
    *,
    drafter,
    approver,
    departments: dict,
    tally: Tally,
    title: str = CATALOG_TITLE,
    specs: tuple[dict, ...] = CATALOG_ITEMS,
) -> dict[str, CatalogItem]:
    """Catalog HN v1 (R-CAT-1, R-CAT-2; HN 11, HL 18): drafted by ``drafter`` item by item, approved by another
    person, ``approver``, then published, through ``catalog.services`` as the catalog pages do. The services
    check each item's display period against the HN profile (R-DIS-1: at most 60 months)."""
    version = CatalogVersion.objects.filter(jurisdiction=JURISDICTION, title=title).first()
    if version is not None:
        tally.add(CatalogVersion, created=False)
        items = {item.code: item for item in version.items.select_related("version")}
        for _item in items.values():
            tally.add(CatalogItem, created=False)
        return items
    version = services.catalog_version_create(actor=drafter, jurisdiction=JURISDICTION, title=title, reason=REASON)
    tally.add(CatalogVersion, created=True)
    for spec in specs:
        data = {k: v for k, v in spec.items() if k not in {"code", "provider"}}
        data.update(code=spec["code"], providing_department=departments[spec["provider"]])
        services.catalog_item_save(actor=drafter, version=version, data=data, reason=REASON)
        tally.add(CatalogItem, created=True)
    services.published_list_approve(obj=version, actor=approver, reason=REASON, now=APPROVED_AT)
    services.published_list_publish(obj=version, actor=approver, reason=REASON, now=PUBLISHED_AT)
    # Read back after publishing: the guard checks each item's version as it is now (R-CAT-1).
    return {item.code: item for item in version.items.select_related("version")}


def seed_measure_lists(*, drafter, approver, tally: Tally) -> dict[str, PunishmentMeasure]:
    """The national basic and local supplemental punishment lists and the reward list (R-CAT-7; HN 19-23):
    drafted measure by measure (each with its legal clause and duration), approved by another person,
    published."""
    lists = []
    for spec in MEASURE_LISTS:
        model = PunishmentMeasure if spec["kind"] == MeasureListKind.PUNISHMENT else RewardMeasure
        measure_list = MeasureList.objects.filter(
            jurisdiction=JURISDICTION, kind=spec["kind"], scope=spec["scope"], title=spec["title"]
        ).first()
        if measure_list is not None:
            lists.append(measure_list)
            tally.add(MeasureList, created=False)
            for _measure in model.objects.filter(measure_list=measure_list):
                tally.add(model, created=False)
            continue
        measure_list = services.measure_list_create(
            actor=drafter,
            jurisdiction=JURISDICTION,
            kind=spec["kind"],
            scope=spec["scope"],
            title=spec["title"],
            reason=REASON,
        )
        lists.append(measure_list)
        tally.add(MeasureList, created=True)
        for code, text, clause, *duration in spec["measures"]:
            data = {"code": code, "text": text, "legal_clause": clause}
            if duration:
                data["max_duration_months"] = duration[0]
            services.measure_save(actor=drafter, measure_list=measure_list, data=data, reason=REASON)
            tally.add(model, created=True)
        services.published_list_approve(obj=measure_list, actor=approver, reason=REASON, now=APPROVED_AT)
        services.published_list_publish(obj=measure_list, actor=approver, reason=REASON, now=PUBLISHED_AT)
    # Read back after publishing: the standards check each measure's list as it is now (R-CAT-7).
    return {
        measure.code: measure
        for measure in PunishmentMeasure.objects.filter(measure_list__in=lists).select_related("measure_list")
    }


def seed_standards(*, drafter, approver, measures: dict, tally: Tally) -> None:
    """The designation standards (R-CAT-6; NDRC 7): drafted with measures of the published lists (R-CAT-7),
    opened for public comment on the day the comment period starts, and published by another person after the
    announced period (at least 30 days) has ended. ``now`` is the real past day of each act, so the workflow's
    comment-period guards run on the real dates rather than being skipped."""
    for spec in STANDARDS:
        if DesignationStandard.objects.filter(jurisdiction=JURISDICTION, code=spec["code"]).exists():
            tally.add(DesignationStandard, created=False)
            continue
        data = {k: v for k, v in spec.items() if k in services.STANDARD_FIELDS}
        data["remedies"] = REMEDIES
        standard = services.standard_save(
            actor=drafter,
            data=data,
            reason=REASON,
            jurisdiction=JURISDICTION,
            allowed_measures=[measures[code] for code in spec["measures"]],
        )
        services.standard_transition(
            standard=standard,
            name="open_comment",
            actor=drafter,
            reason=REASON,
            now=_aware_on(spec["comment_starts_on"]),
        )
        services.standard_transition(
            standard=standard, name="publish", actor=approver, reason=REASON, now=spec["published_at"]
        )
        tally.add(DesignationStandard, created=True)
