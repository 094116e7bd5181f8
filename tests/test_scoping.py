"""Department scoping: one mechanism for every view and query (ARCHITECTURE.md "Scoping"; R-SEC-4)."""

import pytest
from django.urls import reverse
from guardian.shortcuts import assign_perm

from creditportal.choices import Role
from creditportal.permissions import scope_queryset, scoped_page
from subjects.models import CreditSubject
from subjects.tests.factories import OrganisationFactory, PersonFactory

pytestmark = pytest.mark.django_db


def test_another_departments_subject_is_a_404(client, caseworker_a, dept_b):
    theirs = PersonFactory(department=dept_b)
    client.force_login(caseworker_a)
    assert client.get(reverse("subject_detail", args=[theirs.pk])).status_code == 404
    assert client.get(reverse("subject_update", args=[theirs.pk])).status_code == 404


def test_own_departments_subject_opens(client, caseworker_a, dept_a):
    mine = PersonFactory(department=dept_a)
    client.force_login(caseworker_a)
    response = client.get(reverse("subject_detail", args=[mine.pk]))
    assert response.status_code == 200
    assert mine.name in response.content.decode()


def test_a_user_without_a_department_role_gets_403(client, norole, dept_a):
    subject = PersonFactory(department=dept_a)
    client.force_login(norole)
    assert client.get(reverse("subject_list")).status_code == 403
    assert client.get(reverse("subject_detail", args=[subject.pk])).status_code == 403


def test_system_roles_do_no_case_work(client, sysadmin, dept_a):
    """R-SEC-6: the system administrator runs reference data, not cases."""
    subject = PersonFactory(department=dept_a)
    client.force_login(sysadmin)
    assert client.get(reverse("subject_list")).status_code == 403
    assert client.get(reverse("subject_detail", args=[subject.pk])).status_code == 403


def test_an_auditor_reads_but_cannot_change(client, auditor_a, dept_a):
    subject = PersonFactory(department=dept_a)
    client.force_login(auditor_a)
    assert client.get(reverse("subject_detail", args=[subject.pk])).status_code == 200
    assert client.get(reverse("subject_update", args=[subject.pk])).status_code == 403
    assert client.get(reverse("subject_create")).status_code == 403


def test_list_shows_only_own_department(client, caseworker_a, dept_a, dept_b):
    mine = PersonFactory(department=dept_a, name="本部门的人")
    theirs = PersonFactory(department=dept_b, name="别的部门的人")
    client.force_login(caseworker_a)
    html = client.get(reverse("subject_list")).content.decode()
    assert mine.name in html
    assert theirs.name not in html


def test_a_case_shared_through_guardian_is_visible_but_not_the_rest(client, caseworker_a, dept_b):
    shared = PersonFactory(department=dept_b, name="共享的人")
    other = PersonFactory(department=dept_b, name="不共享的人")
    assign_perm("subjects.view_creditsubject", caseworker_a, shared)
    client.force_login(caseworker_a)
    assert client.get(reverse("subject_detail", args=[shared.pk])).status_code == 200
    assert client.get(reverse("subject_detail", args=[other.pk])).status_code == 404
    html = client.get(reverse("subject_list")).content.decode()
    assert shared.name in html and other.name not in html
    # a view share does not allow editing
    assert client.get(reverse("subject_update", args=[shared.pk])).status_code == 404


def test_a_share_alone_gives_access_without_a_department_role(client, norole, dept_b):
    shared = PersonFactory(department=dept_b)
    assign_perm("subjects.view_creditsubject", norole, shared)
    client.force_login(norole)
    assert client.get(reverse("subject_detail", args=[shared.pk])).status_code == 200


def test_scoped_page_merges_shared_rows_in_order(caseworker_a, dept_a, dept_b):
    """The two-branch page equals the single OR-ed query, page by page."""
    for i in range(7):
        PersonFactory(department=dept_a, name=f"甲{i:02d}")
    shared = [PersonFactory(department=dept_b, name=f"甲{i:02d}x") for i in (1, 4)]
    PersonFactory(department=dept_b, name="甲03y")  # not shared
    for subject in shared:
        assign_perm("subjects.view_creditsubject", caseworker_a, subject)
    base = CreditSubject.objects.all()
    for ordering in (["name", "pk"], ["-name", "-pk"], ["-pk"]):
        expected = list(scope_queryset(caseworker_a, base).order_by(*ordering))
        assert len(expected) == 9
        pages = []
        for offset in range(0, 9, 4):
            pages += scoped_page(caseworker_a, base, ordering=ordering, offset=offset, limit=4)
        assert pages == expected


def test_a_user_of_two_departments_pages_through_both_in_order_past_a_third_departments_newer_rows(
    caseworker_a, dept_a, dept_b, django_assert_num_queries
):
    """Issue 23: a user of several departments has each department's first keys found on its own index walk and
    merged; the pages equal the single scoped query's, whatever the order, and the keys are one statement however
    many departments (a third department's newer rows in between are never listed)."""
    from creditportal.tests.factories import DepartmentFactory, MembershipFactory

    MembershipFactory(user=caseworker_a, department=dept_b, role=Role.CASEWORKER)
    dept_c = DepartmentFactory(code="WZ-SAMR", name="五指山市市场监督管理局")
    for i in range(5):
        PersonFactory(department=dept_a, name=f"乙{i:02d}a")
        PersonFactory(department=dept_c, name=f"乙{i:02d}c")
        PersonFactory(department=dept_b, name=f"乙{i:02d}b")
    shared = PersonFactory(department=dept_c, name="乙02s")
    assign_perm("subjects.view_creditsubject", caseworker_a, shared)
    for _ in range(4):
        PersonFactory(department=dept_c)  # the newest rows: another department's
    base = CreditSubject.objects.all()
    for ordering in (["-pk"], ["name", "pk"], ["-name", "-pk"]):
        expected = list(scope_queryset(caseworker_a, base).order_by(*ordering))
        assert len(expected) == 11 and {s.department_id for s in expected} == {dept_a.pk, dept_b.pk, dept_c.pk}
        pages = []
        for offset in range(0, 11, 3):
            pages += scoped_page(caseworker_a, base, ordering=ordering, offset=offset, limit=3)
        assert pages == expected
    fresh = type(caseworker_a).objects.get(pk=caseworker_a.pk)
    with django_assert_num_queries(4) as queries:  # roles, shares, the keys of every branch, the page's rows
        assert len(scoped_page(fresh, base, ordering=["-pk"], offset=0, limit=3)) == 3
    keys = [q["sql"] for q in queries.captured_queries if "UNION ALL" in q["sql"]]
    assert len(keys) == 1 and keys[0].count("UNION ALL") == 2  # a walk for each department, one for the shares


def test_query_count_of_the_list_does_not_grow_with_rows(client, caseworker_a, dept_a, django_assert_max_num_queries):
    for _ in range(30):
        OrganisationFactory(department=dept_a)
    client.force_login(caseworker_a)
    client.get(reverse("subject_list"))  # warm the content-type cache
    with django_assert_max_num_queries(12):
        assert client.get(reverse("subject_list")).status_code == 200


def test_the_acting_department_is_never_guessed(caseworker_a, dept_a, dept_b):
    """A caseworker of two departments acting on a subject shared from a third must say which department acts."""
    from django.core.exceptions import ValidationError

    from creditportal.choices import Role
    from creditportal.permissions import acting_department_id
    from creditportal.tests.factories import DepartmentFactory, MembershipFactory

    MembershipFactory(user=caseworker_a, department=dept_b, role=Role.CASEWORKER)
    third = DepartmentFactory(code="HN-SAMR")
    perm = "subjects.add_creditrecord"
    assert acting_department_id(caseworker_a, perm, subject_department_id=dept_b.pk) == dept_b.pk
    with pytest.raises(ValidationError, match="choose the one that acts"):
        acting_department_id(caseworker_a, perm, subject_department_id=third.pk)
    assert acting_department_id(caseworker_a, perm, subject_department_id=third.pk, chosen_id=dept_a.pk) == dept_a.pk
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        acting_department_id(caseworker_a, perm, subject_department_id=third.pk, chosen_id=third.pk)
