"""The demo's objections say what their records are (issue 16): grounds about a punishment decision rest on a
record whose basis is a punishment decision, a judgment defaulter's on a court's judgment."""

import pytest

from objections.models import Objection
from tests.test_seed_demo import seeded as seeded  # noqa: F401  (the demo, seeded once for the module)


@pytest.mark.django_db
def test_objection_grounds_match_the_record_objected_to(seeded):  # noqa: F811
    objections = list(Objection.objects.filter(record__isnull=False).select_related("record__basis_document"))
    assert objections
    for objection in objections:
        basis = objection.record.basis_document.basis_type
        if "处罚决定" in objection.grounds_text:
            assert basis == "punishment_decision", objection.grounds_text
        if "失信被执行人" in objection.grounds_text:
            assert basis == "judgment", objection.grounds_text
