"""R-SEC-4: the audit ledger nobody can rewrite (issue 21, GB/T 22239-2019 8.1.4.3 c): every audit event and history row
is copied into the ledger in the transaction that writes it and chained by the sealer; the ledger refuses every other
change; ``audit_verify`` finds an edited, deleted, inserted or reordered entry, a truncated tail, a row edited or
deleted in its own table, a row that never reached the ledger, and entries the sealer left.

What the tests write is rolled back with them; they verify from the first place in the chain they sealed, because
the test database keeps the entries of the journeys that committed before them (whose rows were emptied after
each)."""

# ruff: noqa: S608 -- the SQL names only the ledger's own table (a constant); values go as parameters.

import hashlib

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction

from creditportal import ledger
from creditportal.audit import record_event
from creditportal.models import AuditEvent, LedgerEntry
from creditportal.tests.factories import DepartmentFactory

pytestmark = pytest.mark.django_db


def _seal() -> None:
    """What beat does every minute: the entries written so far take their places in the chain."""
    ledger.seal_all()


def _sql(statement: str, params=()) -> None:
    with connection.cursor() as cursor:
        cursor.execute(statement, params)


@pytest.fixture
def written(sysadmin):
    """Three events and a department's history row, sealed: (their first place in the chain, the events)."""
    _seal()  # what earlier journeys left unsealed
    first = ledger.first_position_after_now()
    events = [record_event(action="creditportal.test.ledger", actor=sysadmin, reason=f"第{n}次") for n in range(3)]
    DepartmentFactory(code="LG-TEST", name="账本测试局")
    _seal()
    return first, events


def _findings(since: int) -> list[str]:
    return [str(finding) for finding in ledger.verify(since=since).findings]


def test_r_sec_4_every_event_and_history_row_reaches_the_chain(written):
    since, events = written
    entries = list(LedgerEntry.objects.filter(seq__gte=since).order_by("seq"))
    sources = [entry.source for entry in entries]
    assert sources.count("creditportal_auditevent") == 3
    assert "creditportal_historicaldepartment" in sources
    for before, entry in zip(entries, entries[1:], strict=False):
        assert entry.prev_hash == before.hash and entry.seq == before.seq + 1
        assert entry.hash == hashlib.sha256((entry.prev_hash + entry.content).encode()).hexdigest()
    assert {e.source_id for e in entries if e.source == "creditportal_auditevent"} == {str(e.pk) for e in events}
    assert ledger.verify(since=since).intact


def test_r_sec_4_every_audited_table_has_the_trigger_new_history_tables_included():
    with connection.cursor() as cursor:
        cursor.execute("SELECT tgrelid::regclass::text FROM pg_trigger WHERE tgname = %s", [ledger.TRIGGER])
        triggered = {row[0].strip('"') for row in cursor.fetchall()}
    tables = ledger.audited_tables()
    assert "creditportal_auditevent" in tables and "subjects_historicalcreditsubject" in tables
    assert set(tables) <= triggered


def test_r_sec_4_a_rolled_back_transaction_leaves_nothing_in_the_ledger(written, sysadmin):
    since, _events = written
    count = LedgerEntry.objects.count()
    with pytest.raises(RuntimeError), transaction.atomic():
        record_event(action="creditportal.test.ledger", actor=sysadmin, reason="撤销")
        raise RuntimeError
    _seal()
    assert LedgerEntry.objects.count() == count and ledger.verify(since=since).intact


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE {t} SET content = 'x'",
        "UPDATE {t} SET hash = NULL, seq = NULL, prev_hash = NULL",
        "DELETE FROM {t}",
        "TRUNCATE {t}",
        "INSERT INTO {t} (source, source_id, content, seq, prev_hash, hash) VALUES ('x', '1', 'x', 0, 'x', 'x')",
    ],
)
def test_r_sec_4_the_ledger_refuses_every_change_even_to_its_owner(written, statement):
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        _sql(statement.format(t=ledger.TABLE))


def test_r_sec_4_the_applications_role_cannot_change_the_ledger_or_its_guards(written):
    """In production the application connects as a role that may read the ledger and nothing else (the owner role
    holds the table and its functions: docs/deployment.md); its rows still reach the ledger through the trigger."""
    _sql("CREATE ROLE creditportal_app_test NOLOGIN")
    _sql(f"GRANT SELECT ON {ledger.TABLE} TO creditportal_app_test")
    _sql("GRANT SELECT, INSERT ON creditportal_auditevent TO creditportal_app_test")
    _sql("GRANT USAGE ON SEQUENCE creditportal_auditevent_id_seq TO creditportal_app_test")
    _sql("SET ROLE creditportal_app_test")
    try:
        for statement in (
            f"UPDATE {ledger.TABLE} SET content = 'x'",
            f"DELETE FROM {ledger.TABLE}",
            f"TRUNCATE {ledger.TABLE}",
            f"ALTER TABLE {ledger.TABLE} DISABLE TRIGGER creditportal_ledger_guard",
            f"INSERT INTO {ledger.TABLE} (source, source_id, content) VALUES ('x', '1', 'x')",
            "SELECT creditportal_ledger_write('creditportal_auditevent', 'id', '{\"id\": 1}')",
        ):
            with pytest.raises(DatabaseError, match="permission denied|must be owner"), transaction.atomic():
                _sql(statement)
        _sql(
            "INSERT INTO creditportal_auditevent (at, action, object_id, reason, data) "
            "VALUES (now(), 'creditportal.test.app_role', '', '', '{}')"
        )
        _sql("SELECT creditportal_ledger_seal()")  # beat runs the sealer as the application
    finally:
        _sql("RESET ROLE")
    assert LedgerEntry.objects.filter(content__contains="creditportal.test.app_role", seq__isnull=False).count() == 1


def _unguarded(statement: str, params=()) -> None:
    """What someone with the owner's or a superuser's rights could do: switch the guard off, change, switch it on."""
    _sql(f"ALTER TABLE {ledger.TABLE} DISABLE TRIGGER creditportal_ledger_guard")
    _sql(statement, params)
    _sql(f"ALTER TABLE {ledger.TABLE} ENABLE TRIGGER creditportal_ledger_guard")


def test_r_sec_4_an_event_edited_directly_in_the_database_is_found(written):
    since, events = written
    _sql("UPDATE creditportal_auditevent SET reason = '改过的理由' WHERE id = %s", [events[1].pk])
    findings = _findings(since)
    assert len(findings) == 1 and "creditportal_auditevent row was changed" in findings[0]


def test_r_sec_4_an_event_deleted_directly_in_the_database_is_found(written):
    since, events = written
    _sql("DELETE FROM creditportal_auditevent WHERE id = %s", [events[0].pk])
    assert any("creditportal_auditevent row was deleted" in f for f in _findings(since))


def test_r_sec_4_a_row_written_with_the_trigger_switched_off_is_found(written):
    since, _events = written
    _sql("SET CONSTRAINTS ALL IMMEDIATE")  # no pending foreign-key checks: the table may be altered
    _sql(f"ALTER TABLE creditportal_auditevent DISABLE TRIGGER {ledger.TRIGGER}")
    _sql(
        "INSERT INTO creditportal_auditevent (at, action, object_id, reason, data) "
        "VALUES (now(), 'creditportal.test.hidden', '', '', '{}')"
    )
    _sql(f"ALTER TABLE creditportal_auditevent ENABLE TRIGGER {ledger.TRIGGER}")
    assert any("never reached the ledger" in f for f in _findings(since))


def _entries(since: int) -> list[LedgerEntry]:
    return list(LedgerEntry.objects.filter(seq__gte=since).order_by("seq"))


def test_r_sec_4_an_edited_entry_is_found(written):
    since, _events = written
    entry = _entries(since)[1]
    _unguarded(f"UPDATE {ledger.TABLE} SET content = replace(content, '第1次', '第9次') WHERE seq = %s", [entry.seq])
    assert f"#{entry.seq}: its content does not match its hash: the entry was edited" in _findings(since)


def test_r_sec_4_an_entry_deleted_from_the_middle_is_found(written):
    since, _events = written
    entries = _entries(since)
    _unguarded(f"DELETE FROM {ledger.TABLE} WHERE seq = %s", [entries[1].seq])
    assert f"#{entries[2].seq}: does not follow the entry before it: an entry was deleted, inserted or moved" in (
        _findings(since)
    )


def test_r_sec_4_reordered_entries_are_found(written):
    since, _events = written
    first, second = _entries(since)[:2]
    _unguarded(f"UPDATE {ledger.TABLE} SET seq = -1 WHERE seq = %s", [first.seq])
    _unguarded(f"UPDATE {ledger.TABLE} SET seq = %s WHERE seq = %s", [first.seq, second.seq])
    _unguarded(f"UPDATE {ledger.TABLE} SET seq = %s WHERE seq = -1", [second.seq])
    assert f"#{first.seq}: does not follow the entry before it: an entry was deleted, inserted or moved" in (
        _findings(since)
    )


def test_r_sec_4_an_inserted_entry_is_found(written):
    """A forged entry, hashed correctly onto the one before, slipped into the chain: the ones after no longer
    follow, and it copies no row."""
    since, _events = written
    entries = _entries(since)
    _unguarded(f"UPDATE {ledger.TABLE} SET seq = seq + 1000000 WHERE seq > %s", [entries[0].seq])
    _unguarded(
        f"INSERT INTO {ledger.TABLE} (source, source_id, content, seq, prev_hash, hash) "
        "VALUES ('creditportal_auditevent', '0', %s, %s, %s, %s)",
        [
            entries[0].content,
            entries[0].seq + 1,
            entries[0].hash,
            hashlib.sha256((entries[0].hash + entries[0].content).encode()).hexdigest(),
        ],
    )
    findings = _findings(since)
    assert any("creditportal_auditevent row was deleted" in f for f in findings), findings
    assert any("does not follow the entry before it" in f for f in findings), findings


def test_r_sec_4_an_entry_left_unsealed_is_found(written, sysadmin):
    """The sealer stopped: an entry written more than ten minutes ago and still not in the chain is reported."""
    import datetime

    from django.utils import timezone

    since, _events = written
    record_event(action="creditportal.test.ledger", actor=sysadmin, reason="未封存")
    assert ledger.verify(since=since).unsealed == 1 and ledger.verify(since=since).intact
    later = ledger.verify(since=since, now=timezone.now() + datetime.timedelta(minutes=11))
    assert [str(f) for f in later.findings] == [
        "1 entries have waited more than ten minutes to be sealed: is the sealer running?"
    ]


def test_r_sec_4_a_truncated_tail_is_found_by_the_anchor(written, settings, tmp_path):
    since, _events = written
    settings.AUDIT_ANCHOR_DIR = str(tmp_path)
    path = ledger.anchor()
    anchors, forged = ledger.read_anchors()
    assert path.exists() and forged == [] and anchors[0]["entry"] == _entries(since)[-1].seq
    _unguarded(f"DELETE FROM {ledger.TABLE} WHERE seq = %s", [anchors[0]["entry"]])
    # the chain left is consistent in itself; the row it lost is still in its table, and the anchor, kept outside
    # the database, shows the loss even where the row went too
    assert [str(f) for f in ledger.verify(since=since).findings] == [
        f"creditportal_historicaldepartment row {_history_id()} never reached the ledger"
    ]
    findings = [str(f) for f in ledger.verify(since=since, anchors=anchors).findings]
    assert any("no longer in the ledger: truncated" in f for f in findings)


def _history_id() -> int:
    from creditportal.models import Department

    return Department.history.filter(code="LG-TEST").get().history_id


def test_r_sec_4_a_forged_anchor_is_refused(written, settings, tmp_path):
    settings.AUDIT_ANCHOR_DIR = str(tmp_path)
    path = ledger.anchor()
    path.write_text(path.read_text().replace("a", "b", 1))
    anchors, forged = ledger.read_anchors()
    assert anchors == [] and forged == [path.name]


def test_r_sec_4_audit_verify_says_intact_or_names_the_first_broken_link(written, capsys, settings, tmp_path):
    since, events = written
    settings.AUDIT_ANCHOR_DIR = str(tmp_path)
    call_command("audit_verify", since=since)
    assert "the audit ledger is intact" in capsys.readouterr().out
    AuditEvent.objects.filter(pk=events[2].pk).update(reason="悄悄改掉")
    with pytest.raises(CommandError) as refused:
        call_command("audit_verify", since=since)
    assert refused.value.returncode == 1
    assert "creditportal_auditevent row was changed" in capsys.readouterr().err


def test_r_sec_4_the_audit_administrator_reads_the_ledger_in_chinese(client, written, settings):
    """The audit administrator's page names each copied row by its kind, never by a raw table name."""
    from creditportal.tests.factories import UserFactory

    settings.LANGUAGE_CODE = "zh-hans"
    auditor = UserFactory(username="auditadmin", system_role="audit_admin", is_staff=True)
    client.force_login(auditor)
    html = client.get("/admin/creditportal/ledgerentry/").content.decode()
    assert "审计事件" in html and ">creditportal_auditevent<" not in html
