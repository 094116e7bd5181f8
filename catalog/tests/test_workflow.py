"""Catalog versions, measure lists and standards: draft → approved → published → superseded (R-CAT-1,
R-CAT-6, R-CAT-7)."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from catalog import services
from catalog.models import CatalogItem, CatalogVersion, DesignationStandard
from creditportal.models import AuditEvent

pytestmark = pytest.mark.django_db


def _item_data(authority, **overrides):
    data = {
        "code": "HN-04-009",
        "name": "欠缴社会保险费信息",
        "conduct": "拒不缴纳社会保险费",
        "category": "arrears",
        "providing_department": authority,
        "data_source": "人社部门",
        "character": "public",
        "disclosure_mode": "public_announcement",
        "display_min_months": 6,
        "display_max_months": 36,
        "update_frequency": "每月",
        "legal_basis": "《社会保险法》第86条",
        "is_untrustworthy": True,
    }
    data.update(overrides)
    return data


@pytest.fixture
def draft(drafter, published):
    version = services.catalog_version_create(
        actor=drafter, jurisdiction="HN", title="第二版", based_on=published[0].version, reason="Next version"
    )
    return version


def test_r_cat_1_next_draft_copies_the_published_items(draft, published):
    assert draft.number == 2 and draft.status == "draft"
    assert list(draft.items.values_list("code", flat=True)) == [published[0].code]


def test_r_cat_1_the_drafter_cannot_approve(draft, drafter, supervisor_who_drafts):
    draft.drafted_by = supervisor_who_drafts
    draft.save()
    with pytest.raises(ValidationError, match="cannot approve it"):
        services.published_list_approve(obj=draft, actor=supervisor_who_drafts, reason="ok")
    draft.refresh_from_db()
    assert draft.status == "draft"


def test_r_cat_1_a_caseworker_cannot_approve(draft, drafter):
    with pytest.raises(PermissionDenied):
        services.published_list_approve(obj=draft, actor=drafter, reason="ok")


def test_r_cat_1_staff_of_a_regulator_cannot_draft(caseworker_a, published):
    with pytest.raises(PermissionDenied, match="provincial credit authority"):
        services.catalog_version_create(actor=caseworker_a, jurisdiction="HN", title="x", reason="x")


def test_r_cat_1_publish_supersedes_the_previous_version_and_records_keep_their_item(
    draft, drafter, approver, published, dept_a
):
    services.catalog_item_save(
        actor=drafter, version=draft, data=_item_data(published[0].providing_department), reason="New item"
    )
    services.published_list_approve(obj=draft, actor=approver, reason="Checked against the national catalog")
    services.published_list_publish(obj=draft, actor=approver, reason="Publish")
    old = CatalogVersion.objects.get(number=1)
    draft.refresh_from_db()
    assert (draft.status, old.status) == ("published", "superseded")
    assert old.superseded_at is not None
    assert AuditEvent.objects.filter(action="catalog.version.published", object_id=str(draft.pk)).count() == 1
    assert old.history.latest().history_change_reason == "Superseded by version 2"


def test_r_cat_1_a_published_version_cannot_be_edited(published, drafter):
    version = published[0].version
    with pytest.raises(ValidationError, match="only a draft can be edited"):
        services.catalog_item_save(
            actor=drafter, version=version, data=_item_data(published[0].providing_department), reason="Sneak in"
        )
    assert version.items.count() == 1


def test_an_approved_version_can_be_returned_with_comments(draft, approver):
    services.published_list_approve(obj=draft, actor=approver, reason="ok")
    services.published_list_return(obj=draft, actor=approver, reason="Item 4 lacks its legal basis")
    draft.refresh_from_db()
    assert draft.status == "draft" and draft.approved_by is None
    assert draft.history.latest().history_change_reason == "Item 4 lacks its legal basis"


def test_a_draft_cannot_be_published_before_approval(draft, approver):
    with pytest.raises(ValidationError, match="not possible while the state is"):
        services.published_list_publish(obj=draft, actor=approver, reason="hurry")


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"display_max_months": 61}, "display_max_months", "at most 60 months"),  # R-DIS-1, HN 27
        ({"display_min_months": 40, "display_max_months": 36}, "display_min_months", "cannot exceed"),
        ({"code": "HN-04-001"}, "__all__", "already exists"),  # unique within the version
    ],
)
def test_r_dis_1_item_display_period_within_the_profile(draft, drafter, published, overrides, field, message):
    data = _item_data(published[0].providing_department, **overrides)
    with pytest.raises(ValidationError) as excinfo:
        services.catalog_item_save(actor=drafter, version=draft, data=data, reason="x")
    assert message in " ".join(excinfo.value.message_dict.get(field, excinfo.value.messages))


def test_r_dis_2_punishment_limits_of_the_xinjiang_profile(drafter, authority):
    version = services.catalog_version_create(actor=drafter, jurisdiction="XJ", title="新疆目录", reason="x")
    for overrides, message in [
        ({"is_administrative_punishment": True, "display_min_months": 1}, "at least 3 months"),
        ({"is_administrative_punishment": True, "display_max_months": 48}, "at most 36 months"),
        ({"is_administrative_punishment": True, "sector": "food", "display_min_months": 6}, "the minimum is 12"),
    ]:
        with pytest.raises(ValidationError, match=message):
            services.catalog_item_save(
                actor=drafter, version=version, data=_item_data(authority, **overrides), reason="x"
            )
    assert not CatalogItem.objects.filter(version=version).exists()


def _standard(drafter, published, start, end):
    measure = published[1].allowed_measures.get()
    return services.standard_save(
        actor=drafter,
        jurisdiction="HN",
        reason="Draft",
        data={
            "code": "HN-S-09",
            "title": "拖欠农民工工资严重失信主体认定标准",
            "sector": "人社",
            "serious_category": "market_order",
            "conduct_criteria": "恶意拖欠工资",
            "legal_basis": "《保障农民工工资支付条例》",
            "removal_conditions": "期满",
            "removal_procedure": "申请",
            "remedies": "行政复议或者行政诉讼",
            "comment_starts_on": start,
            "comment_ends_on": end,
        },
        allowed_measures=[measure],
    )


@pytest.mark.parametrize(("day", "accepted"), [(29, False), (30, True)])
def test_r_cat_6_a_standard_is_published_after_30_days_of_comment(drafter, approver, published, day, accepted):
    start = datetime.date(2026, 9, 1)
    standard = _standard(drafter, published, start, start + datetime.timedelta(days=29))
    services.standard_transition(standard=standard, name="open_comment", actor=drafter, reason="Open", today=start)
    publish_day = start + datetime.timedelta(days=day - 1)
    if accepted:
        services.standard_transition(
            standard=standard, name="publish", actor=approver, reason="Publish", today=publish_day
        )
        assert DesignationStandard.objects.get(pk=standard.pk).status == "published"
    else:
        with pytest.raises(ValidationError, match="Only 29 of the 30 days"):
            services.standard_transition(
                standard=standard, name="publish", actor=approver, reason="Publish", today=publish_day
            )
        assert DesignationStandard.objects.get(pk=standard.pk).status == "in_comment"


def test_r_cat_6_a_comment_period_shorter_than_30_days_cannot_open(drafter, published):
    start = datetime.date(2026, 9, 1)
    standard = _standard(drafter, published, start, start + datetime.timedelta(days=20))
    with pytest.raises(ValidationError, match="at least 30 days"):
        services.standard_transition(standard=standard, name="open_comment", actor=drafter, reason="Open", today=start)


def test_r_cat_6_a_published_standard_cannot_be_expanded(drafter, published):
    standard = published[1]
    with pytest.raises(ValidationError, match="only while it is a draft"):
        services.standard_save(actor=drafter, standard=standard, data={"conduct_criteria": "更宽的标准"}, reason="x")


def test_r_cat_7_a_standard_allows_only_measures_of_published_lists(drafter, published):
    measure = published[1].allowed_measures.get()
    measure.measure_list.status = "draft"
    measure.measure_list.save()
    with pytest.raises(ValidationError, match="not on a published list"):
        _standard(drafter, published, None, None)


def test_r_cat_6_a_backdated_comment_period_cannot_be_opened(drafter, published):
    """The public must get the 30 days: a period that 'started' in the past is refused."""
    start = datetime.date(2026, 8, 1)
    standard = _standard(drafter, published, start, start + datetime.timedelta(days=30))
    with pytest.raises(ValidationError, match="cannot start before it is opened"):
        services.standard_transition(
            standard=standard, name="open_comment", actor=drafter, reason="Open", today=datetime.date(2026, 11, 22)
        )


def test_r_cat_7_a_punishment_measure_states_its_duration(drafter, published):
    measures = services.measure_list_create(
        actor=drafter, jurisdiction="HN", kind="punishment", scope="local", title="地方补充清单", reason="x"
    )
    with pytest.raises(ValidationError, match="maximum duration"):
        services.measure_save(
            actor=drafter,
            measure_list=measures,
            reason="x",
            data={"code": "L-09", "text": "限制", "legal_clause": "《条例》第23条"},
        )


# --- four eyes: whoever shaped the draft's content cannot approve it (R-CAT-1) ------------------------------


def test_r_cat_1_a_supervisor_who_imported_rows_into_a_draft_cannot_approve_it(
    client, draft, supervisor_who_drafts, approver
):
    """R-CAT-1: drafted, then approved by the authority — by someone who took no part in drafting. The
    supervisor imports rows through the real import page, then the approval through the real act is refused."""
    from django.urls import reverse

    from catalog.tests.test_imports import GOOD_1
    from catalog.tests.test_views import _upload

    client.force_login(supervisor_who_drafts)
    response = client.post(
        reverse("catalog_version_import", args=[draft.pk]),
        {"file": _upload([GOOD_1]), "format": "csv", "reason": "National file"},
    )
    assert response.status_code == 302 and draft.items.filter(code="HN-09-001").exists()

    response = client.post(
        reverse("catalog_version_act", args=[draft.pk, "approve"]), {"reason": "Checked"}, follow=True
    )
    assert "cannot approve it" in response.content.decode()
    draft.refresh_from_db()
    assert draft.status == "draft" and draft.approved_by is None
    assert not AuditEvent.objects.filter(action="catalog.version.approved", object_id=str(draft.pk)).exists()

    # a supervisor who took no part approves it
    services.published_list_approve(obj=draft, actor=approver, reason="Checked")
    draft.refresh_from_db()
    assert draft.status == "approved" and draft.approved_by == approver


def test_r_cat_1_a_supervisor_who_edited_an_entry_by_hand_cannot_approve(draft, supervisor_who_drafts, authority):
    services.catalog_item_save(
        actor=supervisor_who_drafts, version=draft, data=_item_data(authority), reason="Added by hand"
    )
    with pytest.raises(ValidationError, match="cannot approve it"):
        services.published_list_approve(obj=draft, actor=supervisor_who_drafts, reason="ok")
    draft.refresh_from_db()
    assert draft.status == "draft"


def test_r_cat_1_a_supervisor_who_imported_measures_cannot_approve_the_list(
    drafter, supervisor_who_drafts, approver, published
):
    import io
    import json

    from catalog import imports

    measures = services.measure_list_create(
        actor=drafter, jurisdiction="HN", kind="punishment", scope="local", title="地方补充清单", reason="x"
    )
    rows = [
        {"code": "L-01", "text": "限制申请财政性资金项目", "legal_clause": "《条例》第23条", "max_duration_months": 36}
    ]
    report = imports.import_measures(
        actor=supervisor_who_drafts,
        measure_list=measures,
        fmt="json",
        dry_run=False,
        file=io.BytesIO(json.dumps(rows).encode()),
        reason="National list",
    )
    assert report.written == 1
    with pytest.raises(ValidationError, match="cannot approve it"):
        services.published_list_approve(obj=measures, actor=supervisor_who_drafts, reason="ok")
    measures.refresh_from_db()
    assert measures.status == "draft"
    services.published_list_approve(obj=measures, actor=approver, reason="ok")


# --- history of a standard's allowed measures (many-to-many) ------------------------------------------------


def test_r_sec_4_a_change_of_a_standards_allowed_measures_is_in_its_history(drafter, published):
    """R-SEC-4: every change is attributable, reasoned and kept — including the set of measures a standard
    allows, which is a many-to-many relation that a plain history row does not hold."""
    from catalog.models import PunishmentMeasure

    standard = _standard(drafter, published, None, None)
    first = published[1].allowed_measures.get()
    second = PunishmentMeasure.objects.create(
        measure_list=first.measure_list,
        code="N-02",
        text="限制乘坐飞机",
        legal_clause="《条例》第23条",
        max_duration_months=36,
    )
    services.standard_save(
        actor=drafter, standard=standard, data={}, allowed_measures=[first, second], reason="Add N-02"
    )
    services.standard_save(actor=drafter, standard=standard, data={}, allowed_measures=[second], reason="Drop N-01")

    rows = list(standard.history.order_by("history_date", "history_id"))
    sets = [sorted(m.punishmentmeasure.code for m in row.allowed_measures.all()) for row in rows]
    assert ["N-01"] in sets and ["N-01", "N-02"] in sets
    assert sets[-1] == ["N-02"]
    last = rows[-1]
    assert last.history_user == drafter and last.history_change_reason == "Drop N-01"
