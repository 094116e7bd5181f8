"""No page shows a link or a button its reader cannot use (issue 16): every page of the permission matrix a
department role may open is rendered as that role, and every link and form on it is followed: none answers 403.
The archive (R-DIS-3) is in the navigation of the roles that may read it, and only theirs.

A form's action is requested with GET: a POST endpoint the role may use answers 405 (login and permission are
checked first), one it may not answers 403.
"""

from __future__ import annotations

from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from django.urls import reverse

from creditportal.choices import DepartmentKind
from creditportal.tests.factories import DepartmentFactory
from tests.test_permission_matrix import AUTHORITY_ROLES, DEPT_ROLES, MATRIX, OK, SYSTEM_ROLES, _url, _user
from tests.test_permission_matrix import objects as objects  # noqa: F401  (the fixture the matrix builds)

pytestmark = pytest.mark.django_db

#: Not pages people read: downloads and exports answer files.
FILES = {"csv", "xlsx", "json"}
#: Django's own endpoints (logging out, switching language) and the admin, which has its own tests.
SKIP_PREFIXES = ("/accounts/logout", "/i18n/", "/admin/", "/static/", "/media/")


class _Targets(HTMLParser):
    """Every link and every form action of a page, with the text of the link or the form's button."""

    def __init__(self):
        super().__init__()
        self.targets: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "a" and attrs.get("href"):
            self.targets.append(attrs["href"])
        elif tag == "form" and attrs.get("action"):
            self.targets.append(attrs["action"])


def _internal(href: str, page_url: str) -> str | None:
    parts = urlsplit(href)
    if parts.scheme or parts.netloc or href.startswith(("#", "mailto:", "javascript:")):
        return None
    if not parts.path:
        return page_url.split("?")[0] + (f"?{parts.query}" if parts.query else "")
    if parts.path.startswith(SKIP_PREFIXES):
        return None
    return parts.path + (f"?{parts.query}" if parts.query else "")


def _pages(role, objects, dept_a, dept_b):  # noqa: F811
    for entry, (arg, expected) in sorted(MATRIX.items()):
        if expected.get(role) != OK or arg in FILES or (isinstance(arg, str) and arg.split("+")[-1] in FILES):
            continue
        yield _url(entry.split("@")[0], arg, objects, dept_a, dept_b)


@pytest.mark.parametrize("role", [*DEPT_ROLES, *AUTHORITY_ROLES, *SYSTEM_ROLES])
def test_no_page_offers_a_link_or_button_that_answers_403(client, role, dept_a, dept_b, objects):  # noqa: F811
    authority = DepartmentFactory(code="HN-DRC", name="海南省发展和改革委员会", kind=DepartmentKind.CREDIT_AUTHORITY)
    client.force_login(_user(role, dept_a, authority))
    found: dict[str, str] = {}
    for page_url in _pages(role, objects, dept_a, dept_b):
        response = client.get(page_url)
        assert response.status_code == OK, page_url
        if "html" not in response.get("Content-Type", ""):
            continue
        parser = _Targets()
        parser.feed(response.content.decode())
        for href in parser.targets:
            target = _internal(href, page_url)
            if target:
                found.setdefault(target, page_url)
    refused = {}
    for target, page_url in sorted(found.items()):
        response = client.get(target)
        if response.status_code == 403:
            refused[target] = page_url
    assert not refused, f"{role} is offered links that answer 403 (target: page): {refused}"


@pytest.mark.parametrize("role", DEPT_ROLES)
def test_r_dis_3_the_archive_is_in_the_navigation_of_those_who_may_read_it(client, role, dept_a):
    client.force_login(_user(role, dept_a, None))
    html = client.get(reverse("dashboard")).content.decode()
    nav = html.split('aria-label="Main navigation"', 1)[1].split("</nav>", 1)[0]
    assert (f'href="{reverse("archive_list")}"' in nav) == (role == "auditor")
