"""The application's database connections terminated under a running server (issue 12): the next request
succeeds.

A real gunicorn serves the application on a free port against the test database, with connections kept
between requests (``CONN_MAX_AGE`` 60 s) and checked before reuse (``CONN_HEALTH_CHECKS``). A user logs in
over HTTP and opens a page; then PostgreSQL's ``pg_terminate_backend`` cuts every connection of the server
(as a database restart, a failover or a proxy's idle timeout does); the next request must answer 200 and the
user is still logged in (the session lives in the database).
"""

from __future__ import annotations

import http.cookiejar
import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from django.contrib.auth.hashers import make_password
from django.db import connection

from creditportal.choices import Role
from creditportal.tests.factories import DepartmentFactory, user_with_role

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "correct-horse-battery-staple"
APPLICATION_NAME = "creditportal-gunicorn-test"

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def database_url(application_name: str = APPLICATION_NAME) -> str:
    """The test database, with an application name that tells the server's connections apart."""
    db = connection.settings_dict
    return f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}?application_name={application_name}"


def start_gunicorn(*, port: int, extra_env=None, workers: int = 1) -> subprocess.Popen:
    """``gunicorn creditportal.wsgi`` as deployed (DEBUG off), on the test database."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "creditportal.settings.dev",
        "DEBUG": "false",
        "DATABASE_URL": database_url(),
        "SECRET_KEY": "integration-test-only-" + "x" * 40,
        "CONN_MAX_AGE": "60",
        **(extra_env or {}),
    }
    env.pop("CELERY_BROKER_URL", None)
    command = [sys.executable, "-m", "gunicorn", "creditportal.wsgi", "--bind", f"127.0.0.1:{port}"]
    command += ["--workers", str(workers), "--timeout", "60", "--log-level", "warning"]
    return subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def wait_serving(base: str, process: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            break
        try:
            with urllib.request.urlopen(base + "/healthz", timeout=5) as response:  # noqa: S310 (our own server)
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.3)
    pytest.fail(f"gunicorn did not answer on {base} within {timeout:.0f} s:\n{stop(process)[-4000:]}")


def stop(process: subprocess.Popen) -> str:
    if process.poll() is None:
        process.terminate()
    try:
        return process.communicate(timeout=20)[0] or ""
    except subprocess.TimeoutExpired:
        process.kill()
        return process.communicate(timeout=10)[0] or ""


class Browser:
    """A user agent for a real server: cookies, the CSRF token, status codes (an error status is an answer)."""

    def __init__(self, base: str):
        self.base = base
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.cookies))

    def request(self, path: str, data: dict | None = None, headers=None) -> tuple[int, str, dict]:
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        request = urllib.request.Request(self.base + path, data=body, headers=headers or {})  # noqa: S310
        if data is not None:
            request.add_header("Referer", self.base + path)
            request.add_header("X-CSRFToken", self.csrf())
        try:
            with self.opener.open(request, timeout=30) as response:
                return response.status, response.read().decode(), dict(response.headers)
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode(errors="replace"), dict(error.headers)

    def csrf(self) -> str:
        return next((c.value for c in self.cookies if c.name == "csrftoken"), "")

    def form(self, path: str, fields: dict) -> tuple[int, str, dict]:
        """Open the form's page (for its CSRF token) and submit it."""
        status, page, _ = self.request(path)
        assert status == 200, (path, status, page[-2000:])
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        return self.request(path, {**fields, "csrfmiddlewaretoken": token.group(1) if token else self.csrf()})

    def login(self, username: str, password: str = PASSWORD) -> None:
        status, page, _ = self.form("/accounts/login/", {"username": username, "password": password})
        assert status == 200 and "/accounts/logout/" in page, (status, page[-2000:])


def server_backends(application_name: str = APPLICATION_NAME) -> list[int]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pid FROM pg_stat_activity WHERE application_name = %s AND datname = current_database()",
            [application_name],
        )
        return [row[0] for row in cursor.fetchall()]


def make_caseworker(settings):
    """A caseworker whose password the server can check (the test profile's MD5 hasher is not in its list)."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]
    department = DepartmentFactory(code="HK-SAMR", name="海口市市场监督管理局")
    user = user_with_role(Role.CASEWORKER, department, username="caseworker_a")
    user.password = make_password(PASSWORD)
    user.save(update_fields=["password"])
    return user


def test_the_next_request_succeeds_after_the_database_drops_the_servers_connections(settings):
    """pg_terminate_backend on every connection of a running gunicorn: the next request answers 200, logged in
    (CONN_HEALTH_CHECKS replaces the dead connection instead of failing the request with it)."""
    make_caseworker(settings)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = start_gunicorn(port=port)
    try:
        wait_serving(base, server)
        browser = Browser(base)
        browser.login("caseworker_a")
        status, page, _ = browser.request("/")
        assert status == 200 and "/accounts/logout/" in page
        backends = server_backends()
        assert backends, "the server keeps no connection between requests (CONN_MAX_AGE)"

        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_terminate_backend(pid) FROM unnest(%s::int[]) AS pid", [backends])
            assert all(row[0] for row in cursor.fetchall())
        deadline = time.monotonic() + 10
        while set(server_backends()) & set(backends) and time.monotonic() < deadline:
            time.sleep(0.1)

        for _ in range(3):  # the next requests, each on the one worker whose connection was cut
            status, page, _ = browser.request("/")
            assert status == 200, page[-2000:]
            assert "/accounts/logout/" in page  # still logged in: the session was read through the new connection
        assert server_backends() and not set(server_backends()) & set(backends)
    finally:
        output = stop(server)
    assert "Traceback" not in output, output[-4000:]
