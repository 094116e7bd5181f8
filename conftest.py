"""Fixtures shared by every test: two departments and a person in each role; how the suite shares the cores."""

import os
import re
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from creditportal.access import PURPOSE_HEADER
from creditportal.choices import Role, SystemRole
from creditportal.tests.factories import DepartmentFactory, UserFactory, user_with_role

#: Tests that start servers, workers, brokers or a browser, or that time what those do. ``make test`` runs the rest
#: of the suite in one process per core (pytest-xdist), then these (``--suite-pass``) alone, one after the
#: other, on an otherwise idle machine: their clocks and races are measured against real processes, which a second
#: test process competing for the two cores made late (seen: workers that started a render after the test looked).
ONE_PROCESS = {
    "api/tests/test_schemathesis.py",
    "tests/e2e",
    "tests/test_backup_restore.py",
    "tests/test_beat_faults.py",
    "tests/test_broker_faults.py",
    "tests/test_cache_faults.py",
    "tests/test_celery_integration.py",
    "tests/test_database_faults.py",
    "tests/test_gunicorn_faults.py",
    "tests/test_scale_out.py",
    "tests/test_submit_once_race.py",
    "tests/test_worker_faults.py",
}
ROOT = Path(__file__).parent


def pytest_addoption(parser):
    parser.addoption(
        "--suite-pass",
        choices=("all", "parallel", "one-process"),
        default="all",
        help="make test's two passes: the tests run in parallel processes, or those of ONE_PROCESS (default: all)",
    )


def pytest_collection_modifyitems(config, items):
    """Mark the tests of ``ONE_PROCESS`` (``one_process``) and keep those of the pass asked for (``--suite-pass``);
    any ``-m`` or ``-k`` of the caller selects within the pass."""
    wanted = config.getoption("--suite-pass")
    kept, deselected = [], []
    for item in items:
        relative = Path(item.path).relative_to(ROOT)
        alone = str(relative) in ONE_PROCESS or any(str(parent) in ONE_PROCESS for parent in relative.parents)
        if alone:
            item.add_marker(pytest.mark.one_process)
        if wanted == "all" or (wanted == "one-process") == alone:
            kept.append(item)
        else:
            deselected.append(item)
    if deselected:
        config.hook.pytest_deselected(items=deselected)
        items[:] = kept


#: ``make test`` migrates one template database first (scripts/test_database_template.py) and sets this: each pass's
#: test databases are then PostgreSQL copies of it (``CREATE DATABASE … TEMPLATE``, a second or two) instead of a run
#: of the migrations per xdist worker and another for the second pass (over a minute each). Unset: pytest-django's
#: own way, the migrations run for each test database.
FROM_TEMPLATE = bool(os.environ.get("TEST_DATABASE_TEMPLATE"))

if FROM_TEMPLATE:

    @pytest.fixture(scope="session")
    def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix, django_db_blocker):
        """This process's test database (its xdist suffix already set), copied afresh from the migrated template;
        dropped again after the session (pytest-django keeps it: ``django_db_keepdb``)."""
        from django.db import connections

        from scripts.test_database_template import template_name

        connection = connections["default"]
        test_name = connection.creation._get_test_db_name()
        template = template_name(connection.settings_dict["NAME"])
        with django_db_blocker.unblock(), connection.creation._nodb_cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{test_name}" WITH (FORCE)')
            cursor.execute(f'CREATE DATABASE "{test_name}" TEMPLATE "{template}"')
        yield
        with django_db_blocker.unblock():
            connections.close_all()
            with connection.creation._nodb_cursor() as cursor:
                cursor.execute(f'DROP DATABASE IF EXISTS "{test_name}" WITH (FORCE)')

    @pytest.fixture(scope="session")
    def django_db_keepdb():
        """The copy is the test database: Django finds it there and only checks that no migration is left."""
        return True

    @pytest.fixture(scope="session")
    def django_db_createdb():
        return False


@pytest.fixture(autouse=True)
def _english(settings):
    """Tests read messages in English unless they switch language themselves."""
    settings.LANGUAGE_CODE = "en"


class PortalClient(Client):
    """force_login through our backend (django-axes' backend, first in the list, cannot load users).

    Every response any test receives arrives whole: its ``Content-Length`` is the length of its body (issue 16: a
    middleware that rewrote finished pages sent the header of the page before the rewrite, and browsers cut the
    page short or waited for bytes that never came)."""

    def force_login(self, user, backend="creditportal.permissions.RoleBackend"):
        """Logged in as a person is after both factors: a supervisor, head or administrator has an authenticator and
        this session is verified with it (issue 21; the second factor's own tests sign in through its pages)."""
        super().force_login(user, backend=backend)
        verify_second_factor(self, user)

    #: What a test's person answers when a page asks why he opens a subject's information (issue 21,
    #: ``creditportal.access``): he answers through the question's own form, and the page he asked for follows.
    #: ``None``: he leaves the question on screen (the access log's own tests).
    purpose: str | None = "case"

    def request(self, **request):
        response = super().request(**request)
        assert_whole(response)
        return response

    def generic(self, method, path, *args, **kwargs):
        """Where the portal asks why the person opens a subject, he answers on its form and sends his request again
        (a refused act's case page asks too): built afresh, so a POST's body is sent whole again."""
        response = super().generic(method, path, *args, **kwargs)
        if self.purpose and response.has_header(PURPOSE_HEADER) and path != reverse("access_purpose"):
            self.answer_purpose(response, self.purpose)
            response = super().generic(method, path, *args, **kwargs)
        return response

    def answer_purpose(self, response, purpose: str, text: str = ""):
        """Answer the question ``response`` shows, as a person does on its form."""
        ticket = re.search(r'name="ticket" value="([^"]+)"', response.content.decode()).group(1)
        answered = self.post(reverse("access_purpose"), {"purpose": purpose, "text": text, "ticket": ticket})
        assert answered.status_code == 302, answered.content.decode()[:2000]
        return answered


def verify_second_factor(client, user) -> None:
    """Give ``user`` an authenticator if the second factor applies to him, and mark ``client``'s session verified
    with it, as its sign-in page does (django-otp's session key)."""
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from creditportal.second_factor import AUTHENTICATOR, needs_second_factor

    if not needs_second_factor(user):
        return
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first() or TOTPDevice.objects.create(
        user=user, name=AUTHENTICATOR, confirmed=True
    )
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()


def assert_whole(response) -> None:
    """A response's ``Content-Length``, when it has one, is the length of the body it carries."""
    if getattr(response, "streaming", False) or not response.has_header("Content-Length"):
        return
    length, body = int(response["Content-Length"]), len(response.content)
    path = response.wsgi_request.path if hasattr(response, "wsgi_request") else "?"
    assert length == body, f"{path}: Content-Length {length} for a body of {body} bytes"


@pytest.fixture
def client():
    return PortalClient()


@pytest.fixture
def dept_a(db):
    return DepartmentFactory(code="HK-SAMR", name="海口市市场监督管理局", name_en="Haikou Market Regulation Bureau")


@pytest.fixture
def dept_b(db):
    return DepartmentFactory(code="SY-SAMR", name="三亚市市场监督管理局", name_en="Sanya Market Regulation Bureau")


@pytest.fixture
def caseworker_a(dept_a):
    return user_with_role(Role.CASEWORKER, dept_a, username="caseworker_a")


@pytest.fixture
def supervisor_a(dept_a):
    return user_with_role(Role.SUPERVISOR, dept_a, username="supervisor_a")


@pytest.fixture
def auditor_a(dept_a):
    return user_with_role(Role.AUDITOR, dept_a, username="auditor_a")


@pytest.fixture
def caseworker_b(dept_b):
    return user_with_role(Role.CASEWORKER, dept_b, username="caseworker_b")


@pytest.fixture
def sysadmin(db):
    return UserFactory(username="sysadmin", system_role=SystemRole.SYSTEM_ADMIN, is_staff=True)


@pytest.fixture
def norole(db):
    return UserFactory(username="norole")


@pytest.fixture(autouse=True)
def _fresh_calendar():
    """The working-day calendar and the profiles are cached; a test that changes them must not leak into the next."""
    from creditportal.profiles import forget_profiles
    from creditportal.rules import forget_rulesets
    from creditportal.workdays import forget_calendar

    forget_calendar()
    forget_profiles()
    forget_rulesets()
    yield
    forget_calendar()
    forget_rulesets()
    forget_profiles()


@pytest.fixture
def on(time_machine):
    """Move the clock to a day of the story, as the days of a case pass: ``on(2026, 9, 28)`` is 10:00 in Haikou that
    day (``hour=`` for another time). An act on a statutory clock is judged on the day it is taken (issue 18: a
    deadline that has passed stays passed), so a story told on fixed dates is told on those days, never on today's.
    Time runs on from there (tick)."""
    import datetime
    import zoneinfo

    def _on(year: int, month: int, day: int, hour: int = 10) -> None:
        moment = datetime.datetime(year, month, day, hour, tzinfo=zoneinfo.ZoneInfo("Asia/Shanghai"))
        time_machine.move_to(moment, tick=True)

    return _on
