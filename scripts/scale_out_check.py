"""The checks ``scripts/scale_out.sh --check`` runs on the layout it started (issue 23): each part answers, and the parts
work together — a request through nginx reaches both app servers, a sign-in writes through PgBouncer to the primary
and the replica streams it, the workers of every queue are heard from and render the demo's documents, exactly one
beat holds the scheduler lock. Exits non-zero, saying which check failed, on the first one that does.

Run by the script, with its environment (``SCALE_OUT_HTTPS``, ``SCALE_OUT_HTTP``, ``SCALE_OUT_APPS``, ``SCALE_OUT_REPLICA``,
``DATABASE_URL``: the primary itself).
"""

# ruff: noqa: S310, S603, S607, S608 -- requests to the layout's own servers, psql on its own databases, fixed SQL.
from __future__ import annotations

import http.cookiejar
import json
import os
import re
import ssl
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
STATE = ROOT / "var" / "scale-out"
HTTPS = os.environ["SCALE_OUT_HTTPS"]
HTTP = os.environ["SCALE_OUT_HTTP"]
APPS = os.environ["SCALE_OUT_APPS"].split()
CASEWORKER, PASSWORD = "hk-caseworker", "demo-pass-2026"  # the demo's (README "Demo accounts")

#: The certificate the script made for 127.0.0.1: checked, not ignored.
TLS = ssl.create_default_context(cafile=str(STATE / "nginx" / "tls" / "credit.example.gov.cn.crt"))


def fail(message: str) -> None:
    print(f"scale-out check FAILED: {message}", file=sys.stderr)
    sys.exit(1)


def ok(message: str) -> None:
    print(f"scale-out check: {message}")


def until(what: str, seconds: float, probe):
    """``probe()`` until it returns something true, for up to ``seconds``."""
    deadline = time.monotonic() + seconds
    while True:
        result = probe()
        if result:
            return result
        if time.monotonic() > deadline:
            fail(f"{what} (waited {seconds:.0f} s)")
        time.sleep(1)


def psql(url: str, sql: str) -> str:
    return subprocess.run(["psql", url, "-Atqc", sql], check=True, capture_output=True, text=True).stdout.strip()


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def get(opener, url: str, data: dict | None = None, headers: dict | None = None):
    body = urllib.parse.urlencode(data).encode() if data is not None else None
    request = urllib.request.Request(url, data=body, headers=headers or {})
    try:
        return opener.open(request, timeout=30)
    except urllib.error.HTTPError as error:
        return error


def health(opener) -> dict:
    return json.loads(get(opener, f"{HTTPS}/healthz").read())


def main() -> None:
    jar = http.cookiejar.CookieJar()
    browser = urllib.request.build_opener(
        urllib.request.HTTPSHandler(context=TLS), urllib.request.HTTPCookieProcessor(jar), NoRedirect()
    )

    # nginx: plain HTTP is sent to HTTPS; HTTPS answers with HSTS, the page in Chinese.
    plain = get(browser, f"{HTTP}/accounts/login/")
    if plain.status != 301 or not plain.headers["Location"].startswith(f"{HTTPS}/"):
        fail(f"http:// is not redirected to {HTTPS}/ (got {plain.status} {plain.headers.get('Location')})")
    page = get(browser, f"{HTTPS}/accounts/login/")
    html = page.read().decode()
    if page.status != 200 or '<html lang="zh-hans">' not in html or "Strict-Transport-Security" not in page.headers:
        fail(f"the sign-in page through nginx: {page.status}, HSTS {page.headers.get('Strict-Transport-Security')}")
    ok("nginx serves HTTPS with HSTS and sends http:// there; the sign-in page is in Chinese")

    # Both app servers answer, and nginx spreads requests over them.
    logs = {port: STATE / "logs" / f"app-{port}.log" for port in APPS}
    before = {port: logs[port].read_text().count("/accounts/login/") for port in APPS}
    for _ in range(8):
        get(browser, f"{HTTPS}/accounts/login/").read()
    spread = {port: logs[port].read_text().count("/accounts/login/") - before[port] for port in APPS}
    if not all(spread.values()):
        fail(f"nginx did not send requests to every app server: {spread}")
    ok(f"nginx spreads requests over both app servers {spread}")

    # Every queue's workers are heard from, through the shared cache; broker and cache answer.
    report = until(
        "a worker of every queue heard from in /healthz",
        90,
        lambda: (
            (r := health(browser))["status"] == "ok"
            and isinstance(r.get("workers"), dict)
            and all(age is not None for age in r["workers"].values())
            and r
        ),
    )
    ok(f"/healthz: status ok, cache {report['cache']}, broker {report['broker']}, workers {report['workers']}")

    # A sign-in writes through PgBouncer to the primary; the replica streams it.
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    if not token:
        fail("the sign-in form has no CSRF token")
    answer = get(
        browser,
        f"{HTTPS}/accounts/login/",
        {"csrfmiddlewaretoken": token[1], "username": CASEWORKER, "password": PASSWORD},
        {"Referer": f"{HTTPS}/accounts/login/"},
    )
    if answer.status != 302:
        fail(f"signing in as {CASEWORKER} through nginx and PgBouncer answered {answer.status}, not a redirect")
    if not all(cookie.secure for cookie in jar):
        fail("a cookie is sent without Secure")
    dashboard = get(browser, f"{HTTPS}/")
    if dashboard.status != 200 or "工作台" not in dashboard.read().decode():
        fail(f"the dashboard after signing in answered {dashboard.status}")
    primary = os.environ["DATABASE_URL"]
    sql = f"SELECT last_login FROM creditportal_user WHERE username = '{CASEWORKER}'"
    signed_in_at = psql(primary, sql)
    until(
        "the replica to show the sign-in the primary recorded",
        30,
        lambda: psql(os.environ["SCALE_OUT_REPLICA"], sql) == signed_in_at,
    )
    streaming = psql(primary, "SELECT state FROM pg_stat_replication")
    if streaming != "streaming":
        fail(f"the primary has no streaming replica: {streaming!r}")
    ok(f"{CASEWORKER} signed in through PgBouncer (last_login {signed_in_at}); the streaming replica has it too")

    # Both workers answer through the broker; no document waits for its PDF, and each is signed with its
    # department's certificate from SIGNING_DIR.
    replies = subprocess.run(
        [sys.executable, "-m", "celery", "-A", "creditportal", "inspect", "ping", "--json", "--timeout", "10"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    ).stdout
    answered = sorted(json.loads(replies or "{}"))
    if len(answered) != 2:
        fail(f"two workers should answer a ping through the broker; answered: {answered}")
    until("no document waiting for its PDF", 120, lambda: health(browser).get("documents_pending") == 0)
    unsigned = psql(primary, "SELECT count(*) FROM creditportal_issueddocument WHERE file = '' OR NOT signed")
    if unsigned != "0":
        fail(f"{unsigned} documents without a signed PDF")
    ok(f"workers {', '.join(answered)} answer through the broker; every document has its signed PDF")

    # Exactly one beat schedules.
    key = int.from_bytes(b"creditbt", "big") & 0x7FFF_FFFF_FFFF_FFFF  # creditportal.celery.BEAT_LOCK_KEY
    holders = until(
        "the beat to take the scheduler lock",
        30,
        lambda: int(
            psql(
                primary,
                "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted "
                f"AND classid = {key >> 32} AND objid = {key & 0xFFFF_FFFF} AND objsubid = 1",
            )
        ),
    )
    if holders != 1:
        fail(f"{holders} beats hold the scheduler lock, where exactly one should")
    ok("one beat holds the scheduler lock")


if __name__ == "__main__":
    main()
