"""R-NAT-4 (两书同达, issue 20): under the national rules in force since 2026-04-01, the decision that lists a
subject is issued and served together with a notice on credit restoration: from when it may apply (computed from
the information it rests on, R-NAT-3), how, and with what. Service of the decision records both, or neither."""

import datetime
import io
import re

import pytest
from django.core.exceptions import ValidationError
from pypdf import PdfReader

from creditportal.models import IssuedDocument
from designations import services
from designations.services.decision import _restoration_notice_with_decision
from designations.tests.helpers import DECISION_SERVED, at, draft, render_pending, to_state
from subjects.disclosure import minimum_display_until

pytestmark = pytest.mark.django_db


def _text(document) -> str:
    document.refresh_from_db()
    document.file.open("rb")
    try:
        return re.sub(r"\s+", "", "".join(p.extract_text() for p in PdfReader(io.BytesIO(document.file.read())).pages))
    finally:
        document.file.close()


def test_r_nat_4_the_national_rules_ask_for_the_notice_from_their_own_date():
    assert not _restoration_notice_with_decision(at(2026, 3, 31))
    assert _restoration_notice_with_decision(at(2026, 4, 1))


def test_r_nat_4_the_decision_and_the_restoration_notice_are_served_together(
    caseworker_a, supervisor_a, dept_a, record, catalog, on
):
    on(2026, 9, 1)
    designation = draft(caseworker=caseworker_a, department=dept_a, record=record, catalog=catalog)
    on(2026, 10, 20)
    designation = to_state(designation, "decision_issued", caseworker=caseworker_a, supervisor=supervisor_a)
    notice = designation.restoration_info_document()
    assert notice is not None and notice.number.endswith("号") and "修告" in notice.number
    text = _text(notice)
    assert "信用修复告知书" in text
    assert f"{designation.decision_number}《列入严重失信主体名单决定书》" in text
    assert minimum_display_until(record) < datetime.date(2026, 10, 15)  # its shortest period already passed:
    assert "自本告知书送达之日起" in text  # the subject may apply at once
    assert "信用承诺书" in text and "不收取任何费用" in text
    assert "依照国家有关信用修复的规定（国办发〔2025〕22号）" in text

    designation = to_state(designation, "listed", caseworker=caseworker_a, supervisor=supervisor_a)
    for document in (designation.decision_document(), designation.restoration_info_document()):
        service = document.services.get()
        assert service.served_on == DECISION_SERVED and service.recipient == "海口椰风食品有限公司"


def test_r_nat_3_r_nat_4_the_notice_names_the_day_the_subject_may_apply(
    caseworker_a, supervisor_a, dept_a, organisation, on
):
    """Serious information determined on 2026-05-04 is shown at least a year: the notice says the subject may apply
    from 2027-05-04."""
    from subjects import services as subject_services
    from subjects.tests.conftest import BASIS
    from tests.case_data import make_catalog

    on(2026, 9, 1)
    item = {"display_min_months": 0, "display_max_months": 60, "info_class": "serious"}
    catalog = make_catalog(actor=caseworker_a, department=dept_a, item=item)
    determined = datetime.date(2026, 5, 4)
    record = subject_services.record_create(
        actor=caseworker_a,
        subject=organisation,
        catalog_item=catalog[0],
        summary="多次销售过期食品",
        determined_on=determined,
        basis={**BASIS, "effective_on": determined},
        reason="Recorded",
    )
    designation = draft(caseworker=caseworker_a, department=dept_a, record=record, catalog=catalog)
    on(2026, 10, 20)
    designation = to_state(designation, "decision_issued", caseworker=caseworker_a, supervisor=supervisor_a)
    assert "即自2027年5月4日起" in _text(designation.restoration_info_document())


def test_r_nat_4_the_decision_is_not_served_without_its_restoration_notice(
    caseworker_a, supervisor_a, dept_a, record, catalog, on
):
    """The notice's PDF not made yet: the decision's service is refused, naming it, and nothing is recorded."""
    on(2026, 9, 1)
    designation = draft(caseworker=caseworker_a, department=dept_a, record=record, catalog=catalog)
    on(2026, 10, 20)
    designation = to_state(designation, "decision_issued", caseworker=caseworker_a, supervisor=supervisor_a)
    IssuedDocument.objects.filter(pk=designation.restoration_info_document().pk).unguarded().update(sha256="")
    with pytest.raises(ValidationError):
        services.designation_serve_decision(
            designation=designation,
            actor=caseworker_a,
            reason="已送达当事人",
            method="registered_mail",
            served_on=DECISION_SERVED,
            recipient="海口椰风食品有限公司",
            now=at(2026, 10, 16, 16),
        )
    designation.refresh_from_db()
    assert designation.state == "decision_issued"
    assert not designation.decision_document().services.exists()
    render_pending(designation)


def test_r_nat_4_a_corrected_decision_is_served_with_a_notice_that_names_it(
    caseworker_a, supervisor_a, dept_a, record, catalog, on
):
    """The notice names the decision it goes with: a correction of the decision reissues the notice, which supersedes
    its predecessor, and the two served together name each other."""
    on(2026, 9, 1)
    designation = draft(caseworker=caseworker_a, department=dept_a, record=record, catalog=catalog)
    on(2026, 10, 20)
    designation = to_state(designation, "decision_issued", caseworker=caseworker_a, supervisor=supervisor_a)
    old_decision, old_notice = designation.decision_document(), designation.restoration_info_document()
    designation = services.designation_correct_decision(
        designation=designation, actor=supervisor_a, reason="事实部分笔误更正"
    )
    render_pending(designation)
    notice = designation.restoration_info_document()
    old_notice.refresh_from_db()
    assert notice.pk != old_notice.pk and old_notice.superseded_by == notice
    assert designation.decision_document().number != old_decision.number
    text = _text(notice)
    assert f"{designation.decision_number}《列入严重失信主体名单决定书》" in text
    assert old_decision.number not in text
    assert IssuedDocument.objects.filter(kind="restoration_info").count() == 2  # the old one stays as it was
