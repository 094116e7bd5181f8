"""``manage.py seed_demo``: a valid, deterministic and idempotent Hainan demo.

Rules: R-CAT-1 (records only against published items), R-CAT-8 (valid identifiers), R-REC-1 (untrustworthy
records stand on a basis document), R-REC-2 (organisations carry their legal representative), R-DIS-1
(disclosure at most 60 months), R-CAT-6 and R-CAT-7 (published standards and measure lists), R-SEC-4 (every
row attributable and reasoned).
"""
import datetime
import io

import pytest
from django.apps import apps
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.db import transaction
from django.test import RequestFactory
from stdnum.cn import ric, uscc

from catalog.choices import CatalogCategory, PublicationStatus, StandardStatus
from catalog.models import CatalogItem, DesignationStandard, MeasureList, PunishmentMeasure
from creditportal.audit import SYSTEM_USERNAME
from creditportal.demo import DEMO_PASSWORD, REASON
from creditportal.demo.credit_files import build_records
from creditportal.demo.helpers import add_months
from creditportal.demo.identities import build_subjects
from creditportal.models import Department, User
from subjects.choices import IdentifierType, RecordKind, RelatedRole, SubjectKind
from subjects.models import CreditRecord, CreditSubject, RelatedPerson

APPS = ("creditportal", "catalog", "subjects", "designations", "objections", "restoration")


def _seed() -> str:
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def _row_counts() -> dict[str, int]:
    """Rows of every model of the project's apps, Historical* and many-to-many tables included."""
    return {
        model._meta.label: model._default_manager.count()
        for label in APPS
        for model in apps.get_app_config(label).get_models(include_auto_created=True)
    }


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    """The demo, seeded once for the module inside a transaction that is rolled back at the module's end.

    Each test runs in its own savepoint inside it (pytest-django's per-test atomic block nests), so a test's
    own writes are undone after it and the seed (several seconds) runs once, not once per test.
    """
    with django_db_blocker.unblock(), transaction.atomic():
        yield _seed()
        transaction.set_rollback(True)


@pytest.mark.django_db
def test_seed_demo_creates_200_subjects_with_valid_identifiers_r_cat_8(seeded):
    assert CreditSubject.objects.count() == 200
    persons = CreditSubject.objects.filter(kind=SubjectKind.NATURAL_PERSON)
    organisations = CreditSubject.objects.exclude(kind=SubjectKind.NATURAL_PERSON)
    assert persons.count() == 120
    assert organisations.count() == 80
    for person in persons:
        assert person.id_type == IdentifierType.RESIDENT_ID
        assert ric.validate(person.id_number) == person.id_number
    for organisation in organisations:
        assert organisation.id_type == IdentifierType.USCC
        assert uscc.validate(organisation.id_number) == organisation.id_number
    assert organisations.filter(kind=SubjectKind.UNINCORPORATED).exists()
    assert organisations.filter(ownership="state_owned").exists()
    assert organisations.filter(ownership="public_institution").exists()
    departments = set(CreditSubject.objects.values_list("department__code", flat=True))
    assert departments == {"HK-SAMR", "SY-SAMR", "HN-SAMR"}
    line = next(line for line in seeded.splitlines() if line.startswith("subjects.CreditSubject "))
    assert line.split()[1:] == ["200", "0"]  # created, already present


@pytest.mark.django_db
def test_every_organisation_has_a_legal_representative_r_rec_2(seeded):
    for organisation in CreditSubject.objects.exclude(kind=SubjectKind.NATURAL_PERSON):
        representatives = RelatedPerson.objects.filter(
            organisation=organisation, role=RelatedRole.LEGAL_REPRESENTATIVE, until__isnull=True,
        )
        assert representatives.count() == 1, organisation
        link = representatives.get()
        assert link.person.kind == SubjectKind.NATURAL_PERSON
        assert link.department_id == organisation.department_id
    assert RelatedPerson.objects.filter(role=RelatedRole.PRINCIPAL).exists()
    assert RelatedPerson.objects.filter(role=RelatedRole.ACTUAL_CONTROLLER).exists()


@pytest.mark.django_db
def test_published_catalog_covers_all_ten_categories_r_cat_1_r_cat_2(seeded):
    items = CatalogItem.objects.filter(version__jurisdiction="HN",
                                       version__status=PublicationStatus.PUBLISHED)
    assert items.count() >= 12
    assert set(items.values_list("category", flat=True)) == set(CatalogCategory.values)
    for item in items:
        assert item.display_min_months <= item.display_max_months
        assert item.providing_department_id and item.data_source
        assert item.update_frequency and item.legal_basis and item.conduct
        if item.is_untrustworthy:
            assert item.display_max_months <= 60  # R-DIS-1
    version = items.first().version
    assert version.approved_by_id and version.drafted_by_id != version.approved_by_id


@pytest.mark.django_db
def test_measure_lists_and_standards_are_published_r_cat_6_r_cat_7(seeded):
    lists = MeasureList.objects.filter(jurisdiction="HN", status=PublicationStatus.PUBLISHED)
    assert set(lists.values_list("kind", "scope")) == {
        ("punishment", "national"), ("punishment", "local"), ("reward", "local"),
    }
    assert all(m.legal_clause and m.max_duration_months for m in PunishmentMeasure.objects.all())
    standards = DesignationStandard.objects.filter(jurisdiction="HN", status=StandardStatus.PUBLISHED)
    assert set(standards.values_list("serious_category", flat=True)) == {"public_safety", "non_performance"}
    for standard in standards:
        assert (standard.comment_ends_on - standard.comment_starts_on).days >= 30
        assert standard.comment_ends_on < standard.published_at.date()
        assert standard.removal_conditions and standard.removal_procedure
        assert "六十日" in standard.remedies and "六个月" in standard.remedies
        assert standard.published_by_id and standard.issuing_department.code == "HN-DRC"
        assert standard.allowed_measures.exists()
        unpublished = standard.allowed_measures.exclude(measure_list__status=PublicationStatus.PUBLISHED)
        assert not unpublished.exists()


@pytest.mark.django_db
def test_records_stand_on_published_items_and_basis_documents_r_cat_1_r_rec_1_r_dis_1(seeded):
    records = CreditRecord.objects.select_related("catalog_item__version", "basis_document", "subject")
    assert 90 <= records.values("subject").distinct().count() <= 110
    assert records.filter(kind=RecordKind.TRUSTWORTHY).exists()
    for record in records:
        assert record.catalog_item.version.status == PublicationStatus.PUBLISHED  # R-CAT-1
        assert record.department_id == record.subject.department_id
        assert record.recorded_by.memberships.filter(department=record.department, role="caseworker").exists()
        start = record.conduct_ended_on or record.determined_on  # R-DIS-1: from the end of ongoing conduct
        assert record.disclosure_from == start
        assert start < record.disclosure_until <= add_months(start, record.catalog_item.display_max_months)
        if record.kind == RecordKind.UNTRUSTWORTHY:  # R-REC-1
            assert record.catalog_item.is_untrustworthy
            assert record.basis_document is not None
            assert not record.basis_document.simplified_procedure  # R-CAT-3
            assert record.basis_document.effective_on <= record.determined_on
        else:
            assert record.basis_document is None


@pytest.mark.django_db
def test_seed_demo_twice_changes_no_row_not_even_history(seeded):
    before = _row_counts()
    second = _seed()
    assert _row_counts() == before
    assert "0 rows created" in second
    assert before["creditportal.HistoricalUser"] > 0 and before["subjects.HistoricalCreditRecord"] > 0


@pytest.mark.django_db
def test_history_names_the_system_user_and_the_reason_r_sec_4(seeded):
    system = User.objects.get(username=SYSTEM_USERNAME)
    for model in (Department, CreditSubject, CreditRecord, RelatedPerson, DesignationStandard):
        history = model.history.all()
        assert history.exists()
        assert not history.exclude(history_user=system).exists(), model
        assert not history.exclude(history_change_reason=REASON).exists(), model
    assert not User.history.exclude(username=SYSTEM_USERNAME).exclude(history_change_reason=REASON).exists()


@pytest.mark.django_db
def test_demo_users_log_in_with_the_demo_password(seeded):
    for username in ("hk-caseworker", "hk-supervisor", "hk-head", "hk-auditor", "sy-caseworker",
                     "sy-supervisor", "hn-caseworker", "hn-supervisor", "sysadmin", "secadmin", "auditadmin"):
        user = authenticate(request=RequestFactory().post("/"), username=username, password=DEMO_PASSWORD)
        assert user is not None and user.username == username
    roles = dict(User.objects.filter(is_staff=True).values_list("username", "system_role"))
    assert roles == {"sysadmin": "system_admin", "secadmin": "security_admin", "auditadmin": "audit_admin"}
    # The system user cannot log in, demo password or not.
    assert authenticate(request=RequestFactory().post("/"), username=SYSTEM_USERNAME,
                        password=DEMO_PASSWORD) is None


def test_generated_data_is_deterministic_and_unique():
    """Pure data: the same seed gives the same subjects and records, whatever the date or machine."""
    first, second = build_subjects(), build_subjects()
    assert first == second
    persons, organisations, _links = first
    ids = [s.id_number for s in persons + organisations]
    assert len(ids) == len(set(ids)) == 200
    births = {ric.get_birth_date(p.id_number) for p in persons}
    assert min(births) >= datetime.date(1960, 1, 1) and max(births) <= datetime.date(2000, 12, 31)
    records = build_records(subjects=persons + organisations)
    assert records == build_records(subjects=persons + organisations)
    numbers = [(r.basis.issuing_authority, r.basis.number) for r in records if r.basis]
    assert len(numbers) == len(set(numbers))
