"""The caseworker's day on the pages (issue 9): queues, recall, the case page, citations for people."""

import re

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone, translation

from creditportal.choices import Role
from creditportal.models import AuditEvent
from creditportal.tests.factories import user_with_role
from creditportal.workflow import TransitionRefused
from designations import services
from designations.models import Designation
from designations.tests.helpers import draft, prefixed, to_state

pytestmark = pytest.mark.django_db
RULE_ID = re.compile(r"R-[A-Z]{3}-\d")


@pytest.fixture
def awaiting(caseworker_a, supervisor_a, dept_a, record, catalog):
    return to_state(
        draft(caseworker=caseworker_a, department=dept_a, record=record, catalog=catalog),
        "awaiting_approval",
        caseworker=caseworker_a,
        supervisor=supervisor_a,
    )


def test_a_case_awaiting_approval_stays_in_its_caseworkers_queue_and_can_be_recalled(client, awaiting, caseworker_a):
    client.force_login(caseworker_a)
    html = client.get(reverse("my_work")).content.decode()
    assert "My cases waiting for approval" in html and awaiting.subject.name in html
    html = client.post(
        reverse("designation_act", args=[awaiting.pk, "recall"]),
        prefixed("recall", {"reason": "补充材料", "expected_version": awaiting.version}),
        follow=True,
    ).content.decode()
    assert "Done: Recall from approval." in html
    awaiting.refresh_from_db()
    assert awaiting.state == "under_review"
    assert AuditEvent.objects.filter(action="designations.designation.recall", reason="补充材料").exists()


def test_only_the_cases_own_caseworker_can_recall_it(awaiting, dept_a):
    colleague = user_with_role(Role.CASEWORKER, dept_a, username="colleague")
    with pytest.raises(TransitionRefused, match="Only the case's caseworker"):
        services.designation_recall(designation=awaiting, actor=colleague, reason="x")
    assert Designation.objects.get().state == "awaiting_approval"


def test_queue_deadlines_name_their_case_and_subject_in_one_query(
    client, caseworker_a, supervisor_a, dept_a, record, catalog, django_assert_max_num_queries
):
    designation = to_state(
        draft(caseworker=caseworker_a, department=dept_a, record=record, catalog=catalog),
        "notified",
        caseworker=caseworker_a,
        supervisor=supervisor_a,
    )
    from designations.selectors import work_queue

    with django_assert_max_num_queries(12):
        queue = work_queue(user=caseworker_a)
        names = [d.designation.subject.name for d in queue["deadlines"]]
    assert names == [designation.subject.name]
    client.force_login(caseworker_a)
    html = client.get(reverse("my_work")).content.decode()
    assert f"{designation.subject.name} · {designation}" in html


def test_the_dashboard_shows_what_is_overdue_due_today_and_this_week(
    client, caseworker_a, supervisor_a, dept_a, record, catalog
):
    designation = to_state(
        draft(caseworker=caseworker_a, department=dept_a, record=record, catalog=catalog),
        "notified",
        caseworker=caseworker_a,
        supervisor=supervisor_a,
    )
    client.force_login(caseworker_a)
    html = client.get(reverse("dashboard")).content.decode()
    # the notice served on 2026-09-25 gave 5 working days: long overdue on the real today
    assert "Overdue" in html and "Due today" in html and "Due in the next 7 days" in html
    overdue = html[html.index("due-overdue") : html.index("due-today")]
    assert designation.subject.name in overdue and reverse("designation_detail", args=[designation.pk]) in overdue


def test_a_returned_case_shows_the_supervisors_comments_and_the_locked_fields(
    client, awaiting, caseworker_a, supervisor_a
):
    services.designation_return(designation=awaiting, actor=supervisor_a, reason="请补充过罚相当的理由")
    client.force_login(caseworker_a)
    html = client.get(reverse("designation_detail", args=[awaiting.pk])).content.decode()
    assert "what to change" in html and "请补充过罚相当的理由" in html
    assert html.index("请补充过罚相当的理由") < html.index("acts-heading")
    assert "What can still change after the prior notice" in html and "Locked:" in html


def test_every_uploaded_file_is_listed_and_downloaded_through_the_scope_and_logged(
    client, caseworker_a, caseworker_b, supervisor_a, dept_a, record, catalog
):
    designation = to_state(
        draft(caseworker=caseworker_a, department=dept_a, record=record, catalog=catalog),
        "notified",
        caseworker=caseworker_a,
        supervisor=supervisor_a,
    )
    client.force_login(caseworker_a)
    client.post(
        reverse("designation_statement", args=[designation.pk]),
        prefixed(
            "statement",
            {
                "kind": "waiver",
                "received_on": "2026-09-28",
                "text": "书面放弃",
                "reason": "收到",
                "file": SimpleUploadedFile("waiver.pdf", b"%PDF-1.4 signed", content_type="application/pdf"),
            },
        ),
    )
    statement = designation.statements.get()
    html = client.get(reverse("designation_detail", args=[designation.pk])).content.decode()
    url = reverse("designation_statement_file", args=[designation.pk, statement.pk])
    assert url in html and "/media/" not in html
    response = client.get(url)
    assert b"".join(response.streaming_content) == b"%PDF-1.4 signed"
    assert AuditEvent.objects.filter(action="designations.file.downloaded", actor=caseworker_a).exists()
    client.force_login(caseworker_b)
    assert client.get(url).status_code == 404


def test_the_supervisors_panel_opens_on_approve_and_every_form_id_is_unique(client, awaiting, supervisor_b_a):
    client.force_login(supervisor_b_a)
    html = client.get(reverse("designation_detail", args=[awaiting.pk])).content.decode()
    opened = re.findall(r'<details class="mb-2[^"]*" open>\s*<summary[^>]*>([^<]+)', html)
    assert [label.strip() for label in opened] == ["Approve"]
    ids = re.findall(r'\bid="(id_[^"]+)"', html)
    assert len(ids) == len(set(ids)), sorted({i for i in ids if ids.count(i) > 1})


def test_no_rule_id_reaches_people_on_the_case_page_or_a_refusal_in_chinese(
    client, awaiting, caseworker_a, supervisor_a
):
    """Rule ids are for developers: the Chinese page cites the profile's article or nothing."""
    services.designation_return(designation=awaiting, actor=supervisor_a, reason="补充")
    client.force_login(caseworker_a)
    client.cookies["django_language"] = "zh-hans"
    html = client.get(
        reverse("designation_detail", args=[awaiting.pk]), HTTP_ACCEPT_LANGUAGE="zh-hans"
    ).content.decode()
    assert not RULE_ID.search(html), RULE_ID.findall(html)
    # a refusal (an unweighed defence stops "send for approval": R-DES-1) is shown with the article instead
    services.designation_record_statement(
        designation=awaiting,
        actor=caseworker_a,
        kind="defence",
        received_on=timezone.localdate(),
        text="申辩",
        reason="收到",
    )
    awaiting.refresh_from_db()
    html = client.post(
        reverse("designation_act", args=[awaiting.pk, "submit"]),
        prefixed("submit", {"reason": "x", "expected_version": awaiting.version}),
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    ).content.decode()
    assert "第二十一条" in html and not RULE_ID.search(html), RULE_ID.findall(html)


def test_for_people_cites_the_deployments_article_or_removes_the_id():
    from creditportal.citations import for_people

    with translation.override("zh-hans"):
        assert for_people("请陈述（R-DES-1）。") == "请陈述（《海南自由贸易港社会信用条例》第二十一条）。"
        assert for_people("Four eyes (R-DES-4).") == "Four eyes."
        assert for_people("期限 R-DES-1 / R-DIS-1") == "期限"


def test_records_grounding_a_standing_designation_cannot_ground_another(caseworker_a, dept_a, record, catalog):
    """One conduct, one designation: the form does not offer the records and the service refuses them."""
    from designations.forms import DesignationForm

    draft(caseworker=caseworker_a, department=dept_a, record=record, catalog=catalog)
    form = DesignationForm(subject=record.subject, user=caseworker_a)
    assert record not in form.fields["records"].queryset
    with pytest.raises(ValidationError, match="already grounds a designation"):
        draft(caseworker=caseworker_a, department=dept_a, record=record, catalog=catalog)


def test_a_listed_subjects_header_says_so_and_offers_no_designation_on_the_same_records(
    client, caseworker_a, supervisor_a, dept_a, record, catalog
):
    designation = to_state(
        draft(caseworker=caseworker_a, department=dept_a, record=record, catalog=catalog),
        "listed",
        caseworker=caseworker_a,
        supervisor=supervisor_a,
    )
    client.force_login(caseworker_a)
    html = client.get(reverse("subject_detail", args=[record.subject.pk])).content.decode()
    assert "On the list of seriously untrustworthy entities" in html
    assert f"{designation.listed_from:%Y-%m-%d} – {designation.listed_until:%Y-%m-%d}" in html
    assert f'href="{reverse("designation_create", args=[record.subject.pk])}"' not in html


def test_recall_is_offered_only_to_the_cases_own_caseworker_and_refused_to_anyone_else(
    client, awaiting, caseworker_a, supervisor_a
):
    """Who may recall a case from approval is about the person, not the case: a supervisor, who can never recall
    it, is not offered the act at all (the page offers them what is theirs: approve, return, reject), the case's
    caseworker is; and the supervisor's POST is still refused with the reason, the case unchanged."""
    recall = 'class="mb-2 act-recall"'
    client.force_login(caseworker_a)
    assert recall in client.get(reverse("designation_detail", args=[awaiting.pk])).content.decode()
    client.force_login(supervisor_a)
    html = client.get(reverse("designation_detail", args=[awaiting.pk])).content.decode()
    assert recall not in html and "Recall from approval" not in html
    assert 'class="mb-2 act-approve"' in html
    html = client.post(
        reverse("designation_act", args=[awaiting.pk, "recall"]),
        prefixed("recall", {"reason": "补充材料", "expected_version": awaiting.version}),
        follow=True,
    ).content.decode()
    assert "Only the case&#x27;s caseworker can recall it from approval." in html
    awaiting.refresh_from_db()
    assert awaiting.state == "awaiting_approval"
