"""No lost work when the broker is down (issue 12): the act commits and answers at once, the document stays
"being prepared", and once a broker and a worker are back the sweep queues it again and it is rendered once.

Runs a real Celery worker through the real Redis broker (like tests/test_celery_integration.py).
"""

import contextlib
import datetime
import socket
import threading
import time

import pytest
from django.db import connection
from django.urls import reverse

from creditportal.celery import app
from creditportal.choices import Role
from creditportal.documents import documents_render_pending, pending_documents
from creditportal.models import IssuedDocument
from creditportal.tests.factories import DepartmentFactory, user_with_role
from designations import services
from subjects import services as subject_services
from subjects.tests.factories import OrganisationFactory, PersonFactory
from tests.case_data import make_catalog
from tests.test_celery_integration import BROKER, worker  # noqa: F401  (the real worker fixture)

DEAD_BROKER = "redis://127.0.0.1:1/0"  # nothing listens on port 1


@contextlib.contextmanager
def silent_server():
    """A TCP port that accepts connections and never answers (a hung Redis, a half-dead proxy): its address."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(64)
    accepted: list[socket.socket] = []

    def accept() -> None:
        with contextlib.suppress(OSError):  # closed when the test is done
            while True:
                accepted.append(listener.accept()[0])

    threading.Thread(target=accept, daemon=True).start()
    try:
        yield f"127.0.0.1:{listener.getsockname()[1]}"
    finally:
        listener.close()
        for connection in accepted:
            connection.close()


@pytest.fixture
def broker(settings):
    """Point the Celery app at a broker (tests otherwise run tasks eagerly); restore it afterwards."""
    saved = {key: app.conf[key] for key in ("broker_url", "task_always_eager", "result_backend")}

    def reset_connections():
        from kombu import pools

        if app._pool is not None:
            app._pool.force_close_all()
            app._pool = None
        app.amqp._producer_pool = None
        # the result backend is made again from the configuration (Celery keeps it per thread, or once if thread-safe)
        app._backend_cache = None
        app._local.__dict__.pop("backend", None)
        pools.reset()  # later tests get fresh pools, not "Acquire on closed pool"
        app.set_current()

    def use(url: str, result_backend: str | None = None):
        settings.CELERY_BROKER_URL = url
        app.conf.update(broker_url=url, task_always_eager=False, result_backend=result_backend)
        reset_connections()

    yield use
    app.conf.update(**saved)
    reset_connections()


def _draft(department, caseworker):
    catalog = make_catalog(actor=caseworker, department=department)
    organisation = OrganisationFactory(department=department, name="海口椰风食品有限公司")
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
        catalog_item=catalog[0],
        summary="多次销售过期食品",
        determined_on=datetime.date(2026, 3, 2),
        reason="Recorded",
        basis={
            "basis_type": "punishment_decision",
            "number": "海口市监罚〔2026〕21号",
            "issuing_authority": "海口市市场监督管理局",
            "effective_on": datetime.date(2026, 3, 2),
        },
    )
    return services.designation_create(
        actor=caseworker,
        department=department,
        subject=organisation,
        standard=catalog[1],
        records=[record],
        measures=list(catalog[1].allowed_measures.all()),
        facts="多次销售超过保质期的食品",
        reasons="严重危害人民群众身体健康",
        proportionality_statement="措施与情节相当",
        proposed_listing_months=12,
        reason="Prepared",
    )


@pytest.mark.integration
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_notice_is_issued_with_the_broker_down_and_rendered_when_it_returns(broker, request, client):
    department = DepartmentFactory(code="HK-SAMR", name="海口市市场监督管理局")
    caseworker = user_with_role(Role.CASEWORKER, department, username="caseworker_a")
    designation = _draft(department, caseworker)

    broker(DEAD_BROKER)
    started = time.monotonic()
    services.designation_issue_notice(designation=designation, actor=caseworker, reason="Notice", statement_period_wd=5)
    assert time.monotonic() - started < 2  # the act answers at once; it does not wait on the broker
    notice = IssuedDocument.objects.get(kind="notice")
    assert notice.number and not notice.sha256  # committed and numbered, its PDF pending
    assert list(pending_documents()) == [notice]
    client.force_login(caseworker)
    page = client.get(reverse("designation_detail", args=[designation.pk])).content.decode()
    assert "being prepared" in page
    health = client.get(reverse("healthz")).json()
    assert health["broker"] == "unreachable" and health["documents_pending"] == 1
    assert health["status"] == "degraded" and health["degraded"] == ["broker"]  # users are served: 200

    # the broker comes back: two sweeps queue the document twice before a worker starts; the worker renders it
    # exactly once (rendering is idempotent under a row lock)
    broker(BROKER)
    app.control.purge()
    assert documents_render_pending(older_than=datetime.timedelta(0)) == 1
    assert documents_render_pending(older_than=datetime.timedelta(0)) == 1
    request.getfixturevalue("worker")
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        notice.refresh_from_db()
        if notice.sha256:
            break
        time.sleep(0.5)
    assert notice.sha256, "the worker did not render the pending notice within 90 s"
    with app.connection_for_write() as connection:  # wait for the second message to be consumed
        for _ in range(60):
            if connection.default_channel.client.llen("documents") == 0:  # rendering is routed to "documents"
                break
            time.sleep(0.5)
    time.sleep(1)
    notice.refresh_from_db()
    assert notice.history.exclude(sha256="").count() == 1  # one rendering in the history, not two
    assert not pending_documents().exists()


@pytest.mark.integration
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.parametrize(("fault", "limit"), [("refused", 2), ("hung", 3.5)])
def test_issuing_a_letter_through_the_page_answers_at_once_with_the_broker_down(broker, client, fault, limit):
    """The act as a caseworker does it (a POST, the transaction, the dispatch after commit), with the production
    defaults: the result backend is the broker's Redis too. Publishing once, without retries and without asking
    for a result nobody reads, the page answers at once (it took 19 s: the result backend's 20 reconnect tries);
    a broker that accepts and never answers costs the transport's socket timeout (2 s), not forever."""
    department = DepartmentFactory(code="HK-SAMR", name="海口市市场监督管理局")
    caseworker = user_with_role(Role.CASEWORKER, department, username="caseworker_a")
    designation = _draft(department, caseworker)
    client.force_login(caseworker)
    with contextlib.ExitStack() as stack:
        url = DEAD_BROKER if fault == "refused" else f"redis://{stack.enter_context(silent_server())}/0"
        broker(url, result_backend=url)
        answer: dict = {}

        def act() -> None:  # in a thread, so that an act that hangs fails the test instead of holding it forever
            try:
                started = time.monotonic()
                answer["response"] = _issue_notice_through_the_page(client, designation)
                answer["seconds"] = time.monotonic() - started
                started = time.monotonic()
                answer["health"] = client.get(reverse("healthz"))
                answer["health_seconds"] = time.monotonic() - started
            finally:
                connection.close()

        caseworker_request = threading.Thread(target=act, daemon=True)
        caseworker_request.start()
        caseworker_request.join(timeout=limit + 10)
    assert "seconds" in answer, f"the act did not answer within {limit + 10} s with the broker {fault}"
    response, answered = answer["response"], answer["seconds"]
    assert response.status_code == 302, response.content.decode()[-2000:]
    assert answered < limit, f"the act took {answered:.1f} s with the broker {fault}"
    notice = IssuedDocument.objects.get(kind="notice")
    assert notice.number and not notice.sha256  # issued, its PDF pending: the sweep queues it when the broker is back
    assert list(pending_documents()) == [notice]
    # /healthz says so, as quickly: the load balancer is not left waiting on the broker either
    assert "health_seconds" in answer, f"/healthz did not answer within {limit + 10} s with the broker {fault}"
    assert answer["health"].status_code == 200 and answer["health"].json()["broker"] == "unreachable"
    assert answer["health_seconds"] < limit, f"/healthz took {answer['health_seconds']:.1f} s"


def _issue_notice_through_the_page(client, designation):
    return client.post(
        reverse("designation_act", args=[designation.pk, "issue_notice"]),
        {
            "issue_notice-reason": "事实清楚，拟列入名单，告知当事人",
            "issue_notice-statement_period_wd": "5",
            "issue_notice-expected_version": str(designation.version),
        },
    )


@pytest.mark.django_db
def test_healthz_answers_without_login_and_shows_no_case_data(client):
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "database": "ok",
        "cache": "local",
        "broker": "eager",
        "documents_pending": 0,
        "documents_stuck": 0,
        "oldest_pending_seconds": 0,
    }
