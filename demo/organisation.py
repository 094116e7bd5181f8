"""Demo departments of Hainan and the people who work in them (department roles and system roles).

These are the reference rows no service writes (the administrators keep them in the admin), so the seed
writes them directly, as the ``system`` user with the seed's reason (``helpers.get_or_create_tracked``).
"""

from __future__ import annotations

from django.contrib.auth.hashers import make_password
from django.utils import timezone

from creditportal.choices import DepartmentKind, DepartmentLevel, Role, SystemRole
from creditportal.models import Department, Membership, User

from .helpers import Tally, get_or_create_tracked

_PROVINCE, _PREFECTURE, _COUNTY = DepartmentLevel.PROVINCE, DepartmentLevel.PREFECTURE, DepartmentLevel.COUNTY
_CREDIT, _REGULATOR = DepartmentKind.CREDIT_AUTHORITY, DepartmentKind.INDUSTRY_REGULATOR

#: ``(code, name, English name, document prefix, level, kind, parent code)``; parents before their children.
_DEPARTMENT_ROWS = (
    (
        "HN-DRC",
        "海南省发展和改革委员会",
        "Hainan Provincial Development and Reform Commission",
        "琼信用",
        _PROVINCE,
        _CREDIT,
        None,
    ),
    (
        "HN-SAMR",
        "海南省市场监督管理局",
        "Hainan Provincial Administration for Market Regulation",
        "琼市监信",
        _PROVINCE,
        _REGULATOR,
        None,
    ),
    (
        "HN-COURT",
        "海南省高级人民法院",
        "Higher People's Court of Hainan Province",
        "琼高法",
        _PROVINCE,
        DepartmentKind.COURT,
        None,
    ),
    (
        "HK-DRC",
        "海口市发展和改革委员会",
        "Haikou Municipal Development and Reform Commission",
        "海口信用",
        _PREFECTURE,
        _CREDIT,
        "HN-DRC",
    ),
    (
        "HK-SAMR",
        "海口市市场监督管理局",
        "Haikou Municipal Administration for Market Regulation",
        "海口市监信",
        _PREFECTURE,
        _REGULATOR,
        "HN-SAMR",
    ),
    (
        "SY-DRC",
        "三亚市发展和改革委员会",
        "Sanya Municipal Development and Reform Commission",
        "三亚信用",
        _PREFECTURE,
        _CREDIT,
        "HN-DRC",
    ),
    (
        "SY-SAMR",
        "三亚市市场监督管理局",
        "Sanya Municipal Administration for Market Regulation",
        "三亚市监信",
        _PREFECTURE,
        _REGULATOR,
        "HN-SAMR",
    ),
    (
        "HK-LH-SAMR",
        "海口市龙华区市场监督管理局",
        "Longhua District Administration for Market Regulation, Haikou",
        "龙华市监信",
        _COUNTY,
        _REGULATOR,
        "HK-SAMR",
    ),
)
#: Where subjects send statements and defences, and whom they call (printed on notices, R-DES-1), and the
#: people's government at the same level that hears reconsideration of the department's decisions (R-DES-5;
#: Administrative Reconsideration Law, revised 2023). Demo values: the telephone numbers are fictitious.
_CONTACT = {
    "HN-DRC": ("海南省海口市美兰区国兴大道9号省政府办公区", "信用建设处 0898-6500 0101", "海南省人民政府"),
    "HN-SAMR": ("海南省海口市美兰区国兴大道9号省政府办公区", "信用监督管理处 0898-6500 0202", "海南省人民政府"),
    "HN-COURT": ("海南省海口市龙华区滨海大道100号", "执行局 0898-6500 0303", ""),
    "HK-DRC": ("海口市秀英区长滨路1号市政府办公区", "信用建设科 0898-6500 0404", "海口市人民政府"),
    "HK-SAMR": ("海口市龙华区海秀中路88号", "信用监督管理科 0898-6500 0505", "海口市人民政府"),
    "SY-DRC": ("三亚市吉阳区新风街1号市政府办公区", "信用建设科 0898-6500 0606", "三亚市人民政府"),
    "SY-SAMR": ("三亚市吉阳区迎宾路66号", "信用监督管理科 0898-6500 0707", "三亚市人民政府"),
    "HK-LH-SAMR": ("海口市龙华区龙昆南路36号", "信用监管股 0898-6500 0808", "海口市龙华区人民政府"),
}
DEPARTMENTS: tuple[dict, ...] = tuple(
    {
        "code": code,
        "name": name,
        "name_en": name_en,
        "document_prefix": prefix,
        "level": level,
        "kind": kind,
        "parent": parent,
        "address": _CONTACT[code][0],
        "contact": _CONTACT[code][1],
        "government": _CONTACT[code][2],
    }
    for code, name, name_en, prefix, level, kind, parent in _DEPARTMENT_ROWS
)

#: ``memberships`` are ``(department code, role)``; system roles hold no department role (R-SEC-6).
USERS: tuple[dict, ...] = (
    {
        "username": "sysadmin",
        "last_name": "符",
        "first_name": "志强",
        "system_role": SystemRole.SYSTEM_ADMIN,
        "is_staff": True,
    },
    {
        # a second system administrator: a rule set drafted by one is published by the other (R-NAT-6)
        "username": "sysadmin2",
        "last_name": "林",
        "first_name": "国栋",
        "system_role": SystemRole.SYSTEM_ADMIN,
        "is_staff": True,
    },
    {
        "username": "secadmin",
        "last_name": "邢",
        "first_name": "丽娟",
        "system_role": SystemRole.SECURITY_ADMIN,
        "is_staff": True,
    },
    {
        # a second security administrator: a second factor's reset asked by one is confirmed by the other (issue 21)
        "username": "secadmin2",
        "last_name": "吴",
        "first_name": "天明",
        "system_role": SystemRole.SECURITY_ADMIN,
        "is_staff": True,
    },
    {
        "username": "auditadmin",
        "last_name": "云",
        "first_name": "海燕",
        "system_role": SystemRole.AUDIT_ADMIN,
        "is_staff": True,
    },
    {
        "username": "hn-supervisor",
        "last_name": "陈",
        "first_name": "立新",
        "memberships": (("HN-DRC", Role.SUPERVISOR),),
    },
    {
        "username": "hn-caseworker",
        "last_name": "王",
        "first_name": "晓琳",
        "memberships": (("HN-DRC", Role.CASEWORKER),),
    },
    {
        "username": "hn-samr-caseworker",
        "last_name": "吴",
        "first_name": "俊杰",
        "memberships": (("HN-SAMR", Role.CASEWORKER),),
    },
    {
        "username": "hk-caseworker",
        "last_name": "林",
        "first_name": "小燕",
        "memberships": (("HK-SAMR", Role.CASEWORKER),),
    },
    {
        "username": "hk-supervisor",
        "last_name": "黄",
        "first_name": "志明",
        "memberships": (("HK-SAMR", Role.SUPERVISOR),),
    },
    {"username": "hk-head", "last_name": "郑", "first_name": "国华", "memberships": (("HK-SAMR", Role.HEAD),)},
    {"username": "hk-auditor", "last_name": "李", "first_name": "静", "memberships": (("HK-SAMR", Role.AUDITOR),)},
    {
        "username": "sy-caseworker",
        "last_name": "蔡",
        "first_name": "文斌",
        "memberships": (("SY-SAMR", Role.CASEWORKER),),
    },
    {
        "username": "sy-supervisor",
        "last_name": "周",
        "first_name": "美玲",
        "memberships": (("SY-SAMR", Role.SUPERVISOR),),
    },
)

#: Who records the credit information of each department's subjects (R-REC-1: the caseworker enters it).
CASEWORKER_OF = {"HK-SAMR": "hk-caseworker", "SY-SAMR": "sy-caseworker", "HN-SAMR": "hn-samr-caseworker"}

#: Who drafts and who approves the province's published lists: two different people (R-CAT-1).
DRAFTER = "hn-caseworker"
APPROVER = "hn-supervisor"


def seed_departments(*, actor, tally: Tally) -> dict[str, Department]:
    """The Hainan departments by code; a prefecture or county hangs under its provincial counterpart."""
    departments: dict[str, Department] = {}
    for spec in DEPARTMENTS:
        defaults = {k: v for k, v in spec.items() if k not in {"code", "parent"}}
        defaults["parent"] = departments[spec["parent"]] if spec["parent"] else None
        departments[spec["code"]], _created = get_or_create_tracked(
            Department,
            lookup={"code": spec["code"]},
            defaults=defaults,
            actor=actor,
            tally=tally,
        )
    return departments


def seed_users(*, password: str, departments: dict[str, Department], actor, tally: Tally) -> dict[str, User]:
    """The demo accounts and their memberships. The password is set only when an account is created.

    The password is hashed once and the hash shared: one slow PBKDF2 run instead of one per account.
    Demo only: the password is public anyway (demo.seed.DEMO_PASSWORD).
    """
    hashed: list[str] = []

    def set_password(user: User) -> None:
        if not hashed:
            hashed.append(make_password(password))
        user.password = hashed[0]

    users: dict[str, User] = {}
    for spec in USERS:
        username = spec["username"]
        defaults = {
            "first_name": spec["first_name"],
            "last_name": spec["last_name"],
            "email": f"{username}@example.org",
            "system_role": spec.get("system_role", SystemRole.NONE),
            "is_staff": spec.get("is_staff", False),
            "is_active": True,
        }
        users[username], _created = get_or_create_tracked(
            User,
            lookup={"username": username},
            defaults=defaults,
            actor=actor,
            tally=tally,
            prepare=set_password,
        )
        for department_code, role in spec.get("memberships", ()):
            get_or_create_tracked(
                Membership,
                lookup={"user": users[username], "department": departments[department_code], "role": role},
                # the demo's roles are in force: seeding is the operator's console (issue 21: confirmed by no head)
                defaults={"is_active": True, "confirmed_at": timezone.now()},
                actor=actor,
                tally=tally,
            )
    for user in users.values():
        demo_authenticator(user)
    return users


#: The name of the demo's authenticators: ``manage.py demo_code`` reads only these.
DEMO_DEVICE = "demo"


def demo_authenticator(user: User):
    """Demo only (issue 21): a supervisor, head or administrator of the demo signs in with a second factor; rather
    than a phone, ``manage.py demo_code <username>`` shows the code his authenticator would. The key is derived from
    the username, so seeding twice changes nothing."""
    import hashlib

    from django_otp.plugins.otp_totp.models import TOTPDevice

    from creditportal.second_factor import needs_second_factor

    if not needs_second_factor(user):
        return None
    key = hashlib.sha256(f"creditportal-demo:{user.username}".encode()).hexdigest()[:40]
    device, _created = TOTPDevice.objects.get_or_create(
        user=user, name=DEMO_DEVICE, defaults={"key": key, "confirmed": True}
    )
    return device
