"""A downloaded file is named for what it is, never by its storage name (issue 16: `objection_application_KwRNFld.pdf`
reached the person who downloaded it)."""

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from objections.tests.factories import ObjectionFactory
from subjects.tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


def test_the_written_objection_downloads_under_its_label_and_number(client, caseworker_a, dept_a):
    objection = ObjectionFactory(department=dept_a, subject=OrganisationFactory(department=dept_a))
    objection.evidence.save("objection_application.pdf", ContentFile(b"%PDF-1.7"), save=True)
    objection.evidence.save("objection_application.pdf", ContentFile(b"%PDF-1.7"), save=True)  # a suffixed name
    assert objection.evidence.name != "objections/objection_application.pdf"
    client.force_login(caseworker_a)
    disposition = client.get(reverse("objection_evidence", args=[objection.pk]))["Content-Disposition"]
    assert f'filename="the written objection and documents-{objection.pk}.pdf"' in disposition
    assert "objection_application" not in disposition


def test_a_designation_file_downloads_under_its_label_and_number(client, caseworker_a, dept_a, dept_b):
    from tests.case_data import make_cases

    designation = make_cases(dept_a=dept_a, dept_b=dept_b, actor=caseworker_a)["designation"]
    from designations.models import Statement

    statement = Statement(designation=designation, department=dept_a, kind="defence", text="申辩")
    statement.received_on = designation.created_at.date()
    statement.file.save("defence_scan.pdf", ContentFile(b"%PDF-1.7"), save=True)
    client.force_login(caseworker_a)
    url = reverse("designation_statement_file", args=[designation.pk, statement.pk])
    disposition = client.get(url)["Content-Disposition"]
    assert f'filename="Statement, defence or waiver-{statement.pk}.pdf"' in disposition
    assert "defence_scan" not in disposition
