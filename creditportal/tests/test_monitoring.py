"""Monitoring of the statutory clocks (issue 10): reminders, escalations, the deadlines page and its chart.

Real PostgreSQL, the real sweep and Celery task (eager), Django's locmem mail backend (the edge); the one
"failing" mail server is a backend of this module that refuses one address.
"""

from __future__ import annotations

import datetime
import re
import smtplib
import threading
from html.parser import HTMLParser

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend as LocmemBackend
from django.db import close_old_connections, connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from creditportal import deadlines, monitoring
from creditportal.audit import system_user
from creditportal.choices import DayCount, DeadlineStatus, Role
from creditportal.models import AuditEvent, Deadline
from creditportal.tests.factories import DepartmentFactory, user_with_role
from designations.tests.factories import DesignationFactory
from subjects.tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db

SHANGHAI = datetime.timezone(datetime.timedelta(hours=8))
# Monday 2 November 2026: five working days later is Monday 9 November.
MONDAY = datetime.date(2026, 11, 2)
DUE = datetime.date(2026, 11, 9)


def _open(case, *, anchor=MONDAY, days=5, unit=DayCount.WORKING_DAYS, rule="R-OBJ-3", department=None) -> Deadline:
    return deadlines.deadline_open(
        case=case,
        department=department or case.department,
        rule_id=rule,
        article="HN 30",
        anchor_event="objection received",
        anchor_date=anchor,
        days=days,
        unit=unit,
        actor=system_user(),
        reason="Test clock",
    )


def _due_on(case, due: datetime.date, **kwargs) -> Deadline:
    """A clock due on ``due`` exactly (a fixed period of calendar days: its end never moves)."""
    return _open(case, anchor=due - datetime.timedelta(days=10), days=10, unit=DayCount.PERIOD_DAYS, **kwargs)


def _sweep(today: datetime.date) -> dict:
    return deadlines.deadline_sweep(today=today, now=timezone.now())


@pytest.fixture
def people(dept_a, dept_b):
    """Every role of both departments, each with an address (and one caseworker of A without one)."""
    return {
        "caseworker_a": user_with_role(Role.CASEWORKER, dept_a, username="cw_a", email="cw_a@hk.example"),
        "caseworker_a2": user_with_role(Role.CASEWORKER, dept_a, username="cw_a2", email="cw_a2@hk.example"),
        "no_address_a": user_with_role(Role.CASEWORKER, dept_a, username="cw_a3", email=""),
        "supervisor_a": user_with_role(Role.SUPERVISOR, dept_a, username="sup_a", email="sup_a@hk.example"),
        "head_a": user_with_role(Role.HEAD, dept_a, username="head_a", email="head_a@hk.example"),
        "auditor_a": user_with_role(Role.AUDITOR, dept_a, username="aud_a", email="aud_a@hk.example"),
        "caseworker_b": user_with_role(Role.CASEWORKER, dept_b, username="cw_b", email="cw_b@sy.example"),
        "supervisor_b": user_with_role(Role.SUPERVISOR, dept_b, username="sup_b", email="sup_b@sy.example"),
    }


# --- Reminders ----------------------------------------------------------------------------------------------------


def test_reminder_goes_to_the_cases_own_caseworker_once_n_working_days_before(people, dept_a, settings):
    settings.DEADLINE_REMINDER_WD = 2
    case = DesignationFactory(department=dept_a, caseworker=people["caseworker_a"])
    deadline = _open(case)
    assert deadline.due_date == DUE

    _sweep(datetime.date(2026, 11, 4))  # Wednesday: three working days left, not yet
    assert mail.outbox == []

    _sweep(datetime.date(2026, 11, 5))  # Thursday: Friday and Monday left
    _sweep(datetime.date(2026, 11, 5))  # the sweep runs every 15 minutes: nothing twice
    _sweep(datetime.date(2026, 11, 6))
    assert [m.to for m in mail.outbox] == [["cw_a@hk.example"]]
    deadline.refresh_from_db()
    assert deadline.reminded_at is not None and deadline.escalated_at is None
    event = AuditEvent.objects.get(action="creditportal.deadline.reminded")
    assert event.data["to"] == ["cw_a@hk.example"] and event.department == dept_a
    assert deadline.history.first().history_change_reason == "Reminder sent"


def test_reminder_falls_back_to_the_departments_caseworkers(people, dept_a):
    """The case's caseworker no longer works in the department: its caseworkers (with an address) are reminded,
    not its supervisors, auditors, or anyone of another department."""
    outsider = user_with_role(Role.CASEWORKER, DepartmentFactory(code="ELSEWHERE"), username="gone", email="g@x.cn")
    case = DesignationFactory(department=dept_a, caseworker=outsider)
    _open(case)
    _sweep(datetime.date(2026, 11, 6))
    assert len(mail.outbox) == 1
    assert sorted(mail.outbox[0].to) == ["cw_a2@hk.example", "cw_a@hk.example"]


def test_a_case_without_a_caseworker_field_reminds_the_department(people, dept_a):
    _open(OrganisationFactory(department=dept_a))  # any kind of case: monitoring reads the Deadline table alone
    _sweep(datetime.date(2026, 11, 6))
    assert [sorted(m.to) for m in mail.outbox] == [["cw_a2@hk.example", "cw_a@hk.example"]]


def test_a_later_due_date_is_reminded_again(people, dept_a):
    """An extension moves the due date: the new date gets its own reminder (and, if missed, its escalation)."""
    case = DesignationFactory(department=dept_a, caseworker=people["caseworker_a"])
    deadline = _open(case)
    _sweep(datetime.date(2026, 11, 6))
    assert len(mail.outbox) == 1
    deadline.extensions.create(days=5, approved_by=people["supervisor_a"], reason="Extension approved")
    deadline = deadlines.deadline_recompute(
        deadline=deadline, actor=people["supervisor_a"], reason="Extended", today=datetime.date(2026, 11, 6)
    )
    assert deadline.due_date == datetime.date(2026, 11, 16) and deadline.reminded_at is None
    _sweep(datetime.date(2026, 11, 6))
    assert len(mail.outbox) == 1
    _sweep(datetime.date(2026, 11, 12))
    assert len(mail.outbox) == 2 and "2026-11-16" in mail.outbox[1].subject


# --- Escalations --------------------------------------------------------------------------------------------------


def test_missed_clock_escalates_to_supervisors_and_heads_of_its_own_department_only(people, dept_a, dept_b):
    case = DesignationFactory(department=dept_a, caseworker=people["caseworker_a"])
    deadline = _open(case)
    _open(DesignationFactory(department=dept_b, caseworker=people["caseworker_b"]), anchor=MONDAY, days=15)

    _sweep(DUE)  # the due day itself: not missed yet (a reminder goes to the caseworker)
    assert [m.to for m in mail.outbox] == [["cw_a@hk.example"]]
    _sweep(DUE + datetime.timedelta(days=1))
    _sweep(DUE + datetime.timedelta(days=2))
    escalations = [m for m in mail.outbox if m not in mail.outbox[:1]]
    assert [sorted(m.to) for m in escalations] == [["head_a@hk.example", "sup_a@hk.example"]]
    deadline.refresh_from_db()
    assert deadline.escalated_at is not None
    assert AuditEvent.objects.filter(action="creditportal.deadline.escalated").count() == 1


def test_a_met_clock_is_never_escalated(people, dept_a):
    case = DesignationFactory(department=dept_a, caseworker=people["caseworker_a"])
    deadline = _open(case)
    deadlines.deadline_close(deadline=deadline, actor=people["caseworker_a"], reason="Answered")
    _sweep(DUE + datetime.timedelta(days=3))
    assert mail.outbox == []


def test_clocks_the_sweep_ends_itself_are_neither_reminded_nor_escalated(people, dept_a):
    """The statement period (R-DES-1 on a designation) has an expiry handler: the system acts, nobody is late."""
    case = DesignationFactory(department=dept_a, caseworker=people["caseworker_a"])
    deadline = _open(case, rule="R-DES-1")
    _sweep(datetime.date(2026, 11, 6))
    _sweep(DUE + datetime.timedelta(days=1))
    assert mail.outbox == []
    deadline.refresh_from_db()
    assert deadline.status == DeadlineStatus.MET and deadline.escalated_at is None


def test_a_provisional_due_date_is_not_escalated(people, dept_a):
    """Its year's official schedule is not loaded: the date may still move, so nobody is told it was missed."""
    case = DesignationFactory(department=dept_a, caseworker=people["caseworker_a"])
    deadline = _open(case, anchor=datetime.date(2031, 3, 2))
    assert deadline.provisional
    _sweep(deadline.due_date + datetime.timedelta(days=5))
    assert mail.outbox == []


class RefusingBackend(LocmemBackend):
    """A mail server that refuses one address (the edge the sweep talks to)."""

    def send_messages(self, messages):
        for message in messages:
            if any(address.startswith("broken") for address in message.to):
                raise smtplib.SMTPRecipientsRefused({message.to[0]: (550, b"mailbox unavailable")})
        return super().send_messages(messages)


def test_one_failing_mail_does_not_stop_the_others_and_is_sent_by_a_later_sweep(people, dept_a, dept_b, settings):
    people["caseworker_a"].email = "broken@hk.example"
    people["caseworker_a"].save()
    failing = _open(DesignationFactory(department=dept_a, caseworker=people["caseworker_a"]))
    working = _open(DesignationFactory(department=dept_b, caseworker=people["caseworker_b"]))
    settings.EMAIL_BACKEND = "creditportal.tests.test_monitoring.RefusingBackend"

    _sweep(datetime.date(2026, 11, 6))
    assert [m.to for m in mail.outbox] == [["cw_b@sy.example"]]
    failing.refresh_from_db()
    working.refresh_from_db()
    assert failing.reminded_at is None and working.reminded_at is not None
    assert not AuditEvent.objects.filter(action="creditportal.deadline.reminded", object_id=str(failing.pk)).exists()

    people["caseworker_a"].email = "cw_a@hk.example"
    people["caseworker_a"].save()
    _sweep(datetime.date(2026, 11, 6))
    assert [m.to for m in mail.outbox] == [["cw_b@sy.example"], ["cw_a@hk.example"]]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_sweeps_at_once_mail_each_clock_once(people, dept_a, dept_b):
    """Two beat workers sweep at the same moment: each clock is locked by one (the other skips it) and re-checked
    under the lock, so every reminder goes out once."""
    for dept, cw in ((dept_a, people["caseworker_a"]), (dept_b, people["caseworker_b"])):
        for _n in range(10):
            _open(DesignationFactory(department=dept, caseworker=cw))
    barrier = threading.Barrier(2)
    results = []

    def sweep():
        try:
            barrier.wait(timeout=10)
            results.append(monitoring.deadlines_monitor(today=datetime.date(2026, 11, 6), now=timezone.now()))
        finally:
            connection.close()

    threads = [threading.Thread(target=sweep) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    close_old_connections()
    assert sum(r["reminders"]["sent"] for r in results) == 20
    assert len(mail.outbox) == 20
    assert AuditEvent.objects.filter(action="creditportal.deadline.reminded").count() == 20
    assert not Deadline.objects.filter(reminded_at__isnull=True).exists()


def test_selection_is_set_based(people, dept_a, dept_b, django_assert_max_num_queries):
    """Candidates, people and cases are read once for all departments; each clock then costs only its own writes
    (lock, save, history, event), the same for every clock."""
    for dept, cw in ((dept_a, people["caseworker_a"]), (dept_b, people["caseworker_b"])):
        _open(DesignationFactory(department=dept, caseworker=cw))
    today = datetime.date(2026, 11, 6)
    monitoring.deadline_reminders_send(today=today, now=timezone.now())  # warm the caches (calendar, profile)
    for dept, cw in ((dept_a, people["caseworker_a"]), (dept_b, people["caseworker_b"])):
        for _n in range(5):
            _open(DesignationFactory(department=dept, caseworker=cw))
    with CaptureQueriesContext(connection) as queries:
        result = monitoring.deadline_reminders_send(today=today, now=timezone.now())
    assert result["sent"] == 10
    reads = [
        q["sql"] for q in queries.captured_queries if q["sql"].startswith("SELECT") and "FOR UPDATE" not in q["sql"]
    ]
    per_clock = (len(queries.captured_queries) - len(reads)) / 10
    assert per_clock == int(per_clock), "every clock costs the same writes"
    assert len([s for s in reads if 'FROM "creditportal_membership"' in s]) == 1
    assert len([s for s in reads if 'FROM "creditportal_deadline"' in s]) == 1


def test_the_beat_task_sends_what_is_due_today(people, dept_a):
    """Through the Celery task beat runs (eager here), with today's date."""
    from creditportal.tasks import deadline_sweep_task

    case = DesignationFactory(department=dept_a, caseworker=people["caseworker_a"])
    _due_on(case, timezone.localdate())
    deadline_sweep_task.delay()
    assert [m.to for m in mail.outbox] == [["cw_a@hk.example"]]


def test_mail_is_chinese_and_names_the_case_article_due_date_and_link(people, dept_a, settings):
    settings.LANGUAGE_CODE = "zh-hans"
    settings.EMAIL_LINK_BASE_URL = "https://credit.hainan.example/"
    case = DesignationFactory(department=dept_a, caseworker=people["caseworker_a"])
    _open(case)
    _sweep(datetime.date(2026, 11, 6))
    _sweep(DUE + datetime.timedelta(days=1))
    reminder, escalation = mail.outbox
    for message in (reminder, escalation):
        text = message.subject + message.body
        assert case.subject.name in text
        assert "《海南自由贸易港社会信用条例》第三十条" in text
        assert "2026-11-09" in text
        assert f"https://credit.hainan.example/designations/{case.pk}/" in message.body
        assert "R-OBJ-3" not in text
        english = re.findall(r"\b[A-Za-z]{3,}\b", re.sub(r"https?://\S+", "", text))
        assert english == [], english
    assert "期限" in reminder.subject and "剩余天数：1个工作日" in reminder.body.replace(" ", "")
    assert "逾期" in escalation.subject and "逾期1天" in escalation.body.replace(" ", "")


# --- The deadlines page -------------------------------------------------------------------------------------------


@pytest.fixture
def board(people, dept_a, dept_b):
    """Clocks of both departments around today: overdue, due today, in 3 days, in 20 days, met, and B's."""
    today = timezone.localdate()
    cw = people["caseworker_a"]
    cases = {name: DesignationFactory(department=dept_a, caseworker=cw) for name in ("late", "now", "soon", "later")}
    clocks = {
        "late": _due_on(cases["late"], today - datetime.timedelta(days=4)),
        "now": _due_on(cases["now"], today),
        "soon": _due_on(cases["soon"], today + datetime.timedelta(days=3)),
        "later": _due_on(cases["later"], today + datetime.timedelta(days=20)),
        "other": _due_on(DesignationFactory(department=dept_b, caseworker=people["caseworker_b"]), today),
    }
    return {"today": today, "cases": cases, "clocks": clocks}


def test_page_groups_the_departments_running_clocks(client, people, board):
    client.force_login(people["caseworker_a"])
    response = client.get(reverse("deadline_list"))
    assert response.status_code == 200
    groups = {g.key: [r.deadline.pk for r in g.rows] for g in response.context["page"].groups}
    clocks = board["clocks"]
    assert groups == {"overdue": [clocks["late"].pk], "today": [clocks["now"].pk], "week": [clocks["soon"].pk]}
    html = response.content.decode()
    for name in ("late", "now", "soon"):
        case = board["cases"][name]
        assert f'href="/designations/{case.pk}/"' in html
    overdue = next(g for g in response.context["page"].groups if g.key == "overdue").rows[0]
    assert overdue.days_overdue == 4
    soon = next(g for g in response.context["page"].groups if g.key == "week").rows[0]
    assert 1 <= soon.working_days_left <= 3


def test_a_period_ending_on_a_day_off_counts_calendar_days_not_due_today(people, dept_a):
    """Seen on Friday 6 November 2026, a clock of calendar days ending on Sunday has two days left (no working day),
    and one of working days ending on Tuesday has two working days left."""
    from django.template.loader import render_to_string

    friday = datetime.date(2026, 11, 6)
    case = DesignationFactory(department=dept_a, caseworker=people["caseworker_a"])
    sunday = _due_on(case, datetime.date(2026, 11, 8))
    tuesday = _open(case, anchor=datetime.date(2026, 11, 6), days=2)
    page = monitoring.deadlines_page(user=people["caseworker_a"], today=friday)
    rows = {r.deadline.pk: r for r in next(g for g in page.groups if g.key == "week").rows}
    assert (rows[sunday.pk].days_left, rows[sunday.pk].working_days_left) == (2, 0)
    assert (rows[tuesday.pk].days_left, rows[tuesday.pk].working_days_left) == (4, 2)
    html = render_to_string("creditportal/deadlines_rows.html", {"rows": list(rows.values()), "page": page})
    assert "2 calendar days" in html and "2 working days" in html and "Due today" not in html


def test_page_never_shows_another_departments_clocks(client, people, board, dept_b):
    other_case = DesignationFactory._meta.model.objects.get(pk=board["clocks"]["other"].object_id)
    client.force_login(people["caseworker_a"])
    for query in ("", f"?department={dept_b.pk}"):
        response = client.get(reverse("deadline_list") + query)
        html = response.content.decode()
        assert f"/designations/{other_case.pk}/" not in html
        shown = {r.deadline.pk for g in response.context["page"].groups for r in g.rows}
        assert board["clocks"]["other"].pk not in shown
        assert shown  # the department's own clocks are still there: the unknown department was ignored
    client.force_login(people["caseworker_b"])
    response = client.get(reverse("deadline_list"))
    assert {r.deadline.pk for g in response.context["page"].groups for r in g.rows} == {board["clocks"]["other"].pk}


def test_page_narrows_to_one_department(client, people, board, dept_a, dept_b):
    both = user_with_role(Role.SUPERVISOR, dept_a, username="both", email="both@example.cn")
    user_with_role(Role.SUPERVISOR, dept_b, username="both")
    client.force_login(both)
    everything = client.get(reverse("deadline_list")).context["page"]
    assert board["clocks"]["other"].pk in {r.deadline.pk for g in everything.groups for r in g.rows}
    only_b = client.get(reverse("deadline_list") + f"?department={dept_b.pk}").context["page"]
    assert {r.deadline.pk for g in only_b.groups for r in g.rows} == {board["clocks"]["other"].pk}


def test_page_query_count_is_constant(client, people, dept_a, board, django_assert_max_num_queries):
    client.force_login(people["caseworker_a"])
    url = reverse("deadline_list")
    client.get(url)  # warm the calendar and profile caches

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries.captured_queries)

    few = count()
    today = board["today"]
    for offset in range(-6, 7):
        _due_on(
            DesignationFactory(department=dept_a, caseworker=people["caseworker_a"]), today + datetime.timedelta(offset)
        )
        _due_on(OrganisationFactory(department=dept_a), today)
    many = count()
    assert few <= many <= few + 1  # one more query: the second kind of case, all fetched in one go
    with django_assert_max_num_queries(15):
        client.get(url)


# --- The chart ----------------------------------------------------------------------------------------------------


def _met(deadline: Deadline, at: datetime.datetime, status=DeadlineStatus.MET) -> None:
    deadlines.deadline_close(deadline=deadline, actor=system_user(), reason="Done", status=status, now=at)


def test_chart_counts_clocks_met_on_time_per_month(client, people, dept_a, dept_b):
    today = timezone.localdate()
    now = timezone.localtime()
    last_month_day = today.replace(day=1) - datetime.timedelta(days=10)
    last_month = datetime.datetime.combine(last_month_day, datetime.time(23, 30), tzinfo=now.tzinfo)
    cw = people["caseworker_a"]

    def case():
        return DesignationFactory(department=dept_a, caseworker=cw)

    # This month: on time (before and on the due day), late, cancelled before its due day (not counted), cancelled
    # after it (missed, and it stays missed: issue 18), self-ending (not counted).
    _met(_due_on(case(), today + datetime.timedelta(days=3)), now)
    _met(_due_on(case(), today), now)
    _met(_due_on(case(), today - datetime.timedelta(days=1)), now)
    _met(_due_on(case(), today + datetime.timedelta(days=1)), now, status=DeadlineStatus.CANCELLED)
    _met(_due_on(case(), today - datetime.timedelta(days=1)), now, status=DeadlineStatus.CANCELLED)
    _met(_due_on(case(), today - datetime.timedelta(days=1), rule="R-DES-1"), now)
    # Last month, 23:30 local time on the due day (UTC is still the same day, a local-time boundary check), and
    # one met at 23:30 the day after its due day.
    _met(_due_on(case(), last_month_day), last_month)
    _met(_due_on(case(), last_month_day - datetime.timedelta(days=1)), last_month)
    # Another department's clock, late: never in A's chart.
    _met(_due_on(DesignationFactory(department=dept_b), today - datetime.timedelta(days=2)), now)
    _open(case())  # still running: not closed, not counted

    client.force_login(cw)
    response = client.get(reverse("deadline_list"))
    months = response.context["page"].months
    assert len(months) == 12 and months[-1].start == today.replace(day=1)
    assert (months[-1].closed, months[-1].on_time, months[-1].rate) == (4, 2, 50.0)
    assert (months[-2].closed, months[-2].on_time, months[-2].rate) == (2, 1, 50.0)
    assert all(m.closed == 0 and m.rate is None for m in months[:-2])
    html = response.content.decode()
    label = today.strftime("%Y-%m")
    assert f'data-month="{label}" data-closed="4" data-on-time="2"' in html
    assert "50%" in html and "<svg" in html and "<script" not in html.split("<footer")[0].split("<main")[1]


def test_chart_geometry_follows_the_rates():
    months = [
        monitoring.Month(datetime.date(2026, m, 1), closed, on) for m, closed, on in ((1, 4, 4), (2, 4, 1), (3, 0, 0))
    ]
    chart = monitoring.on_time_chart(months, width=300, height=130)
    full, quarter, empty = chart.bars
    plot = chart.bottom - chart.top
    assert full.height == plot and full.y == chart.top
    assert quarter.height == pytest.approx(plot / 4, abs=0.1)
    assert empty.height == 0 and empty.month.rate is None


# --- In Chinese ---------------------------------------------------------------------------------------------------


class _Visible(HTMLParser):
    def __init__(self):
        super().__init__()
        self.text: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in {"script", "style"}:
            self._skip += 1
        attributes = dict(attrs)
        if attributes.get("lang") == "en":  # the language switch names English in English
            self._skip += 1 if tag == "button" else 0
        self.text.extend(v for k, v in attrs if k in {"title", "aria-label", "placeholder"} and v)

    def handle_endtag(self, tag):
        if tag in {"script", "style"} or (tag == "button" and self._skip):
            self._skip = max(self._skip - 1, 0)

    def handle_data(self, data):
        if not self._skip and data.strip():
            self.text.append(data.strip())


def test_page_in_chinese_has_no_english(client, people, board, settings):
    settings.LANGUAGE_CODE = "zh-hans"
    deadline = board["clocks"]["late"]
    deadline.reminded_at = deadline.escalated_at = timezone.now()
    deadline.save()
    client.force_login(people["caseworker_a"])
    response = client.get(reverse("deadline_list"))
    parser = _Visible()
    parser.feed(response.content.decode())
    words = [w for piece in parser.text for w in re.findall(r"[A-Za-z]{2,}", piece)]
    assert words == [], words
    html = response.content.decode()
    for chinese in ("办理期限", "已逾期", "今日到期", "按期办结率", "《海南自由贸易港社会信用条例》第三十条"):
        assert chinese in html, chinese
    assert "R-OBJ-3" not in html
