"""Throughput under load (issue 23): each case list's first page beside a bare Django page (one PostgreSQL query, a
25-row table rendered by a template), served the same way in the same run: gunicorn with the deployment's
configuration (deploy/gunicorn.conf.py) and LOAD_WORKERS sync workers, LOAD_CONNECTIONS concurrent connections for
LOAD_SECONDS each, by ``wrk`` (a small Python load generator where wrk is missing). The bare page is served from the
bench's own URLconf (``bench.urls``), never the application's. Target: each list ≥ 40% of the bare page."""

from __future__ import annotations

import http.client
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request

from django.conf import settings
from django.test import Client
from django.urls import reverse

from creditportal.models import User

from .common import LOAD_CONNECTIONS, LOAD_SECONDS, LOAD_WORKERS, NOTES, ROOT, say

TARGET_SHARE = 0.40
PAGES = (
    ("Credit subjects", "subject_list"),
    ("Credit records", "record_list"),
    ("Designations", "designation_list"),
    ("Objections", "objection_list"),
    ("Restoration applications", "restoration_list"),
    ("Deadlines", "deadline_list"),
)
BARE = "/bench/bare/"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _session_cookie(username: str) -> str:
    client = Client()
    client.force_login(User.objects.get(username=username), backend="creditportal.permissions.RoleBackend")
    return f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"


def _wrk(url: str, cookie: str) -> tuple[float, int, str]:
    """Requests per second, failed answers (non-2xx/3xx, socket errors), and the latency line."""
    out = subprocess.run(  # noqa: S603 -- wrk (from the PATH, as Debian installs it) on the bench's own URL
        [  # noqa: S607
            "wrk",
            "-t2",
            f"-c{LOAD_CONNECTIONS}",
            f"-d{LOAD_SECONDS}s",
            "--timeout",
            "60s",  # a slow answer is slow, not lost (wrk's default, 2 s, counts it as a socket timeout)
            "--latency",
            "-H",
            f"Cookie: {cookie}",
            url,
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    failed = sum(int(n) for n in re.findall(r"Non-2xx or 3xx responses: (\d+)", out))
    errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    if errors:
        failed += sum(int(n) for n in errors.groups())
    p50 = re.search(r"^\s+50%\s+(\S+)", out, re.MULTILINE)  # the latency distribution's lines, not a "+/- Stdev"
    p99 = re.search(r"^\s+99%\s+(\S+)", out, re.MULTILINE)
    return rate, failed, f"p50 {p50.group(1) if p50 else '?'}, p99 {p99.group(1) if p99 else '?'}"


def _python_load(url: str, cookie: str) -> tuple[float, int, str]:
    """The fallback: LOAD_CONNECTIONS threads, each a keep-alive connection, for LOAD_SECONDS."""
    host, port = url.split("/")[2].split(":")
    path = "/" + url.split("/", 3)[3]
    done, failed = [0], [0]
    lock = threading.Lock()
    stop = time.monotonic() + LOAD_SECONDS

    def worker() -> None:
        connection = http.client.HTTPConnection(host, int(port), timeout=30)
        while time.monotonic() < stop:
            try:
                connection.request("GET", path, headers={"Cookie": cookie})
                response = connection.getresponse()
                response.read()
                ok = response.status < 400
            except (OSError, http.client.HTTPException):
                connection.close()
                connection = http.client.HTTPConnection(host, int(port), timeout=30)
                ok = False
            with lock:
                done[0] += 1
                failed[0] += 0 if ok else 1
        connection.close()

    threads = [threading.Thread(target=worker) for _ in range(LOAD_CONNECTIONS)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return done[0] / (time.monotonic() - started), failed[0], "latency not measured (Python load generator)"


def run_load() -> None:
    say(f"throughput: gunicorn, {LOAD_WORKERS} workers, {LOAD_CONNECTIONS} connections, {LOAD_SECONDS} s a page …")
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    cookie = _session_cookie("bench-caseworker")
    tool = "wrk" if shutil.which("wrk") else "python"
    load = _wrk if tool == "wrk" else _python_load
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "BENCH_DATABASE_NAME": settings.DATABASES["default"]["NAME"],
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "GUNICORN_WORKERS": str(LOAD_WORKERS),
    }
    log = tempfile.NamedTemporaryFile(prefix="bench-gunicorn-", suffix=".log", delete=False)  # noqa: SIM115
    server = subprocess.Popen(  # noqa: S603
        [
            str(ROOT / ".venv" / "bin" / "gunicorn") if (ROOT / ".venv" / "bin" / "gunicorn").exists() else "gunicorn",
            "-c",
            str(ROOT / "deploy" / "gunicorn.conf.py"),
            "--pythonpath",
            f"{ROOT},{ROOT / 'scripts'}",
            "--access-logfile",
            os.devnull,
            "creditportal.wsgi:application",
        ],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    results: list[tuple[str, float, int, str]] = []
    try:
        _wait_until_up(f"{base}{BARE}", server, log.name)
        for path in [
            BARE,
            *(reverse(name) for _label, name in PAGES),
        ]:  # every page answers 200, signed in, before it is loaded
            request = urllib.request.Request(f"{base}{path}", headers={"Cookie": cookie})  # noqa: S310
            with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310 -- http://127.0.0.1
                if response.status != 200 or response.url != f"{base}{path}":
                    raise SystemExit(f"bench: {path} under gunicorn answered {response.status} at {response.url}")
                response.read()
        for label, path in [
            ("Bare page (before)", BARE),
            *((label, reverse(name)) for label, name in PAGES),
            ("Bare page (after)", BARE),
        ]:
            rate, failed, latency = load(f"{base}{path}", cookie)
            results.append((label, rate, failed, latency))
            print(f"  {label}: {rate:,.1f} requests/s, {failed} failed ({latency})", flush=True)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
    bare = (results[0][1] + results[-1][1]) / 2
    lines = [
        "## Throughput under load (issue 23)",
        "",
        f"gunicorn with deploy/gunicorn.conf.py, {LOAD_WORKERS} sync workers, the bench's settings (the suite's, "
        "persistent connections as deployed, DEBUG off) and URLconf; "
        f"{'wrk' if tool == 'wrk' else 'a Python load generator'} with {LOAD_CONNECTIONS} connections for "
        f"{LOAD_SECONDS} s a page, signed in as the caseworker of BENCH-A, on the same 2 cores as the server, the "
        "database and the load generator. The bare page (one PostgreSQL query, a 25-row table from a template, the "
        "same middleware) ran before and after the lists; the ratio is to their mean "
        f"({bare:,.1f} requests/s). Target: ≥ {TARGET_SHARE:.0%}.",
        "",
        "| page | requests/s | of the bare page | failed | latency |",
        "| --- | ---: | ---: | ---: | --- |",
    ]
    for label, rate, failed, latency in results:
        share = rate / bare if bare else 0
        verdict = "" if label.startswith("Bare") else (" met" if share >= TARGET_SHARE else " **missed**")
        lines.append(f"| {label} | {rate:,.1f} | {share:.0%}{verdict} | {failed} | {latency} |")
    lines.append("")
    if any(rate / bare < TARGET_SHARE for label, rate, _f, _l in results if not label.startswith("Bare")):
        lines += [
            "Why the lists miss it: the bare page is one query and a small template, while a list request reads "
            "eight queries (session, user, roles, the share query, the page, the bounded count and the planner's "
            "estimate; the designations' standards a ninth) and writes the access log's entries for the rows shown (R-SEC-3; one INSERT and the "
            "ledger's statement trigger), renders the whole layout (navigation, filter form, 25 rows of 6–8 "
            "columns) and runs the full middleware chain (sessions, second factor, axes, history). cProfile of a "
            "list request at this scale after issue 23's fixes: about a fifth in the queries (the access log's "
            "INSERT the largest), 45% rendering (the row cells a quarter of that), the rest middleware. What would "
            "fix it further: the access log's INSERT off the request (creditportal/access.py); the row values "
            "prepared in the view; the deadlines page's rows in one tag as the lists' and its chart cached. On 2 "
            "cores shared by the server, PostgreSQL and wrk (and, when it ran, anything else on the machine), a ratio to a bare page "
            "measured minutes apart moves by tens of percent from run to run.",
            "",
        ]
    NOTES["load"] = lines
    THROUGHPUT[:] = results


#: (label, requests/s, failed, latency) of the last run, for the report's reading.
THROUGHPUT: list[tuple[str, float, int, str]] = []


def _wait_until_up(url: str, server: subprocess.Popen, log: str) -> None:
    for _ in range(120):
        if server.poll() is not None:
            sys.stderr.write(open(log, encoding="utf-8").read()[-3000:])  # noqa: SIM115
            raise SystemExit("bench: gunicorn did not start")
        try:
            with urllib.request.urlopen(url, timeout=5):  # noqa: S310
                return
        except OSError:
            time.sleep(0.5)
    raise SystemExit("bench: gunicorn did not answer within a minute")
