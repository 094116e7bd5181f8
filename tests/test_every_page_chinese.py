"""Every page in Chinese (issue 9): no string of our catalogue left in English, no common English UI word.

Every URL of the permission matrix is opened, in zh-hans, as a user who may see it; so is every page of the
admin the system and audit administrators open. A page fails when a piece of its visible text (a text node, or
a label, title or placeholder attribute) *is* one of the catalogue's English messages that has a Chinese
translation (placeholders match anything), or holds one of the English UI words people meet most. Only whole
text nodes are compared with the catalogue, so English inside data (a department's English name) cannot match.
"""

from __future__ import annotations

import re
from functools import cache
from html.parser import HTMLParser
from pathlib import Path

import polib
import pytest
from django.contrib import admin
from django.core.files.base import ContentFile
from django.urls import reverse

from creditportal.choices import DepartmentKind, SystemRole
from creditportal.tests.factories import DepartmentFactory, UserFactory
from tests.test_permission_matrix import MATRIX, OK, ROLES, _url, _user, shared_matrix_data

pytestmark = pytest.mark.django_db

PO = Path(__file__).resolve().parent.parent / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"
#: The English words of a user interface that must never reach a Chinese page, whatever the catalogue says.
UI_WORDS = re.compile(
    r"\b(Save|Cancel|Reason|Forbidden|Not found|Submit|Delete|Search|Log in|Log out|Welcome|Home|History"
    r"|Filter|Next|Previous|Add|Change|View site|Actions?)\b"
)
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%[sd]|\{\w*\}")
TEXT_ATTRIBUTES = {"aria-label", "title", "placeholder", "alt"}
#: The order in which a user who may see a page is chosen to open it.
PREFERRED = [
    "caseworker",
    "authority_caseworker",
    "supervisor",
    "head",
    "auditor",
    "authority_supervisor",
    "system_admin",
    "security_admin",
    "audit_admin",
    "anonymous",
]


@cache
def _catalogue() -> tuple[frozenset[str], re.Pattern | None]:
    plain, patterns = set(), []
    for entry in polib.pofile(str(PO)):
        msgid = " ".join(entry.msgid.split())
        if not entry.msgstr or entry.msgstr == entry.msgid or entry.obsolete or not re.search(r"[A-Za-z]{2}", msgid):
            continue
        if PLACEHOLDER.search(msgid):
            parts = PLACEHOLDER.split(msgid)
            if sum(len(p.strip()) for p in parts) >= 4:  # "%(a)s: %(b)s" says nothing English
                patterns.append(".+?".join(re.escape(p) for p in parts))
        else:
            plain.add(msgid)
    return frozenset(plain), re.compile("|".join(f"(?:{p})" for p in patterns)) if patterns else None


class _Text(HTMLParser):
    """The visible text of a page: text nodes and the attributes a person reads or hears."""

    def __init__(self):
        super().__init__()
        self.pieces: list[str] = []
        self._skip = 0
        self._foreign: list[str] = []  # open elements in another language (lang="en": the language switch)

    def handle_starttag(self, tag, attrs):
        if tag in {"script", "style"}:
            self._skip += 1
        lang = dict(attrs).get("lang")
        if self._foreign or (lang and not lang.startswith("zh")):
            self._foreign.append(tag)
            return
        for name, value in attrs:
            if value and (
                name in TEXT_ATTRIBUTES
                or (tag == "input" and name == "value" and dict(attrs).get("type") in {"submit", "button"})
            ):
                self.pieces.append(value)

    def handle_startendtag(self, tag, attrs):
        if not self._foreign:
            super().handle_startendtag(tag, attrs)
            if self._foreign and self._foreign[-1] == tag:
                self._foreign.pop()

    def handle_endtag(self, tag):
        if tag in {"script", "style"} and self._skip:
            self._skip -= 1
        if self._foreign and self._foreign[-1] == tag:
            self._foreign.pop()

    def handle_data(self, data):
        if not self._skip and not self._foreign and data.strip():
            self.pieces.append(data)


def english_left(html: str) -> list[str]:
    """The pieces of ``html``'s visible text that are untranslated catalogue messages or English UI words."""
    plain, pattern = _catalogue()
    parser = _Text()
    parser.feed(html)
    found = []
    for piece in parser.pieces:
        text = " ".join(piece.split())
        bare = text.rstrip(":：").strip()
        if bare in plain or (pattern is not None and pattern.fullmatch(bare)) or UI_WORDS.search(text):
            found.append(text)
    return found


#: What never belongs in a sentence on a Chinese page (issue 16): a dotted event code (``objections.file.downloaded``),
#: brackets left empty or opened on a comma when a value was missing ("（）", "（，", "，）", "（；"), and a storage
#: file name with the suffix the storage adds to a name already taken (``objection_application_KwRNFld.pdf``).
BROKEN = {
    "event code": re.compile(r"\b(?!www\.)[a-z_]+\.[a-z_]+\.(?!(?:cn|com|net|org)\b)[a-z_]+\b"),
    "empty brackets": re.compile(r"（\s*）|（\s*[，；]|[，；]\s*）|\(\s*\)"),
    "storage name": re.compile(r"_[A-Za-z0-9]{7}\.(?:pdf|png|jpe?g|docx?|xlsx|csv)\b", re.IGNORECASE),
    # Rule ids are for developers: pages cite the deployment's articles (creditportal.citations).
    "rule id": re.compile(r"\bR-[A-Z]{3}-\d+\b"),
}


def broken_text(html: str) -> list[str]:
    """The pieces of ``html``'s visible text that show a raw code, an empty bracket or a storage name."""
    parser = _Text()
    parser.feed(html)
    found = []
    for piece in parser.pieces:
        text = " ".join(piece.split())
        found += [f"{what}: {text}" for what, pattern in BROKEN.items() if pattern.search(text)]
    return found


def problems_of(html: str) -> list[str]:
    return english_left(html) + broken_text(html)


def test_the_check_finds_broken_text():
    assert broken_text("<li>2026-10-01 · <strong>objections.file.downloaded</strong></li>") == [
        "event code: objections.file.downloaded"
    ]
    assert broken_text("<p>陈述和申辩期限（以工作日计，）。</p><p>（；HL 30）</p><p>（）</p>") == [
        "empty brackets: 陈述和申辩期限（以工作日计，）。",
        "empty brackets: （；HL 30）",
        "empty brackets: （）",
    ]
    assert broken_text("<p>不得扩大（R-CAT-7）</p>") == ["rule id: 不得扩大（R-CAT-7）"]
    assert broken_text("<a>objection_application_KwRNFld.pdf</a>") == [
        "storage name: objection_application_KwRNFld.pdf"
    ]
    assert broken_text("<p>书面异议及材料（PDF）· 海口市监罚〔2026〕88号（第2页）</p><p>www.gov.cn</p>") == []


def test_the_check_finds_english_and_passes_chinese():
    """The check itself: an untranslated catalogue message and a UI word are found; Chinese and data are not."""
    assert english_left("<h1>Credit subjects</h1><button>保存</button>") == ["Credit subjects"]
    assert english_left('<a title="Cancel">取消</a>') == ["Cancel"]
    assert english_left("<td>Haikou Market Regulation Bureau</td><td>信用主体</td>") == []
    assert english_left("<script>var Save = 1;</script>") == []
    assert english_left('<button lang="en">English</button><p>Reason</p>') == ["Reason"]


def _viewer(expected: dict) -> str | None:
    return next((role for role in PREFERRED if expected.get(role) == OK), None)


PAGES = sorted(entry for entry, (_arg, expected) in MATRIX.items() if _viewer(expected))


@pytest.fixture(scope="class")
def matrix_data(django_db_setup, django_db_blocker):
    """The permission matrix's data (tests/test_permission_matrix.py), built once for ``TestPagesOfTheMatrix``, not
    once per page: they only read it. Each test runs in a savepoint inside the class's transaction (what it writes,
    its users, goes with it); the class's scope ends it before the module's other tests make their own departments."""
    yield from shared_matrix_data(django_db_blocker)


class TestPagesOfTheMatrix:
    """Every page of the matrix and every admin page, over one case of every kind."""

    @pytest.mark.parametrize("entry", PAGES)
    def test_every_page_reads_in_chinese(self, client, settings, entry, matrix_data):
        dept_a, dept_b, objects = matrix_data["dept_a"], matrix_data["dept_b"], matrix_data["objects"]
        every_page_reads_in_chinese(client, settings, entry, dept_a, dept_b, objects)

    @pytest.mark.parametrize(
        "system_role", [SystemRole.SYSTEM_ADMIN, SystemRole.AUDIT_ADMIN, SystemRole.SECURITY_ADMIN]
    )
    def test_the_admin_reads_in_chinese(self, client, settings, system_role, matrix_data):
        the_admin_reads_in_chinese(client, settings, system_role)


def every_page_reads_in_chinese(client, settings, entry, dept_a, dept_b, objects):
    settings.LANGUAGE_CODE = "zh-hans"
    name = entry.split("@")[0]
    arg, expected = MATRIX[entry]
    authority = DepartmentFactory(code="HN-DRC", name="海南省发展和改革委员会", kind=DepartmentKind.CREDIT_AUTHORITY)
    role = _viewer(expected)
    assert role in ROLES
    user = _user(role, dept_a, authority)
    if user is not None:
        client.force_login(user)
    response = client.get(_url(name, arg, objects, dept_a, dept_b))
    assert response.status_code == 200
    if not response.get("Content-Type", "").startswith("text/html"):
        return
    found = problems_of(response.content.decode())
    assert found == [], f"English, a raw code, an empty bracket or a storage name on {entry} ({role})"


def _admin_urls() -> list[str]:
    urls = [reverse("admin:index")]
    for model in admin.site._registry:
        app, name = model._meta.app_label, model._meta.model_name
        urls += [reverse(f"admin:{app}_{name}_changelist"), reverse(f"admin:{app}_{name}_add")]
    return urls


def the_admin_reads_in_chinese(client, settings, system_role):
    """Every admin page the system role opens, over the matrix's data (one case of every kind)."""
    settings.LANGUAGE_CODE = "zh-hans"
    user = UserFactory(username="admin-j", system_role=system_role, is_staff=True, first_name="小燕", last_name="林")
    client.force_login(user)
    problems = {}
    for url in _admin_urls():
        response = client.get(url)
        if response.status_code != 200:
            continue
        found = english_left(response.content.decode())
        if found:
            problems[url] = sorted(set(found))
    assert problems == {}


def test_the_admin_greets_with_the_full_name_family_name_first(client, settings):
    settings.LANGUAGE_CODE = "zh-hans"
    user = UserFactory(
        username="admin-j", system_role=SystemRole.SYSTEM_ADMIN, is_staff=True, first_name="小燕", last_name="林"
    )
    client.force_login(user)
    html = client.get(reverse("admin:index")).content.decode()
    assert "<strong>林小燕</strong>" in html


def test_the_objection_pages_read_in_chinese(client, settings, dept_a, on):
    """The objection's receive page and its case page in the states people meet (R-OBJ-1 to R-OBJ-7): received,
    labelled with an extension form for a supervisor, a refused act shown again with its reason, paused (HL),
    decided with the response letter issued, a complaint (HL), the providing unit's clock (HB)."""
    import datetime
    import zoneinfo

    from creditportal.choices import Role
    from creditportal.tests.factories import user_with_role
    from objections import services
    from subjects import services as subject_services
    from subjects.tests.factories import OrganisationFactory
    from tests.case_data import make_catalog

    settings.LANGUAGE_CODE = "zh-hans"
    on(2026, 9, 29)  # the story's day: the objections below are received on 25 September, the clocks still running
    caseworker = user_with_role(Role.CASEWORKER, dept_a, username="cw-zh", first_name="小燕", last_name="林")
    supervisor = user_with_role(Role.SUPERVISOR, dept_a, username="sv-zh", first_name="海燕", last_name="陈")
    item, _standard = make_catalog(actor=caseworker, department=dept_a)
    company = OrganisationFactory(department=dept_a, name="海口椰风食品有限公司")
    record = subject_services.record_create(
        actor=caseworker,
        subject=company,
        catalog_item=item,
        summary="多次销售过期食品",
        determined_on=datetime.date(2026, 3, 2),
        basis={
            "basis_type": "punishment_decision",
            "number": "海口市监罚〔2026〕88号",
            "issuing_authority": "海口市市场监督管理局",
            "effective_on": datetime.date(2026, 3, 2),
        },
        reason="录入",
    )

    def receive(**extra):
        data = {
            "actor": caseworker,
            "subject": company,
            "target": "record",
            "record": record,
            "ground": "error",
            "grounds_text": "违法次数有误",
            "received_at": datetime.datetime(2026, 9, 25, 10, tzinfo=zoneinfo.ZoneInfo("Asia/Shanghai")),
            "applicant": "李明",
            "reason": "收到",
        }
        return services.objection_receive(**{**data, **extra})

    problems: dict[str, list[str]] = {}

    def check(name: str, user, url: str, data: dict | None = None) -> None:
        client.force_login(user)
        response = client.post(url, data) if data is not None else client.get(url)
        assert response.status_code == 200, name
        found = problems_of(response.content.decode())
        if found:
            problems[name] = sorted(set(found))

    check("receive", caseworker, f"{reverse('objection_receive')}?subject={company.pk}&record={record.pk}")
    received = receive()
    received.evidence.save("objection_application.pdf", ContentFile(b"%PDF-1.7"), save=True)
    client.force_login(caseworker)
    assert client.get(reverse("objection_evidence", args=[received.pk])).status_code == 200  # logged: a timeline line
    check("received, its documents downloaded", caseworker, reverse("objection_detail", args=[received.pk]))
    services.objection_label(objection=received, actor=caseworker, reason="标注")
    check("labelled, as a supervisor", supervisor, reverse("objection_detail", args=[received.pk]))
    check(
        "an extension beyond the cap refused",
        caseworker,
        reverse("objection_act", args=[received.pk, "request_extension"]),
        {"request_extension-days": "20", "request_extension-grounds": "卷宗", "request_extension-reason": "延期"},
    )
    services.objection_request_extension(objection=received, actor=caseworker, days=2, grounds="卷宗", reason="延期")
    check("an extension requested, as a supervisor", supervisor, reverse("objection_detail", args=[received.pk]))
    services.objection_decide(objection=received, actor=caseworker, sustained=False, reasons="无误", reason="决定")
    services.objection_issue_answer(objection=received, actor=caseworker, reason="答复")
    check("decided, the letter being prepared", caseworker, reverse("objection_detail", args=[received.pk]))
    settings.CREDIT_JURISDICTION = "HL"
    paused = receive(label_now=True)
    services.objection_pause(
        objection=paused,
        actor=caseworker,
        pause_reason="appraisal",
        paused_from=datetime.date(2026, 9, 29),
        reason="鉴定",
    )
    check("paused (HL)", caseworker, reverse("objection_detail", args=[paused.pk]))
    # HL 41: the complaint is routed to the municipal credit authority, whose caseworker handles it
    from creditportal.choices import DepartmentKind, DepartmentLevel
    from creditportal.tests.factories import DepartmentFactory

    province = DepartmentFactory(
        code="HN-DRC",
        name="海南省发展和改革委员会",
        kind=DepartmentKind.CREDIT_AUTHORITY,
        level=DepartmentLevel.PROVINCE,
    )
    credit = DepartmentFactory(
        code="HK-DRC",
        name="海口市发展和改革委员会",
        kind=DepartmentKind.CREDIT_AUTHORITY,
        level=DepartmentLevel.PREFECTURE,
        parent=province,
    )
    credit_caseworker = user_with_role(Role.CASEWORKER, credit, username="cw-credit", first_name="晓", last_name="王")
    complaint = receive(target="collector", record=None, collector="某征信服务有限公司")
    assert complaint.department_id == credit.pk
    check("a complaint (HL)", credit_caseworker, reverse("objection_detail", args=[complaint.pk]))
    settings.CREDIT_JURISDICTION = "HB"
    reported = receive(label_now=True)
    check("the providing unit's clock (HB)", caseworker, reverse("objection_detail", args=[reported.pk]))
    assert problems == {}


def test_uploaded_files_are_named_by_their_title(client, settings, dept_a, dept_b, caseworker_a):
    """Two files uploaded under one name: the storage keeps the second as ``defence_AbC1234.pdf``; the case page
    names each by what it is, with its download link (issue 16)."""
    import datetime

    from designations.models import Statement
    from tests.case_data import make_cases

    settings.LANGUAGE_CODE = "zh-hans"
    designation = make_cases(dept_a=dept_a, dept_b=dept_b, actor=caseworker_a)["designation"]
    for kind in ("statement", "defence"):
        statement = Statement(
            designation=designation, department=dept_a, kind=kind, received_on=datetime.date(2026, 10, 1), text="意见"
        )
        statement.file.save("defence.pdf", ContentFile(b"%PDF-1.7"), save=True)
    client.force_login(caseworker_a)
    html = client.get(reverse("designation_detail", args=[designation.pk])).content.decode()
    assert broken_text(html) == []
    assert reverse("designation_statement_file", args=[designation.pk, statement.pk]) in html
