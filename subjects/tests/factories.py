"""factory_boy factories of the subjects app, producing valid identifiers (R-CAT-8)."""

import datetime

import factory
from stdnum.cn import ric, uscc

from creditportal.tests.factories import DepartmentFactory
from subjects.choices import IdentifierType, SubjectKind
from subjects.models import CreditSubject


def valid_ric(n: int) -> str:
    """A resident identity card number (Beijing Chaoyang, born 1980-01-01 + n days) with its check digit."""
    birth = datetime.date(1980, 1, 1) + datetime.timedelta(days=n % 9000)
    body = f"110105{birth:%Y%m%d}{n % 1000:03d}"
    return body + ric.calc_check_digit(body + "0")  # stdnum drops the last character


def valid_uscc(n: int) -> str:
    """A unified social credit code with its GB 32100 check character."""
    alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    digits = ""
    value = n
    for _ in range(8):
        digits = alphabet[value % 31] + digits
        value //= 31
    body = f"91460100{digits}A"[:17]
    return body + uscc.calc_check_digit(body)


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CreditSubject

    department = factory.SubFactory(DepartmentFactory)
    kind = SubjectKind.NATURAL_PERSON
    name = factory.Sequence(lambda n: f"张{n}")
    id_type = IdentifierType.RESIDENT_ID
    id_number = factory.Sequence(valid_ric)


class OrganisationFactory(PersonFactory):
    kind = SubjectKind.LEGAL_PERSON
    name = factory.Sequence(lambda n: f"海口测试{n}有限公司")
    id_type = IdentifierType.USCC
    id_number = factory.Sequence(valid_uscc)
