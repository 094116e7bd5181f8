"""Designation rules the profile decides (issue 19): the categories of serious conduct each regulation lists
(R-DES-10), the period in a standard's removal conditions (R-DES-5), and emergency leniency where the law provides
it, with its effect on restoration (R-DES-7). Here because the last one follows a listing into restoration."""

import datetime
import io
import re
import zoneinfo

import pytest
from django.core.exceptions import ValidationError
from pypdf import PdfReader

from catalog import services as catalog_services
from catalog.forms import StandardForm
from catalog.models import DesignationStandard
from creditportal import deadlines
from creditportal.models import JurisdictionProfile
from creditportal.profiles import forget_profiles
from designations import periods
from designations.forms import DesignationForm
from designations.tests.helpers import draft, to_state
from restoration import services
from tests.case_data import STANDARD

pytestmark = pytest.mark.django_db
SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")


def _pdf_text(document) -> str:
    document.file.open("rb")
    try:
        reader = PdfReader(io.BytesIO(document.file.read()))
    finally:
        document.file.close()
    return re.sub(r"\s+", "", "".join(page.extract_text() for page in reader.pages))


# --- R-DES-10: the categories the deployment's law lists --------------------------------------------------------


@pytest.fixture
def author():
    """A caseworker of a provincial credit authority: who drafts standards (R-CAT-6)."""
    from creditportal.choices import DepartmentKind, DepartmentLevel, Role
    from creditportal.tests.factories import DepartmentFactory, user_with_role

    authority = DepartmentFactory(
        code="DRC-STD", name="省发展和改革委员会", kind=DepartmentKind.CREDIT_AUTHORITY, level=DepartmentLevel.PROVINCE
    )
    return user_with_role(Role.CASEWORKER, authority, username="standard-author")


@pytest.mark.parametrize(
    ("code", "listed"),
    [("HL", 8), ("XJ", 5), ("HN", 5), ("HB", 5)],
)
def test_r_des_10_each_profile_lists_its_own_categories(code, listed):
    """HL 29 lists eight categories; XJ 39, and the national rule (NDRC 6) that HN 20 applies and Hubei's draft
    leaves in place, list five: (1), (2) and (7) are Heilongjiang's alone."""
    profile = JurisdictionProfile.objects.get(code=code)
    assert len(profile.serious_categories) == listed
    assert ("research_misconduct" in profile.serious_categories) == (code == "HL")
    assert profile.sources["serious_categories"]


@pytest.mark.parametrize(("jurisdiction", "accepted"), [("HL", True), ("XJ", False), ("HN", False)])
def test_r_des_10_a_standard_only_for_a_listed_category(author, jurisdiction, accepted):
    """A standard for serious research misconduct (HL 29 (7)) can be drafted in Heilongjiang only."""
    data = {**STANDARD, "code": f"{jurisdiction}-R-1", "serious_category": "research_misconduct"}
    if accepted:
        standard = catalog_services.standard_save(actor=author, data=data, reason="起草", jurisdiction=jurisdiction)
        assert standard.serious_category == "research_misconduct"
        return
    with pytest.raises(ValidationError) as refused:
        catalog_services.standard_save(actor=author, data=data, reason="起草", jurisdiction=jurisdiction)
    assert "serious_category" in refused.value.message_dict
    assert not DesignationStandard.objects.filter(code=data["code"]).exists()


@pytest.mark.parametrize(("jurisdiction", "offered"), [("HL", True), ("XJ", False)])
def test_r_des_10_the_standard_form_offers_only_the_listed_categories(jurisdiction, offered):
    form = StandardForm(jurisdiction=jurisdiction)
    codes = {code for code, _label in form.fields["serious_category"].choices}
    assert ("research_misconduct" in codes) is offered
    assert "public_safety" in codes


def test_r_des_10_a_profile_narrowed_mid_way_stops_the_designation(caseworker_a, dept_a, record, catalog):
    """The category is checked at drafting and at every later step: with public safety no longer listed, the
    standard cannot ground a designation, the draft is refused with the reason, and the form no longer offers it."""
    profile = JurisdictionProfile.objects.get(code="HN")
    JurisdictionProfile.objects.filter(pk=profile.pk).unguarded().update(
        serious_categories=[c for c in profile.serious_categories if c != catalog[1].serious_category]
    )
    forget_profiles()
    with pytest.raises(ValidationError) as refused:
        draft(caseworker=caseworker_a, department=dept_a, record=record, catalog=catalog)
    assert "R-DES-10" in " ".join(refused.value.messages)
    form = DesignationForm(subject=record.subject, user=caseworker_a)
    assert catalog[1] not in form.fields["standard"].queryset


# --- R-DES-5: the period in the standard's removal conditions ---------------------------------------------------


def _standard_removes_after(standard, months):
    DesignationStandard.objects.filter(pk=standard.pk).unguarded().update(listing_max_months=months)
    standard.refresh_from_db()


def test_r_des_5_no_listing_longer_than_the_standards_removal_conditions(caseworker_a, dept_a, record, catalog):
    """满三年 (36 months) in the conditions: a proposal of 37 months is refused, 12 is accepted, and the listing's
    bounds include the standard's own."""
    _standard_removes_after(catalog[1], 12)
    with pytest.raises(ValidationError) as refused:
        draft(caseworker=caseworker_a, department=dept_a, record=record, catalog=catalog, proposed_listing_months=13)
    assert "proposed_listing_months" in refused.value.message_dict
    assert "12" in refused.value.message_dict["proposed_listing_months"][0]
    designation = draft(caseworker=caseworker_a, department=dept_a, record=record, catalog=catalog)
    period = periods.listing_period(designation, starts_on=datetime.date(2026, 10, 16))
    assert {b.kind for b in period.bounds} >= {periods.PROPOSED, periods.STANDARD}
    standard_bound = next(b for b in period.bounds if b.kind == periods.STANDARD)
    assert standard_bound.ends_on == datetime.date(2027, 10, 15)


# --- R-DES-7: emergency leniency where the law provides it -------------------------------------------------------


def test_r_des_7_emergency_leniency_only_where_the_law_provides_it(caseworker_a, dept_a, record, catalog, settings):
    """Hainan's regulation has no emergency article: the ground is refused and not offered; Heilongjiang's art. 30
    provides it."""
    emergency = {"leniency": "emergency", "leniency_reasons": "台风致停电，冷链中断。"}
    with pytest.raises(ValidationError) as refused:
        draft(caseworker=caseworker_a, department=dept_a, record=record, catalog=catalog, **emergency)
    assert "leniency" in refused.value.message_dict
    form = DesignationForm(subject=record.subject, user=caseworker_a)
    assert "emergency" not in {code for code, _label in form.fields["leniency"].choices}

    settings.CREDIT_JURISDICTION = "HL"
    designation = draft(caseworker=caseworker_a, department=dept_a, record=record, catalog=catalog, **emergency)
    assert designation.leniency == "emergency"
    form = DesignationForm(subject=record.subject, user=caseworker_a)
    assert "emergency" in {code for code, _label in form.fields["leniency"].choices}


def test_r_des_7_a_listing_caused_by_an_emergency_is_restored_on_the_reduced_period(
    caseworker_a, supervisor_a, dept_a, record, catalog, settings, django_capture_on_commit_callbacks
):
    """HL 30: the period for handling restoration reduced. With 10 WD promised and 4 WD set for emergencies, the
    decision promises 4 and acceptance opens a 4-WD clock; an ordinary listing keeps 10."""
    settings.CREDIT_JURISDICTION = "HL"
    JurisdictionProfile.objects.filter(code="HL").unguarded().update(
        restoration_promised_wd=10, emergency_restoration_wd=4
    )
    forget_profiles()
    with django_capture_on_commit_callbacks(execute=True):
        designation = draft(
            caseworker=caseworker_a,
            department=dept_a,
            record=record,
            catalog=catalog,
            leniency="emergency",
            leniency_reasons="台风致停电，冷链中断。",
        )
        listed = to_state(designation, "listed", caseworker=caseworker_a, supervisor=supervisor_a)
    decision = _pdf_text(listed.decision_document())
    assert "自受理申请之日起4个工作日内办结" in decision
    assert "突发事件所致" in decision
    application = services.restoration_receive(
        commitment="承诺所提交材料真实有效，不再发生同类失信行为。",
        actor=caseworker_a,
        reason="A",
        designation=listed,
        method="rectification",
        evidence="整改报告",
    )
    application = services.restoration_accept(
        application=application, actor=caseworker_a, reason="A", now=datetime.datetime(2026, 11, 2, 10, tzinfo=SHANGHAI)
    )
    assert application.promised_wd == 4
    assert deadlines.deadlines_of(application).get().due_date == datetime.date(2026, 11, 6)


def test_r_des_7_the_reduced_period_is_shorter_than_the_promise():
    profile = JurisdictionProfile.objects.get(code="HL")
    profile.restoration_promised_wd, profile.emergency_restoration_wd = 10, 10
    with pytest.raises(ValidationError) as refused:
        profile.full_clean()
    assert "emergency_restoration_wd" in refused.value.message_dict
