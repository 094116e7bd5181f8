"""End-to-end journeys in Debian's Chromium, driven by Playwright, against pytest-django's live server.

- The browser is ``/usr/bin/chromium`` (installed by ``scripts/system-deps.sh``); Playwright never downloads one.
- The browser sends ``Accept-Language: en-US`` on purpose: the product must still answer in Chinese.
- Playwright's sync API runs an asyncio loop in the main thread while it is started, and Django refuses
  database access from a thread with a running loop. So Playwright lives only as long as this package's tests
  (package-scoped fixtures overriding pytest-playwright's session-scoped ones), and
  ``DJANGO_ALLOW_ASYNC_UNSAFE`` is set only meanwhile: the unit tests that run after keep Django's guard.
- ``live_server`` needs transactional database access: each journey creates its data through the factories
  and services, the tables are emptied after it, and the migrations' data (jurisdiction profiles, the
  official calendar) is put back before each journey (``serialized_rollback``) and after the last one.
- ``shot(page, name)`` saves a screenshot of a main page under ``var/e2e/``; a failing journey leaves a
  screenshot of every open page under ``var/e2e/failures/``.
"""

import datetime
import os
import re
import time
import weakref
from pathlib import Path

import pytest
from django.db import connections

VAR_E2E = Path(__file__).resolve().parents[2] / "var" / "e2e"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    # As root in a container, without a GPU, on a machine with no network but loopback.
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
#: Every demo and test user's password (creditportal.tests.factories.UserFactory).
PASSWORD = "correct-horse-battery-staple"
#: Playwright's expectations wait up to this long (ms) for the page to get there; never a sleep.
EXPECT_TIMEOUT = 15_000
#: Longer than any journey takes (the longest, with its browser start, under a minute): ``_within_one_calendar_day``.
LONGEST_JOURNEY = datetime.timedelta(minutes=4)


def pytest_collection_modifyitems(config, items):
    """Every test under tests/e2e is an ``e2e`` test that needs the database restored after it."""
    here = Path(__file__).parent
    for item in items:
        if here in Path(item.path).parents:
            item.add_marker(pytest.mark.e2e)
            item.add_marker(pytest.mark.django_db(transaction=True, serialized_rollback=True))


@pytest.fixture(scope="package")
def playwright(django_db_blocker):
    """Playwright for this package only (overrides pytest-playwright's session-scoped fixture)."""
    from playwright.sync_api import expect, sync_playwright

    if not os.path.exists(CHROMIUM):
        pytest.fail(f"{CHROMIUM} is missing: run scripts/system-deps.sh (make test does) to install Chromium.")
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    expect.set_options(timeout=EXPECT_TIMEOUT)
    serialized = {alias: getattr(connections[alias], "_test_serialized_contents", None) for alias in connections}
    pw = sync_playwright().start()
    # With Playwright's loop running, this thread counts as async and Django's connections (asgiref Locals)
    # are new objects: give them the migrations' data the test database was created with, so that
    # serialized_rollback restores it before each journey (and the flush after it spares post_migrate).
    for alias, contents in serialized.items():
        if contents is not None:
            connections[alias]._test_serialized_contents = contents
    try:
        yield pw
    finally:
        pw.stop()
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous
        _restore_migration_data(django_db_blocker)


def _restore_migration_data(django_db_blocker):
    """Put back what the migrations loaded, which the last journey's flush removed, for the tests after us."""
    with django_db_blocker.unblock():
        for alias in connections:
            contents = getattr(connections[alias], "_test_serialized_contents", None)
            if contents:
                connections[alias].creation.deserialize_db_from_string(contents)


@pytest.fixture(scope="package")
def browser_type(playwright, browser_name):
    return getattr(playwright, browser_name)


@pytest.fixture(scope="session")
def browser_type_launch_args():
    return {"executable_path": CHROMIUM, "args": CHROMIUM_ARGS, "headless": True}


@pytest.fixture(scope="package")
def launch_browser(browser_type_launch_args, browser_type):
    def launch(**kwargs):
        return browser_type.launch(**{**browser_type_launch_args, **kwargs})

    return launch


@pytest.fixture(scope="package")
def browser(launch_browser):
    """The browser; every context opened on it, by pytest-playwright or by a journey, is watched (``PageWatch``)."""
    browser = launch_browser()
    open_context = browser.new_context

    def new_context(**kwargs):
        context = open_context(**kwargs)
        WATCH.follow(context)
        context.on("page", answer_purpose_when_asked)
        return context

    browser.new_context = new_context  # type: ignore[method-assign]
    yield browser
    browser.close()


class PageWatch:
    """What a person would notice that a journey's expectations may not (issue 16): a page that never finishes
    loading, a page whose body is not as long as its ``Content-Length`` or stops before ``</html>``, and any
    error in the browser's console or a page's scripts. ``pytest_runtest_call`` below fails the journey on one."""

    def __init__(self) -> None:
        self.problems: list[str] = []

    def follow(self, context) -> None:
        context.on("page", self._page)
        for page in context.pages:
            self._page(page)

    def _page(self, page) -> None:
        # The document on show, and whether it reached ``load``: a journey that moves on from a page still loading
        # (its body never complete) would otherwise pass on what arrived.
        state = {"url": None, "loaded": True}

        def navigated(frame) -> None:
            if frame != page.main_frame:
                return
            if state["url"] and frame.url.split("#")[0] == state["url"].split("#")[0] and state["loaded"]:
                return  # the same document, scrolled to an anchor
            if not state["loaded"]:
                self.problems.append(f"{state['url']}: left before it finished loading")
            state.update(url=frame.url, loaded=False)

        page.on("framenavigated", navigated)
        page.on("load", lambda _page: state.update(loaded=True))
        page.on("console", lambda message: self._console(page, message))
        page.on("pageerror", lambda error: self.problems.append(f"script error on {page.url}: {error}"))
        page.on("requestfinished", self._finished)
        page.on("requestfailed", self._failed)

    def _console(self, page, message) -> None:
        if message.type != "error":
            return
        where = message.location.get("url") or page.url
        if where == page.url and message.text.startswith("Failed to load resource"):
            return  # the page itself is the product's 403 or 404 page, which a journey opens on purpose
        self.problems.append(f"console error on {page.url}: {message.text} ({where})")

    def _finished(self, request) -> None:
        from playwright.sync_api import Error

        response = request.response()
        if response is None or request.resource_type not in {"document", "script", "stylesheet"}:
            return
        headers = response.headers
        if response.status in {301, 302, 303, 304, 307, 308} or "attachment" in headers.get("content-disposition", ""):
            return
        try:
            body = response.body()
        except Error:  # the page was closed meanwhile: nothing left to compare
            return
        length = headers.get("content-length")
        if length is not None and int(length) != len(body):
            self.problems.append(f"{request.url}: Content-Length {length}, body {len(body)} bytes")
        if headers.get("content-type", "").startswith("text/html") and not body.rstrip().endswith(b"</html>"):
            self.problems.append(f"{request.url}: the page stops before </html> ({len(body)} bytes)")
        if request.resource_type == "document" and b'<html lang="zh-hans">' in body[:200]:
            self.problems += [f"{request.url}: {problem}" for problem in chinese_page_problems(body.decode())]

    def _failed(self, request) -> None:
        """A page left while it was still arriving (the journey moved on): its body never finished."""
        if request.resource_type != "document":
            return
        response = request.response()
        if response is not None and "attachment" in response.headers.get("content-disposition", ""):
            return  # a download: the browser hands it over instead of loading it
        self.problems.append(f"{request.url}: never finished loading ({request.failure})")

    def check(self, browser) -> list[str]:
        """The problems seen, and every page still open that does not reach ``load`` in time."""
        from playwright.sync_api import Error

        late = []
        for context in browser.contexts:
            for page in context.pages:
                try:
                    page.wait_for_load_state("load", timeout=10_000)
                    # A round trip to the page lets the handlers still reading a body finish first.
                    page.evaluate("0")
                except Error:
                    late.append(f"{page.url}: did not reach load in 10 s")
        problems, self.problems = self.problems + late, []
        return problems


WATCH = PageWatch()


def chinese_page_problems(html: str) -> list[str]:
    """The every-page check (tests/test_every_page_chinese.py) on a page in whatever state a journey reached: no
    English left, no raw event code, empty bracket, storage name or rule id (pages cite articles)."""
    from tests.test_every_page_chinese import problems_of

    return problems_of(html)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item):
    """A journey that passed its own expectations still fails on a page that did not arrive whole."""
    WATCH.problems = []
    result = yield
    browser = item.funcargs.get("browser")
    if browser is not None:
        problems = WATCH.check(browser)
        assert not problems, "Pages that did not arrive whole:\n" + "\n".join(problems)
    return result


@pytest.fixture(scope="package")
def browser_context_args(live_server):
    """An English-speaking browser in Shanghai, pointed at the live server."""
    return {
        "base_url": live_server.url,
        "locale": "en-US",
        "timezone_id": "Asia/Shanghai",
        "viewport": {"width": 1366, "height": 900},
        "accept_downloads": True,
    }


@pytest.fixture(autouse=True)
def _within_one_calendar_day():
    """A journey types today's date, and the server checks it against the acts the journey took earlier: one that
    crossed midnight in the deployment's time zone would find a notice issued "tomorrow" and its service, typed as
    "today", refused (CI failed so once). A journey that could cross midnight waits for it before it starts."""
    from django.utils import timezone

    now = timezone.localtime()
    midnight = datetime.datetime.combine(now.date() + datetime.timedelta(days=1), datetime.time(), now.tzinfo)
    if midnight - now < LONGEST_JOURNEY:
        time.sleep((midnight - now).total_seconds() + 1)


@pytest.fixture(autouse=True)
def _the_product_language(_english, settings):
    """The product's own default (zh-hans), not the unit tests' English (conftest.py ``_english``)."""
    settings.LANGUAGE_CODE = "zh-hans"
    settings.DEBUG = False


#: The heading of the question "why do you open this?" (issue 21, ``creditportal.access``), in either language.
PURPOSE_HEADING = re.compile("^(查阅目的|Purpose of access)$")


#: Browser contexts whose journey answers the question itself (the access log's own journey): ``answers_itself``.
_ANSWERING_THEMSELVES: "weakref.WeakSet" = weakref.WeakSet()


def answer_purpose_when_asked(page) -> None:
    """The people of the journeys open subjects for their cases: wherever the portal asks why (once per subject and
    session), they answer "handling a case of this subject" on its form, and the journey goes on to the page it
    asked for (Playwright's locator handler, run before each action and assertion). A journey that answers the
    question itself opens its pages in a context marked with ``answers_itself``."""
    if page.context in _ANSWERING_THEMSELVES:
        return

    def answer(_question) -> None:
        page.get_by_role("radio", name=re.compile("^(办理该主体的案件|Handling a case of this subject)$")).check()
        page.get_by_role("button", name=re.compile("^(打开|Open)$")).click()
        page.wait_for_load_state("load")

    page.add_locator_handler(purpose_question(page), answer)


def answers_itself(context):
    """Mark ``context`` (before its first page): its journey answers the question about purposes itself."""
    _ANSWERING_THEMSELVES.add(context)
    return context


def purpose_question(page):
    return page.get_by_role("heading", name=PURPOSE_HEADING, level=1)


def shot(page, name: str) -> Path:
    """A full-page screenshot of what the person sees, kept under var/e2e/ to be looked at."""
    VAR_E2E.mkdir(parents=True, exist_ok=True)
    path = VAR_E2E / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def current_code(username: str) -> str:
    from creditportal.tests.factories import authenticator_code

    return authenticator_code(username)


def second_factor(page, username: str) -> None:
    """Type the authenticator's code where the portal asks for it (supervisors, heads, administrators), once
    that page has arrived whole (the watch fails a journey that leaves a page still loading)."""
    from playwright.sync_api import expect

    expect(page.get_by_role("heading", level=1)).to_have_text("第二重验证")
    page.wait_for_load_state("load")
    page.get_by_label("验证码").fill(current_code(username))
    page.get_by_role("button", name="验证", exact=True).click()


def log_in(page, username: str, password: str = PASSWORD) -> None:
    """Log in through the login page as a person does (the Chinese labels), with the second factor where it
    applies."""
    from playwright.sync_api import expect

    from creditportal.models import User
    from creditportal.second_factor import needs_second_factor

    two_factors = needs_second_factor(User.objects.get(username=username))
    if two_factors:
        current_code(username)  # his phone has the key before he signs in
    page.goto("/accounts/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录").click()
    if two_factors:
        second_factor(page, username)
    expect(page.get_by_role("navigation", name="主导航")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_contain_text("欢迎")
    page.wait_for_load_state("load")  # the dashboard loads whole before the journey leaves it (the watch checks)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """A failing journey leaves a screenshot of every page it had open under var/e2e/failures/."""
    outcome = yield
    report = outcome.get_result()
    if report.when != "call" or not report.failed:
        return
    browser = item.funcargs.get("browser")
    if browser is None:
        return
    folder = VAR_E2E / "failures"
    folder.mkdir(parents=True, exist_ok=True)
    stem = re.sub(r"[^A-Za-z0-9_.-]+", "-", item.nodeid)[-150:]
    saved = []
    for c, context in enumerate(browser.contexts):
        for p, page in enumerate(context.pages):
            path = folder / f"{stem}-{c}-{p}.png"
            try:
                page.screenshot(path=str(path), full_page=True)
                saved.append(str(path))
            except Exception as error:  # a crashed page must not hide the test's own failure
                saved.append(f"{path}: no screenshot ({error})")
    if saved:
        report.sections.append(("e2e screenshots", "\n".join(saved)))


# --- The people of the README walk-through (created for each journey; the tables are emptied after it). ---


@pytest.fixture
def haikou(transactional_db):
    from creditportal.choices import DepartmentKind
    from creditportal.tests.factories import DepartmentFactory

    return DepartmentFactory(
        code="HK-SAMR",
        name="海口市市场监督管理局",
        name_en="Haikou Market Regulation Bureau",
        document_prefix="海口市监",
        kind=DepartmentKind.INDUSTRY_REGULATOR,
    )


@pytest.fixture
def authority(transactional_db):
    """The provincial credit authority: it drafts and publishes the catalog."""
    from creditportal.choices import DepartmentKind
    from creditportal.tests.factories import DepartmentFactory

    return DepartmentFactory(
        code="HN-DRC",
        name="海南省发展和改革委员会",
        name_en="Hainan Development and Reform Commission",
        document_prefix="琼发改",
        kind=DepartmentKind.CREDIT_AUTHORITY,
    )


@pytest.fixture
def hk_caseworker(haikou):
    from creditportal.choices import Role
    from creditportal.tests.factories import user_with_role

    return user_with_role(Role.CASEWORKER, haikou, username="hk-caseworker", first_name="小燕", last_name="林")


@pytest.fixture
def hn_caseworker(authority):
    from creditportal.choices import Role
    from creditportal.tests.factories import user_with_role

    return user_with_role(Role.CASEWORKER, authority, username="hn-caseworker", first_name="建国", last_name="王")


@pytest.fixture
def hn_supervisor(authority):
    from creditportal.choices import Role
    from creditportal.tests.factories import user_with_role

    return user_with_role(Role.SUPERVISOR, authority, username="hn-supervisor", first_name="海涛", last_name="陈")


@pytest.fixture
def published_catalog(hn_caseworker, authority):
    """Catalog v1, published, with one item, a measures list and a standard (tests/case_data.py)."""
    from tests.case_data import make_catalog

    item, _standard = make_catalog(actor=hn_caseworker, department=authority)
    return item.version
