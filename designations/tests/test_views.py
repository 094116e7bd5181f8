"""The designation journey through the pages, as a caseworker and a supervisor would take it."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from creditportal.models import AuditEvent
from designations.models import Designation
from designations.tests.helpers import prefixed

pytestmark = pytest.mark.django_db


def _post(client, url, data, follow=True):
    return client.post(url, data, follow=follow).content.decode()


def test_caseworker_drafts_serves_notice_records_defence_supervisor_approves_decision_served_and_listed(
    client, caseworker_a, supervisor_a, organisation, record, catalog, django_capture_on_commit_callbacks
):
    standard = catalog[1]
    client.force_login(caseworker_a)
    html = client.get(reverse("subject_detail", args=[organisation.pk])).content.decode()
    assert reverse("designation_create", args=[organisation.pk]) in html

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("designation_create", args=[organisation.pk]),
            {
                "standard": standard.pk,
                "records": [record.pk],
                "measures": [m.pk for m in standard.allowed_measures.all()],
                "facts": "多次销售过期食品",
                "reasons": "严重危害人民群众身体健康",
                "proposed_listing_months": 12,
                "statement_period_wd": 5,
                "leniency": "none",
                "proportionality_statement": "措施与情节相当",
                "reason": "Prepared",
            },
        )
        designation = Designation.objects.get()
        assert response.url == reverse("designation_detail", args=[designation.pk])

        def act(name, **data):
            # each act commits on its own, and the worker renders its PDF after the commit
            with django_capture_on_commit_callbacks(execute=True):
                return _post(
                    client,
                    reverse("designation_act", args=[designation.pk, name]),
                    prefixed(name, {"reason": name, "expected_version": Designation.objects.get().version, **data}),
                )

        assert "Done: Issue the prior notice." in act("issue_notice", statement_period_wd=5)
        today = timezone.localdate().isoformat()
        assert "Done: Record service of the notice." in act(
            "serve_notice", method="in_person", served_on=today, recipient="王建国"
        )
        html = _post(
            client,
            reverse("designation_statement", args=[designation.pk]),
            prefixed(
                "statement",
                {
                    "kind": "defence",
                    "received_on": today,
                    "text": "已全部下架并召回",
                    "reason": "Defence received",
                    "expected_version": Designation.objects.get().version,
                },
            ),
        )
        assert "Statement recorded." in html and "已全部下架并召回" in html
        statement = designation.statements.get()
        html = _post(
            client,
            reverse("designation_statement_consider", args=[designation.pk, statement.pk]),
            prefixed(
                f"consider-{statement.pk}",
                {"adopted": "no", "considered": "下架召回不改变已发生的违法事实", "reason": "Weighed"},
            ),
        )
        assert "Recorded how the statement was weighed." in html
        html = _post(
            client,
            reverse("designation_statement", args=[designation.pk]),
            prefixed(
                "statement",
                {
                    "kind": "waiver",
                    "received_on": today,
                    "text": "书面放弃其余期限",
                    "reason": "Waiver received",
                    "file": SimpleUploadedFile("waiver.pdf", b"%PDF-1.4 signed", content_type="application/pdf"),
                },
            ),
        )
        assert "Statement recorded." in html
        assert "Done: Close the statement period." in act("close_statements")
        assert "Done: Send for approval." in act("submit")
        # the caseworker sees no approve button and cannot approve by posting
        html = act("approve")
        assert "You may not “Approve”" in html
        client.force_login(supervisor_a)
        queue = client.get(reverse("my_work")).content.decode()
        assert organisation.name in queue
        assert "Done: Approve." in act("approve")
        client.force_login(caseworker_a)
        assert "Done: Issue the decision." in act("issue_decision")
        html = act("serve_decision", method="registered_mail", served_on=today, recipient="海口椰风食品有限公司")
    designation.refresh_from_db()
    assert designation.state == "listed" and designation.decision_number in html
    decision = designation.decision_document()
    pdf = client.get(reverse("document_download", args=[decision.pk]))
    assert pdf["Content-Type"] == "application/pdf" and b"".join(pdf.streaming_content).startswith(b"%PDF")
    assert AuditEvent.objects.filter(action="creditportal.document.downloaded").exists()


def test_a_stale_form_is_refused_with_a_clear_message(client, caseworker_a, dept_a, record, catalog):
    from designations.tests.helpers import draft

    designation = draft(caseworker=caseworker_a, department=dept_a, record=record, catalog=catalog)
    client.force_login(caseworker_a)
    html = _post(
        client,
        reverse("designation_act", args=[designation.pk, "issue_notice"]),
        prefixed(
            "issue_notice", {"reason": "x", "statement_period_wd": 5, "expected_version": designation.version - 1}
        ),
    )
    assert "Someone else acted on this designation after you opened it" in html
    assert Designation.objects.get().state == "draft"


def test_posting_to_another_departments_designation_is_a_404(
    client, caseworker_b, caseworker_a, dept_a, record, catalog
):
    from designations.tests.helpers import draft

    designation = draft(caseworker=caseworker_a, department=dept_a, record=record, catalog=catalog)
    client.force_login(caseworker_b)
    response = client.post(reverse("designation_act", args=[designation.pk, "withdraw"]), {"reason": "x"})
    assert response.status_code == 404
    assert client.get(reverse("designation_detail", args=[designation.pk])).status_code == 404


def test_an_unlawful_draft_is_refused_on_the_form(client, caseworker_a, organisation, record, catalog):
    standard = catalog[1]
    standard.status = "withdrawn"
    standard.save()
    client.force_login(caseworker_a)
    response = client.post(
        reverse("designation_create", args=[organisation.pk]),
        {
            "standard": standard.pk,
            "records": [record.pk],
            "facts": "x",
            "proposed_listing_months": 12,
            "leniency": "none",
            "reason": "x",
        },
    )
    assert "Select a valid choice" in response.content.decode()
    assert not Designation.objects.exists()


def test_the_subject_page_lists_its_designations_in_scope(client, caseworker_a, caseworker_b, dept_a, record, catalog):
    from designations.tests.helpers import draft

    designation = draft(caseworker=caseworker_a, department=dept_a, record=record, catalog=catalog)
    client.force_login(caseworker_a)
    html = client.get(reverse("subject_detail", args=[record.subject.pk])).content.decode()
    assert reverse("designation_detail", args=[designation.pk]) in html


def test_a_refused_act_keeps_what_the_user_typed_and_says_why(client, caseworker_a, dept_a, record, catalog):
    from designations import services
    from designations.tests.helpers import NOTICE_ISSUED, NOTICE_SERVED, draft, render_pending

    designation = draft(caseworker=caseworker_a, department=dept_a, record=record, catalog=catalog)
    stale = designation.version
    services.designation_issue_notice(
        designation=designation, actor=caseworker_a, statement_period_wd=5, reason="x", now=NOTICE_ISSUED
    )
    render_pending(designation)
    client.force_login(caseworker_a)
    # a page opened before the notice was issued: the service refuses, the typed service record stays
    response = client.post(
        reverse("designation_act", args=[designation.pk, "serve_notice"]),
        prefixed(
            "serve_notice",
            {
                "method": "registered_mail",
                "served_on": "2026-09-25",
                "recipient": "海口椰风食品有限公司法务部",
                "reason": "挂号信回执已收到",
                "expected_version": stale,
            },
        ),
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Not done." in html and "Someone else acted on this designation" in html
    assert "海口椰风食品有限公司法务部" in html and "挂号信回执已收到" in html
    # a bad field is shown beside the field, with the rest kept
    services.designation_serve_notice(
        designation=designation,
        actor=caseworker_a,
        reason="x",
        method="in_person",
        served_on=NOTICE_SERVED,
        recipient="x",
    )
    response = client.post(
        reverse("designation_statement", args=[designation.pk]),
        prefixed("statement", {"kind": "defence", "received_on": "not a date", "text": "我方已整改", "reason": "收到"}),
    )
    html = response.content.decode()
    assert "我方已整改" in html and "Enter a valid date." in html


def test_r_des_9_sending_a_report_letter_is_recorded_from_the_case_page(
    client, caseworker_a, supervisor_a, dept_a, record, catalog, django_capture_on_commit_callbacks, settings
):
    from creditportal.models import IssuedDocument
    from designations.tests.helpers import draft, to_state

    settings.CREDIT_JURISDICTION = "HL"  # HL 32

    record.subject.ownership = "state_owned"
    record.subject.save()
    with django_capture_on_commit_callbacks(execute=True):
        designation = to_state(
            draft(caseworker=caseworker_a, department=dept_a, record=record, catalog=catalog),
            "listed",
            caseworker=caseworker_a,
            supervisor=supervisor_a,
        )
    letter = IssuedDocument.objects.filter(kind="report_to_authority", object_id=designation.pk).first()
    client.force_login(caseworker_a)
    url = reverse("designation_document_sent", args=[designation.pk, letter.pk])
    html = client.post(
        url,
        prefixed(
            f"sent-{letter.pk}",
            {"method": "registered_mail", "served_on": "", "recipient": "海口市人民政府", "reason": "已寄出"},
        ),
    ).content.decode()
    assert "海口市人民政府" in html and not letter.services.exists()  # refused: the date is missing, input kept
    client.post(
        url,
        prefixed(
            f"sent-{letter.pk}",
            {"method": "registered_mail", "served_on": "2026-10-19", "recipient": "海口市人民政府", "reason": "已寄出"},
        ),
    )
    assert letter.services.get().recipient == "海口市人民政府"
