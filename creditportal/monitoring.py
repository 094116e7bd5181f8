"""Monitoring of the statutory clocks (issue 10): reminders, escalations, and the deadlines page.

It works on the ``Deadline`` table alone, so every workflow that opens its clocks with
``deadlines.deadline_open`` (designations, objections, restoration, complaints) is monitored without a line of
its own. Two mails, each sent once per clock and due date (``Deadline.reminded_at`` / ``escalated_at``):

- a *reminder* to the people working the case, ``DEADLINE_REMINDER_WD`` working days (an operations choice, not
  a legal value; default 2) before the due date: the case's own caseworker when the case has one and still works
  in the deadline's department, else the department's caseworkers;
- an *escalation* to the department's supervisors and heads once the clock is missed: still running after its
  due date. Clocks the sweep ends itself (an expiry handler is registered: the statement period, the listing)
  need nobody to act and are neither reminded nor escalated; a provisional due date (its year's official
  schedule is not loaded) is not escalated, since it may still move.

Candidates are selected set-based (one query for each kind of mail, one for the people of every department
involved, one per kind of case); each clock is then locked (skipping one another sweep holds), mailed and
stamped in its own transaction, so a mail that fails leaves its clock unstamped for the next sweep and does not
stop the others. The mail is in the product's language (Chinese by default), names the case, the article of the
deployment's regulation (``profile.cite``), the due date, and links to the case.

The deadlines page (``deadlines_page``) reads through ``scope_queryset``: due today, in the next 7 days and
overdue (derived from the due date and today, never stored), and the on-time rate per month for 12 months.
"""

from __future__ import annotations

import datetime
import logging
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import Count, F, Q, QuerySet
from django.db.models.functions import TruncMonth
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from . import workdays
from .audit import record_event, system_user, tracked_save
from .choices import DayCount, DeadlineStatus, Role
from .deadlines import cases_of, self_ending_condition
from .filters import cached_choices
from .lists import PageNumbers
from .models import Deadline, Department, Membership
from .permissions import department_ids_for, perm_name, scope_queryset
from .profiles import current_profile
from .selectors import CASE_DETAIL_URLS

logger = logging.getLogger(__name__)

#: Who is reminded when the case names no caseworker of its own, and who hears of a missed clock.
REMINDER_ROLES = (Role.CASEWORKER,)
ESCALATION_ROLES = (Role.SUPERVISOR, Role.HEAD)
#: Roles that work a case: the case's own caseworker is reminded only while they hold one in the department.
WORKING_ROLES = (Role.CASEWORKER, Role.SUPERVISOR, Role.HEAD)
#: Rows shown per group of the deadlines page (issue 23: 100 a group rendered 300 rows at scale); a group with more
#: links to its own pages of as many rows (``deadlines_page(group=…)``).
PAGE_ROWS = 25


def reminder_working_days() -> int:
    """How many working days before the due date the reminder goes (``DEADLINE_REMINDER_WD``, default 2)."""
    return int(getattr(settings, "DEADLINE_REMINDER_WD", 2))


# --- Cases and their people ---------------------------------------------------------------------------------------


def _label(content_type: ContentType) -> str:
    return f"{content_type.app_label}.{content_type.model}"


def case_url_name(deadline: Deadline) -> str:
    """The URL name of the page of the deadline's case (``selectors.CASE_DETAIL_URLS``), or ""."""
    return CASE_DETAIL_URLS.get(_label(deadline.content_type), "")


def case_title(case) -> str:
    """A case as a page or a mail names it: its subject's name, then the case (海口某食品有限公司 · 异议 #12)."""
    if case is None:
        return "—"
    subject = getattr(case, "subject", None)
    return f"{subject.name} · {case}" if subject is not None else str(case)


@dataclass
class _People:
    """The active people of each department with an email address, by role; and who holds a working role."""

    emails: dict[tuple[int, str], list[tuple[int, str]]] = field(default_factory=dict)  # (dept, role) → (user, email)
    working: dict[int, set[int]] = field(default_factory=dict)  # dept → user ids with a working role
    email_of: dict[int, str] = field(default_factory=dict)

    def of(self, department_id: int, roles) -> list[str]:
        seen: dict[str, None] = {}
        for role in roles:
            for _user, email in self.emails.get((department_id, role), []):
                seen.setdefault(email, None)
        return list(seen)


def _people(department_ids: set[int]) -> _People:
    people = _People()
    rows = (
        Membership.objects.filter(
            department_id__in=department_ids,
            is_active=True,
            user__is_active=True,
            department__is_active=True,
            role__in=WORKING_ROLES,
        )
        .order_by("department_id", "role", "user__username")
        .values_list("department_id", "role", "user_id", "user__email")
    )
    for department_id, role, user_id, email in rows:
        people.working.setdefault(department_id, set()).add(user_id)
        if email:
            people.emails.setdefault((department_id, role), []).append((user_id, email))
            people.email_of[user_id] = email
    return people


def reminder_recipients(deadline: Deadline, case, people: _People) -> list[str]:
    """The case's own caseworker while they work in the deadline's department, else its caseworkers."""
    own = getattr(case, "caseworker_id", None)
    if own and own in people.working.get(deadline.department_id, set()) and own in people.email_of:
        return [people.email_of[own]]
    return people.of(deadline.department_id, REMINDER_ROLES)


def escalation_recipients(deadline: Deadline, case, people: _People) -> list[str]:
    """The supervisors and heads of the deadline's department (only that department's)."""
    return people.of(deadline.department_id, ESCALATION_ROLES)


# --- Mail ---------------------------------------------------------------------------------------------------------


def _absolute(path: str) -> str:
    return getattr(settings, "EMAIL_LINK_BASE_URL", "http://127.0.0.1:8000").rstrip("/") + path


def _mail_context(deadline: Deadline, case, today: datetime.date, calendar: workdays.Calendar) -> dict:
    url_name = case_url_name(deadline)
    try:
        case_link = _absolute(reverse(url_name, args=[deadline.object_id])) if url_name and case else ""
    except NoReverseMatch:
        case_link = ""
    profile = current_profile()
    return {
        "deadline": deadline,
        "case_title": case_title(case),
        "department": deadline.department.name,
        "article": (profile.cite(deadline.rule_id) if profile else "") or "—",
        "anchor_event": _(deadline.anchor_event),
        "anchor_date": deadline.anchor_date.isoformat(),
        "due": deadline.due_date.isoformat(),
        "working_days_left": workdays.working_days_between(today, deadline.due_date, calendar),
        "days_left": max((deadline.due_date - today).days, 0),
        "in_working_days": deadline.unit == DayCount.WORKING_DAYS,
        "days_overdue": max((today - deadline.due_date).days, 0),
        "case_link": case_link,
        "deadlines_link": _absolute(reverse("deadline_list") + f"?department={deadline.department_id}"),
    }


def _message(kind: str, deadline: Deadline, case, recipients: list[str], today, calendar) -> EmailMessage:
    """The reminder or escalation mail, in the product's language (``LANGUAGE_CODE``: Chinese by default)."""
    with translation.override(settings.LANGUAGE_CODE):
        context = _mail_context(deadline, case, today, calendar)
        if kind == "reminder":
            subject = _("Deadline reminder: %(case)s is due on %(due)s") % {
                "case": context["case_title"],
                "due": context["due"],
            }
        else:
            subject = _("Deadline missed: %(case)s was due on %(due)s") % {
                "case": context["case_title"],
                "due": context["due"],
            }
        body = render_to_string(f"creditportal/email/deadline_{kind}.txt", context)
    return EmailMessage(subject=" ".join(subject.split()), body=body, to=recipients)


def _send(kind: str, candidates: list[Deadline], *, today, now, recipients_for) -> dict[str, int]:
    """Mail and stamp each candidate once, each in its own transaction (see the module docstring)."""
    stamp = "reminded_at" if kind == "reminder" else "escalated_at"
    cases = cases_of(candidates)
    people = _people({d.department_id for d in candidates})
    calendar = workdays.load_calendar()
    actor = None
    sent = failed = nobody = 0
    for candidate in candidates:
        case = cases.get((candidate.content_type_id, candidate.object_id))
        recipients = recipients_for(candidate, case, people)
        if not recipients:
            nobody += 1  # left unstamped: sent once someone with an address holds the role
            continue
        try:
            with transaction.atomic():
                deadline = (
                    # Only the clock's row (of=self): locking its department too would make a second sweep skip
                    # every clock of that department while the first sends one mail.
                    Deadline.objects.select_for_update(skip_locked=True, of=("self",))
                    .select_related("department", "content_type")
                    .filter(pk=candidate.pk, status=DeadlineStatus.OPEN, due_date=candidate.due_date)
                    .filter(**{f"{stamp}__isnull": True})
                    .first()
                )
                if deadline is None:  # another sweep holds or sent it, or the clock changed since it was selected
                    continue
                _message(kind, deadline, case, recipients, today, calendar).send()
                setattr(deadline, stamp, now)
                actor = actor or system_user()
                reason = _("Reminder sent") if kind == "reminder" else _("Missed deadline escalated")
                tracked_save(deadline, actor=actor, reason=reason, validate=False)
                record_event(
                    action=f"creditportal.deadline.{'reminded' if kind == 'reminder' else 'escalated'}",
                    actor=actor,
                    target=deadline,
                    department=deadline.department,
                    reason=reason,
                    data={"rule": deadline.rule_id, "due": deadline.due_date.isoformat(), "to": recipients},
                    at=now,
                )
                sent += 1
        except Exception:  # one failing mail must not stop the others; the clock stays unstamped for the next sweep
            logger.exception("The %s of deadline %s could not be sent", kind, candidate.pk)
            failed += 1
    if nobody:
        logger.warning("%s deadline(s) have nobody with an email address to receive the %s", nobody, kind)
    return {"sent": sent, "failed": failed, "nobody": nobody}


def reminder_candidates(*, today: datetime.date) -> QuerySet[Deadline]:
    """Running clocks due from today up to ``DEADLINE_REMINDER_WD`` working days ahead, not reminded yet."""
    horizon = workdays.add_working_days(today, reminder_working_days(), workdays.load_calendar()).due or today
    return (
        Deadline.objects.filter(
            status=DeadlineStatus.OPEN, reminded_at__isnull=True, due_date__gte=today, due_date__lte=horizon
        )
        .exclude(self_ending_condition())
        .select_related("content_type")
        .order_by("due_date", "pk")
    )


def escalation_candidates(*, today: datetime.date) -> QuerySet[Deadline]:
    """Clocks still running after their due date (missed), not escalated yet; not provisional, not self-ending."""
    return (
        Deadline.objects.filter(
            status=DeadlineStatus.OPEN, escalated_at__isnull=True, due_date__lt=today, provisional=False
        )
        .exclude(self_ending_condition())
        .select_related("content_type")
        .order_by("due_date", "pk")
    )


def deadline_reminders_send(*, today: datetime.date, now: datetime.datetime) -> dict[str, int]:
    """Remind the people working each case whose clock is due within ``DEADLINE_REMINDER_WD`` working days."""
    return _send(
        "reminder", list(reminder_candidates(today=today)), today=today, now=now, recipients_for=reminder_recipients
    )


def deadline_escalations_send(*, today: datetime.date, now: datetime.datetime) -> dict[str, int]:
    """Tell the supervisors and heads of the department of every clock missed (still running after its due date)."""
    return _send(
        "escalation",
        list(escalation_candidates(today=today)),
        today=today,
        now=now,
        recipients_for=escalation_recipients,
    )


def deadlines_monitor(*, today: datetime.date, now: datetime.datetime) -> dict[str, dict[str, int]]:
    """What the deadline sweep runs after the expiry handlers: the escalations, then the reminders."""
    return {
        "escalations": deadline_escalations_send(today=today, now=now),
        "reminders": deadline_reminders_send(today=today, now=now),
    }


# --- The deadlines page -------------------------------------------------------------------------------------------


@dataclass
class Row:
    deadline: Deadline
    case: object
    title: str
    url_name: str
    working_days_left: int
    days_left: int  # calendar days: a period in calendar days may end on a day off
    days_overdue: int

    @property
    def in_working_days(self) -> bool:
        return self.deadline.unit == DayCount.WORKING_DAYS


@dataclass
class Group(PageNumbers):
    key: str
    title: str
    style: str
    rows: list[Row]
    more: bool
    number: int = 1  # the group's page (its own pages: ``deadlines_page(group=…)``)


@dataclass
class Month:
    start: datetime.date
    closed: int
    on_time: int

    @property
    def rate(self) -> float | None:
        return round(100 * self.on_time / self.closed, 1) if self.closed else None


@dataclass
class Page:
    departments: list[Department]
    department: Department | None
    groups: list[Group]
    months: list[Month]
    reminder_wd: int
    group: str = ""  # one group's pages: its key; the whole page: ""


def _months(today: datetime.date, count: int = 12) -> list[datetime.date]:
    first = today.replace(day=1)
    months = []
    for back in range(count - 1, -1, -1):
        year, month = divmod(first.year * 12 + first.month - 1 - back, 12)
        months.append(datetime.date(year, month + 1, 1))
    return months


def on_time_by_month(deadlines: QuerySet[Deadline], *, today: datetime.date, count: int = 12) -> list[Month]:
    """For each of the last ``count`` months (this one included): the clocks met that month, and those met on or
    before their due date (the day met, in local time). A clock cancelled with its case before its due date was
    neither met nor missed; one cancelled after it was missed and stays missed (issue 18: a withdrawal does not
    erase a deadline already passed). Clocks the sweep ends itself are left out. One query."""
    starts = _months(today, count)
    zone = timezone.get_current_timezone()
    since = datetime.datetime.combine(starts[0], datetime.time.min, tzinfo=zone)
    rows = (
        deadlines.filter(
            Q(status=DeadlineStatus.MET) | Q(status=DeadlineStatus.CANCELLED, met_at__date__gt=F("due_date")),
            met_at__gte=since,
            met_at__isnull=False,
        )
        .exclude(self_ending_condition())
        .annotate(month=TruncMonth("met_at", tzinfo=zone))
        .values("month")
        .annotate(
            closed=Count("pk"),
            on_time=Count("pk", filter=Q(status=DeadlineStatus.MET, met_at__date__lte=F("due_date"))),
        )
        .order_by()
    )
    found = {timezone.localtime(r["month"], zone).date().replace(day=1): r for r in rows}
    return [
        Month(start, found[start]["closed"], found[start]["on_time"]) if start in found else Month(start, 0, 0)
        for start in starts
    ]


#: The groups of the deadlines page, in its order.
GROUPS = ("overdue", "today", "week")


def deadlines_page(
    *, user, today: datetime.date, department_id: int | None = None, group: str = "", number: int = 1
) -> Page:
    """The deadlines page of the user's departments (or of the one chosen): overdue, due today, due in the next
    7 days, each row with its case and days left (the first PAGE_ROWS of each group); and the on-time rate per
    month. With ``group`` (one of GROUPS), that group alone, its page ``number`` of PAGE_ROWS rows (at most
    PORTAL_MAX_PAGES pages, as the lists). A constant number of queries."""
    allowed = department_ids_for(user, perm_name(Deadline, "view"))
    # the departments' names read once a minute, as the lists' department filters read them (issue 23)
    departments = cached_choices(Department.objects.filter(pk__in=sorted(allowed)).order_by("code"))
    chosen = next((d for d in departments if d.pk == department_id), None)
    scoped = scope_queryset(user, Deadline.objects.all())
    if chosen is not None:
        scoped = scoped.filter(department_id=chosen.pk)
    running = scoped.filter(status=DeadlineStatus.OPEN).select_related("content_type", "department")
    week_end = today + datetime.timedelta(days=7)
    groups_spec = (
        ("overdue", _("Overdue"), "danger", running.filter(due_date__lt=today).order_by("due_date", "pk")),
        ("today", _("Due today"), "warning", running.filter(due_date=today).order_by("pk")),
        (
            "week",
            _("Due in the next 7 days"),
            "primary",
            running.filter(due_date__gt=today, due_date__lte=week_end).order_by("due_date", "pk"),
        ),
    )
    if group not in GROUPS:
        group = ""
    number = min(max(number, 1), settings.PORTAL_MAX_PAGES) if group else 1
    start = (number - 1) * PAGE_ROWS
    fetched = [
        (key, title, style, list(qs[start : start + PAGE_ROWS + 1]))
        for key, title, style, qs in groups_spec
        if not group or key == group
    ]
    cases = cases_of([d for *_rest, rows in fetched for d in rows[:PAGE_ROWS]])
    calendar = workdays.load_calendar()
    groups = []
    for key, title, style, rows in fetched:
        entries = []
        for deadline in rows[:PAGE_ROWS]:
            case = cases.get((deadline.content_type_id, deadline.object_id))
            entries.append(
                Row(
                    deadline=deadline,
                    case=case,
                    title=case_title(case),
                    url_name=case_url_name(deadline) if case is not None else "",
                    working_days_left=workdays.working_days_between(today, deadline.due_date, calendar),
                    days_left=max((deadline.due_date - today).days, 0),
                    days_overdue=max((today - deadline.due_date).days, 0),
                )
            )
        more = len(rows) > PAGE_ROWS and number < settings.PORTAL_MAX_PAGES
        groups.append(Group(key, title, style, entries, more=more, number=number))
    return Page(
        departments=departments,
        department=chosen,
        groups=groups,
        months=[] if group else on_time_by_month(scoped, today=today),
        reminder_wd=reminder_working_days(),
        group=group,
    )


# --- The chart ----------------------------------------------------------------------------------------------------


@dataclass
class Bar:
    month: Month
    label: str
    x: float
    y: float
    height: float
    width: float
    text_x: float


@dataclass
class Chart:
    width: int
    height: int
    top: int
    bottom: int
    left: int
    right: int
    bars: list[Bar]
    gridlines: list[tuple[int, float]]  # (percent, y)


def on_time_chart(months: list[Month], *, width: int = 720, height: int = 300) -> Chart:
    """The geometry of the on-time bar chart (``deadlines_chart.html`` draws it as SVG: no script, no CDN)."""
    left, right, top, bottom = 44, width - 8, 20, height - 28
    plot = bottom - top
    slot = (right - left) / max(len(months), 1)
    bars = []
    for index, month in enumerate(months):
        rate = month.rate or 0.0
        bar_height = plot * rate / 100
        x = left + index * slot + slot * 0.18
        bars.append(
            Bar(
                month=month,
                label=month.start.strftime("%Y-%m"),
                x=round(x, 1),
                y=round(bottom - bar_height, 1),
                height=round(bar_height, 1),
                width=round(slot * 0.64, 1),
                text_x=round(left + index * slot + slot / 2, 1),
            )
        )
    gridlines = [(p, round(bottom - plot * p / 100, 1)) for p in (0, 25, 50, 75, 100)]
    return Chart(width, height, top, bottom, left, right, bars, gridlines)
