"""Issue 19: issuing checks the document. Each kind declares what it must state (``designations/pdf.py``:
``notice_requires``, ``decision_requires``, ``removal_notice_requires``); before a document is issued the text its
template writes for the case is checked, and a missing element refuses the issue with a message naming it; the
rendered PDF is checked again, and a PDF that lost an element is not served (R-DES-5, R-DES-1).

The template at fault is the real decision template with a section cut out, loaded ahead of the real one: what a
developer's careless edit would do.
"""

import datetime
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.exceptions import ValidationError
from django.test import override_settings

from creditportal.documents import document_render
from creditportal.models import IssuedDocument
from designations import services
from designations.models import Designation

from .helpers import DECISION_SERVED, at, draft, render_pending, to_state

TEMPLATE = Path(django_settings.BASE_DIR) / "templates" / "designations" / "pdf" / "decision.html"


def _without_remedies() -> str:
    """The decision template without its remedies section (七、救济途径 up to the seal)."""
    text = TEMPLATE.read_text(encoding="utf-8")
    start, end = text.index("<h2>七、救济途径"), text.index('{% include "designations/pdf/_seal.html" %}')
    return text[:start] + text[end:]


def _templates_with(name: str, source: str) -> list[dict]:
    engines = [dict(engine) for engine in django_settings.TEMPLATES]
    engine = engines[0]
    options = dict(engine.get("OPTIONS", {}))
    loaders = options.get("loaders") or [
        "django.template.loaders.filesystem.Loader",
        "django.template.loaders.app_directories.Loader",
    ]
    options["loaders"] = [("django.template.loaders.locmem.Loader", {name: source}), *loaders]
    engine["OPTIONS"] = options
    engine["APP_DIRS"] = False
    return engines


@pytest.fixture
def approved(caseworker_a, supervisor_a, dept_a, record, catalog, on):
    on(2026, 9, 1)
    designation = draft(caseworker=caseworker_a, department=dept_a, record=record, catalog=catalog)
    on(2026, 10, 20)
    return to_state(designation, "approved", caseworker=caseworker_a, supervisor=supervisor_a)


def test_r_des_5_a_decision_that_would_not_state_its_remedies_is_not_issued(approved, caseworker_a):
    broken = override_settings(TEMPLATES=_templates_with("designations/pdf/decision.html", _without_remedies()))
    with broken, pytest.raises(ValidationError) as refused:
        services.designation_issue_decision(designation=approved, actor=caseworker_a, reason="制发决定书")
    message = str(refused.value)
    assert "would not state the body that hears a reconsideration" in message
    assert "the time limit for reconsideration" in message and "the time limit for litigation" in message
    assert Designation.objects.get(pk=approved.pk).state == "approved"
    assert not IssuedDocument.objects.filter(kind="decision").exists()  # no number taken
    # with the real template the same decision is issued, and numbered 1
    document = services.designation_issue_decision(
        designation=approved, actor=caseworker_a, reason="制发决定书"
    ).decision_document()
    assert document.number == "测市监〔2026〕1号"


def test_r_des_5_a_pdf_that_lost_an_element_is_not_served(approved, caseworker_a):
    """Issued whole, rendered by a worker whose template lost the remedies: the PDF is checked, the document is
    marked, and its service is refused naming what is missing."""
    designation = services.designation_issue_decision(
        designation=approved, actor=caseworker_a, reason="制发决定书", now=at(2026, 10, 15)
    )
    document = designation.decision_document()
    with override_settings(TEMPLATES=_templates_with("designations/pdf/decision.html", _without_remedies())):
        document_render(document=document)
    document.refresh_from_db()
    assert "the time limit for reconsideration" in document.missing_elements
    with pytest.raises(ValidationError, match="does not state the body that hears a reconsideration"):
        services.designation_serve_decision(
            designation=Designation.objects.get(pk=designation.pk),
            actor=caseworker_a,
            reason="已送达",
            method="in_person",
            served_on=DECISION_SERVED,
            recipient="王建国",
        )
    assert Designation.objects.get(pk=designation.pk).state == "decision_issued"


def test_r_des_5_a_whole_decision_passes_both_checks(approved, caseworker_a):
    designation = services.designation_issue_decision(designation=approved, actor=caseworker_a, reason="制发决定书")
    render_pending(designation)
    document = designation.decision_document()
    document.refresh_from_db()
    assert document.sha256 and document.missing_elements == ""
    served = services.designation_serve_decision(
        designation=Designation.objects.get(pk=designation.pk),
        actor=caseworker_a,
        reason="已送达",
        method="in_person",
        served_on=datetime.date(2026, 10, 20),
        recipient="王建国",
    )
    assert served.state == "listed"


def test_r_des_9_a_report_that_would_not_state_the_facts_is_not_sent_and_the_listing_waits(
    caseworker_a, supervisor_a, dept_a, record, catalog, on, settings
):
    """HL 32: the report of a state-owned company's listing is issued at service; a template that lost its facts
    refuses the report, and with it the service (nothing is half done), naming what is missing."""
    settings.CREDIT_JURISDICTION = "HL"
    record.subject.ownership = "state_owned"
    record.subject.save(update_fields=["ownership"])
    on(2026, 9, 1)
    designation = draft(caseworker=caseworker_a, department=dept_a, record=record, catalog=catalog)
    on(2026, 10, 20)
    designation = to_state(designation, "decision_issued", caseworker=caseworker_a, supervisor=supervisor_a)
    source = (TEMPLATE.parent / "report.html").read_text(encoding="utf-8")
    broken = "\n".join(line for line in source.splitlines() if "认定的事实" not in line)
    with (
        override_settings(TEMPLATES=_templates_with("designations/pdf/report.html", broken)),
        pytest.raises(ValidationError, match="would not state the facts"),
    ):
        services.designation_serve_decision(
            designation=designation,
            actor=caseworker_a,
            reason="已送达",
            method="in_person",
            served_on=datetime.date(2026, 10, 20),
            recipient="王建国",
        )
    assert Designation.objects.get(pk=designation.pk).state == "decision_issued"
    assert not IssuedDocument.objects.filter(kind="report_to_authority").exists()


def test_r_des_5_the_english_parallel_text_alone_never_satisfies_a_check(approved, caseworker_a):
    """The Chinese text is the official one: a decision whose Chinese version lost its removal conditions is
    refused, though its English parallel text still states them (issue 19)."""
    chinese = '<p class="indent">移出条件：《{{ standard.title }}》规定，{{ standard.removal_conditions }}。</p>'
    source = TEMPLATE.read_text(encoding="utf-8")
    assert (
        chinese in source
        and "Conditions for removal: 《{{ standard.title }}》 provides: {{ standard.removal_conditions }}" in source
    )
    broken = override_settings(TEMPLATES=_templates_with("designations/pdf/decision.html", source.replace(chinese, "")))
    with broken, pytest.raises(ValidationError) as refused:
        services.designation_issue_decision(
            designation=approved, actor=caseworker_a, reason="制发决定书", languages="zh-hans,en"
        )
    assert "the removal conditions" in str(refused.value)
    assert Designation.objects.get(pk=approved.pk).state == "approved"
    assert not IssuedDocument.objects.filter(kind="decision").exists()
