"""R-SEC-6 (issue 21; PIPL art. 51; GB/T 22239-2019 8.1.4.7, 8.1.4.8): natural persons' identity numbers at rest.

The live row holds a person's number encrypted and masked, every subject's identifier as a keyed digest; the history
and the audit ledger hold the masked number and the digest only; the number is found by its digest; keys rotate
while the portal runs; rows written before the sealing are sealed by the migration, which the ledger's verification
accepts by its signed count and by nothing else."""

# ruff: noqa: S608 -- the SQL names only the tables under test (constants); values go as parameters.

import importlib

import pytest
from cryptography.fernet import Fernet
from django.apps import apps
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection
from django.urls import reverse

from creditportal import identity, ledger
from creditportal.masking import mask_identity
from creditportal.models import AuditEvent, LedgerEntry
from subjects import services
from subjects.choices import IdentifierType, SubjectKind
from subjects.filters import SubjectFilter
from subjects.models import CreditSubject
from subjects.tests.factories import OrganisationFactory, PersonFactory, valid_ric

pytestmark = pytest.mark.django_db

NUMBER = "46010219900307123X"
OTHER = valid_ric(77)


def _raw(statement: str, params=()) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(statement, params)
        return cursor.fetchall() if cursor.description else []


def _register(actor, department, number=NUMBER, name="王建国") -> CreditSubject:
    return services.subject_create(
        actor=actor,
        department=department,
        reason="登记",
        kind=SubjectKind.NATURAL_PERSON,
        name=name,
        id_type=IdentifierType.RESIDENT_ID,
        id_number=number,
    )


def test_r_sec_6_the_subject_table_and_its_history_hold_no_clear_number(caseworker_a, dept_a):
    person = _register(caseworker_a, dept_a)
    ((shown, sealed, digest),) = _raw(
        "SELECT id_number, id_sealed, id_digest FROM subjects_creditsubject WHERE id = %s", [person.pk]
    )
    assert shown == "4601**********123X"
    assert sealed.startswith("fernet:") and NUMBER not in sealed
    assert len(digest) == 64 and NUMBER not in digest
    history = _raw("SELECT to_jsonb(h)::text FROM subjects_historicalcreditsubject h WHERE id = %s", [person.pk])
    assert history and all(NUMBER not in row[0] and "id_sealed" not in row[0] for row in history)
    ledger.seal_all()
    copies = LedgerEntry.objects.filter(
        source="subjects_historicalcreditsubject", content__contains=f'"id": {person.pk},'
    )
    assert copies.exists() and not copies.filter(content__contains=NUMBER).exists()
    # the number is opened only through the model, with the configured key
    assert CreditSubject.objects.get(pk=person.pk).identifier == NUMBER


def test_r_sec_6_a_person_is_found_by_the_whole_number_and_never_by_its_beginning(caseworker_a, dept_a):
    person = _register(caseworker_a, dept_a)
    company = OrganisationFactory(department=dept_a)
    everyone = CreditSubject.objects.all()
    assert list(SubjectFilter({"id_number": NUMBER.lower()}, queryset=everyone).qs) == [person]
    assert list(SubjectFilter({"id_number": NUMBER[:10]}, queryset=everyone).qs) == []
    assert list(SubjectFilter({"id_number": company.id_number[:8]}, queryset=everyone).qs) == [company]


def test_r_sec_6_the_same_number_is_registered_once(caseworker_a, dept_a):
    _register(caseworker_a, dept_a)
    with pytest.raises(ValidationError) as refused:
        _register(caseworker_a, dept_a, name="王建国二")
    assert "已登记" in str(refused.value.messages) or "already registered" in str(refused.value.messages)
    assert CreditSubject.objects.filter(name__startswith="王建国").count() == 1


def test_r_sec_6_a_changed_number_is_sealed_again_and_the_event_keeps_it_masked(caseworker_a, dept_a):
    person = _register(caseworker_a, dept_a)
    services.subject_update(subject=person, actor=caseworker_a, reason="号码更正", id_number=OTHER)
    person = CreditSubject.objects.get(pk=person.pk)
    assert (person.identifier, person.id_number) == (OTHER, mask_identity(OTHER))
    assert person.id_digest == CreditSubject.digest_of(OTHER)
    event = AuditEvent.objects.get(action="subjects.subject.changed", object_id=str(person.pk))
    assert event.data["changed"]["id_number"] == ["4601**********123X", mask_identity(OTHER)]
    assert NUMBER not in str(event.data) and OTHER not in str(event.data)


def test_r_sec_6_keys_rotate_while_the_portal_runs_and_the_old_key_can_go(caseworker_a, dept_a, settings):
    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    settings.PORTAL_IDENTITY_KEYS = [old]
    person = _register(caseworker_a, dept_a)
    company = OrganisationFactory(department=dept_a)
    settings.PORTAL_IDENTITY_KEYS = [new, old]  # the new key first: it seals, both open
    assert CreditSubject.objects.get(pk=person.pk).identifier == NUMBER
    call_command("rotate_identity_keys", reason="年度轮换", stdout=None)
    event = AuditEvent.objects.get(action="subjects.identity.rotated")
    assert event.data["subjects"] == 1 and event.reason == "年度轮换"
    settings.PORTAL_IDENTITY_KEYS = [new]  # the old key removed
    rotated = CreditSubject.objects.get(pk=person.pk)
    assert rotated.identifier == NUMBER and rotated.id_digest == CreditSubject.digest_of(NUMBER)
    assert CreditSubject.objects.get(pk=company.pk).id_sealed == ""  # an organisation's code is public
    # nothing left under the old key: a second run re-seals nothing
    call_command("rotate_identity_keys", stdout=None)
    assert AuditEvent.objects.filter(action="subjects.identity.rotated").latest("pk").data["subjects"] == 0


def test_r_sec_6_a_number_no_configured_key_opens_is_refused_not_guessed(caseworker_a, dept_a, settings):
    person = _register(caseworker_a, dept_a)
    settings.PORTAL_IDENTITY_KEYS = [Fernet.generate_key().decode()]
    with pytest.raises(identity.IdentityKeyError):
        CreditSubject.objects.get(pk=person.pk).identifier  # noqa: B018 -- reading it is the act under test


def test_r_sec_6_a_page_whose_number_no_key_opens_still_arrives_masked_and_the_operator_is_told(
    client, caseworker_a, dept_a, settings, caplog
):
    """A key removed too early must not take every page of the person down (a 500): the page shows the masked number
    and says the whole one cannot be opened, and the error is logged."""
    person = _register(caseworker_a, dept_a)
    settings.PORTAL_IDENTITY_KEYS = [Fernet.generate_key().decode()]
    client.force_login(caseworker_a)
    response = client.get(reverse("subject_detail", args=[person.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    assert NUMBER not in page and "4601**********123X" in page
    assert "the whole number cannot be opened now" in page
    assert any("no configured key opens" in record.getMessage() for record in caplog.records)


def test_r_sec_6_the_page_shows_the_whole_number_to_the_caseworker_and_the_reveal_to_the_auditor(
    client, caseworker_a, auditor_a, dept_a
):
    person = _register(caseworker_a, dept_a)
    client.force_login(caseworker_a)
    assert NUMBER in client.get(reverse("subject_detail", args=[person.pk])).content.decode()
    client.force_login(auditor_a)
    page = client.get(reverse("subject_detail", args=[person.pk])).content.decode()
    assert NUMBER not in page and "4601**********123X" in page
    revealed = client.get(reverse("subject_detail", args=[person.pk]), {"reveal": "identity"}).content.decode()
    assert NUMBER in revealed


def _clear_rows(person: CreditSubject) -> None:
    """The subject and its history as a database written before the sealing held them (the number in clear)."""
    _raw(
        "UPDATE subjects_creditsubject SET id_number = %s, id_sealed = '', id_digest = '' WHERE id = %s",
        [NUMBER, person.pk],
    )
    _raw(
        "UPDATE subjects_historicalcreditsubject SET id_number = %s, id_digest = '' WHERE id = %s", [NUMBER, person.pk]
    )


def _migration():
    return importlib.import_module("subjects.migrations.0013_identity_sealed")


def test_r_sec_4_the_migration_seals_old_rows_and_the_ledger_accepts_exactly_that(caseworker_a, dept_a):
    person = PersonFactory(department=dept_a)
    _clear_rows(person)
    ledger.seal_all()
    since = ledger.first_position_after_now()
    # a history row written before the sealing: the ledger's trigger copies it with the number in clear
    columns = ", ".join(
        row[0]
        for row in _raw(
            "SELECT column_name FROM information_schema.columns WHERE table_name = 'subjects_historicalcreditsubject' "
            "AND column_name <> 'history_id' ORDER BY ordinal_position"
        )
    )
    _raw(
        f"INSERT INTO subjects_historicalcreditsubject ({columns}) SELECT {columns} "
        "FROM subjects_historicalcreditsubject WHERE id = %s",
        [person.pk],
    )
    ledger.seal_all()
    assert LedgerEntry.objects.filter(seq__gte=since, content__contains=NUMBER).exists()
    _migration().seal_existing(apps, None)
    sealed = CreditSubject.objects.get(pk=person.pk)
    assert sealed.id_number == "4601**********123X" and sealed.identifier == NUMBER
    assert not _raw("SELECT 1 FROM subjects_historicalcreditsubject WHERE id_number = %s", [NUMBER])
    ledger.seal_all()
    assert not [str(f) for f in ledger.verify(since=since).findings if "historicalcreditsubject" in str(f)]
    # without its signed count the same masking is tampering
    AuditEvent.objects.filter(action=identity.SEALED_ACTION).update(data={"history": 1, "history_through": 10**9})
    findings = [str(f) for f in ledger.verify(since=since).findings]
    assert any("subjects_historicalcreditsubject row was changed" in f for f in findings), findings


def test_r_sec_4_a_column_added_to_a_history_table_is_not_a_change_of_what_was_recorded(sysadmin):
    from creditportal.tests.factories import DepartmentFactory

    ledger.seal_all()
    since = ledger.first_position_after_now()
    DepartmentFactory(code="LG-COL", name="加列测试局")
    ledger.seal_all()
    _raw("SET CONSTRAINTS ALL IMMEDIATE")  # the department's deferred checks first: then its table may change
    _raw("ALTER TABLE creditportal_historicaldepartment ADD COLUMN added_later text NOT NULL DEFAULT 'x'")
    assert ledger.verify(since=since).intact
    _raw("UPDATE creditportal_historicaldepartment SET name = '改过的名称' WHERE code = 'LG-COL'")
    findings = [str(f) for f in ledger.verify(since=since).findings]
    assert any("creditportal_historicaldepartment row was changed" in f for f in findings), findings
