"""factory_boy factories of the catalog app. They build *drafts* (the models' default state): a published
catalog, measures list or standard is reached only through the services and their four-eyes workflow
(``tests.case_data.make_catalog``)."""

import factory

from catalog.choices import (
    CatalogCategory,
    Character,
    DisclosureMode,
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
from creditportal.tests.factories import DepartmentFactory, UserFactory


class CatalogVersionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CatalogVersion

    jurisdiction = "HN"
    number = factory.Sequence(lambda n: 100 + n)
    title = factory.Sequence(lambda n: f"海南省公共信用信息补充目录（草案{n}）")
    drafted_by = factory.SubFactory(UserFactory)


class CatalogItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CatalogItem

    version = factory.SubFactory(CatalogVersionFactory)
    code = factory.Sequence(lambda n: f"HN-04-{n:03d}")
    name = "行政处罚信息"
    conduct = "违反食品安全法受到行政处罚"
    category = CatalogCategory.ADMINISTRATIVE
    providing_department = factory.SubFactory(DepartmentFactory)
    data_source = "市场监管部门"
    character = Character.PUBLIC
    disclosure_mode = DisclosureMode.PUBLIC_ANNOUNCEMENT
    display_min_months = 3
    display_max_months = 36
    update_frequency = "每月"
    legal_basis = "《海南自由贸易港社会信用条例》第11条"
    is_untrustworthy = True
    is_administrative_punishment = True
    sector = Sector.FOOD


class MeasureListFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MeasureList

    jurisdiction = "HN"
    number = factory.Sequence(lambda n: 100 + n)
    title = factory.Sequence(lambda n: f"失信惩戒措施清单（草案{n}）")
    drafted_by = factory.SubFactory(UserFactory)
    kind = MeasureListKind.PUNISHMENT
    scope = MeasureScope.NATIONAL


class PunishmentMeasureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PunishmentMeasure

    measure_list = factory.SubFactory(MeasureListFactory)
    code = factory.Sequence(lambda n: f"N-{n:02d}")
    text = "限制参加政府采购"
    legal_clause = "《政府采购法》第22条"
    max_duration_months = 36


class RewardMeasureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RewardMeasure

    measure_list = factory.SubFactory(MeasureListFactory, kind=MeasureListKind.REWARD, scope=MeasureScope.LOCAL)
    code = factory.Sequence(lambda n: f"RW-{n:02d}")
    text = "在行政管理和公共服务中给予优先办理等便利服务"
    legal_clause = "《海南自由贸易港社会信用条例》第十九条"


class DesignationStandardFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DesignationStandard

    jurisdiction = "HN"
    code = factory.Sequence(lambda n: f"HN-S-{n:02d}")
    title = "食品安全领域严重失信主体名单认定标准"
    sector = "食品"
    serious_category = SeriousCategory.PUBLIC_SAFETY
    conduct_criteria = "严重危害人民群众身体健康"
    legal_basis = "《食品安全法》"
    removal_conditions = "期满或信用修复"
    removal_procedure = "申请、审核、移出"
    remedies = "行政复议或者行政诉讼"
    issuing_department = factory.SubFactory(DepartmentFactory)
