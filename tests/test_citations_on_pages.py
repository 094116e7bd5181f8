"""Rule ids are for developers: the pages a caseworker reads cite the deployment's articles (issue 9)."""

import re

import pytest
from django.urls import reverse

from subjects.tests.factories import OrganisationFactory
from tests.case_data import make_catalog

pytestmark = pytest.mark.django_db
RULE_ID = re.compile(r"R-[A-Z]{3}-\d+")


@pytest.fixture(autouse=True)
def _chinese(settings):
    settings.LANGUAGE_CODE = "zh-hans"


@pytest.mark.parametrize("name", ["subject_create", "record_create", "designation_create"])
def test_form_pages_cite_articles_not_rule_ids(client, caseworker_a, dept_a, name):
    make_catalog(actor=caseworker_a, department=dept_a)
    subject = OrganisationFactory(department=dept_a)
    client.force_login(caseworker_a)
    url = reverse(name) if name == "subject_create" else reverse(name, args=[subject.pk])
    html = client.get(url).content.decode()
    assert not RULE_ID.findall(html)
    if name == "record_create":  # R-CAT-1 (HN 11) cited as the deployment's own article
        assert "《海南自由贸易港社会信用条例》第十一条" in html
