"""Every model keeps history; model constraints hold at the database (R-SEC-4, R-CAT-8, R-REC-1)."""

import datetime

import pytest
from django.apps import apps
from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone

from catalog.models import CatalogItem
from creditportal.audit import tracked_save
from creditportal.models import AuditEvent, JurisdictionProfile
from objections.models import Objection
from subjects.models import CreditRecord, CreditSubject
from subjects.tests.factories import OrganisationFactory, PersonFactory
from tests.case_data import make_cases
from tests.test_permission_matrix import objects  # noqa: F401  (the fixture: a case of every kind)

pytestmark = pytest.mark.django_db

PROJECT_APPS = settings.PROJECT_APPS
#: Append-only by design: an event, a ledger entry (the record itself) or a form's submit token is never changed, so
#: it has no history of its own.
NO_HISTORY = {
    "creditportal.auditevent",
    "creditportal.submittoken",
    "creditportal.ledgerentry",
    "creditportal.accessentry",
    # the public list's ledger (issue 22): opened and closed by the designation's acts, whose history and events
    # say who and why; it is itself the record of what was published when
    "designations.publication",
    "restoration.publishedcommitment",
    "subjects.publishedpenalty",
    # the portal's one-time sign-in codes: credentials (their sending and use are audit events)
    "portal.signincode",
    # the record that a subject was told by mail (issue 22): the act it tells of has its own history
    "subjects.subjectnotification",
    # issue 23: the change feed's outbox, its last word on each object, its pruning mark and its files are written by
    # PostgreSQL from the changes they describe, whose history says who and why
    "feed.feedentry",
    "feed.feedstate",
    "feed.feedmark",
    "feed.feedfile",
    # the rows an import refused: its result (the import itself has its history)
    "exchange.recordimporterror",
    # the API's used nonces and idempotency receipts: replay protection, purged after their time
    "api.apinonce",
    "api.apiidempotencykey",
}


def _project_models():
    for label in PROJECT_APPS:
        for model in apps.get_app_config(label).get_models():
            if not model.__name__.startswith("Historical") and model._meta.label_lower not in NO_HISTORY:
                yield model


@pytest.mark.parametrize("model", list(_project_models()), ids=lambda m: m._meta.label_lower)
def test_r_sec_4_every_model_has_history_with_user_and_reason(model):
    history_model = model.history.model
    field_names = {f.name for f in history_model._meta.get_fields()}
    assert {"history_user", "history_change_reason", "history_date", "history_type"} <= field_names


def _history_marks() -> dict:
    """The last history id of every project model, to find the history rows written after it."""
    return {model: model.history.aggregate(last=Max("history_id"))["last"] or 0 for model in _project_models()}


def _history_since(marks: dict) -> list:
    return [row for model, last in marks.items() for row in model.history.filter(history_id__gt=last)]


def test_r_sec_4_changes_through_the_services_name_the_actor_and_the_reason_and_keep_the_old_value(
    caseworker_a, supervisor_a, dept_a
):
    """R-SEC-4 (HN 26, HN 34): every change made through the services — registering a subject, correcting it,
    noting its legal representative, entering a record on a basis document — leaves a history row naming the
    person and the reason (no history row anywhere without them), keeps the value it replaced, and appends
    the act to the audit trail with the same person and reason."""
    from subjects import services
    from subjects.tests.factories import valid_ric, valid_uscc
    from tests.case_data import make_catalog

    item, _standard = make_catalog(actor=caseworker_a, department=dept_a)
    marks = _history_marks()
    subject = services.subject_create(
        actor=caseworker_a,
        department=dept_a,
        reason="依申请登记",
        kind="legal_person",
        name="海口椰风食品有限公司",
        id_type="uscc",
        id_number=valid_uscc(7),
        ownership="private",
        address="海口市龙华区",
    )
    services.subject_update(subject=subject, actor=supervisor_a, reason="更正名称笔误", name="海口椰丰食品有限公司")
    link = services.related_person_register(
        organisation=subject,
        name="王建国",
        id_type="ric",
        id_number=valid_ric(3),
        role="legal_representative",
        actor=caseworker_a,
        reason="登记法定代表人",
    )
    record = services.record_create(
        actor=caseworker_a,
        subject=subject,
        catalog_item=item,
        summary="经营超过保质期的食品",
        determined_on=datetime.date(2026, 5, 2),
        reason="依处罚决定录入",
        basis={
            "basis_type": "punishment_decision",
            "number": "海口市监罚〔2026〕9号",
            "issuing_authority": "海口市市场监督管理局",
            "effective_on": datetime.date(2026, 5, 1),
        },
    )

    written = _history_since(marks)
    assert {type(row).__name__ for row in written} >= {
        "HistoricalCreditSubject",
        "HistoricalRelatedPerson",
        "HistoricalCreditRecord",
        "HistoricalBasisDocument",
    }
    assert all(row.history_user_id and row.history_change_reason for row in written), [
        (type(row).__name__, row.history_user_id, row.history_change_reason)
        for row in written
        if not (row.history_user_id and row.history_change_reason)
    ]
    assert list(
        subject.history.order_by("history_id").values_list(
            "history_type", "history_user", "history_change_reason", "name"
        )
    ) == [
        ("+", caseworker_a.pk, "依申请登记", "海口椰风食品有限公司"),
        ("~", supervisor_a.pk, "更正名称笔误", "海口椰丰食品有限公司"),
    ]
    assert (link.history.get().history_user, link.history.get().history_change_reason) == (
        caseworker_a,
        "登记法定代表人",
    )
    assert (record.history.get().history_user, record.history.get().history_change_reason) == (
        caseworker_a,
        "依处罚决定录入",
    )
    events = AuditEvent.objects.filter(action__startswith="subjects.")
    assert set(events.values_list("action", "actor", "reason")) == {
        ("subjects.subject.created", caseworker_a.pk, "依申请登记"),
        ("subjects.subject.created", caseworker_a.pk, "登记法定代表人"),  # the representative, registered
        ("subjects.subject.changed", supervisor_a.pk, "更正名称笔误"),
        ("subjects.related_person.added", caseworker_a.pk, "登记法定代表人"),
        ("subjects.record.created", caseworker_a.pk, "依处罚决定录入"),
    }
    with pytest.raises(ValueError, match="reason"):
        services.subject_update(subject=subject, actor=supervisor_a, reason="", name="无理由的更改有限公司")


def test_r_sec_4_no_page_deletes_a_row(client, dept_a, dept_b, caseworker_a, objects):  # noqa: F811 (the fixture)
    """R-SEC-4: nothing is hard-deleted by the application. A DELETE and an empty POST to every URL of the
    application (the permission matrix's list), by a supervisor of the owning department and by a supervisor
    of the provincial credit authority, leave every row of every model where it was."""
    from creditportal.choices import DepartmentKind, Role
    from creditportal.tests.factories import DepartmentFactory, user_with_role
    from tests.test_permission_matrix import MATRIX, _url

    authority = DepartmentFactory(code="HN-DRC", kind=DepartmentKind.CREDIT_AUTHORITY)
    people = [
        user_with_role(Role.SUPERVISOR, dept_a, username="supervisor_of_a"),
        user_with_role(Role.SUPERVISOR, authority, username="authority_supervisor"),
    ]
    models = [
        m
        for label in PROJECT_APPS
        for m in apps.get_app_config(label).get_models()
        if not m.__name__.startswith("Historical")
    ]
    # URLs first (some create the subject they open), then the rows that must all survive.
    urls = [_url(entry.split("@")[0], arg, objects, dept_a, dept_b) for entry, (arg, _exp) in sorted(MATRIX.items())]
    before = {model: set(model._default_manager.values_list("pk", flat=True)) for model in models}
    assert sum(len(pks) for pks in before.values()) > 20
    statuses = set()
    for url in urls:
        for person in people:
            client.force_login(person)
            statuses.add(client.delete(url).status_code)
            statuses.add(client.post(url, {}).status_code)
    for model, pks in before.items():
        gone = pks - set(model._default_manager.values_list("pk", flat=True))
        assert not gone, f"{model._meta.label}: rows {sorted(gone)} were deleted"
    assert 405 in statuses  # DELETE is answered "method not allowed", never acted on


def test_r_sec_4_no_admin_can_delete_anything(client, sysadmin, dept_a):
    """R-SEC-4: the admin offers no delete, to any of the three system roles, on any model of the project: no
    delete permission, no bulk "delete selected" action, and the delete page answers 403 and deletes nothing.
    (django-axes' lockout records are not credit information: the security administrator clears them.)"""
    from django.contrib import admin
    from django.test import RequestFactory

    from creditportal.choices import SystemRole
    from creditportal.tests.factories import UserFactory

    administrators = [
        sysadmin,
        UserFactory(username="secadmin", system_role=SystemRole.SECURITY_ADMIN, is_staff=True),
        UserFactory(username="auditadmin", system_role=SystemRole.AUDIT_ADMIN, is_staff=True),
    ]
    for user in administrators:
        request = RequestFactory().get("/admin/")
        request.user = user
        for model, model_admin in admin.site._registry.items():
            if model._meta.app_label not in PROJECT_APPS:
                continue
            assert not model_admin.has_delete_permission(request), (user.username, model._meta.label)
            assert "delete_selected" not in model_admin.get_actions(request), (user.username, model._meta.label)
    subject = PersonFactory(department=dept_a)
    client.force_login(sysadmin)
    delete_page = reverse("admin:subjects_creditsubject_delete", args=[subject.pk])
    assert client.post(delete_page, {"post": "yes"}).status_code == 403
    assert CreditSubject.objects.filter(pk=subject.pk).exists()


def test_a_reason_is_required(caseworker_a, dept_a):
    with pytest.raises(ValueError):
        tracked_save(PersonFactory.build(department=dept_a), actor=caseworker_a, reason="")


def test_r_cat_8_identifier_unique_together(dept_a):
    OrganisationFactory(department=dept_a, id_number="91460100MA5T0FTB49")
    with pytest.raises(IntegrityError), transaction.atomic():
        OrganisationFactory(department=dept_a, id_number="91460100MA5T0FTB49")


@pytest.mark.parametrize(
    ("kind", "id_type"),
    [("natural_person", "uscc"), ("legal_person", "ric"), ("unincorporated", "passport")],
)
def test_r_cat_8_identifier_type_matches_the_kind(dept_a, kind, id_type):
    with pytest.raises(IntegrityError), transaction.atomic():
        CreditSubject.objects.create(department=dept_a, kind=kind, name="x", id_type=id_type, id_number="X1")


def test_r_rec_1_untrustworthy_record_needs_a_basis_document(caseworker_a, dept_a, dept_b):
    record = make_cases(dept_a=dept_a, dept_b=dept_b, actor=caseworker_a)["record"]
    with pytest.raises(IntegrityError), transaction.atomic():
        CreditRecord.objects.filter(pk=record.pk).unguarded().update(basis_document=None)


def test_catalog_item_display_minimum_cannot_exceed_maximum(caseworker_a, dept_a, dept_b):
    record = make_cases(dept_a=dept_a, dept_b=dept_b, actor=caseworker_a)["record"]
    with pytest.raises(IntegrityError), transaction.atomic():
        CatalogItem.objects.filter(pk=record.catalog_item_id).unguarded().update(
            display_min_months=40, display_max_months=36
        )


def test_objection_targets_exactly_one_thing(caseworker_a, dept_a, dept_b):
    cases = make_cases(dept_a=dept_a, dept_b=dept_b, actor=caseworker_a)
    with pytest.raises(IntegrityError), transaction.atomic():
        Objection.objects.create(
            department=dept_a,
            subject=cases["record"].subject,
            record=cases["record"],
            designation=cases["designation"],
            ground="error",
            grounds_text="x",
            received_at=timezone.now(),
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        Objection.objects.create(
            department=dept_a,
            subject=cases["record"].subject,
            ground="error",
            grounds_text="x",
            received_at=timezone.now(),
        )


def test_designation_four_eyes_at_the_database(caseworker_a, dept_a, dept_b):
    designation = make_cases(dept_a=dept_a, dept_b=dept_b, actor=caseworker_a)["designation"]
    with pytest.raises(IntegrityError), transaction.atomic():
        type(designation).objects.filter(pk=designation.pk).unguarded().update(approver=caseworker_a)


def test_record_disclosure_cannot_end_before_it_starts(caseworker_a, dept_a, dept_b):
    record = make_cases(dept_a=dept_a, dept_b=dept_b, actor=caseworker_a)["record"]
    with pytest.raises(IntegrityError), transaction.atomic():
        CreditRecord.objects.filter(pk=record.pk).unguarded().update(
            disclosure_from=datetime.date(2026, 5, 1),
            disclosure_until=datetime.date(2026, 4, 1),
        )


@pytest.mark.parametrize(
    ("code", "field", "value"),
    [
        ("HN", "objection_answer_days", 7),
        ("HN", "objection_extension_total_wd", 15),
        ("HL", "objection_answer_days", 3),
        ("HL", "objection_answer_assisted_wd", 7),
        ("HL", "designation_objection_wd", 3),
        ("HB", "objection_answer_days", 15),
        ("HB", "objection_answer_unit", "cd"),
        ("XJ", "objection_answer_days", 7),
        ("HN", "disclosure_max_months", 60),
        ("XJ", "punishment_disclosure_max_months", 36),
        ("HN", "revoked_basis_removal_wd", 2),
        ("HL", "revoked_basis_removal_wd", 1),
        ("XJ", "restoration_after_min_period", True),
    ],
)
def test_r_obj_3_r_dis_1_r_res_6_jurisdiction_profiles_hold_the_rules_values(code, field, value):
    assert getattr(JurisdictionProfile.objects.get(code=code), field) == value


def test_a_value_a_regulation_does_not_set_stays_unset():
    """RULES.md: '—' means the profile leaves the value unset; the product never invents a number."""
    assert JurisdictionProfile.objects.get(code="XJ").objection_label_wd is None
    assert JurisdictionProfile.objects.get(code="HL").disclosure_max_months is None
