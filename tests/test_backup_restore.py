"""The restore drill, CI-sized (issue 12): cases with issued documents are built through the services, backed up
with ``scripts/backup.sh`` (pg_dump and the document store), restored with ``scripts/restore.sh`` into a fresh
database and document store; then every issued document's SHA-256 verifies and the case, history and audit
event row counts match the source. A damaged backup is refused."""

from __future__ import annotations

import datetime
import hashlib
import os
import shutil
import subprocess
from pathlib import Path

import psycopg
import pytest
from django.db import connection
from psycopg import sql

from creditportal.choices import Role
from creditportal.models import AuditEvent, IssuedDocument
from creditportal.tests.factories import DepartmentFactory, user_with_role
from designations import services
from designations.models import Designation
from subjects import services as subject_services
from subjects.tests.factories import OrganisationFactory, PersonFactory
from tests.case_data import make_catalog

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def source_url() -> str:
    db = connection.settings_dict
    return f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


@pytest.fixture(autouse=True)
def _postgresql_client_tools():
    missing = [tool for tool in ("pg_dump", "pg_restore", "psql", "sha256sum") if not shutil.which(tool)]
    if missing:
        pytest.fail(
            f"{', '.join(missing)} missing: install PostgreSQL's client tools (apt-get install postgresql-client)"
        )


def run(script: str, *args: str, env: dict) -> subprocess.CompletedProcess:
    return subprocess.run(
        ["bash", str(ROOT / "scripts" / script), *args],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


@pytest.fixture
def document_store(settings, tmp_path):
    """Issued PDFs on disk, as deployed (the test profile otherwise keeps files in memory)."""
    media = tmp_path / "media"
    settings.MEDIA_ROOT = str(media)
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(media)}},
    }
    return media


@pytest.fixture
def restore_database():
    """A fresh database beside the test database; dropped afterwards."""
    name = connection.settings_dict["NAME"] + "_restored"
    db = connection.settings_dict
    admin = f"postgresql://{db['USER']}@{db['HOST']}:{db['PORT']}/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    yield f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{name}"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def seed_cases(count: int = 3) -> None:
    """``count`` designations in one department (one catalog), each with its prior notice issued and rendered
    (eagerly), built as people build them: record, designation, notice through the services."""
    department = DepartmentFactory(code="HK-SAMR", name="海口市市场监督管理局")
    caseworker = user_with_role(Role.CASEWORKER, department, username="caseworker_a")
    item, standard = make_catalog(actor=caseworker, department=department)
    for n in range(count):
        organisation = OrganisationFactory(department=department, name=f"海口椰风食品有限公司第{n + 1}分公司")
        subject_services.related_person_add(
            organisation=organisation,
            person=PersonFactory(department=department),
            role="legal_representative",
            actor=caseworker,
            reason="Registration",
        )
        record = subject_services.record_create(
            actor=caseworker,
            subject=organisation,
            catalog_item=item,
            summary="多次销售过期食品",
            determined_on=datetime.date(2026, 3, 2),
            reason="Recorded",
            basis={
                "basis_type": "punishment_decision",
                "number": f"海口市监罚〔2026〕{21 + n}号",
                "issuing_authority": "海口市市场监督管理局",
                "effective_on": datetime.date(2026, 3, 2),
            },
        )
        designation = services.designation_create(
            actor=caseworker,
            department=department,
            subject=organisation,
            standard=standard,
            records=[record],
            measures=list(standard.allowed_measures.all()),
            facts="多次销售超过保质期的食品",
            reasons="严重危害人民群众身体健康",
            proportionality_statement="措施与情节相当",
            proposed_listing_months=12,
            reason="Prepared",
        )
        services.designation_issue_notice(
            designation=designation, actor=caseworker, reason="Notice", statement_period_wd=5
        )


def counts() -> dict[str, int]:
    return {
        "designations": Designation.objects.count(),
        "designation history": Designation.history.count(),
        "documents": IssuedDocument.objects.count(),
        "document history": IssuedDocument.history.count(),
        "audit events": AuditEvent.objects.count(),
    }


def restored_counts(url: str) -> dict[str, int]:
    tables = {
        "designations": Designation._meta.db_table,
        "designation history": Designation.history.model._meta.db_table,
        "documents": IssuedDocument._meta.db_table,
        "document history": IssuedDocument.history.model._meta.db_table,
        "audit events": AuditEvent._meta.db_table,
    }
    with psycopg.connect(url.replace("postgres://", "postgresql://")) as conn:
        return {
            key: conn.execute(sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(table))).fetchone()[0]
            for key, table in tables.items()
        }


def restored_documents(url: str) -> list[tuple[str, str]]:
    with psycopg.connect(url.replace("postgres://", "postgresql://")) as conn:
        return conn.execute(
            sql.SQL("SELECT file, sha256 FROM {} WHERE sha256 <> '' ORDER BY id").format(
                sql.Identifier(IssuedDocument._meta.db_table)
            )
        ).fetchall()


def backup(media: Path, backups: Path) -> Path:
    result = run("backup.sh", str(backups), env={"DATABASE_URL": source_url(), "MEDIA_ROOT": str(media)})
    assert result.returncode == 0, result.stdout + result.stderr
    (made,) = backups.iterdir()
    return made


def test_restore_drill_every_document_verifies_and_the_counts_match(document_store, restore_database, tmp_path):
    seed_cases()
    source = counts()
    assert source["documents"] == 3 and not IssuedDocument.objects.filter(sha256="").exists()
    made = backup(document_store, tmp_path / "backups")
    assert (made / "BACKUP_OK").exists() and len((made / "documents.sha256").read_text().splitlines()) == 3

    restored_media = tmp_path / "restored-media"
    result = run("restore.sh", str(made), env={"DATABASE_URL": restore_database, "MEDIA_ROOT": str(restored_media)})
    assert result.returncode == 0, result.stdout + result.stderr
    assert "verified, 3 issued documents" in result.stdout

    # checked again here, independently of the script: the rows and every PDF in the restored store
    assert restored_counts(restore_database) == source
    documents = restored_documents(restore_database)
    assert len(documents) == 3
    for name, sha256 in documents:
        assert hashlib.sha256((restored_media / name).read_bytes()).hexdigest() == sha256


def test_a_backup_whose_document_was_altered_does_not_restore_as_good(document_store, restore_database, tmp_path):
    """A PDF changed in the backup copy (bit rot, tampering): the restore reports it and exits non-zero."""
    seed_cases(1)
    made = backup(document_store, tmp_path / "backups")
    first = made / "media" / (made / "documents.sha256").read_text().splitlines()[0].split("  ", 1)[1]
    first.write_bytes(first.read_bytes() + b"%tampered")
    result = run(
        "restore.sh", str(made), env={"DATABASE_URL": restore_database, "MEDIA_ROOT": str(tmp_path / "restored")}
    )
    assert result.returncode != 0
    assert "differs from its SHA-256" in result.stderr


def test_a_backup_refuses_a_document_store_that_no_longer_matches(document_store, tmp_path):
    """The backup itself checks the copy: a document store with a damaged PDF is not backed up as good."""
    seed_cases(1)
    document = IssuedDocument.objects.order_by("pk").first()
    path = document_store / document.file.name
    path.write_bytes(b"not the issued PDF")
    result = run(
        "backup.sh", str(tmp_path / "b"), env={"DATABASE_URL": source_url(), "MEDIA_ROOT": str(document_store)}
    )
    assert result.returncode != 0 and "differs from its recorded SHA-256" in result.stderr
    assert not list((tmp_path / "b").glob("*/BACKUP_OK"))
