"""The load scenario of issue 12 (``make load``): caseworkers and supervisors of the demo departments working
through the pages a morning brings — lists, case files, drafting designations, issuing prior notices (PDFs
rendered by a real Celery worker) and approving.

Run by ``deploy/load/run.sh``: 50 caseworkers and 5 supervisors (``--users 55``; the weights below give the
10:1 mix), logged in with the demo accounts (README "Demo accounts"). Forms are filled as a browser does: the
page's hidden fields (CSRF token, expected version) are sent back, so a stale page is refused by the
optimistic lock — a lost update would be a 200 where a refusal belongs, and is counted as a failure.
"""

# The demo accounts' published password, and random choices of what a simulated person clicks (not secrets).
# ruff: noqa: S105, S311

from __future__ import annotations

import random
import re
from html.parser import HTMLParser

from locust import HttpUser, between, task

PASSWORD = "demo-pass-2026"
CASEWORKERS = ["hk-caseworker", "sy-caseworker"]
SUPERVISORS = ["hk-supervisor", "sy-supervisor"]


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

    def on_start(self):
        self.client.get("/accounts/login/", name="login page")
        token = self.client.cookies.get("csrftoken", "")
        with self.client.post(
            "/accounts/login/",
            {"username": random.choice(self.accounts), "password": PASSWORD, "csrfmiddlewaretoken": token},
            headers={"Referer": self.host + "/accounts/login/"},
            name="log in",
            catch_response=True,
        ) as response:
            if "/accounts/logout/" not in response.text:
                response.failure("login failed")

    def post_form(self, page_path: str, action: str, values: dict, name: str) -> bool:
        """Open a page, fill its form that posts to ``action`` and send it; True when the act was done."""
        page = self.client.get(page_path, name=name + " (page)")
        form = form_posting_to(page.text, action, page_path)
        if form is None:
            return False  # not offered now (another user was quicker, or the state moved on)
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
    accounts = CASEWORKERS

    @task(6)
    def browse_subjects(self):
        self.client.get(f"/subjects/?page={random.randint(1, 20)}", name="/subjects/?page=N")

    @task(4)
    def browse_designations(self):
        page = self.client.get("/designations/", name="/designations/")
        cases = links(page.text, r'href="(/designations/\d+/)"')
        if cases:
            self.client.get(random.choice(cases), name="/designations/<pk>/")

    @task(4)
    def open_subject(self):
        page = self.client.get("/subjects/", name="/subjects/")
        subjects = links(page.text, r'href="(/subjects/\d+/)"')
        if subjects:
            self.client.get(random.choice(subjects), name="/subjects/<pk>/")

    @task(2)
    def my_work(self):
        self.client.get("/designations/queue/", name="/designations/queue/")

    @task(1)
    def draft_and_notify(self):
        """Draft a designation on a subject with a record, and issue its prior notice (a PDF for the worker)."""
        page = self.client.get(f"/subjects/?page={random.randint(1, 8)}", name="/subjects/?page=N")
        subjects = links(page.text, r'href="(/subjects/\d+/)"')
        if not subjects:
            return
        subject = self.client.get(random.choice(subjects), name="/subjects/<pk>/")
        new = links(subject.text, r'href="(/designations/new/subject/\d+/)"')
        if not new:
            return
        form_page = self.client.get(new[0], name="/designations/new/subject/<pk>/ (page)")
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


class Supervisor(Portal):
    weight = 1
    accounts = SUPERVISORS

    @task(3)
    def queue(self):
        page = self.client.get("/designations/queue/", name="/designations/queue/")
        cases = links(page.text, r'href="(/designations/\d+/)"')
        if cases:
            path = random.choice(cases)
            self.post_form(path, f"{path}act/approve/", {"reason": "负载测试：同意"}, "approve")

    @task(2)
    def browse(self):
        self.client.get("/designations/", name="/designations/")
