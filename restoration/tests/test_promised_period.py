"""One promised period for restoration (R-RES-5; NDRC 12, issue 16): the decision that lists a subject promises
it, acceptance counts it on the working-day calendar, the restoration notice states it, and all three read the
one value of the jurisdiction profile. None of the four regulations fixes a number (RULES.md profile table), so
no seeded profile invents one; a deployment sets it, and until it does, nothing promises or accepts."""

import datetime
import io
import re
import zoneinfo

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from pypdf import PdfReader

from creditportal import deadlines
from creditportal.models import JurisdictionProfile
from creditportal.profiles import forget_profiles
from designations.tests.helpers import draft, render_pending, to_state
from restoration import forms, services
from restoration.tests.conftest import promise

pytestmark = pytest.mark.django_db
SEEDED_PROFILES = True  # the profiles as the migrations load them (restoration/tests/conftest.py)
SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")


def at(y, m, d, h=10):
    return datetime.datetime(y, m, d, h, tzinfo=SHANGHAI)


def _pdf_text(document) -> str:
    document.file.open("rb")
    try:
        reader = PdfReader(io.BytesIO(document.file.read()))
    finally:
        document.file.close()
    return re.sub(r"\s+", "", "".join(page.extract_text() for page in reader.pages))


def _promise(wd):
    promise(wd, codes=("HN",))


def _listed(caseworker, supervisor, department, record, catalog, capture):
    with capture(execute=True):
        designation = draft(caseworker=caseworker, department=department, record=record, catalog=catalog)
        return to_state(designation, "listed", caseworker=caseworker, supervisor=supervisor)


@pytest.mark.parametrize("code", ["HN", "HL", "HB", "XJ"])
def test_r_res_5_no_regulation_fixes_the_promised_period_so_no_profile_invents_one(code):
    """R-RES-5: HN 32, HL 40, HB 30 and XJ 46 set no time limit; NDRC 12 asks only that one be promised in
    advance. The seeded profiles leave it unset and name why in their sources."""
    profile = JurisdictionProfile.objects.get(code=code)
    assert profile.restoration_promised_wd is None
    assert "NDRC 12" in profile.sources["restoration_promised_wd"]


def test_r_res_5_the_decision_the_clock_and_the_notice_promise_one_period(
    caseworker_a, supervisor_a, dept_a, record, catalog, django_capture_on_commit_callbacks
):
    """R-RES-5: with the deployment's promise of 12 WD, the decision promises 12, acceptance opens a 12-WD clock
    (nobody types another number) and the restoration notice states the same 12."""
    from creditportal.choices import Role
    from creditportal.tests.factories import user_with_role

    _promise(12)
    listed = _listed(caseworker_a, supervisor_a, dept_a, record, catalog, django_capture_on_commit_callbacks)
    decision = _pdf_text(listed.decision_document())
    assert "12个工作日" in decision
    assert "15个工作日" not in decision and "30个工作日" not in decision

    application = services.restoration_receive(
        commitment="承诺所提交材料真实有效，不再发生同类失信行为。",
        actor=caseworker_a,
        reason="A",
        designation=listed,
        method="rectification",
        evidence="整改报告",
    )
    application = services.restoration_accept(
        application=application, actor=caseworker_a, reason="A", now=at(2026, 11, 2)
    )
    clock = deadlines.deadlines_of(application).get()
    assert application.promised_wd == clock.days == 12
    assert application.promised_by == clock.due_date == datetime.date(2026, 11, 18)  # 12 WD after Mon 2 Nov

    application = services.restoration_review(
        application=application, actor=caseworker_a, reason="R", opinion="整改到位", now=at(2026, 11, 3)
    )
    decider = user_with_role(Role.SUPERVISOR, dept_a, username="decider")
    application = services.restoration_grant(
        application=application, actor=decider, reason="G", now=at(2026, 11, 5), languages="zh-hans,en"
    )
    render_pending(application)
    notice = _pdf_text(application.notice())
    assert "12个工作日" in notice and "2026年11月18日" in notice
    # The English parallel text names the method in English, never its code (issue 16).
    assert "“Rectification”" in notice and "“rectification”" not in notice


def test_r_res_5_unset_the_decision_promises_no_number_and_acceptance_says_what_is_missing(
    caseworker_a, supervisor_a, dept_a, record, catalog, django_capture_on_commit_callbacks
):
    _promise(None)
    listed = _listed(caseworker_a, supervisor_a, dept_a, record, catalog, django_capture_on_commit_callbacks)
    assert not re.search(r"申请信用修复.{0,80}\d+个工作日", _pdf_text(listed.decision_document()))
    application = services.restoration_receive(
        commitment="承诺所提交材料真实有效，不再发生同类失信行为。",
        actor=caseworker_a,
        reason="A",
        designation=listed,
        method="rectification",
        evidence="整改报告",
    )
    with pytest.raises(ValidationError, match="promised"):
        services.restoration_accept(application=application, actor=caseworker_a, reason="A")
    assert not deadlines.deadlines_of(application).exists()


def test_r_res_5_the_accept_form_asks_no_number_and_the_page_shows_the_profiles(client, settings, listed, caseworker_a):
    settings.LANGUAGE_CODE = "zh-hans"
    _promise(12)
    assert "promised_wd" not in forms.AcceptForm.base_fields
    application = services.restoration_receive(
        commitment="承诺所提交材料真实有效，不再发生同类失信行为。",
        actor=caseworker_a,
        reason="A",
        designation=listed,
        method="rectification",
        evidence="整改报告",
    )
    client.force_login(caseworker_a)
    page = client.get(reverse("restoration_detail", args=[application.pk])).content.decode()
    assert 'name="accept-promised_wd"' not in page
    assert "自受理之日起12个工作日内办结" in page


def test_r_res_5_the_clock_cites_the_source_the_deployment_recorded_with_its_promise(
    caseworker_a, supervisor_a, dept_a, record, catalog, django_capture_on_commit_callbacks
):
    """R-RES-5: the promised period is the deployment's, so the clock's basis is the source recorded with it on the
    profile (``sources``), never an article written into the code."""
    source = "海口市社会信用体系建设领导小组办公室公告〔2026〕3号：信用修复承诺办结期限"
    profile = JurisdictionProfile.objects.get(code="HN")
    JurisdictionProfile.objects.filter(pk=profile.pk).unguarded().update(
        restoration_promised_wd=12, sources={**profile.sources, "restoration_promised_wd": source}
    )
    forget_profiles()
    listed = _listed(caseworker_a, supervisor_a, dept_a, record, catalog, django_capture_on_commit_callbacks)
    application = services.restoration_receive(
        commitment="承诺所提交材料真实有效，不再发生同类失信行为。",
        actor=caseworker_a,
        reason="A",
        designation=listed,
        method="rectification",
        evidence="整改报告",
    )
    application = services.restoration_accept(
        application=application, actor=caseworker_a, reason="A", now=at(2026, 11, 2)
    )
    clock = deadlines.deadlines_of(application).get()
    assert (clock.rule_id, clock.days, clock.article) == ("R-RES-5", 12, source)
