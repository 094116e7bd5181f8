"""Every model keeps history; model constraints hold at the database (R-SEC-4, R-CAT-8, R-REC-1)."""
import datetime

import pytest
from django.apps import apps
from django.db import IntegrityError, transaction
from django.utils import timezone

from catalog.models import CatalogItem
from creditportal.audit import tracked_save
from creditportal.models import JurisdictionProfile
from objections.models import Objection
from subjects.models import CreditRecord, CreditSubject
from subjects.tests.factories import OrganisationFactory, PersonFactory
from tests.case_data import make_cases

pytestmark = pytest.mark.django_db

PROJECT_APPS = ["creditportal", "catalog", "subjects", "designations", "objections", "restoration"]
#: Append-only by design: an event is never changed, so it has no history of its own.
NO_HISTORY = {"creditportal.auditevent"}


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


def test_r_sec_4_a_tracked_save_records_actor_and_reason(caseworker_a, dept_a):
    subject = PersonFactory(department=dept_a)
    subject.name = "改名"
    tracked_save(subject, actor=caseworker_a, reason="Corrected a typing error")
    latest = subject.history.latest()
    assert latest.history_user == caseworker_a
    assert latest.history_change_reason == "Corrected a typing error"


def test_r_sec_4_every_case_model_records_actor_and_reason(caseworker_a, dept_a, dept_b):
    cases = make_cases(dept_a=dept_a, dept_b=dept_b, actor=caseworker_a)
    for obj in cases.values():
        tracked_save(obj, actor=caseworker_a, reason="Checked", validate=False)
        latest = obj.history.latest()
        assert (latest.history_user, latest.history_change_reason) == (caseworker_a, "Checked")


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
        CreditRecord.objects.filter(pk=record.pk).update(basis_document=None)


def test_catalog_item_display_minimum_cannot_exceed_maximum(caseworker_a, dept_a, dept_b):
    record = make_cases(dept_a=dept_a, dept_b=dept_b, actor=caseworker_a)["record"]
    with pytest.raises(IntegrityError), transaction.atomic():
        CatalogItem.objects.filter(pk=record.catalog_item_id).update(display_min_months=40, display_max_months=36)


def test_objection_targets_exactly_one_thing(caseworker_a, dept_a, dept_b):
    cases = make_cases(dept_a=dept_a, dept_b=dept_b, actor=caseworker_a)
    with pytest.raises(IntegrityError), transaction.atomic():
        Objection.objects.create(department=dept_a, subject=cases["record"].subject, record=cases["record"],
                                 designation=cases["designation"], ground="error", grounds_text="x",
                                 received_at=timezone.now())
    with pytest.raises(IntegrityError), transaction.atomic():
        Objection.objects.create(department=dept_a, subject=cases["record"].subject, ground="error",
                                 grounds_text="x", received_at=timezone.now())


def test_designation_four_eyes_at_the_database(caseworker_a, dept_a, dept_b):
    designation = make_cases(dept_a=dept_a, dept_b=dept_b, actor=caseworker_a)["designation"]
    with pytest.raises(IntegrityError), transaction.atomic():
        type(designation).objects.filter(pk=designation.pk).update(approver=caseworker_a)


def test_record_disclosure_cannot_end_before_it_starts(caseworker_a, dept_a, dept_b):
    record = make_cases(dept_a=dept_a, dept_b=dept_b, actor=caseworker_a)["record"]
    with pytest.raises(IntegrityError), transaction.atomic():
        CreditRecord.objects.filter(pk=record.pk).update(
            disclosure_from=datetime.date(2026, 5, 1), disclosure_until=datetime.date(2026, 4, 1),
        )


@pytest.mark.parametrize(
    ("code", "field", "value"),
    [("HN", "objection_answer_days", 7), ("HN", "objection_extension_total_wd", 15), ("HL", "objection_answer_days", 3),
     ("HL", "objection_answer_assisted_wd", 7), ("HL", "designation_objection_wd", 3), ("HB", "objection_answer_days", 15),
     ("HB", "objection_answer_unit", "cd"), ("XJ", "objection_answer_days", 7), ("HN", "disclosure_max_months", 60),
     ("XJ", "punishment_disclosure_max_months", 36), ("HN", "revoked_basis_removal_wd", 2),
     ("HL", "revoked_basis_removal_wd", 1), ("XJ", "restoration_after_min_period", True)],
)
def test_r_obj_3_r_dis_1_r_res_6_jurisdiction_profiles_hold_the_rules_values(code, field, value):
    assert getattr(JurisdictionProfile.objects.get(code=code), field) == value


def test_a_value_a_regulation_does_not_set_stays_unset():
    """RULES.md: '—' means the profile leaves the value unset; the product never invents a number."""
    assert JurisdictionProfile.objects.get(code="XJ").objection_label_wd is None
    assert JurisdictionProfile.objects.get(code="HL").disclosure_max_months is None
