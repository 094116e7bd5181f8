"""factory_boy factories of the objections app: an objection just received (the model's default state); later
states are reached through the services."""

import factory
from django.utils import timezone

from creditportal.tests.factories import DepartmentFactory
from objections.choices import ObjectionGround, ObjectionTarget
from objections.models import Objection
from subjects.tests.factories import OrganisationFactory


class ObjectionFactory(factory.django.DjangoModelFactory):
    """Pass ``record=`` or ``designation=`` (an objection targets exactly one thing); with neither, it is an
    objection to the subject's identifying data."""

    class Meta:
        model = Objection

    department = factory.SubFactory(DepartmentFactory)
    subject = factory.SubFactory(OrganisationFactory, department=factory.SelfAttribute("..department"))
    applicant = factory.SelfAttribute("subject.name")
    ground = ObjectionGround.ERROR
    grounds_text = "处罚已撤销"
    received_at = factory.LazyFunction(timezone.now)

    @classmethod
    def _adjust_kwargs(cls, **kwargs):
        if "target" not in kwargs:
            kwargs["target"] = (
                ObjectionTarget.RECORD
                if kwargs.get("record")
                else ObjectionTarget.DESIGNATION
                if kwargs.get("designation")
                else ObjectionTarget.IDENTITY
            )
        return kwargs
