"""The read replica (issue 12): exports, reports and the public pages may read from a second database; every
write and every other read stays on the primary. In tests the ``replica`` alias is a second connection to the
same server, mirroring the test database (creditportal/settings/test.py)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connections
from django.template import engines
from django.template.response import TemplateResponse
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.views import View

from creditportal.db_router import PrimaryReplicaRouter, ReplicaReadMixin, reading_from_replica, reporting_database
from creditportal.models import Department
from creditportal.tests.factories import DepartmentFactory

ROOT = Path(__file__).resolve().parent.parent
# Committed rows, so that the replica's own connection sees what the primary's wrote (as after replication).
both = pytest.mark.django_db(transaction=True, serialized_rollback=True, databases=["default", "replica"])


@pytest.fixture(autouse=True)
def _close_replica(settings):
    settings.REPLICA_READS = True  # the test settings leave the mirror's reads off for every other test
    yield
    connections["replica"].close()


class PublicList(ReplicaReadMixin, View):
    def get(self, request):
        return TemplateResponse(
            request,
            engines["django"].from_string("{% for d in departments %}{{ d.code }}{% endfor %}"),
            {"departments": Department.objects.order_by("code")},  # evaluated when the template renders
        )


@both
def test_reports_exports_and_public_pages_read_from_the_replica_and_nothing_else_does():
    """One committed set of rows (the replica's own connection sees them, as after replication), four readers."""
    DepartmentFactory(code="HK-SAMR")

    # an ordinary read: the primary
    assert Department.objects.all().db == "default"
    with CaptureQueriesContext(connections["replica"]) as replica:
        assert Department.objects.filter(code="HK-SAMR").exists()
    assert not replica.captured_queries

    # a report: reads from the replica, while a write inside it still goes to the primary
    with (
        CaptureQueriesContext(connections["replica"]) as replica,
        CaptureQueriesContext(connections["default"]) as primary,
        reading_from_replica() as alias,
    ):
        assert alias == "replica" == reporting_database()
        assert [d.code for d in Department.objects.filter(code="HK-SAMR")] == ["HK-SAMR"]
        DepartmentFactory(code="SY-SAMR")
    assert any("creditportal_department" in q["sql"] for q in replica.captured_queries)
    assert not any(q["sql"].startswith("INSERT") for q in replica.captured_queries)
    assert any(q["sql"].startswith("INSERT") for q in primary.captured_queries)
    assert Department.objects.all().db == "default"  # the block is over

    # an export: the queryset is read after the view returned (a stream), so it names its database
    queryset = Department.objects.using(reporting_database()).order_by("code")
    with CaptureQueriesContext(connections["replica"]) as replica:
        assert [d.code for d in queryset.iterator()] == ["HK-SAMR", "SY-SAMR"]
    assert len(replica.captured_queries) == 1

    # a public page: the view and its template (rendered inside the mixin) read from the replica
    with CaptureQueriesContext(connections["replica"]) as replica:
        response = PublicList.as_view()(RequestFactory().get("/"))
    assert response.content == b"HK-SAMRSY-SAMR"
    assert len(replica.captured_queries) == 1


def test_without_a_replica_everything_reads_the_primary(monkeypatch):
    from django.conf import settings

    monkeypatch.delitem(settings.DATABASES, "replica")
    assert reporting_database() == "default"
    with reading_from_replica() as alias:
        assert alias == "default" and PrimaryReplicaRouter().db_for_read(Department) == "default"


def test_the_replica_is_never_migrated():
    router = PrimaryReplicaRouter()
    assert router.allow_migrate("default", "creditportal") is True
    assert router.allow_migrate("replica", "creditportal") is False


def _settings_with(**environment) -> str:
    """The deployed settings as a process started with ``environment`` sees them."""
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "creditportal.settings.dev", **environment}
    code = (
        "import django, json; django.setup(); from django.conf import settings as s; "
        "print(json.dumps({'storage': s.STORAGES['default'], 'databases': {k: {'cursors': v.get("
        "'DISABLE_SERVER_SIDE_CURSORS', False), 'prepare': v.get('OPTIONS', {}).get('prepare_threshold', 5), "
        "'name': v['NAME']} for k, v in s.DATABASES.items()}, 'routes': s.CELERY_TASK_ROUTES}))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.splitlines()[-1]


def test_the_deployment_is_chosen_by_the_environment():
    import json

    plain = json.loads(_settings_with(DATABASE_URL="postgres://app@db1:5432/creditportal"))
    assert plain["storage"]["BACKEND"] == "django.core.files.storage.FileSystemStorage"
    assert set(plain["databases"]) == {"default"}
    assert plain["routes"]["creditportal.document_render"] == {"queue": "documents"}

    scaled = json.loads(
        _settings_with(
            DATABASE_URL="postgres://app@pgbouncer:6432/creditportal",
            DATABASE_REPLICA_URL="postgres://app@replica1:5432/creditportal",
            DATABASE_PGBOUNCER="true",
            STORAGE_BACKEND="s3",
            AWS_STORAGE_BUCKET_NAME="creditportal-documents",
            AWS_S3_ENDPOINT_URL="https://minio.internal:9000",
        )
    )
    assert scaled["storage"]["BACKEND"] == "storages.backends.s3.S3Storage"
    assert scaled["storage"]["OPTIONS"]["bucket_name"] == "creditportal-documents"
    assert scaled["storage"]["OPTIONS"]["default_acl"] is None and not scaled["storage"]["OPTIONS"]["file_overwrite"]
    assert scaled["databases"]["replica"]["name"] == "creditportal"
    assert all(d["cursors"] and d["prepare"] is None for d in scaled["databases"].values())
