"""The permission matrix: every view of the application, every role, the expected status.

A new URL without an entry here fails ``test_every_view_is_in_the_matrix``.
"""
import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from creditportal.choices import Role, SystemRole
from creditportal.tests.factories import UserFactory, user_with_role
from subjects.tests.factories import PersonFactory

pytestmark = pytest.mark.django_db

OWN, OTHER = "own", "other"
ROLES = ["anonymous", "caseworker", "supervisor", "head", "auditor", "system_admin", "security_admin",
         "audit_admin"]

# url name → (args: None | OWN | OTHER | a format, expected status per role)
LOGIN = 302
_CASE_READ = {"anonymous": LOGIN, "caseworker": 200, "supervisor": 200, "head": 200, "auditor": 200,
              "system_admin": 403, "security_admin": 403, "audit_admin": 403}
_CASE_WRITE = {**_CASE_READ, "auditor": 403}
_OTHER_DEPT = {**_CASE_READ, "caseworker": 404, "supervisor": 404, "head": 404, "auditor": 404}
_EVERYONE = {role: 200 for role in ROLES}
_LOGGED_IN = {**_EVERYONE, "anonymous": LOGIN}

MATRIX = {
    "dashboard": (None, _LOGGED_IN),
    "login": (None, {**_EVERYONE, **{r: 302 for r in ROLES if r != "anonymous"}}),
    "subject_list": (None, _CASE_READ),
    "subject_create": (None, _CASE_WRITE),
    "subject_export": ("csv", _CASE_READ),
    "subject_detail": (OWN, _CASE_READ),
    "subject_detail@other": (OTHER, _OTHER_DEPT),
    "subject_update": (OWN, _CASE_WRITE),
    "subject_update@other": (OTHER, {**_OTHER_DEPT, "auditor": 403}),
    "record_list": (None, _CASE_READ),
    "record_export": ("xlsx", _CASE_READ),
    "record_detail": ("record", _CASE_READ),
    "designation_list": (None, _CASE_READ),
    "designation_export": ("csv", _CASE_READ),
    "designation_detail": ("designation", _CASE_READ),
    "objection_list": (None, _CASE_READ),
    "objection_export": ("csv", _CASE_READ),
    "objection_detail": ("objection", _CASE_READ),
    "restoration_list": (None, _CASE_READ),
    "restoration_export": ("csv", _CASE_READ),
    "restoration_detail": ("restoration", _CASE_READ),
    "catalog_public": (None, _EVERYONE),
}
#: URLs that are not application views: Django's own (admin has its own tests; i18n is a POST endpoint).
NOT_APP_VIEWS = {"logout", "set_language"}


def _url_names(resolver=None, namespace=""):
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace == "admin":
                continue
            yield from _url_names(pattern, pattern.namespace or namespace)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield pattern.name


def test_every_view_is_in_the_matrix():
    names = set(_url_names())
    missing = names - {name.split("@")[0] for name in MATRIX} - NOT_APP_VIEWS
    assert not missing, f"Views without a permission-matrix entry: {sorted(missing)}"


def _user(role, dept):
    if role == "anonymous":
        return None
    if role in {r.value for r in SystemRole if r}:
        return UserFactory(username=role, system_role=role, is_staff=True)
    return user_with_role(Role(role), dept, username=role)


@pytest.fixture
def cases(dept_a, dept_b, caseworker_a):
    from tests.case_data import make_cases

    return make_cases(dept_a=dept_a, dept_b=dept_b, actor=caseworker_a)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("entry", sorted(MATRIX))
def test_permission_matrix(client, entry, role, dept_a, dept_b, cases):
    name = entry.split("@")[0]
    arg, expected = MATRIX[entry]
    if arg is None:
        url = reverse(name)
    elif arg == OWN:
        url = reverse(name, args=[PersonFactory(department=dept_a).pk])
    elif arg == OTHER:
        url = reverse(name, args=[PersonFactory(department=dept_b).pk])
    elif arg in {"csv", "xlsx"}:
        url = reverse(name, args=[arg])
    else:
        url = reverse(name, args=[cases[arg].pk])
    user = _user(role, dept_a)
    if user is not None:
        client.force_login(user)
    assert client.get(url).status_code == expected[role], f"{role} GET {url}"
