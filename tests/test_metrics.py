"""Prometheus metrics at /metrics (issue 12): request latency from django-prometheus, and gauges read at scrape
time for the documents waiting for their PDF and the Celery queues; only the monitoring may read them."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from creditportal.models import IssuedDocument
from creditportal.tasks import system_health_task
from designations import services
from tests.test_broker_faults import _draft
from tests.test_worker_faults import redis_queue  # noqa: F401  (the real Redis broker fixture)


def metric(page: str, name: str, labels: str = "") -> float:
    match = re.search(rf"^{re.escape(name + labels)} (\S+)$", page, re.MULTILINE)
    assert match, f"{name}{labels} is not in the page"
    return float(match.group(1))


@pytest.mark.django_db
def test_metrics_show_request_latency_and_the_pending_documents(client):
    client.get(reverse("healthz"))
    response = client.get(reverse("metrics"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    page = response.content.decode()
    assert 'django_http_requests_latency_seconds_by_view_method_count{method="GET",view="healthz"}' in page
    assert metric(page, "creditportal_documents_pending") == 0
    assert metric(page, "creditportal_broker_up") == 0  # no broker in the tests: tasks run in-process


@pytest.mark.parametrize("address", ["10.0.0.8", "192.168.1.20", "2001:db8::1"])
@pytest.mark.django_db
def test_metrics_are_not_there_for_anyone_else(client, address):
    assert client.get(reverse("metrics"), REMOTE_ADDR=address).status_code == 404


@pytest.mark.django_db
def test_with_a_token_set_metrics_need_it(client, settings):
    settings.PORTAL_METRICS_TOKEN = "scrape-secret-2026"
    assert client.get(reverse("metrics")).status_code == 404
    assert client.get(reverse("metrics"), HTTP_AUTHORIZATION="Bearer wrong").status_code == 404
    assert client.get(reverse("metrics"), HTTP_AUTHORIZATION="Bearer scrape-secret-2026").status_code == 200


@pytest.mark.integration
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_pending_documents_and_the_queue_length_are_read_at_scrape_time(redis_queue, client, settings):  # noqa: F811
    """No worker runs: the issued notice waits for its PDF, its render task in the documents queue and two others
    in the default queue."""
    from creditportal.choices import Role
    from creditportal.tests.factories import DepartmentFactory, user_with_role

    department = DepartmentFactory(code="HK-SAMR", name="海口市市场监督管理局")
    caseworker = user_with_role(Role.CASEWORKER, department, username="caseworker_a")
    designation = _draft(department, caseworker)
    services.designation_issue_notice(designation=designation, actor=caseworker, reason="Notice", statement_period_wd=5)
    system_health_task.delay()
    system_health_task.delay()
    page = client.get(reverse("metrics")).content.decode()
    assert metric(page, "creditportal_broker_up") == 1
    assert metric(page, "creditportal_documents_pending") == 1 == IssuedDocument.objects.filter(sha256="").count()
    assert metric(page, "creditportal_documents_oldest_pending_seconds") >= 0
    assert metric(page, "creditportal_celery_queue_length", '{queue="documents"}') == 1
    assert metric(page, "creditportal_celery_queue_length", '{queue="celery"}') == 2
    assert metric(page, "creditportal_celery_queue_length", '{queue="imports"}') == 0
