"""Migration restoration 0005 reads revocations registered before it back from their audit events (R-RES-6), so
a record revoked earlier also says on its page which document revoked it, on what ground and when."""

import datetime
import importlib
import zoneinfo

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from subjects import services as subject_services
from subjects.models import BasisRevocation

pytestmark = pytest.mark.django_db
SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
MIGRATION = importlib.import_module("restoration.migrations.0005_proof_name_revoked_bases_and_labels")


def test_r_res_6_revocations_before_the_migration_are_read_back_from_their_events(listed, supervisor_a):
    record = listed.records.get()
    subject_services.revocation_receive(
        record=record,
        actor=supervisor_a,
        reason="法院撤销",
        ground="invalid",
        legal_document="（2026）琼01行终12号行政判决书",
        effective_on=datetime.date(2026, 10, 30),
        received_on=datetime.date(2026, 11, 2),
        now=datetime.datetime(2026, 11, 2, 15, tzinfo=SHANGHAI),
    )
    subject_services.revocation_complete(
        record=record, actor=supervisor_a, reason="依判决撤销", now=datetime.datetime(2026, 11, 3, 10, tzinfo=SHANGHAI)
    )
    BasisRevocation.objects.filter(record=record).unguarded().delete()  # as before the migration: events only

    # the models as they were at that migration (BasisRevocation was restoration's then: subjects 0008 moved it)
    apps = (
        MigrationExecutor(connection).loader.project_state(("restoration", MIGRATION.__name__.rsplit(".", 1)[-1])).apps
    )
    MIGRATION.revocations_from_events(apps, None)

    revocation = BasisRevocation.objects.get(record=record)
    assert (revocation.ground, revocation.legal_document) == ("invalid", "（2026）琼01行终12号行政判决书")
    assert (revocation.effective_on, revocation.received_on) == (
        datetime.date(2026, 10, 30),
        datetime.date(2026, 11, 2),
    )
    assert revocation.revoked_by == supervisor_a and revocation.revocation_reason == "依判决撤销"
    assert revocation.revoked_at == datetime.datetime(2026, 11, 3, 10, tzinfo=SHANGHAI)
