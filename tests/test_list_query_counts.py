"""Every list page costs the same queries for a few rows as for many (issue 23): a query per row (an N+1) fails CI.

Each list page is rendered as a person who may read it (nobody signed in for the public pages) with one *unit* of
rows, then with four. A unit holds one row of each kind the page shows, with what the page shows of it: rows of both
of the reader's departments, rows labelled "under objection", designations with their measures, clocks of each kind
of case, archived records, commitments and penalties as published. The page then shows four times the rows in the
same number of queries, never more than its ceiling. The first request is not counted: it fills the per-process
caches (content types, the calendar, the profiles) and notes the session's activity, as any earlier page of the
session would have. A failure names the statements that ran more often with more rows; a page known to run one per
row is marked ``n_plus_one`` (strict: once it is fixed, its test says to drop the mark).

The pages: the scoped lists (``creditportal.lists.ScopedListView``: subjects, records, designations, objections,
restoration applications, the access log), the archive, the restoration queue, the deadlines, the dashboard, "My
work", the roles awaiting a head's confirmation, and the public pages (``PublicListView``: the list, the commitments,
the penalties). The rows are made by factories where the page reads what a factory makes; records, the catalog they
rest on and a revoked basis go through their services (the lawful-data guard), and the public pages' ledgers through
the writers the acts call (``publication_open``, ``commitment_follow``, ``record_create`` with a profile that
publishes penalties). Every date is relative to today.
"""

from __future__ import annotations

import datetime
import itertools
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from catalog.tests.factories import DesignationStandardFactory
from creditportal import deadlines
from creditportal.audit import system_user
from creditportal.choices import AccessKind, AccessPurpose, DayCount, Role
from creditportal.models import AccessEntry, JurisdictionProfile
from creditportal.profiles import forget_profiles
from creditportal.tests.factories import MembershipFactory, UserFactory, user_with_role
from designations.choices import DesignationState
from designations.models import Designation
from designations.services.publication import publication_open
from designations.tests.factories import DesignationFactory, DesignationMeasureFactory
from objections.tests.factories import ObjectionFactory
from restoration.choices import RestorationState
from restoration.services import commitment_follow
from restoration.tests.factories import RestorationApplicationFactory
from subjects import services as subject_services
from subjects.choices import ArchiveReason, RecordStatus
from subjects.models import CreditRecord, CreditSubject
from subjects.tests.factories import OrganisationFactory, PersonFactory
from tests.case_data import make_catalog

pytestmark = pytest.mark.django_db

#: Units added after the first count: the second count sees four times the rows of the first.
MORE = 3
#: Every row's subject (or person) is named with this and a number: the page shows as many names as rows.
MARK = "样本"


class World:
    """The departments, people and reference data the rows need, made when first asked for."""

    #: The reader, when a unit makes rows for him (his drafts in "My work").
    reader = None

    def __init__(self, request):
        self.request = request
        self.numbers = itertools.count(1)

    def name(self) -> str:
        return f"{MARK}{next(self.numbers)}"

    def org(self, department, **kwargs) -> CreditSubject:
        return OrganisationFactory(department=department, name=f"{self.name()}有限公司", **kwargs)

    def person(self, department, **kwargs) -> CreditSubject:
        return PersonFactory(department=department, name=self.name(), **kwargs)

    @cached_property
    def dept_a(self):
        return self.request.getfixturevalue("dept_a")

    @cached_property
    def dept_b(self):
        return self.request.getfixturevalue("dept_b")

    @cached_property
    def caseworker_a(self):
        return self.request.getfixturevalue("caseworker_a")

    @cached_property
    def caseworker_b(self):
        return self.request.getfixturevalue("caseworker_b")

    def of_both(self, role: str, username: str, other_role: str | None = None):
        """A reader holding ``role`` in department A and ``other_role`` (the same by default) in B."""
        user = user_with_role(role, self.dept_a, username=username)
        MembershipFactory(user=user, department=self.dept_b, role=other_role or role)
        return user

    @cached_property
    def catalog(self):
        """A published catalog's administrative-penalty item (general class), provided by department A, and a published
        designation standard. A test that makes designations too makes it first: its measures list takes the first
        free number, which the factories' sequence of numbers never reaches (the other way round, it may take the
        sequence's next)."""
        return make_catalog(actor=self.caseworker_a, department=self.dept_a, item={"info_class": "general"})

    def record(self, subject, actor=None) -> CreditRecord:
        number = next(self.numbers)
        return subject_services.record_create(
            actor=actor or self.caseworker_a,
            subject=subject,
            catalog_item=self.catalog[0],
            summary=f"销售过期食品（第{number}次）",
            determined_on=timezone.localdate() - datetime.timedelta(days=30),
            basis={
                "basis_type": "punishment_decision",
                "number": f"海口市监罚〔2026〕{number}号",
                "issuing_authority": "海口市市场监督管理局",
                "effective_on": timezone.localdate() - datetime.timedelta(days=30),
            },
            reason="录入",
        )

    def designation(self, department, *, subject=None, standard=None, measures: int = 1, **kwargs) -> Designation:
        """A designation (a draft unless ``state`` says otherwise) of a new company of ``department``, with
        ``measures`` measures, on its own standard (a code no catalog uses) unless ``standard`` is given."""
        designation = DesignationFactory(
            department=department,
            subject=subject or self.org(department),
            standard=standard or DesignationStandardFactory(code=f"LIST-S-{next(self.numbers)}"),
            **kwargs,
        )
        for _ in range(measures):
            DesignationMeasureFactory(designation=designation)
        return designation


def _labelled(obj) -> None:
    """Label ``obj`` "under objection" (the objection's services do; the list only reads the column)."""
    type(obj).objects.filter(pk=obj.pk).unguarded().update(under_objection_since=timezone.now())


def _clock(case, due: datetime.date, department=None) -> None:
    """A running clock of ``case`` due on ``due`` (a period of calendar days: its end never moves)."""
    deadlines.deadline_open(
        case=case,
        department=department or case.department,
        rule_id="R-OBJ-3",
        article="HN 30",
        anchor_event="objection received",
        anchor_date=due - datetime.timedelta(days=10),
        days=10,
        unit=DayCount.PERIOD_DAYS,
        actor=system_user(),
        reason="Test clock",
    )


# --- the units of rows, one per list --------------------------------------------------------------------------------


def subjects(w: World) -> None:
    _labelled(w.org(w.dept_a))
    w.person(w.dept_b)


def records(w: World) -> None:
    _labelled(w.record(w.org(w.dept_a)))
    w.record(w.person(w.dept_b), actor=w.caseworker_b)


def designations(w: World) -> None:
    _labelled(w.designation(w.dept_a, measures=2, caseworker=w.caseworker_a))
    w.designation(w.dept_b, caseworker=w.caseworker_b)


def objections(w: World) -> None:
    designation = w.designation(w.dept_a)
    ObjectionFactory(department=w.dept_a, subject=designation.subject, designation=designation)
    ObjectionFactory(department=w.dept_b, subject=w.person(w.dept_b))  # its identifying data


def restorations(w: World) -> None:
    for department in (w.dept_a, w.dept_b):
        designation = w.designation(department)
        RestorationApplicationFactory(department=department, subject=designation.subject, designation=designation)


def restoration_queue(w: World) -> None:
    """To accept and to review in A (where the reader works), to decide in B (where he decides)."""
    for state in (RestorationState.RECEIVED, RestorationState.ACCEPTED):
        designation = w.designation(w.dept_a)
        RestorationApplicationFactory(
            department=w.dept_a, subject=designation.subject, designation=designation, state=state
        )
    designation = w.designation(w.dept_b)
    RestorationApplicationFactory(
        department=w.dept_b,
        subject=designation.subject,
        designation=designation,
        state=RestorationState.UNDER_REVIEW,
        reviewed_by=w.caseworker_b,
    )


def archive(w: World) -> None:
    archived = [w.record(w.org(w.dept_a)), w.record(w.person(w.dept_b), actor=w.caseworker_b)]
    CreditRecord.objects.filter(pk__in=[r.pk for r in archived]).unguarded().update(
        status=RecordStatus.ARCHIVED, archived_at=timezone.now(), archive_reason=ArchiveReason.PERIOD_ENDED
    )


def access_log(w: World) -> None:
    """A subject opened with its purpose (by a new person each time) in A, and one listed in B."""
    looker = user_with_role(Role.CASEWORKER, w.dept_a, username=f"looker{next(w.numbers)}")
    for department, user, kind in (
        (w.dept_a, looker, AccessKind.OPENED),
        (w.dept_b, w.caseworker_b, AccessKind.LISTED),
    ):
        subject = w.org(department)
        AccessEntry.objects.create(
            user=user,
            roles=Role.CASEWORKER,
            user_department=department,
            department=department,
            subject_id=subject.pk,
            kind=kind,
            page="subject_detail" if kind == AccessKind.OPENED else "subject_list",
            shown=[f"subjects.creditsubject:{subject.pk}"],
            fields=["identity"],
            purpose=AccessPurpose.CASE if kind == AccessKind.OPENED else "",
            address="10.0.0.8",
        )


def clocks(w: World) -> None:
    """A clock of each kind of case: a designation's overdue, an objection's due today, a restoration's and a record's
    (a revoked basis to act on, R-RES-6) this week."""
    today = timezone.localdate()
    subject_services.revocation_receive(  # the record first: the catalog before the factories' (``World.catalog``)
        record=w.record(w.org(w.dept_a)),
        actor=w.caseworker_a,
        reason="复议决定书已送达",
        ground="revoked",
        legal_document="海南省人民政府行政复议决定书琼府复〔2026〕9号",
        effective_on=today - datetime.timedelta(days=1),
        received_on=today,
    )
    _clock(w.designation(w.dept_a, caseworker=w.caseworker_a), today - datetime.timedelta(days=3))
    _clock(ObjectionFactory(department=w.dept_b, subject=w.org(w.dept_b)), today)
    designation = w.designation(w.dept_a)
    application = RestorationApplicationFactory(
        department=w.dept_a, subject=designation.subject, designation=designation
    )
    _clock(application, today + datetime.timedelta(days=3))


def my_work(w: World) -> None:
    """Every section of "My work" for a caseworker of A who supervises B: a draft of his with its clock, an
    objection to answer with its clock, an application to accept, a revoked basis to act on (A); a designation
    awaiting approval, an extension request, an application to decide (B)."""
    reader, today = w.reader, timezone.localdate()
    standard = w.catalog[1]  # the catalog first (``World.catalog``); its published standard
    _clock(w.designation(w.dept_a, caseworker=reader, standard=standard), today + datetime.timedelta(days=2))
    objection = ObjectionFactory(department=w.dept_a, subject=w.org(w.dept_a))
    _clock(objection, today - datetime.timedelta(days=1))
    designation = w.designation(w.dept_a, standard=standard)
    RestorationApplicationFactory(department=w.dept_a, subject=designation.subject, designation=designation)
    subject_services.revocation_receive(
        record=w.record(w.org(w.dept_a)),
        actor=w.caseworker_a,
        reason="复议决定书已送达",
        ground="revoked",
        legal_document="海南省人民政府行政复议决定书琼府复〔2026〕9号",
        effective_on=today - datetime.timedelta(days=1),
        received_on=today,
    )
    w.designation(w.dept_b, caseworker=w.caseworker_b, standard=standard, state=DesignationState.AWAITING_APPROVAL)
    ObjectionFactory(
        department=w.dept_b,
        subject=w.org(w.dept_b),
        extension_requested_days=3,
        extension_request_grounds="卷宗需从档案室调取",
        extension_requested_by=w.caseworker_b,
        extension_requested_at=timezone.now(),
    )
    designation = w.designation(w.dept_b, standard=standard)
    RestorationApplicationFactory(
        department=w.dept_b,
        subject=designation.subject,
        designation=designation,
        state=RestorationState.UNDER_REVIEW,
        reviewed_by=w.caseworker_b,
    )


def roles_awaiting(w: World) -> None:
    """Roles given in both of the head's departments, waiting for his confirmation."""
    for department, role in ((w.dept_a, Role.CASEWORKER), (w.dept_b, Role.AUDITOR)):
        MembershipFactory(user=UserFactory(last_name=w.name()), department=department, role=role, confirmed_at=None)


def public_list(w: World) -> None:
    """Two listed designations as published (one labelled, with measures; one of a natural person)."""
    labelled = w.designation(w.dept_a, measures=2)
    _labelled(labelled)
    publication_open(Designation.objects.get(pk=labelled.pk), at=timezone.now())
    publication_open(w.designation(w.dept_b, subject=w.person(w.dept_b)), at=timezone.now())


def commitments(w: World) -> None:
    """Two accepted applications' commitments as published: on a company's listing, on a person's."""
    for department, subject in ((w.dept_a, w.org(w.dept_a)), (w.dept_b, w.person(w.dept_b))):
        designation = w.designation(department, subject=subject, decision_number="海口市监信〔2026〕1号")
        application = RestorationApplicationFactory(
            department=department,
            subject=subject,
            designation=designation,
            state=RestorationState.ACCEPTED,
            commitment="本单位承诺依法诚信经营，自觉接受监督。",
        )
        commitment_follow(application, before=RestorationState.RECEIVED, at=timezone.now())


def penalties(w: World) -> None:
    """Two penalties published as their records are entered (the profile publishes them): a company's, labelled,
    and a person's."""
    if not JurisdictionProfile.objects.filter(code="HN", publishes_penalties=True).exists():
        JurisdictionProfile.objects.filter(code="HN").unguarded().update(publishes_penalties=True)
        forget_profiles()
    _labelled(w.record(w.org(w.dept_a)))
    w.record(w.person(w.dept_b), actor=w.caseworker_b)


# --- the readers --------------------------------------------------------------------------------------------------


def caseworker(w: World):
    return w.of_both(Role.CASEWORKER, "reader")


def auditor(w: World):
    return w.of_both(Role.AUDITOR, "reader")


def caseworker_and_supervisor(w: World):
    w.reader = w.of_both(Role.CASEWORKER, "reader", other_role=Role.SUPERVISOR)
    return w.reader


def head(w: World):
    return w.of_both(Role.HEAD, "reader")


def nobody(w: World):
    return None


# --- the pages ----------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ListPage:
    url_name: str
    reader: Callable[[World], object]
    unit: Callable[[World], None]
    #: The page's queries at most, whatever its rows: a little above those measured (the scoped lists' 12 is
    #: tests/test_scoping.py's, the public pages' their own tests').
    ceiling: int


def n_plus_one(page: ListPage, grows: str):
    """A page known to run a query per row: its test fails until that is fixed, then tells to drop the mark."""
    return pytest.param(page, id=page.url_name, marks=pytest.mark.xfail(strict=True, reason=f"N+1: {grows}"))


PAGES = [
    ListPage("subject_list", caseworker, subjects, ceiling=12),
    ListPage("record_list", caseworker, records, ceiling=12),
    ListPage("designation_list", caseworker, designations, ceiling=12),
    ListPage("objection_list", caseworker, objections, ceiling=12),
    ListPage("restoration_list", caseworker, restorations, ceiling=12),
    ListPage("restoration_queue", caseworker_and_supervisor, restoration_queue, ceiling=18),
    ListPage("archive_list", auditor, archive, ceiling=12),
    ListPage("access_log", auditor, access_log, ceiling=12),
    # the clocks' cases named with what their titles read (deadlines.cases_of): a record's clock once ran a query each
    ListPage("deadline_list", caseworker, clocks, ceiling=18),
    ListPage("dashboard", caseworker, clocks, ceiling=24),
    ListPage("my_work", caseworker_and_supervisor, my_work, ceiling=46),
    ListPage("membership_awaiting", head, roles_awaiting, ceiling=12),
    ListPage("public_list", nobody, public_list, ceiling=8),
    ListPage("public_commitments", nobody, commitments, ceiling=8),
    ListPage("public_penalties", nobody, penalties, ceiling=9),
]


def _shown(response) -> int:
    """How many rows the page shows: the subjects (or people) of the rows, each named once per row."""
    return len(set(re.findall(rf"{MARK}\d+", response.content.decode())))


def _shape(sql: str) -> str:
    """A statement with its values blanked, so the same query for another row reads the same (an INSERT by its
    table: a bulk insert of one row and of several are written differently)."""
    if sql.startswith("INSERT INTO"):
        return sql.split(" (", 1)[0]
    sql = re.sub(r"'(?:[^']|'')*'", "'…'", sql)
    sql = re.sub(r"\d+", "N", sql)
    return re.sub(r"\((?:N|'…')(?:, (?:N|'…'))*\)", "(…)", sql)


def _grown(few: list[str], many: list[str]) -> str:
    """The statements run more often with more rows than with fewer."""
    before, after = Counter(map(_shape, few)), Counter(map(_shape, many))
    return "\n".join(f"{after[s] - before[s]:+d} × {s[:600]}" for s in after if after[s] > before[s])


def _count(client, url) -> tuple[int, list[str]]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return _shown(response), [q["sql"] for q in captured.captured_queries]


@pytest.mark.parametrize("page", PAGES, ids=lambda page: page.url_name)
def test_a_list_costs_the_same_queries_for_a_few_rows_as_for_many(page, request, client, monkeypatch):
    # The dashboard's counts are reused for a few seconds: computed on every visit here, so both visits count them.
    monkeypatch.setattr("creditportal.selectors.DASHBOARD_FRESH_SECONDS", -1)
    world = World(request)
    reader = page.reader(world)
    page.unit(world)
    if reader is not None:
        client.force_login(reader)
    url = reverse(page.url_name)
    client.get(url)  # not counted: the caches filled, the session's activity noted

    shown_few, few = _count(client, url)
    for _ in range(MORE):
        page.unit(world)
    shown_many, many = _count(client, url)

    assert shown_few > 0 and shown_many == (MORE + 1) * shown_few, (shown_few, shown_many)
    assert len(many) == len(few), (
        f"{page.url_name}: {len(few)} queries for {shown_few} rows, {len(many)} for {shown_many}; "
        f"run more often:\n{_grown(few, many)}"
    )
    assert len(many) <= page.ceiling, "\n".join(query[:300] for query in many)
