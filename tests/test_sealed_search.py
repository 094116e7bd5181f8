"""Identity numbers never travel in a URL (issue 21, hardening; R-DIS-4; ``creditportal.sealed_search``): the subject
list's identifier filter posts, the number is kept in the session under a token, and the list, its pages and its
export find the subject by it."""

import pytest
from django.urls import reverse

from creditportal.models import AuditEvent
from creditportal.sealed_search import TOKEN_PARAM
from subjects.tests.factories import PersonFactory

pytestmark = pytest.mark.django_db

NUMBER = "460100199001011234"


def test_r_dis_4_a_searched_number_stays_out_of_the_address(client, caseworker_a, dept_a):
    wanted = PersonFactory(department=dept_a, name="王建国", id_number=NUMBER)
    PersonFactory(department=dept_a, name="陈美玲")
    client.force_login(caseworker_a)
    page = client.get(reverse("subject_list")).content.decode()
    assert 'method="post"' in page  # the filter form posts

    answer = client.post(reverse("subject_list"), {"id_number": NUMBER, "name": "王"})
    assert answer.status_code == 302
    location = answer["Location"]
    assert NUMBER not in location and f"{TOKEN_PARAM}=" in location and "name=" in location
    listed = client.get(location)
    assert [s.pk for s in listed.context["page"].rows] == [wanted.pk]
    html = listed.content.decode()
    assert "陈美玲" not in html
    assert f'value="{NUMBER}"' in html  # the form shows what was typed, from the session

    export = client.get(reverse("subject_export", args=["csv"]) + "?" + location.split("?", 1)[1])
    body = b"".join(export.streaming_content).decode("utf-8-sig")
    assert "王建国" in body and "陈美玲" not in body
    for action in ("subjects.subject.searched", "subjects.subject.exported"):
        assert NUMBER not in str(AuditEvent.objects.get(action=action).data)


def test_r_dis_4_a_number_typed_into_the_address_is_ignored(client, caseworker_a, dept_a):
    PersonFactory(department=dept_a, name="王建国", id_number=NUMBER)
    PersonFactory(department=dept_a, name="陈美玲")
    client.force_login(caseworker_a)
    typed = client.get(reverse("subject_list"), {"id_number": NUMBER})
    assert len(typed.context["page"].rows) == 2  # not encouraged: ignored


def test_a_list_without_sealed_filters_does_not_take_a_post(client, caseworker_a):
    client.force_login(caseworker_a)
    assert client.post(reverse("record_list"), {"subject_name": "王"}).status_code == 405


def test_r_dis_4_an_expired_search_says_so_and_lists_nothing(client, caseworker_a, dept_a):
    PersonFactory(department=dept_a, name="王建国", id_number=NUMBER)
    client.force_login(caseworker_a)
    location = client.post(reverse("subject_list"), {"id_number": NUMBER})["Location"]
    client.logout()
    client.force_login(caseworker_a)
    page = client.get(location)
    assert page.context["page"].rows == [] and "has expired" in page.content.decode()
    query = location.split("?", 1)[1]
    assert client.get(reverse("subject_export", args=["csv"]) + "?" + query).status_code == 400
