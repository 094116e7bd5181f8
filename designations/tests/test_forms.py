"""The designation form: shape only, a plain form with the model's fields; the service judges the rest."""

import pytest
from django.urls import reverse

from designations.forms import DESIGNATION_FIELDS, DesignationForm
from designations.models import Designation

from .helpers import draft

pytestmark = pytest.mark.django_db


def test_edit_page_shows_the_drafts_values_and_saves_through_the_service(client, caseworker_a, dept_a, record, catalog):
    designation = draft(caseworker=caseworker_a, department=dept_a, record=record, catalog=catalog)
    proposed = sorted(link.measure_id for link in designation.proposed_measures())
    client.force_login(caseworker_a)
    response = client.get(reverse("designation_update", args=[designation.pk]))
    form = response.context["form"]
    assert list(form.fields)[: len(DESIGNATION_FIELDS)] == DESIGNATION_FIELDS
    assert form["facts"].value() == designation.facts
    assert sorted(form["measures"].value()) == proposed and form["expected_version"].value() == designation.version
    assert form.fields["standard"].disabled

    data = {name: form[name].value() for name in form.fields if form[name].value() is not None}
    data.update(facts="当事人于2026年3月多次销售超过保质期的食品，并拒不召回。", reason="Facts completed")
    response = client.post(reverse("designation_update", args=[designation.pk]), data)
    assert response.status_code == 302
    designation.refresh_from_db()
    assert designation.facts.endswith("并拒不召回。")
    assert designation.history.first().history_change_reason == "Facts completed"


def test_the_form_never_validates_or_changes_the_model(caseworker_a, dept_a, record, catalog):
    """Shape only: a valid form leaves the designation it was given untouched, in memory and in the database
    (the service writes, after its own checks)."""
    designation = draft(caseworker=caseworker_a, department=dept_a, record=record, catalog=catalog)
    saved_facts = designation.facts
    form = DesignationForm(
        data={
            "records": [record.pk],
            "facts": "x",
            "reasons": "y",
            "proposed_listing_months": 3,
            "statement_period_wd": 5,
            "leniency": "none",
            "reason": "r",
            "measures": [],
            "proportionality_statement": "z",
        },
        subject=record.subject,
        user=caseworker_a,
        instance=designation,
    )
    assert form.is_valid(), form.errors
    assert designation.facts == Designation.objects.get(pk=designation.pk).facts == saved_facts
    assert form.cleaned_data["standard"] == designation.standard  # disabled: the saved standard
