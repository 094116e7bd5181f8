"""factory_boy factories of the restoration app: an application just received (the model's default state)."""

import factory
from django.utils import timezone

from creditportal.tests.factories import DepartmentFactory
from restoration.choices import RestorationMethod
from restoration.models import RestorationApplication
from subjects.tests.factories import OrganisationFactory


class RestorationApplicationFactory(factory.django.DjangoModelFactory):
    """Pass ``record=`` or ``designation=`` (an application concerns exactly one of them). For an application
    the way people make one (through the law's checks) use ``restoration.services.restoration_receive``."""

    class Meta:
        model = RestorationApplication

    department = factory.SubFactory(DepartmentFactory)
    subject = factory.SubFactory(OrganisationFactory, department=factory.SelfAttribute("..department"))
    method = RestorationMethod.RECTIFICATION
    evidence = "整改报告"
    received_at = factory.LazyFunction(timezone.now)
