"""Walk a designation through its due process, one service at a time, on a timeline in the past (every date a
person records is checked against today and against the event it answers)."""

import datetime
import zoneinfo

from creditportal.documents import document_render
from creditportal.models import IssuedDocument
from designations import services

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")


def at(year, month, day, hour=10) -> datetime.datetime:
    return datetime.datetime(year, month, day, hour, tzinfo=SHANGHAI)


NOTICE_ISSUED = at(2026, 9, 24)
NOTICE_SERVED = datetime.date(2026, 9, 25)  # a Friday before the National Day holiday
STATEMENTS_CLOSED = at(2026, 10, 12)  # the 5-working-day period ended on 2026-10-09
DECISION_ISSUED = at(2026, 10, 15)
DECISION_SERVED = datetime.date(2026, 10, 16)


def draft(*, caseworker, department, record, catalog, **overrides):
    standard = catalog[1]
    data = {
        "facts": "当事人于2026年3月多次销售超过保质期的食品，经查证属实。",
        "reasons": "当事人的行为属于严重危害人民群众身体健康的失信行为。",
        "proportionality_statement": "拟采取的措施与违法行为的性质、情节和社会危害程度相当。",
        "proposed_listing_months": 12,
    }
    data.update(overrides)
    return services.designation_create(
        actor=caseworker,
        department=department,
        subject=record.subject,
        standard=standard,
        records=[record],
        measures=list(standard.allowed_measures.all()),
        reason="拟定认定",
        **data,
    )


def render_pending(designation) -> None:
    """What the Celery worker does after commit: render every issued document that has no PDF yet."""
    for document in IssuedDocument.objects.filter(object_id=designation.pk, sha256=""):
        document_render(document=document)


def to_state(designation, state, *, caseworker, supervisor, served_on=NOTICE_SERVED):
    """Advance ``designation`` to ``state`` the way users would (the PDFs rendered as the worker would)."""
    order = [
        "draft",
        "pending_notice",
        "notified",
        "under_review",
        "awaiting_approval",
        "approved",
        "decision_issued",
        "listed",
    ]
    steps = {
        "pending_notice": lambda d: services.designation_issue_notice(
            designation=d, actor=caseworker, statement_period_wd=5, reason="制发告知书", now=NOTICE_ISSUED
        ),
        "notified": lambda d: services.designation_serve_notice(
            designation=d,
            actor=caseworker,
            reason="已送达当事人",
            method="in_person",
            served_on=served_on,
            recipient="王建国",
            now=at(served_on.year, served_on.month, served_on.day, 16),
        ),
        "under_review": lambda d: services.designation_close_statements(
            designation=d, actor=caseworker, reason="陈述申辩期满", now=STATEMENTS_CLOSED
        ),
        "awaiting_approval": lambda d: services.designation_submit(
            designation=d, actor=caseworker, reason="提请审批", now=at(2026, 10, 13)
        ),
        "approved": lambda d: services.designation_approve(
            designation=d, actor=supervisor, reason="同意", now=at(2026, 10, 14)
        ),
        "decision_issued": lambda d: services.designation_issue_decision(
            designation=d, actor=caseworker, reason="制发决定书", now=DECISION_ISSUED
        ),
        "listed": lambda d: services.designation_serve_decision(
            designation=d,
            actor=caseworker,
            reason="已送达当事人",
            method="registered_mail",
            served_on=DECISION_SERVED,
            recipient="海口椰风食品有限公司",
            now=at(2026, 10, 16, 16),
        ),
    }
    for step in order[order.index(designation.state) + 1 : order.index(state) + 1]:
        designation = steps[step](designation)
        render_pending(designation)
    designation.refresh_from_db()
    return designation


def prefixed(prefix: str, data: dict) -> dict:
    """Form data as the case page posts it: each of its forms has its own prefix (unique ids per form)."""
    return {f"{prefix}-{key}": value for key, value in data.items()}
