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
import uuid
from html.parser import HTMLParser
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
    if "CELERY_BROKER_URL" not in (extra_env or {}):
        env.pop("CELERY_BROKER_URL", None)  # tasks in-process, unless the test gives a broker
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

    def request(self, path: str, data: dict | None = None, headers=None, body: bytes | None = None):
        """GET (or POST ``data``, or a ready ``body``), following redirects; (status, page, headers). The URL
        the answer came from is kept in ``self.url``. Where a page asks why the person opens a subject (issue 21,
        ``creditportal.access``), he answers "handling a case of this subject" on its form and gets the page."""
        answer = self._request(path, data, headers, body)
        if data is None and body is None and "X-Access-Purpose-Required" in answer[2]:
            ticket = re.search(r'name="ticket" value="([^"]+)"', answer[1]).group(1)
            self._request("/access/purpose/", {"purpose": "case", "ticket": ticket}, None, None)
            answer = self._request(path, data, headers, body)
        return answer

    def _request(self, path: str, data: dict | None, headers, body: bytes | None):
        if data is not None:
            body = urllib.parse.urlencode(data, doseq=True).encode()
        request = urllib.request.Request(self.base + path, data=body, headers=headers or {})  # noqa: S310
        if body is not None:
            request.add_header("Referer", self.base + path)
            request.add_header("X-CSRFToken", self.csrf())
        try:
            with self.opener.open(request, timeout=60) as response:
                self.url = response.geturl()
                return response.status, response.read().decode(), dict(response.headers)
        except urllib.error.HTTPError as error:
            self.url = error.geturl()
            return error.code, error.read().decode(errors="replace"), dict(error.headers)

    def submit(self, page_path: str, action: str, values: dict, files: dict | None = None):
        """Open ``page_path``, fill the form that posts to ``action`` and send it as a browser does."""
        status, page, _ = self.request(page_path)
        assert status == 200, (page_path, status, page[-2000:])
        fields = fill(page_form(page, action, page_path), values)
        if files:
            body, content_type = multipart(fields, files)
            return self.request(action, body=body, headers={"Content-Type": content_type})
        return self.request(action, fields)

    def csrf(self) -> str:
        return next((c.value for c in self.cookies if c.name == "csrftoken"), "")

    def form(self, path: str, fields: dict) -> tuple[int, str, dict]:
        """Open the form's page (for its CSRF token) and submit it."""
        status, page, _ = self.request(path)
        assert status == 200, (path, status, page[-2000:])
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        return self.request(path, {**fields, "csrfmiddlewaretoken": token.group(1) if token else self.csrf()})

    def login(self, username: str, password: str = PASSWORD) -> None:
        """The login page, and for a supervisor, head or administrator the second factor's code (issue 21)."""
        from creditportal.models import User
        from creditportal.second_factor import needs_second_factor
        from creditportal.tests.factories import authenticator_code

        two_factors = needs_second_factor(User.objects.get(username=username))
        if two_factors:
            authenticator_code(username)  # his phone has the key before he signs in
        status, page, _ = self.form("/accounts/login/", {"username": username, "password": password})
        if two_factors:
            status, page, _ = self.form("/accounts/second-factor/", {"code": authenticator_code(username)})
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


def test_healthz_answers_503_only_when_the_database_does_not_answer():
    """The one part without which no user is served: /healthz says "down" with a 503, and the load balancer takes
    the server out (the cache and the broker down answer 200 "degraded": tests/test_cache_faults.py)."""
    port = free_port()
    server = start_gunicorn(port=port, extra_env={"DATABASE_URL": "postgres://postgres@127.0.0.1:1/creditportal"})
    try:
        deadline = time.monotonic() + 60
        status, page = 0, ""
        while time.monotonic() < deadline and server.poll() is None:
            try:
                status, page, _ = Browser(f"http://127.0.0.1:{port}").request("/healthz")
                break
            except (urllib.error.URLError, ConnectionError):
                time.sleep(0.3)
        assert status == 503, (status, page[-2000:])
        assert '"status": "down"' in page and '"database": "unreachable"' in page, page
    finally:
        stop(server)


class _Forms(HTMLParser):
    """The forms of a page: action, enctype and fields (name → value as the browser would send it, and the
    options of each select with their labels)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[dict] = []
        self._select: str | None = None
        self._option: list | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self.forms.append(
                {"action": a.get("action") or "", "enctype": a.get("enctype", ""), "fields": {}, "options": {}}
            )
        elif not self.forms:
            return
        fields, options = self.forms[-1]["fields"], self.forms[-1]["options"]
        if tag == "input" and a.get("name"):
            kind = a.get("type", "text")
            if kind in ("checkbox", "radio"):
                fields.setdefault(a["name"], [])
                if "checked" in a:
                    fields[a["name"]].append(a.get("value", "on"))
                options.setdefault(a["name"], []).append((a.get("value", "on"), ""))
            elif kind not in ("submit", "button", "file"):
                fields[a["name"]] = a.get("value", "")
        elif tag == "select" and a.get("name"):
            self._select = a["name"]
            fields[a["name"]] = ""
            options[a["name"]] = []
        elif tag == "option" and self._select:
            self._option = [a.get("value", ""), "", "selected" in a]
        elif tag == "textarea" and a.get("name"):
            self._textarea = a["name"]
            fields[a["name"]] = ""

    def handle_data(self, data):
        if self._option is not None:
            self._option[1] += data
        elif self._textarea and self.forms:
            self.forms[-1]["fields"][self._textarea] += data

    def handle_endtag(self, tag):
        if tag == "option" and self._option is not None and self._select:
            value, label, selected = self._option
            form = self.forms[-1]
            form["options"][self._select].append((value, label.strip()))
            if selected or len(form["options"][self._select]) == 1:  # a browser sends the first unless one is chosen
                form["fields"][self._select] = value
            self._option = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None


def page_form(page: str, action: str, page_path: str = "") -> dict:
    """The form of ``page`` that posts to ``action`` (a form without an action posts to its own page)."""
    parser = _Forms()
    parser.feed(page)
    for form in parser.forms:
        if (form["action"] or page_path) == action:
            return form
    raise AssertionError(f"no form posts to {action}; forms: {[f['action'] for f in parser.forms]}")


def fill(form: dict, values: dict) -> dict:
    """The form's fields with ``values`` set by their unprefixed names (a select takes a value or a label)."""
    fields = dict(form["fields"])
    for name, value in values.items():
        key = next((k for k in fields if k == name or k.endswith("-" + name)), None)
        assert key is not None, f"no field {name} in {sorted(fields)}"
        choices = form["options"].get(key)
        if choices and isinstance(value, str) and value not in {v for v, _ in choices}:
            matches = [v for v, label in choices if label == value]
            assert matches, f"{key}: no option {value!r} in {choices}"
            value = matches[0]
        fields[key] = value
    return fields


def multipart(fields: dict, files: dict) -> tuple[bytes, str]:
    boundary = "----creditportal" + uuid.uuid4().hex
    parts = []
    for name, value in fields.items():
        for item in value if isinstance(value, list) else [value]:
            parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{item}\r\n'.encode())
    for name, (filename, content, content_type) in files.items():
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
            f"Content-Type: {content_type}\r\n\r\n".encode()
            + content
            + b"\r\n"
        )
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"
