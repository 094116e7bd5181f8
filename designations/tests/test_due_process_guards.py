"""What the subject was told cannot change behind their back, and the province can re-examine from its queue."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from creditportal.choices import DepartmentKind, Role
from creditportal.models import JurisdictionProfile
from creditportal.profiles import forget_profiles
from creditportal.tests.factories import DepartmentFactory, user_with_role
from designations import services
from designations.tests.helpers import draft, prefixed, to_state

pytestmark = pytest.mark.django_db


@pytest.fixture
def notified(caseworker_a, supervisor_a, dept_a, record, catalog):
    designation = draft(caseworker=caseworker_a, department=dept_a, record=record, catalog=catalog)
    return to_state(designation, "under_review", caseworker=caseworker_a, supervisor=supervisor_a)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"facts": "新的事实"}, "was stated in the prior notice"),
        ({"reasons": "新的理由"}, "was stated in the prior notice"),
        ({"proposed_listing_months": 36}, "can only be shortened"),
    ],
)
def test_r_des_1_after_the_notice_nothing_against_the_subject_changes(notified, caseworker_a, change, message):
    with pytest.raises(ValidationError, match=message):
        services.designation_update(designation=notified, actor=caseworker_a, reason="x", **change)


def test_r_des_1_after_the_notice_no_measure_is_added(notified, caseworker_a, catalog):
    from catalog.models import PunishmentMeasure

    extra = PunishmentMeasure.objects.create(
        measure_list=catalog[1].allowed_measures.get().measure_list,
        code="N-02",
        text="限制出境",
        legal_clause="x",
        max_duration_months=12,
    )
    catalog[1].allowed_measures.add(extra)
    with pytest.raises(ValidationError, match="no measure can be added"):
        services.designation_update(
            designation=notified, actor=caseworker_a, reason="x", measures=list(catalog[1].allowed_measures.all())
        )


def test_r_des_1_changes_in_the_subjects_favour_are_allowed(notified, caseworker_a):
    designation = services.designation_update(
        designation=notified, actor=caseworker_a, reason="Shorter", proposed_listing_months=6, measures=[]
    )
    assert designation.proposed_listing_months == 6
    assert designation.designation_measures.get().status == "dropped"


def test_r_cat_4_the_designations_own_texts_never_carry_prohibited_data(caseworker_a, dept_a, record, catalog):
    with pytest.raises(ValidationError, match="may never be collected"):
        draft(
            caseworker=caseworker_a,
            department=dept_a,
            record=record,
            catalog=catalog,
            facts="当事人患有严重疾病仍继续经营",
        )


def test_r_des_4_the_province_re_examines_from_its_queue(client, caseworker_a, supervisor_a, dept_a, record, catalog):
    JurisdictionProfile.objects.filter(code="HN").unguarded().update(provincial_reexamination=True)
    forget_profiles()  # as the admin does after an edit
    province = DepartmentFactory(code="HN-DRC", name="海南省发展和改革委员会", kind=DepartmentKind.CREDIT_AUTHORITY)
    dept_a.level, dept_a.parent = "prefecture", province
    dept_a.save()
    reviewer = user_with_role(Role.SUPERVISOR, province, username="province_supervisor")
    designation = to_state(
        draft(caseworker=caseworker_a, department=dept_a, record=record, catalog=catalog),
        "approved",
        caseworker=caseworker_a,
        supervisor=supervisor_a,
    )
    client.force_login(reviewer)
    assert designation.subject.name in client.get(reverse("my_work")).content.decode()
    assert client.get(reverse("designation_detail", args=[designation.pk])).status_code == 200
    html = client.post(
        reverse("designation_act", args=[designation.pk, "reexamine"]),
        prefixed("reexamine", {"reason": "复核同意", "expected_version": designation.version}),
        follow=True,
    ).content.decode()
    assert "Done: Confirm on re-examination." in html
    designation.refresh_from_db()
    assert designation.provincial_reviewer == reviewer
    # the share is a view: the province cannot issue the department's decision
    assert (
        "You may not"
        in client.post(
            reverse("designation_act", args=[designation.pk, "issue_decision"]),
            prefixed("issue_decision", {"reason": "x"}),
            follow=True,
        ).content.decode()
    )


def test_r_des_2_a_listing_ends_only_through_the_case_behind_it(
    client, caseworker_a, supervisor_a, dept_a, record, catalog
):
    """Issue 18: a supervisor cannot take a listed company off the list by choosing a reason ("credit restored")
    with no restoration behind it: the page says what is needed and the listing stands; with a granted restoration
    application of it, the removal names that cause."""
    from restoration.tests.factories import RestorationApplicationFactory

    designation = to_state(
        draft(caseworker=caseworker_a, department=dept_a, record=record, catalog=catalog),
        "listed",
        caseworker=caseworker_a,
        supervisor=supervisor_a,
    )
    client.force_login(supervisor_a)
    page = client.get(reverse("designation_detail", args=[designation.pk])).content.decode()
    assert "leaves the list only through the case that justifies it" in page  # told what is needed
    for removal_reason in ("restoration", "objection_adopted", "revocation"):
        response = client.post(
            reverse("designation_act", args=[designation.pk, "remove"]),
            prefixed(
                "remove",
                {
                    "reason": "信用修复申请已获批准",
                    "removal_reason": removal_reason,
                    "expected_version": designation.version,
                },
            ),
        )
        assert response.status_code == 200 and "None exists for this designation" in response.content.decode()
        designation.refresh_from_db()
        assert designation.state == "listed"
    RestorationApplicationFactory(
        department=dept_a, subject=designation.subject, designation=designation, state="granted"
    )
    client.post(
        reverse("designation_act", args=[designation.pk, "remove"]),
        prefixed(
            "remove",
            {
                "reason": "信用修复申请已获批准",
                "removal_reason": "restoration",
                "expected_version": designation.version,
            },
        ),
    )
    designation.refresh_from_db()
    assert (designation.state, designation.removal_reason) == ("removed", "restoration")


def test_hubei_counts_objection_days_as_calendar_days(notified, caseworker_a, settings):
    """R-OBJ-3 (HB 29): 15 days, not working days."""
    from objections import services as objection_services

    settings.CREDIT_JURISDICTION = "HB"
    objection = objection_services.designation_objection_receive(
        designation=notified,
        actor=caseworker_a,
        ground="error",
        grounds_text="x",
        received_at=datetime.datetime(2026, 11, 2, 2, tzinfo=datetime.UTC),
        reason="x",
    )
    # 15 days from Mon 2 Nov end on Tue 17 Nov, a working day: nothing moves.
    assert objection.due_date == datetime.date(2026, 11, 17)
