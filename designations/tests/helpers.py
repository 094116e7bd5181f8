"""Walk a designation through its due process, one service at a time."""
import datetime

from designations import services

NOTICE_SERVED = datetime.date(2026, 9, 25)  # a Friday before the National Day holiday


def draft(*, caseworker, department, record, catalog, **overrides):
    standard = catalog[1]
    data = {
        "facts": "当事人于2026年3月多次销售超过保质期的食品，经查证属实。",
        "reasons": "当事人的行为属于严重危害人民群众身体健康的失信行为。",
        "proportionality_statement": "拟采取的措施与违法行为的性质、情节和社会危害程度相当。",
        "proposed_listing_months": 12,
    }
    data.update(overrides)
    return services.designation_create(actor=caseworker, department=department, subject=record.subject,
                                       standard=standard, records=[record],
                                       measures=list(standard.allowed_measures.all()), reason="Prepared", **data)


def to_state(designation, state, *, caseworker, supervisor, served_on=NOTICE_SERVED):
    """Advance ``designation`` to ``state`` the way users would."""
    order = ["draft", "pending_notice", "notified", "under_review", "awaiting_approval", "approved",
             "decision_issued", "listed"]
    steps = {
        "pending_notice": lambda d: services.designation_issue_notice(designation=d, actor=caseworker,
                                                                      statement_period_wd=5, reason="Notice"),
        "notified": lambda d: services.designation_serve_notice(
            designation=d, actor=caseworker, reason="Served", method="in_person", served_on=served_on,
            recipient="王建国"),
        "under_review": lambda d: services.designation_close_statements(
            designation=d, actor=caseworker, reason="Period over",
            now=datetime.datetime(2026, 12, 1, 10, tzinfo=datetime.UTC)),
        "awaiting_approval": lambda d: services.designation_submit(designation=d, actor=caseworker, reason="Ready"),
        "approved": lambda d: services.designation_approve(designation=d, actor=supervisor, reason="Approved"),
        "decision_issued": lambda d: services.designation_issue_decision(designation=d, actor=caseworker,
                                                                         reason="Issue"),
        "listed": lambda d: services.designation_serve_decision(
            designation=d, actor=caseworker, reason="Served", method="registered_mail",
            served_on=datetime.date(2026, 12, 10), recipient="海口椰风食品有限公司"),
    }
    for step in order[order.index(designation.state) + 1: order.index(state) + 1]:
        designation = steps[step](designation)
    designation.refresh_from_db()
    return designation
