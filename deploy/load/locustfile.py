"""The load scenario of ``make load`` (issues 12 and 23): caseworkers and supervisors working through the pages a
morning brings — lists, case files, drafting designations, issuing prior notices and decisions (PDFs rendered by a
real Celery worker) and approving.

Run by ``deploy/load/run.sh`` with the accounts ``deploy/load/prepare.py`` wrote (``LOAD_ACCOUNTS``, a JSON file):
on the million subjects of ``make bench`` 200 people (``--users 200``; the weights below give the 10:1 mix), each
simulated person signing in with the next account of their role, a supervisor with the code of their authenticator
(issue 21: TOTP, RFC 6238, computed here from the key the set-up made). Forms are filled as a browser does: the
page's hidden fields (CSRF token, expected version) are sent back, so a stale page is refused by the optimistic
lock — a lost update would be a 200 where a refusal belongs, and is counted as a failure.
"""

# Random choices of what a simulated person clicks (not secrets).
# ruff: noqa: S311

from __future__ import annotations

import hashlib
import hmac
import itertools
import json
import os
import random
import re
import struct
import time
from html.parser import HTMLParser
from pathlib import Path

from locust import HttpUser, between, task

ACCOUNTS = json.loads(
    Path(os.environ.get("LOAD_ACCOUNTS", Path(__file__).resolve().parents[2] / "var/load/accounts.json")).read_text()
)
SECOND_FACTOR = "/accounts/second-factor/"
PURPOSE_HEADER = "X-Access-Purpose-Required"  # creditportal.access: the purpose question in place of the page


def totp(key_hex: str, at: float | None = None) -> str:
    """The code an authenticator app shows for the key (RFC 6238 as django-otp's TOTPDevice: SHA-1, 30 s, 6 digits)."""
    counter = int((time.time() if at is None else at) // 30)
    digest = hmac.new(bytes.fromhex(key_hex), struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    return f"{(struct.unpack('>I', digest[offset : offset + 4])[0] & 0x7FFFFFFF) % 1_000_000:06d}"


class _Forms(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[dict] = []
        self._select = None
        self._textarea = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self.forms.append({"action": a.get("action") or "", "fields": {}, "options": {}})
            return
        if not self.forms:
            return
        form = self.forms[-1]
        if tag == "input" and a.get("name"):
            kind = a.get("type", "text")
            if kind in ("checkbox", "radio"):
                form["options"].setdefault(a["name"], []).append(a.get("value", "on"))
                if "checked" in a:
                    form["fields"].setdefault(a["name"], []).append(a.get("value", "on"))
            elif kind not in ("submit", "button", "file"):
                form["fields"][a["name"]] = a.get("value", "")
        elif tag == "select" and a.get("name"):
            self._select = a["name"]
            form["options"][a["name"]] = []
        elif tag == "option" and self._select:
            form["options"][self._select].append(a.get("value", ""))
            if "selected" in a:
                form["fields"][self._select] = a.get("value", "")
        elif tag == "textarea" and a.get("name"):
            self._textarea = a["name"]
            form["fields"][a["name"]] = ""

    def handle_data(self, data):
        if self._textarea and self.forms:
            self.forms[-1]["fields"][self._textarea] += data

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None


def form_posting_to(page: str, action: str, page_path: str) -> dict | None:
    parser = _Forms()
    parser.feed(page)
    return next((f for f in parser.forms if (f["action"] or page_path) == action), None)


def fill(form: dict, values: dict) -> dict:
    """The form's fields with ``values`` set by their names without the form's prefix (``reason`` fills
    ``issue_notice-reason``), as a person fills the visible fields and the hidden ones go back as they came."""
    fields = dict(form["fields"])
    for name, value in values.items():
        key = next((k for k in fields if k == name or k.endswith("-" + name)), name)
        fields[key] = value
    return fields


def links(page: str, pattern: str) -> list[str]:
    return sorted(set(re.findall(pattern, page)))


class Portal(HttpUser):
    abstract = True
    wait_time = between(1, 5)  # a person reads a page before the next click
    accounts: list[str] = []
    turn = itertools.count()  # each simulated person takes the next account of their role

    def on_start(self):
        self.username = self.accounts[next(self.turn) % len(self.accounts)]
        self.client.get("/accounts/login/", name="login page")
        token = self.client.cookies.get("csrftoken", "")
        with self.client.post(
            "/accounts/login/",
            {"username": self.username, "password": ACCOUNTS["password"], "csrfmiddlewaretoken": token},
            headers={"Referer": self.host + "/accounts/login/"},
            name="log in",
            catch_response=True,
        ) as response:
            if SECOND_FACTOR in (response.url or ""):
                response.success()
                self.second_factor(response.url)
            elif "/accounts/logout/" not in response.text:
                response.failure("login failed")

    def second_factor(self, url: str) -> None:
        """The code of the authenticator. A code is good once (django-otp): where two people share an account (the
        demo's), the second waits for the next one, as a person would."""
        for _attempt in range(3):
            token = self.client.cookies.get("csrftoken", "")
            with self.client.post(
                url,
                {"code": totp(ACCOUNTS["keys"][self.username]), "csrfmiddlewaretoken": token},
                headers={"Referer": url},
                name="second factor",
                catch_response=True,
            ) as response:
                if SECOND_FACTOR not in (response.url or "") and "/accounts/logout/" in response.text:
                    return
                response.success()  # refused once: an answer, not a failure
            time.sleep(31 - time.time() % 30)
        self.environment.events.request.fire(
            request_type="POST",
            name="second factor",
            response_time=0,
            response_length=0,
            exception=RuntimeError("second factor refused three times"),
        )

    def open(self, path: str, name: str):
        """A page about one subject: the first time in the session it asks why (R-SEC-2, R-SEC-3); the person
        answers (handling a case of the subject) and is taken on to the page."""
        response = self.client.get(path, name=name)
        if not response.headers.get(PURPOSE_HEADER):
            return response
        form = form_posting_to(response.text, "/access/purpose/", path)
        if form is None:
            return response
        return self.client.post(
            "/access/purpose/",
            fill(form, {"purpose": "case"}),
            headers={"Referer": self.host + path},
            name="declare the purpose",
        )

    def post_form(self, page_path: str, action: str, values: dict, name: str) -> bool:
        """Open a page, fill its form that posts to ``action`` and send it; True when the act was done."""
        page = self.open(page_path, name + " (page)")
        form = form_posting_to(page.text, action, page_path)
        if form is None:
            return False  # not offered now (another user was quicker, or the state moved on)
        return self.submit(page_path, form, action, values, name)

    def act_on_one(self, paths: list[str], acts: list[tuple[str, dict, str]], page_name: str) -> bool:
        """Open up to three of the cases ``paths`` (in a random order) and take, on the first that offers one, the
        first of ``acts`` (act, values, name) its page offers — as a person works down a list, skipping a case whose
        act is not theirs to take now (the page says why)."""
        random.shuffle(paths)
        for path in paths[:3]:
            page = self.open(path, page_name)
            for act, values, name in acts:
                action = f"{path}act/{act}/"
                form = form_posting_to(page.text, action, path)
                if form is not None:
                    return self.submit(path, form, action, values, name)
        return False

    def submit(self, page_path: str, form: dict, action: str, values: dict, name: str) -> bool:
        fields = fill(form, values)
        with self.client.post(
            action, fields, headers={"Referer": self.host + page_path}, name=name, catch_response=True
        ) as response:
            if response.status_code >= 500:
                response.failure(f"server error {response.status_code}")
                return False
            done = "alert-success" in response.text
            if done:
                response.success()
            else:  # a refusal the service explains (a stale page, a guard) is an answer, not a server error
                response.success()
                self.environment.events.request.fire(
                    request_type="REFUSED", name=name, response_time=0, response_length=0, exception=None
                )
            return done


class Caseworker(Portal):
    weight = 10
    accounts = ACCOUNTS["caseworkers"]
    turn = itertools.count()

    @task(6)
    def browse_subjects(self):
        self.client.get(f"/subjects/?page={random.randint(1, 20)}", name="/subjects/?page=N")

    @task(4)
    def browse_designations(self):
        page = self.client.get("/designations/", name="/designations/")
        cases = links(page.text, r'href="(/designations/\d+/)"')
        if cases:
            self.open(random.choice(cases), "/designations/<pk>/")

    @task(4)
    def open_subject(self):
        page = self.client.get("/subjects/", name="/subjects/")
        subjects = links(page.text, r'href="(/subjects/\d+/)"')
        if subjects:
            self.open(random.choice(subjects), "/subjects/<pk>/")

    @task(2)
    def my_work(self):
        self.client.get("/work/", name="/work/")

    @task(1)
    def draft_and_notify(self):
        """Draft a designation on a subject with a record, and issue its prior notice (a PDF for the worker)."""
        # a person's case: an organisation's needs its legal representative noted before the notice (R-REC-2), which
        # the bench data does not hold (the notice would rightly not be offered)
        page = self.client.get(
            f"/subjects/?kind=natural_person&page={random.randint(1, 8)}", name="/subjects/?kind=natural_person&page=N"
        )
        subjects = links(page.text, r'href="(/subjects/\d+/)"')
        if not subjects:
            return
        subject = self.open(random.choice(subjects), "/subjects/<pk>/")
        new = links(subject.text, r'href="(/designations/new/subject/\d+/)"')
        if not new:
            return
        form_page = self.open(new[0], "/designations/new/subject/<pk>/ (page)")
        form = form_posting_to(form_page.text, new[0], new[0])
        if not form or not form["options"].get("records"):
            return
        values = {
            "records": form["options"]["records"][:1],
            "measures": form["options"].get("measures", [])[:1],
            "facts": "负载测试：当事人多次销售超过保质期的食品。",
            "reasons": "负载测试：严重危害人民群众身体健康。",
            "proportionality_statement": "负载测试：措施与情节相当。",
            "statement_period_wd": "5",
        }
        standards = [v for v in form["options"].get("standard", []) if v]
        if standards:
            values["standard"] = standards[0]
        with self.client.post(
            new[0],
            fill(form, values),
            headers={"Referer": self.host + new[0]},
            name="draft a designation",
            catch_response=True,
        ) as response:
            if response.status_code >= 500:
                response.failure(f"server error {response.status_code}")
                return
            response.success()
            case = re.search(r"/designations/(\d+)/$", response.url or "")
        if case:
            path = f"/designations/{case.group(1)}/"
            self.post_form(
                path,
                f"{path}act/issue_notice/",
                {"reason": "负载测试：出具事先告知书", "statement_period_wd": "5"},
                "issue notice",
            )

    @task(1)
    def issue_decision(self):
        """From "My work", the decision of one of the caseworker's approved cases (a PDF for the worker)."""
        page = self.client.get("/work/", name="/work/")
        cases = links(page.text, r'href="(/designations/\d+/)"')
        if cases:
            self.act_on_one(
                cases,
                [("issue_decision", {"reason": "负载测试：制发认定决定书"}, "issue decision")],
                "/designations/<pk>/ (my work)",
            )


class Supervisor(Portal):
    weight = 1
    accounts = ACCOUNTS["supervisors"]
    turn = itertools.count()

    @task(3)
    def queue(self):
        """The approval queue in "My work": approve a case, or return one that cannot be approved (its reasons not
        stated, as in the bench data's own cases waiting for approval) to its caseworker."""
        page = self.client.get("/work/", name="/work/")
        cases = links(page.text, r'href="(/designations/\d+/)"')
        if cases:
            self.act_on_one(
                cases,
                [
                    ("approve", {"reason": "负载测试：同意"}, "approve"),
                    ("return", {"reason": "负载测试：请补充认定理由后再提请审批"}, "return to the caseworker"),
                ],
                "/designations/<pk>/ (approval)",
            )

    @task(2)
    def browse(self):
        self.client.get("/designations/", name="/designations/")
