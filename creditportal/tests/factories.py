"""factory_boy factories of the cross-cutting models."""

import factory
from django.utils import timezone

from creditportal.choices import DepartmentKind, DepartmentLevel, Role
from creditportal.models import Department, Membership, User


class DepartmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Department
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"DEPT-{n:03d}")
    name = factory.Sequence(lambda n: f"测试市场监督管理局{n}")
    name_en = factory.Sequence(lambda n: f"Test Market Regulation Bureau {n}")
    document_prefix = "测市监"
    level = DepartmentLevel.PROVINCE
    kind = DepartmentKind.INDUSTRY_REGULATOR
    address = "海口市美兰区国兴大道5号"
    contact = "信用科 0898-65300000"
    government = "海南省人民政府"


#: Every test user's password.
PASSWORD = "correct-horse-battery-staple"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = "测试"
    last_name = factory.Sequence(lambda n: f"用户{n}")
    password = factory.django.Password(PASSWORD)


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    department = factory.SubFactory(DepartmentFactory)
    role = Role.CASEWORKER
    confirmed_at = factory.LazyFunction(timezone.now)  # a role in force (issue 21: given and confirmed)


def user_with_role(role: str, department: Department, **kwargs) -> User:
    """A user holding ``role`` in ``department``."""
    user = UserFactory(**kwargs)
    MembershipFactory(user=user, department=department, role=role)
    return user


def authenticator_code(username: str) -> str:
    """The code the person's authenticator app shows now (issue 21), given one if he has none, as his phone would
    be: for the tests that sign in through the pages or over HTTP."""
    from django_otp.oath import TOTP
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from creditportal.models import User
    from creditportal.second_factor import AUTHENTICATOR

    user = User.objects.get(username=username)
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first() or TOTPDevice.objects.create(
        user=user, name=AUTHENTICATOR, confirmed=True
    )
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():0{device.digits}d}"
