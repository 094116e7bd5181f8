"""Two people at once: row locks serialise them; numbers never repeat or skip (R-DES-5)."""

import threading

import pytest
from django.db import close_old_connections, connection

from creditportal import documents
from creditportal.models import DocumentSequence
from designations import services
from designations.models import Designation
from designations.tests.helpers import draft, to_state

# serialized_rollback: the rows migrations load (the jurisdiction profiles, the calendar) are put back around it.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def _in_threads(*functions):
    results: list = [None] * len(functions)
    barrier = threading.Barrier(len(functions))

    def run(index, fn):
        try:
            barrier.wait(timeout=10)
            results[index] = fn()
        except Exception as error:  # the loser's refusal is the result we check
            results[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, fn)) for i, fn in enumerate(functions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    close_old_connections()
    return results


def test_two_supervisors_approving_at_once_one_wins_the_other_is_told(
    caseworker_a, supervisor_a, supervisor_b_a, dept_a, record, catalog
):
    designation = to_state(
        draft(caseworker=caseworker_a, department=dept_a, record=record, catalog=catalog),
        "awaiting_approval",
        caseworker=caseworker_a,
        supervisor=supervisor_a,
    )
    version = designation.version
    results = _in_threads(
        lambda: services.designation_approve(
            designation=designation, actor=supervisor_a, reason="A", expected_version=version
        ),
        lambda: services.designation_reject(
            designation=designation, actor=supervisor_b_a, reason="B", expected_version=version
        ),
    )
    winners = [r for r in results if isinstance(r, Designation)]
    losers = [r for r in results if isinstance(r, services.ConcurrentChange)]
    assert len(winners) == 1 and len(losers) == 1, results
    assert "Someone else acted on this designation" in losers[0].messages[0]
    designation.refresh_from_db()
    assert designation.state == winners[0].state
    assert designation.history.filter(state__in=["approved", "rejected"]).count() == 1


def test_document_numbers_under_concurrent_issuing_have_no_duplicates_and_no_gaps(dept_a):
    from django.db import transaction

    def allocate():
        with transaction.atomic():
            return documents.next_number(department=dept_a, kind="decision", year=2026)

    numbers = []
    for _ in range(3):
        numbers += _in_threads(*[allocate] * 6)
    assert all(isinstance(n, int) for n in numbers), numbers
    assert sorted(numbers) == list(range(1, 19))
    assert DocumentSequence.objects.get(department=dept_a, kind="decision", year=2026).last_number == 18


def test_a_rolled_back_issue_does_not_consume_a_number(dept_a):
    from django.db import transaction

    with pytest.raises(RuntimeError), transaction.atomic():
        documents.next_number(department=dept_a, kind="decision", year=2026)
        raise RuntimeError("the issuing transaction failed")
    with transaction.atomic():
        assert documents.next_number(department=dept_a, kind="decision", year=2026) == 1
