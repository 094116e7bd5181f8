"""factory_boy factories of the designations app. ``DesignationFactory`` builds a draft (the model's default
state); every later state is reached through the services (``designations/tests/helpers.py: to_state``)."""

import datetime

import factory

from catalog.tests.factories import DesignationStandardFactory, PunishmentMeasureFactory
from creditportal.tests.factories import DepartmentFactory, UserFactory
from designations.choices import StatementKind
from designations.models import Designation, DesignationMeasure, Hearing, Statement
from subjects.tests.factories import OrganisationFactory


class DesignationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Designation

    department = factory.SubFactory(DepartmentFactory)
    subject = factory.SubFactory(OrganisationFactory, department=factory.SelfAttribute("..department"))
    standard = factory.SubFactory(DesignationStandardFactory)
    facts = "当事人于2026年3月多次销售超过保质期的食品，经查证属实。"
    reasons = "当事人的行为属于严重危害人民群众身体健康的失信行为。"
    proposed_listing_months = 12
    caseworker = factory.SubFactory(UserFactory)


class DesignationMeasureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DesignationMeasure

    designation = factory.SubFactory(DesignationFactory)
    measure = factory.SubFactory(PunishmentMeasureFactory)


class StatementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Statement

    designation = factory.SubFactory(DesignationFactory)
    department = factory.SelfAttribute("designation.department")
    kind = StatementKind.DEFENCE
    received_on = datetime.date(2026, 9, 28)
    text = "已全部下架并召回"


class HearingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Hearing

    designation = factory.SubFactory(DesignationFactory)
    department = factory.SelfAttribute("designation.department")
    scheduled_at = factory.LazyFunction(lambda: datetime.datetime(2026, 10, 9, 9, 30, tzinfo=datetime.UTC))
    place = "海口市市场监督管理局听证室"
    chaired_by = factory.SubFactory(UserFactory)
