"""A double submit creates one object even when both requests arrive together (issue 16): the token's unique
column, not a check-then-insert, decides. Two threads, each with its own database connection, send the same
form at the same moment; the second waits on the first's uncommitted token, then answers with the first's
result."""

from __future__ import annotations

import threading

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from creditportal.choices import Role
from creditportal.tests.factories import DepartmentFactory, user_with_role
from subjects.models import CreditSubject
from subjects.tests.factories import valid_uscc

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_two_simultaneous_submits_of_one_form_create_one_subject():
    department = DepartmentFactory(code="HK-SAMR", name="海口市市场监督管理局")
    caseworker = user_with_role(Role.CASEWORKER, department, username="race_caseworker")
    page = Client()
    page.force_login(caseworker)
    html = page.get(reverse("subject_create")).content.decode()
    token = html.split('name="submit_token" value="', 1)[1].split('"', 1)[0]
    data = {
        "submit_token": token,
        "kind": "legal_person",
        "ownership": "private",
        "name": "海口南洋贸易有限公司",
        "id_type": "uscc",
        "id_number": valid_uscc(4242),
        "department": department.pk,
        "reason": "登记",
    }
    start = threading.Barrier(2)
    answers: list = []

    def submit():
        client = Client()
        client.force_login(caseworker)
        start.wait()
        try:
            answers.append(client.post(reverse("subject_create"), data))
        except Exception as error:  # noqa: BLE001  (a 500 is an answer here: the assertion names it)
            answers.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=submit) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert all(getattr(answer, "status_code", None) == 302 for answer in answers), answers
    assert answers[0]["Location"] == answers[1]["Location"]
    assert CreditSubject.objects.filter(id_number=data["id_number"]).count() == 1
