"""The designation's due process through its services (R-DES-1 to R-DES-10)."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile

from creditportal.models import AuditEvent, Deadline, IssuedDocument, JurisdictionProfile
from creditportal.profiles import forget_profiles
from designations import services
from designations.models import Designation
from designations.tests.helpers import draft, to_state

pytestmark = pytest.mark.django_db


@pytest.fixture
def designation(caseworker_a, dept_a, record, catalog):
    return draft(caseworker=caseworker_a, department=dept_a, record=record, catalog=catalog)


def test_r_des_1_the_statement_period_counts_working_days_from_service(
    designation, caseworker_a, supervisor_a, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        designation = to_state(designation, "notified", caseworker=caseworker_a, supervisor=supervisor_a)
    deadline = Deadline.objects.get(rule_id="R-DES-1")
    # served Fri 2026-09-25; Sat 26 off, Sun 27 makeup? no: 2026-09-20 and 10-10 are make-up days;
    # 28, 29, 30 count; 10-01..10-07 National Day; 10-08, 10-09 count -> 5th working day = 2026-10-09
    assert deadline.due_date == datetime.date(2026, 10, 9)
    assert not deadline.provisional
    notice = designation.notice_document()
    assert notice.sha256 and notice.services.get().recipient == "王建国"


def test_r_des_1_the_period_must_run_out_unless_waived(designation, caseworker_a, supervisor_a):
    designation = to_state(designation, "notified", caseworker=caseworker_a, supervisor=supervisor_a)
    with pytest.raises(ValidationError, match="runs until 2026-10-09"):
        services.designation_close_statements(
            designation=designation,
            actor=caseworker_a,
            reason="hurry",
            now=datetime.datetime(2026, 10, 9, 9, tzinfo=datetime.UTC),
        )
    with pytest.raises(ValidationError, match="only in writing"):
        services.designation_record_statement(
            designation=designation,
            actor=caseworker_a,
            kind="waiver",
            received_on=datetime.date(2026, 9, 28),
            text="电话表示放弃",
            reason="x",
        )
    services.designation_record_statement(
        designation=designation,
        actor=caseworker_a,
        kind="waiver",
        received_on=datetime.date(2026, 9, 28),
        text="放弃陈述申辩",
        reason="Waiver",
        file=ContentFile(b"%PDF signed waiver", "waiver.pdf"),
    )
    services.designation_close_statements(
        designation=designation,
        actor=caseworker_a,
        reason="Waived",
        now=datetime.datetime(2026, 9, 28, 9, tzinfo=datetime.UTC),
    )
    assert Designation.objects.get(pk=designation.pk).state == "under_review"


def test_the_sweep_closes_an_expired_statement_period_as_the_system_user(designation, caseworker_a, supervisor_a):
    from creditportal.deadlines import deadline_sweep

    designation = to_state(designation, "notified", caseworker=caseworker_a, supervisor=supervisor_a)
    assert deadline_sweep(today=datetime.date(2026, 10, 9)) == {"processed": 0, "failed": 0}
    assert deadline_sweep(today=datetime.date(2026, 10, 10)) == {"processed": 1, "failed": 0}
    designation.refresh_from_db()
    assert designation.state == "under_review"
    assert designation.history.latest().history_user.username == "system"


def test_four_eyes_the_caseworker_never_approves(designation, caseworker_a, dept_a):
    from creditportal.choices import Role
    from creditportal.tests.factories import MembershipFactory

    MembershipFactory(user=caseworker_a, department=dept_a, role=Role.SUPERVISOR)
    caseworker_a = type(caseworker_a).objects.get(pk=caseworker_a.pk)  # a new request: roles are read once per request
    designation = to_state(designation, "awaiting_approval", caseworker=caseworker_a, supervisor=None)
    with pytest.raises(ValidationError, match="cannot decide on it"):
        services.designation_approve(designation=designation, actor=caseworker_a, reason="self")
    assert Designation.objects.get(pk=designation.pk).state == "awaiting_approval"


def test_r_des_10_only_a_listed_category_of_serious_conduct(caseworker_a, dept_a, record, catalog):
    """R-DES-10 (HL 29, XJ 39): a standard outside the listed categories grounds no designation."""
    from catalog.models import DesignationStandard

    DesignationStandard.objects.filter(pk=catalog[1].pk).unguarded().update(
        serious_category="late_filing_of_statistics"
    )
    catalog[1].refresh_from_db()
    with pytest.raises(ValidationError, match="R-DES-10"):
        draft(caseworker=caseworker_a, department=dept_a, record=record, catalog=catalog)
    assert not Designation.objects.exists()


def test_a_supervisor_of_another_department_cannot_approve(designation, caseworker_a, dept_b):
    from creditportal.choices import Role
    from creditportal.tests.factories import user_with_role

    other = user_with_role(Role.SUPERVISOR, dept_b, username="other_supervisor")
    designation = to_state(designation, "awaiting_approval", caseworker=caseworker_a, supervisor=None)
    with pytest.raises(PermissionDenied):
        services.designation_approve(designation=designation, actor=other, reason="x")


def test_r_des_4_provincial_re_examination_when_the_profile_requires_it(
    designation, caseworker_a, supervisor_a, dept_a
):
    from creditportal.choices import DepartmentKind, Role
    from creditportal.tests.factories import DepartmentFactory, user_with_role

    JurisdictionProfile.objects.filter(code="HN").unguarded().update(provincial_reexamination=True)
    forget_profiles()  # as the admin does after an edit
    dept_a.level, dept_a.parent = "prefecture", DepartmentFactory(code="HN-DRC", kind=DepartmentKind.CREDIT_AUTHORITY)
    dept_a.save()
    designation = to_state(designation, "approved", caseworker=caseworker_a, supervisor=supervisor_a)
    with pytest.raises(ValidationError, match="re-examined by the provincial credit authority"):
        services.designation_issue_decision(designation=designation, actor=caseworker_a, reason="Issue")
    with pytest.raises(PermissionDenied):
        services.designation_reexamine(designation=designation, actor=supervisor_a, reason="not province")
    province = user_with_role(Role.SUPERVISOR, dept_a.parent, username="province")
    services.designation_reexamine(designation=designation, actor=province, reason="Confirmed")
    designation = services.designation_issue_decision(designation=designation, actor=caseworker_a, reason="Issue")
    assert designation.state == "decision_issued" and designation.provincial_reviewer == province


def test_r_des_5_issue_serve_and_list(designation, caseworker_a, supervisor_a, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        designation = to_state(designation, "listed", caseworker=caseworker_a, supervisor=supervisor_a)
    assert designation.decision_number == "测市监〔2026〕1号"
    # 12 months from the day of service, that day included (R-DIS-1)
    assert (designation.listed_from, designation.listed_until) == (
        datetime.date(2026, 10, 16),
        datetime.date(2027, 10, 15),
    )
    measure = designation.designation_measures.get()
    assert (measure.status, measure.starts_on, measure.ends_on) == (
        "active",
        datetime.date(2026, 10, 16),
        datetime.date(2027, 10, 15),
    )
    decision = designation.decision_document()
    assert decision.services.get().method == "registered_mail"
    actions = list(
        AuditEvent.objects.filter(object_id=str(designation.pk), action__startswith="designations.")
        .order_by("pk")
        .values_list("action", flat=True)
    )
    assert actions == [
        f"designations.designation.{a}"
        for a in (
            "created",
            "issue_notice",
            "serve_notice",
            "close_statements",
            "submit",
            "approve",
            "issue_decision",
            "serve_decision",
            "list",
        )
    ]


def test_every_transition_leaves_a_history_row_with_actor_and_reason(designation, caseworker_a, supervisor_a):
    to_state(designation, "listed", caseworker=caseworker_a, supervisor=supervisor_a)
    rows = list(
        designation.history.order_by("history_date").values_list(
            "state", "history_user__username", "history_change_reason"
        )
    )
    states = [state for state, _, _ in rows]
    for state in (
        "draft",
        "pending_notice",
        "notified",
        "under_review",
        "awaiting_approval",
        "approved",
        "decision_issued",
        "served",
        "listed",
    ):
        assert state in states
    assert all(user and reason for _, user, reason in rows)
    assert ("approved", "supervisor_a", "同意") in rows


def test_r_des_7_minor_corrected_conduct_waives_the_measures_with_a_warning(
    caseworker_a, supervisor_a, dept_a, record, catalog
):
    designation = draft(
        caseworker=caseworker_a,
        department=dept_a,
        record=record,
        catalog=catalog,
        leniency="minor_corrected",
        leniency_reasons="首次违法，当日即整改，未造成危害后果",
    )
    designation = to_state(designation, "approved", caseworker=caseworker_a, supervisor=supervisor_a)
    assert designation.designation_measures.get().status == "waived"
    designation = to_state(designation, "decision_issued", caseworker=caseworker_a, supervisor=supervisor_a)
    designation = services.designation_serve_decision(
        designation=designation,
        actor=caseworker_a,
        reason="Served",
        method="in_person",
        served_on=datetime.date(2026, 10, 16),
        recipient="x",
    )
    assert designation.state == "served" and designation.listed_from is None


def test_r_des_7_leniency_needs_documented_reasons(caseworker_a, supervisor_a, dept_a, record, catalog):
    designation = draft(
        caseworker=caseworker_a, department=dept_a, record=record, catalog=catalog, leniency="minor_corrected"
    )
    designation = to_state(designation, "under_review", caseworker=caseworker_a, supervisor=supervisor_a)
    with pytest.raises(ValidationError, match="R-DES-7"):
        services.designation_submit(designation=designation, actor=caseworker_a, reason="x")


def test_r_des_6_proportionality_is_stated_before_approval(caseworker_a, supervisor_a, dept_a, record, catalog):
    designation = draft(
        caseworker=caseworker_a, department=dept_a, record=record, catalog=catalog, proportionality_statement=""
    )
    designation = to_state(designation, "under_review", caseworker=caseworker_a, supervisor=supervisor_a)
    with pytest.raises(ValidationError, match="R-DES-6"):
        services.designation_submit(designation=designation, actor=caseworker_a, reason="x")


def test_r_cat_6_only_a_published_standard(caseworker_a, dept_a, record, catalog):
    standard = catalog[1]
    standard.status = "withdrawn"
    standard.save()
    with pytest.raises(ValidationError, match="R-CAT-6"):
        draft(caseworker=caseworker_a, department=dept_a, record=record, catalog=catalog)
    assert not Designation.objects.exists()


def test_r_des_3_a_scheduled_hearing_must_be_held_before_submission(designation, caseworker_a, supervisor_a):
    designation = to_state(designation, "under_review", caseworker=caseworker_a, supervisor=supervisor_a)
    hearing = services.designation_schedule_hearing(
        designation=designation,
        actor=caseworker_a,
        scheduled_at=datetime.datetime(2026, 10, 20, 1, tzinfo=datetime.UTC),
        place="第一听证室",
        chaired_by=supervisor_a,
        reason="Subject asked for a hearing",
    )
    with pytest.raises(ValidationError, match="R-DES-3"):
        services.designation_submit(designation=designation, actor=caseworker_a, reason="x")
    services.designation_record_hearing(
        hearing=hearing,
        actor=caseworker_a,
        held_at=hearing.scheduled_at,
        minutes="当事人到场陈述，承认事实。",
        reason="Minutes",
    )
    assert (
        services.designation_submit(designation=designation, actor=caseworker_a, reason="x").state
        == "awaiting_approval"
    )


def test_r_des_2_an_adopted_objection_removes_the_listing_and_stops_the_measures(
    designation, caseworker_a, supervisor_a
):
    """R-DES-2 (HL 35); the subject objects in writing to a designation made (R-OBJ-1)."""
    from objections import services as objection_services

    designation = to_state(designation, "listed", caseworker=caseworker_a, supervisor=supervisor_a)
    objection = objection_services.designation_objection_receive(
        designation=designation,
        actor=caseworker_a,
        ground="error",
        grounds_text="处罚决定已被撤销",
        received_at=datetime.datetime(2026, 11, 2, 2, tzinfo=datetime.UTC),
        reason="Received",
    )
    assert objection.due_date == datetime.date(2026, 11, 11)  # HN: 7 WD (the general objection deadline)
    with pytest.raises(ValidationError, match="answered with the reasons"):
        objection_services.designation_objection_decide(
            objection=objection, actor=supervisor_a, sustained=False, reasons="", reason="x"
        )
    objection_services.designation_objection_decide(
        objection=objection, actor=supervisor_a, sustained=True, reasons="处罚决定已被复议机关撤销", reason="Adopted"
    )
    designation.refresh_from_db()
    assert designation.state == "removed" and designation.removal_reason == "objection_adopted"
    assert designation.designation_measures.get().status == "stopped"


def test_r_des_2_heilongjiang_decides_within_3_working_days(designation, caseworker_a, supervisor_a, settings):
    """HL 35's 3 WD for an objection to a designation is its own period, not the general objection deadline (HL 39,
    also 3 WD in the profile): the general one is set to 7 WD here, so only the designation's period gives Wed 4."""
    from objections import services as objection_services

    settings.CREDIT_JURISDICTION = "HL"
    profile = JurisdictionProfile.objects.get(code="HL")
    assert (profile.designation_objection_wd, profile.sources["designation_objection_wd"]) == (3, "HL 35")
    JurisdictionProfile.objects.filter(pk=profile.pk).unguarded().update(objection_answer_days=7)
    forget_profiles()
    designation = to_state(designation, "under_review", caseworker=caseworker_a, supervisor=supervisor_a)
    objection = objection_services.designation_objection_receive(
        designation=designation,
        actor=caseworker_a,
        ground="error",
        grounds_text="事实有误",
        received_at=datetime.datetime(2026, 10, 30, 2, tzinfo=datetime.UTC),
        reason="Received",
    )
    answer = objection_services.answer_deadline(objection)
    assert (answer.rule_id, answer.days, answer.unit, answer.article) == ("R-DES-2", 3, "wd", "HL 35")
    assert objection.due_date == answer.due_date == datetime.date(2026, 11, 4)  # Fri 30 → Mon 2, Tue 3, Wed 4
    with pytest.raises(ValidationError, match="R-DES-2"):
        services.designation_submit(designation=designation, actor=caseworker_a, reason="x")
    objection_services.designation_objection_decide(
        objection=objection, actor=supervisor_a, sustained=False, reasons="处罚决定合法有效", reason="Not adopted"
    )
    assert (
        services.designation_submit(designation=designation, actor=caseworker_a, reason="x").state
        == "awaiting_approval"
    )


def test_r_des_8_a_judgment_defaulter_is_designated_on_the_courts_document(caseworker_a, dept_a, organisation, catalog):
    from catalog.models import CatalogItem

    item = catalog[0]
    fields = {f.name: getattr(item, f.name) for f in item._meta.concrete_fields if f.name not in {"id"}}
    CatalogItem.objects.create(
        **{
            **fields,
            "code": "HN-08-001",
            "name": "失信被执行人信息",
            "category": "non_performance",
            "is_administrative_punishment": False,
            "sector": "general",
        }
    )
    designation = services.designation_create_from_court_list(
        actor=caseworker_a,
        department=dept_a,
        subject=organisation,
        standard=catalog[1],
        measures=list(catalog[1].allowed_measures.all()),
        list_reference="(2026)琼01执123号",
        court="海口市中级人民法院",
        judgment_number="(2025)琼01民初45号",
        judgment_effective_on=datetime.date(2025, 11, 3),
        facts="经法院认定为失信被执行人",
        proposed_listing_months=12,
        reason="Court list",
    )
    assert designation.source == "judgment_defaulter"
    record = designation.records.get()
    assert record.basis_document.basis_type == "judgment"
    assert record.basis_document.issuing_authority == "海口市中级人民法院"


def test_r_des_9_a_state_owned_enterprise_is_reported_upward_and_to_the_audit_organ(
    designation, caseworker_a, supervisor_a, django_capture_on_commit_callbacks, settings
):
    settings.CREDIT_JURISDICTION = "HL"  # HL 32
    subject = designation.subject
    subject.ownership = "state_owned"
    subject.save()
    with django_capture_on_commit_callbacks(execute=True):
        designation = to_state(designation, "listed", caseworker=caseworker_a, supervisor=supervisor_a)
    reports = IssuedDocument.objects.filter(kind="report_to_authority", object_id=designation.pk)
    assert reports.count() == 2 and all(r.sha256 for r in reports)
    assert not any(r.services.exists() for r in reports)  # tracked: not yet sent


def test_r_des_9_no_report_where_the_regulation_does_not_ask_for_it(
    designation, caseworker_a, supervisor_a, django_capture_on_commit_callbacks
):
    """Issue 19: HL 32's reports were sent in every deployment; Hainan's regulation does not ask for them."""
    subject = designation.subject
    subject.ownership = "state_owned"
    subject.save()
    with django_capture_on_commit_callbacks(execute=True):
        designation = to_state(designation, "listed", caseworker=caseworker_a, supervisor=supervisor_a)
    assert not IssuedDocument.objects.filter(kind="report_to_authority", object_id=designation.pk).exists()


def test_listing_expiry_removes_the_designation(designation, caseworker_a, supervisor_a):
    from creditportal.deadlines import deadline_sweep

    designation = to_state(designation, "listed", caseworker=caseworker_a, supervisor=supervisor_a)
    deadline_sweep(today=datetime.date(2027, 10, 15))  # the last listed day
    assert Designation.objects.get(pk=designation.pk).state == "listed"
    deadline_sweep(today=datetime.date(2027, 10, 16))
    designation.refresh_from_db()
    assert designation.state == "removed" and designation.removal_reason == "expiry"


def test_a_stale_page_cannot_act(designation, caseworker_a):
    version = designation.version
    services.designation_update(
        designation=designation, actor=caseworker_a, reason="edit", facts="新的事实", expected_version=version
    )
    with pytest.raises(services.ConcurrentChange, match="reload the page"):
        services.designation_issue_notice(
            designation=designation, actor=caseworker_a, reason="x", statement_period_wd=5, expected_version=version
        )


def test_measures_dropped_from_the_proposal_are_kept_not_deleted(designation, caseworker_a):
    services.designation_update(designation=designation, actor=caseworker_a, reason="No measure", measures=[])
    link = designation.designation_measures.get()
    assert link.status == "dropped"
    assert link.history.latest().history_change_reason == "No measure"
