"""``manage.py seed_demo``: a valid, deterministic and idempotent Hainan demo.

Rules: R-CAT-1 (records only against published items), R-CAT-8 (valid identifiers), R-REC-1 (untrustworthy
records stand on a basis document), R-REC-2 (organisations carry their legal representative), R-DIS-1
(disclosure at most 60 months), R-CAT-3 (no simplified-procedure punishments), R-CAT-6 and R-CAT-7 (published
standards and measure lists), R-SEC-4 (every row attributable and reasoned).

The demo is written through the services and the lawful-data guard, so the rule tests below prove two things:
the seeded rows went through the services (their history names the person and the service's reason, their
audit event is the service's), and the seed's own writers refuse what the guard refuses — each of those tests
fails when the guard's check is deleted.
"""

import datetime
import io

import pytest
from django.apps import apps
from django.contrib.auth import authenticate
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import transaction
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone
from stdnum.cn import ric, uscc

from catalog import services as catalog_services
from catalog.choices import CatalogCategory, PublicationStatus, StandardStatus
from catalog.models import CatalogItem, CatalogVersion, DesignationStandard, MeasureList, PunishmentMeasure
from creditportal.audit import SYSTEM_USERNAME
from creditportal.models import AuditEvent, Department, Membership, User
from demo.credit_files import BasisSpec, RecordSpec, build_records, seed_records
from demo.helpers import add_months
from demo.identities import SubjectSpec, build_subjects
from demo.organisation import APPROVER, CASEWORKER_OF, DRAFTER
from demo.reference import CATALOG_ITEMS, seed_catalog
from demo.seed import DEMO_PASSWORD, REASON, Tally
from designations import services as designation_services
from subjects.choices import IdentifierType, RecordKind, RelatedRole, SubjectKind
from subjects.disclosure import class_limits_for
from subjects.models import BasisDocument, CreditRecord, CreditSubject, RelatedPerson

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
        assert ric.validate(person.identifier) == person.identifier
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
            organisation=organisation,
            role=RelatedRole.LEGAL_REPRESENTATIVE,
            until__isnull=True,
        )
        assert representatives.count() == 1, organisation
        link = representatives.get()
        assert link.person.kind == SubjectKind.NATURAL_PERSON
        assert link.department_id == organisation.department_id
    assert RelatedPerson.objects.filter(role=RelatedRole.PRINCIPAL).exists()
    assert RelatedPerson.objects.filter(role=RelatedRole.ACTUAL_CONTROLLER).exists()


def _user(username: str) -> User:
    return User.objects.get(username=username)


def _no_trace_of(model, before: int, history_before: int, events_before: int, action: str) -> None:
    """A refused write leaves no row, no history row and no audit event."""
    assert model.objects.count() == before
    assert model.history.count() == history_before
    assert AuditEvent.objects.filter(action=action).count() == events_before


@pytest.mark.django_db
def test_published_catalog_covers_all_ten_categories_r_cat_1_r_cat_2(seeded):
    """R-CAT-1: the demo catalog was drafted by hn-caseworker, approved and published by hn-supervisor through
    the catalog services (their history rows and audit events), not written as a published row."""
    items = CatalogItem.objects.filter(version__jurisdiction="HN", version__status=PublicationStatus.PUBLISHED)
    assert items.count() >= 12
    assert set(items.values_list("category", flat=True)) == set(CatalogCategory.values)
    for item in items:
        assert item.display_min_months <= item.display_max_months
        assert item.providing_department_id and item.data_source
        assert item.update_frequency and item.legal_basis and item.conduct
        if item.is_untrustworthy:
            assert item.display_max_months <= 60  # R-DIS-1
    version = items.first().version
    drafter, approver = _user(DRAFTER), _user(APPROVER)
    assert (version.drafted_by, version.approved_by) == (drafter, approver)
    statuses = list(
        version.history.order_by("history_date", "history_id").values_list(
            "status", "history_user__username", "history_change_reason"
        )
    )
    assert statuses == [("draft", DRAFTER, REASON), ("approved", APPROVER, REASON), ("published", APPROVER, REASON)]
    events = AuditEvent.objects.filter(object_id=str(version.pk), action__startswith="catalog.version.")
    assert set(events.values_list("action", "actor__username")) == {
        ("catalog.version.created", DRAFTER),
        ("catalog.version.approved", APPROVER),
        ("catalog.version.published", APPROVER),
    }


@pytest.mark.django_db
def test_the_seed_never_publishes_a_catalog_its_drafter_approves_r_cat_1(seeded):
    """R-CAT-1 (drafted, approved by the authority — another person — then published): the seed's own catalog
    writer, asked to let one supervisor draft and approve, is refused by the workflow's four-eyes guard."""
    supervisor = _user(APPROVER)
    departments = {d.code: d for d in Department.objects.all()}
    before = CatalogVersion.objects.filter(status=PublicationStatus.PUBLISHED).get()
    with pytest.raises(ValidationError, match="four eyes"):
        seed_catalog(
            drafter=supervisor,
            approver=supervisor,
            departments=departments,
            tally=Tally(),
            title="同一人起草并批准的目录",
            specs=CATALOG_ITEMS[:1],
        )
    assert CatalogVersion.objects.filter(status=PublicationStatus.PUBLISHED).get() == before


@pytest.mark.django_db
def test_the_seed_refuses_a_display_period_beyond_the_profile_r_dis_1(seeded):
    """R-DIS-1 (HN 27: at most 5 years): the seed's catalog writer goes through the item validation, which
    refuses an untrustworthiness item shown for 72 months; nothing of the draft's item is kept."""
    departments = {d.code: d for d in Department.objects.all()}
    too_long = {**next(spec for spec in CATALOG_ITEMS if spec["code"] == "HN-JUD-001"), "display_max_months": 72}
    with pytest.raises(ValidationError) as refused:
        seed_catalog(
            drafter=_user(DRAFTER),
            approver=_user(APPROVER),
            departments=departments,
            tally=Tally(),
            title="展示期限过长的目录",
            specs=(too_long,),
        )
    assert "R-DIS-1" in str(refused.value)
    assert not CatalogItem.objects.filter(display_max_months__gt=60, is_untrustworthy=True).exists()


@pytest.mark.django_db
def test_measure_lists_and_standards_are_published_r_cat_6_r_cat_7(seeded):
    lists = MeasureList.objects.filter(jurisdiction="HN", status=PublicationStatus.PUBLISHED)
    assert set(lists.values_list("kind", "scope")) == {
        ("punishment", "national"),
        ("punishment", "local"),
        ("reward", "local"),
    }
    assert all(m.legal_clause and m.max_duration_months for m in PunishmentMeasure.objects.all())
    for measure_list in lists:
        assert measure_list.drafted_by.username == DRAFTER and measure_list.approved_by.username == APPROVER
    standards = DesignationStandard.objects.filter(jurisdiction="HN", status=StandardStatus.PUBLISHED)
    assert set(standards.values_list("serious_category", flat=True)) == {"public_safety", "non_performance"}
    for standard in standards:
        assert (standard.comment_ends_on - standard.comment_starts_on).days >= 30
        assert standard.comment_ends_on < standard.published_at.date()
        assert standard.removal_conditions and standard.removal_procedure
        assert "六十日" in standard.remedies and "六个月" in standard.remedies
        assert standard.published_by.username == APPROVER and standard.issuing_department.code == "HN-DRC"
        assert standard.allowed_measures.exists()
        unpublished = standard.allowed_measures.exclude(measure_list__status=PublicationStatus.PUBLISHED)
        assert not unpublished.exists()
        # Through the comment period, not written as published: draft → in comment → published.
        states = list(standard.history.order_by("history_date", "history_id").values_list("status", flat=True))
        assert states[0] == "draft" and states[-2:] == ["in_comment", "published"]


@pytest.mark.django_db
def test_records_stand_on_published_items_and_basis_documents_r_cat_1_r_rec_1_r_dis_1(seeded):
    """Every seeded record was entered through ``record_create`` (and so the guard) by its department's
    caseworker: its first history row and its ``subjects.record.created`` event name that caseworker and the
    reason. What it holds is what the guard allows: a published item (R-CAT-1), a basis document not under the
    simplified procedure for untrustworthy conduct (R-REC-1, R-CAT-3), a disclosure period computed by the
    service from the determination or the end of the conduct (R-DIS-1), nothing dated after today."""
    records = CreditRecord.objects.select_related("catalog_item__version", "basis_document", "subject", "recorded_by")
    assert 90 <= records.values("subject").distinct().count() <= 110
    assert records.filter(kind=RecordKind.TRUSTWORTHY).exists()
    created = {int(event.object_id): event for event in AuditEvent.objects.filter(action="subjects.record.created")}
    first_history = {row.id: row for row in CreditRecord.history.filter(history_type="+")}
    today = timezone.localdate()
    for record in records:
        event, history = created[record.pk], first_history[record.pk]
        assert (event.actor, event.reason) == (record.recorded_by, REASON)
        assert event.data == {"catalog_item": record.catalog_item.code, "version": record.catalog_item.version.number}
        assert (history.history_user, history.history_change_reason) == (record.recorded_by, REASON)
        assert record.catalog_item.version.status == PublicationStatus.PUBLISHED  # R-CAT-1
        assert record.department_id == record.subject.department_id
        assert record.recorded_by.memberships.filter(department=record.department, role="caseworker").exists()
        start = record.conduct_ended_on or record.determined_on  # R-DIS-1: from the end of ongoing conduct
        assert record.determined_on < today and start < today
        assert record.disclosure_from == start
        # the item's maximum, held within its class by the national rules in force on its determination (R-NAT-2)
        months = record.catalog_item.display_max_months
        if (limits := class_limits_for(record.catalog_item, on=record.determined_on)) is not None:
            months = min(months, limits.maximum)
        assert record.disclosure_until == add_months(start, months) - datetime.timedelta(days=1)
        if record.kind == RecordKind.UNTRUSTWORTHY:  # R-REC-1
            assert record.catalog_item.is_untrustworthy
            assert record.basis_document is not None
            assert not record.basis_document.simplified_procedure  # R-CAT-3
            assert record.basis_document.effective_on <= record.determined_on
            assert record.disclosure_until <= add_months(start, 60)
        else:
            assert record.basis_document is None


def _spec_for(
    subject: CreditSubject, *, item: str, basis: BasisSpec | None, determined_on=datetime.date(2026, 3, 2)
) -> tuple[RecordSpec, dict]:
    """A record spec for ``subject`` in the shape the seed generates, and the ``rows`` map seed_records needs."""
    subject_spec = SubjectSpec(
        key=-1,
        kind=subject.kind,
        name=subject.name,
        id_type=subject.id_type,
        id_number=subject.identifier,
        department=subject.department.code,
        address=subject.address,
    )
    kind = (
        RecordKind.UNTRUSTWORTHY
        if CatalogItem.objects.filter(code=item, is_untrustworthy=True).exists()
        else RecordKind.TRUSTWORTHY
    )
    spec = RecordSpec(
        subject=subject_spec,
        item=item,
        kind=kind,
        summary=f"{subject.name}测试记录。",
        determined_on=determined_on,
        basis=basis,
    )
    return spec, {-1: subject}


def _seed_one(spec: RecordSpec, rows: dict, items: dict) -> None:
    recorders = {code: _user(username) for code, username in CASEWORKER_OF.items()}
    seed_records(records=[spec], rows=rows, items=items, recorders=recorders, tally=Tally())


def _published_items() -> dict:
    return {
        i.code: i
        for i in CatalogItem.objects.filter(version__status=PublicationStatus.PUBLISHED).select_related("version")
    }


def _basis(number: str, *, simplified: bool = False) -> BasisSpec:
    return BasisSpec(
        basis_type="punishment_decision",
        number=number,
        issuing_authority="海口市市场监督管理局",
        effective_on=datetime.date(2026, 3, 1),
        simplified_procedure=simplified,
    )


def _haikou_company() -> CreditSubject:
    return CreditSubject.objects.filter(department__code="HK-SAMR", kind=SubjectKind.LEGAL_PERSON).first()


def _counts() -> tuple[int, int, int]:
    return (
        CreditRecord.objects.count(),
        CreditRecord.history.count(),
        AuditEvent.objects.filter(action="subjects.record.created").count(),
    )


@pytest.mark.django_db
def test_the_seed_cannot_record_against_an_unpublished_item_r_cat_1(seeded):
    """R-CAT-1: the seed's record writer, given an item of a draft catalog version, is refused by the guard."""
    drafter = _user(DRAFTER)
    published = CatalogVersion.objects.get(status=PublicationStatus.PUBLISHED)
    draft = catalog_services.catalog_version_create(
        actor=drafter, jurisdiction="HN", title="草稿目录", reason="测试", based_on=published
    )
    items = {i.code: i for i in draft.items.select_related("version")}
    spec, rows = _spec_for(_haikou_company(), item="HN-ADM-002", basis=_basis("海口市监罚〔2026〕901号"))
    before = _counts()
    with pytest.raises(ValidationError, match="R-CAT-1"):
        _seed_one(spec, rows, items)
    _no_trace_of(CreditRecord, *before, action="subjects.record.created")


@pytest.mark.django_db
def test_the_seed_cannot_record_untrustworthy_conduct_without_a_basis_document_r_rec_1(seeded):
    """R-REC-1: untrustworthy conduct with no basis document is refused by the guard, with the rule named
    (without the guard the database constraint would fail instead, with no reason a person can read)."""
    spec, rows = _spec_for(_haikou_company(), item="HN-ADM-002", basis=None)
    before = _counts()
    with pytest.raises(ValidationError, match="R-REC-1"):
        _seed_one(spec, rows, _published_items())
    _no_trace_of(CreditRecord, *before, action="subjects.record.created")


@pytest.mark.django_db
def test_the_seed_cannot_record_a_simplified_procedure_punishment_r_cat_3(seeded):
    """R-CAT-3 (HL 18): a punishment under the simplified procedure is refused; neither the record nor its
    basis document is stored."""
    spec, rows = _spec_for(
        _haikou_company(), item="HN-ADM-002", basis=_basis("海口市监简罚〔2026〕7号", simplified=True)
    )
    before, documents = _counts(), BasisDocument.objects.count()
    with pytest.raises(ValidationError, match="R-CAT-3"):
        _seed_one(spec, rows, _published_items())
    _no_trace_of(CreditRecord, *before, action="subjects.record.created")
    assert BasisDocument.objects.count() == documents


@pytest.mark.django_db
def test_the_seed_cannot_date_a_determination_in_the_future_r_dis_1(seeded):
    """R-DIS-1 counts from the determination: the seed's writer cannot start a disclosure period on a day that
    has not come (record_create's date check), so no seeded period starts in the future."""
    spec, rows = _spec_for(
        _haikou_company(),
        item="HN-COM-001",
        basis=None,
        determined_on=datetime.date.today() + datetime.timedelta(days=5),
    )
    before = _counts()
    with pytest.raises(ValidationError, match="cannot be later than today"):
        _seed_one(spec, rows, _published_items())
    _no_trace_of(CreditRecord, *before, action="subjects.record.created")


@pytest.mark.django_db
def test_subjects_and_related_persons_were_entered_through_the_services(seeded):
    """R-CAT-8 and R-REC-2 through ``subject_create`` and ``related_person_add``: each row has its event."""
    subject_events = set(
        AuditEvent.objects.filter(action="subjects.subject.created").values_list("object_id", "actor__username")
    )
    for subject in CreditSubject.objects.select_related("department"):
        assert (str(subject.pk), CASEWORKER_OF[subject.department.code]) in subject_events
    link_events = AuditEvent.objects.filter(action="subjects.related_person.added")
    assert link_events.count() == RelatedPerson.objects.count()
    assert set(link_events.values_list("object_id", "data__person", "data__role")) == {
        (str(o), p, r) for o, p, r in RelatedPerson.objects.values_list("organisation_id", "person_id", "role")
    }


@pytest.mark.django_db
def test_readme_walk_through_runs_on_the_seeded_data_r_rec_2(seeded, client):
    """README walk-through on the demo: a Sanya subject is a 404 to the Haikou caseworker; a Haikou company with
    an untrustworthy record is designated and its prior notice issued (which needs the legal representative
    noted, R-REC-2, and the department's address and contact, R-DES-1); the provincial credit authority drafts
    the next catalog version."""
    caseworker = _user("hk-caseworker")
    client.force_login(caseworker)
    sanya = CreditSubject.objects.filter(department__code="SY-SAMR").first()
    assert client.get(reverse("subject_detail", args=[sanya.pk])).status_code == 404
    record = (
        CreditRecord.objects.filter(
            kind=RecordKind.UNTRUSTWORTHY,
            department__code="HK-SAMR",
            subject__kind=SubjectKind.LEGAL_PERSON,
            catalog_item__code__in=["HN-ADM-003", "HN-ADM-004"],
        )
        .order_by("pk")
        .first()
    )
    assert client.get(reverse("subject_detail", args=[record.subject_id])).status_code == 200
    standard = DesignationStandard.objects.get(code="HN-DS-2025-01")
    designation = designation_services.designation_create(
        actor=caseworker,
        subject=record.subject,
        standard=standard,
        records=[record],
        measures=list(standard.allowed_measures.all()[:2]),
        facts=record.summary,
        reasons="依据认定标准第（一）项。",
        proportionality_statement="措施与违法行为的性质、情节相当。",
        proposed_listing_months=12,
        statement_period_wd=5,
        reason="演示",
    )
    designation = designation_services.designation_issue_notice(
        designation=designation, actor=caseworker, reason="演示"
    )
    assert designation.state == "pending_notice"
    draft = catalog_services.catalog_version_create(
        actor=_user(DRAFTER),
        jurisdiction="HN",
        title="2027年版",
        reason="演示",
        based_on=CatalogVersion.objects.get(status=PublicationStatus.PUBLISHED),
    )
    assert draft.items.count() == len(CATALOG_ITEMS)


@pytest.mark.django_db
def test_seed_demo_twice_changes_no_row_not_even_history(seeded):
    before = _row_counts()
    second = _seed()
    assert _row_counts() == before
    assert "0 rows created" in second
    assert before["creditportal.HistoricalUser"] > 0 and before["subjects.HistoricalCreditRecord"] > 0
    assert before["creditportal.AuditEvent"] > 0


@pytest.mark.django_db
def test_history_names_the_person_who_acted_and_the_reason_r_sec_4(seeded):
    """R-SEC-4: domain rows name the demo person who wrote them through the services; the reference rows no
    service writes (departments, accounts, memberships) name the system user. Every row gives the reason."""
    system = User.objects.get(username=SYSTEM_USERNAME)
    caseworkers = set(CASEWORKER_OF.values())
    expected = {
        Department: {SYSTEM_USERNAME},
        Membership: {SYSTEM_USERNAME},
        CatalogVersion: {DRAFTER, APPROVER},
        DesignationStandard: {DRAFTER, APPROVER},
        CreditSubject: caseworkers,
        # the demo's answered objection was decided by the Haikou supervisor, which took its label off the record
        CreditRecord: caseworkers | {"hk-supervisor"},
        RelatedPerson: caseworkers,
    }
    for model, usernames in expected.items():
        history = model.history.all()
        assert history.exists()
        assert set(history.values_list("history_user__username", flat=True)) == usernames, model
        assert not history.exclude(history_change_reason=REASON).exists(), model
    assert not User.history.exclude(username=SYSTEM_USERNAME).exclude(history_user=system).exists()
    assert not User.history.exclude(username=SYSTEM_USERNAME).exclude(history_change_reason=REASON).exists()


@pytest.mark.django_db
def test_demo_users_log_in_with_the_demo_password(seeded):
    for username in (
        "hk-caseworker",
        "hk-supervisor",
        "hk-head",
        "hk-auditor",
        "sy-caseworker",
        "sy-supervisor",
        "hn-caseworker",
        "hn-supervisor",
        "sysadmin",
        "sysadmin2",
        "secadmin",
        "secadmin2",
        "auditadmin",
    ):
        user = authenticate(request=RequestFactory().post("/"), username=username, password=DEMO_PASSWORD)
        assert user is not None and user.username == username
    roles = dict(User.objects.filter(is_staff=True).values_list("username", "system_role"))
    assert roles == {
        "sysadmin": "system_admin",
        "sysadmin2": "system_admin",
        "secadmin": "security_admin",
        "secadmin2": "security_admin",
        "auditadmin": "audit_admin",
    }
    # The system user cannot log in, demo password or not.
    assert authenticate(request=RequestFactory().post("/"), username=SYSTEM_USERNAME, password=DEMO_PASSWORD) is None


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


@pytest.mark.django_db
def test_the_demo_answered_objection_was_served_and_its_clock_met_on_time_r_obj_3(seeded):
    """R-OBJ-3: the demo's answered objection is answered by its served letter, so its answer clock is met on the
    day of service and nobody's queue shows it overdue."""
    import datetime

    from creditportal import deadlines
    from objections.models import Objection
    from objections.services import answer_deadline

    answered = Objection.objects.get(state="answered")
    clock = answer_deadline(answered)
    assert clock.status == "met" and clock.met_at.date() == datetime.date(2026, 10, 15) <= clock.due_date
    assert not deadlines.deadlines_of(answered).filter(status="open").exists()
